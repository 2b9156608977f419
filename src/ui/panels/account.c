/* Account line: balance, equity, PnL, and the position in the viewed symbol. */
#include <curses.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../ui_internal.h"

void account_draw(struct ui *u, struct rect r)
{
    const struct snapshot *s = u->snap;
    char buf[320], avg[32];
    snprintf(buf, sizeof buf, "Bal %.2f %s  Eq %.2f  uPnL ", s->balance, s->account_ccy, s->equity);
    mvaddnstr(r.y, r.x, buf, r.w);
    int x = r.x + (int)strlen(buf);
    snprintf(buf, sizeof buf, "%+.2f", s->unrealized);
    attron(ui_attr(u, s->unrealized >= 0 ? C_GOOD : C_BAD));
    if (x < r.x + r.w)
        mvaddnstr(r.y, x, buf, r.x + r.w - x);
    attroff(ui_attr(u, s->unrealized >= 0 ? C_GOOD : C_BAD));
    x += (int)strlen(buf);
    if (u->sym >= s->n_symbols || x >= r.x + r.w)
        return;
    const struct snap_symbol *ss = &s->symbols[u->sym];
    if (ss->pos_qty != 0) {
        fmt_px(u, u->sym, avg, sizeof avg, ss->pos_avg);
        char lv[160], q[32];
        fmt_qty(u, u->sym, q, sizeof q, fabs(ss->pos_qty));
        orders_fmt_levels(u, u->sym, lv, sizeof lv, &s->paper.pos[u->sym].br);
        snprintf(buf, sizeof buf, "  %s %s %s @ %s (%+.2f)%s", ss->pos_qty > 0 ? "LONG" : "SHORT",
                 q, ss->name, avg, ss->pos_upnl, lv);
    } else {
        snprintf(buf, sizeof buf, "  no position in %s", ss->name);
    }
    if (ss->order_pending)
        snprintf(buf + strlen(buf), sizeof buf - strlen(buf), "  order pending");
    attron(ss->pos_qty != 0 ? (int)A_BOLD : ui_attr(u, C_DIM));
    mvaddnstr(r.y, x, buf, r.x + r.w - x);
    attroff(ss->pos_qty != 0 ? (int)A_BOLD : ui_attr(u, C_DIM));
}
