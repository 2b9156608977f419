/* RSI divergence: the same swing rule as levels.c (strict on the left), applied
 * to lows and highs, comparing each confirmed swing with the previous one. */
#include "alphapulse/divergence.h"
#include "alphapulse/levels.h"

#include <math.h>
#include <stdbool.h>
#include <string.h>

void divergence_init(struct divergence_state *s, int wing, int max_gap)
{
    memset(s, 0, sizeof *s);
    s->wing = wing < 1 ? 1 : wing > DIV_WING_MAX ? DIV_WING_MAX : wing;
    s->max_gap = max_gap;
    s->last_lo_at = s->last_hi_at = -1;
    s->found_at = -1;
}

int divergence_push(struct divergence_state *s, const struct candle *c, double rsi)
{
    int span = 2 * s->wing + 1;
    int pos = (int)(s->n % span);
    s->lo[pos] = c->low;
    s->hi[pos] = c->high;
    s->rsi[pos] = rsi;
    s->n++;
    if (s->n < span)
        return 0;
    int mid = (int)((s->n - 1 - s->wing) % span);
    long at = s->n - 1 - s->wing;
    bool is_hi, is_lo;
    levels_swing_test(s->hi, s->lo, s->n, s->wing, &is_hi, &is_lo);
    int found = 0;
    double r = s->rsi[mid];
    if (is_lo && !isnan(r)) {
        if (s->last_lo_at >= 0 && at - s->last_lo_at <= s->max_gap &&
            s->lo[mid] < s->last_lo && r > s->last_lo_rsi)
            found = 1;
        s->last_lo = s->lo[mid];
        s->last_lo_rsi = r;
        s->last_lo_at = at;
    }
    if (is_hi && !isnan(r)) {
        if (s->last_hi_at >= 0 && at - s->last_hi_at <= s->max_gap &&
            s->hi[mid] > s->last_hi && r < s->last_hi_rsi)
            found = found ? 0 : -1;   /* both at once: no verdict */
        s->last_hi = s->hi[mid];
        s->last_hi_rsi = r;
        s->last_hi_at = at;
    }
    if (found) {
        s->dir = found;
        s->found_at = s->n - 1;
    }
    return found;
}

int divergence_recent(const struct divergence_state *s, int within)
{
    return s->found_at >= 0 && s->n - 1 - s->found_at < within ? s->dir : 0;
}
