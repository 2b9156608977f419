/* The store on PostgreSQL against SQLite, in the same run on the same machine:
 * candle rows per second through the real store thread (about a million rows,
 * every series of 4 symbols), and the console's start-up (open + restore of the
 * last 2000 candles of every series) with those rows stored. PostgreSQL is a
 * private server started for the run (tests/pg/pg_server.sh, run from the repo
 * root as bench/run.sh does), on a Unix socket, with the distribution's default
 * durability settings. Prints each figure, the ratio PostgreSQL / SQLite, the
 * ratio to the goal, and the machine's load (the figures are wall-clock times),
 * and the CPU time per row of the writing process and of the server's session
 * (which depends far less on what else the machine runs than the rate does).
 * usage: bench_store_pg [ROWS_PER_SYMBOL_1M] */
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "../tests/pg_server.h"
#include "alphapulse/record.h"
#include "alphapulse/store.h"

#define SYMBOLS 4
#define RESTORE 2000
#define GOAL_RATE 100000              /* candle rows/s into PostgreSQL (issue 20) */
#define GOAL_STARTUP_MS 300           /* console start-up with ~1M candles stored */

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* CPU seconds (user + system) this process has used. */
static double own_cpu_s(void)
{
    struct rusage u;
    getrusage(RUSAGE_SELF, &u);
    return u.ru_utime.tv_sec + u.ru_utime.tv_usec / 1e6 + u.ru_stime.tv_sec + u.ru_stime.tv_usec / 1e6;
}

/* CPU seconds the server processes serving the store's sessions have used (the
 * store thread's writes), read from /proc: the server runs on this machine.
 * Unlike the wall-clock rate, it hardly depends on what else the machine runs. */
static double server_cpu_s(const char *url)
{
    PGconn *c = PQconnectdb(url);
    PGresult *r = PQexec(c, "SELECT pid FROM pg_stat_activity WHERE pid <> pg_backend_pid() "
                            "AND backend_type = 'client backend' AND datname = current_database()");
    double s = 0;
    for (int i = 0; PQresultStatus(r) == PGRES_TUPLES_OK && i < PQntuples(r); i++) {
        char path[64], line[1024];
        snprintf(path, sizeof path, "/proc/%s/stat", PQgetvalue(r, i, 0));
        FILE *f = fopen(path, "r");
        unsigned long ut, st;
        char *p = f && fgets(line, sizeof line, f) ? strrchr(line, ')') : NULL;
        if (p && sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut, &st) == 2)
            s += (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
        if (f)
            fclose(f);
    }
    PQclear(r);
    PQfinish(c);
    return s;
}

static const char *const NAMES[SYMBOLS] = { "BTCUSDT", "ETHUSDT", "SOLUSDT", "BNBUSDT" };

/* rows/s written, the CPU seconds of this process and (PostgreSQL) of the
 * server's session while writing, and the best of 5 start-ups in ms; -1 on failure */
