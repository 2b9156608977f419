/* Bybit V5 public WebSocket messages: topic pushes (kline, tickers), replies to
 * subscribe/unsubscribe and to the application-level ping, and the requests we
 * send. The topic names the symbol and interval; a kline's "confirm" marks the
 * closed candle like Binance's "x". Tickers on the linear socket come as one
 * snapshot then deltas holding only the changed fields: bybit_ticker_merge
 * keeps the whole picture. */
#include "alphapulse/bybit_parse.h"

#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alphapulse/kline_json.h"
#include "alphapulse/json_text.h"
#include "bybit_internal.h"

static int fail(int code, char *why, size_t n, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static int fail(int code, char *why, size_t n, const char *fmt, ...)
{
    if (why && n) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(why, n, fmt, ap);
        va_end(ap);
    }
    return code;
}

static bool symbol_ok(const char *s, size_t n)
{
    if (n == 0 || n >= SYMBOL_MAX)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!isupper((unsigned char)s[i]) && !isdigit((unsigned char)s[i]))
            return false;
    return true;
}

/* "kline.<interval>.<SYMBOL>" */
static int parse_kline(json_t *root, const char *topic, struct bybit_msg *out, char *why, size_t n)
{
    const char *iv = topic + 6, *dot = strchr(iv, '.');
    if (!dot)
        return fail(KLINE_JSON_FIELD, why, n, "topic %s: expected kline.<interval>.<SYMBOL>", topic);
    char interval[8];
    size_t ilen = (size_t)(dot - iv);
    if (ilen == 0 || ilen >= sizeof interval)
        return fail(KLINE_JSON_FIELD, why, n, "topic %s: bad interval", topic);
    memcpy(interval, iv, ilen);
    interval[ilen] = 0;
    int tf = bybit_interval_parse(interval);
    const char *sym = dot + 1;
    if (tf < 0)
        return fail(KLINE_JSON_FIELD, why, n, "topic %s: interval %s is not one we use", topic, interval);
    if (!symbol_ok(sym, strlen(sym)))
        return fail(KLINE_JSON_FIELD, why, n, "topic %s: bad symbol", topic);
    json_t *data = json_object_get(root, "data");
    if (!json_is_array(data) || json_array_size(data) == 0)
        return fail(KLINE_JSON_FIELD, why, n, "%s: \"data\" is not a non-empty array", topic);
    if (json_array_size(data) > BYBIT_MSG_KLINES_MAX)
        return fail(KLINE_JSON_FIELD, why, n, "%s: %zu klines in one push (at most %d)", topic,
                    json_array_size(data), BYBIT_MSG_KLINES_MAX);
    int64_t ts = out->ts;
    size_t i;
    json_t *d;
    json_array_foreach(data, i, d) {
        struct kline_event *k = &out->klines[i];
        memset(k, 0, sizeof *k);
        json_t *conf = json_object_get(d, "confirm"), *ivl = json_object_get(d, "interval");
        int64_t end = 0;
        const char *missing = NULL;
        if (!json_is_object(d))
            missing = "data[] (not an object)";
        else if (json_millis(json_object_get(d, "start"), &k->c.open_time))
            missing = "start";
        else if (json_millis(json_object_get(d, "end"), &end))
            missing = "end";
        else if (!json_is_boolean(conf))
            missing = "confirm";
        else if (json_decimal(json_object_get(d, "open"), &k->c.open))
            missing = "open";
        else if (json_decimal(json_object_get(d, "high"), &k->c.high))
            missing = "high";
        else if (json_decimal(json_object_get(d, "low"), &k->c.low))
            missing = "low";
        else if (json_decimal(json_object_get(d, "close"), &k->c.close))
            missing = "close";
        else if (json_decimal(json_object_get(d, "volume"), &k->c.volume))
            missing = "volume";
        else if (ivl && (!json_is_string(ivl) || strcmp(json_string_value(ivl), interval) != 0))
            missing = "interval (differs from the topic's)";
        if (missing)
            return fail(KLINE_JSON_FIELD, why, n, "%s: data[%zu]: missing or wrong type: %s", topic, i, missing);
        if (k->c.open_time < 0 || tf_floor(tf, k->c.open_time) != k->c.open_time ||
            end != k->c.open_time + tf_ms(tf) - 1)
            return fail(KLINE_JSON_VALUE, why, n, "%s: data[%zu]: start %lld / end %lld is not one %s candle", topic,
                        i, (long long)k->c.open_time, (long long)end, tf_name(tf));
        if (json_decimal(json_object_get(d, "turnover"), &k->c.quote_volume))
            k->c.quote_volume = 0;
        snprintf(k->symbol, sizeof k->symbol, "%s", sym);
        k->tf = tf;
        k->closed = json_is_true(conf);
        int64_t t;
        k->event_time = !json_millis(json_object_get(d, "timestamp"), &t) ? t : ts ? ts : k->c.open_time;
        enum candle_rule rule = candle_check(&k->c);
        if (rule != CANDLE_OK)
            return fail(KLINE_JSON_VALUE, why, n, "%s: data[%zu]: invalid candle: %s", topic, i,
                        candle_rule_name(rule));
    }
    out->n_klines = json_array_size(data);
    out->type = BYBIT_MSG_KLINE;
    return KLINE_JSON_OK;
}

