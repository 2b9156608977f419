/* The order book screen's arithmetic, pure: levels grouped into buckets of
 * group ticks (bids down to the bucket's floor, asks up to its ceiling, so no
 * bucket crosses the spread), cumulative depth from the best outwards, and the
 * spread in ticks and basis points. */
#ifndef ALPHAPULSE_UI_BOOK_LADDER_H
#define ALPHAPULSE_UI_BOOK_LADDER_H
#include "alphapulse/snapshot.h"

struct ladder_row { double px, qty, cum; };

struct ladder {
    int n_bids, n_asks;                        /* rows per side, best first */
    struct ladder_row bids[SNAP_DEPTH], asks[SNAP_DEPTH];
    double max_cum;                            /* the largest cumulative of either side */
};

/* Groups the levels (best first) into buckets of group ticks; tick <= 0 or
 * group <= 1 keeps the levels as they are. Returns the rows of both sides. */
int ladder_build(const struct snap_level *bids, int n_bids, const struct snap_level *asks, int n_asks,
                 double tick, int group, struct ladder *out);

/* The spread of a best bid and ask in ticks (-1: tick unknown) and basis
 * points of the mid; false when a side is missing. */
bool ladder_spread(double bid, double ask, double tick, double *ticks, double *bps);

/* Rows of each side shown in h rows with one row for the spread between:
 * the asks get the upper half, the bids the lower. */
void ladder_fit(int h, int n_asks, int n_bids, int *show_asks, int *show_bids);

#endif
