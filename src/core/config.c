/* Configuration tables and the loader. Each field is one row: its JSON path, type,
 * place in the struct, allowed range and what to tell a user who got it wrong.
 * Loading walks the JSON against the rows (the core's and the sections other
 * modules register), so an unknown key, a wrong type and an out-of-range value
 * are all found in one pass, with positions from json_pos. */
#include "config_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "alphapulse/candle.h"
#include "alphapulse/suggest.h"
#include "alphapulse/symbol_id.h"

/* the row types, by the names the tables below use */
#define T_INT (&config_int)
#define T_DOUBLE (&config_double)
#define T_BOOL (&config_bool)
#define T_STRING (&config_string)
#define T_THEME (&config_theme)
#define T_URL_HTTP (&config_url_http)
#define T_URL_WS (&config_url_ws)
#define T_CA_FILE (&config_ca_file)
#define T_CURRENCY (&config_currency)
#define T_SYMBOLS (&config_symbols)
#define T_TIMEFRAMES (&config_timeframes)
#define T_KEYMAP (&config_keymap)
#define T_PATTERNS (&config_patterns)
#define T_VOTERS (&config_voters)
#define T_TARGETS (&config_targets)
#define T_SIZING (&config_choice)

static const char *const SIZING_NAMES[] = { "fraction", "risk", "atr", "kelly", NULL };
static const struct config_names SIZING = { "sizing method", SIZING_NAMES };

#define GA(p, t, m, lo, hi, open, rs, ex, arg) \
    { p, t, offsetof(struct config, m), sizeof(((struct config *)0)->m), lo, hi, open, rs, ex, arg }
#define G(p, t, m, lo, hi, open, rs, ex) GA(p, t, m, lo, hi, open, rs, ex, NULL)

