/* The top of book stored with each fill (schema 6): databases at schema 5 are
 * upgraded (SQLite made at version 5; PostgreSQL made current and taken back to
 * 5, its fills without the three columns, then reopened), their old fills keep
 * NULL; then the same events through the real engine into each store: a candle
 * fill before the book syncs (NULL), a market order walking the synced book
 * (best bid, best ask, levels walked) and a limit filled from the tape after its
 * queue traded (levels 0); while the book resyncs after a gap the candle path
 * fills (levels NULL). The export (which leaves the top of book out, as it
 * was before schema 6) is the same bytes from both backends, and
 * a second engine given the same events makes the same fills. */
#include <libpq-fe.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "pg_server.h"
#include "scratch_dir.h"
#include "alphapulse/engine_depth.h"
#include "store_driver.h"

#define T0 1733011200000LL
#define MIN 60000LL
#define OLD_FILL "INSERT INTO fills VALUES(1,1,1000,'ETHUSDT',1,2,3000,0.6,0,9999.4)"

static int64_t fx(double v) { return llround(v * (double)BOOK_SCALE); }

/* bids 99.50 x 1, 99.00 x 5; asks 100.00 x 0.01, 100.50 x 2 */
static void snapshot(struct engine *e)
{
    struct book_level lv[] = { { fx(99.5), fx(1) }, { fx(99), fx(5) }, { fx(100), fx(0.01) }, { fx(100.5), fx(2) } };
    struct depth_update u = { .first_id = 100, .last_id = 100, .nb = 2, .na = 2, .lv = lv };
    struct engine_event ev = { .type = EE_DEPTH };
    for (int i = 0; i < depth_piece_count(&u); i++) {
        depth_piece_make(&u, "BTCUSDT", true, 0, i, &ev.u.depth);
        engine_step(e, &ev);
    }
}

static void trade(struct engine *e, uint64_t id, int64_t at, double px, double qty)
{
    struct engine_event ev = { .type = EE_TRADE };
    snprintf(ev.u.trade.symbol, SYMBOL_MAX, "BTCUSDT");
    ev.u.trade.t = (struct tape_trade){ .id = id, .time_ms = at, .px = fx(px), .qty = fx(qty), .buyer_maker = true };
    engine_step(e, &ev);
}

static void order(struct engine *e, int side, int type, double qty, double price)
{
    driver_command(e, "BTCUSDT", (struct command){ .type = CMD_ORDER, .side = side, .order_type = type,
                                                   .qty = qty, .price = price });
}

/* Three fills: on the candle path, walking the book, from the tape. */
static void script(struct engine *e)
{
    int64_t t = T0;
    driver_kline(e, "BTCUSDT", t, 100, 100, 100, 100);
    order(e, 1, ORDER_MARKET, 0.1, 0);
    driver_kline(e, "BTCUSDT", t += MIN, 100, 101, 99, 100);   /* no book yet: fills at the open */
    snapshot(e);
    CHECK(engine_depth(e, "BTCUSDT")->state == DEPTH_SYNCED);
    order(e, 1, ORDER_MARKET, 0.2, 0);                         /* 0.01 @ 100 + 0.19 @ 100.50 */
    order(e, -1, ORDER_LIMIT, 0.1, 100.5);                     /* 2 ahead of it at 100.50 */
    trade(e, 1, t + MIN + 1, 100.5, 2);
    CHECK(engine_broker(e)->n_orders == 1);
    trade(e, 2, t + MIN + 2, 100.5, 0.1);
    CHECK(engine_broker(e)->n_orders == 0);
}

/* The fill records one engine emits for the script. */
static int fills_of(struct record *out, int max)
{
    static struct spsc q;
    spsc_init(&q, sizeof(struct record), 1 << 12);
    struct engine *e = driver_engine(&q);
    script(e);
    int n = 0;
    struct record r;
    while (spsc_pop(&q, &r))
        if (r.type == REC_FILL && n < max)
            out[n++] = r;
    engine_destroy(e);
    spsc_free(&q);
    return n;
}

