/* A console beside collectors (store.h): which instruments a collector writes,
 * and a watch on the candles it stores. PostgreSQL: claims and LISTEN/NOTIFY
 * (pg_watch.c). SQLite: a collector notes its symbols in its account's lock
 * file ("collects A,B"), which it holds while it runs, and renews there every
 * second the wall-clock time it was last seen alive ("alive <UTC ms>", a fixed
 * width rewritten in place); one whose stamp is older than the reader's
 * feed.failover_s is hung and counts as gone. The watch wakes when
 * the database's files are written (watch_wake.c) or after its timeout, and
 * PRAGMA data_version says whether another connection committed. The
 * collectors' signals are read from the same connection. */
#include "store_internal.h"
#include "pg_internal.h"

#include "alphapulse/clock.h"

#include <fcntl.h>
#include <inttypes.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define COLLECTS "collects "
#define ALIVE "alive "
#define STAMP_DIGITS 20

void store_note_collecting(struct store *st, const char *symbols)
{
    if (st->pg || st->lock_fd < 0)
        return;
    char me[300];
    store_holder_text(me, sizeof me);
    size_t room = strlen(me) + strlen(ALIVE) + STAMP_DIGITS + strlen(COLLECTS) + strlen(symbols) + 4;
    char *text = malloc(room);
    int n = text ? snprintf(text, room, "%s\n" ALIVE "%0*" PRId64 "\n" COLLECTS "%s\n", me, STAMP_DIGITS,
                            clock_wall_ms(), symbols) : -1;
    st->alive_at = 0;
    if (n < 0 || ftruncate(st->lock_fd, 0) != 0 || pwrite(st->lock_fd, text, (size_t)n, 0) != n)
        log_warn("%s: could not note the collected symbols in the lock file", st->path);
    else
        st->alive_at = (long)(strlen(me) + 1 + strlen(ALIVE));
    free(text);
}

void store_note_alive(struct store *st)
{
    if (st->pg || st->lock_fd < 0 || !st->alive_at)
        return;
    char stamp[STAMP_DIGITS + 1];
    snprintf(stamp, sizeof stamp, "%0*" PRId64, STAMP_DIGITS, clock_wall_ms());
    if (pwrite(st->lock_fd, stamp, STAMP_DIGITS, st->alive_at) != STAMP_DIGITS)
        log_warn("%s: could not renew the alive stamp in the lock file", st->path);
}

#define LOCK_NOTE_MAX (1 << 20)      /* a lock file's note: its holder and up to tens of thousands of names */

/* The "collects" line of a lock file held by a collector: its symbols, in *text
 * (malloc'd, the caller frees it), or NULL. stale_s > 0: NULL too when the
 * collector's alive stamp is older than that (a note without one, from an
 * older version, counts as alive). */
static char *held_collects(const char *path, int stale_s, char **text)
{
    *text = NULL;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    struct stat sb;
    if (flock(fd, LOCK_SH | LOCK_NB) == 0 ||      /* nobody holds it: no collector there */
        fstat(fd, &sb) != 0 || sb.st_size <= 0 || sb.st_size > LOCK_NOTE_MAX || !(*text = malloc((size_t)sb.st_size + 1))) {
        close(fd);
        return NULL;
    }
    ssize_t len = pread(fd, *text, (size_t)sb.st_size, 0);
    close(fd);
    (*text)[len > 0 ? len : 0] = 0;
    char *alive = strstr(*text, "\n" ALIVE);
    if (stale_s > 0 && alive && clock_wall_ms() - strtoll(alive + 1 + strlen(ALIVE), NULL, 10) > stale_s * 1000LL)
        return NULL;                              /* held, but hung: gone */
    char *line = strstr(*text, "\n" COLLECTS);
    if (!line)
        return NULL;
    line += 1 + strlen(COLLECTS);
    line[strcspn(line, "\n")] = 0;
    return line;
}

