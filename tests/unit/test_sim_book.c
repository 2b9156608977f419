/* The demo's synthetic book and tape over the bundled real candles (every symbol,
 * every candle, through the replay's formatter and the live parser as the demo
 * plays them), the events fed to the real engine: after every event the book is
 * synced, never crossed or resynced, on the tick, with the last trade between the
 * best bid and ask or at them; each candle's trades stay inside its high and low,
 * end at its close, fall inside its minute and add up exactly to its volume. The
 * same seed gives the same events, another seed other ones. */
#include <stdlib.h>

#include "harness.h"
#include "alphapulse/engine.h"
#include "alphapulse/engine_depth.h"
#include "alphapulse/kline_json.h"
#include "alphapulse/replay.h"
#include "alphapulse/sim_book.h"

struct acc {                           /* one symbol's current candle, as traded */
    int64_t open_time, lo, hi, sum, last_px, t_min, t_max;
    uint64_t trades;
};

struct run {
    struct engine *e;
    struct instrument inst[INSTRUMENTS_MAX];
    int n;
    struct acc acc[INSTRUMENTS_MAX];
    uint64_t hash, events, trades, updates, bad;
    double spread_bps_sum;
    uint64_t spread_n;
};

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++)
        h = (h ^ b[i]) * 0x100000001b3ULL;
    return h;
}

static int sym_of(const struct run *r, const char *name)
{
    for (int i = 0; i < r->n; i++)
        if (strcmp(r->inst[i].symbol, name) == 0)
            return i;
    return -1;
}

/* the book's invariants, checked after every event the generator makes */
static void check_book(struct run *r, const char *symbol)
{
    const struct depth_sync *ds = engine_depth(r->e, symbol);
    const struct book *b = ds ? depth_sync_book(ds) : NULL;
    const struct tape *t = engine_tape(r->e, symbol);
    struct book_level bid, ask;
    if (!b || !book_best(b, BOOK_BID, &bid) || !book_best(b, BOOK_ASK, &ask) || ds->st.resyncs || ds->st.crossed ||
        ds->st.off_tick || ds->st.neg_qty || ds->st.gaps || bid.px >= ask.px ||
        book_levels(b, BOOK_BID) > SIM_BOOK_LEVELS || book_levels(b, BOOK_ASK) > SIM_BOOK_LEVELS) {
        if (r->bad++ < 5)
            printf("# %s: book not synced, crossed or refused (resyncs %u crossed %u off tick %u gaps %u)\n", symbol,
                   ds ? ds->st.resyncs : 0, ds ? ds->st.crossed : 0, ds ? ds->st.off_tick : 0, ds ? ds->st.gaps : 0);
        return;
    }
    const struct tape_trade *last = t ? tape_get(t, 0) : NULL;
    if (last && (last->px < bid.px || last->px > ask.px) && r->bad++ < 5)
        printf("# %s: last trade %lld outside bid %lld ask %lld\n", symbol, (long long)last->px, (long long)bid.px,
               (long long)ask.px);
    r->spread_bps_sum += (double)(ask.px - bid.px) / (double)(ask.px + bid.px) * 2e4;
    r->spread_n++;
}

static bool take(void *ctx, const struct engine_event *ev)
{
    struct run *r = ctx;
    engine_step(r->e, ev);
    r->events++;
    if (ev->type == EE_TRADE) {
        const struct tape_trade *t = &ev->u.trade.t;
        struct acc *a = &r->acc[sym_of(r, ev->u.trade.symbol)];
        a->lo = a->trades && a->lo < t->px ? a->lo : t->px;
        a->hi = a->trades && a->hi > t->px ? a->hi : t->px;
        a->t_min = a->trades && a->t_min < t->time_ms ? a->t_min : t->time_ms;
        a->t_max = a->trades && a->t_max > t->time_ms ? a->t_max : t->time_ms;
        a->sum += t->qty;
        a->last_px = t->px;
        a->trades++;
        r->trades++;
        r->hash = fnv(r->hash, &t->id, sizeof t->id);
        r->hash = fnv(r->hash, &t->time_ms, sizeof t->time_ms);
        r->hash = fnv(r->hash, &t->px, sizeof t->px);
        r->hash = fnv(r->hash, &t->qty, sizeof t->qty);
        r->hash = fnv(r->hash, &t->buyer_maker, sizeof t->buyer_maker);
        check_book(r, ev->u.trade.symbol);
    } else if (ev->type == EE_DEPTH) {
        const struct depth_piece *p = &ev->u.depth;
        r->updates += p->last;
        if (!p->simulated && r->bad++ < 5)
            printf("# a depth piece not marked simulated\n");
        r->hash = fnv(r->hash, &p->first_id, sizeof p->first_id);
        r->hash = fnv(r->hash, &p->snapshot, 1);
        r->hash = fnv(r->hash, p->lv, (size_t)(p->nb + p->na) * sizeof p->lv[0]);
        if (p->last)
            check_book(r, p->symbol);
    }
    return true;
}

