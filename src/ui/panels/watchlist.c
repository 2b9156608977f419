/* Watchlist: every symbol with its last price, change today and a sparkline of
 * its last 32 hourly closes (a day and a half of trend), the ones added with `w`
 * in the scanner first (marked +). Enter or a click shows the symbol. */
#include <curses.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
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

static int watched_at(const struct ui *u, int sym)
{
    for (int k = 0; k < u->n_watch; k++)
        if (u->watch[k] == sym)
            return k;
    return -1;
}

int watchlist_symbol(const struct ui *u, int row)
{
    if (row < u->n_watch)
        return u->watch[row];
    for (int s = 0, k = u->n_watch; s < u->snap->n_symbols; s++)
        if (watched_at(u, s) < 0 && k++ == row)
            return s;
    return -1;
}

int watchlist_toggle(struct ui *u, int sym)
{
    int k = watched_at(u, sym);
    if (k >= 0) {
        memmove(u->watch + k, u->watch + k + 1, sizeof *u->watch * (size_t)(u->n_watch - k - 1));
        u->n_watch--;
        return 0;
    }
    if (u->n_watch == u->watch_cap) {
        int cap = u->watch_cap ? u->watch_cap * 2 : 16;
        int *w = realloc(u->watch, sizeof *w * (size_t)cap);
        if (!w)
            return -1;
        u->watch = w;
        u->watch_cap = cap;
    }
    u->watch[u->n_watch++] = sym;
    return 1;
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
        int at = ps->scroll + row, i = watchlist_symbol(u, at);
        if (i < 0)
            break;
        const struct snap_symbol *ss = &s->symbols[i];
        char px[32], buf[256], spark[8 * 4 * SNAP_SPARK + 1];
        double chg = ss->day_open > 0 ? (ss->last / ss->day_open - 1) * 100 : 0;
        fmt_px(u, i, px, sizeof px, ss->last);
        const char *mark = i == u->sym ? (u->ascii ? "*" : "•") : at < u->n_watch ? "+" : " ";
        snprintf(buf, sizeof buf, "%s%-*.*s %11s", mark, nw, nw, ss->name,
                 ss->last > 0 ? px : "-");
        int y = r.y + row;
        int sel = focused && at == ps->sel ? A_REVERSE : 0;
        if (sel)
            mvhline(y, r.x, ' ' | A_REVERSE, r.w);
        ui_text(u, y, r.x, r.w, buf, sel | (i == u->sym ? A_BOLD : 0));
        int x = r.x + 13 + nw;
        bool perp = ss->perp && ss->mark > 0;
        if (perp && x + 10 + 11 > r.x + r.w) {
            /* a perpetual whose long name leaves no room for both: its funding rate
             * in the change's place (the header keeps the change) */
            snprintf(buf, sizeof buf, " f%+.3f%%", ss->funding_rate * 100);
            if (x + 9 <= r.x + r.w)
                ui_text(u, y, x, 9, buf, sel | ui_attr(u, ss->funding_rate > 0 ? C_BAD : C_GOOD));
            perp = false;
        } else {
            snprintf(buf, sizeof buf, " %+6.2f%%", chg);
            if (x + 9 <= r.x + r.w)
                ui_text(u, y, x, 9, buf, sel | ui_attr(u, chg >= 0 ? C_GOOD : C_BAD));
        }
        x += 10;
        if (perp && x + 11 <= r.x + r.w) {       /* a perpetual: its funding rate */
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
static void activate(struct ui *u, int row)
{
    int sym = watchlist_symbol(u, row);
    if (sym >= 0)
        ui_select_symbol(u, sym);
}

const struct panel panel_watchlist = { "watchlist", "Watchlist", SLOT_RIGHT, want_h, draw, rows, activate };
