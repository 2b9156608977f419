/* The engine's recent messages (fills, rejections, feed state), newest last. */
#include <curses.h>

#include "../ui_internal.h"

static void draw(struct ui *u, struct rect r, struct panel_state *ps)
{
    const struct snapshot *s = u->snap;
    if (s->n_log == 0) {
        ui_text(u, r.y, r.x, r.w, "no messages yet", ui_attr(u, C_DIM));
        return;
    }
    if (ps->scroll > s->n_log - 1)
        ps->scroll = s->n_log - 1;
    int last = s->n_log - 1 - ps->scroll;        /* scroll: lines hidden below */
    int first = last - r.h + 1;
    if (first < 0)
        first = 0;
    for (int i = first, y = r.y; i <= last; i++, y++)
        ui_text(u, y, r.x, r.w, s->log[i], i == s->n_log - 1 ? 0 : ui_attr(u, C_DIM));
}

const struct panel panel_log = { "log", "Log", SLOT_BOTTOM, NULL, draw, NULL, NULL };
