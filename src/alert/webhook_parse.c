/* The inbound alert body parser: pure (no I/O, no globals) so the fuzzer and the
 * unit tests drive exactly what the server runs. Strict on purpose: a body that
 * is not exactly one well-formed alert is refused, never guessed at. */
#include "alphapulse/webhook.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "alphapulse/symbol_id.h"

static int perr(char *err, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int perr(char *err, size_t n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, n, fmt, ap);
    va_end(ap);
    return -1;
}

bool webhook_token_equal(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b), n = la > lb ? la : lb;
    volatile unsigned char diff = (unsigned char)(la != lb);
    for (size_t i = 0; i < n; i++) {
        unsigned char x = i < la ? (unsigned char)a[i] : 0, y = i < lb ? (unsigned char)b[i] : 0;
        diff |= x ^ y;
    }
    return diff == 0 && la > 0;
}

static int parse_side(const char *s, size_t len, int *side)
{
    static const struct { const char *w; int side; } words[] = {
        { "buy", 1 }, { "long", 1 }, { "sell", -1 }, { "short", -1 },
    };
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (strlen(words[i].w) == len && strncasecmp(s, words[i].w, len) == 0) {
            *side = words[i].side;
            return 0;
        }
    return -1;
}

/* "BTCUSDT", "btcusdt", "BINANCE:BTCUSDT" (TradingView's ticker spelling),
 * "bybit:ETHUSDT": canonical (symbol_id.h); the engine refuses symbols it does
 * not hold. */
static int parse_symbol(const char *s, size_t len, char out[SYMBOL_MAX])
{
    struct symbol_id id;
    char why[160];
    if (symbol_id_parse(s, len, NULL, &id, why, sizeof why) || strlen(id.symbol) < 2)
        return -1;
    symbol_id_format(&id, out);
    return 0;
}

/* A positive finite decimal, whole text: "65000.5", "1e3". */
static int parse_price(const char *s, size_t len, double *out)
{
    char buf[64];
    if (len == 0 || len >= sizeof buf)
        return -1;
    memcpy(buf, s, len);
    buf[len] = 0;
    for (size_t i = 0; i < len; i++)
        if (!isdigit((unsigned char)buf[i]) && !strchr(".eE+-", buf[i]))
            return -1;
    char *end;
    double v = strtod(buf, &end);
    if (*end || !isfinite(v) || v <= 0)
        return -1;
    *out = v;
    return 0;
}

static int parse_tf(const char *s, size_t len, char out[8])
{
    if (len == 0 || len >= 8)
        return -1;
    for (size_t i = 0; i < len; i++)
        if (!isalnum((unsigned char)s[i]))
            return -1;
    memcpy(out, s, len);
    out[len] = 0;
    return 0;
}

/* Free text for the journal: control characters become spaces, long text is cut
 * at a character boundary. */
static void copy_message(const char *s, size_t len, char *out, size_t size)
{
    size_t o = 0;
    for (size_t i = 0; i < len && o + 1 < size; i++) {
        unsigned char c = (unsigned char)s[i];
        out[o++] = c < 0x20 || c == 0x7f ? ' ' : (char)c;
    }
    if (len > o) {                            /* cut: never end inside a UTF-8 sequence */
        while (o > 0 && ((unsigned char)out[o - 1] & 0xC0) == 0x80)
            o--;
        if (o > 0 && ((unsigned char)out[o - 1] & 0xC0) == 0xC0)
            o--;
    }
    out[o] = 0;
}

static bool valid_utf8(const unsigned char *s, size_t len)
{
    for (size_t i = 0; i < len;) {
        unsigned char c = s[i];
        size_t n = c < 0x80 ? 0 : (c & 0xE0) == 0xC0 ? 1 : (c & 0xF0) == 0xE0 ? 2 : (c & 0xF8) == 0xF0 ? 3 : 9;
        if (n == 9 || (n == 1 && c < 0xC2) || i + n >= len + (n ? 0 : 1))
            return false;
        for (size_t k = 1; k <= n; k++)
            if ((s[i + k] & 0xC0) != 0x80)
                return false;
        i += n + 1;
    }
    return true;
}

