/* What the UI may read: one consistent copy of the viewed series (the forming
 * candle overlaid with what its indicators would say), regimes and signals, the
 * watchlist, the account and the status log. Reads engine state, changes none. */
#include "engine_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int snapshot_reserve(struct snapshot *s, int n)
{
    if (n <= s->cap_symbols)
        return 0;
    int want = s->cap_symbols ? s->cap_symbols : 1;
    while (want < n)
        want *= 2;
    struct snap_symbol *t = realloc(s->symbols, sizeof *t * (size_t)want);
    if (!t)
        return -1;
    s->symbols = t;
    s->cap_symbols = want;
    return 0;
}

int snapshot_copy(struct snapshot *dst, const struct snapshot *src)
{
    int rc = snapshot_reserve(dst, src->n_symbols);
    struct snap_symbol *sym = dst->symbols;
    int cap = dst->cap_symbols;
    struct pf_view paper = dst->paper;
    memcpy(dst, src, sizeof *dst);
    dst->symbols = sym;
    dst->cap_symbols = cap;
    dst->paper = paper;
    if (rc == 0 && src->n_symbols > 0)
        memcpy(dst->symbols, src->symbols, sizeof *sym * (size_t)src->n_symbols);
    if (pf_view_copy(&dst->paper, &src->paper) != 0)
        rc = -1;
    if (rc != 0)
        dst->n_symbols = 0;
    return rc;
}

void snapshot_free(struct snapshot *s)
{
    if (!s)
        return;
    free(s->symbols);
    pf_view_free(&s->paper);
    free(s);
}

/* The last SNAP_SPARK closes of one symbol on one timeframe (the forming
 * candle last), for the watchlist's sparklines. */
static void snapshot_closes(const struct sym_state *ss, int tf, struct snap_symbol *o)
{
    o->n_closes = 0;
    if (tf < 0 || tf >= TF_COUNT)
        return;
    const struct tf_state *ts = &ss->tf[tf];
    struct candle forming;
    bool has_forming = ss->has_forming &&
        (tf == TF_1M ? (forming = ss->forming, true) : agg_forming(&ts->agg, &ss->forming, &forming));
    size_t room = SNAP_SPARK - (has_forming ? 1 : 0);
    size_t n = ts->closed.len < room ? ts->closed.len : room;
    for (size_t i = 0; i < n; i++)
        o->closes[i] = series_at(&ts->closed, ts->closed.len - n + i)->close;
    if (has_forming)
        o->closes[n++] = forming.close;
    o->n_closes = (int)n;
}

/* The scanner's columns of one symbol; tf is the viewed timeframe. */
static void snapshot_scan(const struct engine *e, int s, int tf, struct snap_symbol *o)
{
    const struct sym_state *ss = e->sym[s];
    const struct signal_engine *se = e->sig;
    const struct series *m1 = &ss->tf[TF_1M].closed, *h1 = &ss->tf[TF_1H].closed;
    double last = ss->last;
    o->chg_1h = o->chg_24h = o->vol_pct = o->rsi = o->sig_conf = o->sig_rr = NAN;
    if (m1->len > 60 && last > 0) {
        double then = series_at(m1, m1->len - 61)->close;
        o->chg_1h = then > 0 ? (float)(100 * (last / then - 1)) : NAN;
    }
    if (h1->len > 24 && last > 0) {
        double then = series_at(h1, h1->len - 25)->close;
        o->chg_24h = then > 0 ? (float)(100 * (last / then - 1)) : NAN;
    }
    o->qvol_24h = 0;
    for (size_t i = h1->len > 24 ? h1->len - 24 : 0; i < h1->len; i++) {
        const struct candle *c = series_at(h1, i);
        o->qvol_24h += c->quote_volume > 0 ? c->quote_volume : c->volume * c->close;
    }
    for (int t = 0; t < TF_COUNT; t++)
        o->regime[t] = (int8_t)se->ser[s][t].reg.regime;
    if (se->ser[s][TF_1H].reg.regime != REGIME_NONE)
        o->vol_pct = (float)se->ser[s][TF_1H].reg.atr_pct;
    o->pattern = -1;
    if (tf >= 0 && tf < TF_COUNT && ss->tf[tf].closed.len > 0) {
        const struct tf_state *ts = &ss->tf[tf];
        o->rsi = (float)ts->vals[engine_last_slot(ts)].rsi_14;
        for (size_t k = 0; k < 5 && k < engine_vals_len(ts) && o->pattern < 0; k++)
            o->pattern = ts->marks[engine_vals_slot(ts, ts->closed.len - 1 - k)].id;
    }
    for (int i = 0; i < se->nq; i++) {
        const struct signal *g = &se->queue[i];
        if (g->sym == s && g->state == SIGNAL_NEW && !(g->confidence <= o->sig_conf)) {
            o->sig_conf = g->confidence;
            o->sig_rr = (float)g->rr;
        }
    }
}

