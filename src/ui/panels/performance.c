/* Performance screen (P): the equity curve and its drawdown drawn in the
 * terminal, the account's metrics, and the same metrics per signal source and per
 * symbol, with the latest closed trades. Formulas: README.md, "Metrics". */
#include <curses.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../ui_internal.h"

static const char *const src_names[SRC_COUNT] = { "manual", "strategy", "signal", "webhook" };

static void curve(struct ui *u, int y0, int x0, int w, int h)
{
    const struct pf_view *v = &u->snap->paper;
    if (v->n_curve < 2 || w < 10 || h < 3) {
        mvaddnstr(y0, x0, "equity curve: not enough history yet (one point per minute of event time)", w);
        return;
    }
    int pw = w - 11;
    double lo = INFINITY, hi = -INFINITY;
    for (int i = 0; i < v->n_curve; i++) {
        lo = fmin(lo, v->curve_eq[i]);
        hi = fmax(hi, v->curve_eq[i]);
    }
    if (hi - lo < 1e-9)
        hi = lo + 1;
    const char *dot = u->ascii ? "*" : "•", *fill = u->ascii ? "." : "·";
    for (int x = 0; x < pw; x++) {
        int i = (int)((double)x * (v->n_curve - 1) / (pw > 1 ? pw - 1 : 1));
        int cy = (int)floor((v->curve_eq[i] - lo) / (hi - lo) * (h - 1) + 0.5);
        for (int y = 0; y < h; y++) {
            const char *ch = y == cy ? dot : y < cy ? fill : NULL;
            if (!ch)
                continue;
            attron(ui_attr(u, y == cy ? C_EMA : C_DIM));
            mvaddstr(y0 + h - 1 - y, x0 + 11 + x, ch);
            attroff(ui_attr(u, y == cy ? C_EMA : C_DIM));
        }
    }
    char lab[32];
    snprintf(lab, sizeof lab, "%10.2f", hi);
    mvaddnstr(y0, x0, lab, 10);
    snprintf(lab, sizeof lab, "%10.2f", lo);
    mvaddnstr(y0 + h - 1, x0, lab, 10);
}

/* Drawdown under the curve: one row, deeper = darker shade. */
static void drawdown(struct ui *u, int y, int x0, int w)
{
    const struct pf_view *v = &u->snap->paper;
    int pw = w - 11;
    mvaddnstr(y, x0, "  drawdown", 10);
    if (v->n_curve < 2 || pw < 1)
        return;
    static const char *const shade_u[] = { " ", "░", "▒", "▓", "█" }, *const shade_a[] = { " ", ".", ":", "#", "@" };
    double peak = v->curve_eq[0];
    int last = -1;
    for (int x = 0; x < pw; x++) {
        int i = (int)((double)x * (v->n_curve - 1) / (pw > 1 ? pw - 1 : 1));
        for (int k = last + 1; k <= i; k++)
            peak = fmax(peak, v->curve_eq[k]);
        last = i;
        double dd = peak > 0 ? 1 - v->curve_eq[i] / peak : 0;
        double lim = v->limits.max_drawdown > 0 ? v->limits.max_drawdown : 0.15;
        int lvl = dd <= 0 ? 0 : 1 + (int)fmin(3, dd / lim * 4);
        attron(ui_attr(u, C_BAD));
        mvaddstr(y, x0 + 11 + x, u->ascii ? shade_a[lvl] : shade_u[lvl]);
        attroff(ui_attr(u, C_BAD));
    }
}

static void mrow(int y, int x, int w, const char *name, const struct metrics *m)
{
    char buf[200], pf[16];
    if (isinf(m->profit_factor))
        snprintf(pf, sizeof pf, "inf");
    else
        snprintf(pf, sizeof pf, "%.2f", m->profit_factor);
    snprintf(buf, sizeof buf, "%-10s %6ld %6.1f%% %6s %11.2f %9.2f %9.2f %9.2f", name, m->trades, m->win_rate * 100,
             pf, m->net, m->avg_win, m->avg_loss, m->expectancy);
    mvaddnstr(y, x, buf, w);
}

