/* What the UI may read: a copy of the engine's state for one view (symbol x
 * timeframe), published by the engine thread and copied out by the UI. */
#ifndef ALPHAPULSE_SNAPSHOT_H
#define ALPHAPULSE_SNAPSHOT_H
#include <stdbool.h>
#include <stdint.h>
#include "alphapulse/event.h"
#include "alphapulse/instrument.h"
#include "alphapulse/portfolio.h"
#include "alphapulse/signal.h"
#include "alphapulse/ta_set.h"

#define SNAP_CANDLES 512
#define SNAP_LOG 64             /* log lines kept for the Log panel's scrollback */
#define SNAP_FEEDS 8                         /* venue feeds of one session (VENUE_MAX) */
#define SNAP_STREAMS (INSTRUMENTS_MAX + 1)   /* one per live stream, and the feed's own */
#define SNAP_SIGNALS 16

/* The strongest candlestick pattern on a closed candle (id -1: none). */
struct snap_mark {
    int16_t id, value;        /* pattern id (patterns.h) and TA-Lib's value */
    int16_t count;            /* how many patterns fired on the candle */
    int8_t trend;             /* context: +1 up, -1 down, 0 none */
    bool volume_confirmed;
    float strength;           /* [0, 1] */
};
#define SNAP_SPARK 32          /* recent closes per symbol, for sparklines */

/* A symbol's order book (feed.depth): its state and top of book. */
struct snap_book {
    bool present;             /* depth data seen for the symbol */
    bool simulated;           /* the demo's synthetic book (sim_book.h), not a venue's */
    uint8_t state;            /* enum depth_state; prices only when synced */
    double bid, ask, bid_qty, ask_qty, tick;   /* tick 0: unknown */
    uint32_t resyncs, gaps, stale, crossed, neg_qty, off_tick;
    uint64_t last_id;
    int64_t last_event_ms;    /* exchange time of the last event applied; 0: none */
};

/* The viewed symbol's book, the whole of each side (at most SNAP_LEVELS, the
 * engine book's bound), best first: the ticket walks it for the expected fill;
 * the book screen draws the best SNAP_DEPTH. Only the viewed symbol's: the
 * snapshot does not grow per symbol. */
#define SNAP_LEVELS 1000
#define SNAP_DEPTH 40
#define SNAP_TAPE 40
struct snap_level { double px, qty; };
struct snap_trade { int64_t time_ms; double px, qty; bool sell; };   /* sell: the seller was the aggressor */
struct snap_depth {
    int sym;                  /* the symbol they belong to; -1: none */
    int n_bids, n_asks;       /* 0 when the book is absent or not synced */
    struct snap_level bids[SNAP_LEVELS], asks[SNAP_LEVELS];
    int n_trades;             /* the tape's latest trades, newest first */
    struct snap_trade trades[SNAP_TAPE];
};

struct snap_symbol {
    char name[SYMBOL_MAX];
    char market[48];          /* where the data comes from, shown honestly */
    double last, day_open;    /* day_open: open of the current UTC day */
    int64_t last_time;
    double pos_qty, pos_avg, pos_upnl, pos_realized;
    bool order_pending;
    bool unsaved;             /* a fill/order of this symbol is not yet on disk */
    int n_closes;             /* recent 1h closes, oldest first; the last */
    double closes[SNAP_SPARK];/* may be the forming candle */
    float confluence;         /* multi-timeframe score in [-1, 1] */
    bool perp;                /* a perpetual: the four below are its ticker's (0: not known yet) */
    double mark, index, funding_rate;
    int64_t next_funding;     /* ms UTC */
    /* the scanner's columns (NAN: not enough history yet) */
    float chg_1h, chg_24h;    /* % change of the last price over 1 h (1m candles) and 24 h (1h candles) */
    double qvol_24h;          /* quote volume of the last 24 closed 1h candles */
    float vol_pct;            /* volatility percentile in [0, 1]: the 1h regime's ATR percentile */
    int8_t regime[TF_COUNT];  /* REGIME_* per timeframe (REGIME_NONE: not warm) */
    float rsi;                /* RSI(14) of the viewed timeframe's latest closed candle */
    int16_t pattern;          /* newest pattern id in the viewed timeframe's last 5 closed candles, -1 none */
    float sig_conf, sig_rr;   /* the symbol's best new signal in the queue (sig_conf NAN: none) */
    struct snap_book book;
};

/* Alerts, filled by the alert dispatcher (not the engine) when one is running. */
#define SNAP_ALERTS 32
enum snap_channel { SNAP_CH_BELL = 1, SNAP_CH_DISCORD = 2, SNAP_CH_TELEGRAM = 4, SNAP_CH_WEBHOOK = 8 };

