/* Paper broker. Netting positions with an average entry: adding moves the average,
 * reducing realises PnL against it, crossing zero reverses at the fill price.
 *
 * Fills walk a price path point by point. At the first point every order whose
 * condition already holds fills at that price (a gap fills at the open, not at
 * the order's level); between points, the trigger nearest to the current price in
 * the direction of travel fires at its own level, then the walk goes on from
 * there, so an entry, its stop and its targets can all fill inside one candle in
 * the order the path visits them. The path puts the position's adverse extreme
 * first, and when a candle touches both a stop and a target the stop wins. */
#include "alphapulse/broker.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "broker_walk.h"

const char *broker_error_text(int code)
{
    switch (code) {
    case BROKER_E_ARG: return "bad side, type, quantity or price";
    case BROKER_E_FULL: return "too many working orders";
    case BROKER_E_STEP: return "quantity rounds to zero at the step size";
    case BROKER_E_MIN_NOTIONAL: return "below the minimum notional";
    case BROKER_E_NOT_FOUND: return "no such working order";
    case BROKER_E_NO_POSITION: return "no position";
    default: return "error";
    }
}

void broker_init(struct broker *b, double balance, const struct broker_costs *c)
{
    memset(b, 0, sizeof *b);
    b->balance = balance;
    if (c)
        b->cost = *c;
    b->next_order = b->next_fill = 1;
    broker_reserve(b, BROKER_START_SYMBOLS);
}

void broker_free(struct broker *b)
{
    free(b->pos);
    free(b->inst);
    free(b->version);
    b->pos = NULL;
    b->inst = NULL;
    b->version = NULL;
    b->cap = 0;
}

/* One table grown from `have` to `want` entries of `size`, the new ones zeroed. */
static void *grow(void *tab, size_t size, int have, int want)
{
    char *t = realloc(tab, size * (size_t)want);
    if (t)
        memset(t + size * (size_t)have, 0, size * (size_t)(want - have));
    return t;
}

int broker_reserve(struct broker *b, int n)
{
    if (n <= b->cap)
        return 0;
    int want = b->cap ? b->cap : 1;
    while (want < n)
        want *= 2;
    void *p = grow(b->pos, sizeof *b->pos, b->cap, want);
    if (p)
        b->pos = p;
    void *i = p ? grow(b->inst, sizeof *b->inst, b->cap, want) : NULL;
    if (i)
        b->inst = i;
    void *v = i ? grow(b->version, sizeof *b->version, b->cap, want) : NULL;
    if (!v)
        return -1;            /* the tables that grew are larger than cap: harmless */
    b->version = v;
    b->cap = want;
    return 0;
}

void broker_set_inst(struct broker *b, int sym, const struct broker_inst *in)
{
    if (sym >= 0 && broker_reserve(b, sym + 1) == 0)
        b->inst[sym] = *in;
}

double broker_round_qty(const struct broker *b, int sym, double qty)
{
    double step = b->inst[sym].step;
    if (!(step > 0))
        return qty;
    /* the small epsilon keeps 0.3/0.1 from flooring to 2 steps */
    return floor(qty / step + 1e-9) * step;
}

double broker_round_price(const struct broker *b, int sym, double price)
{
    double tick = b->inst[sym].tick;
    if (!(tick > 0) || !(price > 0))
        return price;
    double r = round(price / tick) * tick;
    return r > 0 ? r : tick;
}

/* A slipped or triggered price moved to the tick on the adverse side. */
static double tick_adverse(const struct broker *b, int sym, double price, int side)
{
    double tick = b->inst[sym].tick;
    if (!(tick > 0))
        return price;
    double q = price / tick;
    double r = side > 0 ? ceil(q - 1e-9) : floor(q + 1e-9);
    if (r < 1)
        r = 1;
    return r * tick;
}

static void round_bracket(const struct broker *b, int sym, struct bracket *br)
{
    if (br->stop > 0)
        br->stop = broker_round_price(b, sym, br->stop);
    for (int i = 0; i < BROKER_TP; i++)
        if (br->tp[i] > 0)
            br->tp[i] = broker_round_price(b, sym, br->tp[i]);
}

