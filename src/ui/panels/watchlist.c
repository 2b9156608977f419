/* Watchlist: every symbol with its last price, change today and a sparkline of
 * its last 32 hourly closes (a day and a half of trend). Enter or a click shows the symbol. */
#include <curses.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../ui_internal.h"

static void sparkline(const struct ui *u, const struct snap_symbol *ss, int w, char *out, size_t n)
{
    static const char *const blocks[] = { "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█" };
    static const char ascii[] = "_.-=+*#^";
    out[0] = 0;
    int k = ss->n_closes < w ? ss->n_closes : w;
    const double *c = ss->closes + ss->n_closes - k;
    double lo = INFINITY, hi = -INFINITY;
    for (int i = 0; i < k; i++) {
        lo = fmin(lo, c[i]);
        hi = fmax(hi, c[i]);
    }
    size_t len = 0;
    for (int i = 0; i < k; i++) {
        int lv = hi > lo ? (int)((c[i] - lo) / (hi - lo) * 7.999) : 3;
        const char *g = u->ascii ? (char[2]){ ascii[lv], 0 } : blocks[lv];
        size_t gl = strlen(g);
        if (len + gl + 1 > n)
            break;
        memcpy(out + len, g, gl + 1);
        len += gl;
    }
}

static void draw(struct ui *u, struct rect r, struct panel_state *ps)
{
    const struct snapshot *s = u->snap;
    bool focused = u->focus >= 0 && ui_panels[u->focus]->draw == draw;
    if (s->n_symbols == 0) {
        ui_text(u, r.y, r.x, r.w, "no symbols", ui_attr(u, C_DIM));
        return;
    }
    if (ps->sel < ps->scroll)
        ps->scroll = ps->sel;
    if (ps->sel >= ps->scroll + r.h)
        ps->scroll = ps->sel - r.h + 1;
    /* names as long as the longest (bybit:BTCUSDT), at least 9 and at most 20 columns */
    int nw = 9;
    for (int i = 0; i < s->n_symbols; i++) {
        int l = (int)strlen(s->symbols[i].name);
        nw = l > nw ? (l < 20 ? l : 20) : nw;
    }
    for (int row = 0; row < r.h && ps->scroll + row < s->n_symbols; row++) {
        int i = ps->scroll + row;
        const struct snap_symbol *ss = &s->symbols[i];
        char px[32], buf[256], spark[8 * 4 * SNAP_SPARK + 1];
        double chg = ss->day_open > 0 ? (ss->last / ss->day_open - 1) * 100 : 0;
        fmt_px(u, i, px, sizeof px, ss->last);
        snprintf(buf, sizeof buf, "%s%-*.*s %11s", i == u->sym ? (u->ascii ? "*" : "•") : " ", nw, nw, ss->name,
                 ss->last > 0 ? px : "-");
        int y = r.y + row;
        int sel = focused && i == ps->sel ? A_REVERSE : 0;
        if (sel)
            mvhline(y, r.x, ' ' | A_REVERSE, r.w);
        ui_text(u, y, r.x, r.w, buf, sel | (i == u->sym ? A_BOLD : 0));
        int x = r.x + 13 + nw;
        snprintf(buf, sizeof buf, " %+6.2f%%", chg);
        if (x + 9 <= r.x + r.w)
            ui_text(u, y, x, 9, buf, sel | ui_attr(u, chg >= 0 ? C_GOOD : C_BAD));
        x += 10;
        if (ss->perp && ss->mark > 0 && x + 11 <= r.x + r.w) {   /* a perpetual: its funding rate */
            snprintf(buf, sizeof buf, " f%+.4f%%", ss->funding_rate * 100);
            ui_text(u, y, x, 11, buf, sel | ui_attr(u, ss->funding_rate > 0 ? C_BAD : C_GOOD));
            x += 11;
        }
        int sw = r.x + r.w - x;
        if (sw >= 4) {
            sparkline(u, ss, sw, spark, sizeof spark);
            ui_text(u, y, x, sw, spark, sel | ui_attr(u, C_DIM));
        }
    }
}

static int rows(const struct ui *u) { return u->snap->n_symbols; }
static int want_h(const struct ui *u) { return u->snap->n_symbols > 0 ? u->snap->n_symbols : 1; }
static void activate(struct ui *u, int row) { ui_select_symbol(u, row); }

const struct panel panel_watchlist = { "watchlist", "Watchlist", SLOT_RIGHT, want_h, draw, rows, activate };
