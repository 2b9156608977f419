/* Forming candles through the store, on SQLite and on a real PostgreSQL server
 * (tests/pg/pg_server.sh), from one source: the engine queues a live forming
 * update (REC_FORMING), never one read from the store; the store thread writes
 * the newest state per symbol into the forming table, a store_watch (what a
 * console's store feed runs) is woken by it and reads it, a closed candle of
 * that minute removes the row, a stopped collector removes its rows (not one
 * another process wrote over since), a killed
 * collector's stale row goes when the next collector writes the symbol, the
 * export is the same bytes with forming rows stored as without, and a database
 * of the schema version before is upgraded with its rows kept. */
#include <libpq-fe.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <time.h>

#include "harness.h"
#include "pg_server.h"
#include "scratch_dir.h"
#include "store_upgrade.h"
#include "alphapulse/clock.h"
#include "alphapulse/engine.h"
#include "alphapulse/record.h"
#include "alphapulse/store.h"
#include "alphapulse/store_feed.h"

static const char *url;

#define FORMING_VERSION 10            /* the schema version that added the forming table */
#define T0 1733011200000LL            /* 2024-12-01T00:00Z */
#define WAIT_MS 30000                 /* a watch's wait that only a commit should end early */

/* The records the engine queues for a forming update, a stored one, and the close. */
static void engine_queues_live_forming_only(void)
{
    struct engine_config cfg;
    struct instrument inst[1] = { { .symbol = "BTCUSDT", .tick = 0.01, .step = 0.00001 } };
    engine_config_defaults(&cfg);
    cfg.inst = inst;
    cfg.n_symbols = 1;
    struct spsc q;
    spsc_init(&q, sizeof(struct record), 64);
    struct engine *e = engine_create(&cfg, &q);
    struct engine_event ev = { .type = EE_KLINE };
    struct kline_event *k = &ev.u.k;
    snprintf(k->symbol, SYMBOL_MAX, "BTCUSDT");
    k->tf = TF_1M;
    k->c = (struct candle){ .open_time = T0, .open = 100, .high = 101, .low = 99, .close = 100.5, .volume = 3 };
    k->event_time = T0 + 1500;
    engine_step(e, &ev);              /* live, forming */
    k->stored = true;
    k->c.close = 100.75;
    engine_step(e, &ev);              /* forming, read from the store: not written back */
    k->stored = false;
    k->closed = true;
    k->event_time = T0 + 59999;
    engine_step(e, &ev);
    int forming = 0, candles = 0;
    struct record r;
    while (spsc_pop(&q, &r))
        if (r.type == REC_FORMING) {
            forming++;
            CHECK(r.tf == TF_1M && r.time == T0 + 1500 && r.u.candle.open_time == T0 &&
                  r.u.candle.close == 100.5 && strcmp(r.symbol, "BTCUSDT") == 0);
        } else if (r.type == REC_CANDLE && r.tf == TF_1M) {
            candles++;
        }
    CHECK_MSG(forming == 1 && candles == 1, "%d forming records, %d closed", forming, candles);
    engine_destroy(e);
    spsc_free(&q);
}

static void push(struct spsc *q, const struct record *r)
{
    while (!spsc_push(q, r))
        nanosleep(&(struct timespec){ 0, 1000000 }, NULL);
}

static struct record candle_rec(int type, const char *symbol, int minute, double close, uint64_t *seq)
{
    struct record r = { .type = type, .seq = ++*seq, .tf = TF_1M };
    snprintf(r.symbol, SYMBOL_MAX, "%s", symbol);
    r.u.candle = (struct candle){ .open_time = T0 + minute * 60000LL, .open = 100, .high = close + 1,
                                  .low = 99, .close = close, .volume = 2.5, .quote_volume = 250.125,
                                  .trades = 17 };
    r.time = r.u.candle.open_time + (type == REC_FORMING ? 1000 + (int64_t)(close * 10) % 50000 : 59999);
    return r;
}

/* symbol's forming row among those the watch reads: 1 with *c and *upd, 0 none, -1 an error */
struct one_row { const char *symbol; struct candle c; int64_t upd; int got; };
static void one_row(void *ctx, const char *symbol, const struct candle *c, int64_t updated)
{
    struct one_row *o = ctx;
    if (strcmp(symbol, o->symbol) == 0) {
        o->c = *c;
        o->upd = updated;
        o->got++;
    }
}

