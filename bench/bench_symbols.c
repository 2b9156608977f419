/* Memory per symbol: an engine holding N symbols (100, 500, 1000), every
 * timeframe's history full at the default lengths (the candles held for a
 * reload's replay, the newest of them with values), as after a restart of a
 * console watching the whole market. Each N runs in its own child process, so
 * its resident set is measured from a clean start: RSS after the engine is
 * built and filled, minus RSS before, over N. The reference, measured in the
 * same run, is what the candles alone take (N x 6 timeframes x candles held x
 * the size of one candle): the ratio says how much the analysis state costs on top
 * of the data. Also the per-symbol tables behind it, by their sizes. Prints plain
 * lines; not part of `make check`. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "alphapulse/engine.h"

#define T_END 1733011200000LL        /* 2024-12-01T00:00Z: every history ends here */
#define GOAL_KB 400.0                /* the target per symbol */

static long rss_kb(void)
{
    FILE *f = fopen("/proc/self/statm", "r");
    long size = 0, res = 0;
    if (f) {
        if (fscanf(f, "%ld %ld", &size, &res) != 2)
            res = 0;
        fclose(f);
    }
    return res * (sysconf(_SC_PAGESIZE) / 1024);
}

/* A random walk of n candles of tf ending at T_END, the same for every symbol
 * but for its level (memory does not depend on the prices). */
static void walk(struct candle *c, size_t n, int tf, double level, unsigned *seed)
{
    double px = level;
    int64_t step = tf_ms(tf), t0 = tf_floor(tf, T_END) - (int64_t)n * step;
    for (size_t i = 0; i < n; i++) {
        double r = ((double)rand_r(seed) / RAND_MAX - 0.5) * 0.004;
        double o = px, cl = px * (1 + r);
        c[i] = (struct candle){ .open_time = t0 + (int64_t)i * step, .open = o, .close = cl,
                                .high = fmax(o, cl) * 1.0007, .low = fmin(o, cl) * 0.9993, .volume = 10 + i % 7 };
        px = cl;
    }
}

static int measure(int n, size_t *history, double *kb)
{
    struct instrument *inst = calloc((size_t)n, sizeof *inst);
    struct engine_config cfg;
    engine_config_defaults(&cfg);
    for (int i = 0; i < n; i++) {
        snprintf(inst[i].symbol, SYMBOL_MAX, "B%04dUSDT", i);
        snprintf(inst[i].base, sizeof inst[i].base, "B%04u", (unsigned)i);
        snprintf(inst[i].quote, sizeof inst[i].quote, "USDT");
    }
    cfg.inst = inst;
    cfg.n_symbols = n;
    size_t held = cfg.history > ENGINE_REPLAY_CANDLES ? cfg.history : ENGINE_REPLAY_CANDLES;
    *history = held;
    struct candle *c = malloc(held * sizeof *c);
    long before = rss_kb();
    struct engine *e = engine_create(&cfg, NULL);
    if (!e || !c)
        return -1;
    unsigned seed = 7;
    for (int s = 0; s < n; s++)
        for (int tf = TF_COUNT - 1; tf >= 0; tf--) {       /* the higher timeframes' older history first */
            walk(c, held, tf, 100 + s, &seed);
            for (size_t k = 0; k < held; k++)
                engine_load_candle(e, s, tf, &c[k]);
        }
    long after = rss_kb();
    *kb = (double)(after - before) / n;
    engine_destroy(e);
    free(c);
    free(inst);
    return 0;
}

int main(void)
{
    static const int counts[] = { 100, 500, 1000 };
    printf("bench_symbols: engine memory per symbol, every timeframe's history full\n");
    for (size_t i = 0; i < sizeof counts / sizeof counts[0]; i++) {
        int fd[2];
        if (pipe(fd) != 0)
            return 1;
        pid_t pid = fork();
        if (pid == 0) {
            size_t h = 0;
            double kb = -1;
            int rc = measure(counts[i], &h, &kb);
            char line[64];
            int w = snprintf(line, sizeof line, "%zu %.3f\n", h, rc ? -1.0 : kb);
            ssize_t wr = write(fd[1], line, (size_t)w);
            _exit(wr == w ? 0 : 1);
        }
        close(fd[1]);
        char buf[64] = { 0 };
        ssize_t r = read(fd[0], buf, sizeof buf - 1);
        close(fd[0]);
        waitpid(pid, NULL, 0);
        size_t h = 0;
        double kb = -1;
        if (r <= 0 || sscanf(buf, "%zu %lf", &h, &kb) != 2 || kb < 0) {
            printf("%5d symbols: failed\n", counts[i]);
            continue;
        }
        double candles_kb = (double)TF_COUNT * (double)h * sizeof(struct candle) / 1024;
        printf("%5d symbols: %8.1f KB RSS per symbol (%.0f MB in all); candles alone %.1f KB: x%.2f; "
               "goal %.0f KB: x%.2f\n", counts[i], kb, kb * counts[i] / 1024, candles_kb, kb / candles_kb,
               GOAL_KB, kb / GOAL_KB);
    }
    struct engine_config d;
    engine_config_defaults(&d);
    printf("per symbol x timeframe state, bytes: ta_set %zu, candle %zu per held candle (%d), ta_values %zu + mark %zu "
           "per candle with values (%zu), signal series %zu, calibrator %zu\n", sizeof(struct ta_set),
           sizeof(struct candle), ENGINE_REPLAY_CANDLES, sizeof(struct ta_values), sizeof(struct snap_mark), d.history,
           sizeof(struct signal_series), sizeof(struct eval_calibrator));
    return 0;
}
