/* What the UI, a script or a webhook may ask of the engine, applied at event time:
 * orders through the portfolio, signal take/dismiss, webhook signals, a reloaded
 * configuration, and instruments (`:add` or the venue's exchange details). */
#include "engine_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void on_signal_command(struct engine *e, const struct command *c)
{
    bool take = c->type == CMD_SIGNAL_TAKE;
    if ((take ? signal_take : signal_dismiss)(e->sig, c->signal_id) != 0) {
        engine_note(e, "decision", -1, "no new signal #%llu to %s", (unsigned long long)c->signal_id,
             take ? "take" : "dismiss");
        return;
    }
    const struct signal *g = &e->sig->ev[0].s;
    engine_signal_record(e, g);
    engine_note(e, "decision", g->sym, "signal #%llu %s %s %s %s", (unsigned long long)g->id, take ? "taken:" : "dismissed:",
         g->side > 0 ? "LONG" : "SHORT", e->sym[g->sym]->inst.symbol, tf_name(g->tf));
}

/* An inbound webhook alert. It is journalled and enters the signal queue as a
 * signal of source "webhook" (for the user to take or dismiss, like the
 * engine's own); it trades only when webhook.auto_take was explicitly on, and
 * then through the same order path as a key press. */
static void on_webhook_signal(struct engine *e, const struct command *c)
{
    int s = engine_symbol(e, c->symbol);
    char lv[96] = "";
    size_t n = 0;
    if (c->price > 0)
        n += (size_t)snprintf(lv + n, sizeof lv - n, " @ %s", engine_px(e, s, c->price).s);
    if (c->stop_loss > 0 && n < sizeof lv)
        n += (size_t)snprintf(lv + n, sizeof lv - n, " sl=%s", engine_px(e, s, c->stop_loss).s);
    if (c->tp[0] > 0 && n < sizeof lv)
        n += (size_t)snprintf(lv + n, sizeof lv - n, " tp=%s", engine_px(e, s, c->tp[0]).s);
    if (c->timeframe[0] && n < sizeof lv)
        snprintf(lv + n, sizeof lv - n, " %s", c->timeframe);
    const char *side = c->side > 0 ? "BUY" : "SELL";
    if (s < 0) {
        engine_note(e, "decision", -1, "webhook signal %s %s%s ignored: symbol not in this session", side, c->symbol, lv);
        return;
    }
    engine_note(e, "decision", s, "webhook signal %s %s%s %s%s%s", side, c->symbol, lv,
         c->auto_take ? "auto-take" : "queued for review", c->text[0] ? ": " : "", c->text);
    engine_alert(e, ALERT_SIGNAL, s, NAN, "webhook signal %s %s%s", side, c->symbol, lv);
    struct signal g;
    memset(&g, 0, sizeof g);
    int tf = c->timeframe[0] ? tf_parse(c->timeframe) : -1;
    g.sym = (int16_t)s;
    g.tf = (int16_t)(tf >= 0 ? tf : TF_1M);
    g.side = (int8_t)(c->side > 0 ? 1 : -1);
    g.entry = c->price > 0 ? c->price : e->sym[s]->last;
    g.stop = c->stop_loss > 0 ? c->stop_loss : 0;
    g.tp[0] = c->tp[0] > 0 ? c->tp[0] : 0;
    g.ind = (struct signal_ind){ NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN };
    if (g.stop > 0 && g.tp[0] > 0 && g.entry != g.stop)
        g.rr = fabs(g.tp[0] - g.entry) / fabs(g.entry - g.stop);
    if (signal_submit(e->sig, &g, e->now) == 0) {
        engine_signal_events(e);
        if (c->auto_take && signal_take(e->sig, g.id) == 0)
            engine_signal_record(e, &e->sig->ev[0].s);
    } else {
        engine_note(e, "decision", s, "webhook signal %s %s not queued: the signal queue is full", side, c->symbol);
    }
    if (c->auto_take) {
        /* the same path as a key press: sizing, risk, broker; its stop and target attached */
        struct command m = { .type = CMD_ORDER, .side = c->side, .order_type = ORDER_MARKET,
                             .stop_loss = c->stop_loss, .tp = { c->tp[0] }, .source = SRC_WEBHOOK };
        memcpy(m.symbol, c->symbol, SYMBOL_MAX);
        engine_on_command(e, &m);
    }
}

