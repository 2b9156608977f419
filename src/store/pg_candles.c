/* The PostgreSQL backend's candle writes: a batch's candles in one or two binary
 * COPYs inside the batch's transaction.
 *
 * Most rows are new: the next candles of a series, past the newest one stored.
 * Those are copied straight into candles (no staging table, no conflict check:
 * a plain insert into the partition). The others (a forming candle written
 * again, a correction, history filled in behind the newest) are copied into the
 * session's staging table and upserted from it in one INSERT ... SELECT.
 *
 * The newest stored open_time of each series is kept in a hash table, asked of
 * the server once per series (one query for all the series of a batch it does
 * not know) and advanced after each commit. It can only be wrong when another
 * writer stored the same series meanwhile (a collector taking an instrument
 * over from one that died): then a row taken for new is a duplicate, the
 * primary key refuses the COPY, and the writer forgets what it knew and writes
 * the batch again with every row upserted. No candle is lost or stored twice
 * either way; the fast path is only a guess the key checks. */
#include "pg_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct pg_newest {
    char symbol[SYMBOL_MAX];          /* "" : a free slot */
    int tf;
    bool known;                       /* newest asked of the server (or advanced since) */
    int64_t newest;                   /* INT64_MIN: the series has no stored candle */
};

static uint64_t series_hash(const char *symbol, int tf)
{
    uint64_t h = 1469598103934665603ULL ^ (uint64_t)tf;
    for (const unsigned char *p = (const unsigned char *)symbol; *p; p++)
        h = (h ^ *p) * 1099511628211ULL;
    return h;
}

static struct pg_newest *slot(struct pg_newest *t, size_t cap, const char *symbol, int tf)
{
    size_t i = (size_t)series_hash(symbol, tf) & (cap - 1);
    while (t[i].symbol[0] && (t[i].tf != tf || strcmp(t[i].symbol, symbol) != 0))
        i = (i + 1) & (cap - 1);
    return &t[i];
}

/* The series' entry, added unknown when absent; NULL when out of memory. */
static struct pg_newest *series(struct pg_store *ps, const char *symbol, int tf)
{
    if (strlen(symbol) >= SYMBOL_MAX)
        return NULL;
    if (2 * (ps->newest_used + 1) > ps->newest_cap) {
        size_t cap = ps->newest_cap ? ps->newest_cap * 2 : 256;
        struct pg_newest *t = calloc(cap, sizeof *t);
        if (!t)
            return NULL;
        for (size_t i = 0; i < ps->newest_cap; i++)
            if (ps->newest[i].symbol[0])
                *slot(t, cap, ps->newest[i].symbol, ps->newest[i].tf) = ps->newest[i];
        free(ps->newest);
        ps->newest = t;
        ps->newest_cap = cap;
    }
    struct pg_newest *s = slot(ps->newest, ps->newest_cap, symbol, tf);
    if (!s->symbol[0]) {
        snprintf(s->symbol, sizeof s->symbol, "%s", symbol);
        s->tf = tf;
        s->known = false;
        ps->newest_used++;
    }
    return s;
}

void pg_candles_forget(struct pg_store *ps)
{
    free(ps->newest);
    ps->newest = NULL;
    ps->newest_cap = ps->newest_used = 0;
}

