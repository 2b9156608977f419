/* Engine thread loop. Publishes at most every ~15 ms and only when something
 * happened, so an idle engine costs nothing and the UI copies at most ~60 times/s. */
#include "alphapulse/engine_thread.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "alphapulse/clock.h"

#define PUBLISH_NS 15000000LL
#define DRAIN_MAX 4096

void engine_lat_add(uint32_t *hist, int nbuckets, int64_t ns)
{
    int i = ns > 1 ? (int)(8 * log2((double)ns)) : 0;
    hist[i < 0 ? 0 : i >= nbuckets ? nbuckets - 1 : i]++;
}

int64_t engine_lat_quantile(const uint32_t *hist, int nbuckets, uint64_t n, double q)
{
    if (!n)
        return 0;
    uint64_t want = (uint64_t)ceil(q * (double)n), acc = 0;
    if (want < 1)
        want = 1;
    for (int i = 0; i < nbuckets; i++) {
        acc += hist[i];
        if (acc >= want)
            return (int64_t)exp2((i + 1) / 8.0);      /* the bucket's upper edge */
    }
    return (int64_t)exp2(nbuckets / 8.0);
}

static void publish(struct engine_thread *t)
{
    engine_snapshot(t->engine, atomic_load(&t->view_sym), atomic_load(&t->view_tf), t->back);
    if (t->x.snap_fill)
        t->x.snap_fill(t->x.ctx, t->back);
    t->back->sig.lat_samples = t->lat_n;
    t->back->sig.lat_p50_ns = engine_lat_quantile(t->lat_hist, ENGINE_LAT_BUCKETS, t->lat_n, 0.50);
    t->back->sig.lat_p99_ns = engine_lat_quantile(t->lat_hist, ENGINE_LAT_BUCKETS, t->lat_n, 0.99);
    pthread_mutex_lock(&t->lock);
    t->back->seq = ++t->seq;
    struct snapshot *tmp = t->front;
    t->front = t->back;
    t->back = tmp;
    pthread_mutex_unlock(&t->lock);
}

/* Storage health as an event when it changed since the last one: the only place
 * the store thread's state meets the engine. */
static int post_storage(struct engine_thread *t)
{
    if (!t->x.ack || !t->x.records)
        return 0;
    struct storage_health h = {
        .failing = atomic_load(&((struct record_ack *)t->x.ack)->failing) != 0,
        .backlog = (uint32_t)spsc_size((struct spsc *)t->x.records),
        .durable_seq = atomic_load(&((struct record_ack *)t->x.ack)->durable_seq),
    };
    if (t->storage_posted && h.failing == t->storage.failing && h.backlog == t->storage.backlog &&
        h.durable_seq == t->storage.durable_seq)
        return 0;
    t->storage = h;
    t->storage_posted = true;
    struct engine_event ev = { .type = EE_STORAGE, .u.storage = h };
    engine_step(t->engine, &ev);
    return 1;
}

/* Back-pressure: a market event is stepped only while the engine sees room for
 * the records it may queue (RECORD_EVENT_MAX). When it does not, a fresh storage
 * report is posted; if the store is still behind, the market queues wait, the
 * feeds then wait on them (their push loops) and the back-fill slows to the
 * store's pace, so no candle is dropped. A failing store is not waited for: it
 * may never drain, and bulk records come back with the next back-fill. */
static bool store_has_room(struct engine_thread *t)
{
    if (!t->x.records || engine_record_room(t->engine) >= RECORD_EVENT_MAX)
        return true;
    post_storage(t);
    return t->storage.failing || engine_record_room(t->engine) >= RECORD_EVENT_MAX;
}

