/* Market events as the feeds hand them to the engine: one kline update, partial
 * (still forming) or closed. Every feed — live, demo, tests — produces these. */
#ifndef ALPHAPULSE_EVENT_H
#define ALPHAPULSE_EVENT_H
#include <stdbool.h>
#include <stdint.h>
#include "alphapulse/candle.h"

#define SYMBOL_MAX 16

struct kline_event {
    char symbol[SYMBOL_MAX];   /* upper case, e.g. BTCUSDT */
    int tf;                    /* enum timeframe */
    bool closed;               /* final candle ("x": true) */
    int64_t event_time;        /* exchange event time "E", ms */
    int64_t recv_ns;           /* monotonic receive time, for latency; 0 if unknown */
    struct candle c;
};

#endif
