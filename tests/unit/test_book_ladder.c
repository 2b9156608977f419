/* The order book screen's arithmetic: levels kept as they are at group 1,
 * grouped into 10-tick buckets (bids down, asks up: no bucket crosses the
 * spread) with the quantities summed, cumulative depth from the best outwards,
 * the spread in ticks and bps, and the rows fitted around the spread. */
#include <math.h>

#include "harness.h"
#include "../../src/ui/book_ladder.h"

static const struct snap_level bids[] = { { 100.00, 1 }, { 99.99, 2 }, { 99.91, 3 }, { 99.90, 4 }, { 99.85, 5 } };
static const struct snap_level asks[] = { { 100.01, 1.5 }, { 100.05, 2 }, { 100.10, 1 }, { 100.11, 4 } };

static void group_one_keeps_levels(void)
{
    struct ladder l;
    CHECK(ladder_build(bids, 5, asks, 4, 0.01, 1, &l) == 9);
    CHECK(l.n_bids == 5 && l.n_asks == 4);
    CHECK_NEAR(l.bids[0].px, 100.00, 1e-12);
    CHECK_NEAR(l.bids[4].cum, 15, 1e-12);
    CHECK_NEAR(l.asks[1].cum, 3.5, 1e-12);
    CHECK_NEAR(l.asks[3].cum, 8.5, 1e-12);
    CHECK_NEAR(l.max_cum, 15, 1e-12);
}

static void group_ten_buckets(void)
{
    struct ladder l;
    ladder_build(bids, 5, asks, 4, 0.01, 10, &l);
    /* bids: 100.00 | 99.99 99.91 99.90 -> 99.90 | 99.85 -> 99.80 */
    CHECK_MSG(l.n_bids == 3, "%d", l.n_bids);
    CHECK_NEAR(l.bids[0].px, 100.00, 1e-9);
    CHECK_NEAR(l.bids[0].qty, 1, 1e-12);
    CHECK_NEAR(l.bids[1].px, 99.90, 1e-9);
    CHECK_NEAR(l.bids[1].qty, 9, 1e-12);
    CHECK_NEAR(l.bids[1].cum, 10, 1e-12);
    CHECK_NEAR(l.bids[2].px, 99.80, 1e-9);
    CHECK_NEAR(l.bids[2].cum, 15, 1e-12);
    /* asks: 100.01 100.05 100.10 -> 100.10 | 100.11 -> 100.20 */
    CHECK_MSG(l.n_asks == 2, "%d", l.n_asks);
    CHECK_NEAR(l.asks[0].px, 100.10, 1e-9);
    CHECK_NEAR(l.asks[0].qty, 4.5, 1e-12);
    CHECK_NEAR(l.asks[1].px, 100.20, 1e-9);
    CHECK_NEAR(l.asks[1].cum, 8.5, 1e-12);
    /* group 100: one bucket a side */
    ladder_build(bids, 5, asks, 4, 0.01, 100, &l);
    CHECK(l.n_bids == 2 && l.n_asks == 1);          /* 100.00 | 99.xx -> 99.00 */
    CHECK_NEAR(l.bids[1].px, 99.00, 1e-9);
    CHECK_NEAR(l.asks[0].px, 101.00, 1e-9);
    /* an unknown tick cannot group */
    ladder_build(bids, 5, asks, 4, 0, 10, &l);
    CHECK(l.n_bids == 5 && l.n_asks == 4);
}

static void spread_in_ticks_and_bps(void)
{
    double t, b;
    CHECK(ladder_spread(100.00, 100.01, 0.01, &t, &b));
    CHECK_NEAR(t, 1, 1e-12);
    CHECK_NEAR(b, 0.01 / 100.005 * 1e4, 1e-9);
    CHECK(ladder_spread(100, 100.5, 0, &t, &b) && t == -1);
    CHECK(!ladder_spread(0, 100.5, 0.01, &t, &b));
}

static void rows_fit_around_the_spread(void)
{
    int a, b;
    ladder_fit(21, 40, 40, &a, &b);
    CHECK(a == 10 && b == 10);
    ladder_fit(21, 3, 40, &a, &b);
    CHECK(a == 3 && b == 17);
    ladder_fit(21, 40, 2, &a, &b);
    CHECK(a == 18 && b == 2);
    ladder_fit(1, 5, 5, &a, &b);
    CHECK(a == 0 && b == 0);
    ladder_fit(5, 1, 1, &a, &b);
    CHECK(a == 1 && b == 1);
}

static void own_orders_on_their_rows(void)
{
    struct ladder l;
    ladder_build(bids, 5, asks, 4, 0.01, 1, &l);
    struct ladder_own o[] = {
        { 1, 99.91, 0.5 },              /* on a bid level */
        { 1, 99.91, 0.25 },             /* the same level: summed */
        { 1, 99.95, 1 },                /* between 99.99 and 99.91: a row of its own */
        { -1, 100.02, 2 },              /* inside the asks, between levels */
        { 1, 100.005, 1 },              /* inside the spread: the best bid row */
        { 1, 90, 1 },                   /* beyond the last bid row */
    };
    CHECK(ladder_mark(&l, o, 6, 0.01, 1) == 1);
    CHECK(l.n_bids == 7 && l.n_asks == 5);
    CHECK_NEAR(l.bids[0].px, 100.005, 1e-12);
    CHECK_NEAR(l.bids[0].own, 1, 1e-12);
    CHECK(l.bids[0].qty == 0 && l.bids[0].cum == 0);
    CHECK_NEAR(l.bids[3].px, 99.95, 1e-9);
    CHECK(l.bids[3].qty == 0 && l.bids[3].own == 1);
    CHECK_NEAR(l.bids[3].cum, 3, 1e-12);             /* the depth better than it */
    CHECK_NEAR(l.bids[4].px, 99.91, 1e-9);
    CHECK_NEAR(l.bids[4].own, 0.75, 1e-12);
    CHECK_NEAR(l.bids[4].qty, 3, 1e-12);
    CHECK_NEAR(l.asks[1].px, 100.02, 1e-9);
    CHECK(l.asks[1].own == 2 && l.asks[2].own == 0);
    /* grouped: the order joins its bucket's row */
    ladder_build(bids, 5, asks, 4, 0.01, 10, &l);
    struct ladder_own g = { 1, 99.97, 1 };
    CHECK(ladder_mark(&l, &g, 1, 0.01, 10) == 0);
    CHECK(l.n_bids == 3 && l.bids[1].own == 1);      /* 99.97 -> the 99.90 bucket */
}

int main(void)
{
    RUN(group_one_keeps_levels);
    RUN(group_ten_buckets);
    RUN(spread_in_ticks_and_bps);
    RUN(rows_fit_around_the_spread);
    RUN(own_orders_on_their_rows);
    HARNESS_EXIT();
}
