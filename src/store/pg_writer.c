/* The PostgreSQL backend's writes: one batch of records in one transaction, with
 * the same statements' meaning as the SQLite writer (writer.c). Candles go in by
 * binary COPY (pg_candles.c: straight into the table when new, upserted through
 * a staging table when not); stored trades by one binary COPY into a staging
 * table and one INSERT ... SELECT from it (a repeated trade is ignored).
 *
 * Durability: a batch holding a money record commits with synchronous_commit on
 * (the commit returns once the WAL is flushed); others with it off (a server
 * crash may lose the last few candles, never corrupt them), as SQLite's FULL and
 * NORMAL. A lost connection is reconnected before the next attempt; the store
 * thread keeps the failed batch's money records and retries them. */
#include "pg_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


void pg_fmt_double(char *buf, size_t n, double v)
{
    if (isnan(v))
        snprintf(buf, n, "NaN");
    else if (isinf(v))
        snprintf(buf, n, v > 0 ? "Infinity" : "-Infinity");
    else
        snprintf(buf, n, "%.17g", v);
}

void pg_p_int(struct pg_params *p, int64_t v)
{
    snprintf(p->buf[p->n], sizeof p->buf[0], "%lld", (long long)v);
    p->v[p->n] = p->buf[p->n];
    p->n++;
}

void pg_p_dbl(struct pg_params *p, double v)
{
    pg_fmt_double(p->buf[p->n], sizeof p->buf[0], v);
    p->v[p->n] = p->buf[p->n];
    p->n++;
}

void pg_p_text(struct pg_params *p, const char *s) { p->v[p->n++] = s; }
void pg_p_null(struct pg_params *p) { p->v[p->n++] = NULL; }

long pg_run(PGconn *c, const char *sql, const struct pg_params *p, char *err, size_t err_len)
{
    PGresult *r = PQexecParams(c, sql, p ? p->n : 0, NULL, p ? p->v : NULL, NULL, NULL, 0);
    ExecStatusType s = PQresultStatus(r);
    long rows = -1;
    if (s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK) {
        rows = atol(PQcmdTuples(r));
    } else if (err) {
        snprintf(err, err_len, "%s", PQresultErrorMessage(r)[0] ? PQresultErrorMessage(r) : PQerrorMessage(c));
        err[strcspn(err, "\n")] = 0;
    }
    PQclear(r);
    return rows;
}

static void p_opt(struct pg_params *p, double v)
{
    if (isfinite(v) && v != 0)
        pg_p_dbl(p, v);
    else
        pg_p_null(p);
}

#define RUN(sql) (pg_run(c, sql, &p, err, err_len) < 0 ? -1 : 0)

static int write_order_row(PGconn *c, const struct record *r, uint64_t id, int64_t placed, int side, int type,
                           int status, double qty, double price, double filled, double avg, const char *reason,
                           char *err, size_t err_len)
{
    struct pg_params p = { 0 };
    pg_p_int(&p, (int64_t)id);
    pg_p_int(&p, placed);
    pg_p_int(&p, r->time);
    pg_p_text(&p, r->symbol);
    pg_p_int(&p, side);
    pg_p_text(&p, record_order_type_name(type));
    pg_p_text(&p, record_order_status_name(status));
    pg_p_dbl(&p, qty);
    pg_p_dbl(&p, price);
    pg_p_dbl(&p, filled);
    pg_p_dbl(&p, avg);
    pg_p_text(&p, reason);
    /* qty and price follow the order: an amended one shows what it works at now */
    return RUN("INSERT INTO orders(id,time,updated,symbol,side,type,status,qty,price,filled_qty,avg_price,reason,"
               "account) VALUES($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,alphapulse_account()) "
               "ON CONFLICT(id) DO UPDATE SET updated=$3, status=$7, "
               "qty=$8, price=$9, filled_qty=$10, avg_price=$11, reason=$12");
}

