/* Export from PostgreSQL: the SQLite export's queries (export.c) in PostgreSQL's
 * dialect and the same formatting, so both backends write the same bytes for the
 * same rows. Values come back as text: integers and doubles are parsed again
 * (PostgreSQL prints doubles in their shortest exact form) and written by the
 * shared formatter. */
#include "pg_internal.h"

#include <stdlib.h>
#include <string.h>

/* $1 symbol or NULL, $2 timeframe or NULL, $3 from, $4 to */
static const char *const SQL[EXPORT_KINDS] = {
    [EXPORT_CANDLES] = "SELECT symbol,timeframe,open_time,open,high,low,close,volume,quote_volume,trades,flags,"
                       "((flags & 4) <> 0)::integer AS partial "
                       "FROM candles WHERE ($1::text IS NULL OR symbol=$1) AND ($2::text IS NULL OR timeframe=$2) "
                       "AND open_time BETWEEN $3 AND $4 AND ($5::text IS NULL OR TRUE) ORDER BY symbol COLLATE \"C\",timeframe COLLATE \"C\",open_time",
    [EXPORT_SIGNALS] = "SELECT id,time,symbol,timeframe,CASE side WHEN 1 THEN 'long' ELSE 'short' END AS side,"
                       "confidence,entry,stop,stop_kind,tp1,tp2,tp3,tp4,reward_risk,pattern,volume_confirmed,"
                       "trend_aligned,trend_alignment,htf_score,regime,regime_confidence,indicators,voters,source,"
                       "candle_time,expiry,state,outcome,best_tp,outcome_time,outcome_price "
                       "FROM signals WHERE ($1::text IS NULL OR symbol=$1) AND ($2::text IS NULL OR timeframe=$2) "
                       "AND time BETWEEN $3 AND $4 AND account=$5 ORDER BY time,id",
    /* as export.c: funding payments after the last fill at or before their time */
    [EXPORT_TRADES] = "SELECT fill_id,order_id,time,symbol,side,qty,price,fee,realized,balance_after,order_type "
                      "FROM (SELECT f.id AS fill_id,f.order_id AS order_id,f.time AS time,f.symbol AS symbol,"
                      "CASE f.side WHEN 1 THEN 'buy' ELSE 'sell' END AS side,f.qty AS qty,f.price AS price,"
                      "f.fee AS fee,f.realized AS realized,f.balance_after AS balance_after,"
                      "coalesce(o.type,'market') AS order_type,f.id AS k,0::bigint AS k2 "
                      "FROM fills f LEFT JOIN orders o ON o.id=f.order_id WHERE ($1::text IS NULL OR f.symbol=$1) "
                      "AND ($2::text IS NULL OR TRUE) AND f.time BETWEEN $3 AND $4 AND f.account=$5 "
                      "UNION ALL SELECT NULL::bigint,NULL::bigint,g.time,g.symbol,"
                      "CASE WHEN g.qty > 0 THEN 'long' ELSE 'short' END,abs(g.qty),g.mark,0::float8,g.amount,"
                      "g.balance_after,'funding',(SELECT coalesce(max(id),0) FROM fills WHERE time <= g.time AND account=$5),"
                      "g.time FROM funding g WHERE ($1::text IS NULL OR g.symbol=$1) AND g.time BETWEEN $3 AND $4 "
                      "AND g.account=$5) t "
                      "ORDER BY k,k2,symbol COLLATE \"C\"",
    [EXPORT_EQUITY] = "SELECT time,balance,equity,unrealized,realized,fees,exposure FROM equity "
                      "WHERE ($1::text IS NULL OR TRUE) AND ($2::text IS NULL OR TRUE) "
                      "AND time BETWEEN $3 AND $4 AND account=$5 ORDER BY time",
    [EXPORT_JOURNAL] = "SELECT seq,time,kind,symbol,text FROM journal WHERE ($1::text IS NULL OR symbol=$1) "
                       "AND ($2::text IS NULL OR TRUE) AND time BETWEEN $3 AND $4 AND account=$5 ORDER BY seq",
    [EXPORT_TAPE] = "SELECT symbol,id,time,price,qty,CASE buyer_maker WHEN 0 THEN 'buy' ELSE 'sell' END AS side "
                    "FROM agg_trades WHERE ($1::text IS NULL OR symbol=$1) AND ($2::text IS NULL OR TRUE) "
                    "AND time BETWEEN $3 AND $4 AND ($5::text IS NULL OR TRUE) ORDER BY symbol COLLATE \"C\",id",
};

