/* Indicators against TA-Lib 0.6.0 golden outputs (tests/data/golden), streaming
 * against batch, VWAP/Keltner against plain re-computations, and edge cases. */
#include "harness.h"
#include "alphapulse/indicators.h"
#include "alphapulse/ta_set.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>

/* Agreement with TA-Lib: |ours - talib| <= 1e-9 * max(1, |talib|), i.e. relative
 * 1e-9 with an absolute floor of 1e-9 for values below 1 in magnitude (macd_hist,
 * bb_width, volume_ratio and DI values cross or approach 0). */
#define GOLD_TOL 1e-9

struct ohlcv {
    size_t n;
    int64_t *t;
    double *o, *h, *l, *c, *v;
};

static void ohlcv_free(struct ohlcv *d)
{
    free(d->t); free(d->o); free(d->h); free(d->l); free(d->c); free(d->v);
}

static void ohlcv_alloc(struct ohlcv *d, size_t n)
{
    d->n = n;
    d->t = calloc(n ? n : 1, sizeof *d->t);
    d->o = calloc(n ? n : 1, sizeof(double));
    d->h = calloc(n ? n : 1, sizeof(double));
    d->l = calloc(n ? n : 1, sizeof(double));
    d->c = calloc(n ? n : 1, sizeof(double));
    d->v = calloc(n ? n : 1, sizeof(double));
}

static int load_candles(const char *path, struct ohlcv *d)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    char line[512];
    size_t cap = 8192, n = 0;
    ohlcv_alloc(d, cap);
    if (!fgets(line, sizeof line, f)) {
        fclose(f);
        return -1;
    }
    long long t;
    double o, h, l, c, v;
    while (fgets(line, sizeof line, f)) {
        if (sscanf(line, "%lld,%lf,%lf,%lf,%lf,%lf", &t, &o, &h, &l, &c, &v) != 6)
            continue;
        if (n == cap) {
            fclose(f);
            return -1;
        }
        d->t[n] = t; d->o[n] = o; d->h[n] = h; d->l[n] = l; d->c[n] = c; d->v[n] = v;
        n++;
    }
    fclose(f);
    d->n = n;
    return 0;
}

/* The golden file: for each of our columns, the file's column or -1. */
struct golden {
    size_t n;
    int where[TA_NCOLS];
    double *col[TA_NCOLS];
};

static int load_golden(const char *path, struct golden *g, size_t rows)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    static char line[1 << 16];
    if (!fgets(line, sizeof line, f)) {
        fclose(f);
        return -1;
    }
    int fieldcol[256];
    int nf = 0;
    for (int k = 0; k < TA_NCOLS; k++) {
        g->where[k] = -1;
        g->col[k] = NULL;
    }
    for (char *p = line, *tok; (tok = strsep(&p, ",\r\n")) && nf < 256; nf++) {
        fieldcol[nf] = -1;
        for (int k = 0; k < TA_NCOLS; k++)
            if (strcmp(tok, ta_columns[k]) == 0) {
                fieldcol[nf] = k;
                g->where[k] = nf;
                g->col[k] = malloc(rows * sizeof(double));
            }
    }
    size_t r = 0;
    while (r < rows && fgets(line, sizeof line, f)) {
        char *p = line, *tok;
        for (int i = 0; i < nf && (tok = strsep(&p, ",\r\n")); i++)
            if (fieldcol[i] >= 0)
                g->col[fieldcol[i]][r] = *tok ? strtod(tok, NULL) : NAN;
        r++;
    }
    fclose(f);
    g->n = r;
    return 0;
}

static void golden_free(struct golden *g)
{
    for (int k = 0; k < TA_NCOLS; k++)
        free(g->col[k]);
}

static struct ta_ohlcv as_input(const struct ohlcv *d)
{
    struct ta_ohlcv in = { d->t, d->o, d->h, d->l, d->c, d->v };
    return in;
}