static int del_book_order(PGconn *c, uint64_t id, char *err, size_t err_len)
{
    struct pg_params p = { 0 };
    pg_p_int(&p, (int64_t)id);
    return RUN("DELETE FROM paper_orders WHERE id=$1");
}

static int write_fill(PGconn *c, const struct record *r, char *err, size_t err_len)
{
    const struct record_fill *f = &r->u.fill;
    struct pg_params p = { 0 };
    pg_p_int(&p, (int64_t)f->id);
    pg_p_int(&p, (int64_t)f->order_id);
    pg_p_int(&p, r->time);
    pg_p_text(&p, r->symbol);
    pg_p_int(&p, f->side);
    pg_p_dbl(&p, f->qty);
    pg_p_dbl(&p, f->price);
    pg_p_dbl(&p, f->fee);
    pg_p_dbl(&p, f->realized);
    pg_p_dbl(&p, f->balance);
    bool book = f->levels >= 0;         /* NULL: a candle fill, or that side was empty (writer.c) */
    if (book && f->bid > 0)
        pg_p_dbl(&p, f->bid);
    else
        pg_p_null(&p);
    if (book && f->ask > 0)
        pg_p_dbl(&p, f->ask);
    else
        pg_p_null(&p);
    if (book)
        pg_p_int(&p, f->levels);
    else
        pg_p_null(&p);
    long n = pg_run(c, "INSERT INTO fills(id,order_id,time,symbol,side,qty,price,fee,realized,balance_after,bid,"
                       "ask,levels,account) VALUES($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,alphapulse_account()) "
                       "ON CONFLICT(id) DO NOTHING",
                       &p, err, err_len);
    if (n < 0)
        return -1;
    if (n == 0)
        return 0;                     /* already stored: position and balance too */
    /* the fill marks its order filled in the same transaction (see writer.c) */
    p = (struct pg_params){ 0 };
    pg_p_int(&p, (int64_t)f->order_id);
    pg_p_dbl(&p, f->qty);
    pg_p_dbl(&p, f->price);
    pg_p_int(&p, r->time);
    if (RUN("UPDATE orders SET status='filled', filled_qty=$2, avg_price=$3, updated=$4 WHERE id=$1"))
        return -1;
    if (del_book_order(c, f->order_id, err, err_len))
        return -1;
    p = (struct pg_params){ 0 };
    pg_p_text(&p, r->symbol);
    pg_p_dbl(&p, f->pos_qty);
    pg_p_dbl(&p, f->pos_avg);
    pg_p_dbl(&p, f->pos_realized);
    pg_p_dbl(&p, f->pos_fees);
    pg_p_int(&p, r->time);
    if (RUN("INSERT INTO positions(symbol,qty,avg,realized,fees,updated,account) "
            "VALUES($1,$2,$3,$4,$5,$6,alphapulse_account()) ON CONFLICT(account,symbol) DO UPDATE SET qty=$2, "
            "avg=$3, realized=$4, fees=$5, updated=$6"))
        return -1;
    p = (struct pg_params){ 0 };
    pg_p_dbl(&p, f->balance);
    pg_p_int(&p, r->time);
    return RUN("INSERT INTO account(account,balance,updated) VALUES(alphapulse_account(),$1,$2) "
               "ON CONFLICT(account) DO UPDATE SET balance=$1, updated=$2");
}