/* PostgreSQL type oids (pg_type.h is a server header) */
enum { OID_BOOL = 16, OID_INT8 = 20, OID_INT2 = 21, OID_INT4 = 23, OID_FLOAT4 = 700, OID_FLOAT8 = 701,
       OID_NUMERIC = 1700 };

static int value_kind(Oid t)
{
    switch (t) {
    case OID_BOOL: case OID_INT8: case OID_INT2: case OID_INT4:
        return SV_INT;
    case OID_FLOAT4: case OID_FLOAT8: case OID_NUMERIC:
        return SV_REAL;
    default:
        return SV_TEXT;
    }
}

long pg_store_export(const char *url, const struct export_options *o, FILE *out, char *err, size_t err_len)
{
    PGconn *c = pg_reader_open(url, err, err_len);
    if (!c)
        return -1;
    char canon[64];
    struct pg_params p = { 0 };
    if (o->symbol) {
        store_symbol_canonical(o->symbol, canon, sizeof canon);
        pg_p_text(&p, canon);
    } else {
        pg_p_null(&p);
    }
    if (o->tf >= 0)
        pg_p_text(&p, tf_name(o->tf));
    else
        pg_p_null(&p);
    pg_p_int(&p, o->from);
    pg_p_int(&p, o->to);
    pg_p_text(&p, o->account ? o->account : STORE_DEFAULT_ACCOUNT);
    /* one consistent view, read in chunks through a cursor: a big table is never whole in memory */
    long rows = -1;
    char e[512];
    if (pg_exec(c, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", e, sizeof e))
        goto out;
    char sql[2048];
    snprintf(sql, sizeof sql, "DECLARE export NO SCROLL CURSOR FOR %s", SQL[o->what]);
    if (pg_run(c, sql, &p, e, sizeof e) < 0)
        goto out;
    rows = 0;
    int ncol = 0, kind[64];
    for (bool first = true;; first = false) {
        PGresult *r = PQexec(c, "FETCH 10000 FROM export");
        if (PQresultStatus(r) != PGRES_TUPLES_OK) {
            snprintf(e, sizeof e, "%s", PQresultErrorMessage(r));
            e[strcspn(e, "\n")] = 0;
            PQclear(r);
            rows = -1;
            goto out;
        }
        if (first) {
            ncol = PQnfields(r);
            for (int i = 0; i < ncol && i < 64; i++)
                kind[i] = value_kind(PQftype(r, i));
            if (!o->json) {
                for (int i = 0; i < ncol; i++)
                    fprintf(out, "%s%s", i ? "," : "", PQfname(r, i));
                fputc('\n', out);
            } else {
                fputs("[", out);
            }
        }
        int n = PQntuples(r);
        for (int row = 0; row < n; row++) {
            store_export_begin_row(out, rows, o->json);
            for (int i = 0; i < ncol; i++) {
                const char *name = PQfname(r, i);
                store_export_col(out, i, name, o->json);
                bool time_col = store_export_time_col(o->what, name);
                const char *v = PQgetvalue(r, row, i);
                if (PQgetisnull(r, row, i))
                    store_export_value(out, SV_NULL, 0, 0, NULL, name, time_col, o->json);
                else if (i < 64 && kind[i] == SV_INT)
                    store_export_value(out, SV_INT, PQftype(r, i) == OID_BOOL ? (v[0] == 't') : strtoll(v, NULL, 10),
                                       0, NULL, name, time_col, o->json);
                else if (i < 64 && kind[i] == SV_REAL)
                    store_export_value(out, SV_REAL, 0, strtod(v, NULL), NULL, name, time_col, o->json);
                else
                    store_export_value(out, SV_TEXT, 0, 0, v, name, time_col, o->json);
            }
            fputs(o->json ? "}" : "\n", out);
            rows++;
        }
        PQclear(r);
        if (n == 0)
            break;
    }
    store_export_end(out, rows, o->json);
    pg_exec(c, "COMMIT", NULL, 0);
out:
    if (rows < 0)
        snprintf(err, err_len, "%s: reading rows: %s", url, e);
    PQfinish(c);
    return rows;
}
