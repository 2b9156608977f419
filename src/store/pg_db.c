/* The PostgreSQL backend's connection: which database arguments are PostgreSQL,
 * connecting without a password on the command line, the account lock, the
 * schema and its migration ladder, and the monthly candle partitions.
 *
 * Passwords: libpq reads PGPASSWORD and ~/.pgpass itself; a password file set
 * with store_set_password_file (storage.password_file) is read here, its first
 * line passed as the connection's password. A password inside the connection
 * string is refused: it would sit on the command line (ps) and in the config.
 *
 * An account's lock is a session-level advisory lock: the server drops it when
 * the holder's connection ends, kill -9 included, like flock for SQLite. A
 * console takes it exclusive; collectors take it shared and divide the
 * instruments among themselves by locks of their own (pg_claim.c). */
#include "pg_internal.h"

#include <ctype.h>
#include <inttypes.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static char password_file[1024];

void store_set_password_file(const char *path)
{
    snprintf(password_file, sizeof password_file, "%s", path ? path : "");
}

bool store_is_url(const char *db)
{
    if (!db)
        return false;
    if (strncmp(db, "postgresql://", 13) == 0 || strncmp(db, "postgres://", 11) == 0)
        return true;
    /* a libpq key=value string: "host=... dbname=..." */
    const char *p = db;
    while (islower((unsigned char)*p) || *p == '_')
        p++;
    return p > db && *p == '=';
}

void pg_redact(const char *url, char *out, size_t n)
{
    snprintf(out, n, "%s", url);
    char *scheme = strstr(out, "://");
    if (scheme) {
        /* postgresql://user:secret@host/... -> postgresql://user:***@host/... */
        char *at = strchr(scheme + 3, '@');
        char *colon = strchr(scheme + 3, ':');
        char *slash = strchr(scheme + 3, '/');
        if (at && colon && colon < at && (!slash || at < slash)) {
            char tail[1024];
            snprintf(tail, sizeof tail, "%s", at);
            snprintf(colon, n - (size_t)(colon - out), ":***%s", tail);
        }
    }
    /* password=secret (key=value form or a URL query) */
    char *pw = strstr(out, "password=");
    if (pw) {
        char *v = pw + 9, *end = v + strcspn(v, " &");
        char tail[1024];
        snprintf(tail, sizeof tail, "%s", end);
        snprintf(v, n - (size_t)(v - out), "***%s", tail);
    }
}

/* Reads the first line of the password file; "" when none is set. */
static int read_password(char *pw, size_t n, char *err, size_t err_len)
{
    pw[0] = 0;
    if (!password_file[0])
        return 0;
    FILE *f = fopen(password_file, "r");
    if (!f) {
        snprintf(err, err_len, "storage.password_file %s: %s", password_file, strerror(errno));
        return -1;
    }
    if (!fgets(pw, (int)n, f))
        pw[0] = 0;
    fclose(f);
    pw[strcspn(pw, "\r\n")] = 0;
    return 0;
}

PGconn *pg_connect(const char *url, char *err, size_t err_len)
{
    char *perr = NULL;
    PQconninfoOption *opts = PQconninfoParse(url, &perr);
    if (!opts) {
        snprintf(err, err_len, "not a PostgreSQL connection string: %s", perr ? perr : "out of memory");
        PQfreemem(perr);
        return NULL;
    }
    bool has_pw = false;
    /* the session's settings travel with the connection request (no round trip
     * of their own), after any options the connection string gives; doubles as
     * text that reads back bit for bit (the default since PostgreSQL 12) */
    char options[1024];
    const char *ours = "-c extra_float_digits=3 -c client_min_messages=warning -c TimeZone=UTC";
    snprintf(options, sizeof options, "%s", ours);
    for (PQconninfoOption *o = opts; o->keyword; o++) {
        if (strcmp(o->keyword, "password") == 0 && o->val && o->val[0])
            has_pw = true;
        if (strcmp(o->keyword, "options") == 0 && o->val && o->val[0])
            snprintf(options, sizeof options, "%s %s", o->val, ours);
    }
    PQconninfoFree(opts);
    if (has_pw) {
        snprintf(err, err_len, "the database URL holds a password; give it in PGPASSWORD, ~/.pgpass or "
                 "storage.password_file instead (a URL is visible to every user in the process list)");
        return NULL;
    }
    char pw[512];
    if (read_password(pw, sizeof pw, err, err_len))
        return NULL;
    const char *keys[] = { "dbname", "application_name", "connect_timeout", "options", pw[0] ? "password" : NULL,
                           NULL };
    const char *vals[] = { url, "alphapulse", "10", options, pw[0] ? pw : NULL, NULL };
    PGconn *c = PQconnectdbParams(keys, vals, 1);
    memset(pw, 0, sizeof pw);
    if (!c || PQstatus(c) != CONNECTION_OK) {
        snprintf(err, err_len, "cannot connect to PostgreSQL: %s", c ? PQerrorMessage(c) : "out of memory");
        err[strcspn(err, "\n")] = 0;
        PQfinish(c);
        return NULL;
    }
    return c;
}