/* naive VWAP: walk back to the first candle of the same UTC day, every row */
static double naive_vwap(const struct ohlcv *d, size_t i)
{
    int64_t day = d->t[i] / 86400000;
    double pv = 0, vol = 0;
    size_t j = i + 1;
    while (j-- > 0 && d->t[j] / 86400000 == day) {
        pv += (d->h[j] + d->l[j] + d->c[j]) / 3.0 * d->v[j];
        vol += d->v[j];
    }
    return vol > 0 ? pv / vol : NAN;
}

/* naive Keltner: EMA(20) seeded by the mean of the first 20 closes, ATR(10) as
 * Wilder's average of true ranges seeded by their mean, both from scratch */
static void naive_keltner(const struct ohlcv *d, double *up, double *mid, double *lo)
{
    size_t n = d->n;
    double ema = 0, atr = 0;
    for (size_t i = 0; i < n; i++) {
        up[i] = mid[i] = lo[i] = NAN;
        if (i < 19) {
            ema += d->c[i];
        } else if (i == 19) {
            ema = (ema + d->c[i]) / 20;
        } else {
            ema = ema + (d->c[i] - ema) * (2.0 / 21.0);
        }
        if (i >= 1) {
            double tr = fmax(d->h[i] - d->l[i],
                             fmax(fabs(d->h[i] - d->c[i - 1]), fabs(d->l[i] - d->c[i - 1])));
            if (i < 10)
                atr += tr;
            else if (i == 10)
                atr = (atr + tr) / 10;
            else
                atr = (atr * 9 + tr) / 10;
        }
        if (i >= 19) {
            mid[i] = ema;
            up[i] = ema + 2 * atr;
            lo[i] = ema - 2 * atr;
        }
    }
}

static int same_or_both_nan(double a, double b)
{
    return (isnan(a) && isnan(b)) || a == b;
}

