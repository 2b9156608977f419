/* Configuration tables and the loader. Each field is one row: its JSON path, type,
 * place in the struct, allowed range and what to tell a user who got it wrong.
 * Loading walks the JSON against the rows, so an unknown key, a wrong type and an
 * out-of-range value are all found in one pass, with positions from json_pos. */
#include "alphapulse/config.h"

#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

#include "alphapulse/candle.h"
#include "alphapulse/json_pos.h"
#include "alphapulse/suggest.h"

enum field_type { T_INT, T_DOUBLE, T_BOOL, T_STRING, T_URL_HTTP, T_URL_WS, T_CA_FILE, T_CURRENCY, T_SYMBOLS,
                  T_TIMEFRAMES, T_BLACKOUTS, T_KEYMAP, T_PATTERNS, T_VOTERS, T_TARGETS, T_SIZING };

struct field {
    const char *path;
    enum field_type type;
    size_t off, size;
    double min, max;          /* numbers: inclusive range; min_open makes min exclusive */
    bool min_open, restart;
    const char *expect;
};

#define G(p, t, m, lo, hi, open, rs, ex) \
    { p, t, offsetof(struct config, m), sizeof(((struct config *)0)->m), lo, hi, open, rs, ex }
#define P(p, t, m, lo, hi, open, ex) \
    { p, t, offsetof(struct config_profile, m), sizeof(((struct config_profile *)0)->m), lo, hi, open, false, ex }

static const struct field GLOBAL[] = {
    G("feed.rest_url", T_URL_HTTP, feed.rest_url, 0, 0, false, true, "an http:// or https:// URL"),
    G("feed.ws_url", T_URL_WS, feed.ws_url, 0, 0, false, true, "a ws:// or wss:// URL"),
    G("feed.ca_file", T_CA_FILE, feed.ca_file, 0, 0, false, true,
      "a PEM file of trusted CA certificates, empty for the system's"),
    G("feed.symbols", T_SYMBOLS, feed, 1, CONFIG_MAX_SYMBOLS, false, false,
      "a list of 1 to 64 symbols such as [\"BTCUSDT\", \"ETHUSDT\"]"),
    G("feed.timeframes", T_TIMEFRAMES, feed.timeframes, 0, 0, false, false,
      "a list of timeframes from 1m, 5m, 15m, 1h, 4h, 1d"),
    G("feed.reconnect_min_ms", T_INT, feed.reconnect_min_ms, 100, 60000, false, false, "100 to 60000 milliseconds"),
    G("feed.reconnect_max_ms", T_INT, feed.reconnect_max_ms, 1000, 3600000, false, false, "1000 to 3600000 milliseconds"),
    G("feed.stale_seconds", T_INT, feed.stale_seconds, 5, 3600, false, false, "5 to 3600 seconds"),
    G("storage.path", T_STRING, storage.path, 0, 0, false, true, "a database file path"),
    G("storage.retention_days.1m", T_INT, storage.retention_days[0], 0, 36500, false, false, "days to keep, 0 = forever"),
    G("storage.retention_days.5m", T_INT, storage.retention_days[1], 0, 36500, false, false, "days to keep, 0 = forever"),
    G("storage.retention_days.15m", T_INT, storage.retention_days[2], 0, 36500, false, false, "days to keep, 0 = forever"),
    G("storage.retention_days.1h", T_INT, storage.retention_days[3], 0, 36500, false, false, "days to keep, 0 = forever"),
    G("storage.retention_days.4h", T_INT, storage.retention_days[4], 0, 36500, false, false, "days to keep, 0 = forever"),
    G("storage.retention_days.1d", T_INT, storage.retention_days[5], 0, 36500, false, false, "days to keep, 0 = forever"),
    G("paper.currency", T_CURRENCY, paper.currency, 0, 0, false, true, "a currency code such as \"USDT\""),
    G("paper.balance", T_DOUBLE, paper.balance, 0, 1e12, true, true, "a starting balance > 0"),
    G("paper.fee_bps", T_DOUBLE, paper.fee_bps, 0, 1000, false, false, "a taker fee of 0 to 1000 basis points"),
    G("paper.maker_fee_bps", T_DOUBLE, paper.maker_fee_bps, 0, 1000, false, false, "a maker fee of 0 to 1000 basis points"),
    G("paper.slippage_bps", T_DOUBLE, paper.slippage_bps, 0, 1000, false, false, "0 to 1000 basis points"),
    G("paper.order_notional", T_DOUBLE, paper.order_notional, 0, 1e12, true, false,
      "the default order size in the account currency, > 0"),
    G("paper.slippage_range", T_DOUBLE, paper.slippage_range, 0, 1, false, false,
      "a fraction 0 to 1 of the fill candle's range"),
    G("paper.sizing_method", T_SIZING, paper.sizing_method, 0, 0, false, false,
      "the order ticket's sizing: \"fraction\", \"risk\", \"atr\" or \"kelly\""),
    G("paper.sizing_value", T_DOUBLE, paper.sizing_value, 0, 1, true, false,
      "a fraction of equity > 0 and <= 1: the notional (fraction), the loss at the stop (risk, atr) or the Kelly cap"),
    G("risk.risk_per_trade", T_DOUBLE, risk.risk_per_trade, 0, 1, true, false, "a fraction of equity, > 0 and <= 1 (0.01 = 1 %)"),
    G("risk.max_position", T_DOUBLE, risk.max_position, 0, 1, true, false, "a fraction of equity, > 0 and <= 1"),
    G("risk.max_exposure", T_DOUBLE, risk.max_exposure, 0, 1, true, false, "a fraction of equity, > 0 and <= 1"),
    G("risk.daily_loss", T_DOUBLE, risk.daily_loss, 0, 1, true, false, "a fraction of equity, > 0 and <= 1"),
    G("risk.max_drawdown", T_DOUBLE, risk.max_drawdown, 0, 1, true, false, "a fraction of peak equity, > 0 and <= 1"),
    G("risk.loss_streak", T_INT, risk.loss_streak, 0, 1000, false, false, "losing trades before a cooldown, 0 to 1000 (0: never)"),
    G("risk.cooldown_min", T_DOUBLE, risk.cooldown_min, 0, 10080, false, false, "minutes, 0 to 10080"),
    G("risk.max_positions", T_INT, risk.max_positions, 1, 1000, false, false, "open positions, 1 to 1000"),
    G("risk.max_orders_symbol", T_INT, risk.max_orders_symbol, 1, 1000, false, false, "working orders per symbol, 1 to 1000"),
    G("risk.require_stop", T_BOOL, risk.require_stop, 0, 0, false, false, "true or false"),
    G("risk.blackouts", T_BLACKOUTS, risk, 0, CONFIG_MAX_BLACKOUTS, false, false,
      "a list of at most 16 {\"time\": \"2024-12-18T19:00Z\", \"margin_min\": 30, \"label\": \"FOMC\"}"),
    G("ui.theme", T_STRING, ui.theme, 0, 0, false, false, "a theme name from themes/ or a path"),
    G("ui.refresh_hz", T_INT, ui.refresh_hz, 1, 60, false, false, "1 to 60 frames per second"),
    G("ui.ascii", T_BOOL, ui.ascii, 0, 0, false, false, "true or false"),
    G("ui.keys", T_KEYMAP, ui, 0, CONFIG_MAX_KEYS, false, false,
      "an object of key name -> command line, e.g. {\"K\": \"tf 4h\", \"x\": \"none\"}"),
};
#define N_GLOBAL (int)(sizeof GLOBAL / sizeof GLOBAL[0])

