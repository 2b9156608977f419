/* What the UI (or a script) may ask of the engine. Commands travel through a
 * queue; the engine applies them at its own event time. */
#ifndef ALPHAPULSE_COMMAND_H
#define ALPHAPULSE_COMMAND_H
#include <stdbool.h>
#include <stdint.h>
#include "alphapulse/instrument.h"

enum command_type {
    CMD_MARKET_ORDER,   /* side, qty (0: the configured default size) */
    CMD_CLOSE,          /* close the symbol's position at market */
    CMD_WEBHOOK_SIGNAL, /* an authenticated inbound webhook alert (src/alert/webhook.c):
                         * side, price/stop/tp (0: not given), timeframe, text; it is
                         * queued for the user's review unless auto_take is set */
    /* paper trading: the orders below, risk controls, the kill switch */
    CMD_ORDER,          /* full order: the order fields below */
    CMD_CANCEL,         /* order_id (0: every working order of the symbol) */
    CMD_MODIFY,         /* order_id: price and/or qty (0 keeps) */
    CMD_EXITS,          /* the symbol's position: stop_loss, trail, tp[] (-1 keeps, 0 clears) */
    CMD_KILL,           /* kill switch: cancel all, close all at market, lock */
    CMD_UNLOCK,         /* text must be "UNLOCK" */
    CMD_SETTINGS,       /* payload: a malloc'd struct config (reloaded); the engine frees it */
    CMD_SIGNAL_TAKE,    /* signal_id: mark a new signal taken (the order ticket is wired by paper trading) */
    CMD_SIGNAL_DISMISS, /* signal_id: dismiss a new signal */
};

/* Who asked: trade metrics are kept per source. */
enum order_source { SRC_MANUAL, SRC_STRATEGY, SRC_SIGNAL, SRC_WEBHOOK, SRC_COUNT };

struct command {
    int type;
    char symbol[SYMBOL_MAX];
    int side;           /* +1 buy, -1 sell */
    double qty;
    double price;       /* CMD_ORDER: limit price or stop trigger; webhook: its price */
    char text[96];      /* CMD_UNLOCK: the typed confirmation; webhook: the alert's message
                         * (secrets already removed) */
    /* CMD_WEBHOOK_SIGNAL only (its stop and target travel in stop_loss and tp[0]) */
    char timeframe[8];
    bool auto_take;     /* webhook.auto_take was explicitly on */
    /* CMD_ORDER / CMD_MODIFY / CMD_EXITS; zero means "not given" */
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
    void *payload;      /* CMD_SETTINGS */
    uint64_t signal_id; /* CMD_SIGNAL_* */
};

#endif
