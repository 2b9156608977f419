/* Average true range: Wilder smoothing seeded by the mean of the first
 * `period` true ranges, which start at row 1 (they need a previous close). */
#include "alphapulse/indicators.h"

#include <math.h>

static double true_range(double high, double low, double prev_close)
{
    double tr = high - low;
    double a = fabs(prev_close - high), b = fabs(prev_close - low);
    if (a > tr)
        tr = a;
    if (b > tr)
        tr = b;
    return tr;
}

int atr_init(struct atr *s, int period)
{
    int rc = 0;
    if (period < 1) {
        period = 1;
        rc = -1;
    }
    s->period = period;
    s->prev_close = s->value = 0;
    s->n = 0;
    return rc;
}

double atr_push(struct atr *s, double high, double low, double close)
{
    int n = s->n;
    double prev = s->prev_close;
    s->prev_close = close;
    if (n <= s->period)
        s->n++;
    if (n == 0)
        return NAN;
    double tr = true_range(high, low, prev);
    if (s->period == 1)
        return tr;
    if (n < s->period) {
        s->value += tr;
        return NAN;
    }
    if (n == s->period) {
        s->value = (s->value + tr) / s->period;
        return s->value;
    }
    s->value *= s->period - 1;
    s->value += tr;
    s->value /= s->period;
    return s->value;
}

void atr_batch(const double *high, const double *low, const double *close, size_t n,
               int period, double *out)
{
    struct atr s;
    atr_init(&s, period);
    for (size_t i = 0; i < n; i++)
        out[i] = atr_push(&s, high[i], low[i], close[i]);
}

int atr_lookback(int period)
{
    return period < 1 ? 1 : period;
}