int pg_exec(PGconn *c, const char *sql, char *err, size_t err_len)
{
    PGresult *r = PQexec(c, sql);
    ExecStatusType s = PQresultStatus(r);
    int rc = s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK ? 0 : -1;
    if (rc && err) {
        snprintf(err, err_len, "%s", PQresultErrorMessage(r)[0] ? PQresultErrorMessage(r) : PQerrorMessage(c));
        err[strcspn(err, "\n")] = 0;
    }
    PQclear(r);
    return rc;
}

/* Schema 4 (the first PostgreSQL one): the meaning of SQLite's schema 4, in
 * PostgreSQL's types. Candles are range-partitioned by open_time, one partition
 * per calendar month (pg_candle_partition makes them, ahead of the data). */
static const char *const PG_SCHEMA_V4A =
    "CREATE TABLE candles("
    " symbol TEXT NOT NULL, timeframe TEXT NOT NULL, open_time BIGINT NOT NULL,"
    " open DOUBLE PRECISION NOT NULL, high DOUBLE PRECISION NOT NULL, low DOUBLE PRECISION NOT NULL,"
    " close DOUBLE PRECISION NOT NULL, volume DOUBLE PRECISION NOT NULL,"
    " quote_volume DOUBLE PRECISION NOT NULL DEFAULT 0, trades BIGINT NOT NULL DEFAULT 0,"
    " flags BIGINT NOT NULL DEFAULT 0, PRIMARY KEY(symbol, timeframe, open_time)) PARTITION BY RANGE (open_time);"
    "CREATE TABLE fills("
    " id BIGINT PRIMARY KEY, order_id BIGINT NOT NULL, time BIGINT NOT NULL, symbol TEXT NOT NULL,"
    " side INTEGER NOT NULL, qty DOUBLE PRECISION NOT NULL, price DOUBLE PRECISION NOT NULL,"
    " fee DOUBLE PRECISION NOT NULL, realized DOUBLE PRECISION NOT NULL, balance_after DOUBLE PRECISION NOT NULL);"
    "CREATE INDEX fills_time ON fills(time);"
    "CREATE INDEX fills_order ON fills(order_id);"
    "CREATE TABLE positions("
    " symbol TEXT PRIMARY KEY, qty DOUBLE PRECISION NOT NULL, avg DOUBLE PRECISION NOT NULL,"
    " realized DOUBLE PRECISION NOT NULL, fees DOUBLE PRECISION NOT NULL, updated BIGINT NOT NULL);"
    "CREATE TABLE account("
    " id INTEGER PRIMARY KEY CHECK (id = 1), balance DOUBLE PRECISION NOT NULL, updated BIGINT NOT NULL,"
    " start_balance DOUBLE PRECISION, currency TEXT NOT NULL DEFAULT '');"
    "CREATE TABLE journal("
    " seq BIGSERIAL PRIMARY KEY, time BIGINT NOT NULL, text TEXT NOT NULL,"
    " kind TEXT NOT NULL DEFAULT 'note', symbol TEXT NOT NULL DEFAULT '');"
    "CREATE INDEX journal_time ON journal(time);"
    "CREATE FUNCTION alphapulse_journal_append_only() RETURNS trigger LANGUAGE plpgsql AS"
    " $$BEGIN RAISE EXCEPTION 'journal is append-only'; END$$;"
    "CREATE TRIGGER journal_no_update BEFORE UPDATE OR DELETE ON journal"
    " FOR EACH ROW EXECUTE FUNCTION alphapulse_journal_append_only();"
    "CREATE TRIGGER journal_no_truncate BEFORE TRUNCATE ON journal"
    " FOR EACH STATEMENT EXECUTE FUNCTION alphapulse_journal_append_only();"
    "CREATE TABLE instruments("
    " venue TEXT NOT NULL, symbol TEXT NOT NULL, base TEXT NOT NULL, quote TEXT NOT NULL,"
    " tick_size DOUBLE PRECISION NOT NULL DEFAULT 0, step_size DOUBLE PRECISION NOT NULL DEFAULT 0,"
    " min_notional DOUBLE PRECISION NOT NULL DEFAULT 0, status TEXT NOT NULL DEFAULT 'TRADING',"
    " market TEXT NOT NULL DEFAULT '', PRIMARY KEY(venue, symbol));"
    "CREATE TABLE orders("
    " id BIGINT PRIMARY KEY, time BIGINT NOT NULL, updated BIGINT NOT NULL, symbol TEXT NOT NULL,"
    " side INTEGER NOT NULL CHECK (side IN (-1, 1)), type TEXT NOT NULL, status TEXT NOT NULL,"
    " qty DOUBLE PRECISION NOT NULL, price DOUBLE PRECISION NOT NULL DEFAULT 0,"
    " filled_qty DOUBLE PRECISION NOT NULL DEFAULT 0, avg_price DOUBLE PRECISION NOT NULL DEFAULT 0,"
    " reason TEXT NOT NULL DEFAULT '');"
    "CREATE INDEX orders_open ON orders(status) WHERE status = 'placed';";
