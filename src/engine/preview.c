/* The order ticket's preview from a snapshot (see preview.h): the same sizing and
 * risk check the engine runs on the command, on the state the engine published. */
#include "alphapulse/preview.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "alphapulse/instrument.h"
#include "alphapulse/risk.h"

/* a trailing stop wider than this many ATRs is a typo, not a trail */
#define TRAIL_ATR_MAX 20

bool preview_book_fill(const struct snap_depth *d, int side, double qty, struct book_walk *w, double *slip_bps)
{
    const struct snap_level *lv = side > 0 ? d->asks : d->bids;
    int n = side > 0 ? d->n_asks : d->n_bids;
    memset(w, 0, sizeof *w);
    *slip_bps = 0;
    if (n <= 0 || !(qty > 0))
        return false;
    int64_t want = llround(qty * (double)BOOK_SCALE);
    for (int i = 0; i < n && book_walk_level(w, want, llround(lv[i].px * (double)BOOK_SCALE),
                                             llround(lv[i].qty * (double)BOOK_SCALE)); i++)
        ;
    book_walk_end(w);
    *slip_bps = w->filled > 0 ? side * (w->vwap - lv[0].px) / lv[0].px * 1e4 : 0;
    return true;
}

static const char *const type_names[ORDER_TYPE_COUNT] = { "market", "limit", "stop" };

static struct sizing_input sizing_in(const struct pf_view *v, const struct preview_ticket *t, int method,
                                     double param, double entry)
{
    const struct metrics *m = &v->by_source[SRC_MANUAL];
    return (struct sizing_input){ .method = method, .param = param, .equity = v->equity, .price = entry,
                                  .conv = v->conv[t->sym], .stop = t->stop, .atr = v->atr[t->sym], .atr_mult = 2,
                                  .hit_rate = m->win_rate, .payoff = isfinite(m->payoff) ? m->payoff : 0 };
}

/* The largest entry the risk limits allow, so the ticket never offers a size the
 * engine must refuse: per-trade risk at the stop, the symbol's position limit
 * (with working entries on that side), the account's exposure limit and the
 * leverage the instrument may have (1x on spot). */
static void cap_size(const struct pf_view *v, const struct preview_ticket *t, struct order_preview *c)
{
    if (t->exits_only || !(c->qty > 0) || !(c->entry > 0) || !(c->conv > 0) || !(v->equity > 0))
        return;
    struct risk_limits lim;
    risk_limits_for_symbol(&v->limits, &v->sym_limits[t->sym], &lim);
    double px = c->entry * c->conv, pending = 0;
    for (int i = 0; i < v->n_orders; i++) {
        const struct broker_order *b = &v->orders[i];
        if (b->sym == t->sym && !b->reduce_only && b->side == t->side)
            pending += b->side * b->qty;
    }
    double held = v->pos[t->sym].qty + pending;
    if (held * t->side < 0)
        return;                        /* it reduces first: the engine's check decides */
    double lev = v->inst[t->sym].perp && lim.max_leverage > 1 ? lim.max_leverage : 1;
    struct { const char *name; double max; } caps[4] = {
        { "risk per trade", t->stop > 0 ? lim.risk_per_trade * v->equity / (fabs(c->entry - t->stop) * c->conv) : INFINITY },
        { "max position", lim.max_position * v->equity / px - fabs(held) },
        { "max exposure", (lim.max_exposure * v->equity - v->exposure) / px },
        { "max leverage", lev * v->equity / px - fabs(held) },
    };
    double best = INFINITY;
    const char *which = NULL;
    for (int i = 0; i < 4; i++)
        if (caps[i].max < best) {
            best = caps[i].max;
            which = caps[i].name;
        }
    double step = v->inst[t->sym].step;
    if (best < 0)
        best = 0;
    if (step > 0)
        best = floor(best / step + 1e-9) * step;
    else
        best *= 1 - 1e-9;
    if (c->qty > best && best > 0) {
        c->uncapped = c->qty;
        c->qty = best;
        c->capped = which;
    }
}

