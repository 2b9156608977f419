/* The evaluation module on inputs whose answers are known: a bracket's R by
 * hand, costs in R, bootstrap and random baseline reproducible from their seed,
 * a calibration table by hand, the calibrator on a stream whose true probability
 * is known, and the regime report on a series built to have known answers. */
#include <stdlib.h>

#include "harness.h"
#include "alphapulse/eval.h"

static struct candle bar(double o, double h, double l, double c)
{
    static int64_t t = 0;
    t += 60000;
    return (struct candle){ .open_time = t, .open = o, .high = h, .low = l, .close = c, .volume = 1 };
}

static void bracket_labels_r(void)
{
    const double tp[4] = { 102, 104, 106, 108 }, frac[4] = { 0.25, 0.25, 0.25, 0.25 };
    struct eval_bracket b;
    /* long 100, stop 98 (R = 2), cost 0.1 R: tp1 and tp2, then the stop on the half left */
    CHECK(eval_bracket_init(&b, 1, 100, 98, tp, frac, 60, 0.1) == 0);
    struct candle c = bar(100, 104.5, 99, 104);
    CHECK(!eval_bracket_step(&b, &c) && b.best_tp == 2 && b.reached_1r);
    c = bar(104, 104, 97, 98);
    CHECK(eval_bracket_step(&b, &c) && b.stopped);
    CHECK_NEAR(b.r_gross, 0.25 * 1 + 0.25 * 2 + 0.5 * -1, 1e-12);
    CHECK_NEAR(b.r_net, 0.25 - 0.1, 1e-12);
    /* a candle touching the stop and 1 R counts as the stop, and 1 R was not reached first */
    eval_bracket_init(&b, 1, 100, 98, tp, frac, 60, 0);
    c = bar(100, 103, 97, 101);
    CHECK(eval_bracket_step(&b, &c) && b.stopped && !b.reached_1r && b.r_gross == -1);
    /* every target in one candle: 0.25 x (1 + 2 + 3 + 4) R */
    eval_bracket_init(&b, 1, 100, 98, tp, frac, 60, 0);
    c = bar(100, 109, 99, 108);
    CHECK(eval_bracket_step(&b, &c) && !b.stopped);
    CHECK_NEAR(b.r_gross, 2.5, 1e-12);
    /* expiry: the rest leaves at the last close; short side mirrored */
    const double tps[4] = { 98, 96, 94, 92 };
    eval_bracket_init(&b, -1, 100, 102, tps, frac, 2, 0.2);
    c = bar(100, 101, 97.5, 98);      /* tp1 (1 R) */
    CHECK(!eval_bracket_step(&b, &c) && b.best_tp == 1 && b.reached_1r);
    c = bar(98, 100, 98.5, 99);
    CHECK(eval_bracket_step(&b, &c) && b.expired);
    CHECK_NEAR(b.r_gross, 0.25 * 1 + 0.75 * 0.5, 1e-12);
    CHECK_NEAR(b.r_net, 0.625 - 0.2, 1e-12);
    /* a stop on the wrong side has no risk unit */
    CHECK(eval_bracket_init(&b, 1, 100, 101, tp, frac, 60, 0) == -1);
    /* costs in R: 24 bps round trip on a 2 % stop is 0.12 R */
    CHECK_NEAR(eval_cost_r(0.0024, 100, 98), 0.12, 1e-12);
    CHECK(isinf(eval_cost_r(0.0024, 100, 100)));
}

