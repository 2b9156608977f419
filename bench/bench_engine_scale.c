/* Engine throughput at market scale: 1,000 symbols live, each pushing a kline
 * update about every 2 s and closing a 1m candle every minute, all in one
 * engine thread as the console runs it. Measures the latency of engine_step on
 * a closed candle (candle close -> analysis and any signal done) at p50/p99,
 * and the engine's CPU time per minute of market, as a share of one core. The
 * reference, in the same run, is the same work for one symbol alone: the ratio
 * says what the number of symbols costs per close. Candles are a seeded random
 * walk per symbol; 300 minutes warm the indicators and regimes first (the
 * default warm-up is 200 candles); candidates are raised on every timeframe
 * with no cost gate, so the 1m closes do reach consensus and make signals
 * (the default timeframes, 4h and 1d, would not warm up in a bench). History is
 * 64 candles per series (the
 * length does not change the work per candle, only memory: see bench_symbols).
 * Prints plain lines; not part of `make check`. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alphapulse/clock.h"
#include "alphapulse/config.h"
#include "alphapulse/engine.h"

#define T0 1733011200000LL           /* 2024-12-01T00:00Z */
#define MIN 60000LL
#define WARM 300                     /* minutes before measuring */
#define LIVE 20                      /* minutes measured */
#define UPDATES 30                   /* kline updates per minute per symbol (one every 2 s) */

struct sym { double px; unsigned seed; };

static int cmp64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* One minute of symbol i: `updates` partial klines, then the close. Closed
 * steps are timed into lat[]; returns how many. */
static int minute(struct engine *e, const char *name, struct sym *s, int64_t open, int updates, int64_t *lat)
{
    double o = s->px, h = o, l = o, c = o;
    struct engine_event ev = { .type = EE_KLINE };
    snprintf(ev.u.k.symbol, SYMBOL_MAX, "%s", name);
    ev.u.k.tf = TF_1M;
    for (int u = 0; u <= updates; u++) {
        c *= 1 + ((double)rand_r(&s->seed) / RAND_MAX - 0.5) * 0.002;
        h = fmax(h, c);
        l = fmin(l, c);
        ev.u.k.closed = u == updates;
        ev.u.k.event_time = open + (u == updates ? MIN - 1 : (MIN - 1) * (u + 1) / (updates + 1));
        ev.u.k.c = (struct candle){ .open_time = open, .open = o, .high = h, .low = l, .close = c,
                                    .volume = 5 + (double)rand_r(&s->seed) / RAND_MAX * 10 };
        if (ev.u.k.closed && lat) {
            int64_t t0 = clock_mono_ns();
            engine_step(e, &ev);
            *lat = clock_mono_ns() - t0;
        } else {
            engine_step(e, &ev);
        }
    }
    s->px = c;
    return lat ? 1 : 0;
}

struct result { double p50_us, p99_us, cpu_share, close_us, update_us; };

static int run(int n, struct result *r)
{
    struct instrument *inst = calloc((size_t)n, sizeof *inst);
    struct sym *st = calloc((size_t)n, sizeof *st);
    int64_t *lat = malloc(sizeof *lat * (size_t)n * LIVE);
    struct engine_config cfg;
    engine_config_defaults(&cfg);
    for (int i = 0; i < n; i++) {
        snprintf(inst[i].symbol, SYMBOL_MAX, "B%04dUSDT", i);
        snprintf(inst[i].base, sizeof inst[i].base, "B%04u", (unsigned)i);
        snprintf(inst[i].quote, sizeof inst[i].quote, "USDT");
        st[i] = (struct sym){ .px = 10 + i, .seed = 1234u + (unsigned)i };
    }
    static const struct config_vocab vocab = { .profile = &engine_profile_schema };
    static struct config conf;
    char err[200];
    config_defaults(&conf, &vocab);
    if (config_set(&conf, "signals.timeframes", "1m,5m,15m,1h,4h,1d", CFG_SRC_CLI, err, sizeof err) ||
        config_set(&conf, "signals.max_cost_r", "1000", CFG_SRC_CLI, err, sizeof err)) {
        fprintf(stderr, "bench_engine_scale: %s\n", err);
        return -1;
    }
    cfg.file = &conf;
    cfg.inst = inst;
    cfg.n_symbols = n;
    cfg.history = 64;
    struct engine *e = engine_create(&cfg, NULL);
    if (!e || !lat)
        return -1;
    for (int m = 0; m < WARM; m++)
        for (int i = 0; i < n; i++)
            minute(e, inst[i].symbol, &st[i], T0 + m * MIN, 0, NULL);
    /* live: closes timed one by one; CPU of closes and of updates apart */
    size_t nl = 0;
    int64_t cpu_close = 0, cpu_upd = 0;
    for (int m = WARM; m < WARM + LIVE; m++) {
        int64_t c0 = clock_thread_cpu_us();
        for (int i = 0; i < n; i++)
            nl += (size_t)minute(e, inst[i].symbol, &st[i], T0 + m * MIN, 0, &lat[nl]);
        int64_t c1 = clock_thread_cpu_us();
        cpu_close += c1 - c0;
    }
    /* updates alone: the same minutes again would be old, so a fresh minute per
     * round with UPDATES partials and its close (closes' CPU taken out) */
    int64_t u0 = clock_thread_cpu_us();
    for (int i = 0; i < n; i++)
        minute(e, inst[i].symbol, &st[i], T0 + (WARM + LIVE) * MIN, UPDATES, NULL);
    cpu_upd = clock_thread_cpu_us() - u0 - cpu_close / LIVE;
    qsort(lat, nl, sizeof *lat, cmp64);
    r->p50_us = lat[nl / 2] / 1e3;
    r->p99_us = lat[(size_t)(0.99 * (double)(nl - 1))] / 1e3;
    r->close_us = (double)cpu_close / (double)nl;
    r->update_us = cpu_upd > 0 ? (double)cpu_upd / ((double)n * UPDATES) : 0;
    /* per minute of market: n closes and n x UPDATES updates */
    r->cpu_share = (n * r->close_us + (double)n * UPDATES * r->update_us) / 60e6;
    const struct signal_engine *se = engine_signals(e);
    printf("  %4d symbols: %llu candidates, %llu signals over the run\n", n,
           (unsigned long long)se->stats.candidates, (unsigned long long)se->stats.emitted);
    engine_destroy(e);
    free(lat);
    free(st);
    free(inst);
    return 0;
}

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 1000;
    struct result one, many;
    if (run(1, &one) || run(n, &many)) {
        fprintf(stderr, "bench_engine_scale: out of memory\n");
        return 1;
    }
    printf("engine, candle close -> signal: %d symbols p50 %.1f us p99 %.1f us; 1 symbol p50 %.1f us p99 %.1f us: "
           "p99 x%.2f\n", n, many.p50_us, many.p99_us, one.p50_us, one.p99_us, many.p99_us / one.p99_us);
    printf("engine CPU per close %.1f us, per update %.2f us; %d symbols (a close a minute, an update every 2 s): "
           "%.4f %% of one core; 1 symbol: %.6f %%: x%.0f\n", many.close_us, many.update_us, n,
           100 * many.cpu_share, 100 * one.cpu_share, many.cpu_share / one.cpu_share);
    return 0;
}
