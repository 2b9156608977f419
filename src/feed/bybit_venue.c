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
    if (o->rest_url && *o->rest_url)
        b->o.rest_url = o->rest_url;
    if (o->ws_url && *o->ws_url)
        b->o.ws_url = o->ws_url;
    b->o.ca_file = o->ca_file;
    if (o->stale_after_s > 0)
        b->o.stale_after_s = o->stale_after_s;
    if (o->history > 0)
        b->o.history = o->history;
    if (o->backoff_base_ms > 0)
        b->o.backoff_base_ms = o->backoff_base_ms;
    if (o->backoff_cap_ms > 0)
        b->o.backoff_cap_ms = o->backoff_cap_ms;
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
