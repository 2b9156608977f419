/* Every order's life ends in the orders table: the real engine with the real store
 * thread writing a temporary SQLite file. Orders are placed, one cancelled by id,
 * one by cancel-all, a bracket's target closes the position (its stop goes with
 * it and a reduce-only exit order is cancelled), a reduce-only order that can
 * only add is rejected when it triggers, and the kill switch cancels the working
 * ones. Then the table is read with sqlite3: each row's status, reason and
 * update time, and no row is 'placed' unless the broker still works it (also
 * after a restart). */
#include <sqlite3.h>
#include <stdlib.h>
#include <unistd.h>

#include "harness.h"
#include "alphapulse/engine.h"
#include "alphapulse/record.h"
#include "alphapulse/store.h"
#include "engine_driver.h"

#define T0 1733011200000LL          /* 2024-12-01T00:00Z */
#define MIN 60000LL

static struct engine *e;
static int64_t t;

static struct engine *make(struct spsc *records) { return driver_engine(records); }

/* A closed 1m candle; its event time (the engine's clock) is its last millisecond. */
static void kline(double o, double h, double l, double c)
{
    driver_kline(e, "BTCUSDT", t, o, h, l, c);
    t += MIN;
}

static int64_t now(void) { return t - 1; }      /* the last candle's event time */

static uint64_t order(struct command c)
{
    uint64_t before = engine_broker(e)->next_order;
    driver_command(e, "BTCUSDT", c);
    return engine_broker(e)->next_order > before ? before : 0;   /* the id it got, 0: refused */
}

static void cmd(struct command c) { order(c); }

struct row { char status[16], reason[64]; int64_t updated; bool found; };

static struct row row_of(sqlite3 *db, uint64_t id)
{
    struct row r = { .found = false };
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(db, "SELECT status, reason, updated FROM orders WHERE id=?", -1, &s, NULL) != SQLITE_OK)
        return r;
    sqlite3_bind_int64(s, 1, (sqlite3_int64)id);
    if (sqlite3_step(s) == SQLITE_ROW) {
        r.found = true;
        snprintf(r.status, sizeof r.status, "%s", (const char *)sqlite3_column_text(s, 0));
        snprintf(r.reason, sizeof r.reason, "%s", (const char *)sqlite3_column_text(s, 1));
        r.updated = sqlite3_column_int64(s, 2);
    }
    sqlite3_finalize(s);
    return r;
}

static double q_double(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *s;
    double v = NAN;
    if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
        v = sqlite3_column_double(s, 0);
    sqlite3_finalize(s);
    return v;
}

#define CHECK_ROW(db, id, st, why, at) do { struct row r_ = row_of(db, id); \
    CHECK_MSG(r_.found && strcmp(r_.status, st) == 0 && strstr(r_.reason, why) && r_.updated == (at), \
              "order %llu: %s '%s' updated %lld, expected %s '%s' updated %lld", (unsigned long long)(id), \
              r_.found ? r_.status : "missing", r_.reason, (long long)r_.updated, st, why, (long long)(at)); } while (0)

/* Rows still 'placed' that the broker does not work: must be none. */
static int stale_placed(sqlite3 *db, const struct broker *b, int *placed)
{
    sqlite3_stmt *s;
    int stale = 0;
    *placed = 0;
    sqlite3_prepare_v2(db, "SELECT id FROM orders WHERE status='placed'", -1, &s, NULL);
    while (sqlite3_step(s) == SQLITE_ROW) {
        uint64_t id = (uint64_t)sqlite3_column_int64(s, 0);
        (*placed)++;
        if (!broker_order_find(b, id)) {
            printf("#   order %llu is 'placed' in the database but not working\n", (unsigned long long)id);
            stale++;
        }
    }
    sqlite3_finalize(s);
    return stale;
}

static void remove_db(const char *path) { driver_remove_db(path); }

