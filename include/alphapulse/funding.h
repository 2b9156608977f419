/* Perpetual futures in the paper account: the mark price positions are valued
 * at, and funding booked at each funding time. At a funding time a position of
 * qty (signed, base units) pays qty x mark x rate in the quote currency: a long
 * pays and a short receives when the rate is positive, the other way round when
 * it is negative. The mark and rate used are the last known before the funding
 * time passed (the venue's ticker: markPrice, fundingRate, nextFundingTime). */
#ifndef ALPHAPULSE_FUNDING_H
#define ALPHAPULSE_FUNDING_H
#include <stdbool.h>
#include <stdint.h>

struct broker;
struct portfolio;

/* What one ticker push says; have holds FUNDING_HAVE_* for the fields it carries
 * (a delta carries only what changed). */
enum { FUNDING_HAVE_MARK = 1u << 0, FUNDING_HAVE_INDEX = 1u << 1, FUNDING_HAVE_RATE = 1u << 2,
       FUNDING_HAVE_NEXT = 1u << 3 };
struct funding_tick {
    unsigned have;
    double mark, index, rate;
    int64_t next_time;         /* next funding time, ms UTC */
};

/* A symbol's perpetual state (perp false: a spot instrument, none of this applies). */
struct funding_state {
    bool perp;
    double mark, index, rate;
    int64_t next_time;         /* 0: not known yet */
    int64_t last_booked;       /* the last funding time booked (each is booked once) */
};

/* A funding time that has passed, with the values in force at it. */
struct funding_due { int64_t time; double mark, rate; };

/* A payment booked: amount is signed in the account currency (< 0: paid). */
struct funding_payment {
    int sym;
    int64_t time;
    double qty, mark, rate, conv, amount, balance;
};

/* The signed amount a position of qty receives (> 0) or pays (< 0):
 * -qty x mark x rate x conv. */
double funding_amount(double qty, double mark, double rate, double conv);

/* Time moves to now and a push (may be NULL) arrives: when a known funding time
 * lies at or before now and has not been booked, *due gets it with the mark and
 * rate in force before this push, and 1 is returned (else 0); then the push's
 * fields are merged. Several funding times passed without any push in between
 * are one (the next one is only known from the venue). */
int funding_step(struct funding_state *st, const struct funding_tick *t, int64_t now, struct funding_due *due);

/* Book a due funding on the broker's position of sym: the balance and the
 * position's realised PnL move by the amount. Returns 0, or -1 (nothing booked)
 * when there is no position or the mark is unknown. */
int broker_book_funding(struct broker *b, int sym, const struct funding_due *d, double conv,
                        struct funding_payment *out);

/* The portfolio's entry point: sym is a perpetual, this is its ticker at event
 * time now. Books any funding due on the open position (journalled through the
 * sink's note and funding callbacks, counted in the trade in progress) and keeps
 * the mark price the position is valued at. */
void portfolio_on_ticker(struct portfolio *pf, int sym, const struct funding_tick *t, int64_t now);

#endif
