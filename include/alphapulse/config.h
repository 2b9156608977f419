/* Configuration: one JSON file, built-in defaults, per-symbol profiles, and the
 * source of every value. One table of fields (config.c) drives loading,
 * validation, profiles, `--check-config` printing and `:set`, so they agree.
 * Errors are collected, not stopped at: every problem of a file is reported at
 * once with file:line:col, the JSON path and what was expected. */
#ifndef ALPHAPULSE_CONFIG_H
#define ALPHAPULSE_CONFIG_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define CONFIG_MAX_SYMBOLS 64
#define CONFIG_MAX_PROFILES 64
#define CONFIG_MAX_ERRORS 64

enum config_source { CFG_SRC_DEFAULT, CFG_SRC_FILE, CFG_SRC_PROFILE, CFG_SRC_CLI };

struct config_feed {
    char rest_url[256], ws_url[256];
    char ca_file[1024];           /* PEM CAs trusted for https/wss instead of the system's; "" = system */
    int n_symbols;
    char symbols[CONFIG_MAX_SYMBOLS][16];
    uint32_t timeframes;          /* bit per enum timeframe */
    int reconnect_min_ms, reconnect_max_ms, stale_seconds;
};

struct config_storage {
    char path[1024];              /* empty: the XDG default */
    int retention_days[6];        /* per timeframe, 0 = forever */
};

struct config_paper {
    char currency[12];
    double balance, fee_bps, maker_fee_bps, slippage_bps, order_notional;
    double slippage_range;        /* extra slippage: fraction of the fill candle's range */
    char sizing_method[12];       /* the order ticket's default: fraction, risk, atr or kelly */
    double sizing_value;          /* its parameter, a fraction of equity (0.05) */
};

#define CONFIG_MAX_BLACKOUTS 16

/* Risk limits (fractions of equity); the paper broker's risk manager uses them. */
struct config_risk {
    double risk_per_trade, max_position, max_exposure, daily_loss, max_drawdown;
    double cooldown_min;
    int loss_streak, max_positions, max_orders_symbol;
    bool require_stop;
    int n_blackouts;              /* scheduled news: no new entries within margin of time */
    struct { int64_t time; double margin_min; char label[32]; } blackout[CONFIG_MAX_BLACKOUTS];
};

#define CONFIG_MAX_KEYS 32

struct config_ui {
    char theme[64];
    int refresh_hz;
    bool ascii;
    int n_keys;                   /* ui.keys: {"K": "tf 4h", "x": "none"} remaps */
    struct { char key[16], command[64]; } keys[CONFIG_MAX_KEYS];
};

/* What a per-symbol profile may override. */
struct config_analysis {
    int sma_period, ema_period, wma_period, rsi_period;
    int macd_fast, macd_slow, macd_signal;
    int bb_period;
    double bb_stddev;
    int atr_period, volume_sma_period;
};

/* Signal engine settings a profile may override (signal.h has the rest). */
#define CONFIG_VOTERS 7           /* pattern trend momentum volatility volume confluence regime */
struct config_signals {
    double threshold, trigger_min, min_rr, atr_stop;
    double max_cost_r;            /* round-trip cost a signal may have, in R */
    double min_confidence;        /* calibrated P(1 R before the stop) a signal needs */
    int min_voters, expiry_candles;
    bool require_htf;
    uint32_t timeframes;          /* timeframes signals are raised on (bit per enum timeframe) */
    uint32_t voters;              /* voters that vote (bit per voter, in the order above) */
    double weight[CONFIG_VOTERS]; /* starting weight: a multiple of the voter's built-in prior */
    double targets_r[4];          /* tp1..tp4 in multiples of the risk (1, 2, 3, 4) */
};

/* Candlestick patterns in use: enabled minus disabled (bit per pattern id). */
struct config_patterns {
    uint64_t enabled, disabled;
};

/* Regime thresholds a profile may override (regime.h has the rest). */
struct config_regimes {
    int lookback, hold;
    double adx_strong, trend_strong, trend_weak, breakout_atr_pct, breakout_bw_pct, chop_atr_pct;
};

/* Risk limits that may differ per symbol; the others (exposure, daily loss,
 * drawdown, streak, open positions, blackouts) are the account's. Unless a
 * profile sets them they follow the top-level risk section. */
struct config_symbol_risk {
    double risk_per_trade, max_position;
    int max_orders_symbol;
    bool require_stop;
};

struct config_profile {
    struct config_analysis analysis;
    struct config_patterns patterns;
    struct config_regimes regimes;
    struct config_signals signals;
    struct config_symbol_risk risk;
};

/* Names that other modules own and the configuration checks: a theme exists, a
 * candlestick pattern's id. Without a vocabulary pattern names are refused. */
struct config_vocab {
    bool (*theme_ok)(const char *name);
    int (*pattern_find)(const char *name);   /* id, or -1 */
    const char *(*pattern_name)(int id);
    int n_patterns;                          /* at most 64 */
};

struct config {
    char path[1024];              /* the file read, or empty */
    const struct config_vocab *vocab;   /* kept by config_defaults' caller; may be NULL */
    struct config_feed feed;
    struct config_storage storage;
    struct config_paper paper;
    struct config_ui ui;
    struct config_risk risk;
    struct config_profile base;   /* built-in defaults overlaid by profiles.default */
    int n_profiles;
    char profile_symbol[CONFIG_MAX_PROFILES][16];
    struct config_profile profile[CONFIG_MAX_PROFILES];
    /* sources: index = field number in the global / profile tables */
    uint8_t src[64], base_src[64], profile_set[CONFIG_MAX_PROFILES][64];
};

struct config_errors {
    int n;
    char msg[CONFIG_MAX_ERRORS][320];
};

/* Built-in defaults; vocab (may be NULL) checks names of themes and patterns. */
void config_defaults(struct config *c, const struct config_vocab *vocab);
/* Read and validate a file over the defaults. Returns 0, or -1 with every
 * problem in errs (c is then unspecified: load into a copy to keep the old one). */
int config_load(struct config *c, const char *path, struct config_errors *errs);
/* `path=value` from the command line or `:set`; same validation. */
int config_set(struct config *c, const char *path, const char *value, enum config_source src, char *err, size_t n);
/* The profile in force for a symbol: defaults (the top-level risk section for
 * its risk values), then profiles.default, then its own. */
void config_profile_for(const struct config *c, const char *symbol, struct config_profile *out);
/* The patterns a profile uses: enabled and not disabled. */
uint64_t config_patterns_in_use(const struct config_patterns *p);
/* Effective configuration, one `path = value  (source)` line each, profiles after. */
void config_print(const struct config *c, FILE *out);
/* A UTC time: "2024-12-18", "2024-12-18T19:00[:SS][Z]" -> ms. 0, or -1 if malformed. */
int config_parse_time(const char *s, int64_t *out);
/* Which fields differ between two configs and cannot change while running. */
int config_restart_needed(const struct config *old, const struct config *new_, char *what, size_t n);

#endif
