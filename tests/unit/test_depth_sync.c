/* The Binance local-book synchronisation against a model exchange that keeps the
 * true book: a normal start, a snapshot before any event, a stale snapshot, a
 * gap while synced, a hole in the buffer, a crossed update, negative and
 * off-tick levels. After every recovery the local book equals the true one. */
#include <stdlib.h>

#include "harness.h"
#include "alphapulse/depth_sync.h"

#define TICK 1000000LL   /* 0.01 */

struct exch {
    struct book truth;
    uint64_t id;
    struct book_level lv[16];
    struct book_level snap[2 * BOOK_LEVELS_MAX];
    unsigned seed;
};

static unsigned rnd(struct exch *x) { x->seed = x->seed * 1103515245u + 12345u; return (x->seed >> 8) & 0xffffff; }

/* the next diff event: a few levels changed, bids under 1000 ticks, asks over */
static struct depth_update next_event(struct exch *x)
{
    struct depth_update ev = { .first_id = x->id + 1 };
    int n = 1 + (int)(rnd(x) % 4);
    uint32_t nb = 0;
    struct book_level bids[8], asks[8];
    uint32_t na = 0;
    for (int i = 0; i < n; i++) {
        int bid = rnd(x) & 1;
        int64_t px = (bid ? 900 + (int64_t)(rnd(x) % 100) : 1001 + (int64_t)(rnd(x) % 100)) * TICK;
        int64_t qty = rnd(x) % 4 == 0 ? 0 : (1 + (int64_t)(rnd(x) % 50)) * 1000;
        if (bid)
            bids[nb++] = (struct book_level){ px, qty };
        else
            asks[na++] = (struct book_level){ px, qty };
        book_set(&x->truth, bid ? BOOK_BID : BOOK_ASK, px, qty);
    }
    memcpy(x->lv, bids, nb * sizeof *bids);
    memcpy(x->lv + nb, asks, na * sizeof *asks);
    ev.nb = nb;
    ev.na = na;
    ev.lv = x->lv;
    x->id += 1 + rnd(x) % 3;           /* an event may cover several update ids */
    ev.last_id = x->id;
    ev.event_time = (int64_t)x->id;
    return ev;
}

static struct depth_update snapshot(struct exch *x)
{
    uint32_t nb = (uint32_t)book_top(&x->truth, BOOK_BID, x->snap, BOOK_LEVELS_MAX);
    uint32_t na = (uint32_t)book_top(&x->truth, BOOK_ASK, x->snap + nb, BOOK_LEVELS_MAX);
    return (struct depth_update){ .first_id = x->id, .last_id = x->id, .nb = nb, .na = na, .lv = x->snap };
}

static struct exch *exch_new(unsigned seed)
{
    struct exch *x = calloc(1, sizeof *x);
    book_init(&x->truth, TICK);
    x->id = 1000;
    x->seed = seed;
    for (int i = 0; i < 200; i++)
        next_event(x);                 /* some book before anyone listens */
    return x;
}

static struct depth_sync *sync_new(void)
{
    struct depth_sync *ds = malloc(sizeof *ds);
    depth_sync_init(ds, TICK);
    return ds;
}

static void sync_del(struct depth_sync *ds)
{
    depth_sync_free(ds);
    free(ds);
}

static void feed(struct exch *x, struct depth_sync *ds, int n)
{
    for (int i = 0; i < n; i++) {
        struct depth_update ev = next_event(x);
        depth_sync_update(ds, &ev);
    }
}

static bool matches(struct exch *x, struct depth_sync *ds)
{
    const struct book *b = depth_sync_book(ds);
    return b && ds->last_id == x->id && book_equal(b, &x->truth);
}

static void normal_start(void)
{
    struct exch *x = exch_new(1);
    struct depth_sync *ds = sync_new();
    CHECK(ds->state == DEPTH_SYNCING && ds->snapshots_wanted == 1);
    feed(x, ds, 10);                   /* buffered, some before the snapshot */
    CHECK(depth_sync_book(ds) == NULL);
    struct depth_update snap = snapshot(x);
    feed(x, ds, 10);                   /* and some after */
    CHECK(depth_sync_snapshot(ds, &snap) == DEPTH_SNAP_SYNCED);
    CHECK(matches(x, ds));
    feed(x, ds, 500);
    CHECK(matches(x, ds));
    CHECK(ds->st.resyncs == 0 && ds->st.gaps == 0 && ds->st.applied == 510);
    sync_del(ds);
    free(x);
}

