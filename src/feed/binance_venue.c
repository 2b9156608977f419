/* Binance spot as a venue: the live feed (live_feed.c) over Binance's REST
 * (binance_rest.c) and combined-stream WebSocket (binance_ws.c, kline_json.c),
 * and its listing for feed.symbols patterns. */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alphapulse/binance_rest.h"
#include "alphapulse/live_feed.h"
#include "alphapulse/symtab.h"
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

/* The whole listing (exchangeInfo) and, for top:N patterns, every 24 h ticker. */
static int binance_listing(const char *rest_url, const char *ca_file, bool volumes, struct symbol_listed **out,
                         int *n, char *err, size_t err_len)
{
    struct binance_rest r;
    atomic_bool stop;
    atomic_init(&stop, false);
    if (binance_rest_init(&r, rest_url ? rest_url : LIVE_DEFAULT_REST, ca_file, &stop, err, err_len))
        return -1;
    struct binance_symbol_info *info = NULL;
    struct binance_ticker *tk = NULL;
    size_t ni = 0, nt = 0;
    char why[256];
    int rc = binance_rest_symbols(&r, &info, &ni, why, sizeof why);
    if (rc == BREST_OK && volumes)
        rc = binance_rest_tickers(&r, &tk, &nt, why, sizeof why);
    binance_rest_free(&r);
    if (rc != BREST_OK) {
        snprintf(err, err_len, "the symbol patterns need Binance's list (%s): %s", rest_url ? rest_url : LIVE_DEFAULT_REST, why);
        free(info);
        free(tk);
        return -1;
    }
    struct symtab vol;
    symtab_init(&vol);
    for (size_t j = 0; j < nt; j++)
        symtab_put(&vol, tk[j].symbol, (int)j);
    struct symbol_listed *l = calloc(ni ? ni : 1, sizeof *l);
    for (size_t j = 0; l && j < ni; j++) {
        int t = symtab_get(&vol, info[j].symbol);
        snprintf(l[j].symbol, sizeof l[j].symbol, "%s", info[j].symbol);
        snprintf(l[j].quote, sizeof l[j].quote, "%s", info[j].quote);
        l[j].trading = strcmp(info[j].status, "TRADING") == 0;
        l[j].quote_volume = t >= 0 ? tk[t].quote_volume : 0;
    }
    symtab_free(&vol);
    free(info);
    free(tk);
    if (!l) {
        snprintf(err, err_len, "out of memory");
        return -1;
    }
    *out = l;
    *n = (int)ni;
    return 0;
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
    .listing = binance_listing,
};
