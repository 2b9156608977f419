/* The live Binance feed: one network thread that checks symbols (exchangeInfo),
 * keeps combined-stream WebSockets for every symbol's 1m klines (as many as
 * the streams per connection ask, each with its own reconnect), and
 * back-fills over REST after every (re)connect and every gap before live candles
 * are used, so the engine receives each symbol's closed 1m candles in order with
 * none missing. Higher timeframes are built from 1m by the engine, so only
 * `<symbol>@kline_1m` is subscribed. The thread only parses and enqueues. */
#ifndef ALPHAPULSE_LIVE_FEED_H
#define ALPHAPULSE_LIVE_FEED_H
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include "alphapulse/depth_demand.h"
#include "alphapulse/event.h"
#include "alphapulse/spsc.h"

#define LIVE_DEFAULT_REST "https://data-api.binance.vision"
#define LIVE_DEFAULT_WS "wss://data-stream.binance.vision"
#define LIVE_STREAMS_PER_CONN 1024   /* Binance's cap of streams on one connection */

struct live_feed_options {
    const char *rest_url, *ws_url;
    const char *ca_file;      /* PEM CA bundle trusted instead of the system's (NULL/"": system) */
    int stale_after_s;        /* no message for this long: reconnect (default 10) */
    int max_age_s;            /* planned reconnect after this long (default 23 h) */
    int history;              /* 1m candles to fetch for a symbol with nothing stored
                                 (default 1000; rounded back to a UTC day start) */
    int backoff_base_ms, backoff_cap_ms;   /* reconnect backoff (default 500 ms .. 60 s) */
    int streams_per_conn;     /* streams on one connection (default and at most LIVE_STREAMS_PER_CONN);
                                 more symbols open more connections */
    /* market depth: the symbols listed here also get <symbol>@depth@100ms and
     * <symbol>@aggTrade on the same connection, and a REST depth snapshot each
     * time the engine's book asks for one (NULL: klines only) */
    struct depth_demand *depth;
};

struct live_state;

struct live_feed {
    struct live_state *st;
    struct spsc *out;         /* struct engine_event, to the engine thread */
    struct spsc cmds;         /* from the one controlling thread (add/del) */
    pthread_t thread;
    atomic_bool stop;
    bool running;
};

void live_feed_defaults(struct live_feed_options *o);
/* symbols[i] starts after last_closed[i] (open time of its last stored closed 1m
 * candle, -1 for none). */
int live_feed_start(struct live_feed *f, const struct live_feed_options *o, const char (*symbols)[SYMBOL_MAX],
                    const int64_t *last_closed, int n, struct spsc *out, char *err, size_t err_len);
void live_feed_stop(struct live_feed *f);
/* Add or remove a symbol while running (SUBSCRIBE / UNSUBSCRIBE on the live
 * connection). Call from one thread only. Returns 0, or -1 with the reason. */
int live_feed_add(struct live_feed *f, const char *symbol, char *err, size_t err_len);
int live_feed_del(struct live_feed *f, const char *symbol, char *err, size_t err_len);

#endif
