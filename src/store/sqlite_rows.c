/* store_reader on an SQLite connection: $1, $2 ... bound by name, rows stepped
 * one at a time. The reader keeps the last error's text ("" when none). */
#include "store_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct sq_reader_state {
    char err[256];
};

struct sq_rows {
    struct store_rows q;
    struct store_reader *rd;
    sqlite3_stmt *s;
};

static struct sq_reader_state *state(struct store_reader *r)
{
    static _Thread_local struct sq_reader_state st;   /* one reader at a time per thread */
    (void)r;
    return &st;
}

static bool sq_next(struct store_rows *q)
{
    struct sq_rows *x = (struct sq_rows *)q;
    int rc = sqlite3_step(x->s);
    if (rc == SQLITE_ROW)
        return true;
    if (rc != SQLITE_DONE)
        snprintf(state(x->rd)->err, sizeof state(x->rd)->err, "%s", sqlite3_errmsg(x->rd->h));
    return false;
}

static bool sq_null(struct store_rows *q, int c) { return sqlite3_column_type(((struct sq_rows *)q)->s, c) == SQLITE_NULL; }
static int64_t sq_i64(struct store_rows *q, int c) { return sqlite3_column_int64(((struct sq_rows *)q)->s, c); }
static double sq_dbl(struct store_rows *q, int c) { return sqlite3_column_double(((struct sq_rows *)q)->s, c); }
static const char *sq_text(struct store_rows *q, int c)
{
    return (const char *)sqlite3_column_text(((struct sq_rows *)q)->s, c);
}

static void sq_done(struct store_rows *q)
{
    struct sq_rows *x = (struct sq_rows *)q;
    sqlite3_finalize(x->s);
    free(x);
}

static struct store_rows *sq_query(struct store_reader *r, const char *sql, const struct store_param *p, int n)
{
    struct sq_reader_state *st = state(r);
    st->err[0] = 0;
    struct sq_rows *x = calloc(1, sizeof *x);
    if (!x) {
        snprintf(st->err, sizeof st->err, "out of memory");
        return NULL;
    }
    if (sqlite3_prepare_v2(r->h, sql, -1, &x->s, NULL) != SQLITE_OK) {
        snprintf(st->err, sizeof st->err, "%s", sqlite3_errmsg(r->h));
        free(x);
        return NULL;
    }
    for (int k = 0; k < n; k++) {
        char name[16];
        snprintf(name, sizeof name, "$%d", k + 1);
        int i = sqlite3_bind_parameter_index(x->s, name);
        if (i == 0)
            continue;
        if (p[k].type == SV_INT)
            sqlite3_bind_int64(x->s, i, p[k].i);
        else if (p[k].type == SV_REAL)
            sqlite3_bind_double(x->s, i, p[k].d);
        else if (p[k].type == SV_TEXT)
            sqlite3_bind_text(x->s, i, p[k].s, -1, SQLITE_TRANSIENT);
        else
            sqlite3_bind_null(x->s, i);
    }
    x->rd = r;
    x->q = (struct store_rows){ sq_next, sq_null, sq_i64, sq_dbl, sq_text, sq_done };
    /* a statement without rows (INSERT) runs now: its caller only calls done */
    if (sqlite3_stmt_readonly(x->s) == 0) {
        int rc = sqlite3_step(x->s);
        if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
            snprintf(st->err, sizeof st->err, "%s", sqlite3_errmsg(r->h));
            sqlite3_finalize(x->s);
            free(x);
            return NULL;
        }
        sqlite3_reset(x->s);
    }
    return &x->q;
}

static int sq_exec(struct store_reader *r, const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(r->h, sql, NULL, NULL, &msg) != SQLITE_OK) {
        snprintf(state(r)->err, sizeof state(r)->err, "%s", msg ? msg : sqlite3_errmsg(r->h));
        sqlite3_free(msg);
        return -1;
    }
    return 0;
}

static const char *sq_err(struct store_reader *r) { return state(r)->err; }

void store_reader_sqlite(struct store_reader *r, sqlite3 *db)
{
    *r = (struct store_reader){ sq_query, sq_exec, sq_err, db, NULL };
    state(r)->err[0] = 0;
}
