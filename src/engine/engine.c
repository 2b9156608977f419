/* engine_step and the per-event pipeline: validate the 1m kline, update the 1m
 * series and the higher timeframes built from it, indicators, then the paper
 * broker. Only closed candles change the series; a forming candle is kept aside
 * and overlaid when a snapshot is taken. Nothing here does I/O or reads a clock. */
#include "alphapulse/engine.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alphapulse/aggregate.h"
#include "alphapulse/patterns.h"
#include "alphapulse/record.h"
#include "alphapulse/series.h"
#include "alphapulse/signal.h"
#include "alphapulse/ta_set.h"

/* Everything computed for one series. The value and mark rings run parallel to
 * the candle ring (same slot), so a snapshot copies them side by side. */
struct tf_state {
    struct series closed;
    struct ta_values *vals;
    struct snap_mark *marks;          /* strongest pattern of each closed candle */
    struct ta_set ta;
    struct cdl_state cdl;
    struct aggregator agg;            /* unused for 1m */
};

struct sym_state {
    struct instrument inst;
    struct tf_state tf[TF_COUNT];
    bool has_forming;                 /* forming 1m candle */
    struct candle forming;
    double last;
    int64_t last_time;
};

struct engine {
    struct engine_config cfg;
    struct spsc *records;
    uint64_t records_dropped;
    int64_t now;
    struct sym_state sym[ENGINE_MAX_SYMBOLS];
    struct broker broker;
    struct signal_engine *sig;        /* regimes, confluence, voters, signals, outcomes */
    bool loading;                     /* restoring stored history: no signals */
    uint64_t events, rejected, fills;
    char feed_state[64];
    int n_log;
    char log[SNAP_LOG][160];
};

void engine_config_defaults(struct engine_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    snprintf(cfg->account_ccy, sizeof cfg->account_ccy, "USDT");
    cfg->balance = 10000;
    cfg->fee_bps = 10;
    cfg->order_notional = 1000;
    cfg->history = SNAP_CANDLES;
}

static void emit(struct engine *e, const struct record *r)
{
    if (!e->records || !spsc_push(e->records, r))
        e->records_dropped++;
}