static void bootstrap_by_day(void)
{
    double x[40];
    int64_t day[40];
    for (int i = 0; i < 40; i++) {
        x[i] = (i % 4) - 1.0 + 0.1;                     /* mean 0.6 */
        day[i] = i / 4;
    }
    struct eval_ci a, b, c;
    CHECK(eval_bootstrap_mean(x, day, 40, 2000, 7, &a) == 0);
    CHECK(eval_bootstrap_mean(x, day, 40, 2000, 7, &b) == 0);
    eval_bootstrap_mean(x, day, 40, 2000, 8, &c);
    CHECK_NEAR(a.mean, 0.6, 1e-12);
    /* every day has the same mean: resampling days cannot move it */
    CHECK_NEAR(a.lo, 0.6, 1e-12);
    CHECK_NEAR(a.hi, 0.6, 1e-12);
    CHECK(a.lo == b.lo && a.hi == b.hi && a.n == 40);
    /* days that differ give an interval around the mean, the same from the same seed */
    for (int i = 0; i < 40; i++)
        x[i] = (double)(i / 4) / 10;                    /* day d: 0.1 d */
    eval_bootstrap_mean(x, day, 40, 2000, 7, &a);
    eval_bootstrap_mean(x, day, 40, 2000, 7, &b);
    eval_bootstrap_mean(x, day, 40, 2000, 8, &c);
    CHECK(a.lo < a.mean && a.mean < a.hi && a.lo == b.lo && a.hi == b.hi);
    CHECK(c.lo != a.lo || c.hi != a.hi);
    CHECK(eval_bootstrap_mean(x, day, 0, 10, 1, &a) == -1);
}

static void random_baseline_from_seed(void)
{
    enum { N = 3000 };
    static struct candle c[N];
    struct eval_rng r;
    eval_rng_seed(&r, 3);
    double p = 100;
    for (int i = 0; i < N; i++) {
        double step = (double)(eval_rng_next(&r) % 2001) / 1000 - 1;   /* -1 .. +1 */
        double o = p;
        p = fmax(10, p + step);
        c[i] = (struct candle){ .open_time = i * 60000LL, .open = o, .high = fmax(o, p) + 0.2,
                                .low = fmin(o, p) - 0.2, .close = p, .volume = 1 };
    }
    struct eval_series s[TF_COUNT] = { { 0 } };
    s[TF_1H] = (struct eval_series){ c, N, 100 };
    struct eval_geom g[20];
    for (int i = 0; i < 20; i++)
        g[i] = (struct eval_geom){ .tf = TF_1H, .side = i % 3 ? 1 : -1, .horizon = 50, .stop_frac = 0.01,
                                   .tp_r = { 1, 2, 0, 0 }, .frac = { 0.5, 0.5 }, .cost_r = 0.1 };
    double g1[200], n1[200], g2[200], n2[200], g3[200], n3[200];
    CHECK(eval_random_baseline(s, g, 20, 200, 42, g1, n1) == 0);
    CHECK(eval_random_baseline(s, g, 20, 200, 42, g2, n2) == 0);
    CHECK(eval_random_baseline(s, g, 20, 200, 43, g3, n3) == 0);
    CHECK(memcmp(g1, g2, sizeof g1) == 0 && memcmp(n1, n2, sizeof n1) == 0);
    CHECK(memcmp(g1, g3, sizeof g1) != 0);
    int costed = 0;
    for (int d = 0; d < 200; d++)
        costed += fabs(g1[d] - n1[d] - 0.1) < 1e-9;     /* every draw pays the same cost */
    CHECK(costed == 200);
    CHECK_NEAR(eval_rank_p(g1, 200, 1e9), 1.0 / 201, 1e-12);
    CHECK_NEAR(eval_rank_p(g1, 200, -1e9), 1.0, 1e-12);
    g[0].tf = TF_4H;                                    /* no candles there */
    CHECK(eval_random_baseline(s, g, 20, 1, 42, g1, n1) == -1);
}

static void calibration_table(void)
{
    /* 20 predictions: deciles of two; Brier and skill by hand */
    double p[20];
    bool y[20];
    for (int i = 0; i < 20; i++) {
        p[i] = 0.05 + 0.05 * (i / 2);                   /* 0.05 .. 0.5 */
        y[i] = i % 2;                                   /* base rate 0.5 */
    }
    struct eval_calibration c;
    CHECK(eval_calibration(p, y, NULL, 20, &c) == 0);
    double bs = 0;
    for (int i = 0; i < 20; i++)
        bs += (p[i] - y[i]) * (p[i] - y[i]);
    CHECK_NEAR(c.brier, bs / 20, 1e-12);
    CHECK_NEAR(c.base_rate, 0.5, 1e-12);
    CHECK_NEAR(c.brier_base, 0.25, 1e-12);
    CHECK_NEAR(c.skill, 1 - bs / 20 / 0.25, 1e-12);
    CHECK(c.bin[0].n == 2 && c.bin[9].n == 2);
    CHECK_NEAR(c.bin[3].pred, 0.2, 1e-12);
    CHECK_NEAR(c.bin[3].real, 0.5, 1e-12);
    int dec[20];
    eval_deciles(p, 20, dec);
    CHECK(dec[0] == 0 && dec[19] == 9 && dec[7] == 3);
}