int64_t broker_place(struct broker *b, const struct broker_req *r, double ref, int64_t t)
{
    if (r->sym < 0 || r->sym >= b->cap || (r->side != 1 && r->side != -1) ||
        r->type < 0 || r->type >= ORDER_TYPE_COUNT || !(r->qty > 0) || !isfinite(r->qty) ||
        (r->type != ORDER_MARKET && !(r->price > 0 && isfinite(r->price))))
        return BROKER_E_ARG;
    double qty = broker_round_qty(b, r->sym, r->qty);
    if (!(qty > 0))
        return BROKER_E_STEP;
    double price = r->type == ORDER_MARKET ? 0 : broker_round_price(b, r->sym, r->price);
    const struct position *p = &b->pos[r->sym];
    /* an order that only shrinks the position is always allowed, however small */
    bool reduces = p->qty != 0 && (p->qty > 0) != (r->side > 0) && qty <= fabs(p->qty) * (1 + 1e-12);
    double px = price > 0 ? price : ref;
    if (!reduces && b->inst[r->sym].min_notional > 0 && px > 0 && qty * px < b->inst[r->sym].min_notional)
        return BROKER_E_MIN_NOTIONAL;
    for (int i = 0; i < BROKER_MAX_ORDERS; i++) {
        struct broker_order *o = &b->ord[i];
        if (o->active)
            continue;
        *o = (struct broker_order){ .active = true, .id = b->next_order++, .sym = r->sym, .side = r->side,
                                    .type = r->type, .qty = qty, .price = price,
                                    .reduce_only = r->reduce_only, .br = r->br, .source = r->source,
                                    .placed = t, .queue = -1 };
        round_bracket(b, r->sym, &o->br);
        b->n_orders++;
        b->version[r->sym]++;
        return (int64_t)o->id;
    }
    return BROKER_E_FULL;
}

static struct broker_order *find(struct broker *b, uint64_t id)
{
    for (int i = 0; i < BROKER_MAX_ORDERS; i++)
        if (b->ord[i].active && b->ord[i].id == id)
            return &b->ord[i];
    return NULL;
}

const struct broker_order *broker_order_find(const struct broker *b, uint64_t id)
{
    return find((struct broker *)b, id);
}

/* Every way a working order leaves the book goes through here; an order that
 * ends without a fill is listed in b->ended so its owner can record why. */
void broker_drop(struct broker *b, struct broker_order *o, int why)
{
    o->active = false;
    b->n_orders--;
    b->version[o->sym]++;
    if (why < 0)
        return;                          /* filled: the fill is the record */
    if (b->n_ended < BROKER_MAX_ORDERS)
        b->ended[b->n_ended++] = (struct broker_end){ .o = *o, .why = why };
    else
        b->ended_lost++;
}

int broker_restore_order(struct broker *b, const struct broker_order *o)
{
    if (o->sym < 0 || o->sym >= b->cap || find(b, o->id))
        return BROKER_E_ARG;
    for (int i = 0; i < BROKER_MAX_ORDERS; i++)
        if (!b->ord[i].active) {
            b->ord[i] = *o;
            b->ord[i].active = true;
            /* a stored queue is checked against the book at its first sight
             * (broker_depth.c); none: the order queues again at its level */
            b->ord[i].queue_restored = o->type == ORDER_LIMIT && o->queue >= 0;
            if (!b->ord[i].queue_restored)
                b->ord[i].queue = -1;
            b->n_orders++;
            if (o->id >= b->next_order)
                b->next_order = o->id + 1;
            return 0;
        }
    return BROKER_E_FULL;
}

int broker_cancel(struct broker *b, uint64_t id)
{
    struct broker_order *o = find(b, id);
    if (!o)
        return BROKER_E_NOT_FOUND;
    broker_drop(b, o, BROKER_END_CANCELLED);
    return 0;
}

int broker_cancel_all(struct broker *b, int sym)
{
    int n = 0;
    for (int i = 0; i < BROKER_MAX_ORDERS; i++)
        if (b->ord[i].active && (sym < 0 || b->ord[i].sym == sym)) {
            broker_drop(b, &b->ord[i], BROKER_END_CANCELLED);
            n++;
        }
    return n;
}