static void every_order_ends_in_a_stored_status(void)
{
    char path[] = "/tmp/ap_orders_XXXXXX", err[256];
    int fd = mkstemp(path);
    close(fd);
    struct store *st = store_open(path, err, sizeof err);
    CHECK_MSG(st, "%s", err);
    if (!st)
        return;
    struct spsc rq;
    spsc_init(&rq, sizeof(struct record), 1 << 12);
    e = make(&rq);
    CHECK(store_start(st, &rq) == 0);
    t = T0;
    kline(100, 100, 100, 100);

    /* cancelled by id, and by cancel-all of the symbol */
    uint64_t a = order((struct command){ .type = CMD_ORDER, .side = 1, .order_type = ORDER_LIMIT, .price = 90, .qty = 1 });
    CHECK(a > 0);
    cmd((struct command){ .type = CMD_CANCEL, .order_id = a });
    int64_t t_a = now();
    kline(100, 100, 100, 100);
    uint64_t h = order((struct command){ .type = CMD_ORDER, .side = 1, .order_type = ORDER_LIMIT, .price = 85, .qty = 1 });
    CHECK(h > 0);
    cmd((struct command){ .type = CMD_CANCEL });
    int64_t t_h = now();

    /* a bracket: stop 95, target 105; a reduce-only sell limit at 108 as a further exit */
    uint64_t b = order((struct command){ .type = CMD_ORDER, .side = 1, .order_type = ORDER_MARKET, .qty = 1,
                                         .stop_loss = 95, .tp = { 105 } });
    CHECK(b > 0);
    kline(100, 101, 99.5, 100.5);                         /* b fills */
    int64_t t_b = now();
    uint64_t c = order((struct command){ .type = CMD_ORDER, .side = -1, .order_type = ORDER_LIMIT, .price = 108,
                                         .qty = 1, .reduce_only = true });
    CHECK(c > 0);
    kline(100.5, 106, 100.2, 105.5);                      /* the target fills: flat, stop gone, c cancelled */
    int64_t t_c = now();
    const struct broker *k = engine_broker(e);
    CHECK(k->pos[0].qty == 0 && k->pos[0].br.stop == 0 && k->n_orders == 0);

    /* a reduce-only buy while long can only add: refused when it triggers */
    uint64_t f = order((struct command){ .type = CMD_ORDER, .side = 1, .order_type = ORDER_MARKET, .qty = 1 });
    kline(105.5, 105.8, 105.2, 105.5);                    /* f fills */
    int64_t t_f = now();
    uint64_t i = order((struct command){ .type = CMD_ORDER, .side = 1, .order_type = ORDER_LIMIT, .price = 104,
                                         .qty = 1, .reduce_only = true });
    CHECK(f > 0 && i > 0);
    kline(105.5, 105.6, 103.9, 105);                      /* i triggers at 104: rejected */
    int64_t t_i = now();

    /* the kill switch with two working orders and a position */
    uint64_t d = order((struct command){ .type = CMD_ORDER, .side = 1, .order_type = ORDER_LIMIT, .price = 80, .qty = 1 });
    uint64_t x = order((struct command){ .type = CMD_ORDER, .side = 1, .order_type = ORDER_STOP, .price = 130, .qty = 1 });
    CHECK(d > 0 && x > 0 && k->n_orders == 2);
    uint64_t g = k->next_order;                            /* the kill switch's closing order */
    cmd((struct command){ .type = CMD_KILL });
    int64_t t_kill = now();
    CHECK(k->n_orders == 1 && broker_order_find(k, g) && broker_order_find(k, g)->reduce_only);
    kline(105, 105.2, 104.8, 105);                        /* g fills */
    int64_t t_g = now();
    CHECK(k->pos[0].qty == 0 && k->n_orders == 0);
    store_stop(st);                                       /* drains the queue: all of it is on disk */

    sqlite3 *db;
    CHECK(sqlite3_open(path, &db) == SQLITE_OK);
    CHECK_ROW(db, a, "cancelled", "cancelled", t_a);
    CHECK_ROW(db, h, "cancelled", "all of the symbol", t_h);
    CHECK_ROW(db, b, "filled", "", t_b);
    CHECK_ROW(db, c, "cancelled", "position closed", t_c);
    CHECK_ROW(db, f, "filled", "", t_f);
    CHECK_ROW(db, i, "rejected", "nothing to reduce", t_i);
    CHECK_ROW(db, d, "cancelled", "kill switch", t_kill);
    CHECK_ROW(db, x, "cancelled", "kill switch", t_kill);
    CHECK_ROW(db, g, "filled", "reduce only", t_g);
    /* the placement time stays; a cancel keeps qty and price */
    char sql[160];
    snprintf(sql, sizeof sql, "SELECT time FROM orders WHERE id=%llu AND price=90 AND qty=1", (unsigned long long)a);
    CHECK(q_double(db, sql) == (double)(T0 + MIN - 1));
    CHECK(q_double(db, "SELECT count(*) FROM orders") == 9);
    /* the bracket's stop left with the position: nothing of it is stored as working */
    CHECK(q_double(db, "SELECT stop + trail + tp1 FROM paper_exits WHERE symbol='BTCUSDT'") == 0);
    CHECK(q_double(db, "SELECT count(*) FROM paper_orders") == 0);
    int placed = -1;
    CHECK(stale_placed(db, k, &placed) == 0);
    CHECK(placed == 0);
    /* the journal says why the broker ended the two it ended on its own */
    snprintf(sql, sizeof sql, "SELECT count(*) FROM journal WHERE text='order #%llu cancelled BTCUSDT: reduce only:"
             " position closed'", (unsigned long long)c);
    CHECK(q_double(db, sql) == 1);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM journal WHERE text='order #%llu rejected BTCUSDT: reduce only:"
             " nothing to reduce'", (unsigned long long)i);
    CHECK(q_double(db, sql) == 1);
    sqlite3_close(db);
    store_close(st);
    engine_destroy(e);

    /* after a restart the broker works nothing, and the table agrees */
    st = store_open(path, err, sizeof err);
    e = make(NULL);
    CHECK(st && store_restore(st, e, 100) == 0);
    CHECK(engine_broker(e)->n_orders == 0);
    CHECK(sqlite3_open(path, &db) == SQLITE_OK);
    CHECK(stale_placed(db, engine_broker(e), &placed) == 0);
    sqlite3_close(db);
    store_close(st);
    engine_destroy(e);
    spsc_free(&rq);
    remove_db(path);
}

