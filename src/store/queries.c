/* Startup reads: recent candles of every series, balance, positions, id counters. */
#include "store_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int load_series(struct store *st, struct engine *e, int sym, int tf, size_t n)
{
    sqlite3_stmt *s;
    const char *sql = "SELECT open_time,open,high,low,close,volume,quote_volume,trades,flags FROM "
                      "(SELECT * FROM candles WHERE symbol=? AND timeframe=? ORDER BY open_time DESC LIMIT ?) "
                      "ORDER BY open_time";
    if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_text(s, 1, engine_symbol_name(e, sym), -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, tf_name(tf), -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 3, (sqlite3_int64)n);
    while (sqlite3_step(s) == SQLITE_ROW) {
        struct candle c = {
            .open_time = sqlite3_column_int64(s, 0), .open = sqlite3_column_double(s, 1),
            .high = sqlite3_column_double(s, 2), .low = sqlite3_column_double(s, 3),
            .close = sqlite3_column_double(s, 4), .volume = sqlite3_column_double(s, 5),
            .quote_volume = sqlite3_column_double(s, 6), .trades = sqlite3_column_int64(s, 7),
            .flags = (uint32_t)sqlite3_column_int64(s, 8),
        };
        engine_load_candle(e, sym, tf, &c);
    }
    sqlite3_finalize(s);
    return 0;
}

static int64_t scalar(struct store *st, const char *sql, int64_t dflt)
{
    sqlite3_stmt *s;
    int64_t v = dflt;
    if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
        return dflt;
    if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_type(s, 0) != SQLITE_NULL)
        v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return v;
}

int store_restore(struct store *st, struct engine *e, size_t per_series)
{
    int n = engine_symbol_count(e);
    /* higher timeframes first: the 1m candles then only rebuild the open buckets */
    for (int sym = 0; sym < n; sym++)
        for (int tf = TF_COUNT - 1; tf >= 0; tf--)
            if (load_series(st, e, sym, tf, per_series))
                return -1;
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(st->db, "SELECT balance FROM account WHERE id=1", -1, &s, NULL) != SQLITE_OK)
        return -1;
    bool have_balance = sqlite3_step(s) == SQLITE_ROW;
    double balance = have_balance ? sqlite3_column_double(s, 0) : 0;
    sqlite3_finalize(s);
    if (have_balance)
        engine_restore(e, balance, -1, NULL);
    else
        balance = engine_broker(e)->balance;
    if (sqlite3_prepare_v2(st->db, "SELECT symbol,qty,avg,realized,fees FROM positions", -1, &s, NULL) != SQLITE_OK)
        return -1;
    while (sqlite3_step(s) == SQLITE_ROW) {
        int sym = engine_symbol(e, (const char *)sqlite3_column_text(s, 0));
        if (sym < 0)
            continue;
        struct position p = { .qty = sqlite3_column_double(s, 1), .avg = sqlite3_column_double(s, 2),
                              .realized = sqlite3_column_double(s, 3), .fees = sqlite3_column_double(s, 4) };
        engine_restore(e, balance, sym, &p);
    }
    sqlite3_finalize(s);
    /* issue 7: the risk manager's state (locks, streak, day start, peak) */
    if (sqlite3_prepare_v2(st->db, "SELECT day,day_start_equity,peak_equity,streak,cooldown_until,daily_until,"
                           "lock,locked_at,updated FROM paper_risk WHERE id=1", -1, &s, NULL) != SQLITE_OK)
        return -1;
    if (sqlite3_step(s) == SQLITE_ROW) {
        struct risk_state rs = {
            .day = sqlite3_column_int64(s, 0), .day_start_equity = sqlite3_column_double(s, 1),
            .peak_equity = sqlite3_column_double(s, 2), .streak = sqlite3_column_int(s, 3),
            .cooldown_until = sqlite3_column_int64(s, 4), .daily_until = sqlite3_column_int64(s, 5),
            .lock = sqlite3_column_int(s, 6), .locked_at = sqlite3_column_int64(s, 7),
            .updated = sqlite3_column_int64(s, 8),
        };
        engine_restore_risk(e, &rs);
    }
    sqlite3_finalize(s);
    /* issue 7: working orders and each position's exits */
    if (sqlite3_prepare_v2(st->db, "SELECT id,symbol,side,type,qty,price,reduce_only,source,placed,stop,trail,"
                           "tp1,tp2,tp3,tp4,f1,f2,f3,f4 FROM paper_orders ORDER BY id", -1, &s, NULL) != SQLITE_OK)
        return -1;
    while (sqlite3_step(s) == SQLITE_ROW) {
        struct broker_order o = {
            .active = true, .id = (uint64_t)sqlite3_column_int64(s, 0),
            .sym = engine_symbol(e, (const char *)sqlite3_column_text(s, 1)), .side = sqlite3_column_int(s, 2),
            .type = sqlite3_column_int(s, 3), .qty = sqlite3_column_double(s, 4), .price = sqlite3_column_double(s, 5),
            .reduce_only = sqlite3_column_int(s, 6) != 0, .source = sqlite3_column_int(s, 7),
            .placed = sqlite3_column_int64(s, 8),
        };
        o.br.stop = sqlite3_column_double(s, 9);
        o.br.trail = sqlite3_column_double(s, 10);
        for (int i = 0; i < BROKER_TP; i++) {
            o.br.tp[i] = sqlite3_column_double(s, 11 + i);
            o.br.tp_frac[i] = sqlite3_column_double(s, 15 + i);
        }
        if (o.sym >= 0)
            engine_restore_order(e, &o);
    }
    sqlite3_finalize(s);
    if (sqlite3_prepare_v2(st->db, "SELECT symbol,stop,trail,trail_ref,tp1,tp2,tp3,tp4,f1,f2,f3,f4,base_qty,tp_done,"
                           "source,opened FROM paper_exits", -1, &s, NULL) != SQLITE_OK)
        return -1;
    while (sqlite3_step(s) == SQLITE_ROW) {
        int sym = engine_symbol(e, (const char *)sqlite3_column_text(s, 0));
        struct bracket b = { .stop = sqlite3_column_double(s, 1), .trail = sqlite3_column_double(s, 2),
                             .trail_ref = sqlite3_column_double(s, 3), .base_qty = sqlite3_column_double(s, 12),
                             .tp_done = (uint8_t)sqlite3_column_int(s, 13) };
        for (int i = 0; i < BROKER_TP; i++) {
            b.tp[i] = sqlite3_column_double(s, 4 + i);
            b.tp_frac[i] = sqlite3_column_double(s, 8 + i);
        }
        if (sym >= 0)
            engine_restore_exits(e, sym, &b, sqlite3_column_int(s, 14), sqlite3_column_int64(s, 15));
    }
    sqlite3_finalize(s);
    engine_restore_ids(e, (uint64_t)scalar(st, "SELECT max(order_id) FROM fills", 0) + 1,
                       (uint64_t)scalar(st, "SELECT max(id) FROM fills", 0) + 1);
    return 0;
}

