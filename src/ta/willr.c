/* Williams %R: where the close sits in the window's high-low range, scaled to
 * [-100, 0]; the range is divided by -100 first, as TA-Lib does, and a window
 * with no range gives 0. */
#include "alphapulse/indicators.h"

#include <math.h>

#include "ring.h"

int willr_warm_init(struct willr_warm *w, int period)
{
    int rc = ta_clamp_period(&period, 1);
    w->period = period;
    w->n = 0;
    return rc;
}

int willr_init(struct willr *s, int period)
{
    int rc = willr_warm_init(&s->w, period);
    s->hi.buf = s->lo.buf = NULL;
    rc = ta_rc_join(rc, ta_extreme_init(&s->hi, s->w.period, 1));
    rc = ta_rc_join(rc, ta_extreme_init(&s->lo, s->w.period, 0));
    if (rc == TA_NOMEM)
        willr_free(s);
    return rc;
}

void willr_free(struct willr *s)
{
    ta_extreme_free(&s->hi);
    ta_extreme_free(&s->lo);
}

double willr_push(struct willr *s, double high, double low, double close)
{
    double lowest = ta_extreme_push(&s->lo, low);
    double highest = ta_extreme_push(&s->hi, high);
    return willr_push_hl(&s->w, highest, lowest, close);
}

double willr_push_hl(struct willr_warm *w, double highest, double lowest, double close)
{
    if (w->n < w->period - 1) {
        w->n++;
        return NAN;
    }
    double diff = (highest - lowest) / (-100.0);
    return diff != 0.0 ? (highest - close) / diff : 0.0;
}

void willr_batch(const double *high, const double *low, const double *close, size_t n,
                 int period, double *out)
{
    struct willr s;
    if (willr_init(&s, period) == TA_NOMEM) {
        for (size_t i = 0; i < n; i++)
            out[i] = NAN;
        return;
    }
    for (size_t i = 0; i < n; i++)
        out[i] = willr_push(&s, high[i], low[i], close[i]);
    willr_free(&s);
}

int willr_lookback(int period)
{
    ta_clamp_period(&period, 1);
    return period - 1;
}
