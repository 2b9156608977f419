/* An amended working order through the real engine and the real store thread (a
 * temporary SQLite file): the amend and a refused one are journalled with the
 * reason, the stored book and the orders table carry the new price and size,
 * a restart restores the order as amended, and it then fills at its new price. */
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

static void kline(double o, double h, double l, double c)
{
    driver_kline(e, "BTCUSDT", t, o, h, l, c);
    t += MIN;
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

static int journal_has(sqlite3 *db, const char *like)
{
    char sql[300];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM journal WHERE text LIKE '%s'", like);
    return (int)q_double(db, sql);
}

static void amend(uint64_t id, double price, double qty)
{
    driver_command(e, "BTCUSDT", (struct command){ .type = CMD_MODIFY, .order_id = id, .price = price, .qty = qty });
}

static void amended_order_is_journalled_stored_and_restored(void)
{
    char path[] = "/tmp/ap_amend_XXXXXX", err[256];
    int fd = mkstemp(path);
    close(fd);
    struct store *st = store_open(path, err, sizeof err);
    CHECK_MSG(st, "%s", err);
    if (!st)
        return;
    struct spsc rq;
    spsc_init(&rq, sizeof(struct record), 1 << 12);
    e = driver_engine(&rq);
    CHECK(store_start(st, &rq) == 0);
    t = T0;
    kline(100, 100, 100, 100);
    uint64_t id = engine_broker(e)->next_order;
    driver_command(e, "BTCUSDT", (struct command){ .type = CMD_ORDER, .side = 1, .order_type = ORDER_LIMIT,
                                                   .price = 90, .qty = 1 });
    CHECK(broker_order_find(engine_broker(e), id));
    amend(id, 92.004, 0);                                /* snapped to the tick 0.01 */
    amend(id, 0, 1.500004);                              /* snapped down to the step 0.00001 */
    amend(id, 0, 50);                                    /* 4600 USDT: over the position limit */
    amend(id, 0, 0.00001);                               /* 0.00092 USDT: below the 5 USDT minimum */
    const struct broker_order *o = broker_order_find(engine_broker(e), id);
    CHECK(o && fabs(o->price - 92) < 1e-9 && fabs(o->qty - 1.5) < 1e-9);
    kline(100, 100, 95, 96);                             /* nothing reaches 92: still working */
    store_stop(st);

    sqlite3 *db;
    CHECK(sqlite3_open(path, &db) == SQLITE_OK);
    char sql[200], pat[200];
    snprintf(sql, sizeof sql, "SELECT price * 1000 + qty FROM paper_orders WHERE id=%llu", (unsigned long long)id);
    CHECK_NEAR(q_double(db, sql), 92000 + 1.5, 1e-6);
    snprintf(sql, sizeof sql, "SELECT price * 1000 + qty FROM orders WHERE id=%llu AND status='placed'",
             (unsigned long long)id);
    CHECK_NEAR(q_double(db, sql), 92000 + 1.5, 1e-6);
    snprintf(pat, sizeof pat, "order #%llu amended BTCUSDT: price 90 -> 92", (unsigned long long)id);
    CHECK_MSG(journal_has(db, pat) == 1, "journal: %s", pat);
    snprintf(pat, sizeof pat, "order #%llu amended BTCUSDT: qty 1 -> 1.5", (unsigned long long)id);
    CHECK_MSG(journal_has(db, pat) == 1, "journal: %s", pat);
    snprintf(pat, sizeof pat, "amend #%llu rejected by max position:%%", (unsigned long long)id);
    CHECK_MSG(journal_has(db, pat) == 1, "journal: %s", pat);
    snprintf(pat, sizeof pat, "amend #%llu rejected: below the minimum notional", (unsigned long long)id);
    CHECK_MSG(journal_has(db, pat) == 1, "journal: %s", pat);
    snprintf(pat, sizeof pat, "command %d BTCUSDT %% order %llu", CMD_MODIFY, (unsigned long long)id);
    CHECK_MSG(journal_has(db, pat) == 4, "journal: %s", pat);
    sqlite3_close(db);
    store_close(st);
    engine_destroy(e);

    /* a restart works the order as amended, and it fills at its new price */
    st = store_open(path, err, sizeof err);
    e = driver_engine(&rq);
    CHECK(st && store_restore(st, e, 100) == 0);
    o = broker_order_find(engine_broker(e), id);
    CHECK(o && fabs(o->price - 92) < 1e-9 && fabs(o->qty - 1.5) < 1e-9);
    CHECK(st && store_start(st, &rq) == 0);
    kline(96, 96, 91.5, 93);
    const struct position *p = &engine_broker(e)->pos[0];
    CHECK_NEAR(p->qty, 1.5, 1e-9);
    CHECK_NEAR(p->avg, 92, 1e-9);
    store_stop(st);
    store_close(st);
    engine_destroy(e);
    spsc_free(&rq);
    driver_remove_db(path);
}

int main(void)
{
    RUN(amended_order_is_journalled_stored_and_restored);
    HARNESS_EXIT();
}
