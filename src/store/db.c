/* Opening the database: the account's lock, WAL, the schema and its
 * forward migrations. A new database is created as version 1 and migrated like
 * any old one, so the migration path runs on every fresh install and cannot rot.
 *
 * The account's lock is flock() on "<db>.lock" ("<db>.NAME.lock" for an account
 * other than the default; store.h), taken before SQLite touches the
 * file. flock belongs to the open file description: the kernel drops it when the
 * holder dies (kill -9 included), so a stale lock file never blocks, and it works
 * across users: the lock file is created world-readable and a process that may
 * not write it opens it read-only, which is enough to lock it. */
#include "store_internal.h"
#include "pg_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

/* Version 1, as the walking skeleton created it. Kept verbatim: it is the start
 * of every migration and the test suite builds old databases from it. */
const char *const STORE_SCHEMA_V1 =
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

/* 1 -> 2: the full schema of SPEC §2. The journal gains kind and symbol and
 * becomes append-only (triggers refuse UPDATE and DELETE). */
static const char *const MIGRATE_V2A =
    "ALTER TABLE journal ADD COLUMN kind TEXT NOT NULL DEFAULT 'note';"
    "ALTER TABLE journal ADD COLUMN symbol TEXT NOT NULL DEFAULT '';"
    "CREATE INDEX journal_time ON journal(time);"
    "CREATE TRIGGER journal_no_update BEFORE UPDATE ON journal"
    " BEGIN SELECT RAISE(ABORT, 'journal is append-only'); END;"
    "CREATE TRIGGER journal_no_delete BEFORE DELETE ON journal"
    " BEGIN SELECT RAISE(ABORT, 'journal is append-only'); END;"
    "CREATE TABLE instruments("
    " symbol TEXT PRIMARY KEY, base TEXT NOT NULL, quote TEXT NOT NULL,"
    " tick_size REAL NOT NULL DEFAULT 0, step_size REAL NOT NULL DEFAULT 0,"
    " min_notional REAL NOT NULL DEFAULT 0, status TEXT NOT NULL DEFAULT 'TRADING',"
    " market TEXT NOT NULL DEFAULT '');"
    "CREATE TABLE orders("
    " id INTEGER PRIMARY KEY, time INTEGER NOT NULL, updated INTEGER NOT NULL, symbol TEXT NOT NULL,"
    " side INTEGER NOT NULL CHECK (side IN (-1, 1)), type TEXT NOT NULL, status TEXT NOT NULL,"
    " qty REAL NOT NULL, price REAL NOT NULL DEFAULT 0, filled_qty REAL NOT NULL DEFAULT 0,"
    " avg_price REAL NOT NULL DEFAULT 0, reason TEXT NOT NULL DEFAULT '');"
    "CREATE INDEX orders_open ON orders(status) WHERE status = 'placed';"
    "CREATE INDEX fills_time ON fills(time);"
    "CREATE INDEX fills_order ON fills(order_id);"
    /* one row per signal, replaced when its state or outcome changes; time is the
     * close of the candle that made it. The signal engine's columns: candle_time,
     * stop_kind ('atr' or 'swing'), trend_alignment (-1/0/+1; trend_aligned is
     * its > 0), htf_score, regime_confidence, best_tp; indicators is a JSON array
     * [rsi, macd_hist, atr, adx, bb_width, volume_ratio, ema20, ema50, ema200]. */
    "CREATE TABLE signals("
    " id INTEGER PRIMARY KEY, time INTEGER NOT NULL, candle_time INTEGER NOT NULL DEFAULT 0,"
    " symbol TEXT NOT NULL, timeframe TEXT NOT NULL,"
    " side INTEGER NOT NULL CHECK (side IN (-1, 1)), confidence REAL NOT NULL, entry REAL NOT NULL,"
    " stop REAL NOT NULL, stop_kind TEXT NOT NULL DEFAULT 'atr',"
    " tp1 REAL, tp2 REAL, tp3 REAL, tp4 REAL, reward_risk REAL NOT NULL,"
    " pattern TEXT NOT NULL DEFAULT '', volume_confirmed INTEGER NOT NULL DEFAULT 0,"
    " trend_aligned INTEGER NOT NULL DEFAULT 0, trend_alignment INTEGER NOT NULL DEFAULT 0,"
    " htf_score REAL NOT NULL DEFAULT 0, regime TEXT NOT NULL DEFAULT '', regime_confidence REAL,"
    " indicators TEXT NOT NULL DEFAULT '[]', voters INTEGER NOT NULL DEFAULT 0,"
    " source TEXT NOT NULL DEFAULT '', expiry INTEGER NOT NULL, state TEXT NOT NULL,"
    " outcome TEXT NOT NULL DEFAULT 'open', best_tp INTEGER NOT NULL DEFAULT 0,"
    " outcome_time INTEGER, outcome_price REAL, updated INTEGER NOT NULL);"
    "CREATE INDEX signals_time ON signals(time);"
    "CREATE INDEX signals_by_symbol ON signals(symbol, timeframe, time);"
    "CREATE INDEX signals_open ON signals(state) WHERE state IN ('new', 'taken');"
    "ALTER TABLE account ADD COLUMN start_balance REAL;"
    "ALTER TABLE account ADD COLUMN currency TEXT NOT NULL DEFAULT '';"
    ;
