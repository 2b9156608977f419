/* Strategies: small rule-based order sources for backtests (and, later, the live
 * console), fed one closed candle of their timeframe at a time with the engine's
 * indicator values. They only propose order requests; the engine sizes nothing they do
 * not ask for and the risk manager checks every order as it would a key press.
 * The consensus signal engine will plug in here as "signals" once it exists. */
#ifndef ALPHAPULSE_STRATEGY_H
#define ALPHAPULSE_STRATEGY_H
#include "alphapulse/candle.h"
#include "alphapulse/order_request.h"
#include "alphapulse/ta_set.h"

#define STRATEGY_MAX_CMDS 4

struct strategy_ctx {
    const char *symbol;
    int tf;
    const struct candle *c;          /* the candle that just closed */
    const struct ta_values *v;       /* its indicator values */
    double equity;                   /* account currency */
    double conv;                     /* one quote unit in the account currency */
    double pos_qty;                  /* current position (signed) */
    double max_position;             /* the risk limit, fraction of equity */
};

struct strategy {
    const char *name;
    const char *rule;                /* one line: what it does, for reports */
    void (*reset)(void *state);
    /* Writes up to STRATEGY_MAX_CMDS requests; returns how many. */
    int (*on_candle)(void *state, const struct strategy_ctx *ctx, struct order_request *out);
    size_t state_size;
};

/* NULL if there is no such strategy. */
const struct strategy *strategy_find(const char *name);
const char *strategy_names(void);    /* "ema_cross" ... for usage text */

#endif
