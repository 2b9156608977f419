/* Order book sides and the trade tape: levels set, replaced and removed, best
 * first, bounded depth, the validation rules, and a long random run against a
 * plain sorted-array reference. */
#include <stdlib.h>

#include "harness.h"
#include "alphapulse/book.h"
#include "alphapulse/tape.h"

#define P(x) ((int64_t)((x) * BOOK_SCALE + 0.5))

static void levels_best_first(void)
{
    static struct book b;
    book_init(&b, 0);
    CHECK(book_set(&b, BOOK_BID, P(100), P(1)) == BOOK_OK);
    CHECK(book_set(&b, BOOK_BID, P(101), P(2)) == BOOK_OK);
    CHECK(book_set(&b, BOOK_BID, P(99), P(3)) == BOOK_OK);
    CHECK(book_set(&b, BOOK_ASK, P(103), P(4)) == BOOK_OK);
    CHECK(book_set(&b, BOOK_ASK, P(102), P(5)) == BOOK_OK);
    struct book_level top[4];
    CHECK(book_top(&b, BOOK_BID, top, 4) == 3);
    CHECK(top[0].px == P(101) && top[0].qty == P(2));
    CHECK(top[1].px == P(100) && top[2].px == P(99));
    CHECK(book_top(&b, BOOK_ASK, top, 4) == 2);
    CHECK(top[0].px == P(102) && top[1].px == P(103));
    struct book_level best;
    CHECK(book_best(&b, BOOK_BID, &best) && best.px == P(101));
    CHECK(!book_crossed(&b));
    /* replace, remove, remove an absent level */
    CHECK(book_set(&b, BOOK_BID, P(101), P(7)) == BOOK_OK);
    CHECK(book_qty(&b, BOOK_BID, P(101)) == P(7));
    CHECK(book_set(&b, BOOK_BID, P(101), 0) == BOOK_OK);
    CHECK(book_set(&b, BOOK_BID, P(55), 0) == BOOK_OK);
    CHECK(book_levels(&b, BOOK_BID) == 2);
    CHECK(book_best(&b, BOOK_BID, &best) && best.px == P(100));
    CHECK(book_set(&b, BOOK_BID, P(102), P(1)) == BOOK_OK);
    CHECK(book_crossed(&b));
}

static void validation_rules(void)
{
    static struct book b;
    book_init(&b, P(0.01));
    CHECK(book_set(&b, BOOK_BID, P(100.01), P(1)) == BOOK_OK);
    CHECK(book_set(&b, BOOK_BID, P(100.015), P(1)) == BOOK_OFF_TICK);
    CHECK(book_set(&b, BOOK_ASK, P(101), -1) == BOOK_NEG_QTY);
    CHECK(book_set(&b, BOOK_ASK, 0, P(1)) == BOOK_BAD_PRICE);
    CHECK(book_levels(&b, BOOK_ASK) == 0 && book_levels(&b, BOOK_BID) == 1);
}

static void bounded_depth(void)
{
    static struct book b;
    book_init(&b, 0);
    for (int i = 1; i <= BOOK_LEVELS_MAX; i++)
        CHECK(book_set(&b, BOOK_ASK, P(1000 + i), P(1)) == BOOK_OK);
    CHECK(book_levels(&b, BOOK_ASK) == BOOK_LEVELS_MAX);
    /* worse than the worst kept: ignored */
    CHECK(book_set(&b, BOOK_ASK, P(5000), P(1)) == BOOK_OK);
    CHECK(book_qty(&b, BOOK_ASK, P(5000)) == 0);
    /* better: the worst is evicted */
    CHECK(book_set(&b, BOOK_ASK, P(1000), P(2)) == BOOK_OK);
    CHECK(book_levels(&b, BOOK_ASK) == BOOK_LEVELS_MAX);
    CHECK(book_qty(&b, BOOK_ASK, P(1000 + BOOK_LEVELS_MAX)) == 0);
    CHECK(book_qty(&b, BOOK_ASK, P(1000)) == P(2));
    CHECK(b.truncated == 2);
}

/* reference: each side a sorted array, best first */
struct ref { struct book_level l[2][BOOK_LEVELS_MAX + 1]; size_t n[2]; };

static bool better(int side, int64_t a, int64_t b) { return side == BOOK_BID ? a > b : a < b; }

static void ref_set(struct ref *r, int side, int64_t px, int64_t qty)
{
    struct book_level *l = r->l[side];
    size_t *n = &r->n[side], i = 0;
    while (i < *n && better(side, l[i].px, px))
        i++;
    if (i < *n && l[i].px == px) {
        if (qty == 0) {
            memmove(l + i, l + i + 1, (*n - i - 1) * sizeof *l);
            (*n)--;
        } else {
            l[i].qty = qty;
        }
        return;
    }
    if (qty == 0)
        return;
    if (*n == BOOK_LEVELS_MAX && i == *n)
        return;
    memmove(l + i + 1, l + i, (*n - i) * sizeof *l);
    l[i] = (struct book_level){ px, qty };
    if (*n < BOOK_LEVELS_MAX)
        (*n)++;
}

