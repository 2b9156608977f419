/* Bybit's kline path against Binance's, in one run on one core: the same candles
 * (the bundled BTCUSDT 1m data, 3 updates per candle over 4 symbols) as Bybit V5
 * kline pushes through bybit_ws_parse -> engine_step, and as Binance combined-
 * stream events through kline_json_parse -> engine_step, each on a fresh engine.
 * Both run twice in turn (B Y B Y) and the better run of each counts, so a busy
 * machine hurts both alike. Prints messages/s and the ratio Bybit / Binance (the
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

struct run { double parse_s, all_s; size_t bad; uint64_t rejected; };

static void run_binance(const struct engine_config *cfg, char **msg, size_t *len, size_t m, struct run *r)
{
    struct kline_event k;
    char why[128];
    int64_t t0 = ns();
    r->bad = 0;
    for (size_t i = 0; i < m; i++)
        r->bad += kline_json_parse(msg[i], len[i], &k, why, sizeof why) != KLINE_JSON_OK;
    r->parse_s = (double)(ns() - t0) / 1e9;
    struct engine *e = engine_create(cfg, NULL);
    struct engine_event ev = { .type = EE_KLINE };
    t0 = ns();
    for (size_t i = 0; i < m; i++) {
        kline_json_parse(msg[i], len[i], &ev.u.k, why, sizeof why);
        engine_step(e, &ev);
    }
    r->all_s = (double)(ns() - t0) / 1e9;
    struct snapshot *snap = malloc(sizeof *snap);
    engine_snapshot(e, 0, TF_1M, snap);
    r->rejected = snap->rejected;
    free(snap);
    engine_destroy(e);
}

static void run_bybit(const struct engine_config *cfg, char **msg, size_t *len, size_t m, struct run *r)
{
    static struct bybit_msg b;
    char why[128];
    int64_t t0 = ns();
    r->bad = 0;
    for (size_t i = 0; i < m; i++)
        r->bad += bybit_ws_parse(msg[i], len[i], &b, why, sizeof why) != KLINE_JSON_OK || b.n_klines != 1;
    r->parse_s = (double)(ns() - t0) / 1e9;
    struct engine *e = engine_create(cfg, NULL);
    struct engine_event ev = { .type = EE_KLINE };
    t0 = ns();
    for (size_t i = 0; i < m; i++) {
        if (bybit_ws_parse(msg[i], len[i], &b, why, sizeof why) != KLINE_JSON_OK)
            continue;
        for (size_t j = 0; j < b.n_klines; j++) {
            ev.u.k = b.klines[j];
            engine_step(e, &ev);
        }
    }
    r->all_s = (double)(ns() - t0) / 1e9;
    struct snapshot *snap = malloc(sizeof *snap);
    engine_snapshot(e, 0, TF_1M, snap);
    r->rejected = snap->rejected;
    free(snap);
    engine_destroy(e);
}

static void keep_best(struct run *best, const struct run *r)
{
    if (best->all_s == 0 || r->all_s < best->all_s)
        best->all_s = r->all_s;
    if (best->parse_s == 0 || r->parse_s < best->parse_s)
        best->parse_s = r->parse_s;
    best->bad = r->bad;
    best->rejected = r->rejected;
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
    struct run rb = { 0 }, ry = { 0 }, r;
    for (int round = 0; round < 2; round++) {
        run_binance(&cfg, bin, bin_len, m, &r);
        keep_best(&rb, &r);
        run_bybit(&cfg, byb, byb_len, m, &r);
        keep_best(&ry, &r);
    }
    printf("bench_bybit_feed: %zu messages (%zu candles x 3 updates x %d symbols) per venue, best of 2 runs each\n",
           m, n, SYMS);
    printf("binance: parse errors %zu, engine rejected %llu; parse only %.0f msg/s; parse + engine_step %.0f msg/s\n",
           rb.bad, (unsigned long long)rb.rejected, (double)m / rb.parse_s, (double)m / rb.all_s);
    printf("bybit:   parse errors %zu, engine rejected %llu; parse only %.0f msg/s; parse + engine_step %.0f msg/s\n",
           ry.bad, (unsigned long long)ry.rejected, (double)m / ry.parse_s, (double)m / ry.all_s);
    double ratio = rb.all_s / ry.all_s;
    printf("ratio bybit / binance (parse + engine_step): %.2f (parse only: %.2f); goal >= 0.80: %s\n", ratio,
           rb.parse_s / ry.parse_s, ratio >= 0.80 ? "met" : "NOT met");
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
