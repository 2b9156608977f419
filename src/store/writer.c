/* The store thread: the only writer. It drains the engine's record queue in
 * batches, one transaction per batch, with prepared statements.
 *
 * Acknowledgement path (how "done" reaches the screen only once it is on disk):
 *  1. the engine numbers every record it queues (record.seq = 1, 2, 3 ...);
 *  2. a batch holding a money record (order, fill, risk state) is committed with
 *     synchronous=FULL, others with NORMAL; in WAL mode a FULL commit also syncs
 *     every earlier frame;
 *  3. after the COMMIT returns, the thread stores the batch's last seq in
 *     ack.durable_seq (atomic): every money record up to it is on disk;
 *  4. the engine thread copies durable_seq into each snapshot next to the seq of
 *     the last money record per symbol; the UI shows "saving" until it is covered.
 * With an ack stream (headless tests) the thread also prints each durable order
 * and fill, after the commit, so a test that kills the process knows what must
 * survive.
 *
 * Failures: a failed batch is rolled back whole (nothing half-written); its money
 * records are kept and retried first in the next batch, bulk records are dropped
 * (candles come back with the next backfill) -- except when a PostgreSQL server is
 * out of reach: then the whole batch is kept and retried, so a server restart
 * loses nothing. ack.failing reaches the engine as a
 * storage-health event (the engine thread posts it), which then refuses new
 * orders, and the UI, which says storage is failing. Pruning of
 * old candles runs between batches, a few thousand rows per transaction. */
#include "store_internal.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "alphapulse/clock.h"

/* Records per transaction at most: a backlog (a backfill, a burst) goes in big
 * transactions, which the server writes for less per row. No more than the
 * record queue holds, or a full batch (the sign of a backlog) could never be drained. */
#define BATCH_MAX 16384
#define RETRY_NS 200000000L
#define PRUNE_EVERY_NS 250000000LL

void store_retention_defaults(struct store_retention *r)
{
    memset(r, 0, sizeof *r);
    r->keep_ms[TF_1M] = 30LL * 86400000;
    r->keep_ms[TF_5M] = 180LL * 86400000;
    r->keep_ms[TF_15M] = 180LL * 86400000;
    r->keep_trades_ms = 7LL * 86400000;
    r->step_rows = 5000;
}

void store_set_retention(struct store *st, const struct store_retention *r) { st->retention = *r; }
void store_set_ack_stream(struct store *st, FILE *f) { st->ack_stream = f; }
uint64_t store_rows_pruned(const struct store *st) { return atomic_load(&((struct store *)st)->pruned); }