static void check_golden_set(const char *candles, const char *talib, size_t rows_want, int min_resets)
{
    struct ohlcv d = { 0 };
    struct golden g = { 0 };
    int loaded = load_candles(candles, &d) == 0;
    CHECK(loaded && d.n == rows_want);
    loaded = loaded && load_golden(talib, &g, d.n) == 0;
    CHECK(loaded && g.n == d.n);
    if (!loaded || d.n != rows_want || g.n != d.n) {
        harness_cur_failed = 1;
        return;
    }
    size_t n = d.n;
    struct ta_ohlcv in = as_input(&d);

    struct ta_set_out out;
    for (int k = 0; k < TA_NCOLS; k++)
        out.col[k] = malloc(n * sizeof(double));
    ta_set_batch(&in, n, &out);
    struct ta_values *rows = malloc(n * sizeof *rows);
    ta_set_batch_rows(&in, n, rows);

    int compared = 0;
    for (int k = 0; k < TA_NCOLS; k++) {
        const double *ours = out.col[k];
        /* first valid row is the documented lookback */
        size_t first = 0;
        while (first < n && isnan(ours[first]))
            first++;
        CHECK_MSG((int)first == ta_column_lookback(k), "%s: first value at row %zu, lookback %d",
                  ta_columns[k], first, ta_column_lookback(k));
        /* streaming equals batch, exactly */
        size_t diffs = 0;
        for (size_t i = 0; i < n; i++)
            if (!same_or_both_nan(ours[i], ta_values_array(&rows[i])[k]))
                diffs++;
        CHECK_MSG(diffs == 0, "%s: streaming differs from batch on %zu rows", ta_columns[k], diffs);

        if (!g.col[k])
            continue;
        compared++;
        double maxerr = 0;
        size_t bad = 0, first_bad = 0;
        for (size_t i = 0; i < n; i++) {
            double a = ours[i], b = g.col[k][i];
            if (isnan(a) != isnan(b)) {
                if (!bad++)
                    first_bad = i;
                continue;
            }
            if (isnan(b))
                continue;
            double err = fabs(a - b) / (fabs(b) > 1 ? fabs(b) : 1);
            if (err > maxerr)
                maxerr = err;
            if (!(err <= GOLD_TOL) && !bad++)
                first_bad = i;
        }
        printf("# %-14s max error %.3g\n", ta_columns[k], maxerr);
        CHECK_MSG(bad == 0, "%s: %zu rows differ from TA-Lib, first at row %zu (ours %.17g, TA-Lib %.17g)",
                  ta_columns[k], bad, first_bad, ours[first_bad], g.col[k][first_bad]);
    }
    CHECK(compared == 25);    /* every TA-Lib-backed column is in the golden file */

    /* VWAP and Keltner are not TA-Lib functions: compare with plain loops */
    double *up = malloc(n * sizeof(double)), *mid = malloc(n * sizeof(double)),
           *lo = malloc(n * sizeof(double));
    naive_keltner(&d, up, mid, lo);
    int resets = 0;
    double maxerr_v = 0, maxerr_k = 0;
    for (size_t i = 0; i < n; i++) {
        double w = naive_vwap(&d, i);
        if (i > 0 && d.t[i] / 86400000 != d.t[i - 1] / 86400000) {
            resets++;
            double tp = (d.h[i] + d.l[i] + d.c[i]) / 3.0;
            if (d.v[i] > 0)   /* a new day starts afresh */
                CHECK_NEAR(out.col[TA_COL_vwap][i], tp, 1e-12);
        }
        double e = fabs(out.col[TA_COL_vwap][i] - w) / fabs(w);
        if (e > maxerr_v)
            maxerr_v = e;
        CHECK(isnan(out.col[TA_COL_vwap][i]) == isnan(w));
        if (!isnan(w))
            CHECK_NEAR(out.col[TA_COL_vwap][i], w, 1e-9);
        const double *ku = out.col[TA_COL_kc_upper], *km = out.col[TA_COL_kc_middle],
                     *kl = out.col[TA_COL_kc_lower];
        CHECK(isnan(ku[i]) == isnan(up[i]) && isnan(km[i]) == isnan(mid[i]) && isnan(kl[i]) == isnan(lo[i]));
        if (!isnan(up[i])) {
            CHECK_NEAR(ku[i], up[i], 1e-9);
            CHECK_NEAR(km[i], mid[i], 1e-9);
            CHECK_NEAR(kl[i], lo[i], 1e-9);
            double e2 = fabs(ku[i] - up[i]) / fabs(up[i]);
            if (e2 > maxerr_k)
                maxerr_k = e2;
        }
    }
    CHECK(resets >= min_resets);
    printf("# %-14s max error %.3g (vs plain loop, %d day resets)\n", "vwap", maxerr_v, resets);
    printf("# %-14s max error %.3g (vs plain loop)\n", "kc_upper", maxerr_k);
    /* Keltner's middle is the same EMA(20) as ema_20 */
    for (size_t i = 0; i < n; i++)
        CHECK(same_or_both_nan(out.col[TA_COL_kc_middle][i], out.col[TA_COL_ema_20][i]));

    free(up); free(mid); free(lo);
    free(rows);
    for (int k = 0; k < TA_NCOLS; k++)
        free(out.col[k]);
    golden_free(&g);
    ohlcv_free(&d);
}

static void golden_real_btc(void)
{
    check_golden_set("tests/data/golden/real_btc_5k.csv", "tests/data/golden/real_btc_5k.talib.csv",
                     5000, 3);
}

static void golden_synthetic_trends(void)
{
    check_golden_set("tests/data/golden/synthetic_trends_5k.csv",
                     "tests/data/golden/synthetic_trends_5k.talib.csv", 5000, 3);
}

/* crafted: bar 1 starts SAR short, a stretch with no range, zero volume, an
 * unchanged typical price with a changing range, a spike, a 3-day gap */
