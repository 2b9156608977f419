/* Regime panel: the shown symbol and its multi-timeframe confluence, then one
 * row per timeframe (regime as colour and short label, confidence, age in
 * candles, trend arrow, RSI). Reads only the snapshot; "warming up" until a
 * timeframe has enough candles. */
#include <curses.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../ui_internal.h"
#include "alphapulse/confluence.h"
#include "alphapulse/regime.h"

static int regime_color(const struct ui *u, int regime)
{
    switch (regime) {
    case REGIME_STRONG_TREND_BULL: return ui_attr(u, C_BULL) | A_BOLD;
    case REGIME_STRONG_TREND_BEAR: return ui_attr(u, C_BEAR) | A_BOLD;
    case REGIME_STRONG_TREND: return ui_attr(u, C_EMA) | A_BOLD;
    case REGIME_WEAK_TREND: return ui_attr(u, C_EMA);
    case REGIME_VOLATILE_BREAKOUT: return ui_attr(u, C_SEL) | A_BOLD;
    case REGIME_CHOPPY: return ui_attr(u, C_BAD);
    default: return ui_attr(u, C_DIM);
    }
}

static void draw(struct ui *u, struct rect r, struct panel_state *ps)
{
    (void)ps;
    const struct snapshot *s = u->snap;
    if (r.h < 1 || r.w < 12)
        return;
    char buf[128];
    int y = r.y;
    /* the symbol and its confluence */
    int lab = s->confluence_label;
    snprintf(buf, sizeof buf, "%-9.9s MTF %+.2f ", u->sym < s->n_symbols ? s->symbols[u->sym].name : "",
             (double)s->confluence);
    ui_text(u, y, r.x, r.w, buf, A_BOLD);
    int off = (int)strlen(buf);
    if (r.w > off)
        ui_text(u, y, r.x + off, r.w - off, confluence_label_name(lab),
                ui_attr(u, lab > 0 ? C_GOOD : lab < 0 ? C_BAD : C_DIM) |
                (lab == CONF_STRONG_BUY || lab == CONF_STRONG_SELL ? A_BOLD : 0));
    y++;
    for (int t = 0; t < TF_COUNT && y < r.y + r.h; t++, y++) {
        const struct snap_regime *g = &s->regime[t];
        snprintf(buf, sizeof buf, "%-3s", tf_name(t));
        ui_text(u, y, r.x, 3, buf, t == u->tf ? (int)A_UNDERLINE : 0);
        if (g->regime < 0) {
            ui_text(u, y, r.x + 4, r.w - 4, "warming up", ui_attr(u, C_DIM));
            continue;
        }
        ui_text(u, y, r.x + 4, r.w - 4, regime_short(g->regime), regime_color(u, g->regime));
        const char *arrow = g->trend > 0 ? (u->ascii ? "^" : "↑") : g->trend < 0 ? (u->ascii ? "v" : "↓")
                                                                                  : (u->ascii ? "-" : "→");
        char rsi[16] = "  -";
        if (!isnan(g->rsi))
            snprintf(rsi, sizeof rsi, "%3.0f", (double)g->rsi);
        snprintf(buf, sizeof buf, "%3.0f%% %4d %s RSI%s", 100.0 * g->confidence, g->age > 9999 ? 9999 : g->age,
                 arrow, rsi);
        if (r.w > 11)
            ui_text(u, y, r.x + 11, r.w - 11, buf, 0);
    }
}

static int want_h(const struct ui *u) { (void)u; return TF_COUNT + 1; }

const struct panel panel_regimes = { "regimes", "Regimes", SLOT_RIGHT, want_h, draw, NULL, NULL };
