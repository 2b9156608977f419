/* Order ticket (b / s) and exits editor (e). Everything it shows is computed from
 * the snapshot by the engine's preview (preview.h), so the verdict on screen is
 * the check the engine will run; the engine still runs it again on the command,
 * because the UI can never be trusted to have checked anything. */
#include <curses.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alphapulse/preview.h"
#include "ui_internal.h"

static const double default_param[SIZE_METHOD_COUNT] = { 0, 0.05, 0.01, 0.01, 0.25 };
static const char *const type_names[ORDER_TYPE_COUNT] = { "market", "limit", "stop" };

static const struct pf_view *view(const struct ui *u) { return &u->snap->paper; }
static double last_of(const struct ui *u, int s) { return s < u->snap->n_symbols ? u->snap->symbols[s].last : 0; }

static void calc(const struct ui *u, const struct ticket *t, struct order_preview *c)
{
    struct preview_ticket in = { .sym = t->sym, .side = t->side, .type = t->type, .method = t->method,
                                 .size = t->size, .price = t->price, .stop = t->stop, .tp1 = t->tp1 };
    preview_order(view(u), last_of(u, t->sym), u->snap->now, &in, default_param, c);
}

void ticket_open_signal(struct ui *u, int s, int side, double stop, double tp1, double tp2)
{
    ticket_open(u, s, side, false);
    struct ticket *t = &u->paper.tk;
    if (!t->open)
        return;
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

static void submit(struct ui *u)
{
    struct ticket *t = &u->paper.tk;
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
        } else if (t->field == TK_TYPE) {
            t->type = (t->type + d + ORDER_TYPE_COUNT) % ORDER_TYPE_COUNT;
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

static void row(int y, int x, int w, bool sel, const char *label, const char *value)
{
    char buf[240];
    snprintf(buf, sizeof buf, "%s %-9s %.200s", sel ? ">" : " ", label, value);
    if (sel)
        attron(A_REVERSE);
    mvaddnstr(y, x, buf, w);
    if (sel)
        attroff(A_REVERSE);
}

void ticket_draw(struct ui *u)
{
    struct ticket *t = &u->paper.tk;
    const struct pf_view *v = view(u);
    if (!t->open || t->sym >= u->snap->n_symbols)
        return;
    int rows, cols;
    getmaxyx(stdscr, rows, cols);
    int w = cols - 2 < 70 ? cols - 2 : 70, h = t->exits_only ? 11 : 18;
    if (h > rows - 1)
        h = rows - 1;
    int y0 = (rows - h) / 2, x0 = (cols - w) / 2, y = y0;
    for (int i = 0; i < h; i++)
        mvhline(y0 + i, x0, ' ', w);
    const struct snap_symbol *ss = &u->snap->symbols[t->sym];
    char buf[200], a[32], b[32];
    struct order_preview c;
    calc(u, t, &c);
    fmt_price(a, sizeof a, ss->last);
    snprintf(buf, sizeof buf, " %s %s  last %s  equity %.2f %s ", t->exits_only ? "Edit exits" : "Order ticket",
             ss->name, a, v->equity, u->snap->account_ccy);
    attron(ui_attr(u, C_BAR) | A_BOLD);
    mvhline(y, x0, ' ', w);
    mvaddnstr(y++, x0, buf, w);
    attroff(ui_attr(u, C_BAR) | A_BOLD);
    int iw = w - 2, x = x0 + 1;
    if (!t->exits_only) {
        row(y++, x, iw, t->field == TK_SIDE, "Side", t->side > 0 ? "BUY  (long)    <- -> or b/s" : "SELL (short)   <- -> or b/s");
        row(y++, x, iw, t->field == TK_TYPE, "Type", type_names[t->type]);
        snprintf(buf, sizeof buf, "%-8s (<- ->: qty fraction risk atr kelly)", sizing_name(t->method));
        row(y++, x, iw, t->field == TK_METHOD, "Size by", buf);
        if (t->method == SIZE_QTY)
            snprintf(buf, sizeof buf, "%s%.8g units", t->field == TK_SIZE && t->editing ? "_" : "", t->size);
        else
            snprintf(buf, sizeof buf, "%.6g (%.2f %% of equity%s)", t->size, t->size * 100,
                     t->method == SIZE_FRACTION ? " as notional" : t->method == SIZE_KELLY ? " cap" : " at risk");
        row(y++, x, iw, t->field == TK_SIZE, "Size", buf);
        if (t->type == ORDER_MARKET)
            snprintf(buf, sizeof buf, "-  (fills at the next price)");
        else
            fmt_price(buf, sizeof buf, t->price);
        row(y++, x, iw, t->field == TK_PRICE, t->type == ORDER_STOP ? "Trigger" : "Price", buf);
    }
    fmt_price(a, sizeof a, t->stop);
    row(y++, x, iw, t->field == TK_STOP, "Stop", t->stop > 0 ? a : "0 (none)");
    fmt_price(a, sizeof a, t->tp1);
    row(y++, x, iw, t->field == TK_TP1, "Target 1", t->tp1 > 0 ? a : "0 (none)");
    fmt_price(a, sizeof a, t->tp2);
    row(y++, x, iw, t->field == TK_TP2, "Target 2", t->tp2 > 0 ? a : "0 (none)");
    /* the distance at today's ATR; the stop follows the ATR of every closed 1m candle */
    if (t->trail_atr > 0 && v->atr[t->sym] > 0)
        snprintf(buf, sizeof buf, "%.4g x ATR (= %.6g, follows ATR(14) 1m)", t->trail_atr,
                 t->trail_atr * v->atr[t->sym]);
    else if (t->trail_atr > 0)
        snprintf(buf, sizeof buf, "%.4g x ATR (no ATR yet)", t->trail_atr);
    else if (t->trail_fixed > 0)
        snprintf(buf, sizeof buf, "%.6g (fixed distance; digits: x ATR)", t->trail_fixed);
    else
        snprintf(buf, sizeof buf, "0 (none; x ATR(14))");
    row(y++, x, iw, t->field == TK_TRAIL, "Trail", buf);
    if (t->exits_only) {
        const struct position *p = &v->pos[t->sym];
        double risk = t->stop > 0 ? fabs(p->qty) * fabs(p->avg - t->stop) * v->conv[t->sym] : 0;
        snprintf(buf, sizeof buf, "  position %.6g @ %.10g; at the stop: %.2f %s", p->qty, p->avg, -risk,
                 u->snap->account_ccy);
        mvaddnstr(y++, x, buf, iw);
    } else {
        snprintf(buf, sizeof buf, "  qty %.8g   notional %.2f %s (%.2f %% of equity)", c.qty, c.notional,
                 u->snap->account_ccy, v->equity > 0 ? c.notional / v->equity * 100 : 0);
        mvaddnstr(y++, x, buf, iw);
        snprintf(buf, sizeof buf, "  risk %.2f %s (%.2f %%)   reward %.2f %s (%.2f %%)   R:R %.2f", c.risk,
                 u->snap->account_ccy, v->equity > 0 ? c.risk / v->equity * 100 : 0, c.reward, u->snap->account_ccy,
                 v->equity > 0 ? c.reward / v->equity * 100 : 0, c.rr);
        mvaddnstr(y++, x, buf, iw);
        snprintf(a, sizeof a, "%.4g", c.by_method[SIZE_KELLY]);
        snprintf(buf, sizeof buf, "  sizes: fraction 5%% %.4g | risk 1%% %.4g | atr 1%%x2 %.4g | kelly %s",
                 c.by_method[SIZE_FRACTION], c.by_method[SIZE_RISK], c.by_method[SIZE_ATR],
                 c.kelly_ready ? a : "n/a (<20 trades)");
        mvaddnstr(y++, x, buf, iw);
        y++;
        int ok = c.verdict == RISK_OK;
        snprintf(buf, sizeof buf, "  risk check: %.180s", ok ? "OK - within every limit" : c.why);
        attron(ui_attr(u, ok ? C_GOOD : C_BAD) | A_BOLD);
        mvaddnstr(y++, x, buf, iw);
        attroff(ui_attr(u, ok ? C_GOOD : C_BAD) | A_BOLD);
    }
    (void)b;
    attron(ui_attr(u, C_DIM));
    mvaddnstr(y0 + h - 1, x, " Enter confirm  Esc abort  Up/Down field  <- -> change  digits edit", iw);
    attroff(ui_attr(u, C_DIM));
}
