/* Positions and working orders, all symbols: one row each, positions first. With
 * focus (o) Up/Down select, x closes the selected position or cancels the
 * selected order, c cancels, e edits the position's stop and targets or amends
 * the selected order's price and quantity. */
#include <curses.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../ui_internal.h"

/* item i: a position (sym >= 0, order NULL) or a working order; the panel lists
 * at most ITEMS_MAX (the risk limits keep open positions far fewer) */
struct item { int sym; const struct broker_order *o; };
#define ITEMS_MAX (128 + PF_VIEW_ORDERS)

static int items(const struct ui *u, struct item *it, int max)
{
    const struct pf_view *v = &u->snap->paper;
    int n = 0;
    for (int s = 0; s < u->snap->n_symbols && s < v->n_sym && n < max - PF_VIEW_ORDERS; s++)
        if (v->pos[s].qty != 0)
            it[n++] = (struct item){ s, NULL };
    for (int i = 0; i < v->n_orders && n < max; i++)
        it[n++] = (struct item){ v->orders[i].sym, &v->orders[i] };
    return n;
}

int orders_rows(const struct ui *u)
{
    struct item it[ITEMS_MAX];
    int n = items(u, it, (int)(sizeof it / sizeof it[0]));
    return n ? (n > 5 ? 6 : n + 1) : 0;
}

void orders_fmt_levels(const struct ui *u, int sym, char *buf, size_t n, const struct bracket *b)
{
    char a[32];
    buf[0] = 0;
    if (b->stop > 0) {
        fmt_px(u, sym, a, sizeof a, b->stop);
        snprintf(buf + strlen(buf), n - strlen(buf), " SL %s", a);
    }
    if (b->trail_atr > 0) {
        fmt_px(u, sym, a, sizeof a, b->trail);
        snprintf(buf + strlen(buf), n - strlen(buf), " trail %.4gxATR=%s", b->trail_atr, a);
    } else if (b->trail > 0) {
        fmt_px(u, sym, a, sizeof a, b->trail);
        snprintf(buf + strlen(buf), n - strlen(buf), " trail %s", a);
    }
    for (int i = 0; i < BROKER_TP; i++)
        if (b->tp[i] > 0) {
            fmt_px(u, sym, a, sizeof a, b->tp[i]);
            snprintf(buf + strlen(buf), n - strlen(buf), " TP%d %s%s", i + 1, a, b->tp_done & (1u << i) ? "(hit)" : "");
        }
}

void orders_draw(struct ui *u, struct rect r)
{
    const struct pf_view *v = &u->snap->paper;
    struct item it[ITEMS_MAX];
    int n = items(u, it, (int)(sizeof it / sizeof it[0]));
    if (r.h < 1 || n == 0)
        return;
    if (u->paper.orders_sel >= n)
        u->paper.orders_sel = n - 1;
    char head[160];
    snprintf(head, sizeof head, "Positions & orders (%d)%s", n,
             u->paper.orders_focus ? "  Up/Down select  x close/cancel  e exits/amend  c cancel  Esc done"
                                   : "  o: select   x close   e exits/amend   c cancel");
    attron(A_BOLD);
    mvhline(r.y, r.x, ' ', r.w);
    mvaddnstr(r.y, r.x, head, r.w);
    attroff(A_BOLD);
    int first = u->paper.orders_sel >= r.h - 1 ? u->paper.orders_sel - (r.h - 2) : 0;
    for (int i = first, y = r.y + 1; i < n && y < r.y + r.h; i++, y++) {
        char buf[256], lv[128], a[32];
        const char *name = u->snap->symbols[it[i].sym].name;
        if (!it[i].o) {
            const struct position *p = &v->pos[it[i].sym];
            char q[32];
            fmt_px(u, it[i].sym, a, sizeof a, p->avg);
            fmt_qty(u, it[i].sym, q, sizeof q, fabs(p->qty));
            orders_fmt_levels(u, it[i].sym, lv, sizeof lv, &p->br);
            double upnl = u->snap->symbols[it[i].sym].pos_upnl;
            snprintf(buf, sizeof buf, " %-8s %-5s %-10s @ %-12s uPnL %+9.2f%s", name, p->qty > 0 ? "LONG" : "SHORT",
                     q, a, upnl, lv);
        } else {
            const struct broker_order *o = it[i].o;
            static const char *const tn[] = { "market", "limit", "stop" };
            char q[32];
            fmt_px(u, it[i].sym, a, sizeof a, o->price);
            fmt_qty(u, it[i].sym, q, sizeof q, o->qty);
            orders_fmt_levels(u, it[i].sym, lv, sizeof lv, &o->br);
            snprintf(buf, sizeof buf, " #%-4llu %-8s %-6s %-4s %-10s %s%s%s", (unsigned long long)o->id, name,
                     tn[o->type], o->side > 0 ? "BUY" : "SELL", q, o->price > 0 ? "@ " : "", o->price > 0 ? a : "",
                     lv);
        }
        bool sel = u->paper.orders_focus && i == u->paper.orders_sel;
        if (sel)
            attron(A_REVERSE);
        mvhline(y, r.x, ' ', r.w);
        mvaddnstr(y, r.x, buf, r.w);
        if (sel)
            attroff(A_REVERSE);
    }
}

