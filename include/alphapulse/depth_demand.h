/* Which books want a new REST snapshot: the engine's book (depth_sync) decides,
 * the feed fetches. The engine raises a symbol's count whenever its book needs a
 * snapshot; the feed fetches one each time the count differs from the one it
 * last served. The names are fixed before the threads start; only the counts
 * change (atomics), so the engine's decisions stay its own and the feed only
 * reads them. */
#ifndef ALPHAPULSE_DEPTH_DEMAND_H
#define ALPHAPULSE_DEPTH_DEMAND_H
#include <stdatomic.h>
#include "alphapulse/instrument.h"

struct depth_demand {
    int n;
    char symbol[INSTRUMENTS_MAX][SYMBOL_MAX];
    atomic_uint wanted[INSTRUMENTS_MAX];
};

/* Every symbol starts wanting its first snapshot (count 1). */
void depth_demand_init(struct depth_demand *d, const char (*symbols)[SYMBOL_MAX], int n);
int depth_demand_find(const struct depth_demand *d, const char *symbol);   /* -1: not listed */

#endif
