/* Market depth in the engine: pieces into messages, messages into each symbol's
 * synchronised book, trades into its tape. */
#include "alphapulse/engine_depth.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "engine_internal.h"

#define STAGE_LEVELS (4 * BOOK_LEVELS_MAX + 4096)

struct depth_sym {
    char symbol[SYMBOL_MAX];
    struct depth_sync sync;
    struct tape tape;
    /* the message being put together */
    bool staging, stage_snapshot;
    bool simulated;                     /* the book is the demo's synthetic one */
    uint64_t stage_first, stage_last;
    int64_t stage_time;
    int64_t last_event_ms;              /* E of the last diff event applied */
    uint32_t stage_nb, stage_na;
    struct book_level *stage;           /* STAGE_LEVELS: bids from the front, asks from the back */
};

struct engine_depth {
    struct depth_sym *sym[INSTRUMENTS_MAX];
    int n;
    struct depth_demand *demand;
    uint64_t dropped;
};

static struct engine_depth *state(struct engine *e)
{
    if (!e->depth)
        e->depth = calloc(1, sizeof *e->depth);
    return e->depth;
}

static struct depth_sym *find(const struct engine_depth *d, const char *symbol)
{
    for (int i = 0; d && i < d->n; i++)
        if (strcmp(d->sym[i]->symbol, symbol) == 0)
            return d->sym[i];
    return NULL;
}

static struct depth_sym *find_or_add(struct engine *e, const char *symbol)
{
    struct engine_depth *d = state(e);
    if (!d)
        return NULL;
    struct depth_sym *s = find(d, symbol);
    if (s || d->n == INSTRUMENTS_MAX)
        return s;
    s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->stage = malloc(STAGE_LEVELS * sizeof *s->stage);
    int64_t tick = 0;
    int k = engine_symbol(e, symbol);
    if (k >= 0 && e->sym[k]->inst.tick > 0)
        tick = llround(e->sym[k]->inst.tick * (double)BOOK_SCALE);
    if (!s->stage || depth_sync_init(&s->sync, tick) != 0) {
        free(s->stage);
        free(s);
        return NULL;
    }
    memcpy(s->symbol, symbol, SYMBOL_MAX);
    tape_init(&s->tape);
    d->sym[d->n++] = s;
    return s;
}

static void publish_demand(struct engine *e, const struct depth_sym *s)
{
    struct depth_demand *dm = e->depth->demand;
    if (!dm)
        return;
    int i = depth_demand_find(dm, s->symbol);
    if (i >= 0)
        atomic_store_explicit(&dm->wanted[i], s->sync.snapshots_wanted, memory_order_release);
}

/* The paper account fills against the book while it is synced. */
static void paper_book(struct engine *e, const struct depth_sym *s)
{
    int k = engine_symbol(e, s->symbol);
    if (k >= 0)
        portfolio_set_book(&e->pf, k, depth_sync_book(&s->sync));
}

void engine_on_depth(struct engine *e, const struct depth_piece *p)
{
    struct depth_sym *s = find_or_add(e, p->symbol);
    if (!s)
        return;
    struct engine_depth *d = e->depth;
    if (s->staging && (s->stage_snapshot != p->snapshot || s->stage_first != p->first_id ||
                       s->stage_last != p->last_id)) {
        d->dropped++;                  /* the previous message never got its last piece */
        s->staging = false;
    }
    s->simulated = p->simulated;
    if (!s->staging) {
        s->staging = true;
        s->stage_snapshot = p->snapshot;
        s->stage_first = p->first_id;
        s->stage_last = p->last_id;
        s->stage_time = p->event_time;
        s->stage_nb = s->stage_na = 0;
    }
    if (s->stage_nb + s->stage_na + p->nb + p->na > STAGE_LEVELS || p->nb + p->na > DEPTH_PIECE_LEVELS) {
        d->dropped++;
        s->staging = false;
        return;
    }
    /* bids grow from the front, asks from the back (reversed), joined at the end */
    for (int i = 0; i < p->nb; i++)
        s->stage[s->stage_nb++] = p->lv[i];
    for (int i = 0; i < p->na; i++)
        s->stage[STAGE_LEVELS - 1 - s->stage_na++] = p->lv[p->nb + i];
    if (!p->last)
        return;
    s->staging = false;
    for (uint32_t i = 0; i < s->stage_na; i++)
        s->stage[s->stage_nb + i] = s->stage[STAGE_LEVELS - 1 - i];
    struct depth_update u = { .first_id = s->stage_first, .last_id = s->stage_last, .event_time = s->stage_time,
                              .nb = s->stage_nb, .na = s->stage_na, .lv = s->stage };
    uint32_t before = s->sync.snapshots_wanted;
    if (s->stage_snapshot)
        depth_sync_snapshot(&s->sync, &u);
    else if (depth_sync_update(&s->sync, &u) == DEPTH_APPLIED)
        s->last_event_ms = u.event_time;
    if (s->sync.snapshots_wanted != before || s->stage_snapshot)
        publish_demand(e, s);
    paper_book(e, s);
}

