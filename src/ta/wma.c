/* Linearly weighted moving average in O(1): the weighted sum loses the plain
 * window sum each step, TA-Lib's recurrence, kept in its operation order. */
#include "alphapulse/indicators.h"

#include <math.h>

#include "ring.h"

int wma_init(struct wma *s, int period)
{
    int rc = ta_clamp_period(&period, 1);
    if (!(s->ring = ta_ring_new((size_t)period)))
        return TA_NOMEM;
    s->period = period;
    s->sum = s->sub = s->trailing = 0;
    s->n = s->pos = 0;
    return rc;
}

void wma_free(struct wma *s)
{
    free(s->ring);
    s->ring = NULL;
}

int wma_copy(struct wma *dst, const struct wma *src)
{
    *dst = *src;
    return (dst->ring = ta_ring_dup(src->ring, (size_t)src->period)) ? 0 : TA_NOMEM;
}

double wma_push(struct wma *s, double x)
{
    int p = s->period;
    if (p == 1)
        return x;
    int next = s->pos + 1 == p ? 0 : s->pos + 1;
    s->ring[s->pos] = x;
    if (s->n < p - 1) {
        s->n++;
        s->sub += x;
        s->sum += x * s->n;
        s->pos = next;
        return NAN;
    }
    s->sub += x;
    s->sub -= s->trailing;
    s->sum += x * p;
    s->trailing = s->ring[next];     /* oldest in the window, leaves next step */
    s->pos = next;
    int divider = (p * (p + 1)) >> 1;
    double out = s->sum / divider;
    s->sum -= s->sub;
    return out;
}

void wma_batch(const double *in, size_t n, int period, double *out)
{
    struct wma s;
    if (wma_init(&s, period) == TA_NOMEM) {
        for (size_t i = 0; i < n; i++)
            out[i] = NAN;
        return;
    }
    for (size_t i = 0; i < n; i++)
        out[i] = wma_push(&s, in[i]);
    wma_free(&s);
}

int wma_lookback(int period)
{
    ta_clamp_period(&period, 1);
    return period - 1;
}
