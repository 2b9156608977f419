/* Feed throughput and latency: Binance combined-stream kline messages through
 * kline_json_parse -> engine_step, in one thread, as the live feed and engine
 * threads do per message. Latency is from "frame received" (just before parsing)
 * to "candle applied" (engine_step returned). Messages come from the bundled
 * BTCUSDT 1m data, 3 per candle (two partial updates and the close), over 4
 * symbols. Prints plain lines; not part of `make check`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "alphapulse/candle_csv.h"
#include "alphapulse/engine.h"
#include "alphapulse/kline_json.h"

#define SYMS 4

static int64_t ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int cmp64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    const char *csv = argc > 1 ? argv[1] : "data/binance_BTCUSDT_1m_2024.csv";
    struct candle *c;
    size_t n;
    char err[256];
    if (candle_csv_load(csv, &c, &n, err, sizeof err)) {
        fprintf(stderr, "bench_feed: %s\n", err);
        return 1;
    }
    static const char *const names[SYMS] = { "BTCUSDT", "ETHUSDT", "SOLUSDT", "BNBUSDT" };
    size_t total = n * 3 * SYMS;
    char **msg = malloc(total * sizeof *msg);
    size_t *len = malloc(total * sizeof *len);
    int64_t *lat = malloc(total * sizeof *lat);
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        for (int phase = 0; phase < 3; phase++)
            for (int s = 0; s < SYMS; s++) {
                struct kline_event ev = { .tf = TF_1M, .closed = phase == 2, .c = c[i] };
                snprintf(ev.symbol, sizeof ev.symbol, "%s", names[s]);
                ev.event_time = c[i].open_time + 20000 * (phase + 1) - 1;
                if (phase < 2) {                      /* a valid partial: close at the open so far */
                    ev.c.close = c[i].open;
                    ev.c.high = c[i].open > ev.c.high ? c[i].open : ev.c.high;
                }
                char buf[1024];
                int w = kline_json_format(&ev, buf, sizeof buf);
                msg[m] = malloc((size_t)w + 1);
                memcpy(msg[m], buf, (size_t)w + 1);
                len[m++] = (size_t)w;
            }
    struct engine_config cfg;
    struct instrument inst[INSTRUMENTS_MAX] = { 0 };
    engine_config_defaults(&cfg);
    cfg.inst = inst;
    cfg.n_symbols = SYMS;
    for (int s = 0; s < SYMS; s++) {
        snprintf(inst[s].symbol, SYMBOL_MAX, "%s", names[s]);
        snprintf(inst[s].base, sizeof inst[s].base, "%.3s", names[s]);
        snprintf(inst[s].quote, sizeof inst[s].quote, "USDT");
    }
    /* parse alone, then the whole path, on fresh engines */
    struct kline_event k;
    char why[128];
    int64_t t0 = ns();
    size_t bad = 0;
    for (size_t i = 0; i < m; i++)
        bad += kline_json_parse(msg[i], len[i], &k, why, sizeof why) != KLINE_JSON_OK;
    double parse_s = (double)(ns() - t0) / 1e9;
    struct engine *e = engine_create(&cfg, NULL);
    struct engine_event ev = { .type = EE_KLINE };
    t0 = ns();
    for (size_t i = 0; i < m; i++) {
        int64_t r = ns();
        kline_json_parse(msg[i], len[i], &ev.u.k, why, sizeof why);
        ev.u.k.recv_ns = r;
        engine_step(e, &ev);
        lat[i] = ns() - r;
    }
    double all_s = (double)(ns() - t0) / 1e9;
    struct snapshot *snap = calloc(1, sizeof *snap);
    engine_snapshot(e, 0, TF_1M, snap);
    qsort(lat, m, sizeof *lat, cmp64);
    printf("bench_feed: %zu messages (%zu candles x 3 updates x %d symbols), %zu parse errors, engine rejected %llu\n",
           m, n, SYMS, bad, (unsigned long long)snap->rejected);
    printf("parse only:            %.0f messages/s\n", (double)m / parse_s);
    printf("parse + engine_step:   %.0f messages/s (one core)\n", (double)m / all_s);
    printf("latency frame->applied: p50 %.2f us, p99 %.2f us, p99.9 %.2f us, max %.2f us\n",
           (double)lat[m / 2] / 1e3, (double)lat[m * 99 / 100] / 1e3, (double)lat[m * 999 / 1000] / 1e3,
           (double)lat[m - 1] / 1e3);
    printf("target (SPEC): >= 500000 messages/s, p99 < 100 us: %s\n",
           (double)m / all_s >= 500000 && lat[m * 99 / 100] < 100000 ? "met" : "NOT met");
    engine_destroy(e);
    for (size_t i = 0; i < m; i++)
        free(msg[i]);
    free(msg);
    free(len);
    free(lat);
    snapshot_free(snap);
    free(c);
    return 0;
}
