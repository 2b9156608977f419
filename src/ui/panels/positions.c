/* Open paper positions across symbols, with unrealised PnL. Enter or a click
 * shows the symbol's chart. */
#include <curses.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../ui_internal.h"

static int nth(const struct ui *u, int row)
{
    for (int i = 0, k = 0; i < u->snap->n_symbols; i++)
        if (u->snap->symbols[i].pos_qty != 0 && k++ == row)
            return i;
    return -1;
}

static int rows(const struct ui *u)
{
    int n = 0;
    for (int i = 0; i < u->snap->n_symbols; i++)
        n += u->snap->symbols[i].pos_qty != 0;
    return n;
}

/* One position: the first line says what is held, the second (or the right
 * end of the first, when it fits) how it is doing: the open PnL in money, in %
 * of the entry's notional and in R (multiples of the loss at the stop), and the
 * time in the trade (data time). */
static void position_text(const struct ui *u, int sym, char *what, size_t wn, char *how, size_t hn)
{
    const struct snapshot *s = u->snap;
    const struct snap_symbol *ss = &s->symbols[sym];
    const struct position *p = &s->paper.pos[sym];
    char avg[32], mark[32], q[32];
    fmt_px(u, sym, avg, sizeof avg, ss->pos_avg);
    fmt_px(u, sym, mark, sizeof mark, ss->last);
    fmt_qty(u, sym, q, sizeof q, fabs(ss->pos_qty));
    /* the name whole: bybit:BTCUSDT and bybit:BTCUSDC must not look the same */
    snprintf(what, wn, "%-8s %-5s %s @ %s mark %s", ss->name, ss->pos_qty > 0 ? "LONG" : "SHORT", q, avg, mark);
    double notional = fabs(ss->pos_qty) * ss->pos_avg * s->paper.conv[sym];
    double risk = p->br.stop > 0 ? fabs(ss->pos_qty) * fabs(ss->pos_avg - p->br.stop) * s->paper.conv[sym] : 0;
    char rr[24] = "", age[32] = "";
    if (risk > 0)
        snprintf(rr, sizeof rr, " %+.2fR", ss->pos_upnl / risk);
    int64_t ms = p->opened > 0 && s->now > p->opened ? s->now - p->opened : 0;
    if (ms >= 86400000)
        snprintf(age, sizeof age, " %lldd%02lldh", (long long)(ms / 86400000), (long long)(ms / 3600000 % 24));
    else if (ms >= 3600000)
        snprintf(age, sizeof age, " %lldh%02lldm", (long long)(ms / 3600000), (long long)(ms / 60000 % 60));
    else
        snprintf(age, sizeof age, " %lldm", (long long)(ms / 60000));
    snprintf(how, hn, "%+.2f %s %+.2f%%%s%s", ss->pos_upnl, s->account_ccy,
             notional > 0 ? ss->pos_upnl / notional * 100 : 0, rr, age);
}

static void draw(struct ui *u, struct rect r, struct panel_state *ps)
{
    const struct snapshot *s = u->snap;
    int n = rows(u);
    bool focused = u->focus >= 0 && ui_panels[u->focus]->draw == draw;
    if (n == 0) {
        ui_text(u, r.y, r.x, r.w, "no open positions (b buy, s sell)", ui_attr(u, C_DIM));
        return;
    }
    /* one line per position when both halves fit, else two */
    int per = 1;
    for (int k = 0; k < n; k++) {
        char what[200], how[96];
        position_text(u, nth(u, k), what, sizeof what, how, sizeof how);
        if ((int)(strlen(what) + strlen(how)) + 1 > r.w)
            per = 2;
    }
    int vis = r.h / per > 0 ? r.h / per : 1;
    if (ps->sel >= n)
        ps->sel = n - 1;
    if (ps->sel < ps->scroll)
        ps->scroll = ps->sel;
    if (ps->sel >= ps->scroll + vis)
        ps->scroll = ps->sel - vis + 1;
    for (int k = 0; k < vis && ps->scroll + k < n; k++) {
        int sym = nth(u, ps->scroll + k);
        const struct snap_symbol *ss = &s->symbols[sym];
        char what[200], how[96];
        position_text(u, sym, what, sizeof what, how, sizeof how);
        int y = r.y + k * per, sel = focused && ps->scroll + k == ps->sel ? A_REVERSE : 0;
        for (int i = 0; sel && i < per && y + i < r.y + r.h; i++)
            mvhline(y + i, r.x, ' ' | A_REVERSE, r.w);
        ui_text(u, y, r.x, r.w, what, sel);
        int len = (int)strlen(how);
        int hy = per == 2 ? y + 1 : y, hx = r.x + r.w - len;
        if (hy >= r.y + r.h)
            continue;
        if (hx < r.x + 2)
            hx = r.x + 2;
        ui_text(u, hy, hx, r.x + r.w - hx, how, sel | ui_attr(u, ss->pos_upnl >= 0 ? C_GOOD : C_BAD));
    }
}

static void activate(struct ui *u, int row) { ui_select_symbol(u, nth(u, row)); }

const struct panel panel_positions = { "positions", "Positions", SLOT_RIGHT, NULL, draw, rows, activate };
