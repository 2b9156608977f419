/* Kline event parsing with jansson. Binance sends prices and volumes as decimal
 * strings; we accept strings or numbers, reject anything else, and check the
 * candle rules before anything reaches the engine. */
#include "alphapulse/kline_json.h"

#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int fail(int code, char *why, size_t why_len, const char *fmt, const char *arg)
{
    if (why && why_len)
        snprintf(why, why_len, fmt, arg);
    return code;
}

static int get_decimal(json_t *k, const char *key, double *out)
{
    json_t *v = json_object_get(k, key);
    if (json_is_string(v)) {
        const char *s = json_string_value(v);
        char *end;
        if (!*s || isspace((unsigned char)*s))
            return -1;
        errno = 0;
        *out = strtod(s, &end);
        return (*end || errno == ERANGE) ? -1 : 0;
    }
    if (json_is_number(v)) {
        *out = json_number_value(v);
        return 0;
    }
    return -1;
}

static int get_int(json_t *k, const char *key, int64_t *out)
{
    json_t *v = json_object_get(k, key);
    if (!json_is_integer(v))
        return -1;
    *out = json_integer_value(v);
    return 0;
}

int kline_json_parse(const char *buf, size_t len, struct kline_event *out, char *why, size_t why_len)
{
    if (len > KLINE_JSON_MAX_BYTES)
        return fail(KLINE_JSON_SYNTAX, why, why_len, "message too large (%s)", "> 64 KiB");
    json_error_t jerr;
    json_t *root = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!root)
        return fail(KLINE_JSON_SYNTAX, why, why_len, "bad JSON: %s", jerr.text);
    int rc = KLINE_JSON_OK;
    json_t *ev = root;
    json_t *data = json_object_get(root, "data");
    if (json_is_object(data))
        ev = data;                       /* combined stream wrapper */
    json_t *type = json_object_get(ev, "e");
    json_t *k = json_object_get(ev, "k");
    if (!json_is_string(type) || strcmp(json_string_value(type), "kline") != 0 || !json_is_object(k)) {
        rc = fail(KLINE_JSON_NOT_KLINE, why, why_len, "%s", "not a kline event");
        goto out;
    }
    memset(out, 0, sizeof *out);
    json_t *sym = json_object_get(k, "s"), *iv = json_object_get(k, "i"), *x = json_object_get(k, "x");
    const char *missing = NULL;
    if (!json_is_string(sym) || json_string_length(sym) == 0 || json_string_length(sym) >= SYMBOL_MAX)
        missing = "k.s (symbol)";
    else if (!json_is_string(iv) || tf_parse(json_string_value(iv)) < 0)
        missing = "k.i (interval)";
    else if (!json_is_boolean(x))
        missing = "k.x (closed flag)";
    else if (get_int(k, "t", &out->c.open_time))
        missing = "k.t (open time)";
    else if (get_decimal(k, "o", &out->c.open))
        missing = "k.o (open)";
    else if (get_decimal(k, "h", &out->c.high))
        missing = "k.h (high)";
    else if (get_decimal(k, "l", &out->c.low))
        missing = "k.l (low)";
    else if (get_decimal(k, "c", &out->c.close))
        missing = "k.c (close)";
    else if (get_decimal(k, "v", &out->c.volume))
        missing = "k.v (volume)";
    if (missing) {
        rc = fail(KLINE_JSON_FIELD, why, why_len, "missing or wrong type: %s", missing);
        goto out;
    }
    /* optional fields */
    if (get_decimal(k, "q", &out->c.quote_volume))
        out->c.quote_volume = 0;
    if (get_int(k, "n", &out->c.trades))
        out->c.trades = 0;
    if (get_int(ev, "E", &out->event_time))
        out->event_time = out->c.open_time;
    const char *s = json_string_value(sym);
    for (size_t i = 0; s[i]; i++)
        out->symbol[i] = (char)toupper((unsigned char)s[i]);
    out->tf = tf_parse(json_string_value(iv));
    out->closed = json_is_true(x);
    enum candle_rule r = candle_check(&out->c);
    if (r != CANDLE_OK)
        rc = fail(KLINE_JSON_VALUE, why, why_len, "invalid candle: %s", candle_rule_name(r));
out:
    json_decref(root);
    return rc;
}

/* Shortest of "%.8f" (Binance's usual) and "%.17g" that reads back exactly. */
static void fmt_decimal(char *dst, size_t n, double v)
{
    snprintf(dst, n, "%.8f", v);
    if (strtod(dst, NULL) != v)
        snprintf(dst, n, "%.17g", v);
}

int kline_json_format(const struct kline_event *ev, char *buf, size_t len)
{
    char o[40], h[40], l[40], c[40], v[40], q[40], sym[SYMBOL_MAX];
    const struct candle *k = &ev->c;
    fmt_decimal(o, sizeof o, k->open);
    fmt_decimal(h, sizeof h, k->high);
    fmt_decimal(l, sizeof l, k->low);
    fmt_decimal(c, sizeof c, k->close);
    fmt_decimal(v, sizeof v, k->volume);
    fmt_decimal(q, sizeof q, k->quote_volume);
    size_t i = 0;
    for (; ev->symbol[i] && i + 1 < sizeof sym; i++)
        sym[i] = (char)tolower((unsigned char)ev->symbol[i]);
    sym[i] = 0;
    const char *tf = tf_name(ev->tf);
    int w = snprintf(buf, len,
        "{\"stream\":\"%s@kline_%s\",\"data\":{\"e\":\"kline\",\"E\":%lld,\"s\":\"%s\","
        "\"k\":{\"t\":%lld,\"T\":%lld,\"s\":\"%s\",\"i\":\"%s\",\"f\":0,\"L\":0,"
        "\"o\":\"%s\",\"c\":\"%s\",\"h\":\"%s\",\"l\":\"%s\",\"v\":\"%s\",\"n\":%lld,"
        "\"x\":%s,\"q\":\"%s\",\"V\":\"0\",\"Q\":\"0\",\"B\":\"0\"}}}",
        sym, tf, (long long)ev->event_time, ev->symbol,
        (long long)k->open_time, (long long)(k->open_time + tf_ms(ev->tf) - 1), ev->symbol, tf,
        o, c, h, l, v, (long long)k->trades, ev->closed ? "true" : "false", q);
    return (w < 0 || (size_t)w >= len) ? -1 : w;
}

const char *kline_json_error_name(int err)
{
    switch (err) {
    case KLINE_JSON_OK: return "ok";
    case KLINE_JSON_SYNTAX: return "syntax";
    case KLINE_JSON_NOT_KLINE: return "not-kline";
    case KLINE_JSON_FIELD: return "field";
    case KLINE_JSON_VALUE: return "value";
    default: return "?";
    }
}
