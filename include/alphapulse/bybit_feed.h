/* The live Bybit V5 feed (spot or USDT perpetuals): one network thread that
 * checks symbols (instruments-info), keeps public WebSockets (/v5/public/spot
 * or /linear) subscribed to every symbol's kline.1 topic (and tickers on linear)
 * in requests of at most 10 args, pings each every 20 s, and back-fills over REST
 * after every (re)connect and every gap, so the engine receives each symbol's
 * closed 1m candles in order with none missing and none twice: the guarantees
 * of the Binance feed (live_feed.h). A topic the server refuses, or a symbol
 * instruments-info does not list, is reported and dropped, never retried. The
 * thread only parses and enqueues. It takes any number of symbols, at start and
 * by bybit_feed_add, spread over as many connections as they need. */
#ifndef ALPHAPULSE_BYBIT_FEED_H
#define ALPHAPULSE_BYBIT_FEED_H
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include "alphapulse/bybit_parse.h"
#include "alphapulse/event.h"
#include "alphapulse/spsc.h"

/* Symbols per WebSocket connection. Bybit documents no cap on topics per
 * connection, only that one connection's args total at most 21,000 characters
 * (and at most 1000 connections per IP, 500 new ones per 5 minutes). 100
 * symbols are at most 200 topics (linear: kline and tickers) of at most 47
 * characters, under half that cap whatever the names; a connection then
 * resubscribes 10 to 20 requests after a reconnect, and a dropped connection
 * leaves at most 100 symbols to back-fill, while 2000 symbols (feed.max_symbols)
 * need only 20 connections. */
#define BYBIT_SYMBOLS_PER_CONN 100

struct bybit_feed_options {
    const char *rest_url, *ws_url;   /* base URLs: "https://api.bybit.com", "wss://stream.bybit.com" */
    const char *ca_file;
    int category;                    /* BYBIT_SPOT or BYBIT_LINEAR */
    const char *prefix;              /* put before the exchange's symbol in events ("bybit:"), or "" */
    const char *market;              /* the instruments' market, e.g. "Bybit spot" */
    int stale_after_s;               /* no message for this long: reconnect (default 30; pongs count) */
    int ping_ms;                     /* application-level ping period (default 20000) */
    int history;                     /* 1m candles fetched for a symbol with nothing stored (default 1000) */
    int backoff_base_ms, backoff_cap_ms;
};

struct bybit_feed_state;

struct bybit_feed {
    struct bybit_feed_state *st;
    struct spsc *out;
    struct spsc cmds;
    pthread_t thread;
    atomic_bool stop;
    bool running;
};

void bybit_feed_defaults(struct bybit_feed_options *o, int category);
/* symbols are the exchange's names; last_closed[i] the open time of the last
 * stored closed 1m candle of symbols[i] (-1: none). */
int bybit_feed_start(struct bybit_feed *f, const struct bybit_feed_options *o, const char (*symbols)[SYMBOL_MAX],
                     const int64_t *last_closed, int n, struct spsc *out, char *err, size_t err_len);
void bybit_feed_stop(struct bybit_feed *f);
int bybit_feed_add(struct bybit_feed *f, const char *symbol, char *err, size_t err_len);
int bybit_feed_del(struct bybit_feed *f, const char *symbol, char *err, size_t err_len);

#endif
