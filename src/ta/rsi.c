/* Relative strength index with Wilder's smoothing, as TA-Lib computes it: the
 * first average is a plain mean of `period` moves, and a near-zero total
 * movement (|x| < 1e-14, TA-Lib's epsilon) reads as 0 rather than 0/0. */
#include "alphapulse/indicators.h"

#include <math.h>

void rsi_init(struct rsi *s, int period)
{
    if (period < 1)
        period = 1;
    s->period = period;
    s->prev = s->avg_gain = s->avg_loss = 0;
    s->n = 0;
}

static double rsi_value(const struct rsi *s)
{
    double t = s->avg_gain + s->avg_loss;
    return (t > -1e-14 && t < 1e-14) ? 0.0 : 100.0 * (s->avg_gain / t);
}

double rsi_push(struct rsi *s, double x)
{
    int n = s->n;
    if (n <= s->period)
        s->n++;
    if (n == 0) {
        s->prev = x;
        return NAN;
    }
    double d = x - s->prev;
    s->prev = x;
    if (n <= s->period) {
        if (d < 0)
            s->avg_loss -= d;
        else
            s->avg_gain += d;
        if (n < s->period)
            return NAN;
        s->avg_loss /= s->period;
        s->avg_gain /= s->period;
        return rsi_value(s);
    }
    s->avg_loss *= s->period - 1;
    s->avg_gain *= s->period - 1;
    /* branch-free (up/down is unpredictable); adding an exact 0 to the other
     * side leaves it as TA-Lib's skipped update does */
    s->avg_loss -= d < 0 ? d : 0.0;
    s->avg_gain += d < 0 ? 0.0 : d;
    s->avg_loss /= s->period;
    s->avg_gain /= s->period;
    return rsi_value(s);
}

void rsi_batch(const double *in, size_t n, int period, double *out)
{
    struct rsi s;
    rsi_init(&s, period);
    for (size_t i = 0; i < n; i++)
        out[i] = rsi_push(&s, in[i]);
}

int rsi_lookback(int period)
{
    return period < 1 ? 1 : period;
}