int broker_modify(struct broker *b, uint64_t id, double price, double qty)
{
    struct broker_order *o = find(b, id);
    if (!o)
        return BROKER_E_NOT_FOUND;
    if (!(price >= 0) || !(qty >= 0) || !isfinite(price) || !isfinite(qty) ||
        (price > 0 && o->type == ORDER_MARKET))
        return BROKER_E_ARG;
    /* everything is checked before anything changes: a refused amend leaves the order as it was */
    double q = o->qty, px = o->price;
    if (qty > 0) {
        q = broker_round_qty(b, o->sym, qty);
        if (!(q > 0))
            return BROKER_E_STEP;
    }
    if (price > 0)
        px = broker_round_price(b, o->sym, price);
    const struct position *p = &b->pos[o->sym];
    bool reduces = p->qty != 0 && (p->qty > 0) != (o->side > 0) && q <= fabs(p->qty) * (1 + 1e-12);
    double mn = b->inst[o->sym].min_notional;
    if (!reduces && !o->reduce_only && mn > 0 && px > 0 && q * px < mn)
        return BROKER_E_MIN_NOTIONAL;
    if (q != o->qty || px != o->price)
        o->queue = -1;                     /* an amended order goes to the back of its level */
    o->qty = q;
    o->price = px;
    b->version[o->sym]++;
    return 0;
}

int broker_set_exits(struct broker *b, int sym, double stop, double trail, const double tp[BROKER_TP])
{
    struct position *p = &b->pos[sym];
    if (p->qty == 0)
        return BROKER_E_NO_POSITION;
    if (stop >= 0)
        p->br.stop = stop > 0 ? broker_round_price(b, sym, stop) : 0;
    if (trail >= 0) {
        p->br.trail = trail;
        p->br.trail_atr = 0;
        p->br.trail_ref = p->br.trail_stop = 0;
    }
    if (tp)
        for (int i = 0; i < BROKER_TP; i++)
            if (tp[i] >= 0) {
                p->br.tp[i] = tp[i] > 0 ? broker_round_price(b, sym, tp[i]) : 0;
                p->br.tp_done &= (uint8_t)~(1u << i);
            }
    b->version[sym]++;
    return 0;
}

int broker_set_trail_atr(struct broker *b, int sym, double mult, double atr)
{
    struct position *p = &b->pos[sym];
    if (p->qty == 0)
        return BROKER_E_NO_POSITION;
    if (!(mult > 0) || !(atr > 0) || !isfinite(mult * atr))
        return BROKER_E_ARG;
    p->br.trail_atr = mult;
    p->br.trail = mult * atr;
    p->br.trail_ref = p->br.trail_stop = 0;
    b->version[sym]++;
    return 0;
}

/* The trailing stop's level: the reference price less the distance, but never
 * behind the best level already reached (trail_stop). Keeping the level rather
 * than the distance is what lets an ATR trail widen without loosening: while the
 * ATR is wider than when the stop was set, the stop waits where it is, and it
 * moves again once the price has carried ref - distance past it. */
static double trail_level(const struct position *p)
{
    if (p->qty == 0 || !(p->br.trail > 0) || !(p->br.trail_ref > 0))
        return 0;
    int d = p->qty > 0 ? 1 : -1;
    double raw = p->br.trail_ref - d * p->br.trail;
    if (p->br.trail_stop > 0)
        raw = d > 0 ? fmax(raw, p->br.trail_stop) : fmin(raw, p->br.trail_stop);
    return raw > 0 ? raw : 0;
}

double broker_trail_level(const struct broker *b, int sym)
{
    return sym >= 0 && sym < b->cap ? trail_level(&b->pos[sym]) : 0;
}

void broker_on_atr(struct broker *b, int sym, double atr)
{
    if (sym < 0 || sym >= b->cap || !(atr > 0) || !isfinite(atr))
        return;
    struct position *p = &b->pos[sym];
    if (p->qty != 0 && p->br.trail_atr > 0) {
        double d = p->br.trail_atr * atr;
        if (d != p->br.trail) {
            p->br.trail_stop = trail_level(p);  /* the level reached at the old distance stays */
            p->br.trail = d;
            b->version[sym]++;                 /* persisted once per closed 1m candle at most */
        }
    }
    /* entry orders carry the multiple: they start trailing at the distance of the day */
    for (int i = 0; i < BROKER_MAX_ORDERS; i++) {
        struct broker_order *o = &b->ord[i];
        if (o->active && o->sym == sym && o->br.trail_atr > 0 && o->br.trail != o->br.trail_atr * atr) {
            o->br.trail = o->br.trail_atr * atr;
            b->version[sym]++;
        }
    }
}