/* A funding payment, its position's realized and the balance after it (writer.c). */
static int write_funding(PGconn *c, const struct record *r, char *err, size_t err_len)
{
    const struct record_funding *f = &r->u.funding;
    struct pg_params p = { 0 };
    pg_p_text(&p, r->symbol);
    pg_p_int(&p, r->time);
    pg_p_dbl(&p, f->qty);
    pg_p_dbl(&p, f->mark);
    pg_p_dbl(&p, f->rate);
    pg_p_dbl(&p, f->amount);
    pg_p_dbl(&p, f->balance);
    long n = pg_run(c, "INSERT INTO funding(symbol,time,qty,mark,rate,amount,balance_after,account) "
                       "VALUES($1,$2,$3,$4,$5,$6,$7,alphapulse_account()) ON CONFLICT(account,symbol,time) DO NOTHING",
                       &p, err, err_len);
    if (n <= 0)
        return n < 0 ? -1 : 0;        /* already stored: position and balance too */
    p = (struct pg_params){ 0 };
    pg_p_text(&p, r->symbol);
    pg_p_dbl(&p, f->pos_realized);
    pg_p_int(&p, r->time);
    if (RUN("UPDATE positions SET realized=$2, updated=$3 WHERE symbol=$1 AND account=alphapulse_account()"))
        return -1;
    p = (struct pg_params){ 0 };
    pg_p_dbl(&p, f->balance);
    pg_p_int(&p, r->time);
    return RUN("INSERT INTO account(account,balance,updated) VALUES(alphapulse_account(),$1,$2) "
               "ON CONFLICT(account) DO UPDATE SET balance=$1, updated=$2");
}

static int write_signal(PGconn *c, const struct record *r, char *err, size_t err_len)
{
    const struct record_signal *g = &r->u.signal;
    char ind[SIGNAL_INDICATORS * 26 + 4];
    size_t n = 0;
    ind[n++] = '[';
    for (int i = 0; i < SIGNAL_INDICATORS; i++)
        n += (size_t)snprintf(ind + n, sizeof ind - n, isfinite(g->indicators[i]) ? "%s%.17g" : "%snull",
                              i ? "," : "", g->indicators[i]);
    snprintf(ind + n, sizeof ind - n, "]");
    struct pg_params p = { 0 };
    pg_p_int(&p, (int64_t)g->id);
    pg_p_int(&p, g->time ? g->time : r->time);
    pg_p_int(&p, g->candle_time);
    pg_p_text(&p, r->symbol);
    pg_p_text(&p, tf_name(r->tf));
    pg_p_int(&p, g->side);
    pg_p_dbl(&p, g->confidence);
    pg_p_dbl(&p, g->entry);
    pg_p_dbl(&p, g->stop);
    pg_p_text(&p, g->stop_kind ? "swing" : "atr");
    for (int i = 0; i < 4; i++)
        p_opt(&p, g->tp[i]);
    pg_p_dbl(&p, g->reward_risk);
    pg_p_text(&p, g->pattern);
    pg_p_int(&p, g->volume_confirmed);
    pg_p_int(&p, g->trend_alignment > 0);
    pg_p_int(&p, g->trend_alignment);
    pg_p_dbl(&p, isfinite(g->htf_score) ? g->htf_score : 0);
    pg_p_text(&p, g->regime);
    if (g->regime[0] && isfinite(g->regime_confidence))
        pg_p_dbl(&p, g->regime_confidence);
    else
        pg_p_null(&p);
    pg_p_text(&p, ind);
    pg_p_int(&p, g->voters);
    pg_p_text(&p, g->source);
    pg_p_int(&p, g->expiry);
    pg_p_text(&p, record_signal_state_name(g->state));
    pg_p_text(&p, record_signal_outcome_name(g->outcome));
    pg_p_int(&p, g->best_tp);
    if (g->outcome != OUTCOME_OPEN) {
        pg_p_int(&p, g->outcome_time);
        pg_p_dbl(&p, g->outcome_price);
    } else {
        pg_p_null(&p);
        pg_p_null(&p);
    }
    pg_p_int(&p, r->time);
    return RUN("INSERT INTO signals(id,time,candle_time,symbol,timeframe,side,confidence,entry,stop,stop_kind,"
               "tp1,tp2,tp3,tp4,reward_risk,pattern,volume_confirmed,trend_aligned,trend_alignment,htf_score,regime,"
               "regime_confidence,indicators,voters,source,expiry,state,outcome,best_tp,outcome_time,outcome_price,"
               "updated,account) VALUES($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,$21,"
               "$22,$23,$24,$25,$26,$27,$28,$29,$30,$31,$32,alphapulse_account()) ON CONFLICT(id) DO UPDATE SET time=$2, candle_time=$3, "
               "symbol=$4, timeframe=$5, side=$6, confidence=$7, entry=$8, stop=$9, stop_kind=$10, tp1=$11, tp2=$12, "
               "tp3=$13, tp4=$14, reward_risk=$15, pattern=$16, volume_confirmed=$17, trend_aligned=$18, "
               "trend_alignment=$19, htf_score=$20, regime=$21, regime_confidence=$22, indicators=$23, voters=$24, "
               "source=$25, expiry=$26, state=$27, outcome=$28, best_tp=$29, outcome_time=$30, outcome_price=$31, "
               "updated=$32");
}

