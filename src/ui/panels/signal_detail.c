/* Signal detail: every voter's vote and reason (agreeing ones marked), the
 * levels, the indicator snapshot, the regime and the state. An overlay over the
 * screen; Enter or Esc closes it, t takes, d dismisses. */
#include <curses.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../ui_internal.h"
#include "alphapulse/patterns.h"
#include "alphapulse/regime.h"

static void line(int y, int x, int w, const char *text, int attr)
{
    attron(attr);
    mvaddnstr(y, x, text, w);
    attroff(attr);
}

void signal_detail_draw(struct ui *u)
{
    const struct snapshot *s = u->snap;
    const struct signal *g = signals_selected(u);
    int rows, cols;
    getmaxyx(stdscr, rows, cols);
    int w = cols - 2 < 76 ? cols - 2 : 76, h = rows - 2 < 22 ? rows - 2 : 22;
    int y0 = (rows - h) / 2, x0 = (cols - w) / 2;
    for (int y = 0; y < h; y++)
        mvhline(y0 + y, x0, ' ', w);
    mvhline(y0, x0, u->ascii ? '-' : ACS_HLINE, w);
    mvhline(y0 + h - 1, x0, u->ascii ? '-' : ACS_HLINE, w);
    char buf[256], a[24], b[24];
    if (!g) {
        line(y0 + 1, x0 + 2, w - 4, "No signal selected.", 0);
        return;
    }
    const char *sym = g->sym < s->n_symbols ? s->symbols[g->sym].name : "?";
    time_t t = (time_t)(g->time / 1000);
    struct tm tm;
    gmtime_r(&t, &tm);
    char when[32];
    strftime(when, sizeof when, "%Y-%m-%d %H:%M UTC", &tm);
    snprintf(buf, sizeof buf, " Signal #%llu %s %s %s  %s  %s ", (unsigned long long)g->id, g->side > 0 ? "LONG" : "SHORT",
             sym, tf_name(g->tf), when, signal_state_name(g->state));
    line(y0, x0 + 2, w - 4, buf, A_BOLD | ui_attr(u, g->side > 0 ? C_GOOD : C_BAD));
    int y = y0 + 1, x = x0 + 2, iw = w - 4;
    fmt_price(a, sizeof a, g->entry);
    fmt_price(b, sizeof b, g->stop);
    snprintf(buf, sizeof buf, "confidence %.1f%%   entry %s   stop %s (%s)   R:R to tp2 %.2f", 100.0 * g->confidence, a, b,
             g->stop_kind ? "swing" : "ATR", g->rr);
    line(y++, x, iw, buf, 0);
    int n = 0;
    for (int k = 0; k < 4; k++) {
        fmt_price(a, sizeof a, g->tp[k]);
        n += snprintf(buf + n, sizeof buf - (size_t)n, "tp%d %s   ", k + 1, a);
    }
    line(y++, x, iw, buf, 0);
    snprintf(buf, sizeof buf, "regime %s %.0f%%   higher timeframes %+.2f (%s)   pattern %s%s",
             g->regime >= 0 ? regime_name(g->regime) : "-", 100.0 * g->regime_conf, (double)g->htf_score,
             g->trend_alignment > 0 ? "agree" : g->trend_alignment < 0 ? "against" : "neutral",
             g->pattern >= 0 ? cdl_title(g->pattern) : "none", g->volume_confirmed ? ", volume confirmed" : "");
    line(y++, x, iw, buf, 0);
    snprintf(buf, sizeof buf, "RSI %.1f  MACD hist %.4g  ATR %.4g  ADX %.1f  BB width %.4f  vol ratio %.2f",
             g->ind.rsi, g->ind.macd_hist, g->ind.atr, g->ind.adx, g->ind.bb_width, g->ind.volume_ratio);
    line(y++, x, iw, buf, ui_attr(u, C_DIM));
    y++;
    line(y++, x, iw, "Votes", A_BOLD);
    for (int v = 0; v < VOTER_COUNT && y < y0 + h - 2; v++) {
        const struct vote *vo = &g->votes[v];
        bool agree = g->voters & (1u << v);
        snprintf(buf, sizeof buf, "%s %-10s %-5s %4.0f%%  %s", agree ? "*" : " ", voter_name(v),
                 vo->dir > 0 ? "long" : vo->dir < 0 ? "short" : "-", vo->dir ? 100.0 * vo->conf : 0.0, vo->reason);
        line(y++, x, iw, buf, agree ? (int)A_BOLD : vo->dir ? ui_attr(u, C_BAD) : ui_attr(u, C_DIM));
    }
    if (g->outcome != OUT_OPEN && y < y0 + h - 2) {
        snprintf(buf, sizeof buf, "outcome: %s", signal_outcome_name(g->outcome));
        line(y++, x, iw, buf, A_BOLD);
    }
    line(y0 + h - 1, x0 + 2, w - 4, " t take   d dismiss   Enter/Esc close   * agreed ", 0);
}