/* A working order still 'placed' after a restart is one the broker works again. */
static void working_orders_stay_placed_across_a_restart(void)
{
    char path[] = "/tmp/ap_orders_XXXXXX", err[256];
    int fd = mkstemp(path);
    close(fd);
    struct store *st = store_open(path, err, sizeof err);
    CHECK_MSG(st, "%s", err);
    if (!st)
        return;
    struct spsc rq;
    spsc_init(&rq, sizeof(struct record), 1 << 12);
    e = make(&rq);
    CHECK(store_start(st, &rq) == 0);
    t = T0;
    kline(100, 100, 100, 100);
    uint64_t a = order((struct command){ .type = CMD_ORDER, .side = 1, .order_type = ORDER_LIMIT, .price = 90, .qty = 1 });
    uint64_t b = order((struct command){ .type = CMD_ORDER, .side = 1, .order_type = ORDER_LIMIT, .price = 91, .qty = 1 });
    cmd((struct command){ .type = CMD_CANCEL, .order_id = b });
    store_stop(st);
    store_close(st);
    engine_destroy(e);
    st = store_open(path, err, sizeof err);
    e = make(NULL);
    CHECK(st && store_restore(st, e, 100) == 0);
    CHECK(engine_broker(e)->n_orders == 1 && broker_order_find(engine_broker(e), a));
    sqlite3 *db;
    CHECK(sqlite3_open(path, &db) == SQLITE_OK);
    int placed = -1;
    CHECK(stale_placed(db, engine_broker(e), &placed) == 0);
    CHECK(placed == 1);
    CHECK_ROW(db, b, "cancelled", "cancelled", T0 + MIN - 1);
    sqlite3_close(db);
    store_close(st);
    engine_destroy(e);
    spsc_free(&rq);
    remove_db(path);
}

int main(void)
{
    RUN(every_order_ends_in_a_stored_status);
    RUN(working_orders_stay_placed_across_a_restart);
    HARNESS_EXIT();
}
