/* A running session: one feed per venue in use (venue.h: the demo replay, live
 * Binance, ...) -> engine thread -> store thread, with the queues between them.
 * The TUI, `collect` and the headless demo all start one; they differ only in
 * the venues and the front end. The session knows venues only through the
 * venue table: symbols name their venue (symbol_id.h), a replay names itself. */
#ifndef ALPHAPULSE_SESSION_H
#define ALPHAPULSE_SESSION_H
#include <pthread.h>
#include <stddef.h>
#include "alphapulse/alert.h"
#include <stdio.h>
#include "alphapulse/engine_thread.h"
#include "alphapulse/config.h"
#include "alphapulse/store.h"
#include "alphapulse/venue.h"
#include "alphapulse/webhook.h"

#define SESSION_DEFAULT_SYMBOLS "BTCUSDT,ETHUSDT,SOLUSDT"

/* The mode a front end prepares a session for (app_setup): the demo or live data. */
enum session_feed { SESSION_REPLAY, SESSION_LIVE };

/* A venue's endpoints (venues.<name>.rest_url/ws_url); NULL: the venue's defaults. */
struct session_endpoints {
    const char *name;            /* a venue's `endpoints` key: "binance", "bybit" */
    const char *rest_url, *ws_url;
};

struct session_options {
    const char *venue;           /* a replay venue ("demo") that lists the symbols; NULL: symbols name
                                    their venues (bare: Binance spot) */
    const char *db;              /* database path */
    const char *symbols;         /* comma-separated; replay: subset (NULL: all); live: NULL = default */
    size_t warm_play;            /* replay: > 0 opens warm, history loaded up to the last warm_play 1m candles */
    struct venue_options live;   /* what every feed is started with: timings, CA file, a replay's manifest
                                    and speed; endpoints come from `endpoints` */
    struct session_endpoints endpoints[VENUE_MAX];
    int n_endpoints;
    bool depth;                  /* live: order book and trades for every symbol (feed.depth) */
    struct engine_config engine; /* paper account settings; symbols come from the feed */
    const struct alert_params *alerts;    /* NULL: no alert dispatcher */
    const struct webhook_params *webhook; /* NULL or listen off: no inbound endpoint */
    FILE *ack_stream;            /* durable orders/fills are printed here (NULL: nowhere) */
    const char *account;         /* paper account (store.h); NULL: the default */
    bool collector;              /* `collect`: store_open_options.collector */
    const char *from_store;      /* live symbols read from the database (store_feed.h), comma-separated; NULL: none */
    bool watch_store;            /* live console: the store feed watches every symbol for a collector that starts
                                    later and takes it over (store_feed_watch); :add/:del reach it too */
    const struct store_retention *retention;   /* storage.retention_days (NULL: the store's defaults) */
};

/* One venue's feed in a session. */
struct session_venue {
    const struct venue *v;
    struct venue_feed *f;
    atomic_bool started;         /* read by the alert dispatcher's thread (session_finished) */
};

struct session {
    struct store *store;
    struct engine *engine;
    /* one market queue per venue feed (queues are single-producer: feeds[i]
     * pushes into market[i]); n_market of them initialised */
    struct spsc market[VENUE_MAX], commands, records;
    int n_market;
    struct engine_thread et;
    struct session_venue feeds[VENUE_MAX];
    atomic_int n_feeds;          /* grows when :add brings a venue not in use yet */
    const struct venue *lister;  /* the replay that listed every symbol; NULL: symbols name their venues */
    const char *from_store;      /* as in session_options */
    bool watch_store;
    pthread_mutex_t symbols_lock; /* symbols into and out of feeds: :add/:del, the store feed's switch */
    struct venue_options vopt;   /* kept to open a feed at :add */
    struct session_endpoints endpoints[VENUE_MAX];
    int n_endpoints;
    struct depth_demand *depth;  /* the books' snapshot requests (feed.depth), or NULL */
    atomic_int stage;            /* how far start got, for stop (the store feed's thread asks too) */
    /* optional parts: alerts out, webhook signals in */
    struct spsc alert_q, inbox;
    struct alert_dispatcher *alerts;
    struct webhook_server *webhook;
    size_t feed_seen;            /* market pushes at the last look (dispatcher thread only) */
    int64_t feed_seen_ns;
};

/* 0, or -1 with the reason in err; -2 when a setting asks for what cannot be
 * done (the webhook cannot listen where it was told): exit status 2. */
int session_start(struct session *s, const struct session_options *o, char *err, size_t err_len);
void session_stop(struct session *s);
/* Add or remove a symbol at runtime (`:add SYM`, `:del SYM`; any spelling
 * symbol_id accepts): on a venue not in use yet, its feed is started. A replay's
 * symbols are fixed. */
int session_add_symbol(struct session *s, const char *symbol, char *err, size_t err_len);
int session_del_symbol(struct session *s, const char *symbol, char *err, size_t err_len);
/* A replay's clock (the console's time keys): 0, or -1 with the reason when no
 * feed of the session has one, or it has finished and op changes it. */
int session_clock(struct session *s, int op, double value, struct venue_clock *out, char *err, size_t err_len);
/* Has every feed with an end (a replay) played to it? false when none has one. */
bool session_finished(struct session *s);
/* A live symbol's (canonical) instrument as far as its name tells: base, quote,
 * its venue's market; the venue's instrument info replaces it. */
void session_guess_instrument(struct instrument *in, const char sym[SYMBOL_MAX]);
/* Parse a comma-separated symbol list into canonical names (venue checked, no
 * duplicates, `binance:X` and `X` the same). Returns the count, or -1 with the
 * reason in err. */
int session_parse_symbols(const char *list, char (*out)[SYMBOL_MAX], int max, char *err, size_t err_len);

/* A replay opens warm: each symbol's bundled history goes into the engine as
 * stored history does (indicators, regimes, hit rates; no signals, nothing
 * news), then the replay plays on from there. Loads the higher-timeframe history
 * older than the 1m data, then the first 1m candles, all but the last
 * play_candles of each symbol (at least half of them play). Call after
 * engine_create and before the stored state is restored and the feed starts
 * (the feed starts after the last loaded candle). Returns the 1m candles loaded. */
size_t session_warm(struct session *s, size_t play_candles);

#endif
