/* Indicator-set timing: ns per candle for ta_set_batch and ta_set_push over the
 * same seeded random walk that TA-Lib's ta_ref uses, best of 5 runs. Prints
 * plain "name: X ns/candle" lines that bench/run.sh sets beside TA-Lib's. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "alphapulse/candle.h"
#include "alphapulse/ta_set.h"

struct data {
    size_t n;
    int64_t *t;
    double *o, *h, *l, *c, *v;
    struct candle *candles;
};

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* the generator of ta_ref's bench mode, so both sides time the same candles */
static void make_data(struct data *d, size_t n)
{
    d->n = n;
    d->t = malloc(n * sizeof *d->t);
    double **cols[] = { &d->o, &d->h, &d->l, &d->c, &d->v };
    for (int i = 0; i < 5; i++)
        *cols[i] = malloc(n * sizeof(double));
    d->candles = calloc(n, sizeof *d->candles);
    unsigned long long s = 42;
    double p = 100;
    for (size_t i = 0; i < n; i++) {
        s = s * 6364136223846793005ULL + 1442695040888963407ULL;
        double r = ((double)(s >> 11) / 9007199254740992.0 - 0.5) * 0.01;
        double o = p, c = p * (1 + r);
        double h = fmax(o, c) * (1 + fabs(r) * 0.3), l = fmin(o, c) * (1 - fabs(r) * 0.3);
        d->t[i] = 60000LL * (int64_t)i;
        d->o[i] = o; d->h[i] = h; d->l[i] = l; d->c[i] = c; d->v[i] = 1 + fabs(r) * 1000;
        d->candles[i] = (struct candle){ .open_time = d->t[i], .open = o, .high = h,
                                         .low = l, .close = c, .volume = d->v[i] };
        p = c;
    }
}

static double sink;      /* keeps results observable so nothing is optimised away */

static double run_indicators_batch(const struct data *d)
{
    static struct ta_set_out out;
    if (!out.col[0])
        for (int k = 0; k < TA_NCOLS; k++)
            out.col[k] = malloc(d->n * sizeof(double));
    struct ta_ohlcv in = { d->t, d->o, d->h, d->l, d->c, d->v };
    double a = now();
    ta_set_batch(&in, d->n, &out);
    double b = now();
    for (int k = 0; k < TA_NCOLS; k++)
        sink += out.col[k][d->n - 1];
    return b - a;
}

static double run_indicators_streaming(const struct data *d)
{
    static struct ta_set s;
    struct ta_values v;
    double acc = 0;
    double a = now();
    if (ta_set_init(&s) != 0)
        return 0;
    for (size_t i = 0; i < d->n; i++) {
        ta_set_push(&s, &d->candles[i], &v);
        acc += v.rsi_14;
    }
    double b = now();
    ta_set_free(&s);
    sink += acc + v.volume_ratio;
    return b - a;
}

/* The benchmark list. Add a row here for the candlestick patterns once they
 * exist, e.g. { "patterns batch", run_patterns_batch }: bench/run.sh compares
 * "patterns batch" with TA-Lib's 61-pattern figure automatically. */
static const struct bench_case {
    const char *name;
    double (*run)(const struct data *d);   /* seconds for one pass over d */
} cases[] = {
    { "indicators batch", run_indicators_batch },
    { "indicators streaming", run_indicators_streaming },
};

int main(int argc, char **argv)
{
    size_t n = argc > 1 ? (size_t)strtoull(argv[1], NULL, 10) : 1000000;
    if (n < 100)
        n = 100;
    struct data d;
    make_data(&d, n);
    printf("bench_ta: %zu synthetic candles, best of 5\n", n);
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
        double best = INFINITY;
        for (int r = 0; r < 5; r++) {
            double t = cases[c].run(&d);
            if (t < best)
                best = t;
        }
        printf("%s: %.1f ns/candle\n", cases[c].name, best / (double)n * 1e9);
    }
    if (sink == 12345.6789)
        printf("#\n");
    return 0;
}
