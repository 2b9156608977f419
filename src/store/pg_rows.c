/* store_reader on a PostgreSQL connection: parameters as text, results in
 * PostgreSQL's binary format, each whole result fetched at once (the restore's
 * queries are bounded: LIMIT per series, one row per order or signal). Binary
 * values need no printing on the server nor parsing here: a double arrives as
 * its 8 bytes, bit for bit; each column is read by its type.
 *
 * The restore's candle reads (one query per series) can be queued: all sent
 * at once in pipeline mode, so the server reads the next series while this
 * side hands the last one to the engine. */
#include "pg_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* type oids (pg_type.h, stable across versions) */
enum { OID_BOOL = 16, OID_INT8 = 20, OID_INT2 = 21, OID_INT4 = 23, OID_FLOAT4 = 700, OID_FLOAT8 = 701,
       OID_NUMERIC = 1700 };

struct pg_rows {
    struct store_rows q;
    PGresult *res;
    int row;
    char num[64];                     /* text() of a number */
};

/* the reader's queued queries (store_reader.queue): one reader at a time per thread */
static _Thread_local struct {
    PGconn *conn;
    const char *sql;
    int left;                         /* results still to be taken */
} queued;

static _Thread_local char pg_err[256];

static uint64_t be(const char *p, int bytes)
{
    uint64_t v = 0;
    for (int i = 0; i < bytes; i++)
        v = v << 8 | (unsigned char)p[i];
    return v;
}

/* A binary numeric as a double (through its decimal text, correctly rounded). */
static double numeric_value(const char *p, int len)
{
    if (len < 8)
        return 0;
    int nd = (int16_t)be(p, 2), weight = (int16_t)be(p + 2, 2);
    unsigned sign = (unsigned)be(p + 4, 2);
    if (sign == 0xC000 || sign == 0xD000 || sign == 0xF000)
        return sign == 0xD000 ? strtod("inf", NULL) : sign == 0xF000 ? -strtod("inf", NULL) : strtod("nan", NULL);
    char text[1200];
    size_t n = 0;
    text[n++] = sign == 0x4000 ? '-' : '+';
    text[n++] = '0';
    for (int i = 0; i < nd && 8 + 2 * i + 2 <= len && n + 16 < sizeof text; i++)
        n += (size_t)snprintf(text + n, sizeof text - n, "%04d", (int)(int16_t)be(p + 8 + 2 * i, 2));
    snprintf(text + n, sizeof text - n, "e%d", (weight - nd + 1) * 4);
    return strtod(text, NULL);
}

static bool pr_next(struct store_rows *q)
{
    struct pg_rows *x = (struct pg_rows *)q;
    return ++x->row < PQntuples(x->res);
}

static bool pr_null(struct store_rows *q, int c)
{
    struct pg_rows *x = (struct pg_rows *)q;
    return PQgetisnull(x->res, x->row, c);
}

static double pr_dbl(struct store_rows *q, int c);

static int64_t pr_i64(struct store_rows *q, int c)
{
    struct pg_rows *x = (struct pg_rows *)q;
    const char *v = PQgetvalue(x->res, x->row, c);
    if (PQgetisnull(x->res, x->row, c))
        return 0;
    switch (PQftype(x->res, c)) {
    case OID_INT8:
        return (int64_t)be(v, 8);
    case OID_INT4:
        return (int32_t)be(v, 4);
    case OID_INT2:
        return (int16_t)be(v, 2);
    case OID_BOOL:
        return v[0] != 0;
    case OID_FLOAT4:
    case OID_FLOAT8:
    case OID_NUMERIC:
        return (int64_t)pr_dbl(q, c);
    default:
        return strtoll(v, NULL, 10);  /* text: the bytes as they are */
    }
}

static double pr_dbl(struct store_rows *q, int c)
{
    struct pg_rows *x = (struct pg_rows *)q;
    const char *v = PQgetvalue(x->res, x->row, c);
    if (PQgetisnull(x->res, x->row, c))
        return 0;
    switch (PQftype(x->res, c)) {
    case OID_FLOAT8: {
        uint64_t u = be(v, 8);
        double d;
        memcpy(&d, &u, sizeof d);
        return d;
    }
    case OID_FLOAT4: {
        uint32_t u = (uint32_t)be(v, 4);
        float f;
        memcpy(&f, &u, sizeof f);
        return f;
    }
    case OID_NUMERIC:
        return numeric_value(v, PQgetlength(x->res, x->row, c));
    case OID_INT8:
    case OID_INT4:
    case OID_INT2:
    case OID_BOOL:
        return (double)pr_i64(q, c);
    default:
        return strtod(v, NULL);
    }
}