int broker_orders_for(const struct broker *b, int sym)
{
    int n = 0;
    for (int i = 0; i < BROKER_MAX_ORDERS; i++)
        n += b->ord[i].active && b->ord[i].sym == sym;
    return n;
}

double broker_unrealized(const struct broker *b, int sym, double price, double conv)
{
    const struct position *p = &b->pos[sym];
    return p->qty == 0 ? 0 : p->qty * (price - p->avg) * conv;
}

/* ---- fills ---- */

/* Book a fill against the position; returns the realised PnL (account currency). */
double broker_book_fill(struct walk *w, int side, double qty, double price, bool maker, int reason,
                   uint64_t order_id, const struct broker_order *o)
{
    struct broker *b = w->b;
    struct position *p = &b->pos[w->sym];
    double signed_qty = side * qty, realized = 0, before = p->qty;
    if (p->qty == 0 || (p->qty > 0) == (signed_qty > 0)) {
        double q = fabs(p->qty) + qty;
        p->avg = (fabs(p->qty) * p->avg + qty * price) / q;
        p->qty += signed_qty;
    } else {
        double closing = fmin(qty, fabs(p->qty));
        realized = closing * (price - p->avg) * (p->qty > 0 ? 1 : -1) * w->conv;
        double left = p->qty + signed_qty;
        double step = b->inst[w->sym].step;
        if (fabs(left) < fmax(1e-12 * fmax(1.0, qty), step > 0 ? step * 1e-6 : 0))
            left = 0;
        if (left != 0 && (left > 0) != (p->qty > 0))
            p->avg = price;                   /* reversed: the remainder opens at the fill */
        p->qty = left;
        if (left == 0)
            p->avg = 0;
    }
    double fee = qty * price * w->conv * (maker ? b->cost.maker_bps : b->cost.taker_bps) / 1e4;
    b->version[w->sym]++;
    p->realized += realized;
    p->fees += fee;
    b->balance += realized - fee;
    bool opened = p->qty != 0 && (before == 0 || (before > 0) != (p->qty > 0));
    if (p->qty == 0) {
        memset(&p->br, 0, sizeof p->br);
        for (int i = 0; i < BROKER_MAX_ORDERS; i++)     /* nothing left to reduce */
            if (b->ord[i].active && b->ord[i].sym == w->sym && b->ord[i].reduce_only)
                broker_drop(b, &b->ord[i], BROKER_END_POSITION_CLOSED);
    } else if (opened) {
        memset(&p->br, 0, sizeof p->br);
        p->opened = w->t;
        p->source = o ? o->source : 0;
    }
    if (o && p->qty != 0 && (p->qty > 0) == (side > 0)) {
        const struct bracket *nb = &o->br;
        bool any = nb->stop > 0 || nb->trail > 0;
        for (int i = 0; i < BROKER_TP; i++)
            any |= nb->tp[i] > 0;
        if (any) {
            p->br = *nb;
            p->br.tp_done = 0;
            p->br.trail_ref = nb->trail > 0 ? price : 0;
            p->br.trail_stop = 0;
        }
        p->br.base_qty = fabs(p->qty);
    }
    if (w->n < w->max) {
        w->out[w->n++] = (struct broker_fill){ .id = b->next_fill++, .order_id = order_id, .sym = w->sym,
                                               .side = side, .reason = reason,
                                               .source = o ? o->source : p->source, .maker = maker, .qty = qty,
                                               .price = price, .fee = fee, .realized = realized,
                                               .pos_qty = p->qty, .pos_avg = p->avg, .pos_realized = p->realized,
                                               .pos_fees = p->fees, .balance = b->balance, .levels = -1,
                                               .unfilled = w->unfilled };
        if (w->bk)
            broker_depth_top(w, &w->out[w->n - 1]);
    } else {
        b->next_fill++;
    }
    w->levels = 0;
    return realized;
}

