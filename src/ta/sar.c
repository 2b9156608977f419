/* Parabolic SAR (Wilder). The first trend direction is decided on bar 1 by its
 * -DM as TA-Lib does (a down move of the low larger than the up move of the
 * high starts short), and on that bar the "previous" range is bar 1 itself. */
#include "alphapulse/indicators.h"

#include <math.h>

int sar_init(struct sar *s, double acceleration, double maximum)
{
    int rc = 0;
    if (!(acceleration >= 0)) { acceleration = 0.02; rc = -1; }
    if (!(maximum >= 0)) { maximum = 0.2; rc = -1; }
    if (acceleration > maximum)       /* TA-Lib caps the step itself, not only af */
        acceleration = maximum;
    s->accel = acceleration;
    s->max_af = maximum;
    s->af = acceleration;
    s->ep = s->sar = s->prev_high = s->prev_low = 0;
    s->n = 0;
    s->is_long = 1;
    return rc;
}

double sar_push(struct sar *s, double high, double low)
{
    if (s->n == 0) {
        s->n = 1;
        s->prev_high = high;
        s->prev_low = low;
        return NAN;
    }
    double prev_high, prev_low;
    if (s->n == 1) {
        s->n = 2;
        double diff_m = s->prev_low - low, diff_p = high - s->prev_high;
        s->is_long = !(diff_m > 0 && diff_p < diff_m);
        if (s->is_long) {
            s->ep = high;
            s->sar = s->prev_low;
        } else {
            s->ep = low;
            s->sar = s->prev_high;
        }
        prev_high = high;
        prev_low = low;
    } else {
        prev_high = s->prev_high;
        prev_low = s->prev_low;
    }
    s->prev_high = high;
    s->prev_low = low;

    double out;
    if (s->is_long) {
        if (low <= s->sar) {            /* reversal to short */
            s->is_long = 0;
            out = s->ep;
            if (out < prev_high) out = prev_high;
            if (out < high) out = high;
            s->af = s->accel;
            s->ep = low;
            double next = out + s->af * (s->ep - out);
            if (next < prev_high) next = prev_high;
            if (next < high) next = high;
            s->sar = next;
        } else {
            out = s->sar;
            if (high > s->ep) {
                s->ep = high;
                s->af += s->accel;
                if (s->af > s->max_af)
                    s->af = s->max_af;
            }
            double next = out + s->af * (s->ep - out);
            if (next > prev_low) next = prev_low;
            if (next > low) next = low;
            s->sar = next;
        }
    } else {
        if (high >= s->sar) {           /* reversal to long */
            s->is_long = 1;
            out = s->ep;
            if (out > prev_low) out = prev_low;
            if (out > low) out = low;
            s->af = s->accel;
            s->ep = high;
            double next = out + s->af * (s->ep - out);
            if (next > prev_low) next = prev_low;
            if (next > low) next = low;
            s->sar = next;
        } else {
            out = s->sar;
            if (low < s->ep) {
                s->ep = low;
                s->af += s->accel;
                if (s->af > s->max_af)
                    s->af = s->max_af;
            }
            double next = out + s->af * (s->ep - out);
            if (next < prev_high) next = prev_high;
            if (next < high) next = high;
            s->sar = next;
        }
    }
    return out;
}

void sar_batch(const double *high, const double *low, size_t n,
               double acceleration, double maximum, double *out)
{
    struct sar s;
    sar_init(&s, acceleration, maximum);
    for (size_t i = 0; i < n; i++)
        out[i] = sar_push(&s, high[i], low[i]);
}

int sar_lookback(void)
{
    return 1;
}
