/* Paper broker: market orders filled at the next price of their symbol, with
 * taker fees; one net position per symbol (long or short); a cash balance that
 * moves by realised PnL and fees, in the account currency. */
#ifndef ALPHAPULSE_BROKER_H
#define ALPHAPULSE_BROKER_H
#include <stdbool.h>
#include <stdint.h>

#define BROKER_MAX_SYMBOLS 64

struct position {
    double qty;        /* signed: > 0 long, < 0 short */
    double avg;        /* average entry price */
    double realized;   /* in account currency */
    double fees;       /* in account currency */
};

struct broker_order {
    bool active;
    uint64_t id;
    int side;          /* +1 buy, -1 sell */
    double qty;        /* > 0, base units */
    int64_t placed;
};

struct broker_fill {
    uint64_t id, order_id;
    int side;
    double qty, price, fee, realized;
};

struct broker {
    double balance, fee_bps;
    uint64_t next_order, next_fill;
    struct position pos[BROKER_MAX_SYMBOLS];
    struct broker_order pending[BROKER_MAX_SYMBOLS];
};

void broker_init(struct broker *b, double balance, double fee_bps);
/* Queue a market order; one pending order per symbol. Returns the order id, or 0
 * when one is already pending or qty is not positive. */
uint64_t broker_market(struct broker *b, int sym, int side, double qty, int64_t t);
/* A new price for sym; conv values one unit of its quote currency in the account
 * currency. Fills the pending order, if any: returns true and fills *f. */
bool broker_on_price(struct broker *b, int sym, double price, double conv, struct broker_fill *f);
double broker_unrealized(const struct broker *b, int sym, double price, double conv);

#endif
