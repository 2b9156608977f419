/* Bybit's kline path against Binance's, in one run on one core: the same candles
 * (the bundled BTCUSDT 1m data, 3 updates per candle over 4 symbols) as Bybit V5
 * kline pushes through bybit_ws_parse -> engine_step, and as Binance combined-
 * stream events through kline_json_parse -> engine_step, each on a fresh engine.
 * They run in turns of a few thousand messages, alternating which goes first,
 * so a busy machine's slow moments hurt both alike. Prints messages/s and the ratio Bybit / Binance (the
 * goal: within 20 %, a ratio >= 0.80). Not part of `make check`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "alphapulse/bybit_parse.h"
#include "alphapulse/candle_csv.h"
#include "alphapulse/engine.h"
#include "alphapulse/kline_json.h"

#define SYMS 4

static const char *const NAMES[SYMS] = { "BTCUSDT", "ETHUSDT", "SOLUSDT", "BNBUSDT" };

static int64_t ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Bybit's push as the exchange writes it: decimals as strings, times as numbers. */
static int bybit_format(const struct kline_event *ev, char *buf, size_t len)
{
    const struct candle *c = &ev->c;
    int w = snprintf(buf, len,
        "{\"topic\":\"kline.1.%s\",\"data\":[{\"start\":%lld,\"end\":%lld,\"interval\":\"1\",\"open\":\"%.8f\","
        "\"close\":\"%.8f\",\"high\":\"%.8f\",\"low\":\"%.8f\",\"volume\":\"%.8f\",\"turnover\":\"%.8f\","
        "\"confirm\":%s,\"timestamp\":%lld}],\"ts\":%lld,\"type\":\"snapshot\"}",
        ev->symbol, (long long)c->open_time, (long long)(c->open_time + 59999), c->open, c->close, c->high, c->low,
        c->volume, c->quote_volume, ev->closed ? "true" : "false", (long long)ev->event_time,
        (long long)ev->event_time);
    return (w < 0 || (size_t)w >= len) ? -1 : w;
}

#define CHUNK 5000

/* Both paths in turn, CHUNK messages at a time, so a busy machine's slow and fast
 * moments fall on both alike; each on its own engine. */
struct side { struct engine *e; double parse_s, all_s; size_t bad; };

static void chunk_binance(struct side *sd, char **msg, size_t *len, size_t a, size_t b)
{
    struct engine_event ev = { .type = EE_KLINE };
    char why[128];
    int64_t t0 = ns();
    for (size_t i = a; i < b; i++)
        sd->bad += kline_json_parse(msg[i], len[i], &ev.u.k, why, sizeof why) != KLINE_JSON_OK;
    int64_t t1 = ns();
    for (size_t i = a; i < b; i++) {
        kline_json_parse(msg[i], len[i], &ev.u.k, why, sizeof why);
        engine_step(sd->e, &ev);
    }
    sd->parse_s += (double)(t1 - t0) / 1e9;
    sd->all_s += (double)(ns() - t1) / 1e9;
}

static void chunk_bybit(struct side *sd, char **msg, size_t *len, size_t a, size_t b)
{
    static struct bybit_msg m;
    struct engine_event ev = { .type = EE_KLINE };
    char why[128];
    int64_t t0 = ns();
    for (size_t i = a; i < b; i++)
        sd->bad += bybit_ws_parse(msg[i], len[i], &m, why, sizeof why) != KLINE_JSON_OK || m.n_klines != 1;
    int64_t t1 = ns();
    for (size_t i = a; i < b; i++) {
        if (bybit_ws_parse(msg[i], len[i], &m, why, sizeof why) != KLINE_JSON_OK)
            continue;
        for (size_t j = 0; j < m.n_klines; j++) {
            ev.u.k = m.klines[j];
            engine_step(sd->e, &ev);
        }
    }
    sd->parse_s += (double)(t1 - t0) / 1e9;
    sd->all_s += (double)(ns() - t1) / 1e9;
}

static uint64_t rejected(const struct engine *e)
{
    struct snapshot *snap = calloc(1, sizeof *snap);   /* its tables start empty */
    if (!snap)
        return 0;
    engine_snapshot(e, 0, TF_1M, snap);
    uint64_t r = snap->rejected;
    snapshot_free(snap);
    return r;
}