int store_prepare(struct store *st, char *err, size_t err_len)
{
    const struct { sqlite3_stmt **st; const char *sql; } q[] = {
        { &st->ins_candle, "INSERT OR REPLACE INTO candles(symbol,timeframe,open_time,open,high,low,close,"
                           "volume,quote_volume,trades,flags) VALUES(?,?,?,?,?,?,?,?,?,?,?)" },
        { &st->ins_fill, "INSERT OR IGNORE INTO fills(id,order_id,time,symbol,side,qty,price,fee,realized,"
                         "balance_after,bid,ask,levels,account) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,alphapulse_account())" },
        { &st->up_position, "INSERT OR REPLACE INTO positions(symbol,qty,avg,realized,fees,updated,account) "
                            "VALUES(?,?,?,?,?,?,alphapulse_account())" },
        { &st->up_account, "INSERT INTO account(account,balance,updated) VALUES(alphapulse_account(),?1,?2) "
                           "ON CONFLICT(account) DO UPDATE SET balance=?1, updated=?2" },
        { &st->ins_journal, "INSERT INTO journal(time,kind,symbol,text,account) VALUES(?,?,?,?,alphapulse_account())" },
        /* qty and price follow the order: an amended one shows what it works at now */
        { &st->up_order, "INSERT INTO orders(id,time,updated,symbol,side,type,status,qty,price,filled_qty,"
                         "avg_price,reason,account) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,alphapulse_account()) "
                         "ON CONFLICT(id) DO UPDATE SET updated=?3, status=?7, qty=?8, price=?9, filled_qty=?10, "
                         "avg_price=?11, reason=?12" },
        /* the fill marks its order filled in the same transaction: a restart can
         * never see a fill whose order still looks open, and fill it twice */
        { &st->fill_order, "UPDATE orders SET status='filled', filled_qty=?2, avg_price=?3, updated=?4 "
                           "WHERE id=?1" },
        { &st->up_signal, "INSERT OR REPLACE INTO signals(id,time,candle_time,symbol,timeframe,side,confidence,"
                          "entry,stop,stop_kind,tp1,tp2,tp3,tp4,reward_risk,pattern,volume_confirmed,"
                          "trend_aligned,trend_alignment,htf_score,regime,regime_confidence,indicators,voters,"
                          "source,expiry,state,outcome,best_tp,outcome_time,outcome_price,updated,account) "
                          "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,alphapulse_account())" },
        { &st->ins_equity, "INSERT OR REPLACE INTO equity(time,balance,equity,unrealized,realized,fees,"
                           "exposure,account) VALUES(?,?,?,?,?,?,?,alphapulse_account())" },
        { &st->ins_risk_event, "INSERT INTO risk_events(time,symbol,kind,text,account) VALUES(?,?,?,?,alphapulse_account())" },
        { &st->ins_alert, "INSERT INTO alerts(time,symbol,kind,text) VALUES(?,?,?,?)" },
        { &st->prune, "DELETE FROM candles WHERE symbol=?1 AND timeframe=?2 AND open_time IN "
                      "(SELECT open_time FROM candles WHERE symbol=?1 AND timeframe=?2 AND open_time<?3 "
                      "ORDER BY open_time LIMIT ?4)" },
        { &st->up_risk, "INSERT OR REPLACE INTO paper_risk(account,day,day_start_equity,peak_equity,streak,"
                        "cooldown_until,daily_until,lock,locked_at,updated) VALUES(alphapulse_account(),?,?,?,?,?,?,?,?,?)" },
        { &st->del_book, "DELETE FROM paper_orders WHERE symbol=? AND account=alphapulse_account()" },
        { &st->del_book_order, "DELETE FROM paper_orders WHERE id=?" },
        { &st->up_book_order, "INSERT OR REPLACE INTO paper_orders(id,symbol,side,type,qty,price,reduce_only,source,placed,"
                         "stop,trail,tp1,tp2,tp3,tp4,f1,f2,f3,f4,trail_atr,queue,account) "
                         "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,alphapulse_account())" },
        { &st->up_exits, "INSERT OR REPLACE INTO paper_exits(symbol,stop,trail,trail_ref,tp1,tp2,tp3,tp4,f1,f2,f3,f4,"
                         "base_qty,tp_done,source,opened,trail_atr,trail_stop,account) "
                         "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,alphapulse_account())" },
        { &st->ins_funding, "INSERT OR IGNORE INTO funding(symbol,time,qty,mark,rate,amount,balance_after,account) "
                            "VALUES(?,?,?,?,?,?,?,alphapulse_account())" },
        { &st->funding_position, "UPDATE positions SET realized=?2, updated=?3 WHERE symbol=?1 AND account=alphapulse_account()" },
        /* a trade delivered twice (a reconnect) is the same row */
        { &st->ins_trade, "INSERT OR IGNORE INTO agg_trades(symbol,id,time,price,qty,buyer_maker) "
                          "VALUES(?,?,?,?,?,?)" },
        { &st->prune_trades, "DELETE FROM agg_trades WHERE symbol=?1 AND id IN (SELECT id FROM agg_trades "
                             "WHERE symbol=?1 AND time<?3 ORDER BY time LIMIT ?4)" },
    };
    for (size_t i = 0; i < sizeof q / sizeof q[0]; i++)
        if (sqlite3_prepare_v3(st->db, q[i].sql, -1, SQLITE_PREPARE_PERSISTENT, q[i].st, NULL) != SQLITE_OK) {
            snprintf(err, err_len, "%s: %s", st->path, sqlite3_errmsg(st->db));
            return -1;
        }
    return 0;
}

void store_finalize(struct store *st)
{
    sqlite3_stmt *all[] = { st->ins_candle, st->ins_fill, st->up_position, st->up_account, st->ins_journal,
                            st->up_order, st->fill_order, st->up_signal, st->ins_equity,
                            st->ins_risk_event, st->ins_alert, st->prune, st->up_risk, st->del_book,
                            st->up_book_order, st->up_exits, st->del_book_order, st->ins_funding,
                            st->funding_position, st->ins_trade, st->prune_trades };
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        sqlite3_finalize(all[i]);
}

static int run(sqlite3_stmt *s)
{
    int rc = sqlite3_step(s);
    sqlite3_reset(s);              /* every caller binds every parameter: no clear needed */
    return rc == SQLITE_DONE ? 0 : -1;
}

static void bind_opt(sqlite3_stmt *s, int i, double v)
{
    if (isfinite(v) && v != 0)
        sqlite3_bind_double(s, i, v);
    else
        sqlite3_bind_null(s, i);
}

/* The series of symbol and tf, added when new (NULL: out of memory). The pointer
 * holds until the next call. */
