/* Indicators with non-default parameters against TA-Lib 0.6.0 (MACD 8/24/9 and
 * swapped periods, uneven Bollinger deviations, STOCH with slow %K of 1, ATR 1,
 * SAR with acceleration above its maximum, ...): tests/data/golden/params_*.csv,
 * made by tests/data/golden/gen_params.c. Streaming must equal batch here too. */
#include "harness.h"
#include "alphapulse/indicators.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>

/* same rule as test_indicators.c: relative 1e-9, absolute floor 1e-9 below 1 */
#define GOLD_TOL 1e-9
#define ROWS 2500
#define MAXCOL 64

struct input { size_t n; double h[ROWS], l[ROWS], c[ROWS], v[ROWS]; };

static int load_candles(const char *path, struct input *d, size_t max)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    char line[512];
    d->n = 0;
    if (!fgets(line, sizeof line, f)) {
        fclose(f);
        return -1;
    }
    long long t;
    double o;
    while (d->n < max && fgets(line, sizeof line, f)) {
        size_t i = d->n;
        if (sscanf(line, "%lld,%lf,%lf,%lf,%lf,%lf", &t, &o, &d->h[i], &d->l[i], &d->c[i], &d->v[i]) == 6)
            d->n++;
    }
    fclose(f);
    return 0;
}

/* our side: named output columns */
struct cols { int n; const char *name[MAXCOL]; double *data[MAXCOL]; };

static double *col(struct cols *c, const char *name)
{
    c->name[c->n] = name;
    c->data[c->n] = malloc(ROWS * sizeof(double));
    return c->data[c->n++];
}

static void compute(const struct input *d, struct cols *o)
{
    size_t n = d->n;
    const double *h = d->h, *l = d->l, *c = d->c, *v = d->v;
    sma_batch(c, n, 5, col(o, "sma_5"));
    sma_batch(c, n, 50, col(o, "sma_50"));
    ema_batch(c, n, 5, col(o, "ema_5"));
    ema_batch(c, n, 50, col(o, "ema_50"));
    wma_batch(c, n, 5, col(o, "wma_5"));
    wma_batch(c, n, 50, col(o, "wma_50"));
    rsi_batch(c, n, 7, col(o, "rsi_7"));
    rsi_batch(c, n, 30, col(o, "rsi_30"));
    double *m = col(o, "macd_8_24_9"), *s = col(o, "signal_macd_8_24_9"), *hh = col(o, "hist_macd_8_24_9");
    macd_batch(c, n, 8, 24, 9, m, s, hh);
    m = col(o, "macd_5_35_5"); s = col(o, "signal_macd_5_35_5"); hh = col(o, "hist_macd_5_35_5");
    macd_batch(c, n, 5, 35, 5, m, s, hh);
    m = col(o, "macd_26_12_9"); s = col(o, "signal_macd_26_12_9"); hh = col(o, "hist_macd_26_12_9");
    macd_batch(c, n, 26, 12, 9, m, s, hh);
    double *u = col(o, "upper_bb_10_2_1.5"), *mid = col(o, "middle_bb_10_2_1.5"), *lo = col(o, "lower_bb_10_2_1.5");
    bbands_batch(c, n, 10, 2.0, 1.5, u, mid, lo, NULL, NULL);
    u = col(o, "upper_bb_5_1_1"); mid = col(o, "middle_bb_5_1_1"); lo = col(o, "lower_bb_5_1_1");
    bbands_batch(c, n, 5, 1.0, 1.0, u, mid, lo, NULL, NULL);
    double *k = col(o, "k_stoch_5_3_3"), *dd = col(o, "d_stoch_5_3_3");
    stoch_batch(h, l, c, n, 5, 3, 3, k, dd);
    k = col(o, "k_stoch_9_1_4"); dd = col(o, "d_stoch_9_1_4");
    stoch_batch(h, l, c, n, 9, 1, 4, k, dd);
    atr_batch(h, l, c, n, 7, col(o, "atr_7"));
    atr_batch(h, l, c, n, 1, col(o, "atr_1"));
    double *a = col(o, "adx_7"), *p = col(o, "plus_di_7"), *q = col(o, "minus_di_7");
    adx_batch(h, l, c, n, 7, a, p, q);
    a = col(o, "adx_30"); p = col(o, "plus_di_30"); q = col(o, "minus_di_30");
    adx_batch(h, l, c, n, 30, a, p, q);
    sar_batch(h, l, n, 0.03, 0.25, col(o, "sar_0.03_0.25"));
    sar_batch(h, l, n, 0.3, 0.2, col(o, "sar_0.3_0.2"));
    cci_batch(h, l, c, n, 5, col(o, "cci_5"));
    cci_batch(h, l, c, n, 20, col(o, "cci_20"));
    willr_batch(h, l, c, n, 7, col(o, "willr_7"));
    willr_batch(h, l, c, n, 30, col(o, "willr_30"));
    mfi_batch(h, l, c, v, n, 7, col(o, "mfi_7"));
    mfi_batch(h, l, c, v, n, 30, col(o, "mfi_30"));
}