static const char *const PG_SCHEMA_V4B =
    "CREATE TABLE signals("
    " id BIGINT PRIMARY KEY, time BIGINT NOT NULL, candle_time BIGINT NOT NULL DEFAULT 0,"
    " symbol TEXT NOT NULL, timeframe TEXT NOT NULL,"
    " side INTEGER NOT NULL CHECK (side IN (-1, 1)), confidence DOUBLE PRECISION NOT NULL,"
    " entry DOUBLE PRECISION NOT NULL, stop DOUBLE PRECISION NOT NULL, stop_kind TEXT NOT NULL DEFAULT 'atr',"
    " tp1 DOUBLE PRECISION, tp2 DOUBLE PRECISION, tp3 DOUBLE PRECISION, tp4 DOUBLE PRECISION,"
    " reward_risk DOUBLE PRECISION NOT NULL, pattern TEXT NOT NULL DEFAULT '',"
    " volume_confirmed INTEGER NOT NULL DEFAULT 0, trend_aligned INTEGER NOT NULL DEFAULT 0,"
    " trend_alignment INTEGER NOT NULL DEFAULT 0, htf_score DOUBLE PRECISION NOT NULL DEFAULT 0,"
    " regime TEXT NOT NULL DEFAULT '', regime_confidence DOUBLE PRECISION,"
    " indicators TEXT NOT NULL DEFAULT '[]', voters BIGINT NOT NULL DEFAULT 0,"
    " source TEXT NOT NULL DEFAULT '', expiry BIGINT NOT NULL, state TEXT NOT NULL,"
    " outcome TEXT NOT NULL DEFAULT 'open', best_tp INTEGER NOT NULL DEFAULT 0,"
    " outcome_time BIGINT, outcome_price DOUBLE PRECISION, updated BIGINT NOT NULL);"
    "CREATE INDEX signals_time ON signals(time);"
    "CREATE INDEX signals_by_symbol ON signals(symbol, timeframe, time);"
    "CREATE INDEX signals_open ON signals(state) WHERE state IN ('new', 'taken');"
    "CREATE TABLE equity("
    " time BIGINT PRIMARY KEY, balance DOUBLE PRECISION NOT NULL, equity DOUBLE PRECISION NOT NULL,"
    " unrealized DOUBLE PRECISION NOT NULL, realized DOUBLE PRECISION NOT NULL, fees DOUBLE PRECISION NOT NULL,"
    " exposure DOUBLE PRECISION NOT NULL);"
    "CREATE TABLE risk_events("
    " seq BIGSERIAL PRIMARY KEY, time BIGINT NOT NULL, symbol TEXT NOT NULL DEFAULT '',"
    " kind TEXT NOT NULL, text TEXT NOT NULL);"
    "CREATE TABLE alerts("
    " seq BIGSERIAL PRIMARY KEY, time BIGINT NOT NULL, symbol TEXT NOT NULL DEFAULT '',"
    " kind TEXT NOT NULL, text TEXT NOT NULL);"
    "CREATE TABLE settings(key TEXT PRIMARY KEY, value TEXT NOT NULL, updated BIGINT NOT NULL);"
    "CREATE TABLE paper_risk("
    " id INTEGER PRIMARY KEY CHECK (id = 1), day BIGINT NOT NULL, day_start_equity DOUBLE PRECISION NOT NULL,"
    " peak_equity DOUBLE PRECISION NOT NULL, streak INTEGER NOT NULL, cooldown_until BIGINT NOT NULL,"
    " daily_until BIGINT NOT NULL, lock INTEGER NOT NULL, locked_at BIGINT NOT NULL, updated BIGINT NOT NULL);"
    "CREATE TABLE paper_orders("
    " id BIGINT PRIMARY KEY, symbol TEXT NOT NULL, side INTEGER NOT NULL, type INTEGER NOT NULL,"
    " qty DOUBLE PRECISION NOT NULL, price DOUBLE PRECISION NOT NULL, reduce_only INTEGER NOT NULL,"
    " source INTEGER NOT NULL, placed BIGINT NOT NULL, stop DOUBLE PRECISION NOT NULL,"
    " trail DOUBLE PRECISION NOT NULL, tp1 DOUBLE PRECISION NOT NULL, tp2 DOUBLE PRECISION NOT NULL,"
    " tp3 DOUBLE PRECISION NOT NULL, tp4 DOUBLE PRECISION NOT NULL, f1 DOUBLE PRECISION NOT NULL,"
    " f2 DOUBLE PRECISION NOT NULL, f3 DOUBLE PRECISION NOT NULL, f4 DOUBLE PRECISION NOT NULL,"
    " trail_atr DOUBLE PRECISION NOT NULL DEFAULT 0);"
    "CREATE TABLE paper_exits("
    " symbol TEXT PRIMARY KEY, stop DOUBLE PRECISION NOT NULL, trail DOUBLE PRECISION NOT NULL,"
    " trail_ref DOUBLE PRECISION NOT NULL, tp1 DOUBLE PRECISION NOT NULL, tp2 DOUBLE PRECISION NOT NULL,"
    " tp3 DOUBLE PRECISION NOT NULL, tp4 DOUBLE PRECISION NOT NULL, f1 DOUBLE PRECISION NOT NULL,"
    " f2 DOUBLE PRECISION NOT NULL, f3 DOUBLE PRECISION NOT NULL, f4 DOUBLE PRECISION NOT NULL,"
    " base_qty DOUBLE PRECISION NOT NULL, tp_done INTEGER NOT NULL, source INTEGER NOT NULL,"
    " opened BIGINT NOT NULL, trail_atr DOUBLE PRECISION NOT NULL DEFAULT 0,"
    " trail_stop DOUBLE PRECISION NOT NULL DEFAULT 0);";

