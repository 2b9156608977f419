/* Right-hand column on wide terminals: every symbol with price and change, then
 * open positions across symbols. */
#include <curses.h>
#include <math.h>
#include <stdio.h>

#include "../ui_internal.h"

void sidebar_draw(struct ui *u, struct rect r)
{
    const struct snapshot *s = u->snap;
    char buf[128], px[32];
    int y = r.y;
    for (int i = 0; i < r.h; i++)
        mvaddstr(r.y + i, r.x, u->ascii ? "|" : "│");
    attron(A_BOLD);
    mvaddnstr(y++, r.x + 2, "Symbols", r.w - 2);
    attroff(A_BOLD);
    for (int i = 0; i < s->n_symbols && y < r.y + r.h; i++, y++) {
        const struct snap_symbol *ss = &s->symbols[i];
        double chg = ss->day_open > 0 ? (ss->last / ss->day_open - 1) * 100 : 0;
        fmt_price(px, sizeof px, ss->last);
        snprintf(buf, sizeof buf, "%-9s %12s", ss->name, ss->last > 0 ? px : "-");
        int a = i == u->sym ? ui_attr(u, C_SEL) | A_REVERSE : 0;
        attron(a);
        mvaddnstr(y, r.x + 2, buf, r.w - 2);
        attroff(a);
        snprintf(buf, sizeof buf, " %+6.2f%%", chg);
        if (r.w - 2 > 22) {
            attron(ui_attr(u, chg >= 0 ? C_GOOD : C_BAD));
            mvaddnstr(y, r.x + 2 + 22, buf, r.w - 24);
            attroff(ui_attr(u, chg >= 0 ? C_GOOD : C_BAD));
        }
    }
    y++;
    if (y >= r.y + r.h)
        return;
    attron(A_BOLD);
    mvaddnstr(y++, r.x + 2, "Positions", r.w - 2);
    attroff(A_BOLD);
    int shown = 0;
    for (int i = 0; i < s->n_symbols && y < r.y + r.h; i++) {
        const struct snap_symbol *ss = &s->symbols[i];
        if (ss->pos_qty == 0)
            continue;
        snprintf(buf, sizeof buf, "%-8s %-5s %.4g", ss->name, ss->pos_qty > 0 ? "LONG" : "SHORT", fabs(ss->pos_qty));
        mvaddnstr(y, r.x + 2, buf, r.w - 2);
        if (y + 1 < r.y + r.h) {
            snprintf(buf, sizeof buf, "  uPnL %+.2f %s", ss->pos_upnl, s->account_ccy);
            attron(ui_attr(u, ss->pos_upnl >= 0 ? C_GOOD : C_BAD));
            mvaddnstr(y + 1, r.x + 2, buf, r.w - 2);
            attroff(ui_attr(u, ss->pos_upnl >= 0 ? C_GOOD : C_BAD));
        }
        y += 2;
        shown++;
    }
    if (!shown)
        mvaddnstr(y, r.x + 2, "none (b buy, s sell)", r.w - 2);
}
