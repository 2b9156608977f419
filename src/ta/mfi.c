/* Money flow index. Each bar's flow goes to the positive or negative ring by
 * the typical price's move, or to neither when it does not move; the sums drop
 * the flow leaving the window before adding the new one, TA-Lib's order. */
#include "alphapulse/indicators.h"

#include <math.h>

#include "ring.h"

int mfi_init(struct mfi *s, int period)
{
    int rc = ta_clamp_period(&period, 1);
    if (!(s->pos_ring = ta_ring_new(2 * (size_t)period)))
        return TA_NOMEM;
    s->neg_ring = s->pos_ring + period;
    s->period = period;
    s->pos_sum = s->neg_sum = s->prev_tp = 0;
    s->n = s->pos = 0;
    return rc;
}

void mfi_free(struct mfi *s)
{
    free(s->pos_ring);
    s->pos_ring = s->neg_ring = NULL;
}

int mfi_copy(struct mfi *dst, const struct mfi *src)
{
    *dst = *src;
    if (!(dst->pos_ring = ta_ring_dup(src->pos_ring, 2 * (size_t)src->period)))
        return TA_NOMEM;
    dst->neg_ring = dst->pos_ring + src->period;
    return 0;
}

double mfi_push(struct mfi *s, double high, double low, double close, double volume)
{
    double tp = (high + low + close) / 3.0;
    int n = s->n;
    if (n <= s->period)
        s->n++;
    if (n == 0) {
        s->prev_tp = tp;
        return NAN;
    }
    if (n > s->period) {               /* the slot about to be reused leaves the window */
        s->pos_sum -= s->pos_ring[s->pos];
        s->neg_sum -= s->neg_ring[s->pos];
    }
    double move = tp - s->prev_tp;
    s->prev_tp = tp;
    double flow = tp * volume;
    /* branch-free; adding an exact 0 matches TA-Lib leaving that sum alone */
    double pos = move > 0 ? flow : 0.0, neg = move < 0 ? flow : 0.0;
    s->pos_sum += pos;
    s->neg_sum += neg;
    s->pos_ring[s->pos] = pos;
    s->neg_ring[s->pos] = neg;
    s->pos = s->pos + 1 == s->period ? 0 : s->pos + 1;
    if (n < s->period)
        return NAN;
    double total = s->pos_sum + s->neg_sum;
    return total < 1.0 ? 0.0 : 100.0 * (s->pos_sum / total);
}

void mfi_batch(const double *high, const double *low, const double *close,
               const double *volume, size_t n, int period, double *out)
{
    struct mfi s;
    if (mfi_init(&s, period) == TA_NOMEM) {
        for (size_t i = 0; i < n; i++)
            out[i] = NAN;
        return;
    }
    for (size_t i = 0; i < n; i++)
        out[i] = mfi_push(&s, high[i], low[i], close[i], volume[i]);
    mfi_free(&s);
}

int mfi_lookback(int period)
{
    ta_clamp_period(&period, 1);
    return period;
}
