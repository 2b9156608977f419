/* Startup reads: recent candles of every series, balance, positions, id counters. */
#include "store_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alphapulse/patterns.h"
#include "alphapulse/regime.h"
#include "alphapulse/signal.h"

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

static double col_real(sqlite3_stmt *s, int i)
{
    return sqlite3_column_type(s, i) == SQLITE_NULL ? NAN : sqlite3_column_double(s, i);
}

static const char *col_text(sqlite3_stmt *s, int i)
{
    const unsigned char *t = sqlite3_column_text(s, i);
    return t ? (const char *)t : "";
}

/* Signals: settled ones rebuild the hit rates (so voter weights survive a
 * restart), open ones go back to tracking and the queue. Reason texts are not
 * stored, so restored votes have none. */
static int load_signals(struct store *st, struct engine *e)
{
    sqlite3_stmt *s;
    const char *sql = "SELECT id,time,candle_time,symbol,timeframe,side,confidence,entry,stop,stop_kind,"
                      "tp1,tp2,tp3,tp4,rr,pattern,volume_confirmed,trend_alignment,htf_score,regime,"
                      "regime_confidence,voters,rsi,macd_hist,atr,adx,bb_width,volume_ratio,ema20,ema50,ema200,"
                      "expires,state,outcome,best_tp,outcome_time FROM signals ORDER BY id";
    if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
        return -1;
    while (sqlite3_step(s) == SQLITE_ROW) {
        struct signal g;
        memset(&g, 0, sizeof g);
        int sym = engine_symbol(e, col_text(s, 3)), tf = tf_parse(col_text(s, 4));
        int state = signal_state_parse(col_text(s, 32)), outcome = signal_outcome_parse(col_text(s, 33));
        if (sym < 0 || tf < 0 || state < 0 || outcome < 0)
            continue;
        g.id = (uint64_t)sqlite3_column_int64(s, 0);
        g.time = sqlite3_column_int64(s, 1);
        g.candle_time = sqlite3_column_int64(s, 2);
        g.sym = (int16_t)sym;
        g.tf = (int16_t)tf;
        g.side = (int8_t)sqlite3_column_int(s, 5);
        g.confidence = (float)sqlite3_column_double(s, 6);
        g.entry = sqlite3_column_double(s, 7);
        g.stop = sqlite3_column_double(s, 8);
        g.stop_kind = (int8_t)(strcmp(col_text(s, 9), "swing") == 0);
        for (int k = 0; k < 4; k++)
            g.tp[k] = sqlite3_column_double(s, 10 + k);
        g.rr = sqlite3_column_double(s, 14);
        g.pattern = (int16_t)(sqlite3_column_type(s, 15) == SQLITE_NULL ? -1 : cdl_find(col_text(s, 15)));
        g.volume_confirmed = sqlite3_column_int(s, 16) != 0;
        g.trend_alignment = (int8_t)sqlite3_column_int(s, 17);
        g.htf_score = (float)sqlite3_column_double(s, 18);
        g.regime = (int8_t)(sqlite3_column_type(s, 19) == SQLITE_NULL ? REGIME_NONE : regime_parse(col_text(s, 19)));
        g.regime_conf = (float)sqlite3_column_double(s, 20);
        char voters[128];
        snprintf(voters, sizeof voters, "%s", col_text(s, 21));
        for (char *tok = strtok(voters, ","); tok; tok = strtok(NULL, ",")) {
            int v = voter_parse(tok);
            if (v >= 0) {
                g.voters |= (uint8_t)(1u << v);
                g.votes[v].dir = g.side;
            }
        }
        g.ind = (struct signal_ind){ col_real(s, 22), col_real(s, 23), col_real(s, 24), col_real(s, 25),
                                     col_real(s, 26), col_real(s, 27), col_real(s, 28), col_real(s, 29),
                                     col_real(s, 30) };
        g.expires = sqlite3_column_int64(s, 31);
        g.state = (int8_t)state;
        g.outcome = (int8_t)outcome;
        g.best_tp = (int8_t)sqlite3_column_int(s, 34);
        g.outcome_time = sqlite3_column_type(s, 35) == SQLITE_NULL ? 0 : sqlite3_column_int64(s, 35);
        engine_restore_signal(e, &g);
    }
    sqlite3_finalize(s);
    return 0;
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
    engine_restore_ids(e, (uint64_t)scalar(st, "SELECT max(order_id) FROM fills", 0) + 1,
                       (uint64_t)scalar(st, "SELECT max(id) FROM fills", 0) + 1);
    return load_signals(st, e);
}
