/* A working limit order's place in its level's queue survives a restart
 * (schema 9: paper_orders.queue), on SQLite and on PostgreSQL: the real engine
 * into the store, stopped, then a new engine restored from it. The queue is
 * stored when measured and, as trades move it, at most once a minute of event
 * time; restored, it is kept unless the level now holds less (what rested ahead
 * can only have left), and it fills after exactly what was still ahead of it.
 * A database of the version before is upgraded, its stored orders unmeasured
 * (-1: they queue again at their level). */
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
#define QUEUE_VERSION 9          /* the schema that stores the queue */
#define OLD_ORDER                                                                                          \
    "INSERT INTO paper_orders(id,symbol,side,type,qty,price,reduce_only,source,placed,stop,trail,tp1,tp2,tp3,tp4," \
    "f1,f2,f3,f4) VALUES(7,'BTCUSDT',1,1,1,90,0,0,60000,0,0,0,0,0,0,0,0,0,0)"

static int64_t fx(double v) { return llround(v * (double)BOOK_SCALE); }

/* bids 99.50 x 1, 99.00 x at99; asks 100.00 x 1 */
static void snapshot(struct engine *e, double at99)
{
    struct book_level lv[] = { { fx(99.5), fx(1) }, { fx(99), fx(at99) }, { fx(100), fx(1) } };
    struct depth_update u = { .first_id = 100, .last_id = 100, .nb = 2, .na = 1, .lv = lv };
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

static const struct broker_order *limit_of(struct engine *e)
{
    const struct broker *b = engine_broker(e);
    for (int i = 0; i < BROKER_MAX_ORDERS; i++)
        if (b->ord[i].active && b->ord[i].type == ORDER_LIMIT)
            return &b->ord[i];
    return NULL;
}

/* Before the restart: a buy limit of 1 at 99 behind the 5 resting there (queue
 * 6); 3 trade at once (not stored yet: less than a minute), then 1 more two
 * minutes later (stored: 2 left). */
static void before(struct engine *e, void *ctx)
{
    (void)ctx;
    driver_kline(e, "BTCUSDT", T0, 100, 100, 100, 100);
    snapshot(e, 5);
    driver_command(e, "BTCUSDT", (struct command){ .type = CMD_ORDER, .side = 1, .order_type = ORDER_LIMIT,
                                                   .qty = 1, .price = 99 });
    const struct broker_order *o = limit_of(e);
    CHECK(o && o->queue == 6);
    trade(e, 1, T0 + MIN + 1, 99, 3);
    trade(e, 2, T0 + 3 * MIN, 99, 1);
    CHECK(o && o->queue == 2 && engine_broker(e)->n_orders == 1);
}

/* After it: the level holds `at99` now; the order's queue is then `want`, and
 * it fills on the trade that takes the last of it, not before. */
struct after { double at99, want; };
static void after(struct engine *e, void *ctx)
{
    const struct after *a = ctx;
    const struct broker_order *o = limit_of(e);
    CHECK_MSG(o != NULL, "the limit order was not restored");
    if (!o)
        return;
    snapshot(e, a->at99);
    CHECK_MSG(o->queue == a->want, "queue %g, want %g", o->queue, a->want);
    trade(e, 3, T0 + 4 * MIN, 99, a->want - 0.5);
    CHECK(engine_broker(e)->n_orders == 1);
    trade(e, 4, T0 + 4 * MIN + 1, 99, 0.5);
    CHECK(engine_broker(e)->n_orders == 0 && engine_broker(e)->pos[0].qty == 1);
}

static double stored_queue_sqlite(const char *path)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *q = NULL;
    double v = -999;
    if (sqlite3_open(path, &db) == SQLITE_OK &&
        sqlite3_prepare_v2(db, "SELECT queue FROM paper_orders WHERE type = 1 AND price = 99", -1, &q, NULL) ==
            SQLITE_OK &&
        sqlite3_step(q) == SQLITE_ROW)
        v = sqlite3_column_double(q, 0);
    sqlite3_finalize(q);
    sqlite3_close(db);
    return v;
}

static double stored_queue_pg(const char *url)
{
    PGconn *c = PQconnectdb(url);
    PGresult *r = PQexec(c, "SELECT queue FROM paper_orders WHERE type = 1 AND price = 99");
    double v = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1 ? atof(PQgetvalue(r, 0, 0)) : -999;
    PQclear(r);
    PQfinish(c);
    return v;
}

static double stored_queue(const char *db) { return store_is_url(db) ? stored_queue_pg(db) : stored_queue_sqlite(db); }

/* The old row of the version before, upgraded: unmeasured, and cancelled here
 * so that the runs below see only their own order. */
static void old_order_unmeasured(struct engine *e, void *ctx)
{
    (void)ctx;
    const struct broker_order *o = limit_of(e);
    CHECK(o && o->id == 7 && o->queue < 0);
    if (o)
        driver_command(e, "BTCUSDT", (struct command){ .type = CMD_CANCEL, .order_id = o->id });
    CHECK(engine_broker(e)->n_orders == 0);
}

static void restarts(const char *db)
{
    driver_store_run(db, old_order_unmeasured, NULL);
    driver_store_run(db, before, NULL);
    CHECK_MSG(stored_queue(db) == 2, "%s: stored queue %g", db, stored_queue(db));
    /* the level still holds 5: the order keeps its place (2 ahead), not the back (6) */
    driver_store_run(db, after, &(struct after){ 5, 2 });
}

static void exec_sqlite(const char *path, const char *sql)
{
    sqlite3 *db;
    CHECK(sqlite3_open(path, &db) == SQLITE_OK);
    CHECK_MSG(sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK, "%s", sqlite3_errmsg(db));
    sqlite3_close(db);
}

static void exec_pg(const char *url, const char *sql)
{
    PGconn *c = PQconnectdb(url);
    PGresult *r = PQexec(c, sql);
    CHECK_MSG(PQresultStatus(r) == PGRES_COMMAND_OK, "%s", PQresultErrorMessage(r));
    PQclear(r);
    PQfinish(c);
}

static void sqlite_keeps_the_queue_across_a_restart(void)
{
    const char *path = scratch_path("q.db");
    char err[512] = "";
    CHECK_MSG(store_create_at_version(path, QUEUE_VERSION - 1, err, sizeof err) == 0, "%s", err);
    exec_sqlite(path, OLD_ORDER);
    restarts(path);
    /* a level that lost volume while the console was down: the order is at most its back */
    const char *p2 = scratch_path("q2.db");
    driver_store_run(p2, before, NULL);
    driver_store_run(p2, after, &(struct after){ 0.5, 1.5 });
}

static const char *url;

static void postgres_keeps_the_queue_across_a_restart(void)
{
    char err[512] = "";
    CHECK_MSG(store_create_at_version(url, QUEUE_VERSION - 1, err, sizeof err) == 0, "%s", err);
    exec_pg(url, OLD_ORDER);
    restarts(url);
}

int main(void)
{
    if (scratch_make("/tmp/ap-queue-XXXXXX"))
        return 1;
    RUN(sqlite_keeps_the_queue_across_a_restart);
    scratch_remove();
    char why[2048];
    url = pg_server_start(why, sizeof why);
    if (!url) {
        printf("not ok - postgres_server_starts\n#   %s\n", why);
        return 1;
    }
    RUN(postgres_keeps_the_queue_across_a_restart);
    HARNESS_EXIT();
}
