/* Bybit V5 REST replies: the {"retCode","retMsg","result"} envelope and what a
 * failure means (unknown symbol, rate limit, 403 region/IP refusal, server), the
 * newest-first kline page and instruments-info. Pure: bytes in, values out.
 * Bybit sends every number of a kline row, the start time included, as a string. */
#include "alphapulse/bybit_parse.h"

#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "alphapulse/json_text.h"
static int say(char *why, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int say(char *why, size_t n, const char *fmt, ...)
{
    if (why && n) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(why, n, fmt, ap);
        va_end(ap);
    }
    return -1;
}

static const char *const CATEGORY[BYBIT_CATEGORY_COUNT] = { "spot", "linear" };

const char *bybit_category_name(int category)
{
    return (unsigned)category < BYBIT_CATEGORY_COUNT ? CATEGORY[category] : "?";
}

int bybit_category_parse(const char *s)
{
    for (int i = 0; s && i < BYBIT_CATEGORY_COUNT; i++)
        if (strcmp(s, CATEGORY[i]) == 0)
            return i;
    return -1;
}

static const char *const INTERVAL[TF_COUNT] = { "1", "5", "15", "60", "240", "D" };

const char *bybit_interval(int tf)
{
    return (unsigned)tf < TF_COUNT ? INTERVAL[tf] : NULL;
}

int bybit_interval_parse(const char *s)
{
    for (int i = 0; s && i < TF_COUNT; i++)
        if (strcmp(s, INTERVAL[i]) == 0)
            return i;
    return -1;
}

const char *bybit_error_kind_name(int kind)
{
    switch (kind) {
    case BYBIT_E_NONE: return "ok";
    case BYBIT_E_BAD_SYMBOL: return "unknown-symbol";
    case BYBIT_E_RATE_LIMIT: return "rate-limit";
    case BYBIT_E_FORBIDDEN: return "forbidden";
    case BYBIT_E_PARAM: return "parameter";
    case BYBIT_E_SERVER: return "server";
    case BYBIT_E_REPLY: return "bad-reply";
    case BYBIT_E_OTHER: return "error";
    case BYBIT_E_NETWORK: return "network";
    case BYBIT_E_TLS: return "tls";
    case BYBIT_E_STOPPED: return "stopped";
    default: return "?";
    }
}

static void set_err(struct bybit_error *err, int kind, int code, long http, const char *msg)
{
    if (!err)
        return;
    err->kind = kind;
    err->ret_code = code;
    err->http_status = http;
    snprintf(err->ret_msg, sizeof err->ret_msg, "%s", msg ? msg : "");
}

static bool mentions_symbol(const char *msg)
{
    for (const char *p = msg; *p; p++)
        if (strncasecmp(p, "symbol", 6) == 0)
            return true;
    return false;
}

/* retCode -> kind. Codes from Bybit's V5 error table: 10001 parameter error
 * (an unknown symbol among them: its message names the symbol), 10006 too many
 * visits (per-endpoint limit), 10018 IP rate limit, 10016 server error or
 * restarting, 10024 compliance rules (a restricted region), 170121 invalid
 * symbol (spot). */
static int classify(int code, const char *msg)
{
    switch (code) {
    case 0: return BYBIT_E_NONE;
    case 10006:
    case 10018: return BYBIT_E_RATE_LIMIT;
    case 10016: return BYBIT_E_SERVER;
    case 10024: return BYBIT_E_FORBIDDEN;
    case 170121: return BYBIT_E_BAD_SYMBOL;
    case 10001: return mentions_symbol(msg) ? BYBIT_E_BAD_SYMBOL : BYBIT_E_PARAM;
    default: return BYBIT_E_OTHER;
    }
}

static int explain(const struct bybit_error *e, const char *symbol, char *why, size_t n)
{
    const char *sym = symbol && *symbol ? symbol : "?";
    switch (e->kind) {
    case BYBIT_E_BAD_SYMBOL:
        return say(why, n, "bybit: unknown symbol %s (retCode %d: %s)", sym, e->ret_code, e->ret_msg);
    case BYBIT_E_RATE_LIMIT:
        return say(why, n, "bybit: rate limit reached (retCode %d: %s); backing off", e->ret_code, e->ret_msg);
    case BYBIT_E_FORBIDDEN:
        if (e->ret_code)
            return say(why, n, "bybit: refused by compliance rules, a restricted region (retCode %d: %s)",
                       e->ret_code, e->ret_msg);
        return say(why, n, "bybit: HTTP 403, access refused: Bybit refuses restricted regions (US IPs among "
                   "them) and IPs over 600 requests per 5 s (lifted after 10 minutes or more)");
    case BYBIT_E_PARAM:
        return say(why, n, "bybit: request refused for %s (retCode %d: %s)", sym, e->ret_code, e->ret_msg);
    case BYBIT_E_SERVER:
        if (e->ret_code)
            return say(why, n, "bybit: server error (retCode %d: %s); retrying later", e->ret_code, e->ret_msg);
        return say(why, n, "bybit: server error (HTTP %ld); retrying later", e->http_status);
    case BYBIT_E_REPLY:
        return say(why, n, "bybit: unexpected reply (HTTP %ld): %s", e->http_status, e->ret_msg);
    default:
        return say(why, n, "bybit: error for %s (HTTP %ld, retCode %d: %s)", sym, e->http_status, e->ret_code,
                   e->ret_msg);
    }
}

