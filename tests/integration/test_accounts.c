/* Paper accounts, on SQLite and on PostgreSQL from one source (a real server
 * the test starts, tests/pg/pg_server.sh): a schema-6 database's money rows
 * all land in account 'default' at the upgrade; two accounts trade side by side
 * on the same candles in one database, each restoring only its own balance,
 * position, working order and ids, each exporting only its own trades; a second
 * writer on an account is refused with the holder's host and pid. */
#include <libpq-fe.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <unistd.h>

#include "harness.h"
#include "scratch_dir.h"
#include "pg_server.h"
#include "engine_driver.h"
#include "alphapulse/engine.h"
#include "alphapulse/record.h"
#include "alphapulse/store.h"

#define T0 1733011200000LL
#define MIN 60000LL

static const char *server;

/* A new empty PostgreSQL database on the test server, as a URL. */
static const char *fresh_pg(const char *name)
{
    static char urls[4][600];
    static int n;
    PGconn *c = PQconnectdb(server);
    char sql[128];
    snprintf(sql, sizeof sql, "CREATE DATABASE %s", name);
    PQclear(PQexec(c, sql));
    PQfinish(c);
    char *u = urls[n++ % 4];
    const char *q = strstr(server, "/alphapulse?");
    snprintf(u, sizeof urls[0], "%.*s/%s%s", (int)(q - server), server, name, q + 11);
    return u;
}

/* Raw SQL on either backend: the number in the first column of the first row
 * (-999 on error); exec runs statements without rows. */
static long sql_long(const char *db, const char *sql)
{
    long v = -999;
    if (store_is_url(db)) {
        PGconn *c = PQconnectdb(db);
        PGresult *r = PQexec(c, sql);
        if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1)
            v = atol(PQgetvalue(r, 0, 0));
        else
            printf("#   %s: %s", sql, PQresultErrorMessage(r));
        PQclear(r);
        PQfinish(c);
        return v;
    }
    sqlite3 *s;
    sqlite3_stmt *st;
    if (sqlite3_open(db, &s) == SQLITE_OK && sqlite3_prepare_v2(s, sql, -1, &st, NULL) == SQLITE_OK) {
        if (sqlite3_step(st) == SQLITE_ROW)
            v = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
    } else {
        printf("#   %s: %s\n", sql, sqlite3_errmsg(s));
    }
    sqlite3_close(s);
    return v;
}

static bool sql_exec(const char *db, const char *sql)
{
    bool ok;
    if (store_is_url(db)) {
        PGconn *c = PQconnectdb(db);
        PGresult *r = PQexec(c, sql);
        ok = PQresultStatus(r) == PGRES_COMMAND_OK;
        if (!ok)
            printf("#   %s", PQresultErrorMessage(r));
        PQclear(r);
        PQfinish(c);
        return ok;
    }
    sqlite3 *s;
    char *msg = NULL;
    ok = sqlite3_open(db, &s) == SQLITE_OK && sqlite3_exec(s, sql, NULL, NULL, &msg) == SQLITE_OK;
    if (!ok)
        printf("#   %s\n", msg ? msg : sqlite3_errmsg(s));
    sqlite3_free(msg);
    sqlite3_close(s);
    return ok;
}

/* Schema 6 -> current: every money row of before belongs to 'default', which
 * is account number 0 (its ids unchanged), and restores as before. */
