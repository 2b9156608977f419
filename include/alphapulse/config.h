/* Configuration: one JSON file, built-in defaults, per-symbol profiles, and the
 * source of every value. Tables of fields drive loading, validation, profiles,
 * `--check-config` printing and `:set`, so they agree: the core's own (config.c)
 * and the sections other modules register through the vocabulary (alerts,
 * webhook), each field typed by a parse/print pair (config_types.c).
 * Errors are collected, not stopped at: every problem of a file is reported at
 * once with file:line:col, the JSON path and what was expected. */
#ifndef ALPHAPULSE_CONFIG_H
#define ALPHAPULSE_CONFIG_H
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "alphapulse/instrument.h"

#define CONFIG_MAX_SYMBOLS 2048       /* feed.symbols entries (symbols and patterns) */
#define CONFIG_MAX_PROFILES 64
#define CONFIG_MAX_ERRORS 64
#define CONFIG_MAX_FILE_SIZE (1 << 20)    /* bytes: a larger file is refused, not read */

enum config_source { CFG_SRC_DEFAULT, CFG_SRC_FILE, CFG_SRC_PROFILE, CFG_SRC_CLI };

struct config_feed {
    char ca_file[1024];           /* PEM CAs trusted for https/wss instead of the system's; "" = system */
    int n_symbols;
    /* canonical (symbol_id.h): BTCUSDT, bybit:BTCUSDT; or patterns resolved at
     * start (symbol_pattern.h): *USDT, top:100:USDT, -BTCDOWNUSDT */
    char symbols[CONFIG_MAX_SYMBOLS][SYMBOL_MAX];
    uint32_t timeframes;          /* bit per enum timeframe */
    int reconnect_min_ms, reconnect_max_ms, stale_seconds;
    int failover_s;               /* collect on PostgreSQL: a standby takes an instrument over within this */
    bool depth;                   /* order book and trade streams for every symbol */
    int max_symbols;              /* ceiling on the symbols one session holds (2000) */
    int streams_per_connection;   /* Binance streams on one WebSocket (1024); more open more connections */
    int top_refresh_s;            /* top:N patterns are ranked again this often (3600) */
};

/* A venue's endpoints (venues.<name>.rest_url, .ws_url); http:// and ws:// are
 * accepted for loopback tests. */
struct config_venue {
    char rest_url[256], ws_url[256];
};

struct config_venues {
    struct config_venue binance;  /* --rest-url/--ws-url set these */
    struct config_venue bybit;    /* Bybit spot and USDT perpetuals share them */
};

struct config_storage {
    char path[1024];              /* empty: the XDG default */
    char url[1024];               /* a PostgreSQL connection string; set: used instead of path */
    char password_file[1024];     /* PostgreSQL: a file holding the password */
    int retention_days[6];        /* per timeframe, 0 = forever */
    bool trades;                  /* store the venues' aggregated trades (not the demo's) */
    int trades_retention_days;    /* 0 = forever */
};

struct config_paper {
    char currency[12];
    double balance, fee_bps, maker_fee_bps, slippage_bps, order_notional;
    double slippage_range;        /* extra slippage: fraction of the fill candle's range */
    char sizing_method[12];       /* the order ticket's default: fraction, risk, atr or kelly */
    double sizing_value;          /* its parameter, a fraction of equity (0.05) */
    double max_leverage;          /* a perpetual's position notional / equity at most (1) */
};

#define CONFIG_MAX_KEYS 32

struct config_ui {
    char theme[64];
    int refresh_hz;
    bool ascii;
    bool pause_on_ticket;         /* a replay pauses while the ticket or a signal's detail is open */
    bool confirm;                 /* x (close) and C (cancel) ask first */
    double big_trade;             /* the tape highlights trades of at least this notional (0: none) */
    int n_keys;                   /* ui.keys: {"K": "tf 4h", "x": "none"} remaps */
    struct { char key[16], command[64]; } keys[CONFIG_MAX_KEYS];
};

struct config_load;               /* a file being loaded: its positions and the errors so far */
struct config_field;
struct config_vocab;

/* How one kind of value is read and shown. parse reports through config_error
 * and returns false, leaving *dst as it was; from_text turns a --set/:set value
 * into JSON (NULL: the text is a JSON string). */
struct config_type {
    bool (*parse)(struct config_load *x, const struct config_field *f, void *dst, const char *path, json_t *v);
    void (*print)(FILE *out, const struct config_field *f, const void *src, const struct config_vocab *vb);
    int (*from_text)(const struct config_field *f, const char *text, json_t **out, char *err, size_t n);
};

/* One setting: its JSON path, type, place in its struct, allowed range (numbers:
 * inclusive, min_open makes min exclusive; lists: the count), whether changing
 * it needs a restart, what to tell a user who got it wrong, and the type's own
 * argument (struct config_names for choice, enum, flags and voters). */
struct config_field {
    const char *path;
    const struct config_type *type;
    size_t off, size;
    double min, max;
    bool min_open, restart;
    const char *expect;
    const void *arg;
};

/* The argument of choice (the name, stored as a string), enum (its index, an
 * int) and flags (a list of names, bit i for names[i], an unsigned). */
struct config_names {
    const char *what;              /* "sizing method": for messages */
    const char *const *names;      /* NULL-terminated */
};

/* The types the core provides; a section may bring its own. */
extern const struct config_type config_int, config_double, config_bool, config_string, config_url_http,
    config_url_ws, config_ca_file, config_currency, config_theme, config_choice, config_enum, config_flags,
    config_symbols, config_timeframes, config_keymap, config_patterns, config_voters,
    config_targets;

