/* Consoles reading a collector's candles from PostgreSQL (store.h, watch.c):
 * who collects an instrument (its claim is held), LISTEN for the collectors'
 * commits of candles, the 1m candles stored since a time, and which accounts
 * collectors run on (their signals are shown by the consoles). */
#include "pg_internal.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>

/* held[i]: symbol i's claim is held by a live holder, asked on connection c
 * (one look at the advisory locks for all of them). stale_s > 0: a holder whose
 * claim session has sat idle longer than that (pg_claim.c: a live one asks
 * something on it every second) is hung and does not count. */
static int claims_held(PGconn *c, const char *name, const char (*symbols)[SYMBOL_MAX], int n, bool *held,
                       int stale_s, char *err, size_t err_len)
{
    char sql[512];
    snprintf(sql, sizeof sql, "SELECT l.classid, l.objid FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid "
             "WHERE l.locktype = 'advisory' AND l.objsubid = 1 AND l.granted AND l.mode = 'ExclusiveLock' "
             "AND NOT (%d > 0 AND coalesce(" PG_HUNG_SQL ", false))", stale_s, stale_s);
    PGresult *r = PQexec(c, sql);
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        snprintf(err, err_len, "%s: %s", name, PQresultErrorMessage(r));
        err[strcspn(err, "\n")] = 0;
        PQclear(r);
        return -1;
    }
    for (int i = 0; i < n; i++) {
        uint64_t k = (uint64_t)store_claim_key(symbols[i]);
        held[i] = false;
        for (int j = 0; j < PQntuples(r) && !held[i]; j++)
            held[i] = strtoul(PQgetvalue(r, j, 0), NULL, 10) == (k >> 32) &&
                      strtoul(PQgetvalue(r, j, 1), NULL, 10) == (k & 0xffffffffu);
    }
    PQclear(r);
    return 0;
}

int pg_collected(const char *db, const char (*symbols)[SYMBOL_MAX], int n, bool *held, int stale_s, char *err,
                 size_t err_len)
{
    char name[1024], e[512];
    pg_redact(db, name, sizeof name);
    PGconn *c = pg_connect(db, e, sizeof e);
    if (!c) {
        snprintf(err, err_len, "%s: %s", name, e);
        return -1;
    }
    int rc = claims_held(c, name, symbols, n, held, stale_s, err, err_len);
    PQfinish(c);
    return rc;
}

int pg_watch_collected(struct store_watch *w, const char (*symbols)[SYMBOL_MAX], int n, bool *held, int stale_s,
                       char *err, size_t err_len)
{
    if (!w->conn && pg_watch_listen(w)) {
        snprintf(err, err_len, "%s: cannot connect", w->name);
        return -1;
    }
    if (claims_held(w->conn, w->name, symbols, n, held, stale_s, err, err_len) == 0)
        return 0;
    if (PQstatus(w->conn) != CONNECTION_OK) {
        PQfinish(w->conn);                       /* listen again next time */
        w->conn = NULL;
    }
    return -1;
}

int pg_collector_accounts(struct store_watch *w, char (*out)[STORE_ACCOUNT_MAX + 1], int max, char *err,
                          size_t err_len)
{
    if (!w->conn && pg_watch_listen(w)) {
        snprintf(err, err_len, "%s: cannot connect", w->name);
        return -1;
    }
    PGconn *c = w->conn;
    /* collectors hold their account's lock shared, a console alone (pg_db.c) */
    PGresult *locks = PQexec(c, "SELECT classid, objid FROM pg_locks WHERE locktype = 'advisory' AND objsubid = 1 "
                                "AND granted AND mode = 'ShareLock'");
    PGresult *names = PQexec(c, "SELECT name FROM accounts ORDER BY name");
    int n = -1;
    if (PQresultStatus(locks) == PGRES_TUPLES_OK && PQresultStatus(names) == PGRES_TUPLES_OK) {
        n = 0;
        for (int i = 0; i < PQntuples(names) && n < max; i++) {
            char text[STORE_ACCOUNT_MAX + 16];
            snprintf(text, sizeof text, "account:%s", PQgetvalue(names, i, 0));
            uint64_t k = (uint64_t)pg_fnv_key(text);
            for (int j = 0; j < PQntuples(locks); j++)
                if (strtoul(PQgetvalue(locks, j, 0), NULL, 10) == (k >> 32) &&
                    strtoul(PQgetvalue(locks, j, 1), NULL, 10) == (k & 0xffffffffu)) {
                    snprintf(out[n++], sizeof out[0], "%s", PQgetvalue(names, i, 0));
                    break;
                }
        }
    } else {
        snprintf(err, err_len, "%s: %s", w->name, PQerrorMessage(c));
        err[strcspn(err, "\n")] = 0;
    }
    PQclear(locks);
    PQclear(names);
    if (n < 0 && PQstatus(c) != CONNECTION_OK) {
        PQfinish(c);                             /* listen again next time */
        w->conn = NULL;
    }
    return n;
}