static int write_record(PGconn *c, const struct record *r, char *err, size_t err_len)
{
    struct pg_params p = { 0 };
    switch (r->type) {
    case REC_RISK: {
        const struct risk_state *k = &r->u.risk;
        pg_p_int(&p, k->day);
        pg_p_dbl(&p, k->day_start_equity);
        pg_p_dbl(&p, k->peak_equity);
        pg_p_int(&p, k->streak);
        pg_p_int(&p, k->cooldown_until);
        pg_p_int(&p, k->daily_until);
        pg_p_int(&p, k->lock);
        pg_p_int(&p, k->locked_at);
        pg_p_int(&p, k->updated);
        return RUN("INSERT INTO paper_risk(account,day,day_start_equity,peak_equity,streak,cooldown_until,daily_until,"
                   "lock,locked_at,updated) VALUES(alphapulse_account(),$1,$2,$3,$4,$5,$6,$7,$8,$9) "
                   "ON CONFLICT(account) DO UPDATE SET "
                   "day=$1, day_start_equity=$2, peak_equity=$3, streak=$4, cooldown_until=$5, daily_until=$6, "
                   "lock=$7, locked_at=$8, updated=$9");
    }
    case REC_BOOK:
        pg_p_text(&p, r->symbol);
        return RUN("DELETE FROM paper_orders WHERE symbol=$1 AND account=alphapulse_account()");
    case REC_BOOK_ORDER: {
        const struct broker_order *o = &r->u.book_order;
        if (write_order_row(c, r, o->id, o->placed, o->side, o->type, ORDER_PLACED, o->qty, o->price, 0, 0,
                            o->reduce_only ? "reduce only" : "", err, err_len))
            return -1;
        pg_p_int(&p, (int64_t)o->id);
        pg_p_text(&p, r->symbol);
        pg_p_int(&p, o->side);
        pg_p_int(&p, o->type);
        pg_p_dbl(&p, o->qty);
        pg_p_dbl(&p, o->price);
        pg_p_int(&p, o->reduce_only);
        pg_p_int(&p, o->source);
        pg_p_int(&p, o->placed);
        pg_p_dbl(&p, o->br.stop);
        pg_p_dbl(&p, o->br.trail);
        for (int i = 0; i < BROKER_TP; i++)
            pg_p_dbl(&p, o->br.tp[i]);
        for (int i = 0; i < BROKER_TP; i++)
            pg_p_dbl(&p, o->br.tp_frac[i]);
        pg_p_dbl(&p, o->br.trail_atr);
        pg_p_dbl(&p, o->queue >= 0 ? o->queue : -1);
        return RUN("INSERT INTO paper_orders(id,symbol,side,type,qty,price,reduce_only,source,placed,stop,trail,"
                   "tp1,tp2,tp3,tp4,f1,f2,f3,f4,trail_atr,queue,account) VALUES($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,"
                   "$13,$14,$15,$16,$17,$18,$19,$20,$21,alphapulse_account()) ON CONFLICT(id) DO UPDATE SET symbol=$2, side=$3, type=$4, qty=$5, "
                   "price=$6, reduce_only=$7, source=$8, placed=$9, stop=$10, trail=$11, tp1=$12, tp2=$13, tp3=$14, "
                   "tp4=$15, f1=$16, f2=$17, f3=$18, f4=$19, trail_atr=$20, queue=$21");
    }
    case REC_EXITS: {
        const struct bracket *b = &r->u.exits.br;
        pg_p_text(&p, r->symbol);
        pg_p_dbl(&p, b->stop);
        pg_p_dbl(&p, b->trail);
        pg_p_dbl(&p, b->trail_ref);
        for (int i = 0; i < BROKER_TP; i++)
            pg_p_dbl(&p, b->tp[i]);
        for (int i = 0; i < BROKER_TP; i++)
            pg_p_dbl(&p, b->tp_frac[i]);
        pg_p_dbl(&p, b->base_qty);
        pg_p_int(&p, b->tp_done);
        pg_p_int(&p, r->u.exits.source);
        pg_p_int(&p, r->u.exits.opened);
        pg_p_dbl(&p, b->trail_atr);
        pg_p_dbl(&p, b->trail_stop);
        return RUN("INSERT INTO paper_exits(symbol,stop,trail,trail_ref,tp1,tp2,tp3,tp4,f1,f2,f3,f4,base_qty,"
                   "tp_done,source,opened,trail_atr,trail_stop,account) VALUES($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,"
                   "$12,$13,$14,$15,$16,$17,$18,alphapulse_account()) ON CONFLICT(account,symbol) DO UPDATE SET stop=$2, trail=$3, trail_ref=$4, tp1=$5, "
                   "tp2=$6, tp3=$7, tp4=$8, f1=$9, f2=$10, f3=$11, f4=$12, base_qty=$13, tp_done=$14, source=$15, "
                   "opened=$16, trail_atr=$17, trail_stop=$18");
    }
    case REC_FILL:
        return write_fill(c, r, err, err_len);
    case REC_FUNDING:
        return write_funding(c, r, err, err_len);
    case REC_ORDER: {
        const struct record_order *o = &r->u.order;
        if (write_order_row(c, r, o->id, o->placed, o->side, o->type, o->status, o->qty, o->price, o->filled_qty,
                            o->avg_price, o->reason, err, err_len))
            return -1;
        if (o->status != ORDER_CANCELLED && o->status != ORDER_REJECTED)
            return 0;
        return del_book_order(c, o->id, err, err_len);
    }
    case REC_SIGNAL:
        return write_signal(c, r, err, err_len);
    case REC_EQUITY: {
        const struct record_equity *q = &r->u.equity;
        pg_p_int(&p, r->time);
        pg_p_dbl(&p, q->balance);
        pg_p_dbl(&p, q->equity);
        pg_p_dbl(&p, q->unrealized);
        pg_p_dbl(&p, q->realized);
        pg_p_dbl(&p, q->fees);
        pg_p_dbl(&p, q->exposure);
        return RUN("INSERT INTO equity(time,balance,equity,unrealized,realized,fees,exposure,account) "
                   "VALUES($1,$2,$3,$4,$5,$6,$7,alphapulse_account()) ON CONFLICT(account,time) DO UPDATE SET balance=$2, equity=$3, "
                   "unrealized=$4, realized=$5, fees=$6, exposure=$7");
    }
    case REC_JOURNAL:
    case REC_RISK_EVENT:
    case REC_ALERT: {
        pg_p_int(&p, r->time);
        pg_p_text(&p, r->u.text.kind[0] ? r->u.text.kind : "note");
        pg_p_text(&p, r->symbol);
        pg_p_text(&p, r->u.text.text);
        const char *sql = r->type == REC_JOURNAL ? "INSERT INTO journal(time,kind,symbol,text,account) "
                                                   "VALUES($1,$2,$3,$4,alphapulse_account())"
                        : r->type == REC_RISK_EVENT ? "INSERT INTO risk_events(time,kind,symbol,text,account) "
                                                      "VALUES($1,$2,$3,$4,alphapulse_account())"
                                                    : "INSERT INTO alerts(time,kind,symbol,text) VALUES($1,$2,$3,$4)";
        return RUN(sql);
    }
    }
    return 0;
}

