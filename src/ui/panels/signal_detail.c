/* Signal detail screen (SCREEN_SIGNAL, opened by Enter on a row of the Signals
 * panel): every voter's vote and reason (agreeing ones marked), the levels with
 * a price ladder, the indicator snapshot, the regime and the state. Esc returns;
 * t takes, d dismisses. Reads only the snapshot; the signal is found by id, so
 * one that left the queue says so. */
#include <curses.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../ui_internal.h"
#include "alphapulse/patterns.h"
#include "alphapulse/regime.h"

/* A price ladder of the signal's levels and the symbol's last price: targets
 * above the entry for a long (below for a short), the stop on the other side. */
static void ladder(struct ui *u, const struct signal *g, double last, int y0, int x0, int h, int w)
{
    double p[7] = { g->stop, g->entry, g->tp[0], g->tp[1], g->tp[2], g->tp[3], last };
    const char *lab[7] = { "stop", "entry", "tp1", "tp2", "tp3", "tp4", "last" };
    int n = last > 0 ? 7 : 6;
    double lo = p[0], hi = p[0];
    for (int i = 1; i < n; i++) {
        lo = p[i] < lo ? p[i] : lo;
        hi = p[i] > hi ? p[i] : hi;
    }
    if (!(hi > lo) || h < 7)
        return;
    for (int y = 0; y < h; y++)
        ui_text(u, y0 + y, x0, 1, u->ascii ? "|" : "│", 0);
    int used[64] = { 0 };
    for (int i = 0; i < n; i++) {
        int row = (int)lround((hi - p[i]) / (hi - lo) * (h - 1));
        while (row < h - 1 && row < 64 && used[row])
            row++;                        /* levels closer than a row stack downwards */
        if (row >= 64)
            continue;
        used[row] = 1;
        char buf[48], px[24];
        fmt_px(u, g->sym, px, sizeof px, p[i]);
        snprintf(buf, sizeof buf, "%s%-5s %s", i == 6 ? (u->ascii ? ">" : "▶") : "-", lab[i], px);
        int a = i == 0 ? ui_attr(u, C_BAD) : i == 6 ? (int)A_BOLD : i == 1 ? ui_attr(u, C_SEL) : ui_attr(u, C_GOOD);
        ui_text(u, y0 + row, x0 + 1, w - 1, buf, a);
    }
}



void signal_detail_draw(struct ui *u, struct rect r)
{
    const struct snapshot *s = u->snap;
    const struct signal *g = signals_selected(u);
    int lw = r.w >= 108 ? 26 : 0;                   /* room for the price ladder */
    int w = r.w, h = r.h;
    int y0 = r.y, x0 = r.x;
    ui_frame(u, r, "Signal", true);
    char buf[256], a[24], b[24];
    if (!g) {
        snprintf(buf, sizeof buf, "Signal #%llu has left the queue (settled, dismissed or expired); "
                 "the journal and `alphapulse export signals` keep it. Esc returns.",
                 (unsigned long long)u->sig_detail);
        ui_text(u, y0 + 1, x0 + 2, w - 4, buf, 0);
        return;
    }
    const char *sym = g->sym < s->n_symbols ? s->symbols[g->sym].name : "?";
    time_t t = (time_t)(g->time / 1000);
    struct tm tm;
    gmtime_r(&t, &tm);
    char when[32];
    strftime(when, sizeof when, "%Y-%m-%d %H:%M UTC", &tm);
    snprintf(buf, sizeof buf, " Signal #%llu %s %s %s  %s  %s%s ", (unsigned long long)g->id,
             g->side > 0 ? "LONG" : "SHORT", sym, tf_name(g->tf), when, record_signal_state_name(g->state),
             g->source == SIGNAL_SOURCE_WEBHOOK ? "  (webhook alert)"
             : g->source == SIGNAL_SOURCE_COLLECTOR ? "  (a collector's)" : "");
    ui_text(u, y0, x0 + 2, w - 4, buf, A_BOLD | ui_attr(u, g->side > 0 ? C_GOOD : C_BAD));
    int y = y0 + 1, x = x0 + 2, iw = w - 4 - lw;
    if (lw)
        ladder(u, g, g->sym < s->n_symbols ? s->symbols[g->sym].last : 0, y0 + 1, x0 + w - lw - 1, h - 2, lw);
    fmt_px(u, g->sym, a, sizeof a, g->entry);
    fmt_px(u, g->sym, b, sizeof b, g->stop);
    snprintf(buf, sizeof buf, "P(1R before stop) %.2f from %d outcomes  entry %s  stop %s (%s)  R:R %.2f",
             g->confidence, (int)g->cal_n, a, b, g->stop_kind ? "swing" : "ATR", g->rr);
    ui_text(u, y++, x, iw, buf, 0);
    int n = 0;
    for (int k = 0; k < 4; k++) {
        fmt_px(u, g->sym, a, sizeof a, g->tp[k]);
        n += snprintf(buf + n, sizeof buf - (size_t)n, "tp%d %s   ", k + 1, a);
    }
    ui_text(u, y++, x, iw, buf, 0);
    snprintf(buf, sizeof buf, "regime %s %.0f%%   higher timeframes %+.2f (%s)   pattern %s%s",
             g->regime >= 0 ? regime_name(g->regime) : "-", 100.0 * g->regime_conf, (double)g->htf_score,
             g->trend_alignment > 0 ? "agree" : g->trend_alignment < 0 ? "against" : "neutral",
             g->pattern >= 0 ? cdl_title(g->pattern) : "none", g->volume_confirmed ? ", volume confirmed" : "");
    ui_text(u, y++, x, iw, buf, 0);
    snprintf(buf, sizeof buf, "RSI %.1f  MACD hist %.4g  ATR %.4g  ADX %.1f  BB width %.4f  vol ratio %.2f",
             g->ind.rsi, g->ind.macd_hist, g->ind.atr, g->ind.adx, g->ind.bb_width, g->ind.volume_ratio);
    ui_text(u, y++, x, iw, buf, ui_attr(u, C_DIM));
    y++;
    ui_text(u, y++, x, iw, "Votes", A_BOLD);
    for (int v = 0; v < VOTER_COUNT && y < y0 + h - 2; v++) {
        const struct vote *vo = &g->votes[v];
        bool agree = g->voters & (1u << v);
        snprintf(buf, sizeof buf, "%s %-10s %-5s %4.0f%%  %s", agree ? "*" : " ", voter_name(v),
                 vo->dir > 0 ? "long" : vo->dir < 0 ? "short" : "-", vo->dir ? 100.0 * vo->conf : 0.0, vo->reason);
        ui_text(u, y++, x, iw, buf, agree ? (int)A_BOLD : vo->dir ? ui_attr(u, C_BAD) : ui_attr(u, C_DIM));
    }
    if (g->outcome != OUTCOME_OPEN && y < y0 + h - 2) {
        snprintf(buf, sizeof buf, "outcome: %s", record_signal_outcome_name(g->outcome));
        ui_text(u, y++, x, iw, buf, A_BOLD);
    }
    ui_text(u, y0 + h - 1, x0 + 2, w - 4, " t take   d dismiss   Esc back   * agreed ", 0);
}
