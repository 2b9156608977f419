/* Binance local order book synchronisation (see depth_sync.h). */
#include "alphapulse/depth_sync.h"

#include <stdlib.h>
#include <stdio.h>
#include <string.h>

const char *depth_state_name(int state)
{
    static const char *names[DEPTH_STATE_COUNT] = { "syncing", "synced", "resyncing" };
    return state >= 0 && state < DEPTH_STATE_COUNT ? names[state] : "?";
}

int depth_sync_init(struct depth_sync *ds, int64_t tick)
{
    memset(ds, 0, sizeof *ds);
    book_init(&ds->book, tick);
    ds->blv = malloc(DEPTH_BUFFER_LEVELS * sizeof *ds->blv);
    if (!ds->blv)
        return -1;
    ds->state = DEPTH_SYNCING;
    ds->snapshots_wanted = 1;
    return 0;
}

void depth_sync_free(struct depth_sync *ds)
{
    free(ds->blv);
    ds->blv = NULL;
}

static void buffer_clear(struct depth_sync *ds)
{
    ds->nbuf = 0;
    ds->nblv = 0;
}

static void buffer_add(struct depth_sync *ds, const struct depth_update *ev)
{
    size_t nl = (size_t)ev->nb + ev->na;
    if (ds->nbuf == DEPTH_BUFFER_EVENTS || ds->nblv + nl > DEPTH_BUFFER_LEVELS) {
        /* the snapshot is long in coming: start over from this event (a snapshot
         * taken from now on fits it) */
        ds->st.buffer_overflows++;
        buffer_clear(ds);
        if (nl > DEPTH_BUFFER_LEVELS)
            return;
    }
    struct depth_update *b = &ds->buf[ds->nbuf++];
    *b = *ev;
    memcpy(ds->blv + ds->nblv, ev->lv, nl * sizeof *ev->lv);
    b->lv = ds->blv + ds->nblv;
    ds->nblv += nl;
}

static int resync(struct depth_sync *ds)
{
    ds->state = DEPTH_RESYNCING;
    book_clear(&ds->book);
    buffer_clear(ds);
    ds->first_pending = false;
    ds->st.resyncs++;
    ds->snapshots_wanted++;
    return DEPTH_RESYNC;
}

static void count_rule(struct depth_sync *ds, int rule)
{
    if (rule == BOOK_NEG_QTY)
        ds->st.neg_qty++;
    else if (rule == BOOK_OFF_TICK)
        ds->st.off_tick++;
    else
        ds->st.bad_price++;
}

/* levels into the book; BOOK_OK or the first rule broken (the book is then
 * partly changed: the caller throws it away) */
static int apply_levels(struct book *b, const struct depth_update *ev)
{
    for (uint32_t i = 0; i < ev->nb + ev->na; i++) {
        int r = book_set(b, i < ev->nb ? BOOK_BID : BOOK_ASK, ev->lv[i].px, ev->lv[i].qty);
        if (r != BOOK_OK)
            return r;
    }
    return BOOK_OK;
}

/* 0: the event follows on the book; 1: already contained; -1: a gap */
static int fit(const struct depth_sync *ds, const struct depth_update *ev)
{
    if (ev->last_id <= ds->last_id)
        return 1;
    bool ok = ds->first_pending ? ev->first_id <= ds->last_id + 1 : ev->first_id == ds->last_id + 1;
    return ok ? 0 : -1;
}

/* an event that fits, on a synced book */
static int apply_fitting(struct depth_sync *ds, const struct depth_update *ev)
{
    int r = apply_levels(&ds->book, ev);
    if (r != BOOK_OK) {
        count_rule(ds, r);
        return resync(ds);
    }
    if (book_crossed(&ds->book)) {
        ds->st.crossed++;
        return resync(ds);
    }
    ds->last_id = ev->last_id;
    ds->first_pending = false;
    ds->st.applied++;
    return DEPTH_APPLIED;
}

int depth_sync_update(struct depth_sync *ds, const struct depth_update *ev)
{
    if (ds->state != DEPTH_SYNCED) {
        buffer_add(ds, ev);
        return DEPTH_BUFFERED;
    }
    int f = fit(ds, ev);
    if (f > 0) {
        ds->st.old++;
        return DEPTH_OLD;
    }
    if (f < 0) {
        ds->st.gaps++;
        resync(ds);
        buffer_add(ds, ev);        /* it is news: a snapshot older than it is refused */
        return DEPTH_RESYNC;
    }
    return apply_fitting(ds, ev);
}