static const struct field PROFILE[] = {
    P("analysis.sma_period", T_INT, analysis.sma_period, 2, 512, false, "a period of 2 to 512 candles"),
    P("analysis.ema_period", T_INT, analysis.ema_period, 2, 512, false, "a period of 2 to 512 candles"),
    P("analysis.wma_period", T_INT, analysis.wma_period, 2, 512, false, "a period of 2 to 512 candles"),
    P("analysis.rsi_period", T_INT, analysis.rsi_period, 2, 512, false, "a period of 2 to 512 candles"),
    P("analysis.macd_fast", T_INT, analysis.macd_fast, 2, 512, false, "a period of 2 to 512, below macd_slow"),
    P("analysis.macd_slow", T_INT, analysis.macd_slow, 2, 512, false, "a period of 2 to 512, above macd_fast"),
    P("analysis.macd_signal", T_INT, analysis.macd_signal, 1, 512, false, "a period of 1 to 512 candles"),
    P("analysis.bb_period", T_INT, analysis.bb_period, 2, 512, false, "a period of 2 to 512 candles"),
    P("analysis.bb_stddev", T_DOUBLE, analysis.bb_stddev, 0, 10, true, "a band width in standard deviations, > 0 and <= 10"),
    P("analysis.atr_period", T_INT, analysis.atr_period, 1, 512, false, "a period of 1 to 512 candles"),
    P("analysis.volume_sma_period", T_INT, analysis.volume_sma_period, 2, 512, false, "a period of 2 to 512 candles"),
    P("signals.threshold", T_DOUBLE, signals.threshold, 0, 1, true, "a weighted confidence > 0 and <= 1"),
    P("signals.trigger_min", T_DOUBLE, signals.trigger_min, 0, 1, true, "a confidence > 0 and <= 1"),
    P("signals.min_voters", T_INT, signals.min_voters, 1, 7, false, "1 to 7 agreeing voters"),
    P("signals.require_htf", T_BOOL, signals.require_htf, 0, 0, false, "true or false"),
    P("signals.min_rr", T_DOUBLE, signals.min_rr, 0, 20, false, "a reward/risk to tp2 of 0 to 20"),
    P("signals.max_cost_r", T_DOUBLE, signals.max_cost_r, 0, 1000, true,
      "a round-trip cost in R, > 0 (fees and slippage over the stop distance; 1000: no gate)"),
    P("signals.min_confidence", T_DOUBLE, signals.min_confidence, 0, 1, false,
      "a calibrated probability of reaching 1 R before the stop, 0 to 1"),
    P("signals.atr_stop", T_DOUBLE, signals.atr_stop, 0, 20, true, "a stop distance in ATRs, > 0 and <= 20"),
    P("signals.expiry_candles", T_INT, signals.expiry_candles, 1, 10000, false, "1 to 10000 candles"),
    P("signals.targets_r", T_TARGETS, signals.targets_r, 0, 20, true,
      "four rising multiples of the risk for tp1..tp4, each > 0 and <= 20, such as [1, 2, 3, 4]"),
    P("signals.timeframes", T_TIMEFRAMES, signals.timeframes, 0, 0, false,
      "a list of the timeframes signals are raised on, from 1m, 5m, 15m, 1h, 4h, 1d"),
    P("signals.voters", T_VOTERS, signals.voters, 0, 0, false,
      "a list of voters from pattern, trend, momentum, volatility, volume, confluence, regime"),
    P("signals.weights.pattern", T_DOUBLE, signals.weight[0], 0, 4, true, "a multiple of the built-in prior, > 0 and <= 4"),
    P("signals.weights.trend", T_DOUBLE, signals.weight[1], 0, 4, true, "a multiple of the built-in prior, > 0 and <= 4"),
    P("signals.weights.momentum", T_DOUBLE, signals.weight[2], 0, 4, true, "a multiple of the built-in prior, > 0 and <= 4"),
    P("signals.weights.volatility", T_DOUBLE, signals.weight[3], 0, 4, true, "a multiple of the built-in prior, > 0 and <= 4"),
    P("signals.weights.volume", T_DOUBLE, signals.weight[4], 0, 4, true, "a multiple of the built-in prior, > 0 and <= 4"),
    P("signals.weights.confluence", T_DOUBLE, signals.weight[5], 0, 4, true, "a multiple of the built-in prior, > 0 and <= 4"),
    P("signals.weights.regime", T_DOUBLE, signals.weight[6], 0, 4, true, "a multiple of the built-in prior, > 0 and <= 4"),
    P("patterns.enabled", T_PATTERNS, patterns.enabled, 0, 0, false,
      "a list of candlestick pattern names such as \"CDLDOJI\" or \"hammer\", or [\"all\"]"),
    P("patterns.disabled", T_PATTERNS, patterns.disabled, 0, 0, false,
      "a list of candlestick pattern names such as \"CDLDOJI\" or \"hammer\""),
    P("regimes.lookback", T_INT, regimes.lookback, 20, 512, false, "a percentile window of 20 to 512 candles"),
    P("regimes.hold", T_INT, regimes.hold, 1, 500, false, "candles a new regime must hold, 1 to 500"),
    P("regimes.adx_strong", T_DOUBLE, regimes.adx_strong, 5, 100, false, "an ADX level of 5 to 100"),
    P("regimes.trend_strong", T_DOUBLE, regimes.trend_strong, 0, 1.5, true, "a trend score > 0 and <= 1.5"),
    P("regimes.trend_weak", T_DOUBLE, regimes.trend_weak, 0, 1.5, true, "a trend score > 0 and <= 1.5"),
    P("regimes.breakout_atr_pct", T_DOUBLE, regimes.breakout_atr_pct, 0, 1, false, "an ATR percentile of 0 to 1"),
    P("regimes.breakout_bw_pct", T_DOUBLE, regimes.breakout_bw_pct, 0, 1, false, "a bandwidth percentile of 0 to 1"),
    P("regimes.chop_atr_pct", T_DOUBLE, regimes.chop_atr_pct, 0, 1, false, "an ATR percentile of 0 to 1"),
    /* the per-symbol part of the risk section: same paths as the top-level fields */
    P("risk.risk_per_trade", T_DOUBLE, risk.risk_per_trade, 0, 1, true, "a fraction of equity, > 0 and <= 1 (0.01 = 1 %)"),
    P("risk.max_position", T_DOUBLE, risk.max_position, 0, 1, true, "a fraction of equity, > 0 and <= 1"),
    P("risk.max_orders_symbol", T_INT, risk.max_orders_symbol, 1, 1000, false, "working orders per symbol, 1 to 1000"),
    P("risk.require_stop", T_BOOL, risk.require_stop, 0, 0, false, "true or false"),
};
#define N_PROFILE (int)(sizeof PROFILE / sizeof PROFILE[0])