/* Regimes of the viewed symbol, the signal queue and the counters. */
static void snapshot_signals(const struct engine *e, int s, struct snapshot *out)
{
    const struct signal_engine *se = e->sig;
    memset(out->regime, 0, sizeof out->regime);
    for (int t = 0; t < TF_COUNT; t++)
        out->regime[t].regime = REGIME_NONE;
    out->confluence = 0;
    out->confluence_label = CONF_NEUTRAL;
    if (s >= 0 && s < e->cfg.n_symbols) {
        for (int t = 0; t < TF_COUNT; t++) {
            const struct regime_out *g = &se->ser[s][t].reg;
            const struct candle *last = series_last(&e->sym[s]->tf[t].closed);
            struct snap_regime *r = &out->regime[t];
            r->regime = (int8_t)g->regime;
            r->dir = (int8_t)g->dir;
            r->align = (int8_t)g->align;
            r->trend = (int8_t)(g->slope > 0 ? 1 : g->slope < 0 ? -1 : 0);
            r->confidence = (float)g->confidence;
            r->age = g->age;
            r->rsi = NAN;
            if (last) {
                const struct tf_state *ts = &e->sym[s]->tf[t];
                size_t slot = engine_last_slot(ts);
                r->rsi = (float)ts->vals[slot].rsi_14;
            }
            r->tf_score = (float)confluence_tf_score(g);
        }
        out->confluence = (float)se->confluence[s];
        out->confluence_label = (int8_t)confluence_label(&se->p[s].confluence, se->confluence[s]);
    }
    const struct signal *ranked[SNAP_SIGNALS];
    out->n_signals = signal_ranked(se, ranked, SNAP_SIGNALS);
    for (int i = 0; i < out->n_signals; i++)
        out->signals[i] = *ranked[i];
    struct snap_signal_stats *st = &out->sig;
    int64_t p50 = st->lat_p50_ns, p99 = st->lat_p99_ns;    /* filled by the engine thread */
    uint64_t ls = st->lat_samples;
    memset(st, 0, sizeof *st);
    st->candidates = se->stats.candidates;
    st->stale = se->stats.stale;
    st->emitted = se->stats.emitted;
    st->resolved = se->stats.resolved;
    st->hits = se->stats.hits;
    memcpy(st->rejected, se->stats.rejected, sizeof st->rejected);
    st->filter_rate = signal_filter_rate(&se->stats);
    st->hit_rate = signal_hit_rate(&se->stats);
    st->lat_p50_ns = p50;
    st->lat_p99_ns = p99;
    st->lat_samples = ls;
}

const struct signal_engine *engine_signals(const struct engine *e) { return e->sig; }