static void migrates_v6_rows_to_default(const char *db)
{
    char err[512] = "";
    CHECK_MSG(store_create_at_version(db, 6, err, sizeof err) == 0, "%s", err);
    CHECK(sql_exec(db,
        "INSERT INTO account(id,balance,updated,start_balance,currency) VALUES(1,9900.5,120000,10000,'USDT');"
        "INSERT INTO positions VALUES('BTCUSDT',0.5,100,0,0.05,120000);"
        "INSERT INTO orders VALUES(3,60000,120000,'BTCUSDT',1,'market','filled',0.5,0,0.5,100,'');"
        "INSERT INTO orders VALUES(4,60000,60000,'BTCUSDT',1,'limit','placed',1,90,0,0,'');"
        "INSERT INTO fills(id,order_id,time,symbol,side,qty,price,fee,realized,balance_after)"
        " VALUES(2,3,120000,'BTCUSDT',1,0.5,100,0.05,0,9949.95);"
        "INSERT INTO paper_orders VALUES(4,'BTCUSDT',1,1,1,90,0,0,60000,0,0,0,0,0,0,0,0,0,0,0);"
        "INSERT INTO paper_exits VALUES('BTCUSDT',95,0,0,0,0,0,0,0,0,0,0,0.5,0,0,120000,0,0);"
        "INSERT INTO paper_risk VALUES(1,20057,10000,10000,0,0,0,0,0,120000);"
        "INSERT INTO equity VALUES(3600000,9949.95,9950,0.05,0,0.05,50);"
        "INSERT INTO funding VALUES('BTCUSDT',180000,0.5,100,0.0001,-0.005,9900.5);"
        "INSERT INTO journal(time,text) VALUES(120000,'filled BUY 0.5 BTCUSDT');"
        "INSERT INTO risk_events(time,kind,text) VALUES(120000,'reject','too big');"));
    struct store *st = store_open(db, err, sizeof err);
    CHECK_MSG(st != NULL, "%s", err);
    if (!st)
        return;
    CHECK(sql_long(db, store_is_url(db) ? "SELECT max(version) FROM alphapulse_schema" : "PRAGMA user_version") ==
          STORE_SCHEMA_VERSION);
    static const char *const tables[] = { "account", "positions", "orders", "fills", "paper_orders", "paper_exits",
                                          "paper_risk", "equity", "funding", "journal", "risk_events" };
    static const long rows[] = { 1, 1, 2, 1, 1, 1, 1, 1, 1, 1, 1 };
    for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++) {
        char sql[160];
        snprintf(sql, sizeof sql, "SELECT count(*) FROM %s WHERE account='default'", tables[i]);
        CHECK_MSG(sql_long(db, sql) == rows[i], "%s", tables[i]);
    }
    CHECK(sql_long(db, "SELECT number FROM accounts WHERE name='default'") == 0);
    struct engine *e = driver_engine(NULL);
    CHECK(store_restore(st, e, 100) == 0);
    const struct broker *b = engine_broker(e);
    CHECK(b->balance == 9900.5 && b->pos[0].qty == 0.5 && b->n_orders == 1 && broker_order_find(b, 4));
    CHECK(b->next_order == 5 && b->next_fill == 3);
    /* the journal stays append-only */
    CHECK(!sql_exec(db, "UPDATE journal SET text='x'"));
    engine_destroy(e);
    store_close(st);
}

/* One account of the two: its store, engine and record queue. */
struct trader {
    struct store *st;
    struct engine *e;
    struct spsc q;
};

static bool trader_open(struct trader *t, const char *db, const char *account)
{
    char err[512] = "";
    t->st = store_open_as(db, &(struct store_open_options){ .account = account }, err, sizeof err);
    CHECK_MSG(t->st != NULL, "%s: %s", account, err);
    if (!t->st)
        return false;
    spsc_init(&t->q, sizeof(struct record), 1 << 12);
    t->e = driver_engine(&t->q);
    CHECK(store_restore(t->st, t->e, 100) == 0);
    CHECK(store_start(t->st, &t->q) == 0);
    return true;
}

static void trader_close(struct trader *t)
{
    store_close(t->st);
    engine_destroy(t->e);
    spsc_free(&t->q);
}

static long export_rows(const char *db, int what, const char *account)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    char err[512] = "";
    struct export_options o = { .what = what, .tf = -1, .from = INT64_MIN, .to = INT64_MAX, .account = account };
    long n = store_export(db, &o, f, err, sizeof err);
    fclose(f);
    free(buf);
    CHECK_MSG(n >= 0, "%s", err);
    return n;
}

/* Two accounts on one database and the same candles: each its own orders,
 * fills, position, balance and ids; a second writer on one is refused. */
