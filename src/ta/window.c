/* Shared window helpers: period clamping for the fixed rings, and a monotonic
 * deque so sliding highs/lows cost amortised O(1) even in long trends. */
#include "alphapulse/indicators.h"

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

void ta_extreme_init(struct ta_extreme *s, int period, int is_max)
{
    ta_clamp_period(&period, 1);
    s->period = period;
    s->is_max = is_max;
    s->head = s->len = 0;
    s->t = 0;
}

double ta_extreme_push(struct ta_extreme *s, double x)
{
    enum { MASK = TA_MAX_PERIOD - 1 };
    /* Entries dominated by the newcomer can never be the extreme again. Ties
     * drop the older entry: the value is the same and the newer one lives longer. */
    if (s->is_max) {
        while (s->len > 0 && s->val[(s->head + s->len - 1) & MASK] <= x)
            s->len--;
    } else {
        while (s->len > 0 && s->val[(s->head + s->len - 1) & MASK] >= x)
            s->len--;
    }
    int slot = (s->head + s->len) & MASK;
    s->val[slot] = x;
    s->idx[slot] = s->t;
    s->len++;
    if (s->idx[s->head] <= s->t - s->period) {
        s->head = (s->head + 1) & MASK;
        s->len--;
    }
    s->t++;
    return s->val[s->head];
}