static const char *pr_text(struct store_rows *q, int c)
{
    struct pg_rows *x = (struct pg_rows *)q;
    if (PQgetisnull(x->res, x->row, c))
        return NULL;
    switch (PQftype(x->res, c)) {
    case OID_INT8:
    case OID_INT4:
    case OID_INT2:
    case OID_BOOL:
        snprintf(x->num, sizeof x->num, "%lld", (long long)pr_i64(q, c));
        return x->num;
    case OID_FLOAT4:
    case OID_FLOAT8:
    case OID_NUMERIC:
        pg_fmt_double(x->num, sizeof x->num, pr_dbl(q, c));
        return x->num;
    default:
        return PQgetvalue(x->res, x->row, c);   /* text types: the bytes, NUL-terminated by libpq */
    }
}

static void pr_done(struct store_rows *q)
{
    struct pg_rows *x = (struct pg_rows *)q;
    PQclear(x->res);
    free(x);
}

static void set_err(PGconn *c, PGresult *res)
{
    snprintf(pg_err, sizeof pg_err, "%s", res && PQresultErrorMessage(res)[0] ? PQresultErrorMessage(res)
                                                                             : PQerrorMessage(c));
    pg_err[strcspn(pg_err, "\n")] = 0;
}

/* Ends the pipeline: the results not taken are read and dropped. */
static void unqueue(void)
{
    if (!queued.conn)
        return;
    PGresult *r;
    for (int i = 0; i < 10000; i++) {
        r = PQgetResult(queued.conn);
        bool sync = r && PQresultStatus(r) == PGRES_PIPELINE_SYNC;
        bool gone = !r && PQstatus(queued.conn) != CONNECTION_OK;
        PQclear(r);
        if (sync || gone)
            break;
    }
    PQexitPipelineMode(queued.conn);
    queued.conn = NULL;
    queued.left = 0;
}

/* The next queued query's result (its sql the same as queued). */
static PGresult *take_queued(struct store_reader *r, const char *sql)
{
    if (sql != queued.sql) {
        unqueue();
        snprintf(pg_err, sizeof pg_err, "queued queries taken out of order");
        return NULL;
    }
    PGresult *res = PQgetResult(r->h);
    PGresult *end = PQgetResult(r->h);            /* NULL: the end of this query's results */
    PQclear(end);
    if (--queued.left == 0 || !res)
        unqueue();
    return res;
}

static void text_params(struct pg_params *pp, const struct store_param *p, int n)
{
    *pp = (struct pg_params){ 0 };
    for (int k = 0; k < n && k < PG_PARAMS_MAX; k++) {
        if (p[k].type == SV_INT)
            pg_p_int(pp, p[k].i);
        else if (p[k].type == SV_REAL)
            pg_p_dbl(pp, p[k].d);
        else if (p[k].type == SV_TEXT)
            pg_p_text(pp, p[k].s);
        else
            pg_p_null(pp);
    }
}

static struct store_rows *pr_query(struct store_reader *r, const char *sql, const struct store_param *p, int n)
{
    pg_err[0] = 0;
    PGresult *res;
    if (queued.conn == r->h) {
        res = take_queued(r, sql);
    } else {
        struct pg_params pp;
        text_params(&pp, p, n);
        res = PQexecParams(r->h, sql, pp.n, NULL, pp.v, NULL, NULL, 1);
    }
    ExecStatusType s = PQresultStatus(res);
    if (s != PGRES_TUPLES_OK && s != PGRES_COMMAND_OK) {
        if (!pg_err[0])
            set_err(r->h, res);
        PQclear(res);
        return NULL;
    }
    struct pg_rows *x = calloc(1, sizeof *x);
    if (!x) {
        PQclear(res);
        snprintf(pg_err, sizeof pg_err, "out of memory");
        return NULL;
    }
    x->res = res;
    x->row = -1;
    x->q = (struct store_rows){ pr_next, pr_null, pr_i64, pr_dbl, pr_text, pr_done };
    return &x->q;
}

