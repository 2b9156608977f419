/* Keeping a local order book in step with the venue's diff-depth stream, as
 * Binance documents it: buffer the diff events, take a REST snapshot, drop the
 * events it already contains (u <= lastUpdateId), the first event applied must
 * straddle it (U <= lastUpdateId + 1 <= u), each later one must follow on
 * (U == previous u + 1). A snapshot older than the buffered events is refused
 * (another is wanted, the buffer kept); a gap, a negative quantity, a price off
 * the tick or a crossed book after an event throw the book away: resyncing, the
 * book is rebuilt from a new snapshot and the events buffered since. The book is
 * only handed out when synced (never half-built). Pure and deterministic: the
 * same calls give the same book and counters. */
#ifndef ALPHAPULSE_DEPTH_SYNC_H
#define ALPHAPULSE_DEPTH_SYNC_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "alphapulse/book.h"
#include "alphapulse/event.h"

/* One diff event ("depthUpdate") or one snapshot: nb bid levels then na ask
 * levels in lv (a quantity of 0 removes the level). */
struct depth_update {
    uint64_t first_id, last_id;    /* U, u; a snapshot has both = lastUpdateId */
    int64_t event_time;            /* E, ms; 0 for a snapshot */
    uint32_t nb, na;
    const struct book_level *lv;
};

enum depth_state { DEPTH_SYNCING, DEPTH_SYNCED, DEPTH_RESYNCING, DEPTH_STATE_COUNT };
const char *depth_state_name(int state);

/* What one call did. */
enum depth_result {
    DEPTH_APPLIED,         /* the book changed */
    DEPTH_BUFFERED,        /* kept until a snapshot arrives */
    DEPTH_OLD,             /* already in the book (u <= its update id): dropped */
    DEPTH_SNAP_SYNCED,     /* snapshot and buffered events applied: synced */
    DEPTH_SNAP_STALE,      /* snapshot older than the buffered events: another wanted */
    DEPTH_SNAP_IGNORED,    /* a snapshot while synced (nobody asked for it) */
    DEPTH_RESYNC,          /* the book was thrown away; a snapshot is wanted */
};

struct depth_stats {
    uint32_t resyncs;          /* books thrown away */
    uint32_t gaps;             /* an event that did not follow on */
    uint32_t stale_snapshots;  /* snapshots older than the buffered events */
    uint32_t crossed, neg_qty, off_tick, bad_price;   /* validation rules */
    uint32_t buffer_overflows; /* the pre-snapshot buffer filled up and was emptied */
    uint64_t applied, old;     /* events applied / dropped as already contained */
};

#define DEPTH_BUFFER_EVENTS 1024
#define DEPTH_BUFFER_LEVELS (64 * 1024)

struct depth_sync {
    struct book book;
    int state;                 /* enum depth_state */
    uint64_t last_id;          /* the book's update id (synced) */
    bool first_pending;        /* synced, but no event applied on the snapshot yet */
    uint32_t snapshots_wanted; /* grows by one each time a new snapshot is needed */
    struct depth_stats st;
    /* diff events buffered while not synced (their levels in blv) */
    struct depth_update buf[DEPTH_BUFFER_EVENTS];
    size_t nbuf, nblv;
    struct book_level *blv;
};

/* tick: the symbol's price increment in 1e-8 units (0: not checked). Returns -1
 * when out of memory. */
int depth_sync_init(struct depth_sync *ds, int64_t tick);
void depth_sync_free(struct depth_sync *ds);
int depth_sync_update(struct depth_sync *ds, const struct depth_update *ev);
int depth_sync_snapshot(struct depth_sync *ds, const struct depth_update *snap);
/* The book when synced, NULL otherwise. */
const struct book *depth_sync_book(const struct depth_sync *ds);

/* A message in engine-event pieces (event.h, struct depth_piece): how many, and
 * piece i of them (levels i*DEPTH_PIECE_LEVELS.. of bids-then-asks). */
int depth_piece_count(const struct depth_update *u);
void depth_piece_make(const struct depth_update *u, const char *symbol, bool snapshot, int64_t recv_ns, int i,
                      struct depth_piece *out);

#endif
