/* Order ticket (b / s) and exits editor (e). Everything it shows is computed from
 * the snapshot by the engine's preview (preview.h), so the verdict on screen is
 * the check the engine will run; the engine still runs it again on the command,
 * because the UI can never be trusted to have checked anything. */
#include <curses.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alphapulse/depth_sync.h"
#include "alphapulse/preview.h"
#include "ui_internal.h"

static const double default_param[SIZE_METHOD_COUNT] = { 0, 0.05, 0.01, 0.01, 0.25 };
static const char *const type_names[ORDER_TYPE_COUNT] = { "market", "limit", "stop" };

static const struct pf_view *view(const struct ui *u) { return &u->snap->paper; }

/* sym's book is synced and its levels are in the snapshot: the broker fills
 * against it (broker.h) and the ticket can say at what. */
static bool book_in_view(const struct ui *u, int sym)
{
    return u->snap->symbols[sym].book.state == DEPTH_SYNCED && u->snap->depth.sym == sym;
}
static double last_of(const struct ui *u, int s) { return s < u->snap->n_symbols ? u->snap->symbols[s].last : 0; }

static void calc(const struct ui *u, const struct ticket *t, struct order_preview *c)
{
    struct preview_ticket in = { .sym = t->sym, .side = t->side, .type = t->type, .method = t->method,
                                 .size = t->size, .price = t->price, .stop = t->stop, .tp1 = t->tp1, .tp2 = t->tp2,
                                 .trail_atr = t->trail_atr, .exits_only = t->exits_only };
    preview_order(view(u), last_of(u, t->sym), u->snap->now, &in, default_param, c);
}

void ticket_open_signal(struct ui *u, uint64_t signal_id, int s, int side, double stop, double tp1, double tp2)
{
    ticket_open(u, s, side, false);
    struct ticket *t = &u->paper.tk;
    if (!t->open)
        return;
    t->signal_id = signal_id;
    t->source = SRC_SIGNAL;
    t->method = SIZE_RISK;
    t->size = default_param[SIZE_RISK];
    if (stop > 0)
        t->stop = stop;
    t->tp1 = tp1 > 0 ? tp1 : t->tp1;
    t->tp2 = tp2 > 0 ? tp2 : 0;
}

void ticket_open(struct ui *u, int s, int side, bool exits_only)
{
    struct ticket *t = &u->paper.tk;
    const struct pf_view *v = view(u);
    if (s >= u->snap->n_symbols)
        return;
    double last = last_of(u, s);
    if (!(last > 0)) {
        snprintf(u->msg, sizeof u->msg, "no price yet for %s", u->snap->symbols[s].name);
        return;
    }
    const struct position *p = &v->pos[s];
    if (exits_only && p->qty == 0) {
        snprintf(u->msg, sizeof u->msg, "no position in %s to edit (b / s open a ticket)", u->snap->symbols[s].name);
        return;
    }
    memset(t, 0, sizeof *t);
    t->open = true;
    t->exits_only = exits_only;
    t->sym = s;
    t->side = exits_only ? (p->qty > 0 ? 1 : -1) : side;
    t->type = ORDER_MARKET;
    /* the configured default (paper.sizing_method, paper.sizing_value) */
    bool cfg_ok = v->size_method > SIZE_QTY && v->size_method < SIZE_METHOD_COUNT && v->size_value > 0;
    t->method = cfg_ok ? v->size_method : SIZE_FRACTION;
    t->size = cfg_ok ? v->size_value : default_param[SIZE_FRACTION];
    t->price = last;
    /* stop 3 x ATR(14, 1m) away but at least 0.5 %, target at 2R; the position's own
     * when editing. Rounded to the tick as the broker will. */
    double atr = v->atr[s] > 0 ? v->atr[s] : 0, d = fmax(3 * atr, last * 0.005), tick = v->inst[s].tick;
    if (exits_only) {
        t->stop = p->br.stop;
        t->tp1 = p->br.tp[0];
        t->tp2 = p->br.tp[1];
        t->trail_atr = p->br.trail_atr;          /* a fixed distance stays one unless edited */
        t->trail_fixed = p->br.trail_atr > 0 ? 0 : p->br.trail;
        t->field = TK_STOP;
    } else {
        t->stop = last - t->side * d;
        t->tp1 = last + t->side * 2 * d;
        if (tick > 0) {
            t->stop = round(t->stop / tick) * tick;
            t->tp1 = round(t->tp1 / tick) * tick;
        }
        t->field = TK_SIDE;
    }
}

