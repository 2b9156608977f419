/* Swing levels: a ring of the last 2 * wing + 1 candles; the middle one becomes a
 * swing once its right wing has closed. Levels are fixed arrays: a new level that
 * merges with none replaces the oldest. */
#include "alphapulse/levels.h"

#include <math.h>
#include <stddef.h>
#include <string.h>

void levels_init(struct levels_state *s, int wing, double merge_atr)
{
    memset(s, 0, sizeof *s);
    s->wing = wing < 1 ? 1 : wing > LEVELS_WING_MAX ? LEVELS_WING_MAX : wing;
    s->merge_atr = merge_atr;
}

static void add_level(struct level *lv, int *n, double price, int64_t t, double tol)
{
    for (int i = 0; i < *n; i++)
        if (fabs(lv[i].price - price) <= tol) {
            lv[i].price = price;      /* the newest swing says where the level is now */
            lv[i].time = t;
            lv[i].touches++;
            return;
        }
    int slot = *n;
    if (*n == LEVELS_MAX) {           /* replace the oldest */
        slot = 0;
        for (int i = 1; i < *n; i++)
            if (lv[i].time < lv[slot].time)
                slot = i;
    } else {
        (*n)++;
    }
    lv[slot] = (struct level){ .price = price, .time = t, .touches = 1 };
}

int levels_push(struct levels_state *s, const struct candle *c, double atr)
{
    int span = 2 * s->wing + 1;
    int pos = (int)(s->n % span);
    s->hi[pos] = c->high;
    s->lo[pos] = c->low;
    s->t[pos] = c->open_time;
    s->n++;
    if (s->n < span)
        return 0;
    /* the candidate is the middle of the ring: wing candles on either side */
    int mid = (int)((s->n - 1 - s->wing) % span);
    bool is_hi, is_lo;
    levels_swing_test(s->hi, s->lo, s->n, s->wing, &is_hi, &is_lo);
    double tol = isnan(atr) ? 0 : s->merge_atr * atr;
    int r = 0;
    if (is_hi) {
        add_level(s->res, &s->nres, s->hi[mid], s->t[mid], tol);
        r |= 1;
    }
    if (is_lo) {
        add_level(s->sup, &s->nsup, s->lo[mid], s->t[mid], tol);
        r |= 2;
    }
    return r;
}

/* Swing highs that price has risen above act as support too, and swing lows
 * below price as resistance once broken: both sides are searched. */
const struct level *levels_support(const struct levels_state *s, double price)
{
    const struct level *best = NULL;
    for (int i = 0; i < s->nsup; i++)
        if (s->sup[i].price < price && (!best || s->sup[i].price > best->price))
            best = &s->sup[i];
    for (int i = 0; i < s->nres; i++)
        if (s->res[i].price < price && (!best || s->res[i].price > best->price))
            best = &s->res[i];
    return best;
}

const struct level *levels_resistance(const struct levels_state *s, double price)
{
    const struct level *best = NULL;
    for (int i = 0; i < s->nres; i++)
        if (s->res[i].price > price && (!best || s->res[i].price < best->price))
            best = &s->res[i];
    for (int i = 0; i < s->nsup; i++)
        if (s->sup[i].price > price && (!best || s->sup[i].price < best->price))
            best = &s->sup[i];
    return best;
}

void levels_swing_test(const double *hi, const double *lo, long n, int wing, bool *is_hi, bool *is_lo)
{
    int span = 2 * wing + 1, mid = (int)((n - 1 - wing) % span);
    *is_hi = *is_lo = true;
    for (int k = 0; k < span; k++) {
        int i = (int)((n - span + k) % span);
        if (i == mid)
            continue;
        bool left = k < wing;
        if (left ? hi[i] >= hi[mid] : hi[i] > hi[mid])
            *is_hi = false;
        if (left ? lo[i] <= lo[mid] : lo[i] < lo[mid])
            *is_lo = false;
    }
}
