/* kline_json_parse against jansson on the same Binance combined-stream kline
 * messages (built from the bundled BTCUSDT 1m data, partial and closed updates):
 * messages/s for each, best of 5, and the ratio. The jansson side makes the same
 * decisions (duplicate keys refused, decimal strings read with strtod, candle
 * rules) and must produce the same events, which is checked before timing. */
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "alphapulse/candle_csv.h"
#include "alphapulse/kline_json.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int decimal_of(json_t *k, const char *key, double *out)
{
    json_t *v = json_object_get(k, key);
    if (json_is_number(v)) {
        *out = json_number_value(v);
        return 0;
    }
    if (!json_is_string(v))
        return -1;
    const char *s = json_string_value(v);
    char *end;
    errno = 0;
    *out = strtod(s, &end);
    return end == s || *end || errno == ERANGE ? -1 : 0;
}

static int jansson_parse(const char *buf, size_t len, struct kline_event *out)
{
    json_error_t err;
    json_t *root = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &err);
    if (!root)
        return KLINE_JSON_SYNTAX;
    int rc = KLINE_JSON_OK;
    json_t *ev = json_is_object(json_object_get(root, "data")) ? json_object_get(root, "data") : root;
    json_t *type = json_object_get(ev, "e"), *k = json_object_get(ev, "k");
    if (!json_is_string(type) || strcmp(json_string_value(type), "kline") != 0 || !json_is_object(k)) {
        rc = KLINE_JSON_NOT_KLINE;
        goto done;
    }
    memset(out, 0, sizeof *out);
    json_t *sym = json_object_get(k, "s"), *iv = json_object_get(k, "i"), *x = json_object_get(k, "x");
    json_t *t = json_object_get(k, "t");
    if (!json_is_string(sym) || json_string_length(sym) == 0 || json_string_length(sym) >= SYMBOL_MAX ||
        !json_is_string(iv) || tf_parse(json_string_value(iv)) < 0 || !json_is_boolean(x) || !json_is_integer(t) ||
        decimal_of(k, "o", &out->c.open) || decimal_of(k, "h", &out->c.high) || decimal_of(k, "l", &out->c.low) ||
        decimal_of(k, "c", &out->c.close) || decimal_of(k, "v", &out->c.volume)) {
        rc = KLINE_JSON_FIELD;
        goto done;
    }
    out->c.open_time = json_integer_value(t);
    if (decimal_of(k, "q", &out->c.quote_volume))
        out->c.quote_volume = 0;
    json_t *n = json_object_get(k, "n"), *e = json_object_get(ev, "E");
    out->c.trades = json_is_integer(n) ? json_integer_value(n) : 0;
    out->event_time = json_is_integer(e) ? json_integer_value(e) : out->c.open_time;
    const char *s = json_string_value(sym);
    for (size_t i = 0; s[i]; i++)
        out->symbol[i] = (char)(s[i] >= 'a' && s[i] <= 'z' ? s[i] - 32 : s[i]);
    out->tf = tf_parse(json_string_value(iv));
    out->closed = json_is_true(x);
    if (candle_check(&out->c) != CANDLE_OK)
        rc = KLINE_JSON_VALUE;
done:
    json_decref(root);
    return rc;
}

static bool same(const struct kline_event *a, const struct kline_event *b)
{
    return strcmp(a->symbol, b->symbol) == 0 && a->tf == b->tf && a->closed == b->closed &&
           a->event_time == b->event_time && a->c.open_time == b->c.open_time && a->c.open == b->c.open &&
           a->c.high == b->c.high && a->c.low == b->c.low && a->c.close == b->c.close &&
           a->c.volume == b->c.volume && a->c.quote_volume == b->c.quote_volume && a->c.trades == b->c.trades;
}

int main(int argc, char **argv)
{
    const char *csv = argc > 1 ? argv[1] : "data/binance_BTCUSDT_1m_2024.csv";
    struct candle *c;
    size_t n;
    char err[256];
    if (candle_csv_load(csv, &c, &n, err, sizeof err)) {
        fprintf(stderr, "bench_kline_json: %s\n", err);
        return 1;
    }
    size_t m = n * 3;
    char **msg = malloc(m * sizeof *msg);
    size_t *len = malloc(m * sizeof *len);
    if (!msg || !len)
        return 1;
    for (size_t i = 0; i < m; i++) {
        struct kline_event ev = { .tf = TF_1M, .closed = i % 3 == 2, .c = c[i / 3] };
        snprintf(ev.symbol, sizeof ev.symbol, "BTCUSDT");
        ev.event_time = ev.c.open_time + 20000 * (int64_t)(i % 3 + 1) - 1;
        ev.c.quote_volume = ev.c.volume * ev.c.close;
        ev.c.trades = 1000 + (int64_t)(i % 977);
        char buf[1024];
        int w = kline_json_format(&ev, buf, sizeof buf);
        msg[i] = malloc((size_t)w + 1);
        memcpy(msg[i], buf, (size_t)w + 1);
        len[i] = (size_t)w;
    }
    size_t differ = 0, failed = 0;
    for (size_t i = 0; i < m; i++) {
        struct kline_event a, b;
        int ra = kline_json_parse(msg[i], len[i], &a, NULL, 0), rb = jansson_parse(msg[i], len[i], &b);
        failed += ra != KLINE_JSON_OK;
        differ += ra != rb || (ra == KLINE_JSON_OK && !same(&a, &b));
    }
    printf("bench_kline_json: %zu messages of about %zu bytes, %zu not parsed, %zu differ from jansson\n", m,
           m ? (size_t)(len[m / 2]) : 0, failed, differ);
    double best_k = 1e9, best_j = 1e9;
    volatile long sink = 0;
    for (int r = 0; r < 5; r++) {
        struct kline_event ev;
        double a = now();
        for (size_t i = 0; i < m; i++)
            sink += kline_json_parse(msg[i], len[i], &ev, NULL, 0);
        double b = now();
        for (size_t i = 0; i < m; i++)
            sink += jansson_parse(msg[i], len[i], &ev);
        double t = now();
        best_k = b - a < best_k ? b - a : best_k;
        best_j = t - b < best_j ? t - b : best_j;
    }
    printf("kline parse kline_json: %.0f messages/s\n", (double)m / best_k);
    printf("kline parse jansson: %.0f messages/s\n", (double)m / best_j);
    printf("ratio kline_json/jansson (messages/s): %.2f\n", best_j / best_k);
    for (size_t i = 0; i < m; i++)
        free(msg[i]);
    free(msg);
    free(len);
    free(c);
    return differ != 0;
}