/* (split in two: C compilers need only accept string literals of 4095 bytes) */
static const char *const MIGRATE_V2B =
    "CREATE TABLE equity("
    " time INTEGER PRIMARY KEY, balance REAL NOT NULL, equity REAL NOT NULL, unrealized REAL NOT NULL,"
    " realized REAL NOT NULL, fees REAL NOT NULL, exposure REAL NOT NULL);"
    "CREATE TABLE risk_events("
    " seq INTEGER PRIMARY KEY AUTOINCREMENT, time INTEGER NOT NULL, symbol TEXT NOT NULL DEFAULT '',"
    " kind TEXT NOT NULL, text TEXT NOT NULL);"
    "CREATE TABLE alerts("
    " seq INTEGER PRIMARY KEY AUTOINCREMENT, time INTEGER NOT NULL, symbol TEXT NOT NULL DEFAULT '',"
    " kind TEXT NOT NULL, text TEXT NOT NULL);"
    "CREATE TABLE settings(key TEXT PRIMARY KEY, value TEXT NOT NULL, updated INTEGER NOT NULL);"
    /* the paper broker's risk state (one row), working orders and each position's
     * exits: what a restart restores */
    "CREATE TABLE paper_risk("
    " id INTEGER PRIMARY KEY CHECK (id = 1), day INTEGER NOT NULL, day_start_equity REAL NOT NULL,"
    " peak_equity REAL NOT NULL, streak INTEGER NOT NULL, cooldown_until INTEGER NOT NULL,"
    " daily_until INTEGER NOT NULL, lock INTEGER NOT NULL, locked_at INTEGER NOT NULL, updated INTEGER NOT NULL);"
    "CREATE TABLE paper_orders("
    " id INTEGER PRIMARY KEY, symbol TEXT NOT NULL, side INTEGER NOT NULL, type INTEGER NOT NULL,"
    " qty REAL NOT NULL, price REAL NOT NULL, reduce_only INTEGER NOT NULL, source INTEGER NOT NULL,"
    " placed INTEGER NOT NULL, stop REAL NOT NULL, trail REAL NOT NULL, tp1 REAL NOT NULL, tp2 REAL NOT NULL,"
    " tp3 REAL NOT NULL, tp4 REAL NOT NULL, f1 REAL NOT NULL, f2 REAL NOT NULL, f3 REAL NOT NULL, f4 REAL NOT NULL);"
    "CREATE TABLE paper_exits("
    " symbol TEXT PRIMARY KEY, stop REAL NOT NULL, trail REAL NOT NULL, trail_ref REAL NOT NULL,"
    " tp1 REAL NOT NULL, tp2 REAL NOT NULL, tp3 REAL NOT NULL, tp4 REAL NOT NULL, f1 REAL NOT NULL, f2 REAL NOT NULL,"
    " f3 REAL NOT NULL, f4 REAL NOT NULL, base_qty REAL NOT NULL, tp_done INTEGER NOT NULL, source INTEGER NOT NULL,"
    " opened INTEGER NOT NULL)";

