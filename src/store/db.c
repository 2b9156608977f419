/* Opening the database: exclusive instance lock, WAL, schema and migrations. */
#include "store_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

static const char *const SCHEMA_V1 =
    "CREATE TABLE IF NOT EXISTS candles("
    " symbol TEXT NOT NULL, timeframe TEXT NOT NULL, open_time INTEGER NOT NULL,"
    " open REAL NOT NULL, high REAL NOT NULL, low REAL NOT NULL, close REAL NOT NULL,"
    " volume REAL NOT NULL, quote_volume REAL NOT NULL DEFAULT 0, trades INTEGER NOT NULL DEFAULT 0,"
    " flags INTEGER NOT NULL DEFAULT 0, PRIMARY KEY(symbol, timeframe, open_time)) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS fills("
    " id INTEGER PRIMARY KEY, order_id INTEGER NOT NULL, time INTEGER NOT NULL, symbol TEXT NOT NULL,"
    " side INTEGER NOT NULL, qty REAL NOT NULL, price REAL NOT NULL, fee REAL NOT NULL,"
    " realized REAL NOT NULL, balance_after REAL NOT NULL);"
    "CREATE TABLE IF NOT EXISTS positions("
    " symbol TEXT PRIMARY KEY, qty REAL NOT NULL, avg REAL NOT NULL, realized REAL NOT NULL,"
    " fees REAL NOT NULL, updated INTEGER NOT NULL);"
    "CREATE TABLE IF NOT EXISTS account("
    " id INTEGER PRIMARY KEY CHECK (id = 1), balance REAL NOT NULL, updated INTEGER NOT NULL);"
    "CREATE TABLE IF NOT EXISTS journal("
    " seq INTEGER PRIMARY KEY AUTOINCREMENT, time INTEGER NOT NULL, text TEXT NOT NULL);";

/* Signals (issue 6): one row per signal, replaced when its state or outcome
 * changes. CREATE IF NOT EXISTS on every open, so existing version-1 databases
 * gain the table without a version bump (to be folded into the migrations). */
static const char *const SCHEMA_SIGNALS =
    "CREATE TABLE IF NOT EXISTS signals("
    " id INTEGER PRIMARY KEY, time INTEGER NOT NULL, candle_time INTEGER NOT NULL, symbol TEXT NOT NULL,"
    " timeframe TEXT NOT NULL, side INTEGER NOT NULL, confidence REAL NOT NULL, entry REAL NOT NULL,"
    " stop REAL NOT NULL, stop_kind TEXT NOT NULL, tp1 REAL NOT NULL, tp2 REAL NOT NULL, tp3 REAL NOT NULL,"
    " tp4 REAL NOT NULL, rr REAL NOT NULL, pattern TEXT, volume_confirmed INTEGER NOT NULL,"
    " trend_alignment INTEGER NOT NULL, htf_score REAL NOT NULL, regime TEXT, regime_confidence REAL,"
    " voters TEXT NOT NULL, rsi REAL, macd_hist REAL, atr REAL, adx REAL, bb_width REAL, volume_ratio REAL,"
    " ema20 REAL, ema50 REAL, ema200 REAL, expires INTEGER NOT NULL, state TEXT NOT NULL,"
    " outcome TEXT NOT NULL, best_tp INTEGER NOT NULL, outcome_time INTEGER, updated INTEGER NOT NULL);"
    "CREATE INDEX IF NOT EXISTS signals_by_symbol ON signals(symbol, timeframe, time);";

static int exec(sqlite3 *db, const char *sql, char *err, size_t err_len, const char *path)
{
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        snprintf(err, err_len, "%s: %s", path, msg ? msg : sqlite3_errmsg(db));
        sqlite3_free(msg);
        return -1;
    }
    return 0;
}

static int schema_version(sqlite3 *db)
{
    sqlite3_stmt *st;
    int v = -1;
    if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK) {
        if (sqlite3_step(st) == SQLITE_ROW)
            v = sqlite3_column_int(st, 0);
        sqlite3_finalize(st);
    }
    return v;
}

struct store *store_open(const char *path, char *err, size_t err_len)
{
    struct store *st = calloc(1, sizeof *st);
    if (!st) {
        snprintf(err, err_len, "out of memory");
        return NULL;
    }
    st->lock_fd = -1;
    snprintf(st->path, sizeof st->path, "%s", path);
    char lock_path[sizeof st->path + 8];
    snprintf(lock_path, sizeof lock_path, "%s.lock", path);
    st->lock_fd = open(lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (st->lock_fd < 0) {
        snprintf(err, err_len, "%s: cannot create lock file: %s", lock_path, strerror(errno));
        goto fail;
    }
    if (flock(st->lock_fd, LOCK_EX | LOCK_NB) != 0) {
        snprintf(err, err_len, "%s: in use by another alphapulse process (lock held on %s)", path, lock_path);
        goto fail;
    }
    if (sqlite3_open_v2(path, &st->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                        NULL) != SQLITE_OK) {
        snprintf(err, err_len, "%s: cannot open database: %s", path,
                 st->db ? sqlite3_errmsg(st->db) : "out of memory");
        goto fail;
    }
    sqlite3_busy_timeout(st->db, 2000);
    int v = schema_version(st->db);
    if (v < 0) {
        snprintf(err, err_len, "%s: not an SQLite database (or unreadable): %s", path, sqlite3_errmsg(st->db));
        goto fail;
    }
    if (v > STORE_SCHEMA_VERSION) {
        snprintf(err, err_len, "%s: database schema version %d is newer than this alphapulse (%d); "
                 "upgrade alphapulse or use another --db", path, v, STORE_SCHEMA_VERSION);
        goto fail;
    }
    if (exec(st->db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
             err, err_len, path))
        goto fail;
    if (v < 1) {
        if (exec(st->db, "BEGIN", err, err_len, path) || exec(st->db, SCHEMA_V1, err, err_len, path) ||
            exec(st->db, "PRAGMA user_version=1; COMMIT", err, err_len, path))
            goto fail;
    }
    if (exec(st->db, SCHEMA_SIGNALS, err, err_len, path))
        goto fail;
    if (store_prepare(st, err, err_len))
        goto fail;
    return st;
fail:
    store_close(st);
    return NULL;
}

void store_close(struct store *st)
{
    if (!st)
        return;
    store_finalize(st);
    if (st->db)
        sqlite3_close(st->db);
    if (st->lock_fd >= 0)
        close(st->lock_fd);
    free(st);
}

uint64_t store_rows_written(const struct store *st) { return atomic_load(&st->rows); }
int store_failing(const struct store *st) { return atomic_load(&st->failing); }
