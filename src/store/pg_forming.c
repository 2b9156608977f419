/* Forming candles on PostgreSQL (forming.c has the why): the store thread's
 * rows upserted or removed in one short transaction that ends with NOTIFY on
 * PG_FORMING_CHANNEL, and a console's read of every row. */
#include "pg_internal.h"

#include <stdlib.h>
#include <string.h>

int pg_forming_write(struct pg_store *ps, const struct pg_forming_row *rows, int n)
{
    PGconn *c = ps->conn;
    if (PQstatus(c) != CONNECTION_OK)
        return -1;                    /* the next batch reconnects */
    char err[256];
    /* transient rows: no wait for the disk */
    int rc = pg_exec(c, "BEGIN; SET LOCAL synchronous_commit TO off", err, sizeof err);
    for (int i = 0; rc == 0 && i < n; i++) {
        const struct pg_forming_row *r = &rows[i];
        struct pg_params p = { 0 };
        pg_p_text(&p, r->symbol);
        if (r->mine) {
            pg_p_int(&p, r->mine_open);
            pg_p_int(&p, r->mine_updated);
            rc = pg_run(c, "DELETE FROM forming WHERE symbol=$1 AND timeframe='1m' AND open_time=$2 AND updated=$3",
                        &p, err, sizeof err) < 0;
            continue;
        }
        if (r->remove) {
            rc = pg_run(c, "DELETE FROM forming WHERE symbol=$1 AND timeframe='1m'", &p, err, sizeof err) < 0;
            continue;
        }
        pg_p_int(&p, r->c->open_time);
        pg_p_dbl(&p, r->c->open);
        pg_p_dbl(&p, r->c->high);
        pg_p_dbl(&p, r->c->low);
        pg_p_dbl(&p, r->c->close);
        pg_p_dbl(&p, r->c->volume);
        pg_p_dbl(&p, r->c->quote_volume);
        pg_p_int(&p, r->c->trades);
        pg_p_int(&p, r->c->flags);
        pg_p_int(&p, r->updated);
        rc = pg_run(c, "INSERT INTO forming(symbol,timeframe,open_time,open,high,low,close,volume,quote_volume,"
                       "trades,flags,updated) VALUES($1,'1m',$2,$3,$4,$5,$6,$7,$8,$9,$10,$11) "
                       "ON CONFLICT(symbol,timeframe) DO UPDATE SET open_time=$2,open=$3,high=$4,low=$5,close=$6,"
                       "volume=$7,quote_volume=$8,trades=$9,flags=$10,updated=$11", &p, err, sizeof err) < 0;
    }
    if (rc == 0)
        rc = pg_exec(c, "NOTIFY " PG_FORMING_CHANNEL "; COMMIT", err, sizeof err);
    if (rc) {
        log_debug("%s: forming candles not written: %s", ps->url, err);
        if (PQtransactionStatus(c) != PQTRANS_IDLE && PQtransactionStatus(c) != PQTRANS_UNKNOWN)
            pg_exec(c, "ROLLBACK", NULL, 0);
        return -1;
    }
    return 0;
}

int pg_watch_forming(struct store_watch *w, store_forming_fn fn, void *ctx)
{
    if (!w->conn && pg_watch_listen(w))
        return -1;
    PGresult *r = PQexec(w->conn, "SELECT symbol,open_time,open,high,low,close,volume,quote_volume,trades,flags,"
                                  "updated FROM forming WHERE timeframe='1m'");
    int n = -1;
    if (PQresultStatus(r) == PGRES_TUPLES_OK) {
        n = PQntuples(r);
        for (int i = 0; i < n; i++) {
            if (strlen(PQgetvalue(r, i, 0)) >= SYMBOL_MAX)
                continue;
            struct candle c = {
                .open_time = strtoll(PQgetvalue(r, i, 1), NULL, 10), .open = strtod(PQgetvalue(r, i, 2), NULL),
                .high = strtod(PQgetvalue(r, i, 3), NULL), .low = strtod(PQgetvalue(r, i, 4), NULL),
                .close = strtod(PQgetvalue(r, i, 5), NULL), .volume = strtod(PQgetvalue(r, i, 6), NULL),
                .quote_volume = strtod(PQgetvalue(r, i, 7), NULL), .trades = strtoll(PQgetvalue(r, i, 8), NULL, 10),
                .flags = (uint32_t)strtoul(PQgetvalue(r, i, 9), NULL, 10),
            };
            fn(ctx, PQgetvalue(r, i, 0), &c, strtoll(PQgetvalue(r, i, 10), NULL, 10));
        }
    } else if (PQstatus(w->conn) != CONNECTION_OK) {
        PQfinish(w->conn);
        w->conn = NULL;
    }
    PQclear(r);
    return n;
}