/* A limit waits on the near side of the market, a stop triggers on the far side:
 * BUY stop above the last price, SELL stop below (limits mirrored), half a stop
 * distance away and on the tick. Kept once the user typed a price. */
static void default_price(const struct ui *u, struct ticket *t)
{
    if (t->price_edited || t->exits_only)
        return;
    double last = last_of(u, t->sym), atr = view(u)->atr[t->sym], tick = view(u)->inst[t->sym].tick;
    double d = fmax(1.5 * atr, last * 0.0025);
    t->price = t->type == ORDER_STOP ? last + t->side * d : t->type == ORDER_LIMIT ? last - t->side * d : last;
    if (tick > 0)
        t->price = round(t->price / tick) * tick;
}

static double *num_field(struct ticket *t, int f)
{
    switch (f) {
    case TK_SIZE: return &t->size;
    case TK_PRICE: return &t->price;
    case TK_STOP: return &t->stop;
    case TK_TP1: return &t->tp1;
    case TK_TP2: return &t->tp2;
    case TK_TRAIL: return &t->trail_atr;
    default: return NULL;
    }
}

static bool field_shown(const struct ticket *t, int f)
{
    if (t->exits_only)
        return f == TK_STOP || f == TK_TP1 || f == TK_TP2 || f == TK_TRAIL;
    return f != TK_PRICE || t->type != ORDER_MARKET;
}

/* The signal the ticket was opened from, if it is still new in the queue. */
static const struct signal *ticket_signal(const struct ui *u, uint64_t id)
{
    for (int i = 0; i < u->snap->n_signals; i++)
        if (u->snap->signals[i].id == id)
            return u->snap->signals[i].state == SIGNAL_NEW ? &u->snap->signals[i] : NULL;
    return NULL;
}

static void submit(struct ui *u)
{
    struct ticket *t = &u->paper.tk;
    struct order_preview k;
    calc(u, t, &k);
    if (k.invalid[0]) {                 /* stays open: the user fixes the field */
        ui_message(u, true, "not sent: %s", k.invalid);
        return;
    }
    if (t->signal_id) {
        /* taken only now, on confirmation; a signal that went stale while the
         * ticket was open is refused, and the ticket stays for a manual order */
        if (!ticket_signal(u, t->signal_id)) {
            ui_message(u, true, "signal #%llu is stale (left the queue): not taken; Esc closes the ticket",
                        (unsigned long long)t->signal_id);
            return;
        }
        struct command tk = { .type = CMD_SIGNAL_TAKE, .signal_id = t->signal_id };
        if (!engine_thread_command(u->et, &tk)) {
            ui_message(u, true, "engine busy: order not queued, try again");
            return;
        }
    }
    struct command c = { .side = t->side, .source = t->source };
    memcpy(c.symbol, u->snap->symbols[t->sym].name, SYMBOL_MAX);
    if (t->exits_only) {
        c.type = CMD_EXITS;
        c.stop_loss = t->stop;
        /* the trail is sent only when edited: sending it again would restart it
         * from the next price, and a trailing stop must not loosen behind the user */
        c.trail = t->trail_edited && !(t->trail_atr > 0) ? 0 : -1;
        c.trail_atr = t->trail_edited ? t->trail_atr : 0;
        c.tp[0] = t->tp1;
        c.tp[1] = t->tp2;
        c.tp[2] = c.tp[3] = -1;
    } else {
        c.type = CMD_ORDER;
        c.order_type = t->type;
        c.size_method = t->method;
        c.size = t->size;
        if (k.capped) {                 /* the size the ticket showed, capped by a limit */
            c.size_method = SIZE_QTY;
            c.size = k.qty;
        }
        c.price = t->type == ORDER_MARKET ? 0 : t->price;
        c.stop_loss = t->stop;
        c.tp[0] = t->tp1;
        c.tp[1] = t->tp1 > 0 ? t->tp2 : 0;
        c.trail_atr = t->trail_atr;
    }
    if (!engine_thread_command(u->et, &c))
        snprintf(u->msg, sizeof u->msg, "engine busy: order not queued, try again");
    t->open = false;
}

