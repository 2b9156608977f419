/* The paper broker's fill machinery, shared by the candle path (broker.c) and
 * the book and tape (broker_depth.c). Private to src/paper. */
#ifndef ALPHAPULSE_PAPER_BROKER_WALK_H
#define ALPHAPULSE_PAPER_BROKER_WALK_H
#include "alphapulse/broker.h"

/* One call's fills for one symbol. */
struct walk {
    struct broker *b;
    int sym;
    double conv, range;
    int64_t t;
    const struct book *bk;     /* the synced book (depth fills); NULL on the candle path */
    int levels;                /* levels the taker fill being booked walked */
    double unfilled;           /* the part of the order being booked that the book did not hold */
    struct broker_fill *out;
    int n, max;
};

/* Candidates: working orders (index >= 0) and position exits (index -1 - k:
 * k 0 stop, 1 trail, 2.. targets). dir +1: fires when the price rises to the
 * level; -1: when it falls to it; 0: a market order. */
struct cand { int idx, dir; double level; };

#define FILLED (-1)             /* broker_drop(): the order left the book by filling */

void broker_drop(struct broker *b, struct broker_order *o, int why);
/* Book a fill against the position; returns the realised PnL (account currency). */
double broker_book_fill(struct walk *w, int side, double qty, double price, bool maker, int reason,
                        uint64_t order_id, const struct broker_order *o);
int broker_gather(const struct walk *w, struct cand *c, bool with_targets);
/* Fill candidate c, triggered at price at (gap: the price jumped past its level). */
void broker_fire(struct walk *w, const struct cand *c, double at, bool gap);
void broker_trail_update(struct broker *b, int sym, double p);

/* broker_depth.c: a taker fill of qty walked through w->bk (w->levels set):
 * the quantity the book holds, at most qty, and its VWAP in *price. */
double broker_depth_take(struct walk *w, int side, double qty, double *price);
/* The fill's top of book and levels walked. */
void broker_depth_top(const struct walk *w, struct broker_fill *f);

#endif
