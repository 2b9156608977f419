/* One year of 1m candles (525,600) through the full engine — 1m series and the
 * 5m..1d built from it, the whole indicator set and 61 patterns on every closed
 * candle of every timeframe, the strategy, sizing, risk checks and the broker —
 * as `alphapulse backtest` runs it. Target: under 2 s. The candles are a seeded
 * random walk (a year of real 1m data is not bundled); the same seed every run. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "alphapulse/backtest.h"

#define N 525600

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static uint64_t rng = 88172645463325252ULL;
static double urand(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (double)(rng >> 11) / 9007199254740992.0;
}

int main(int argc, char **argv)
{
    (void)argc;
    (void)argv;                       /* bench/run.sh passes a size for the TA benches: fixed here */
    struct candle *c = malloc(N * sizeof *c);
    if (!c)
        return 1;
    double px = 40000;
    int64_t t0 = 1704067200000LL;     /* 2024-01-01T00:00Z */
    for (size_t i = 0; i < N; i++) {
        double o = px, cl = px * (1 + (urand() - 0.5) * 0.003);
        double hi = (o > cl ? o : cl) * (1 + urand() * 0.001), lo = (o < cl ? o : cl) * (1 - urand() * 0.001);
        c[i] = (struct candle){ .open_time = t0 + (int64_t)i * 60000, .open = o, .high = hi, .low = lo,
                                .close = cl, .volume = 1 + urand() * 10 };
        px = cl;
    }
    static const int tfs[] = { TF_1H, TF_1M };
    for (size_t k = 0; k < sizeof tfs / sizeof tfs[0]; k++) {
        struct backtest_opts o = { .tf = tfs[k], .strategy = strategy_find("ema_cross"), .input = "synthetic" };
        snprintf(o.symbol, sizeof o.symbol, "BTCUSDT");
        engine_config_defaults(&o.cfg);
        struct backtest_result r;
        char err[256];
        double best = 1e9;
        for (int rep = 0; rep < 3; rep++) {
            double t = now_s();
            if (backtest_run(&o, c, N, &r, err, sizeof err)) {
                fprintf(stderr, "%s\n", err);
                return 1;
            }
            t = now_s() - t;
            if (t < best)
                best = t;
            if (rep < 2)
                backtest_result_free(&r);
        }
        printf("backtest %d 1m candles, ema_cross on %s: %.3f s (best of 3), %.0f candles/s, %.0f ns/candle; "
               "%zu trades, %ld commands; target < 2 s: %s\n",
               N, tf_name(o.tf), best, N / best, best / N * 1e9, r.n_trades, r.commands, best < 2 ? "met" : "MISSED");
        backtest_result_free(&r);
    }
    free(c);
    return 0;
}