int main(int argc, char **argv)
{
    const char *csv = argc > 1 ? argv[1] : "data/binance_BTCUSDT_1m_2024.csv";
    struct candle *c;
    size_t n;
    char err[256];
    if (candle_csv_load(csv, &c, &n, err, sizeof err)) {
        fprintf(stderr, "bench_bybit_feed: %s\n", err);
        return 1;
    }
    size_t total = n * 3 * SYMS, m = 0;
    char **bin = malloc(total * sizeof *bin), **byb = malloc(total * sizeof *byb);
    size_t *bin_len = malloc(total * sizeof *bin_len), *byb_len = malloc(total * sizeof *byb_len);
    for (size_t i = 0; i < n; i++)
        for (int phase = 0; phase < 3; phase++)
            for (int s = 0; s < SYMS; s++) {
                struct kline_event ev = { .tf = TF_1M, .closed = phase == 2, .c = c[i] };
                snprintf(ev.symbol, sizeof ev.symbol, "%s", NAMES[s]);
                ev.event_time = c[i].open_time + 20000 * (phase + 1) - 1;
                if (phase < 2) {
                    ev.c.close = c[i].open;
                    ev.c.high = c[i].open > ev.c.high ? c[i].open : ev.c.high;
                }
                char buf[1024];
                int w = kline_json_format(&ev, buf, sizeof buf);
                bin[m] = strdup(buf);
                bin_len[m] = (size_t)w;
                w = bybit_format(&ev, buf, sizeof buf);
                byb[m] = strdup(buf);
                byb_len[m] = (size_t)w;
                m++;
            }
    struct engine_config cfg;
    struct instrument inst[INSTRUMENTS_MAX] = { 0 };
    engine_config_defaults(&cfg);
    cfg.inst = inst;
    cfg.n_symbols = SYMS;
    for (int s = 0; s < SYMS; s++) {
        snprintf(inst[s].symbol, SYMBOL_MAX, "%s", NAMES[s]);
        snprintf(inst[s].base, sizeof inst[s].base, "%.3s", NAMES[s]);
        snprintf(inst[s].quote, sizeof inst[s].quote, "USDT");
    }
    struct side sb = { .e = engine_create(&cfg, NULL) }, sy = { .e = engine_create(&cfg, NULL) };
    for (size_t a = 0; a < m; a += CHUNK) {
        size_t b = a + CHUNK < m ? a + CHUNK : m;
        if ((a / CHUNK) % 2) {                   /* alternate which goes first */
            chunk_bybit(&sy, byb, byb_len, a, b);
            chunk_binance(&sb, bin, bin_len, a, b);
        } else {
            chunk_binance(&sb, bin, bin_len, a, b);
            chunk_bybit(&sy, byb, byb_len, a, b);
        }
    }
    printf("bench_bybit_feed: %zu messages (%zu candles x 3 updates x %d symbols) per venue, in turns of %d\n", m,
           n, SYMS, CHUNK);
    printf("binance: parse errors %zu, engine rejected %llu; parse only %.0f msg/s; parse + engine_step %.0f msg/s\n",
           sb.bad, (unsigned long long)rejected(sb.e), (double)m / sb.parse_s, (double)m / sb.all_s);
    printf("bybit:   parse errors %zu, engine rejected %llu; parse only %.0f msg/s; parse + engine_step %.0f msg/s\n",
           sy.bad, (unsigned long long)rejected(sy.e), (double)m / sy.parse_s, (double)m / sy.all_s);
    double ratio = sb.all_s / sy.all_s;
    printf("ratio bybit / binance (parse + engine_step): %.2f (parse only: %.2f); goal >= 0.80: %s\n", ratio,
           sb.parse_s / sy.parse_s, ratio >= 0.80 ? "met" : "NOT met");
    engine_destroy(sb.e);
    engine_destroy(sy.e);
    for (size_t i = 0; i < m; i++) {
        free(bin[i]);
        free(byb[i]);
    }
    free(bin);
    free(byb);
    free(bin_len);
    free(byb_len);
    free(c);
    return 0;
}