bool ticket_key(struct ui *u, int ch)
{
    struct ticket *t = &u->paper.tk;
    if (!t->open)
        return false;
    double *num = num_field(t, t->field);
    if (ch == 27) {
        t->open = false;
        snprintf(u->msg, sizeof u->msg, "%s aborted", t->exits_only ? "edit" : "order ticket");
        return true;
    }
    if (ch == '\n' || ch == '\r' || ch == KEY_ENTER) {
        submit(u);
        return true;
    }
    if (ch == KEY_UP || ch == KEY_DOWN || ch == '\t' || ch == KEY_BTAB) {
        int d = ch == KEY_UP || ch == KEY_BTAB ? -1 : 1;
        for (int k = 0; k < TK_FIELDS; k++) {
            t->field = (t->field + d + TK_FIELDS) % TK_FIELDS;
            if (field_shown(t, t->field))
                break;
        }
        t->editing = false;
        return true;
    }
    if (!t->exits_only && (ch == 'b' || ch == 's')) {
        t->side = ch == 'b' ? 1 : -1;
        return true;
    }
    if (ch == KEY_LEFT || ch == KEY_RIGHT || ch == ' ') {
        int d = ch == KEY_LEFT ? -1 : 1;
        if (t->field == TK_SIDE && !t->exits_only) {
            t->side = -t->side;
            double last = last_of(u, t->sym);     /* the levels follow the side */
            t->stop = 2 * last - t->stop;
            t->tp1 = t->tp1 > 0 ? 2 * last - t->tp1 : 0;
            t->tp2 = t->tp2 > 0 ? 2 * last - t->tp2 : 0;
            default_price(u, t);
        } else if (t->field == TK_TYPE) {
            t->type = (t->type + d + ORDER_TYPE_COUNT) % ORDER_TYPE_COUNT;
            default_price(u, t);
        } else if (t->field == TK_METHOD) {
            t->method = (t->method + d + SIZE_METHOD_COUNT) % SIZE_METHOD_COUNT;
            struct order_preview c;
            calc(u, t, &c);
            t->size = t->method == SIZE_QTY ? c.by_method[SIZE_FRACTION] : default_param[t->method];
        }
        return true;
    }
    if (num && ((ch >= '0' && ch <= '9') || ch == '.' || ch == KEY_BACKSPACE || ch == 127 || ch == 8)) {
        size_t n = t->editing ? strlen(t->edit) : 0;
        if (!t->editing)
            t->edit[0] = 0;
        t->editing = true;
        if (t->field == TK_TRAIL) {
            t->trail_edited = true;
            t->trail_fixed = 0;
        }
        if (t->field == TK_PRICE)
            t->price_edited = true;
        if (ch == KEY_BACKSPACE || ch == 127 || ch == 8) {
            if (n)
                t->edit[n - 1] = 0;
        } else if (n + 1 < sizeof t->edit) {
            t->edit[n] = (char)ch;
            t->edit[n + 1] = 0;
        }
        *num = t->edit[0] ? strtod(t->edit, NULL) : 0;
        return true;
    }
    return true;                       /* the ticket is modal: other keys do nothing */
}