/* 2 -> 3: a trailing stop can follow a multiple of ATR (trail_atr, 0: a fixed
 * distance) and keeps the best stop level it reached (trail_stop), so neither a
 * restart nor a wider ATR loosens it. Orders cancelled before cancellations were
 * recorded still say 'placed': every 'placed' row that is not in the stored book
 * (paper_orders, the working orders a restart restores) stopped working long ago. */
static const char *const MIGRATE_V3 =
    "ALTER TABLE paper_orders ADD COLUMN trail_atr REAL NOT NULL DEFAULT 0;"
    "ALTER TABLE paper_exits ADD COLUMN trail_atr REAL NOT NULL DEFAULT 0;"
    "ALTER TABLE paper_exits ADD COLUMN trail_stop REAL NOT NULL DEFAULT 0;"
    "UPDATE orders SET status = 'cancelled', reason = 'not working (found at the upgrade to schema 3)'"
    " WHERE status = 'placed' AND id NOT IN (SELECT id FROM paper_orders);";

/* 3 -> 4: venues. The instruments table is keyed by (venue, symbol); the rows
 * of before (all Binance spot, named bare) move to venue 'binance'. The other
 * tables keep naming instruments by their canonical string (store.h), which for
 * every row written before this version is the bare Binance symbol already. */
static const char *const MIGRATE_V4 =
    "CREATE TABLE instruments_v4("
    " venue TEXT NOT NULL, symbol TEXT NOT NULL, base TEXT NOT NULL, quote TEXT NOT NULL,"
    " tick_size REAL NOT NULL DEFAULT 0, step_size REAL NOT NULL DEFAULT 0,"
    " min_notional REAL NOT NULL DEFAULT 0, status TEXT NOT NULL DEFAULT 'TRADING',"
    " market TEXT NOT NULL DEFAULT '', PRIMARY KEY(venue, symbol)) WITHOUT ROWID;"
    "INSERT INTO instruments_v4(venue,symbol,base,quote,tick_size,step_size,min_notional,status,market)"
    " SELECT CASE WHEN instr(symbol, ':') > 0 THEN lower(substr(symbol, 1, instr(symbol, ':') - 1))"
    " ELSE 'binance' END,"
    " CASE WHEN instr(symbol, ':') > 0 THEN substr(symbol, instr(symbol, ':') + 1) ELSE symbol END,"
    " base, quote, tick_size, step_size, min_notional, status, market FROM instruments;"
    "DROP TABLE instruments;"
    "ALTER TABLE instruments_v4 RENAME TO instruments;";

/* 4 -> 5: funding payments of perpetual positions, a money record like a fill. */
static const char *const MIGRATE_V5 =
    "CREATE TABLE funding("
    " symbol TEXT NOT NULL, time INTEGER NOT NULL, qty REAL NOT NULL, mark REAL NOT NULL,"
    " rate REAL NOT NULL, amount REAL NOT NULL, balance_after REAL NOT NULL,"
    " PRIMARY KEY(symbol, time)) WITHOUT ROWID;"
    "CREATE INDEX funding_time ON funding(time);";

/* 5 -> 6: the top of book with each fill (paper fills against a synced book):
 * best bid, best ask, levels walked; NULL for candle fills and older rows. */
static const char *const MIGRATE_V6 =
    "ALTER TABLE fills ADD COLUMN bid REAL;"
    "ALTER TABLE fills ADD COLUMN ask REAL;"
    "ALTER TABLE fills ADD COLUMN levels INTEGER;";

/* 6 -> 7: paper accounts. Orders, fills, positions, the balance, the risk
 * state, the paper book, equity, funding, signals, the journal and risk events
 * belong to an account (store.h); every row of before goes to 'default'. Tables
 * keyed by id keep their key (an account's ids start at its number times
 * STORE_ACCOUNT_IDS); the others are rebuilt with the account in their key. */
