/* The trade tape: the most recent trades of one symbol in a bounded ring (the
 * venue's aggregated trades: one row per taker order and price). Pure. */
#ifndef ALPHAPULSE_TAPE_H
#define ALPHAPULSE_TAPE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TAPE_MAX 512

struct tape_trade {
    uint64_t id;               /* aggregate trade id ("a"), consecutive per symbol */
    int64_t time_ms;           /* trade time ("T") */
    int64_t px, qty;           /* 1e-8 units (book.h) */
    bool buyer_maker;          /* "m": the seller was the aggressor */
};

struct tape {
    struct tape_trade t[TAPE_MAX];
    uint32_t head;             /* next slot to write */
    uint32_t n;                /* trades held, <= TAPE_MAX */
    uint64_t last_id;          /* 0: none yet */
    uint64_t gaps;             /* pushes whose id did not follow the last one */
    uint64_t stale;            /* trades older than (or equal to) the last id: ignored */
};

void tape_init(struct tape *t);
/* Adds a trade; one whose id is not above the last is ignored (false). A jump in
 * ids is counted in gaps and the trade kept. */
bool tape_push(struct tape *t, const struct tape_trade *tr);
size_t tape_len(const struct tape *t);
/* The k-th most recent trade (0: the newest); NULL when k >= tape_len. */
const struct tape_trade *tape_get(const struct tape *t, size_t k);

#endif