/* Orders that add risk wait while the disk cannot record them; closing never does.
 * An amend may add risk (a larger size, an entry nearer the market) and its new
 * values must reach the stored book, so it waits too. */
static bool opens_risk(const struct command *c)
{
    return ((c->type == CMD_MARKET_ORDER || c->type == CMD_ORDER) && !c->reduce_only) || c->type == CMD_MODIFY;
}

/* Indicators of one series recomputed with new periods over the candles held
 * (values kept for the newest `history`); the rings are re-sized for the new
 * periods. Out of memory, the old set stays. */
static void rebuild_indicators(struct engine *e, int s, int tf)
{
    struct tf_state *ts = &e->sym[s]->tf[tf];
    struct ta_set fresh;
    if (ta_set_init_params(&fresh, &e->sym[s]->prof.ta) != 0) {
        engine_note(e, "decision", s, "out of memory: indicators keep their old periods");
        return;
    }
    ta_set_free(&ts->ta);
    ts->ta = fresh;
    size_t first = ts->closed.len - engine_vals_len(ts);
    struct ta_values older;
    for (size_t i = 0; i < ts->closed.len; i++)
        ta_set_push(&ts->ta, series_at(&ts->closed, i), i >= first ? &ts->vals[engine_vals_slot(ts, i)] : &older);
}

/* The signal pipeline's state of one symbol rebuilt under new thresholds: regimes,
 * levels and divergences replayed over the candles held, with the values kept
 * and, for the older candles, values recomputed from the oldest held on. */
static void rebuild_signal_state(struct engine *e, int s)
{
    if (signal_engine_set_params(e->sig, s, &e->sym[s]->prof.signal) != 0)
        engine_note(e, "decision", s, "out of memory: some regimes keep their old settings");
    bool was = e->sig->analysis_only;
    e->sig->analysis_only = true;
    for (int tf = 0; tf < TF_COUNT; tf++) {
        struct tf_state *ts = &e->sym[s]->tf[tf];
        size_t first = ts->closed.len - engine_vals_len(ts);
        struct ta_set older;
        bool replay = first > 0;
        if (replay && ta_set_init_params(&older, &e->sym[s]->prof.ta) != 0) {
            engine_note(e, "decision", s, "out of memory: regimes rebuilt from the newest candles only");
            replay = false;
        }
        for (size_t i = replay ? 0 : first; i < ts->closed.len; i++) {
            struct ta_values v;
            if (i < first)
                ta_set_push(&older, series_at(&ts->closed, i), &v);
            signal_on_candle(e->sig, s, tf, series_at(&ts->closed, i),
                             i < first ? &v : &ts->vals[engine_vals_slot(ts, i)], NULL, 0);
        }
        if (replay)
            ta_set_free(&older);
    }
    e->sig->analysis_only = was;
    e->sig->nev = 0;
}

/* A reloaded configuration (the engine keeps it): costs, sizing, risk limits and
 * each symbol's profile apply from the next event; the account itself (balance,
 * currency) does not change. */
