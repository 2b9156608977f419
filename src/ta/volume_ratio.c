/* Volume relative to its recent average, the usual "is this bar busy" test. The
 * ratio is NAN, not infinite, when the average volume is 0. */
#include "alphapulse/indicators.h"

#include <math.h>

int volume_ratio_init(struct volume_ratio *s, int period)
{
    return sma_init(&s->ma, period);
}

void volume_ratio_free(struct volume_ratio *s)
{
    sma_free(&s->ma);
}

void volume_ratio_push(struct volume_ratio *s, double volume, double *sma, double *ratio)
{
    double m = sma_push(&s->ma, volume);
    if (sma) *sma = m;
    if (ratio) *ratio = (isnan(m) || m == 0.0) ? NAN : volume / m;
}

void volume_ratio_batch(const double *volume, size_t n, int period,
                        double *out_sma, double *out_ratio)
{
    struct volume_ratio s;
    if (volume_ratio_init(&s, period) == TA_NOMEM) {
        for (size_t i = 0; i < n; i++) {
            if (out_sma) out_sma[i] = NAN;
            if (out_ratio) out_ratio[i] = NAN;
        }
        return;
    }
    for (size_t i = 0; i < n; i++)
        volume_ratio_push(&s, volume[i], out_sma ? &out_sma[i] : NULL,
                          out_ratio ? &out_ratio[i] : NULL);
    volume_ratio_free(&s);
}

int volume_ratio_lookback(int period)
{
    return sma_lookback(period);
}
