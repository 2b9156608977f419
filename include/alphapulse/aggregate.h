/* Building higher-timeframe candles from 1m candles, bucketed on UTC boundaries,
 * so that 5m/15m/1h/4h/1d equal the exchange's own candles. */
#ifndef ALPHAPULSE_AGGREGATE_H
#define ALPHAPULSE_AGGREGATE_H
#include <stdbool.h>
#include "alphapulse/candle.h"

/* The closed 1m candles of the current bucket, merged. */
struct aggregator {
    int tf;
    bool active;
    bool started;              /* a 1m candle was seen: later buckets start from known data */
    struct candle acc;
};

void agg_init(struct aggregator *a, int tf);
/* Merge candle m (a lower-timeframe candle) into acc: first open, max high, min low,
 * last close, summed volumes. acc->open_time is left as set by the caller. */
void agg_merge(struct candle *acc, const struct candle *m);
/* Feed one closed 1m candle. The first bucket, when the 1m data begins after its
 * first minute, is flagged CANDLE_PARTIAL.  When it starts a new bucket, the previous bucket's
 * candle is complete: it is written to *done and 1 is returned (0 otherwise).
 * When the 1m candle is the last minute of its bucket the bucket is complete too:
 * *done gets it and 2 is returned. */
int agg_push_closed(struct aggregator *a, const struct candle *m1, struct candle *done);
/* The still-forming candle of the bucket holding `partial` (a forming 1m candle),
 * without changing the aggregator. Returns false when nothing is forming. */
bool agg_forming(const struct aggregator *a, const struct candle *partial, struct candle *out);

#endif