/* 4 -> 5: funding payments of perpetual positions (db.c). */
static const char *const PG_MIGRATE_V5 =
    "CREATE TABLE funding("
    " symbol TEXT NOT NULL, time BIGINT NOT NULL, qty DOUBLE PRECISION NOT NULL, mark DOUBLE PRECISION NOT NULL,"
    " rate DOUBLE PRECISION NOT NULL, amount DOUBLE PRECISION NOT NULL, balance_after DOUBLE PRECISION NOT NULL,"
    " PRIMARY KEY(symbol, time));"
    "CREATE INDEX funding_time ON funding(time);";

/* 5 -> 6: the top of book with each fill (db.c). */
static const char *const PG_MIGRATE_V6 =
    "ALTER TABLE fills ADD COLUMN bid DOUBLE PRECISION, ADD COLUMN ask DOUBLE PRECISION,"
    " ADD COLUMN levels INTEGER;";

/* 6 -> 7: paper accounts (db.c). The writer's session names its account in the
 * setting alphapulse.account, which alphapulse_account() reads. */
#define PG_ADD_ACCOUNT(t) "ALTER TABLE " t " ADD COLUMN account TEXT NOT NULL DEFAULT 'default';"
#define PG_REKEY(t, key) PG_ADD_ACCOUNT(t) "ALTER TABLE " t " DROP CONSTRAINT " t "_pkey;" \
                         "ALTER TABLE " t " ADD PRIMARY KEY(" key ");"
static const char *const PG_MIGRATE_V7 =
    PG_ADD_ACCOUNT("orders") PG_ADD_ACCOUNT("fills") PG_ADD_ACCOUNT("paper_orders") PG_ADD_ACCOUNT("signals")
    PG_ADD_ACCOUNT("journal") PG_ADD_ACCOUNT("risk_events")
    "CREATE INDEX fills_account ON fills(account, id);"
    "CREATE TABLE accounts(name TEXT PRIMARY KEY, number INTEGER NOT NULL UNIQUE, created BIGINT NOT NULL);"
    "INSERT INTO accounts VALUES('default', 0, 0);"
    PG_REKEY("positions", "account, symbol") PG_REKEY("equity", "account, time")
    PG_REKEY("paper_exits", "account, symbol") PG_REKEY("funding", "account, symbol, time")
    PG_ADD_ACCOUNT("account") "ALTER TABLE account DROP COLUMN id; ALTER TABLE account ADD PRIMARY KEY(account);"
    PG_ADD_ACCOUNT("paper_risk") "ALTER TABLE paper_risk DROP COLUMN id; ALTER TABLE paper_risk ADD PRIMARY KEY(account);"
    "CREATE FUNCTION alphapulse_account() RETURNS text LANGUAGE sql STABLE AS"
    " $$SELECT current_setting('alphapulse.account')$$;";

