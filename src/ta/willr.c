/* Williams %R: where the close sits in the window's high-low range, scaled to
 * [-100, 0]; the range is divided by -100 first, as TA-Lib does, and a window
 * with no range gives 0. */
#include "alphapulse/indicators.h"

#include <math.h>

int willr_init(struct willr *s, int period)
{
    int rc = ta_clamp_period(&period, 1);
    ta_extreme_init(&s->hi, period, 1);
    ta_extreme_init(&s->lo, period, 0);
    s->period = period;
    s->n = 0;
    return rc;
}

double willr_push(struct willr *s, double high, double low, double close)
{
    double lowest = ta_extreme_push(&s->lo, low);
    double highest = ta_extreme_push(&s->hi, high);
    return willr_push_hl(s, highest, lowest, close);
}

double willr_push_hl(struct willr *s, double highest, double lowest, double close)
{
    if (s->n < s->period - 1) {
        s->n++;
        return NAN;
    }
    double diff = (highest - lowest) / (-100.0);
    return diff != 0.0 ? (highest - close) / diff : 0.0;
}

void willr_batch(const double *high, const double *low, const double *close, size_t n,
                 int period, double *out)
{
    struct willr s;
    willr_init(&s, period);
    for (size_t i = 0; i < n; i++)
        out[i] = willr_push(&s, high[i], low[i], close[i]);
}

int willr_lookback(int period)
{
    ta_clamp_period(&period, 1);
    return period - 1;
}
