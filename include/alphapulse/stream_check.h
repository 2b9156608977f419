/* Per-stream checks that need memory of the stream: ordering (duplicates,
 * out-of-order), gaps between the last closed 1m candle and a new one, outliers
 * (flagged, never dropped) and the quality score. Pure: no I/O, no clock. */
#ifndef ALPHAPULSE_STREAM_CHECK_H
#define ALPHAPULSE_STREAM_CHECK_H
#include <stdint.h>
#include "alphapulse/event.h"

#define STREAM_CHECK_WARMUP 30      /* closed candles before outliers can be flagged */

struct stream_check {
    int64_t last_closed;            /* open time of the last closed 1m candle passed on; -1: none */
    int64_t last_open;              /* newest open time passed on (closed or forming); -1: none */
    double prev_close;
    double ewma_ret, ewma_range;    /* typical |log return| and log(high/low) */
    int n_closed;
    uint32_t outliers, unfillable, closed_ok;
    uint32_t rejected[STREAM_RULE_COUNT];
};

enum stream_verdict { SV_ACCEPT, SV_DUPLICATE, SV_OUT_OF_ORDER, SV_GAP };

void stream_check_init(struct stream_check *s, int64_t last_closed);
/* Missing 1m candles between a last closed candle and a new candle's open time:
 * returns how many, with the first and last missing open times. 0 when
 * last_closed < 0 (nothing to continue from) or nothing is missing. */
int64_t stream_gap(int64_t last_closed, int64_t open_time, int64_t *first, int64_t *last);
/* Where a 1m update with this open time stands relative to the stream. */
enum stream_verdict stream_check_order(const struct stream_check *s, int64_t open_time);
/* Take an accepted update: advances the stream; on a closed candle, runs the
 * outlier test and sets CANDLE_OUTLIER in c->flags when it fires. */
void stream_check_accept(struct stream_check *s, struct candle *c, bool closed);
void stream_check_reject(struct stream_check *s, int rule);
/* 1 - (rejected candles + unfillable gaps + outliers/2) / (all of those + good closed) */
double stream_check_quality(const struct stream_check *s);

#endif
