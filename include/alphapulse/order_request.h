/* What the paper account is asked to do: an order, a close, a cancel or modify, a
 * position's exits, the kill switch or unlocking it. The engine turns user,
 * webhook and strategy commands into these; paper needs no command type. */
#ifndef ALPHAPULSE_ORDER_REQUEST_H
#define ALPHAPULSE_ORDER_REQUEST_H
#include <stdbool.h>
#include <stdint.h>

/* Who asked: trade metrics are kept per source. */
enum order_source { SRC_MANUAL, SRC_STRATEGY, SRC_SIGNAL, SRC_WEBHOOK, SRC_COUNT };

enum order_request_type {
    REQ_MARKET_ORDER,   /* side, qty (0: the configured default size) */
    REQ_CLOSE,          /* close the symbol's position at market */
    REQ_ORDER,          /* full order: the order fields below */
    REQ_CANCEL,         /* order_id (0: every working order of the symbol) */
    REQ_MODIFY,         /* order_id: price and/or qty (0 keeps) */
    REQ_EXITS,          /* the position: stop_loss, trail, tp[] (-1 keeps, 0 clears) */
    REQ_KILL,           /* cancel all, close all at market, lock */
    REQ_UNLOCK,         /* text must be "UNLOCK" */
};

struct order_request {
    int type;           /* enum order_request_type */
    int side;           /* +1 buy, -1 sell */
    double qty;
    double price;       /* limit price or stop trigger */
    char text[96];      /* REQ_UNLOCK: the typed confirmation */
    /* zero means "not given" */
    int order_type;     /* enum order_type (broker.h) */
    int size_method;    /* enum size_method (sizing.h); used when qty is 0 */
    double size;        /* the size method's parameter */
    double atr_mult;    /* SIZE_ATR and trailing by ATR: multiple of ATR(14) on 1m */
    double stop_loss;   /* attached stop-loss price */
    double trail;       /* attached trailing distance (price units) */
    double trail_atr;   /* or trailing distance as a multiple of ATR(14) */
    double tp[4];       /* take-profit targets tp1..tp4 */
    double tp_frac[4];  /* share of the position closed at each (0: equal shares) */
    bool reduce_only;
    int source;         /* enum order_source */
    uint64_t order_id;
};

#endif
