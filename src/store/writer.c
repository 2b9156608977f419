/* The store thread: drains the engine's record queue in batches, one transaction
 * per batch. A batch holding a fill is committed with synchronous=FULL so money is
 * on disk before anyone relies on it; candles ride on synchronous=NORMAL. */
#include "store_internal.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "alphapulse/log.h"
#include "alphapulse/patterns.h"
#include "alphapulse/record.h"
#include "alphapulse/regime.h"
#include "alphapulse/signal.h"

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
        { &st->ins_signal, "INSERT OR REPLACE INTO signals(id,time,candle_time,symbol,timeframe,side,confidence,"
                           "entry,stop,stop_kind,tp1,tp2,tp3,tp4,rr,pattern,volume_confirmed,trend_alignment,"
                           "htf_score,regime,regime_confidence,voters,rsi,macd_hist,atr,adx,bb_width,volume_ratio,"
                           "ema20,ema50,ema200,expires,state,outcome,best_tp,outcome_time,updated) "
                           "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)" },
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
                            st->ins_signal };
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        sqlite3_finalize(all[i]);
}

static int run(sqlite3_stmt *s)
{
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? 0 : -1;
}

static void bind_real(sqlite3_stmt *s, int i, double v)
{
    if (v != v)
        sqlite3_bind_null(s, i);
    else
        sqlite3_bind_double(s, i, v);
}

static int write_signal(struct store *st, const struct record *r)
{
    const struct record_signal *g = &r->u.signal;
    sqlite3_stmt *s = st->ins_signal;
    char voters[96] = "";
    for (int v = 0; v < VOTER_COUNT; v++)
        if (g->voters & (1u << v)) {
            if (voters[0])
                strcat(voters, ",");
            strcat(voters, voter_name(v));
        }
    int i = 1;
    sqlite3_bind_int64(s, i++, (sqlite3_int64)g->id);
    sqlite3_bind_int64(s, i++, g->candle_time + tf_ms(r->tf));
    sqlite3_bind_int64(s, i++, g->candle_time);
    sqlite3_bind_text(s, i++, r->symbol, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, i++, tf_name(r->tf), -1, SQLITE_STATIC);
    sqlite3_bind_int(s, i++, g->side);
    sqlite3_bind_double(s, i++, g->confidence);
    sqlite3_bind_double(s, i++, g->entry);
    sqlite3_bind_double(s, i++, g->stop);
    sqlite3_bind_text(s, i++, g->stop_kind ? "swing" : "atr", -1, SQLITE_STATIC);
    for (int k = 0; k < 4; k++)
        sqlite3_bind_double(s, i++, g->tp[k]);
    sqlite3_bind_double(s, i++, g->rr);
    if (g->pattern >= 0)
        sqlite3_bind_text(s, i++, cdl_name(g->pattern), -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(s, i++);
    sqlite3_bind_int(s, i++, g->volume_confirmed);
    sqlite3_bind_int(s, i++, g->trend_alignment);
    sqlite3_bind_double(s, i++, g->htf_score);
    if (g->regime >= 0)
        sqlite3_bind_text(s, i++, regime_name(g->regime), -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(s, i++);
    sqlite3_bind_double(s, i++, g->regime_conf);
    sqlite3_bind_text(s, i++, voters, -1, SQLITE_TRANSIENT);
    const double ind[] = { g->rsi, g->macd_hist, g->atr, g->adx, g->bb_width, g->volume_ratio,
                           g->ema20, g->ema50, g->ema200 };
    for (size_t k = 0; k < sizeof ind / sizeof ind[0]; k++)
        bind_real(s, i++, ind[k]);
    sqlite3_bind_int64(s, i++, g->expires);
    sqlite3_bind_text(s, i++, signal_state_name(g->state), -1, SQLITE_STATIC);
    sqlite3_bind_text(s, i++, signal_outcome_name(g->outcome), -1, SQLITE_STATIC);
    sqlite3_bind_int(s, i++, g->best_tp);
    if (g->outcome_time)
        sqlite3_bind_int64(s, i++, g->outcome_time);
    else
        sqlite3_bind_null(s, i++);
    sqlite3_bind_int64(s, i++, r->time);
    return run(s);
}

static int write_record(struct store *st, const struct record *r)
{
    if (r->type == REC_SIGNAL)
        return write_signal(st, r);
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
        money |= batch[i].type == REC_FILL;
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