/* A top-level section another module owns ("alerts"): its fields (full paths,
 * offsets into its own struct, which the configuration keeps by value),
 * defaults, and rules across its fields, run after the whole file was read. */
#define CONFIG_MAX_SECTIONS 4
#define CONFIG_SECTION_BYTES 16384   /* room for every section's struct */
#define CONFIG_SECTION_FIELDS 64
struct config_section {
    const char *name;
    const struct config_field *fields;
    int n_fields;
    size_t size;
    void (*defaults)(void *data);
    void (*check)(struct config_load *x, void *data);
};

/* A per-symbol profile: the settings a symbol may have of its own (indicator
 * periods, patterns, regime thresholds, signal rules, per-symbol risk limits),
 * laid out as the module that uses them wants them (the engine's struct), so a
 * new setting is one row there. Paths are relative ("analysis.ema_period");
 * rows under "risk." follow the top-level field of the same path and size until
 * profiles.default sets them. check: rules across the fields of one effective
 * profile, where its path prefix ("profiles.BTCUSDT."). */
#define CONFIG_PROFILE_BYTES 1024
#define CONFIG_PROFILE_FIELDS 64
struct config_profile_schema {
    const struct config_field *fields;
    int n_fields;
    size_t size;
    void (*defaults)(void *profile);
    void (*check)(struct config_load *x, const void *profile, const char *where);
};

/* Names that other modules own and the configuration checks: a theme exists, a
 * candlestick pattern's id, a key binding; the sections they add and the
 * per-symbol profile. Without a vocabulary pattern names are refused, key
 * bindings are not checked and profiles are not read. */
struct config_vocab {
    bool (*theme_ok)(const char *name);
    int (*pattern_find)(const char *name);   /* id, or -1 */
    const char *(*pattern_name)(int id);
    int n_patterns;                          /* at most 64 */
    /* NULL if the key name and the command line's first word are known, else why not */
    const char *(*key_problem)(const char *key, const char *command);
    const struct config_section *const *sections;
    int n_sections;
    const struct config_profile_schema *profile;
    /* the venue names a symbol may be qualified with (NULL-terminated); NULL:
     * any well-formed name */
    const char *const *(*venues)(void);
};

struct config {
    char path[1024];              /* the file read, or empty */
    const struct config_vocab *vocab;   /* kept by config_defaults' caller; may be NULL */
    struct config_feed feed;
    struct config_venues venues;
    struct config_storage storage;
    struct config_paper paper;
    struct config_ui ui;
    /* profiles, as vocab->profile lays them out: the built-in defaults overlaid
     * by the top-level sections and profiles.default, then each symbol's */
    _Alignas(16) unsigned char base[CONFIG_PROFILE_BYTES];
    int n_profiles;
    char profile_symbol[CONFIG_MAX_PROFILES][SYMBOL_MAX];   /* canonical: BTCUSDT, bybit:BTCUSDT */
    _Alignas(16) unsigned char profile[CONFIG_MAX_PROFILES][CONFIG_PROFILE_BYTES];
    /* sources: index = field number in the global / profile tables */
    uint8_t src[64], base_src[CONFIG_PROFILE_FIELDS], profile_set[CONFIG_MAX_PROFILES][CONFIG_PROFILE_FIELDS];
    /* the vocabulary's sections, by value: vocab->sections[i] at section_off[i] */
    size_t section_off[CONFIG_MAX_SECTIONS];
    uint8_t section_src[CONFIG_MAX_SECTIONS][CONFIG_SECTION_FIELDS];
    _Alignas(16) unsigned char section_data[CONFIG_SECTION_BYTES];
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
/* Where a top-level setting's value came from (enum config_source; the
 * every-symbol profile's for "signals.timeframes"); -1 for an unknown path. */
int config_source_of(const struct config *c, const char *path);
/* The profile in force for a symbol, into out (vocab->profile's struct):
 * defaults (the top-level risk section for its risk values), then
 * profiles.default, then its own. Returns its size, 0 without a profile schema. */
size_t config_profile_for(const struct config *c, const char *symbol, void *out);
/* Effective configuration, one `path = value  (source)` line each, profiles after. */
void config_print(const struct config *c, FILE *out);
/* A UTC time: "2024-12-18", "2024-12-18T19:00[:SS][Z]" -> ms. 0, or -1 if malformed. */
int config_parse_time(const char *s, int64_t *out);
/* A registered section's struct in c (e.g. struct alert_params for "alerts"), or NULL. */
void *config_section(struct config *c, const char *name);
const void *config_section_const(const struct config *c, const char *name);

/* For types and section checks: report a problem at a JSON path (file:line:col
 * when the path is in the file); whether the file sets a path; the file's name;
 * the vocabulary; and walking an object against a table of fields (paths
 * relative to path), each member reported if unknown, with a suggestion. */
void config_error(struct config_load *x, const char *path, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
bool config_load_has(struct config_load *x, const char *path);
const char *config_load_file(const struct config_load *x);
const struct config_vocab *config_load_vocab(const struct config_load *x);
bool config_parse_object(struct config_load *x, const struct config_field *fields, int n, void *base,
                         const char *path, json_t *obj);
/* "an object", "a string", ...: what a JSON value is, for messages. */
const char *config_json_kind(const json_t *v);

/* Which fields differ between two configs and cannot change while running. */
int config_restart_needed(const struct config *old, const struct config *new_, char *what, size_t n);

#endif
