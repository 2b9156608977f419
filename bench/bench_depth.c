/* Market depth on one core: diff-depth messages (the combined-stream JSON the
 * feed receives, 1 to 12 levels each, consecutive update ids) through
 *   A. the parser + the synchronised book (depth_json + depth_sync),
 *   B. the parser + engine pieces + engine_step (the book as the engine keeps it),
 * and, as the reference measured in the same run, C. the same messages parsed
 * with jansson (json_loadb, the levels' strings converted), parse only, against
 * A's parse only. Per-event latency of A and of B (message -> book updated, B
 * with the engine's paper account told of the book): p50, p99.
 * Goal: >= 1,000,000 events/s through A and B; p99 < 20 us. The machine may be
 * shared: each figure is the best of ROUNDS passes, and C's two parsers run
 * interleaved in blocks so that both see the same load. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "alphapulse/depth_json.h"
#include "alphapulse/engine.h"
#include "alphapulse/engine_depth.h"

#define M 300000
#define ROUNDS 5
#define BLOCK 5000
#define TICK 1000000LL

static int64_t ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000000000LL + t.tv_nsec;
}

static uint64_t rng = 88172645463325252ULL;
static uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static int cmp64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

int main(void)
{
    char **msg = malloc(M * sizeof *msg);
    size_t *len = malloc(M * sizeof *len);
    uint64_t id = 1000;
    size_t bytes = 0, levels = 0;
    for (int i = 0; i < M; i++) {
        char buf[2048];
        int w = snprintf(buf, sizeof buf, "{\"stream\":\"btcusdt@depth@100ms\",\"data\":{\"e\":\"depthUpdate\","
                         "\"E\":%lld,\"s\":\"BTCUSDT\",\"U\":%llu,\"u\":%llu,\"b\":[", 1700000000000LL + i,
                         (unsigned long long)id + 1, (unsigned long long)id + 1 + next() % 3);
        id = strtoull(strstr(buf, "\"u\":") + 4, NULL, 10);
        int nb = 1 + (int)(next() % 6), na = 1 + (int)(next() % 6);
        levels += (size_t)(nb + na);
        for (int k = 0; k < nb; k++) {
            long t = 4200000 - 1 - (long)(next() % 2000);
            w += snprintf(buf + w, sizeof buf - (size_t)w, "%s[\"%ld.%02ld000000\",\"%s%llu.%05llu000\"]", k ? "," : "",
                          t / 100, t % 100, "", (unsigned long long)(next() % 4 == 0 ? 0 : next() % 50),
                          (unsigned long long)(next() % 100000));
        }
        w += snprintf(buf + w, sizeof buf - (size_t)w, "],\"a\":[");
        for (int k = 0; k < na; k++) {
            long t = 4200000 + (long)(next() % 2000);
            w += snprintf(buf + w, sizeof buf - (size_t)w, "%s[\"%ld.%02ld000000\",\"%llu.%05llu000\"]", k ? "," : "",
                          t / 100, t % 100, (unsigned long long)(next() % 4 == 0 ? 0 : next() % 50),
                          (unsigned long long)(next() % 100000));
        }
        w += snprintf(buf + w, sizeof buf - (size_t)w, "]}}");
        msg[i] = malloc((size_t)w + 1);
        memcpy(msg[i], buf, (size_t)w + 1);
        len[i] = (size_t)w;
        bytes += (size_t)w;
    }
    printf("depth: %d messages, %.1f levels and %.0f bytes each on average\n", M, (double)levels / M,
           (double)bytes / M);
    static struct book_level lv[4096];
    char sym[SYMBOL_MAX];
    struct depth_update u;

    /* A: parse + synced book; the snapshot is an empty book at the first id */
    struct depth_sync *ds = malloc(sizeof *ds);
    depth_sync_init(ds, TICK);
    struct depth_update snap = { .first_id = 1000, .last_id = 1000, .lv = lv };
    depth_sync_snapshot(ds, &snap);
    int64_t *lat = malloc(M * sizeof *lat);
    int bad = 0;
    int64_t t0 = ns();
    for (int i = 0; i < M; i++) {
        int64_t a = ns();
        if (depth_json_update(msg[i], len[i], sym, &u, lv, 4096, NULL, 0) != DEPTH_JSON_OK ||
            depth_sync_update(ds, &u) != DEPTH_APPLIED)
            bad++;
        lat[i] = ns() - a;
    }
    double ta = (double)(ns() - t0) / 1e9;
    qsort(lat, M, sizeof *lat, cmp64);
    printf("depth: parse + book update: %.0f events/s (%.0f ns/event incl. 2 clock reads), %d refused, "
           "levels %zu bids %zu asks\n", M / ta, ta * 1e9 / M, bad, book_levels(&ds->book, BOOK_BID),
           book_levels(&ds->book, BOOK_ASK));
    printf("depth: event -> book updated: p50 %lld ns, p99 %lld ns, max %lld ns\n", (long long)lat[M / 2],
           (long long)lat[M * 99 / 100], (long long)lat[M - 1]);
    /* without the clock reads, best of ROUNDS */
    double best = 1e9;
    for (int r = 0; r < ROUNDS; r++) {
        depth_sync_free(ds);
        depth_sync_init(ds, TICK);
        depth_sync_snapshot(ds, &snap);
        t0 = ns();
        for (int i = 0; i < M; i++) {
            depth_json_update(msg[i], len[i], sym, &u, lv, 4096, NULL, 0);
            depth_sync_update(ds, &u);
        }
        ta = (double)(ns() - t0) / 1e9;
        best = ta < best ? ta : best;
    }
    printf("depth: parse + book update, untimed events: %.0f events/s (best of %d)\n", M / best, ROUNDS);

    /* B: through the engine, in pieces */
    struct engine_config cfg;
    engine_config_defaults(&cfg);
    static struct instrument inst = { .symbol = "BTCUSDT", .tick = 0.01 };
    cfg.n_symbols = 1;
    cfg.inst = &inst;
    cfg.history = 16;
    struct spsc rec;
    spsc_init(&rec, sizeof(struct record), 1024);
    struct engine *e = NULL;
    struct engine_event ev = { .type = EE_DEPTH };
    double tb = 1e9;
    for (int r = 0; r < ROUNDS; r++) {
        engine_destroy(e);
        e = engine_create(&cfg, &rec);
        depth_piece_make(&snap, "BTCUSDT", true, 0, 0, &ev.u.depth);
        engine_step(e, &ev);
        t0 = ns();
        for (int i = 0; i < M; i++) {
            depth_json_update(msg[i], len[i], sym, &u, lv, 4096, NULL, 0);
            int np = depth_piece_count(&u);
            for (int p = 0; p < np; p++) {
                depth_piece_make(&u, sym, false, 0, p, &ev.u.depth);
                engine_step(e, &ev);
            }
        }
        double t = (double)(ns() - t0) / 1e9;
        tb = t < tb ? t : tb;
    }
    const struct depth_sync *es = engine_depth(e, "BTCUSDT");
    printf("depth: parse + engine pieces + engine_step: %.0f events/s (book %s, same as A: %s)\n", M / tb,
           es && depth_sync_book(es) ? "synced" : "NOT synced",
           es && book_equal(&es->book, &ds->book) ? "yes" : "NO");
    printf("depth: (best of %d)\n", ROUNDS);
    /* B once more, each event timed: message -> the engine's book updated */
    engine_destroy(e);
    e = engine_create(&cfg, &rec);
    depth_piece_make(&snap, "BTCUSDT", true, 0, 0, &ev.u.depth);
    engine_step(e, &ev);
    for (int i = 0; i < M; i++) {
        int64_t a = ns();
        depth_json_update(msg[i], len[i], sym, &u, lv, 4096, NULL, 0);
        int np = depth_piece_count(&u);
        for (int p = 0; p < np; p++) {
            depth_piece_make(&u, sym, false, 0, p, &ev.u.depth);
            engine_step(e, &ev);
        }
        lat[i] = ns() - a;
    }
    qsort(lat, M, sizeof *lat, cmp64);
    printf("depth: event -> engine book updated: p50 %lld ns, p99 %lld ns, max %lld ns (goal p99 < 20 us)\n",
           (long long)lat[M / 2], (long long)lat[M * 99 / 100], (long long)lat[M - 1]);

    /* C: parse only, ours against jansson, interleaved in blocks */
    double tp = 0, tj = 0;
    size_t sum = 0, sumj = 0;
    for (int r = 0; r < ROUNDS; r++)
        for (int b0 = 0; b0 < M; b0 += BLOCK) {
            int b1 = b0 + BLOCK < M ? b0 + BLOCK : M;
            t0 = ns();
            for (int i = b0; i < b1; i++) {
                depth_json_update(msg[i], len[i], sym, &u, lv, 4096, NULL, 0);
                sum += u.nb + u.na;
            }
            tp += (double)(ns() - t0) / 1e9;
            t0 = ns();
            for (int i = b0; i < b1; i++) {
                json_t *root = json_loadb(msg[i], len[i], 0, NULL);
                json_t *d = json_object_get(root, "data");
                const char *side[2] = { "b", "a" };
                for (int s = 0; s < 2; s++) {
                    json_t *arr = json_object_get(d, side[s]), *l;
                    size_t k;
                    json_array_foreach(arr, k, l) {
                        int64_t px, qty;
                        const char *p = json_string_value(json_array_get(l, 0));
                        const char *q = json_string_value(json_array_get(l, 1));
                        if (p && q && book_parse_fixed(p, strlen(p), &px) == 0 &&
                            book_parse_fixed(q, strlen(q), &qty) == 0)
                            sumj++;
                    }
                }
                json_decref(root);
            }
            tj += (double)(ns() - t0) / 1e9;
        }
    tp /= ROUNDS;
    tj /= ROUNDS;
    printf("depth: parse only: ours %.0f msgs/s, jansson %.0f msgs/s (reference, same run): ratio %.1fx%s\n",
           M / tp, M / tj, tj / tp, sum == sumj ? "" : " (LEVEL COUNTS DIFFER)");
    engine_destroy(e);
    depth_sync_free(ds);
    return bad != 0;
}