/* Sends sql once per parameter set (np parameters each, sets one after the
 * other in p), all at once; the next sets calls of query with this sql take
 * their results in order. */
static int pr_queue(struct store_reader *r, const char *sql, const struct store_param *p, int np, int sets)
{
    pg_err[0] = 0;
    unqueue();
    if (sets <= 0)
        return 0;
    if (PQenterPipelineMode(r->h) != 1) {
        set_err(r->h, NULL);
        return -1;
    }
    queued.conn = r->h;
    queued.sql = sql;
    queued.left = sets;
    for (int i = 0; i < sets; i++) {
        struct pg_params pp;
        text_params(&pp, p + (size_t)i * (size_t)np, np);
        if (PQsendQueryParams(r->h, sql, pp.n, NULL, pp.v, NULL, NULL, 1) != 1) {
            set_err(r->h, NULL);
            PQpipelineSync(r->h);
            unqueue();
            return -1;
        }
    }
    if (PQpipelineSync(r->h) != 1) {
        set_err(r->h, NULL);
        unqueue();
        return -1;
    }
    return 0;
}

static int pr_exec(struct store_reader *r, const char *sql)
{
    pg_err[0] = 0;
    if (queued.conn == r->h)
        unqueue();                    /* a restore that stopped before its last series */
    return pg_exec(r->h, sql, pg_err, sizeof pg_err);
}

static const char *pr_err(struct store_reader *r)
{
    (void)r;
    return pg_err;
}

void store_reader_pg(struct store_reader *r, void *conn)
{
    *r = (struct store_reader){ pr_query, pr_exec, pr_err, conn, pr_queue };
    pg_err[0] = 0;
}

/* The PostgreSQL side of the public reads. */
int pg_store_restore(struct store *st, struct engine *e, size_t per_series)
{
    struct store_reader rd;
    store_reader_pg(&rd, st->pg->conn);
    bool have_balance = false;
    /* one consistent view. No sorting: the newest candles of a series come off
     * its index backwards (a table written a moment ago and not analyzed yet
     * looks tiny to the planner, which would rather sort the whole series). No
     * JIT: the penalty on sorts makes the small queries' plans look costly
     * enough to compile, which takes longer than the whole restore */
    int rc = rd.exec(&rd, "BEGIN ISOLATION LEVEL REPEATABLE READ; SET LOCAL enable_sort = off; SET LOCAL jit = off");
    if (rc == 0)
        rc = store_restore_from(&rd, st, e, per_series, &have_balance);
    else
        log_error("%s: cannot read stored state: %s", st->path, pg_err);
    rd.exec(&rd, rc ? "ROLLBACK" : "COMMIT");
    if (rc)
        return -1;
    return store_record_account(&rd, st, e, have_balance);
}

int pg_store_load_open_signals(const char *url, void (*fn)(void *ctx, const char *symbol, int tf, int64_t time,
                               const struct record_signal *s), void *ctx, char *err, size_t err_len)
{
    PGconn *c = pg_reader_open(url, err, err_len);
    if (!c)
        return -1;
    struct store_reader rd;
    store_reader_pg(&rd, c);
    int count = store_open_signals_from(&rd, fn, ctx);
    if (count < 0)
        snprintf(err, err_len, "%s: cannot read signals: %s", url, pg_err);
    PQfinish(c);
    return count;
}

int pg_store_read_candles(const char *url, const char *symbol, int tf, int64_t from, int64_t to,
                          struct candle **out, size_t *n, char *err, size_t err_len)
{
    *out = NULL;
    *n = 0;
    PGconn *c = pg_reader_open(url, err, err_len);
    if (!c)
        return -1;
    struct store_reader rd;
    store_reader_pg(&rd, c);
    int rc = store_candles_from(&rd, url, symbol, tf, from, to, out, n, err, err_len);
    PQfinish(c);
    return rc;
}

int pg_store_read_candles_before(const char *url, const char *symbol, int tf, int64_t before, int max,
                                 struct candle *out, char *err, size_t err_len)
{
    PGconn *c = pg_reader_open(url, err, err_len);
    if (!c)
        return -1;
    struct store_reader rd;
    store_reader_pg(&rd, c);
    int n = store_candles_before_from(&rd, url, symbol, tf, before, max, out, err, err_len);
    PQfinish(c);
    return n;
}
