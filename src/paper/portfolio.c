/* The paper trading desk: sizing -> risk -> broker for orders, broker -> trades ->
 * risk state -> metrics for prices. Nothing here allocates or reads a clock: the
 * event time comes in with every call, so backtests and live runs agree. */
#include "alphapulse/portfolio.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alphapulse/instrument.h"

#define DAY_MS 86400000LL

void pf_config_defaults(struct pf_config *c)
{
    memset(c, 0, sizeof *c);
    c->balance = 10000;
    c->costs = (struct broker_costs){ .maker_bps = 2, .taker_bps = 10, .slip_bps = 1, .slip_range = 0 };
    risk_limits_defaults(&c->limits);
    c->order_notional = 500;
    c->size_method = SIZE_FRACTION;
    c->size_value = 0.05;
    c->atr_mult = 2;
    c->kelly_min_trades = 20;
}

/* Prices in the symbol's tick and quantities in its step, as the messages show
 * them (never an exponent: 0.00005481, not 5.481e-05). */
struct numtxt { char s[40]; };
static struct numtxt fpx(const struct portfolio *pf, int s, double p)
{
    struct numtxt t;
    instrument_fmt_short(s >= 0 && s < pf->cap ? pf->broker.inst[s].tick : 0, p, t.s, sizeof t.s);
    return t;
}
static struct numtxt fqty(const struct portfolio *pf, int s, double q)
{
    struct numtxt t;
    instrument_fmt_short(s >= 0 && s < pf->cap ? pf->broker.inst[s].step : 0, q, t.s, sizeof t.s);
    return t;
}

