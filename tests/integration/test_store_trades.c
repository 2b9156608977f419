/* storage.trades: the engine records a venue's trades (REC_TRADE) only when
 * storage.trades is on, never the demo's simulated ones; the store writes them
 * into agg_trades on SQLite and on a real PostgreSQL server (tests/pg/pg_server.sh),
 * a trade delivered twice is one row, retention prunes them per symbol by the
 * newest trade, `export tape` writes the same bytes from both backends, and a
 * database of the schema version before agg_trades is upgraded with its rows
 * kept, on both. */
#include <libpq-fe.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <time.h>

#include "harness.h"
#include "pg_server.h"
#include "scratch_dir.h"
#include "store_upgrade.h"
#include "alphapulse/engine.h"
#include "alphapulse/record.h"
#include "alphapulse/store.h"

static const char *url;

#define TRADES_VERSION 8              /* the schema version that added agg_trades */

#define T0 1733011200000LL            /* 2024-12-01T00:00Z */
#define DAY 86400000LL

/* Trades the engine queues for three events: a venue's, a simulated one, a
 * repeat of the first (a tape ignores it). */
static int engine_trade_records(bool store_trades)
{
    struct engine_config cfg;
    struct instrument inst[1] = { { .symbol = "BTCUSDT", .tick = 0.01, .step = 0.00001 } };
    engine_config_defaults(&cfg);
    cfg.inst = inst;
    cfg.n_symbols = 1;
    cfg.store_trades = store_trades;
    struct spsc q;
    spsc_init(&q, sizeof(struct record), 64);
    struct engine *e = engine_create(&cfg, &q);
    struct engine_event ev = { .type = EE_TRADE };
    snprintf(ev.u.trade.symbol, SYMBOL_MAX, "BTCUSDT");
    ev.u.trade.t = (struct tape_trade){ .id = 7, .time_ms = T0, .px = 9646611000000, .qty = 1500000 };
    engine_step(e, &ev);
    ev.u.trade.t.id = 8;
    ev.u.trade.simulated = true;
    engine_step(e, &ev);
    ev.u.trade.t.id = 7;
    ev.u.trade.simulated = false;
    engine_step(e, &ev);
    int n = 0;
    struct record r;
    while (spsc_pop(&q, &r))
        if (r.type == REC_TRADE) {
            n++;
            CHECK(r.time == T0 && r.u.trade.id == 7 && r.u.trade.price == 96466.11 && r.u.trade.qty == 0.015 &&
                  strcmp(r.symbol, "BTCUSDT") == 0);
        }
    engine_destroy(e);
    spsc_free(&q);
    return n;
}

static void engine_records_venue_trades_when_on(void)
{
    CHECK(engine_trade_records(false) == 0);
    CHECK(engine_trade_records(true) == 1);
}

static char *export_tape(const char *db, const char *symbol, bool json, long *rows)
{
    char *buf = NULL, err[512];
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    struct export_options o = { .what = EXPORT_TAPE, .symbol = symbol, .tf = -1, .from = INT64_MIN,
                                .to = INT64_MAX, .json = json };
    *rows = store_export(db, &o, out, err, sizeof err);
    fclose(out);
    if (*rows < 0)
        printf("# export tape: %s\n", err);
    return buf;
}

static void push(struct spsc *q, const struct record *r)
{
    while (!spsc_push(q, r))
        nanosleep(&(struct timespec){ 0, 1000000 }, NULL);
}

/* Three days of one trade a minute for two symbols (each sent twice, some a
 * third time right away), one day kept: returns the CSV export of what is left. */