/* Trades through the staging table: a repeat (in the batch or stored) is ignored. */
static int write_trades(struct pg_store *ps, const struct record **ts, int n, char *err, size_t err_len)
{
    struct pg_copy k;
    if (pg_staging(ps, err, err_len) ||
        pg_copy_begin(&k, ps->conn, "COPY trades_in(symbol,id,time,price,qty,buyer_maker) FROM STDIN (FORMAT binary)",
                      err, err_len))
        return -1;
    for (int i = 0; i < n; i++) {
        const struct record *x = ts[i];
        pg_copy_tuple(&k, 6);
        pg_copy_text(&k, x->symbol);
        pg_copy_i64(&k, (int64_t)x->u.trade.id);
        pg_copy_i64(&k, x->time);
        pg_copy_f64(&k, x->u.trade.price);
        pg_copy_f64(&k, x->u.trade.qty);
        pg_copy_i32(&k, x->u.trade.buyer_maker ? 1 : 0);
    }
    if (pg_copy_end(&k))
        return -1;
    return pg_exec(ps->conn, "INSERT INTO agg_trades SELECT * FROM trades_in ON CONFLICT(symbol,id) DO NOTHING", err,
                   err_len);
}

/* One attempt at the batch in one transaction; *duplicate as pg_candles_write. */
static int write_once(struct pg_store *ps, const struct record *batch, int n, bool money, const struct record **cs,
                      int *nc, const struct record **ts, int nt, bool fast, bool *duplicate, char *err,
                      size_t err_len)
{
    PGconn *c = ps->conn;
    const char *begin = money ? "BEGIN; SET LOCAL synchronous_commit TO on"
                              : "BEGIN; SET LOCAL synchronous_commit TO off";
    int rc = 0;
    if (n != *nc) {                     /* only candles: the BEGIN goes with their COPY */
        rc = pg_exec(c, begin, err, err_len);
        begin = NULL;
    }
    for (int i = 0; rc == 0 && i < n; i++)
        if (batch[i].type != REC_CANDLE && batch[i].type != REC_TRADE)
            rc = write_record(c, &batch[i], err, err_len);
    if (rc == 0 && *nc)
        rc = pg_candles_write(ps, cs, *nc, nc, begin, fast, duplicate, err, err_len);
    if (rc == 0 && nt)
        rc = write_trades(ps, ts, nt, err, err_len);
    /* consoles reading this collector's candles (pg_watch.c) are told with the commit */
    if (rc == 0)
        rc = pg_exec(c, *nc ? "NOTIFY " PG_CANDLES_CHANNEL "; COMMIT" : "COMMIT", err, err_len);
    if (rc) {
        ps->staging = false;          /* made in this transaction, the rollback may have dropped them */
        if (PQtransactionStatus(c) != PQTRANS_IDLE && PQtransactionStatus(c) != PQTRANS_UNKNOWN)
            pg_exec(c, "ROLLBACK", NULL, 0);
        return -1;
    }
    pg_candles_committed(ps, cs, *nc);
    return 0;
}

