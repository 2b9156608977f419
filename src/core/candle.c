/* Timeframe arithmetic and the single-candle validation rules. */
#include "alphapulse/candle.h"
#include "alphapulse/event.h"

#include <math.h>
#include <string.h>

static const int64_t TF_MS[TF_COUNT] = {
    60000LL, 300000LL, 900000LL, 3600000LL, 14400000LL, 86400000LL,
};
static const char *const TF_NAMES[TF_COUNT] = { "1m", "5m", "15m", "1h", "4h", "1d" };

int64_t tf_ms(enum timeframe tf) { return TF_MS[tf]; }
const char *tf_name(enum timeframe tf) { return (unsigned)tf < TF_COUNT ? TF_NAMES[tf] : "?"; }

int tf_parse(const char *s)
{
    for (int i = 0; i < TF_COUNT; i++)
        if (s && strcmp(s, TF_NAMES[i]) == 0)
            return i;
    return -1;
}

int64_t tf_floor(enum timeframe tf, int64_t t)
{
    int64_t m = TF_MS[tf];
    int64_t r = t % m;
    if (r < 0)
        r += m;
    return t - r;
}

enum candle_rule candle_check(const struct candle *c)
{
    const double v[] = { c->open, c->high, c->low, c->close, c->volume };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
        if (!isfinite(v[i]))
            return CANDLE_NAN;
    if (c->open <= 0 || c->high <= 0 || c->low <= 0 || c->close <= 0)
        return CANDLE_NONPOSITIVE;
    if (c->high < c->low)
        return CANDLE_HIGH_LT_LOW;
    if (c->open < c->low || c->open > c->high || c->close < c->low || c->close > c->high)
        return CANDLE_OC_OUTSIDE;
    if (c->volume < 0)
        return CANDLE_NEG_VOLUME;
    return CANDLE_OK;
}

const char *candle_rule_name(enum candle_rule r)
{
    static const char *const names[CANDLE_RULE_COUNT] = {
        "ok", "nan", "nonpositive price", "high<low", "open/close outside range", "negative volume",
    };
    return (unsigned)r < CANDLE_RULE_COUNT ? names[r] : "?";
}

const char *stream_rule_name(int rule)
{
    static const char *const names[STREAM_RULE_COUNT] = {
        "syntax", "field", "nan", "price<=0", "high<low", "o/c outside", "volume<0",
        "duplicate", "out of order", "interval",
    };
    return (unsigned)rule < STREAM_RULE_COUNT ? names[rule] : "?";
}

const char *stream_state_name(int state)
{
    static const char *const names[STREAM_STATE_COUNT] = {
        "checking", "connecting", "waiting", "backfill", "live", "stale", "backoff", "invalid", "removed",
    };
    return (unsigned)state < STREAM_STATE_COUNT ? names[state] : "?";
}
