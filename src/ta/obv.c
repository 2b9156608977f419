/* On-balance volume: the running total starts at the first bar's volume
 * (TA-Lib), then adds or subtracts each bar's volume by the close's direction. */
#include "alphapulse/indicators.h"

void obv_init(struct obv *s)
{
    s->prev_close = s->value = 0;
    s->n = 0;
}

double obv_push(struct obv *s, double close, double volume)
{
    if (s->n == 0) {
        s->n = 1;
        s->value = volume;
    } else {
        /* branch-free: the direction is a coin flip on real data; adding an
         * exact 0 or -volume rounds the same as TA-Lib's skip or subtraction */
        double dir = (double)((close > s->prev_close) - (close < s->prev_close));
        s->value += dir * volume;
    }
    s->prev_close = close;
    return s->value;
}

void obv_batch(const double *close, const double *volume, size_t n, double *out)
{
    struct obv s;
    obv_init(&s);
    for (size_t i = 0; i < n; i++)
        out[i] = obv_push(&s, close[i], volume[i]);
}

int obv_lookback(void)
{
    return 0;
}