static int forming_of(struct store_watch *w, const char *symbol, struct candle *c, int64_t *upd)
{
    struct one_row o = { .symbol = symbol };
    if (store_watch_forming(w, one_row, &o) < 0)
        return -1;
    *c = o.c;
    *upd = o.upd;
    return o.got;
}

/* Waits on the watch until symbol's forming row is (want true) the candle of
 * open time t with this close, or (want false) gone. */
static bool watch_until(struct store_watch *w, const char *symbol, bool want, int64_t t, double close)
{
    for (int i = 0; i < 100; i++) {
        struct candle c;
        int64_t upd;
        int got = forming_of(w, symbol, &c, &upd);
        if (want ? got == 1 && c.open_time == t && c.close == close : got == 0)
            return true;
        store_watch_wait(w, 300);
    }
    return false;
}

static char *export_candles(const char *db, bool json)
{
    char *buf = NULL, err[512];
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    struct export_options o = { .what = EXPORT_CANDLES, .tf = -1, .from = INT64_MIN, .to = INT64_MAX,
                                .json = json };
    long rows = store_export(db, &o, out, err, sizeof err);
    fclose(out);
    if (rows < 0)
        printf("# export candles: %s\n", err);
    return buf;
}

/* Another process's statement on the database, either backend. */
static void sql_exec(const char *db, const char *sql)
{
    if (store_is_url(db)) {
        PGconn *pc = PQconnectdb(db);
        PGresult *x = PQexec(pc, sql);
        CHECK_MSG(PQresultStatus(x) == PGRES_COMMAND_OK, "%s: %s", sql, PQresultErrorMessage(x));
        PQclear(x);
        PQfinish(pc);
    } else {
        sqlite3 *lite;
        CHECK(sqlite3_open(db, &lite) == SQLITE_OK);
        sqlite3_busy_timeout(lite, 5000);
        CHECK_MSG(sqlite3_exec(lite, sql, NULL, NULL, NULL) == SQLITE_OK, "%s: %s", sql, sqlite3_errmsg(lite));
        sqlite3_close(lite);
    }
}

