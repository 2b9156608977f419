/* Market depth through the real engine: diff events and snapshots in EE_DEPTH
 * pieces build the book the model exchange holds, a gap raises the snapshot
 * demand and the book comes back after a new snapshot, trades fill the tape,
 * the same events give the same book in a second engine, and klines fed in
 * between are handled exactly as without depth; the snapshot carries the viewed
 * symbol's top levels and latest trades. */
#include <stdlib.h>

#include "harness.h"
#include "engine_driver.h"
#include "alphapulse/engine_depth.h"

#define TICK 1000000LL   /* 0.01, BTCUSDT's tick in the driver */

struct model {
    struct book truth;
    uint64_t id;
    unsigned seed;
    struct book_level lv[64];
    struct book_level snap[2 * BOOK_LEVELS_MAX];
};

static unsigned rnd(struct model *m) { m->seed = m->seed * 1103515245u + 12345u; return (m->seed >> 8) & 0xffffff; }

static struct depth_update next_event(struct model *m)
{
    struct book_level bids[32], asks[32];
    uint32_t nb = 0, na = 0;
    int n = 1 + (int)(rnd(m) % 30);    /* up to 30 levels: several pieces */
    for (int i = 0; i < n; i++) {
        int bid = rnd(m) & 1;
        int64_t px = (bid ? 9000 + (int64_t)(rnd(m) % 300) : 9301 + (int64_t)(rnd(m) % 300)) * TICK;
        int64_t qty = rnd(m) % 5 == 0 ? 0 : (1 + (int64_t)(rnd(m) % 90)) * 100000;
        if (bid)
            bids[nb++] = (struct book_level){ px, qty };
        else
            asks[na++] = (struct book_level){ px, qty };
        book_set(&m->truth, bid ? BOOK_BID : BOOK_ASK, px, qty);
    }
    memcpy(m->lv, bids, nb * sizeof *bids);
    memcpy(m->lv + nb, asks, na * sizeof *asks);
    struct depth_update u = { .first_id = m->id + 1, .nb = nb, .na = na, .lv = m->lv };
    m->id += 1 + rnd(m) % 2;
    u.last_id = m->id;
    u.event_time = (int64_t)m->id;
    return u;
}

static struct depth_update snapshot_of(struct model *m)
{
    uint32_t nb = (uint32_t)book_top(&m->truth, BOOK_BID, m->snap, BOOK_LEVELS_MAX);
    uint32_t na = (uint32_t)book_top(&m->truth, BOOK_ASK, m->snap + nb, BOOK_LEVELS_MAX);
    return (struct depth_update){ .first_id = m->id, .last_id = m->id, .nb = nb, .na = na, .lv = m->snap };
}

static void send(struct engine *e, const struct depth_update *u, bool snap)
{
    struct engine_event ev = { .type = EE_DEPTH };
    for (int i = 0; i < depth_piece_count(u); i++) {
        depth_piece_make(u, "BTCUSDT", snap, 0, i, &ev.u.depth);
        engine_step(e, &ev);
    }
}

/* one run: the same script for every engine; returns the model for checks */
static void script(struct engine *e, struct depth_demand *dm, struct model *m, bool with_klines)
{
    memset(m, 0, sizeof *m);
    book_init(&m->truth, TICK);
    m->id = 5000;
    m->seed = 42;
    for (int i = 0; i < 100; i++)
        next_event(m);
    int64_t t = 1700000000000LL;
    for (int i = 0; i < 5; i++) {      /* buffered before the snapshot */
        struct depth_update u = next_event(m);
        send(e, &u, false);
    }
    struct depth_update s = snapshot_of(m);
    send(e, &s, true);
    unsigned served = 1;
    for (int i = 0; i < 3000; i++) {
        if (i == 1000 || i == 2000)
            next_event(m);             /* lost on the way: a gap */
        struct depth_update u = next_event(m);
        send(e, &u, false);
        if (dm && atomic_load(&dm->wanted[0]) != served) {
            served = atomic_load(&dm->wanted[0]);
            s = snapshot_of(m);
            send(e, &s, true);
        }
        if (i % 50 == 0) {
            struct engine_event te = { .type = EE_TRADE };
            snprintf(te.u.trade.symbol, SYMBOL_MAX, "BTCUSDT");
            te.u.trade.t = (struct tape_trade){ .id = (uint64_t)i + 1, .time_ms = t, .px = 9300 * TICK, .qty = 100000 };
            engine_step(e, &te);
        }
        if (with_klines && i % 100 == 0) {
            driver_kline(e, "BTCUSDT", t, 100, 101, 99, 100 + i / 100);
            t += 60000;
        }
    }
}

