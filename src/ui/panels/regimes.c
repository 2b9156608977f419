/* Regime panel: one row per timeframe of the shown symbol (regime as colour and
 * short label, confidence, age in candles, trend arrow, RSI) and the symbol's
 * multi-timeframe confluence. Reads only the snapshot. */
#include <curses.h>
#include <math.h>
#include <stdio.h>

#include "../ui_internal.h"
#include "alphapulse/confluence.h"
#include "alphapulse/regime.h"

static int regime_color(const struct ui *u, int regime)
{
    switch (regime) {
    case REGIME_STRONG_TREND_BULL: return ui_attr(u, C_BULL) | A_BOLD;
    case REGIME_STRONG_TREND_BEAR: return ui_attr(u, C_BEAR) | A_BOLD;
    case REGIME_WEAK_TREND: return ui_attr(u, C_EMA);
    case REGIME_VOLATILE_BREAKOUT: return ui_attr(u, C_SEL) | A_BOLD;
    case REGIME_CHOPPY: return ui_attr(u, C_BAD);
    case REGIME_RANGING: return ui_attr(u, C_DIM);
    default: return ui_attr(u, C_DIM);
    }
}

void regimes_draw(struct ui *u, struct rect r)
{
    const struct snapshot *s = u->snap;
    if (r.h < 2 || r.w < 12)
        return;
    char buf[128];
    int y = r.y;
    attron(A_BOLD);
    snprintf(buf, sizeof buf, "Regimes %s", u->sym < s->n_symbols ? s->symbols[u->sym].name : "");
    mvaddnstr(y++, r.x, buf, r.w);
    attroff(A_BOLD);
    for (int t = 0; t < TF_COUNT && y < r.y + r.h - 1; t++, y++) {
        const struct snap_regime *g = &s->regime[t];
        int sel = t == u->tf ? A_UNDERLINE : 0;
        snprintf(buf, sizeof buf, "%-3s", tf_name(t));
        attron(sel);
        mvaddnstr(y, r.x, buf, r.w);
        attroff(sel);
        if (g->regime < 0) {
            attron(ui_attr(u, C_DIM));
            mvaddnstr(y, r.x + 4, "warming up", r.w - 4);
            attroff(ui_attr(u, C_DIM));
            continue;
        }
        int a = regime_color(u, g->regime);
        attron(a);
        mvaddnstr(y, r.x + 4, regime_short(g->regime), r.w - 4);
        attroff(a);
        const char *arrow = g->trend > 0 ? (u->ascii ? "^" : "↑") : g->trend < 0 ? (u->ascii ? "v" : "↓")
                                                                                  : (u->ascii ? "-" : "→");
        char rsi[16] = "  -";
        if (!isnan(g->rsi))
            snprintf(rsi, sizeof rsi, "%3.0f", (double)g->rsi);
        snprintf(buf, sizeof buf, "%3.0f%% %4d %s RSI%s", 100.0 * g->confidence, g->age > 9999 ? 9999 : g->age, arrow, rsi);
        if (r.w > 11)
            mvaddnstr(y, r.x + 11, buf, r.w - 11);
    }
    if (y < r.y + r.h) {
        int lab = s->confluence_label;
        int a = ui_attr(u, lab > 0 ? C_GOOD : lab < 0 ? C_BAD : C_DIM) | (lab == CONF_STRONG_BUY || lab == CONF_STRONG_SELL ? A_BOLD : 0);
        snprintf(buf, sizeof buf, "MTF %+.2f ", (double)s->confluence);
        mvaddnstr(y, r.x, buf, r.w);
        attron(a);
        if (r.w > 10)
            mvaddnstr(y, r.x + 10, confluence_label_name(lab), r.w - 10);
        attroff(a);
    }
}
