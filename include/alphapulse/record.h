/* Records the engine hands to the store thread through one queue, in order. A fill
 * record carries the position and balance after it, so one record is one atomic
 * write. Every record the engine queues gets a sequence number; the store thread
 * publishes the highest one it has committed durably (struct record_ack), which is
 * how the UI learns that a fill or an order is on disk. */
#ifndef ALPHAPULSE_RECORD_H
#define ALPHAPULSE_RECORD_H
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include "alphapulse/event.h"
#include "alphapulse/broker.h"
#include "alphapulse/risk.h"
#include "alphapulse/signal.h"
#include "alphapulse/signal_record.h"

enum record_type {
    REC_CANDLE,
    REC_FILL,
    REC_JOURNAL,
    REC_ORDER,          /* an order's life: cancelled or rejected after it was placed (upsert by
                         * id; the orders table; placed comes with REC_BOOK_ORDER, filled with REC_FILL) */
    REC_SIGNAL,         /* a signal emitted or its state/outcome changed (upsert by id) */
    REC_EQUITY,         /* an account/equity snapshot */
    REC_RISK,           /* the risk manager's state after a change (one row, replaced) */
    REC_RISK_EVENT,     /* a rejection, a lock, the kill switch */
    REC_ALERT,          /* an alert sent or received */
    REC_BOOK,           /* a symbol's stored book is replaced: clear it, then */
    REC_BOOK_ORDER,     /*   one per working order (what a restart restores), then */
    REC_EXITS,          /*   the position's exits (stop, trail, targets) */
    REC_FUNDING,        /* a perpetual's funding payment, with the balance and realized after it */
    REC_TRADE,          /* a venue's aggregated trade (storage.trades): the agg_trades table */
    REC_FORMING,        /* the 1m candle still forming (u.candle; time: its event time): the store
                         * thread keeps the newest per symbol and writes it apart, a few times a
                         * second, for consoles reading this collector's candles (not a batch row) */
    REC_TYPE_COUNT
};

/* Records that touch money: committed with synchronous=FULL before the UI shows
 * them as done, and never dropped for lack of queue space (see record_reserve). */
static inline bool record_is_money(int type)
{
    return type == REC_FILL || type == REC_ORDER || type == REC_RISK || type == REC_BOOK ||
           type == REC_BOOK_ORDER || type == REC_EXITS || type == REC_FUNDING;
}

/* Slots of the record queue kept free for money records: bulk records (candles,
 * journal, equity) are dropped once fewer than this many slots are free, and the
 * engine refuses new orders once fewer than half of it are free. "Free" is what
 * the last storage-health event said plus what the engine queued since. */
#define RECORD_RESERVE 1024

/* Bulk records one market event queues at most (a 1m candle closing every
 * timeframe, its signals and notes): the engine thread steps a market event only
 * with this much room above the reserve, and otherwise waits for the store. */
#define RECORD_EVENT_MAX 64

struct record_exits { struct bracket br; int source; int64_t opened; };

struct record_fill {
    uint64_t id, order_id;
    int side;                      /* +1 buy, -1 sell */
    double qty, price, fee, realized;
    double pos_qty, pos_avg, pos_realized, pos_fees;   /* position after the fill */
    double balance;                /* account balance after the fill */
    /* the top of book when it filled and the levels a taker fill walked (0: a
     * limit or target at its price); levels -1: a candle fill (stored as NULL) */
    double bid, ask;
    int levels;
};

/* A funding payment (funding.h): the funding time is the record's time, one per
 * symbol and time (a second write of it changes nothing). */
struct record_funding {
    double qty, mark, rate, amount;    /* position size at the funding time; amount < 0: paid */
    double pos_realized;               /* the position's realized PnL after it */
    double balance;                    /* account balance after it */
};

/* An aggregated trade (tape.h), time = its trade time; one row per symbol and id. */
struct record_trade {
    uint64_t id;
    double price, qty;
    bool buyer_maker;                  /* the seller was the aggressor */
};

enum order_status { ORDER_PLACED, ORDER_FILLED, ORDER_CANCELLED, ORDER_REJECTED, ORDER_STATUS_COUNT };

struct record_order {
    uint64_t id;
    int side;                      /* +1 buy, -1 sell */
    int type;                      /* enum order_type */
    int status;                    /* enum order_status */
    double qty;                    /* base units */
    double price;                  /* limit/stop price; 0 for market */
    double filled_qty, avg_price;
    int64_t placed;                /* event time it was accepted */
    char reason[48];               /* why cancelled/rejected, or what placed it */
};

struct record_equity {
    double balance, equity, unrealized, realized, fees, exposure;
};

/* Risk manager state: restored exactly at startup. */
struct record_text {
    char kind[16];                 /* journal: command, decision, fill, note; risk/alert: its kind */
    char text[200];
};

struct record {
    int type;
    uint64_t seq;                  /* set by the engine when queued: 1, 2, 3 ... */
    int64_t time;                  /* event time, ms UTC */
    char symbol[SYMBOL_MAX];       /* "" when not about one symbol */
    int tf;
    union {
        struct candle candle;
        struct record_fill fill;
        struct record_order order;          /* REC_ORDER */
        struct record_signal signal;
        struct record_equity equity;
        struct risk_state risk;             /* REC_RISK */
        struct record_text text;            /* REC_JOURNAL, REC_RISK_EVENT, REC_ALERT */
        struct broker_order book_order;     /* REC_BOOK_ORDER */
        struct record_exits exits;          /* REC_EXITS */
        struct record_funding funding;      /* REC_FUNDING */
        struct record_trade trade;          /* REC_TRADE */
    } u;
};

/* Published by the store thread; the engine thread reads it and hands it to the
 * engine as an EE_STORAGE event (event.h), never the engine itself. */
struct record_ack {
    atomic_ullong durable_seq;     /* every money record with seq <= this is on disk */
    atomic_int failing;            /* the last write failed */
};

const char *record_order_type_name(int type);
const char *record_order_status_name(int status);
const char *record_signal_state_name(int state);
const char *record_signal_outcome_name(int outcome);
/* name -> value, or -1 */
int record_order_status_parse(const char *s);
int record_order_type_parse(const char *s);
int record_signal_state_parse(const char *s);
int record_signal_outcome_parse(const char *s);

#endif