/* "tickers.<SYMBOL>": data is one object; absent or empty fields stay unknown. */
static int parse_ticker(json_t *root, const char *topic, struct bybit_msg *out, char *why, size_t n)
{
    const char *sym = topic + 8;
    if (!symbol_ok(sym, strlen(sym)))
        return fail(KLINE_JSON_FIELD, why, n, "topic %s: bad symbol", topic);
    json_t *data = json_object_get(root, "data"), *type = json_object_get(root, "type");
    if (!json_is_object(data))
        return fail(KLINE_JSON_FIELD, why, n, "%s: \"data\" is not an object", topic);
    if (!json_is_string(type) ||
        (strcmp(json_string_value(type), "snapshot") != 0 && strcmp(json_string_value(type), "delta") != 0))
        return fail(KLINE_JSON_FIELD, why, n, "%s: \"type\" is neither snapshot nor delta", topic);
    struct bybit_ticker *t = &out->ticker;
    memset(t, 0, sizeof *t);
    snprintf(t->symbol, sizeof t->symbol, "%s", sym);
    t->snapshot = strcmp(json_string_value(type), "snapshot") == 0;
    t->ts = out->ts;
    json_t *ds = json_object_get(data, "symbol");
    if (ds && (!json_is_string(ds) || strcmp(json_string_value(ds), sym) != 0))
        return fail(KLINE_JSON_FIELD, why, n, "%s: data.symbol differs from the topic's", topic);
    static const struct { const char *key; unsigned bit; size_t off; } F[] = {
        { "lastPrice", BYBIT_T_LAST, offsetof(struct bybit_ticker, last) },
        { "markPrice", BYBIT_T_MARK, offsetof(struct bybit_ticker, mark) },
        { "indexPrice", BYBIT_T_INDEX, offsetof(struct bybit_ticker, index) },
        { "fundingRate", BYBIT_T_FUNDING, offsetof(struct bybit_ticker, funding_rate) },
        { "bid1Price", BYBIT_T_BID, offsetof(struct bybit_ticker, bid) },
        { "ask1Price", BYBIT_T_ASK, offsetof(struct bybit_ticker, ask) },
    };
    for (size_t i = 0; i < sizeof F / sizeof F[0]; i++) {
        json_t *v = json_object_get(data, F[i].key);
        if (!v || json_is_null(v) || (json_is_string(v) && !*json_string_value(v)))
            continue;
        double x;
        if (json_decimal(v, &x) || !isfinite(x))
            return fail(KLINE_JSON_FIELD, why, n, "%s: %s is not a decimal", topic, F[i].key);
        if (F[i].bit != BYBIT_T_FUNDING && x <= 0)
            return fail(KLINE_JSON_VALUE, why, n, "%s: %s %g is not a price", topic, F[i].key, x);
        *(double *)((char *)t + F[i].off) = x;
        t->have |= F[i].bit;
    }
    json_t *nf = json_object_get(data, "nextFundingTime");
    if (nf && !json_is_null(nf) && !(json_is_string(nf) && !*json_string_value(nf))) {
        if (json_millis(nf, &t->next_funding_ms) || t->next_funding_ms < 0)
            return fail(KLINE_JSON_FIELD, why, n, "%s: nextFundingTime is not milliseconds", topic);
        t->have |= BYBIT_T_NEXT_FUNDING;
    }
    out->type = BYBIT_MSG_TICKER;
    return KLINE_JSON_OK;
}

