/* Candles and timeframes: the unit of market data every module shares. */
#ifndef ALPHAPULSE_CANDLE_H
#define ALPHAPULSE_CANDLE_H
#include <stdbool.h>
#include <stdint.h>

enum timeframe { TF_1M, TF_5M, TF_15M, TF_1H, TF_4H, TF_1D, TF_COUNT };

/* time is int64 milliseconds UTC; a candle is identified by its open time */
struct candle {
    int64_t open_time;
    double open, high, low, close, volume;
    double quote_volume;
    int64_t trades;
    uint32_t flags;            /* CANDLE_* */
};

/* CANDLE_PARTIAL: a higher-timeframe candle built from only part of its window
 * (the 1m data started inside it), so its open and volume are not the market's */
enum { CANDLE_OUTLIER = 1u << 0, CANDLE_REPAIRED = 1u << 1, CANDLE_PARTIAL = 1u << 2 };

/* Validation rules of SPEC §1 that look at one candle alone. */
enum candle_rule {
    CANDLE_OK = 0,
    CANDLE_NAN,             /* a field is NaN or infinite */
    CANDLE_NONPOSITIVE,     /* a price <= 0 */
    CANDLE_HIGH_LT_LOW,
    CANDLE_OC_OUTSIDE,      /* open or close outside [low, high] */
    CANDLE_NEG_VOLUME,
    CANDLE_RULE_COUNT
};

int64_t tf_ms(enum timeframe tf);
const char *tf_name(enum timeframe tf);          /* "1m" ... "1d" */
int tf_parse(const char *s);                     /* TF_* or -1 */
int64_t tf_floor(enum timeframe tf, int64_t t);  /* open time of the bucket holding t */

enum candle_rule candle_check(const struct candle *c);
const char *candle_rule_name(enum candle_rule r);

#endif