static int check_levels(const struct webhook_signal *w, char *err, size_t n)
{
    double lo = w->side > 0 ? w->stop : w->tp, hi = w->side > 0 ? w->tp : w->stop;
    const char *side = w->side > 0 ? "buy" : "sell";
    if (w->price > 0 && w->stop > 0 && (w->side > 0 ? w->stop >= w->price : w->stop <= w->price))
        return perr(err, n, "stop %.10g is on the wrong side of price %.10g for a %s", w->stop, w->price, side);
    if (w->price > 0 && w->tp > 0 && (w->side > 0 ? w->tp <= w->price : w->tp >= w->price))
        return perr(err, n, "tp %.10g is on the wrong side of price %.10g for a %s", w->tp, w->price, side);
    if (lo > 0 && hi > 0 && lo >= hi)
        return perr(err, n, "stop and tp are the wrong way round for a %s", side);
    return 0;
}

static int parse_json(const char *body, size_t len, struct webhook_signal *w, char *err, size_t n)
{
    json_error_t je;
    json_t *root = json_loadb(body, len, JSON_REJECT_DUPLICATES, &je);
    if (!root)
        return perr(err, n, "malformed JSON at line %d column %d: %s", je.line, je.column, je.text);
    int rc = -1;
    const char *key;
    json_t *v;
    bool has_side = false, has_symbol = false;
    if (!json_is_object(root)) {
        perr(err, n, "expected a JSON object");
        goto out;
    }
    json_object_foreach(root, key, v) {
        const char *s = json_is_string(v) ? json_string_value(v) : NULL;
        size_t sl = s ? json_string_length(v) : 0;
        if (s && strlen(s) != sl) {
            perr(err, n, "%s: NUL character in the string", key);
            goto out;
        }
        if (strcmp(key, "symbol") == 0) {
            if (!s || parse_symbol(s, sl, w->symbol)) {
                perr(err, n, "symbol: expected letters and digits such as \"BTCUSDT\"");
                goto out;
            }
            has_symbol = true;
        } else if (strcmp(key, "side") == 0) {
            if (!s || parse_side(s, sl, &w->side)) {
                perr(err, n, "side: expected \"buy\" or \"sell\" (or long, short)");
                goto out;
            }
            has_side = true;
        } else if (strcmp(key, "price") == 0 || strcmp(key, "stop") == 0 || strcmp(key, "tp") == 0) {
            double *dst = key[0] == 'p' ? &w->price : key[0] == 's' ? &w->stop : &w->tp;
            if (json_is_number(v)) {
                *dst = json_number_value(v);
                if (!isfinite(*dst) || *dst <= 0) {
                    perr(err, n, "%s: expected a positive number", key);
                    goto out;
                }
            } else if (!s || parse_price(s, sl, dst)) {
                perr(err, n, "%s: expected a positive number", key);
                goto out;
            }
        } else if (strcmp(key, "timeframe") == 0) {
            if (!s || parse_tf(s, sl, w->timeframe)) {
                perr(err, n, "timeframe: expected up to 7 letters and digits such as \"1h\"");
                goto out;
            }
        } else if (strcmp(key, "token") == 0) {
            if (!s || sl == 0 || sl >= sizeof w->token) {
                perr(err, n, "token: expected a string of 1 to %zu characters", sizeof w->token - 1);
                goto out;
            }
            memcpy(w->token, s, sl + 1);
        } else if (strcmp(key, "message") == 0) {
            if (!s) {
                perr(err, n, "message: expected a string");
                goto out;
            }
            copy_message(s, sl, w->message, sizeof w->message);
        } else {
            perr(err, n, "unknown key \"%.40s\" (expected symbol, side, price, stop, tp, timeframe, token, message)",
                 key);
            goto out;
        }
    }
    if (!has_symbol || !has_side) {
        perr(err, n, "missing %s", !has_symbol ? "\"symbol\"" : "\"side\"");
        goto out;
    }
    rc = check_levels(w, err, n);
out:
    json_decref(root);
    return rc;
}