/* a closed candle: its trades against it */
static void check_candle(struct run *r, const struct kline_event *k)
{
    struct acc *a = &r->acc[sym_of(r, k->symbol)];
    int64_t vol = llround(k->c.volume * BOOK_SCALE), lo = llround(k->c.low * BOOK_SCALE);
    int64_t hi = llround(k->c.high * BOOK_SCALE), close = llround(k->c.close * BOOK_SCALE);
    bool ok = a->sum == vol;
    if (a->trades)
        ok = ok && a->lo >= lo && a->hi <= hi && a->last_px == close && a->t_min >= k->c.open_time &&
             a->t_max < k->c.open_time + tf_ms(TF_1M);
    if (!ok && r->bad++ < 5)
        printf("# %s %lld: %llu trades, sum %lld (volume %lld), range %lld..%lld (candle %lld..%lld), last %lld "
               "(close %lld)\n", k->symbol, (long long)k->c.open_time, (unsigned long long)a->trades,
               (long long)a->sum, (long long)vol, (long long)a->lo, (long long)a->hi, (long long)lo, (long long)hi,
               (long long)a->last_px, (long long)close);
    memset(a, 0, sizeof *a);
}

/* Plays the demo's data through the generator; max_msgs 0: all of it. */
static int play(struct run *r, uint64_t seed, long max_msgs)
{
    char err[256], msg[1024], why[128];
    struct replay *rp = replay_open("data/demo.json", err, sizeof err);
    if (!rp) {
        printf("# %s\n", err);
        return -1;
    }
    memset(r, 0, sizeof *r);
    r->hash = 0xcbf29ce484222325ULL;
    r->n = replay_symbols(rp, r->inst, INSTRUMENTS_MAX);
    struct engine_config cfg;
    engine_config_defaults(&cfg);
    cfg.inst = r->inst;
    cfg.n_symbols = r->n;
    struct spsc q;
    spsc_init(&q, sizeof(struct record), 1 << 10);
    r->e = engine_create(&cfg, &q);
    struct sim_book *sb = sim_book_create(r->inst, r->n, seed);
    int round_end, len;
    long n = 0, candles = 0;
    while ((len = replay_next(rp, msg, sizeof msg, &round_end)) > 0 && (max_msgs == 0 || n++ < max_msgs)) {
        struct engine_event ev = { .type = EE_KLINE };
        if (kline_json_parse(msg, (size_t)len, &ev.u.k, why, sizeof why) != KLINE_JSON_OK) {
            r->bad++;
            continue;
        }
        sim_book_on_kline(sb, &ev.u.k, take, r);
        if (ev.u.k.closed) {
            check_candle(r, &ev.u.k);
            candles++;
        }
    }
    sim_book_free(sb);
    engine_destroy(r->e);
    spsc_free(&q);
    replay_close(rp);
    return (int)candles;
}

static void invariants_over_the_bundled_data(void)
{
    struct run *r = calloc(1, sizeof *r);
    int candles = play(r, SIM_BOOK_SEED, 0);
    printf("# %d candles, %llu trades, %llu book updates, %llu events, mean spread %.2f bps\n", candles,
           (unsigned long long)r->trades, (unsigned long long)r->updates, (unsigned long long)r->events,
           r->spread_n ? r->spread_bps_sum / (double)r->spread_n : 0.0);
    CHECK(candles > 100000);           /* every bundled 1m candle of the four symbols */
    CHECK(r->trades > (uint64_t)candles * 3);
    CHECK(r->updates > r->trades);
    CHECK_MSG(r->bad == 0, "%llu broken invariants", (unsigned long long)r->bad);
    double mean = r->spread_bps_sum / (double)r->spread_n;
    CHECK(mean > 0 && mean < 50);      /* a plausible spread: under half a percent */
    free(r);
}

static void same_seed_same_events(void)
{
    struct run *a = calloc(1, sizeof *a), *b = calloc(1, sizeof *b);
    play(a, SIM_BOOK_SEED, 20000);
    play(b, SIM_BOOK_SEED, 20000);
    CHECK(a->trades > 1000);
    CHECK(a->hash == b->hash && a->events == b->events);
    play(b, SIM_BOOK_SEED + 1, 20000);
    CHECK(a->hash != b->hash);
    CHECK(b->bad == 0);
    free(a);
    free(b);
}

int main(void)
{
    RUN(invariants_over_the_bundled_data);
    RUN(same_seed_same_events);
    HARNESS_EXIT();
}