static void accounts_trade_side_by_side(const char *db)
{
    struct trader a = { 0 }, b = { 0 };
    if (!trader_open(&a, db, NULL) || !trader_open(&b, db, "alice"))
        return;
    char err[512] = "", host[256] = "", pid[32];
    gethostname(host, sizeof host - 1);
    snprintf(pid, sizeof pid, "pid %ld", (long)getpid());
    struct store *again = store_open_as(db, &(struct store_open_options){ .account = "alice" }, err, sizeof err);
    CHECK_MSG(!again && strstr(err, "account alice in use by another alphapulse process") && strstr(err, host) &&
              strstr(err, pid), "%s", err);
    store_close(again);
    CHECK(store_open_as(db, &(struct store_open_options){ .account = "Bad name" }, err, sizeof err) == NULL &&
          strstr(err, "--account 'Bad name'"));

    for (int i = 0; i < 3; i++) {
        driver_kline(a.e, "BTCUSDT", T0 + i * MIN, 100, 100, 100, 100);
        driver_kline(b.e, "BTCUSDT", T0 + i * MIN, 100, 100, 100, 100);
    }
    driver_command(a.e, "BTCUSDT", (struct command){ .type = CMD_ORDER, .side = 1, .order_type = ORDER_MARKET,
                                                     .qty = 1 });
    uint64_t b_market = engine_broker(b.e)->next_order;
    driver_command(b.e, "BTCUSDT", (struct command){ .type = CMD_ORDER, .side = 1, .order_type = ORDER_MARKET,
                                                     .qty = 0.25 });
    driver_command(b.e, "BTCUSDT", (struct command){ .type = CMD_ORDER, .side = 1, .order_type = ORDER_LIMIT,
                                                     .price = 80, .qty = 0.5 });
    driver_kline(a.e, "BTCUSDT", T0 + 3 * MIN, 100, 101, 99, 100.5);   /* the market orders fill */
    driver_kline(b.e, "BTCUSDT", T0 + 3 * MIN, 100, 101, 99, 100.5);
    CHECK(b_market > (uint64_t)STORE_ACCOUNT_IDS && b_market < 2 * (uint64_t)STORE_ACCOUNT_IDS);
    CHECK(engine_broker(a.e)->next_order < (uint64_t)STORE_ACCOUNT_IDS);
    double bal_a = engine_broker(a.e)->balance, bal_b = engine_broker(b.e)->balance;
    CHECK(engine_broker(a.e)->pos[0].qty == 1 && engine_broker(b.e)->pos[0].qty == 0.25 && bal_a != bal_b);
    trader_close(&a);
    trader_close(&b);

    /* each restores its own */
    if (!trader_open(&a, db, "default") || !trader_open(&b, db, "alice"))
        return;
    const struct broker *ka = engine_broker(a.e), *kb = engine_broker(b.e);
    CHECK(ka->balance == bal_a && ka->pos[0].qty == 1 && ka->n_orders == 0);
    CHECK(kb->balance == bal_b && kb->pos[0].qty == 0.25 && kb->n_orders == 1);
    CHECK(kb->next_order > b_market + 1 && ka->next_order < (uint64_t)STORE_ACCOUNT_IDS);
    trader_close(&a);
    trader_close(&b);
    CHECK(export_rows(db, EXPORT_TRADES, NULL) == 1 && export_rows(db, EXPORT_TRADES, "alice") == 1);
    CHECK(export_rows(db, EXPORT_TRADES, "nobody") == 0);
    CHECK(sql_long(db, "SELECT count(*) FROM orders WHERE account='alice'") == 2);
    CHECK(sql_long(db, "SELECT number FROM accounts WHERE name='alice'") == 1);
}

static void both(void (*fn)(const char *), const char *file, const char *pgname)
{
    printf("# SQLite\n");
    fn(scratch_path(file));
    printf("# PostgreSQL\n");
    fn(fresh_pg(pgname));
}

static void migration_both(void) { both(migrates_v6_rows_to_default, "v6.db", "v6db"); }
static void side_by_side_both(void) { both(accounts_trade_side_by_side, "two.db", "twodb"); }

int main(void)
{
    if (scratch_make("/tmp/ap-accounts-XXXXXX"))
        return 1;
    char why[2048];
    server = pg_server_start(why, sizeof why);
    if (!server) {
        printf("not ok - postgres_server_starts\n#   %s\n", why);
        return 1;
    }
    RUN(migration_both);
    RUN(side_by_side_both);
    scratch_remove();
    HARNESS_EXIT();
}