/* The dialog is built as lines first, then framed: the frame is sized to the
 * lines, every long line wraps inside it, and the area it covers is cleared, so
 * nothing of the screen below shows through and nothing is cut. */
#define TK_LINES 40

struct tk_lines {
    int n;
    char text[TK_LINES][WRAP_COLS];
    int attr[TK_LINES];
    bool sel[TK_LINES];
};

static void add(struct tk_lines *L, int width, int attr, bool sel, const char *s)
{
    char w[8][WRAP_COLS];
    int k = wrap_text(s, width, w, 8);
    for (int i = 0; i < k && L->n < TK_LINES; i++) {
        memcpy(L->text[L->n], w[i], WRAP_COLS);
        L->attr[L->n] = attr;
        L->sel[L->n++] = sel;
    }
}

static void field(struct tk_lines *L, int width, bool sel, const char *label, const char *value)
{
    char buf[WRAP_COLS];
    snprintf(buf, sizeof buf, "%s %-9s %.200s", sel ? ">" : " ", label, value);
    add(L, width, sel ? (int)A_REVERSE : 0, sel, buf);
}

/* Side, type, sizing, size and price: the rows of a new order. */
static void order_rows(struct ui *u, const struct ticket *t, struct tk_lines *L, int iw)
{
    char buf[WRAP_COLS], a[40], q[40];
    field(L, iw, t->field == TK_SIDE, "Side", t->side > 0 ? "BUY  (long)    <- -> or b/s" : "SELL (short)   <- -> or b/s");
    field(L, iw, t->field == TK_TYPE, "Type", type_names[t->type]);
    snprintf(buf, sizeof buf, "%-8s (<- ->: qty fraction risk atr kelly)", sizing_name(t->method));
    field(L, iw, t->field == TK_METHOD, "Size by", buf);
    if (t->method == SIZE_QTY) {
        fmt_qty(u, t->sym, q, sizeof q, t->size);
        snprintf(buf, sizeof buf, "%s%s units", t->field == TK_SIZE && t->editing ? "_" : "", q);
    } else {
        snprintf(buf, sizeof buf, "%.6g (%.2f %% of equity%s)", t->size, t->size * 100,
                 t->method == SIZE_FRACTION ? " as notional" : t->method == SIZE_KELLY ? " cap" : " at risk");
    }
    field(L, iw, t->field == TK_SIZE, "Size", buf);
    if (t->type == ORDER_MARKET)
        snprintf(buf, sizeof buf, "-  (%s)", book_in_view(u, t->sym) ? "fills at once, walking the book"
                                                                     : "fills at the next price");
    else {
        fmt_px(u, t->sym, a, sizeof a, t->price);
        snprintf(buf, sizeof buf, "%s%s", a, t->type == ORDER_STOP ? (t->side > 0 ? "  (triggers above the market)"
                                                                                : "  (triggers below the market)")
                                                                : (t->side > 0 ? "  (waits below the market)"
                                                                               : "  (waits above the market)"));
    }
    field(L, iw, t->field == TK_PRICE, t->type == ORDER_STOP ? "Trigger" : "Price", buf);
}