/* 7 -> 8: the venues' aggregated trades (storage.trades; db.c). */
static const char *const PG_MIGRATE_V8 =
    "CREATE TABLE agg_trades("
    " symbol TEXT NOT NULL, id BIGINT NOT NULL, time BIGINT NOT NULL, price DOUBLE PRECISION NOT NULL,"
    " qty DOUBLE PRECISION NOT NULL, buyer_maker INTEGER NOT NULL, PRIMARY KEY(symbol, id));"
    "CREATE INDEX agg_trades_time ON agg_trades(symbol, time);";

/* 8 -> 9: a working limit order's place in its level's queue (db.c). */
static const char *const PG_MIGRATE_V9 =
    "ALTER TABLE paper_orders ADD COLUMN queue DOUBLE PRECISION NOT NULL DEFAULT -1;";

/* 9 -> 10: the newest forming candle per instrument and timeframe (db.c). */
static const char *const PG_MIGRATE_V10 =
    "CREATE TABLE forming("
    " symbol TEXT NOT NULL, timeframe TEXT NOT NULL, open_time BIGINT NOT NULL, open DOUBLE PRECISION NOT NULL,"
    " high DOUBLE PRECISION NOT NULL, low DOUBLE PRECISION NOT NULL, close DOUBLE PRECISION NOT NULL,"
    " volume DOUBLE PRECISION NOT NULL, quote_volume DOUBLE PRECISION NOT NULL DEFAULT 0,"
    " trades BIGINT NOT NULL DEFAULT 0, flags BIGINT NOT NULL DEFAULT 0, updated BIGINT NOT NULL,"
    " PRIMARY KEY(symbol, timeframe));";

/* PG_MIGRATIONS[v] takes version v - 1 to v; PostgreSQL databases start at 4
 * (the first version that had a PostgreSQL backend): step 4 builds them whole. */
static const char *const *const PG_STEPS_V4[] = { &PG_SCHEMA_V4A, &PG_SCHEMA_V4B, NULL };
static const char *const *const PG_STEPS_V5[] = { &PG_MIGRATE_V5, NULL };
static const char *const *const PG_STEPS_V6[] = { &PG_MIGRATE_V6, NULL };
static const char *const *const PG_STEPS_V7[] = { &PG_MIGRATE_V7, NULL };
static const char *const *const PG_STEPS_V8[] = { &PG_MIGRATE_V8, NULL };
static const char *const *const PG_STEPS_V9[] = { &PG_MIGRATE_V9, NULL };
static const char *const *const PG_STEPS_V10[] = { &PG_MIGRATE_V10, NULL };
static const char *const *const *const PG_MIGRATIONS[] = { NULL, NULL, NULL, NULL, PG_STEPS_V4, PG_STEPS_V5,
                                                           PG_STEPS_V6, PG_STEPS_V7, PG_STEPS_V8, PG_STEPS_V9,
                                                           PG_STEPS_V10 };
_Static_assert(sizeof PG_MIGRATIONS / sizeof PG_MIGRATIONS[0] == STORE_SCHEMA_VERSION + 1,
               "one PostgreSQL migration per schema version");
#define PG_FIRST_VERSION 4

/* The version, 0 for a database without alphapulse tables, -1 on error. */
int pg_schema_version(PGconn *c, char *err, size_t err_len)
{
    PGresult *r = PQexec(c, "SELECT to_regclass('alphapulse_schema') IS NOT NULL");
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        snprintf(err, err_len, "%s", PQresultErrorMessage(r));
        err[strcspn(err, "\n")] = 0;
        PQclear(r);
        return -1;
    }
    bool exists = strcmp(PQgetvalue(r, 0, 0), "t") == 0;
    PQclear(r);
    if (!exists)
        return 0;
    r = PQexec(c, "SELECT max(version) FROM alphapulse_schema");
    int v = PQresultStatus(r) == PGRES_TUPLES_OK && !PQgetisnull(r, 0, 0) ? atoi(PQgetvalue(r, 0, 0)) : 0;
    PQclear(r);
    return v;
}