_Static_assert(N_GLOBAL <= 64 && N_PROFILE <= 64, "source arrays hold 64 fields");

/* signal.h's voters, in its order (a unit test holds the two together) */
static const char *const VOTER_NAMES[CONFIG_VOTERS] = { "pattern", "trend", "momentum", "volatility",
                                                        "volume", "confluence", "regime" };

static const char *const SIZING_NAMES[] = { "fraction", "risk", "atr", "kelly" };

/* A profile field that follows the top-level field of the same path until a
 * profile sets it (the per-symbol risk limits). */
static int linked_global(int profile_field);

void config_defaults(struct config *c, const struct config_vocab *vocab)
{
    memset(c, 0, sizeof *c);
    c->vocab = vocab;
    snprintf(c->feed.rest_url, sizeof c->feed.rest_url, "https://data-api.binance.vision");
    snprintf(c->feed.ws_url, sizeof c->feed.ws_url, "wss://data-stream.binance.vision");
    const char *syms[] = { "BTCUSDT", "ETHUSDT", "SOLUSDT" };
    for (int i = 0; i < 3; i++)
        snprintf(c->feed.symbols[i], sizeof c->feed.symbols[i], "%s", syms[i]);
    c->feed.n_symbols = 3;
    c->feed.timeframes = (1u << TF_COUNT) - 1;
    c->feed.reconnect_min_ms = 500;
    c->feed.reconnect_max_ms = 60000;
    c->feed.stale_seconds = 30;
    const int keep[6] = { 30, 180, 180, 0, 0, 0 };
    memcpy(c->storage.retention_days, keep, sizeof keep);
    snprintf(c->paper.currency, sizeof c->paper.currency, "USDT");
    c->paper.balance = 10000;
    c->paper.fee_bps = 10;
    c->paper.maker_fee_bps = 2;
    c->paper.slippage_bps = 2;
    c->paper.order_notional = 500;   /* 5 % of the balance: inside the 10 % position limit */
    snprintf(c->paper.sizing_method, sizeof c->paper.sizing_method, "fraction");
    c->paper.sizing_value = 0.05;
    c->risk = (struct config_risk){ .risk_per_trade = 0.01, .max_position = 0.10, .max_exposure = 0.20,
                                    .daily_loss = 0.05, .max_drawdown = 0.15, .cooldown_min = 60, .loss_streak = 3,
                                    .max_positions = 5, .max_orders_symbol = 4 };
    snprintf(c->ui.theme, sizeof c->ui.theme, "default");
    c->ui.refresh_hz = 30;
    struct config_analysis *a = &c->base.analysis;
    *a = (struct config_analysis){ .sma_period = 20, .ema_period = 20, .wma_period = 20, .rsi_period = 14,
                                   .macd_fast = 12, .macd_slow = 26, .macd_signal = 9, .bb_period = 20,
                                   .bb_stddev = 2, .atr_period = 14, .volume_sma_period = 20 };
    c->base.signals = (struct config_signals){ .threshold = 0.85, .trigger_min = 0.7, .min_rr = 2, .atr_stop = 1.5,
                                               .max_cost_r = 0.2, .min_confidence = 0,
                                               .min_voters = 3, .expiry_candles = 10, .require_htf = true,
                                               .timeframes = (1u << TF_4H) | (1u << TF_1D),
                                               .voters = (1u << CONFIG_VOTERS) - 1 };
    for (int i = 0; i < CONFIG_VOTERS; i++)
        c->base.signals.weight[i] = 1;
    for (int i = 0; i < 4; i++)
        c->base.signals.targets_r[i] = i + 1;
    c->base.patterns = (struct config_patterns){ .enabled = ~0ull, .disabled = 0 };
    /* regime.c's regime_params_default (a unit test holds the two together) */
    c->base.regimes = (struct config_regimes){ .lookback = 400, .hold = 10, .adx_strong = 40, .trend_strong = 0.4,
                                               .trend_weak = 0.6, .breakout_atr_pct = 0.85, .breakout_bw_pct = 0.70,
                                               .chop_atr_pct = 0.4 };
    /* base.risk stays unset: config_profile_for takes it from c->risk until profiles.default sets it */
}

uint64_t config_patterns_in_use(const struct config_patterns *p) { return p->enabled & ~p->disabled; }

/* ---- errors ---------------------------------------------------------------- */

struct ctx {
    struct config *c;
    const char *file;
    struct json_pos_map pos;
    struct config_errors *errs;
};

static void err_at(struct ctx *x, const char *path, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void err_at(struct ctx *x, const char *path, const char *fmt, ...)
{
    if (!x->errs || x->errs->n >= CONFIG_MAX_ERRORS)
        return;
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    int line = 0, col = 0;
    char *dst = x->errs->msg[x->errs->n++];
    if (json_pos_find(&x->pos, path, &line, &col))
        snprintf(dst, sizeof x->errs->msg[0], "%s:%d:%d: %s: %s", x->file, line, col, path, msg);
    else
        snprintf(dst, sizeof x->errs->msg[0], "%s: %s: %s", x->file, path, msg);
}

static const char *json_kind(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT: return "an object";
    case JSON_ARRAY: return "a list";
    case JSON_STRING: return "a string";
    case JSON_INTEGER: return "an integer";
    case JSON_REAL: return "a number";
    case JSON_TRUE: case JSON_FALSE: return "a boolean";
    default: return "null";
    }
}

/* ---- values ------------------------------------------------------------------ */

static bool valid_symbol(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 15)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!isupper((unsigned char)s[i]) && !isdigit((unsigned char)s[i]))
            return false;
    return true;
}

static bool prefix(const char *s, const char *p) { return strncmp(s, p, strlen(p)) == 0; }

/* A CA bundle is checked here, where a mistake can still be pointed at by line
 * and column; the TLS libraries would only fail later, at the first connection,
 * with a message that names neither the file nor the setting. Parsing the
 * certificates is left to them: core links no TLS library. */
static const char *ca_file_problem(const char *path)
{
    static _Thread_local char why[160];
    struct stat st;
    if (!*path)
        return NULL;                          /* the system's trust store */
    if (stat(path, &st) != 0) {
        snprintf(why, sizeof why, "cannot be read: %s", strerror(errno));
        return why;
    }
    if (S_ISDIR(st.st_mode))
        return "is a directory";
    if (!S_ISREG(st.st_mode))                 /* a FIFO would block the load */
        return "is not a regular file";
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(why, sizeof why, "cannot be read: %s", strerror(errno));
        return why;
    }
    /* a marker split across two reads is kept by carrying the last bytes over */
    static const char *const marks[] = { "-----BEGIN CERTIFICATE-----", "-----BEGIN TRUSTED CERTIFICATE-----" };
    char buf[8192];
    size_t keep = 0, n;
    bool found = false;
    while (!found && (n = fread(buf + keep, 1, sizeof buf - keep, f)) > 0) {
        n += keep;
        for (int i = 0; i < 2 && !found; i++)
            found = memmem(buf, n, marks[i], strlen(marks[i])) != NULL;
        keep = n < 40 ? n : 40;
        memmove(buf, buf + n - keep, keep);
    }
    bool err = ferror(f);
    fclose(f);
    if (err)
        return "cannot be read";
    return found ? NULL : "holds no -----BEGIN CERTIFICATE----- block";
}

