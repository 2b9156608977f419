/* ADX with +DI/-DI. Wilder's sums of +DM, -DM and true range are kept without
 * rounding (TA-Lib's default). The first p-1 moves only accumulate; the DX
 * values of the next p moves are averaged into the first ADX. A zero true range
 * or zero DI sum leaves the ADX unchanged and the DI at 0, as in TA-Lib. */
#include "alphapulse/indicators.h"

#include <math.h>

static int is_zero(double x) { return x > -1e-14 && x < 1e-14; }

int adx_init(struct adx *s, int period)
{
    int rc = 0;
    if (period < 2) {
        period = 2;
        rc = -1;
    }
    s->period = period;
    s->prev_high = s->prev_low = s->prev_close = 0;
    s->plus_dm = s->minus_dm = s->tr = s->sum_dx = s->value = 0;
    s->n = 0;
    return rc;
}

void adx_push(struct adx *s, double high, double low, double close,
              double *adx, double *plus_di, double *minus_di)
{
    double o_adx = NAN, o_pdi = NAN, o_mdi = NAN;
    int n = s->n, p = s->period;
    if (n < 2 * p)
        s->n++;
    if (n == 0) {
        s->prev_high = high;
        s->prev_low = low;
        s->prev_close = close;
        goto out;
    }
    double diff_p = high - s->prev_high;
    double diff_m = s->prev_low - low;
    double tr = high - low, t;
    t = fabs(high - s->prev_close);
    if (t > tr)
        tr = t;
    t = fabs(low - s->prev_close);
    if (t > tr)
        tr = t;
    s->prev_high = high;
    s->prev_low = low;
    s->prev_close = close;
    int minus = diff_m > 0 && diff_p < diff_m;
    int plus = !minus && diff_p > 0 && diff_p > diff_m;
    if (n < p) {
        if (minus)
            s->minus_dm += diff_m;
        else if (plus)
            s->plus_dm += diff_p;
        s->tr += tr;
        goto out;
    }
    /* branch-free; adding an exact 0 matches TA-Lib skipping the addition */
    s->minus_dm -= s->minus_dm / p;
    s->plus_dm -= s->plus_dm / p;
    s->minus_dm += minus ? diff_m : 0.0;
    s->plus_dm += plus ? diff_p : 0.0;
    s->tr = s->tr - (s->tr / p) + tr;
    double dx = NAN;
    if (!is_zero(s->tr)) {
        o_mdi = 100.0 * (s->minus_dm / s->tr);
        o_pdi = 100.0 * (s->plus_dm / s->tr);
        double sum = o_mdi + o_pdi;
        if (!is_zero(sum))
            dx = 100.0 * (fabs(o_mdi - o_pdi) / sum);
    } else {
        o_mdi = o_pdi = 0.0;
    }
    if (n < 2 * p - 1) {
        if (!isnan(dx))
            s->sum_dx += dx;
        goto out;
    }
    if (n == 2 * p - 1) {
        if (!isnan(dx))
            s->sum_dx += dx;
        s->value = s->sum_dx / p;
    } else if (!isnan(dx)) {
        s->value = ((s->value * (p - 1)) + dx) / p;
    }
    o_adx = s->value;
out:
    if (adx) *adx = o_adx;
    if (plus_di) *plus_di = o_pdi;
    if (minus_di) *minus_di = o_mdi;
}

void adx_batch(const double *high, const double *low, const double *close, size_t n,
               int period, double *out_adx, double *out_plus_di, double *out_minus_di)
{
    struct adx s;
    adx_init(&s, period);
    for (size_t i = 0; i < n; i++)
        adx_push(&s, high[i], low[i], close[i], out_adx ? &out_adx[i] : NULL,
                 out_plus_di ? &out_plus_di[i] : NULL, out_minus_di ? &out_minus_di[i] : NULL);
}

int adx_lookback(int period)
{
    return 2 * (period < 2 ? 2 : period) - 1;
}

int di_lookback(int period)
{
    return period < 2 ? 2 : period;
}