/* Every step in one transaction, under a transaction-level advisory lock so two
 * processes opening a new database at once do not both build it. */
static int migrate(PGconn *c, const char *name, int to, char *err, size_t err_len)
{
    /* already there (every start but the first): one query, no transaction */
    PGresult *r = PQexec(c, "SELECT max(version) FROM alphapulse_schema");
    bool there = PQresultStatus(r) == PGRES_TUPLES_OK && !PQgetisnull(r, 0, 0) && atoi(PQgetvalue(r, 0, 0)) == to;
    PQclear(r);
    if (there)
        return 0;
    if (pg_exec(c, "BEGIN", err, err_len))
        return -1;
    if (pg_exec(c, "SELECT pg_advisory_xact_lock(" PG_LOCK_SCHEMA ")", err, err_len))
        goto fail;
    int from = pg_schema_version(c, err, err_len);
    if (from < 0)
        goto fail;
    if (from > STORE_SCHEMA_VERSION) {
        snprintf(err, err_len, "database schema version %d is newer than this alphapulse (%d); "
                 "upgrade alphapulse or use another database", from, STORE_SCHEMA_VERSION);
        goto fail;
    }
    if (from == 0) {
        if (pg_exec(c, "CREATE TABLE alphapulse_schema(version INTEGER NOT NULL, upgraded BIGINT NOT NULL)",
                    err, err_len))
            goto fail;
        from = PG_FIRST_VERSION - 1;
    }
    if (from > to) {
        snprintf(err, err_len, "already at schema version %d, past %d", from, to);
        goto fail;
    }
    for (int v = from + 1; v <= to; v++) {
        for (int k = 0; PG_MIGRATIONS[v][k]; k++)
            if (pg_exec(c, *PG_MIGRATIONS[v][k], err, err_len)) {
                size_t n = strlen(err);
                snprintf(err + n, err_len - n, " (while upgrading the schema to version %d)", v);
                goto fail;
            }
        char sql[128];
        snprintf(sql, sizeof sql, "INSERT INTO alphapulse_schema VALUES(%d, %lld)", v, (long long)time(NULL) * 1000);
        if (pg_exec(c, sql, err, err_len))
            goto fail;
    }
    if (pg_exec(c, "COMMIT", err, err_len))
        goto fail;
    if (from >= PG_FIRST_VERSION && from < to)
        log_info("%s: schema upgraded from version %d to %d", name, from, to);
    return 0;
fail:
    pg_exec(c, "ROLLBACK", NULL, 0);
    return -1;
}

/* First millisecond of the calendar month holding ms, and of the next one. */
static void month_bounds(int64_t ms, int64_t *start, int64_t *end, int *year, int *month)
{
    time_t t = (time_t)(ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000));
    struct tm tm;
    gmtime_r(&t, &tm);
    *year = tm.tm_year + 1900;
    *month = tm.tm_mon + 1;
    struct tm a = { .tm_year = tm.tm_year, .tm_mon = tm.tm_mon, .tm_mday = 1 };
    struct tm b = { .tm_year = tm.tm_mon == 11 ? tm.tm_year + 1 : tm.tm_year, .tm_mon = (tm.tm_mon + 1) % 12,
                    .tm_mday = 1 };
    *start = (int64_t)timegm(&a) * 1000;
    *end = (int64_t)timegm(&b) * 1000;
}

void pg_candle_month(int64_t ms, int64_t *start, int64_t *end, char *name, size_t n)
{
    int y, m;
    month_bounds(ms, start, end, &y, &m);
    snprintf(name, n, "candles_%s%04d_%02d", y < 0 ? "m" : "", y < 0 ? -y : y, m);
}

int pg_candle_partition(struct pg_store *p, int64_t ms, char *err, size_t err_len)
{
    for (int i = 0; i < p->n_months; i++)     /* known: no calendar arithmetic for each row */
        if (ms >= p->months[i][0] && ms < p->months[i][1])
            return 0;
    int64_t start, end;
    char name[PG_PARTITION_NAME];
    pg_candle_month(ms, &start, &end, name, sizeof name);
    /* this month and the next: the collector never waits on a DDL at a month's turn */
    for (int k = 0; k < 2; k++) {
        char sql[320];
        snprintf(sql, sizeof sql, "CREATE TABLE IF NOT EXISTS %s PARTITION OF candles "
                 "FOR VALUES FROM (%lld) TO (%lld)", name, (long long)start, (long long)end);
        if (pg_exec(p->conn, sql, err, err_len)) {
            /* two writers creating the same month at once: one wins, the other finds it next time */
            if (!strstr(err, "already exists"))
                return -1;
        }
        pg_candle_month(end, &start, &end, name, sizeof name);
    }
    pg_candle_month(ms, &start, &end, name, sizeof name);
    if (p->n_months == PG_MONTHS_CACHED)
        p->n_months = 0;
    p->months[p->n_months][0] = start;
    p->months[p->n_months++][1] = end;
    return 0;
}