static void note(struct engine *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void note(struct engine *e, const char *fmt, ...)
{
    char msg[160];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (e->n_log == SNAP_LOG) {
        memmove(e->log[0], e->log[1], sizeof e->log[0] * (SNAP_LOG - 1));
        e->n_log--;
    }
    snprintf(e->log[e->n_log++], sizeof e->log[0], "%s", msg);
    struct record r = { .type = REC_JOURNAL, .time = e->now };
    snprintf(r.u.text, sizeof r.u.text, "%s", msg);
    emit(e, &r);
}

/* An engine decision for the journal only (not the on-screen log). */
static void journal(struct engine *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void journal(struct engine *e, const char *fmt, ...)
{
    struct record r = { .type = REC_JOURNAL, .time = e->now };
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r.u.text, sizeof r.u.text, fmt, ap);
    va_end(ap);
    emit(e, &r);
}

static void signal_record(struct engine *e, const struct signal *g)
{
    struct record r = { .type = REC_SIGNAL, .time = e->now, .tf = g->tf };
    memcpy(r.symbol, e->sym[g->sym].inst.symbol, SYMBOL_MAX);
    r.u.signal = (struct record_signal){
        .id = g->id, .candle_time = g->candle_time, .expires = g->expires, .outcome_time = g->outcome_time,
        .side = g->side, .state = g->state, .outcome = g->outcome, .best_tp = g->best_tp,
        .stop_kind = g->stop_kind, .trend_alignment = g->trend_alignment, .regime = g->regime,
        .voters = g->voters, .pattern = g->pattern, .volume_confirmed = g->volume_confirmed,
        .confidence = g->confidence, .regime_conf = g->regime_conf, .htf_score = g->htf_score,
        .entry = g->entry, .stop = g->stop, .tp = { g->tp[0], g->tp[1], g->tp[2], g->tp[3] }, .rr = g->rr,
        .rsi = g->ind.rsi, .macd_hist = g->ind.macd_hist, .atr = g->ind.atr, .adx = g->ind.adx,
        .bb_width = g->ind.bb_width, .volume_ratio = g->ind.volume_ratio, .ema20 = g->ind.ema20,
        .ema50 = g->ind.ema50, .ema200 = g->ind.ema200,
    };
    emit(e, &r);
}

/* What the signal pipeline produced on the last call: records and journal lines. */
static void signal_events(struct engine *e)
{
    for (int i = 0; i < e->sig->nev; i++) {
        const struct signal_event *ev = &e->sig->ev[i];
        const struct signal *g = &ev->s;
        signal_record(e, g);
        const char *sym = e->sym[g->sym].inst.symbol;
        if (ev->kind == SIGEV_NEW)
            journal(e, "signal #%llu %s %s %s conf %.3f entry %.10g stop %.10g tp2 %.10g rr %.2f",
                    (unsigned long long)g->id, g->side > 0 ? "LONG" : "SHORT", sym, tf_name(g->tf),
                    g->confidence, g->entry, g->stop, g->tp[1], g->rr);
        else if (ev->kind == SIGEV_OUTCOME)
            journal(e, "signal #%llu %s %s outcome %s", (unsigned long long)g->id, sym, tf_name(g->tf),
                    signal_outcome_name(g->outcome));
        else if (g->state == SIG_EXPIRED)
            journal(e, "signal #%llu %s %s expired", (unsigned long long)g->id, sym, tf_name(g->tf));
    }
}

struct engine *engine_create(const struct engine_config *cfg, struct spsc *records)
{
    struct engine *e = calloc(1, sizeof *e);
    if (!e)
        return NULL;
    e->cfg = *cfg;
    if (e->cfg.history < 16)
        e->cfg.history = 16;
    e->records = records;
    e->now = 0;
    snprintf(e->feed_state, sizeof e->feed_state, "starting");
    for (int s = 0; s < cfg->n_symbols; s++) {
        e->sym[s].inst = cfg->inst[s];
        for (int t = 0; t < TF_COUNT; t++) {
            struct tf_state *ts = &e->sym[s].tf[t];
            if (series_init(&ts->closed, e->cfg.history) ||
                !(ts->vals = calloc(e->cfg.history, sizeof *ts->vals)) ||
                !(ts->marks = calloc(e->cfg.history, sizeof *ts->marks))) {
                engine_destroy(e);
                return NULL;
            }
            ta_set_init(&ts->ta);
            cdl_init(&ts->cdl);
            agg_init(&ts->agg, t);
        }
    }
    e->sig = signal_engine_create(cfg->n_symbols, NULL);
    if (!e->sig) {
        engine_destroy(e);
        return NULL;
    }
    broker_init(&e->broker, cfg->balance, cfg->fee_bps);
    return e;
}

void engine_destroy(struct engine *e)
{
    if (!e)
        return;
    for (int s = 0; s < e->cfg.n_symbols; s++)
        for (int t = 0; t < TF_COUNT; t++) {
            series_free(&e->sym[s].tf[t].closed);
            free(e->sym[s].tf[t].vals);
            free(e->sym[s].tf[t].marks);
        }
    signal_engine_destroy(e->sig);
    free(e);
}

int engine_symbol(const struct engine *e, const char *name)
{
    for (int s = 0; s < e->cfg.n_symbols; s++)
        if (strcmp(e->sym[s].inst.symbol, name) == 0)
            return s;
    return -1;
}

int engine_symbol_count(const struct engine *e) { return e->cfg.n_symbols; }
const char *engine_symbol_name(const struct engine *e, int sym) { return e->sym[sym].inst.symbol; }
const struct broker *engine_broker(const struct engine *e) { return &e->broker; }
uint64_t engine_records_dropped(const struct engine *e) { return e->records_dropped; }

int64_t engine_last_closed(const struct engine *e, int sym, int tf)
{
    const struct candle *c = series_last(&e->sym[sym].tf[tf].closed);
    return c ? c->open_time : -1;
}

void engine_set_feed_state(struct engine *e, const char *state)
{
    snprintf(e->feed_state, sizeof e->feed_state, "%s", state);
}

/* The strongest pattern of the candle, for the chart marker. */
static struct snap_mark strongest(const struct cdl_hit *h, int n)
{
    struct snap_mark m = { .id = -1 };
    double best = -1;
    for (int i = 0; i < n; i++)
        if (h[i].strength > best) {
            best = h[i].strength;
            m = (struct snap_mark){ .id = (int16_t)h[i].id, .value = (int16_t)h[i].value,
                                    .strength = (float)h[i].strength,
                                    .volume_confirmed = h[i].volume_confirmed, .trend = (int8_t)h[i].trend };
        }
    m.count = (int16_t)n;
    return m;
}

/* A closed candle enters its series; every indicator and pattern advances by one. */
static void close_candle(struct engine *e, int s, int tf, const struct candle *c, bool record)
{
    struct tf_state *ts = &e->sym[s].tf[tf];
    series_push(&ts->closed, c);
    size_t slot = (ts->closed.head + ts->closed.len - 1) % ts->closed.cap;
    ta_set_push(&ts->ta, c, &ts->vals[slot]);
    struct cdl_hit hits[CDL_COUNT];
    int n = cdl_push_hits(&ts->cdl, c, hits, CDL_COUNT);
    ts->marks[slot] = strongest(hits, n);
    /* the signal pipeline hook: regime, levels, confluence, voters, consensus, outcomes */
    e->sig->analysis_only = e->loading;
    signal_on_candle(e->sig, s, tf, c, &ts->vals[slot], hits, n);
    signal_events(e);
    if (record) {
        struct record r = { .type = REC_CANDLE, .time = e->now, .tf = tf, .u.candle = *c };
        memcpy(r.symbol, e->sym[s].inst.symbol, SYMBOL_MAX);
        emit(e, &r);
    }
}

/* record_1m is false when the 1m candle came from storage: the higher timeframes
 * it completes are still recorded, in case a crash lost them. */
static void close_1m(struct engine *e, int s, const struct candle *c, bool record_1m)
{
    close_candle(e, s, TF_1M, c, record_1m);
    for (int tf = TF_1M + 1; tf < TF_COUNT; tf++) {
        struct tf_state *ts = &e->sym[s].tf[tf];
        const struct candle *last = series_last(&ts->closed);
        if (last && tf_floor(tf, c->open_time) <= last->open_time)
            continue;                 /* bucket already closed (restored history) */
        struct candle done;
        if (agg_push_closed(&ts->agg, c, &done))
            close_candle(e, s, tf, &done, true);
    }
}

void engine_load_candle(struct engine *e, int s, int tf, const struct candle *c)
{
    if (s < 0 || s >= e->cfg.n_symbols || tf < 0 || tf >= TF_COUNT)
        return;
    int64_t last = engine_last_closed(e, s, tf);
    if (c->open_time <= last)
        return;
    e->loading = true;
    if (tf == TF_1M) {
        close_1m(e, s, c, false);     /* rebuilds the forming higher-timeframe buckets */
    } else {
        close_candle(e, s, tf, c, false);
    }
    e->loading = false;
    e->sym[s].last = c->close;
    e->sym[s].last_time = c->open_time;
}

void engine_restore(struct engine *e, double balance, int sym, const struct position *p)
{
    e->broker.balance = balance;
    if (sym >= 0 && sym < e->cfg.n_symbols && p)
        e->broker.pos[sym] = *p;
}

void engine_set_signal_params(struct engine *e, int sym, const struct signal_params *p)
{
    signal_engine_set_params(e->sig, sym, p);
}

void engine_restore_signal(struct engine *e, const struct signal *s)
{
    signal_restore(e->sig, s);
}

void engine_restore_ids(struct engine *e, uint64_t next_order, uint64_t next_fill)
{
    if (next_order > e->broker.next_order)
        e->broker.next_order = next_order;
    if (next_fill > e->broker.next_fill)
        e->broker.next_fill = next_fill;
}

static bool usd_like(const char *c)
{
    static const char *const usd[] = { "USD", "USDT", "USDC", "BUSD", "FDUSD" };
    for (size_t i = 0; i < sizeof usd / sizeof usd[0]; i++)
        if (strcmp(c, usd[i]) == 0)
            return true;
    return false;
}

/* Value of one unit of sym's quote currency in the account currency; 0 if unknown. */
static double quote_value(const struct engine *e, int s)
{
    const char *q = e->sym[s].inst.quote, *acct = e->cfg.account_ccy;
    if (strcmp(q, acct) == 0 || (usd_like(q) && usd_like(acct)))
        return 1.0;
    for (int i = 0; i < e->cfg.n_symbols; i++) {
        const struct instrument *in = &e->sym[i].inst;
        if (strcmp(in->base, q) == 0 && (strcmp(in->quote, acct) == 0 ||
                                          (usd_like(in->quote) && usd_like(acct))))
            return e->sym[i].last;
    }
    return 0;
}

static void on_price(struct engine *e, int s)
{
    struct broker_fill f;
    double conv = quote_value(e, s);
    if (conv <= 0 || !broker_on_price(&e->broker, s, e->sym[s].last, conv, &f))
        return;
    e->fills++;
    const struct position *p = &e->broker.pos[s];
    struct record r = { .type = REC_FILL, .time = e->now };
    memcpy(r.symbol, e->sym[s].inst.symbol, SYMBOL_MAX);
    r.u.fill = (struct record_fill){
        .id = f.id, .order_id = f.order_id, .side = f.side, .qty = f.qty, .price = f.price,
        .fee = f.fee, .realized = f.realized, .pos_qty = p->qty, .pos_avg = p->avg,
        .pos_realized = p->realized, .pos_fees = p->fees, .balance = e->broker.balance,
    };
    emit(e, &r);
    note(e, "filled %s %.6g %s @ %.10g fee %.4f %s", f.side > 0 ? "BUY" : "SELL", f.qty,
         e->sym[s].inst.symbol, f.price, f.fee, e->cfg.account_ccy);
}

static void on_kline(struct engine *e, const struct kline_event *k)
{
    int s = engine_symbol(e, k->symbol);
    if (s < 0 || k->tf != TF_1M || candle_check(&k->c) != CANDLE_OK) {
        e->rejected++;
        return;
    }
    struct sym_state *ss = &e->sym[s];
    int64_t last = engine_last_closed(e, s, TF_1M);
    if (k->c.open_time <= last || (ss->has_forming && k->c.open_time < ss->forming.open_time)) {
        e->rejected++;                /* duplicate or out of order */
        return;
    }
    if (k->event_time > e->now)
        e->now = k->event_time;
    if (k->closed) {
        close_1m(e, s, &k->c, true);
        ss->has_forming = false;
    } else {
        ss->forming = k->c;
        ss->has_forming = true;
    }
    ss->last = k->c.close;
    ss->last_time = k->c.open_time;
    on_price(e, s);
}

static void on_signal_command(struct engine *e, const struct command *c)
{
    bool take = c->type == CMD_SIGNAL_TAKE;
    if ((take ? signal_take : signal_dismiss)(e->sig, c->signal_id) != 0) {
        note(e, "no new signal #%llu to %s", (unsigned long long)c->signal_id, take ? "take" : "dismiss");
        return;
    }
    const struct signal *g = &e->sig->ev[0].s;
    signal_record(e, g);
    note(e, "signal #%llu %s %s %s %s", (unsigned long long)g->id, take ? "taken:" : "dismissed:",
         g->side > 0 ? "LONG" : "SHORT", e->sym[g->sym].inst.symbol, tf_name(g->tf));
}

static void on_command(struct engine *e, const struct command *c)
{
    if (c->type == CMD_SIGNAL_TAKE || c->type == CMD_SIGNAL_DISMISS) {
        on_signal_command(e, c);
        return;
    }
    int s = engine_symbol(e, c->symbol);
    if (s < 0) {
        note(e, "unknown symbol %s", c->symbol);
        return;
    }
    struct sym_state *ss = &e->sym[s];
    double conv = quote_value(e, s);
    int side = c->side;
    double qty = c->qty;
    if (c->type == CMD_CLOSE) {
        double pq = e->broker.pos[s].qty;
        if (pq == 0) {
            note(e, "no position in %s to close", ss->inst.symbol);
            return;
        }
        side = pq > 0 ? -1 : 1;
        qty = fabs(pq);
    } else if (qty <= 0) {
        if (!(ss->last > 0) || !(conv > 0)) {
            note(e, "rejected: no %s price yet to size the order", conv > 0 ? ss->inst.symbol : ss->inst.quote);
            return;
        }
        qty = e->cfg.order_notional / (ss->last * conv);
    }
    if (!(conv > 0)) {
        note(e, "rejected: no price to value %s in %s", ss->inst.quote, e->cfg.account_ccy);
        return;
    }
    uint64_t id = broker_market(&e->broker, s, side, qty, e->now);
    if (!id) {
        note(e, "rejected: an order for %s is already pending", ss->inst.symbol);
        return;
    }
    note(e, "order #%llu %s %s %.6g %s at market", (unsigned long long)id,
         c->type == CMD_CLOSE ? "close" : "market", side > 0 ? "BUY" : "SELL", qty, ss->inst.symbol);
}

void engine_step(struct engine *e, const struct engine_event *ev)
{
    e->events++;
    if (ev->type == EE_KLINE)
        on_kline(e, &ev->u.k);
    else if (ev->type == EE_COMMAND)
        on_command(e, &ev->u.cmd);
    else if (ev->type == EE_FEED_STATE)
        engine_set_feed_state(e, ev->u.state);
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
            const struct candle *last = series_last(&e->sym[s].tf[t].closed);
            struct snap_regime *r = &out->regime[t];
            r->regime = (int8_t)g->regime;
            r->dir = (int8_t)g->dir;
            r->align = (int8_t)g->align;
            r->trend = (int8_t)(g->slope > 0 ? 1 : g->slope < 0 ? -1 : 0);
            r->confidence = (float)g->confidence;
            r->age = g->age;
            r->rsi = NAN;
            if (last) {
                const struct tf_state *ts = &e->sym[s].tf[t];
                size_t slot = (ts->closed.head + ts->closed.len - 1) % ts->closed.cap;
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
        const struct sym_state *ss = &e->sym[s];
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
        size_t n = ts->closed.len < room ? ts->closed.len : room;
        size_t first = ts->closed.len - n;
        for (size_t i = 0; i < n; i++) {
            size_t slot = (ts->closed.head + first + i) % ts->closed.cap;
            out->candles[i] = ts->closed.buf[slot];
            out->ta[i] = ts->vals[slot];
            out->mark[i] = ts->marks[slot];
            out->ema[i] = out->ta[i].ema_20;
            out->rsi[i] = out->ta[i].rsi_14;
        }
        if (has_forming) {
            /* what the indicators would say if the candle closed now; the
             * engine's own state is untouched (patterns wait for the close) */
            static _Thread_local struct ta_set tmp;
            tmp = ts->ta;
            out->candles[n] = forming;
            ta_set_push(&tmp, &forming, &out->ta[n]);
            out->mark[n] = (struct snap_mark){ .id = -1 };
            out->ema[n] = out->ta[n].ema_20;
            out->rsi[n] = out->ta[n].rsi_14;
            n++;
        }
        out->n_candles = (int)n;
        out->last_forming = has_forming;
    }
    snapshot_signals(e, s, out);
    out->n_symbols = e->cfg.n_symbols;
    double upnl = 0, realized = 0, fees = 0;
    for (int i = 0; i < e->cfg.n_symbols; i++) {
        const struct sym_state *ss = &e->sym[i];
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
        const struct position *p = &e->broker.pos[i];
        o->pos_qty = p->qty;
        o->pos_avg = p->avg;
        o->pos_realized = p->realized;
        o->pos_upnl = broker_unrealized(&e->broker, i, ss->last, quote_value(e, i));
        o->order_pending = e->broker.pending[i].active;
        o->confluence = (float)e->sig->confluence[i];
        upnl += o->pos_upnl;
        realized += p->realized;
        fees += p->fees;
    }
    snprintf(out->account_ccy, sizeof out->account_ccy, "%s", e->cfg.account_ccy);
    out->balance = e->broker.balance;
    out->unrealized = upnl;
    out->equity = e->broker.balance + upnl;
    out->realized = realized;
    out->fees = fees;
    out->events = e->events;
    out->rejected = e->rejected;
    out->fills = e->fills;
    snprintf(out->feed_state, sizeof out->feed_state, "%s", e->feed_state);
    out->n_log = e->n_log;
    memcpy(out->log, e->log, sizeof out->log);
}
