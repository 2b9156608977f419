/* Storage benchmark: candle rows per second through the real store thread (queue,
 * batched transactions, prepared statements, WAL), the time to load the startup
 * set (the last 2000 candles of every series, into a fresh engine) with about a
 * million candles stored, and the database size per million candles.
 * usage: bench_store [DIR] [ROWS_PER_SYMBOL_1M]; plain lines, figure then target. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "alphapulse/record.h"
#include "alphapulse/store.h"

#define SYMBOLS 4
#define RESTORE 2000

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static const char *const NAMES[SYMBOLS] = { "BTCUSDT", "ETHUSDT", "SOLUSDT", "BNBUSDT" };

static void config(struct engine_config *cfg)
{
    static struct instrument inst[SYMBOLS];
    engine_config_defaults(cfg);
    cfg->inst = inst;
    cfg->n_symbols = SYMBOLS;
    for (int i = 0; i < SYMBOLS; i++) {
        snprintf(inst[i].symbol, SYMBOL_MAX, "%s", NAMES[i]);
        snprintf(inst[i].base, 12, "%.3s", NAMES[i]);
        snprintf(inst[i].quote, 12, "USDT");
    }
    cfg->history = RESTORE;
}

int main(int argc, char **argv)
{
    char dir[256], path[300], err[512];
    if (argc > 1)
        snprintf(dir, sizeof dir, "%s", argv[1]);
    else {
        snprintf(dir, sizeof dir, "/tmp/ap-bench-XXXXXX");
        if (!mkdtemp(dir))
            return 1;
    }
    long n1 = argc > 2 ? atol(argv[2]) : 194000;   /* 1m candles per symbol: ~1.0 M rows in all */
    snprintf(path, sizeof path, "%s/bench.db", dir);
    unlink(path);
    struct store *st = store_open(path, err, sizeof err);
    if (!st) {
        fprintf(stderr, "bench_store: %s\n", err);
        return 1;
    }
    struct store_retention keep = { .step_rows = 5000 };    /* keep everything */
    store_set_retention(st, &keep);
    struct spsc q;
    spsc_init(&q, sizeof(struct record), 65536);
    store_start(st, &q);

    /* every series of every symbol, as the engine emits them: 1m and the buckets */
    const int64_t t0 = 1704067200000LL;   /* 2024-01-01 */
    uint64_t seq = 0;
    double t_start = now_s();
    for (long i = 0; i < n1; i++)
        for (int s = 0; s < SYMBOLS; s++)
            for (int tf = 0; tf < TF_COUNT; tf++) {
                int64_t step = tf_ms(tf) / 60000;
                if (i % step)
                    continue;
                struct record r = { .type = REC_CANDLE, .tf = tf, .seq = ++seq };
                memcpy(r.symbol, NAMES[s], strlen(NAMES[s]) + 1);
                double p = 40000 + (double)(i % 1000) * 0.37 + s;
                r.u.candle = (struct candle){ .open_time = t0 + i * 60000LL, .open = p, .high = p * 1.001,
                                              .low = p * 0.999, .close = p + 0.13, .volume = 12.345678 + (double)(i % 97),
                                              .quote_volume = p * 12.3, .trades = i % 500 };
                r.time = r.u.candle.open_time;
                while (!spsc_push(&q, &r))
                    nanosleep(&(struct timespec){ 0, 100000 }, NULL);
            }
    while (atomic_load(&store_ack(st)->durable_seq) < seq)
        nanosleep(&(struct timespec){ 0, 200000 }, NULL);
    double t_ins = now_s() - t_start;
    store_close(st);
    spsc_free(&q);
    printf("candle rows written: %llu in %.3f s\n", (unsigned long long)seq, t_ins);
    printf("candle insert rate: %.0f rows/s (target >= 200000)\n", seq / t_ins);

    /* a fresh process would see a checkpointed file: measure that */
    st = store_open(path, err, sizeof err);
    store_close(st);
    struct stat sb;
    stat(path, &sb);
    printf("database size: %.1f MB for %llu candles = %.1f MB per million candles\n", sb.st_size / 1e6,
           (unsigned long long)seq, sb.st_size / 1e6 / (seq / 1e6));

    /* startup: open (lock, schema check), restore into a fresh engine */
    struct engine_config cfg;
    config(&cfg);
    double best = 1e9, best_open = 1e9;
    for (int rep = 0; rep < 5; rep++) {
        struct spsc rq;
        spsc_init(&rq, sizeof(struct record), 1024);
        double a = now_s();
        st = store_open(path, err, sizeof err);
        double b = now_s();
        struct engine *e = engine_create(&cfg, &rq);
        if (!st || !e || store_restore(st, e, RESTORE)) {
            fprintf(stderr, "bench_store: restore failed\n");
            return 1;
        }
        double c = now_s();
        if (c - a < best)
            best = c - a;
        if (b - a < best_open)
            best_open = b - a;
        engine_destroy(e);
        store_close(st);
        spsc_free(&rq);
    }
    printf("startup load of %d series x %d candles from %llu stored: %.1f ms (open %.1f ms) (target < 150 ms)\n",
           SYMBOLS * TF_COUNT, RESTORE, (unsigned long long)seq, best * 1e3, best_open * 1e3);
    if (argc <= 1) {
        char cmd[300];
        snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
        if (system(cmd) != 0)
            return 1;
    }
    return 0;
}
