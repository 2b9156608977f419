/* The store thread: drains the engine's record queue in batches, one transaction
 * per batch. A batch holding a fill is committed with synchronous=FULL so money is
 * on disk before anyone relies on it; candles ride on synchronous=NORMAL. */
#include "store_internal.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "alphapulse/log.h"
#include "alphapulse/record.h"

#define BATCH 2048

int store_prepare(struct store *st, char *err, size_t err_len)
{
    const struct { sqlite3_stmt **st; const char *sql; } q[] = {
        { &st->ins_candle, "INSERT OR REPLACE INTO candles(symbol,timeframe,open_time,open,high,low,close,"
                           "volume,quote_volume,trades,flags) VALUES(?,?,?,?,?,?,?,?,?,?,?)" },
        { &st->ins_fill, "INSERT OR IGNORE INTO fills(id,order_id,time,symbol,side,qty,price,fee,realized,"
                         "balance_after) VALUES(?,?,?,?,?,?,?,?,?,?)" },
        { &st->up_position, "INSERT OR REPLACE INTO positions(symbol,qty,avg,realized,fees,updated) "
                            "VALUES(?,?,?,?,?,?)" },
        { &st->up_account, "INSERT OR REPLACE INTO account(id,balance,updated) VALUES(1,?,?)" },
        { &st->ins_journal, "INSERT INTO journal(time,text) VALUES(?,?)" },
        { &st->up_risk, "INSERT OR REPLACE INTO paper_risk(id,day,day_start_equity,peak_equity,streak,"
                        "cooldown_until,daily_until,lock,locked_at,updated) VALUES(1,?,?,?,?,?,?,?,?,?)" },
        { &st->del_orders, "DELETE FROM paper_orders WHERE symbol=?" },
        { &st->up_order, "INSERT OR REPLACE INTO paper_orders(id,symbol,side,type,qty,price,reduce_only,source,placed,"
                         "stop,trail,tp1,tp2,tp3,tp4,f1,f2,f3,f4) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)" },
        { &st->up_exits, "INSERT OR REPLACE INTO paper_exits(symbol,stop,trail,trail_ref,tp1,tp2,tp3,tp4,f1,f2,f3,f4,"
                         "base_qty,tp_done,source,opened) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)" },
    };
    for (size_t i = 0; i < sizeof q / sizeof q[0]; i++)
        if (sqlite3_prepare_v2(st->db, q[i].sql, -1, q[i].st, NULL) != SQLITE_OK) {
            snprintf(err, err_len, "%s: %s", st->path, sqlite3_errmsg(st->db));
            return -1;
        }
    return 0;
}

void store_finalize(struct store *st)
{
    sqlite3_stmt *all[] = { st->ins_candle, st->ins_fill, st->up_position, st->up_account, st->ins_journal,
                            st->up_risk, st->del_orders, st->up_order, st->up_exits };
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        sqlite3_finalize(all[i]);
}

static int run(sqlite3_stmt *s)
{
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? 0 : -1;
}

static int write_record(struct store *st, const struct record *r)
{
    if (r->type == REC_CANDLE) {
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
    if (r->type == REC_FILL) {
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
        if (run(s))
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
        s = st->up_account;
        sqlite3_bind_double(s, 1, f->balance);
        sqlite3_bind_int64(s, 2, r->time);
        return run(s);
    }
    if (r->type == REC_RISK) {
        const struct risk_state *k = &r->u.risk;
        sqlite3_stmt *s = st->up_risk;
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
    if (r->type == REC_BOOK) {
        sqlite3_bind_text(st->del_orders, 1, r->symbol, -1, SQLITE_STATIC);
        return run(st->del_orders);
    }
    if (r->type == REC_ORDER) {
        const struct broker_order *o = &r->u.order;
        sqlite3_stmt *s = st->up_order;
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
        return run(s);
    }
    if (r->type == REC_EXITS) {
        const struct bracket *b = &r->u.exits.br;
        sqlite3_stmt *s = st->up_exits;
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
        return run(s);
    }
    if (r->type == REC_JOURNAL) {
        sqlite3_stmt *s = st->ins_journal;
        sqlite3_bind_int64(s, 1, r->time);
        sqlite3_bind_text(s, 2, r->u.text, -1, SQLITE_STATIC);
        return run(s);
    }
    return 0;
}

static void write_batch(struct store *st, const struct record *batch, int n)
{
    bool money = false;
    for (int i = 0; i < n; i++)
        money |= batch[i].type == REC_FILL || batch[i].type == REC_RISK || batch[i].type == REC_BOOK ||
                 batch[i].type == REC_ORDER || batch[i].type == REC_EXITS;
    sqlite3_exec(st->db, money ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL", NULL, NULL, NULL);
    int rc = sqlite3_exec(st->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
    for (int i = 0; rc == SQLITE_OK && i < n; i++)
        if (write_record(st, &batch[i]))
            rc = SQLITE_ERROR;
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL);
    if (rc != SQLITE_OK) {
        if (!atomic_load(&st->failing))
            log_error("%s: write failed: %s", st->path, sqlite3_errmsg(st->db));
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
        atomic_store(&st->failing, 1);
        return;
    }
    atomic_store(&st->failing, 0);
    atomic_fetch_add(&st->rows, (unsigned long long)n);
}

static void *writer_main(void *arg)
{
    struct store *st = arg;
    static struct record batch[BATCH];
    for (;;) {
        bool stopping = atomic_load(&st->stop);
        int n = 0;
        while (n < BATCH && spsc_pop(st->records, &batch[n]))
            n++;
        if (n)
            write_batch(st, batch, n);
        else if (stopping)
            break;
        else
            nanosleep(&(struct timespec){ 0, 5000000 }, NULL);
    }
    return NULL;
}

int store_start(struct store *st, struct spsc *records)
{
    st->records = records;
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
}