/* The forming path on one backend; returns the CSV export of its candles. */
static char *forming_path(const char *db)
{
    char err[512] = "";
    struct store *st = store_open_as(db, &(struct store_open_options){ .collector = true }, err, sizeof err);
    CHECK_MSG(st != NULL, "%s", err);
    if (!st)
        return NULL;
    struct spsc q;
    spsc_init(&q, sizeof(struct record), 1 << 10);
    CHECK(store_start(st, &q) == 0);
    uint64_t seq = 0;
    for (int m = 0; m < 3; m++) {
        struct record r = candle_rec(REC_CANDLE, "BTCUSDT", m, 100 + m, &seq);
        push(&q, &r);
    }
    struct store_watch *w = store_watch_open(db, err, sizeof err);
    CHECK_MSG(w != NULL, "%s", err);
    if (!w)
        return NULL;
    struct candle stored[4];
    for (int i = 0; i < 100 && store_watch_candles(w, "BTCUSDT", T0, stored, 4) < 3; i++)
        store_watch_wait(w, 300);
    CHECK(store_watch_candles(w, "BTCUSDT", T0, stored, 4) == 3);
    CHECK(watch_until(w, "BTCUSDT", false, 0, 0));
    char *before = export_candles(db, false), *before_json = export_candles(db, true);

    /* states of minute 3: the newest reaches the watch, which a commit wakes
     * (PostgreSQL says it was forming candles alone; SQLite cannot tell) */
    for (int k = 0; k < 5; k++) {
        struct record r = candle_rec(REC_FORMING, "BTCUSDT", 3, 103 + k * 0.25, &seq);
        push(&q, &r);
    }
    int64_t t0 = clock_mono_ms();
    int woke, forming_wake = store_is_url(db) ? STORE_WATCH_FORMING : 1;
    do                                        /* (the closed candles' notification may come late) */
        woke = store_watch_wait(w, WAIT_MS);
    while (woke != forming_wake && woke >= 0 && clock_mono_ms() - t0 < WAIT_MS);
    CHECK_MSG(woke == forming_wake && clock_mono_ms() - t0 < WAIT_MS, "the watch's wait: %d after %lld ms", woke,
              (long long)(clock_mono_ms() - t0));
    CHECK(watch_until(w, "BTCUSDT", true, T0 + 3 * 60000LL, 104));
    struct candle c;
    int64_t upd = 0;
    CHECK(forming_of(w, "BTCUSDT", &c, &upd) == 1);
    CHECK_MSG(c.open == 100 && c.high == 105 && c.low == 99 && c.volume == 2.5 && c.quote_volume == 250.125 &&
              c.trades == 17 && upd == T0 + 3 * 60000LL + 1000 + 1040, "row %.17g %.17g %.17g %lld upd %lld",
              c.open, c.high, c.low, (long long)c.trades, (long long)upd);
    /* forming rows are transient: the export is the same bytes with one stored */
    char *during = export_candles(db, false), *during_json = export_candles(db, true);
    CHECK(before && during && strcmp(before, during) == 0);
    CHECK(before_json && during_json && strcmp(before_json, during_json) == 0);
    free(before);
    free(during);
    free(before_json);
    free(during_json);

    /* the close of minute 3 removes the row; minute 4's state replaces it in place */
    struct record r = candle_rec(REC_CANDLE, "BTCUSDT", 3, 104, &seq);
    push(&q, &r);
    /* ... a wake-up by closed candles, which the forming rows' own do not hide */
    t0 = clock_mono_ms();
    do
        woke = store_watch_wait(w, WAIT_MS);
    while (woke != 1 && clock_mono_ms() - t0 < WAIT_MS);
    CHECK_MSG(woke == 1, "the watch's wait after a closed candle: %d", woke);
    CHECK(watch_until(w, "BTCUSDT", false, 0, 0));
    r = candle_rec(REC_FORMING, "BTCUSDT", 4, 104.5, &seq);
    push(&q, &r);
    CHECK(watch_until(w, "BTCUSDT", true, T0 + 4 * 60000LL, 104.5));
    /* a late state of a closed minute is not written over a newer one */
    r = candle_rec(REC_FORMING, "BTCUSDT", 3, 99.5, &seq);
    push(&q, &r);
    r = candle_rec(REC_FORMING, "binance:ETHUSDT", 4, 3000, &seq);   /* stored canonical */
    push(&q, &r);
    CHECK(watch_until(w, "ETHUSDT", true, T0 + 4 * 60000LL, 3000));
    CHECK(watch_until(w, "BTCUSDT", true, T0 + 4 * 60000LL, 104.5));

    /* a stopped collector removes its rows, not one another process wrote over since */
    sql_exec(db, "UPDATE forming SET close=2999.5, updated=7 WHERE symbol='ETHUSDT'");
    CHECK(watch_until(w, "ETHUSDT", true, T0 + 4 * 60000LL, 2999.5));
    store_stop(st);
    store_close(st);
    CHECK(watch_until(w, "BTCUSDT", false, 0, 0));
    CHECK(watch_until(w, "ETHUSDT", true, T0 + 4 * 60000LL, 2999.5));
    sql_exec(db, "DELETE FROM forming WHERE symbol='ETHUSDT'");

    /* a killed collector's row stays behind; the next one writing the symbol removes it */
    sql_exec(db, "INSERT INTO forming VALUES('BTCUSDT','1m',1733011440000,1,2,0.5,1.5,1,0,0,0,1)");
    CHECK(watch_until(w, "BTCUSDT", true, T0 + 4 * 60000LL, 1.5));
    st = store_open_as(db, &(struct store_open_options){ .collector = true }, err, sizeof err);
    CHECK_MSG(st != NULL, "%s", err);
    if (st) {
        CHECK(store_start(st, &q) == 0);
        r = candle_rec(REC_CANDLE, "BTCUSDT", 4, 104.5, &seq);   /* its back-fill */
        push(&q, &r);
        CHECK(watch_until(w, "BTCUSDT", false, 0, 0));
        store_close(st);
    }
    store_watch_close(w);
    spsc_free(&q);
    return export_candles(db, false);
}