/* the first non-NAN row must be what the lookback function says */
static void check_lookbacks(const struct cols *o, size_t n)
{
    static const struct { const char *name; int lookback; } lb[] = {
        { "sma_50", 49 }, { "ema_5", 4 }, { "wma_50", 49 }, { "rsi_7", 7 },
        { "macd_8_24_9", 31 }, { "macd_5_35_5", 38 }, { "macd_26_12_9", 33 },
        { "upper_bb_10_2_1.5", 9 }, { "k_stoch_5_3_3", 8 }, { "d_stoch_9_1_4", 11 },
        { "atr_7", 7 }, { "atr_1", 1 }, { "adx_7", 13 }, { "plus_di_30", 30 },
        { "sar_0.3_0.2", 1 }, { "cci_20", 19 }, { "willr_30", 29 }, { "mfi_30", 30 },
    };
    int want[] = {
        sma_lookback(50), ema_lookback(5), wma_lookback(50), rsi_lookback(7),
        macd_lookback(8, 24, 9), macd_lookback(5, 35, 5), macd_lookback(26, 12, 9),
        bbands_lookback(10), stoch_lookback(5, 3, 3), stoch_lookback(9, 1, 4),
        atr_lookback(7), atr_lookback(1), adx_lookback(7), di_lookback(30),
        sar_lookback(), cci_lookback(20), willr_lookback(30), mfi_lookback(30),
    };
    for (size_t i = 0; i < sizeof lb / sizeof *lb; i++) {
        CHECK_MSG(want[i] == lb[i].lookback, "%s: lookback function says %d, TA-Lib %d",
                  lb[i].name, want[i], lb[i].lookback);
        for (int k = 0; k < o->n; k++)
            if (strcmp(o->name[k], lb[i].name) == 0) {
                size_t first = 0;
                while (first < n && isnan(o->data[k][first]))
                    first++;
                CHECK_MSG((int)first == lb[i].lookback, "%s: first value at row %zu", lb[i].name, first);
            }
    }
}

static void check_params(const char *candles, const char *talib)
{
    static struct input d;
    CHECK(load_candles(candles, &d, ROWS) == 0);
    CHECK(d.n == ROWS);
    struct cols o = { 0 };
    compute(&d, &o);
    check_lookbacks(&o, d.n);

    FILE *f = fopen(talib, "r");
    CHECK(f != NULL);
    if (!f)
        return;
    static char line[1 << 15];
    int map[MAXCOL + 1], nf = 0, matched = 0;
    if (fgets(line, sizeof line, f))
        for (char *p = line, *tok; (tok = strsep(&p, ",\r\n")) && nf <= MAXCOL; nf++) {
            map[nf] = -1;
            for (int k = 0; k < o.n; k++)
                if (strcmp(tok, o.name[k]) == 0) {
                    map[nf] = k;
                    matched++;
                }
        }
    CHECK_MSG(matched == o.n, "%d of our %d columns found in %s", matched, o.n, talib);
    double maxerr[MAXCOL] = { 0 };
    size_t bad[MAXCOL] = { 0 }, r = 0;
    while (r < d.n && fgets(line, sizeof line, f)) {
        char *p = line, *tok;
        for (int i = 0; i < nf && (tok = strsep(&p, ",\r\n")); i++) {
            int k = map[i];
            if (k < 0)
                continue;
            double b = *tok ? strtod(tok, NULL) : NAN, a = o.data[k][r];
            if (isnan(a) != isnan(b)) {
                if (!bad[k]++)
                    printf("#   %s row %zu: ours %.17g, TA-Lib %.17g\n", o.name[k], r, a, b);
                continue;
            }
            if (isnan(b))
                continue;
            double err = fabs(a - b) / (fabs(b) > 1 ? fabs(b) : 1);
            if (err > maxerr[k])
                maxerr[k] = err;
            if (!(err <= GOLD_TOL) && !bad[k]++)
                printf("#   %s row %zu: ours %.17g, TA-Lib %.17g\n", o.name[k], r, a, b);
        }
        r++;
    }
    fclose(f);
    CHECK(r == d.n);
    for (int k = 0; k < o.n; k++) {
        printf("# %-20s max error %.3g\n", o.name[k], maxerr[k]);
        CHECK_MSG(bad[k] == 0, "%s: %zu rows differ from TA-Lib", o.name[k], bad[k]);
        free(o.data[k]);
    }
}