static int run(const char *db, long n1, double *rate, double *cpu, double *server_cpu, double *startup_ms,
               unsigned long long *rows)
{
    char err[512];
    struct store *st = store_open(db, err, sizeof err);
    if (!st) {
        fprintf(stderr, "bench_store_pg: %s\n", err);
        return -1;
    }
    struct store_retention keep = { .step_rows = 5000 };    /* keep everything */
    store_set_retention(st, &keep);
    struct spsc q;
    spsc_init(&q, sizeof(struct record), 65536);
    store_start(st, &q);
    const int64_t t0 = 1704067200000LL;   /* 2024-01-01 */
    uint64_t seq = 0;
    bool pg = store_is_url(db);
    double sc = pg ? server_cpu_s(db) : 0, cc = own_cpu_s();
    double a = now_s();
    for (long i = 0; i < n1; i++)
        for (int s = 0; s < SYMBOLS; s++)
            for (int tf = 0; tf < TF_COUNT; tf++) {
                if (i % (tf_ms(tf) / 60000))
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
    while (atomic_load(&store_ack(st)->durable_seq) < seq && !store_failing(st))
        nanosleep(&(struct timespec){ 0, 200000 }, NULL);
    double took = now_s() - a;
    *cpu = own_cpu_s() - cc;
    *server_cpu = pg ? server_cpu_s(db) - sc : 0;
    int failed = store_failing(st);
    store_close(st);
    spsc_free(&q);
    if (failed) {
        fprintf(stderr, "bench_store_pg: %s: writes failed\n", db);
        return -1;
    }
    *rows = seq;
    *rate = seq / took;

    struct engine_config cfg;
    engine_config_defaults(&cfg);
    static struct instrument inst[SYMBOLS];
    for (int i = 0; i < SYMBOLS; i++) {
        snprintf(inst[i].symbol, SYMBOL_MAX, "%s", NAMES[i]);
        snprintf(inst[i].base, sizeof inst[i].base, "%.3s", NAMES[i]);
        snprintf(inst[i].quote, sizeof inst[i].quote, "USDT");
    }
    cfg.n_symbols = SYMBOLS;
    cfg.inst = inst;
    cfg.history = RESTORE;
    double best = 1e9;
    for (int rep = 0; rep < 5; rep++) {
        struct spsc rq;
        spsc_init(&rq, sizeof(struct record), 1024);
        double b = now_s();
        st = store_open(db, err, sizeof err);
        struct engine *e = st ? engine_create(&cfg, &rq) : NULL;
        if (!st || !e || store_restore(st, e, RESTORE)) {
            fprintf(stderr, "bench_store_pg: %s: restore failed: %s\n", db, st ? "" : err);
            return -1;
        }
        double c = now_s();
        if (c - b < best)
            best = c - b;
        engine_destroy(e);
        store_close(st);
        spsc_free(&rq);
    }
    *startup_ms = best * 1e3;
    return 0;
}

int main(int argc, char **argv)
{
    long n1 = argc > 1 ? atol(argv[1]) : 194000;   /* 1m candles per symbol: ~1.0 M rows in all */
    char dir[] = "/tmp/ap-benchpg-XXXXXX", path[64], why[2048];
    if (!mkdtemp(dir))
        return 1;
    snprintf(path, sizeof path, "%s/bench.db", dir);
    const char *url = pg_server_start(why, sizeof why);
    if (!url) {
        fprintf(stderr, "bench_store_pg: no PostgreSQL server: %s\n", why);
        return 1;
    }
    double sq_rate, sq_start, pg_rate, pg_start, sq_cpu, pg_cpu, pg_server, none;
    unsigned long long sq_rows, pg_rows;
    if (run(path, n1, &sq_rate, &sq_cpu, &none, &sq_start, &sq_rows) ||
        run(url, n1, &pg_rate, &pg_cpu, &pg_server, &pg_start, &pg_rows))
        return 1;
    double load[3] = { -1, -1, -1 };
    if (getloadavg(load, 3) < 0)
        load[0] = -1;
    printf("machine load (1/5/15 min) after the run: %.2f %.2f %.2f on %ld cores\n", load[0], load[1], load[2],
           sysconf(_SC_NPROCESSORS_ONLN));
    printf("candle insert rate, SQLite: %.0f rows/s (%llu rows)\n", sq_rate, sq_rows);
    printf("candle insert rate, PostgreSQL: %.0f rows/s (%llu rows) (target >= %d)\n", pg_rate, pg_rows, GOAL_RATE);
    printf("candle insert rate ratio PostgreSQL/SQLite: %.2f\n", pg_rate / sq_rate);
    printf("candle insert rate ratio PostgreSQL/target: %.2f (>= 1 meets it)\n", pg_rate / GOAL_RATE);
    printf("candle insert CPU, SQLite: %.2f us/row in this process\n", sq_cpu * 1e6 / (double)sq_rows);
    printf("candle insert CPU, PostgreSQL: %.2f us/row in this process, %.2f us/row in the server's session\n",
           pg_cpu * 1e6 / (double)pg_rows, pg_server * 1e6 / (double)pg_rows);
    printf("startup with %llu candles stored, SQLite: %.1f ms\n", sq_rows, sq_start);
    printf("startup with %llu candles stored, PostgreSQL: %.1f ms (target <= %d ms)\n", pg_rows, pg_start,
           GOAL_STARTUP_MS);
    printf("startup ratio PostgreSQL/SQLite: %.2f\n", pg_start / sq_start);
    printf("startup ratio PostgreSQL/target: %.2f (<= 1 meets it)\n", pg_start / GOAL_STARTUP_MS);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0)
        return 1;
    return 0;
}