static const struct config_field GLOBAL[] = {
    G("feed.ca_file", T_CA_FILE, feed.ca_file, 0, 0, false, true,
      "a PEM file of trusted CA certificates, empty for the system's"),
    G("feed.symbols", T_SYMBOLS, feed, 1, CONFIG_MAX_SYMBOLS, false, false,
      "a list of 1 to 2048 symbols or patterns such as [\"BTCUSDT\", \"bybit:ETHUSDT\", \"top:100:USDT\", "
      "\"-BTCDOWNUSDT\"]"),
    G("feed.timeframes", T_TIMEFRAMES, feed.timeframes, 0, 0, false, false,
      "a list of timeframes from 1m, 5m, 15m, 1h, 4h, 1d"),
    G("feed.reconnect_min_ms", T_INT, feed.reconnect_min_ms, 100, 60000, false, false, "100 to 60000 milliseconds"),
    G("feed.reconnect_max_ms", T_INT, feed.reconnect_max_ms, 1000, 3600000, false, false, "1000 to 3600000 milliseconds"),
    G("feed.stale_seconds", T_INT, feed.stale_seconds, 5, 3600, false, false, "5 to 3600 seconds"),
    G("feed.failover_s", T_INT, feed.failover_s, 2, 3600, false, true, "2 to 3600 seconds"),
    G("feed.depth", T_BOOL, feed.depth, 0, 0, false, false, "true or false"),
    G("feed.max_symbols", T_INT, feed.max_symbols, 1, 100000, false, false, "1 to 100000 symbols"),
    G("feed.top_refresh_s", T_INT, feed.top_refresh_s, 10, 86400, false, false,
      "10 to 86400 seconds between re-rankings of top:N patterns"),
    G("feed.streams_per_connection", T_INT, feed.streams_per_connection, 3, 1024, false, false, "3 to 1024 streams"),
    G("storage.path", T_STRING, storage.path, 0, 0, false, true, "a database file path"),
    G("storage.url", T_STRING, storage.url, 0, 0, false, true,
      "a PostgreSQL connection string (postgresql://user@host/db), no password in it; empty: SQLite"),
    G("storage.password_file", T_STRING, storage.password_file, 0, 0, false, true,
      "a file whose first line is the PostgreSQL password"),
    G("storage.retention_days.1m", T_INT, storage.retention_days[0], 0, 36500, false, true, "days to keep, 0 = forever"),
    G("storage.retention_days.5m", T_INT, storage.retention_days[1], 0, 36500, false, true, "days to keep, 0 = forever"),
    G("storage.retention_days.15m", T_INT, storage.retention_days[2], 0, 36500, false, true, "days to keep, 0 = forever"),
    G("storage.retention_days.1h", T_INT, storage.retention_days[3], 0, 36500, false, true, "days to keep, 0 = forever"),
    G("storage.retention_days.4h", T_INT, storage.retention_days[4], 0, 36500, false, true, "days to keep, 0 = forever"),
    G("storage.retention_days.1d", T_INT, storage.retention_days[5], 0, 36500, false, true, "days to keep, 0 = forever"),
    G("storage.retention_days.trades", T_INT, storage.trades_retention_days, 0, 36500, false, true,
      "days to keep, 0 = forever"),
    G("storage.trades", T_BOOL, storage.trades, 0, 0, false, true, "true or false"),
    G("paper.currency", T_CURRENCY, paper.currency, 0, 0, false, true, "a currency code such as \"USDT\""),
    G("paper.balance", T_DOUBLE, paper.balance, 0, 1e12, true, true, "a starting balance > 0"),
    G("paper.fee_bps", T_DOUBLE, paper.fee_bps, 0, 1000, false, false, "a taker fee of 0 to 1000 basis points"),
    G("paper.maker_fee_bps", T_DOUBLE, paper.maker_fee_bps, 0, 1000, false, false, "a maker fee of 0 to 1000 basis points"),
    G("paper.slippage_bps", T_DOUBLE, paper.slippage_bps, 0, 1000, false, false, "0 to 1000 basis points"),
    G("paper.order_notional", T_DOUBLE, paper.order_notional, 0, 1e12, true, false,
      "the default order size in the account currency, > 0"),
    G("paper.slippage_range", T_DOUBLE, paper.slippage_range, 0, 1, false, false,
      "a fraction 0 to 1 of the fill candle's range"),
    GA("paper.sizing_method", T_SIZING, paper.sizing_method, 0, 0, false, false,
       "the order ticket's sizing: \"fraction\", \"risk\", \"atr\" or \"kelly\"", &SIZING),
    G("paper.sizing_value", T_DOUBLE, paper.sizing_value, 0, 1, true, false,
      "a fraction of equity > 0 and <= 1: the notional (fraction), the loss at the stop (risk, atr) or the Kelly cap"),
    G("paper.max_leverage", T_DOUBLE, paper.max_leverage, 1, 100, false, false,
      "a multiple of equity from 1 (no leverage) to 100: the largest perpetual position; spot is always 1"),
    G("ui.theme", T_THEME, ui.theme, 0, 0, false, false, "a theme name from themes/ or a path"),
    G("ui.refresh_hz", T_INT, ui.refresh_hz, 1, 60, false, false, "1 to 60 frames per second"),
    G("ui.ascii", T_BOOL, ui.ascii, 0, 0, false, false, "true or false"),
    G("ui.pause_on_ticket", T_BOOL, ui.pause_on_ticket, 0, 0, false, false, "true or false"),
    G("ui.confirm", T_BOOL, ui.confirm, 0, 0, false, false, "true or false"),
    G("ui.big_trade", T_DOUBLE, ui.big_trade, 0, 1e12, false, false,
      "a trade's notional in the account currency from which the tape highlights it, 0 to 1e12 (0: never)"),
    G("ui.keys", T_KEYMAP, ui, 0, CONFIG_MAX_KEYS, false, false,
      "an object of key name -> command line, e.g. {\"K\": \"tf 4h\", \"x\": \"none\"}"),
    /* last, so the settings screen opens on the feed, storage and paper keys */
    G("venues.binance.rest_url", T_URL_HTTP, venues.binance.rest_url, 0, 0, false, true, "an http:// or https:// URL"),
    G("venues.binance.ws_url", T_URL_WS, venues.binance.ws_url, 0, 0, false, true, "a ws:// or wss:// URL"),
    G("venues.bybit.rest_url", T_URL_HTTP, venues.bybit.rest_url, 0, 0, false, true, "an http:// or https:// URL"),
    G("venues.bybit.ws_url", T_URL_WS, venues.bybit.ws_url, 0, 0, false, true, "a ws:// or wss:// URL"),
};
#define N_GLOBAL (int)(sizeof GLOBAL / sizeof GLOBAL[0])


_Static_assert(N_GLOBAL <= 64, "source arrays hold 64 fields");