/* "BUY BTCUSDT sl=… tp=… price=… tf=… token=… free text" on one line. */
static int parse_text(const char *body, size_t len, struct webhook_signal *w, char *err, size_t n)
{
    while (len && (body[len - 1] == '\n' || body[len - 1] == '\r' || body[len - 1] == ' '))
        len--;
    for (size_t i = 0; i < len; i++)
        if (body[i] == '\n' || body[i] == '\r')
            return perr(err, n, "expected one line of text");
        else if ((unsigned char)body[i] < 0x20 && body[i] != '\t')
            return perr(err, n, "control character at byte %zu", i);
    if (!valid_utf8((const unsigned char *)body, len))
        return perr(err, n, "text is not valid UTF-8");
    size_t i = 0;
    int word = 0;
    while (i < len) {
        while (i < len && (body[i] == ' ' || body[i] == '\t'))
            i++;
        if (i == len)
            break;
        size_t s = i;
        while (i < len && body[i] != ' ' && body[i] != '\t')
            i++;
        const char *t = body + s;
        size_t tl = i - s;
        if (word == 0) {
            if (parse_side(t, tl, &w->side))
                return perr(err, n, "expected BUY or SELL first, got \"%.*s\"", (int)(tl > 20 ? 20 : tl), t);
        } else if (word == 1) {
            if (parse_symbol(t, tl, w->symbol))
                return perr(err, n, "expected a symbol such as BTCUSDT second");
        } else {
            const char *eq = memchr(t, '=', tl);
            if (!eq) {                        /* the rest of the line is the message */
                copy_message(t, len - s, w->message, sizeof w->message);
                break;
            }
            size_t kl = (size_t)(eq - t), vl = tl - kl - 1;
            const char *v = eq + 1;
#define KEY(k) (kl == strlen(k) && strncasecmp(t, k, kl) == 0)
            if (KEY("sl") || KEY("stop")) {
                if (parse_price(v, vl, &w->stop))
                    return perr(err, n, "sl: expected a positive number");
            } else if (KEY("tp")) {
                if (parse_price(v, vl, &w->tp))
                    return perr(err, n, "tp: expected a positive number");
            } else if (KEY("price")) {
                if (parse_price(v, vl, &w->price))
                    return perr(err, n, "price: expected a positive number");
            } else if (KEY("tf")) {
                if (parse_tf(v, vl, w->timeframe))
                    return perr(err, n, "tf: expected up to 7 letters and digits such as 1h");
            } else if (KEY("token")) {
                if (vl == 0 || vl >= sizeof w->token)
                    return perr(err, n, "token: expected 1 to %zu characters", sizeof w->token - 1);
                memcpy(w->token, v, vl);
                w->token[vl] = 0;
            } else {
                return perr(err, n, "unknown field \"%.*s\" (expected sl, tp, price, tf, token)",
                            (int)(kl > 20 ? 20 : kl), t);
            }
#undef KEY
        }
        word++;
    }
    if (word < 2)
        return perr(err, n, "expected \"BUY|SELL SYMBOL [sl=N] [tp=N] [price=N] [tf=1h] [token=T] [text]\"");
    return check_levels(w, err, n);
}

int webhook_parse_body(const char *body, size_t len, struct webhook_signal *out, char *err, size_t err_len)
{
    memset(out, 0, sizeof *out);
    if (!body || len == 0)
        return perr(err, err_len, "empty body");
    if (len > WEBHOOK_BODY_MAX)
        return perr(err, err_len, "body of %zu bytes is over the %d byte limit", len, WEBHOOK_BODY_MAX);
    if (memchr(body, 0, len))
        return perr(err, err_len, "NUL byte in the body");
    size_t i = 0;
    while (i < len && (body[i] == ' ' || body[i] == '\t' || body[i] == '\r' || body[i] == '\n'))
        i++;
    int rc = i < len && body[i] == '{' ? parse_json(body, len, out, err, err_len)
                                       : parse_text(body + i, len - i, out, err, err_len);
    if (rc) {
        char keep[200];
        snprintf(keep, sizeof keep, "%s", err);
        memset(out, 0, sizeof *out);
        snprintf(err, err_len, "%s", keep);
    }
    return rc;
}
