/* Startup reads on a connection of their own: recent candles of every series,
 * balance, positions, pending orders, id counters; and the restore helpers for
 * the risk state and open signals. The primary key (symbol, timeframe,
 * open_time) makes "the last N candles of a series" one index range scan. */
#include "store_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The engine's symbol stored under `stored` (a canonical name, store.h), or -1:
 * the engine may name it "binance:BTCUSDT" where the database says "BTCUSDT". */
static int engine_sym(const struct engine *e, const unsigned char *stored)
{
    if (!stored)
        return -1;
    for (int i = 0; i < engine_symbol_count(e); i++) {
        char canon[64];
        store_symbol_canonical(engine_symbol_name(e, i), canon, sizeof canon);
        if (strcmp(canon, (const char *)stored) == 0)
            return i;
    }
    return -1;
}

static int load_series(sqlite3_stmt *s, struct engine *e, int sym, int tf, size_t n)
{
    char canon[64];
    store_symbol_canonical(engine_symbol_name(e, sym), canon, sizeof canon);
    sqlite3_bind_text(s, 1, canon, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 2, tf_name(tf), -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 3, (sqlite3_int64)n);
    /* newest first (the index order), handed to the engine oldest first */
    struct candle *buf = malloc(n * sizeof *buf);
    if (!buf)
        return -1;
    size_t k = 0;
    int rc;
    while (k < n && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        buf[k++] = (struct candle){
            .open_time = sqlite3_column_int64(s, 0), .open = sqlite3_column_double(s, 1),
            .high = sqlite3_column_double(s, 2), .low = sqlite3_column_double(s, 3),
            .close = sqlite3_column_double(s, 4), .volume = sqlite3_column_double(s, 5),
            .quote_volume = sqlite3_column_double(s, 6), .trades = sqlite3_column_int64(s, 7),
            .flags = (uint32_t)sqlite3_column_int64(s, 8),
        };
    }
    sqlite3_reset(s);
    while (k > 0)
        engine_load_candle(e, sym, tf, &buf[--k]);
    free(buf);
    return 0;
}

static int restore_signals(sqlite3 *db, struct engine *e);
static int restore_log(sqlite3 *db, struct engine *e);

static int64_t scalar(sqlite3 *db, const char *sql, int64_t dflt)
{
    sqlite3_stmt *s;
    int64_t v = dflt;
    if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
        return dflt;
    if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_type(s, 0) != SQLITE_NULL)
        v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return v;
}

/* Instruments and the starting balance, written once on the writer connection
 * before the store thread starts. */
