/* Records the engine hands to the store thread through a queue. A fill record
 * carries the position and balance after it, so one record is one atomic write. */
#ifndef ALPHAPULSE_RECORD_H
#define ALPHAPULSE_RECORD_H
#include <stdint.h>
#include "alphapulse/event.h"
#include "alphapulse/broker.h"
#include "alphapulse/risk.h"

enum record_type { REC_CANDLE, REC_FILL, REC_JOURNAL,
                   REC_RISK,              /* issue 7: risk state after a change */
                   REC_BOOK,              /* issue 7: symbol's stored book is replaced: clear it, */
                   REC_ORDER,             /*   then one per working order, */
                   REC_EXITS };           /*   then the position's exits */

struct record_exits { struct bracket br; int source; int64_t opened; };

struct record_fill {
    uint64_t id, order_id;
    int side;                      /* +1 buy, -1 sell */
    double qty, price, fee, realized;
    double pos_qty, pos_avg, pos_realized, pos_fees;   /* position after the fill */
    double balance;                /* account balance after the fill */
};

struct record {
    int type;
    int64_t time;                  /* event time, ms UTC */
    char symbol[SYMBOL_MAX];
    int tf;
    union {
        struct candle candle;
        struct record_fill fill;
        char text[200];            /* journal line */
        struct risk_state risk;    /* REC_RISK */
        struct broker_order order; /* REC_ORDER */
        struct record_exits exits; /* REC_EXITS */
    } u;
};

#endif
