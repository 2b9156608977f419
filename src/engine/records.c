/* What the engine hands on: storage records (with back-pressure that keeps room
 * for money records), journal and status-log lines, signal records and their
 * alerts, the hourly equity snapshot, and alerts. Queues only: no I/O here. */
#include "engine_internal.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "alphapulse/patterns.h"
#include "alphapulse/regime.h"

/* The tail of the record queue kept for money records: RECORD_RESERVE slots, or
 * an eighth of a smaller queue. */
static size_t record_reserve(const struct engine *e)
{
    size_t cap = spsc_capacity(e->records);
    return cap / 8 < RECORD_RESERVE ? cap / 8 : RECORD_RESERVE;
}

/* Free slots of the record queue as the storage reports say: what was queued at
 * the last report plus what the engine queued since. The queue only empties
 * between reports, so this never counts more room than there is. */
static size_t record_room(const struct engine *e)
{
    size_t cap = spsc_capacity(e->records);
    if (!e->storage_reports)
        return cap;
    uint64_t queued = e->store_backlog + (e->rec_seq - e->store_base_seq);
    return queued >= cap ? 0 : cap - (size_t)queued;
}

void engine_on_storage(struct engine *e, const struct storage_health *h)
{
    e->storage_reports = true;
    e->store_failing = h->failing;
    e->store_backlog = h->backlog;
    e->store_base_seq = e->rec_seq;
    if (h->durable_seq > e->durable_seq)
        e->durable_seq = h->durable_seq;
}

/* Money records may use the reserved tail of the queue; bulk records may not, so
 * a slow disk drops candles (re-fetched after a restart) before it drops a fill. */
