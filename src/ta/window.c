/* Shared window helpers: period clamping for the fixed rings, and sliding
 * extremes by van Herk/Gil-Werman blocks (see indicators.h for why). */
#include "alphapulse/indicators.h"

#include <math.h>

#include "ring.h"

int ta_clamp_period(int *period, int min)
{
    if (*period < min) {
        *period = min;
        return -1;
    }
    if (*period > TA_MAX_PERIOD) {
        *period = TA_MAX_PERIOD;
        return -1;
    }
    return 0;
}

int ta_extreme_init(struct ta_extreme *s, int period, int is_max)
{
    int rc = ta_clamp_period(&period, 1);
    if (!(s->buf = ta_ring_new(2 * (size_t)period + 1)))
        return TA_NOMEM;
    s->suf = s->buf + period;
    s->period = period;
    s->is_max = is_max;
    s->pos = 0;
    s->prefix = -INFINITY;
    for (int i = 0; i <= period; i++)
        s->suf[i] = -INFINITY;        /* no previous block yet */
    return rc;
}

void ta_extreme_free(struct ta_extreme *s)
{
    free(s->buf);
    s->buf = s->suf = NULL;
}

int ta_extreme_copy(struct ta_extreme *dst, const struct ta_extreme *src)
{
    *dst = *src;
    if (!(dst->buf = ta_ring_dup(src->buf, 2 * (size_t)src->period + 1)))
        return TA_NOMEM;
    dst->suf = dst->buf + src->period;
    return 0;
}

static inline double max2(double a, double b) { return a > b ? a : b; }

double ta_extreme_push(struct ta_extreme *s, double x)
{
    double y = s->is_max ? x : -x;
    int pos = s->pos;
    s->buf[pos] = y;
    s->prefix = pos == 0 ? y : max2(s->prefix, y);
    /* the window is the previous block after pos, then this block up to pos */
    double out = max2(s->suf[pos + 1], s->prefix);
    if (++pos == s->period) {
        double m = -INFINITY;
        for (int k = pos - 1; k >= 0; k--)
            s->suf[k] = m = max2(s->buf[k], m);
        pos = 0;
    }
    s->pos = pos;
    return s->is_max ? out : -out;
}