/* The topic a failed subscribe names: "...topic:kline.1.XYZ" or "...[kline.1.XYZ]". */
static void failed_topic(const char *msg, char *dst, size_t n)
{
    dst[0] = 0;
    const char *p = strstr(msg, "topic:");
    size_t len = 0;
    if (p) {
        p += 6;
        len = strcspn(p, ", ]\"");
    } else if ((p = strchr(msg, '['))) {
        p++;
        len = strcspn(p, "]");
    }
    if (p && len && len < n) {
        memcpy(dst, p, len);
        dst[len] = 0;
    }
}

static int parse_op(json_t *root, const char *op, struct bybit_msg *out, char *why, size_t n)
{
    json_t *ok = json_object_get(root, "success"), *msg = json_object_get(root, "ret_msg"),
           *req = json_object_get(root, "req_id");
    if (strcmp(op, "ping") == 0 || strcmp(op, "pong") == 0) {
        if (ok && !json_is_true(ok))
            return fail(KLINE_JSON_FIELD, why, n, "ping refused: %s", json_is_string(msg) ? json_string_value(msg) : "");
        out->type = BYBIT_MSG_PONG;
        return KLINE_JSON_OK;
    }
    if (strcmp(op, "subscribe") != 0 && strcmp(op, "unsubscribe") != 0) {
        out->type = BYBIT_MSG_OTHER;
        return KLINE_JSON_OK;
    }
    if (!json_is_boolean(ok))
        return fail(KLINE_JSON_FIELD, why, n, "%s reply without a boolean \"success\"", op);
    struct bybit_sub_reply *r = &out->reply;
    memset(r, 0, sizeof *r);
    r->success = json_is_true(ok);
    snprintf(r->op, sizeof r->op, "%s", op);
    snprintf(r->ret_msg, sizeof r->ret_msg, "%s", json_is_string(msg) ? json_string_value(msg) : "");
    snprintf(r->req_id, sizeof r->req_id, "%s", json_is_string(req) ? json_string_value(req) : "");
    if (!r->success)
        failed_topic(r->ret_msg, r->topic, sizeof r->topic);
    out->type = BYBIT_MSG_SUBSCRIBE;
    return KLINE_JSON_OK;
}

int bybit_ws_parse(const char *buf, size_t len, struct bybit_msg *out, char *why, size_t why_len)
{
    if (len <= KLINE_JSON_MAX_BYTES && bybit_kline_fast(buf, len, out))
        return KLINE_JSON_OK;
    return bybit_ws_parse_tree(buf, len, out, why, why_len);
}

int bybit_ws_parse_tree(const char *buf, size_t len, struct bybit_msg *out, char *why, size_t why_len)
{
    if (len > KLINE_JSON_MAX_BYTES)
        return fail(KLINE_JSON_SYNTAX, why, why_len, "message too large (%zu bytes)", len);
    out->type = BYBIT_MSG_OTHER;
    out->topic[0] = 0;
    out->ts = 0;
    out->n_klines = 0;
    json_error_t jerr;
    json_t *root = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!root)
        return fail(KLINE_JSON_SYNTAX, why, why_len, "bad JSON at column %d: %s", jerr.column, jerr.text);
    int rc;
    json_t *topic = json_object_get(root, "topic"), *op = json_object_get(root, "op"),
           *ts = json_object_get(root, "ts");
    if (!json_is_object(root)) {
        rc = fail(KLINE_JSON_NOT_KLINE, why, why_len, "not a JSON object");
    } else if (json_is_string(topic)) {
        const char *t = json_string_value(topic);
        if (strlen(t) >= sizeof out->topic) {
            rc = fail(KLINE_JSON_FIELD, why, why_len, "topic too long");
            goto out;
        }
        snprintf(out->topic, sizeof out->topic, "%s", t);
        if (ts && json_millis(ts, &out->ts)) {
            rc = fail(KLINE_JSON_FIELD, why, why_len, "%s: \"ts\" is not milliseconds", t);
            goto out;
        }
        if (strncmp(t, "kline.", 6) == 0)
            rc = parse_kline(root, t, out, why, why_len);
        else if (strncmp(t, "tickers.", 8) == 0)
            rc = parse_ticker(root, t, out, why, why_len);
        else
            rc = KLINE_JSON_OK;                     /* another topic: BYBIT_MSG_OTHER */
    } else if (json_is_string(op)) {
        rc = parse_op(root, json_string_value(op), out, why, why_len);
    } else {
        rc = fail(KLINE_JSON_NOT_KLINE, why, why_len, "neither a topic push nor an op reply");
    }
