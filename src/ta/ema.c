/* Exponential moving average, TA-Lib style: SMA seed, then alpha = 2/(n+1).
 * The seed sum is accumulated in input order so it rounds like TA-Lib's. */
#include "alphapulse/indicators.h"

#include <math.h>

void ema_init(struct ema *s, int period)
{
    if (period < 1)
        period = 1;
    s->period = period;
    s->alpha = 2.0 / (period + 1.0);
    s->value = s->sum = 0;
    s->n = 0;
}

double ema_push(struct ema *s, double x)
{
    if (s->n < s->period) {
        s->sum += x;
        if (++s->n < s->period)
            return NAN;
        s->value = s->sum / s->period;
        return s->value;
    }
    s->value = (x - s->value) * s->alpha + s->value;
    return s->value;
}

void ema_batch(const double *in, size_t n, int period, double *out)
{
    struct ema s;
    ema_init(&s, period);
    for (size_t i = 0; i < n; i++)
        out[i] = ema_push(&s, in[i]);
}

int ema_lookback(int period)
{
    return (period < 1 ? 1 : period) - 1;
}
