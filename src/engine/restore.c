/* Startup restore, before the first event: stored candles through the same
 * pipeline (without recording them again), the account, the order book, exits,
 * risk state, signals and the id counters; and a collector's stored signals
 * mirrored into a console's queue while it runs (EE_SIGNAL). */
#include "engine_internal.h"

#include <math.h>
#include <string.h>

#include "alphapulse/patterns.h"
#include "alphapulse/regime.h"

void engine_load_candle(struct engine *e, int s, int tf, const struct candle *c)
{
    if (s < 0 || s >= e->cfg.n_symbols || tf < 0 || tf >= TF_COUNT)
        return;
    int64_t last = engine_last_closed(e, s, tf);
    if (c->open_time <= last)
        return;
    e->loading = true;
    if (tf == TF_1M) {
        engine_close_1m(e, s, c, false);     /* rebuilds the forming higher-timeframe buckets */
    } else {
        engine_close_candle(e, s, tf, c, false);
    }
    e->loading = false;
    e->sym[s]->last = c->close;
    e->sym[s]->last_time = c->open_time;
}

void engine_restore(struct engine *e, double balance, int sym, const struct position *p)
{
    e->pf.broker.balance = balance;
    e->pf.equity = balance;
    if (sym >= 0 && sym < e->cfg.n_symbols && p)
        portfolio_restore_position(&e->pf, sym, p);
}

void engine_restore_risk(struct engine *e, const struct risk_state *s)
{
    portfolio_restore_risk(&e->pf, s);
}

void engine_restore_order(struct engine *e, const struct broker_order *o)
{
    if (o->sym >= 0 && o->sym < e->cfg.n_symbols)
        portfolio_restore_order(&e->pf, o);
}

void engine_restore_exits(struct engine *e, int sym, const struct bracket *br, int source, int64_t opened)
{
    if (sym >= 0 && sym < e->cfg.n_symbols)
        portfolio_restore_exits(&e->pf, sym, br, source, opened);
}

/* The engine's form of a stored signal; false when its symbol is not in the
 * engine or a value is out of range. */
static bool from_record(const struct engine *e, const char *symbol, int tf, const struct record_signal *r,
                        struct signal *out)
{
    int sym = engine_symbol(e, symbol);
    if (sym < 0 || tf < 0 || tf >= TF_COUNT || r->state < 0 || r->state >= SIGNAL_STATE_COUNT ||
        r->outcome < 0 || r->outcome >= OUTCOME_COUNT)
        return false;
    struct signal g;
    memset(&g, 0, sizeof g);
    g.id = r->id;
    g.time = r->time;
    g.candle_time = r->candle_time;
    g.sym = (int16_t)sym;
    g.tf = (int16_t)tf;
    g.side = (int8_t)(r->side > 0 ? 1 : -1);
    g.state = (int8_t)r->state;
    g.outcome = (int8_t)r->outcome;
    g.best_tp = (int8_t)r->best_tp;
    g.stop_kind = (int8_t)r->stop_kind;
    g.trend_alignment = (int8_t)r->trend_alignment;
    g.volume_confirmed = r->volume_confirmed;
    g.pattern = (int16_t)(r->pattern[0] ? cdl_find(r->pattern) : -1);
    g.regime = (int8_t)(r->regime[0] ? regime_parse(r->regime) : REGIME_NONE);
    g.source = (int8_t)signal_source_parse(r->source);
    if (g.source < 0)
        g.source = SIGNAL_SOURCE_ENGINE;
    for (int v = 0; v < VOTER_COUNT; v++)
        if (r->voters & (1u << v)) {
            g.voters |= (uint8_t)(1u << v);
            g.votes[v].dir = g.side;            /* reason texts are not stored */
        }
    g.confidence = (float)r->confidence;
    g.regime_conf = isfinite(r->regime_confidence) ? (float)r->regime_confidence : 0;
    g.htf_score = (float)r->htf_score;
    g.entry = r->entry;
    g.stop = r->stop;
    for (int k = 0; k < 4; k++)
        g.tp[k] = r->tp[k];
    g.rr = r->reward_risk;
    const double *in = r->indicators;
    g.ind = (struct signal_ind){ in[SIND_RSI], in[SIND_MACD_HIST], in[SIND_ATR], in[SIND_ADX], in[SIND_BB_WIDTH],
                                 in[SIND_VOLUME_RATIO], in[SIND_EMA20], in[SIND_EMA50], in[SIND_EMA200] };
    g.expires = r->expiry;
    g.outcome_time = r->outcome_time;
    *out = g;
    return true;
}

void engine_restore_signal(struct engine *e, const char *symbol, int tf, const struct record_signal *r)
{
    struct signal g;
    if (from_record(e, symbol, tf, r, &g))
        signal_restore(e->sig, &g);
}

void engine_mirror_signal(struct engine *e, const struct stored_signal *m)
{
    struct signal g;
    if (!from_record(e, m->symbol, m->tf, &m->s, &g))
        return;
    /* expired as the queue would have it: a candle of its timeframe closed at or after its expiry */
    int64_t last = engine_last_closed(e, g.sym, g.tf);
    bool open = g.state == SIGNAL_NEW && g.outcome == OUTCOME_OPEN && (last < 0 || last + tf_ms(g.tf) < g.expires);
    if (m->first && !open) {
        /* it came and went between two reads: the journal still names it once */
        const char *how = g.outcome != OUTCOME_OPEN ? record_signal_outcome_name(g.outcome)
                          : g.state != SIGNAL_NEW ? record_signal_state_name(g.state) : "expired";
        engine_note(e, "decision", g.sym, "signal #%llu %s %s %s conf %.3f (a collector's; %s when read)",
                    (unsigned long long)g.id, g.side > 0 ? "LONG" : "SHORT", e->sym[g.sym]->inst.symbol,
                    tf_name(g.tf), g.confidence, how);
        return;
    }
    if (signal_mirror(e->sig, &g, m->first))
        engine_note(e, "decision", g.sym, "collector's signal #%llu %s not shown: the signal queue is full",
                    (unsigned long long)g.id, m->symbol);
    engine_signal_events(e);
}

void engine_restore_log(struct engine *e, int64_t time, const char *text)
{
    engine_log_add(e, time, text ? text : "");
}

void engine_restore_ids(struct engine *e, uint64_t next_order, uint64_t next_fill)
{
    if (next_order > e->pf.broker.next_order)
        e->pf.broker.next_order = next_order;
    if (next_fill > e->pf.broker.next_fill)
        e->pf.broker.next_fill = next_fill;
}

void engine_restore_funding(struct engine *e, int sym, int64_t last_booked)
{
    if (sym < 0 || sym >= e->pf.n_sym)
        return;
    struct funding_state *fs = &e->pf.sym[sym].funding;
    if (last_booked > fs->last_booked)
        fs->last_booked = last_booked;
}