/* Stop, targets and trail: the rows of every ticket. */
static void exit_rows(struct ui *u, const struct ticket *t, const struct pf_view *v, struct tk_lines *L, int iw)
{
    char buf[WRAP_COLS], a[40];
    fmt_px(u, t->sym, a, sizeof a, t->stop);
    field(L, iw, t->field == TK_STOP, "Stop", t->stop > 0 ? a : "0 (none)");
    fmt_px(u, t->sym, a, sizeof a, t->tp1);
    field(L, iw, t->field == TK_TP1, "Target 1", t->tp1 > 0 ? a : "0 (none)");
    fmt_px(u, t->sym, a, sizeof a, t->tp2);
    field(L, iw, t->field == TK_TP2, "Target 2", t->tp2 > 0 ? a : "0 (none)");
    /* the distance at today's ATR; the stop follows the ATR of every closed 1m candle */
    if (t->trail_atr > 0 && v->atr[t->sym] > 0) {
        fmt_px(u, t->sym, a, sizeof a, t->trail_atr * v->atr[t->sym]);
        snprintf(buf, sizeof buf, "%.4g x ATR (= %s, follows ATR(14) 1m)", t->trail_atr, a);
    } else if (t->trail_atr > 0) {
        snprintf(buf, sizeof buf, "%.4g x ATR (no ATR yet)", t->trail_atr);
    } else if (t->trail_fixed > 0) {
        fmt_px(u, t->sym, a, sizeof a, t->trail_fixed);
        snprintf(buf, sizeof buf, "%s (fixed distance; digits: x ATR)", a);
    } else {
        snprintf(buf, sizeof buf, "0 (none; x ATR(14))");
    }
    field(L, iw, t->field == TK_TRAIL, "Trail", buf);
}

/* Editing exits: the position and what its stop would cost. */
static void exits_summary(struct ui *u, const struct ticket *t, const struct pf_view *v,
                          const struct order_preview *c, struct tk_lines *L, int iw)
{
    char buf[WRAP_COLS], a[40], b[40], q[40];
    const struct position *p = &v->pos[t->sym];
    double risk = t->stop > 0 ? fabs(p->qty) * fabs(p->avg - t->stop) * v->conv[t->sym] : 0;
    fmt_qty(u, t->sym, q, sizeof q, p->qty);
    fmt_px(u, t->sym, a, sizeof a, p->avg);
    fmt_money(b, sizeof b, -risk);
    snprintf(buf, sizeof buf, "  position %s @ %s; at the stop: %s %s", q, a, b, u->snap->account_ccy);
    add(L, iw, 0, false, buf);
    if (c->invalid[0]) {
        snprintf(buf, sizeof buf, "  refused: %s", c->invalid);
        add(L, iw, ui_attr(u, C_BAD) | A_BOLD, false, buf);
    }
}

/* A limit order against the synced book: its queue, the size resting at its
 * price on its side (the snapshot has the whole side), which trades at that
 * price must take before it fills (broker.h). */
static void queue_line(struct ui *u, const struct ticket *t, struct tk_lines *L, int iw)
{
    const struct snap_depth *d = &u->snap->depth;
    const struct snap_level *own = t->side > 0 ? d->bids : d->asks, *other = t->side > 0 ? d->asks : d->bids;
    int n = t->side > 0 ? d->n_bids : d->n_asks, n_other = t->side > 0 ? d->n_asks : d->n_bids;
    double tick = view(u)->inst[t->sym].tick, ahead = 0;
    char buf[WRAP_COLS], q[40];
    if (n_other > 0 && (other[0].px - t->price) * t->side <= 0) {
        add(L, iw, 0, false, "  queue: priced through the book; it rests with nothing ahead and fills at its "
                             "price on the next trade at or through it");
        return;
    }
    if (n > 0 && (t->price - own[n - 1].px) * t->side < 0) {
        snprintf(buf, sizeof buf, "  queue: its price is beyond the book's %d levels on its side; it will queue "
                 "behind what rests there", n);
        add(L, iw, 0, false, buf);
        return;
    }
    for (int i = 0; i < n; i++)
        if (tick > 0 ? llround(own[i].px / tick) == llround(t->price / tick) : own[i].px == t->price)
            ahead = own[i].qty;
    fmt_qty(u, t->sym, q, sizeof q, ahead);
    snprintf(buf, sizeof buf, "  queue: %s ahead of it at its price; it fills once that and its own size have "
             "traded there, or a trade goes through its price", q);
    add(L, iw, 0, false, buf);
}

/* What a market order (or a stop, were it to trigger now) would fill at: its
 * size walked through the synced book's whole side, as the paper broker walks
 * it; without a synced book, the bps model that fills it. A limit order: its
 * queue. */