/* The account's lock, exclusive for a console, shared for a collector (store.h):
 * true when this session holds it. *failed: the server could not be asked. */
static bool account_lock(struct pg_store *p, bool *failed)
{
    char text[STORE_ACCOUNT_MAX + 16], sql[128];
    snprintf(text, sizeof text, "account:%s", p->account);
    snprintf(sql, sizeof sql, "SELECT pg_try_advisory_lock%s(%" PRId64 ")", p->shared ? "_shared" : "",
             pg_fnv_key(text));
    PGresult *r = PQexec(p->conn, sql);
    bool locked = PQresultStatus(r) == PGRES_TUPLES_OK && strcmp(PQgetvalue(r, 0, 0), "t") == 0;
    *failed = PQresultStatus(r) != PGRES_TUPLES_OK;
    PQclear(r);
    return locked;
}

/* Who holds the account's lock: the application_name its session set
 * ("alphapulse host H, pid P"), into out. */
static void lock_holder(struct pg_store *p, char *out, size_t n)
{
    char text[STORE_ACCOUNT_MAX + 16], sql[400];
    snprintf(text, sizeof text, "account:%s", p->account);
    uint64_t k = (uint64_t)pg_fnv_key(text);
    snprintf(sql, sizeof sql, "SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
             "WHERE l.locktype = 'advisory' AND l.objsubid = 1 AND l.granted AND l.classid = %u AND l.objid = %u "
             "LIMIT 1", (unsigned)(k >> 32), (unsigned)(k & 0xffffffffu));
    PGresult *r = PQexec(p->conn, sql);
    const char *name = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1 ? PQgetvalue(r, 0, 0) : "";
    snprintf(out, n, "%s", strncmp(name, "alphapulse ", 11) == 0 ? name + 11 : "holder unknown");
    PQclear(r);
}

/* The session names its account (alphapulse_account() in the writer's SQL) and
 * its holder (application_name, for lock_holder); *locked: it took the
 * account's lock (as account_lock). */
static int name_session(struct pg_store *p, bool *locked, char *err, size_t err_len)
{
    char holder[300];
    store_holder_text(holder, sizeof holder);
    char app[320], key[32], text[STORE_ACCOUNT_MAX + 16];
    snprintf(app, sizeof app, "alphapulse %s", holder);
    snprintf(text, sizeof text, "account:%s", p->account);
    snprintf(key, sizeof key, "%" PRId64, pg_fnv_key(text));
    const char *vals[] = { p->account, app, key };
    /* and a first try at the account's lock, in the same round trip */
    PGresult *r = PQexecParams(p->conn, p->shared ? "SELECT set_config('alphapulse.account', $1, false), "
                                                    "set_config('application_name', $2, false), "
                                                    "pg_try_advisory_lock_shared($3::bigint)"
                                                  : "SELECT set_config('alphapulse.account', $1, false), "
                                                    "set_config('application_name', $2, false), "
                                                    "pg_try_advisory_lock($3::bigint)",
                               3, NULL, vals, NULL, NULL, 0);
    bool ok = PQresultStatus(r) == PGRES_TUPLES_OK;
    *locked = ok && strcmp(PQgetvalue(r, 0, 2), "t") == 0;
    if (!ok) {
        snprintf(err, err_len, "%s", PQresultErrorMessage(r));
        err[strcspn(err, "\n")] = 0;
    }
    PQclear(r);
    return ok ? 0 : -1;
}