/* The per-symbol profile's rows: the vocabulary's (the engine's), or none. */
static const struct config_profile_schema *schema(const struct config *c)
{
    return c->vocab ? c->vocab->profile : NULL;
}
#define PROFILE(c) (schema(c) ? schema(c)->fields : NULL)
#define N_PROFILE(c) (schema(c) ? schema(c)->n_fields : 0)

/* A profile field that follows the top-level field of the same path until a
 * profile sets it (the per-symbol risk limits). */
static long linked_global(const struct config *c, int profile_field);
static const struct config_field *account_field(const struct config *c, const char *path, size_t *where);

static int n_sections(const struct config *c) { return c->vocab ? c->vocab->n_sections : 0; }

static const struct config_section *section_at(const struct config *c, int i) { return c->vocab->sections[i]; }

void config_defaults(struct config *c, const struct config_vocab *vocab)
{
    memset(c, 0, sizeof *c);
    c->vocab = vocab;
    size_t used = 0;
    for (int i = 0; i < n_sections(c); i++) {
        const struct config_section *sc = section_at(c, i);
        if (i >= CONFIG_MAX_SECTIONS || sc->n_fields > CONFIG_SECTION_FIELDS ||
            used + sc->size > CONFIG_SECTION_BYTES) {      /* a programming error: the tables are static */
            fprintf(stderr, "alphapulse: configuration section %s does not fit\n", sc->name);
            abort();
        }
        c->section_off[i] = used;
        if (sc->defaults)
            sc->defaults(c->section_data + used);
        used += (sc->size + 15) & ~(size_t)15;
    }
    snprintf(c->venues.binance.rest_url, sizeof c->venues.binance.rest_url, "https://data-api.binance.vision");
    snprintf(c->venues.binance.ws_url, sizeof c->venues.binance.ws_url, "wss://data-stream.binance.vision");
    snprintf(c->venues.bybit.rest_url, sizeof c->venues.bybit.rest_url, "https://api.bybit.com");
    snprintf(c->venues.bybit.ws_url, sizeof c->venues.bybit.ws_url, "wss://stream.bybit.com");
    const char *syms[] = { "BTCUSDT", "ETHUSDT", "SOLUSDT" };
    for (int i = 0; i < 3; i++)
        snprintf(c->feed.symbols[i], sizeof c->feed.symbols[i], "%s", syms[i]);
    c->feed.n_symbols = 3;
    c->feed.timeframes = (1u << TF_COUNT) - 1;
    c->feed.reconnect_min_ms = 500;
    c->feed.reconnect_max_ms = 60000;
    c->feed.stale_seconds = 30;
    c->feed.failover_s = 10;
    c->feed.max_symbols = 2000;
    c->feed.streams_per_connection = 1024;
    c->feed.top_refresh_s = 3600;
    const int keep[6] = { 30, 180, 180, 0, 0, 0 };
    memcpy(c->storage.retention_days, keep, sizeof keep);
    c->storage.trades_retention_days = 7;
    snprintf(c->paper.currency, sizeof c->paper.currency, "USDT");
    c->paper.balance = 10000;
    c->paper.fee_bps = 10;
    c->paper.maker_fee_bps = 2;
    c->paper.slippage_bps = 2;
    c->paper.order_notional = 500;   /* 5 % of the balance: inside the 10 % position limit */
    snprintf(c->paper.sizing_method, sizeof c->paper.sizing_method, "fraction");
    c->paper.sizing_value = 0.05;
    c->paper.max_leverage = 1;
    snprintf(c->ui.theme, sizeof c->ui.theme, "default");
    c->ui.refresh_hz = 30;
    c->ui.pause_on_ticket = true;
    c->ui.confirm = true;
    c->ui.big_trade = 100000;        /* a whale on BTCUSDT: most aggTrades are far below */
    if (schema(c)) {
        if (schema(c)->size > CONFIG_PROFILE_BYTES || schema(c)->n_fields > CONFIG_PROFILE_FIELDS) {
            fprintf(stderr, "alphapulse: the configuration's profile does not fit\n");   /* static tables */
            abort();
        }
        schema(c)->defaults(c->base);
    }
    /* the per-symbol risk limits: config_profile_for takes them from the account's
     * risk section until profiles.default sets them */
}

/* ---- errors ---------------------------------------------------------------- */