/* Checks a string for its field type; returns NULL if fine, else the complaint. */
static const char *check_string(const struct field *f, const char *s)
{
    if (strlen(s) >= f->size)
        return "is too long";
    switch (f->type) {
    case T_URL_HTTP:
        return prefix(s, "http://") || prefix(s, "https://") ? NULL : "is not an http:// or https:// URL";
    case T_URL_WS:
        return prefix(s, "ws://") || prefix(s, "wss://") ? NULL : "is not a ws:// or wss:// URL";
    case T_CA_FILE:
        return ca_file_problem(s);
    case T_CURRENCY:
        return valid_symbol(s) && strlen(s) <= 10 ? NULL : "is not a currency code (2-10 capital letters)";
    case T_SIZING:      /* sizing.h's methods but qty, which depends on the symbol */
        for (int i = 0; i < (int)(sizeof SIZING_NAMES / sizeof SIZING_NAMES[0]); i++)
            if (!strcmp(s, SIZING_NAMES[i]))
                return NULL;
        return "is not a sizing method";
    default:
        return NULL;
    }
}

static bool in_range(const struct field *f, double v)
{
    return (f->min_open ? v > f->min : v >= f->min) && v <= f->max;
}

static void range_text(const struct field *f, char *buf, size_t n)
{
    snprintf(buf, n, "%s", f->expect);
}

/* Lower case without a cdl/cdl_ prefix: "CDLDOJI", "cdl_doji" and "doji" compare equal. */
static void pattern_key(const char *s, char *out, size_t n)
{
    if (!strncasecmp(s, "cdl_", 4))
        s += 4;
    else if (!strncasecmp(s, "cdl", 3))
        s += 3;
    size_t i = 0;
    for (; s[i] && i + 1 < n; i++)
        out[i] = (char)tolower((unsigned char)s[i]);
    out[i] = 0;
}

/* The id of one name in a pattern or voter list, or -1 after reporting it. */
static int list_name(struct ctx *x, enum field_type type, const char *path, json_t *it)
{
    const struct config_vocab *vb = x->c->vocab;
    const char *what = type == T_PATTERNS ? "pattern" : "voter";
    if (type == T_TIMEFRAMES) {
        int tf = json_is_string(it) ? tf_parse(json_string_value(it)) : -1;
        if (tf < 0)
            err_at(x, path, "unknown timeframe %s%s%s (expected one of 1m, 5m, 15m, 1h, 4h, 1d)",
                   json_is_string(it) ? "\"" : "", json_is_string(it) ? json_string_value(it) : json_kind(it),
                   json_is_string(it) ? "\"" : "");
        return tf;
    }
    if (!json_is_string(it)) {
        err_at(x, path, "expected a %s name, got %s", what, json_kind(it));
        return -1;
    }
    const char *name = json_string_value(it);
    char want[64], best[64] = "";
    int bd = 3;
    if (type == T_VOTERS) {
        for (int i = 0; i < CONFIG_VOTERS; i++) {
            if (!strcmp(name, VOTER_NAMES[i]))
                return i;
            int d = suggest_distance(name, VOTER_NAMES[i]);
            if (d < bd) {
                bd = d;
                snprintf(best, sizeof best, "%s", VOTER_NAMES[i]);
            }
        }
    } else if (!vb || !vb->pattern_find) {
        err_at(x, path, "pattern names cannot be checked by this program");
        return -1;
    } else {
        int id = vb->pattern_find(name);
        if (id >= 0 && id < 64)
            return id;
        pattern_key(name, want, sizeof want);
        for (int i = 0; i < vb->n_patterns; i++) {
            int d = suggest_distance(want, vb->pattern_name(i));
            if (d < bd) {
                bd = d;
                snprintf(best, sizeof best, "%s", vb->pattern_name(i));
            }
        }
    }
    if (best[0])
        err_at(x, path, "unknown %s \"%s\" (did you mean \"%s\"?)", what, name, best);
    else
        err_at(x, path, "unknown %s \"%s\"%s", what, name,
               type == T_VOTERS ? " (expected pattern, trend, momentum, volatility, volume, confluence or regime)"
                                : " (the names are TA-Lib's: CDLDOJI, CDLHAMMER, ...)");
    return -1;
}

/* A list of pattern, voter or timeframe names as a bit mask; ["all"] is every
 * one. Timeframes may not be an empty list. */
static bool apply_names(struct ctx *x, const struct field *f, char *dst, const char *path, json_t *v)
{
    if (!json_is_array(v) || (f->type == T_TIMEFRAMES && json_array_size(v) == 0)) {
        err_at(x, path, "expected %s, got %s", f->expect, json_kind(v));
        return false;
    }
    uint64_t mask = 0;
    bool ok = true;
    size_t i;
    json_t *it;
    json_array_foreach(v, i, it) {
        char ip[300];
        snprintf(ip, sizeof ip, "%s[%zu]", path, i);
        if (json_is_string(it) && !strcmp(json_string_value(it), "all")) {
            mask = ~0ull;
            continue;
        }
        int id = list_name(x, f->type, ip, it);
        if (id < 0)
            ok = false;
        else
            mask |= 1ull << id;
    }
    if (!ok)
        return false;
    if (f->type == T_PATTERNS)
        *(uint64_t *)dst = mask;
    else
        *(uint32_t *)dst = (uint32_t)(mask & ((1u << (f->type == T_VOTERS ? CONFIG_VOTERS : TF_COUNT)) - 1));
    return true;
}

