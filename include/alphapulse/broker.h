/* Paper broker: working orders (market, limit, stop) per symbol, one net position
 * per symbol (long or short) with its protective exits (stop-loss, trailing stop,
 * take-profit scale-out at tp1..tp4), and a cash balance in the account currency
 * that moves by realised PnL and fees. Fills come from price paths: a live price
 * is a path of one point; a candle is open -> low -> high -> close for a long
 * (open -> high -> low -> close for a short), the adverse extreme first.
 *
 * With a synced order book for the symbol (broker_on_book, broker_on_trade) the
 * fills come from the book and the trade tape instead, and the candle path is not
 * walked: a market order, a triggered stop and a position's stop-loss or trailing
 * stop fill at once by walking the book (the VWAP of the levels they take; the
 * book is not changed by paper orders); a limit order fills at its price once the
 * tape has traded through it, or has traded at it the volume that rested ahead of
 * it when it was placed plus its own size (its queue); a take-profit fills at its
 * level when a trade reaches it. No slippage in bps applies to those fills. */
#ifndef ALPHAPULSE_BROKER_H
#define ALPHAPULSE_BROKER_H
#include <stdbool.h>
#include <stdint.h>
#include "alphapulse/book.h"

#define BROKER_START_SYMBOLS 64   /* room broker_init makes; broker_reserve grows it */
#define BROKER_MAX_ORDERS 128
#define BROKER_TP 4
#define BROKER_QUEUE_SAVE_MS 60000  /* a limit's queue goes to the store at most this often as trades move it */

enum order_type { ORDER_MARKET, ORDER_LIMIT, ORDER_STOP, ORDER_TYPE_COUNT };

/* Why a fill happened. */
enum fill_reason { FILL_ORDER, FILL_STOP_LOSS, FILL_TRAIL, FILL_TP1, FILL_TP2, FILL_TP3, FILL_TP4 };

/* Exits attached to a position (and carried by an entry order until it fills).
 * Prices of 0 mean "none". tp_frac[i] is the share of base_qty closed at tp[i];
 * the last target set closes whatever is left. */
struct bracket {
    double stop;
    double trail;              /* trailing distance in price units */
    double trail_atr;          /* > 0: trail follows this multiple of ATR (broker_on_atr); 0: fixed */
    double trail_ref;          /* best price since the trail started (0: not yet) */
    double trail_stop;         /* best trailing stop level reached (0: none yet); it never loosens */
    double tp[BROKER_TP];
    double tp_frac[BROKER_TP];
    double base_qty;           /* position size the fractions apply to */
    uint8_t tp_done;           /* bit i: tp[i] has filled */
};

struct position {
    double qty;        /* signed: > 0 long, < 0 short */
    double avg;        /* average entry price */
    double realized;   /* in account currency */
    double fees;       /* in account currency */
    struct bracket br;
    int source;        /* who opened it (enum order_source in command.h terms) */
    int64_t opened;    /* event time it opened, ms */
};

struct broker_order {
    bool active;
    uint64_t id;
    int sym, side, type;       /* side +1 buy, -1 sell; enum order_type */
    double qty;                /* > 0, base units, a multiple of the step */
    double price;              /* limit price or stop trigger (0 for market) */
    bool reduce_only;
    struct bracket br;         /* attached to the position when this fills */
    int source;
    int64_t placed;
    /* a limit order against a book: the volume still to trade at its price
     * before it has filled whole (what rested ahead of it at that level when it
     * was placed or amended, plus its own size); < 0: not measured yet. It is
     * part of the stored order (paper_orders.queue): handed to the store when
     * measured and, as trades move it, at most once a minute of event time
     * (queue_saved: the event time of the last), so a restart resumes it. */
    double queue;
    int64_t queue_saved;
    /* restored with a stored queue: at the first book it is kept unless the
     * level now holds less (what rested ahead of it can only have left) */
    bool queue_restored;
};

/* Why a working order stopped working without filling. */
enum broker_end_why {
    BROKER_END_CANCELLED,      /* broker_cancel / broker_cancel_all */
    BROKER_END_POSITION_CLOSED,/* reduce-only, and the position went flat */
    BROKER_END_NOTHING_TO_REDUCE, /* reduce-only, triggered with no opposite position: refused */
    BROKER_END_BOOK_EMPTY,     /* a market order (or triggered stop) met a book side with no level */
};
struct broker_end { struct broker_order o; int why; };

struct broker_fill {
    uint64_t id, order_id;     /* order_id 0: a position exit (stop, trail, target) */
    int sym, side, reason;     /* enum fill_reason */
    int source;                /* the order's source (exits: the position's) */
    bool maker;
    double qty, price, fee, realized;
    double pos_qty, pos_avg, pos_realized, pos_fees;   /* the position after the fill */
    double balance;                                    /* the balance after the fill */
    /* the top of book when it filled (0: a side was empty) and the levels a taker
     * fill walked (0: a limit or target at its own price); levels -1: filled on
     * the candle path, no book (bid and ask 0) */
    double bid, ask;
    int levels;
    double unfilled;           /* a market order larger than the shown book: the part cancelled */
};

/* Costs. Slippage is adverse, on market and stop fills only: slip_bps of the
 * price plus slip_range times the range of the candle (or update) being walked. */
struct broker_costs { double maker_bps, taker_bps, slip_bps, slip_range; };

/* Exchange rules of one instrument: price tick, quantity step, minimum notional
 * (in the quote currency); 0 disables a rule. perp: a perpetual, held on margin
 * up to paper.max_leverage (risk.h), else spot, cash-only. */
struct broker_inst { double tick, step, min_notional; bool perp; };

