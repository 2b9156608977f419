/* Storage health reaches the engine as events, so a replay of the same events
 * stores the same records whatever the disk underneath does. A recorded event log
 * (real 1m candles, orders and closes, storage reports: healthy, behind, failing,
 * healthy again) is replayed twice into a real store on a real SQLite file: once
 * with the store thread writing from the start, once with it started only after
 * the record queue is nearly full. Every stored row must be identical. An engine
 * that looked at the queue or the store itself would drop and refuse differently
 * in the two runs. */
#include <stdlib.h>
#include <sqlite3.h>
#include <time.h>

#include "harness.h"
#include "engine_driver.h"
#include "alphapulse/candle_csv.h"
#include "alphapulse/store.h"

#define N_CANDLES 2500
#define QUEUE 2048              /* reserve 256: bulk withheld and orders refused at 1792 queued */
#define LATE_START 1900         /* run 2 starts its store thread once this many records wait */

static char dir[] = "/tmp/ap-storage-ev-XXXXXX";
static int64_t t_behind[2], t_failing[2];   /* event-time windows of the two bad stretches */

/* The log: what the driving thread stepped, in order. */
static int write_log(const char *path)
{
    struct candle *c;
    size_t n;
    char err[256];
    if (candle_csv_load("data/binance_BTCUSDT_1m_2024.csv", &c, &n, err, sizeof err)) {
        printf("# %s\n", err);
        return -1;
    }
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    if (n < N_CANDLES) {
        free(c);
        return -1;
    }
    t_behind[0] = c[1020].open_time;
    t_behind[1] = c[1400].open_time;
    t_failing[0] = c[1800].open_time;
    t_failing[1] = c[2200].open_time;
    for (size_t i = 0; i < N_CANDLES; i++) {
        struct engine_event ev;
        if (i % 10 == 0) {
            /* healthy; far behind (1020..1399); failing (1800..2199); healthy (a
             * position opened at 999 is closed at 1019, at 1776 closed at 1796) */
            memset(&ev, 0, sizeof ev);
            ev.type = EE_STORAGE;
            bool behind = i >= 1020 && i < 1400, failing = i >= 1800 && i < 2200;
            ev.u.storage = (struct storage_health){ .failing = failing, .backlog = behind ? QUEUE - 100 : 5,
                                                    .durable_seq = i };
            fwrite(&ev, sizeof ev, 1, f);
        }
        if (i % 37 == 0 || i % 37 == 20) {
            memset(&ev, 0, sizeof ev);
            ev.type = EE_COMMAND;
            ev.u.cmd = (struct command){ .type = i % 37 ? CMD_CLOSE : CMD_MARKET_ORDER, .side = i % 74 ? -1 : 1,
                                         .qty = 0.01 };
            snprintf(ev.u.cmd.symbol, SYMBOL_MAX, "BTCUSDT");
            fwrite(&ev, sizeof ev, 1, f);
        }
        memset(&ev, 0, sizeof ev);
        ev.type = EE_KLINE;
        snprintf(ev.u.k.symbol, SYMBOL_MAX, "BTCUSDT");
        ev.u.k.tf = TF_1M;
        ev.u.k.closed = true;
        ev.u.k.event_time = c[i].open_time + 60000 - 1;
        ev.u.k.c = c[i];
        fwrite(&ev, sizeof ev, 1, f);
    }
    free(c);
    return fclose(f);
}

static bool wait_queue_below(struct spsc *q, size_t n)
{
    for (int i = 0; i < 60000 && spsc_size(q) >= n; i++)
        nanosleep(&(struct timespec){ 0, 1000000 }, NULL);
    return spsc_size(q) < n;
}

struct outcome { uint64_t dropped; bool paced; };

/* Replays the log into a fresh database; late: start the store thread only once
 * LATE_START records wait in the queue. */
static int replay(const char *log, const char *db, bool late, struct outcome *out)
{
    char err[256];
    struct spsc q;
    if (spsc_init(&q, sizeof(struct record), QUEUE))
        return -1;
    driver_remove_db(db);
    struct store *st = store_open(db, err, sizeof err);
    struct engine *e = driver_engine(&q);
    FILE *f = fopen(log, "rb");
    if (!st || !e || !f) {
        printf("# %s\n", st ? "engine or log" : err);
        return -1;
    }
    bool started = false;
    out->paced = true;
    if (!late) {
        store_start(st, &q);
        started = true;
    }
    struct engine_event ev;
    while (fread(&ev, sizeof ev, 1, f) == 1) {
        if (!started && spsc_size(&q) >= LATE_START) {
            store_start(st, &q);
            started = true;
        }
        /* a store slower than the recorded one must still find room: the engine
         * trusts the reports, and a full queue would drop for real */
        if (started && spsc_size(&q) > QUEUE / 2)
            out->paced &= wait_queue_below(&q, 64);
        engine_step(e, &ev);
    }
    fclose(f);
    if (!started)
        store_start(st, &q);
    store_stop(st);
    store_close(st);
    out->dropped = engine_records_dropped(e);
    engine_destroy(e);
    spsc_free(&q);
    return 0;
}

