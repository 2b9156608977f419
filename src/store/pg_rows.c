/* store_reader on a PostgreSQL connection: parameters as text, the whole result
 * fetched at once (the restore's queries are bounded: LIMIT per series, one row
 * per order or signal); values parsed from PostgreSQL's text form, which for
 * doubles is the shortest text that reads back bit for bit. */
#include "pg_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct pg_rows {
    struct store_rows q;
    PGresult *res;
    int row;
};

static _Thread_local char pg_err[256];

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

static int64_t pr_i64(struct store_rows *q, int c)
{
    struct pg_rows *x = (struct pg_rows *)q;
    const char *v = PQgetvalue(x->res, x->row, c);
    if (v[0] == 't' || v[0] == 'f')
        return v[0] == 't';            /* a boolean */
    return strtoll(v, NULL, 10);
}

static double pr_dbl(struct store_rows *q, int c)
{
    struct pg_rows *x = (struct pg_rows *)q;
    return strtod(PQgetvalue(x->res, x->row, c), NULL);
}

static const char *pr_text(struct store_rows *q, int c)
{
    struct pg_rows *x = (struct pg_rows *)q;
    return PQgetisnull(x->res, x->row, c) ? NULL : PQgetvalue(x->res, x->row, c);
}

static void pr_done(struct store_rows *q)
{
    struct pg_rows *x = (struct pg_rows *)q;
    PQclear(x->res);
    free(x);
}

static struct store_rows *pr_query(struct store_reader *r, const char *sql, const struct store_param *p, int n)
{
    pg_err[0] = 0;
    struct pg_params pp = { 0 };
    for (int k = 0; k < n && k < PG_PARAMS_MAX; k++) {
        if (p[k].type == SV_INT)
            pg_p_int(&pp, p[k].i);
        else if (p[k].type == SV_REAL)
            pg_p_dbl(&pp, p[k].d);
        else if (p[k].type == SV_TEXT)
            pg_p_text(&pp, p[k].s);
        else
            pg_p_null(&pp);
    }
    PGresult *res = PQexecParams(r->h, sql, pp.n, NULL, pp.v, NULL, NULL, 0);
    ExecStatusType s = PQresultStatus(res);
    if (s != PGRES_TUPLES_OK && s != PGRES_COMMAND_OK) {
        snprintf(pg_err, sizeof pg_err, "%s", PQresultErrorMessage(res)[0] ? PQresultErrorMessage(res)
                                                                            : PQerrorMessage(r->h));
        pg_err[strcspn(pg_err, "\n")] = 0;
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

static int pr_exec(struct store_reader *r, const char *sql)
{
    pg_err[0] = 0;
    return pg_exec(r->h, sql, pg_err, sizeof pg_err);
}

static const char *pr_err(struct store_reader *r)
{
    (void)r;
    return pg_err;
}

void store_reader_pg(struct store_reader *r, void *conn)
{
    *r = (struct store_reader){ pr_query, pr_exec, pr_err, conn };
    pg_err[0] = 0;
}

/* The PostgreSQL side of the public reads. */
int pg_store_restore(struct store *st, struct engine *e, size_t per_series)
{
    struct store_reader rd;
    store_reader_pg(&rd, st->pg->conn);
    bool have_balance = false;
    int rc = rd.exec(&rd, "BEGIN ISOLATION LEVEL REPEATABLE READ");   /* one consistent view */
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