void config_error(struct config_load *x, const char *path, const char *fmt, ...)
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

bool config_load_has(struct config_load *x, const char *path)
{
    int line, col;
    return json_pos_find(&x->pos, path, &line, &col);
}

const char *config_load_file(const struct config_load *x) { return x->file; }

const struct config_vocab *config_load_vocab(const struct config_load *x) { return x->c->vocab; }

const char *config_json_kind(const json_t *v)
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

static bool prefix(const char *s, const char *p) { return strncmp(s, p, strlen(p)) == 0; }

/* ---- sections other modules register ---------------------------------------- */

static int section_find(const struct config *c, const char *name, size_t len)
{
    for (int i = 0; i < n_sections(c); i++)
        if (strlen(section_at(c, i)->name) == len && strncmp(section_at(c, i)->name, name, len) == 0)
            return i;
    return -1;
}

void *config_section(struct config *c, const char *name)
{
    int i = section_find(c, name, strlen(name));
    return i < 0 ? NULL : c->section_data + c->section_off[i];
}

const void *config_section_const(const struct config *c, const char *name)
{
    return config_section((struct config *)c, name);
}

/* ---- walking the JSON ------------------------------------------------------- */

static int find_field(const struct config_field *t, int n, const char *path)
{
    for (int i = 0; i < n; i++)
        if (strcmp(t[i].path, path) == 0)
            return i;
    return -1;
}

static bool is_section(const struct config_field *t, int n, const char *path)
{
    size_t len = strlen(path);
    for (int i = 0; i < n; i++)
        if (strncmp(t[i].path, path, len) == 0 && t[i].path[len] == '.')
            return true;
    return false;
}

/* The path in t nearest to rel, cut to rel's depth, if nearer than *bd edits. */
static void nearest_path(const struct config_field *t, int n, const char *rel, char *best, size_t len, int *bd)
{
    int dots = 0;
    for (const char *p = rel; *p; p++)
        dots += *p == '.';
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
        if (dist < *bd) {
            *bd = dist;
            snprintf(best, len, "%s", cand);
        }
    }
}

/* A profile's name: a symbol in its canonical spelling (symbol_id.h) of a
 * venue the vocabulary knows, so it matches the instrument it is for. */
static bool profile_symbol_ok(const struct config *c, const char *name)
{
    char canon[SYMBOL_MAX], why[200];
    const char *const *venues = c->vocab && c->vocab->venues ? c->vocab->venues() : NULL;
    return symbol_id_canonical(name, venues, canon, why, sizeof why) == 0 && strcmp(canon, name) == 0;
}

/* Suggests the nearest field or section at the same depth as rel; the top level
 * also has the profile sections and the registered ones. */
static void unknown_key(struct config_load *x, const struct config_field *t, int n, const char *rel, const char *full)
{
    /* keys that moved: said as such, so an older file is fixed in one edit */
    static const char *const moved[][2] = { { "feed.rest_url", "venues.binance.rest_url" },
                                            { "feed.ws_url", "venues.binance.ws_url" } };
    for (size_t i = 0; i < sizeof moved / sizeof moved[0]; i++)
        if (strcmp(full, moved[i][0]) == 0) {
            config_error(x, full, "moved to %s (endpoints are per venue)", moved[i][1]);
            return;
        }
    char best[128] = "";
    int bd = 4;
    nearest_path(t, n, rel, best, sizeof best, &bd);
    if (t == GLOBAL && !strchr(rel, '.')) {
        nearest_path(PROFILE(x->c), N_PROFILE(x->c), rel, best, sizeof best, &bd);
        for (int i = 0; i < n_sections(x->c); i++)
            nearest_path(section_at(x->c, i)->fields, section_at(x->c, i)->n_fields, rel, best, sizeof best, &bd);
    }
    if (best[0]) {
        size_t pre = strlen(full) - strlen(rel);
        config_error(x, full, "unknown key (did you mean %.*s%s?)", (int)pre, full, best);
    } else {
        config_error(x, full, "unknown key");
    }
}

/* Walks obj whose members are relative to rel_prefix in table t; full_prefix is
 * the path from the file's root (for messages). Marks set fields in set[]. */
