/* Market regime per timeframe (regime, trend, RSI, confluence). The regime
 * engine is another issue; until its data is in the snapshot this panel says so
 * instead of showing made-up rows. */
#include <curses.h>

#include "../ui_internal.h"

static void draw(struct ui *u, struct rect r, struct panel_state *ps)
{
    (void)ps;
    ui_text(u, r.y, r.x, r.w, "no regimes yet", ui_attr(u, C_DIM));
    if (r.h > 1)
        ui_text(u, r.y + 1, r.x, r.w, "regime engine not built", ui_attr(u, C_DIM));
}

static int want_h(const struct ui *u) { (void)u; return TF_COUNT; }

const struct panel panel_regimes = { "regimes", "Regimes", SLOT_RIGHT, want_h, draw, NULL, NULL };