/* Applies a JSON value to one field of base (a struct config or config_profile). */
static bool apply_json(struct ctx *x, const struct field *f, void *base, const char *path, json_t *v)
{
    char *dst = (char *)base + f->off;
    char exp[160];
    range_text(f, exp, sizeof exp);
    switch (f->type) {
    case T_INT:
        if (!json_is_integer(v)) {
            err_at(x, path, "expected %s, got %s", exp, json_kind(v));
            return false;
        }
        if (!in_range(f, (double)json_integer_value(v))) {
            err_at(x, path, "%lld is out of range (expected %s)", (long long)json_integer_value(v), exp);
            return false;
        }
        *(int *)dst = (int)json_integer_value(v);
        return true;
    case T_DOUBLE:
        if (!json_is_number(v)) {
            err_at(x, path, "expected %s, got %s", exp, json_kind(v));
            return false;
        }
        if (!in_range(f, json_number_value(v))) {
            err_at(x, path, "%g is out of range (expected %s)", json_number_value(v), exp);
            return false;
        }
        *(double *)dst = json_number_value(v);
        return true;
    case T_BOOL:
        if (!json_is_boolean(v)) {
            err_at(x, path, "expected %s, got %s", exp, json_kind(v));
            return false;
        }
        *(bool *)dst = json_is_true(v);
        return true;
    case T_STRING: case T_URL_HTTP: case T_URL_WS: case T_CA_FILE: case T_CURRENCY: case T_SIZING: {
        if (!json_is_string(v)) {
            err_at(x, path, "expected %s, got %s", exp, json_kind(v));
            return false;
        }
        const char *s = json_string_value(v), *why = check_string(f, s);
        if (why) {
            err_at(x, path, "\"%s\" %s (expected %s)", s, why, exp);
            return false;
        }
        const struct config_vocab *vb = x->c->vocab;
        if (strcmp(f->path, "ui.theme") == 0 && vb && vb->theme_ok && !vb->theme_ok(s)) {
            err_at(x, path, "unknown theme \"%s\" (expected %s)", s, exp);
            return false;
        }
        snprintf(dst, f->size, "%s", s);
        return true;
    }
    case T_SYMBOLS: {
        struct config_feed *feed = (struct config_feed *)dst;
        if (!json_is_array(v) || json_array_size(v) == 0 || json_array_size(v) > CONFIG_MAX_SYMBOLS) {
            err_at(x, path, "expected %s, got %s", exp, json_is_array(v) ? "a list of the wrong length" : json_kind(v));
            return false;
        }
        bool ok = true;
        size_t i;
        json_t *it;
        int n = 0;
        json_array_foreach(v, i, it) {
            char ip[300];
            snprintf(ip, sizeof ip, "%s[%zu]", path, i);
            if (!json_is_string(it) || !valid_symbol(json_string_value(it))) {
                err_at(x, ip, "expected a symbol in capitals such as \"BTCUSDT\", got %s%s%s",
                       json_is_string(it) ? "\"" : json_kind(it), json_is_string(it) ? json_string_value(it) : "",
                       json_is_string(it) ? "\"" : "");
                ok = false;
                continue;
            }
            for (int k = 0; k < n; k++)
                if (strcmp(feed->symbols[k], json_string_value(it)) == 0) {
                    err_at(x, ip, "\"%s\" is listed twice", json_string_value(it));
                    ok = false;
                }
            if (ok)
                snprintf(feed->symbols[n++], sizeof feed->symbols[0], "%s", json_string_value(it));
        }
        if (ok)
            feed->n_symbols = n;
        return ok;
    }
    case T_KEYMAP: {
        struct config_ui *ui = (struct config_ui *)dst;
        if (!json_is_object(v) || json_object_size(v) > CONFIG_MAX_KEYS) {
            err_at(x, path, "expected %s, got %s", exp, json_is_object(v) ? "too many keys" : json_kind(v));
            return false;
        }
        bool ok = true;
        const char *k;
        json_t *cmd;
        int n = 0;
        json_object_foreach(v, k, cmd) {
            char kp[300];
            snprintf(kp, sizeof kp, "%s.%s", path, k);
            if (!*k || strlen(k) >= sizeof ui->keys[0].key || !json_is_string(cmd) ||
                json_string_length(cmd) >= sizeof ui->keys[0].command) {
                err_at(x, kp, "expected a key name bound to a command line (at most 63 characters)");
                ok = false;
                continue;
            }
            snprintf(ui->keys[n].key, sizeof ui->keys[n].key, "%s", k);
            snprintf(ui->keys[n].command, sizeof ui->keys[n].command, "%s", json_string_value(cmd));
            n++;
        }
        if (ok)
            ui->n_keys = n;
        return ok;
    }
    case T_BLACKOUTS: {
        struct config_risk *rk = (struct config_risk *)dst;
        if (!json_is_array(v) || json_array_size(v) > CONFIG_MAX_BLACKOUTS) {
            err_at(x, path, "expected %s, got %s", exp, json_is_array(v) ? "a longer list" : json_kind(v));
            return false;
        }
        bool ok = true;
        size_t i;
        json_t *it;
        int n = 0;
        json_array_foreach(v, i, it) {
            char ip[300];
            snprintf(ip, sizeof ip, "%s[%zu]", path, i);
            json_t *t = json_object_get(it, "time"), *mg = json_object_get(it, "margin_min"),
                   *lb = json_object_get(it, "label");
            int64_t when;
            if (!json_is_object(it) || !json_is_string(t) || config_parse_time(json_string_value(t), &when) ||
                (mg && (!json_is_number(mg) || json_number_value(mg) < 0 || json_number_value(mg) > 1440)) ||
                (lb && !json_is_string(lb)) || json_object_size(it) != (size_t)(1 + !!mg + !!lb)) {
                err_at(x, ip, "expected {\"time\": \"2024-12-18T19:00Z\", \"margin_min\": 0..1440, \"label\": \"FOMC\"}");
                ok = false;
                continue;
            }
            rk->blackout[n].time = when;
            rk->blackout[n].margin_min = mg ? json_number_value(mg) : 30;
            snprintf(rk->blackout[n].label, sizeof rk->blackout[n].label, "%s", lb ? json_string_value(lb) : "blackout");
            n++;
        }
        if (ok)
            rk->n_blackouts = n;
        return ok;
    }
    case T_PATTERNS: case T_VOTERS: case T_TIMEFRAMES:
        return apply_names(x, f, dst, path, v);
    case T_TARGETS: {
        double r[4];
        bool ok = json_is_array(v) && json_array_size(v) == 4;
        for (size_t i = 0; ok && i < 4; i++) {
            json_t *it = json_array_get(v, i);
            ok = json_is_number(it) && in_range(f, r[i] = json_number_value(it)) && (i == 0 || r[i] > r[i - 1]);
        }
        if (!ok) {
            err_at(x, path, "expected %s", exp);
            return false;
        }
        memcpy(dst, r, sizeof r);
        return true;
    }
    }
    return false;
}

/* ---- walking the JSON ------------------------------------------------------- */

static int find_field(const struct field *t, int n, const char *path)
{
    for (int i = 0; i < n; i++)
        if (strcmp(t[i].path, path) == 0)
            return i;
    return -1;
}

static bool is_section(const struct field *t, int n, const char *path)
{
    size_t len = strlen(path);
    for (int i = 0; i < n; i++)
        if (strncmp(t[i].path, path, len) == 0 && t[i].path[len] == '.')
            return true;
    return false;
}

/* Suggests the nearest field or section at the same depth as rel. */
static void unknown_key(struct ctx *x, const struct field *t, int n, const char *rel, const char *full)
{
    int dots = 0;
    for (const char *p = rel; *p; p++)
        dots += *p == '.';
    char best[128] = "";
    int bd = 4;
    for (int i = 0; i < n; i++) {
        char cand[128];
        snprintf(cand, sizeof cand, "%s", t[i].path);
        int d = 0;
        for (char *p = cand; *p; p++)       /* cut the path to rel's depth */
            if (*p == '.' && d++ == dots) {
                *p = 0;
                break;
            }
        int dist = suggest_distance(rel, cand);
        if (dist < bd) {
            bd = dist;
            snprintf(best, sizeof best, "%s", cand);
        }
        if (t == GLOBAL && i == n - 1 && !dots) {   /* the top level also has the profile sections */
            t = PROFILE;
            n = N_PROFILE;
            i = -1;
        }
    }
    if (best[0]) {
        size_t pre = strlen(full) - strlen(rel);
        err_at(x, full, "unknown key (did you mean %.*s%s?)", (int)pre, full, best);
    } else {
        err_at(x, full, "unknown key");
    }
}

/* Walks obj whose members are relative to rel_prefix in table t; full_prefix is
 * the path from the file's root (for messages). Marks set fields in set[]. */
