/* The demo replay as a venue: real 1m candles bundled in data/ (replay.c),
 * played at a chosen pace (replay_feed.c). It lists its own symbols, has a
 * clock the console controls, and bundled history for a warm start; symbols
 * cannot be added or removed while it plays. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alphapulse/feed.h"
#include "alphapulse/replay.h"
#include "alphapulse/venue.h"

struct demo_feed {
    struct venue_feed base;        /* first: what the venue table's functions get */
    struct replay *replay;
    struct replay_feed play;
    double speed;
};

static struct demo_feed *D(struct venue_feed *f) { return (struct demo_feed *)f; }

static struct venue_feed *demo_open(const struct venue *v, const struct venue_options *o, char *err,
                                    size_t err_len)
{
    if (!o->manifest) {
        snprintf(err, err_len, "the demo needs its data (demo.json)");
        return NULL;
    }
    struct demo_feed *d = calloc(1, sizeof *d);
    if (!d) {
        snprintf(err, err_len, "out of memory");
        return NULL;
    }
    d->base.v = v;
    d->speed = o->speed;
    d->replay = replay_open(o->manifest, err, err_len);
    if (!d->replay) {
        free(d);
        return NULL;
    }
    return &d->base;
}

static int demo_index(struct demo_feed *d, const char *symbol)
{
    struct instrument all[INSTRUMENTS_MAX];
    int n = replay_symbols(d->replay, all, INSTRUMENTS_MAX);
    for (int i = 0; i < n; i++)
        if (strcmp(all[i].symbol, symbol) == 0)
            return i;
    return -1;
}

/* Plays the given symbols, each after its last stored candle, like a live feed
 * after a restart; the demo's other symbols are skipped. */
static int demo_start(struct venue_feed *f, const char (*symbols)[SYMBOL_MAX], const int64_t *last_closed, int n,
                      struct spsc *out, char *err, size_t err_len)
{
    struct demo_feed *d = D(f);
    struct instrument all[INSTRUMENTS_MAX];
    int total = replay_symbols(d->replay, all, INSTRUMENTS_MAX);
    for (int i = 0; i < total; i++)
        replay_seek(d->replay, i, INT64_MAX);
    for (int k = 0; k < n; k++) {
        int i = demo_index(d, symbols[k]);
        if (i >= 0)
            replay_seek(d->replay, i, last_closed ? last_closed[k] : -1);
    }
    if (replay_feed_start(&d->play, d->replay, out, d->speed)) {
        snprintf(err, err_len, "cannot start the replay thread");
        return -1;
    }
    return 0;
}

static void demo_stop(struct venue_feed *f) { replay_feed_stop(&D(f)->play); }

static void demo_close(struct venue_feed *f)
{
    if (!f)
        return;
    replay_feed_stop(&D(f)->play);
    replay_close(D(f)->replay);
    free(D(f));
}

static int demo_instruments(struct venue_feed *f, struct instrument *out, int max)
{
    return replay_symbols(D(f)->replay, out, max);
}

static bool demo_bundled(struct venue_feed *f, const char *symbol, const struct candle **c1m, size_t *n1m,
                         const struct candle **htf, int *htf_tf, size_t *nhtf)
{
    struct demo_feed *d = D(f);
    int i = demo_index(d, symbol);
    if (i < 0)
        return false;
    *c1m = replay_candles(d->replay, i, n1m);
    *htf = replay_history(d->replay, i, htf_tf, nhtf);
    return true;
}

static int demo_clock(struct venue_feed *f, int op, double value, struct venue_clock *out)
{
    struct replay_feed *p = &D(f)->play;   /* started: the session asks only then */
    switch (op) {
    case VENUE_CLOCK_PAUSE: replay_feed_pause(p, value != 0); break;
    case VENUE_CLOCK_SPEED: replay_feed_set_speed(p, value); break;
    case VENUE_CLOCK_FASTER: replay_feed_set_speed(p, replay_feed_speed_step(replay_feed_speed(p), 1)); break;
    case VENUE_CLOCK_SLOWER: replay_feed_set_speed(p, replay_feed_speed_step(replay_feed_speed(p), -1)); break;
    case VENUE_CLOCK_STEP: replay_feed_step(p, value > 0 ? (int)value : 1); break;
    default: break;
    }
    out->speed = replay_feed_speed(p);
    out->paused = replay_feed_paused(p);
    out->finished = atomic_load(&p->finished);
    return 0;
}

const struct venue venue_demo = {
    .name = "demo",
    .market = "demo replay",
    .replay = true,
    .open = demo_open,
    .start = demo_start,
    .stop = demo_stop,
    .close = demo_close,
    .instruments = demo_instruments,
    .bundled = demo_bundled,
    .clock = demo_clock,
};