void engine_snapshot(const struct engine *e, int s, int tf, struct snapshot *out)
{
    out->now = e->now;
    out->sym = s;
    out->tf = tf;
    out->n_candles = 0;
    out->last_forming = false;
    if (s >= 0 && s < e->cfg.n_symbols && tf >= 0 && tf < TF_COUNT) {
        const struct sym_state *ss = e->sym[s];
        const struct tf_state *ts = &ss->tf[tf];
        struct candle forming;
        bool has_forming = false;
        if (ss->has_forming) {
            if (tf == TF_1M) {
                forming = ss->forming;
                has_forming = true;
            } else {
                has_forming = agg_forming(&ts->agg, &ss->forming, &forming);
            }
        }
        size_t room = SNAP_CANDLES - (has_forming ? 1 : 0);
        size_t have = engine_vals_len(ts);    /* the candles with values: the older ones are not shown */
        size_t n = have < room ? have : room;
        size_t first = ts->closed.len - n;
        for (size_t i = 0; i < n; i++) {
            size_t slot = engine_vals_slot(ts, first + i);
            out->candles[i] = *series_at(&ts->closed, first + i);
            out->ta[i] = ts->vals[slot];
            out->mark[i] = ts->marks[slot];
            out->ema[i] = out->ta[i].ema_20;
            out->rsi[i] = out->ta[i].rsi_14;
        }
        if (has_forming) {
            /* what the indicators would say if the candle closed now; the
             * engine's own state is untouched (patterns wait for the close) */
            struct ta_set tmp;
            out->candles[n] = forming;
            if (ta_set_copy(&tmp, &ts->ta) == 0) {
                ta_set_push(&tmp, &forming, &out->ta[n]);
                ta_set_free(&tmp);
            } else {
                for (int k = 0; k < TA_NCOLS; k++)          /* out of memory: no values */
                    ((double *)&out->ta[n])[k] = NAN;
            }
            out->mark[n] = (struct snap_mark){ .id = -1 };
            out->ema[n] = out->ta[n].ema_20;
            out->rsi[n] = out->ta[n].rsi_14;
            n++;
        }
        out->n_candles = (int)n;
        out->last_forming = has_forming;
    }
    snapshot_signals(e, s, out);
    out->n_symbols = snapshot_reserve(out, e->cfg.n_symbols) == 0 ? e->cfg.n_symbols : 0;
    out->money_seq = e->money_seq;
    out->durable_seq = engine_durable_seq(e);
    out->storage_failing = engine_storage_failing(e);
    double upnl = 0, realized = 0, fees = 0;
    for (int i = 0; i < out->n_symbols; i++) {
        const struct sym_state *ss = e->sym[i];
        struct snap_symbol *o = &out->symbols[i];
        memcpy(o->name, ss->inst.symbol, SYMBOL_MAX);
        snprintf(o->market, sizeof o->market, "%s", ss->inst.market);
        o->last = ss->last;
        o->last_time = ss->last_time;
        const struct candle *d = series_last(&ss->tf[TF_1D].closed);
        struct candle day;
        if (ss->has_forming && agg_forming(&ss->tf[TF_1D].agg, &ss->forming, &day))
            o->day_open = day.open;
        else if (ss->tf[TF_1D].agg.active)
            o->day_open = ss->tf[TF_1D].agg.acc.open;
        else
            o->day_open = d ? d->close : ss->last;
        const struct position *p = &e->pf.broker.pos[i];
        o->pos_qty = p->qty;
        o->pos_avg = p->avg;
        o->pos_realized = p->realized;
        o->pos_upnl = portfolio_unrealized(&e->pf, i);
        o->order_pending = broker_orders_for(&e->pf.broker, i) > 0;
        o->unsaved = e->sym_money_seq[i] > out->durable_seq;
        snapshot_closes(ss, TF_1H, o);
        snapshot_scan(e, i, tf, o);
        o->confluence = (float)e->sig->confluence[i];
        const struct funding_state *fs = &e->pf.sym[i].funding;
        o->perp = fs->perp;
        o->mark = fs->mark;
        o->index = fs->index;
        o->funding_rate = fs->rate;
        o->next_funding = fs->next_time;
        engine_depth_view(e, i, &o->book);
        upnl += o->pos_upnl;
        realized += p->realized;
        fees += p->fees;
    }
    engine_depth_levels(e, s, &out->depth);
    snprintf(out->account_ccy, sizeof out->account_ccy, "%s", e->cfg.account_ccy);
    out->balance = e->pf.broker.balance;
    out->unrealized = upnl;
    out->equity = e->pf.broker.balance + upnl;
    out->realized = realized;
    out->fees = fees;
    out->events = e->events;
    out->rejected = e->rejected;
    out->fills = e->fills;
    snprintf(out->feed_state, sizeof out->feed_state, "%s", e->feed_state);
    memcpy(out->feed_states, e->feed_states, sizeof out->feed_states);
    out->n_streams = e->n_streams;
    memcpy(out->streams, e->streams, sizeof e->streams[0] * (size_t)e->n_streams);
    out->n_log = e->n_log;
    memcpy(out->log, e->log, sizeof out->log);
    memcpy(out->log_time, e->log_time, sizeof out->log_time);
    portfolio_view(&e->pf, &out->paper);
}

bool engine_last_values(const struct engine *e, int s, int tf, struct candle *c, struct ta_values *v)
{
    if (s < 0 || s >= e->cfg.n_symbols || tf < 0 || tf >= TF_COUNT)
        return false;
    const struct tf_state *ts = &e->sym[s]->tf[tf];
    if (ts->closed.len == 0)
        return false;
    if (c)
        *c = *series_last(&ts->closed);
    if (v)
        *v = ts->vals[engine_last_slot(ts)];
    return true;
}
