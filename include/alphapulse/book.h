/* A limit order book as the venue's depth stream describes it: price levels per
 * side (price -> total resting quantity), in fixed point so that equal prices are
 * equal keys and a replay gives the same book bit for bit. Each side is an AVL
 * tree in a fixed pool (set, remove and best in O(log n)), bounded to BOOK_LEVELS_MAX levels: a new level worse
 * than the worst of a full side is ignored, a better one evicts the worst (the
 * far end of a deep book is the part nobody trades against). Pure: no I/O. */
#ifndef ALPHAPULSE_BOOK_H
#define ALPHAPULSE_BOOK_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* prices and quantities are integers in units of 1e-8 (the venue's 8 decimals) */
#define BOOK_SCALE 100000000LL
#define BOOK_LEVELS_MAX 1000

enum book_side { BOOK_BID = 0, BOOK_ASK = 1 };

/* What book_set refused (each is counted by the caller as a validation rule). */
enum book_rule { BOOK_OK = 0, BOOK_NEG_QTY, BOOK_OFF_TICK, BOOK_BAD_PRICE };

struct book_level { int64_t px, qty; };

struct book_node { int64_t key, qty; int32_t left, right; int32_t height; };

struct book_tree {
    struct book_node node[BOOK_LEVELS_MAX];
    int32_t root, free_head, n, next_unused;
};

struct book {
    struct book_tree side[2];
    int64_t tick;              /* price increment in 1e-8 units; 0: not checked */
    uint64_t truncated;        /* levels ignored or evicted beyond BOOK_LEVELS_MAX */
};

void book_init(struct book *b, int64_t tick);
void book_clear(struct book *b);
/* Sets a level's quantity; 0 removes it. BOOK_OK, or the rule it broke (the book
 * is then unchanged). */
int book_set(struct book *b, int side, int64_t px, int64_t qty);
int64_t book_qty(const struct book *b, int side, int64_t px);   /* 0 when absent */
size_t book_levels(const struct book *b, int side);
bool book_best(const struct book *b, int side, struct book_level *out);
/* The best n levels of a side, best first; returns how many were written. */
size_t book_top(const struct book *b, int side, struct book_level *out, size_t n);
/* Best bid >= best ask (both sides present). */
bool book_crossed(const struct book *b);
/* Two books hold the same levels on both sides. */
bool book_equal(const struct book *a, const struct book *b);

/* A market order of qty walked through the book without changing it: a buy
 * takes the asks best first, a sell the bids. filled < qty when the book holds
 * less (the rest is not filled: a paper order larger than the shown book is
 * partly filled, never priced at levels nobody showed). vwap is notional /
 * filled (0 when nothing filled), worst_px the last level touched. */
struct book_walk {
    int64_t filled, worst_px;
    double notional;           /* sum of px * qty, in price units (not 1e-8) */
    double vwap;
    int levels;                /* levels consumed, the last one possibly in part */
};
void book_walk(const struct book *b, bool buy, int64_t qty, struct book_walk *out);
/* The same walk over another list of levels (best first, e.g. a snapshot's):
 * start zeroed, hand each level to book_walk_level while it returns true (the
 * walk wants more of qty), then book_walk_end sets the VWAP. */
bool book_walk_level(struct book_walk *w, int64_t qty, int64_t px, int64_t level_qty);
void book_walk_end(struct book_walk *w);
/* Slippage of a walk against the best price on its side, in basis points
 * (positive: worse than the best); 0 when the side is empty. */
double book_walk_slippage_bps(const struct book *b, bool buy, const struct book_walk *w);

/* Decimal text ("4.00000200", "12", "0.1") to 1e-8 units: -1 when it is not a
 * plain non-negative decimal or needs more than 8 decimals or overflows. A
 * leading '-' is accepted (so a negative quantity can be refused as such). */
int book_parse_fixed(const char *s, size_t len, int64_t *out);
/* 1e-8 units as text without trailing zeros ("4.000002", "12"). */
void book_fmt_fixed(int64_t v, char *buf, size_t n);
static inline double book_to_double(int64_t v) { return (double)v / (double)BOOK_SCALE; }

#endif