/* The batch's candles, the last version of each (series, open_time) only. */
static int candle_cmp(const void *a, const void *b)
{
    const struct record *x = *(const struct record *const *)a, *y = *(const struct record *const *)b;
    int c = strcmp(x->symbol, y->symbol);
    if (c)
        return c;
    if (x->tf != y->tf)
        return x->tf < y->tf ? -1 : 1;
    if (x->u.candle.open_time != y->u.candle.open_time)
        return x->u.candle.open_time < y->u.candle.open_time ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static bool same_series(const struct record *x, const struct record *y)
{
    return x->tf == y->tf && strcmp(x->symbol, y->symbol) == 0;
}

/* A growing text: the array literals of learn_unknown. */
struct text {
    char *p;
    size_t len, cap;
};

/* Appends s to the array literal as a quoted element (symbols hold no quote or
 * backslash: [A-Za-z0-9:-], store.h); the first opens it with '{'. */
static int array_add(struct text *t, const char *s)
{
    size_t need = t->len + strlen(s) + 5;
    if (need > t->cap) {
        size_t c = t->cap ? t->cap * 2 : 4096;
        while (c < need)
            c *= 2;
        char *b = realloc(t->p, c);
        if (!b)
            return -1;
        t->p = b;
        t->cap = c;
    }
    t->len += (size_t)snprintf(t->p + t->len, t->cap - t->len, "%c\"%s\"", t->len ? ',' : '{', s);
    return 0;
}

/* Asks the newest stored open_time of the batch's series not known yet, in one
 * query (an index probe per series). cs is sorted by series. */
static int learn_unknown(struct pg_store *ps, const struct record *const *cs, int m, char *err, size_t err_len)
{
    struct text syms = { 0 }, tfs = { 0 };
    int rc = 0;
    for (int i = 0; rc == 0 && i < m; i++) {
        if (i > 0 && same_series(cs[i - 1], cs[i]))
            continue;
        struct pg_newest *s = series(ps, cs[i]->symbol, cs[i]->tf);
        if (s && !s->known && (array_add(&syms, cs[i]->symbol) || array_add(&tfs, tf_name(cs[i]->tf))))
            rc = -1;
    }
    if (rc) {
        snprintf(err, err_len, "out of memory");
    } else if (syms.len) {
        strcat(syms.p, "}");           /* array_add left room for it */
        strcat(tfs.p, "}");
        const char *v[] = { syms.p, tfs.p };
        PGresult *r = PQexecParams(ps->conn, "SELECT s, t, (SELECT max(open_time) FROM candles WHERE symbol=s AND "
                                             "timeframe=t) FROM unnest($1::text[], $2::text[]) AS u(s, t)",
                                   2, NULL, v, NULL, NULL, 0);
        if (PQresultStatus(r) != PGRES_TUPLES_OK) {
            snprintf(err, err_len, "%s", PQresultErrorMessage(r)[0] ? PQresultErrorMessage(r)
                                                                    : PQerrorMessage(ps->conn));
            err[strcspn(err, "\n")] = 0;
            rc = -1;
        }
        for (int i = 0; rc == 0 && i < PQntuples(r); i++) {
            int tf = tf_parse(PQgetvalue(r, i, 1));
            struct pg_newest *s = tf >= 0 ? series(ps, PQgetvalue(r, i, 0), tf) : NULL;
            if (s) {
                s->known = true;
                s->newest = PQgetisnull(r, i, 2) ? INT64_MIN : strtoll(PQgetvalue(r, i, 2), NULL, 10);
            }
        }
        PQclear(r);
    }
    free(syms.p);
    free(tfs.p);
    return rc;
}

/* One binary COPY of rows (the candles' column order). */
static int copy_candles(PGconn *c, const char *sql, const struct record *const *rs, int n, char *state, char *err,
                        size_t err_len)
{
    struct pg_copy k;
    if (pg_copy_begin(&k, c, sql, err, err_len)) {
        snprintf(state, 6, "%s", k.state);
        return -1;
    }
    for (int i = 0; i < n; i++) {
        const struct record *x = rs[i];
        const struct candle *d = &x->u.candle;
        pg_copy_tuple(&k, 11);
        pg_copy_text(&k, x->symbol);
        pg_copy_text(&k, tf_name(x->tf));
        pg_copy_i64(&k, d->open_time);
        pg_copy_f64(&k, d->open);
        pg_copy_f64(&k, d->high);
        pg_copy_f64(&k, d->low);
        pg_copy_f64(&k, d->close);
        pg_copy_f64(&k, d->volume);
        pg_copy_f64(&k, d->quote_volume);
        pg_copy_i64(&k, d->trades);
        pg_copy_i64(&k, d->flags);
    }
    int rc = pg_copy_end(&k);
    snprintf(state, 6, "%s", k.state);
    return rc;
}

#define CANDLE_COPY_COLUMNS "(symbol,timeframe,open_time,open,high,low,close,volume,quote_volume,trades,flags)"

/* The new rows, one COPY per calendar month straight into its partition (made
 * before the transaction, pg_writer.c): the server skips routing each row
 * through the parent. A batch nearly always holds one month; at a month's turn,
 * two. Each COPY keeps the rows' order (by key). */
static int copy_new(PGconn *c, const char *begin, const struct record *const *rs, int n, char *state, char *err,
                    size_t err_len)
{
    const struct record **todo = malloc(sizeof *todo * 2 * (size_t)n), **month = todo + n;
    if (!todo) {
        snprintf(err, err_len, "out of memory");
        return -1;
    }
    memcpy(todo, rs, sizeof *todo * (size_t)n);
    int rc = 0, left = n;
    while (rc == 0 && left) {
        int64_t start, end;
        char name[PG_PARTITION_NAME], sql[320];
        pg_candle_month(todo[0]->u.candle.open_time, &start, &end, name, sizeof name);
        int m = 0, k = 0;
        for (int i = 0; i < left; i++) {
            int64_t t = todo[i]->u.candle.open_time;
            if (t >= start && t < end)
                month[m++] = todo[i];
            else
                todo[k++] = todo[i];  /* the other months, for the next COPY */
        }
        left = k;
        snprintf(sql, sizeof sql, "%s%sCOPY %s" CANDLE_COPY_COLUMNS " FROM STDIN (FORMAT binary)",
                 begin ? begin : "", begin ? "; " : "", name);
        begin = NULL;
        rc = copy_candles(c, sql, month, m, state, err, err_len);
    }
    free(todo);
    return rc;
}

int pg_candles_write(struct pg_store *ps, const struct record **cs, int n, int *m, const char *begin, bool fast,
                     bool *duplicate, char *err, size_t err_len)
{
    *duplicate = false;
    qsort(cs, (size_t)n, sizeof cs[0], candle_cmp);      /* by key, then oldest record first */
    int k = 0;
    for (int i = 0; i < n; i++) {
        if (k > 0 && same_series(cs[k - 1], cs[i]) && cs[k - 1]->u.candle.open_time == cs[i]->u.candle.open_time)
            cs[k - 1] = cs[i];        /* a newer version of the same candle */
        else
            cs[k++] = cs[i];
    }
    *m = k;
    if (fast && learn_unknown(ps, cs, k, err, err_len))
        return -1;
    /* new rows (past their series' newest) to the front, the others behind,
     * each part still in key order */
    const struct record **old = malloc(sizeof *old * (size_t)(k ? k : 1));
    if (!old) {
        snprintf(err, err_len, "out of memory");
        return -1;
    }
    int nn = 0, no = 0;
    const struct pg_newest *s = NULL;
    for (int i = 0; i < k; i++) {
        if (fast && (i == 0 || !same_series(cs[i - 1], cs[i])))
            s = series(ps, cs[i]->symbol, cs[i]->tf);
        if (fast && s && s->known && cs[i]->u.candle.open_time > s->newest)
            cs[nn++] = cs[i];
        else
            old[no++] = cs[i];
    }
    memcpy(cs + nn, old, sizeof *old * (size_t)no);
    free(old);
    /* the transaction's BEGIN, when not sent yet, goes with the first COPY (one round trip less) */
    char state[6] = "", staged[256];
    snprintf(staged, sizeof staged, "%s%sCOPY candles_in" CANDLE_COPY_COLUMNS " FROM STDIN (FORMAT binary)",
             begin && !nn ? begin : "", begin && !nn ? "; " : "");
    int rc = no && begin ? pg_staging(ps, err, err_len) : 0;   /* before the transaction: it stays made */
    if (rc == 0 && nn && copy_new(ps->conn, begin, cs, nn, state, err, err_len)) {
        *duplicate = strcmp(state, "23505") == 0;
        rc = -1;
    }
    if (rc == 0 && no)
        rc = pg_staging(ps, err, err_len) ||
             copy_candles(ps->conn, staged, cs + nn, no, state, err, err_len) ||
             pg_exec(ps->conn, "INSERT INTO candles SELECT * FROM candles_in ON CONFLICT(symbol,timeframe,open_time) "
                               "DO UPDATE SET open=EXCLUDED.open, high=EXCLUDED.high, low=EXCLUDED.low, "
                               "close=EXCLUDED.close, volume=EXCLUDED.volume, quote_volume=EXCLUDED.quote_volume, "
                               "trades=EXCLUDED.trades, flags=EXCLUDED.flags", err, err_len)
                 ? -1 : 0;
    return rc;
}

void pg_candles_committed(struct pg_store *ps, const struct record *const *cs, int m)
{
    for (int i = 0; i < m; i++) {
        struct pg_newest *s = ps->newest ? slot(ps->newest, ps->newest_cap, cs[i]->symbol, cs[i]->tf) : NULL;
        if (s && s->symbol[0] && s->known && cs[i]->u.candle.open_time > s->newest)
            s->newest = cs[i]->u.candle.open_time;
    }
}

int pg_staging(struct pg_store *ps, char *err, size_t err_len)
{
    if (ps->staging)
        return 0;
    if (pg_exec(ps->conn, "CREATE TEMP TABLE IF NOT EXISTS candles_in (LIKE candles) ON COMMIT DELETE ROWS;"
                          "CREATE TEMP TABLE IF NOT EXISTS trades_in (LIKE agg_trades) ON COMMIT DELETE ROWS",
                err, err_len))
        return -1;
    ps->staging = true;
    return 0;
}
