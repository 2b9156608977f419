/* The demo's synthetic book and tape (sim_book.h) over the bundled candles, as the
 * demo plays them (replay formatter, live parser): the generator alone, and the
 * generator with the engine taking its events; events per candle update, events/s
 * and candle updates/s (best of 3), and the engine's share of the time. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "alphapulse/engine.h"
#include "alphapulse/kline_json.h"
#include "alphapulse/replay.h"
#include "alphapulse/sim_book.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

struct sink { struct engine *e; unsigned long events; };

static bool take(void *ctx, const struct engine_event *ev)
{
    struct sink *k = ctx;
    k->events++;
    if (k->e)
        engine_step(k->e, ev);
    return true;
}

/* seconds for one pass over the n candle updates; *events: how many it made */
static double pass(struct kline_event *ks, long n, const struct instrument *inst, int ni, bool with_engine,
                   unsigned long *events)
{
    struct engine_config cfg;
    engine_config_defaults(&cfg);
    cfg.inst = inst;
    cfg.n_symbols = ni;
    struct spsc q;
    spsc_init(&q, sizeof(struct record), 1 << 10);
    struct sink k = { with_engine ? engine_create(&cfg, &q) : NULL, 0 };
    struct sim_book *sb = sim_book_create(inst, ni, SIM_BOOK_SEED);
    double t0 = now();
    for (long i = 0; i < n; i++)
        sim_book_on_kline(sb, &ks[i], take, &k);
    double dt = now() - t0;
    sim_book_free(sb);
    if (k.e)
        engine_destroy(k.e);
    spsc_free(&q);
    *events = k.events;
    return dt;
}

int main(void)
{
    char err[256], msg[1024], why[128];
    struct replay *rp = replay_open("data/demo.json", err, sizeof err);
    if (!rp) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    struct instrument inst[INSTRUMENTS_MAX];
    int ni = replay_symbols(rp, inst, INSTRUMENTS_MAX), round_end, len;
    long n = 0, cap = 1 << 19;
    struct kline_event *ks = malloc((size_t)cap * sizeof *ks);
    while (ks && n < cap && (len = replay_next(rp, msg, sizeof msg, &round_end)) > 0)
        if (kline_json_parse(msg, (size_t)len, &ks[n], why, sizeof why) == KLINE_JSON_OK)
            n++;
    replay_close(rp);
    double best[2] = { 1e30, 1e30 };
    unsigned long events = 0;
    for (int r = 0; r < 3; r++)
        for (int w = 0; w < 2; w++) {
            double dt = pass(ks, n, inst, ni, w, &events);
            if (dt < best[w])
                best[w] = dt;
        }
    printf("sim_book: %ld candle updates, %lu events (%.1f per update)\n", n, events, (double)events / (double)n);
    printf("sim_book generator alone: %.0f events/s, %.0f candle updates/s\n", (double)events / best[0],
           (double)n / best[0]);
    printf("sim_book with the engine: %.0f events/s, %.0f candle updates/s (engine %.0f%% of the time)\n",
           (double)events / best[1], (double)n / best[1], 100 * (best[1] - best[0]) / best[1]);
    free(ks);
    return 0;
}
