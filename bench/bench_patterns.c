/* How fast are the 61 candlestick patterns? ns per candle, best of 5, on 1,000,000
 * seeded random-walk candles with occasional dojis and gaps, for: one pass computing
 * all 61 (cdl_batch_all), 61 separate cdl_batch calls (what TA-Lib's own benchmark
 * does: one function per pattern), and streaming (cdl_push, all 61 per candle).
 * bench/run.sh prints TA-Lib's figure (ta_ref bench) beside these.
 * usage: bench_patterns [candles] */
#include "alphapulse/patterns.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static uint64_t rng = 42;
static double uniform(void)   /* [0, 1) */
{
    rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
    return (double)(rng >> 11) / 9007199254740992.0;
}

static void make_candles(struct candle *c, size_t n)
{
    double p = 100;
    for (size_t i = 0; i < n; i++) {
        double u = uniform();
        double o = u < 0.03 ? p * (1 + (uniform() - 0.5) * 0.02) : p;   /* gap */
        double r = (uniform() - 0.5) * 0.01;
        double cl = uniform() < 0.08 ? o : o * (1 + r);                  /* doji */
        double h = fmax(o, cl) * (1 + uniform() * 0.003);
        double l = fmin(o, cl) * (1 - uniform() * 0.003);
        c[i] = (struct candle){ .open_time = (int64_t)i * 60000, .open = o, .high = h, .low = l,
                                .close = cl, .volume = 1 + uniform() * 1000 };
        p = cl;
    }
}

int main(int argc, char **argv)
{
    size_t n = argc > 1 ? (size_t)atol(argv[1]) : 1000000;
    struct candle *c = malloc(n * sizeof *c);
    int *all = malloc(n * CDL_COUNT * sizeof *all);     /* row-major, from cdl_batch_all */
    int *cols = malloc(n * CDL_COUNT * sizeof *cols);   /* one column per pattern */
    if (!c || !all || !cols) {
        fprintf(stderr, "bench_patterns: out of memory for %zu candles\n", n);
        return 1;
    }
    make_candles(c, n);

    double best_all = 1e9, best_each = 1e9, best_stream = 1e9, best_hits = 1e9;
    long checksum = 0, mismatches = 0, hits_total = 0;
    for (int round = 0; round < 5; round++) {
        double t0 = now();
        cdl_batch_all(c, n, all);
        double t1 = now();
        for (int id = 0; id < CDL_COUNT; id++)
            cdl_batch(id, c, n, cols + (size_t)id * n);
        double t2 = now();
        struct cdl_state st;
        cdl_init(&st);
        int out[CDL_COUNT];
        for (size_t i = 0; i < n; i++) {
            cdl_push(&st, &c[i], out);
            if (round == 0)
                for (int id = 0; id < CDL_COUNT; id++) {
                    mismatches += out[id] != cols[(size_t)id * n + i] || out[id] != all[i * CDL_COUNT + id];
                    checksum += out[id];
                }
            else
                checksum += out[i % CDL_COUNT];
        }
        double t3 = now();
        struct cdl_hit hits[CDL_COUNT];
        cdl_init(&st);
        for (size_t i = 0; i < n; i++)
            hits_total += cdl_push_hits(&st, &c[i], hits, CDL_COUNT);
        double t4 = now();
        best_all = fmin(best_all, t1 - t0);
        best_each = fmin(best_each, t2 - t1);
        best_stream = fmin(best_stream, t3 - t2);
        best_hits = fmin(best_hits, t4 - t3);
    }
    printf("patterns batch (61, one pass): %.1f ns/candle\n", best_all / n * 1e9);
    printf("patterns batch (61 x cdl_batch): %.1f ns/candle\n", best_each / n * 1e9);
    printf("patterns streaming (61): %.1f ns/candle\n", best_stream / n * 1e9);
    printf("patterns streaming with hits (61): %.1f ns/candle\n", best_hits / n * 1e9);
    printf("patterns: %zu candles, %ld hits, checksum %ld, batch/stream mismatches %ld\n",
           n, hits_total / 5, checksum, mismatches);
    free(c);
    free(all);
    free(cols);
    return mismatches != 0;
}