void performance_draw(struct ui *u)
{
    const struct pf_view *v = &u->snap->paper;
    int rows, cols;
    getmaxyx(stdscr, rows, cols);
    int y = 1, x = 1, w = cols - 2;
    for (int i = 1; i < rows - 2; i++)
        mvhline(i, 0, ' ', cols);
    attron(A_BOLD);
    mvaddnstr(y++, x, "Performance  (P or Esc closes)", w);
    attroff(A_BOLD);
    int ch = rows >= 30 ? 8 : rows >= 24 ? 5 : 3;
    curve(u, y, x, w, ch);
    y += ch;
    drawdown(u, y++, x, w);
    char buf[256], dd[32];
    int64_t m = v->max_dd_ms / 60000;
    snprintf(dd, sizeof dd, m >= 1440 ? "%lldd %lldh" : "%lldh %lldm", (long long)(m >= 1440 ? m / 1440 : m / 60),
             (long long)(m >= 1440 ? m % 1440 / 60 : m % 60));
    snprintf(buf, sizeof buf, "equity %.2f  balance %.2f  realised %+.2f  unrealised %+.2f  fees %.2f %s",
             v->equity, v->balance, u->snap->realized, u->snap->unrealized, u->snap->fees, u->snap->account_ccy);
    mvaddnstr(y++, x, buf, w);
    char ratios[96];
    if (v->days >= 7)
        snprintf(ratios, sizeof ratios, "Sharpe %.2f  Sortino %.2f (%d days)", v->sharpe, v->sortino, v->days);
    else
        snprintf(ratios, sizeof ratios, "Sharpe/Sortino n/a (%d of 7 days)", v->days);
    snprintf(buf, sizeof buf, "%s  max drawdown %.2f%% (longest %s)  in a position %.1f%% of the time",
             ratios, v->max_dd * 100, dd, v->exposure_time * 100);
    mvaddnstr(y++, x, buf, w);
    if (y >= rows - 3)
        return;
    attron(A_BOLD);
    mvaddnstr(y++, x, "           trades   win%     PF         net   avg win  avg loss    expect", w);
    attroff(A_BOLD);
    mrow(y++, x, w, "all", &v->total);
    for (int i = 0; i < SRC_COUNT && y < rows - 3; i++)
        if (v->by_source[i].trades)
            mrow(y++, x, w, src_names[i], &v->by_source[i]);
    for (int s = 0; s < u->snap->n_symbols && y < rows - 3; s++)
        if (v->by_symbol[s].trades)
            mrow(y++, x, w, u->snap->symbols[s].name, &v->by_symbol[s]);
    if (y < rows - 4) {
        y++;
        attron(A_BOLD);
        mvaddnstr(y++, x, "Latest trades", w);
        attroff(A_BOLD);
    }
    for (int i = v->n_trades - 1; i >= 0 && y < rows - 2; i--, y++) {
        const struct trade *t = &v->trades[i];
        char a[32], b[32];
        char q[32];
        fmt_px(u, t->sym, a, sizeof a, t->entry);
        fmt_px(u, t->sym, b, sizeof b, t->exit);
        fmt_qty(u, t->sym, q, sizeof q, t->qty);
        snprintf(buf, sizeof buf, "%-8s %-5s %-10s %s -> %s  %+.2f (fees %.2f)  %s",
                 t->sym < u->snap->n_symbols ? u->snap->symbols[t->sym].name : "?", t->side > 0 ? "long" : "short",
                 q, a, b, t->pnl, t->fees, t->source >= 0 && t->source < SRC_COUNT ? src_names[t->source] : "");
        attron(ui_attr(u, t->pnl >= 0 ? C_GOOD : C_BAD));
        mvaddnstr(y, x, buf, w);
        attroff(ui_attr(u, t->pnl >= 0 ? C_GOOD : C_BAD));
    }
}