static void on_settings(struct engine *e, struct config *c)
{
    struct engine_config nc = e->cfg;
    engine_config_from_file(c, &nc);
    free(e->conf);
    e->conf = c;
    e->cfg.file = c;
    e->cfg.fee_bps = nc.fee_bps;
    e->cfg.maker_bps = nc.maker_bps;
    e->cfg.slip_bps = nc.slip_bps;
    e->cfg.slip_range = nc.slip_range;
    e->cfg.order_notional = nc.order_notional;
    e->cfg.risk = nc.risk;
    e->pf.cfg.costs = (struct broker_costs){ .maker_bps = nc.maker_bps, .taker_bps = nc.fee_bps,
                                             .slip_bps = nc.slip_bps, .slip_range = nc.slip_range };
    e->pf.cfg.limits = nc.risk;
    e->pf.cfg.order_notional = nc.order_notional;
    e->pf.cfg.size_method = e->cfg.size_method = nc.size_method;
    e->pf.cfg.size_value = e->cfg.size_value = nc.size_value;
    int rebuilt = 0, resignal = 0;
    for (int s = 0; s < e->cfg.n_symbols; s++) {
        struct sym_state *ss = e->sym[s];
        struct engine_profile old = ss->prof;
        engine_profile_resolve(c, ss->inst.symbol, &ss->prof);
        portfolio_set_limits(&e->pf, s, ss->prof.own_risk ? &ss->prof.risk : NULL);
        bool periods = memcmp(&old.ta, &ss->prof.ta, sizeof old.ta) != 0;
        if (periods) {
            for (int tf = 0; tf < TF_COUNT; tf++)
                rebuild_indicators(e, s, tf);
            rebuilt++;
        }
        if (periods || memcmp(&old.signal, &ss->prof.signal, sizeof old.signal) != 0) {
            rebuild_signal_state(e, s);
            resignal++;
        }
    }
    engine_note(e, "decision", -1, "config reloaded: %s%scosts, sizing, risk limits, patterns apply now",
         rebuilt ? "indicators recomputed with new periods; " : "",
         resignal ? "signal settings and regimes rebuilt; " : "");
}

/* The command kinds the paper account handles, in both directions: a command's
 * order fields travel unchanged. */
static const int req_of_cmd[][2] = {
    { CMD_MARKET_ORDER, REQ_MARKET_ORDER }, { CMD_CLOSE, REQ_CLOSE }, { CMD_ORDER, REQ_ORDER },
    { CMD_CANCEL, REQ_CANCEL },             { CMD_MODIFY, REQ_MODIFY }, { CMD_EXITS, REQ_EXITS },
    { CMD_KILL, REQ_KILL },                 { CMD_UNLOCK, REQ_UNLOCK },
};
#define N_REQ (sizeof req_of_cmd / sizeof req_of_cmd[0])

bool engine_request_of_command(const struct command *c, struct order_request *r)
{
    size_t i = 0;
    while (i < N_REQ && req_of_cmd[i][0] != c->type)
        i++;
    if (i == N_REQ)
        return false;
    *r = (struct order_request){
        .type = req_of_cmd[i][1], .side = c->side, .qty = c->qty, .price = c->price, .order_type = c->order_type,
        .size_method = c->size_method, .size = c->size, .atr_mult = c->atr_mult, .stop_loss = c->stop_loss,
        .trail = c->trail, .trail_atr = c->trail_atr, .reduce_only = c->reduce_only, .source = c->source,
        .order_id = c->order_id,
    };
    memcpy(r->text, c->text, sizeof r->text);
    memcpy(r->tp, c->tp, sizeof r->tp);
    memcpy(r->tp_frac, c->tp_frac, sizeof r->tp_frac);
    return true;
}

bool engine_command_of_request(const struct order_request *r, const char *symbol, struct command *c)
{
    size_t i = 0;
    while (i < N_REQ && req_of_cmd[i][1] != r->type)
        i++;
    if (i == N_REQ)
        return false;
    *c = (struct command){
        .type = req_of_cmd[i][0], .side = r->side, .qty = r->qty, .price = r->price, .order_type = r->order_type,
        .size_method = r->size_method, .size = r->size, .atr_mult = r->atr_mult, .stop_loss = r->stop_loss,
        .trail = r->trail, .trail_atr = r->trail_atr, .reduce_only = r->reduce_only, .source = r->source,
        .order_id = r->order_id,
    };
    snprintf(c->symbol, sizeof c->symbol, "%s", symbol);
    memcpy(c->text, r->text, sizeof c->text);
    memcpy(c->tp, r->tp, sizeof c->tp);
    memcpy(c->tp_frac, r->tp_frac, sizeof c->tp_frac);
    return true;
}