static void walk(struct config_load *x, const struct config_field *t, int n, void *base, json_t *obj, const char *rel_prefix,
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
            if (t[f].type->parse(x, &t[f], (char *)base + t[f].off, full, v) && set)
                set[f] = how;
        } else if (is_section(t, n, rel)) {
            if (json_is_object(v))
                walk(x, t, n, base, v, rel, full, set, how);
            else
                config_error(x, full, "expected an object (a section), got %s", config_json_kind(v));
        } else if (t == PROFILE(x->c) && account_field(x->c, rel, &(size_t){ 0 })) {
            config_error(x, full, "%s is the whole account's, not a symbol's: set it in the top-level \"%.*s\" section",
                   rel, (int)strcspn(rel, "."), rel);
        } else {
            unknown_key(x, t, n, rel, full);
        }
    }
}

bool config_parse_object(struct config_load *x, const struct config_field *fields, int n, void *base,
                         const char *path, json_t *obj)
{
    if (!json_is_object(obj)) {
        config_error(x, path, "expected an object, got %s", config_json_kind(obj));
        return false;
    }
    int before = x->errs ? x->errs->n : 0;
    walk(x, fields, n, base, obj, "", path, NULL, 0);
    return !x->errs || x->errs->n == before;
}

/* A setting of the whole account by its path: a core row or a section's (where:
 * its place in struct config), or NULL. */
static const struct config_field *account_field(const struct config *c, const char *path, size_t *where)
{
    int g = find_field(GLOBAL, N_GLOBAL, path);
    if (g >= 0) {
        *where = GLOBAL[g].off;
        return &GLOBAL[g];
    }
    for (int k = 0; k < n_sections(c); k++) {
        const struct config_section *sc = section_at(c, k);
        int f = find_field(sc->fields, sc->n_fields, path);
        if (f >= 0) {
            *where = offsetof(struct config, section_data) + c->section_off[k] + sc->fields[f].off;
            return &sc->fields[f];
        }
    }
    return NULL;
}

/* Where in c the account's value of a linked profile row is, or -1. */
static long linked_global(const struct config *c, int profile_field)
{
    const struct config_field *f = &PROFILE(c)[profile_field], *g;
    size_t where;
    if (strncmp(f->path, "risk.", 5) || !(g = account_field(c, f->path, &where)) || g->size != f->size)
        return -1;
    return (long)where;
}

static void apply_profile(const struct config *c, unsigned char *dst, const unsigned char *src, const uint8_t *set)
{
    for (int i = 0; i < N_PROFILE(c); i++)
        if (set[i])
            memcpy(dst + PROFILE(c)[i].off, src + PROFILE(c)[i].off, PROFILE(c)[i].size);
}

static void walk_profiles(struct config_load *x, json_t *profiles)
{
    struct config *c = x->c;
    if (!json_is_object(profiles)) {
        config_error(x, "profiles", "expected an object of symbol -> profile, got %s", config_json_kind(profiles));
        return;
    }
    json_t *def = json_object_get(profiles, "default");
    if (def) {
        if (json_is_object(def))
            walk(x, PROFILE(c), N_PROFILE(c), c->base, def, "", "profiles.default", c->base_src, CFG_SRC_PROFILE);
        else
            config_error(x, "profiles.default", "expected an object, got %s", config_json_kind(def));
    }
    const char *sym;
    json_t *v;
    json_object_foreach(profiles, sym, v) {
        if (strcmp(sym, "default") == 0)
            continue;
        char full[300];
        snprintf(full, sizeof full, "profiles.%s", sym);
        if (!profile_symbol_ok(c, sym)) {
            config_error(x, full, "\"%s\" is not a symbol (expected capitals such as BTCUSDT or bybit:BTCUSDT, or "
                                  "\"default\")", sym);
            continue;
        }
        if (!json_is_object(v)) {
            config_error(x, full, "expected an object, got %s", config_json_kind(v));
            continue;
        }
        if (c->n_profiles == CONFIG_MAX_PROFILES) {
            config_error(x, full, "too many profiles (at most %d)", CONFIG_MAX_PROFILES);
            break;
        }
        int k = c->n_profiles++;
        snprintf(c->profile_symbol[k], sizeof c->profile_symbol[k], "%s", sym);
        memcpy(c->profile[k], c->base, sizeof c->base);   /* raw values; overlaid on the effective base later */
        memset(c->profile_set[k], 0, sizeof c->profile_set[k]);
        walk(x, PROFILE(c), N_PROFILE(c), c->profile[k], v, "", full, c->profile_set[k], 1);
    }
}

