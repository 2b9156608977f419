/* Bybit V5 as two venues sharing one set of endpoints (venues.bybit.*): `bybit`
 * (spot) and `bybit-linear` (USDT perpetuals), both the Bybit feed (bybit_feed.c)
 * over its REST client and the public spot or linear socket. Events name
 * symbols canonically ("bybit:BTCUSDT", "bybit-linear:BTCUSDT"). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alphapulse/bybit_feed.h"
#include "alphapulse/bybit_rest.h"
#include "alphapulse/venue.h"
#include "venue_options.h"

struct bybit_venue_feed {
    struct venue_feed base;        /* first: what the venue table's functions get */
    struct bybit_feed_options o;
    char prefix[VENUE_NAME_MAX + 1];
    struct bybit_feed feed;
};

static struct bybit_venue_feed *B(struct venue_feed *f) { return (struct bybit_venue_feed *)f; }

static struct venue_feed *bybit_open(const struct venue *v, const struct venue_options *o, char *err,
                                     size_t err_len)
{
    struct bybit_venue_feed *b = calloc(1, sizeof *b);
    if (!b) {
        snprintf(err, err_len, "out of memory");
        return NULL;
    }
    b->base.v = v;
    int category = strcmp(v->name, "bybit-linear") == 0 ? BYBIT_LINEAR : BYBIT_SPOT;
    bybit_feed_defaults(&b->o, category);
    snprintf(b->prefix, sizeof b->prefix, "%s:", v->name);
    b->o.prefix = b->prefix;
    b->o.market = v->market;
    VENUE_OPTIONS_APPLY(&b->o, o);
    return &b->base;
}

static int bybit_start(struct venue_feed *f, const char (*symbols)[SYMBOL_MAX], const int64_t *last_closed, int n,
                       struct spsc *out, char *err, size_t err_len)
{
    return bybit_feed_start(&B(f)->feed, &B(f)->o, symbols, last_closed, n, out, err, err_len);
}

static void bybit_stop(struct venue_feed *f)
{
    bybit_feed_stop(&B(f)->feed);   /* also frees what a failed start left */
}

static void bybit_close(struct venue_feed *f)
{
    if (!f)
        return;
    bybit_feed_stop(&B(f)->feed);   /* a no-op after bybit_stop */
    free(B(f));
}

static int bybit_add(struct venue_feed *f, const char *symbol, char *err, size_t err_len)
{
    return bybit_feed_add(&B(f)->feed, symbol, err, err_len);
}

static int bybit_del(struct venue_feed *f, const char *symbol, char *err, size_t err_len)
{
    return bybit_feed_del(&B(f)->feed, symbol, err, err_len);
}

const struct venue venue_bybit = {
    .name = "bybit",
    .market = "Bybit spot",
    .endpoints = "bybit",
    .rest_url = BYBIT_DEFAULT_REST,
    .ws_url = BYBIT_DEFAULT_WS,
    .open = bybit_open,
    .start = bybit_start,
    .stop = bybit_stop,
    .close = bybit_close,
    .add = bybit_add,
    .del = bybit_del,
};

const struct venue venue_bybit_linear = {
    .name = "bybit-linear",
    .market = "Bybit USDT perpetual",
    .endpoints = "bybit",
    .perpetual = true,
    .rest_url = BYBIT_DEFAULT_REST,
    .ws_url = BYBIT_DEFAULT_WS,
    .open = bybit_open,
    .start = bybit_start,
    .stop = bybit_stop,
    .close = bybit_close,
    .add = bybit_add,
    .del = bybit_del,
};
