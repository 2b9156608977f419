/* Support and resistance from swing highs and lows: a swing high is a candle whose
 * high no candle within `wing` candles either side exceeds; it is only known once
 * the `wing` candles after it have closed, so nothing here looks ahead. Nearby
 * swings (within merge_atr x ATR) merge into one level and count as touches. */
#ifndef ALPHAPULSE_LEVELS_H
#define ALPHAPULSE_LEVELS_H
#include <stdbool.h>
#include <stdint.h>
#include "alphapulse/candle.h"

#define LEVELS_MAX 12          /* levels kept per side, newest replace the oldest */
#define LEVELS_WING_MAX 10

struct level {
    double price;
    int64_t time;              /* open time of the latest swing candle at this level */
    int touches;
};

struct levels_state {
    int wing;
    double merge_atr;
    double hi[2 * LEVELS_WING_MAX + 1], lo[2 * LEVELS_WING_MAX + 1];
    int64_t t[2 * LEVELS_WING_MAX + 1];
    long n;
    struct level res[LEVELS_MAX], sup[LEVELS_MAX];   /* swing highs, swing lows */
    int nres, nsup;
};

/* wing: candles either side (clamped to [1, LEVELS_WING_MAX]); merge_atr: 0.25 is a good start */
void levels_init(struct levels_state *s, int wing, double merge_atr);
/* Push a closed candle with the current ATR (NAN: no merging). Returns a bit set:
 * 1 when a swing high was confirmed, 2 when a swing low was. */
int levels_push(struct levels_state *s, const struct candle *c, double atr);
/* Nearest level strictly below / above price, or NULL. */
const struct level *levels_support(const struct levels_state *s, double price);
const struct level *levels_resistance(const struct levels_state *s, double price);

/* Is the middle candle of a ring of span = 2 * wing + 1 highs and lows (n pushed so
 * far) a swing high and/or low? Strict on the left, so a flat top counts once, at
 * its first candle. Shared by the level and divergence detectors. */
void levels_swing_test(const double *hi, const double *lo, long n, int wing, bool *is_hi, bool *is_lo);

#endif
