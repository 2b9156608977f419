/* The demo's synthetic order book and trade tape (the model: sim_book.h). */
#include "alphapulse/sim_book.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "alphapulse/book.h"
#include "alphapulse/depth_sync.h"

#define MAX_TRADES 4                   /* per candle update */
#define EPOCH_MS (15 * 60000)          /* the resting levels' sizes and spacing last this long */

struct side_levels { struct book_level lv[SIM_BOOK_LEVELS]; uint32_t n; };

struct sim_sym {
    char symbol[SYMBOL_MAX];
    uint64_t key;                      /* the seed and the symbol's name, hashed */
    int64_t tick, step;                /* 1e-8 units, >= 1 */
    bool started, shaped;              /* the snapshot went out; spread and sizes known */
    uint64_t update_id, trade_id;
    int64_t open_time;                 /* the candle being played */
    int64_t vol_done;                  /* its volume traded so far */
    int64_t last_px, last_time;        /* the last trade (the book's anchor) */
    int64_t spread;                    /* from the last closed candle */
    int64_t gap, base_qty;             /* the grid and its sizes, kept for an epoch */
    int64_t epoch;                     /* EPOCH_MS periods since 1970 */
    struct side_levels side[2];        /* the book as sent */
};

struct sim_book {
    int n;
    struct sim_sym *sym;
    struct book_level diff[4 * SIM_BOOK_LEVELS];
};

