/* Signals survive a restart: the signals table holds every signal with its state
 * and outcome; a new engine restored from it has the same voter hit rates (so the
 * same weights), the open signals back in the queue, and ids that continue. */
#include <stdlib.h>
#include <unistd.h>

#include "engine_driver.h"
#include "harness.h"
#include "alphapulse/config.h"
#include "alphapulse/engine.h"
#include "alphapulse/kline_json.h"
#include "alphapulse/record.h"
#include "alphapulse/replay.h"
#include "alphapulse/store.h"


static struct engine *make_engine(struct spsc *q, struct replay **rp)
{
    char err[256];
    *rp = replay_open("data/demo.json", err, sizeof err);
    if (!*rp) {
        printf("# %s\n", err);
        return NULL;
    }
    struct engine_config cfg;
    struct instrument inst[INSTRUMENTS_MAX] = { 0 };
    engine_config_defaults(&cfg);
    cfg.inst = inst;
    cfg.file = driver_all_timeframes();
    cfg.n_symbols = replay_symbols(*rp, inst, INSTRUMENTS_MAX);
    return engine_create(&cfg, q);
}

static void weights_and_queue_survive(void)
{
    char db[] = "/tmp/ap-sigrestore-XXXXXX";
    int fd = mkstemp(db);
    close(fd);
    unlink(db);
    char err[256];
    struct store *st = store_open(db, err, sizeof err);
    CHECK_MSG(st != NULL, "%s", err);
    if (!st)
        return;
    struct spsc q;
    spsc_init(&q, sizeof(struct record), 1 << 16);
    struct replay *rp;
    struct engine *e = make_engine(&q, &rp);
    store_start(st, &q);
    char msg[1024], why[128];
    int round_end;
    long len, n = 0;
    while ((len = replay_next(rp, msg, sizeof msg, &round_end)) > 0 && n++ < 15000) {
        struct engine_event ev = { .type = EE_KLINE };
        if (kline_json_parse(msg, (size_t)len, &ev.u.k, why, sizeof why) == KLINE_JSON_OK)
            engine_step(e, &ev);
        if (n % 500 == 0)
            usleep(2000);                 /* let the writer keep up */
    }
    store_stop(st);
    store_close(st);
    CHECK(engine_records_dropped(e) == 0);
    const struct signal_engine *a = engine_signals(e);
    CHECK(a->stats.resolved > 20 && a->nq > 0);

    st = store_open(db, err, sizeof err);
    CHECK_MSG(st != NULL, "%s", err);
    struct replay *rp2;
    struct engine *e2 = make_engine(NULL, &rp2);
    CHECK(store_restore(st, e2, 2000) == 0);
    const struct signal_engine *b = engine_signals(e2);
    int diff = 0;
    for (int s = 0; s < a->n_symbols; s++)
        for (int t = 0; t < TF_COUNT; t++)
            for (int v = 0; v < VOTER_COUNT; v++)
                diff += a->voter_hr[s][t][v].hits != b->voter_hr[s][t][v].hits ||
                        a->voter_hr[s][t][v].n != b->voter_hr[s][t][v].n;
    for (int p = 0; p < CDL_COUNT; p++)
        diff += a->pattern_hr[p].n != b->pattern_hr[p].n || a->pattern_hr[p].hits != b->pattern_hr[p].hits;
    CHECK_MSG(diff == 0, "%d hit-rate cells differ after the restart", diff);
    CHECK(b->next_id == a->next_id);
    CHECK(b->nq == a->nq && b->nt == a->nt);
    int same = 0;
    for (int i = 0; i < a->nq; i++)
        for (int j = 0; j < b->nq; j++)
            same += a->queue[i].id == b->queue[j].id && a->queue[i].state == b->queue[j].state &&
                    a->queue[i].entry == b->queue[j].entry && a->queue[i].tp[3] == b->queue[j].tp[3] &&
                    a->queue[i].voters == b->queue[j].voters;
    CHECK(same == a->nq);
    printf("# restored %llu settled outcomes into the hit rates, %d open signals, next id %llu\n",
           (unsigned long long)a->stats.resolved, b->nt, (unsigned long long)b->next_id);
    store_close(st);
    engine_destroy(e);
    engine_destroy(e2);
    replay_close(rp);
    replay_close(rp2);
    spsc_free(&q);
    char p[64];
    unlink(db);
    snprintf(p, sizeof p, "%s-wal", db);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", db);
    unlink(p);
    snprintf(p, sizeof p, "%s.lock", db);
    unlink(p);
}

int main(void)
{
    RUN(weights_and_queue_survive);
    HARNESS_EXIT();
}