int pg_store_write(struct pg_store *ps, const struct record *batch, int n, bool money, char *err, size_t err_len)
{
    if (pg_store_reconnect(ps, err, err_len))
        return -1;
    const struct record **cs = malloc(sizeof *cs * 2 * (size_t)(n ? n : 1)), **ts = cs + n;
    if (!cs) {
        snprintf(err, err_len, "out of memory");
        return -1;
    }
    int nc = 0, nt = 0;
    for (int i = 0; i < n; i++)
        if (batch[i].type == REC_CANDLE)
            cs[nc++] = &batch[i];
        else if (batch[i].type == REC_TRADE)
            ts[nt++] = &batch[i];
    /* partitions first, outside the transaction (DDL that a failed batch must not undo) */
    int rc = 0;
    for (int i = 0; rc == 0 && i < nc; i++)
        rc = pg_candle_partition(ps, cs[i]->u.candle.open_time, err, err_len);
    bool duplicate = false;
    if (rc == 0)
        rc = write_once(ps, batch, n, money, cs, &nc, ts, nt, true, &duplicate, err, err_len);
    if (rc && duplicate) {
        /* another writer stored candles of these series meanwhile: all of them upserted */
        pg_candles_forget(ps);
        rc = write_once(ps, batch, n, money, cs, &nc, ts, nt, false, &duplicate, err, err_len);
    }
    free(cs);
    return rc;
}

