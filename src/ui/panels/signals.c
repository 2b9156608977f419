/* The signal queue, ranked by confidence. The signal engine is another issue;
 * until its data is in the snapshot this panel says so. */
#include <curses.h>

#include "../ui_internal.h"

static void draw(struct ui *u, struct rect r, struct panel_state *ps)
{
    (void)ps;
    ui_text(u, r.y, r.x, r.w, "no signals yet", ui_attr(u, C_DIM));
    if (r.h > 1)
        ui_text(u, r.y + 1, r.x, r.w, "signal engine not built", ui_attr(u, C_DIM));
}

const struct panel panel_signals = { "signals", "Signals", SLOT_RIGHT, NULL, draw, NULL, NULL };