struct pg_store *pg_store_open(const char *url, const char *account, bool shared, char *err, size_t err_len)
{
    struct pg_store *p = calloc(1, sizeof *p);
    if (!p) {
        snprintf(err, err_len, "out of memory");
        return NULL;
    }
    p->shared = shared;
    snprintf(p->account, sizeof p->account, "%s", account);
    pg_redact(url, p->url, sizeof p->url);      /* the name in every message */
    char e[512];
    p->conn = pg_connect(url, e, sizeof e);
    if (!p->conn) {
        snprintf(err, err_len, "%s: %s", p->url, e);
        free(p);
        return NULL;
    }
    bool locked = false, failed = false;
    if (name_session(p, &locked, e, sizeof e)) {
        snprintf(err, err_len, "%s: %s", p->url, e);
        pg_store_close(p);
        return NULL;
    }
    /* one writing console per account, or any number of collectors. A holder
     * killed a moment ago may still have its session ending on the server: ask
     * for up to two seconds before refusing. */
    for (int i = 1; i < 40 && !locked && !failed; i++) {
        nanosleep(&(struct timespec){ 0, 50000000 }, NULL);
        locked = account_lock(p, &failed);
    }
    if (!locked) {
        char holder[300];
        lock_holder(p, holder, sizeof holder);
        snprintf(err, err_len, "%s: account %s in use by another alphapulse process (%s; it holds the account's "
                 "advisory lock%s); stop it, or use another --account or database", p->url, p->account, holder,
                 shared ? ": a console" : "");
        pg_store_close(p);
        return NULL;
    }
    if (migrate(p->conn, p->url, STORE_SCHEMA_VERSION, e, sizeof e)) {
        snprintf(err, err_len, "%s: %s", p->url, e);
        pg_store_close(p);
        return NULL;
    }
    return p;
}

int pg_store_create_at_version(const char *url, int version, char *err, size_t err_len)
{
    char name[1024], e[512];
    pg_redact(url, name, sizeof name);
    if (version < PG_FIRST_VERSION) {
        snprintf(err, err_len, "%s: PostgreSQL databases start at schema version %d", name, PG_FIRST_VERSION);
        return -1;
    }
    PGconn *c = pg_connect(url, e, sizeof e);
    int v = c ? pg_schema_version(c, e, sizeof e) : -1;
    int rc = v == 0 ? migrate(c, name, version, e, sizeof e) : -1;
    if (v > 0)
        snprintf(e, sizeof e, "not a new database (schema version %d)", v);
    if (rc)
        snprintf(err, err_len, "%s: %s", name, e);
    PQfinish(c);
    return rc;
}

/* After a lost connection (a server restart): one reconnect attempt, the
 * account lock taken again. Returns 0 when the connection works. */
int pg_store_reconnect(struct pg_store *p, char *err, size_t err_len)
{
    if (PQstatus(p->conn) == CONNECTION_OK)
        return 0;
    PQreset(p->conn);
    if (PQstatus(p->conn) != CONNECTION_OK) {
        snprintf(err, err_len, "connection lost: %s", PQerrorMessage(p->conn));
        err[strcspn(err, "\n")] = 0;
        return -1;
    }
    bool locked;
    if (name_session(p, &locked, err, err_len) || !locked) {
        snprintf(err, err_len, "reconnected, but another alphapulse process took the database meanwhile");
        PQfinish(p->conn);
        p->conn = PQconnectdb("");       /* a dead connection: every write fails from now on */
        return -1;
    }
    p->n_months = 0;                    /* partitions may have been made by others meanwhile: ask again */
    p->staging = false;                 /* a new session: its temporary table is gone */
    pg_candles_forget(p);               /* others may have written meanwhile */
    log_info("%s: reconnected to PostgreSQL", p->url);
    return 0;
}

bool pg_store_connected(struct pg_store *p) { return PQstatus(p->conn) == CONNECTION_OK; }

void pg_store_close(struct pg_store *p)
{
    if (!p)
        return;
    PQfinish(p->conn);
    pg_candles_forget(p);
    free(p);
}

PGconn *pg_reader_open(const char *db, char *err, size_t err_len)
{
    char url[1024];
    pg_redact(db, url, sizeof url);
    char e[512];
    PGconn *c = pg_connect(db, e, sizeof e);
    if (!c) {
        snprintf(err, err_len, "%s: %s", url, e);
        return NULL;
    }
    int v = pg_schema_version(c, e, sizeof e);
    if (v == STORE_SCHEMA_VERSION)
        return c;
    if (v < 0)
        snprintf(err, err_len, "%s: %s", url, e);
    else if (v == 0)
        snprintf(err, err_len, "%s: no alphapulse database there (run alphapulse or collect on it first)", url);
    else
        snprintf(err, err_len, "%s: database schema version %d, this alphapulse reads version %d%s", url, v,
                 STORE_SCHEMA_VERSION, v < STORE_SCHEMA_VERSION ? " (run alphapulse on it once to upgrade it)" : "");
    PQfinish(c);
    return NULL;
}