static struct store_series *series_of(struct store *st, const char *symbol, int tf)
{
    int i = symtab_get(&st->series_ix[tf], symbol);
    if (i >= 0)
        return &st->series[i];
    if (st->n_series == st->cap_series) {
        int cap = st->cap_series ? 2 * st->cap_series : 64;
        struct store_series *grown = realloc(st->series, (size_t)cap * sizeof *grown);
        if (!grown)
            return NULL;
        st->series = grown;
        st->cap_series = cap;
    }
    if (symtab_put(&st->series_ix[tf], symbol, st->n_series))
        return NULL;
    struct store_series *s = &st->series[st->n_series++];
    snprintf(s->symbol, sizeof s->symbol, "%s", symbol);
    s->tf = tf;
    s->newest = INT64_MIN;
    s->pruned_to = INT64_MIN;
    return s;
}

static int write_candle(struct store *st, const struct record *r)
{
    sqlite3_stmt *s = st->ins_candle;
    const struct candle *c = &r->u.candle;
    sqlite3_bind_text(s, 1, r->symbol, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, tf_name(r->tf), -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 3, c->open_time);
    sqlite3_bind_double(s, 4, c->open);
    sqlite3_bind_double(s, 5, c->high);
    sqlite3_bind_double(s, 6, c->low);
    sqlite3_bind_double(s, 7, c->close);
    sqlite3_bind_double(s, 8, c->volume);
    sqlite3_bind_double(s, 9, c->quote_volume);
    sqlite3_bind_int64(s, 10, c->trades);
    sqlite3_bind_int64(s, 11, c->flags);
    return run(s);
}

/* The account's balance after a money record (a fill, a funding payment). */
static int set_balance(struct store *st, double balance, int64_t time)
{
    sqlite3_bind_double(st->up_account, 1, balance);
    sqlite3_bind_int64(st->up_account, 2, time);
    return run(st->up_account);
}

static int write_fill(struct store *st, const struct record *r)
{
    const struct record_fill *f = &r->u.fill;
    sqlite3_stmt *s = st->ins_fill;
    sqlite3_bind_int64(s, 1, (sqlite3_int64)f->id);
    sqlite3_bind_int64(s, 2, (sqlite3_int64)f->order_id);
    sqlite3_bind_int64(s, 3, r->time);
    sqlite3_bind_text(s, 4, r->symbol, -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 5, f->side);
    sqlite3_bind_double(s, 6, f->qty);
    sqlite3_bind_double(s, 7, f->price);
    sqlite3_bind_double(s, 8, f->fee);
    sqlite3_bind_double(s, 9, f->realized);
    sqlite3_bind_double(s, 10, f->balance);
    bind_opt(s, 11, f->levels >= 0 ? f->bid : 0);     /* NULL: a candle fill, or that side was empty */
    bind_opt(s, 12, f->levels >= 0 ? f->ask : 0);
    if (f->levels >= 0)
        sqlite3_bind_int(s, 13, f->levels);
    else
        sqlite3_bind_null(s, 13);
    if (run(s))
        return -1;
    if (sqlite3_changes(st->db) == 0)
        return 0;                     /* already stored: position and balance too */
    s = st->fill_order;
    sqlite3_bind_int64(s, 1, (sqlite3_int64)f->order_id);
    sqlite3_bind_double(s, 2, f->qty);
    sqlite3_bind_double(s, 3, f->price);
    sqlite3_bind_int64(s, 4, r->time);
    if (run(s))
        return -1;
    /* and leaves the stored book with it, or a restart could work it again */
    sqlite3_bind_int64(st->del_book_order, 1, (sqlite3_int64)f->order_id);
    if (run(st->del_book_order))
        return -1;
    s = st->up_position;
    sqlite3_bind_text(s, 1, r->symbol, -1, SQLITE_STATIC);
    sqlite3_bind_double(s, 2, f->pos_qty);
    sqlite3_bind_double(s, 3, f->pos_avg);
    sqlite3_bind_double(s, 4, f->pos_realized);
    sqlite3_bind_double(s, 5, f->pos_fees);
    sqlite3_bind_int64(s, 6, r->time);
    if (run(s))
        return -1;
    return set_balance(st, f->balance, r->time);
}

/* A funding payment, its position's realized and the balance after it, at once. */
static int write_funding(struct store *st, const struct record *r)
{
    const struct record_funding *f = &r->u.funding;
    sqlite3_stmt *s = st->ins_funding;
    sqlite3_bind_text(s, 1, r->symbol, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, r->time);
    sqlite3_bind_double(s, 3, f->qty);
    sqlite3_bind_double(s, 4, f->mark);
    sqlite3_bind_double(s, 5, f->rate);
    sqlite3_bind_double(s, 6, f->amount);
    sqlite3_bind_double(s, 7, f->balance);
    if (run(s))
        return -1;
    if (sqlite3_changes(st->db) == 0)
        return 0;                     /* already stored: position and balance too */
    s = st->funding_position;
    sqlite3_bind_text(s, 1, r->symbol, -1, SQLITE_STATIC);
    sqlite3_bind_double(s, 2, f->pos_realized);
    sqlite3_bind_int64(s, 3, r->time);
    if (run(s))
        return -1;
    return set_balance(st, f->balance, r->time);
}

