/* The ticket's expected fill (preview_book_fill) walks the whole side the
 * snapshot carries, not only the levels the book screen draws: a buy of 60
 * over 100 ask levels of 1 each, 0.50 apart from 100, takes 60 of them (VWAP
 * 100 + 0.5 x 29.5, slippage 1475 bps); one larger than the side fills the 100
 * it holds; a sell walks the bids. */
#include "harness.h"
#include "alphapulse/preview.h"

static struct snap_depth d;

static void setup(void)
{
    d.sym = 0;
    d.n_asks = d.n_bids = 100;
    for (int i = 0; i < 100; i++) {
        d.asks[i] = (struct snap_level){ 100 + 0.5 * i, 1 };
        d.bids[i] = (struct snap_level){ 99.5 - 0.5 * i, 2 };
    }
}

static void walks_past_the_screens_levels(void)
{
    setup();
    struct book_walk w;
    double bps;
    CHECK(preview_book_fill(&d, 1, 60, &w, &bps));
    CHECK(w.levels == 60 && w.filled == 60 * BOOK_SCALE && 60 > SNAP_DEPTH);
    CHECK_NEAR(w.vwap, 100 + 0.5 * 29.5, 1e-9);
    CHECK_NEAR(bps, 1475, 1e-6);
}

static void a_size_beyond_the_side_fills_what_it_holds(void)
{
    setup();
    struct book_walk w;
    double bps;
    CHECK(preview_book_fill(&d, 1, 150, &w, &bps));
    CHECK(w.levels == 100 && w.filled == 100 * BOOK_SCALE);
    CHECK_NEAR(w.vwap, 100 + 0.5 * 49.5, 1e-9);
    /* a sell of 90 takes 45 bid levels of 2: 99.5 down to 77.5 */
    CHECK(preview_book_fill(&d, -1, 90, &w, &bps));
    CHECK(w.levels == 45 && w.filled == 90 * BOOK_SCALE);
    CHECK_NEAR(w.vwap, 99.5 - 0.5 * 22, 1e-9);
    CHECK_NEAR(bps, 22 * 0.5 / 99.5 * 1e4, 1e-6);
}

int main(void)
{
    RUN(walks_past_the_screens_levels);
    RUN(a_size_beyond_the_side_fills_what_it_holds);
    HARNESS_EXIT();
}