/* Values no order should carry; the reason names the field and what it expects. */
static void validate(const struct pf_view *v, double last, const struct preview_ticket *t, struct order_preview *c)
{
    double tick = v->inst[t->sym].tick;
    char a[32], b[32];
    c->invalid[0] = 0;
    int side = t->side;
    double entry = t->exits_only ? last : c->entry;
    const char *longs = side > 0 ? "a long" : "a short";
    if (!t->exits_only && t->type == ORDER_STOP && last > 0 && (t->price - last) * side <= 0) {
        instrument_fmt(tick, t->price, a, sizeof a);
        instrument_fmt(tick, last, b, sizeof b);
        snprintf(c->invalid, sizeof c->invalid, "trigger %s is %s the market %s: a %s stop triggers %s it", a,
                 side > 0 ? "at or below" : "at or above", b, side > 0 ? "BUY" : "SELL", side > 0 ? "above" : "below");
        return;
    }
    if (!t->exits_only && t->type != ORDER_MARKET && !(t->price > 0)) {
        snprintf(c->invalid, sizeof c->invalid, "%s: a %s order needs a price > 0",
                 t->type == ORDER_STOP ? "Trigger" : "Price", type_names[t->type]);
        return;
    }
    if (t->stop > 0 && entry > 0 && (entry - t->stop) * side <= 0) {
        instrument_fmt(tick, t->stop, a, sizeof a);
        instrument_fmt(tick, entry, b, sizeof b);
        snprintf(c->invalid, sizeof c->invalid, "stop %s is %s the entry %s: %s's stop goes %s it", a,
                 side > 0 ? "at or above" : "at or below", b, longs, side > 0 ? "below" : "above");
        return;
    }
    const double tps[2] = { t->tp1, t->tp2 };
    for (int i = 0; i < 2; i++)
        if (tps[i] > 0 && entry > 0 && (tps[i] - entry) * side <= 0) {
            instrument_fmt(tick, tps[i], a, sizeof a);
            instrument_fmt(tick, entry, b, sizeof b);
            snprintf(c->invalid, sizeof c->invalid, "target %d %s is %s the entry %s: %s's targets go %s it", i + 1,
                     a, side > 0 ? "at or below" : "at or above", b, longs, side > 0 ? "above" : "below");
            return;
        }
    if (t->trail_atr < 0 || t->trail_atr > TRAIL_ATR_MAX) {
        snprintf(c->invalid, sizeof c->invalid, "trail %.6g x ATR: expected 0 (none) to %g x ATR", t->trail_atr,
                 (double)TRAIL_ATR_MAX);
        return;
    }
    if (!t->exits_only && t->method != SIZE_QTY && (t->size <= 0 || t->size > 1)) {
        snprintf(c->invalid, sizeof c->invalid, "size %.6g: expected a fraction of equity > 0 and <= 1 (0.01 = 1 %%)",
                 t->size);
        return;
    }
}

void preview_order(const struct pf_view *v, double last, int64_t now, const struct preview_ticket *t,
                   const double default_param[SIZE_METHOD_COUNT], struct order_preview *c)
{
    memset(c, 0, sizeof *c);
    c->entry = t->type == ORDER_MARKET ? last : t->price;
    c->conv = v->conv[t->sym];
    c->kelly_ready = v->by_source[SRC_MANUAL].trades >= 20;
    for (int m = 0; m < SIZE_METHOD_COUNT; m++) {
        struct sizing_input in = sizing_in(v, t, m, m == t->method ? t->size : default_param[m], c->entry);
        c->by_method[m] = m == SIZE_KELLY && !c->kelly_ready ? 0 : sizing_qty(&in);
    }
    c->qty = c->by_method[t->method];
    double step = v->inst[t->sym].step;
    if (step > 0)
        c->qty = floor(c->qty / step + 1e-9) * step;
    cap_size(v, t, c);
    c->notional = c->qty * c->entry * c->conv;
    if (t->stop > 0)
        c->risk = c->qty * fabs(c->entry - t->stop) * c->conv;
    if (t->tp1 > 0)
        c->reward = c->qty * fabs(t->tp1 - c->entry) * c->conv;
    c->rr = c->risk > 0 ? c->reward / c->risk : 0;
    validate(v, last, t, c);
    /* the engine's check, on the engine's published state */
    struct risk_order o = { .side = t->side, .qty = c->qty, .price = c->entry, .stop = t->stop, .conv = c->conv,
                            .pos_qty = v->pos[t->sym].qty, .exposure = v->exposure, .equity = v->equity,
                            .open_positions = v->open_positions, .perp = v->inst[t->sym].perp };
    for (int i = 0; i < v->n_orders; i++) {
        const struct broker_order *b = &v->orders[i];
        if (b->sym != t->sym)
            continue;
        o.orders_symbol++;
        if (!b->reduce_only && b->side == t->side)
            o.pending_qty += b->side * b->qty;
    }
    if (!(c->qty > 0)) {
        c->verdict = -1;
        snprintf(c->why, sizeof c->why, "%s sizing gives no quantity%s", sizing_name(t->method),
                 t->method == SIZE_RISK && !(t->stop > 0) ? " (set a stop)" :
                 t->method == SIZE_KELLY && !c->kelly_ready ? " (needs 20 manual trades)" : "");
        return;
    }
    struct risk_limits lim;            /* the symbol's own limits, as the engine will check them */
    risk_limits_for_symbol(&v->limits, &v->sym_limits[t->sym], &lim);
    c->verdict = risk_check(&lim, &v->risk, &o, now, c->why, sizeof c->why);
}