static void walk(struct ctx *x, const struct field *t, int n, void *base, json_t *obj, const char *rel_prefix,
                 const char *full_prefix, uint8_t *set, uint8_t how)
{
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v) {
        char rel[300], full[400];
        snprintf(rel, sizeof rel, "%s%s%s", rel_prefix, *rel_prefix ? "." : "", key);
        snprintf(full, sizeof full, "%s%s%s", full_prefix, *full_prefix ? "." : "", key);
        int f = find_field(t, n, rel);
        if (f >= 0) {
            if (apply_json(x, &t[f], base, full, v))
                set[f] = how;
        } else if (is_section(t, n, rel)) {
            if (json_is_object(v))
                walk(x, t, n, base, v, rel, full, set, how);
            else
                err_at(x, full, "expected an object (a section), got %s", json_kind(v));
        } else if (t == PROFILE && find_field(GLOBAL, N_GLOBAL, rel) >= 0) {
            err_at(x, full, "%s is the whole account's, not a symbol's: set it in the top-level \"%.*s\" section",
                   rel, (int)strcspn(rel, "."), rel);
        } else {
            unknown_key(x, t, n, rel, full);
        }
    }
}

/* Rules across fields of one effective profile; where is its path prefix. */
static void check_profile(struct ctx *x, const struct config_profile *p, const char *where)
{
    char path[200];
    if (p->analysis.macd_fast >= p->analysis.macd_slow) {
        snprintf(path, sizeof path, "%sanalysis.macd_fast", where);
        err_at(x, path, "fast period %d must be below the slow period %d", p->analysis.macd_fast, p->analysis.macd_slow);
    }
    int on = __builtin_popcount(p->signals.voters);
    if (on < p->signals.min_voters) {
        int line, col;
        snprintf(path, sizeof path, "%ssignals.voters", where);
        if (!json_pos_find(&x->pos, path, &line, &col))
            snprintf(path, sizeof path, "%ssignals.min_voters", where);
        err_at(x, path, "%d voter%s enabled but signals.min_voters needs %d to agree", on, on == 1 ? "" : "s",
               p->signals.min_voters);
    }
    if (p->signals.targets_r[1] < p->signals.min_rr) {
        int line, col;
        snprintf(path, sizeof path, "%ssignals.targets_r", where);
        if (!json_pos_find(&x->pos, path, &line, &col))
            snprintf(path, sizeof path, "%ssignals.min_rr", where);
        err_at(x, path, "tp2 at %g R is below signals.min_rr %g: no signal could pass", p->signals.targets_r[1],
               p->signals.min_rr);
    }
}

static int linked_global(int profile_field)
{
    return strncmp(PROFILE[profile_field].path, "risk.", 5) ? -1
                                                            : find_field(GLOBAL, N_GLOBAL, PROFILE[profile_field].path);
}

static void apply_profile(struct config_profile *dst, const struct config_profile *src, const uint8_t *set)
{
    for (int i = 0; i < N_PROFILE; i++)
        if (set[i])
            memcpy((char *)dst + PROFILE[i].off, (const char *)src + PROFILE[i].off, PROFILE[i].size);
}

static void walk_profiles(struct ctx *x, json_t *profiles)
{
    struct config *c = x->c;
    if (!json_is_object(profiles)) {
        err_at(x, "profiles", "expected an object of symbol -> profile, got %s", json_kind(profiles));
        return;
    }
    json_t *def = json_object_get(profiles, "default");
    if (def) {
        if (json_is_object(def))
            walk(x, PROFILE, N_PROFILE, &c->base, def, "", "profiles.default", c->base_src, CFG_SRC_PROFILE);
        else
            err_at(x, "profiles.default", "expected an object, got %s", json_kind(def));
    }
    const char *sym;
    json_t *v;
    json_object_foreach(profiles, sym, v) {
        if (strcmp(sym, "default") == 0)
            continue;
        char full[300];
        snprintf(full, sizeof full, "profiles.%s", sym);
        if (!valid_symbol(sym)) {
            err_at(x, full, "\"%s\" is not a symbol (expected capitals such as BTCUSDT, or \"default\")", sym);
            continue;
        }
        if (!json_is_object(v)) {
            err_at(x, full, "expected an object, got %s", json_kind(v));
            continue;
        }
        if (c->n_profiles == CONFIG_MAX_PROFILES) {
            err_at(x, full, "too many profiles (at most %d)", CONFIG_MAX_PROFILES);
            break;
        }
        int k = c->n_profiles++;
        snprintf(c->profile_symbol[k], sizeof c->profile_symbol[k], "%s", sym);
        c->profile[k] = c->base;        /* raw values; overlaid on the effective base later */
        memset(c->profile_set[k], 0, sizeof c->profile_set[k]);
        walk(x, PROFILE, N_PROFILE, &c->profile[k], v, "", full, c->profile_set[k], 1);
    }
}

/* Rules across fields, on the effective values. */
static void check_all(struct ctx *x, bool has_default)
{
    const struct config *c = x->c;
    if (c->feed.reconnect_min_ms > c->feed.reconnect_max_ms)
        err_at(x, "feed.reconnect_min_ms", "%d is above feed.reconnect_max_ms %d", c->feed.reconnect_min_ms,
               c->feed.reconnect_max_ms);
    struct config_profile eff;
    config_profile_for(c, NULL, &eff);
    check_profile(x, &eff, has_default ? "profiles.default." : "");
    for (int k = 0; k < c->n_profiles; k++) {
        config_profile_for(c, c->profile_symbol[k], &eff);
        char where[64];
        snprintf(where, sizeof where, "profiles.%s.", c->profile_symbol[k]);
        check_profile(x, &eff, where);
    }
}

int config_load(struct config *c, const char *path, struct config_errors *errs)
{
    struct ctx x = { .c = c, .file = path, .errs = errs };
    errs->n = 0;
    snprintf(c->path, sizeof c->path, "%s", path);
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(errs->msg[errs->n++], sizeof errs->msg[0], "%s: cannot read: %s", path, strerror(errno));
        return -1;
    }
    size_t cap = 1 << 16, len = 0;
    char *text = malloc(cap);
    size_t r;
    while (text && (r = fread(text + len, 1, cap - len, f)) > 0) {
        len += r;
        if (len == cap) {
            char *t = realloc(text, cap *= 2);
            if (!t) {
                free(text);
                text = NULL;
            } else {
                text = t;
            }
        }
    }
    fclose(f);
    if (!text) {
        snprintf(errs->msg[errs->n++], sizeof errs->msg[0], "%s: out of memory", path);
        return -1;
    }
    json_error_t jerr;
    json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!root) {
        snprintf(errs->msg[errs->n++], sizeof errs->msg[0], "%s:%d:%d: %s", path, jerr.line, jerr.column, jerr.text);
        free(text);
        return -1;
    }
    json_pos_scan(text, len, &x.pos);
    free(text);
    if (!json_is_object(root)) {
        snprintf(errs->msg[errs->n++], sizeof errs->msg[0], "%s:1:1: expected a JSON object at the top, got %s",
                 path, json_kind(root));
    } else {
        const char *key;
        json_t *v;
        json_object_foreach(root, key, v) {
            /* profiles below; alerts and webhook carry secrets and are validated
             * by the alert module's own parsers (app_setup) */
            if (strcmp(key, "profiles") == 0 || strcmp(key, "alerts") == 0 || strcmp(key, "webhook") == 0)
                continue;
            bool global = is_section(GLOBAL, N_GLOBAL, key), profile = is_section(PROFILE, N_PROFILE, key);
            if (!global && !profile) {
                unknown_key(&x, GLOBAL, N_GLOBAL, key, key);
                continue;
            }
            if (!json_is_object(v)) {
                err_at(&x, key, "expected an object (a section), got %s", json_kind(v));
                continue;
            }
            if (global)
                walk(&x, GLOBAL, N_GLOBAL, c, v, key, key, c->src, CFG_SRC_FILE);
            else        /* analysis, patterns, regimes, signals: every symbol's, under the profiles */
                walk(&x, PROFILE, N_PROFILE, &c->base, v, key, key, c->base_src, CFG_SRC_FILE);
        }
        json_t *profiles = json_object_get(root, "profiles");
        if (profiles)
            walk_profiles(&x, profiles);
        check_all(&x, json_object_get(profiles, "default") != NULL);
    }
    json_decref(root);
    json_pos_free(&x.pos);
    return errs->n ? -1 : 0;
}