#define ADD_ACCOUNT(t) "ALTER TABLE " t " ADD COLUMN account TEXT NOT NULL DEFAULT 'default';"
static const char *const MIGRATE_V7A =
    ADD_ACCOUNT("orders") ADD_ACCOUNT("fills") ADD_ACCOUNT("paper_orders") ADD_ACCOUNT("signals")
    ADD_ACCOUNT("journal") ADD_ACCOUNT("risk_events")
    "CREATE INDEX fills_account ON fills(account, id);"
    "CREATE TABLE accounts(name TEXT PRIMARY KEY, number INTEGER NOT NULL UNIQUE, created INTEGER NOT NULL);"
    "INSERT INTO accounts VALUES('default', 0, 0);"
    "CREATE TABLE positions_v7(symbol TEXT NOT NULL, qty REAL NOT NULL, avg REAL NOT NULL, realized REAL NOT NULL,"
    " fees REAL NOT NULL, updated INTEGER NOT NULL, account TEXT NOT NULL, PRIMARY KEY(account, symbol));"
    "INSERT INTO positions_v7 SELECT symbol, qty, avg, realized, fees, updated, 'default' FROM positions;"
    "CREATE TABLE account_v7(balance REAL NOT NULL, updated INTEGER NOT NULL, start_balance REAL,"
    " currency TEXT NOT NULL DEFAULT '', account TEXT PRIMARY KEY);"
    "INSERT INTO account_v7 SELECT balance, updated, start_balance, currency, 'default' FROM account;"
    "CREATE TABLE equity_v7(time INTEGER NOT NULL, balance REAL NOT NULL, equity REAL NOT NULL,"
    " unrealized REAL NOT NULL, realized REAL NOT NULL, fees REAL NOT NULL, exposure REAL NOT NULL,"
    " account TEXT NOT NULL, PRIMARY KEY(account, time));"
    "INSERT INTO equity_v7 SELECT time, balance, equity, unrealized, realized, fees, exposure, 'default' FROM equity;";
static const char *const MIGRATE_V7B =
    "CREATE TABLE paper_risk_v7(day INTEGER NOT NULL, day_start_equity REAL NOT NULL, peak_equity REAL NOT NULL,"
    " streak INTEGER NOT NULL, cooldown_until INTEGER NOT NULL, daily_until INTEGER NOT NULL, lock INTEGER NOT NULL,"
    " locked_at INTEGER NOT NULL, updated INTEGER NOT NULL, account TEXT PRIMARY KEY);"
    "INSERT INTO paper_risk_v7 SELECT day, day_start_equity, peak_equity, streak, cooldown_until, daily_until,"
    " lock, locked_at, updated, 'default' FROM paper_risk;"
    "CREATE TABLE paper_exits_v7(symbol TEXT NOT NULL, stop REAL NOT NULL, trail REAL NOT NULL,"
    " trail_ref REAL NOT NULL, tp1 REAL NOT NULL, tp2 REAL NOT NULL, tp3 REAL NOT NULL, tp4 REAL NOT NULL,"
    " f1 REAL NOT NULL, f2 REAL NOT NULL, f3 REAL NOT NULL, f4 REAL NOT NULL, base_qty REAL NOT NULL,"
    " tp_done INTEGER NOT NULL, source INTEGER NOT NULL, opened INTEGER NOT NULL, trail_atr REAL NOT NULL DEFAULT 0,"
    " trail_stop REAL NOT NULL DEFAULT 0, account TEXT NOT NULL, PRIMARY KEY(account, symbol));"
    "INSERT INTO paper_exits_v7 SELECT symbol, stop, trail, trail_ref, tp1, tp2, tp3, tp4, f1, f2, f3, f4, base_qty,"
    " tp_done, source, opened, trail_atr, trail_stop, 'default' FROM paper_exits;"
    "CREATE TABLE funding_v7(symbol TEXT NOT NULL, time INTEGER NOT NULL, qty REAL NOT NULL, mark REAL NOT NULL,"
    " rate REAL NOT NULL, amount REAL NOT NULL, balance_after REAL NOT NULL, account TEXT NOT NULL,"
    " PRIMARY KEY(account, symbol, time));"
    "INSERT INTO funding_v7 SELECT symbol, time, qty, mark, rate, amount, balance_after, 'default' FROM funding;"
    "DROP TABLE positions; ALTER TABLE positions_v7 RENAME TO positions;"
    "DROP TABLE account; ALTER TABLE account_v7 RENAME TO account;"
    "DROP TABLE equity; ALTER TABLE equity_v7 RENAME TO equity;"
    "DROP TABLE paper_risk; ALTER TABLE paper_risk_v7 RENAME TO paper_risk;"
    "DROP TABLE paper_exits; ALTER TABLE paper_exits_v7 RENAME TO paper_exits;"
    "DROP TABLE funding; ALTER TABLE funding_v7 RENAME TO funding;"
    "CREATE INDEX funding_time ON funding(time);";