struct snap_alert {
    int64_t time;             /* event time, ms */
    int8_t kind;              /* enum alert_kind */
    uint8_t channels;         /* enum snap_channel bits the rules chose */
    uint8_t delivered, failed, dropped;   /* channel bits by outcome; the rest pending */
    char symbol[SYMBOL_MAX];
    char text[120];
    char result[64];          /* the latest delivery note, e.g. "discord 429, retry in 2s" */
};

struct snap_alerts {
    bool active;              /* a dispatcher is running */
    uint8_t bell_mode;        /* 0 off, 1 beep, 2 flash */
    uint64_t bell_seq;        /* bumps on each alert that rings the bell */
    uint64_t raised, sent, failed, dropped;
    int n;                    /* recent alerts, newest last */
    struct snap_alert a[SNAP_ALERTS];
    /* inbound webhook endpoint, for the health screen */
    bool wh_listening;
    char wh_addr[72];
    uint64_t wh_accepted, wh_bad_body, wh_bad_token, wh_too_large, wh_rate_limited,
             wh_bad_method, wh_not_found, wh_queue_full;
};

/* The regime of one timeframe of the viewed symbol. */
struct snap_regime {
    int8_t regime;            /* REGIME_* (REGIME_NONE: not warm) */
    int8_t dir;               /* drift direction */
    int8_t align;             /* EMA alignment +1 / -1 / 0 */
    int8_t trend;             /* arrow: EMA(20) slope sign */
    float confidence;
    int32_t age;              /* candles */
    float rsi;                /* latest closed candle's RSI(14) */
    float tf_score;           /* this timeframe's confluence contribution */
};

/* Signal counters and candle-close -> signal latency (measured by the engine
 * thread around engine_step of closed candles, never inside the engine). */
struct snap_signal_stats {
    uint64_t candidates, emitted, resolved, hits;
    uint64_t stale;                 /* new signals that went stale in the queue */
    uint64_t rejected[REJ_COUNT];
    double filter_rate, hit_rate;   /* hit_rate NAN until an outcome is settled */
    int64_t lat_p50_ns, lat_p99_ns; /* 0: not measured */
    uint64_t lat_samples;
};

struct snapshot {
    uint64_t seq;             /* bumps on every publication */
    int64_t now;              /* engine clock: the latest event time */
    int sym, tf;              /* the view */
    int n_candles;            /* oldest first; the last may be forming */
    bool last_forming;
    struct candle candles[SNAP_CANDLES];
    double ema[SNAP_CANDLES], rsi[SNAP_CANDLES];
    struct ta_values ta[SNAP_CANDLES];      /* the full indicator set per candle */
    struct snap_mark mark[SNAP_CANDLES];
    int n_symbols;            /* every symbol; the tables below hold n_symbols entries */
    int cap_symbols;
    struct snap_symbol *symbols;
    char account_ccy[12];
    double balance, equity, unrealized, realized, fees;
    uint64_t events, rejected, fills;   /* events: not counting order book pieces and trades */
    char feed_state[96];      /* the last state any feed reported */
    /* each venue feed's own last state (feed i: market queue i), with the venue's
     * name; n_feeds of them (the session's) */
    int n_feeds;
    char feed_venue[SNAP_FEEDS][16];
    char feed_states[SNAP_FEEDS][96];
    int n_streams;            /* data health, one row per stream (live feeds only) */
    struct stream_health streams[SNAP_STREAMS];
    /* storage acknowledgement: money records up to durable_seq are on disk; the
     * account is "saved" when durable_seq >= money_seq */
    uint64_t money_seq, durable_seq;
    bool storage_failing;
    int n_log;
    char log[SNAP_LOG][160];  /* newest last */
    int64_t log_time[SNAP_LOG];/* each line's engine time (event time), ms; 0: none yet */
    struct snap_alerts alerts;
    /* paper trading, risk and performance */
    struct pf_view paper;
    /* regimes, confluence and signals */
    struct snap_regime regime[TF_COUNT];   /* of the viewed symbol */
    float confluence;                      /* of the viewed symbol */
    int8_t confluence_label;               /* CONF_* */
    int n_signals;
    struct signal signals[SNAP_SIGNALS];   /* all symbols, ranked by confidence */
    struct snap_signal_stats sig;
    struct snap_depth depth;               /* of the viewed symbol (feed.depth) */
};

/* A snapshot holds per-symbol tables: it starts zeroed (calloc), is filled by
 * engine_snapshot (which grows them), copied with snapshot_copy (never memcpy)
 * and released with snapshot_free. -1: out of memory (dst has no symbols). */
int snapshot_reserve(struct snapshot *s, int n);
int snapshot_copy(struct snapshot *dst, const struct snapshot *src);
void snapshot_free(struct snapshot *s);     /* the tables and s itself (NULL: nothing) */

#endif