/* One price path to walk: a candle, an incremental kline update or a tick. */
struct broker_bar { double open, high, low, close; };

struct broker {
    double balance;
    struct broker_costs cost;
    uint64_t next_order, next_fill;
    int cap;                   /* symbols the per-symbol tables hold (0 .. cap-1) */
    struct position *pos;
    struct broker_inst *inst;
    struct broker_order ord[BROKER_MAX_ORDERS];
    int n_orders;              /* active orders */
    /* bumps whenever a symbol's working orders or its position's exits change (not
     * on a trailing stop's reference moving), so callers can persist the book */
    uint32_t *version;
    /* Orders that stopped working without a fill since the owner last emptied the
     * list (n_ended = 0), oldest first, so none can end unrecorded. Each working
     * order ends at most once and the portfolio empties it after every call, so
     * BROKER_MAX_ORDERS entries suffice; past that, ends are only counted. */
    struct broker_end ended[BROKER_MAX_ORDERS];
    int n_ended;
    uint64_t ended_lost;
};

struct broker_req {
    int sym, side, type;
    double qty, price;
    bool reduce_only;
    struct bracket br;
    int source;
};

enum broker_error {
    BROKER_E_ARG = -1,         /* bad side, type, quantity or price */
    BROKER_E_FULL = -2,        /* order table full */
    BROKER_E_STEP = -3,        /* quantity rounds to zero at the step size */
    BROKER_E_MIN_NOTIONAL = -4,
    BROKER_E_NOT_FOUND = -5,
    BROKER_E_NO_POSITION = -6,
};
const char *broker_error_text(int code);

/* Starts empty with room for BROKER_START_SYMBOLS symbols; broker_free releases
 * the per-symbol tables. */
void broker_init(struct broker *b, double balance, const struct broker_costs *c);
void broker_free(struct broker *b);
/* Room for symbols 0 .. n-1 (the tables double; new symbols start flat); -1
 * when out of memory (the broker unchanged). */
int broker_reserve(struct broker *b, int n);
/* Also makes room for sym. */
void broker_set_inst(struct broker *b, int sym, const struct broker_inst *in);
double broker_round_qty(const struct broker *b, int sym, double qty);     /* down to the step */
double broker_round_price(const struct broker *b, int sym, double price); /* nearest tick */

/* Place an order. ref is the latest price (for the minimum notional of a market
 * order). Returns the order id (> 0) or a negative enum broker_error. */
int64_t broker_place(struct broker *b, const struct broker_req *r, double ref, int64_t t);
int broker_cancel(struct broker *b, uint64_t id);
int broker_cancel_all(struct broker *b, int sym);      /* sym -1: every symbol; returns count */
/* Change a working order's price and/or quantity (0 keeps the value), snapped to
 * the tick and step. Refused, the order unchanged, when the quantity rounds to
 * zero or an order that adds would fall below the minimum notional. */
int broker_modify(struct broker *b, uint64_t id, double price, double qty);
/* Change the position's exits; negative values keep the current one, 0 clears.
 * A trail given here is a fixed distance (it clears an ATR multiple). */
int broker_set_exits(struct broker *b, int sym, double stop, double trail, const double tp[BROKER_TP]);
/* Trail the position by mult x ATR, starting at mult x atr (the trail restarts
 * from the next price, as with broker_set_exits). */
int broker_set_trail_atr(struct broker *b, int sym, double mult, double atr);
/* A new ATR for sym (a closed 1m candle): every ATR trail of sym, on the position
 * and on working entry orders, takes the distance trail_atr x atr. The position's
 * stop level keeps the best level reached: a wider ATR holds the stop where it
 * is until the price carries it further, a narrower one tightens it. */
void broker_on_atr(struct broker *b, int sym, double atr);
/* The position's trailing stop level now (0: no trail or not started). */
double broker_trail_level(const struct broker *b, int sym);
const struct broker_order *broker_order_find(const struct broker *b, uint64_t id);
int broker_orders_for(const struct broker *b, int sym);

/* Walk a price path for sym. conv values one unit of the quote currency in the
 * account currency. Writes up to max fills; returns how many. */
int broker_on_bar(struct broker *b, int sym, const struct broker_bar *bar, double conv, int64_t t,
                  struct broker_fill *out, int max);
double broker_unrealized(const struct broker *b, int sym, double price, double conv);
/* Fills against sym's synced book bk (book.h), which they never change. The
 * market orders of sym fill now, each walking bk: one larger than the whole
 * shown side fills what the book shows and the rest is cancelled (fill.unfilled
 * says how much; an empty side cancels it): the shown book is all a paper fill
 * can honestly be priced at, and a venue's market order that runs out of book
 * also ends with the rest expired. Limit orders whose queue is not measured yet
 * take their place at the back of their level now. Returns the fills written. */
int broker_on_book(struct broker *b, int sym, const struct book *bk, double conv, int64_t t,
                   struct broker_fill *out, int max);
/* A trade of qty at price px on the tape of sym, with bk its synced book (first
 * as broker_on_book). Limit orders at px move up their queue by qty; then, in
 * the candle path's order (the position's exits first, a stop before a target):
 * stops (orders and the position's stop-loss and trailing stop) whose trigger px
 * reached fill walking bk, limits whose queue has traded or that px traded
 * through fill at their price as makers, targets px reached fill at their level. */
int broker_on_trade(struct broker *b, int sym, const struct book *bk, double px, double qty, double conv,
                    int64_t t, struct broker_fill *out, int max);
/* Startup restore: a working order exactly as stored (id kept). */
int broker_restore_order(struct broker *b, const struct broker_order *o);

#endif
