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
#include "alphapulse/indicators.h"
#include "alphapulse/record.h"
#include "alphapulse/series.h"

#define EMA_PERIOD 20
#define RSI_PERIOD 14

struct tf_state {
    struct series closed;
    double *ema_v, *rsi_v;            /* parallel to closed's slots */
    struct ema ema;
    struct rsi rsi;
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
    cfg->history = 2000;
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
                !(ts->ema_v = calloc(e->cfg.history, sizeof(double))) ||
                !(ts->rsi_v = calloc(e->cfg.history, sizeof(double)))) {
                engine_destroy(e);
                return NULL;
            }
            ema_init(&ts->ema, EMA_PERIOD);
            rsi_init(&ts->rsi, RSI_PERIOD);
            agg_init(&ts->agg, t);
        }
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
            free(e->sym[s].tf[t].ema_v);
            free(e->sym[s].tf[t].rsi_v);
        }
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

/* A closed candle enters its series; indicators advance by one. */
static void close_candle(struct engine *e, int s, int tf, const struct candle *c, bool record)
{
    struct tf_state *ts = &e->sym[s].tf[tf];
    series_push(&ts->closed, c);
    size_t slot = (ts->closed.head + ts->closed.len - 1) % ts->closed.cap;
    ts->ema_v[slot] = ema_push(&ts->ema, c->close);
    ts->rsi_v[slot] = rsi_push(&ts->rsi, c->close);
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
    if (tf == TF_1M) {
        close_1m(e, s, c, false);     /* rebuilds the forming higher-timeframe buckets */
    } else {
        close_candle(e, s, tf, c, false);
    }
    e->sym[s].last = c->close;
    e->sym[s].last_time = c->open_time;
}

void engine_restore(struct engine *e, double balance, int sym, const struct position *p)
{
    e->broker.balance = balance;
    if (sym >= 0 && sym < e->cfg.n_symbols && p)
        e->broker.pos[sym] = *p;
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

static void on_command(struct engine *e, const struct command *c)
{
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
            out->ema[i] = ts->ema_v[slot];
            out->rsi[i] = ts->rsi_v[slot];
        }
        if (has_forming) {
            struct ema em = ts->ema;
            struct rsi rs = ts->rsi;
            out->candles[n] = forming;
            out->ema[n] = ema_push(&em, forming.close);
            out->rsi[n] = rsi_push(&rs, forming.close);
            n++;
        }
        out->n_candles = (int)n;
        out->last_forming = has_forming;
    }
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
        snapshot_closes(ss, TF_1H, o);
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