static void book_fill_line(struct ui *u, const struct ticket *t, const struct pf_view *v,
                           const struct order_preview *c, struct tk_lines *L, int iw)
{
    if (!(c->qty > 0) || (t->type == ORDER_LIMIT && !book_in_view(u, t->sym)))
        return;
    if (t->type == ORDER_LIMIT) {
        queue_line(u, t, L, iw);
        return;
    }
    const struct snap_depth *d = &u->snap->depth;
    const char *when = t->type == ORDER_STOP ? "at the book now: " : "";
    char buf[WRAP_COLS], a[40];
    struct book_walk w;
    double bps;
    if (!book_in_view(u, t->sym) || !preview_book_fill(d, t->side, c->qty, &w, &bps) || !(w.filled > 0)) {
        snprintf(buf, sizeof buf, "  expected fill: no synced book, the model's %.4g bps slippage applies",
                 v->costs.slip_bps);
        add(L, iw, ui_attr(u, C_DIM), false, buf);
        return;
    }
    fmt_px(u, t->sym, a, sizeof a, w.vwap);
    if (w.filled < llround(c->qty * (double)BOOK_SCALE))
        snprintf(buf, sizeof buf, "  expected fill: %sbeyond the whole book, %d levels (they give %s, %.1f bps; "
                 "the rest is cancelled)", when, w.levels, a, bps);
    else
        snprintf(buf, sizeof buf, "  expected fill: %s%s, slippage %.1f bps over %d level%s", when, a, bps, w.levels,
                 w.levels == 1 ? "" : "s");
    add(L, iw, 0, false, buf);
}

/* A new order: its size, risk and reward, the other sizing methods' sizes, and
 * the risk check's verdict. */
static void order_summary(struct ui *u, const struct ticket *t, const struct pf_view *v,
                          const struct order_preview *c, struct tk_lines *L, int iw)
{
    const char *ccy = u->snap->account_ccy;
    char buf[WRAP_COLS], q[40], n1[32], n2[32], n3[32];
    fmt_qty(u, t->sym, q, sizeof q, c->qty);
    fmt_money(n1, sizeof n1, c->notional);
    snprintf(buf, sizeof buf, "  qty %s   notional %s %s (%.2f %% of equity)", q, n1, ccy,
             v->equity > 0 ? c->notional / v->equity * 100 : 0);
    add(L, iw, 0, false, buf);
    book_fill_line(u, t, v, c, L, iw);
    if (c->capped) {
        fmt_qty(u, t->sym, q, sizeof q, c->uncapped);
        snprintf(buf, sizeof buf, "  capped by %s: %s sizing asked for %s", c->capped, sizing_name(t->method), q);
        add(L, iw, ui_attr(u, C_EMA) | A_BOLD, false, buf);
    }
    fmt_money(n1, sizeof n1, c->risk);
    fmt_money(n2, sizeof n2, c->reward);
    snprintf(n3, sizeof n3, "%.2f", c->rr);
    snprintf(buf, sizeof buf, "  risk %s %s (%.2f %%)   reward %s %s (%.2f %%)   R:R %s", n1, ccy,
             v->equity > 0 ? c->risk / v->equity * 100 : 0, n2, ccy, v->equity > 0 ? c->reward / v->equity * 100 : 0,
             n3);
    add(L, iw, 0, false, buf);
    char k1[32], k2[32], k3[32], k4[32];
    fmt_qty(u, t->sym, k1, sizeof k1, c->by_method[SIZE_FRACTION]);
    fmt_qty(u, t->sym, k2, sizeof k2, c->by_method[SIZE_RISK]);
    fmt_qty(u, t->sym, k3, sizeof k3, c->by_method[SIZE_ATR]);
    fmt_qty(u, t->sym, k4, sizeof k4, c->by_method[SIZE_KELLY]);
    snprintf(buf, sizeof buf, "  sizes: fraction 5%% %s | risk 1%% %s | atr 1%%x2 %s | kelly %s", k1, k2, k3,
             c->kelly_ready ? k4 : "n/a (<20 trades)");
    add(L, iw, ui_attr(u, C_DIM), false, buf);
    if (c->invalid[0]) {
        snprintf(buf, sizeof buf, "  refused: %s", c->invalid);
        add(L, iw, ui_attr(u, C_BAD) | A_BOLD, false, buf);
    } else {
        int ok = c->verdict == RISK_OK;
        snprintf(buf, sizeof buf, "  risk check: %s", ok ? "OK - within every limit" : c->why);
        add(L, iw, ui_attr(u, ok ? C_GOOD : C_BAD) | A_BOLD, false, buf);
    }
}

