/* RSI/price divergences at confirmed swings: a swing low below the previous swing
 * low while RSI made a higher low is bullish; a higher swing high with a lower RSI
 * high is bearish. A swing is known `wing` candles after it, so no look-ahead. */
#ifndef ALPHAPULSE_DIVERGENCE_H
#define ALPHAPULSE_DIVERGENCE_H
#include "alphapulse/candle.h"

#define DIV_WING_MAX 10

struct divergence_state {
    int wing, max_gap;         /* swings further apart than max_gap candles are not compared */
    double lo[2 * DIV_WING_MAX + 1], hi[2 * DIV_WING_MAX + 1], rsi[2 * DIV_WING_MAX + 1];
    long n;
    double last_lo, last_lo_rsi, last_hi, last_hi_rsi;
    long last_lo_at, last_hi_at;          /* candle index of the previous swings, -1: none */
    int dir;                              /* +1 bullish, -1 bearish, 0 none */
    long found_at;                        /* candle index at which it was confirmed */
};

void divergence_init(struct divergence_state *s, int wing, int max_gap);
/* One closed candle and its RSI (NAN before warm-up). Returns +1 / -1 when a
 * divergence is confirmed on this candle, else 0. */
int divergence_push(struct divergence_state *s, const struct candle *c, double rsi);
/* The latest divergence if confirmed within the last `within` candles, else 0. */
int divergence_recent(const struct divergence_state *s, int within);

#endif
