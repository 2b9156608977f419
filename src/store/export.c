/* Export of stored rows to CSV or JSON, on a read-only connection of its own (WAL:
 * it never blocks the running writer and never takes the instance lock). Numbers
 * are the shortest text that reads back bit for bit (a stored infinity is empty
 * or null, never "inf"); times are ISO-8601 UTC with milliseconds. Only tables of
 * market data, trades and the journal are reachable from here: settings (where
 * secrets may one day live) are not exported. */
#include "store_internal.h"
#include "alphapulse/fmt_double.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void store_format_time(int64_t ms, char *buf, size_t len)
{
    int64_t sec = ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000);
    int msec = (int)(ms - sec * 1000);
    time_t t = (time_t)sec;
    struct tm tm;
    if (!gmtime_r(&t, &tm)) {
        snprintf(buf, len, "%lld", (long long)ms);
        return;
    }
    snprintf(buf, len, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
             tm.tm_hour, tm.tm_min, tm.tm_sec, msec);
}

static int digits(const char **p, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++, (*p)++) {
        if (!isdigit((unsigned char)**p))
            return -1;
        v = v * 10 + (**p - '0');
    }
    *out = v;
    return 0;
}

int store_parse_time(const char *s, int64_t *ms)
{
    if (!s || !*s)
        return -1;
    if (strspn(s, "0123456789") == strlen(s)) {
        *ms = strtoll(s, NULL, 10);
        return 0;
    }
    struct tm tm = { 0 };
    int y, mo, d, h = 0, mi = 0, sec = 0, milli = 0;
    const char *p = s;
    if (digits(&p, 4, &y) || *p++ != '-' || digits(&p, 2, &mo) || *p++ != '-' || digits(&p, 2, &d))
        return -1;
    if (*p == 'T' || *p == ' ') {
        p++;
        if (digits(&p, 2, &h) || *p++ != ':' || digits(&p, 2, &mi))
            return -1;
        if (*p == ':') {
            p++;
            if (digits(&p, 2, &sec))
                return -1;
            if (*p == '.') {
                p++;
                int n = 0;
                for (; isdigit((unsigned char)*p); p++, n++)
                    if (n < 3)
                        milli = milli * 10 + (*p - '0');
                for (; n < 3; n++)
                    milli *= 10;
            }
        }
    }
    if (*p == 'Z')
        p++;
    if (*p || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60)
        return -1;
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_sec = sec;
    time_t t = timegm(&tm);
    if (tm.tm_mday != d)                  /* 2024-02-31 normalised to March */
        return -1;
    *ms = (int64_t)t * 1000 + milli;
    return 0;
}

struct table {
    const char *sql;                       /* ?1 symbol or NULL, ?2 timeframe or NULL, ?3 from, ?4 to */
    const char *const *time_cols;          /* integer columns written as times */
};

const char *const store_export_names[EXPORT_KINDS] = { "candles", "signals", "trades", "equity", "journal", "tape" };

static const char *const CANDLE_TIMES[] = { "open_time", NULL };
static const char *const SIGNAL_TIMES[] = { "time", "candle_time", "expiry", "outcome_time", NULL };
static const char *const TRADE_TIMES[] = { "time", NULL };
static const char *const EQUITY_TIMES[] = { "time", NULL };
static const char *const JOURNAL_TIMES[] = { "time", NULL };
static const char *const TAPE_TIMES[] = { "time", NULL };

