/* Commodity channel index. The mean is summed over the ring in slot order, the
 * order TA-Lib's circular buffer uses: tp - mean cancels heavily, so even the
 * summation order shows in the result. The mean deviation needs a pass over
 * the window anyway, so a push is O(period). */
#include "alphapulse/indicators.h"

#include <math.h>

int cci_init(struct cci *s, int period)
{
    int rc = ta_clamp_period(&period, 1);
    s->period = period;
    s->n = s->pos = 0;
    for (int i = 0; i < period; i++)
        s->ring[i] = 0;
    return rc;
}

double cci_push(struct cci *s, double high, double low, double close)
{
    int p = s->period;
    double tp = (high + low + close) / 3;
    s->ring[s->pos] = tp;
    s->pos = s->pos + 1 == p ? 0 : s->pos + 1;
    if (s->n < p - 1) {
        s->n++;
        return NAN;
    }
    double mean = 0;
    for (int j = 0; j < p; j++)
        mean += s->ring[j];
    mean /= p;
    double dev = 0;
    for (int j = 0; j < p; j++)
        dev += fabs(s->ring[j] - mean);
    double num = tp - mean;
    if (num != 0.0 && dev != 0.0)
        return num / (0.015 * (dev / p));
    return 0.0;
}

void cci_batch(const double *high, const double *low, const double *close, size_t n,
               int period, double *out)
{
    struct cci s;
    cci_init(&s, period);
    for (size_t i = 0; i < n; i++)
        out[i] = cci_push(&s, high[i], low[i], close[i]);
}

int cci_lookback(int period)
{
    ta_clamp_period(&period, 1);
    return period - 1;
}