static double slipped(const struct walk *w, double price, int side)
{
    const struct broker_costs *c = &w->b->cost;
    double s = price * c->slip_bps / 1e4 + c->slip_range * w->range;
    return tick_adverse(w->b, w->sym, price + side * s, side);
}

static int exit_cands(const struct position *p, struct cand *c, bool with_targets)
{
    int n = 0, d = p->qty > 0 ? 1 : -1;
    if (p->qty == 0)
        return 0;
    if (p->br.stop > 0)
        c[n++] = (struct cand){ -1, -d, p->br.stop };
    double tl = trail_level(p);
    if (tl > 0)
        c[n++] = (struct cand){ -2, -d, tl };
    if (with_targets)
        for (int i = 0; i < BROKER_TP; i++)
            if (p->br.tp[i] > 0 && !(p->br.tp_done & (1u << i)))
                c[n++] = (struct cand){ -3 - i, d, p->br.tp[i] };
    return n;
}

void broker_fire(struct walk *w, const struct cand *c, double at, bool gap)
{
    struct broker *b = w->b;
    struct position *p = &b->pos[w->sym];
    if (c->idx >= 0) {
        struct broker_order *o = &b->ord[c->idx];
        double qty = o->qty;
        if (o->reduce_only) {
            if (p->qty == 0 || (p->qty > 0) == (o->side > 0)) {
                broker_drop(b, o, BROKER_END_NOTHING_TO_REDUCE);
                return;
            }
            qty = fmin(qty, fabs(p->qty));
        }
        double price, got = qty;
        bool maker = false;
        if (o->type == ORDER_LIMIT) {
            price = gap ? at : o->price;      /* a gap through the limit fills at the better open */
            maker = !gap;
        } else if (w->bk) {
            got = broker_depth_take(w, o->side, qty, &price);
        } else {
            price = slipped(w, o->type == ORDER_MARKET || gap ? at : o->price, o->side);
        }
        if (!(got > 0)) {
            broker_drop(b, o, BROKER_END_BOOK_EMPTY);
            return;
        }
        struct broker_order copy = *o;
        broker_drop(b, o, FILLED);
        w->unfilled = qty - got;              /* the part the shown book did not hold: cancelled */
        broker_book_fill(w, copy.side, got, price, maker, FILL_ORDER, copy.id, &copy);
        w->unfilled = 0;
        return;
    }
    int side = p->qty > 0 ? -1 : 1;
    double all = fabs(p->qty);
    if (c->idx >= -2) {
        double price, qty = all;
        if (w->bk)
            qty = broker_depth_take(w, side, all, &price);   /* the rest stays open, its stop armed */
        else
            price = slipped(w, gap ? at : c->level, side);
        if (qty > 0)
            broker_book_fill(w, side, qty, price, false, c->idx == -1 ? FILL_STOP_LOSS : FILL_TRAIL, 0, NULL);
        return;
    }
    int k = -3 - c->idx;
    p->br.tp_done |= (uint8_t)(1u << k);
    bool last = true;
    for (int i = 0; i < BROKER_TP; i++)
        if (p->br.tp[i] > 0 && !(p->br.tp_done & (1u << i)))
            last = false;
    double frac = p->br.tp_frac[k] > 0 ? p->br.tp_frac[k] : 1.0 / BROKER_TP;
    double qty = last ? all : fmin(all, broker_round_qty(b, w->sym, p->br.base_qty * frac));
    if (!(qty > 0))
        return;
    broker_book_fill(w, side, qty, gap ? at : c->level, !gap, FILL_TP1 + k, 0, NULL);
}

int broker_gather(const struct walk *w, struct cand *c, bool with_targets)
{
    int n = exit_cands(&w->b->pos[w->sym], c, with_targets);
    for (int i = 0; i < BROKER_MAX_ORDERS; i++) {
        const struct broker_order *o = &w->b->ord[i];
        if (!o->active || o->sym != w->sym)
            continue;
        int dir = o->type == ORDER_MARKET ? 0 : o->type == ORDER_LIMIT ? -o->side : o->side;
        c[n++] = (struct cand){ i, dir, o->price };
    }
    return n;
}

