/* Binance kline JSON: parse a WebSocket kline event (raw or combined-stream
 * wrapper) into a kline_event, and format one (the demo replays through the
 * same parser as live data). */
#ifndef ALPHAPULSE_KLINE_JSON_H
#define ALPHAPULSE_KLINE_JSON_H
#include <stddef.h>
#include "alphapulse/event.h"

enum kline_json_error {
    KLINE_JSON_OK = 0,
    KLINE_JSON_SYNTAX = -1,      /* not JSON, truncated, too large */
    KLINE_JSON_NOT_KLINE = -2,   /* valid JSON but not a kline event */
    KLINE_JSON_FIELD = -3,       /* a required field is missing or of the wrong type */
    KLINE_JSON_VALUE = -4,       /* a field has an impossible value (see candle_check) */
};

#define KLINE_JSON_MAX_BYTES 65536

int kline_json_parse(const char *buf, size_t len, struct kline_event *out,
                     char *why, size_t why_len);
/* returns bytes written (excluding NUL) or -1 when buf is too small */
int kline_json_format(const struct kline_event *ev, char *buf, size_t len);
const char *kline_json_error_name(int err);

#endif
