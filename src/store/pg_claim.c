/* Collector failover on PostgreSQL: an instrument's claim is a session-level
 * advisory lock keyed by its name, held on a connection of the collector's own
 * (not the store thread's, whose reconnects must not move claims). A thread of
 * its own asks something on that connection every second, the holder's
 * liveness stamp: the session's pg_stat_activity.state_change moves while the
 * process runs, and stops when it is stopped or frozen; not the collect main
 * loop, which a session restart (the engine restored from the database) may
 * keep busy for longer than failover_s. See store.h. */
#include "pg_internal.h"

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define BEAT_MS 1000

struct store_claims {
    char db[1024];                 /* as given: a reconnect uses it */
    char name[1024];               /* redacted, for messages */
    int failover_s;
    pthread_mutex_t lock;          /* conn: the caller's thread and the beat */
    pthread_cond_t wake;
    bool stop;
    pthread_t beat;
    PGconn *conn;
};

int64_t store_claim_key(const char *symbol)
{
    char venue[32], bare[SYMBOL_MAX], text[32 + SYMBOL_MAX + 2];
    if (store_symbol_split(symbol, venue, sizeof venue, bare, sizeof bare))
        snprintf(text, sizeof text, "%s", symbol);
    else
        snprintf(text, sizeof text, "%s:%s", venue, bare);
    return pg_fnv_key(text);
}

int64_t pg_fnv_key(const char *text)
{
    uint64_t h = 14695981039346656037ull;          /* FNV-1a, 64 bits */
    for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
        h ^= *p;
        h *= 1099511628211ull;
    }
    return (int64_t)h;
}

/* The server probes this client with TCP keepalives and gives up on it (ending
 * the session, freeing its claims) after idle + interval * count seconds, that
 * is failover_s. No effect over a Unix socket, where a dead process's socket
 * closes at once. */
static void ask_keepalives(struct store_claims *c)
{
    int idle = c->failover_s / 2 > 0 ? c->failover_s / 2 : 1, count = c->failover_s - idle;
    char sql[256];
    snprintf(sql, sizeof sql, "SET tcp_keepalives_idle = %d; SET tcp_keepalives_interval = 1; "
             "SET tcp_keepalives_count = %d; SET tcp_user_timeout = %d", idle, count > 0 ? count : 1,
             c->failover_s * 1000);
    char err[256];
    if (pg_exec(c->conn, sql, err, sizeof err))
        log_warn("%s: keepalives for the claims not set (%s): a holder cut off by the network is noticed "
                 "only when the server's own keepalives give up", c->name, err);
}

static int connect_claims(struct store_claims *c, char *err, size_t err_len)
{
    char e[512];
    c->conn = pg_connect(c->db, e, sizeof e);
    if (!c->conn) {
        snprintf(err, err_len, "%s: %s", c->name, e);
        return -1;
    }
    ask_keepalives(c);
    return 0;
}

/* The liveness stamp, every BEAT_MS: a query on the claims connection (its
 * failure is left to store_claims_intact, on the caller's thread). */
static void *beat(void *arg)
{
    struct store_claims *c = arg;
    pthread_mutex_lock(&c->lock);
    while (!c->stop) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += BEAT_MS / 1000;
        int rc = 0;
        while (!c->stop && rc != ETIMEDOUT)
            rc = pthread_cond_timedwait(&c->wake, &c->lock, &until);
        if (!c->stop && c->conn)
            PQclear(PQexec(c->conn, "SELECT 1"));
    }
    pthread_mutex_unlock(&c->lock);
    return NULL;
}

struct store_claims *store_claims_open(const char *db, int failover_s, char *err, size_t err_len)
{
    struct store_claims *c = calloc(1, sizeof *c);
    if (!c) {
        snprintf(err, err_len, "out of memory");
        return NULL;
    }
    snprintf(c->db, sizeof c->db, "%s", db);
    pg_redact(db, c->name, sizeof c->name);
    c->failover_s = failover_s;
    if (connect_claims(c, err, err_len)) {
        free(c);
        return NULL;
    }
    pthread_mutex_init(&c->lock, NULL);
    pthread_cond_init(&c->wake, NULL);
    if (pthread_create(&c->beat, NULL, beat, c) != 0) {
        snprintf(err, err_len, "%s: cannot start the liveness thread", c->name);
        pthread_cond_destroy(&c->wake);
        pthread_mutex_destroy(&c->lock);
        PQfinish(c->conn);
        free(c);
        return NULL;
    }
    return c;
}