/* Rules across fields, on the effective values. */
static void check_all(struct config_load *x, bool has_default)
{
    struct config *c = x->c;
    for (int i = 0; i < n_sections(c); i++)
        if (section_at(c, i)->check)
            section_at(c, i)->check(x, c->section_data + c->section_off[i]);
    if (c->feed.reconnect_min_ms > c->feed.reconnect_max_ms)
        config_error(x, "feed.reconnect_min_ms", "%d is above feed.reconnect_max_ms %d", c->feed.reconnect_min_ms,
               c->feed.reconnect_max_ms);
    if (!schema(c) || !schema(c)->check)
        return;
    _Alignas(16) unsigned char eff[CONFIG_PROFILE_BYTES];
    config_profile_for(c, NULL, eff);
    schema(c)->check(x, eff, has_default ? "profiles.default." : "");
    for (int k = 0; k < c->n_profiles; k++) {
        config_profile_for(c, c->profile_symbol[k], eff);
        char where[64];
        snprintf(where, sizeof where, "profiles.%s.", c->profile_symbol[k]);
        schema(c)->check(x, eff, where);
    }
}

/* The whole file, or NULL with the reason. Opened without blocking and checked
 * on the descriptor itself, so a FIFO cannot hang the load and the file checked
 * is the file read; the size bound keeps a runaway file from filling memory. */
static char *read_config_file(const char *path, size_t *len, struct config_errors *errs)
{
    char *m = errs->msg[errs->n];
    size_t mn = sizeof errs->msg[0];
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        snprintf(m, mn, "%s: cannot read: %s", path, strerror(errno));
        if (fd >= 0)
            close(fd);
        errs->n++;
        return NULL;
    }
    if (S_ISDIR(st.st_mode) || !S_ISREG(st.st_mode) || st.st_size > CONFIG_MAX_FILE_SIZE) {
        if (S_ISDIR(st.st_mode))
            snprintf(m, mn, "%s: is a directory (expected a JSON configuration file)", path);
        else if (!S_ISREG(st.st_mode))
            snprintf(m, mn, "%s: is not a regular file (a FIFO, device or socket; expected a JSON "
                     "configuration file)", path);
        else
            snprintf(m, mn, "%s: is %lld bytes, more than a configuration file may hold (1 MiB = %d bytes)", path,
                     (long long)st.st_size, CONFIG_MAX_FILE_SIZE);
        close(fd);
        errs->n++;
        return NULL;
    }
    /* one byte more than allowed: a file that grew since fstat is still caught */
    char *text = malloc(CONFIG_MAX_FILE_SIZE + 1);
    size_t got = 0;
    while (text && got <= CONFIG_MAX_FILE_SIZE) {
        ssize_t r = read(fd, text + got, CONFIG_MAX_FILE_SIZE + 1 - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            snprintf(m, mn, "%s: cannot read: %s", path, strerror(errno));
            errs->n++;
            free(text);
            close(fd);
            return NULL;
        }
        if (r == 0)
            break;
        got += (size_t)r;
    }
    close(fd);
    if (!text) {
        snprintf(m, mn, "%s: out of memory", path);
        errs->n++;
        return NULL;
    }
    if (got > CONFIG_MAX_FILE_SIZE) {
        snprintf(m, mn, "%s: grew past what a configuration file may hold (1 MiB = %d bytes) while being read",
                 path, CONFIG_MAX_FILE_SIZE);
        errs->n++;
        free(text);
        return NULL;
    }
    *len = got;
    return text;
}