static void send(struct ui *u, struct command *c, int sym)
{
    memcpy(c->symbol, u->snap->symbols[sym].name, SYMBOL_MAX);
    if (!engine_thread_command(u->et, c))
        snprintf(u->msg, sizeof u->msg, "engine busy: command not queued, try again");
}

bool orders_key(struct ui *u, int ch)
{
    if (!u->paper.orders_focus)
        return false;
    struct item it[ITEMS_MAX];
    int n = items(u, it, (int)(sizeof it / sizeof it[0]));
    if (ch == 27 || ch == 'o' || n == 0) {
        u->paper.orders_focus = false;
        return ch == 27 || ch == 'o';
    }
    int *sel = &u->paper.orders_sel;
    if (ch == KEY_UP || ch == 'k') {
        *sel = *sel > 0 ? *sel - 1 : 0;
        return true;
    }
    if (ch == KEY_DOWN || ch == 'j') {
        *sel = *sel < n - 1 ? *sel + 1 : n - 1;
        return true;
    }
    if (*sel >= n)
        *sel = n - 1;
    const struct item *x = &it[*sel];
    if (ch == 'x' || ch == 'c') {
        struct command c = { .type = x->o ? CMD_CANCEL : ch == 'x' ? CMD_CLOSE : CMD_CANCEL };
        if (x->o)
            c.order_id = x->o->id;
        if (c.type == CMD_CLOSE) {             /* closing at market asks first (ui.confirm) */
            char buf[120];
            memcpy(c.symbol, u->snap->symbols[x->sym].name, SYMBOL_MAX);
            snprintf(buf, sizeof buf, "Close the %s position at market", u->snap->symbols[x->sym].name);
            paper_confirm(u, &c, buf);
            return true;
        }
        send(u, &c, x->sym);
        return true;
    }
    if (ch == 'e') {
        if (x->o) {
            amend_open(u, x->o);
            return true;
        }
        ticket_open(u, x->sym, 0, true);
        return true;
    }
    return false;
}

/* In the console frame: the positions & orders panel. */
static void panel_draw(struct ui *u, struct rect r, struct panel_state *ps)
{
    (void)ps;
    if (orders_rows(u) == 0) {
        ui_text(u, r.y, r.x, r.w, "no positions or working orders (b buy, s sell)", ui_attr(u, C_DIM));
        return;
    }
    orders_draw(u, r);
}

const struct panel panel_orders = { "orders", "Positions & orders", SLOT_BOTTOM, NULL, panel_draw, NULL, NULL };