static void *engine_main(void *arg)
{
    struct engine_thread *t = arg;
    struct engine_event ev;
    int64_t last_pub = 0;
    bool dirty = true;
    int last_sym = -1, last_tf = -1;
    uint64_t last_gen = 0;
    long idle_ns = 500000;
    for (;;) {
        bool stopping = atomic_load(&t->stop);
        int n = 0;
        bool stored = post_storage(t);
        while (n < DRAIN_MAX && spsc_pop(t->commands, &ev)) {
            engine_step(t->engine, &ev);
            n++;
        }
        int nq = t->x.n_markets ? atomic_load(t->x.n_markets) : 1;
        bool held = false;
        for (int qi = 0; qi < (nq > 0 ? nq : 1) && !held; qi++) {
            struct spsc *mq = qi == 0 ? t->market : &t->x.markets[qi];
            while (n < DRAIN_MAX && spsc_size(mq) > 0 && !(held = !store_has_room(t)) && spsc_pop(mq, &ev)) {
                if (ev.type == EE_KLINE && ev.u.k.closed) {
                    int64_t t0 = clock_mono_ns();
                    engine_step_from(t->engine, &ev, qi);
                    engine_lat_add(t->lat_hist, ENGINE_LAT_BUCKETS, clock_mono_ns() - t0);
                    t->lat_n++;
                } else {
                    engine_step_from(t->engine, &ev, qi);
                }
                n++;
            }
        }
        while (t->x.inbox && n < DRAIN_MAX && spsc_pop(t->x.inbox, &ev)) {
            engine_step(t->engine, &ev);
            n++;
        }
        dirty |= n > 0 || stored;
        if (t->x.snap_gen) {
            uint64_t g = t->x.snap_gen(t->x.ctx);
            dirty |= g != last_gen;
            last_gen = g;
        }
        int vs = atomic_load(&t->view_sym), vt = atomic_load(&t->view_tf);
        dirty |= vs != last_sym || vt != last_tf;
        int64_t now = clock_mono_ns();
        if (dirty && (now - last_pub >= PUBLISH_NS || vs != last_sym || vt != last_tf)) {
            publish(t);
            last_pub = now;
            dirty = false;
            last_sym = vs;
            last_tf = vt;
        }
        if (stopping && n == 0 && !held)
            break;
        /* idle: sleep 0.5 ms right after activity, doubling to 8 ms while nothing
         * comes, so a busy feed is served at once and an idle console costs nothing;
         * held for the store: look again after 0.5 ms */
        idle_ns = n || held ? 500000 : (idle_ns < 8000000 ? idle_ns * 2 : 8000000);
        if (n == 0 || held)
            nanosleep(&(struct timespec){ 0, idle_ns }, NULL);
    }
    publish(t);
    return NULL;
}

int engine_thread_start(struct engine_thread *t, struct engine *e, struct spsc *market, struct spsc *commands)
{
    return engine_thread_start_ex(t, e, market, commands, NULL);
}

int engine_thread_start_ex(struct engine_thread *t, struct engine *e, struct spsc *market, struct spsc *commands,
                           const struct engine_thread_extras *x)
{
    memset(t, 0, sizeof *t);
    if (x)
        t->x = *x;
    t->engine = e;
    t->market = market;
    t->commands = commands;
    t->front = calloc(1, sizeof *t->front);
    t->back = calloc(1, sizeof *t->back);
    if (!t->front || !t->back)
        return -1;
    pthread_mutex_init(&t->lock, NULL);
    atomic_init(&t->stop, false);
    atomic_init(&t->view_sym, 0);
    atomic_init(&t->view_tf, TF_1M);
    engine_snapshot(e, 0, TF_1M, t->front);
    if (t->x.snap_fill)
        t->x.snap_fill(t->x.ctx, t->front);
    if (pthread_create(&t->thread, NULL, engine_main, t) != 0)
        return -1;
    t->running = true;
    return 0;
}

void engine_thread_stop(struct engine_thread *t)
{
    if (t->running) {
        atomic_store(&t->stop, true);
        pthread_join(t->thread, NULL);
        t->running = false;
    }
    pthread_mutex_destroy(&t->lock);
    snapshot_free(t->front);
    snapshot_free(t->back);
    t->front = t->back = NULL;
}

bool engine_thread_snapshot(struct engine_thread *t, struct snapshot *dst, uint64_t have)
{
    bool fresh = false;
    pthread_mutex_lock(&t->lock);
    if (t->front->seq != have) {
        snapshot_copy(dst, t->front);
        fresh = true;
    }
    pthread_mutex_unlock(&t->lock);
    return fresh;
}

void engine_thread_view(struct engine_thread *t, int sym, int tf)
{
    atomic_store(&t->view_sym, sym);
    atomic_store(&t->view_tf, tf);
}

bool engine_thread_command(struct engine_thread *t, const struct command *c)
{
    struct engine_event ev = { .type = EE_COMMAND };
    ev.u.cmd = *c;
    return spsc_push(t->commands, &ev);
}
