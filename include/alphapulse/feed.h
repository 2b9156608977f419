/* A feed: a thread that produces engine events (parsed klines and feed-state
 * notes) into the engine's market queue. The demo replay is one; live exchanges
 * are others. Network/replay threads only parse and enqueue. */
#ifndef ALPHAPULSE_FEED_H
#define ALPHAPULSE_FEED_H
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include "alphapulse/replay.h"
#include "alphapulse/spsc.h"

struct replay_feed {
    struct replay *replay;
    struct spsc *out;             /* struct engine_event */
    double speed;                 /* x real time; <= 0: as fast as the queue takes it */
    pthread_t thread;
    atomic_bool stop, finished;
    atomic_ullong messages, parse_errors;
    bool running;
};

int replay_feed_start(struct replay_feed *f, struct replay *r, struct spsc *out, double speed);
void replay_feed_stop(struct replay_feed *f);

#endif
