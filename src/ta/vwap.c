/* Session VWAP: sums of typical price x volume and of volume, restarted when a
 * candle opens on a new UTC day. Days are compared, not checked for adjacency,
 * so a gap of several days still restarts once. */
#include "alphapulse/indicators.h"

#include <math.h>

enum { DAY_MS = 86400000 };

static int64_t utc_day(int64_t t)
{
    int64_t d = t / DAY_MS;
    return (t % DAY_MS < 0) ? d - 1 : d;     /* floor, also before 1970 */
}

void vwap_init(struct vwap *s)
{
    s->pv = s->vol = 0;
    s->day = 0;
    s->started = 0;
}

double vwap_push(struct vwap *s, int64_t open_time_ms, double high, double low,
                 double close, double volume)
{
    int64_t day = utc_day(open_time_ms);
    if (!s->started || day != s->day) {
        s->started = 1;
        s->day = day;
        s->pv = s->vol = 0;
    }
    s->pv += (high + low + close) / 3.0 * volume;
    s->vol += volume;
    return s->vol > 0 ? s->pv / s->vol : NAN;
}

void vwap_batch(const int64_t *open_time_ms, const double *high, const double *low,
                const double *close, const double *volume, size_t n, double *out)
{
    struct vwap s;
    vwap_init(&s);
    for (size_t i = 0; i < n; i++)
        out[i] = vwap_push(&s, open_time_ms ? open_time_ms[i] : 0, high[i], low[i], close[i], volume[i]);
}

int vwap_lookback(void)
{
    return 0;
}