static void golden_edge_cases(void)
{
    check_golden_set("tests/data/golden/edge_cases_400.csv",
                     "tests/data/golden/edge_cases_400.talib.csv", 400, 2);
}

/* prices around 2.5e-5, where TA-Lib's 1e-14 "is zero" tests start to bite */
static void golden_tiny_prices(void)
{
    check_golden_set("tests/data/golden/tiny_prices_400.csv",
                     "tests/data/golden/tiny_prices_400.talib.csv", 400, 10);
}

/* run the whole set over d; returns rows (caller frees) */
static struct ta_values *run_set(const struct ohlcv *d)
{
    struct ta_values *rows = malloc((d->n ? d->n : 1) * sizeof *rows);
    struct ta_ohlcv in = as_input(d);
    ta_set_batch_rows(&in, d->n, rows);
    /* the columnar batch must agree here too */
    struct ta_set_out out;
    for (int k = 0; k < TA_NCOLS; k++)
        out.col[k] = malloc((d->n ? d->n : 1) * sizeof(double));
    ta_set_batch(&in, d->n, &out);
    for (int k = 0; k < TA_NCOLS; k++) {
        for (size_t i = 0; i < d->n; i++)
            CHECK_MSG(same_or_both_nan(out.col[k][i], ta_values_array(&rows[i])[k]),
                      "%s row %zu: batch %.17g, streaming %.17g", ta_columns[k], i,
                      out.col[k][i], ta_values_array(&rows[i])[k]);
        free(out.col[k]);
    }
    return rows;
}

static void flat_prices(void)
{
    struct ohlcv d;
    ohlcv_alloc(&d, 100);
    for (size_t i = 0; i < d.n; i++) {
        d.t[i] = 1700000000000LL + 60000LL * (int64_t)i;
        d.o[i] = d.h[i] = d.l[i] = d.c[i] = 100.0;
        d.v[i] = 5.0;
    }
    struct ta_values *r = run_set(&d);
    const struct ta_values *z = &r[99];
    /* TA-Lib's answers for a range-less market: 0 where it divides by a zero range */
    CHECK(z->sma_20 == 100 && z->ema_20 == 100 && z->wma_20 == 100);
    CHECK(z->rsi_14 == 0);
    CHECK(z->macd == 0 && z->macd_signal == 0 && z->macd_hist == 0);
    CHECK(z->bb_upper == 100 && z->bb_middle == 100 && z->bb_lower == 100);
    CHECK(isnan(z->bb_percent_b));           /* (c - lower) / 0: no position in a zero band */
    CHECK(z->bb_width == 0);
    CHECK(z->stoch_k == 0 && z->stoch_d == 0);
    CHECK(z->atr_14 == 0);
    CHECK(z->adx_14 == 0 && z->plus_di_14 == 0 && z->minus_di_14 == 0);
    CHECK(z->sar == 100);
    CHECK(z->cci_14 == 0);
    CHECK(z->willr_14 == 0);
    CHECK(z->obv == 5);                      /* first volume, never moved since */
    CHECK(z->mfi_14 == 0);
    CHECK(z->vwap == 100);
    CHECK(z->kc_upper == 100 && z->kc_middle == 100 && z->kc_lower == 100);
    CHECK(z->volume_sma_20 == 5 && z->volume_ratio == 1);
    for (size_t i = 0; i < d.n; i++)
        for (int k = 0; k < TA_NCOLS; k++) {
            double x = ta_values_array(&r[i])[k];
            CHECK_MSG(!isinf(x), "%s row %zu is infinite", ta_columns[k], i);
            if ((int)i >= ta_column_lookback(k) && k != TA_COL_bb_percent_b)
                CHECK_MSG(!isnan(x), "%s row %zu is NaN on flat prices", ta_columns[k], i);
        }
    free(r);
    ohlcv_free(&d);
}