static void the_same_events_make_the_same_fills(void)
{
    static struct record a[8], b[8];
    int n = fills_of(a, 8);
    CHECK(n == 3 && fills_of(b, 8) == n);
    for (int i = 0; i < n; i++)
        CHECK_MSG(memcmp(&a[i].u.fill, &b[i].u.fill, sizeof a[i].u.fill) == 0, "fill %d differs", i);
    CHECK(a[0].u.fill.levels == -1);
    CHECK(a[1].u.fill.levels == 2 && a[1].u.fill.bid == 99.5 && a[1].u.fill.ask == 100);
    CHECK_NEAR(a[1].u.fill.price, (0.01 * 100 + 0.19 * 100.5) / 0.2, 1e-12);
    CHECK(a[2].u.fill.levels == 0 && a[2].u.fill.price == 100.5);
}

/* A gap in the update ids throws the book away: while it resyncs a market order
 * waits for the next kline and fills on the candle path with the bps slippage,
 * and trades fill nothing. */
static void a_resyncing_book_falls_back_to_the_candle_path(void)
{
    static struct spsc q;
    spsc_init(&q, sizeof(struct record), 1 << 12);
    struct engine *e = driver_engine(&q);
    driver_kline(e, "BTCUSDT", T0, 100, 100, 100, 100);
    snapshot(e);
    struct book_level lv[] = { { fx(99.5), fx(2) } };
    struct depth_update gap = { .first_id = 105, .last_id = 105, .nb = 1, .lv = lv };
    struct engine_event ev = { .type = EE_DEPTH };
    depth_piece_make(&gap, "BTCUSDT", false, 0, 0, &ev.u.depth);
    engine_step(e, &ev);
    CHECK(engine_depth(e, "BTCUSDT")->state == DEPTH_RESYNCING);
    order(e, 1, ORDER_MARKET, 0.1, 0);
    trade(e, 1, T0 + MIN + 1, 100, 1);
    CHECK(engine_broker(e)->n_orders == 1);
    driver_kline(e, "BTCUSDT", T0 + MIN, 101, 102, 100, 101);
    CHECK(engine_broker(e)->n_orders == 0);
    struct record r, fill = { 0 };
    while (spsc_pop(&q, &r))
        if (r.type == REC_FILL)
            fill = r;
    CHECK(fill.type == REC_FILL && fill.u.fill.levels == -1 && fill.u.fill.bid == 0);
    CHECK_NEAR(fill.u.fill.price, 101.02, 1e-12);   /* 101 + 1 bps (engine_config_defaults), up to the tick */
    engine_destroy(e);
    spsc_free(&q);
}

/* "1|2|3" for each fill by id: bid, ask, levels ("" for NULL). */
static void rows_sqlite(const char *path, char *out, size_t n)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *q = NULL;
    out[0] = 0;
    if (sqlite3_open(path, &db) == SQLITE_OK &&
        sqlite3_prepare_v2(db,
                           "SELECT iif(bid IS NULL,'',printf('%g',bid)),iif(ask IS NULL,'',printf('%g',ask)),"
                           "coalesce(levels,'') FROM fills ORDER BY id",
                           -1, &q, NULL) == SQLITE_OK)
        while (sqlite3_step(q) == SQLITE_ROW) {
            size_t k = strlen(out);
            snprintf(out + k, n - k, "%s|%s|%s;", sqlite3_column_text(q, 0), sqlite3_column_text(q, 1),
                     sqlite3_column_text(q, 2));
        }
    sqlite3_finalize(q);
    sqlite3_close(db);
}

