/* Seeded price series with known regime segments, for the regime accuracy test and
 * the signal benchmark. The parameters were fixed before the detector was written,
 * from what the regimes look like on real crypto charts (per-candle volatility of a
 * 15m-1h chart, about 0.3 %), and are not tuned to the detector:
 *
 *  strong trend   150-300 candles, drift of 0.30-0.50 sigma per candle, sigma 0.8-1.2 x base
 *                 (e.g. +10 % over two days of 1h candles at 0.8 %/h)
 *  weak trend     150-300 candles, drift 0.12-0.20 sigma, either sign, same sigma
 *  ranging        150-300 candles, mean reversion to the segment's start price
 *                 (Ornstein-Uhlenbeck, theta 0.10-0.25 per candle), sigma 0.5-0.8 x base
 *  breakout       25-50 candles, sigma 3-4.5 x base with a drift of 0.15-0.30 sigma:
 *                 a short volatility burst out of the previous segment
 *  choppy         150-300 candles, high noise (sigma 1.6-2.2 x base), no drift, only a
 *                 faint pull (theta 0.01) so the price does not wander off
 *
 * Segments follow a Markov chain shaped like markets: breakouts come mostly out of
 * ranges and chop and are often followed by a trend in their direction. Candles:
 * open = previous close with a tiny gap, wicks from |N(0, 0.5 sigma)|, volume grows
 * with sigma and with the size of the move. The first 300 candles are an unscored
 * range so that EMA(200) and the percentile windows are warm. */
#ifndef REGIME_GEN_H
#define REGIME_GEN_H
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include "alphapulse/candle.h"
#include "alphapulse/regime.h"

struct gen_rng { uint64_t s; };

static double gen_u01(struct gen_rng *r)
{
    r->s = r->s * 6364136223846793005ULL + 1442695040888963407ULL;
    return ((double)(r->s >> 11) + 0.5) / 9007199254740992.0;
}

static double gen_uniform(struct gen_rng *r, double a, double b) { return a + (b - a) * gen_u01(r); }

static double gen_normal(struct gen_rng *r)
{
    double u = gen_u01(r), v = gen_u01(r);
    return sqrt(-2.0 * log(u)) * cos(6.283185307179586 * v);
}

#define GEN_SIGMA0 0.003
#define GEN_PREAMBLE 300

struct gen_series {
    size_t n;
    struct candle *c;
    int *label;            /* REGIME_* per candle */
    int *scored;           /* 1 where the candle counts (after min(40, len/3) candles of its segment) */
    int *since_start;      /* candles since its segment began */
    int *warm60;           /* min(60, len/3) of its segment: the test's warm-up */
    int segments;
};

/* next segment type from the current one (and whether a trend follows a breakout's direction) */
static int gen_next(struct gen_rng *r, int cur)
{
    /* columns: STRONG (either sign), WEAK, RANGING, BREAKOUT, CHOPPY */
    static const double tr[REGIME_COUNT][5] = {
        [REGIME_STRONG_TREND_BULL] = { 0.00, 0.35, 0.35, 0.15, 0.15 },
        [REGIME_STRONG_TREND_BEAR] = { 0.00, 0.35, 0.35, 0.15, 0.15 },
        [REGIME_WEAK_TREND]        = { 0.30, 0.00, 0.35, 0.15, 0.20 },
        [REGIME_RANGING]           = { 0.25, 0.25, 0.00, 0.30, 0.20 },
        [REGIME_VOLATILE_BREAKOUT] = { 0.50, 0.00, 0.25, 0.00, 0.25 },
        [REGIME_CHOPPY]            = { 0.20, 0.25, 0.35, 0.20, 0.00 },
    };
    double u = gen_u01(r), acc = 0;
    int k;
    for (k = 0; k < 4; k++) {
        acc += tr[cur][k];
        if (u < acc)
            break;
    }
    static const int map[5] = { REGIME_STRONG_TREND_BULL, REGIME_WEAK_TREND, REGIME_RANGING,
                                REGIME_VOLATILE_BREAKOUT, REGIME_CHOPPY };
    return map[k];
}

