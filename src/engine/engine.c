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
    struct engine_profile prof;       /* its profile: periods, patterns, signal rules, risk */
    struct tf_state tf[TF_COUNT];
    bool has_forming;                 /* forming 1m candle */
    struct candle forming;
    double last;
    int64_t last_time;
};

_Static_assert(ENGINE_MAX_SYMBOLS <= SIGNAL_MAX_SYMBOLS, "every engine symbol has a signal slot");

struct engine {
    struct engine_config cfg;
    struct config *conf;              /* the configuration in force (owned), or NULL */
    struct spsc *records;
    uint64_t records_dropped;
    struct spsc *alerts;
    uint64_t alerts_dropped;
    uint64_t rec_seq;                 /* sequence of the last record queued */
    uint64_t money_seq;               /* ... of the last money record */
    uint64_t sym_money_seq[ENGINE_MAX_SYMBOLS];
    const struct record_ack *ack;     /* from the store thread; may be NULL */
    int64_t equity_hour;              /* hour of the last equity snapshot */
    int64_t now;
    struct sym_state sym[ENGINE_MAX_SYMBOLS];
    struct portfolio pf;              /* paper trading: sizing, risk, broker, metrics */
    struct signal_engine *sig;        /* regimes, confluence, voters, signals, outcomes */
    bool loading;                     /* restoring stored history: no signals */
    uint64_t events, rejected, fills;
    char feed_state[64];
    int n_streams;
    struct stream_health streams[SNAP_STREAMS];
    int n_log;
    char log[SNAP_LOG][160];
};

static void paper_init(struct engine *e);      /* issue 7, below */

/* The tail of the record queue kept for money records: RECORD_RESERVE slots, or
 * an eighth of a smaller queue. */
static size_t record_reserve(const struct engine *e)
{
    size_t cap = spsc_capacity(e->records);
    return cap / 8 < RECORD_RESERVE ? cap / 8 : RECORD_RESERVE;
}

/* Money records may use the reserved tail of the queue; bulk records may not, so
 * a slow disk drops candles (re-fetched after a restart) before it drops a fill. */
static bool emit(struct engine *e, struct record *r)
{
    bool money = record_is_money(r->type);
    if (!e->records || (!money && spsc_capacity(e->records) - spsc_size(e->records) <= record_reserve(e))) {
        e->records_dropped++;
        return false;
    }
    r->seq = e->rec_seq + 1;
    if (!spsc_push(e->records, r)) {
        e->records_dropped++;
        return false;
    }
    e->rec_seq++;
    if (money) {
        e->money_seq = e->rec_seq;
        int s = engine_symbol(e, r->symbol);
        if (s >= 0)
            e->sym_money_seq[s] = e->rec_seq;
    }
    return true;
}

/* Can an order be accepted and its records (placed, fill, filled) be stored? */
static const char *storage_refuses(const struct engine *e)
{
    if (!e->records)
        return NULL;
    if (e->ack && atomic_load(&((struct record_ack *)e->ack)->failing))
        return "storage is failing, the order could not be recorded";
    size_t cap = spsc_capacity(e->records), margin = cap / 16 < 2 * ENGINE_MAX_SYMBOLS ? cap / 16 : 2 * ENGINE_MAX_SYMBOLS;
    if (cap - spsc_size(e->records) <= record_reserve(e) / 2 + margin)
        return "storage is behind (record queue full)";
    return NULL;
}

static void journal(struct engine *e, const char *kind, int s, const char *msg)
{
    struct record r = { .type = REC_JOURNAL, .time = e->now };
    if (s >= 0)
        memcpy(r.symbol, e->sym[s].inst.symbol, SYMBOL_MAX);
    snprintf(r.u.text.kind, sizeof r.u.text.kind, "%s", kind);
    snprintf(r.u.text.text, sizeof r.u.text.text, "%s", msg);
    emit(e, &r);
}

