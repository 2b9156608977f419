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

struct sim_book;

struct replay_feed {
    struct replay *replay;
    struct spsc *out;             /* struct engine_event */
    pthread_t thread;
    atomic_bool stop, finished;
    /* controls, set from any thread (the UI's keys) */
    atomic_llong speed_milli;     /* x real time, in thousandths; 0: as fast as the queue takes it */
    atomic_bool paused;
    atomic_int steps;             /* candles still to step through while paused */
    atomic_uint gen;              /* bumped on every change */
    atomic_ullong messages, parse_errors;
    struct sim_book *sim;         /* the synthetic book and tape around the candles */
    bool running;
};

int replay_feed_start(struct replay_feed *f, struct replay *r, struct spsc *out, double speed);
void replay_feed_stop(struct replay_feed *f);

/* Time control (any thread). speed: x real time, 0 = as fast as the engine takes
 * it. A step, while paused, plays on to the next close of the 1m candles. */
void replay_feed_set_speed(struct replay_feed *f, double speed);
double replay_feed_speed(const struct replay_feed *f);
void replay_feed_pause(struct replay_feed *f, bool paused);
bool replay_feed_paused(const struct replay_feed *f);
void replay_feed_step(struct replay_feed *f, int candles);
/* The next speed of the ladder 1, 10, 60, 300, 600, max (0) up (by > 0) or down. */
double replay_feed_speed_step(double speed, int by);
/* "demo replay 60x", "demo replay PAUSED (60x)": the header's feed state. */
void replay_feed_label(double speed, bool paused, char *out, size_t n);

#endif