static void zero_volume(void)
{
    struct ohlcv d;
    ohlcv_alloc(&d, 60);
    for (size_t i = 0; i < d.n; i++) {
        d.t[i] = 60000LL * (int64_t)i;
        d.c[i] = 100 + (double)(i % 7) - (double)(i % 3);
        d.o[i] = d.c[i] - 0.5;
        d.h[i] = d.c[i] + 1;
        d.l[i] = d.c[i] - 1.5;
        d.v[i] = 0;
    }
    struct ta_values *r = run_set(&d);
    for (size_t i = 0; i < d.n; i++) {
        CHECK(isnan(r[i].vwap));             /* no volume, no volume-weighted price */
        CHECK(r[i].obv == 0);
        CHECK(isnan(r[i].volume_ratio));
        if (i >= 14)
            CHECK(r[i].mfi_14 == 0);         /* TA-Lib: total flow below 1 gives 0 */
        if (i >= 19)
            CHECK(r[i].volume_sma_20 == 0);
        CHECK(!isnan(r[i].sma_20) == (i >= 19));   /* price indicators unaffected */
    }
    /* volume appearing mid-day: VWAP picks up from that candle */
    d.v[30] = 2;
    free(r);
    r = run_set(&d);
    CHECK(isnan(r[29].vwap));
    CHECK_NEAR(r[30].vwap, (d.h[30] + d.l[30] + d.c[30]) / 3.0, 1e-12);
    CHECK_NEAR(r[45].vwap, (d.h[30] + d.l[30] + d.c[30]) / 3.0, 1e-12);
    CHECK_NEAR(r[45].volume_ratio, 0.0, 1e-15);
    CHECK_NEAR(r[30].volume_ratio, 20.0, 1e-12);   /* 2 / (2/20) */
    free(r);
    ohlcv_free(&d);
}

static void single_candle_and_short_input(void)
{
    struct ohlcv d;
    ohlcv_alloc(&d, 1);
    d.t[0] = 1700000000000LL;
    d.o[0] = 10; d.h[0] = 12; d.l[0] = 9; d.c[0] = 11; d.v[0] = 3;
    struct ta_values *r = run_set(&d);
    for (int k = 0; k < TA_NCOLS; k++) {
        double x = ta_values_array(&r[0])[k];
        if (k == TA_COL_obv)
            CHECK(x == 3);
        else if (k == TA_COL_vwap)
            CHECK_NEAR(x, 32.0 / 3.0, 1e-15);
        else
            CHECK_MSG(isnan(x), "%s = %g on a single candle", ta_columns[k], x);
    }
    free(r);
    ohlcv_free(&d);

    /* n smaller than every period: nothing but OBV, VWAP and SAR (row 1 on) */
    ohlcv_alloc(&d, 9);
    for (size_t i = 0; i < d.n; i++) {
        d.t[i] = 60000LL * (int64_t)i;
        d.c[i] = 50 + (double)i;
        d.o[i] = d.c[i] - 1;
        d.h[i] = d.c[i] + 0.5;
        d.l[i] = d.o[i] - 0.5;
        d.v[i] = 1 + (double)i;
    }
    r = run_set(&d);
    for (size_t i = 0; i < d.n; i++)
        for (int k = 0; k < TA_NCOLS; k++) {
            double x = ta_values_array(&r[i])[k];
            if (k == TA_COL_obv || k == TA_COL_vwap || (k == TA_COL_sar && i >= 1))
                CHECK(!isnan(x));
            else
                CHECK_MSG(isnan(x), "%s row %zu = %g with 9 candles", ta_columns[k], i, x);
        }
    free(r);
    ohlcv_free(&d);

    /* empty input is a no-op */
    double one = 1;
    sma_batch(&one, 0, 20, NULL);
}