int pg_watch_listen(struct store_watch *w)
{
    char e[512];
    w->conn = pg_connect(w->db, e, sizeof e);
    if (w->conn && pg_exec(w->conn, "LISTEN " PG_CANDLES_CHANNEL "; LISTEN " PG_FORMING_CHANNEL, e, sizeof e) == 0)
        return 0;
    log_warn("%s: cannot listen for the collectors' candles: %s", w->name, e);
    PQfinish(w->conn);
    w->conn = NULL;
    return -1;
}

void pg_watch_close(struct store_watch *w) { PQfinish(w->conn); }

/* The notifications read in: 0 none, STORE_WATCH_FORMING only forming
 * candles', 1 any other. */
static int took_notifies(PGconn *c)
{
    int got = 0;
    PGnotify *nf;
    while ((nf = PQnotifies(c))) {
        got |= strcmp(nf->relname, PG_FORMING_CHANNEL) == 0 ? STORE_WATCH_FORMING : 1;
        PQfreemem(nf);
    }
    return got & 1 ? 1 : got;
}

int pg_watch_wait(struct store_watch *w, int timeout_ms)
{
    if (!w->conn && pg_watch_listen(w))
        return -1;
    int got = took_notifies(w->conn);            /* read in with a query's answer */
    if (got)
        return got;
    int fd = PQsocket(w->conn);
    fd_set rd;
    FD_ZERO(&rd);
    FD_SET(fd, &rd);
    struct timeval tv = { timeout_ms / 1000, (timeout_ms % 1000) * 1000 };
    int s = select(fd + 1, &rd, NULL, NULL, &tv);
    if (s < 0 && errno != EINTR)
        return -1;
    if (s > 0 && !PQconsumeInput(w->conn)) {
        PQfinish(w->conn);                       /* the server went away: listen again next time */
        w->conn = NULL;
        return -1;
    }
    return took_notifies(w->conn);
}

int pg_watch_candles(struct store_watch *w, const char *symbol, int64_t from, struct candle *out, int max)
{
    if (!w->conn && pg_watch_listen(w))
        return -1;
    char canon[SYMBOL_MAX], since[24], lim[16];
    store_symbol_canonical(symbol, canon, sizeof canon);
    snprintf(since, sizeof since, "%" PRId64, from);
    snprintf(lim, sizeof lim, "%d", max);
    const char *vals[] = { canon, since, lim };
    PGresult *r = PQexecParams(w->conn, "SELECT open_time,open,high,low,close,volume,quote_volume,trades,flags "
                               "FROM candles WHERE symbol=$1 AND timeframe='1m' AND open_time >= $2 "
                               "ORDER BY open_time LIMIT $3", 3, NULL, vals, NULL, NULL, 0);
    int n = -1;
    if (PQresultStatus(r) == PGRES_TUPLES_OK) {
        n = PQntuples(r);
        for (int i = 0; i < n; i++)
            out[i] = (struct candle){
                .open_time = strtoll(PQgetvalue(r, i, 0), NULL, 10), .open = strtod(PQgetvalue(r, i, 1), NULL),
                .high = strtod(PQgetvalue(r, i, 2), NULL), .low = strtod(PQgetvalue(r, i, 3), NULL),
                .close = strtod(PQgetvalue(r, i, 4), NULL), .volume = strtod(PQgetvalue(r, i, 5), NULL),
                .quote_volume = strtod(PQgetvalue(r, i, 6), NULL), .trades = strtoll(PQgetvalue(r, i, 7), NULL, 10),
                .flags = (uint32_t)strtoul(PQgetvalue(r, i, 8), NULL, 10),
            };
    } else if (PQstatus(w->conn) != CONNECTION_OK) {
        PQfinish(w->conn);
        w->conn = NULL;
    }
    PQclear(r);
    return n;
}
