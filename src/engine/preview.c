/* The order ticket's preview from a snapshot (see preview.h): the same sizing and
 * risk check the engine runs on the command, on the state the engine published. */
#include "alphapulse/preview.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "alphapulse/risk.h"

static struct sizing_input sizing_in(const struct pf_view *v, const struct preview_ticket *t, int method,
                                     double param, double entry)
{
    const struct metrics *m = &v->by_source[SRC_MANUAL];
    return (struct sizing_input){ .method = method, .param = param, .equity = v->equity, .price = entry,
                                  .conv = v->conv[t->sym], .stop = t->stop, .atr = v->atr[t->sym], .atr_mult = 2,
                                  .hit_rate = m->win_rate, .payoff = isfinite(m->payoff) ? m->payoff : 0 };
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
    c->notional = c->qty * c->entry * c->conv;
    if (t->stop > 0)
        c->risk = c->qty * fabs(c->entry - t->stop) * c->conv;
    if (t->tp1 > 0)
        c->reward = c->qty * fabs(t->tp1 - c->entry) * c->conv;
    c->rr = c->risk > 0 ? c->reward / c->risk : 0;
    /* the engine's check, on the engine's published state */
    struct risk_order o = { .side = t->side, .qty = c->qty, .price = c->entry, .stop = t->stop, .conv = c->conv,
                            .pos_qty = v->pos[t->sym].qty, .exposure = v->exposure, .equity = v->equity,
                            .open_positions = v->open_positions };
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