/* Marks held[i] for the symbols a held lock file's "collects" line names. */
static void lock_file_collects(const char *path, const char (*symbols)[SYMBOL_MAX], int n, bool *held, int stale_s)
{
    char *text, *line = held_collects(path, stale_s, &text);
    char (*mine)[SYMBOL_MAX] = line ? malloc((size_t)n * sizeof *mine) : NULL;
    if (mine) {
        for (int i = 0; i < n; i++)
            store_symbol_canonical(symbols[i], mine[i], sizeof mine[i]);
        char *save = NULL;
        for (char *tok = strtok_r(line, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
            char a[SYMBOL_MAX];
            store_symbol_canonical(tok, a, sizeof a);
            for (int i = 0; i < n; i++)
                held[i] |= strcmp(a, mine[i]) == 0;
        }
    }
    free(mine);
    free(text);
}

int store_collected(const char *db, const char (*symbols)[SYMBOL_MAX], int n, bool *held, int stale_s, char *err,
                    size_t err_len)
{
    memset(held, 0, sizeof *held * (size_t)n);
    if (store_is_url(db))
        return pg_collected(db, symbols, n, held, stale_s, err, err_len);
    char pattern[1100];
    const char *tails[] = { "%s.lock", "%s.*.lock" };
    for (int t = 0; t < 2; t++) {
        snprintf(pattern, sizeof pattern, tails[t], db);
        glob_t g;
        if (glob(pattern, 0, NULL, &g) == 0)
            for (size_t k = 0; k < g.gl_pathc; k++)
                lock_file_collects(g.gl_pathv[k], symbols, n, held, stale_s);
        globfree(&g);
    }
    return 0;
}

int store_watch_collector_accounts(struct store_watch *w, char (*out)[STORE_ACCOUNT_MAX + 1], int max, char *err,
                                   size_t err_len)
{
    if (!w->lite)
        return pg_collector_accounts(w, out, max, err, err_len);
    const char *db = w->db;
    /* "<db>.lock" is the default account's, "<db>.NAME.lock" account NAME's */
    char pattern[1100], *text;
    size_t base = strlen(db);
    int n = 0;
    const char *tails[] = { "%s.lock", "%s.*.lock" };
    for (int t = 0; t < 2; t++) {
        snprintf(pattern, sizeof pattern, tails[t], db);
        glob_t g;
        if (glob(pattern, 0, NULL, &g) == 0)
            for (size_t k = 0; k < g.gl_pathc && n < max; k++) {
                const char *path = g.gl_pathv[k];
                size_t len = strlen(path);
                bool collects = held_collects(path, 0, &text) != NULL;
                free(text);
                if (!collects || len < base + 5)
                    continue;
                if (t == 0)
                    snprintf(out[n++], sizeof out[0], "%s", STORE_DEFAULT_ACCOUNT);
                else if (len - base - 6 <= STORE_ACCOUNT_MAX)    /* ".NAME.lock" */
                    snprintf(out[n++], sizeof out[0], "%.*s", (int)(len - base - 6), path + base + 1);
            }
        globfree(&g);
    }
    return n;
}

static int64_t data_version(sqlite3 *db)
{
    sqlite3_stmt *s;
    int64_t v = -1;
    if (sqlite3_prepare_v2(db, "PRAGMA data_version", -1, &s, NULL) == SQLITE_OK) {
        if (sqlite3_step(s) == SQLITE_ROW)
            v = sqlite3_column_int64(s, 0);
        sqlite3_finalize(s);
    }
    return v;
}

struct store_watch *store_watch_open(const char *db, char *err, size_t err_len)
{
    struct store_watch *w = calloc(1, sizeof *w);
    if (!w) {
        snprintf(err, err_len, "out of memory");
        return NULL;
    }
    snprintf(w->db, sizeof w->db, "%s", db);
    if (store_is_url(db)) {
        pg_redact(db, w->name, sizeof w->name);
        if (pg_watch_listen(w) == 0)
            return w;
        snprintf(err, err_len, "%s: cannot listen for the collectors' candles", w->name);
    } else {
        snprintf(w->name, sizeof w->name, "%s", db);
        if ((w->lite = store_reader_open(db, err, err_len))) {
            w->data_version = data_version(w->lite);
            store_watch_wake_open(w);
            return w;
        }
    }
    free(w);
    return NULL;
}

void store_watch_close(struct store_watch *w)
{
    if (!w)
        return;
    if (w->lite) {
        store_watch_wake_close(w);
        sqlite3_close(w->lite);
    } else
        pg_watch_close(w);
    free(w);
}

int store_watch_wait(struct store_watch *w, int timeout_ms)
{
    if (!w->lite)
        return pg_watch_wait(w, timeout_ms);
    /* a write to the files wakes it (the collector's commit), else the timeout:
     * either way data_version says whether another connection committed. A
     * commit's last WAL frame is written (the wake-up) just before the commit is
     * published in the -shm index (no wake-up: it is a shared mapping), so a
     * write with no commit seen yet is looked at again after 1, 2, 4 ... 64 ms
     * (a checkpoint, say, commits nothing: then back to waiting) */
    int64_t end = clock_mono_ms() + timeout_ms;
    int settle = 0;
    for (;;) {
        int64_t left = end - clock_mono_ms();
        int wait = left > 0 ? (int)left : 0;
        bool woke = store_watch_wake_wait(w, settle && settle < wait ? settle : wait);
        int64_t v = data_version(w->lite);
        bool changed = v != w->data_version;
        w->data_version = v;
        if (v < 0 || changed || (!woke && !settle) || end - clock_mono_ms() <= 0)
            return v < 0 ? -1 : changed;
        settle = woke ? 1 : settle < 64 ? settle * 2 : 0;
    }
}

int store_watch_candles(struct store_watch *w, const char *symbol, int64_t from, struct candle *out, int max)
{
    if (!w->lite)
        return pg_watch_candles(w, symbol, from, out, max);
    char canon[SYMBOL_MAX];
    store_symbol_canonical(symbol, canon, sizeof canon);
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(w->lite, "SELECT open_time,open,high,low,close,volume,quote_volume,trades,flags "
                                    "FROM candles WHERE symbol=?1 AND timeframe='1m' AND open_time >= ?2 "
                                    "ORDER BY open_time LIMIT ?3", -1, &s, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_text(s, 1, canon, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(s, 2, from);
    sqlite3_bind_int(s, 3, max);
    int n = 0;
    while (n < max && sqlite3_step(s) == SQLITE_ROW)
        out[n++] = (struct candle){
            .open_time = sqlite3_column_int64(s, 0), .open = sqlite3_column_double(s, 1),
            .high = sqlite3_column_double(s, 2), .low = sqlite3_column_double(s, 3),
            .close = sqlite3_column_double(s, 4), .volume = sqlite3_column_double(s, 5),
            .quote_volume = sqlite3_column_double(s, 6), .trades = sqlite3_column_int64(s, 7),
            .flags = (uint32_t)sqlite3_column_int64(s, 8),
        };
    sqlite3_finalize(s);
    return n;
}

int store_watch_signals(struct store_watch *w, const char *symbol, const char *account, int64_t since,
                        void (*fn)(void *ctx, int tf, int64_t updated, const struct record_signal *s), void *ctx)
{
    struct store_reader rd;
    return store_watch_reader(w, &rd) ? -1 : store_signals_of(&rd, symbol, account, since, fn, ctx);
}

int store_watch_reader(struct store_watch *w, struct store_reader *rd)
{
    if (!w->lite && !w->conn && pg_watch_listen(w))
        return -1;
    if (w->lite)
        store_reader_sqlite(rd, w->lite);
    else
        store_reader_pg(rd, w->conn);
    return 0;
}

int store_watch_collected(struct store_watch *w, const char (*symbols)[SYMBOL_MAX], int n, bool *held, int stale_s,
                          char *err, size_t err_len)
{
    if (!w->lite)
        return pg_watch_collected(w, symbols, n, held, stale_s, err, err_len);
    return store_collected(w->db, symbols, n, held, stale_s, err, err_len);
}
