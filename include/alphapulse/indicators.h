/* Technical indicators. Each has the same three entry points so streaming and
 * batch cannot drift: NAME_init, NAME_push (O(1), no allocation, NAN until warm)
 * and NAME_batch (a loop over push). Warm-up and seeding follow TA-Lib 0.6.0. */
#ifndef ALPHAPULSE_INDICATORS_H
#define ALPHAPULSE_INDICATORS_H
#include <stddef.h>

/* EMA: seeded by the SMA of the first `period` inputs; first value at row period-1. */
struct ema { double alpha, value, sum; int n, period; };
void   ema_init(struct ema *s, int period);
double ema_push(struct ema *s, double x);
void   ema_batch(const double *in, size_t n, int period, double *out);

/* RSI with Wilder smoothing; first value at row `period`. */
struct rsi { double prev, avg_gain, avg_loss; int n, period; };
void   rsi_init(struct rsi *s, int period);
double rsi_push(struct rsi *s, double x);
void   rsi_batch(const double *in, size_t n, int period, double *out);

#endif
