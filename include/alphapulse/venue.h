/* A venue: where candles come from, as one small table of data and functions.
 * The session, `collect`, the console and `:add` know venues only through this
 * table; what is particular to an exchange (its REST and WebSocket formats, its
 * symbol check, kline paging, rate limits and error codes) stays in
 * src/feed/<venue>*.c behind it. A new venue is its files plus ONE line in the
 * registry (src/feed/venue.c, VENUES).
 *
 * A venue's running feed is one thread that produces engine events into the
 * market queue: every symbol checked against the venue's instrument info
 * (EE_INSTRUMENT, or dropped with the exchange's words), back-filled over REST
 * from its last stored closed 1m candle, then subscribed live, with each
 * symbol's closed 1m candles delivered in order, none missing, none twice.
 * Events name symbols in their canonical spelling (symbol_id.h): the feed
 * qualifies the exchange's names with venue_canonical. */
#ifndef ALPHAPULSE_VENUE_H
#define ALPHAPULSE_VENUE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "alphapulse/candle.h"
#include "alphapulse/depth_demand.h"
#include "alphapulse/instrument.h"
#include "alphapulse/spsc.h"
#include "alphapulse/symbol_id.h"
#include "alphapulse/symbol_pattern.h"

#define VENUE_MAX 8                 /* venues in the registry, feeds in one session */

/* How a feed is started: endpoints (NULL: the venue's defaults) and the timings
 * every live venue shares; a replay's manifest and speed. */
struct venue_options {
    const char *rest_url, *ws_url;
    const char *ca_file;            /* PEM CAs trusted for https/wss instead of the system's (NULL/"": system) */
    int stale_after_s;              /* no message for this long: reconnect (0: 10) */
    int max_age_s;                  /* planned reconnect after this long (0: 23 h) */
    int history;                    /* 1m candles fetched for a symbol with nothing stored (0: 1000) */
    int backoff_base_ms, backoff_cap_ms;   /* reconnect backoff (0: 500 ms .. 60 s) */
    int streams_per_conn;           /* streams on one WebSocket, where the venue caps them (0: its cap) */
    const char *manifest;           /* a replay's data (the demo) */
    double speed;                   /* a replay's pace, x real time (0: as fast as the engine takes it) */
    /* market depth: books for the symbols listed here, on venues that have them
     * (NULL: none); the engine says when a book wants a snapshot */
    struct depth_demand *depth;
    const char *store_db;           /* the store venue (store_feed.h): the database it reads */
    int store_stale_s;              /* ... and a collector not seen alive this long is gone (0: never) */
};

/* What a REST call of a venue came to, whatever the exchange's own codes: the
 * venue maps its HTTP statuses and error bodies onto these. */
enum venue_status {
    VENUE_OK = 0,
    VENUE_NETWORK = -1,             /* could not connect, timed out, reset */
    VENUE_RATE_LIMITED = -2,        /* the venue asked us to wait (back off, then retry) */
    VENUE_BAD_SYMBOL = -3,          /* the exchange does not know the symbol: drop it, no retry */
    VENUE_REJECTED = -4,            /* another refusal with the exchange's words */
    VENUE_SERVER = -5,              /* the exchange's own failure (5xx) */
    VENUE_BAD_REPLY = -6,           /* an answer of the wrong shape */
    VENUE_STOPPED = -7,             /* we asked to stop mid-request */
    VENUE_TLS = -8,                 /* TLS refused: certificate, host name, CA file */
    VENUE_RESTRICTED = -9,          /* the venue refuses this region (e.g. HTTP 403 with a location notice) */
};
const char *venue_status_name(int status);

/* Time control of a replay (the demo): the console's keys. */
enum venue_clock_op { VENUE_CLOCK_GET, VENUE_CLOCK_PAUSE, VENUE_CLOCK_SPEED, VENUE_CLOCK_FASTER,
                      VENUE_CLOCK_SLOWER, VENUE_CLOCK_STEP };