/* A line for the status log and the journal: kind is "decision", "fill", ... */
static void note(struct engine *e, const char *kind, int s, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void note(struct engine *e, const char *kind, int s, const char *fmt, ...)
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
    journal(e, kind, s, msg);
}

/* Allocation happens here only: at creation, or when a symbol is added live. */
static int symbol_init(struct engine *e, int s, const struct instrument *inst)
{
    e->sym[s].inst = *inst;
    engine_profile_resolve(e->conf, inst->symbol, &e->sym[s].prof);
    for (int t = 0; t < TF_COUNT; t++) {
        struct tf_state *ts = &e->sym[s].tf[t];
        if (series_init(&ts->closed, e->cfg.history) ||
            !(ts->vals = calloc(e->cfg.history, sizeof *ts->vals)) ||
            !(ts->marks = calloc(e->cfg.history, sizeof *ts->marks)))
            return -1;
        ta_set_init_params(&ts->ta, &e->sym[s].prof.ta);
        cdl_init(&ts->cdl);
        agg_init(&ts->agg, t);
    }
    return 0;
}

/* The stored form of a signal (one record type, one table: record.h). */
static void signal_to_record(const struct engine *e, const struct signal *g, struct record *r)
{
    *r = (struct record){ .type = REC_SIGNAL, .time = e->now, .tf = g->tf };
    memcpy(r->symbol, e->sym[g->sym].inst.symbol, SYMBOL_MAX);
    struct record_signal *o = &r->u.signal;
    *o = (struct record_signal){
        .id = g->id, .time = g->time, .candle_time = g->candle_time, .side = g->side, .state = g->state,
        .outcome = g->outcome, .best_tp = g->best_tp, .stop_kind = g->stop_kind,
        .trend_alignment = g->trend_alignment, .confidence = g->confidence, .entry = g->entry, .stop = g->stop,
        .tp = { g->tp[0], g->tp[1], g->tp[2], g->tp[3] }, .reward_risk = g->rr,
        .regime_confidence = g->regime_conf, .htf_score = g->htf_score,
        .volume_confirmed = g->volume_confirmed, .voters = g->voters,
        .indicators = { g->ind.rsi, g->ind.macd_hist, g->ind.atr, g->ind.adx, g->ind.bb_width,
                        g->ind.volume_ratio, g->ind.ema20, g->ind.ema50, g->ind.ema200 },
        .expiry = g->expires, .outcome_time = g->outcome_time,
    };
    if (g->pattern >= 0 && g->pattern < CDL_COUNT)
        snprintf(o->pattern, sizeof o->pattern, "%s", cdl_name(g->pattern));
    if (g->regime > REGIME_NONE && g->regime < REGIME_COUNT)
        snprintf(o->regime, sizeof o->regime, "%s", regime_name(g->regime));
    snprintf(o->source, sizeof o->source, "%s", signal_source_name(g->source));
    /* the price the outcome was settled at: the stop, the best target, or the
     * close of the last candle looked at (not kept: 0) */
    if (g->outcome == OUTCOME_STOP)
        o->outcome_price = g->stop;
    else if (g->outcome >= OUTCOME_TP1 && g->outcome <= OUTCOME_TP4)
        o->outcome_price = g->tp[g->outcome - OUTCOME_TP1];
}

static void signal_record(struct engine *e, const struct signal *g)
{
    struct record r;
    signal_to_record(e, g, &r);
    emit(e, &r);
}

/* What the signal pipeline produced on the last call: records, journal lines,
 * and an alert for each new signal (the alert rules gate it by confidence). */
