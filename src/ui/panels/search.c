/* Symbol search (`/`): a popup of the symbols matching what is typed so far
 * (case-insensitive substring), refreshed on every key. */
#include <curses.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "../ui_internal.h"

int search_matches(const struct ui *u, int *idx, int max)
{
    int n = 0;
    size_t ql = strlen(u->line);
    for (int i = 0; i < u->snap->n_symbols && n < max; i++) {
        const char *name = u->snap->symbols[i].name;
        bool hit = ql == 0;
        for (const char *p = name; *p && !hit; p++)
            hit = strncasecmp(p, u->line, ql) == 0;
        if (hit)
            idx[n++] = i;
    }
    return n;
}

void search_draw(struct ui *u)
{
    int idx[SEARCH_MAX];
    int n = search_matches(u, idx, SEARCH_MAX);
    struct rect c = u->lay.chart;
    int w = 40 < c.w - 2 ? 40 : c.w - 2, h = n + 2;
    if (h > c.h - 1)
        h = c.h - 1;
    if (h < 3)
        h = 3;
    struct rect r = { c.x + 1, c.y + 1, w, h };
    for (int y = 0; y < h; y++)
        mvhline(r.y + y, r.x, ' ', w);
    char title[UI_LINE + 16];
    snprintf(title, sizeof title, "Search: %s", u->line);
    ui_frame(u, r, title, true);
    if (n == 0) {
        ui_text(u, r.y + 1, r.x + 2, w - 4, "no matching symbol", ui_attr(u, C_DIM));
        return;
    }
    if (u->search_sel >= n)
        u->search_sel = n - 1;
    int first = u->search_sel >= h - 2 ? u->search_sel - (h - 3) : 0;
    for (int k = first, y = r.y + 1; k < n && y < r.y + h - 1; k++, y++) {
        const struct snap_symbol *ss = &u->snap->symbols[idx[k]];
        char px[32], buf[128];
        fmt_px(u, idx[k], px, sizeof px, ss->last);
        snprintf(buf, sizeof buf, "%-10s %12s  %s", ss->name, ss->last > 0 ? px : "-", ss->market);
        int a = k == u->search_sel ? A_REVERSE : 0;
        if (a)
            mvhline(y, r.x + 1, ' ' | A_REVERSE, w - 2);
        ui_text(u, y, r.x + 2, w - 4, buf, a);
    }
}
