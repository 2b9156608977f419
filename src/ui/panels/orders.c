/* Open orders. Today the paper broker has market orders only, which wait for
 * the next price; they are shown while pending. Limit, stop and bracket orders
 * come with the paper-trading issue and will add their rows here. */
#include <curses.h>
#include <stdio.h>

#include "../ui_internal.h"

static void draw(struct ui *u, struct rect r, struct panel_state *ps)
{
    (void)ps;
    const struct snapshot *s = u->snap;
    int y = r.y;
    for (int i = 0; i < s->n_symbols && y < r.y + r.h; i++) {
        if (!s->symbols[i].order_pending)
            continue;
        char buf[128];
        snprintf(buf, sizeof buf, "%-9s market order pending (fills at the next price)", s->symbols[i].name);
        ui_text(u, y++, r.x, r.w, buf, 0);
    }
    if (y == r.y) {
        ui_text(u, y++, r.x, r.w, "no open orders", ui_attr(u, C_DIM));
        if (y < r.y + r.h)
            ui_text(u, y, r.x, r.w, "limit/stop/bracket orders: not built yet", ui_attr(u, C_DIM));
    }
}

const struct panel panel_orders = { "orders", "Orders", SLOT_BOTTOM, NULL, draw, NULL, NULL };
