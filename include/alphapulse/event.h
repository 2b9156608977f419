/* Events as the feeds and the UI hand them to the engine: kline updates, partial
 * (still forming) or closed, commands, feed state and health, instruments. Every
 * driver — live, demo, backtest, tests — produces these; they are core types so
 * a feed needs no engine header. */
#ifndef ALPHAPULSE_EVENT_H
#define ALPHAPULSE_EVENT_H
#include <stdbool.h>
#include <stdint.h>
#include "alphapulse/book.h"
#include "alphapulse/candle.h"
#include "alphapulse/command.h"
#include "alphapulse/instrument.h"
#include "alphapulse/signal_record.h"
#include "alphapulse/tape.h"

struct kline_event {
    char symbol[SYMBOL_MAX];   /* upper case, e.g. BTCUSDT */
    int tf;                    /* enum timeframe */
    bool closed;               /* final candle ("x": true) */
    int64_t event_time;        /* exchange event time "E", ms */
    int64_t recv_ns;           /* monotonic receive time, for latency; 0 if unknown */
    bool history;              /* fetched to fill a gap (backfill): analysed, never news */
    bool stored;               /* read from the database (a collector wrote it): not written again */
    struct candle c;
};

/* Per-stream data health, reported by live feeds and shown on the health screen.
 * Rules are the reasons a message or candle was refused (or flagged). */
enum stream_rule {
    SR_SYNTAX,            /* not JSON, truncated, binary or oversized */
    SR_FIELD,             /* a field missing or of the wrong type */
    SR_NAN,               /* the candle rules of candle_check, in its order */
    SR_NONPOSITIVE,
    SR_HIGH_LT_LOW,
    SR_OC_OUTSIDE,
    SR_NEG_VOLUME,
    SR_DUPLICATE,         /* a candle already closed, sent again */
    SR_OUT_OF_ORDER,      /* older than one already seen */
    SR_INTERVAL,          /* not the 1m interval we subscribed to */
    STREAM_RULE_COUNT
};
const char *stream_rule_name(int rule);

enum stream_state {
    STREAM_CHECKING, STREAM_CONNECTING, STREAM_WAITING, STREAM_BACKFILL, STREAM_LIVE,
    STREAM_STALE, STREAM_BACKOFF, STREAM_INVALID, STREAM_REMOVED, STREAM_STATE_COUNT
};
const char *stream_state_name(int state);

struct stream_health {
    char name[24];              /* "BTCUSDT 1m", or "connection" for the socket itself */
    uint8_t state;              /* enum stream_state */
    int64_t last_msg_ms;        /* wall clock (UTC ms) of the last message; 0: none yet */
    float msgs_per_s;
    float quality;              /* 0..1, see stream_check.h */
    uint32_t messages, reconnects, gaps_filled, candles_filled, unfillable, outliers;
    uint32_t rejected[STREAM_RULE_COUNT];
};

/* What the store thread has done with the engine's records, as the thread that
 * drives the engine saw it just before stepping this event. The engine decides
 * back-pressure (bulk records withheld, orders refused) from these alone, so a
 * replay of the same events decides the same whatever the disk does. */
struct storage_health {
    bool failing;               /* the last write failed */
    uint32_t backlog;           /* records in the queue when seen; only shrinks after */
    uint64_t durable_seq;       /* every money record with seq <= this is on disk */
};

/* A perpetual's ticker (Bybit linear tickers.<SYMBOL>, merged from snapshot and
 * deltas by the feed): the mark price positions are valued at, the funding rate
 * and the next funding time. have: TICKER_HAVE_* of the fields known. */
enum { TICKER_HAVE_LAST = 1u << 0, TICKER_HAVE_MARK = 1u << 1, TICKER_HAVE_INDEX = 1u << 2,
       TICKER_HAVE_RATE = 1u << 3, TICKER_HAVE_NEXT = 1u << 4 };
struct ticker_event {
    char symbol[SYMBOL_MAX];
    unsigned have;
    double last, mark, index, funding_rate;
    int64_t next_funding;      /* ms UTC */
    int64_t time;              /* exchange time of the push, ms: the engine's clock for it */
};

/* EE_DEPTH: one piece of a diff-depth event or of a REST depth snapshot. A
 * message with more levels than a piece holds travels as consecutive pieces with
 * the same ids; the engine applies it when the piece marked last arrives (the
 * network thread never touches the book, and an event stays a plain value, so a
 * replay of the same events rebuilds the same book). */
#define DEPTH_PIECE_LEVELS 14
struct depth_piece {
    char symbol[SYMBOL_MAX];
    uint8_t snapshot;          /* 1: a REST snapshot, 0: a diff event */
    uint8_t last;              /* the message's final piece */
    uint8_t nb, na;            /* levels here: nb bids then na asks */
    uint8_t simulated;         /* 1: made up around replayed candles (sim_book.h) */
    uint64_t first_id, last_id;
    int64_t event_time;        /* exchange time, ms (0 for a snapshot) */
    int64_t recv_ns;           /* monotonic receive time; 0 if unknown */
    struct book_level lv[DEPTH_PIECE_LEVELS];
};

/* EE_TRADE: one aggregated trade. */
struct trade_event {
    char symbol[SYMBOL_MAX];
    struct tape_trade t;
    int64_t recv_ns;
    bool simulated;            /* made up around replayed candles (sim_book.h): never stored */
};

/* EE_SIGNAL: a collector's signal as stored (its row, new or changed), read
 * by a console that takes the symbol's candles from the database: the console
 * shows it instead of raising its own, and never stores it again. */
struct stored_signal {
    char symbol[SYMBOL_MAX];
    int tf;                    /* enum timeframe */
    bool first;                /* the first row of it this console reads (later: a change) */
    struct record_signal s;
};

/* EE_INSTRUMENT: a symbol's exchange details (updates a known symbol, adds a new
 * one: live `:add`); EE_FEED_HEALTH: one row of the data-health table;
 * EE_STORAGE: storage health (not counted as an event: it is bookkeeping). */
enum engine_event_type { EE_KLINE, EE_COMMAND, EE_FEED_STATE, EE_INSTRUMENT, EE_FEED_HEALTH, EE_STORAGE,
                         EE_TICKER, EE_DEPTH, EE_TRADE, EE_SIGNAL };

struct engine_event {
    int type;
    union {
        struct kline_event k;
        struct command cmd;
        char state[96];           /* feed state text for the header */
        struct instrument inst;
        struct stream_health health;
        struct storage_health storage;
        struct ticker_event tk;
        struct depth_piece depth;
        struct trade_event trade;
        struct stored_signal sig;
    } u;
};

#endif
