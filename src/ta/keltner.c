/* Keltner Channels: an EMA of the close as the middle line and bands at a
 * multiple of the ATR; both parts follow the TA-Lib EMA and ATR warm-ups. */
#include "alphapulse/indicators.h"

#include <math.h>

int keltner_init(struct keltner *s, int ema_period, int atr_period, double mult)
{
    int rc = ema_period < 1 ? -1 : 0;
    ema_init(&s->mid, ema_period);
    rc |= atr_init(&s->atr, atr_period);
    s->mult = mult;
    return rc;
}

void keltner_push(struct keltner *s, double high, double low, double close,
                  struct keltner_out *out)
{
    double mid = ema_push(&s->mid, close);
    double atr = atr_push(&s->atr, high, low, close);
    if (isnan(mid) || isnan(atr)) {
        out->upper = out->middle = out->lower = NAN;
        return;
    }
    out->middle = mid;
    out->upper = mid + s->mult * atr;
    out->lower = mid - s->mult * atr;
}

void keltner_batch(const double *high, const double *low, const double *close, size_t n,
                   int ema_period, int atr_period, double mult,
                   double *upper, double *middle, double *lower)
{
    struct keltner s;
    struct keltner_out o;
    keltner_init(&s, ema_period, atr_period, mult);
    for (size_t i = 0; i < n; i++) {
        keltner_push(&s, high[i], low[i], close[i], &o);
        if (upper) upper[i] = o.upper;
        if (middle) middle[i] = o.middle;
        if (lower) lower[i] = o.lower;
    }
}

int keltner_lookback(int ema_period, int atr_period)
{
    int a = ema_lookback(ema_period), b = atr_lookback(atr_period);
    return a > b ? a : b;
}
