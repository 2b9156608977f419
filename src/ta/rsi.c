/* Relative strength index with Wilder's smoothing, as TA-Lib computes it. */
#include "alphapulse/indicators.h"

#include <math.h>

void rsi_init(struct rsi *s, int period)
{
    s->period = period;
    s->prev = s->avg_gain = s->avg_loss = 0;
    s->n = 0;
}

static double rsi_value(const struct rsi *s)
{
    double t = s->avg_gain + s->avg_loss;
    return t != 0.0 ? 100.0 * (s->avg_gain / t) : 0.0;
}

double rsi_push(struct rsi *s, double x)
{
    int n = s->n++;
    if (n == 0) {
        s->prev = x;
        return NAN;
    }
    double d = x - s->prev;
    s->prev = x;
    double gain = d > 0 ? d : 0, loss = d < 0 ? -d : 0;
    if (n <= s->period) {
        s->avg_gain += gain;
        s->avg_loss += loss;
        if (n < s->period)
            return NAN;
        s->avg_gain /= s->period;
        s->avg_loss /= s->period;
        return rsi_value(s);
    }
    s->avg_gain = (s->avg_gain * (s->period - 1) + gain) / s->period;
    s->avg_loss = (s->avg_loss * (s->period - 1) + loss) / s->period;
    return rsi_value(s);
}

void rsi_batch(const double *in, size_t n, int period, double *out)
{
    struct rsi s;
    rsi_init(&s, period);
    for (size_t i = 0; i < n; i++)
        out[i] = rsi_push(&s, in[i]);
}