/* Fire everything whose condition already holds at price p, at p. */
static void settle(struct walk *w, double p, bool with_targets, bool market)
{
    struct cand c[BROKER_MAX_ORDERS + 8];
    for (int guard = 0; guard < BROKER_MAX_ORDERS + 8; guard++) {
        int n = broker_gather(w, c, with_targets), hit = -1;
        for (int i = 0; i < n && hit < 0; i++)
            if ((c[i].dir == 0 && market) || (c[i].dir > 0 && p >= c[i].level) ||
                (c[i].dir < 0 && c[i].dir != 0 && p <= c[i].level))
                hit = i;
        if (hit < 0)
            return;
        broker_fire(w, &c[hit], p, true);
    }
}

void broker_trail_update(struct broker *b, int sym, double p)
{
    struct position *pos = &b->pos[sym];
    if (pos->qty == 0 || !(pos->br.trail > 0))
        return;
    if (pos->br.trail_ref == 0 || (pos->qty > 0 ? p > pos->br.trail_ref : p < pos->br.trail_ref)) {
        pos->br.trail_ref = p;
        pos->br.trail_stop = trail_level(pos);
    }
}

/* Move from a to z, firing crossed triggers nearest-first at their levels. */
static void segment(struct walk *w, double a, double z)
{
    if (a == z)
        return;
    int dir = z > a ? 1 : -1;
    double cur = a;
    struct cand c[BROKER_MAX_ORDERS + 8];
    for (int guard = 0; guard < BROKER_MAX_ORDERS + 8; guard++) {
        int n = broker_gather(w, c, true), best = -1;
        for (int i = 0; i < n; i++) {
            if (c[i].dir != dir)
                continue;
            double l = c[i].level;
            if (dir > 0 ? !(l >= cur && l <= z) : !(l <= cur && l >= z))
                continue;
            /* nearest first; on a tie the position's exits (idx < 0: stop first) lead */
            if (best < 0 || (dir > 0 ? l < c[best].level : l > c[best].level) ||
                (l == c[best].level && c[i].idx < c[best].idx))
                best = i;
        }
        if (best < 0)
            break;
        cur = c[best].level;
        broker_fire(w, &c[best], cur, false);
        settle(w, cur, true, false);          /* exits just attached may already hold */
    }
}

int broker_on_bar(struct broker *b, int sym, const struct broker_bar *bar, double conv, int64_t t,
                  struct broker_fill *out, int max)
{
    if (sym < 0 || sym >= b->cap || !(conv > 0))
        return 0;
    struct walk w = { .b = b, .sym = sym, .conv = conv, .range = bar->high - bar->low, .t = t,
                      .out = out, .max = max };
    const struct position *p = &b->pos[sym];
    bool has_orders = false;
    int first_side = 0;
    for (int i = 0; i < BROKER_MAX_ORDERS && !has_orders; i++)
        if (b->ord[i].active && b->ord[i].sym == sym) {
            has_orders = true;
            first_side = b->ord[i].side;
        }
    if (p->qty == 0 && !has_orders)
        return 0;
    /* the adverse extreme first: for a long (or a pending buy when flat) the low */
    int d = p->qty != 0 ? (p->qty > 0 ? 1 : -1) : first_side;
    double pts[4] = { bar->open, d > 0 ? bar->low : bar->high, d > 0 ? bar->high : bar->low, bar->close };
    /* a stop and a target both inside this bar: the stop wins, even if the open
     * gapped beyond the target */
    bool stop_in_bar = false;
    if (p->qty != 0) {
        struct cand c[3];
        int n = exit_cands(p, c, false);
        for (int i = 0; i < n; i++)
            stop_in_bar |= c[i].level >= bar->low && c[i].level <= bar->high;
    }
    broker_trail_update(b, sym, pts[0]);
    settle(&w, pts[0], !stop_in_bar, true);
    for (int i = 1; i < 4; i++) {
        segment(&w, pts[i - 1], pts[i]);
        broker_trail_update(b, sym, pts[i]);
    }
    return w.n;
}
