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

static void draw(struct ui *u, struct rect r, struct panel_state *ps)
{
    const struct snapshot *s = u->snap;
    int n = rows(u);
    bool focused = u->focus >= 0 && ui_panels[u->focus]->draw == draw;
    if (n == 0) {
        ui_text(u, r.y, r.x, r.w, "no open positions (b buy, s sell)", ui_attr(u, C_DIM));
        return;
    }
    if (ps->sel >= n)
        ps->sel = n - 1;
    if (ps->sel < ps->scroll)
        ps->scroll = ps->sel;
    if (ps->sel >= ps->scroll + r.h)
        ps->scroll = ps->sel - r.h + 1;
    for (int row = 0; row < r.h && ps->scroll + row < n; row++) {
        const struct snap_symbol *ss = &s->symbols[nth(u, ps->scroll + row)];
        char avg[32], buf[160];
        fmt_price(avg, sizeof avg, ss->pos_avg);
        snprintf(buf, sizeof buf, "%-9.9s %-5s %-10.6g @ %s", ss->name, ss->pos_qty > 0 ? "LONG" : "SHORT",
                 fabs(ss->pos_qty), avg);
        int y = r.y + row, sel = focused && ps->scroll + row == ps->sel ? A_REVERSE : 0;
        if (sel)
            mvhline(y, r.x, ' ' | A_REVERSE, r.w);
        ui_text(u, y, r.x, r.w, buf, sel);
        snprintf(buf, sizeof buf, "%+.2f", ss->pos_upnl);
        int len = (int)strlen(buf);
        if (r.w > 40 + len)
            ui_text(u, y, r.x + r.w - len, len, buf, sel | ui_attr(u, ss->pos_upnl >= 0 ? C_GOOD : C_BAD));
    }
}

static void activate(struct ui *u, int row) { ui_select_symbol(u, nth(u, row)); }

const struct panel panel_positions = { "positions", "Positions", SLOT_RIGHT, NULL, draw, rows, activate };
