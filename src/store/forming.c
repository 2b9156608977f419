/* Forming candles in the store (the forming table, schema version 10): the
 * store thread keeps the newest forming 1m candle of each symbol the engine
 * hands it (REC_FORMING) and writes them, at most every FORMING_EVERY_NS, in a
 * short transaction of their own after the batch (never inside one: a money
 * record never waits for them); a closed candle of the same minute or later
 * removes its symbol's row. A symbol's first candle in this process replaces or
 * removes whatever row an earlier collector left (a killed one never removed
 * its own). Consoles reading this collector's candles (store_feed.c) read the
 * rows through their store_watch. SQLite here, PostgreSQL in pg_forming.c. */
#include "store_internal.h"
#include "pg_internal.h"

#include <stdlib.h>
#include <string.h>

#include "alphapulse/clock.h"

#define FORMING_EVERY_NS 250000000LL

struct forming_entry {
    char symbol[SYMBOL_MAX];
    struct candle c;               /* open_time 0: none yet */
    int64_t updated;               /* its event time */
    int64_t closed;                /* the newest closed 1m candle's open time seen */
    bool dirty;                    /* the stored row is not what this says */
    bool mine;                     /* the row stored is the one this process wrote last: */
    int64_t mine_open, mine_updated;   /* its open time and event time */
};

struct store_forming {
    struct forming_entry *e;
    int n, cap;
    struct symtab ix;
    int64_t flushed_ns;
    sqlite3_stmt *put, *del, *del_mine;
    bool ending;                   /* remove only the rows this process wrote (another may write them now) */
};

static struct forming_entry *entry_of(struct store_forming *f, const char *symbol)
{
    int i = symtab_get(&f->ix, symbol);
    if (i >= 0)
        return &f->e[i];
    if (f->n == f->cap) {
        int cap = f->cap ? 2 * f->cap : 16;
        struct forming_entry *grown = realloc(f->e, (size_t)cap * sizeof *grown);
        if (!grown)
            return NULL;
        f->e = grown;
        f->cap = cap;
    }
    if (symtab_put(&f->ix, symbol, f->n))
        return NULL;
    struct forming_entry *e = &f->e[f->n++];
    *e = (struct forming_entry){ .closed = INT64_MIN, .dirty = true };   /* an earlier collector's row goes */
    snprintf(e->symbol, sizeof e->symbol, "%s", symbol);
    return e;
}

bool store_forming_take(struct store *st, const struct record *r)
{
    bool forming = r->type == REC_FORMING;
    if (!forming && !(r->type == REC_CANDLE && r->tf == TF_1M))
        return false;
    if (!st->forming) {
        if (!(st->forming = calloc(1, sizeof *st->forming)))
            return forming;
        symtab_init(&st->forming->ix);
    }
    struct forming_entry *e = entry_of(st->forming, r->symbol);
    if (!e)
        return forming;
    const struct candle *c = &r->u.candle;
    if (forming) {
        if (c->open_time > e->closed && (c->open_time >= e->c.open_time)) {
            e->c = *c;
            e->updated = r->time;
            e->dirty = true;
        }
    } else if (c->open_time > e->closed) {
        e->closed = c->open_time;
        e->dirty |= e->c.open_time != 0 && e->c.open_time <= c->open_time;
    }
    return forming;
}

/* Is the entry's row to be removed (its candle closed, or none yet)? */
static bool gone(const struct forming_entry *e) { return e->c.open_time == 0 || e->c.open_time <= e->closed; }