long pg_store_prune(struct pg_store *ps, const char *symbol, int tf, int64_t cut, int step)
{
    char err[256];
    struct pg_params p = { 0 };
    bool trades = tf == STORE_TRADES_TF;
    pg_p_text(&p, symbol);
    if (!trades)
        pg_p_text(&p, tf_name(tf));
    pg_p_int(&p, cut);
    pg_p_int(&p, step);
    if (PQstatus(ps->conn) != CONNECTION_OK)
        return -1;
    if (trades)
        return pg_run(ps->conn, "DELETE FROM agg_trades WHERE symbol=$1 AND id IN "
                                "(SELECT id FROM agg_trades WHERE symbol=$1 AND time<$2 ORDER BY time LIMIT $3)",
                      &p, err, sizeof err);
    return pg_run(ps->conn, "DELETE FROM candles WHERE symbol=$1 AND timeframe=$2 AND open_time IN "
                            "(SELECT open_time FROM candles WHERE symbol=$1 AND timeframe=$2 AND open_time<$3 "
                            "ORDER BY open_time LIMIT $4)", &p, err, sizeof err);
}

void pg_store_learn_series(struct pg_store *ps, void (*fn)(void *ctx, const char *symbol, int tf, int64_t newest),
                           void *ctx)
{
    /* each series found by an index probe (a skip scan), its newest by another:
     * GROUP BY would read every stored row */
    PGresult *r = PQexec(ps->conn, "WITH RECURSIVE s(symbol, timeframe) AS ("
                                   "(SELECT symbol, timeframe FROM candles ORDER BY symbol, timeframe LIMIT 1) "
                                   "UNION ALL SELECT n.symbol, n.timeframe FROM s, LATERAL (SELECT c.symbol, "
                                   "c.timeframe FROM candles c WHERE (c.symbol, c.timeframe) > (s.symbol, s.timeframe) "
                                   "ORDER BY c.symbol, c.timeframe LIMIT 1) n) "
                                   "SELECT symbol, timeframe, (SELECT max(open_time) FROM candles c "
                                   "WHERE c.symbol = s.symbol AND c.timeframe = s.timeframe) FROM s");
    if (PQresultStatus(r) == PGRES_TUPLES_OK)
        for (int i = 0; i < PQntuples(r); i++) {
            int tf = tf_parse(PQgetvalue(r, i, 1));
            if (tf >= 0 && !PQgetisnull(r, i, 2))
                fn(ctx, PQgetvalue(r, i, 0), tf, strtoll(PQgetvalue(r, i, 2), NULL, 10));
        }
    PQclear(r);
    r = PQexec(ps->conn, "WITH RECURSIVE s(symbol) AS ((SELECT symbol FROM agg_trades ORDER BY symbol LIMIT 1) "
                         "UNION ALL SELECT (SELECT a.symbol FROM agg_trades a WHERE a.symbol > s.symbol "
                         "ORDER BY a.symbol LIMIT 1) FROM s WHERE s.symbol IS NOT NULL) "
                         "SELECT symbol, (SELECT max(time) FROM agg_trades a WHERE a.symbol = s.symbol) FROM s "
                         "WHERE symbol IS NOT NULL");
    if (PQresultStatus(r) == PGRES_TUPLES_OK)
        for (int i = 0; i < PQntuples(r); i++)
            if (!PQgetisnull(r, i, 1))
            fn(ctx, PQgetvalue(r, i, 0), STORE_TRADES_TF, strtoll(PQgetvalue(r, i, 1), NULL, 10));
    PQclear(r);
}