int config_load(struct config *c, const char *path, struct config_errors *errs)
{
    struct config_load x = { .c = c, .file = path, .errs = errs };
    errs->n = 0;
    snprintf(c->path, sizeof c->path, "%s", path);
    size_t len;
    char *text = read_config_file(path, &len, errs);
    if (!text)
        return -1;
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
                 path, config_json_kind(root));
    } else {
        const char *key;
        json_t *v;
        json_object_foreach(root, key, v) {
            if (strcmp(key, "profiles") == 0)        /* below, over the effective base */
                continue;
            int sec = section_find(c, key, strlen(key));
            if (sec >= 0) {
                const struct config_section *sc = section_at(c, sec);
                if (!json_is_object(v))
                    config_error(&x, key, "expected an object (a section), got %s", config_json_kind(v));
                else
                    walk(&x, sc->fields, sc->n_fields, c->section_data + c->section_off[sec], v, key, key,
                         c->section_src[sec], CFG_SRC_FILE);
                continue;
            }
            bool global = is_section(GLOBAL, N_GLOBAL, key), profile = is_section(PROFILE(c), N_PROFILE(c), key);
            if (!global && !profile) {
                unknown_key(&x, GLOBAL, N_GLOBAL, key, key);
                continue;
            }
            if (!json_is_object(v)) {
                config_error(&x, key, "expected an object (a section), got %s", config_json_kind(v));
                continue;
            }
            if (global)
                walk(&x, GLOBAL, N_GLOBAL, c, v, key, key, c->src, CFG_SRC_FILE);
            else        /* analysis, patterns, regimes, signals: every symbol's, under the profiles */
                walk(&x, PROFILE(c), N_PROFILE(c), c->base, v, key, key, c->base_src, CFG_SRC_FILE);
        }
        json_t *profiles = json_object_get(root, "profiles");
        if (profiles && !schema(c))
            config_error(&x, "profiles", "per-symbol profiles cannot be read by this program");
        else if (profiles)
            walk_profiles(&x, profiles);
        check_all(&x, json_object_get(profiles, "default") != NULL);
    }
    json_decref(root);
    json_pos_free(&x.pos);
    return errs->n ? -1 : 0;
}

size_t config_profile_for(const struct config *c, const char *symbol, void *out)
{
    if (!schema(c))
        return 0;
    memcpy(out, c->base, schema(c)->size);
    for (int i = 0; i < N_PROFILE(c); i++) {
        long g = linked_global(c, i);
        if (g >= 0 && !c->base_src[i])
            memcpy((char *)out + PROFILE(c)[i].off, (const char *)c + g, PROFILE(c)[i].size);
    }
    for (int k = 0; k < c->n_profiles; k++)
        if (symbol && strcmp(c->profile_symbol[k], symbol) == 0)
            apply_profile(c, out, c->profile[k], c->profile_set[k]);
    return schema(c)->size;
}

/* ---- :set and --set --------------------------------------------------------- */

int config_source_of(const struct config *c, const char *path)
{
    int k = find_field(GLOBAL, N_GLOBAL, path);
    if (k >= 0)
        return c->src[k];
    if ((k = find_field(PROFILE(c), N_PROFILE(c), path)) >= 0)
        return c->base_src[k];
    int sec = section_find(c, path, strcspn(path, "."));
    if (sec >= 0 && (k = find_field(section_at(c, sec)->fields, section_at(c, sec)->n_fields, path)) >= 0)
        return c->section_src[sec][k];
    return -1;
}

int config_set(struct config *c, const char *path, const char *value, enum config_source src, char *err, size_t n)
{
    const struct config_field *table = GLOBAL;
    int count = N_GLOBAL;
    void *base = c;
    uint8_t *set = c->src;
    const char *rel = path;
    int k = -1, sec = section_find(c, path, strcspn(path, "."));
    if (sec >= 0) {
        table = section_at(c, sec)->fields;
        count = section_at(c, sec)->n_fields;
        base = c->section_data + c->section_off[sec];
        set = c->section_src[sec];
    } else if (!prefix(path, "profiles.") && find_field(GLOBAL, N_GLOBAL, path) < 0 &&
               find_field(PROFILE(c), N_PROFILE(c), path) >= 0) {
        table = PROFILE(c);           /* analysis.*, signals.*, ...: every symbol's */
        count = N_PROFILE(c);
        base = c->base;
        set = c->base_src;
    } else if (prefix(path, "profiles.")) {
        const char *sym = path + 9, *dot = strchr(sym, '.');
        if (!dot) {
            snprintf(err, n, "%s: expected profiles.SYMBOL.section.key", path);
            return -1;
        }
        char name[16];
        snprintf(name, sizeof name, "%.*s", (int)(dot - sym) < 15 ? (int)(dot - sym) : 15, sym);
        if (!schema(c)) {
            snprintf(err, n, "%s: per-symbol profiles cannot be set in this program", path);
            return -1;
        }
        table = PROFILE(c);
        count = N_PROFILE(c);
        rel = dot + 1;
        if (strcmp(name, "default") == 0) {
            base = c->base;
            set = c->base_src;
        } else {
            if (!profile_symbol_ok(c, name)) {
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
                memcpy(c->profile[k], c->base, sizeof c->base);
                memset(c->profile_set[k], 0, sizeof c->profile_set[k]);
            }
            base = c->profile[k];
            set = c->profile_set[k];
        }
    }
    int f = find_field(table, count, rel);
    if (f < 0 && table && table == PROFILE(c) && account_field(c, rel, &(size_t){ 0 })) {
        snprintf(err, n, "%s: %s is the whole account's, not a symbol's: set %s", path, rel, rel);
        return -1;
    }
    if (f < 0) {
        snprintf(err, n, "%s: unknown setting", path);
        return -1;
    }
    json_t *v;
    if (table[f].type->from_text ? table[f].type->from_text(&table[f], value, &v, err, n) : !(v = json_string(value)))
        return -1;
    struct config_errors errs = { 0 };
    struct config_load x = { .c = c, .file = src == CFG_SRC_CLI ? "command line" : "setting", .errs = &errs };
    struct config *old = malloc(sizeof *old);
    if (!old) {
        json_decref(v);
        snprintf(err, n, "%s: out of memory", path);
        return -1;
    }
    *old = *c;
    bool ok = table[f].type->parse(&x, &table[f], (char *)base + table[f].off, path, v);
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
    set[f] = (uint8_t)(table == PROFILE(c) && base != (void *)c->base ? 1 : src);
    return 0;
}