static int write_order(struct store *st, const struct record *r)
{
    const struct record_order *o = &r->u.order;
    sqlite3_stmt *s = st->up_order;
    sqlite3_bind_int64(s, 1, (sqlite3_int64)o->id);
    sqlite3_bind_int64(s, 2, o->placed);
    sqlite3_bind_int64(s, 3, r->time);
    sqlite3_bind_text(s, 4, r->symbol, -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 5, o->side);
    sqlite3_bind_text(s, 6, record_order_type_name(o->type), -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 7, record_order_status_name(o->status), -1, SQLITE_STATIC);
    sqlite3_bind_double(s, 8, o->qty);
    sqlite3_bind_double(s, 9, o->price);
    sqlite3_bind_double(s, 10, o->filled_qty);
    sqlite3_bind_double(s, 11, o->avg_price);
    sqlite3_bind_text(s, 12, o->reason, -1, SQLITE_STATIC);
    if (run(s))
        return -1;
    if (o->status != ORDER_CANCELLED && o->status != ORDER_REJECTED)
        return 0;
    /* out of the stored book in the same transaction: a crash before the book's
     * next replacement must not bring back, working, an order stored as ended */
    sqlite3_bind_int64(st->del_book_order, 1, (sqlite3_int64)o->id);
    return run(st->del_book_order);
}

/* A working order of the paper broker's book is also an order's life in the
 * orders table: placed now; its fill marks it filled (write_fill), a cancel or a
 * rejection by the broker marks it so (a REC_ORDER from the engine). */
static int write_book_order_life(struct store *st, const struct record *r, const struct broker_order *o)
{
    sqlite3_stmt *s = st->up_order;
    sqlite3_bind_int64(s, 1, (sqlite3_int64)o->id);
    sqlite3_bind_int64(s, 2, o->placed);
    sqlite3_bind_int64(s, 3, r->time);
    sqlite3_bind_text(s, 4, r->symbol, -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 5, o->side);
    sqlite3_bind_text(s, 6, record_order_type_name(o->type), -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 7, record_order_status_name(ORDER_PLACED), -1, SQLITE_STATIC);
    sqlite3_bind_double(s, 8, o->qty);
    sqlite3_bind_double(s, 9, o->price);
    sqlite3_bind_double(s, 10, 0);
    sqlite3_bind_double(s, 11, 0);
    sqlite3_bind_text(s, 12, o->reduce_only ? "reduce only" : "", -1, SQLITE_STATIC);
    return run(s);
}