/* 7 -> 8: the venues' aggregated trades (storage.trades), bulk rows like candles,
 * one per symbol and aggregate id; pruned by time per symbol. */
static const char *const MIGRATE_V8 =
    "CREATE TABLE agg_trades("
    " symbol TEXT NOT NULL, id INTEGER NOT NULL, time INTEGER NOT NULL, price REAL NOT NULL, qty REAL NOT NULL,"
    " buyer_maker INTEGER NOT NULL, PRIMARY KEY(symbol, id)) WITHOUT ROWID;"
    "CREATE INDEX agg_trades_time ON agg_trades(symbol, time);";

/* 8 -> 9: a working limit order's place in its level's queue (the volume still
 * to trade at its price before it fills; -1: not measured yet), so a restart
 * resumes it instead of sending the order to the back. */
static const char *const MIGRATE_V9 = "ALTER TABLE paper_orders ADD COLUMN queue REAL NOT NULL DEFAULT -1;";

/* 9 -> 10: the newest forming (still open) candle of each collected instrument
 * and timeframe, replaced in place a few times a second and removed when the
 * candle closes (forming.c): consoles reading a collector's candles show it as
 * a live feed's forming candle. Transient: never exported. updated: the
 * exchange's event time of the state. */
static const char *const MIGRATE_V10 =
    "CREATE TABLE forming("
    " symbol TEXT NOT NULL, timeframe TEXT NOT NULL, open_time INTEGER NOT NULL, open REAL NOT NULL,"
    " high REAL NOT NULL, low REAL NOT NULL, close REAL NOT NULL, volume REAL NOT NULL,"
    " quote_volume REAL NOT NULL DEFAULT 0, trades INTEGER NOT NULL DEFAULT 0, flags INTEGER NOT NULL DEFAULT 0,"
    " updated INTEGER NOT NULL, PRIMARY KEY(symbol, timeframe)) WITHOUT ROWID;";

/* MIGRATIONS[v] takes version v - 1 to v: its SQL parts, in order. */
static const char *const *const STEPS_V1[] = { &STORE_SCHEMA_V1, NULL };
static const char *const *const STEPS_V2[] = { &MIGRATE_V2A, &MIGRATE_V2B, NULL };
static const char *const *const STEPS_V3[] = { &MIGRATE_V3, NULL };
static const char *const *const STEPS_V4[] = { &MIGRATE_V4, NULL };
static const char *const *const STEPS_V5[] = { &MIGRATE_V5, NULL };
static const char *const *const STEPS_V6[] = { &MIGRATE_V6, NULL };
static const char *const *const STEPS_V7[] = { &MIGRATE_V7A, &MIGRATE_V7B, NULL };
static const char *const *const STEPS_V8[] = { &MIGRATE_V8, NULL };
static const char *const *const STEPS_V9[] = { &MIGRATE_V9, NULL };
static const char *const *const STEPS_V10[] = { &MIGRATE_V10, NULL };
static const char *const *const *const MIGRATIONS[] = { NULL, STEPS_V1, STEPS_V2, STEPS_V3, STEPS_V4, STEPS_V5,
                                                        STEPS_V6, STEPS_V7, STEPS_V8, STEPS_V9, STEPS_V10 };