/* The envelope; *result gets the borrowed "result" member on success. */
static int envelope(long http, json_t *root, const char *symbol, json_t **result, struct bybit_error *err,
                    char *why, size_t n)
{
    struct bybit_error local;
    if (!err)
        err = &local;
    set_err(err, BYBIT_E_NONE, 0, http, "");
    json_t *code = json_object_get(root, "retCode"), *msg = json_object_get(root, "retMsg");
    if (http == 403 && !json_is_integer(code)) {
        set_err(err, BYBIT_E_FORBIDDEN, 0, http, "");
        return explain(err, symbol, why, n);
    }
    if (http >= 500 && !json_is_integer(code)) {
        set_err(err, BYBIT_E_SERVER, 0, http, "");
        return explain(err, symbol, why, n);
    }
    if (http == 429 && !json_is_integer(code)) {
        set_err(err, BYBIT_E_RATE_LIMIT, 0, http, "HTTP 429");
        return explain(err, symbol, why, n);
    }
    if (!root) {
        set_err(err, BYBIT_E_REPLY, 0, http, "not JSON");
        return explain(err, symbol, why, n);
    }
    if (!json_is_integer(code)) {
        set_err(err, BYBIT_E_REPLY, 0, http, "no integer retCode");
        return explain(err, symbol, why, n);
    }
    int c = (int)json_integer_value(code);
    const char *m = json_is_string(msg) ? json_string_value(msg) : "";
    if (c != 0) {
        set_err(err, classify(c, m), c, http, m);
        return explain(err, symbol, why, n);
    }
    if (http != 200) {
        set_err(err, http >= 500 ? BYBIT_E_SERVER : BYBIT_E_OTHER, 0, http, m);
        return explain(err, symbol, why, n);
    }
    json_t *r = json_object_get(root, "result");
    if (!json_is_object(r)) {
        set_err(err, BYBIT_E_REPLY, 0, http, "no \"result\" object");
        return explain(err, symbol, why, n);
    }
    if (result)
        *result = r;
    return 0;
}

int bybit_check_reply(long http_status, const char *buf, size_t len, const char *symbol, struct bybit_error *err,
                      char *why, size_t why_len)
{
    json_t *root = buf ? json_loadb(buf, len, 0, NULL) : NULL;
    int rc = envelope(http_status, root, symbol, NULL, err, why, why_len);
    json_decref(root);
    return rc;
}

static int reply_error(struct bybit_error *err, const char *text, char *why, size_t n, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static int reply_error(struct bybit_error *err, const char *text, char *why, size_t n, const char *fmt, ...)
{
    set_err(err, BYBIT_E_REPLY, 0, 200, text);
    if (why && n) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(why, n, fmt, ap);
        va_end(ap);
    }
    return -1;
}

int bybit_parse_klines(const char *buf, size_t len, const char *symbol, int tf, struct candle *out, size_t max,
                       size_t *n, unsigned *rejected, struct bybit_error *err, char *why, size_t why_len)
{
    *n = 0;
    if ((unsigned)tf >= TF_COUNT)
        return reply_error(err, "timeframe", why, why_len, "unknown timeframe %d", tf);
    json_error_t jerr;
    json_t *root = json_loadb(buf, len, 0, &jerr), *result = NULL;
    if (!root)
        return reply_error(err, "not JSON", why, why_len, "bybit kline: bad JSON at line %d column %d: %s",
                           jerr.line, jerr.column, jerr.text);
    int rc = envelope(200, root, symbol, &result, err, why, why_len);
    if (rc)
        goto out;
    json_t *rs = json_object_get(result, "symbol"), *list = json_object_get(result, "list");
    if (symbol && json_is_string(rs) && *json_string_value(rs) && strcmp(json_string_value(rs), symbol) != 0) {
        rc = reply_error(err, "other symbol", why, why_len, "bybit kline: asked for %s, got %s", symbol,
                         json_string_value(rs));
        goto out;
    }
    if (!json_is_array(list)) {
        rc = reply_error(err, "no list", why, why_len, "bybit kline: result without a \"list\" array");
        goto out;
    }
    static const char *const names[7] = { "start time", "open", "high", "low", "close", "volume", "turnover" };
    size_t rows = json_array_size(list);
    int64_t prev = INT64_MAX;
    /* rows arrive newest first: walk them in order (the checks name the row as
     * sent), store from the back, then move the kept ones to the front */
    size_t kept = 0;
    struct candle *tmp = rows ? malloc(rows * sizeof *tmp) : NULL;
    if (rows && !tmp) {
        rc = reply_error(err, "memory", why, why_len, "bybit kline: out of memory for %zu rows", rows);
        goto out;
    }
    for (size_t i = 0; i < rows; i++) {
        json_t *row = json_array_get(list, i);
        if (!json_is_array(row) || json_array_size(row) < 7) {
            rc = reply_error(err, "row shape", why, why_len, "bybit kline: row %zu: expected an array of 7 strings",
                             i);
            break;
        }
        struct candle c = { 0 };
        double *dst[7] = { NULL, &c.open, &c.high, &c.low, &c.close, &c.volume, &c.quote_volume };
        int bad = json_millis_text(json_array_get(row, 0), &c.open_time) ? 0 : -1;
        for (int k = 1; bad < 0 && k < 7; k++)
            if (json_decimal_text(json_array_get(row, (size_t)k), dst[k]))
                bad = k;
        if (bad >= 0) {
            rc = reply_error(err, "row field", why, why_len,
                             "bybit kline: row %zu: field %d (%s) missing or not a decimal string", i, bad,
                             names[bad]);
            break;
        }
        if (tf_floor(tf, c.open_time) != c.open_time) {
            rc = reply_error(err, "boundary", why, why_len, "bybit kline: row %zu: start %lld is not on a %s boundary",
                             i, (long long)c.open_time, tf_name(tf));
            break;
        }
        if (c.open_time >= prev) {
            rc = reply_error(err, "order", why, why_len,
                             "bybit kline: row %zu: start %lld not before the previous row's %lld (newest first)", i,
                             (long long)c.open_time, (long long)prev);
            break;
        }
        prev = c.open_time;
        enum candle_rule rule = candle_check(&c);
        if (rule != CANDLE_OK) {
            if (rejected)
                rejected[rule]++;
            continue;
        }
        tmp[kept++] = c;
    }
    if (!rc && kept > max)
        rc = reply_error(err, "too many", why, why_len, "bybit kline: more than %zu rows", max);
    if (!rc) {
        for (size_t i = 0; i < kept; i++)
            out[i] = tmp[kept - 1 - i];
        *n = kept;
    }
    free(tmp);
out:
    json_decref(root);
    return rc;
}

