/* Commodity channel index. The mean is summed over the ring in slot order, the
 * order TA-Lib's circular buffer uses: tp - mean cancels heavily, so even the
 * summation order shows in the result. Prefix sums in that order let a push
 * redo only the slots from the changed one on. The mean deviation, a sum of
 * non-negative terms that reordering cannot hurt, uses four accumulators. It
 * needs a pass over the window anyway, so a push is O(period). */
#include "alphapulse/indicators.h"

#include <math.h>

#include "ring.h"

int cci_init(struct cci *s, int period)
{
    int rc = ta_clamp_period(&period, 1);
    if (!(s->ring = ta_ring_new(2 * (size_t)period)))
        return TA_NOMEM;
    s->prefix = s->ring + period;
    s->period = period;
    s->n = s->pos = 0;
    return rc;
}

void cci_free(struct cci *s)
{
    free(s->ring);
    s->ring = s->prefix = NULL;
}

int cci_copy(struct cci *dst, const struct cci *src)
{
    *dst = *src;
    if (!(dst->ring = ta_ring_dup(src->ring, 2 * (size_t)src->period)))
        return TA_NOMEM;
    dst->prefix = dst->ring + src->period;
    return 0;
}

double cci_push(struct cci *s, double high, double low, double close)
{
    int p = s->period;
    double tp = (high + low + close) / 3;
    int k = s->pos;
    s->ring[k] = tp;
    double acc = k ? s->prefix[k - 1] : 0.0;
    for (; k < p; k++)
        s->prefix[k] = acc = acc + s->ring[k];
    s->pos = s->pos + 1 == p ? 0 : s->pos + 1;
    if (s->n < p - 1) {
        s->n++;
        return NAN;
    }
    double mean = s->prefix[p - 1] / p;
    const double *r = s->ring;
    double d0 = 0, d1 = 0, d2 = 0, d3 = 0;
    int j = 0;
    for (; j + 4 <= p; j += 4) {
        d0 += fabs(r[j] - mean);
        d1 += fabs(r[j + 1] - mean);
        d2 += fabs(r[j + 2] - mean);
        d3 += fabs(r[j + 3] - mean);
    }
    for (; j < p; j++)
        d0 += fabs(r[j] - mean);
    double dev = (d0 + d1) + (d2 + d3);
    double num = tp - mean;
    if (num != 0.0 && dev != 0.0)
        return num / (0.015 * (dev / p));
    return 0.0;
}

void cci_batch(const double *high, const double *low, const double *close, size_t n,
               int period, double *out)
{
    struct cci s;
    if (cci_init(&s, period) == TA_NOMEM) {
        for (size_t i = 0; i < n; i++)
            out[i] = NAN;
        return;
    }
    for (size_t i = 0; i < n; i++)
        out[i] = cci_push(&s, high[i], low[i], close[i]);
    cci_free(&s);
}

int cci_lookback(int period)
{
    ta_clamp_period(&period, 1);
    return period - 1;
}