struct venue_clock { double speed; bool paused, finished; };

struct venue;
/* One venue's feed: the first member of the venue's own state struct (which the
 * rest of the program never sees), so the venue's functions convert back. */
struct venue_feed { const struct venue *v; };

struct venue {
    const char *name;               /* as written before ':' ("binance", "bybit-linear"); lower case */
    const char *market;             /* the instruments' market ("Binance spot") */
    const char *endpoints;          /* config section venues.<endpoints> (venues sharing one, e.g. bybit and
                                       bybit-linear, name the same); NULL: no endpoints (a replay) */
    const char *rest_url, *ws_url;  /* default endpoints */
    bool perpetual;                 /* its instruments are perpetual futures (margin, mark, funding) */
    bool replay;                    /* a recorded source: lists its own symbols, never written in a symbol,
                                       no :add/:del */

    /* The venue's own symbol rules beyond symbol_id's (1-20 of A-Z 0-9); NULL: none. */
    int (*symbol_check)(const char *symbol, char *err, size_t err_len);

    /* A feed's life: open (before the engine exists), start (symbols are the
     * exchange's names, last_closed their last stored closed 1m candle or -1;
     * n may be 0 and symbols come with add), stop (the thread ends and nothing
     * more is queued; clock still answers; also after a failed start), close
     * (frees; after stop, or after a failed open or start). */
    struct venue_feed *(*open)(const struct venue *v, const struct venue_options *o, char *err, size_t err_len);
    int (*start)(struct venue_feed *f, const char (*symbols)[SYMBOL_MAX], const int64_t *last_closed, int n,
                 struct spsc *out, char *err, size_t err_len);
    void (*stop)(struct venue_feed *f);
    void (*close)(struct venue_feed *f);
    /* Live symbol changes (one controlling thread); NULL: the venue has a fixed set. */
    int (*add)(struct venue_feed *f, const char *symbol, char *err, size_t err_len);
    int (*del)(struct venue_feed *f, const char *symbol, char *err, size_t err_len);

    /* Replays only (NULL elsewhere): the symbols it holds (canonical names), its
     * bundled 1m candles and older higher-timeframe history for a warm start,
     * and its clock. */
    int (*instruments)(struct venue_feed *f, struct instrument *out, int max);
    bool (*bundled)(struct venue_feed *f, const char *symbol, const struct candle **c1m, size_t *n1m,
                    const struct candle **htf, int *htf_tf, size_t *nhtf);
    int (*clock)(struct venue_feed *f, int op, double value, struct venue_clock *out);

    /* Every pair the venue lists, with 24 h quote volumes when asked (what
     * feed.symbols patterns resolve against), into a malloc'd array; one
     * blocking request or two to rest_url (NULL: the default). NULL: not offered. */
    int (*listing)(const char *rest_url, const char *ca_file, bool volumes, struct symbol_listed **out, int *n,
                   char *err, size_t err_len);

    /* Room for order-book depth and trade streams: NULL until a venue has them. */
    int (*depth)(struct venue_feed *f, const char *symbol, bool on, char *err, size_t err_len);
    int (*trades)(struct venue_feed *f, const char *symbol, bool on, char *err, size_t err_len);
};

/* The registry. */
const struct venue *venue_find(const char *name);
const struct venue *venue_at(int i);          /* NULL past the last */
/* The names that may qualify a symbol (every venue but replays), NULL-terminated. */
const char *const *venue_names(void);
/* The venue of a canonical symbol ("BTCUSDT": binance); NULL when unknown. */
const struct venue *venue_of(const char *canonical);
/* text -> canonical, checked against the registry and the venue's own rules. */
int venue_symbol_canonical(const char *text, char out[SYMBOL_MAX], char *err, size_t err_len);
/* The canonical name of an exchange symbol on v ("BTCUSDT" on bybit: "bybit:BTCUSDT"). */
void venue_canonical(const struct venue *v, const char *exchange_symbol, char out[SYMBOL_MAX]);

#endif
