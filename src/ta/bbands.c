/* Bollinger Bands. The variance is E[x^2] - mean^2 from a running sum of
 * squares, TA-Lib's formula; matching its rounding matters more than the
 * cancellation it suffers, and a tiny negative variance reads as 0. */
#include "alphapulse/indicators.h"

#include <math.h>
#include <stdbool.h>

int bbands_init(struct bbands *s, int period, double nbdev_up, double nbdev_dn)
{
    int rc = sma_init(&s->ma, period);
    s->sum2 = 0;
    s->nbdev_up = nbdev_up;
    s->nbdev_dn = nbdev_dn;
    return rc;
}

void bbands_free(struct bbands *s)
{
    sma_free(&s->ma);
}

void bbands_push(struct bbands *s, double x, struct bbands_out *out)
{
    /* the SMA's ring holds the window; read the value leaving it first */
    struct sma *m = &s->ma;
    int warm = m->n >= m->period - 1;
    int next = m->pos + 1 == m->period ? 0 : m->pos + 1;
    double oldest = warm && m->period > 1 ? m->ring[next] : x;
    double mid = sma_push(m, x);
    s->sum2 += x * x;
    if (!warm) {
        out->upper = out->middle = out->lower = out->percent_b = out->width = NAN;
        return;
    }
    double mean2 = s->sum2 / m->period;
    s->sum2 -= oldest * oldest;
    mean2 -= mid * mid;
    double sd = mean2 < 1e-14 ? 0.0 : sqrt(mean2);
    out->middle = mid;
    out->upper = mid + sd * s->nbdev_up;
    out->lower = mid - sd * s->nbdev_dn;
    double range = out->upper - out->lower;
    out->percent_b = range != 0.0 ? (x - out->lower) / range : NAN;
    out->width = mid != 0.0 ? range / mid : NAN;
}

void bbands_batch(const double *in, size_t n, int period, double nbdev_up, double nbdev_dn,
                  double *upper, double *middle, double *lower, double *percent_b, double *width)
{
    struct bbands s;
    struct bbands_out o = { NAN, NAN, NAN, NAN, NAN };
    bool ok = bbands_init(&s, period, nbdev_up, nbdev_dn) != TA_NOMEM;
    for (size_t i = 0; i < n; i++) {
        if (ok)
            bbands_push(&s, in[i], &o);
        if (upper) upper[i] = o.upper;
        if (middle) middle[i] = o.middle;
        if (lower) lower[i] = o.lower;
        if (percent_b) percent_b[i] = o.percent_b;
        if (width) width[i] = o.width;
    }
    if (ok)
        bbands_free(&s);
}

int bbands_lookback(int period)
{
    return sma_lookback(period);
}