static int write_signal(struct store *st, const struct record *r)
{
    const struct record_signal *g = &r->u.signal;
    sqlite3_stmt *s = st->up_signal;
    char ind[SIGNAL_INDICATORS * 26 + 4];
    size_t n = 0;
    ind[n++] = '[';
    for (int i = 0; i < SIGNAL_INDICATORS; i++)
        n += (size_t)snprintf(ind + n, sizeof ind - n, isfinite(g->indicators[i]) ? "%s%.17g" : "%snull",
                              i ? "," : "", g->indicators[i]);
    snprintf(ind + n, sizeof ind - n, "]");
    int k = 1;
    sqlite3_bind_int64(s, k++, (sqlite3_int64)g->id);
    sqlite3_bind_int64(s, k++, g->time ? g->time : r->time);
    sqlite3_bind_int64(s, k++, g->candle_time);
    sqlite3_bind_text(s, k++, r->symbol, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, k++, tf_name(r->tf), -1, SQLITE_STATIC);
    sqlite3_bind_int(s, k++, g->side);
    sqlite3_bind_double(s, k++, g->confidence);
    sqlite3_bind_double(s, k++, g->entry);
    sqlite3_bind_double(s, k++, g->stop);
    sqlite3_bind_text(s, k++, g->stop_kind ? "swing" : "atr", -1, SQLITE_STATIC);
    for (int i = 0; i < 4; i++)
        bind_opt(s, k++, g->tp[i]);
    sqlite3_bind_double(s, k++, g->reward_risk);
    sqlite3_bind_text(s, k++, g->pattern, -1, SQLITE_STATIC);
    sqlite3_bind_int(s, k++, g->volume_confirmed);
    sqlite3_bind_int(s, k++, g->trend_alignment > 0);
    sqlite3_bind_int(s, k++, g->trend_alignment);
    sqlite3_bind_double(s, k++, isfinite(g->htf_score) ? g->htf_score : 0);
    sqlite3_bind_text(s, k++, g->regime, -1, SQLITE_STATIC);
    if (g->regime[0] && isfinite(g->regime_confidence))
        sqlite3_bind_double(s, k++, g->regime_confidence);
    else
        sqlite3_bind_null(s, k++);
    sqlite3_bind_text(s, k++, ind, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(s, k++, g->voters);
    sqlite3_bind_text(s, k++, g->source, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, k++, g->expiry);
    sqlite3_bind_text(s, k++, record_signal_state_name(g->state), -1, SQLITE_STATIC);
    sqlite3_bind_text(s, k++, record_signal_outcome_name(g->outcome), -1, SQLITE_STATIC);
    sqlite3_bind_int(s, k++, g->best_tp);
    if (g->outcome != OUTCOME_OPEN) {
        sqlite3_bind_int64(s, k++, g->outcome_time);
        sqlite3_bind_double(s, k++, g->outcome_price);
    } else {
        sqlite3_bind_null(s, k++);
        sqlite3_bind_null(s, k++);
    }
    sqlite3_bind_int64(s, k++, r->time);
    return run(s);
}

static int write_record(struct store *st, const struct record *r)
{
    sqlite3_stmt *s;
    switch (r->type) {
    case REC_CANDLE:
        return write_candle(st, r);
    case REC_RISK: {
        const struct risk_state *k = &r->u.risk;
        s = st->up_risk;
        sqlite3_bind_int64(s, 1, k->day);
        sqlite3_bind_double(s, 2, k->day_start_equity);
        sqlite3_bind_double(s, 3, k->peak_equity);
        sqlite3_bind_int(s, 4, k->streak);
        sqlite3_bind_int64(s, 5, k->cooldown_until);
        sqlite3_bind_int64(s, 6, k->daily_until);
        sqlite3_bind_int(s, 7, k->lock);
        sqlite3_bind_int64(s, 8, k->locked_at);
        sqlite3_bind_int64(s, 9, k->updated);
        return run(s);
    }
    case REC_BOOK: {
        sqlite3_bind_text(st->del_book, 1, r->symbol, -1, SQLITE_STATIC);
        return run(st->del_book);
    }
    case REC_BOOK_ORDER: {
        const struct broker_order *o = &r->u.book_order;
        if (write_book_order_life(st, r, o))
            return -1;
        s = st->up_book_order;
        sqlite3_bind_int64(s, 1, (sqlite3_int64)o->id);
        sqlite3_bind_text(s, 2, r->symbol, -1, SQLITE_STATIC);
        sqlite3_bind_int(s, 3, o->side);
        sqlite3_bind_int(s, 4, o->type);
        sqlite3_bind_double(s, 5, o->qty);
        sqlite3_bind_double(s, 6, o->price);
        sqlite3_bind_int(s, 7, o->reduce_only);
        sqlite3_bind_int(s, 8, o->source);
        sqlite3_bind_int64(s, 9, o->placed);
        sqlite3_bind_double(s, 10, o->br.stop);
        sqlite3_bind_double(s, 11, o->br.trail);
        for (int i = 0; i < BROKER_TP; i++) {
            sqlite3_bind_double(s, 12 + i, o->br.tp[i]);
            sqlite3_bind_double(s, 16 + i, o->br.tp_frac[i]);
        }
        sqlite3_bind_double(s, 20, o->br.trail_atr);
        sqlite3_bind_double(s, 21, o->queue >= 0 ? o->queue : -1);
        return run(s);
    }
    case REC_EXITS: {
        const struct bracket *b = &r->u.exits.br;
        s = st->up_exits;
        sqlite3_bind_text(s, 1, r->symbol, -1, SQLITE_STATIC);
        sqlite3_bind_double(s, 2, b->stop);
        sqlite3_bind_double(s, 3, b->trail);
        sqlite3_bind_double(s, 4, b->trail_ref);
        for (int i = 0; i < BROKER_TP; i++) {
            sqlite3_bind_double(s, 5 + i, b->tp[i]);
            sqlite3_bind_double(s, 9 + i, b->tp_frac[i]);
        }
        sqlite3_bind_double(s, 13, b->base_qty);
        sqlite3_bind_int(s, 14, b->tp_done);
        sqlite3_bind_int(s, 15, r->u.exits.source);
        sqlite3_bind_int64(s, 16, r->u.exits.opened);
        sqlite3_bind_double(s, 17, b->trail_atr);
        sqlite3_bind_double(s, 18, b->trail_stop);
        return run(s);
    }
    case REC_TRADE:
        s = st->ins_trade;
        sqlite3_bind_text(s, 1, r->symbol, -1, SQLITE_STATIC);
        sqlite3_bind_int64(s, 2, (sqlite3_int64)r->u.trade.id);
        sqlite3_bind_int64(s, 3, r->time);
        sqlite3_bind_double(s, 4, r->u.trade.price);
        sqlite3_bind_double(s, 5, r->u.trade.qty);
        sqlite3_bind_int(s, 6, r->u.trade.buyer_maker);
        return run(s);
    case REC_FILL:
        return write_fill(st, r);
    case REC_FUNDING:
        return write_funding(st, r);
    case REC_ORDER:
        return write_order(st, r);
    case REC_SIGNAL:
        return write_signal(st, r);
    case REC_EQUITY: {
        const struct record_equity *q = &r->u.equity;
        s = st->ins_equity;
        sqlite3_bind_int64(s, 1, r->time);
        sqlite3_bind_double(s, 2, q->balance);
        sqlite3_bind_double(s, 3, q->equity);
        sqlite3_bind_double(s, 4, q->unrealized);
        sqlite3_bind_double(s, 5, q->realized);
        sqlite3_bind_double(s, 6, q->fees);
        sqlite3_bind_double(s, 7, q->exposure);
        return run(s);
    }
    case REC_JOURNAL:
    case REC_RISK_EVENT:
    case REC_ALERT:
        s = r->type == REC_JOURNAL ? st->ins_journal : r->type == REC_RISK_EVENT ? st->ins_risk_event
                                                                                 : st->ins_alert;
        sqlite3_bind_int64(s, 1, r->time);
        sqlite3_bind_text(s, 2, r->u.text.kind[0] ? r->u.text.kind : "note", -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 3, r->symbol, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 4, r->u.text.text, -1, SQLITE_STATIC);
        return run(s);
    }
    return 0;
}

static void print_acks(struct store *st, const struct record *batch, int n)
{
    FILE *f = st->ack_stream;
    for (int i = 0; i < n; i++) {
        const struct record *r = &batch[i];
        if (r->type == REC_ORDER) {
            fprintf(f, "durable order %" PRIu64 " %s %s\n", r->u.order.id,
                    record_order_status_name(r->u.order.status), r->symbol);
        } else if (r->type == REC_BOOK_ORDER) {
            fprintf(f, "durable order %" PRIu64 " placed %s\n", r->u.book_order.id, r->symbol);
        } else if (r->type == REC_FILL) {
            const struct record_fill *x = &r->u.fill;
            fprintf(f, "durable fill %" PRIu64 " %" PRIu64 " %s %d %.17g %.17g %.17g %.17g %.17g\n", x->id,
                    x->order_id, r->symbol, x->side, x->qty, x->price, x->fee, x->realized, x->balance);
        } else if (r->type == REC_FUNDING) {
            const struct record_funding *x = &r->u.funding;
            fprintf(f, "durable funding %s %" PRId64 " %.17g %.17g\n", r->symbol, r->time, x->amount, x->balance);
        }
    }
    fflush(f);
}

/* Returns 0 when committed. */
static int write_batch(struct store *st, const struct record *batch, int n)
{
    bool money = false;
    for (int i = 0; i < n; i++)
        money |= record_is_money(batch[i].type);
    int rc;
    char why[512] = "";
    /* the pruner follows the newest candle (trade) of each series, whichever backend */
    for (int i = 0; i < n; i++) {
        const struct record *r = &batch[i];
        if (r->type != REC_CANDLE && r->type != REC_TRADE)
            continue;
        struct store_series *ser = series_of(st, r->symbol, r->type == REC_TRADE ? STORE_TRADES_TF : r->tf);
        int64_t t = r->type == REC_TRADE ? r->time : r->u.candle.open_time;
        if (ser && t > ser->newest)
            ser->newest = t;
    }
    if (st->pg) {
        rc = pg_store_write(st->pg, batch, n, money, why, sizeof why) ? SQLITE_ERROR : SQLITE_OK;
    } else {
        sqlite3_exec(st->db, money ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL", NULL, NULL, NULL);
        rc = sqlite3_exec(st->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
        int bad = -1;
        for (int i = 0; rc == SQLITE_OK && i < n; i++)
            if (write_record(st, &batch[i])) {
                rc = SQLITE_ERROR;
                bad = i;
            }
        if (rc == SQLITE_OK)
            rc = sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL);
        if (rc != SQLITE_OK) {
            snprintf(why, sizeof why, "%s%s%s", sqlite3_errmsg(st->db), bad >= 0 ? ", record type " : "",
                     bad >= 0 ? (batch[bad].type == REC_CANDLE ? "candle" : "other") : "");
            sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
        }
    }
    if (rc != SQLITE_OK) {
        if (!atomic_load(&st->ack.failing))
            log_error("%s: write failed (%s); retrying, orders are refused until it works", st->path, why);
        atomic_store(&st->ack.failing, 1);
        return -1;
    }
    if (atomic_load(&st->ack.failing))
        log_info("%s: writes work again", st->path);
    atomic_store(&st->ack.failing, 0);
    uint64_t last = batch[n - 1].seq;
    if (last > atomic_load(&st->ack.durable_seq))
        atomic_store(&st->ack.durable_seq, last);
    atomic_fetch_add(&st->rows, (unsigned long long)n);
    if (st->ack_stream && money)
        print_acks(st, batch, n);
    return 0;
}

/* One pruning transaction on the first series that has rows past its keep period.
 * The cut-off follows the newest candle written, not the wall clock, so the same
 * data always prunes to the same rows. Returns true when it did some work. */
static bool prune_step(struct store *st)
{
    for (int i = 0; i < st->n_series; i++) {
        struct store_series *s = &st->series[i];
        int64_t keep = s->tf == STORE_TRADES_TF ? st->retention.keep_trades_ms : st->retention.keep_ms[s->tf];
        if (keep <= 0 || s->newest == INT64_MIN)
            continue;
        int64_t cut = s->newest - keep;
        if (cut <= s->pruned_to)
            continue;
        int step = st->retention.step_rows > 0 ? st->retention.step_rows : 5000;
        if (st->pg) {
            long deleted = pg_store_prune(st->pg, s->symbol, s->tf, cut, step);
            if (deleted < 0)
                return false;
            atomic_fetch_add(&st->pruned, (unsigned long long)deleted);
            if (deleted < step)
                s->pruned_to = cut;
            return true;
        }
        sqlite3_exec(st->db, "PRAGMA synchronous=NORMAL", NULL, NULL, NULL);
        if (sqlite3_exec(st->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
            return false;
        bool trades = s->tf == STORE_TRADES_TF;
        sqlite3_stmt *q = trades ? st->prune_trades : st->prune;
        sqlite3_bind_text(q, 1, s->symbol, -1, SQLITE_STATIC);
        if (!trades)                  /* (the trades' statement has no ?2) */
            sqlite3_bind_text(q, 2, tf_name(s->tf), -1, SQLITE_STATIC);
        sqlite3_bind_int64(q, 3, cut);
        sqlite3_bind_int(q, 4, step);
        int rc = run(q);
        int deleted = rc ? 0 : sqlite3_changes(st->db);
        if (rc || sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
            sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
            return false;
        }
        atomic_fetch_add(&st->pruned, (unsigned long long)deleted);
        if (deleted < step)
            s->pruned_to = cut;       /* nothing older is left */
        return true;
    }
    return false;
}

/* Series already in the database, so that pruning also covers data written by
 * earlier runs. Runs in the store thread: it may take a moment on a big file. */
static void learned(void *ctx, const char *symbol, int tf, int64_t newest)
{
    struct store_series *s = strlen(symbol) < SYMBOL_MAX ? series_of(ctx, symbol, tf) : NULL;
    if (s && newest > s->newest)
        s->newest = newest;
}

static void learn_series(struct store *st)
{
    if (st->pg) {
        pg_store_learn_series(st->pg, learned, st);
        return;
    }
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(st->db, "SELECT DISTINCT symbol, timeframe FROM candles", -1, &q, NULL) != SQLITE_OK)
        return;
    sqlite3_stmt *mx = NULL;
    sqlite3_prepare_v2(st->db, "SELECT max(open_time) FROM candles WHERE symbol=? AND timeframe=?", -1, &mx, NULL);
    while (mx && sqlite3_step(q) == SQLITE_ROW) {
        const char *sym = (const char *)sqlite3_column_text(q, 0);
        int tf = tf_parse((const char *)sqlite3_column_text(q, 1));
        if (!sym || tf < 0 || strlen(sym) >= SYMBOL_MAX)
            continue;
        sqlite3_bind_text(mx, 1, sym, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(mx, 2, tf_name(tf), -1, SQLITE_STATIC);
        struct store_series *s = series_of(st, sym, tf);
        if (s && sqlite3_step(mx) == SQLITE_ROW && sqlite3_column_type(mx, 0) != SQLITE_NULL) {
            int64_t t = sqlite3_column_int64(mx, 0);
            if (t > s->newest)
                s->newest = t;
        }
        sqlite3_reset(mx);
    }
    sqlite3_finalize(mx);
    sqlite3_finalize(q);
    if (sqlite3_prepare_v2(st->db, "SELECT symbol, max(time) FROM agg_trades GROUP BY symbol", -1, &q, NULL))
        return;
    while (sqlite3_step(q) == SQLITE_ROW) {
        const char *sym = (const char *)sqlite3_column_text(q, 0);
        if (sym)
            learned(st, sym, STORE_TRADES_TF, sqlite3_column_int64(q, 1));
    }
    sqlite3_finalize(q);
}

/* A symbol's stored book is replaced by a run of records: REC_BOOK (clear),
 * REC_BOOK_ORDER..., REC_EXITS. A run must commit in one transaction, or a crash
 * between two would leave the book cleared and its working orders lost to the
 * restart. Returns where an unfinished run at the end of the batch starts, or n. */
static int open_run(const struct record *b, int n)
{
    for (int i = n - 1; i >= 0; i--) {
        if (b[i].type == REC_EXITS)
            return n;
        if (b[i].type == REC_BOOK)
            return i;
    }
    return n;
}

static int batch_cap(struct spsc *records)
{
    size_t q = spsc_capacity(records);
    return q < BATCH_MAX ? (int)q : BATCH_MAX;
}

static void *writer_main(void *arg)
{
    struct store *st = arg;
    struct record *batch = st->batch;
    const int cap = batch_cap(st->records);
    int carried = 0;                  /* money records of a failed batch (or a held run), written first */
    int64_t last_prune = 0;
    learn_series(st);
    long idle_ns = 1000000;
    for (;;) {
        bool stopping = atomic_load(&st->stop);
        int n = carried;
        while (n < cap && spsc_pop(st->records, &batch[n])) {
            /* "binance:BTCUSDT" is stored as "BTCUSDT" (store.h) */
            store_symbol_canonical(batch[n].symbol, batch[n].symbol, sizeof batch[n].symbol);
            n += !store_forming_take(st, &batch[n]);
        }
        /* the engine queues a run all at once: its end is microseconds away */
        int cut = open_run(batch, n);
        for (int k = 0; cut < n && n < cap && k < 2000; k++) {
            if (spsc_pop(st->records, &batch[n])) {
                store_symbol_canonical(batch[n].symbol, batch[n].symbol, sizeof batch[n].symbol);
                n += !store_forming_take(st, &batch[n]);
                cut = open_run(batch, n);
            } else {
                nanosleep(&(struct timespec){ 0, 10000 }, NULL);
            }
        }
        if (cut == 0)
            cut = n;                  /* a run that does not end (its end was dropped): write it as it is */
        if (cut && write_batch(st, batch, cut) != 0) {
            /* a PostgreSQL server out of reach (a restart, the network): the whole
             * batch waits for it, candles too, and the queue holds what comes
             * meanwhile; any other failure keeps the money records only */
            bool outage = st->pg && !pg_store_connected(st->pg);
            carried = 0;
            for (int i = 0; i < n; i++)
                if (outage || record_is_money(batch[i].type))
                    batch[carried++] = batch[i];
            if (stopping && carried) {
                log_error("%s: %d money records could not be written before the stop", st->path, carried);
                break;
            }
            nanosleep(&(struct timespec){ 0, RETRY_NS }, NULL);
            continue;
        }
        carried = n - cut;            /* an unfinished run waits for its end, first in the next batch */
        memmove(batch, batch + cut, (size_t)carried * sizeof batch[0]);
        store_forming_flush(st, false);
        if (carried)
            continue;
        if (n == cap)
            continue;                 /* behind: writing first */
        int64_t now = clock_mono_ns();
        if (!stopping && now - last_prune >= PRUNE_EVERY_NS) {
            if (!prune_step(st))
                last_prune = now;     /* nothing to do: look again later */
            continue;
        }
        if (n == 0 && stopping)
            break;
        idle_ns = n ? 1000000 : (idle_ns < 16000000 ? idle_ns * 2 : 16000000);   /* back off when idle */
        if (n == 0)
            nanosleep(&(struct timespec){ 0, idle_ns }, NULL);
    }
    store_forming_end(st);
    return NULL;
}

int store_start(struct store *st, struct spsc *records)
{
    st->records = records;
    if (!st->batch && !(st->batch = calloc((size_t)batch_cap(records), sizeof *st->batch)))
        return -1;
    atomic_store(&st->stop, false);
    if (pthread_create(&st->thread, NULL, writer_main, st) != 0)
        return -1;
    st->running = true;
    return 0;
}

void store_stop(struct store *st)
{
    if (!st || !st->running)
        return;
    atomic_store(&st->stop, true);
    pthread_join(st->thread, NULL);
    st->running = false;
    free(st->batch);                  /* the store thread's alone, now joined */
    st->batch = NULL;
}