/* Every table, every row in rowid order, as text. */
static char *dump(const char *path)
{
    sqlite3 *db;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
        return NULL;
    size_t cap = 1 << 20, len = 0;
    char *out = malloc(cap);
    sqlite3_stmt *tables, *rows;
    sqlite3_prepare_v2(db, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name", -1, &tables, NULL);
    while (sqlite3_step(tables) == SQLITE_ROW) {
        char sql[256];
        snprintf(sql, sizeof sql, "SELECT * FROM \"%s\" ORDER BY rowid", (const char *)sqlite3_column_text(tables, 0));
        if (sqlite3_prepare_v2(db, sql, -1, &rows, NULL) != SQLITE_OK) {
            snprintf(sql, sizeof sql, "SELECT * FROM \"%s\"", (const char *)sqlite3_column_text(tables, 0));
            sqlite3_prepare_v2(db, sql, -1, &rows, NULL);
        }
        len += (size_t)snprintf(out + len, cap - len, "== %s\n", (const char *)sqlite3_column_text(tables, 0));
        while (sqlite3_step(rows) == SQLITE_ROW) {
            for (int i = 0; i < sqlite3_column_count(rows); i++) {
                const char *v = (const char *)sqlite3_column_text(rows, i);
                size_t need = (v ? strlen(v) : 4) + 2;
                if (len + need + 64 >= cap)
                    out = realloc(out, cap *= 2);
                len += (size_t)snprintf(out + len, cap - len, "%s%c", v ? v : "NULL",
                                        i + 1 < sqlite3_column_count(rows) ? '|' : '\n');
            }
        }
        sqlite3_finalize(rows);
    }
    sqlite3_finalize(tables);
    sqlite3_close(db);
    return out;
}

static int count(const char *path, const char *sql)
{
    sqlite3 *db;
    sqlite3_stmt *s;
    int n = -1;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(db, sql, -1, &s, NULL) == SQLITE_OK) {
        if (sqlite3_step(s) == SQLITE_ROW)
            n = sqlite3_column_int(s, 0);
        sqlite3_finalize(s);
    }
    sqlite3_close(db);
    return n;
}

static void replay_twice_stores_the_same(void)
{
    char log[128], a[128], b[128];
    snprintf(log, sizeof log, "%s/events.log", dir);
    snprintf(a, sizeof a, "%s/a.db", dir);
    snprintf(b, sizeof b, "%s/b.db", dir);
    CHECK(write_log(log) == 0);
    struct outcome oa, ob;
    CHECK(replay(log, a, false, &oa) == 0);
    CHECK(replay(log, b, true, &ob) == 0);
    CHECK(oa.paced && ob.paced);
    char *da = dump(a), *db = dump(b);
    CHECK(da && db);
    if (da && db) {
        size_t i = 0;
        while (da[i] && da[i] == db[i])
            i++;
        CHECK_MSG(da[i] == db[i], "the two databases differ at byte %zu of %zu (\"%.60s\" vs \"%.60s\")", i,
                  strlen(da), da + i, db + i);
        printf("# %zu bytes of stored rows, identical: %s\n", strlen(da), da[i] == db[i] ? "yes" : "no");
    }
    free(da);
    free(db);
    CHECK_MSG(oa.dropped == ob.dropped && oa.dropped > 0, "bulk records withheld: %llu and %llu",
              (unsigned long long)oa.dropped, (unsigned long long)ob.dropped);
    /* the reports decided: no order opened while behind or failing (the refusals
     * while behind are not even journalled: the journal is bulk), trading before,
     * between and after; the candles of the "behind" stretch were not stored */
    char q[256];
    snprintf(q, sizeof q, "SELECT count(*) FROM fills WHERE time >= %lld AND time < %lld", (long long)t_behind[0],
             (long long)t_behind[1]);
    int in_behind = count(a, q);
    snprintf(q, sizeof q, "SELECT count(*) FROM fills WHERE time >= %lld AND time < %lld", (long long)t_failing[0],
             (long long)t_failing[1]);
    int in_failing = count(a, q);
    snprintf(q, sizeof q, "SELECT count(*) FROM candles WHERE timeframe = '1m' AND open_time >= %lld AND open_time < %lld",
             (long long)t_behind[0], (long long)t_behind[1]);
    int candles_behind = count(a, q);
    int refused = count(a, "SELECT count(*) FROM journal WHERE text LIKE 'rejected: storage is failing%'");
    int fills = count(a, "SELECT count(*) FROM fills");
    printf("# fills: %d in all, %d while behind, %d while failing; %d refusals journalled while failing; "
           "%d 1m candles stored while behind; %llu bulk records withheld\n", fills, in_behind, in_failing, refused,
           candles_behind, (unsigned long long)oa.dropped);
    CHECK(fills >= 20 && in_behind == 0 && in_failing == 0 && refused >= 5 && candles_behind == 0);
}

int main(void)
{
    if (!mkdtemp(dir))
        return 1;
    RUN(replay_twice_stores_the_same);
    if (!harness_failed_tests) {
        char cmd[128];
        snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
        if (system(cmd) != 0)
            return 1;
    }
    HARNESS_EXIT();
}
