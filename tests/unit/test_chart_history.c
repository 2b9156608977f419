/* The chart's older candles: store_read_candles_before (page bounds, oldest
 * first, fewer at the start), the console's worker and mailbox
 * (console_history.c), and the UI's cache (src/ui/chart_history.c): the seam
 * with the snapshot's oldest candle, paging back, the start, a switch of view,
 * a fill after new candles, a page that does not meet the cache, the cap. */
#include <sqlite3.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "alphapulse/app.h"
#include "alphapulse/store.h"
#include "../../src/ui/chart_history.h"

#define T0 1733007600000LL
#define H 3600000LL

static char dir[64], db[128];

/* BTCUSDT 1h candles 0..99 (open T0 + i h, close = i) and one ETHUSDT 1h candle. */
static int make_db(void)
{
    snprintf(db, sizeof db, "%s/h.db", dir);
    char err[512];
    struct store *st = store_open(db, err, sizeof err);
    if (!st) {
        printf("# %s\n", err);
        return -1;
    }
    store_close(st);
    sqlite3 *h;
    if (sqlite3_open(db, &h) != SQLITE_OK)
        return -1;
    sqlite3_exec(h, "BEGIN", NULL, NULL, NULL);
    char sql[256];
    for (int i = 0; i < 100; i++) {
        snprintf(sql, sizeof sql, "INSERT INTO candles VALUES('BTCUSDT','1h',%lld,1,2,0.5,%d,10,0,0,0)",
                 T0 + i * H, i);
        sqlite3_exec(h, sql, NULL, NULL, NULL);
    }
    snprintf(sql, sizeof sql, "INSERT INTO candles VALUES('ETHUSDT','1h',%lld,1,2,0.5,7,10,0,0,0)", T0);
    sqlite3_exec(h, sql, NULL, NULL, NULL);
    int rc = sqlite3_exec(h, "COMMIT", NULL, NULL, NULL);
    sqlite3_close(h);
    return rc == SQLITE_OK ? 0 : -1;
}

static void test_read_before(void)
{
    struct candle c[64];
    char err[256];
    int n = store_read_candles_before(db, "BTCUSDT", TF_1H, T0 + 50 * H, 20, c, err, sizeof err);
    CHECK(n == 20);
    CHECK(c[0].open_time == T0 + 30 * H);        /* the newest 20 before the bound, oldest first */
    CHECK(c[19].open_time == T0 + 49 * H);
    for (int i = 1; i < n; i++)
        CHECK(c[i].open_time == c[i - 1].open_time + H);
    n = store_read_candles_before(db, "BTCUSDT", TF_1H, T0 + 5 * H, 20, c, err, sizeof err);
    CHECK(n == 5);                                /* fewer: the start of the history */
    CHECK(c[0].open_time == T0 && c[4].open_time == T0 + 4 * H);
    CHECK(store_read_candles_before(db, "BTCUSDT", TF_1H, T0, 20, c, err, sizeof err) == 0);
    CHECK(store_read_candles_before(db, "BTCUSDT", TF_5M, T0 + 50 * H, 20, c, err, sizeof err) == 0);
    CHECK(store_read_candles_before(db, "binance:ETHUSDT", TF_1H, T0 + H, 20, c, err, sizeof err) == 1);
    char bad[160];
    snprintf(bad, sizeof bad, "%s/none/x.db", dir);
    CHECK(store_read_candles_before(bad, "BTCUSDT", TF_1H, T0, 20, c, err, sizeof err) == -1);
    CHECK(strstr(err, "x.db") != NULL);
}

/* The console's worker: ask, then wait for the answer to come to the mailbox. */
static bool answer(struct console_history *h, struct ui_older *pg)
{
    for (int i = 0; i < 5000; i++) {
        if (app_console_history_poll(h, pg))
            return true;
        nanosleep(&(struct timespec){ 0, 1000000 }, NULL);
    }
    return false;
}