static uint64_t mix(uint64_t x)        /* splitmix64's finaliser */
{
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

static uint64_t hash3(uint64_t a, uint64_t b, uint64_t c) { return mix(a ^ mix(b ^ mix(c))); }
static double unit(uint64_t h) { return (double)(h >> 11) / 9007199254740992.0; }   /* [0, 1) */
static int64_t fixed(double v) { return llround(v * (double)BOOK_SCALE); }
static int64_t floor_tick(const struct sim_sym *s, int64_t px) { return px - px % s->tick; }
static int64_t ceil_tick(const struct sim_sym *s, int64_t px) { return floor_tick(s, px + s->tick - 1); }
static int64_t units(double v) { int64_t u = fixed(v); return u > 0 ? u : 1; }

struct sim_book *sim_book_create(const struct instrument *inst, int n, uint64_t seed)
{
    struct sim_book *sb = calloc(1, sizeof *sb);
    if (!sb || !(sb->sym = calloc(n > 0 ? (size_t)n : 1, sizeof *sb->sym))) {
        free(sb);
        return NULL;
    }
    sb->n = n;
    for (int i = 0; i < n; i++) {
        struct sim_sym *s = &sb->sym[i];
        memcpy(s->symbol, inst[i].symbol, SYMBOL_MAX);
        uint64_t h = seed;
        for (const char *p = s->symbol; *p; p++)
            h = mix(h ^ (unsigned char)*p);
        s->key = h;
        s->tick = units(inst[i].tick);
        s->step = units(inst[i].step);
    }
    return sb;
}

void sim_book_free(struct sim_book *sb)
{
    if (sb)
        free(sb->sym);
    free(sb);
}

/* The spread from a candle's range; at the start of an epoch, the grid's spacing
 * (an eighth of the range, at least the spread) and the level sizes (from its
 * volume) too. */
static void shape(struct sim_sym *s, const struct candle *c)
{
    int64_t ticks = (fixed(c->high) - fixed(c->low)) / s->tick;
    int64_t sp = 1 + (int64_t)sqrt((double)(ticks > 0 ? ticks : 0)) / 4;
    int64_t cap = fixed(c->close) / s->tick / 200;
    s->spread = (sp < cap ? sp : cap > 1 ? cap : 1) * s->tick;
    int64_t epoch = c->open_time / EPOCH_MS;
    if (s->shaped && epoch == s->epoch)
        return;
    s->epoch = epoch;
    s->gap = ticks / 8 > sp ? ticks / 8 * s->tick : s->spread;
    int64_t base = fixed(c->volume) / SIM_BOOK_LEVELS;
    base -= base % s->step;
    s->base_qty = base > s->step ? base : s->step;
    s->shaped = true;
}

/* A resting level's size: fixed per price for the candle (salt), on the step. */
static int64_t level_qty(const struct sim_sym *s, int64_t px, uint64_t salt, double lo, double span)
{
    uint64_t h = hash3(s->key, (uint64_t)px, salt);
    int64_t q = (int64_t)((double)s->base_qty * (lo + span * unit(h)));
    if (h % 23 == 0)
        q *= 4;                        /* now and then a wall */
    q -= q % s->step;
    return q > s->step ? q : s->step;
}

/* One side from its best price outwards (dir -1: bids, +1: asks): the touch, then
 * the grid one spread apart. */
static void fill_side(const struct sim_sym *s, struct side_levels *o, int64_t touch, int dir, uint64_t seq)
{
    o->n = 0;
    if (touch <= 0)
        return;
    o->lv[o->n++] = (struct book_level){ touch, level_qty(s, touch, seq, 0.05, 0.75) };
    int64_t g = s->gap, px = dir < 0 ? (touch - 1) / g * g : (touch / g + 1) * g;
    for (; o->n < SIM_BOOK_LEVELS && px > 0; px += dir * g)
        o->lv[o->n++] = (struct book_level){ px, level_qty(s, px, (uint64_t)s->epoch, 0.3, 1.4) };
}

/* The book right after a trade at px: the touch on the side the taker hit at the
 * trade's tick, the other side a spread away. */
static void settled(const struct sim_sym *s, int64_t px, bool buy, uint64_t seq, struct side_levels out[2])
{
    int64_t bid, ask;
    if (buy) {
        ask = ceil_tick(s, px);
        bid = ask - s->spread;
    } else {
        bid = floor_tick(s, px);
        ask = bid + s->spread;
    }
    fill_side(s, &out[BOOK_BID], bid, -1, seq);
    fill_side(s, &out[BOOK_ASK], ask, 1, seq);
}

static bool better(int side, int64_t a, int64_t b) { return side == BOOK_BID ? a > b : a < b; }

/* The levels that turn one side into another: removals (qty 0) and changes. */
static uint32_t side_diff(int side, const struct side_levels *from, const struct side_levels *to,
                          struct book_level *out)
{
    uint32_t i = 0, j = 0, n = 0;
    while (i < from->n || j < to->n) {
        if (j == to->n || (i < from->n && better(side, from->lv[i].px, to->lv[j].px))) {
            out[n++] = (struct book_level){ from->lv[i++].px, 0 };
        } else if (i == from->n || better(side, to->lv[j].px, from->lv[i].px)) {
            out[n++] = to->lv[j++];
        } else {
            if (from->lv[i].qty != to->lv[j].qty)
                out[n++] = to->lv[j];
            i++;
            j++;
        }
    }
    return n;
}

/* Sends what changes the book to `to` (a snapshot the first time), in pieces. */
static bool send_book(struct sim_book *sb, struct sim_sym *s, const struct side_levels to[2], int64_t time,
                      sim_book_emit emit, void *ctx)
{
    uint32_t nb = side_diff(BOOK_BID, &s->side[BOOK_BID], &to[BOOK_BID], sb->diff);
    uint32_t na = side_diff(BOOK_ASK, &s->side[BOOK_ASK], &to[BOOK_ASK], sb->diff + nb);
    s->side[BOOK_BID] = to[BOOK_BID];
    s->side[BOOK_ASK] = to[BOOK_ASK];
    bool snapshot = !s->started;
    s->started = true;
    if (nb + na == 0 && !snapshot)
        return true;
    s->update_id++;
    struct depth_update u = { .first_id = s->update_id, .last_id = s->update_id, .event_time = snapshot ? 0 : time,
                              .nb = nb, .na = na, .lv = sb->diff };
    struct engine_event ev = { .type = EE_DEPTH };
    for (int i = 0, n = depth_piece_count(&u); i < n; i++) {
        depth_piece_make(&u, s->symbol, snapshot, 0, i, &ev.u.depth);
        ev.u.depth.simulated = 1;
        if (!emit(ctx, &ev))
            return false;
    }
    return true;
}

/* One trade: the taker sweeps the side it hits to the trade's price (the other
 * side keeps its levels short of it), trades, then the other side follows. */
static bool trade(struct sim_book *sb, struct sim_sym *s, int64_t px, int64_t qty, int64_t time, sim_book_emit emit,
                  void *ctx)
{
    uint64_t seq = s->trade_id + 1;
    bool buy = px != s->last_px ? px > s->last_px : (hash3(s->key, seq, 1) & 1);
    int hit = buy ? BOOK_ASK : BOOK_BID, other = !hit;
    struct side_levels to[2], swept[2];
    settled(s, px, buy, seq, to);
    swept[hit] = to[hit];
    swept[other].n = 0;
    int64_t edge = to[hit].n ? to[hit].lv[0].px : 0;
    for (uint32_t i = 0; i < s->side[other].n; i++)
        if (!to[hit].n || better(other, edge, s->side[other].lv[i].px))
            swept[other].lv[swept[other].n++] = s->side[other].lv[i];
    if (!send_book(sb, s, swept, time, emit, ctx))
        return false;
    struct engine_event ev = { .type = EE_TRADE };
    memcpy(ev.u.trade.symbol, s->symbol, SYMBOL_MAX);
    ev.u.trade.simulated = true;
    ev.u.trade.t = (struct tape_trade){ .id = ++s->trade_id, .time_ms = time, .px = px, .qty = qty,
                                        .buyer_maker = !buy };
    if (!emit(ctx, &ev))
        return false;
    s->last_px = px;
    s->last_time = time;
    return send_book(sb, s, to, time, emit, ctx);
}

/* The i-th of n trades from the last price to the update's close (the last one
 * exactly at it), jittered by up to a spread, inside [lo, hi], on the tick when
 * that stays inside. */
static int64_t path_px(const struct sim_sym *s, int64_t from, int64_t to, int i, int n, int64_t lo, int64_t hi,
                       uint64_t h)
{
    if (i == n - 1)
        return to;
    int64_t px = from + (to - from) * (i + 1) / n + (int64_t)(h % (uint64_t)(2 * s->spread + 1)) - s->spread;
    px = px < lo ? lo : px > hi ? hi : px;
    int64_t on = floor_tick(s, px);
    return on >= lo ? on : px;
}

static bool play(struct sim_book *sb, struct sim_sym *s, const struct kline_event *k, int64_t from, sim_book_emit emit,
                 void *ctx)
{
    int64_t vol = fixed(k->c.volume) - s->vol_done, to = fixed(k->c.close);
    int64_t lo = fixed(k->c.low), hi = fixed(k->c.high), t0 = s->last_time;
    int64_t t1 = k->event_time > t0 ? k->event_time : t0;
    uint64_t h = hash3(s->key, (uint64_t)k->c.open_time, (uint64_t)k->event_time);
    int n = 1 + (int)(h % MAX_TRADES), w[MAX_TRADES], wsum = 0;
    if (vol < n)
        n = (int)(vol > 0 ? vol : 0);
    for (int i = 0; i < n; i++)
        wsum += w[i] = 1 + (int)(hash3(h, (uint64_t)i, 2) % 16);
    int64_t left = vol;
    for (int i = 0; i < n; i++) {
        /* each trade at least 1e-8, the last one takes the rest: the sum is exact */
        int64_t a = vol - n;           /* a * w / wsum without overflow */
        int64_t q = i == n - 1 ? left : a / wsum * w[i] + a % wsum * w[i] / wsum + 1;
        int64_t px = path_px(s, from, to, i, n, lo, hi, hash3(h, (uint64_t)i, 3));
        if (!trade(sb, s, px, q, t0 + (t1 - t0) * (i + 1) / (n + 1), emit, ctx))
            return false;
        left -= q;
    }
    if (n > 0)
        s->vol_done += vol;
    return true;
}

bool sim_book_on_kline(struct sim_book *sb, const struct kline_event *k, sim_book_emit emit, void *ctx)
{
    struct sim_sym *s = NULL;
    for (int i = 0; i < sb->n && !s; i++)
        if (strcmp(sb->sym[i].symbol, k->symbol) == 0)
            s = &sb->sym[i];
    if (!s || k->tf != TF_1M)
        return true;
    int64_t from = s->last_px;
    if (k->c.open_time != s->open_time || !s->started) {   /* a new candle: its path starts at its open */
        from = fixed(k->c.open);
        s->open_time = k->c.open_time;
        s->vol_done = 0;
        s->last_time = k->c.open_time;
        if (!s->shaped)
            shape(s, &k->c);
        if (!s->started) {
            s->last_px = from;
            struct side_levels first[2];
            settled(s, s->last_px, false, 0, first);
            if (!send_book(sb, s, first, k->c.open_time, emit, ctx))
                return false;
        }
    }
    if (!play(sb, s, k, from, emit, ctx))
        return false;
    if (k->closed)
        shape(s, &k->c);               /* the next candle's book from this one */
    return true;
}