/* storage.trades: a bulk record, dropped before a fill when the store is behind
 * (engine_emit) */
static void record_trade(struct engine *e, const struct trade_event *t)
{
    struct record r = { .type = REC_TRADE, .time = t->t.time_ms,
                        .u.trade = { t->t.id, book_to_double(t->t.px), book_to_double(t->t.qty), t->t.buyer_maker } };
    memcpy(r.symbol, t->symbol, SYMBOL_MAX);
    engine_emit(e, &r);
}

void engine_on_trade(struct engine *e, const struct trade_event *t)
{
    struct depth_sym *s = find_or_add(e, t->symbol);
    if (!s || !tape_push(&s->tape, &t->t))
        return;
    if (e->cfg.store_trades && !t->simulated)
        record_trade(e, t);
    int k = engine_symbol(e, t->symbol);
    if (k < 0)
        return;
    if (t->t.time_ms > e->now)
        e->now = t->t.time_ms;         /* the trade's exchange time, as a kline's */
    portfolio_on_trade(&e->pf, k, book_to_double(t->t.px), book_to_double(t->t.qty), e->now);
}

void engine_depth_free(struct engine *e)
{
    struct engine_depth *d = e->depth;
    if (!d)
        return;
    for (int i = 0; i < d->n; i++) {
        depth_sync_free(&d->sym[i]->sync);
        free(d->sym[i]->stage);
        free(d->sym[i]);
    }
    free(d);
    e->depth = NULL;
}

void engine_set_depth_demand(struct engine *e, struct depth_demand *dm)
{
    struct engine_depth *d = state(e);
    if (d)
        d->demand = dm;
}

const struct depth_sync *engine_depth(const struct engine *e, const char *symbol)
{
    const struct depth_sym *s = find(e->depth, symbol);
    return s ? &s->sync : NULL;
}

const struct tape *engine_tape(const struct engine *e, const char *symbol)
{
    const struct depth_sym *s = find(e->depth, symbol);
    return s ? &s->tape : NULL;
}

uint64_t engine_depth_dropped(const struct engine *e)
{
    return e->depth ? e->depth->dropped : 0;
}

/* The viewed symbol's whole book, each side best first (synced books only),
 * and its latest SNAP_TAPE trades. */
_Static_assert(SNAP_LEVELS >= BOOK_LEVELS_MAX, "the snapshot holds a whole side of the book");
void engine_depth_levels(const struct engine *e, int s, struct snap_depth *out)
{
    out->sym = s;
    out->n_bids = out->n_asks = out->n_trades = 0;
    if (s < 0 || s >= e->cfg.n_symbols)
        return;
    const struct depth_sym *d = find(e->depth, e->sym[s]->inst.symbol);
    if (!d)
        return;
    for (size_t k = 0; k < SNAP_TAPE; k++) {
        const struct tape_trade *t = tape_get(&d->tape, k);
        if (!t)
            break;
        out->trades[k] = (struct snap_trade){ t->time_ms, book_to_double(t->px), book_to_double(t->qty),
                                              t->buyer_maker };
        out->n_trades = (int)k + 1;
    }
    if (d->sync.state != DEPTH_SYNCED)
        return;
    const struct book *b = depth_sync_book(&d->sync);
    if (!b)
        return;
    struct book_level l[SNAP_LEVELS];
    size_t n = book_top(b, BOOK_BID, l, SNAP_LEVELS);
    for (size_t i = 0; i < n; i++)
        out->bids[i] = (struct snap_level){ book_to_double(l[i].px), book_to_double(l[i].qty) };
    out->n_bids = (int)n;
    n = book_top(b, BOOK_ASK, l, SNAP_LEVELS);
    for (size_t i = 0; i < n; i++)
        out->asks[i] = (struct snap_level){ book_to_double(l[i].px), book_to_double(l[i].qty) };
    out->n_asks = (int)n;
}

void engine_depth_view(const struct engine *e, int s, struct snap_book *out)
{
    memset(out, 0, sizeof *out);
    if (s < 0 || s >= e->cfg.n_symbols)
        return;
    const struct depth_sym *d = find(e->depth, e->sym[s]->inst.symbol);
    if (!d)
        return;
    out->present = true;
    out->simulated = d->simulated;
    out->state = (uint8_t)d->sync.state;
    out->resyncs = d->sync.st.resyncs;
    out->gaps = d->sync.st.gaps;
    out->stale = d->sync.st.stale_snapshots;
    out->crossed = d->sync.st.crossed;
    out->neg_qty = d->sync.st.neg_qty;
    out->off_tick = d->sync.st.off_tick;
    out->last_event_ms = d->last_event_ms;
    out->last_id = d->sync.last_id;
    out->tick = e->sym[s]->inst.tick;
    const struct book *b = depth_sync_book(&d->sync);
    struct book_level l;
    if (b && book_best(b, BOOK_BID, &l)) {
        out->bid = book_to_double(l.px);
        out->bid_qty = book_to_double(l.qty);
    }
    if (b && book_best(b, BOOK_ASK, &l)) {
        out->ask = book_to_double(l.px);
        out->ask_qty = book_to_double(l.qty);
    }
}