static void params_real_btc(void)
{
    check_params("tests/data/golden/real_btc_5k.csv", "tests/data/golden/params_real_btc_2500.talib.csv");
}

static void params_synthetic(void)
{
    check_params("tests/data/golden/synthetic_trends_5k.csv",
                 "tests/data/golden/params_synthetic_2500.talib.csv");
}

static int same(double a, double b) { return (isnan(a) && isnan(b)) || a == b; }

/* every indicator's push, called by hand, gives what its batch gives */
static void streaming_equals_batch(void)
{
    static struct input d;
    CHECK(load_candles("tests/data/golden/real_btc_5k.csv", &d, ROWS) == 0);
    size_t n = d.n;
    static double b1[ROWS], b2[ROWS], b3[ROWS], b4[ROWS], b5[ROWS];
    static struct sma sma; static struct wma wma; static struct cci cci;
    static struct willr willr; static struct mfi mfi; static struct stoch st;
    static struct bbands bb; static struct volume_ratio vr;
    struct ema ema; struct rsi rsi; struct macd macd; struct atr atr; struct adx adx;
    struct sar sar; struct obv obv; struct keltner kc;
    size_t diffs = 0;
#define SAME(x, y) do { if (!same((x), (y))) diffs++; } while (0)

    sma_batch(d.c, n, 7, b1); sma_init(&sma, 7);
    for (size_t i = 0; i < n; i++) SAME(sma_push(&sma, d.c[i]), b1[i]);
    ema_batch(d.c, n, 9, b1); ema_init(&ema, 9);
    for (size_t i = 0; i < n; i++) SAME(ema_push(&ema, d.c[i]), b1[i]);
    wma_batch(d.c, n, 11, b1); wma_init(&wma, 11);
    for (size_t i = 0; i < n; i++) SAME(wma_push(&wma, d.c[i]), b1[i]);
    rsi_batch(d.c, n, 9, b1); rsi_init(&rsi, 9);
    for (size_t i = 0; i < n; i++) SAME(rsi_push(&rsi, d.c[i]), b1[i]);
    macd_batch(d.c, n, 8, 24, 9, b1, b2, b3); macd_init(&macd, 8, 24, 9);
    for (size_t i = 0; i < n; i++) {
        struct macd_out m;
        macd_push(&macd, d.c[i], &m);
        SAME(m.macd, b1[i]); SAME(m.signal, b2[i]); SAME(m.hist, b3[i]);
    }
    bbands_batch(d.c, n, 20, 2, 2, b1, b2, b3, b4, b5); bbands_init(&bb, 20, 2, 2);
    for (size_t i = 0; i < n; i++) {
        struct bbands_out m;
        bbands_push(&bb, d.c[i], &m);
        SAME(m.upper, b1[i]); SAME(m.middle, b2[i]); SAME(m.lower, b3[i]);
        SAME(m.percent_b, b4[i]); SAME(m.width, b5[i]);
    }
    stoch_batch(d.h, d.l, d.c, n, 14, 3, 3, b1, b2); stoch_init(&st, 14, 3, 3);
    for (size_t i = 0; i < n; i++) {
        double k, dd;
        stoch_push(&st, d.h[i], d.l[i], d.c[i], &k, &dd);
        SAME(k, b1[i]); SAME(dd, b2[i]);
    }
    atr_batch(d.h, d.l, d.c, n, 14, b1); atr_init(&atr, 14);
    for (size_t i = 0; i < n; i++) SAME(atr_push(&atr, d.h[i], d.l[i], d.c[i]), b1[i]);
    adx_batch(d.h, d.l, d.c, n, 14, b1, b2, b3); adx_init(&adx, 14);
    for (size_t i = 0; i < n; i++) {
        double a, p, q;
        adx_push(&adx, d.h[i], d.l[i], d.c[i], &a, &p, &q);
        SAME(a, b1[i]); SAME(p, b2[i]); SAME(q, b3[i]);
    }
    sar_batch(d.h, d.l, n, 0.02, 0.2, b1); sar_init(&sar, 0.02, 0.2);
    for (size_t i = 0; i < n; i++) SAME(sar_push(&sar, d.h[i], d.l[i]), b1[i]);
    cci_batch(d.h, d.l, d.c, n, 14, b1); cci_init(&cci, 14);
    for (size_t i = 0; i < n; i++) SAME(cci_push(&cci, d.h[i], d.l[i], d.c[i]), b1[i]);
    willr_batch(d.h, d.l, d.c, n, 14, b1); willr_init(&willr, 14);
    for (size_t i = 0; i < n; i++) SAME(willr_push(&willr, d.h[i], d.l[i], d.c[i]), b1[i]);
    obv_batch(d.c, d.v, n, b1); obv_init(&obv);
    for (size_t i = 0; i < n; i++) SAME(obv_push(&obv, d.c[i], d.v[i]), b1[i]);
    mfi_batch(d.h, d.l, d.c, d.v, n, 14, b1); mfi_init(&mfi, 14);
    for (size_t i = 0; i < n; i++) SAME(mfi_push(&mfi, d.h[i], d.l[i], d.c[i], d.v[i]), b1[i]);
    keltner_batch(d.h, d.l, d.c, n, 20, 10, 2, b1, b2, b3); keltner_init(&kc, 20, 10, 2);
    for (size_t i = 0; i < n; i++) {
        struct keltner_out m;
        keltner_push(&kc, d.h[i], d.l[i], d.c[i], &m);
        SAME(m.upper, b1[i]); SAME(m.middle, b2[i]); SAME(m.lower, b3[i]);
    }
    volume_ratio_batch(d.v, n, 20, b1, b2); volume_ratio_init(&vr, 20);
    for (size_t i = 0; i < n; i++) {
        double a, r;
        volume_ratio_push(&vr, d.v[i], &a, &r);
        SAME(a, b1[i]); SAME(r, b2[i]);
    }
    CHECK_MSG(diffs == 0, "%zu streaming values differ from batch", diffs);
    /* and the batch outputs are real numbers, not all NAN */
    CHECK(!isnan(b1[n - 1]) && b1[n - 1] > 0 && !isnan(b2[n - 1]));
}