/* A stream whose true probability is known: x uniform on [0.5, 0.99], a hit
 * with probability 0.15 + (x - 0.5). After 5,000 outcomes the calibrated value
 * averages within 0.05 of the truth in every decile of x. */
static void calibrator_learns_true_probability(void)
{
    static struct eval_calibrator c;
    eval_calibrator_init(&c, 0.55, 50);
    CHECK_NEAR(eval_calibrator_p(&c, 0.9), 0.55, 1e-12);      /* the prior alone */
    struct eval_rng r;
    eval_rng_seed(&r, 11);
    const double u = 1.0 / 9007199254740992.0;
    for (int i = 0; i < 5000; i++) {
        double x = 0.5 + 0.49 * (double)(eval_rng_next(&r) >> 11) * u;
        double truth = 0.15 + (x - 0.5);
        eval_calibrator_add(&c, x, (double)(eval_rng_next(&r) >> 11) * u < truth);
    }
    double worst = 0;
    for (int d = 0; d < 10; d++) {
        double sp = 0, st = 0;
        for (int k = 0; k < 100; k++) {
            double x = 0.5 + 0.049 * (d + (k + 0.5) / 100);
            sp += eval_calibrator_p(&c, x);
            st += 0.15 + (x - 0.5);
        }
        double err = fabs(sp - st) / 100;
        worst = fmax(worst, err);
        CHECK_MSG(err <= 0.05, "decile %d: calibrated %.3f, true %.3f", d + 1, sp / 100, st / 100);
    }
    printf("# calibrator after 5000 outcomes: worst decile off by %.3f\n", worst);
    /* monotone: a stronger vote never reads lower */
    double prev = 0;
    int down = 0;
    for (int k = 0; k <= 100; k++) {
        double v = eval_calibrator_p(&c, 0.5 + 0.0049 * k);
        down += v < prev - 1e-12;
        prev = v;
    }
    CHECK(down == 0);
}

/* 1,000 calm candles, then a label on candles followed by a rise and one on
 * candles followed by a fall; volatility jumps after the "breakout" label. */
static void regime_report_known_answers(void)
{
    enum { N = 1400 };
    static struct candle c[N];
    static int lab[N];
    double p = 100;
    for (int i = 0; i < N; i++) {
        double step = i < 1100 ? ((i % 2) ? 0.1 : -0.1) : (i < 1250 ? 0.3 : -0.3);
        if (i >= 1100 && i % 2)
            step *= 3;                                       /* wider swings after 1100 */
        double o = p;
        p += step;
        c[i] = (struct candle){ .open_time = i * 60000LL, .open = o, .high = fmax(o, p), .low = fmin(o, p),
                                .close = p };
        lab[i] = i < 600 ? -1 : i < 1080 ? 0 : i < 1100 ? -1 : i < 1110 ? 1 : i < 1200 ? 2 : i < 1250 ? -1 : 3;
    }
    struct eval_regime_row rows[4];
    CHECK(eval_regime_report(c, lab, N, 4, 20, 500, rows) == 0);
    CHECK(rows[0].candles == 480 && rows[1].candles == 10 && rows[0].runs == 1);
    CHECK_NEAR(rows[0].share, 480.0 / 730, 1e-12);
    CHECK_NEAR(rows[0].median_run, 480, 1e-12);
    CHECK(rows[1].vol_ratio > 2 && rows[0].vol_ratio < 1.5);   /* label 1 opens the wild part */
    CHECK(rows[2].up_share > 0.5 && rows[3].up_share < 0.5);
    CHECK(rows[2].mean_ret > 0 && rows[3].mean_ret < 0 && rows[1].range > rows[0].range);
}

int main(void)
{
    RUN(bracket_labels_r);
    RUN(bootstrap_by_day);
    RUN(random_baseline_from_seed);
    RUN(calibration_table);
    RUN(calibrator_learns_true_probability);
    RUN(regime_report_known_answers);
    HARNESS_EXIT();
}