void engine_on_command(struct engine *e, const struct command *c)
{
    if (c->type == CMD_SETTINGS) {
        if (c->payload)
            on_settings(e, c->payload);      /* the engine keeps it */
        return;
    }
    if (c->type == CMD_WEBHOOK_SIGNAL) {
        on_webhook_signal(e, c);
        return;
    }
    if (c->type == CMD_SIGNAL_TAKE || c->type == CMD_SIGNAL_DISMISS) {
        on_signal_command(e, c);
        return;
    }
    int s = engine_symbol(e, c->symbol);
    char what[200];
    snprintf(what, sizeof what, "command %d %s side %d qty %.17g price %.17g stop %.17g", c->type,
             c->symbol[0] ? c->symbol : "-", c->side, c->qty, c->price, c->stop_loss);
    if (c->order_id)
        snprintf(what + strlen(what), sizeof what - strlen(what), " order %llu", (unsigned long long)c->order_id);
    engine_journal(e, "command", s, what);
    if (s < 0 && c->type != CMD_KILL && c->type != CMD_UNLOCK) {
        engine_note(e, "decision", -1, "unknown symbol %s", c->symbol);
        return;
    }
    const char *why = opens_risk(c) ? engine_storage_refuses(e) : NULL;
    if (why) {
        engine_note(e, "decision", s, "rejected: %s", why);
        return;
    }
    struct order_request r;
    if (!engine_request_of_command(c, &r)) {
        engine_note(e, "decision", s, "unknown command %d", c->type);
        return;
    }
    /* every order, whatever its source, goes sizing -> risk -> broker in here */
    portfolio_request(&e->pf, s, &r, e->now);
}

void engine_on_instrument(struct engine *e, const struct instrument *in)
{
    int s = engine_symbol(e, in->symbol);
    if (s >= 0) {
        struct instrument *cur = &e->sym[s]->inst;
        if (in->base[0])
            snprintf(cur->base, sizeof cur->base, "%s", in->base);
        if (in->quote[0])
            snprintf(cur->quote, sizeof cur->quote, "%s", in->quote);
        if (in->market[0])
            snprintf(cur->market, sizeof cur->market, "%s", in->market);
        if (in->tick > 0)                     /* 0: not known by the sender (the store feed's guess) */
            cur->tick = in->tick;
        if (in->step > 0)
            cur->step = in->step;
        if (in->min_notional > 0)
            cur->min_notional = in->min_notional;
        cur->perpetual = in->perpetual;
        engine_paper_symbol(e, s);
        return;
    }
    if (e->cfg.n_symbols >= e->cfg.max_symbols) {
        engine_note(e, "decision", -1, "cannot add %s: %d symbols is the maximum (feed.max_symbols)", in->symbol,
                    e->cfg.max_symbols);
        return;
    }
    s = e->cfg.n_symbols;
    if (engine_reserve(e, s + 1) != 0 || portfolio_reserve(&e->pf, s + 1) != 0) {
        engine_note(e, "decision", -1, "cannot add %s: out of memory", in->symbol);
        return;
    }
    if (engine_symbol_init(e, s, in)) {
        engine_symbol_free(e, s);
        engine_note(e, "decision", -1, "cannot add %s: out of memory", in->symbol);
        return;
    }
    if (signal_engine_add_symbol(e->sig, &e->sym[s]->prof.signal) != s) {   /* same index: both count from 0 */
        engine_symbol_free(e, s);
        engine_note(e, "decision", -1, "cannot add %s: out of memory", in->symbol);
        return;
    }
    e->cfg.n_symbols++;
    engine_paper_symbol(e, s);
    portfolio_set_limits(&e->pf, s, e->sym[s]->prof.own_risk ? &e->sym[s]->prof.risk : NULL);
    engine_note(e, "decision", s, "added symbol %s", in->symbol);
}
