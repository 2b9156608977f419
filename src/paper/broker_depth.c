/* Paper fills against a synced order book and the trade tape (broker.h): takers
 * walk the book, limit orders wait for the volume queued ahead of them to trade,
 * stops trigger on trades. The book is read, never changed. */
#include <math.h>

#include "broker_walk.h"

static int64_t fixed(double v) { return llround(v * (double)BOOK_SCALE); }

double broker_depth_take(struct walk *w, int side, double qty, double *price)
{
    struct book_walk bw;
    book_walk(w->bk, side > 0, fixed(qty), &bw);
    double got = qty;
    if (bw.filled < fixed(qty)) {
        /* what the book shows, down to the step, priced by a walk of exactly that */
        got = broker_round_qty(w->b, w->sym, book_to_double(bw.filled));
        book_walk(w->bk, side > 0, fixed(got), &bw);
    }
    w->levels = bw.levels;
    *price = bw.vwap;
    return got > 0 && bw.filled > 0 ? got : 0;
}

void broker_depth_top(const struct walk *w, struct broker_fill *f)
{
    struct book_level l;
    f->bid = book_best(w->bk, BOOK_BID, &l) ? book_to_double(l.px) : 0;
    f->ask = book_best(w->bk, BOOK_ASK, &l) ? book_to_double(l.px) : 0;
    f->levels = w->levels;
}

/* Prices of one level: equal in 1e-8 units (both come from ticks or fixed point;
 * as doubles they may differ in the last bits). */
static bool same_price(double a, double b) { return fixed(a) == fixed(b); }

/* Queues not measured yet: the back of the order's level on its own side now.
 * A queue restored from the store stays where it was unless the level now
 * holds less: the volume ahead of it can have traded or been cancelled while
 * the console was down, never grown (newcomers queue behind). Either is handed
 * to the store (the book's version). */
static void measure_queues(struct walk *w)
{
    for (int i = 0; i < BROKER_MAX_ORDERS; i++) {
        struct broker_order *o = &w->b->ord[i];
        if (!o->active || o->sym != w->sym || o->type != ORDER_LIMIT || (o->queue >= 0 && !o->queue_restored))
            continue;
        double back = book_to_double(book_qty(w->bk, o->side > 0 ? BOOK_BID : BOOK_ASK, fixed(o->price))) + o->qty;
        if (!(o->queue_restored && o->queue >= 0 && o->queue <= back))
            o->queue = back;
        o->queue_restored = false;
        o->queue_saved = w->t;
        w->b->version[w->sym]++;
    }
}

static void fill_markets(struct walk *w)
{
    for (int i = 0; i < BROKER_MAX_ORDERS; i++) {
        const struct broker_order *o = &w->b->ord[i];
        if (o->active && o->sym == w->sym && o->type == ORDER_MARKET)
            broker_fire(w, &(struct cand){ i, 0, 0 }, 0, false);
    }
}

static bool start(struct walk *w, struct broker *b, int sym, const struct book *bk, double conv, int64_t t,
                  struct broker_fill *out, int max)
{
    *w = (struct walk){ .b = b, .sym = sym, .conv = conv, .t = t, .bk = bk, .out = out, .max = max };
    if (sym < 0 || sym >= b->cap || !bk || !(conv > 0))
        return false;
    measure_queues(w);
    fill_markets(w);
    return true;
}

int broker_on_book(struct broker *b, int sym, const struct book *bk, double conv, int64_t t,
                   struct broker_fill *out, int max)
{
    struct walk w;
    start(&w, b, sym, bk, conv, t, out, max);
    return w.n;
}

/* A trade at px fills a limit once it traded through the price (the level is
 * gone) or its queue has traded at the price. */
static bool limit_hit(const struct broker_order *o, double px)
{
    if (o->side > 0 ? px < o->price : px > o->price)
        return true;
    return same_price(px, o->price) && o->queue >= 0 && o->queue <= o->qty * 1e-9;
}

static bool trade_hits(const struct walk *w, const struct cand *c, double px)
{
    if (c->idx >= 0) {
        const struct broker_order *o = &w->b->ord[c->idx];
        if (o->type == ORDER_LIMIT)
            return limit_hit(o, px);
        if (o->type == ORDER_MARKET)
            return true;
    }
    return c->dir > 0 ? px >= c->level : px <= c->level;
}

/* Everything the trade reached, in the candle path's order. An exit fires once
 * per trade: a stop the book could fill only in part waits for the next trade
 * (the book a paper order walks is not consumed by it, so walking it again
 * would fill the rest at the same prices). */
static void settle_trade(struct walk *w, double px)
{
    struct cand c[BROKER_MAX_ORDERS + 8];
    unsigned fired = 0;
    for (int guard = 0; guard < BROKER_MAX_ORDERS + 8; guard++) {
        int n = broker_gather(w, c, true), hit = -1;
        for (int i = 0; i < n && hit < 0; i++)
            if (!(c[i].idx < 0 && (fired & (1u << (-1 - c[i].idx)))) && trade_hits(w, &c[i], px))
                hit = i;
        if (hit < 0)
            return;
        if (c[hit].idx < 0)
            fired |= 1u << (-1 - c[hit].idx);
        broker_fire(w, &c[hit], px, false);
    }
}

int broker_on_trade(struct broker *b, int sym, const struct book *bk, double px, double qty, double conv,
                    int64_t t, struct broker_fill *out, int max)
{
    struct walk w;
    if (!(px > 0) || !isfinite(px) || !(qty >= 0) || !start(&w, b, sym, bk, conv, t, out, max))
        return 0;
    for (int i = 0; i < BROKER_MAX_ORDERS; i++) {
        struct broker_order *o = &b->ord[i];
        if (o->active && o->sym == sym && o->type == ORDER_LIMIT && o->queue >= 0 && same_price(px, o->price)) {
            o->queue -= qty;
            if (t - o->queue_saved >= BROKER_QUEUE_SAVE_MS) {   /* the store hears of it */
                o->queue_saved = t;
                b->version[sym]++;
            }
        }
    }
    broker_trail_update(b, sym, px);
    settle_trade(&w, px);
    return w.n;
}