static void signal_events(struct engine *e)
{
    char msg[200];
    for (int i = 0; i < e->sig->nev; i++) {
        const struct signal_event *ev = &e->sig->ev[i];
        const struct signal *g = &ev->s;
        signal_record(e, g);
        const char *sym = e->sym[g->sym].inst.symbol;
        if (ev->kind == SIGEV_NEW) {
            snprintf(msg, sizeof msg, "signal #%llu %s %s %s conf %.3f entry %.10g stop %.10g tp2 %.10g rr %.2f",
                     (unsigned long long)g->id, g->side > 0 ? "LONG" : "SHORT", sym, tf_name(g->tf),
                     g->confidence, g->entry, g->stop, g->tp[1], g->rr);
            journal(e, "decision", g->sym, msg);
            if (g->source == SIGNAL_SOURCE_ENGINE)   /* a webhook signal raised its own */
                    engine_alert(e, ALERT_SIGNAL, g->sym, g->confidence,
                             "signal %s %s %s conf %.0f%% entry %.10g stop %.10g", g->side > 0 ? "LONG" : "SHORT",
                             sym, tf_name(g->tf), 100.0 * g->confidence, g->entry, g->stop);
        } else if (ev->kind == SIGEV_OUTCOME) {
            snprintf(msg, sizeof msg, "signal #%llu %s %s outcome %s", (unsigned long long)g->id, sym,
                     tf_name(g->tf), record_signal_outcome_name(g->outcome));
            journal(e, "decision", g->sym, msg);
        } else if (g->state == SIGNAL_EXPIRED) {
            snprintf(msg, sizeof msg, "signal #%llu %s %s expired", (unsigned long long)g->id, sym, tf_name(g->tf));
            journal(e, "decision", g->sym, msg);
        }
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
    if (cfg->file) {
        if (!(e->conf = malloc(sizeof *e->conf))) {
            free(e);
            return NULL;
        }
        *e->conf = *cfg->file;
    }
    e->cfg.file = e->conf;
    for (int s = 0; s < cfg->n_symbols; s++)
        if (symbol_init(e, s, &cfg->inst[s])) {
            engine_destroy(e);
            return NULL;
        }
    e->sig = signal_engine_create(cfg->n_symbols, NULL);
    if (!e->sig) {
        engine_destroy(e);
        return NULL;
    }
    paper_init(e);
    for (int s = 0; s < cfg->n_symbols; s++)
        signal_engine_set_params(e->sig, s, &e->sym[s].prof.signal);
    return e;
}

void engine_destroy(struct engine *e)
{
    if (!e)
        return;
    free(e->conf);
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
const struct broker *engine_broker(const struct engine *e) { return &e->pf.broker; }
const struct portfolio *engine_portfolio(const struct engine *e) { return &e->pf; }
const struct instrument *engine_instrument(const struct engine *e, int sym) { return &e->sym[sym].inst; }
uint64_t engine_records_dropped(const struct engine *e) { return e->records_dropped; }
void engine_set_alerts(struct engine *e, struct spsc *alerts) { e->alerts = alerts; }
uint64_t engine_alerts_dropped(const struct engine *e) { return e->alerts_dropped; }

void engine_alert(struct engine *e, int kind, int sym, double confidence, const char *fmt, ...)
{
    if (!e->alerts)
        return;
    struct alert_event a = { .kind = kind, .time = e->now, .confidence = confidence };
    if (sym >= 0 && sym < e->cfg.n_symbols)
        memcpy(a.symbol, e->sym[sym].inst.symbol, SYMBOL_MAX);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(a.text, sizeof a.text, fmt, ap);
    va_end(ap);
    if (!spsc_push(e->alerts, &a))
        e->alerts_dropped++;
}

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
    uint64_t use = e->sym[s].prof.patterns;
    if (~use) {                       /* the profile turned some patterns off */
        int k = 0;
        for (int i = 0; i < n; i++)
            if (use & (1ull << hits[i].id))
                hits[k++] = hits[i];
        n = k;
    }
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

void engine_set_ack(struct engine *e, const struct record_ack *ack) { e->ack = ack; }

uint64_t engine_durable_seq(const struct engine *e)
{
    return e->ack ? atomic_load(&((struct record_ack *)e->ack)->durable_seq) : e->rec_seq;
}

bool engine_storage_failing(const struct engine *e)
{
    return e->ack && atomic_load(&((struct record_ack *)e->ack)->failing);
}

void engine_restore_signal(struct engine *e, const char *symbol, int tf, const struct record_signal *r)
{
    int sym = engine_symbol(e, symbol);
    if (sym < 0 || tf < 0 || tf >= TF_COUNT || r->state < 0 || r->state >= SIGNAL_STATE_COUNT ||
        r->outcome < 0 || r->outcome >= OUTCOME_COUNT)
        return;
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
    signal_restore(e->sig, &g);
}

void engine_restore_ids(struct engine *e, uint64_t next_order, uint64_t next_fill)
{
    if (next_order > e->pf.broker.next_order)
        e->pf.broker.next_order = next_order;
    if (next_fill > e->pf.broker.next_fill)
        e->pf.broker.next_fill = next_fill;
}


static bool usd_like(const char *c)
{
    static const char *const usd[] = { "USD", "USDT", "USDC", "BUSD", "FDUSD" };
    for (size_t i = 0; i < sizeof usd / sizeof usd[0]; i++)
        if (strcmp(c, usd[i]) == 0)
            return true;
    return false;
}

/* ---- paper trading (issue 7): the engine's side of src/paper/portfolio.c ---- */

static void sink_fill(void *ctx, const struct broker_fill *f)
{
    struct engine *e = ctx;
    e->fills++;
    struct record r = { .type = REC_FILL, .time = e->now };
    memcpy(r.symbol, e->sym[f->sym].inst.symbol, SYMBOL_MAX);
    r.u.fill = (struct record_fill){
        .id = f->id, .order_id = f->order_id, .side = f->side, .qty = f->qty, .price = f->price,
        .fee = f->fee, .realized = f->realized, .pos_qty = f->pos_qty, .pos_avg = f->pos_avg,
        .pos_realized = f->pos_realized, .pos_fees = f->pos_fees, .balance = f->balance,
    };
    emit(e, &r);
    engine_alert(e, ALERT_FILL, f->sym, NAN, "filled %s %.6g %s @ %.10g", f->side > 0 ? "BUY" : "SELL", f->qty,
                 e->sym[f->sym].inst.symbol, f->price);
}

static void sink_note(void *ctx, const char *msg) { note(ctx, "decision", -1, "%s", msg); }

/* The symbol's whole book, replaced in one batch: clear, orders, exits. */
static void sink_book(void *ctx, int s)
{
    struct engine *e = ctx;
    struct record r = { .type = REC_BOOK, .time = e->now };
    memcpy(r.symbol, e->sym[s].inst.symbol, SYMBOL_MAX);
    emit(e, &r);
    const struct broker *b = &e->pf.broker;
    r.type = REC_BOOK_ORDER;
    for (int i = 0; i < BROKER_MAX_ORDERS; i++)
        if (b->ord[i].active && b->ord[i].sym == s) {
            r.u.book_order = b->ord[i];
            emit(e, &r);
        }
    const struct position *p = &b->pos[s];
    r.type = REC_EXITS;
    r.u.exits = (struct record_exits){ .br = p->br, .source = p->source, .opened = p->opened };
    emit(e, &r);
}

/* An order that stopped working without a fill: its row in the orders table
 * leaves 'placed' (upsert by id, stamped with the event time). */
static void sink_order_end(void *ctx, const struct broker_order *o, bool rejected, const char *reason)
{
    struct engine *e = ctx;
    struct record r = { .type = REC_ORDER, .time = e->now };
    memcpy(r.symbol, e->sym[o->sym].inst.symbol, SYMBOL_MAX);
    r.u.order = (struct record_order){ .id = o->id, .side = o->side, .type = o->type,
                                       .status = rejected ? ORDER_REJECTED : ORDER_CANCELLED, .qty = o->qty,
                                       .price = o->price, .placed = o->placed };
    snprintf(r.u.order.reason, sizeof r.u.order.reason, "%s", reason);
    emit(e, &r);
}

static void sink_risk(void *ctx, const struct risk_state *rs)
{
    struct engine *e = ctx;
    struct record r = { .type = REC_RISK, .time = e->now };
    r.u.risk = *rs;
    emit(e, &r);
}

/* Where the value of a symbol's quote currency in the account currency comes
 * from: -1 it is the account currency, >= 0 that symbol's price, -2 unknown. */
static int conv_source(const struct engine *e, int s)
{
    const char *q = e->sym[s].inst.quote, *acct = e->cfg.account_ccy;
    if (strcmp(q, acct) == 0 || (usd_like(q) && usd_like(acct)))
        return -1;
    for (int i = 0; i < e->cfg.n_symbols; i++) {
        const struct instrument *in = &e->sym[i].inst;
        if (strcmp(in->base, q) == 0 && (strcmp(in->quote, acct) == 0 || (usd_like(in->quote) && usd_like(acct))))
            return i;
    }
    return -2;
}


/* One account snapshot per UTC hour of event time, for the equity curve. */
static void equity_tick(struct engine *e)
{
    int64_t hour = e->now / 3600000;
    if (hour == e->equity_hour)
        return;
    bool first = e->equity_hour == 0;
    e->equity_hour = hour;
    if (first)
        return;                       /* the clock just started: nothing happened yet */
    struct record r = { .type = REC_EQUITY, .time = hour * 3600000 };
    struct record_equity *q = &r.u.equity;
    for (int i = 0; i < e->cfg.n_symbols; i++) {
        const struct position *p = &e->pf.broker.pos[i];
        q->unrealized += portfolio_unrealized(&e->pf, i);
        q->realized += p->realized;
        q->fees += p->fees;
        q->exposure += fabs(p->qty) * e->sym[i].last * portfolio_conv(&e->pf, i);
    }
    q->balance = e->pf.broker.balance;
    q->equity = q->balance + q->unrealized;
    emit(e, &r);
}

void instrument_defaults(struct instrument *in)
{
    static const struct { const char *sym; double tick, step, min_notional; } known[] = {
        { "BTCUSDT", 0.01, 0.00001, 5 }, { "ETHUSDT", 0.01, 0.0001, 5 }, { "SOLUSDT", 0.01, 0.001, 5 },
        { "BNBUSDT", 0.01, 0.001, 5 },   { "BTCPERP", 1, 0.0001, 0 },   { "ETHBTC", 0.00001, 0.0001, 0.0001 },
        { "ADABTC", 0.00000001, 1, 0.0001 },
    };
    if (in->tick > 0 || in->step > 0 || in->min_notional > 0)
        return;
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        if (strcmp(in->symbol, known[i].sym) == 0) {
            in->tick = known[i].tick;
            in->step = known[i].step;
            in->min_notional = known[i].min_notional;
            return;
        }
    /* unknown: no rounding (prices keep the feed's precision), Binance's usual minimum */
    in->min_notional = usd_like(in->quote) ? 5 : 0;
}

static void paper_init(struct engine *e)
{
    struct pf_config pc;
    pf_config_defaults(&pc);
    pc.balance = e->cfg.balance;
    pc.costs = (struct broker_costs){ .maker_bps = e->cfg.maker_bps, .taker_bps = e->cfg.fee_bps,
                                      .slip_bps = e->cfg.slip_bps, .slip_range = e->cfg.slip_range };
    pc.limits = e->cfg.risk;
    pc.order_notional = e->cfg.order_notional;
    pc.size_method = e->cfg.size_method;
    pc.size_value = e->cfg.size_value;
    struct pf_sink sink = { .ctx = e, .fill = sink_fill, .note = sink_note, .risk = sink_risk, .book = sink_book,
                            .order_end = sink_order_end };
    portfolio_init(&e->pf, &pc, &sink);
    for (int s = 0; s < e->cfg.n_symbols; s++) {
        struct instrument *in = &e->sym[s].inst;
        instrument_defaults(in);
        struct broker_inst bi = { in->tick, in->step, in->min_notional };
        portfolio_set_symbol(&e->pf, s, in->symbol, conv_source(e, s), &bi);
        portfolio_set_limits(&e->pf, s, e->sym[s].prof.own_risk ? &e->sym[s].prof.risk : NULL);
    }
}

/* The candle's price path is walked first, then its ATR is handed over: an ATR
 * trailing stop must not know the range of the candle it is being tested on (in a
 * backtest the whole candle is one path), so the new distance applies from the
 * next price on. */
static void paper_on_kline(struct engine *e, int s, const struct kline_event *k)
{
    portfolio_on_kline(&e->pf, s, &k->c, e->now);
    if (k->closed) {
        const struct tf_state *ts = &e->sym[s].tf[TF_1M];
        size_t slot = (ts->closed.head + ts->closed.len - 1) % ts->closed.cap;
        portfolio_set_atr(&e->pf, s, ts->vals[slot].atr_14);
    }
}

bool engine_last_values(const struct engine *e, int s, int tf, struct candle *c, struct ta_values *v)
{
    if (s < 0 || s >= e->cfg.n_symbols || tf < 0 || tf >= TF_COUNT)
        return false;
    const struct tf_state *ts = &e->sym[s].tf[tf];
    if (ts->closed.len == 0)
        return false;
    size_t slot = (ts->closed.head + ts->closed.len - 1) % ts->closed.cap;
    if (c)
        *c = ts->closed.buf[slot];
    if (v)
        *v = ts->vals[slot];
    return true;
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
    equity_tick(e);
    if (k->closed) {
        close_1m(e, s, &k->c, true);
        ss->has_forming = false;
    } else {
        ss->forming = k->c;
        ss->has_forming = true;
    }
    ss->last = k->c.close;
    ss->last_time = k->c.open_time;
    paper_on_kline(e, s, k);
}

static void on_command(struct engine *e, const struct command *c);

static void on_signal_command(struct engine *e, const struct command *c)
{
    bool take = c->type == CMD_SIGNAL_TAKE;
    if ((take ? signal_take : signal_dismiss)(e->sig, c->signal_id) != 0) {
        note(e, "decision", -1, "no new signal #%llu to %s", (unsigned long long)c->signal_id,
             take ? "take" : "dismiss");
        return;
    }
    const struct signal *g = &e->sig->ev[0].s;
    signal_record(e, g);
    note(e, "decision", g->sym, "signal #%llu %s %s %s %s", (unsigned long long)g->id, take ? "taken:" : "dismissed:",
         g->side > 0 ? "LONG" : "SHORT", e->sym[g->sym].inst.symbol, tf_name(g->tf));
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
        n += (size_t)snprintf(lv + n, sizeof lv - n, " @ %.10g", c->price);
    if (c->stop_loss > 0 && n < sizeof lv)
        n += (size_t)snprintf(lv + n, sizeof lv - n, " sl=%.10g", c->stop_loss);
    if (c->tp[0] > 0 && n < sizeof lv)
        n += (size_t)snprintf(lv + n, sizeof lv - n, " tp=%.10g", c->tp[0]);
    if (c->timeframe[0] && n < sizeof lv)
        snprintf(lv + n, sizeof lv - n, " %s", c->timeframe);
    const char *side = c->side > 0 ? "BUY" : "SELL";
    if (s < 0) {
        note(e, "decision", -1, "webhook signal %s %s%s ignored: symbol not in this session", side, c->symbol, lv);
        return;
    }
    note(e, "decision", s, "webhook signal %s %s%s %s%s%s", side, c->symbol, lv,
         c->auto_take ? "auto-take" : "queued for review", c->text[0] ? ": " : "", c->text);
    engine_alert(e, ALERT_SIGNAL, s, NAN, "webhook signal %s %s%s", side, c->symbol, lv);
    struct signal g;
    memset(&g, 0, sizeof g);
    int tf = c->timeframe[0] ? tf_parse(c->timeframe) : -1;
    g.sym = (int16_t)s;
    g.tf = (int16_t)(tf >= 0 ? tf : TF_1M);
    g.side = (int8_t)(c->side > 0 ? 1 : -1);
    g.entry = c->price > 0 ? c->price : e->sym[s].last;
    g.stop = c->stop_loss > 0 ? c->stop_loss : 0;
    g.tp[0] = c->tp[0] > 0 ? c->tp[0] : 0;
    g.ind = (struct signal_ind){ NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN };
    if (g.stop > 0 && g.tp[0] > 0 && g.entry != g.stop)
        g.rr = fabs(g.tp[0] - g.entry) / fabs(g.entry - g.stop);
    if (signal_submit(e->sig, &g, e->now) == 0) {
        signal_events(e);
        if (c->auto_take && signal_take(e->sig, g.id) == 0)
            signal_record(e, &e->sig->ev[0].s);
    } else {
        note(e, "decision", s, "webhook signal %s %s not queued: the signal queue is full", side, c->symbol);
    }
    if (c->auto_take) {
        /* the same path as a key press: sizing, risk, broker; its stop and target attached */
        struct command m = { .type = CMD_ORDER, .side = c->side, .order_type = ORDER_MARKET,
                             .stop_loss = c->stop_loss, .tp = { c->tp[0] }, .source = SRC_WEBHOOK };
        memcpy(m.symbol, c->symbol, SYMBOL_MAX);
        on_command(e, &m);
    }
}

/* Orders that add risk wait while the disk cannot record them; closing never does. */
static bool opens_risk(const struct command *c)
{
    return (c->type == CMD_MARKET_ORDER || c->type == CMD_ORDER) && !c->reduce_only;
}

/* Indicators of one series recomputed with new periods over the candles held. */
static void rebuild_indicators(struct engine *e, int s, int tf)
{
    struct tf_state *ts = &e->sym[s].tf[tf];
    ta_set_init_params(&ts->ta, &e->sym[s].prof.ta);
    for (size_t i = 0; i < ts->closed.len; i++) {
        size_t slot = (ts->closed.head + i) % ts->closed.cap;
        ta_set_push(&ts->ta, &ts->closed.buf[slot], &ts->vals[slot]);
    }
}

/* The signal pipeline's state of one symbol rebuilt under new thresholds: regimes,
 * levels and divergences replayed over the candles held. */
static void rebuild_signal_state(struct engine *e, int s)
{
    signal_engine_set_params(e->sig, s, &e->sym[s].prof.signal);
    bool was = e->sig->analysis_only;
    e->sig->analysis_only = true;
    for (int tf = 0; tf < TF_COUNT; tf++) {
        struct tf_state *ts = &e->sym[s].tf[tf];
        for (size_t i = 0; i < ts->closed.len; i++) {
            size_t slot = (ts->closed.head + i) % ts->closed.cap;
            signal_on_candle(e->sig, s, tf, &ts->closed.buf[slot], &ts->vals[slot], NULL, 0);
        }
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
        struct sym_state *ss = &e->sym[s];
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
    note(e, "decision", -1, "config reloaded: %s%scosts, sizing, risk limits, patterns apply now",
         rebuilt ? "indicators recomputed with new periods; " : "",
         resignal ? "signal settings and regimes rebuilt; " : "");
}

static void on_command(struct engine *e, const struct command *c)
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
    char what[160];
    snprintf(what, sizeof what, "command %d %s side %d qty %.17g price %.17g stop %.17g", c->type,
             c->symbol[0] ? c->symbol : "-", c->side, c->qty, c->price, c->stop_loss);
    journal(e, "command", s, what);
    if (s < 0 && c->type != CMD_KILL && c->type != CMD_UNLOCK) {
        note(e, "decision", -1, "unknown symbol %s", c->symbol);
        return;
    }
    const char *why = opens_risk(c) ? storage_refuses(e) : NULL;
    if (why) {
        note(e, "decision", s, "rejected: %s", why);
        return;
    }
    /* every order, whatever its source, goes sizing -> risk -> broker in here */
    portfolio_command(&e->pf, s, c, e->now);
}

static void on_instrument(struct engine *e, const struct instrument *in)
{
    int s = engine_symbol(e, in->symbol);
    if (s >= 0) {
        struct instrument *cur = &e->sym[s].inst;
        if (in->base[0])
            snprintf(cur->base, sizeof cur->base, "%s", in->base);
        if (in->quote[0])
            snprintf(cur->quote, sizeof cur->quote, "%s", in->quote);
        if (in->market[0])
            snprintf(cur->market, sizeof cur->market, "%s", in->market);
        cur->tick = in->tick;
        cur->step = in->step;
        cur->min_notional = in->min_notional;
        instrument_defaults(cur);
        struct broker_inst bi = { cur->tick, cur->step, cur->min_notional };
        portfolio_set_symbol(&e->pf, s, cur->symbol, conv_source(e, s), &bi);
        return;
    }
    if (e->cfg.n_symbols == ENGINE_MAX_SYMBOLS) {
        note(e, "decision", -1, "cannot add %s: %d symbols is the maximum", in->symbol, ENGINE_MAX_SYMBOLS);
        return;
    }
    s = e->cfg.n_symbols;
    memset(&e->sym[s], 0, sizeof e->sym[s]);
    if (symbol_init(e, s, in)) {
        for (int t = 0; t < TF_COUNT; t++) {
            series_free(&e->sym[s].tf[t].closed);
            free(e->sym[s].tf[t].vals);
            free(e->sym[s].tf[t].marks);
        }
        memset(&e->sym[s], 0, sizeof e->sym[s]);
        note(e, "decision", -1, "cannot add %s: out of memory", in->symbol);
        return;
    }
    e->cfg.inst[s] = *in;
    e->cfg.n_symbols++;
    struct instrument *cur = &e->sym[s].inst;
    instrument_defaults(cur);
    struct broker_inst bi = { cur->tick, cur->step, cur->min_notional };
    portfolio_set_symbol(&e->pf, s, cur->symbol, conv_source(e, s), &bi);
    portfolio_set_limits(&e->pf, s, e->sym[s].prof.own_risk ? &e->sym[s].prof.risk : NULL);
    signal_engine_add_symbol(e->sig, &e->sym[s].prof.signal);    /* same index: both count from 0 */
    note(e, "decision", s, "added symbol %s", in->symbol);
}

static void on_health(struct engine *e, const struct stream_health *h)
{
    int i = 0;
    while (i < e->n_streams && strcmp(e->streams[i].name, h->name) != 0)
        i++;
    if (i == e->n_streams) {
        if (e->n_streams == SNAP_STREAMS)
            return;
        e->n_streams++;
    }
    e->streams[i] = *h;
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
    else if (ev->type == EE_INSTRUMENT)
        on_instrument(e, &ev->u.inst);
    else if (ev->type == EE_FEED_HEALTH)
        on_health(e, &ev->u.health);
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
    out->money_seq = e->money_seq;
    out->durable_seq = engine_durable_seq(e);
    out->storage_failing = engine_storage_failing(e);
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
        const struct position *p = &e->pf.broker.pos[i];
        o->pos_qty = p->qty;
        o->pos_avg = p->avg;
        o->pos_realized = p->realized;
        o->pos_upnl = portfolio_unrealized(&e->pf, i);
        o->order_pending = broker_orders_for(&e->pf.broker, i) > 0;
        o->unsaved = e->sym_money_seq[i] > out->durable_seq;
        snapshot_closes(ss, TF_1H, o);
        o->confluence = (float)e->sig->confluence[i];
        upnl += o->pos_upnl;
        realized += p->realized;
        fees += p->fees;
    }
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
    out->n_streams = e->n_streams;
    memcpy(out->streams, e->streams, sizeof e->streams[0] * (size_t)e->n_streams);
    out->n_log = e->n_log;
    memcpy(out->log, e->log, sizeof out->log);
    portfolio_view(&e->pf, &out->paper);
}