static void gen_make(struct gen_series *g, uint64_t seed, int nseg)
{
    struct gen_rng r = { seed * 2654435761ULL + 12345 };
    size_t cap = GEN_PREAMBLE + (size_t)nseg * 300 + 1;
    g->c = calloc(cap, sizeof *g->c);
    g->label = calloc(cap, sizeof *g->label);
    g->scored = calloc(cap, sizeof *g->scored);
    g->since_start = calloc(cap, sizeof *g->since_start);
    g->warm60 = calloc(cap, sizeof *g->warm60);
    g->n = 0;
    g->segments = nseg;
    double x = log(100.0), prev_close = 100.0;
    int64_t t = 1700000000000LL;
    int cur = REGIME_RANGING, last_dir = 1;
    for (int seg = -1; seg < nseg; seg++) {
        int len, type = cur;
        double sigma, mu = 0, theta = 0, anchor = x;
        if (seg >= 0) {
            type = gen_next(&r, cur);
            if (type == REGIME_STRONG_TREND_BULL) {
                int dir = cur == REGIME_VOLATILE_BREAKOUT ? last_dir : (gen_u01(&r) < 0.5 ? 1 : -1);
                type = dir > 0 ? REGIME_STRONG_TREND_BULL : REGIME_STRONG_TREND_BEAR;
            }
        }
        switch (type) {
        case REGIME_STRONG_TREND_BULL: case REGIME_STRONG_TREND_BEAR:
            len = (int)gen_uniform(&r, 150, 300);
            sigma = GEN_SIGMA0 * gen_uniform(&r, 0.8, 1.2);
            mu = (type == REGIME_STRONG_TREND_BULL ? 1 : -1) * sigma * gen_uniform(&r, 0.30, 0.50);
            break;
        case REGIME_WEAK_TREND:
            len = (int)gen_uniform(&r, 150, 300);
            sigma = GEN_SIGMA0 * gen_uniform(&r, 0.8, 1.2);
            mu = (gen_u01(&r) < 0.5 ? 1 : -1) * sigma * gen_uniform(&r, 0.12, 0.20);
            break;
        case REGIME_VOLATILE_BREAKOUT:
            len = (int)gen_uniform(&r, 25, 50);
            sigma = GEN_SIGMA0 * gen_uniform(&r, 3.0, 4.5);
            last_dir = gen_u01(&r) < 0.5 ? 1 : -1;
            mu = last_dir * sigma * gen_uniform(&r, 0.15, 0.30);
            break;
        case REGIME_CHOPPY:
            len = (int)gen_uniform(&r, 150, 300);
            sigma = GEN_SIGMA0 * gen_uniform(&r, 1.6, 2.2);
            theta = 0.01;
            break;
        default: /* ranging */
            len = seg < 0 ? GEN_PREAMBLE : (int)gen_uniform(&r, 150, 300);
            sigma = GEN_SIGMA0 * gen_uniform(&r, 0.5, 0.8);
            theta = gen_uniform(&r, 0.10, 0.25);
            break;
        }
        int warm = len / 3 < 40 ? len / 3 : 40;
        for (int i = 0; i < len; i++) {
            double ret = mu + sigma * gen_normal(&r) - theta * (x - anchor);
            x += ret;
            double close = exp(x);
            double open = prev_close * exp(0.1 * sigma * gen_normal(&r));
            double hi = fmax(open, close) * exp(fabs(0.5 * sigma * gen_normal(&r)));
            double lo = fmin(open, close) * exp(-fabs(0.5 * sigma * gen_normal(&r)));
            double vol = 1000.0 * exp(0.3 * gen_normal(&r)) * (sigma / GEN_SIGMA0) * (0.5 + fabs(ret) / sigma);
            g->c[g->n] = (struct candle){ .open_time = t, .open = open, .high = hi, .low = lo,
                                          .close = close, .volume = vol };
            g->label[g->n] = type;
            g->scored[g->n] = seg >= 0 && i >= warm;
            g->since_start[g->n] = i;
            g->warm60[g->n] = len / 3 < 60 ? len / 3 : 60;
            g->n++;
            t += 60000;
            prev_close = close;
        }
        cur = type;
    }
}

static void gen_free(struct gen_series *g)
{
    free(g->c);
    free(g->label);
    free(g->scored);
    free(g->since_start);
    free(g->warm60);
}

#endif