_Static_assert(sizeof MIGRATIONS / sizeof MIGRATIONS[0] == STORE_SCHEMA_VERSION + 1,
               "one migration per schema version");

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

int store_schema_version(sqlite3 *db)
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

/* Every step from `from` to version `to` in one transaction: a crash or an error
 * mid-way leaves the database at its old version, untouched. */
static int migrate(sqlite3 *db, int from, int to, const char *path, char *err, size_t err_len)
{
    if (from >= to)
        return 0;
    if (exec(db, "BEGIN IMMEDIATE", err, err_len, path))
        return -1;
    for (int v = from + 1; v <= to; v++) {
        char pragma[48];
        snprintf(pragma, sizeof pragma, "PRAGMA user_version=%d", v);
        int bad = 0;
        for (int k = 0; !bad && MIGRATIONS[v][k]; k++)
            bad = exec(db, *MIGRATIONS[v][k], err, err_len, path);
        if (bad || exec(db, pragma, err, err_len, path)) {
            size_t n = strlen(err);
            snprintf(err + n, err_len - n, " (while upgrading the schema to version %d)", v);
            sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
            return -1;
        }
    }
    if (exec(db, "COMMIT", err, err_len, path)) {
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
        return -1;
    }
    if (from > 0)
        log_info("%s: schema upgraded from version %d to %d", path, from, to);
    return 0;
}

/* A new database file is made here, owner-only, before SQLite sees the path:
 * SQLite would create it 0644 whatever the umask, and its -wal and -shm files
 * copy the database file's mode. An existing file keeps the mode it has. */
static int create_private(const char *path, char *err, size_t err_len)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) {
        if (errno == EEXIST)
            return 0;
        snprintf(err, err_len, "%s: cannot create the database: %s", path, strerror(errno));
        return -1;
    }
    int rc = fchmod(fd, 0600);        /* open's mode is already 0600 under any umask; this is the record */
    close(fd);
    if (rc != 0) {
        snprintf(err, err_len, "%s: cannot make the database private: %s", path, strerror(errno));
        return -1;
    }
    return 0;
}

int store_create_at_version(const char *path, int version, char *err, size_t err_len)
{
    if (store_is_url(path))
        return pg_store_create_at_version(path, version, err, err_len);
    if (version < 1 || version > STORE_SCHEMA_VERSION) {
        snprintf(err, err_len, "%s: no schema version %d (1 to %d)", path, version, STORE_SCHEMA_VERSION);
        return -1;
    }
    sqlite3 *db = NULL;
    if (create_private(path, err, err_len))
        return -1;
    if (sqlite3_open(path, &db) != SQLITE_OK) {
        snprintf(err, err_len, "%s: cannot open database: %s", path, db ? sqlite3_errmsg(db) : "out of memory");
        sqlite3_close(db);
        return -1;
    }
    int v = store_schema_version(db);
    int rc = v != 0 ? -1 : migrate(db, 0, version, path, err, err_len);
    if (v != 0)
        snprintf(err, err_len, "%s: not a new database (schema version %d)", path, v);
    sqlite3_close(db);
    return rc;
}

/* The account's lock file: "<db>.lock" for the default account (as before
 * accounts), "<db>.NAME.lock" for another. Its holder writes "host H, pid P"
 * into it, which a refused second process quotes. */
