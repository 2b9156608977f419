/* Header bar: symbol, timeframe, last price, change today, feed state, data time. */
#include <curses.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../ui_internal.h"


void header_draw(struct ui *u, struct rect r)
{
    const struct snapshot *s = u->snap;
    int bar = ui_attr(u, C_BAR);
    attron(bar);
    mvhline(r.y, r.x, ' ', r.w);
    attroff(bar);
    char buf[256], px[32];
    int x = r.x;
    snprintf(buf, sizeof buf, " AlphaPulse ");
    mvaddnstr(r.y, x, buf, r.w);
    attron(bar | A_BOLD);
    mvaddnstr(r.y, x, buf, r.w);
    attroff(bar | A_BOLD);
    x += 12;
    if (u->sym >= s->n_symbols)
        return;
    const struct snap_symbol *ss = &s->symbols[u->sym];
    snprintf(buf, sizeof buf, " %s %s ", ss->name, tf_name(u->tf));
    attron(bar | A_BOLD);
    mvaddnstr(r.y, x, buf, r.x + r.w - x);
    attroff(bar | A_BOLD);
    x += (int)strlen(buf);
    fmt_px(u, u->sym, px, sizeof px, ss->last);
    double chg = ss->day_open > 0 ? (ss->last / ss->day_open - 1) * 100 : 0;
    snprintf(buf, sizeof buf, " %s ", ss->last > 0 ? px : "-");
    attron(bar | A_BOLD);
    if (x < r.x + r.w)
        mvaddnstr(r.y, x, buf, r.x + r.w - x);
    attroff(bar | A_BOLD);
    x += (int)strlen(buf);
    snprintf(buf, sizeof buf, "%s%+.2f%% today ", u->ascii ? "" : (chg >= 0 ? "▲" : "▼"), chg);
    int c = ui_attr(u, chg >= 0 ? C_GOOD : C_BAD);
    attron(c | A_REVERSE);
    if (x < r.x + r.w)
        mvaddnstr(r.y, x, buf, r.x + r.w - x);
    attroff(c | A_REVERSE);
    x += u->ascii ? (int)strlen(buf) : (int)strlen(buf) - 2;
    char when[32] = "";
    if (ss->last_time > 0) {
        time_t t = (time_t)(ss->last_time / 1000);
        struct tm tm;
        gmtime_r(&t, &tm);
        strftime(when, sizeof when, "%Y-%m-%d %H:%M UTC", &tm);
    }
    snprintf(buf, sizeof buf, " [%s] %s  %s", s->feed_state, when, ss->market);
    attron(bar);
    if (x < r.x + r.w)
        mvaddnstr(r.y, x, buf, r.x + r.w - x);
    attroff(bar);
}