static void snapshot_before_any_event(void)
{
    struct exch *x = exch_new(2);
    struct depth_sync *ds = sync_new();
    struct depth_update snap = snapshot(x);
    CHECK(depth_sync_snapshot(ds, &snap) == DEPTH_SNAP_SYNCED);
    CHECK(matches(x, ds));
    /* an event the snapshot already holds, sent late: dropped */
    struct depth_update old = { .first_id = x->id - 5, .last_id = x->id, .nb = 0, .na = 0, .lv = x->lv };
    CHECK(depth_sync_update(ds, &old) == DEPTH_OLD);
    /* the first event may straddle the snapshot's id */
    struct depth_update ev = next_event(x);
    ev.first_id -= 2;
    CHECK(depth_sync_update(ds, &ev) == DEPTH_APPLIED);
    CHECK(matches(x, ds));
    /* later ones must follow on exactly */
    ev = next_event(x);
    ev.first_id -= 1;
    CHECK(depth_sync_update(ds, &ev) == DEPTH_RESYNC);
    sync_del(ds);
    free(x);
}

static void stale_snapshot_refused(void)
{
    struct exch *x = exch_new(3);
    struct depth_sync *ds = sync_new();
    struct depth_update snap = snapshot(x);
    static struct book_level old_lv[2 * BOOK_LEVELS_MAX];
    memcpy(old_lv, snap.lv, (snap.nb + snap.na) * sizeof *old_lv);
    snap.lv = old_lv;
    next_event(x);                     /* an event the client never saw */
    feed(x, ds, 20);
    CHECK(depth_sync_snapshot(ds, &snap) == DEPTH_SNAP_STALE);
    CHECK(depth_sync_book(ds) == NULL && ds->st.stale_snapshots == 1 && ds->snapshots_wanted == 2);
    feed(x, ds, 5);
    struct depth_update fresh = snapshot(x);
    CHECK(depth_sync_snapshot(ds, &fresh) == DEPTH_SNAP_SYNCED);
    CHECK(matches(x, ds));
    sync_del(ds);
    free(x);
}

static void gap_resyncs_and_rebuilds(void)
{
    struct exch *x = exch_new(4);
    struct depth_sync *ds = sync_new();
    struct depth_update snap = snapshot(x);
    depth_sync_snapshot(ds, &snap);
    feed(x, ds, 50);
    CHECK(matches(x, ds));
    next_event(x);                     /* lost on the way */
    struct depth_update ev = next_event(x);
    CHECK(depth_sync_update(ds, &ev) == DEPTH_RESYNC);
    CHECK(ds->state == DEPTH_RESYNCING && depth_sync_book(ds) == NULL);
    CHECK(ds->st.gaps == 1 && ds->st.resyncs == 1 && ds->snapshots_wanted == 2);
    feed(x, ds, 30);
    CHECK(depth_sync_book(ds) == NULL);      /* never handed out half-built */
    struct depth_update again = snapshot(x);
    feed(x, ds, 3);
    CHECK(depth_sync_snapshot(ds, &again) == DEPTH_SNAP_SYNCED);
    CHECK(matches(x, ds));
    sync_del(ds);
    free(x);
}

static void hole_in_buffer_after_snapshot(void)
{
    struct exch *x = exch_new(5);
    struct depth_sync *ds = sync_new();
    struct depth_update snap = snapshot(x);
    static struct book_level keep[2 * BOOK_LEVELS_MAX];
    memcpy(keep, snap.lv, (snap.nb + snap.na) * sizeof *keep);
    snap.lv = keep;
    feed(x, ds, 5);
    next_event(x);                     /* lost */
    feed(x, ds, 5);
    CHECK(depth_sync_snapshot(ds, &snap) == DEPTH_RESYNC);
    CHECK(ds->st.gaps == 1 && depth_sync_book(ds) == NULL);
    CHECK(ds->nbuf == 5);              /* the events after the hole are kept */
    struct depth_update fresh = snapshot(x);
    CHECK(depth_sync_snapshot(ds, &fresh) == DEPTH_SNAP_SYNCED);
    CHECK(matches(x, ds));
    sync_del(ds);
    free(x);
}

