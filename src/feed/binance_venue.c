/* Binance spot as a venue: the live feed (live_feed.c) over Binance's REST
 * (binance_rest.c) and combined-stream WebSocket (binance_ws.c, kline_json.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alphapulse/live_feed.h"
#include "alphapulse/venue.h"
#include "venue_options.h"

struct binance_feed {
    struct venue_feed base;        /* first: what the venue table's functions get */
    struct live_feed_options o;
    struct live_feed live;
};

static struct binance_feed *B(struct venue_feed *f) { return (struct binance_feed *)f; }

static struct venue_feed *binance_open(const struct venue *v, const struct venue_options *o, char *err,
                                       size_t err_len)
{
    struct binance_feed *b = calloc(1, sizeof *b);
    if (!b) {
        snprintf(err, err_len, "out of memory");
        return NULL;
    }
    b->base.v = v;
    live_feed_defaults(&b->o);
    VENUE_OPTIONS_APPLY(&b->o, o);
    b->o.depth = o->depth;
    if (o->max_age_s > 0)
        b->o.max_age_s = o->max_age_s;
    if (o->streams_per_conn > 0)
        b->o.streams_per_conn = o->streams_per_conn;
    return &b->base;
}

static int binance_start(struct venue_feed *f, const char (*symbols)[SYMBOL_MAX], const int64_t *last_closed,
                         int n, struct spsc *out, char *err, size_t err_len)
{
    return live_feed_start(&B(f)->live, &B(f)->o, symbols, last_closed, n, out, err, err_len);
}

static void binance_stop(struct venue_feed *f)
{
    live_feed_stop(&B(f)->live);   /* also frees what a failed start left */
}

static void binance_close(struct venue_feed *f)
{
    if (!f)
        return;
    live_feed_stop(&B(f)->live);   /* a no-op after binance_stop */
    free(B(f));
}

static int binance_add(struct venue_feed *f, const char *symbol, char *err, size_t err_len)
{
    return live_feed_add(&B(f)->live, symbol, err, err_len);
}

static int binance_del(struct venue_feed *f, const char *symbol, char *err, size_t err_len)
{
    return live_feed_del(&B(f)->live, symbol, err, err_len);
}

const struct venue venue_binance = {
    .name = "binance",
    .market = "Binance spot",
    .endpoints = "binance",
    .rest_url = LIVE_DEFAULT_REST,
    .ws_url = LIVE_DEFAULT_WS,
    .open = binance_open,
    .start = binance_start,
    .stop = binance_stop,
    .close = binance_close,
    .add = binance_add,
    .del = binance_del,
};