static int record_account(struct store *st, const struct engine *e, bool have_balance)
{
    sqlite3_stmt *s;
    int rc = sqlite3_exec(st->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
    if (rc == SQLITE_OK && !have_balance &&
        sqlite3_prepare_v2(st->db, "INSERT OR IGNORE INTO account(id,balance,updated,start_balance) "
                                   "VALUES(1,?1,0,?1)", -1, &s, NULL) == SQLITE_OK) {
        sqlite3_bind_double(s, 1, engine_broker(e)->balance);
        rc = sqlite3_step(s) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
        sqlite3_finalize(s);
    }
    if (rc == SQLITE_OK &&
        sqlite3_prepare_v2(st->db, "INSERT INTO instruments(venue,symbol,base,quote,market) VALUES(?5,?1,?2,?3,?4) "
                                   "ON CONFLICT(venue,symbol) DO UPDATE SET base=?2, quote=?3, market=?4",
                           -1, &s, NULL) == SQLITE_OK) {
        for (int i = 0; rc == SQLITE_OK && i < engine_symbol_count(e); i++) {
            const struct instrument *in = engine_instrument(e, i);
            char venue[64], bare[64];
            if (store_symbol_split(in->symbol, venue, sizeof venue, bare, sizeof bare)) {
                log_error("%s: '%s' is not a symbol the store can key (VENUE:SYMBOL or SYMBOL)", st->path,
                          in->symbol);
                continue;
            }
            sqlite3_bind_text(s, 1, bare, -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(s, 2, in->base, -1, SQLITE_STATIC);
            sqlite3_bind_text(s, 3, in->quote, -1, SQLITE_STATIC);
            sqlite3_bind_text(s, 4, in->market, -1, SQLITE_STATIC);
            sqlite3_bind_text(s, 5, venue, -1, SQLITE_TRANSIENT);
            rc = sqlite3_step(s) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
            sqlite3_reset(s);
        }
        sqlite3_finalize(s);
    }
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL);
    if (rc != SQLITE_OK) {
        log_error("%s: cannot record the account: %s", st->path, sqlite3_errmsg(st->db));
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
        return -1;
    }
    return 0;
}

int store_restore(struct store *st, struct engine *e, size_t per_series)
{
    char err[512];
    sqlite3 *db = store_reader_open(st->path, err, sizeof err);
    if (!db) {
        log_error("%s", err);
        return -1;
    }
    int rc = -1;
    sqlite3_stmt *s = NULL;
    if (sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)   /* one consistent view */
        goto out;
    const char *sql = "SELECT open_time,open,high,low,close,volume,quote_volume,trades,flags FROM candles "
                      "WHERE symbol=? AND timeframe=? ORDER BY open_time DESC LIMIT ?";
    if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
        goto out;
    int n = engine_symbol_count(e);
    /* higher timeframes first: the 1m candles then only rebuild the open buckets */
    for (int sym = 0; sym < n; sym++)
        for (int tf = TF_COUNT - 1; tf >= 0; tf--)
            if (load_series(s, e, sym, tf, per_series))
                goto out;
    sqlite3_finalize(s);
    if (sqlite3_prepare_v2(db, "SELECT balance FROM account WHERE id=1", -1, &s, NULL) != SQLITE_OK)
        goto out;
    bool have_balance = sqlite3_step(s) == SQLITE_ROW;
    double balance = have_balance ? sqlite3_column_double(s, 0) : 0;
    sqlite3_finalize(s);
    if (have_balance)
        engine_restore(e, balance, -1, NULL);
    else
        balance = engine_broker(e)->balance;
    if (sqlite3_prepare_v2(db, "SELECT symbol,qty,avg,realized,fees FROM positions", -1, &s, NULL) != SQLITE_OK)
        goto out;
    while (sqlite3_step(s) == SQLITE_ROW) {
        int sym = engine_sym(e, sqlite3_column_text(s, 0));
        if (sym < 0)
            continue;
        struct position p = { .qty = sqlite3_column_double(s, 1), .avg = sqlite3_column_double(s, 2),
                              .realized = sqlite3_column_double(s, 3), .fees = sqlite3_column_double(s, 4) };
        engine_restore(e, balance, sym, &p);
    }
    sqlite3_finalize(s);
    /* the risk manager's state (locks, streak, day start, peak) */
    if (sqlite3_prepare_v2(db, "SELECT day,day_start_equity,peak_equity,streak,cooldown_until,daily_until,"
                           "lock,locked_at,updated FROM paper_risk WHERE id=1", -1, &s, NULL) != SQLITE_OK)
        goto out;
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
    /* working orders and each position's exits */
    if (sqlite3_prepare_v2(db, "SELECT id,symbol,side,type,qty,price,reduce_only,source,placed,stop,trail,"
                           "tp1,tp2,tp3,tp4,f1,f2,f3,f4,trail_atr FROM paper_orders ORDER BY id", -1, &s, NULL) != SQLITE_OK)
        goto out;
    while (sqlite3_step(s) == SQLITE_ROW) {
        struct broker_order o = {
            .active = true, .id = (uint64_t)sqlite3_column_int64(s, 0),
            .sym = engine_sym(e, sqlite3_column_text(s, 1)), .side = sqlite3_column_int(s, 2),
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
        o.br.trail_atr = sqlite3_column_double(s, 19);
        if (o.sym >= 0)
            engine_restore_order(e, &o);
    }
    sqlite3_finalize(s);
    if (sqlite3_prepare_v2(db, "SELECT symbol,stop,trail,trail_ref,tp1,tp2,tp3,tp4,f1,f2,f3,f4,base_qty,tp_done,"
                           "source,opened,trail_atr,trail_stop FROM paper_exits", -1, &s, NULL) != SQLITE_OK)
        goto out;
    while (sqlite3_step(s) == SQLITE_ROW) {
        int sym = engine_sym(e, sqlite3_column_text(s, 0));
        struct bracket b = { .stop = sqlite3_column_double(s, 1), .trail = sqlite3_column_double(s, 2),
                             .trail_ref = sqlite3_column_double(s, 3), .base_qty = sqlite3_column_double(s, 12),
                             .tp_done = (uint8_t)sqlite3_column_int(s, 13),
                             .trail_atr = sqlite3_column_double(s, 16), .trail_stop = sqlite3_column_double(s, 17) };
        for (int i = 0; i < BROKER_TP; i++) {
            b.tp[i] = sqlite3_column_double(s, 4 + i);
            b.tp_frac[i] = sqlite3_column_double(s, 8 + i);
        }
        if (sym >= 0)
            engine_restore_exits(e, sym, &b, sqlite3_column_int(s, 14), sqlite3_column_int64(s, 15));
    }
    sqlite3_finalize(s);
    s = NULL;
    int64_t max_order = scalar(db, "SELECT max(m) FROM (SELECT max(order_id) AS m FROM fills "
                                   "UNION ALL SELECT max(id) FROM orders UNION ALL SELECT max(id) FROM paper_orders)", 0);
    engine_restore_ids(e, (uint64_t)max_order + 1, (uint64_t)scalar(db, "SELECT max(id) FROM fills", 0) + 1);
    if (restore_signals(db, e))
        goto out;
    if (restore_log(db, e))
        goto out;
    sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
    sqlite3_close(db);
    db = NULL;
    rc = record_account(st, e, have_balance);
out:
    if (rc && db)
        log_error("%s: cannot read stored state: %s", st->path, sqlite3_errmsg(db));
    sqlite3_finalize(s);
    sqlite3_close(db);
    return rc;
}

static void copy_text(char *dst, size_t n, const unsigned char *src)
{
    snprintf(dst, n, "%s", src ? (const char *)src : "");
}

/* The one reading of a signals row (columns as in SIGNAL_COLUMNS), shared by the
 * startup restore and store_load_open_signals. */
#define SIGNAL_COLUMNS "id,time,symbol,timeframe,side,confidence,entry,stop,tp1,tp2,tp3,tp4,reward_risk,pattern," \
                       "volume_confirmed,trend_aligned,regime,indicators,voters,source,expiry,state,candle_time," \
                       "stop_kind,trend_alignment,htf_score,regime_confidence,outcome,best_tp,outcome_time," \
                       "outcome_price"

static bool read_signal(sqlite3_stmt *s, struct record_signal *g, int *tf)
{
    *g = (struct record_signal){ .id = (uint64_t)sqlite3_column_int64(s, 0), .time = sqlite3_column_int64(s, 1),
                                 .side = sqlite3_column_int(s, 4), .confidence = sqlite3_column_double(s, 5),
                                 .entry = sqlite3_column_double(s, 6), .stop = sqlite3_column_double(s, 7),
                                 .reward_risk = sqlite3_column_double(s, 12),
                                 .volume_confirmed = sqlite3_column_int(s, 14) != 0,
                                 .voters = (uint32_t)sqlite3_column_int64(s, 18),
                                 .expiry = sqlite3_column_int64(s, 20), .candle_time = sqlite3_column_int64(s, 22),
                                 .htf_score = sqlite3_column_double(s, 25), .best_tp = sqlite3_column_int(s, 28) };
    for (int i = 0; i < 4; i++)
        g->tp[i] = sqlite3_column_type(s, 8 + i) == SQLITE_NULL ? 0 : sqlite3_column_double(s, 8 + i);
    copy_text(g->pattern, sizeof g->pattern, sqlite3_column_text(s, 13));
    copy_text(g->regime, sizeof g->regime, sqlite3_column_text(s, 16));
    copy_text(g->source, sizeof g->source, sqlite3_column_text(s, 19));
    const char *ind = (const char *)sqlite3_column_text(s, 17);
    for (int i = 0; i < SIGNAL_INDICATORS; i++)
        g->indicators[i] = NAN;
    if (ind && *ind == '[') {
        const char *p = ind + 1;
        for (int i = 0; i < SIGNAL_INDICATORS && *p && *p != ']'; i++) {
            char *end;
            if (strncmp(p, "null", 4) == 0) {
                end = (char *)p + 4;
            } else {
                g->indicators[i] = strtod(p, &end);
                if (end == p)
                    break;
            }
            p = *end == ',' ? end + 1 : end;
        }
    }
    g->state = record_signal_state_parse((const char *)sqlite3_column_text(s, 21));
    const unsigned char *sk = sqlite3_column_text(s, 23);
    g->stop_kind = sk && strcmp((const char *)sk, "swing") == 0;
    /* trend_alignment carries the sign; a row written without it still has trend_aligned */
    g->trend_alignment = sqlite3_column_int(s, 24);
    if (g->trend_alignment == 0 && sqlite3_column_int(s, 15))
        g->trend_alignment = 1;
    g->regime_confidence = sqlite3_column_type(s, 26) == SQLITE_NULL ? NAN : sqlite3_column_double(s, 26);
    g->outcome = record_signal_outcome_parse((const char *)sqlite3_column_text(s, 27));
    if (sqlite3_column_type(s, 29) != SQLITE_NULL)
        g->outcome_time = sqlite3_column_int64(s, 29);
    if (sqlite3_column_type(s, 30) != SQLITE_NULL)
        g->outcome_price = sqlite3_column_double(s, 30);
    *tf = tf_parse((const char *)sqlite3_column_text(s, 3));
    return g->state >= 0 && g->outcome >= 0 && *tf >= 0;
}

/* Every stored signal back into the engine, oldest id first: settled ones
 * rebuild the hit rates (voter weights survive a restart), open ones go back to
 * outcome tracking and the queue, ids continue after the highest. */
static int restore_signals(sqlite3 *db, struct engine *e)
{
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(db, "SELECT " SIGNAL_COLUMNS " FROM signals ORDER BY id", -1, &s, NULL) != SQLITE_OK)
        return -1;
    while (sqlite3_step(s) == SQLITE_ROW) {
        struct record_signal g;
        int tf;
        int sym = engine_sym(e, sqlite3_column_text(s, 2));
        if (read_signal(s, &g, &tf))
            engine_restore_signal(e, sym >= 0 ? engine_symbol_name(e, sym) : (const char *)sqlite3_column_text(s, 2),
                                  tf, &g);
    }
    sqlite3_finalize(s);
    return 0;
}

/* The newest journal lines the Log panel showed (notes, not the command echo or
 * the signal pipeline's own lines), oldest first, so a restart does not open on an empty log. */
static int restore_log(sqlite3 *db, struct engine *e)
{
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(db, "SELECT time,text FROM (SELECT seq,time,text FROM journal "
                           "WHERE kind<>'command' AND NOT (kind='decision' AND text LIKE 'signal #%') "
                           "ORDER BY seq DESC LIMIT ?) ORDER BY seq",
                           -1, &s, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_int(s, 1, SNAP_LOG);
    while (sqlite3_step(s) == SQLITE_ROW)
        engine_restore_log(e, sqlite3_column_int64(s, 0), (const char *)sqlite3_column_text(s, 1));
    sqlite3_finalize(s);
    return 0;
}

int store_load_open_signals(const char *path, void (*fn)(void *ctx, const char *symbol, int tf, int64_t time,
                            const struct record_signal *s), void *ctx, char *err, size_t err_len)
{
    sqlite3 *db = store_reader_open(path, err, err_len);
    if (!db)
        return -1;
    sqlite3_stmt *s;
    int count = 0;
    if (sqlite3_prepare_v2(db, "SELECT " SIGNAL_COLUMNS " FROM signals WHERE state IN ('new','taken') "
                               "ORDER BY time, id", -1, &s, NULL) != SQLITE_OK) {
        snprintf(err, err_len, "%s: cannot read signals: %s", path, sqlite3_errmsg(db));
        sqlite3_close(db);
        return -1;
    }
    while (sqlite3_step(s) == SQLITE_ROW) {
        struct record_signal g;
        int tf;
        read_signal(s, &g, &tf);
        fn(ctx, (const char *)sqlite3_column_text(s, 2), tf, sqlite3_column_int64(s, 1), &g);
        count++;
    }
    sqlite3_finalize(s);
    sqlite3_close(db);
    return count;
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
    char canon[64];
    store_symbol_canonical(symbol, canon, sizeof canon);
    sqlite3_bind_text(s, 1, canon, -1, SQLITE_TRANSIENT);
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