static const struct table TABLES[] = {
    [EXPORT_CANDLES] = { "SELECT symbol,timeframe,open_time,open,high,low,close,volume,quote_volume,trades,flags,"
                         "(flags & 4) != 0 AS partial "
                         "FROM candles WHERE (?1 IS NULL OR symbol=?1) AND (?2 IS NULL OR timeframe=?2) "
                         "AND open_time BETWEEN ?3 AND ?4 ORDER BY symbol,timeframe,open_time", CANDLE_TIMES },
    [EXPORT_SIGNALS] = { "SELECT id,time,symbol,timeframe,CASE side WHEN 1 THEN 'long' ELSE 'short' END AS side,"
                         "confidence,entry,stop,stop_kind,tp1,tp2,tp3,tp4,reward_risk,pattern,volume_confirmed,"
                         "trend_aligned,trend_alignment,htf_score,regime,regime_confidence,indicators,voters,source,"
                         "candle_time,expiry,state,outcome,best_tp,outcome_time,outcome_price "
                         "FROM signals WHERE (?1 IS NULL OR symbol=?1) AND (?2 IS NULL OR timeframe=?2) "
                         "AND time BETWEEN ?3 AND ?4 AND account=?5 ORDER BY time,id", SIGNAL_TIMES },
    /* fills by id; a funding payment (order_type 'funding', price the mark,
     * realized the amount) after the last fill at or before its time */
    [EXPORT_TRADES] = { "SELECT fill_id,order_id,time,symbol,side,qty,price,fee,realized,balance_after,order_type "
                        "FROM (SELECT f.id AS fill_id,f.order_id AS order_id,f.time AS time,f.symbol AS symbol,"
                        "CASE f.side WHEN 1 THEN 'buy' ELSE 'sell' END AS side,f.qty AS qty,f.price AS price,"
                        "f.fee AS fee,f.realized AS realized,f.balance_after AS balance_after,"
                        "coalesce(o.type,'market') AS order_type,f.id AS k,0 AS k2 "
                        "FROM fills f LEFT JOIN orders o ON o.id=f.order_id WHERE (?1 IS NULL OR f.symbol=?1) "
                        "AND f.time BETWEEN ?3 AND ?4 AND f.account=?5 "
                        "UNION ALL SELECT NULL,NULL,g.time,g.symbol,CASE WHEN g.qty > 0 THEN 'long' ELSE 'short' END,"
                        "abs(g.qty),g.mark,0.0,g.amount,g.balance_after,'funding',"
                        "(SELECT coalesce(max(id),0) FROM fills WHERE time <= g.time AND account=?5),g.time "
                        "FROM funding g WHERE (?1 IS NULL OR g.symbol=?1) AND g.time BETWEEN ?3 AND ?4 "
                        "AND g.account=?5) "
                        "ORDER BY k,k2,symbol", TRADE_TIMES },
    [EXPORT_EQUITY] = { "SELECT time,balance,equity,unrealized,realized,fees,exposure FROM equity "
                        "WHERE time BETWEEN ?3 AND ?4 AND account=?5 ORDER BY time", EQUITY_TIMES },
    [EXPORT_JOURNAL] = { "SELECT seq,time,kind,symbol,text FROM journal WHERE (?1 IS NULL OR symbol=?1) "
                         "AND time BETWEEN ?3 AND ?4 AND account=?5 ORDER BY seq", JOURNAL_TIMES },
    /* the stored aggregated trades (storage.trades); side: the aggressor's */
    [EXPORT_TAPE] = { "SELECT symbol,id,time,price,qty,CASE buyer_maker WHEN 0 THEN 'buy' ELSE 'sell' END AS side "
                      "FROM agg_trades WHERE (?1 IS NULL OR symbol=?1) AND time BETWEEN ?3 AND ?4 ORDER BY symbol,id",
                      TAPE_TIMES },
};

bool store_export_time_col(int what, const char *name)
{
    for (const char *const *c = TABLES[what].time_cols; *c; c++)
        if (strcmp(*c, name) == 0)
            return true;
    return false;
}

static void put_csv_text(FILE *out, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        fputs(s, out);
        return;
    }
    fputc('"', out);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', out);
        fputc(*s, out);
    }
    fputc('"', out);
}

static void put_json_text(FILE *out, const char *s)
{
    fputc('"', out);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(out, "\\%c", *p);
        else if (*p == '\n')
            fputs("\\n", out);
        else if (*p == '\r')
            fputs("\\r", out);
        else if (*p == '\t')
            fputs("\\t", out);
        else if (*p < 0x20)
            fprintf(out, "\\u%04x", *p);
        else
            fputc(*p, out);
    }
    fputc('"', out);
}

void store_export_value(FILE *out, int type, int64_t iv, double dv, const char *t, const char *col, bool time_col,
                        bool json)
{
    char buf[64];
    switch (type) {
    case SV_NULL:
        if (json)
            fputs("null", out);
        return;
    case SV_INT:
        if (time_col) {
            store_format_time(iv, buf, sizeof buf);
            if (json)
                fprintf(out, "\"%s\"", buf);
            else
                fputs(buf, out);
        } else {
            fprintf(out, "%lld", (long long)iv);
        }
        return;
    case SV_REAL:
        if (isfinite(dv)) {
            fmt_double(buf, dv);
            fputs(buf, out);
        } else if (json) {
            fputs("null", out);
        }
        return;
    default:
        if (json && t && t[0] == '[' && strcmp(col, "indicators") == 0)
            fputs(t, out);            /* already a JSON array */
        else if (json)
            put_json_text(out, t ? t : "");
        else
            put_csv_text(out, t ? t : "");
    }
}