void config_profile_for(const struct config *c, const char *symbol, struct config_profile *out)
{
    *out = c->base;
    for (int i = 0; i < N_PROFILE; i++) {
        int g = linked_global(i);
        if (g >= 0 && !c->base_src[i])
            memcpy((char *)out + PROFILE[i].off, (const char *)c + GLOBAL[g].off, PROFILE[i].size);
    }
    for (int k = 0; k < c->n_profiles; k++)
        if (symbol && strcmp(c->profile_symbol[k], symbol) == 0)
            apply_profile(out, &c->profile[k], c->profile_set[k]);
}

/* ---- :set and --set --------------------------------------------------------- */

static int parse_value(const struct field *f, const char *value, json_t **out, char *err, size_t n)
{
    char *end;
    switch (f->type) {
    case T_INT: {
        errno = 0;
        long long v = strtoll(value, &end, 10);
        if (*end || end == value || errno) {
            snprintf(err, n, "%s: \"%s\" is not an integer (expected %s)", f->path, value, f->expect);
            return -1;
        }
        *out = json_integer(v);
        return 0;
    }
    case T_DOUBLE: {
        double v = strtod(value, &end);
        if (*end || end == value || !isfinite(v)) {
            snprintf(err, n, "%s: \"%s\" is not a number (expected %s)", f->path, value, f->expect);
            return -1;
        }
        *out = json_real(v);
        return 0;
    }
    case T_BOOL:
        if (!strcmp(value, "true") || !strcmp(value, "on") || !strcmp(value, "1"))
            *out = json_true();
        else if (!strcmp(value, "false") || !strcmp(value, "off") || !strcmp(value, "0"))
            *out = json_false();
        else {
            snprintf(err, n, "%s: \"%s\" is not true or false", f->path, value);
            return -1;
        }
        return 0;
    case T_TARGETS: {
        json_t *a = json_array();
        char buf[256], *save;
        snprintf(buf, sizeof buf, "%s", value);
        for (char *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
            double d = strtod(tok, &end);
            if (*end || end == tok) {
                json_decref(a);
                snprintf(err, n, "%s: \"%s\" is not a number (expected %s)", f->path, tok, f->expect);
                return -1;
            }
            json_array_append_new(a, json_real(d));
        }
        *out = a;
        return 0;
    }
    case T_SYMBOLS: case T_TIMEFRAMES: case T_PATTERNS: case T_VOTERS: {
        json_t *a = json_array();
        char buf[1024];
        snprintf(buf, sizeof buf, "%s", value);
        for (char *save, *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
            json_array_append_new(a, json_string(tok));
        *out = a;
        return 0;
    }
    default:
        *out = json_string(value);
        return 0;
    }
}

int config_set(struct config *c, const char *path, const char *value, enum config_source src, char *err, size_t n)
{
    const struct field *table = GLOBAL;
    int count = N_GLOBAL;
    void *base = c;
    uint8_t *set = c->src;
    const char *rel = path;
    int k = -1;
    if (!prefix(path, "profiles.") && find_field(GLOBAL, N_GLOBAL, path) < 0 && find_field(PROFILE, N_PROFILE, path) >= 0) {
        table = PROFILE;              /* analysis.*, signals.*, ...: every symbol's */
        count = N_PROFILE;
        base = &c->base;
        set = c->base_src;
    } else if (prefix(path, "profiles.")) {
        const char *sym = path + 9, *dot = strchr(sym, '.');
        if (!dot) {
            snprintf(err, n, "%s: expected profiles.SYMBOL.section.key", path);
            return -1;
        }
        char name[16];
        snprintf(name, sizeof name, "%.*s", (int)(dot - sym) < 15 ? (int)(dot - sym) : 15, sym);
        table = PROFILE;
        count = N_PROFILE;
        rel = dot + 1;
        if (strcmp(name, "default") == 0) {
            base = &c->base;
            set = c->base_src;
        } else {
            if (!valid_symbol(name)) {
                snprintf(err, n, "%s: \"%s\" is not a symbol", path, name);
                return -1;
            }
            for (int i = 0; i < c->n_profiles; i++)
                if (strcmp(c->profile_symbol[i], name) == 0)
                    k = i;
            if (k < 0) {
                if (c->n_profiles == CONFIG_MAX_PROFILES) {
                    snprintf(err, n, "%s: too many profiles", path);
                    return -1;
                }
                k = c->n_profiles++;
                snprintf(c->profile_symbol[k], sizeof c->profile_symbol[k], "%s", name);
                c->profile[k] = c->base;
                memset(c->profile_set[k], 0, sizeof c->profile_set[k]);
            }
            base = &c->profile[k];
            set = c->profile_set[k];
        }
    }
    int f = find_field(table, count, rel);
    if (f < 0 && table == PROFILE && find_field(GLOBAL, N_GLOBAL, rel) >= 0) {
        snprintf(err, n, "%s: %s is the whole account's, not a symbol's: set %s", path, rel, rel);
        return -1;
    }
    if (f < 0) {
        snprintf(err, n, "%s: unknown setting", path);
        return -1;
    }
    json_t *v;
    if (parse_value(&table[f], value, &v, err, n))
        return -1;
    struct config_errors errs = { 0 };
    struct ctx x = { .c = c, .file = src == CFG_SRC_CLI ? "command line" : "setting", .errs = &errs };
    struct config *old = malloc(sizeof *old);
    if (!old) {
        json_decref(v);
        snprintf(err, n, "%s: out of memory", path);
        return -1;
    }
    *old = *c;
    bool ok = apply_json(&x, &table[f], base, path, v);
    json_decref(v);
    if (ok) {
        check_all(&x, true);          /* e.g. a MACD fast period set above the slow one */
        ok = errs.n == 0;
        if (!ok)
            *c = *old;
    }
    free(old);
    if (!ok) {
        snprintf(err, n, "%s", errs.msg[0]);
        return -1;
    }
    set[f] = (uint8_t)(table == PROFILE && base != &c->base ? 1 : src);
    if (table == GLOBAL)
        c->src[f] = (uint8_t)src;
    else if (base == &c->base)
        c->base_src[f] = (uint8_t)src;
    return 0;
}

/* ---- printing ------------------------------------------------------------------ */

static void print_names(FILE *out, const struct field *f, const struct config_vocab *vb, const char *p)
{
    uint64_t m = f->type == T_PATTERNS ? *(const uint64_t *)p : *(const uint32_t *)p;
    int n = f->type == T_VOTERS ? CONFIG_VOTERS : vb && vb->pattern_name ? vb->n_patterns : 64;
    uint64_t all = n >= 64 ? ~0ull : (1ull << n) - 1;
    if ((m & all) == all) {
        fputs("[\"all\"]", out);
        return;
    }
    fputc('[', out);
    bool first = true;
    for (int i = 0; i < n; i++)
        if (m & (1ull << i)) {
            const char *name = f->type == T_VOTERS ? VOTER_NAMES[i] : vb && vb->pattern_name ? vb->pattern_name(i) : NULL;
            if (name)
                fprintf(out, "%s\"%s\"", first ? "" : ", ", name);
            else
                fprintf(out, "%s%d", first ? "" : ", ", i);
            first = false;
        }
    fputc(']', out);
}

static void print_value(FILE *out, const struct field *f, const void *base, const struct config_vocab *vb)
{
    const char *p = (const char *)base + f->off;
    switch (f->type) {
    case T_PATTERNS: case T_VOTERS: print_names(out, f, vb, p); break;
    case T_TARGETS: {
        const double *r = (const double *)p;
        fprintf(out, "[%g, %g, %g, %g]", r[0], r[1], r[2], r[3]);
        break;
    }
    case T_INT: fprintf(out, "%d", *(const int *)p); break;
    case T_DOUBLE: fprintf(out, "%.10g", *(const double *)p); break;
    case T_BOOL: fprintf(out, "%s", *(const bool *)p ? "true" : "false"); break;
    case T_SYMBOLS: {
        const struct config_feed *feed = (const struct config_feed *)p;
        fputc('[', out);
        for (int i = 0; i < feed->n_symbols; i++)
            fprintf(out, "%s\"%s\"", i ? ", " : "", feed->symbols[i]);
        fputc(']', out);
        break;
    }
    case T_TIMEFRAMES: {
        uint32_t m = *(const uint32_t *)p;
        fputc('[', out);
        bool first = true;
        for (int tf = 0; tf < TF_COUNT; tf++)
            if (m & (1u << tf)) {
                fprintf(out, "%s\"%s\"", first ? "" : ", ", tf_name(tf));
                first = false;
            }
        fputc(']', out);
        break;
    }
    case T_KEYMAP: {
        const struct config_ui *ui = (const struct config_ui *)p;
        fputc('{', out);
        for (int i = 0; i < ui->n_keys; i++)
            fprintf(out, "%s\"%s\": \"%s\"", i ? ", " : "", ui->keys[i].key, ui->keys[i].command);
        fputc('}', out);
        break;
    }
    case T_BLACKOUTS: {
        const struct config_risk *rk = (const struct config_risk *)p;
        fputc('[', out);
        for (int i = 0; i < rk->n_blackouts; i++) {
            char when[32];
            time_t t = (time_t)(rk->blackout[i].time / 1000);
            struct tm tm;
            gmtime_r(&t, &tm);
            strftime(when, sizeof when, "%Y-%m-%dT%H:%MZ", &tm);
            fprintf(out, "%s{\"time\": \"%s\", \"margin_min\": %g, \"label\": \"%s\"}", i ? ", " : "", when,
                    rk->blackout[i].margin_min, rk->blackout[i].label);
        }
        fputc(']', out);
        break;
    }
    default: fprintf(out, "\"%s\"", p); break;
    }
}

int config_parse_time(const char *s, int64_t *out)
{
    int y, mo, d, h = 0, mi = 0, sec = 0, n = 0;
    size_t len = strlen(s);
    if (sscanf(s, "%4d-%2d-%2d%n", &y, &mo, &d, &n) != 3 || n != 10)
        return -1;
    const char *p = s + 10;
    if (*p == 'T') {
        int m2 = 0;
        if (sscanf(p, "T%2d:%2d%n", &h, &mi, &m2) != 2 || m2 != 6)
            return -1;
        p += m2;
        if (*p == ':') {
            if (sscanf(p, ":%2d%n", &sec, &m2) != 1 || m2 != 3)
                return -1;
            p += m2;
        }
        if (*p == 'Z')
            p++;
    }
    if (p != s + len || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60)
        return -1;
    struct tm tm = { .tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d, .tm_hour = h, .tm_min = mi, .tm_sec = sec };
    *out = (int64_t)timegm(&tm) * 1000;
    return 0;
}

static const char *source_name(int s)
{
    switch (s) {
    case CFG_SRC_FILE: return "file";
    case CFG_SRC_PROFILE: return "profile default";
    case CFG_SRC_CLI: return "command line";
    default: return "default";
    }
}

void config_print(const struct config *c, FILE *out)
{
    fprintf(out, "# effective configuration%s%s\n", c->path[0] ? " from " : " (built-in defaults only)", c->path);
    for (int i = 0; i < N_GLOBAL; i++) {
        fprintf(out, "%s = ", GLOBAL[i].path);
        print_value(out, &GLOBAL[i], c, c->vocab);
        fprintf(out, "  (%s)\n", source_name(c->src[i]));
    }
    struct config_profile base;
    config_profile_for(c, NULL, &base);
    /* every symbol's analysis, patterns, regimes, signals; the per-symbol risk
     * limits only where profiles.default sets them (else they are risk.* above) */
    for (int i = 0; i < N_PROFILE; i++) {
        bool linked = linked_global(i) >= 0;
        if (linked && !c->base_src[i])
            continue;
        fprintf(out, "%s%s = ", linked ? "profiles.default." : "", PROFILE[i].path);
        print_value(out, &PROFILE[i], &base, c->vocab);
        fprintf(out, "  (%s)\n", source_name(c->base_src[i]));
    }
    for (int k = 0; k < c->n_profiles; k++)
        for (int i = 0; i < N_PROFILE; i++) {
            if (!c->profile_set[k][i])
                continue;
            fprintf(out, "profiles.%s.%s = ", c->profile_symbol[k], PROFILE[i].path);
            print_value(out, &PROFILE[i], &c->profile[k], c->vocab);
            fprintf(out, "  (profile %s)\n", c->profile_symbol[k]);
        }
}

int config_restart_needed(const struct config *old, const struct config *new_, char *what, size_t n)
{
    int count = 0;
    size_t used = 0;
    what[0] = 0;
    for (int i = 0; i < N_GLOBAL; i++) {
        if (!GLOBAL[i].restart)
            continue;
        if (memcmp((const char *)old + GLOBAL[i].off, (const char *)new_ + GLOBAL[i].off, GLOBAL[i].size) != 0) {
            int w = snprintf(what + used, n - used, "%s%s", count ? ", " : "", GLOBAL[i].path);
            if (w > 0 && (size_t)w < n - used)
                used += (size_t)w;
            count++;
        }
    }
    return count;
}
