/* Signal pipeline timing. (1) One series: ns per closed candle for indicators +
 * patterns alone and with the whole signal pipeline (regime, levels, divergence,
 * confluence, voters, consensus, queue, outcomes), best of 3, on the seeded regime
 * series of the tests. (2) The engine: each closed 1m kline through engine_step
 * (all timeframes it closes, every indicator, pattern, regime and signal check),
 * timed one by one: the candle-close -> signal latency p50/p99/max. Plain lines. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../tests/unit/regime_gen.h"
#include "alphapulse/engine.h"
#include "alphapulse/patterns.h"
#include "alphapulse/signal.h"
#include "alphapulse/ta_set.h"

static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

/* returns ns per candle; with_signals: also the signal pipeline */
static double series_run(const struct gen_series *g, bool with_signals, uint64_t *emitted)
{
    struct ta_set *ta = malloc(sizeof *ta);
    struct cdl_state *cs = malloc(sizeof *cs);
    struct signal_engine *se = signal_engine_create(1, NULL);
    ta_set_init(ta);
    cdl_init(cs);
    int64_t t0 = now_ns();
    for (size_t i = 0; i < g->n; i++) {
        struct ta_values v;
        struct cdl_hit hits[CDL_COUNT];
        ta_set_push(ta, &g->c[i], &v);
        int n = cdl_push_hits(cs, &g->c[i], hits, CDL_COUNT);
        if (with_signals)
            signal_on_candle(se, 0, TF_15M, &g->c[i], &v, hits, n);
    }
    double ns = (double)(now_ns() - t0) / (double)g->n;
    *emitted = se->stats.emitted;
    free(ta);
    free(cs);
    signal_engine_destroy(se);
    return ns;
}

int main(int argc, char **argv)
{
    size_t want = argc > 1 ? (size_t)atol(argv[1]) : 1000000;
    struct gen_series g;
    gen_make(&g, 42, (int)(want / 200) + 1);
    if (g.n > want)
        g.n = want;
    double base = 1e30, full = 1e30;
    uint64_t emitted = 0;
    for (int r = 0; r < 3; r++) {
        double b = series_run(&g, false, &emitted), f = series_run(&g, true, &emitted);
        base = b < base ? b : base;
        full = f < full ? f : full;
    }
    printf("signals: %zu candles, %llu signals\n", g.n, (unsigned long long)emitted);
    printf("indicators + patterns: %.1f ns/candle\n", base);
    printf("indicators + patterns + regime + voters + consensus: %.1f ns/candle\n", full);
    printf("signal pipeline alone: %.1f ns/candle (%.2f x the indicators and patterns)\n", full - base,
           (full - base) / base);

    /* the engine, one symbol, every closed 1m kline timed */
    size_t n1 = g.n < 300000 ? g.n : 300000;
    struct engine_config cfg;
    struct instrument inst[INSTRUMENTS_MAX] = { 0 };
    engine_config_defaults(&cfg);
    cfg.inst = inst;
    cfg.n_symbols = 1;
    snprintf(inst[0].symbol, SYMBOL_MAX, "BTCUSDT");
    snprintf(inst[0].base, sizeof inst[0].base, "BTC");
    snprintf(inst[0].quote, sizeof inst[0].quote, "USDT");
    struct engine *e = engine_create(&cfg, NULL);
    int64_t *lat = malloc(n1 * sizeof *lat);
    int64_t t_all = 0;
    for (size_t i = 0; i < n1; i++) {
        struct engine_event ev = { .type = EE_KLINE };
        snprintf(ev.u.k.symbol, SYMBOL_MAX, "BTCUSDT");
        ev.u.k.tf = TF_1M;
        ev.u.k.closed = true;
        ev.u.k.c = g.c[i];
        ev.u.k.c.open_time = 1700006400000LL + (int64_t)i * 60000;   /* a UTC day boundary */
        ev.u.k.event_time = ev.u.k.c.open_time + 60000;
        int64_t t0 = now_ns();
        engine_step(e, &ev);
        lat[i] = now_ns() - t0;
        t_all += lat[i];
    }
    const struct signal_stats *st = &engine_signals(e)->stats;
    qsort(lat, n1, sizeof *lat, cmp_i64);
    printf("engine: %zu closed 1m klines (1m..1d series), %llu candidates, %llu signals, filter rate %.1f %%\n", n1,
           (unsigned long long)st->candidates, (unsigned long long)st->emitted, 100 * signal_filter_rate(st));
    printf("engine closed 1m kline: %.1f ns/candle\n", (double)t_all / (double)n1);
    printf("candle close -> signal latency: p50 %lld ns, p99 %lld ns, p99.9 %lld ns, max %lld ns (target p99 < 100000 ns)\n",
           (long long)lat[n1 / 2], (long long)lat[n1 * 99 / 100], (long long)lat[n1 * 999 / 1000], (long long)lat[n1 - 1]);
    free(lat);
    engine_destroy(e);
    gen_free(&g);
    return 0;
}
