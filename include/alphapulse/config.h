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
struct config_signals {
    double threshold, trigger_min, min_rr, atr_stop;
    int min_voters, expiry_candles;
    bool require_htf;
};

struct config_profile {
    struct config_analysis analysis;
    struct config_signals signals;
};

struct config {
    char path[1024];              /* the file read, or empty */
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

void config_defaults(struct config *c);
/* Read and validate a file over the defaults. Returns 0, or -1 with every
 * problem in errs (c is then unspecified: load into a copy to keep the old one). */
int config_load(struct config *c, const char *path, struct config_errors *errs);
/* The same, asking theme_ok whether a ui.theme value names an existing theme. */
int config_load_checked(struct config *c, const char *path, bool (*theme_ok)(const char *),
                        struct config_errors *errs);
/* `path=value` from the command line or `:set`; same validation. */
int config_set(struct config *c, const char *path, const char *value, enum config_source src, char *err, size_t n);
/* The profile in force for a symbol: defaults, then profiles.default, then its own. */
void config_profile_for(const struct config *c, const char *symbol, struct config_profile *out);
/* Effective configuration, one `path = value  (source)` line each, profiles after. */
void config_print(const struct config *c, FILE *out);
/* A UTC time: "2024-12-18", "2024-12-18T19:00[:SS][Z]" -> ms. 0, or -1 if malformed. */
int config_parse_time(const char *s, int64_t *out);
/* Which fields differ between two configs and cannot change while running. */
int config_restart_needed(const struct config *old, const struct config *new_, char *what, size_t n);

#endif
