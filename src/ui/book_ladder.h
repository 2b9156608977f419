/* The order book screen's arithmetic, pure: levels grouped into buckets of
 * group ticks (bids down to the bucket's floor, asks up to its ceiling, so no
 * bucket crosses the spread), cumulative depth from the best outwards, and the
 * spread in ticks and basis points, and the user's working limit orders marked
 * on the rows of their prices. */
#ifndef ALPHAPULSE_UI_BOOK_LADDER_H
#define ALPHAPULSE_UI_BOOK_LADDER_H
#include "alphapulse/snapshot.h"

/* own: the quantity of the user's working orders in the row's bucket */
struct ladder_row { double px, qty, cum, own; };

#define LADDER_ROWS (SNAP_DEPTH + PF_VIEW_ORDERS)   /* the levels, and a row per own order between them */

struct ladder {
    int n_bids, n_asks;                        /* rows per side, best first */
    struct ladder_row bids[LADDER_ROWS], asks[LADDER_ROWS];
    double max_cum;                            /* the largest cumulative of either side */
};

/* Groups the levels (best first) into buckets of group ticks; tick <= 0 or
 * group <= 1 keeps the levels as they are. Returns the rows of both sides. */
int ladder_build(const struct snap_level *bids, int n_bids, const struct snap_level *asks, int n_asks,
                 double tick, int group, struct ladder *out);

/* The user's working limit orders (side +1 buy, -1 sell; price; quantity) on
 * the rows: each adds its quantity to the row of its bucket on its side (a buy
 * on the bids, a sell on the asks, grouped as the levels are); one whose bucket
 * holds no level but lies before the side's last row (between two levels, or
 * inside the spread) gets a row of its own with no book quantity. Returns how
 * many lie beyond the last row of their side (not marked). */
struct ladder_own { int side; double px, qty; };
int ladder_mark(struct ladder *l, const struct ladder_own *o, int n, double tick, int group);

/* The spread of a best bid and ask in ticks (-1: tick unknown) and basis
 * points of the mid; false when a side is missing. */
bool ladder_spread(double bid, double ask, double tick, double *ticks, double *bps);

/* Rows of each side shown in h rows with one row for the spread between:
 * the asks get the upper half, the bids the lower. */
void ladder_fit(int h, int n_asks, int n_bids, int *show_asks, int *show_bids);

#endif