static void time_gap_resets_vwap_only(void)
{
    struct ohlcv d;
    ohlcv_alloc(&d, 80);
    int64_t t0 = 1700006400000LL;     /* 2023-11-15 00:00 UTC */
    for (size_t i = 0; i < d.n; i++) {
        /* 40 minutes, then a gap of three days and 40 more minutes */
        d.t[i] = t0 + 60000LL * (int64_t)i + (i >= 40 ? 3 * 86400000LL : 0);
        d.c[i] = 100 + sin((double)i / 5.0) * 3;
        d.o[i] = i ? d.c[i - 1] : d.c[i];
        d.h[i] = fmax(d.o[i], d.c[i]) + 0.7;
        d.l[i] = fmin(d.o[i], d.c[i]) - 0.6;
        d.v[i] = 10 + (double)(i % 5);
    }
    struct ta_values *r = run_set(&d);
    CHECK_NEAR(r[40].vwap, (d.h[40] + d.l[40] + d.c[40]) / 3.0, 1e-12);
    double pv = 0, vol = 0;
    for (size_t i = 40; i < 80; i++) {
        pv += (d.h[i] + d.l[i] + d.c[i]) / 3.0 * d.v[i];
        vol += d.v[i];
    }
    CHECK_NEAR(r[79].vwap, pv / vol, 1e-12);
    /* the price indicators see one continuous series: same as without the gap */
    for (size_t i = 40; i < 80; i++)
        d.t[i] -= 3 * 86400000LL;
    struct ta_values *r2 = run_set(&d);
    for (size_t i = 0; i < 80; i++)
        for (int k = 0; k < TA_NCOLS; k++)
            if (k != TA_COL_vwap)
                CHECK(same_or_both_nan(ta_values_array(&r[i])[k], ta_values_array(&r2[i])[k]));
    CHECK(!(fabs(r[79].vwap - r2[79].vwap) < 1e-9));   /* without the gap: one day, other VWAP */
    free(r);
    free(r2);
    ohlcv_free(&d);

    /* day boundary before 1970 floors, not truncates */
    struct vwap w;
    vwap_init(&w);
    CHECK(vwap_push(&w, -1000, 3, 3, 3, 1) == 3);
    CHECK(vwap_push(&w, -500, 6, 6, 6, 1) == 4.5);      /* same day (1969-12-31) */
    CHECK(vwap_push(&w, 0, 9, 9, 9, 1) == 9);           /* new day */
}

/* hand-checked small cases, independent of the golden files */
static void small_known_values(void)
{
    double x[] = { 1, 2, 3, 4, 5, 6 };
    double out[6];
    sma_batch(x, 6, 3, out);
    CHECK(isnan(out[0]) && isnan(out[1]));
    CHECK(out[2] == 2 && out[3] == 3 && out[5] == 5);
    wma_batch(x, 6, 3, out);
    CHECK(isnan(out[1]));
    CHECK_NEAR(out[2], (1 + 4 + 9) / 6.0, 1e-15);
    CHECK_NEAR(out[5], (4 + 10 + 18) / 6.0, 1e-15);
    ema_batch(x, 6, 3, out);
    CHECK(out[2] == 2);
    CHECK_NEAR(out[3], 3.0, 1e-15);                    /* 2 + (4-2)*0.5 */
    rsi_batch(x, 6, 3, out);
    CHECK(isnan(out[2]) && out[3] == 100);             /* only gains */

    /* Williams %R and fast stochastic on a known window */
    double h[] = { 10, 12, 11 }, l[] = { 8, 9, 7 }, c[] = { 9, 11, 10 };
    willr_batch(h, l, c, 3, 3, out);
    CHECK_NEAR(out[2], -100.0 * (12 - 10) / (12 - 7), 1e-12);
    double k[3], dd[3];
    stoch_batch(h, l, c, 3, 3, 1, 1, k, dd);
    CHECK_NEAR(k[2], 100.0 * (10 - 7) / (12 - 7), 1e-12);
    CHECK(k[2] == dd[2]);
    CHECK(stoch_lookback(14, 3, 3) == 17);
    CHECK(macd_lookback(12, 26, 9) == 33 && macd_lookback(8, 24, 9) == 31);
    CHECK(adx_lookback(14) == 27 && di_lookback(14) == 14 && atr_lookback(14) == 14);

    /* the deque follows a falling then rising series */
    struct ta_extreme mx, mn;
    ta_extreme_init(&mx, 3, 1);
    ta_extreme_init(&mn, 3, 0);
    double seq[] = { 5, 4, 3, 2, 6, 1, 1, 7 };
    double want_max[] = { 5, 5, 5, 4, 6, 6, 6, 7 };
    double want_min[] = { 5, 4, 3, 2, 2, 1, 1, 1 };
    for (int i = 0; i < 8; i++) {
        CHECK(ta_extreme_push(&mx, seq[i]) == want_max[i]);
        CHECK(ta_extreme_push(&mn, seq[i]) == want_min[i]);
    }
    ta_extreme_free(&mx);
    ta_extreme_free(&mn);
}