static void test_worker(void)
{
    struct console_history *h = app_console_history_new();
    struct ui_older pg;
    CHECK(!app_console_history_poll(h, &pg));
    CHECK(app_console_history_ask(h, db, "BTCUSDT", TF_1H, T0 + 100 * H, 30) == 0);
    CHECK(app_console_history_ask(h, db, "BTCUSDT", TF_1H, T0, 30) == -1);   /* one at a time */
    CHECK(answer(h, &pg));
    CHECK(pg.n == 30 && pg.max == 30 && pg.tf == TF_1H && pg.before == T0 + 100 * H);
    CHECK(strcmp(pg.symbol, "BTCUSDT") == 0);
    CHECK(pg.c && pg.c[0].open_time == T0 + 70 * H && pg.c[29].close == 99);
    free(pg.c);
    CHECK(app_console_history_ask(h, "", "BTCUSDT", TF_1H, T0, 30) == -1);    /* no database */
    char bad[160];
    snprintf(bad, sizeof bad, "%s/none/x.db", dir);
    CHECK(app_console_history_ask(h, bad, "BTCUSDT", TF_1H, T0, 30) == 0);
    CHECK(answer(h, &pg));
    CHECK(pg.n == -1 && pg.c == NULL && strstr(pg.msg, "x.db"));
    CHECK(app_console_history_close(h, 5000));
}

/* A page as the worker answers it: the stored 1h candles of sym
 * opening before `before`, the newest max of them. */
static struct ui_older page(const char *sym, int64_t before, int max)
{
    struct ui_older pg = { .tf = TF_1H, .max = max, .before = before };
    snprintf(pg.symbol, sizeof pg.symbol, "%s", sym);
    pg.c = malloc(sizeof *pg.c * (size_t)max);
    char err[256];
    pg.n = store_read_candles_before(db, sym, TF_1H, before, max, pg.c, err, sizeof err);
    return pg;
}

/* Asks what the cache wants next and answers it from the database. */
static bool step(struct chart_history *h, int64_t seam, bool near, int64_t *asked)
{
    int64_t before;
    int max;
    if (!hist_next(h, seam, near, &before, &max))
        return false;
    hist_asked(h);
    CHECK(!hist_next(h, seam, near, &before, &max));     /* nothing more while one is pending */
    *asked = before;
    struct ui_older pg = page(h->symbol, before, max);
    hist_take(h, &pg);
    CHECK(pg.c == NULL);
    return true;
}

static void test_cache_paging(void)
{
    struct chart_history h = { 0 };
    int64_t seam = T0 + 80 * H, asked = 0;   /* the snapshot holds 80..99 */
    hist_key(&h, "BTCUSDT", TF_1H);
    CHECK(!step(&h, seam, false, &asked));   /* nothing asked while the view is not near the oldest */
    CHECK(step(&h, seam, true, &asked) && asked == seam);
    CHECK(h.n == 80 && h.start);             /* 80 < a page: the whole history before the seam */
    CHECK(hist_held(&h, seam) == 80);
    CHECK(h.c[79].open_time == seam - H);    /* meets the snapshot's oldest, none twice */
    CHECK(!step(&h, seam, true, &asked));    /* the start: nothing more to ask */
    /* the snapshot's oldest moves on (new candles): the cache's newest are hidden, then filled */
    CHECK(hist_held(&h, T0 + 40 * H) == 40);
    int64_t seam2 = T0 + 90 * H;
    CHECK(step(&h, seam2, false, &asked) && asked == seam2);
    CHECK(h.n == 90 && h.start && hist_held(&h, seam2) == 90);
    for (int i = 1; i < h.n; i++)
        CHECK(h.c[i].open_time == h.c[i - 1].open_time + H);
    hist_free(&h);
}