static void note(struct portfolio *pf, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void note(struct portfolio *pf, const char *fmt, ...)
{
    if (!pf->sink.note)
        return;
    char msg[200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    pf->sink.note(pf->sink.ctx, msg);
}

static void risk_changed(struct portfolio *pf)
{
    if (pf->sink.risk)
        pf->sink.risk(pf->sink.ctx, &pf->risk);
}

static int64_t day_of(int64_t t) { return t >= 0 ? t / DAY_MS : -((-t + DAY_MS - 1) / DAY_MS); }

void portfolio_init(struct portfolio *pf, const struct pf_config *c, const struct pf_sink *sink)
{
    memset(pf, 0, sizeof *pf);
    pf->cfg = *c;
    if (sink)
        pf->sink = *sink;
    broker_init(&pf->broker, c->balance, &c->costs);
    risk_state_init(&pf->risk, c->balance, 0);
    pf->risk.day = -1;                     /* the first mark sets the day */
    pf->equity = pf->start_equity = c->balance;
    pf->cur_day = INT64_MIN;
    pf->curve_step = 60000;
    portfolio_reserve(pf, BROKER_START_SYMBOLS);
}

void portfolio_free(struct portfolio *pf)
{
    broker_free(&pf->broker);
    free(pf->sym);
    free(pf->by_sym);
    free(pf->book_seen);
    pf->sym = NULL;
    pf->by_sym = NULL;
    pf->book_seen = NULL;
    pf->cap = pf->n_sym = 0;
}

/* One table grown from `have` to `want` entries of `size`, the new ones zeroed. */
static void *grow(void *tab, size_t size, int have, int want)
{
    char *t = realloc(tab, size * (size_t)want);
    if (t)
        memset(t + size * (size_t)have, 0, size * (size_t)(want - have));
    return t;
}

#define GROW(o, f)                                                  \
    do {                                                            \
        void *t_ = grow((o)->f, sizeof (o)->f[0], have, want);      \
        if (!t_)                                                    \
            return -1;                                              \
        (o)->f = t_;                                                \
    } while (0)

int portfolio_reserve(struct portfolio *pf, int n)
{
    if (n <= pf->cap)
        return 0;
    if (broker_reserve(&pf->broker, n) != 0)
        return -1;
    int have = pf->cap, want = have ? have : 1;
    while (want < n)
        want *= 2;
    GROW(pf, sym);
    GROW(pf, by_sym);
    GROW(pf, book_seen);
    for (int i = have; i < want; i++)
        pf->sym[i].conv_src = -1;
    pf->cap = want;
    return 0;
}

void portfolio_set_symbol(struct portfolio *pf, int s, const char *name, int conv_src, const struct broker_inst *in)
{
    if (s < 0 || portfolio_reserve(pf, s + 1) != 0)
        return;
    snprintf(pf->sym[s].name, PF_NAME, "%s", name);
    pf->sym[s].conv_src = conv_src;
    broker_set_inst(&pf->broker, s, in);
    if (s >= pf->n_sym)
        pf->n_sym = s + 1;
}

static void sync_books(struct portfolio *pf);

void portfolio_set_atr(struct portfolio *pf, int s, double atr)
{
    if (s >= 0 && s < pf->n_sym && isfinite(atr)) {
        pf->sym[s].atr = atr;
        broker_on_atr(&pf->broker, s, atr);
        sync_books(pf);
    }
}

void portfolio_set_limits(struct portfolio *pf, int s, const struct risk_symbol_limits *l)
{
    if (s < 0 || s >= pf->cap)
        return;
    pf->sym[s].own_limits = l != NULL;
    if (l)
        pf->sym[s].limits = *l;
}

void portfolio_limits(const struct portfolio *pf, int s, struct risk_limits *out)
{
    bool own = s >= 0 && s < pf->cap && pf->sym[s].own_limits;
    risk_limits_for_symbol(&pf->cfg.limits, own ? &pf->sym[s].limits : NULL, out);
}

void portfolio_restore_risk(struct portfolio *pf, const struct risk_state *s)
{
    pf->risk = *s;
}

void portfolio_restore_position(struct portfolio *pf, int s, const struct position *p)
{
    if (s < 0 || s >= pf->cap)
        return;
    pf->broker.pos[s] = *p;
    struct pf_symbol *ps = &pf->sym[s];
    ps->in_trade = p->qty != 0;
    if (!ps->in_trade)
        return;
    ps->cur = (struct trade){ .sym = s, .source = p->source, .side = p->qty > 0 ? 1 : -1, .open_time = p->opened,
                              .qty = fabs(p->qty) };
    ps->entry_qty = fabs(p->qty);
    ps->entry_val = fabs(p->qty) * p->avg;
    ps->exit_qty = ps->exit_val = ps->realized = 0;
}

int portfolio_restore_order(struct portfolio *pf, const struct broker_order *o)
{
    int rc = broker_restore_order(&pf->broker, o);
    if (rc == 0)
        pf->book_seen[o->sym] = pf->broker.version[o->sym];
    return rc;
}

void portfolio_restore_exits(struct portfolio *pf, int s, const struct bracket *br, int source, int64_t opened)
{
    if (s < 0 || s >= pf->cap || pf->broker.pos[s].qty == 0)
        return;
    pf->broker.pos[s].br = *br;
    pf->broker.pos[s].source = source;
    pf->broker.pos[s].opened = opened;
    pf->sym[s].cur.source = source;
    pf->sym[s].cur.open_time = opened;
}

/* Tell the sink about every order that stopped working without a fill since the
 * last call, so none stays "placed" in the records. cancel_why names who
 * cancelled (a command, the kill switch); the broker's own ends name themselves. */
static void order_ends(struct portfolio *pf, const char *cancel_why)
{
    struct broker *b = &pf->broker;
    for (int i = 0; i < b->n_ended; i++) {
        const struct broker_end *x = &b->ended[i];
        const char *why = x->why == BROKER_END_POSITION_CLOSED ? "reduce only: position closed"
                        : x->why == BROKER_END_NOTHING_TO_REDUCE ? "reduce only: nothing to reduce"
                        : x->why == BROKER_END_BOOK_EMPTY ? "no level on the book's side to fill against"
                        : cancel_why ? cancel_why : "cancelled";
        bool rejected = x->why == BROKER_END_NOTHING_TO_REDUCE || x->why == BROKER_END_BOOK_EMPTY;
        if (x->why != BROKER_END_CANCELLED)     /* commands say their own */
            note(pf, "order #%llu %s %s: %s", (unsigned long long)x->o.id, rejected ? "rejected" : "cancelled",
                 pf->sym[x->o.sym].name, why);
        if (pf->sink.order_end)
            pf->sink.order_end(pf->sink.ctx, &x->o, rejected, why);
    }
    b->n_ended = 0;
    if (b->ended_lost) {
        note(pf, "%llu order ends were not recorded (too many at once)", (unsigned long long)b->ended_lost);
        b->ended_lost = 0;
    }
}

/* Tell the sink about every symbol whose book changed since it last heard (and
 * first about orders that ended). */
static void sync_books(struct portfolio *pf)
{
    order_ends(pf, NULL);
    for (int s = 0; s < pf->n_sym; s++)
        if (pf->book_seen[s] != pf->broker.version[s]) {
            pf->book_seen[s] = pf->broker.version[s];
            if (pf->sink.book)
                pf->sink.book(pf->sink.ctx, s);
        }
}

double portfolio_conv(const struct portfolio *pf, int s)
{
    int src = pf->sym[s].conv_src;
    return src == -1 ? 1.0 : src >= 0 ? pf->sym[src].last : 0;
}

/* A perpetual's position is valued at the mark price once the venue sent one. */
double portfolio_unrealized(const struct portfolio *pf, int s)
{
    const struct pf_symbol *ps = &pf->sym[s];
    double px = ps->funding.perp && ps->funding.mark > 0 ? ps->funding.mark : ps->last;
    return broker_unrealized(&pf->broker, s, px, portfolio_conv(pf, s));
}

double portfolio_equity(const struct portfolio *pf)
{
    double e = pf->broker.balance;
    for (int i = 0; i < pf->n_sym; i++)
        if (pf->broker.pos[i].qty != 0)
            e += portfolio_unrealized(pf, i);
    return e;
}

static bool is_entry(const struct broker_order *o) { return o->active && !o->reduce_only; }

static double order_px(const struct portfolio *pf, const struct broker_order *o)
{
    return o->price > 0 ? o->price : pf->sym[o->sym].last;
}

double portfolio_exposure(const struct portfolio *pf)
{
    double x = 0;
    for (int i = 0; i < pf->n_sym; i++)
        x += fabs(pf->broker.pos[i].qty) * pf->sym[i].last * portfolio_conv(pf, i);
    for (int i = 0; i < BROKER_MAX_ORDERS; i++) {
        const struct broker_order *o = &pf->broker.ord[i];
        if (is_entry(o))
            x += o->qty * order_px(pf, o) * portfolio_conv(pf, o->sym);
    }
    return x;
}

int portfolio_open_positions(const struct portfolio *pf)
{
    int n = 0;
    for (int i = 0; i < pf->n_sym; i++)
        n += pf->broker.pos[i].qty != 0;
    return n;
}

void portfolio_risk_order(const struct portfolio *pf, int s, int side, double qty, double price, double stop,
                          struct risk_order *o)
{
    memset(o, 0, sizeof *o);
    o->side = side;
    o->qty = qty;
    o->price = price > 0 ? price : pf->sym[s].last;
    o->stop = stop;
    o->conv = portfolio_conv(pf, s);
    o->pos_qty = pf->broker.pos[s].qty;
    for (int i = 0; i < BROKER_MAX_ORDERS; i++) {
        const struct broker_order *b = &pf->broker.ord[i];
        if (!b->active || b->sym != s)
            continue;
        o->orders_symbol++;
        if (is_entry(b) && b->side == side)
            o->pending_qty += b->side * b->qty;
    }
    o->exposure = portfolio_exposure(pf);
    o->equity = portfolio_equity(pf);
    o->open_positions = portfolio_open_positions(pf);
    o->perp = pf->broker.inst[s].perp;
}

/* ---- trades ---- */

static void trade_open(struct portfolio *pf, int s, const struct broker_fill *f, double qty, int source)
{
    struct pf_symbol *ps = &pf->sym[s];
    ps->in_trade = true;
    ps->cur = (struct trade){ .sym = s, .source = source, .side = f->side, .open_time = pf->now };
    ps->entry_qty = qty;
    ps->entry_val = qty * f->price;
    ps->exit_qty = ps->exit_val = ps->realized = 0;
    ps->cur.qty = qty;
}

static void trade_close(struct portfolio *pf, int s)
{
    struct pf_symbol *ps = &pf->sym[s];
    struct trade *t = &ps->cur;
    t->close_time = pf->now;
    t->entry = ps->entry_qty > 0 ? ps->entry_val / ps->entry_qty : 0;
    t->exit = ps->exit_qty > 0 ? ps->exit_val / ps->exit_qty : 0;
    t->pnl = ps->realized - t->fees;
    ps->in_trade = false;
    metrics_acc_add(&pf->all, t->pnl, t->fees);
    metrics_acc_add(&pf->by_sym[s], t->pnl, t->fees);
    if (t->source >= 0 && t->source < SRC_COUNT)
        metrics_acc_add(&pf->by_src[t->source], t->pnl, t->fees);
    pf->recent[pf->n_trades % PF_TRADES] = *t;
    pf->n_trades++;
    if (pf->sink.trade)
        pf->sink.trade(pf->sink.ctx, t);
    if (risk_on_trade(&pf->cfg.limits, &pf->risk, t->pnl, pf->now) & RISK_EV_COOLDOWN) {
        char hm[16];
        int64_t m = (pf->risk.cooldown_until % DAY_MS) / 60000;
        snprintf(hm, sizeof hm, "%02d:%02d", (int)(m / 60), (int)(m % 60));
        note(pf, "risk: %d losing trades in a row; new entries paused until %s UTC", pf->cfg.limits.loss_streak, hm);
    }
    risk_changed(pf);
}

/* Follow one fill through the trade in progress (a reversal closes one trade and
 * opens the next; its fee is split pro rata). */
static void on_fill(struct portfolio *pf, const struct broker_fill *f)
{
    int source = f->source;
    int s = f->sym;
    struct pf_symbol *ps = &pf->sym[s];
    double before = f->pos_qty - f->side * f->qty;
    if (fabs(before) < 1e-12 * fmax(1, f->qty))
        before = 0;
    double closing = before != 0 && (before > 0) != (f->side > 0) ? fmin(f->qty, fabs(before)) : 0;
    double opening = f->qty - closing;
    if (closing > 0 && ps->in_trade) {
        ps->exit_qty += closing;
        ps->exit_val += closing * f->price;
        ps->realized += f->realized;
        ps->cur.fees += f->fee * closing / f->qty;
        if (f->pos_qty == 0 || (f->pos_qty > 0) != (before > 0))
            trade_close(pf, s);
    }
    if (opening > 1e-12 * fmax(1, f->qty)) {
        if (!ps->in_trade)
            trade_open(pf, s, f, opening, source);
        else {
            ps->entry_qty += opening;
            ps->entry_val += opening * f->price;
            if (fabs(f->pos_qty) > ps->cur.qty)
                ps->cur.qty = fabs(f->pos_qty);
        }
        ps->cur.fees += f->fee * opening / f->qty;
    }
    if (pf->sink.fill)
        pf->sink.fill(pf->sink.ctx, f);
    static const char *const why[] = { "", " (stop-loss)", " (trailing stop)", " (tp1)", " (tp2)", " (tp3)", " (tp4)" };
    char rest[96] = "";
    if (f->unfilled > 0)
        snprintf(rest, sizeof rest, "; the book showed no more: %s cancelled", fqty(pf, f->sym, f->unfilled).s);
    note(pf, "filled %s %s %s @ %s fee %.4f%s%s", f->side > 0 ? "BUY" : "SELL", fqty(pf, f->sym, f->qty).s,
         ps->name, fpx(pf, f->sym, f->price).s, f->fee, why[f->reason >= 0 && f->reason <= FILL_TP4 ? f->reason : 0],
         rest);
}

/* ---- marking ---- */

static void curve_push(struct portfolio *pf, int64_t t, double eq)
{
    if (pf->n_curve > 0 && t < pf->curve_next) {
        pf->curve_eq[pf->n_curve - 1] = eq;    /* the newest point follows the price */
        pf->curve_t[pf->n_curve - 1] = t;
        return;
    }
    if (pf->n_curve == PF_CURVE) {             /* full: keep every other point */
        for (int i = 0; i < PF_CURVE / 2; i++) {
            pf->curve_t[i] = pf->curve_t[2 * i + 1];
            pf->curve_eq[i] = pf->curve_eq[2 * i + 1];
        }
        pf->n_curve = PF_CURVE / 2;
        pf->curve_step *= 2;
    }
    pf->curve_t[pf->n_curve] = t;
    pf->curve_eq[pf->n_curve++] = eq;
    pf->curve_next = (t / pf->curve_step + 1) * pf->curve_step;
}

static void mark(struct portfolio *pf)
{
    double eq = portfolio_equity(pf);
    int64_t d = day_of(pf->now);
    if (pf->cur_day == INT64_MIN) {
        pf->cur_day = d;
    } else if (d != pf->cur_day) {
        /* the day closed at the previous mark's equity */
        if (pf->n_days < PF_DAYS)
            pf->eod[pf->n_days++] = pf->equity;
        pf->cur_day = d;
    }
    pf->equity = eq;
    pf->marked = true;
    metrics_curve_push(&pf->curve, pf->now, eq, portfolio_open_positions(pf) > 0);
    curve_push(pf, pf->now, eq);
    if (pf->risk.day < 0)             /* no stored risk state: the peak starts at today's equity */
        pf->risk.peak_equity = eq;
    int ev = risk_on_equity(&pf->cfg.limits, &pf->risk, eq, pf->now);
    if (ev & RISK_EV_DAILY_HIT)
        note(pf, "risk: daily loss limit hit (%.2f, %.1f%% of the day's start); no new entries until 00:00 UTC",
             risk_daily_pnl(&pf->risk, eq), pf->cfg.limits.daily_loss * 100);
    if (ev & RISK_EV_DD_LOCK)
        note(pf, "risk: drawdown %.1f%% from the peak %.2f reached the %.1f%% limit; trading locked (:unlock)",
             risk_drawdown(&pf->risk, eq) * 100, pf->risk.peak_equity, pf->cfg.limits.max_drawdown * 100);
    if (ev & ~RISK_EV_PEAK)
        risk_changed(pf);
}

void portfolio_on_kline(struct portfolio *pf, int s, const struct candle *c, int64_t now)
{
    if (s < 0 || s >= pf->n_sym)
        return;
    if (now > pf->now)
        pf->now = now;
    struct pf_symbol *ps = &pf->sym[s];
    struct broker_bar bar;
    if (c->open_time != ps->bar_open || !(ps->last > 0)) {
        bar = (struct broker_bar){ c->open, c->high, c->low, c->close };
        ps->bar_open = c->open_time;
    } else {
        /* the same candle again: only the move since the previous update */
        bar.open = ps->last;
        bar.high = c->high > ps->bar_high ? c->high : fmax(ps->last, c->close);
        bar.low = c->low < ps->bar_low ? c->low : fmin(ps->last, c->close);
        bar.close = c->close;
    }
    ps->bar_high = c->high;
    ps->bar_low = c->low;
    ps->last = c->close;
    double conv = portfolio_conv(pf, s);
    if (conv > 0 && !ps->book) {
        struct broker_fill f[BROKER_MAX_ORDERS + 8];    /* every order once, plus the exits */
        int n = broker_on_bar(&pf->broker, s, &bar, conv, pf->now, f, BROKER_MAX_ORDERS + 8);
        for (int i = 0; i < n; i++)
            on_fill(pf, &f[i]);
    }
    mark(pf);
    sync_books(pf);
}

/* Fills against s's book now (market orders, queues to measure); fills mark. */
static void book_fills(struct portfolio *pf, int s, const double *trade_px, double trade_qty)
{
    double conv = portfolio_conv(pf, s);
    const struct book *bk = pf->sym[s].book;
    if (!bk || !(conv > 0))
        return;
    struct broker_fill f[BROKER_MAX_ORDERS + 8];
    int n = trade_px ? broker_on_trade(&pf->broker, s, bk, *trade_px, trade_qty, conv, pf->now, f, BROKER_MAX_ORDERS + 8)
                     : broker_on_book(&pf->broker, s, bk, conv, pf->now, f, BROKER_MAX_ORDERS + 8);
    for (int i = 0; i < n; i++)
        on_fill(pf, &f[i]);
    if (n > 0)
        mark(pf);
}

void portfolio_set_book(struct portfolio *pf, int s, const struct book *bk)
{
    if (s < 0 || s >= pf->n_sym || pf->sym[s].book == bk)
        return;
    pf->sym[s].book = bk;
    book_fills(pf, s, NULL, 0);
    sync_books(pf);
}

void portfolio_on_trade(struct portfolio *pf, int s, double px, double qty, int64_t now)
{
    if (s < 0 || s >= pf->n_sym || !pf->sym[s].book)
        return;
    if (now > pf->now)
        pf->now = now;
    uint32_t v = pf->broker.version[s];
    book_fills(pf, s, &px, qty);
    if (v != pf->broker.version[s] || pf->broker.n_ended)
        sync_books(pf);
}

void portfolio_finish(struct portfolio *pf)
{
    if (pf->marked && pf->n_days < PF_DAYS)
        pf->eod[pf->n_days++] = pf->equity;
    pf->marked = false;
}

/* ---- commands ---- */

static const char *side_name(int side) { return side > 0 ? "BUY" : "SELL"; }

static int64_t refuse(struct portfolio *pf, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int64_t refuse(struct portfolio *pf, const char *fmt, ...)
{
    char msg[200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    pf->rejected++;
    note(pf, "%s", msg);
    return -1;
}

static int64_t place(struct portfolio *pf, int s, const struct broker_req *r, const char *what)
{
    struct pf_symbol *ps = &pf->sym[s];
    char why[200];
    struct risk_order ro;
    /* checked at the prices and size the broker will hold, after rounding */
    double px = r->type == ORDER_MARKET ? ps->last : broker_round_price(&pf->broker, s, r->price);
    double stop = r->br.stop > 0 ? broker_round_price(&pf->broker, s, r->br.stop) : 0;
    portfolio_risk_order(pf, s, r->side, broker_round_qty(&pf->broker, s, r->qty), px, stop, &ro);
    struct risk_limits lim;
    portfolio_limits(pf, s, &lim);
    int v = risk_check(&lim, &pf->risk, &ro, pf->now, why, sizeof why);
    if (v != RISK_OK)
        return refuse(pf, "%s%s%s %s %s %s", strcmp(what, "new") ? what : "", strcmp(what, "new") ? " " : "",
                      side_name(r->side), fqty(pf, s, ro.qty).s, ps->name, why);
    int64_t id = broker_place(&pf->broker, r, ps->last, pf->now);
    if (id < 0)
        return refuse(pf, "%s%s%s %s %s rejected: %s", strcmp(what, "new") ? what : "", strcmp(what, "new") ? " " : "",
                      side_name(r->side), fqty(pf, s, r->qty).s, ps->name, broker_error_text((int)id));
    pf->accepted++;
    const struct broker_order *o = broker_order_find(&pf->broker, (uint64_t)id);
    static const char *const tn[] = { "market", "limit", "stop" };
    char extra[120] = "";
    if (o->price > 0)
        snprintf(extra, sizeof extra, " @ %s", fpx(pf, s, o->price).s);
    if (o->br.stop > 0)
        snprintf(extra + strlen(extra), sizeof extra - strlen(extra), " SL %s", fpx(pf, s, o->br.stop).s);
    if (o->br.tp[0] > 0)
        snprintf(extra + strlen(extra), sizeof extra - strlen(extra), " TP %s", fpx(pf, s, o->br.tp[0]).s);
    if (o->br.trail_atr > 0)
        snprintf(extra + strlen(extra), sizeof extra - strlen(extra), " trail %.4g x ATR (= %s)", o->br.trail_atr,
                 fpx(pf, s, o->br.trail).s);
    else if (o->br.trail > 0)
        snprintf(extra + strlen(extra), sizeof extra - strlen(extra), " trail %s", fpx(pf, s, o->br.trail).s);
    note(pf, "order #%llu %s %s %s %s %s%s", (unsigned long long)id, what, tn[o->type], side_name(o->side),
         fqty(pf, s, o->qty).s, ps->name, extra);
    return id;
}

static double default_qty(const struct portfolio *pf, int s)
{
    double conv = portfolio_conv(pf, s), last = pf->sym[s].last;
    return last > 0 && conv > 0 ? pf->cfg.order_notional / (last * conv) : 0;
}

static int64_t place_order(struct portfolio *pf, int s, const struct order_request *c)
{
    struct pf_symbol *ps = &pf->sym[s];
    double conv = portfolio_conv(pf, s);
    if (!(ps->last > 0) || !(conv > 0))
        return refuse(pf, "%s %s rejected: no price yet to value the order", side_name(c->side), ps->name);
    if (c->side != 1 && c->side != -1)
        return refuse(pf, "order rejected: side must be buy or sell");
    struct broker_req r = { .sym = s, .side = c->side, .type = c->order_type, .price = c->price,
                            .reduce_only = c->reduce_only, .source = c->source };
    if (r.type < 0 || r.type >= ORDER_TYPE_COUNT)
        return refuse(pf, "order rejected: unknown order type %d", r.type);
    if (r.type != ORDER_MARKET && !(c->price > 0))
        return refuse(pf, "%s %s rejected: a %s order needs a price", side_name(c->side), ps->name,
                      r.type == ORDER_LIMIT ? "limit" : "stop");
    double entry = r.type == ORDER_MARKET ? ps->last : c->price;
    double atr_mult = c->atr_mult > 0 ? c->atr_mult : pf->cfg.atr_mult;
    r.br.stop = c->stop_loss > 0 ? c->stop_loss : 0;
    if (c->size_method == SIZE_ATR && !(r.br.stop > 0)) {
        if (!(ps->atr > 0))
            return refuse(pf, "%s %s rejected: no ATR yet for an ATR stop", side_name(c->side), ps->name);
        r.br.stop = entry - c->side * atr_mult * ps->atr;
    }
    if (c->trail > 0) {
        r.br.trail = c->trail;                 /* a fixed distance, when given, wins */
    } else if (c->trail_atr > 0) {
        if (!(ps->atr > 0))
            return refuse(pf, "%s %s rejected: no ATR yet for an ATR trailing stop", side_name(c->side), ps->name);
        r.br.trail_atr = c->trail_atr;         /* the distance follows the ATR (broker_on_atr) */
        r.br.trail = c->trail_atr * ps->atr;
    }
    for (int i = 0; i < BROKER_TP; i++) {
        r.br.tp[i] = c->tp[i] > 0 ? c->tp[i] : 0;
        r.br.tp_frac[i] = c->tp_frac[i] > 0 ? c->tp_frac[i] : 0;
    }
    int ntp = 0;
    for (int i = 0; i < BROKER_TP; i++)
        ntp += r.br.tp[i] > 0;
    for (int i = 0; i < BROKER_TP; i++)   /* unset shares: equal parts of the targets given */
        if (r.br.tp[i] > 0 && !(r.br.tp_frac[i] > 0))
            r.br.tp_frac[i] = 1.0 / ntp;
    for (int i = 0; i < BROKER_TP; i++)
        if (r.br.tp[i] > 0 && (c->side > 0 ? r.br.tp[i] <= entry : r.br.tp[i] >= entry))
            return refuse(pf, "%s %s rejected: target tp%d %s is on the wrong side of the entry %s",
                          side_name(c->side), ps->name, i + 1, fpx(pf, s, r.br.tp[i]).s, fpx(pf, s, entry).s);
    r.qty = c->qty;
    if (!(r.qty > 0)) {
        struct sizing_input in = { .method = c->size_method, .param = c->size, .equity = portfolio_equity(pf),
                                   .price = entry, .conv = conv, .stop = r.br.stop, .atr = ps->atr,
                                   .atr_mult = atr_mult };
        if (c->size_method == SIZE_KELLY) {
            int src = c->source >= 0 && c->source < SRC_COUNT ? c->source : 0;
            struct metrics m;
            metrics_from_acc(&pf->by_src[src], &m);
            if (m.trades < pf->cfg.kelly_min_trades)
                return refuse(pf, "%s %s rejected: Kelly sizing needs %d trades of this source (it has %ld)",
                              side_name(c->side), ps->name, pf->cfg.kelly_min_trades, m.trades);
            in.hit_rate = m.win_rate;
            in.payoff = isfinite(m.payoff) ? m.payoff : 0;
        }
        if (c->size_method == SIZE_QTY && !(c->size > 0))
            r.qty = default_qty(pf, s);
        else
            r.qty = sizing_qty(&in);
        if (!(r.qty > 0))
            return refuse(pf, "%s %s rejected: %s sizing gives no quantity%s", side_name(c->side), ps->name,
                          sizing_name(c->size_method),
                          c->size_method == SIZE_RISK && !(r.br.stop > 0) ? " (it needs a stop-loss)" : "");
    }
    return place(pf, s, &r, "new");
}

static int64_t close_cmd(struct portfolio *pf, int s, const char *what)
{
    const struct position *p = &pf->broker.pos[s];
    if (p->qty == 0) {
        note(pf, "no position in %s to close", pf->sym[s].name);
        return 0;
    }
    struct broker_req r = { .sym = s, .side = p->qty > 0 ? -1 : 1, .type = ORDER_MARKET, .qty = fabs(p->qty),
                            .reduce_only = true, .source = p->source };
    return place(pf, s, &r, what);
}

static int64_t apply_request(struct portfolio *pf, int s, const struct order_request *c);

int64_t portfolio_request(struct portfolio *pf, int s, const struct order_request *c, int64_t now)
{
    if (now > pf->now)
        pf->now = now;
    int64_t rc = apply_request(pf, s, c);
    sync_books(pf);        /* the order is recorded as placed before a book fills it */
    for (int k = 0; k < pf->n_sym; k++)       /* market orders fill against a book at once */
        if (pf->sym[k].book)
            book_fills(pf, k, NULL, 0);
    sync_books(pf);
    return rc;
}

/* A working order's price and/or quantity changed (0 keeps the value). The new
 * values are snapped to the tick and step and checked as if the order were
 * placed again: a stop must still trigger on its side of the market, the
 * entry's attached stop and targets must stay on their sides of the new price,
 * and an order that can add risk passes the risk limits with the old one out
 * of the book. Any refusal says why and changes nothing. */
static int64_t amend(struct portfolio *pf, const struct order_request *c)
{
    unsigned long long id = (unsigned long long)c->order_id;
    const struct broker_order *o = broker_order_find(&pf->broker, c->order_id);
    if (!o)
        return refuse(pf, "amend #%llu: no such working order", id);
    int s = o->sym;
    if (!isfinite(c->price) || !isfinite(c->qty) || c->price < 0 || c->qty < 0)
        return refuse(pf, "amend #%llu rejected: a price and a quantity must be > 0", id);
    if (!(c->price > 0) && !(c->qty > 0))
        return refuse(pf, "amend #%llu rejected: nothing to change (give a price or a quantity > 0)", id);
    if (c->price > 0 && o->type == ORDER_MARKET)
        return refuse(pf, "amend #%llu rejected: a market order has no price", id);
    double q = c->qty > 0 ? broker_round_qty(&pf->broker, s, c->qty) : o->qty;
    if (!(q > 0))
        return refuse(pf, "amend #%llu rejected: quantity %.10g rounds to zero at the step %s", id, c->qty,
                      fqty(pf, s, pf->broker.inst[s].step).s);
    double px = c->price > 0 ? broker_round_price(&pf->broker, s, c->price) : o->price;
    double last = pf->sym[s].last;
    if (o->type == ORDER_STOP && last > 0 && (o->side > 0 ? px <= last : px >= last))
        return refuse(pf, "amend #%llu rejected: a %s stop's trigger %s is not %s the price %s", id,
                      side_name(o->side), fpx(pf, s, px).s, o->side > 0 ? "above" : "below", fpx(pf, s, last).s);
    if (!o->reduce_only && px > 0) {
        if (o->br.stop > 0 && (o->side > 0 ? o->br.stop >= px : o->br.stop <= px))
            return refuse(pf, "amend #%llu rejected: price %s is not %s its stop-loss %s", id, fpx(pf, s, px).s,
                          o->side > 0 ? "above" : "below", fpx(pf, s, o->br.stop).s);
        for (int i = 0; i < BROKER_TP; i++)
            if (o->br.tp[i] > 0 && (o->side > 0 ? o->br.tp[i] <= px : o->br.tp[i] >= px))
                return refuse(pf, "amend #%llu rejected: price %s is not %s its target tp%d %s", id,
                              fpx(pf, s, px).s, o->side > 0 ? "below" : "above", i + 1, fpx(pf, s, o->br.tp[i]).s);
    }
    if (!o->reduce_only) {
        /* the old order leaves the book for the check, so its size is not counted twice */
        struct broker_order *w = (struct broker_order *)o;
        w->active = false;
        struct risk_order ro;
        char why[200];
        portfolio_risk_order(pf, s, o->side, q, px > 0 ? px : last, o->br.stop, &ro);
        struct risk_limits lim;
        portfolio_limits(pf, s, &lim);
        int v = risk_check(&lim, &pf->risk, &ro, pf->now, why, sizeof why);
        w->active = true;
        if (v != RISK_OK)
            return refuse(pf, "amend #%llu %s", id, why);
    }
    struct broker_order was = *o;
    int rc = broker_modify(&pf->broker, c->order_id, c->price, c->qty);
    if (rc)
        return refuse(pf, "amend #%llu rejected: %s", id, broker_error_text(rc));
    char what[120] = "";
    if (o->price != was.price)
        snprintf(what, sizeof what, " price %s -> %s", fpx(pf, s, was.price).s, fpx(pf, s, o->price).s);
    if (o->qty != was.qty)
        snprintf(what + strlen(what), sizeof what - strlen(what), " qty %s -> %s", fqty(pf, s, was.qty).s,
                 fqty(pf, s, o->qty).s);
    note(pf, "order #%llu amended %s:%s", id, pf->sym[s].name, what[0] ? what : " unchanged");
    return 0;
}

static int64_t apply_request(struct portfolio *pf, int s, const struct order_request *c)
{
    if (c->type == REQ_KILL) {
        int n = broker_cancel_all(&pf->broker, -1), closed = 0;
        order_ends(pf, "kill switch");
        for (int i = 0; i < pf->n_sym; i++)
            if (pf->broker.pos[i].qty != 0 && close_cmd(pf, i, "kill-switch close") > 0)
                closed++;
        risk_kill(&pf->risk, pf->now);
        risk_changed(pf);
        note(pf, "risk: KILL SWITCH: %d order%s cancelled, %d position%s closing at market; locked (:unlock)", n,
             n == 1 ? "" : "s", closed, closed == 1 ? "" : "s");
        return 0;
    }
    if (c->type == REQ_UNLOCK) {
        if (pf->risk.lock == RISK_UNLOCKED) {
            note(pf, "risk: not locked");
            return 0;
        }
        if (risk_unlock(&pf->risk, c->text, portfolio_equity(pf), pf->now))
            return refuse(pf, "risk: unlock refused: type UNLOCK (in capitals) to confirm");
        risk_changed(pf);
        note(pf, "risk: unlocked by the user; drawdown peak restarts at %.2f", pf->risk.peak_equity);
        return 0;
    }
    if (s < 0 || s >= pf->n_sym)
        return refuse(pf, "unknown symbol");
    struct pf_symbol *ps = &pf->sym[s];
    switch (c->type) {
    case REQ_MARKET_ORDER: {
        struct order_request m = *c;
        m.type = REQ_ORDER;
        m.order_type = ORDER_MARKET;
        m.size_method = SIZE_QTY;
        m.size = 0;
        return place_order(pf, s, &m);
    }
    case REQ_ORDER:
        return place_order(pf, s, c);
    case REQ_CLOSE:
        return close_cmd(pf, s, "close");
    case REQ_CANCEL:
        if (c->order_id == 0) {
            int n = broker_cancel_all(&pf->broker, s);
            order_ends(pf, "cancelled (all of the symbol)");
            note(pf, "%d working order%s of %s cancelled", n, n == 1 ? "" : "s", ps->name);
            return 0;
        }
        if (broker_cancel(&pf->broker, c->order_id))
            return refuse(pf, "cancel #%llu: no such working order", (unsigned long long)c->order_id);
        order_ends(pf, "cancelled");
        note(pf, "order #%llu cancelled", (unsigned long long)c->order_id);
        return 0;
    case REQ_MODIFY:
        return amend(pf, c);
    case REQ_EXITS: {
        /* exits only ever reduce, so no limit applies; they must sit on the right side */
        const struct position *p = &pf->broker.pos[s];
        int d = p->qty > 0 ? 1 : -1;
        if (p->qty != 0 && c->stop_loss > 0 && (d > 0 ? c->stop_loss >= ps->last : c->stop_loss <= ps->last))
            return refuse(pf, "exits %s rejected: stop %s is beyond the price %s", ps->name, fpx(pf, s, c->stop_loss).s,
                          fpx(pf, s, ps->last).s);
        for (int i = 0; p->qty != 0 && i < BROKER_TP; i++)
            if (c->tp[i] > 0 && (d > 0 ? c->tp[i] <= ps->last : c->tp[i] >= ps->last))
                return refuse(pf, "exits %s rejected: tp%d %s is behind the price %s", ps->name, i + 1,
                              fpx(pf, s, c->tp[i]).s, fpx(pf, s, ps->last).s);
        /* a fixed trail, when given, wins over a multiple of ATR (as for orders) */
        bool by_atr = c->trail_atr > 0 && !(c->trail > 0);
        if (p->qty != 0 && by_atr && !(ps->atr > 0))
            return refuse(pf, "exits %s rejected: no ATR yet for an ATR trailing stop", ps->name);
        int rc = broker_set_exits(&pf->broker, s, c->stop_loss, by_atr ? -1 : c->trail, c->tp);
        if (rc == 0 && by_atr)
            rc = broker_set_trail_atr(&pf->broker, s, c->trail_atr, ps->atr);
        if (rc)
            return refuse(pf, "exits %s rejected: %s", ps->name, broker_error_text(rc));
        const struct bracket *b = &p->br;
        char tr[96];
        if (b->trail_atr > 0)
            snprintf(tr, sizeof tr, "%.4g x ATR (= %s)", b->trail_atr, fpx(pf, s, b->trail).s);
        else
            snprintf(tr, sizeof tr, "%s", fpx(pf, s, b->trail).s);
        note(pf, "exits %s: stop %s trail %s tp %s/%s/%s/%s", ps->name, fpx(pf, s, b->stop).s, tr, fpx(pf, s, b->tp[0]).s,
             fpx(pf, s, b->tp[1]).s, fpx(pf, s, b->tp[2]).s, fpx(pf, s, b->tp[3]).s);
        return 0;
    }
    default:
        return refuse(pf, "unknown command %d", c->type);
    }
}

/* ---- view ---- */

int pf_view_reserve(struct pf_view *v, int n)
{
    if (n <= v->cap)
        return 0;
    int have = v->cap, want = have ? have : 1;
    while (want < n)
        want *= 2;
    GROW(v, sym_limits);
    GROW(v, pos);
    GROW(v, inst);
    GROW(v, conv);
    GROW(v, atr);
    GROW(v, by_symbol);
    v->cap = want;
    return 0;
}

void pf_view_free(struct pf_view *v)
{
    free(v->sym_limits);
    free(v->pos);
    free(v->inst);
    free(v->conv);
    free(v->atr);
    free(v->by_symbol);
    v->sym_limits = NULL;
    v->pos = NULL;
    v->inst = NULL;
    v->conv = v->atr = NULL;
    v->by_symbol = NULL;
    v->cap = v->n_sym = 0;
}

int pf_view_copy(struct pf_view *dst, const struct pf_view *src)
{
    if (pf_view_reserve(dst, src->n_sym) != 0) {
        dst->n_sym = 0;
        return -1;
    }
    /* the scalars and fixed arrays by value, then the tables by content */
    struct pf_view keep = *dst;
    *dst = *src;
    dst->cap = keep.cap;
    dst->sym_limits = keep.sym_limits;
    dst->pos = keep.pos;
    dst->inst = keep.inst;
    dst->conv = keep.conv;
    dst->atr = keep.atr;
    dst->by_symbol = keep.by_symbol;
    size_t n = (size_t)src->n_sym;
    if (n) {
        memcpy(dst->sym_limits, src->sym_limits, n * sizeof dst->sym_limits[0]);
        memcpy(dst->pos, src->pos, n * sizeof dst->pos[0]);
        memcpy(dst->inst, src->inst, n * sizeof dst->inst[0]);
        memcpy(dst->conv, src->conv, n * sizeof dst->conv[0]);
        memcpy(dst->atr, src->atr, n * sizeof dst->atr[0]);
        memcpy(dst->by_symbol, src->by_symbol, n * sizeof dst->by_symbol[0]);
    }
    return 0;
}

int portfolio_view(const struct portfolio *pf, struct pf_view *v)
{
    int rc = pf_view_reserve(v, pf->n_sym);
    v->n_sym = rc == 0 ? pf->n_sym : 0;
    v->limits = pf->cfg.limits;
    v->risk = pf->risk;
    v->costs = pf->cfg.costs;
    v->size_method = pf->cfg.size_method;
    v->size_value = pf->cfg.size_value;
    const char *b = risk_block_reason(&pf->cfg.limits, &pf->risk, pf->now);
    snprintf(v->block, sizeof v->block, "%s", b ? b : "");
    v->equity = portfolio_equity(pf);
    v->balance = pf->broker.balance;
    v->exposure = portfolio_exposure(pf);
    v->daily_pnl = pf->risk.day >= 0 ? risk_daily_pnl(&pf->risk, v->equity) : 0;
    v->drawdown = risk_drawdown(&pf->risk, v->equity);
    v->open_positions = portfolio_open_positions(pf);
    v->accepted = pf->accepted;
    v->rejected = pf->rejected;
    v->n_orders = 0;
    for (int i = 0; i < BROKER_MAX_ORDERS && v->n_orders < PF_VIEW_ORDERS; i++)
        if (pf->broker.ord[i].active)
            v->orders[v->n_orders++] = pf->broker.ord[i];
    /* oldest first, whatever slot they sit in */
    for (int i = 1; i < v->n_orders; i++)
        for (int j = i; j > 0 && v->orders[j].id < v->orders[j - 1].id; j--) {
            struct broker_order t = v->orders[j];
            v->orders[j] = v->orders[j - 1];
            v->orders[j - 1] = t;
        }
    for (int i = 0; i < v->n_sym; i++) {
        v->pos[i] = pf->broker.pos[i];
        v->inst[i] = pf->broker.inst[i];
        v->conv[i] = portfolio_conv(pf, i);
        v->atr[i] = pf->sym[i].atr;
        if (pf->sym[i].own_limits)
            v->sym_limits[i] = pf->sym[i].limits;
        else
            risk_symbol_limits_of(&pf->cfg.limits, &v->sym_limits[i]);
        metrics_from_acc(&pf->by_sym[i], &v->by_symbol[i]);
    }
    metrics_from_acc(&pf->all, &v->total);
    for (int i = 0; i < SRC_COUNT; i++)
        metrics_from_acc(&pf->by_src[i], &v->by_source[i]);
    /* the day in progress counts as a day for the ratios */
    double eod[PF_DAYS];
    int n = pf->n_days;
    memcpy(eod, pf->eod, (size_t)n * sizeof eod[0]);
    if (pf->marked && n < PF_DAYS)
        eod[n++] = pf->equity;
    metrics_ratios_eod(eod, (size_t)n, pf->start_equity, &v->sharpe, &v->sortino);
    v->days = n;
    v->max_dd = pf->curve.max_dd;
    v->max_dd_ms = metrics_curve_dd_duration(&pf->curve);
    v->exposure_time = metrics_curve_exposure(&pf->curve);
    v->n_curve = pf->n_curve;
    memcpy(v->curve_t, pf->curve_t, (size_t)pf->n_curve * sizeof v->curve_t[0]);
    memcpy(v->curve_eq, pf->curve_eq, (size_t)pf->n_curve * sizeof v->curve_eq[0]);
    uint64_t k = pf->n_trades < PF_VIEW_TRADES ? pf->n_trades : PF_VIEW_TRADES;
    v->n_trades = (int)k;
    for (uint64_t i = 0; i < k; i++)
        v->trades[i] = pf->recent[(pf->n_trades - k + i) % PF_TRADES];
    return rc;
}