static void period_limits(void)
{
    static struct sma s;
    CHECK(sma_init(&s, 20) == 0);
    sma_free(&s);
    CHECK(sma_init(&s, TA_MAX_PERIOD + 1) == -1 && s.period == TA_MAX_PERIOD);
    sma_free(&s);
    CHECK(sma_init(&s, 0) == -1 && s.period == 1);
    sma_free(&s);
    static struct cci c;
    CHECK(cci_init(&c, 100000) == -1 && c.period == TA_MAX_PERIOD);
    cci_free(&c);
    static struct macd m;
    CHECK(macd_init(&m, 26, 12, 9) == 0);              /* swapped like TA-Lib */
    CHECK(m.slow.period == 26 && m.fast.period == 12);
    /* a maximal period works end to end */
    size_t n = TA_MAX_PERIOD + 5;
    double *x = malloc(n * sizeof *x), *o = malloc(n * sizeof *o);
    for (size_t i = 0; i < n; i++)
        x[i] = (double)(i % 10);
    sma_batch(x, n, TA_MAX_PERIOD, o);
    CHECK(isnan(o[TA_MAX_PERIOD - 2]));
    double sum = 0;
    for (size_t i = 0; i < TA_MAX_PERIOD; i++)
        sum += x[i];
    CHECK_NEAR(o[TA_MAX_PERIOD - 1], sum / TA_MAX_PERIOD, 1e-12);
    free(x);
    free(o);
}

static void column_table(void)
{
    static const char *want =
        "sma_20,ema_20,wma_20,rsi_14,macd,macd_signal,macd_hist,bb_upper,bb_middle,bb_lower,"
        "bb_percent_b,bb_width,stoch_k,stoch_d,atr_14,adx_14,plus_di_14,minus_di_14,sar,"
        "cci_14,willr_14,obv,mfi_14,vwap,kc_upper,kc_middle,kc_lower,volume_sma_20,volume_ratio";
    char got[1024] = "";
    for (int k = 0; k < TA_NCOLS; k++) {
        if (k)
            strcat(got, ",");
        strcat(got, ta_columns[k]);
    }
    CHECK(strcmp(got, want) == 0);
    CHECK(TA_NCOLS == 29);
    CHECK(sizeof(struct ta_values) == TA_NCOLS * sizeof(double));
    struct ta_values v = { 0 };
    v.volume_ratio = 7;
    CHECK(ta_values_array(&v)[TA_COL_volume_ratio] == 7);
}

int main(void)
{
    RUN(golden_real_btc);
    RUN(golden_synthetic_trends);
    RUN(golden_edge_cases);
    RUN(golden_tiny_prices);
    RUN(flat_prices);
    RUN(zero_volume);
    RUN(single_candle_and_short_input);
    RUN(time_gap_resets_vwap_only);
    RUN(small_known_values);
    RUN(period_limits);
    RUN(column_table);
    HARNESS_EXIT();
}
