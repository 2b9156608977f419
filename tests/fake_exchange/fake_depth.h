/* The fake exchange's market depth: a true order book per symbol moving with
 * its candles, diff-depth events with Binance's update ids, REST snapshots,
 * aggregated trades that stay inside each closed candle's range and sum to its
 * volume, and faults (a skipped id range, a stale snapshot, a crossed update). */
#ifndef FAKE_DEPTH_H
#define FAKE_DEPTH_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "alphapulse/candle.h"

/* emit(k, trade, text, len): one WebSocket message for symbol k's depth (trade
 * false) or aggTrade (trade true) subscribers */
typedef void (*fake_depth_emit)(int k, bool trade, const char *text, size_t len);

void fake_depth_init(int nsym, const char (*sym)[16], const char (*lower)[16]);
/* Symbol k's current price moved to `close` (candle index changed): one diff
 * event; closed: the candle just closed (its trades). */
void fake_depth_step(int k, double close, const struct candle *closed, fake_depth_emit emit);
/* REST snapshot / truth as malloc'd JSON text. */
char *fake_depth_snapshot(int k, int limit, size_t *len);
char *fake_depth_truth(int k, int levels, size_t *len);
/* Faults and pauses: "depth_skip" (n events withheld), "depth_stale" (the next
 * n snapshots are the book as it is now), "depth_cross" (one crossed event),
 * "depth_pause", "depth_resume". Returns false for another action. */
bool fake_depth_control(const char *action, long n);
uint64_t fake_depth_id(int k);

#endif