static char *store_and_prune(const char *db)
{
    char err[512] = "";
    struct store *st = store_open(db, err, sizeof err);
    CHECK_MSG(st != NULL, "%s", err);
    if (!st)
        return NULL;
    struct store_retention ret;
    store_retention_defaults(&ret);
    CHECK(ret.keep_trades_ms == 7 * DAY);
    ret.keep_trades_ms = DAY;
    ret.step_rows = 500;
    store_set_retention(st, &ret);
    struct spsc q;
    spsc_init(&q, sizeof(struct record), 1 << 12);
    CHECK(store_start(st, &q) == 0);
    const int n = 3 * 1440;
    uint64_t seq = 0;
    for (int pass = 0; pass < 2; pass++)
        for (int i = 0; i < n; i++)
            for (int s = 0; s < 2; s++) {
                struct record r = { .type = REC_TRADE, .seq = ++seq, .time = T0 + i * 60000LL,
                                    .u.trade = { (uint64_t)i + 1, 96466.11 + i * 0.01 + s, 0.1 / 3 + i * 1e-8,
                                                 i % 3 == 0 } };
                snprintf(r.symbol, SYMBOL_MAX, s ? "ETHUSDT" : "BTCUSDT");
                push(&q, &r);
                if (i % 7 == 0) {     /* and at once again: a repeat in the same batch */
                    r.seq = ++seq;
                    push(&q, &r);
                }
            }
    /* kept: the trades not older than a day before the newest, per symbol. Each
     * older one is pruned once, or twice when the store thread pruned it
     * before the second pass wrote it again (the thread prunes whenever it
     * has caught up with the queue, which depends on the machine's load) */
    long want = 1440 + 1, btc = -1, eth = -1;
    uint64_t want_pruned = 2 * (uint64_t)(n - want);
    for (int i = 0; i < 1500 && (btc != want || eth != want || store_rows_pruned(st) < want_pruned); i++) {
        nanosleep(&(struct timespec){ 0, 20000000 }, NULL);
        free(export_tape(db, "BTCUSDT", false, &btc));
        free(export_tape(db, "ETHUSDT", false, &eth));
    }
    CHECK_MSG(btc == want && eth == want, "kept %ld and %ld trades, want %ld each", btc, eth, want);
    CHECK_MSG(store_rows_pruned(st) >= want_pruned && store_rows_pruned(st) <= 2 * want_pruned,
              "%llu pruned, want %llu to %llu", (unsigned long long)store_rows_pruned(st),
              (unsigned long long)want_pruned, (unsigned long long)(2 * want_pruned));
    store_close(st);
    spsc_free(&q);
    long rows;
    char *csv = export_tape(db, NULL, false, &rows);
    CHECK(rows == 2 * want);
    return csv;
}

static void same_tape_both_backends(void)
{
    char *a = store_and_prune(scratch_path("trades.db")), *b = store_and_prune(url);
    CHECK(a && b && strcmp(a, b) == 0);
    if (a) {
        CHECK_MSG(strncmp(a, "symbol,id,time,price,qty,side\n", 30) == 0, "%.60s", a);
        /* the newest BTCUSDT trade: minute 4319 of the three days, bit for bit */
        CHECK_MSG(strstr(a, "BTCUSDT,4320,2024-12-03T23:59:00.000Z,96509.3") && strstr(a, ",sell\n") &&
                  strstr(a, ",buy\n"), "%.200s", a);
    }
    free(a);
    free(b);
}

static void sqlite_upgrades_from_the_version_before(void)
{
    check_sqlite_upgrade(scratch_path("v5.db"), TRADES_VERSION, "agg_trades");
}

static void postgres_upgrades_from_the_version_before(void) { check_pg_upgrade(url, TRADES_VERSION, "agg_trades"); }

int main(void)
{
    if (scratch_make("/tmp/ap-trades-XXXXXX"))
        return 1;
    RUN(engine_records_venue_trades_when_on);
    RUN(sqlite_upgrades_from_the_version_before);
    char why[2048];
    url = pg_server_start(why, sizeof why);
    if (!url) {
        printf("not ok - postgres_server_starts\n#   %s\n", why);
        return 1;
    }
    RUN(same_tape_both_backends);
    RUN(postgres_upgrades_from_the_version_before);
    scratch_remove();
    HARNESS_EXIT();
}