static int sqlite_write(struct store *st, struct store_forming *f)
{
    if (!f->put &&
        (sqlite3_prepare_v3(st->db, "INSERT OR REPLACE INTO forming(symbol,timeframe,open_time,open,high,low,"
                            "close,volume,quote_volume,trades,flags,updated) VALUES(?,'1m',?,?,?,?,?,?,?,?,?,?)",
                            -1, SQLITE_PREPARE_PERSISTENT, &f->put, NULL) != SQLITE_OK ||
         sqlite3_prepare_v3(st->db, "DELETE FROM forming WHERE symbol=? AND timeframe='1m'", -1,
                            SQLITE_PREPARE_PERSISTENT, &f->del, NULL) != SQLITE_OK ||
         sqlite3_prepare_v3(st->db, "DELETE FROM forming WHERE symbol=? AND timeframe='1m' AND open_time=? "
                            "AND updated=?", -1, SQLITE_PREPARE_PERSISTENT, &f->del_mine, NULL) != SQLITE_OK))
        return -1;
    sqlite3_exec(st->db, "PRAGMA synchronous=NORMAL", NULL, NULL, NULL);
    if (sqlite3_exec(st->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
        return -1;
    int rc = 0;
    for (int i = 0; rc == 0 && i < f->n; i++) {
        const struct forming_entry *e = &f->e[i];
        if (!e->dirty)
            continue;
        sqlite3_stmt *s = f->ending ? f->del_mine : gone(e) ? f->del : f->put;
        sqlite3_bind_text(s, 1, e->symbol, -1, SQLITE_STATIC);
        if (f->ending) {
            sqlite3_bind_int64(s, 2, e->mine_open);
            sqlite3_bind_int64(s, 3, e->mine_updated);
        } else if (!gone(e)) {
            sqlite3_bind_int64(s, 2, e->c.open_time);
            sqlite3_bind_double(s, 3, e->c.open);
            sqlite3_bind_double(s, 4, e->c.high);
            sqlite3_bind_double(s, 5, e->c.low);
            sqlite3_bind_double(s, 6, e->c.close);
            sqlite3_bind_double(s, 7, e->c.volume);
            sqlite3_bind_double(s, 8, e->c.quote_volume);
            sqlite3_bind_int64(s, 9, e->c.trades);
            sqlite3_bind_int64(s, 10, e->c.flags);
            sqlite3_bind_int64(s, 11, e->updated);
        }
        rc = sqlite3_step(s) == SQLITE_DONE ? 0 : -1;
        sqlite3_reset(s);
    }
    if (rc == 0 && sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK)
        return 0;
    sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
    return -1;
}

static int pg_write(struct store *st, struct store_forming *f)
{
    struct pg_forming_row *rows = malloc((size_t)f->n * sizeof *rows);
    if (!rows)
        return -1;
    int n = 0;
    for (int i = 0; i < f->n; i++)
        if (f->e[i].dirty)
            rows[n++] = (struct pg_forming_row){ .symbol = f->e[i].symbol, .c = &f->e[i].c,
                                                 .updated = f->e[i].updated, .remove = gone(&f->e[i]),
                                                 .mine = f->ending, .mine_open = f->e[i].mine_open,
                                                 .mine_updated = f->e[i].mine_updated };
    int rc = pg_forming_write(st->pg, rows, n);
    free(rows);
    return rc;
}

void store_forming_flush(struct store *st, bool now)
{
    struct store_forming *f = st->forming;
    int64_t t = clock_mono_ns();
    if (!f || (!now && t - f->flushed_ns < FORMING_EVERY_NS))
        return;
    bool any = false;
    for (int i = 0; i < f->n && !any; i++)
        any = f->e[i].dirty;
    if (!any)
        return;
    /* a failure (a busy file, a server away) keeps the rows dirty: the next flush tries again */
    if ((st->pg ? pg_write(st, f) : sqlite_write(st, f)) != 0)
        return;
    f->flushed_ns = t;
    for (int i = 0; i < f->n; i++) {
        struct forming_entry *e = &f->e[i];
        if (e->dirty) {
            e->mine = !gone(e);
            e->mine_open = e->c.open_time;
            e->mine_updated = e->updated;
        }
        e->dirty = false;
    }
}

void store_forming_end(struct store *st)
{
    struct store_forming *f = st->forming;
    if (!f)
        return;
    /* a stopped collector's candles form no more: its rows go, unless another
     * process wrote over them since (a collector that took an instrument over) */
    f->ending = true;
    for (int i = 0; i < f->n; i++) {
        f->e[i].dirty = f->e[i].mine;
        f->e[i].c.open_time = 0;
    }
    store_forming_flush(st, true);
    sqlite3_finalize(f->put);
    sqlite3_finalize(f->del);
    sqlite3_finalize(f->del_mine);
    symtab_free(&f->ix);
    free(f->e);
    free(f);
    st->forming = NULL;
}

int store_watch_forming(struct store_watch *w, store_forming_fn fn, void *ctx)
{
    if (!w->lite)
        return pg_watch_forming(w, fn, ctx);
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(w->lite, "SELECT symbol,open_time,open,high,low,close,volume,quote_volume,trades,flags,"
                                    "updated FROM forming WHERE timeframe='1m'", -1, &s, NULL) != SQLITE_OK)
        return -1;
    int n = 0, rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        const char *symbol = (const char *)sqlite3_column_text(s, 0);
        if (!symbol || strlen(symbol) >= SYMBOL_MAX)
            continue;
        struct candle c = {
            .open_time = sqlite3_column_int64(s, 1), .open = sqlite3_column_double(s, 2),
            .high = sqlite3_column_double(s, 3), .low = sqlite3_column_double(s, 4),
            .close = sqlite3_column_double(s, 5), .volume = sqlite3_column_double(s, 6),
            .quote_volume = sqlite3_column_double(s, 7), .trades = sqlite3_column_int64(s, 8),
            .flags = (uint32_t)sqlite3_column_int64(s, 9),
        };
        fn(ctx, symbol, &c, sqlite3_column_int64(s, 10));
        n++;
    }
    sqlite3_finalize(s);
    return rc == SQLITE_DONE ? n : -1;
}