/* ---- printing ------------------------------------------------------------------ */

static void print_value(FILE *out, const struct config_field *f, const void *base, const struct config_vocab *vb)
{
    f->type->print(out, f, (const char *)base + f->off, vb);
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
    for (int k = 0; k < n_sections(c); k++) {
        const struct config_section *sc = section_at(c, k);
        const void *data = c->section_data + c->section_off[k];
        for (int i = 0; i < sc->n_fields; i++) {
            if (!sc->fields[i].type->print)      /* another row shows the value (a secret's _file) */
                continue;
            int src = 0;                           /* rows sharing a place share its source */
            for (int j = 0; j < sc->n_fields; j++)
                if (sc->fields[j].off == sc->fields[i].off && c->section_src[k][j] > src)
                    src = c->section_src[k][j];
            fprintf(out, "%s = ", sc->fields[i].path);
            print_value(out, &sc->fields[i], data, c->vocab);
            fprintf(out, "  (%s)\n", source_name(src));
        }
    }
    if (!schema(c))
        return;
    _Alignas(16) unsigned char base[CONFIG_PROFILE_BYTES];
    config_profile_for(c, NULL, base);
    /* every symbol's analysis, patterns, regimes, signals; the per-symbol risk
     * limits only where profiles.default sets them (else they are risk.* above) */
    for (int i = 0; i < N_PROFILE(c); i++) {
        bool linked = linked_global(c, i) >= 0;
        if (linked && !c->base_src[i])
            continue;
        fprintf(out, "%s%s = ", linked ? "profiles.default." : "", PROFILE(c)[i].path);
        print_value(out, &PROFILE(c)[i], base, c->vocab);
        fprintf(out, "  (%s)\n", source_name(c->base_src[i]));
    }
    for (int k = 0; k < c->n_profiles; k++)
        for (int i = 0; i < N_PROFILE(c); i++) {
            if (!c->profile_set[k][i])
                continue;
            fprintf(out, "profiles.%s.%s = ", c->profile_symbol[k], PROFILE(c)[i].path);
            print_value(out, &PROFILE(c)[i], c->profile[k], c->vocab);
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
    for (int k = 0; k < n_sections(old) && old->vocab == new_->vocab; k++) {
        const struct config_section *sc = section_at(old, k);
        const char *a = (const char *)old->section_data + old->section_off[k];
        const char *b = (const char *)new_->section_data + new_->section_off[k];
        for (int i = 0; i < sc->n_fields; i++) {
            const struct config_field *f = &sc->fields[i];
            if (!f->restart || !f->type->print || memcmp(a + f->off, b + f->off, f->size) == 0)
                continue;
            int w = snprintf(what + used, n - used, "%s%s", count ? ", " : "", f->path);
            if (w > 0 && (size_t)w < n - used)
                used += (size_t)w;
            count++;
        }
    }
    return count;
}