static void test_cache_switch(void)
{
    struct chart_history h = { 0 };
    int64_t asked = 0;
    hist_key(&h, "BTCUSDT", TF_1H);
    int64_t before;
    int max;
    CHECK(hist_next(&h, T0 + 80 * H, true, &before, &max));
    hist_asked(&h);
    struct ui_older pg = page("BTCUSDT", before, max);
    hist_key(&h, "ETHUSDT", TF_1H);          /* a switch while the read runs */
    CHECK(h.n == 0 && h.pending);
    hist_take(&h, &pg);                      /* BTCUSDT's answer: not taken into ETHUSDT's cache */
    CHECK(h.n == 0 && !h.pending && !h.start);
    CHECK(step(&h, T0 + H, true, &asked));
    CHECK(h.n == 1 && h.start && h.c[0].close == 7);
    hist_key(&h, "ETHUSDT", TF_1H);          /* the same view keeps it */
    CHECK(h.n == 1);
    hist_key(&h, "ETHUSDT", TF_4H);          /* another timeframe drops it */
    CHECK(h.n == 0 && !h.start && h.tf == TF_4H);
    hist_free(&h);
}

static void test_cache_gap_and_failure(void)
{
    struct chart_history h = { 0 };
    hist_key(&h, "BTCUSDT", TF_1H);
    struct ui_older pg = page("BTCUSDT", T0 + 30 * H, 10);   /* 20..29 */
    hist_asked(&h);
    hist_take(&h, &pg);
    CHECK(h.n == 10 && !h.start && h.upto == T0 + 30 * H);
    pg = page("BTCUSDT", T0 + 90 * H, 10);                    /* 80..89: does not meet 20..29 */
    hist_asked(&h);
    hist_take(&h, &pg);
    CHECK(h.n == 10 && h.c[0].open_time == T0 + 80 * H);     /* replaced, never shown with a hole */
    pg = page("BTCUSDT", T0 + 85 * H, 10);                    /* 75..84: overlaps, each candle once */
    hist_asked(&h);
    hist_take(&h, &pg);
    CHECK(h.n == 15 && h.c[0].open_time == T0 + 75 * H && h.c[14].open_time == T0 + 89 * H);
    pg = (struct ui_older){ .tf = TF_1H, .max = 10, .n = -1, .msg = "h.db: read failed: disk I/O error" };
    snprintf(pg.symbol, sizeof pg.symbol, "BTCUSDT");
    hist_asked(&h);
    hist_take(&h, &pg);
    int64_t before;
    int max;
    CHECK(h.failed && strstr(h.err, "disk I/O") && h.n == 15);
    CHECK(!hist_next(&h, T0 + 90 * H, true, &before, &max));   /* no retry loop on a failing database */
    hist_free(&h);
}

static void test_cache_cap(void)
{
    struct chart_history h = { 0 };
    hist_key(&h, "BTCUSDT", TF_1H);
    int max_seen = 0;
    int64_t seam = T0 + (int64_t)(HIST_CAP + 2 * HIST_PAGE) * H, before;
    int max;
    /* pages of synthetic candles, each ending where the last began */
    while (hist_next(&h, seam, true, &before, &max)) {
        hist_asked(&h);
        struct ui_older pg = { .tf = TF_1H, .max = max, .before = before, .n = max };
        snprintf(pg.symbol, sizeof pg.symbol, "BTCUSDT");
        pg.c = malloc(sizeof *pg.c * (size_t)max);
        for (int i = 0; i < max; i++)
            pg.c[i] = (struct candle){ .open_time = before - (int64_t)(max - i) * H, .close = 1 };
        hist_take(&h, &pg);
        if (max > max_seen)
            max_seen = max;
    }
    CHECK(max_seen == HIST_PAGE);
    CHECK(h.n == HIST_CAP && !h.start);      /* bounded: no more asked */
    hist_free(&h);
}

int main(void)
{
    snprintf(dir, sizeof dir, "/tmp/ap-hist-XXXXXX");
    if (!mkdtemp(dir) || make_db()) {
        printf("not ok - setup\n");
        return 1;
    }
    RUN(test_read_before);
    RUN(test_worker);
    RUN(test_cache_paging);
    RUN(test_cache_switch);
    RUN(test_cache_gap_and_failure);
    RUN(test_cache_cap);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0)
        printf("# could not remove %s\n", dir);
    HARNESS_EXIT();
}