int store_read_candles(const char *path, const char *symbol, int tf, int64_t from, int64_t to,
                       struct candle **out, size_t *n, char *err, size_t err_len)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *s = NULL;
    *out = NULL;
    *n = 0;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        snprintf(err, err_len, "%s: cannot open database: %s", path, db ? sqlite3_errmsg(db) : "out of memory");
        sqlite3_close(db);
        return -1;
    }
    sqlite3_busy_timeout(db, 2000);
    if (sqlite3_prepare_v2(db, "SELECT open_time,open,high,low,close,volume,quote_volume,trades,flags FROM candles "
                           "WHERE symbol=? AND timeframe=? AND open_time>=? AND open_time<? ORDER BY open_time",
                           -1, &s, NULL) != SQLITE_OK) {
        snprintf(err, err_len, "%s: not an alphapulse database: %s", path, sqlite3_errmsg(db));
        sqlite3_close(db);
        return -1;
    }
    sqlite3_bind_text(s, 1, symbol, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, tf_name(tf), -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 3, from);
    sqlite3_bind_int64(s, 4, to);
    size_t cap = 0;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 4096;
            struct candle *p = realloc(*out, cap * sizeof *p);
            if (!p) {
                snprintf(err, err_len, "out of memory");
                break;
            }
            *out = p;
        }
        (*out)[(*n)++] = (struct candle){
            .open_time = sqlite3_column_int64(s, 0), .open = sqlite3_column_double(s, 1),
            .high = sqlite3_column_double(s, 2), .low = sqlite3_column_double(s, 3),
            .close = sqlite3_column_double(s, 4), .volume = sqlite3_column_double(s, 5),
            .quote_volume = sqlite3_column_double(s, 6), .trades = sqlite3_column_int64(s, 7),
            .flags = (uint32_t)sqlite3_column_int64(s, 8),
        };
    }
    sqlite3_finalize(s);
    sqlite3_close(db);
    if (rc != SQLITE_DONE) {
        if (rc != SQLITE_ROW)
            snprintf(err, err_len, "%s: read failed", path);
        free(*out);
        *out = NULL;
        *n = 0;
        return -1;
    }
    if (*n == 0) {
        snprintf(err, err_len, "%s: no %s 1m candles in the chosen period", path, symbol);
        return -1;
    }
    return 0;
}
