/* MACD. TA-Lib starts the fast EMA's SMA seed late, so that both EMAs emit their
 * first value on the same row; we skip the same leading inputs for it. Nothing
 * is output until the signal EMA is warm, again as TA-Lib. */
#include "alphapulse/indicators.h"

#include <math.h>

int macd_init(struct macd *s, int fast, int slow, int signal)
{
    int rc = 0;
    if (fast < 1) { fast = 1; rc = -1; }
    if (slow < 1) { slow = 1; rc = -1; }
    if (signal < 1) { signal = 1; rc = -1; }
    if (slow < fast) {
        int t = slow;
        slow = fast;
        fast = t;
    }
    ema_init(&s->fast, fast);
    ema_init(&s->slow, slow);
    ema_init(&s->signal, signal);
    s->skip = slow - fast;
    s->n = 0;
    return rc;
}

void macd_push(struct macd *s, double x, struct macd_out *out)
{
    out->macd = out->signal = out->hist = NAN;
    double slow = ema_push(&s->slow, x);
    if (s->n < s->skip) {
        s->n++;
        return;
    }
    double fast = ema_push(&s->fast, x);
    if (isnan(slow))
        return;
    double m = fast - slow;
    double sig = ema_push(&s->signal, m);
    if (isnan(sig))
        return;
    out->macd = m;
    out->signal = sig;
    out->hist = m - sig;
}

void macd_batch(const double *in, size_t n, int fast, int slow, int signal,
                double *out_macd, double *out_signal, double *out_hist)
{
    struct macd s;
    struct macd_out o;
    macd_init(&s, fast, slow, signal);
    for (size_t i = 0; i < n; i++) {
        macd_push(&s, in[i], &o);
        if (out_macd) out_macd[i] = o.macd;
        if (out_signal) out_signal[i] = o.signal;
        if (out_hist) out_hist[i] = o.hist;
    }
}

int macd_lookback(int fast, int slow, int signal)
{
    if (slow < fast)
        slow = fast;
    if (slow < 1)
        slow = 1;
    if (signal < 1)
        signal = 1;
    return (slow - 1) + (signal - 1);
}