static int take_lock(struct store *st, char *err, size_t err_len)
{
    char lock_path[sizeof st->path + STORE_ACCOUNT_MAX + 8];
    if (strcmp(st->account, STORE_DEFAULT_ACCOUNT) == 0)
        snprintf(lock_path, sizeof lock_path, "%s.lock", st->path);
    else
        snprintf(lock_path, sizeof lock_path, "%s.%s.lock", st->path, st->account);
    st->lock_fd = open(lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    int e = errno;
    if (st->lock_fd < 0 && (e == EACCES || e == EPERM || e == EROFS))
        st->lock_fd = open(lock_path, O_RDONLY | O_CLOEXEC);   /* another user's lock file */
    if (st->lock_fd < 0) {
        snprintf(err, err_len, "%s: cannot create the lock file %s: %s%s", st->path, lock_path, strerror(e),
                 e == EACCES || e == EROFS ? " (the database's directory must be writable)" : "");
        return -1;
    }
    if (flock(st->lock_fd, LOCK_EX | LOCK_NB) != 0) {
        char holder[300] = "";
        ssize_t n = pread(st->lock_fd, holder, sizeof holder - 1, 0);
        holder[n > 0 ? n : 0] = 0;
        holder[strcspn(holder, "\n")] = 0;
        if (errno == EWOULDBLOCK || errno == EAGAIN)
            snprintf(err, err_len, "%s: account %s in use by another alphapulse process (%s; lock held on %s); "
                     "stop it, or use another --account or --db", st->path, st->account,
                     holder[0] ? holder : "holder unknown", lock_path);
        else
            snprintf(err, err_len, "%s: cannot lock %s: %s", st->path, lock_path, strerror(errno));
        return -1;
    }
    char me[300];
    store_holder_text(me, sizeof me);
    size_t len = strlen(me);
    me[len++] = '\n';
    if (ftruncate(st->lock_fd, 0) == 0 && pwrite(st->lock_fd, me, len, 0) != (ssize_t)len)
        log_warn("%s: could not note this process in %s", st->path, lock_path);
    return 0;
}

/* alphapulse_account(): the account the writer's statements name (store.h). */
static void sql_account(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    (void)argv;
    const struct store *st = sqlite3_user_data(ctx);
    sqlite3_result_text(ctx, st->account, -1, SQLITE_STATIC);
}

/* A file that exists but is not SQLite must never be written to: check the
 * header ourselves, since SQLite would only find out on first read. Only before
 * this process has any SQLite connection to the file: closing a descriptor drops
 * every POSIX lock the process holds on it, SQLite's included, and another
 * process could then checkpoint and delete the WAL under a live writer. */
static int check_header(const char *path, char *err, size_t err_len)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;                    /* missing: SQLite creates it */
    char head[16];
    ssize_t n = read(fd, head, sizeof head);
    close(fd);
    if (n == 0)
        return 0;                    /* empty file: a new database */
    if (n != (ssize_t)sizeof head || memcmp(head, "SQLite format 3", 16) != 0) {
        snprintf(err, err_len, "%s: not an SQLite database (expected an alphapulse database "
                 "or a path to a new file); nothing was written to it", path);
        return -1;
    }
    return 0;
}

