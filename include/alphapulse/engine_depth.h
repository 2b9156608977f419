/* The engine's order books and trade tapes (market depth): EE_DEPTH pieces are
 * put together into diff events and snapshots and kept in step per symbol
 * (depth_sync.h); EE_TRADE goes to the symbol's tape. All of it is engine state,
 * changed only by events, so a replay rebuilds the same books. */
#ifndef ALPHAPULSE_ENGINE_DEPTH_H
#define ALPHAPULSE_ENGINE_DEPTH_H
#include <stdbool.h>
#include "alphapulse/depth_demand.h"
#include "alphapulse/depth_sync.h"
#include "alphapulse/event.h"
#include "alphapulse/tape.h"

struct engine;

/* Where the engine says which books want a snapshot (NULL: nobody listens, as
 * in a replay of recorded events). */
void engine_set_depth_demand(struct engine *e, struct depth_demand *d);
/* A symbol's book state (NULL: no depth seen for it); depth_sync_book() of it
 * is the book when synced. */
const struct depth_sync *engine_depth(const struct engine *e, const char *symbol);
const struct tape *engine_tape(const struct engine *e, const char *symbol);
/* Pieces dropped because a message came incomplete or too large. */
uint64_t engine_depth_dropped(const struct engine *e);

#endif