/* keeps buffered events from..nbuf-1 only, moved to the front */
static void buffer_keep_from(struct depth_sync *ds, size_t from)
{
    if (from >= ds->nbuf) {
        buffer_clear(ds);
        return;
    }
    size_t off = (size_t)(ds->buf[from].lv - ds->blv);
    memmove(ds->blv, ds->blv + off, (ds->nblv - off) * sizeof *ds->blv);
    ds->nblv -= off;
    memmove(ds->buf, ds->buf + from, (ds->nbuf - from) * sizeof *ds->buf);
    ds->nbuf -= from;
    for (size_t i = 0; i < ds->nbuf; i++)
        ds->buf[i].lv -= off;
}

int depth_sync_snapshot(struct depth_sync *ds, const struct depth_update *snap)
{
    if (ds->state == DEPTH_SYNCED)
        return DEPTH_SNAP_IGNORED;
    uint64_t L = snap->last_id;
    size_t k = 0;
    while (k < ds->nbuf && ds->buf[k].last_id <= L)
        k++;
    if (k < ds->nbuf && ds->buf[k].first_id > L + 1) {
        /* events between the snapshot and the first buffered one are missing;
         * keep the buffer, a later snapshot fits it */
        ds->st.stale_snapshots++;
        ds->snapshots_wanted++;
        return DEPTH_SNAP_STALE;
    }
    ds->st.old += k;
    book_clear(&ds->book);
    int r = apply_levels(&ds->book, snap);
    if (r != BOOK_OK || book_crossed(&ds->book)) {
        if (r != BOOK_OK)
            count_rule(ds, r);
        else
            ds->st.crossed++;
        book_clear(&ds->book);
        ds->snapshots_wanted++;
        ds->state = DEPTH_RESYNCING;
        return DEPTH_RESYNC;
    }
    ds->state = DEPTH_SYNCED;
    ds->last_id = L;
    ds->first_pending = true;
    /* the buffered events after the snapshot, in order */
    for (size_t i = k; i < ds->nbuf; i++) {
        const struct depth_update *ev = &ds->buf[i];
        int f = fit(ds, ev);
        if (f > 0) {
            ds->st.old++;
            continue;
        }
        if (f < 0) {
            /* the buffer itself has a hole after the snapshot: keep what follows
             * it for the next snapshot */
            ds->st.gaps++;
            buffer_keep_from(ds, i);
            size_t nbuf = ds->nbuf, nblv = ds->nblv;
            resync(ds);
            ds->nbuf = nbuf;
            ds->nblv = nblv;
            return DEPTH_RESYNC;
        }
        if (apply_fitting(ds, ev) == DEPTH_RESYNC)
            return DEPTH_RESYNC;       /* a bad event: the buffer goes with the book */
    }
    buffer_clear(ds);
    return DEPTH_SNAP_SYNCED;
}

const struct book *depth_sync_book(const struct depth_sync *ds)
{
    return ds->state == DEPTH_SYNCED ? &ds->book : NULL;
}

int depth_piece_count(const struct depth_update *u)
{
    uint32_t n = u->nb + u->na;
    return n == 0 ? 1 : (int)((n + DEPTH_PIECE_LEVELS - 1) / DEPTH_PIECE_LEVELS);
}

void depth_piece_make(const struct depth_update *u, const char *symbol, bool snapshot, int64_t recv_ns, int i,
                      struct depth_piece *out)
{
    memset(out, 0, sizeof *out);
    snprintf(out->symbol, sizeof out->symbol, "%s", symbol);
    out->snapshot = snapshot;
    out->first_id = u->first_id;
    out->last_id = u->last_id;
    out->event_time = u->event_time;
    out->recv_ns = recv_ns;
    uint32_t total = u->nb + u->na, from = (uint32_t)i * DEPTH_PIECE_LEVELS;
    uint32_t to = from + DEPTH_PIECE_LEVELS < total ? from + DEPTH_PIECE_LEVELS : total;
    for (uint32_t k = from; k < to; k++) {
        out->lv[k - from] = u->lv[k];
        if (k < u->nb)
            out->nb++;
        else
            out->na++;
    }
    out->last = to >= total;
}