void store_claims_close(struct store_claims *c)
{
    if (!c)
        return;
    pthread_mutex_lock(&c->lock);
    c->stop = true;
    pthread_cond_signal(&c->wake);
    pthread_mutex_unlock(&c->lock);
    pthread_join(c->beat, NULL);
    pthread_cond_destroy(&c->wake);
    pthread_mutex_destroy(&c->lock);
    PQfinish(c->conn);
    free(c);
}

static int claim(struct store_claims *c, const char *symbol, char *err, size_t err_len)
{
    if (!c->conn && connect_claims(c, err, err_len))
        return -1;
    char sql[96];
    snprintf(sql, sizeof sql, "SELECT pg_try_advisory_lock(%" PRId64 ")", store_claim_key(symbol));
    PGresult *r = PQexec(c->conn, sql);
    int got = PQresultStatus(r) == PGRES_TUPLES_OK ? strcmp(PQgetvalue(r, 0, 0), "t") == 0 : -1;
    if (got < 0) {
        snprintf(err, err_len, "%s: %s", c->name, PQerrorMessage(c->conn));
        err[strcspn(err, "\n")] = 0;
    }
    PQclear(r);
    if (got < 0 && PQstatus(c->conn) != CONNECTION_OK) {
        PQfinish(c->conn);                         /* claims held on it are gone: start afresh */
        c->conn = NULL;
    }
    return got;
}

int store_claim(struct store_claims *c, const char *symbol, char *err, size_t err_len)
{
    pthread_mutex_lock(&c->lock);
    int got = claim(c, symbol, err, err_len);
    pthread_mutex_unlock(&c->lock);
    return got;
}

static void release(struct store_claims *c, const char *symbol)
{
    if (!c->conn)
        return;
    char sql[96];
    snprintf(sql, sizeof sql, "SELECT pg_advisory_unlock(%" PRId64 ")", store_claim_key(symbol));
    PQclear(PQexec(c->conn, sql));
}

void store_claim_release(struct store_claims *c, const char *symbol)
{
    pthread_mutex_lock(&c->lock);
    release(c, symbol);
    pthread_mutex_unlock(&c->lock);
}

static int end_hung(struct store_claims *c, const char *symbol, char *err, size_t err_len)
{
    if (!c->conn && connect_claims(c, err, err_len))
        return -1;
    uint64_t k = (uint64_t)store_claim_key(symbol);
    char sql[768];
    snprintf(sql, sizeof sql, "SELECT l.pid, pg_terminate_backend(l.pid) FROM pg_locks l JOIN pg_stat_activity a "
             "ON a.pid = l.pid WHERE l.locktype = 'advisory' AND l.objsubid = 1 AND l.granted AND "
             "l.mode = 'ExclusiveLock' AND l.classid = %" PRIu64 " AND l.objid = %" PRIu64 " AND " PG_HUNG_SQL,
             k >> 32, k & 0xffffffffu, c->failover_s);
    PGresult *r = PQexec(c->conn, sql);
    int pid = -1;
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        snprintf(err, err_len, "%s: %s", c->name, PQresultErrorMessage(r));
        err[strcspn(err, "\n")] = 0;
    } else if (PQntuples(r) == 0) {
        pid = 0;
    } else if (strcmp(PQgetvalue(r, 0, 1), "t") != 0) {
        snprintf(err, err_len, "%s: server session %s could not be ended", c->name, PQgetvalue(r, 0, 0));
    } else {
        pid = atoi(PQgetvalue(r, 0, 0));
    }
    PQclear(r);
    if (pid < 0 && PQstatus(c->conn) != CONNECTION_OK) {
        PQfinish(c->conn);
        c->conn = NULL;
    }
    return pid;
}

int store_claim_end_hung(struct store_claims *c, const char *symbol, char *err, size_t err_len)
{
    pthread_mutex_lock(&c->lock);
    int pid = end_hung(c, symbol, err, err_len);
    pthread_mutex_unlock(&c->lock);
    return pid;
}

static bool intact(struct store_claims *c)
{
    if (!c->conn)
        return false;
    PGresult *r = PQexec(c->conn, "SELECT 1");
    bool ok = PQresultStatus(r) == PGRES_TUPLES_OK;
    PQclear(r);
    if (!ok) {
        PQfinish(c->conn);
        c->conn = NULL;
    }
    return ok;
}

bool store_claims_intact(struct store_claims *c)
{
    pthread_mutex_lock(&c->lock);
    bool ok = intact(c);
    pthread_mutex_unlock(&c->lock);
    return ok;
}