static void rows_pg(const char *url, char *out, size_t n)
{
    PGconn *c = PQconnectdb(url);
    PGresult *r = PQexec(c, "SELECT coalesce(bid::text,''),coalesce(ask::text,''),coalesce(levels::text,'') "
                            "FROM fills ORDER BY id");
    out[0] = 0;
    for (int i = 0; PQresultStatus(r) == PGRES_TUPLES_OK && i < PQntuples(r); i++) {
        size_t k = strlen(out);
        snprintf(out + k, n - k, "%s|%s|%s;", PQgetvalue(r, i, 0), PQgetvalue(r, i, 1), PQgetvalue(r, i, 2));
    }
    PQclear(r);
    PQfinish(c);
}

static void rows(const char *db, char *out, size_t n)
{
    if (store_is_url(db))
        rows_pg(db, out, n);
    else
        rows_sqlite(db, out, n);
}

static void run_script(struct engine *e, void *ctx)
{
    (void)ctx;
    script(e);
}

/* The script through the engine into the store (opened, so upgraded). */
static void store_script(const char *db)
{
    if (driver_store_run(db, run_script, NULL))
        return;
    char got[512];
    rows(db, got, sizeof got);
    CHECK_MSG(strcmp(got, "||;||;99.5|100|2;99.5|100|0;") == 0, "%s: %s", db, got);
}

static void exports_alike(const char *db)
{
    static char *first;
    char *buf = NULL, err[512] = "";
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    struct export_options o = { .what = EXPORT_TRADES, .tf = -1, .from = INT64_MIN, .to = INT64_MAX };
    long n = store_export(db, &o, f, err, sizeof err);
    fclose(f);
    CHECK_MSG(n == 4, "%s: %ld rows %s", db, n, err);
    if (!first) {
        first = buf;
        return;
    }
    CHECK_MSG(strcmp(first, buf) == 0, "sqlite:\n%s\npg:\n%s", first, buf);
    free(buf);
}

static void sqlite_upgrades_from_5_and_stores_the_top_of_book(void)
{
    const char *path = scratch_path("v5.db");
    char err[512] = "";
    CHECK_MSG(store_create_at_version(path, 5, err, sizeof err) == 0, "%s", err);
    sqlite3 *db;
    CHECK(sqlite3_open(path, &db) == SQLITE_OK);
    CHECK(sqlite3_exec(db, OLD_FILL, NULL, NULL, NULL) == SQLITE_OK);
    sqlite3_close(db);
    store_script(path);
    exports_alike(path);
}

static const char *url;

static void postgres_upgrades_from_5_and_stores_the_top_of_book(void)
{
    char err[512] = "";
    struct store *st = store_open(url, err, sizeof err);      /* made at the current version */
    CHECK_MSG(st != NULL, "%s", err);
    store_close(st);
    PGconn *c = PQconnectdb(url);
    /* back to version 5: the later versions' tables and columns go (7: agg_trades) */
    PGresult *r = PQexec(c, "ALTER TABLE fills DROP COLUMN bid, DROP COLUMN ask, DROP COLUMN levels;"
                            "DROP TABLE agg_trades; DELETE FROM alphapulse_schema WHERE version >= 6;" OLD_FILL);
    CHECK_MSG(PQresultStatus(r) == PGRES_COMMAND_OK, "%s", PQresultErrorMessage(r));
    PQclear(r);
    PQfinish(c);
    store_script(url);
    exports_alike(url);
}

int main(void)
{
    RUN(the_same_events_make_the_same_fills);
    RUN(a_resyncing_book_falls_back_to_the_candle_path);
    if (scratch_make("/tmp/ap-fillbook-XXXXXX"))
        return 1;
    RUN(sqlite_upgrades_from_5_and_stores_the_top_of_book);
    scratch_remove();
    char why[2048];
    url = pg_server_start(why, sizeof why);
    if (!url) {
        printf("not ok - postgres_server_starts\n#   %s\n", why);
        return 1;
    }
    RUN(postgres_upgrades_from_5_and_stores_the_top_of_book);
    HARNESS_EXIT();
}