out:
    json_decref(root);
    if (rc != KLINE_JSON_OK)
        out->type = BYBIT_MSG_OTHER;
    return rc;
}

void bybit_ticker_merge(struct bybit_ticker *state, const struct bybit_ticker *push)
{
    if (push->snapshot || strcmp(state->symbol, push->symbol) != 0) {
        *state = *push;
        return;
    }
    if (push->have & BYBIT_T_LAST) state->last = push->last;
    if (push->have & BYBIT_T_MARK) state->mark = push->mark;
    if (push->have & BYBIT_T_INDEX) state->index = push->index;
    if (push->have & BYBIT_T_FUNDING) state->funding_rate = push->funding_rate;
    if (push->have & BYBIT_T_NEXT_FUNDING) state->next_funding_ms = push->next_funding_ms;
    if (push->have & BYBIT_T_BID) state->bid = push->bid;
    if (push->have & BYBIT_T_ASK) state->ask = push->ask;
    state->have |= push->have;
    state->ts = push->ts;
}

static bool plain(const char *s)
{
    for (; *s; s++)
        if (*s == '"' || *s == '\\' || (unsigned char)*s < 0x20)
            return false;
    return true;
}

int bybit_format_subscribe(char *buf, size_t len, const char *op, const char *req_id, const char *const *topics,
                           size_t n)
{
    if (n == 0 || n > BYBIT_SPOT_ARGS_MAX || !plain(op) || !plain(req_id ? req_id : ""))
        return -1;
    int w = snprintf(buf, len, "{\"req_id\":\"%s\",\"op\":\"%s\",\"args\":[", req_id ? req_id : "", op);
    if (w < 0 || (size_t)w >= len)
        return -1;
    size_t at = (size_t)w;
    for (size_t i = 0; i < n; i++) {
        if (!plain(topics[i]))
            return -1;
        w = snprintf(buf + at, len - at, "%s\"%s\"", i ? "," : "", topics[i]);
        if (w < 0 || (size_t)w >= len - at)
            return -1;
        at += (size_t)w;
    }
    w = snprintf(buf + at, len - at, "]}");
    if (w < 0 || (size_t)w >= len - at)
        return -1;
    return (int)(at + (size_t)w);
}

int bybit_format_ping(char *buf, size_t len, const char *req_id)
{
    if (!plain(req_id ? req_id : ""))
        return -1;
    int w = snprintf(buf, len, "{\"req_id\":\"%s\",\"op\":\"ping\"}", req_id ? req_id : "");
    return (w < 0 || (size_t)w >= len) ? -1 : w;
}

int bybit_topic_kline(char *buf, size_t len, int tf, const char *symbol)
{
    const char *iv = bybit_interval(tf);
    if (!iv)
        return -1;
    int w = snprintf(buf, len, "kline.%s.%s", iv, symbol);
    return (w < 0 || (size_t)w >= len) ? -1 : w;
}

int bybit_topic_ticker(char *buf, size_t len, const char *symbol)
{
    int w = snprintf(buf, len, "tickers.%s", symbol);
    return (w < 0 || (size_t)w >= len) ? -1 : w;
}
