/* A running session: a feed (the demo replay or live Binance) -> engine thread ->
 * store thread, with the queues between them. The TUI, `collect` and the
 * headless demo all start one; they differ only in the feed and the front end. */
#ifndef ALPHAPULSE_SESSION_H
#define ALPHAPULSE_SESSION_H
#include <stddef.h>
#include "alphapulse/alert.h"
#include <stdio.h>
#include "alphapulse/engine_thread.h"
#include "alphapulse/feed.h"
#include "alphapulse/config.h"
#include "alphapulse/live_feed.h"
#include "alphapulse/store.h"
#include "alphapulse/webhook.h"

#define SESSION_DEFAULT_SYMBOLS "BTCUSDT,ETHUSDT,SOLUSDT"

enum session_feed { SESSION_REPLAY, SESSION_LIVE };

struct session_options {
    enum session_feed feed;      /* SESSION_REPLAY (demo) or SESSION_LIVE */
    const char *db;              /* database path */
    const char *manifest;        /* demo manifest (replay) */
    const char *symbols;         /* comma-separated; replay: subset (NULL: all); live: NULL = default */
    double speed;                /* replay speed, x real time */
    size_t warm_play;            /* replay: > 0 opens warm, history loaded up to the last warm_play 1m candles */
    struct live_feed_options live;   /* live endpoints and timings */
    bool depth;                  /* live: order book and trades for every symbol (feed.depth) */
    struct engine_config engine; /* paper account settings; symbols come from the feed */
    const struct alert_params *alerts;    /* NULL: no alert dispatcher */
    const struct webhook_params *webhook; /* NULL or listen off: no inbound endpoint */
    FILE *ack_stream;            /* durable orders/fills are printed here (NULL: nowhere) */
};

struct session {
    enum session_feed kind;
    struct replay *replay;
    struct store *store;
    struct engine *engine;
    struct spsc market, commands, records;
    struct engine_thread et;
    struct replay_feed feed;
    struct live_feed live;
    struct depth_demand *depth;  /* the books' snapshot requests (feed.depth), or NULL */
    int stage;                   /* how far start got, for stop */
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
/* Live sessions: add or remove a symbol at runtime (`:add SYM`, `:del SYM`). */
int session_add_symbol(struct session *s, const char *symbol, char *err, size_t err_len);
int session_del_symbol(struct session *s, const char *symbol, char *err, size_t err_len);
/* Parse a comma-separated symbol list (upper-cased, validated, no duplicates).
 * Returns the count, or -1 with the reason in err. */
int session_parse_symbols(const char *list, char (*out)[SYMBOL_MAX], int max, char *err, size_t err_len);

struct replay;
/* The demo opens warm: each symbol's history goes into the engine as stored
 * history does (indicators, regimes, hit rates; no signals, nothing news), then
 * the replay plays on from there. Loads the higher-timeframe history older than
 * the 1m data, then the first 1m candles, all but the last play_candles of
 * each symbol (at least half of them play); seeks the replay past them. Call
 * after engine_create and before the stored state is restored and the feed
 * starts. Returns the 1m candles loaded. */
size_t replay_warm(struct replay *r, struct engine *e, size_t play_candles);

#endif