static void book_through_engine(void)
{
    struct spsc rec;
    spsc_init(&rec, sizeof(struct record), 1 << 16);
    struct engine *a = driver_engine(&rec), *b = driver_engine(&rec), *plain = driver_engine(&rec);
    static struct depth_demand da, db;
    char syms[1][SYMBOL_MAX] = { "BTCUSDT" };
    depth_demand_init(&da, (const char (*)[SYMBOL_MAX])syms, 1);
    depth_demand_init(&db, (const char (*)[SYMBOL_MAX])syms, 1);
    engine_set_depth_demand(a, &da);
    engine_set_depth_demand(b, &db);
    static struct model ma, mb;
    script(a, &da, &ma, true);
    const struct depth_sync *ds = engine_depth(a, "BTCUSDT");
    CHECK(ds != NULL);
    const struct book *bk = ds ? depth_sync_book(ds) : NULL;
    CHECK(bk && book_equal(bk, &ma.truth) && ds->last_id == ma.id);
    CHECK(ds && ds->st.gaps == 2 && ds->st.resyncs == 2 && atomic_load(&da.wanted[0]) == 3);
    CHECK(engine_depth_dropped(a) == 0);
    CHECK(ds && book_levels(&ds->book, BOOK_BID) > 14);    /* snapshots came in several pieces */
    const struct tape *tp = engine_tape(a, "BTCUSDT");
    CHECK(tp && tape_len(tp) == 60 && tape_get(tp, 0)->id == 2951);
    /* the snapshot: the viewed symbol's whole book and its latest trades */
    struct snapshot *sn = calloc(1, sizeof *sn);
    CHECK(sn != NULL);
    if (sn && bk) {
        engine_snapshot(a, 0, TF_1M, sn);
        static struct book_level top[SNAP_LEVELS];
        size_t nb = book_top(bk, BOOK_BID, top, SNAP_LEVELS);
        CHECK(sn->depth.sym == 0 && sn->depth.n_bids == (int)nb && nb == book_levels(bk, BOOK_BID) && nb > SNAP_DEPTH);
        CHECK(sn->depth.bids[0].px == book_to_double(top[0].px) && sn->depth.bids[0].qty == book_to_double(top[0].qty));
        CHECK(sn->depth.bids[nb - 1].px == book_to_double(top[nb - 1].px));
        size_t na = book_top(bk, BOOK_ASK, top, SNAP_LEVELS);
        CHECK(sn->depth.n_asks == (int)na && na == book_levels(bk, BOOK_ASK) && na > 0 && sn->depth.asks[0].px == book_to_double(top[0].px));
        CHECK(sn->depth.asks[0].px > sn->depth.bids[0].px);
        CHECK(sn->depth.n_trades == SNAP_TAPE && sn->depth.trades[0].px == 9300 * 0.01);
        CHECK(sn->depth.trades[0].qty == 0.001);
        engine_snapshot(a, -1, TF_1M, sn);           /* no symbol viewed: no levels */
        CHECK(sn->depth.n_bids == 0 && sn->depth.n_asks == 0 && sn->depth.n_trades == 0);
    }
    snapshot_free(sn);
    /* the same events again: the same book and counters */
    script(b, &db, &mb, true);
    const struct depth_sync *ds2 = engine_depth(b, "BTCUSDT");
    CHECK(ds2 && ds && book_equal(&ds->book, &ds2->book) && memcmp(&ds->st, &ds2->st, sizeof ds->st) == 0);
    /* klines: the same series as an engine that saw no depth */
    int64_t t = 1700000000000LL;
    for (int i = 0; i < 3000; i += 100, t += 60000)
        driver_kline(plain, "BTCUSDT", t, 100, 101, 99, 100 + i / 100);
    CHECK(engine_last_closed(a, 0, TF_1M) == engine_last_closed(plain, 0, TF_1M));
    CHECK(engine_depth(plain, "BTCUSDT") == NULL);
    engine_destroy(a);
    engine_destroy(b);
    engine_destroy(plain);
    spsc_free(&rec);
}

int main(void)
{
    RUN(book_through_engine);
    HARNESS_EXIT();
}