static double opt_dec(json_t *obj, const char *key)
{
    double v = 0;
    return json_decimal_text(json_object_get(obj, key), &v) ? 0 : v;
}

static void copy_str(char *dst, size_t n, json_t *v)
{
    snprintf(dst, n, "%s", json_is_string(v) ? json_string_value(v) : "");
}

int bybit_parse_instrument(const char *buf, size_t len, const char *symbol, struct bybit_instrument *out,
                           struct bybit_error *err, char *why, size_t why_len)
{
    json_error_t jerr;
    json_t *root = json_loadb(buf, len, 0, &jerr), *result = NULL;
    if (!root)
        return reply_error(err, "not JSON", why, why_len, "bybit instruments-info: bad JSON at line %d column %d: %s",
                           jerr.line, jerr.column, jerr.text);
    int rc = envelope(200, root, symbol, &result, err, why, why_len);
    if (rc)
        goto out;
    json_t *list = json_object_get(result, "list");
    if (!json_is_array(list)) {
        rc = reply_error(err, "no list", why, why_len, "bybit instruments-info: result without a \"list\" array");
        goto out;
    }
    size_t i;
    json_t *s;
    rc = -1;
    json_array_foreach(list, i, s) {
        json_t *name = json_object_get(s, "symbol");
        if (!json_is_string(name) || strcmp(json_string_value(name), symbol) != 0)
            continue;
        json_t *st = json_object_get(s, "status"), *pf = json_object_get(s, "priceFilter"),
               *lf = json_object_get(s, "lotSizeFilter");
        double tick = 0;
        if (!json_is_string(st) || !json_is_object(pf) || !json_is_object(lf) ||
            json_decimal_text(json_object_get(pf, "tickSize"), &tick) || tick <= 0) {
            rc = reply_error(err, "instrument shape", why, why_len,
                             "bybit instruments-info: %s: status, priceFilter.tickSize or lotSizeFilter missing",
                             symbol);
            goto out;
        }
        memset(out, 0, sizeof *out);
        snprintf(out->symbol, sizeof out->symbol, "%s", symbol);
        copy_str(out->status, sizeof out->status, st);
        copy_str(out->base, sizeof out->base, json_object_get(s, "baseCoin"));
        copy_str(out->quote, sizeof out->quote, json_object_get(s, "quoteCoin"));
        out->tick_size = tick;
        out->qty_step = opt_dec(lf, "qtyStep");
        if (out->qty_step <= 0)
            out->qty_step = opt_dec(lf, "basePrecision");
        out->min_qty = opt_dec(lf, "minOrderQty");
        out->min_notional = opt_dec(lf, "minNotionalValue");
        if (out->min_notional <= 0)
            out->min_notional = opt_dec(lf, "minOrderAmt");
        json_t *fi = json_object_get(s, "fundingInterval");
        out->funding_interval_min = json_is_integer(fi) ? (int)json_integer_value(fi) : 0;
        rc = 0;
        goto out;
    }
    set_err(err, BYBIT_E_BAD_SYMBOL, 0, 200, "not listed");
    say(why, why_len, "bybit: unknown symbol %s (not in instruments-info)", symbol);
out:
    json_decref(root);
    return rc;
}