static void invalid_updates(void)
{
    struct exch *x = exch_new(6);
    struct depth_sync *ds = sync_new();
    struct depth_update snap = snapshot(x);
    depth_sync_snapshot(ds, &snap);
    struct book_level best_ask;
    CHECK(book_best(&x->truth, BOOK_ASK, &best_ask));
    /* a bid at the best ask: crossed */
    struct book_level lv[1] = { { best_ask.px, 1000 } };
    struct depth_update ev = { .first_id = x->id + 1, .last_id = x->id + 1, .nb = 1, .lv = lv };
    CHECK(depth_sync_update(ds, &ev) == DEPTH_RESYNC);
    CHECK(ds->st.crossed == 1 && ds->st.resyncs == 1 && depth_sync_book(ds) == NULL);
    x->id++;
    snap = snapshot(x);
    CHECK(depth_sync_snapshot(ds, &snap) == DEPTH_SNAP_SYNCED);
    /* negative quantity, then off the tick */
    lv[0] = (struct book_level){ 950 * TICK, -5 };
    ev = (struct depth_update){ .first_id = x->id + 1, .last_id = x->id + 1, .nb = 1, .lv = lv };
    CHECK(depth_sync_update(ds, &ev) == DEPTH_RESYNC && ds->st.neg_qty == 1);
    x->id++;
    snap = snapshot(x);
    CHECK(depth_sync_snapshot(ds, &snap) == DEPTH_SNAP_SYNCED);
    lv[0] = (struct book_level){ 950 * TICK + 1, 5 };
    ev = (struct depth_update){ .first_id = x->id + 1, .last_id = x->id + 1, .nb = 1, .lv = lv };
    CHECK(depth_sync_update(ds, &ev) == DEPTH_RESYNC && ds->st.off_tick == 1);
    CHECK(ds->st.resyncs == 3);
    /* a crossed snapshot is refused too */
    x->id++;
    snap = snapshot(x);
    struct book_level *bad = x->snap;  /* the best bid raised over the best ask */
    bad[0].px = best_ask.px + 10 * TICK;
    CHECK(depth_sync_snapshot(ds, &snap) == DEPTH_RESYNC && depth_sync_book(ds) == NULL);
    CHECK(ds->st.crossed == 2);
    snap = snapshot(x);
    CHECK(depth_sync_snapshot(ds, &snap) == DEPTH_SNAP_SYNCED && matches(x, ds));
    sync_del(ds);
    free(x);
}

/* The same calls, the same book and counters (what replaying an event log needs). */
static void deterministic(void)
{
    struct depth_sync *a = sync_new(), *b = sync_new();
    struct depth_sync *d[2] = { a, b };
    for (int k = 0; k < 2; k++) {
        struct exch *x = exch_new(9);
        struct depth_update snap = snapshot(x);
        depth_sync_snapshot(d[k], &snap);
        for (int i = 0; i < 2000; i++) {
            if (i % 300 == 299)
                next_event(x);
            struct depth_update ev = next_event(x);
            if (depth_sync_update(d[k], &ev) == DEPTH_RESYNC) {
                feed(x, d[k], 2);
                snap = snapshot(x);
                depth_sync_snapshot(d[k], &snap);
            }
        }
        CHECK(matches(x, d[k]));
        free(x);
    }
    CHECK(book_equal(&a->book, &b->book) && memcmp(&a->st, &b->st, sizeof a->st) == 0);
    CHECK(a->st.resyncs == 6);
    sync_del(a);
    sync_del(b);
}

int main(void)
{
    RUN(normal_start);
    RUN(snapshot_before_any_event);
    RUN(stale_snapshot_refused);
    RUN(gap_resyncs_and_rebuilds);
    RUN(hole_in_buffer_after_snapshot);
    RUN(invalid_updates);
    RUN(deterministic);
    HARNESS_EXIT();
}