static void random_against_reference(void)
{
    static struct book b;
    static struct ref r;
    static struct book_level top[BOOK_LEVELS_MAX];
    book_init(&b, 0);
    memset(&r, 0, sizeof r);
    srand(7);
    int bad = 0;
    for (int step = 0; step < 200000 && !bad; step++) {
        int side = rand() & 1;
        /* prices over 1500 ticks so a side fills up and evicts */
        int64_t px = (side == BOOK_BID ? 1 : 1500) + rand() % 1500;
        int64_t qty = rand() % 5 == 0 ? 0 : 1 + rand() % 1000;
        CHECK(book_set(&b, side, px, qty) == BOOK_OK);
        ref_set(&r, side, px, qty);
        if (step % 997 == 0 || step == 199999)
            for (int s = 0; s < 2; s++) {
                size_t n = book_top(&b, s, top, BOOK_LEVELS_MAX);
                if (n != r.n[s] || memcmp(top, r.l[s], n * sizeof *top) != 0) {
                    CHECK_MSG(0, "step %d side %d: %zu levels, reference %zu", step, s, n, r.n[s]);
                    bad = 1;
                }
            }
    }
    CHECK(b.truncated > 1000);     /* the bound was exercised */
    static struct book c;
    book_init(&c, 0);
    for (int s = 0; s < 2; s++)
        for (size_t i = 0; i < r.n[s]; i++)
            book_set(&c, s, r.l[s][r.n[s] - 1 - i].px, r.l[s][r.n[s] - 1 - i].qty);
    CHECK(book_equal(&b, &c));
    book_set(&c, BOOK_BID, r.l[0][0].px, r.l[0][0].qty + 1);
    CHECK(!book_equal(&b, &c));
}

/* A buy of 3.5 against asks 100 x 1, 101 x 2, 103 x 4: 1 @ 100 + 2 @ 101 + 0.5 @ 103
 * = 353.5, VWAP 101; slippage (101 - 100) / 100 = 100 bps. A sell of 10 against
 * bids of 3 in all fills 3 only. */
static void walk_vwap(void)
{
    static struct book b;
    book_init(&b, 0);
    book_set(&b, BOOK_ASK, P(100), P(1));
    book_set(&b, BOOK_ASK, P(101), P(2));
    book_set(&b, BOOK_ASK, P(103), P(4));
    book_set(&b, BOOK_BID, P(99), P(1));
    book_set(&b, BOOK_BID, P(98), P(2));
    struct book_walk w;
    book_walk(&b, true, P(3.5), &w);
    CHECK(w.filled == P(3.5) && w.levels == 3 && w.worst_px == P(103));
    CHECK(w.notional == 353.5 && w.vwap == 101.0);
    CHECK(book_walk_slippage_bps(&b, true, &w) == 100.0);
    CHECK(book_qty(&b, BOOK_ASK, P(103)) == P(4));    /* the book is not changed */
    book_walk(&b, false, P(10), &w);
    CHECK(w.filled == P(3) && w.levels == 2 && w.notional == 295.0);
    CHECK_NEAR(w.vwap, 295.0 / 3, 1e-15);
    book_walk(&b, true, P(1), &w);
    CHECK(w.vwap == 100.0 && book_walk_slippage_bps(&b, true, &w) == 0.0);
    static struct book empty;
    book_init(&empty, 0);
    book_walk(&empty, true, P(1), &w);
    CHECK(w.filled == 0 && w.vwap == 0 && book_walk_slippage_bps(&empty, true, &w) == 0);
}

static void fixed_point_text(void)
{
    int64_t v;
    CHECK(book_parse_fixed("4.00000200", 10, &v) == 0 && v == 400000200);
    CHECK(book_parse_fixed("12", 2, &v) == 0 && v == 1200000000);
    CHECK(book_parse_fixed("0.1", 3, &v) == 0 && v == 10000000);
    CHECK(book_parse_fixed("-2.5", 4, &v) == 0 && v == -250000000);
    CHECK(book_parse_fixed("1.000000000", 11, &v) == 0 && v == BOOK_SCALE);
    CHECK(book_parse_fixed("1.000000001", 11, &v) == -1);
    CHECK(book_parse_fixed("", 0, &v) == -1);
    CHECK(book_parse_fixed("1.", 2, &v) == -1);
    CHECK(book_parse_fixed("1e5", 3, &v) == -1);
    CHECK(book_parse_fixed("99999999999999999999", 20, &v) == -1);
    char buf[32];
    book_fmt_fixed(400000200, buf, sizeof buf);
    CHECK(strcmp(buf, "4.000002") == 0);
    book_fmt_fixed(1200000000, buf, sizeof buf);
    CHECK(strcmp(buf, "12") == 0);
    book_fmt_fixed(-5, buf, sizeof buf);
    CHECK(strcmp(buf, "-0.00000005") == 0);
}

static void tape_ring(void)
{
    static struct tape t;
    tape_init(&t);
    for (uint64_t id = 1; id <= TAPE_MAX + 10; id++) {
        struct tape_trade tr = { .id = id, .time_ms = (int64_t)id, .px = P(1), .qty = P(1) };
        CHECK(tape_push(&t, &tr));
    }
    CHECK(tape_len(&t) == TAPE_MAX);
    CHECK(tape_get(&t, 0)->id == TAPE_MAX + 10);
    CHECK(tape_get(&t, TAPE_MAX - 1)->id == 11);
    CHECK(tape_get(&t, TAPE_MAX) == NULL);
    struct tape_trade old = { .id = 5 }, jump = { .id = TAPE_MAX + 20 };
    CHECK(!tape_push(&t, &old) && t.stale == 1);
    CHECK(tape_push(&t, &jump) && t.gaps == 1 && tape_get(&t, 0)->id == TAPE_MAX + 20);
}

int main(void)
{
    RUN(levels_best_first);
    RUN(validation_rules);
    RUN(bounded_depth);
    RUN(random_against_reference);
    RUN(walk_vwap);
    RUN(fixed_point_text);
    RUN(tape_ring);
    HARNESS_EXIT();
}
