/* What the UI (or a script) may ask of the engine. Commands travel through a
 * queue; the engine applies them at its own event time. */
#ifndef ALPHAPULSE_COMMAND_H
#define ALPHAPULSE_COMMAND_H
#include <stdbool.h>
#include <stdint.h>
#include "alphapulse/event.h"

enum command_type {
    CMD_MARKET_ORDER,   /* side, qty (0: the configured default size) */
    CMD_CLOSE,          /* close the symbol's position at market */
    CMD_WEBHOOK_SIGNAL, /* an authenticated inbound webhook alert (src/alert/webhook.c):
                         * side, price/stop/tp (0: not given), timeframe, text; it is
                         * queued for the user's review unless auto_take is set */
    CMD_SIGNAL_TAKE,    /* signal_id: mark a new signal taken (the order ticket is wired by paper trading) */
    CMD_SIGNAL_DISMISS, /* signal_id: dismiss a new signal */
};

struct command {
    int type;
    char symbol[SYMBOL_MAX];
    int side;           /* +1 buy, -1 sell */
    double qty;
    /* CMD_WEBHOOK_SIGNAL only */
    double price, stop, tp;
    char timeframe[8];
    bool auto_take;     /* webhook.auto_take was explicitly on */
    char text[96];      /* the alert's message, secrets already removed */
    uint64_t signal_id; /* CMD_SIGNAL_* */
};

#endif