/* On a short terminal lines go until the frame fits: the sizes line (a
 * comparison) first, then from the top (the dim header first). */
static void fit_lines(struct tk_lines *L, int max_h)
{
    while (L->n + 2 > max_h && L->n > 1) {
        int victim = -1;
        for (int i = 0; i < L->n - 1 && victim < 0; i++)
            if (strncmp(L->text[i], "  sizes:", 8) == 0)
                victim = i;
        if (victim < 0)
            victim = 0;
        memmove(&L->text[victim], &L->text[victim + 1], sizeof L->text[0] * (size_t)(L->n - victim - 1));
        memmove(&L->attr[victim], &L->attr[victim + 1], sizeof L->attr[0] * (size_t)(L->n - victim - 1));
        memmove(&L->sel[victim], &L->sel[victim + 1], sizeof L->sel[0] * (size_t)(L->n - victim - 1));
        L->n--;
    }
}

void ticket_draw(struct ui *u)
{
    struct ticket *t = &u->paper.tk;
    const struct pf_view *v = view(u);
    if (!t->open || t->sym >= u->snap->n_symbols)
        return;
    int rows, cols;
    getmaxyx(stdscr, rows, cols);
    int w = cols - 2 < 78 ? cols - 2 : 78;
    if (w < 20)
        return;
    int iw = w - 4;                            /* frame and one column of margin each side */
    const struct snap_symbol *ss = &u->snap->symbols[t->sym];
    char buf[WRAP_COLS], a[40], b[40];
    struct order_preview c;
    calc(u, t, &c);
    struct tk_lines L = { 0 };
    fmt_px(u, t->sym, a, sizeof a, ss->last);
    fmt_money(b, sizeof b, v->equity);
    snprintf(buf, sizeof buf, "last %s   equity %s %s%s", a, b, u->snap->account_ccy,
             t->signal_id ? "   (from a signal: taken when you confirm)" : "");
    add(&L, iw, ui_attr(u, C_DIM), false, buf);
    if (!t->exits_only)
        order_rows(u, t, &L, iw);
    exit_rows(u, t, v, &L, iw);
    if (t->exits_only)
        exits_summary(u, t, v, &c, &L, iw);
    else
        order_summary(u, t, v, &c, &L, iw);
    add(&L, iw, ui_attr(u, C_DIM), false, "Enter confirm  Esc abort  Up/Down field  <- -> change  digits edit");
    fit_lines(&L, rows - 1);
    int h = L.n + 2;                            /* the lines plus a border, centred */
    int y0 = (rows - 1 - h) / 2, x0 = (cols - w) / 2;
    if (y0 < 0)
        y0 = 0;
    for (int i = 0; i < h; i++)
        mvhline(y0 + i, x0, ' ', w);
    snprintf(buf, sizeof buf, "%s %s", t->exits_only ? "Edit exits" : "Order ticket", ss->name);
    ui_frame(u, (struct rect){ x0, y0, w, h }, buf, true);
    for (int i = 0; i < L.n; i++) {
        if (L.sel[i])
            mvhline(y0 + 1 + i, x0 + 1, ' ' | A_REVERSE, w - 2);
        ui_text(u, y0 + 1 + i, x0 + 2, iw, L.text[i], L.attr[i]);
    }
}
