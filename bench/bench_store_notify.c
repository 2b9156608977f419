/* A collector's candle reaching a console beside it: the time from pushing a
 * closed 1m candle, or a forming state of one (REC_FORMING), into a collector's
 * store thread to a store_watch (what the console's store feed runs) having
 * read it, on PostgreSQL (LISTEN/NOTIFY) and on SQLite (inotify on the
 * database's files, PRAGMA data_version to confirm). Forming states are pushed
 * one every 300 ms, past the store thread's 250 ms between their writes, so
 * each is written and none waits for the next write. Prints p50, p99 and the
 * maximum of each, then the ratios of the p99s. PostgreSQL is a private server
 * started for the run (tests/pg/pg_server.sh, from the repo root).
 * usage: bench_store_notify [CANDLES_POSTGRES [FORMING_STATES]] */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../tests/pg_server.h"
#include "alphapulse/record.h"
#include "alphapulse/store.h"

#define T0 1704067200000LL

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

struct run {
    const char *db;
    int n;
    bool forming;              /* forming states (their close numbers them), else closed candles */
    double *pushed, *seen;     /* per candle, monotonic seconds */
    atomic_bool done;
};

/* The forming state's number (its close numbers it), or -1. */
static void forming_row(void *ctx, const char *symbol, const struct candle *c, int64_t updated)
{
    (void)updated;
    if (strcmp(symbol, "BTCUSDT") == 0)
        *(int *)ctx = (int)((c->close - 40000) / 0.5 + 0.5);
}

static void *watch(void *arg)
{
    struct run *r = arg;
    char err[512];
    struct store_watch *w = store_watch_open(r->db, err, sizeof err);
    if (!w) {
        fprintf(stderr, "bench_store_notify: %s\n", err);
        return NULL;
    }
    struct candle c[256];
    int64_t next = T0;
    int got = 0;
    while (r->forming && got < r->n) {
        store_watch_wait(w, 1000);
        int idx = -1;
        store_watch_forming(w, forming_row, &idx);
        if (idx >= 0 && idx < r->n && r->seen[idx] == 0) {
            r->seen[idx] = now_s();
            got = idx + 1;
        }
    }
    while (!r->forming && got < r->n) {
        store_watch_wait(w, 1000);
        int k;
        while ((k = store_watch_candles(w, "BTCUSDT", next, c, 256)) > 0) {
            double t = now_s();
            for (int i = 0; i < k; i++) {
                int idx = (int)((c[i].open_time - T0) / 60000);
                if (idx >= 0 && idx < r->n)
                    r->seen[idx] = t;
                next = c[i].open_time + 60000;
                got++;
            }
        }
    }
    store_watch_close(w);
    return NULL;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* latencies in ms: p50, p99, max; -1 on failure */
static int measure(const char *db, int n, double gap_ms, bool forming, double out[3])
{
    char err[512];
    struct store *st = store_open_as(db, &(struct store_open_options){ .collector = true }, err, sizeof err);
    if (!st) {
        fprintf(stderr, "bench_store_notify: %s\n", err);
        return -1;
    }
    struct spsc q;
    spsc_init(&q, sizeof(struct record), 4096);
    store_start(st, &q);
    struct run r = { .db = db, .n = n, .forming = forming, .pushed = calloc((size_t)n, sizeof(double)),
                     .seen = calloc((size_t)n, sizeof(double)) };
    pthread_t th;
    pthread_create(&th, NULL, watch, &r);
    nanosleep(&(struct timespec){ 0, 200000000 }, NULL);     /* the watch is listening */
    for (int i = 0; i < n; i++) {
        struct record rec = { .type = forming ? REC_FORMING : REC_CANDLE, .tf = TF_1M, .seq = (uint64_t)i + 1 };
        snprintf(rec.symbol, sizeof rec.symbol, "BTCUSDT");
        double p = 40000 + i * 0.5;
        rec.u.candle = (struct candle){ .open_time = T0 + i * 60000LL, .open = p, .high = p + 1, .low = p - 1,
                                        .close = p + 0.5, .volume = 1 };
        if (forming)                  /* one minute forming: its close numbers the state */
            rec.u.candle = (struct candle){ .open_time = T0, .open = 40000, .high = 40000 + n, .low = 39999,
                                            .close = p, .volume = 1 + i };
        rec.time = rec.u.candle.open_time + i;
        r.pushed[i] = now_s();
        while (!spsc_push(&q, &rec))
            nanosleep(&(struct timespec){ 0, 100000 }, NULL);
        nanosleep(&(struct timespec){ 0, (long)(gap_ms * 1e6) }, NULL);
    }
    pthread_join(th, NULL);
    store_close(st);
    spsc_free(&q);
    double *lat = malloc(sizeof(double) * (size_t)n);
    int m = 0;
    for (int i = 0; i < n; i++)
        if (r.seen[i] > 0)            /* a forming state overwritten before its write is never seen */
            lat[m++] = (r.seen[i] - r.pushed[i]) * 1e3;
    if (m < n)
        printf("(%d of %d %s seen)\n", m, n, forming ? "forming states" : "candles");
    n = m;
    qsort(lat, (size_t)n, sizeof *lat, cmp);
    out[0] = lat[n / 2];
    out[1] = lat[(int)(n * 0.99) < n ? (int)(n * 0.99) : n - 1];
    out[2] = lat[n - 1];
    free(lat);
    free(r.pushed);
    free(r.seen);
    return 0;
}

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 1000, nf = argc > 2 ? atoi(argv[2]) : 100;
    char dir[] = "/tmp/ap-benchnotify-XXXXXX", path[64], why[2048];
    if (!mkdtemp(dir))
        return 1;
    snprintf(path, sizeof path, "%s/bench.db", dir);
    const char *url = pg_server_start(why, sizeof why);
    if (!url) {
        fprintf(stderr, "bench_store_notify: no PostgreSQL server: %s\n", why);
        return 1;
    }
    char err[512];
    struct store *init = store_open(path, err, sizeof err);   /* SQLite: the schema exists before the watch */
    store_close(init);
    double pg[3], sq[3], pgf[3], sqf[3];
    if (measure(url, n, 10, false, pg) || measure(path, 200, 100, false, sq) || measure(url, nf, 300, true, pgf) ||
        measure(path, nf, 300, true, sqf))
        return 1;
    printf("closed candle to console, PostgreSQL NOTIFY (%d candles, one per 10 ms): p50 %.2f ms, p99 %.2f ms, "
           "max %.2f ms\n", n, pg[0], pg[1], pg[2]);
    printf("closed candle to console, SQLite inotify + data_version (200 candles, one per 100 ms): "
           "p50 %.2f ms, p99 %.2f ms, max %.2f ms\n", sq[0], sq[1], sq[2]);
    printf("forming candle to console, PostgreSQL NOTIFY (%d states, one per 300 ms): p50 %.2f ms, p99 %.2f ms, "
           "max %.2f ms\n", nf, pgf[0], pgf[1], pgf[2]);
    printf("forming candle to console, SQLite inotify + data_version (%d states, one per 300 ms): "
           "p50 %.2f ms, p99 %.2f ms, max %.2f ms\n", nf, sqf[0], sqf[1], sqf[2]);
    printf("closed candle to console p99 ratio PostgreSQL/SQLite: %.3f\n", pg[1] / sq[1]);
    printf("forming/closed p99 ratio: PostgreSQL %.3f, SQLite %.3f\n", pgf[1] / pg[1], sqf[1] / sq[1]);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd) != 0;
}