static void put_value(FILE *out, sqlite3_stmt *s, int i, bool time_col, bool json)
{
    switch (sqlite3_column_type(s, i)) {
    case SQLITE_NULL:
        store_export_value(out, SV_NULL, 0, 0, NULL, NULL, time_col, json);
        return;
    case SQLITE_INTEGER:
        store_export_value(out, SV_INT, sqlite3_column_int64(s, i), 0, NULL, NULL, time_col, json);
        return;
    case SQLITE_FLOAT:
        store_export_value(out, SV_REAL, 0, sqlite3_column_double(s, i), NULL, NULL, time_col, json);
        return;
    default:
        store_export_value(out, SV_TEXT, 0, 0, (const char *)sqlite3_column_text(s, i), sqlite3_column_name(s, i),
                           time_col, json);
    }
}

void store_export_col(FILE *out, int i, const char *name, bool json)
{
    if (json)
        fprintf(out, "%s\"%s\":", i ? "," : "", name);
    else if (i)
        fputc(',', out);
}

void store_export_begin_row(FILE *out, long rows, bool json)
{
    if (json)
        fputs(rows ? ",\n{" : "\n{", out);
}

void store_export_end(FILE *out, long rows, bool json)
{
    if (json)
        fputs(rows ? "\n]\n" : "]\n", out);
}

long store_export(const char *db_path, const struct export_options *o, FILE *out, char *err, size_t err_len)
{
    if (o->what < 0 || o->what >= EXPORT_KINDS) {
        snprintf(err, err_len, "unknown export kind");
        return -1;
    }
    if (store_is_url(db_path))
        return pg_store_export(db_path, o, out, err, err_len);
    const struct table *t = &TABLES[o->what];
    sqlite3 *db = store_reader_open(db_path, err, err_len);
    if (!db)
        return -1;
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(db, t->sql, -1, &s, NULL) != SQLITE_OK) {
        snprintf(err, err_len, "%s: %s", db_path, sqlite3_errmsg(db));
        sqlite3_close(db);
        return -1;
    }
    if (o->symbol) {
        char canon[64];
        store_symbol_canonical(o->symbol, canon, sizeof canon);
        sqlite3_bind_text(s, 1, canon, -1, SQLITE_TRANSIENT);
    }
    if (o->tf >= 0)
        sqlite3_bind_text(s, 2, tf_name(o->tf), -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 3, o->from);
    sqlite3_bind_int64(s, 4, o->to);
    if (o->what != EXPORT_CANDLES)   /* candles belong to no account */
        sqlite3_bind_text(s, 5, o->account ? o->account : STORE_DEFAULT_ACCOUNT, -1, SQLITE_STATIC);
    int ncol = sqlite3_column_count(s);
    bool time_col[64] = { false };
    for (int i = 0; i < ncol && i < 64; i++)
        time_col[i] = store_export_time_col(o->what, sqlite3_column_name(s, i));
    if (!o->json) {
        for (int i = 0; i < ncol; i++)
            fprintf(out, "%s%s", i ? "," : "", sqlite3_column_name(s, i));
        fputc('\n', out);
    } else {
        fputs("[", out);
    }
    long rows = 0;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        store_export_begin_row(out, rows, o->json);
        for (int i = 0; i < ncol; i++) {
            store_export_col(out, i, sqlite3_column_name(s, i), o->json);
            put_value(out, s, i, i < 64 && time_col[i], o->json);
        }
        fputs(o->json ? "}" : "\n", out);
        rows++;
    }
    store_export_end(out, rows, o->json);
    if (rc != SQLITE_DONE) {
        snprintf(err, err_len, "%s: reading rows: %s", db_path, sqlite3_errmsg(db));
        rows = -1;
    }
    sqlite3_finalize(s);
    sqlite3_close(db);
    return rows;
}