bool engine_emit(struct engine *e, struct record *r)
{
    bool money = record_is_money(r->type);
    if (!e->records || (!money && record_room(e) <= record_reserve(e))) {
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

size_t engine_record_room(const struct engine *e)
{
    if (!e->records)
        return SIZE_MAX;
    size_t room = record_room(e), reserve = record_reserve(e);
    return room > reserve ? room - reserve : 0;
}

/* Can an order be accepted and its records (placed, fill, filled) be stored? */
const char *engine_storage_refuses(const struct engine *e)
{
    if (!e->records)
        return NULL;
    if (e->store_failing)
        return "storage is failing, the order could not be recorded";
    size_t cap = spsc_capacity(e->records), want = 2 * (size_t)e->cfg.n_symbols,
           margin = cap / 16 < want ? cap / 16 : want;
    if (record_room(e) <= record_reserve(e) / 2 + margin)
        return "storage is behind (record queue full)";
    return NULL;
}

void engine_journal(struct engine *e, const char *kind, int s, const char *msg)
{
    struct record r = { .type = REC_JOURNAL, .time = e->now };
    if (s >= 0)
        memcpy(r.symbol, e->sym[s]->inst.symbol, SYMBOL_MAX);
    snprintf(r.u.text.kind, sizeof r.u.text.kind, "%s", kind);
    snprintf(r.u.text.text, sizeof r.u.text.text, "%s", msg);
    engine_emit(e, &r);
}

void engine_log_add(struct engine *e, int64_t time, const char *msg)
{
    if (e->n_log == SNAP_LOG) {
        memmove(e->log[0], e->log[1], sizeof e->log[0] * (SNAP_LOG - 1));
        memmove(&e->log_time[0], &e->log_time[1], sizeof e->log_time[0] * (SNAP_LOG - 1));
        e->n_log--;
    }
    e->log_time[e->n_log] = time;
    snprintf(e->log[e->n_log++], sizeof e->log[0], "%s", msg);
}

void engine_note(struct engine *e, const char *kind, int s, const char *fmt, ...)
{
    char msg[160];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (n >= (int)sizeof msg)                  /* cut: say so rather than end mid-word */
        memcpy(msg + sizeof msg - 4, "...", 4);
    engine_log_add(e, e->now, msg);
    engine_journal(e, kind, s, msg);
}

/* The stored form of a signal (one record type, one table: record.h). */
static void signal_to_record(const struct engine *e, const struct signal *g, struct record *r)
{
    *r = (struct record){ .type = REC_SIGNAL, .time = e->now, .tf = g->tf };
    memcpy(r->symbol, e->sym[g->sym]->inst.symbol, SYMBOL_MAX);
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

void engine_signal_record(struct engine *e, const struct signal *g)
{
    if (g->source == SIGNAL_SOURCE_COLLECTOR)
        return;                       /* its row is the collector's: stored once, by it */
    struct record r;
    signal_to_record(e, g, &r);
    engine_emit(e, &r);
}

/* What the signal pipeline produced on the last call: records, journal lines,
 * and an alert for each new signal (the alert rules gate it by confidence). */
void engine_signal_events(struct engine *e)
{
    char msg[320];
    for (int i = 0; i < e->sig->nev; i++) {
        const struct signal_event *ev = &e->sig->ev[i];
        const struct signal *g = &ev->s;
        engine_signal_record(e, g);
        const char *sym = e->sym[g->sym]->inst.symbol;
        if (ev->kind == SIGEV_NEW) {
            snprintf(msg, sizeof msg, "signal #%llu %s %s %s conf %.3f entry %s stop %s tp2 %s rr %.2f%s",
                     (unsigned long long)g->id, g->side > 0 ? "LONG" : "SHORT", sym, tf_name(g->tf),
                     g->confidence, engine_px(e, g->sym, g->entry).s, engine_px(e, g->sym, g->stop).s,
                     engine_px(e, g->sym, g->tp[1]).s, g->rr,
                     g->source == SIGNAL_SOURCE_COLLECTOR ? " (a collector's)" : "");
            engine_journal(e, "decision", g->sym, msg);
            if (g->source == SIGNAL_SOURCE_ENGINE)   /* a webhook signal raised its own */
                    engine_alert(e, ALERT_SIGNAL, g->sym, g->confidence,
                             "signal %s %s %s conf %.0f%% entry %s stop %s", g->side > 0 ? "LONG" : "SHORT",
                             sym, tf_name(g->tf), 100.0 * g->confidence, engine_px(e, g->sym, g->entry).s,
                             engine_px(e, g->sym, g->stop).s);
        } else if (ev->kind == SIGEV_OUTCOME) {
            snprintf(msg, sizeof msg, "signal #%llu %s %s outcome %s", (unsigned long long)g->id, sym,
                     tf_name(g->tf), record_signal_outcome_name(g->outcome));
            engine_journal(e, "decision", g->sym, msg);
        } else if (g->state == SIGNAL_STALE) {
            snprintf(msg, sizeof msg, "signal #%llu %s %s stale: price traded through its stop or first target, "
                     "or moved beyond the chase limit", (unsigned long long)g->id, sym, tf_name(g->tf));
            engine_journal(e, "decision", g->sym, msg);
        } else if (g->state == SIGNAL_EXPIRED) {
            snprintf(msg, sizeof msg, "signal #%llu %s %s expired", (unsigned long long)g->id, sym, tf_name(g->tf));
            engine_journal(e, "decision", g->sym, msg);
        }
    }
}

/* One account snapshot per UTC hour of event time, for the equity curve. */
void engine_equity_tick(struct engine *e)
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
        q->exposure += fabs(p->qty) * e->sym[i]->last * portfolio_conv(&e->pf, i);
    }
    q->balance = e->pf.broker.balance;
    q->equity = q->balance + q->unrealized;
    engine_emit(e, &r);
}

/* A live forming update of a 1m candle, for consoles that read this process's
 * candles from the store; one read from the store is not written back. */
void engine_forming_record(struct engine *e, int s, const struct kline_event *k)
{
    if (!e->records || k->stored)
        return;
    struct record r = { .type = REC_FORMING, .time = k->event_time, .tf = TF_1M, .u.candle = k->c };
    memcpy(r.symbol, e->sym[s]->inst.symbol, SYMBOL_MAX);
    engine_emit(e, &r);
}

uint64_t engine_records_dropped(const struct engine *e) { return e->records_dropped; }

void engine_set_alerts(struct engine *e, struct spsc *alerts) { e->alerts = alerts; }

uint64_t engine_alerts_dropped(const struct engine *e) { return e->alerts_dropped; }

void engine_alert(struct engine *e, int kind, int sym, double confidence, const char *fmt, ...)
{
    if (!e->alerts)
        return;
    struct alert_event a = { .kind = kind, .time = e->now, .confidence = confidence };
    if (sym >= 0 && sym < e->cfg.n_symbols)
        memcpy(a.symbol, e->sym[sym]->inst.symbol, SYMBOL_MAX);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(a.text, sizeof a.text, fmt, ap);
    va_end(ap);
    if (!spsc_push(e->alerts, &a))
        e->alerts_dropped++;
}

uint64_t engine_durable_seq(const struct engine *e)
{
    return e->storage_reports ? e->durable_seq : e->rec_seq;
}

bool engine_storage_failing(const struct engine *e) { return e->store_failing; }

struct engine_num engine_px(const struct engine *e, int s, double p)
{
    struct engine_num t;
    instrument_fmt_short(s >= 0 && s < e->cfg.n_symbols ? e->sym[s]->inst.tick : 0, p, t.s, sizeof t.s);
    return t;
}

struct engine_num engine_qty(const struct engine *e, int s, double q)
{
    struct engine_num t;
    instrument_fmt_short(s >= 0 && s < e->cfg.n_symbols ? e->sym[s]->inst.step : 0, q, t.s, sizeof t.s);
    return t;
}