/* sliding extremes against a brute-force scan, on many periods and a series
 * with long monotonic runs, plateaus and spikes */
static void extremes_match_brute_force(void)
{
    static double x[3000];
    unsigned s = 12345;
    for (int i = 0; i < 3000; i++) {
        s = s * 1103515245u + 12345u;
        int r = (int)((s >> 16) % 100);
        x[i] = i < 500 ? 1000 - i : i < 900 ? (double)(i / 37) : (double)r + (i % 250 == 0 ? 500 : 0);
    }
    static struct ta_extreme mx, mn;
    int periods[] = { 1, 2, 3, 14, 64, 511, 512 };
    for (size_t pi = 0; pi < sizeof periods / sizeof *periods; pi++) {
        int p = periods[pi];
        ta_extreme_init(&mx, p, 1);
        ta_extreme_init(&mn, p, 0);
        size_t bad = 0;
        for (int i = 0; i < 3000; i++) {
            double hi = x[i], lo = x[i];
            for (int j = i - p + 1 < 0 ? 0 : i - p + 1; j <= i; j++) {
                hi = x[j] > hi ? x[j] : hi;
                lo = x[j] < lo ? x[j] : lo;
            }
            if (ta_extreme_push(&mx, x[i]) != hi) bad++;
            if (ta_extreme_push(&mn, x[i]) != lo) bad++;
        }
        CHECK_MSG(bad == 0, "period %d: %zu wrong extremes", p, bad);
        ta_extreme_free(&mx);
        ta_extreme_free(&mn);
    }
}

int main(void)
{
    RUN(params_real_btc);
    RUN(params_synthetic);
    RUN(streaming_equals_batch);
    RUN(extremes_match_brute_force);
    HARNESS_EXIT();
}
