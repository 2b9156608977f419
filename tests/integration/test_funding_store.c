/* Funding is a money record: a long held across two funding times, driven
 * through the engine into the store (SQLite and a private PostgreSQL server,
 * tests/pg/pg_server.sh), then the store closed and reopened: the restored
 * balance and the position's realized PnL are exactly what they were, and both
 * payments are stored once each with the balance after them and are not booked
 * again after the restart. */
#include <libpq-fe.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "pg_server.h"
#include "store_driver.h"

#define T0 1733011200000LL
#define MIN 60000LL

static void ticker(struct engine *e, int64_t at, double mark, double rate, int64_t next)
{
    struct engine_event ev = { .type = EE_TICKER };
    snprintf(ev.u.tk.symbol, sizeof ev.u.tk.symbol, "BTCUSDT");
    ev.u.tk.have = TICKER_HAVE_MARK | TICKER_HAVE_RATE | TICKER_HAVE_NEXT;
    ev.u.tk.mark = mark;
    ev.u.tk.funding_rate = rate;
    ev.u.tk.next_funding = next;
    ev.u.tk.time = at;
    engine_step(e, &ev);
}

/* A long of 2 pays funding twice; returns the balance and realized after. */
static void trade_and_fund(struct engine *e, double *balance, double *realized)
{
    int64_t t = T0, f1 = T0 + 8 * MIN, f2 = T0 + 16 * MIN;
    driver_kline(e, "BTCUSDT", t, 100, 100, 100, 100);
    t += MIN;
    ticker(e, t, 100, 0.0001, f1);
    driver_command(e, "BTCUSDT", (struct command){ .type = CMD_ORDER, .side = 1, .order_type = ORDER_MARKET,
                                                   .qty = 2 });
    driver_kline(e, "BTCUSDT", t, 100, 100, 100, 100);
    const struct broker *b = engine_broker(e);
    double b0 = b->balance;
    ticker(e, f1 + 10, 101.37, 0.000137, f2);
    ticker(e, f2 + 5, 99.91, -0.000071, f2 + 8 * MIN);
    CHECK(b->pos[0].qty == 2 && b->balance != b0);
    *balance = b->balance;
    *realized = b->pos[0].realized;
}

static long funding_rows(const char *db)
{
    long n = -1;
    if (store_is_url(db)) {
        PGconn *c = PQconnectdb(db);
        PGresult *r = PQexec(c, "SELECT count(*) FROM funding");
        if (PQresultStatus(r) == PGRES_TUPLES_OK)
            n = atol(PQgetvalue(r, 0, 0));
        PQclear(r);
        PQfinish(c);
        return n;
    }
    sqlite3 *s = NULL;
    sqlite3_stmt *q = NULL;
    if (sqlite3_open(db, &s) == SQLITE_OK &&
        sqlite3_prepare_v2(s, "SELECT count(*) FROM funding", -1, &q, NULL) == SQLITE_OK &&
        sqlite3_step(q) == SQLITE_ROW)
        n = sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
    sqlite3_close(s);
    return n;
}

/* export trades: both payments as rows of their own, the same bytes from either backend */
static void exports_funding(const char *db)
{
    static char *first;
    char *buf = NULL, err[512] = "";
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    struct export_options o = { .what = EXPORT_TRADES, .tf = -1, .from = INT64_MIN, .to = INT64_MAX };
    long rows = store_export(db, &o, f, err, sizeof err);
    fclose(f);
    CHECK_MSG(rows == 3, "%s: %ld rows %s", db, rows, err);
    int n = 0;
    for (const char *p = buf; p && (p = strstr(p, ",funding")); p++)
        n++;
    CHECK_MSG(n == 2, "%s: %s", db, buf);
    if (!first)
        first = buf;
    else {
        CHECK_MSG(strcmp(first, buf) == 0, "sqlite:\n%s\npg:\n%s", first, buf);
        free(buf);
    }
}

static void run_trade_and_fund(struct engine *e, void *ctx)
{
    double *after = ctx;
    trade_and_fund(e, &after[0], &after[1]);
}

static void restores_after_funding(const char *db)
{
    double after[2] = { 0, 0 };
    if (driver_store_run(db, run_trade_and_fund, after))
        return;
    double balance = after[0], realized = after[1];
    CHECK_MSG(funding_rows(db) == 2, "%s: %ld funding rows", db, funding_rows(db));
    exports_funding(db);

    char err[512] = "";
    struct store *st = store_open(db, err, sizeof err);
    CHECK_MSG(st != NULL, "%s: %s", db, err);
    if (!st)
        return;
    struct engine *e = driver_engine(NULL);
    CHECK(store_restore(st, e, 100) == 0);
    const struct broker *b = engine_broker(e);
    CHECK_MSG(b->balance == balance, "%s: balance %.17g, was %.17g", db, b->balance, balance);
    CHECK_MSG(b->pos[0].realized == realized, "%s: realized %.17g, was %.17g", db, b->pos[0].realized, realized);
    CHECK(b->pos[0].qty == 2);
    /* a push that says the second funding time again (a replay, a reconnect) books nothing */
    ticker(e, T0 + 16 * MIN + 100, 99.5, 0.0001, T0 + 16 * MIN);
    ticker(e, T0 + 16 * MIN + 200, 99.5, 0.0001, T0 + 24 * MIN);
    CHECK_MSG(b->balance == balance, "%s: booked again after the restart: %.17g", db, b->balance);
    engine_destroy(e);
    store_close(st);
}

static char dir[64];
static const char *url;

static void sqlite_restores_funding(void)
{
    char db[128];
    snprintf(db, sizeof db, "%s/funding.db", dir);
    restores_after_funding(db);
}

static void postgres_restores_funding(void) { restores_after_funding(url); }

int main(void)
{
    snprintf(dir, sizeof dir, "/tmp/ap-fundstore-XXXXXX");
    if (!mkdtemp(dir))
        return 1;
    RUN(sqlite_restores_funding);
    char why[2048];
    url = pg_server_start(why, sizeof why);
    if (!url) {
        printf("not ok - postgres_server_starts\n#   %s\n", why);
        return 1;
    }
    RUN(postgres_restores_funding);
    char cmd[256];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0)
        printf("# could not remove %s\n", dir);
    HARNESS_EXIT();
}
