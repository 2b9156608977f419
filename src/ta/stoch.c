/* Slow Stochastic (%K and %D smoothed by SMAs). The window high/low come from
 * sliding-extreme blocks; the fast %K divides by range/100 as TA-Lib does, and a
 * window with no range gives 0. */
#include "alphapulse/indicators.h"

#include <math.h>
#include <stdbool.h>

#include "ring.h"

int stoch_init(struct stoch *s, int fastk, int slowk, int slowd)
{
    int rc = ta_clamp_period(&fastk, 1);
    s->k.ring = s->d.ring = NULL;
    s->hi.buf = s->lo.buf = NULL;
    rc = ta_rc_join(rc, sma_init(&s->k, slowk));
    rc = ta_rc_join(rc, sma_init(&s->d, slowd));
    rc = ta_rc_join(rc, ta_extreme_init(&s->hi, fastk, 1));
    rc = ta_rc_join(rc, ta_extreme_init(&s->lo, fastk, 0));
    if (rc == TA_NOMEM)
        stoch_free(s);
    s->n = 0;
    s->lookback = fastk - 1;
    return rc;
}

void stoch_free(struct stoch *s)
{
    sma_free(&s->k);
    sma_free(&s->d);
    ta_extreme_free(&s->hi);
    ta_extreme_free(&s->lo);
}

void stoch_push(struct stoch *s, double high, double low, double close, double *k, double *d)
{
    double lowest = ta_extreme_push(&s->lo, low);
    double highest = ta_extreme_push(&s->hi, high);
    stoch_push_hl(s, highest, lowest, close, k, d);
}

void stoch_push_hl(struct stoch *s, double highest, double lowest, double close,
                   double *k, double *d)
{
    double ok = NAN, od = NAN;
    if (s->n < s->lookback) {
        s->n++;
    } else {
        double diff = (highest - lowest) / 100.0;
        double fast = diff != 0.0 ? (close - lowest) / diff : 0.0;
        double slow = sma_push(&s->k, fast);
        if (!isnan(slow)) {
            od = sma_push(&s->d, slow);
            if (!isnan(od))
                ok = slow;
        }
    }
    if (k) *k = ok;
    if (d) *d = od;
}

void stoch_batch(const double *high, const double *low, const double *close, size_t n,
                 int fastk, int slowk, int slowd, double *out_k, double *out_d)
{
    struct stoch s;
    bool ok = stoch_init(&s, fastk, slowk, slowd) != TA_NOMEM;
    for (size_t i = 0; i < n; i++) {
        if (ok) {
            stoch_push(&s, high[i], low[i], close[i], out_k ? &out_k[i] : NULL,
                       out_d ? &out_d[i] : NULL);
            continue;
        }
        if (out_k) out_k[i] = NAN;
        if (out_d) out_d[i] = NAN;
    }
    if (ok)
        stoch_free(&s);
}

int stoch_lookback(int fastk, int slowk, int slowd)
{
    ta_clamp_period(&fastk, 1);
    return (fastk - 1) + sma_lookback(slowk) + sma_lookback(slowd);
}
