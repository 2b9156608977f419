/* The shared core of all patterns: derives each candle's parts once and advances the
 * running totals of the candle settings (see candle_settings.h for why there is one
 * total per start row). Totals are updated the way TA-Lib updates its own: first the
 * plain sum of the first window, then total += (newest range - oldest range). */
#include "candle_settings.h"

#include <string.h>

void cdl_core_push(struct cdl_state *st, const struct candle *c, unsigned groups)
{
    int64_t t = st->n;
    struct cdl_bar *b = &st->bar[t & (CDL_RING - 1)];
    b->open = c->open;
    b->high = c->high;
    b->low = c->low;
    b->close = c->close;
    b->volume = c->volume;
    b->color = c->close >= c->open ? 1 : -1;
    b->top = c->close >= c->open ? c->close : c->open;
    b->bottom = c->close >= c->open ? c->open : c->close;
    b->body = fabs(c->close - c->open);
    b->range = c->high - c->low;
    b->upper = c->high - b->top;
    b->lower = b->bottom - c->low;
    st->n = t + 1;

    double (*mean)[CDL_STARTS] = st->mean[t & (CDL_SLOTS - 1)];
    for (int g = 0; g < CDL_GROUPS; g++) {
        if (!(groups & (1u << g)))
            continue;
        int p = cdl_groups[g].period;
        double r = cdl_range_of(b, cdl_groups[g].range);
        double old = t >= p ? cdl_range_of(&st->bar[(t - p) & (CDL_RING - 1)], cdl_groups[g].range) : 0;
        double sum[CDL_STARTS];
        memcpy(sum, st->sum[g], sizeof sum);
        if (t >= CDL_STARTS - 1 + p) {
            /* every total is past its first window: all take the same step */
            double d = r - old;
            for (int s = 0; s < CDL_STARTS; s++)
                sum[s] += d;
        } else {
            for (int s = 0; s < CDL_STARTS; s++) {
                if (t < s)
                    sum[s] = 0;
                else if (t < s + p)
                    sum[s] += r;
                else
                    sum[s] += r - old;
            }
        }
        memcpy(st->sum[g], sum, sizeof sum);
        /* the division TA-Lib does at each use, done once for the totals read */
        for (unsigned m = cdl_groups[g].starts; m; m &= m - 1) {
            int s = __builtin_ctz(m);
            mean[g][s] = sum[s] / p;
        }
    }
}