struct store *store_open_as(const char *path, const struct store_open_options *o, char *err, size_t err_len)
{
    struct store *st = calloc(1, sizeof *st);
    if (!st) {
        snprintf(err, err_len, "out of memory");
        return NULL;
    }
    st->lock_fd = -1;
    atomic_init(&st->ack.durable_seq, 0);
    atomic_init(&st->ack.failing, 0);
    store_retention_defaults(&st->retention);
    if (strlen(path) >= sizeof st->path) {
        snprintf(err, err_len, "%.200s...: database path too long", path);
        goto fail;
    }
    snprintf(st->path, sizeof st->path, "%s", path);
    snprintf(st->account, sizeof st->account, "%s", o->account ? o->account : STORE_DEFAULT_ACCOUNT);
    if (store_account_check(st->account, err, err_len))
        goto fail;
    struct store_reader wr;
    if (store_is_url(path)) {
        pg_redact(path, st->path, sizeof st->path);    /* st->path names it in messages */
        st->pg = pg_store_open(path, st->account, o->collector, err, err_len);
        if (!st->pg)
            goto fail;
        store_reader_pg(&wr, st->pg->conn);
        if (store_account_register(&wr, st, err, err_len))
            goto fail;
        return st;
    }
    if (take_lock(st, err, err_len) || check_header(path, err, err_len) || create_private(path, err, err_len))
        goto fail;
    if (sqlite3_open_v2(path, &st->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                        NULL) != SQLITE_OK) {
        snprintf(err, err_len, "%s: cannot open database: %s%s", path,
                 st->db ? sqlite3_errmsg(st->db) : "out of memory",
                 access(path, F_OK) == 0 && access(path, W_OK) != 0 ? " (the file is read-only)" : "");
        goto fail;
    }
    sqlite3_busy_timeout(st->db, 2000);
    sqlite3_extended_result_codes(st->db, 1);
    int v = store_schema_version(st->db);
    if (v < 0) {
        snprintf(err, err_len, "%s: not an SQLite database (or unreadable): %s", path, sqlite3_errmsg(st->db));
        goto fail;
    }
    if (v > STORE_SCHEMA_VERSION) {
        snprintf(err, err_len, "%s: database schema version %d is newer than this alphapulse (%d); "
                 "upgrade alphapulse or use another --db", path, v, STORE_SCHEMA_VERSION);
        goto fail;
    }
    if (exec(st->db, "PRAGMA journal_mode=WAL", err, err_len, path) ||
        exec(st->db, "PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
                     /* the writer's working set stays in memory; fewer, larger checkpoints */
                     "PRAGMA cache_size=-32768; PRAGMA wal_autocheckpoint=4000;", err, err_len, path))
        goto fail;
    if (migrate(st->db, v, STORE_SCHEMA_VERSION, path, err, err_len))
        goto fail;
    store_reader_sqlite(&wr, st->db);
    if (sqlite3_create_function(st->db, "alphapulse_account", 0, SQLITE_UTF8 | SQLITE_DETERMINISTIC, st,
                                sql_account, NULL, NULL) != SQLITE_OK ||
        store_account_register(&wr, st, err, err_len) || store_prepare(st, err, err_len))
        goto fail;
    return st;
fail:
    store_close(st);
    return NULL;
}

struct store *store_open(const char *path, char *err, size_t err_len)
{
    return store_open_as(path, &(struct store_open_options){ 0 }, err, err_len);
}

sqlite3 *store_reader_open(const char *path, char *err, size_t err_len)
{
    sqlite3 *db = NULL;
    /* no check_header here (see there): read-only, SQLite itself says NOTADB */
    if (access(path, F_OK) != 0) {
        snprintf(err, err_len, "%s: no such database", path);
        return NULL;
    }
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_FULLMUTEX, NULL) != SQLITE_OK) {
        snprintf(err, err_len, "%s: cannot open database: %s", path, db ? sqlite3_errmsg(db) : "out of memory");
        sqlite3_close(db);
        return NULL;
    }
    sqlite3_busy_timeout(db, 2000);
    int v = store_schema_version(db);
    if (v < 0) {
        snprintf(err, err_len, "%s: not an SQLite database (or unreadable): %s", path, sqlite3_errmsg(db));
    } else if (v != STORE_SCHEMA_VERSION) {
        snprintf(err, err_len, "%s: database schema version %d, this alphapulse reads version %d%s", path, v,
                 STORE_SCHEMA_VERSION, v < STORE_SCHEMA_VERSION ? " (run alphapulse on it once to upgrade it)" : "");
    } else {
        return db;
    }
    sqlite3_close(db);
    return NULL;
}

void store_close(struct store *st)
{
    if (!st)
        return;
    store_stop(st);
    store_finalize(st);
    pg_store_close(st->pg);
    if (st->db)
        sqlite3_close(st->db);
    if (st->lock_fd >= 0)
        close(st->lock_fd);
    free(st->batch);                  /* a start whose thread never ran */
    free(st->series);
    for (int tf = 0; tf <= STORE_TRADES_TF; tf++)
        symtab_free(&st->series_ix[tf]);
    free(st);
}

uint64_t store_rows_written(const struct store *st) { return atomic_load(&st->rows); }
int store_failing(const struct store *st) { return atomic_load(&((struct store *)st)->ack.failing); }
const struct record_ack *store_ack(const struct store *st) { return &st->ack; }
