/* The engine thread: pops market events and user commands, steps the engine, and
 * publishes snapshots (double buffer swapped under a short lock) for the UI. The
 * wall clock is used here only to pace publication, never inside the engine. */
#ifndef ALPHAPULSE_ENGINE_THREAD_H
#define ALPHAPULSE_ENGINE_THREAD_H
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include "alphapulse/engine.h"

/* Optional parts around the engine: another command source (one producer, e.g.
 * the inbound webhook server) and a hook that adds fields to every published
 * snapshot (e.g. the alert log); gen() changing makes the thread publish. */
struct engine_thread_extras {
    struct spsc *inbox;                               /* struct engine_event */
    void (*snap_fill)(void *ctx, struct snapshot *s);
    uint64_t (*snap_gen)(void *ctx);
    void *ctx;
    /* the store thread's acknowledgement and the record queue it drains: the
     * thread turns what it sees of them into EE_STORAGE events (the engine reads
     * neither), so storage health reaches the engine in the event stream */
    const struct record_ack *ack;
    const struct spsc *records;
    /* more market queues, one per further producer (a session's second venue
     * feed...): markets[1 .. *n_markets) are drained too; markets[0] is `market`.
     * The count may grow while running (a queue is ready before it is counted). */
    struct spsc *markets;
    const atomic_int *n_markets;
};

#define ENGINE_LAT_BUCKETS 320

struct engine_thread {
    struct engine_thread_extras x;
    struct engine *engine;
    struct spsc *market;          /* struct engine_event, from the feed */
    struct spsc *commands;        /* struct engine_event, from the UI */
    pthread_t thread;
    atomic_bool stop;
    atomic_int view_sym, view_tf; /* what the UI wants in the snapshot */
    pthread_mutex_t lock;
    struct snapshot *front, *back;
    uint64_t seq;
    bool running;
    /* candle close -> signal latency: engine_step of a closed kline, which runs
     * every indicator, pattern, regime, voter and consensus it triggers; measured
     * here with the monotonic clock so the engine itself never reads a clock.
     * Log buckets, 8 per octave (about 9 % wide). */
    uint32_t lat_hist[ENGINE_LAT_BUCKETS];
    uint64_t lat_n;
    struct storage_health storage;    /* the last one posted */
    bool storage_posted;
};

int engine_thread_start(struct engine_thread *t, struct engine *e, struct spsc *market, struct spsc *commands);
int engine_thread_start_ex(struct engine_thread *t, struct engine *e, struct spsc *market, struct spsc *commands,
                           const struct engine_thread_extras *x);
/* Stops after draining what is queued. */
void engine_thread_stop(struct engine_thread *t);
/* Copies the latest snapshot into dst if its seq differs from have; returns true then. */
bool engine_thread_snapshot(struct engine_thread *t, struct snapshot *dst, uint64_t have);
/* Latency quantile q in [0, 1] from a bucket histogram, in ns (0 if empty). */
int64_t engine_lat_quantile(const uint32_t *hist, int nbuckets, uint64_t n, double q);
void engine_lat_add(uint32_t *hist, int nbuckets, int64_t ns);
void engine_thread_view(struct engine_thread *t, int sym, int tf);
/* Queue a command from the UI thread; false if the queue is full. */
bool engine_thread_command(struct engine_thread *t, const struct command *c);

#endif
