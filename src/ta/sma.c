/* Simple moving average. The running sum adds the newest value before dividing
 * and drops the oldest after, in TA-Lib's order, so rounding matches it exactly. */
#include "alphapulse/indicators.h"

#include <math.h>

#include "ring.h"

int sma_init(struct sma *s, int period)
{
    int rc = ta_clamp_period(&period, 1);
    if (!(s->ring = ta_ring_new((size_t)period)))
        return TA_NOMEM;
    s->period = period;
    s->sum = 0;
    s->n = s->pos = 0;
    return rc;
}

void sma_free(struct sma *s)
{
    free(s->ring);
    s->ring = NULL;
}

int sma_copy(struct sma *dst, const struct sma *src)
{
    *dst = *src;
    return (dst->ring = ta_ring_dup(src->ring, (size_t)src->period)) ? 0 : TA_NOMEM;
}

double sma_push(struct sma *s, double x)
{
    s->ring[s->pos] = x;
    s->sum += x;
    int next = s->pos + 1 == s->period ? 0 : s->pos + 1;
    if (s->n < s->period - 1) {
        s->n++;
        s->pos = next;
        return NAN;
    }
    double out = s->sum / s->period;
    s->sum -= s->ring[next];     /* the oldest value, leaving the window next time */
    s->pos = next;
    return out;
}

void sma_batch(const double *in, size_t n, int period, double *out)
{
    struct sma s;
    if (sma_init(&s, period) == TA_NOMEM) {
        for (size_t i = 0; i < n; i++)
            out[i] = NAN;
        return;
    }
    for (size_t i = 0; i < n; i++)
        out[i] = sma_push(&s, in[i]);
    sma_free(&s);
}

int sma_lookback(int period)
{
    ta_clamp_period(&period, 1);
    return period - 1;
}
