/* storage.trades: stored trade rows per second through the real store thread,
 * SQLite and PostgreSQL (a private server, tests/pg/pg_server.sh, run from the
 * repo root as bench/run.sh does) in the same run, and the ratio.
 * usage: bench_store_trades [TRADES] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../tests/pg_server.h"
#include "alphapulse/record.h"
#include "alphapulse/store.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* rows/s for n trades of 4 symbols, or -1 */
static double run(const char *db, long n)
{
    char err[512];
    struct store *st = store_open(db, err, sizeof err);
    if (!st) {
        fprintf(stderr, "bench_store_trades: %s\n", err);
        return -1;
    }
    static const char *const names[] = { "BTCUSDT", "ETHUSDT", "SOLUSDT", "BNBUSDT" };
    struct spsc q;
    spsc_init(&q, sizeof(struct record), 65536);
    store_start(st, &q);
    double a = now_s();
    for (long i = 0; i < n; i++) {
        struct record r = { .type = REC_TRADE, .seq = (uint64_t)i + 1, .time = 1704067200000LL + i * 50,
                            .u.trade = { (uint64_t)(i / 4) + 1, 40000 + (double)(i % 1000) * 0.01,
                                         0.001 * (double)(i % 97 + 1), i % 3 == 0 } };
        snprintf(r.symbol, SYMBOL_MAX, "%s", names[i % 4]);
        while (!spsc_push(&q, &r))
            nanosleep(&(struct timespec){ 0, 100000 }, NULL);
    }
    while (atomic_load(&store_ack(st)->durable_seq) < (uint64_t)n && !store_failing(st))
        nanosleep(&(struct timespec){ 0, 200000 }, NULL);
    double took = now_s() - a;
    int failed = store_failing(st);
    store_close(st);
    spsc_free(&q);
    return failed ? -1 : (double)n / took;
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 200000;
    char dir[] = "/tmp/ap-benchtr-XXXXXX", path[64], why[2048];
    if (!mkdtemp(dir))
        return 1;
    snprintf(path, sizeof path, "%s/bench.db", dir);
    const char *url = pg_server_start(why, sizeof why);
    if (!url) {
        fprintf(stderr, "bench_store_trades: no PostgreSQL server: %s\n", why);
        return 1;
    }
    double sq = run(path, n), pg = run(url, n);
    if (sq < 0 || pg < 0)
        return 1;
    printf("trade insert rate, SQLite: %.0f rows/s (%ld rows)\n", sq, n);
    printf("trade insert rate, PostgreSQL: %.0f rows/s (%ld rows)\n", pg, n);
    printf("trade insert rate ratio PostgreSQL/SQLite: %.2f\n", pg / sq);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd) != 0;
}