static void forming_path_both_backends(void)
{
    char *a = forming_path(scratch_path("forming.db")), *b = forming_path(url);
    CHECK(a && b && strcmp(a, b) == 0);
    CHECK_MSG(a && strstr(a, "BTCUSDT,1m,2024-12-01T00:04:00.000Z"), "%.300s", a ? a : "");
    free(a);
    free(b);
}

/* The store feed (what a console beside a collector runs) hands a fresh
 * forming row on as a forming kline, never a stale one (older than the minute
 * before the current one: a killed collector's), and a row changed again.
 * Symbols with no stored candles: any minute is the one after their last. */
static void feed_skips_stale_rows(const char *db)
{
    char err[512] = "", sql[300];
    struct store *st = store_open(db, err, sizeof err);   /* the schema */
    CHECK_MSG(st != NULL, "%s", err);
    store_close(st);
    int64_t minute = clock_wall_ms() / 60000 * 60000;
    snprintf(sql, sizeof sql, "DELETE FROM forming; INSERT INTO forming VALUES('SOLUSDT','1m',%lld,10,12,9,11,1,0,0,0,5);"
             "INSERT INTO forming VALUES('XRPUSDT','1m',%lld,10,12,9,11,1,0,0,0,5)", (long long)minute,
             (long long)(minute - 5 * 60000));
    sql_exec(db, sql);
    struct venue_options o = { .store_db = db };
    struct venue_feed *vf = store_feed_venue.open(&store_feed_venue, &o, err, sizeof err);
    struct spsc out;
    spsc_init(&out, sizeof(struct engine_event), 256);
    const char syms[2][SYMBOL_MAX] = { "SOLUSDT", "XRPUSDT" };
    const int64_t last_closed[2] = { -1, -1 };
    CHECK_MSG(vf && store_feed_venue.start(vf, syms, last_closed, 2, &out, err, sizeof err) == 0, "%s", err);
    int sol = 0, xrp = 0;
    bool changed = false;
    for (int i = 0; i < 2000 && sol < 2; i++) {
        struct engine_event ev;
        if (!spsc_pop(&out, &ev)) {
            nanosleep(&(struct timespec){ 0, 5000000 }, NULL);
            continue;
        }
        if (ev.type != EE_KLINE || ev.u.k.closed)
            continue;
        CHECK(ev.u.k.stored && ev.u.k.tf == TF_1M);
        if (strcmp(ev.u.k.symbol, "XRPUSDT") == 0)
            xrp++;
        if (strcmp(ev.u.k.symbol, "SOLUSDT") == 0) {
            sol++;
            CHECK(ev.u.k.c.open_time == minute && ev.u.k.c.close == (sol == 1 ? 11 : 11.5) &&
                  ev.u.k.event_time == 4 + sol);
        }
        if (sol == 1 && !changed) {           /* the next read of the rows comes after the first whole one */
            sql_exec(db, "UPDATE forming SET close=11.5, updated=6 WHERE symbol='SOLUSDT'");
            changed = true;
        }
    }
    CHECK_MSG(sol == 2 && xrp == 0, "%s: %d SOLUSDT forming updates (want 2), %d of the stale XRPUSDT row", db, sol,
              xrp);
    if (vf) {
        store_feed_venue.stop(vf);
        store_feed_venue.close(vf);
    }
    spsc_free(&out);
}

static void feed_skips_stale_rows_both_backends(void)
{
    feed_skips_stale_rows(scratch_path("feed.db"));
    feed_skips_stale_rows(url);
}

static void sqlite_upgrades_from_the_version_before(void)
{
    check_sqlite_upgrade(scratch_path("v9.db"), FORMING_VERSION, "forming");
}

static void postgres_upgrades_from_the_version_before(void) { check_pg_upgrade(url, FORMING_VERSION, "forming"); }

int main(void)
{
    if (scratch_make("/tmp/ap-forming-XXXXXX"))
        return 1;
    RUN(engine_queues_live_forming_only);
    RUN(sqlite_upgrades_from_the_version_before);
    char why[2048];
    url = pg_server_start(why, sizeof why);
    if (!url) {
        printf("not ok - postgres_server_starts\n#   %s\n", why);
        return 1;
    }
    RUN(forming_path_both_backends);
    RUN(feed_skips_stale_rows_both_backends);
    RUN(postgres_upgrades_from_the_version_before);
    scratch_remove();
    HARNESS_EXIT();
}
