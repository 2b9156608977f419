/* Moving around: timeframe, symbol, search, panel focus, chart pan and zoom,
 * the crosshair, paging a focused panel, and back. Each is one row of the
 * command table (keymap.c). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alphapulse/command.h"
#include "alphapulse/log.h"
#include "alphapulse/symbol_id.h"
#include "alphapulse/ui.h"
#include "commands.h"
#include "ui_internal.h"

int cmd_tf(struct ui *u, int argc, char **argv)
{
    if (ui_need_args(u, argc, 1, "tf"))
        return -1;
    int tf = tf_parse(argv[1]);
    if (tf < 0) {
        ui_message(u, true, "tf %s: unknown timeframe (1m 5m 15m 1h 4h 1d)", argv[1]);
        return -1;
    }
    u->tf = tf;
    u->pan = 0;
    return 0;
}

void ui_select_symbol(struct ui *u, int sym)
{
    if (sym >= 0 && sym < u->snap->n_symbols && sym != u->sym) {
        u->sym = sym;
        u->pan = 0;
        u->cursor = false;
    }
}

static int cmd_symbol_step(struct ui *u, int by)
{
    int n = u->snap->n_symbols;
    if (n > 0)
        ui_select_symbol(u, (u->sym + by + n) % n);
    return 0;
}
int cmd_symbol_next(struct ui *u, int argc, char **argv) { (void)argc; (void)argv; return cmd_symbol_step(u, 1); }
int cmd_symbol_prev(struct ui *u, int argc, char **argv) { (void)argc; (void)argv; return cmd_symbol_step(u, -1); }

int cmd_symbol(struct ui *u, int argc, char **argv)
{
    if (ui_need_args(u, argc, 1, "symbol"))
        return -1;
    char canon[SYMBOL_MAX], err[200];                /* binance:btcusdt is BTCUSDT */
    const char *want = symbol_id_canonical(argv[1], NULL, canon, err, sizeof err) == 0 ? canon : argv[1];
    for (int i = 0; i < u->snap->n_symbols; i++)
        if (strcmp(u->snap->symbols[i].name, want) == 0) {
            ui_select_symbol(u, i);
            return 0;
        }
    ui_message(u, true, "symbol %s: not in the watchlist (/ searches it)", argv[1]);
    return -1;
}

int cmd_search(struct ui *u, int argc, char **argv)
{
    (void)argc; (void)argv;
    u->mode = MODE_SEARCH;
    u->line[0] = 0;
    u->search_sel = 0;
    return 0;
}

int cmd_command(struct ui *u, int argc, char **argv)
{
    (void)argc; (void)argv;
    u->mode = MODE_COMMAND;
    u->line[0] = 0;
    u->hist_pos = u->hist_n;
    return 0;
}

void ui_focus_panel(struct ui *u, int panel)
{
    u->focus = panel;
    if (panel >= 0)
        u->side = panel;
}

static int cmd_focus_step(struct ui *u, int by)
{
    /* the cycle: chart, then the panels on screen (all of them in the compact
     * layout, where the side slot shows the focused one) */
    int order[LAYOUT_MAX + 1], n = 0;
    order[n++] = -1;
    if (u->lay.kind == LAYOUT_WIDE)
        for (int i = 0; i < u->lay.n; i++)
            order[n++] = u->lay.at[i].panel;
    else
        for (int i = 0; i < ui_panel_count; i++)
            order[n++] = i;
    int cur = 0;
    for (int i = 0; i < n; i++)
        if (order[i] == u->focus)
            cur = i;
    ui_focus_panel(u, order[(cur + by + n) % n]);
    return 0;
}
int cmd_focus_next(struct ui *u, int argc, char **argv) { (void)argc; (void)argv; return cmd_focus_step(u, 1); }
int cmd_focus_prev(struct ui *u, int argc, char **argv) { (void)argc; (void)argv; return cmd_focus_step(u, -1); }

int cmd_focus(struct ui *u, int argc, char **argv)
{
    if (ui_need_args(u, argc, 1, "focus"))
        return -1;
    if (strcmp(argv[1], "chart") == 0) {
        u->focus = -1;
        return 0;
    }
    for (int i = 0; i < ui_panel_count; i++)
        if (strcmp(argv[1], ui_panels[i]->name) == 0) {
            ui_focus_panel(u, i);
            return 0;
        }
    ui_message(u, true, "focus %s: no such panel", argv[1]);
    return -1;
}

static void panel_move(struct ui *u, int by)
{
    const struct panel *p = ui_panels[u->focus];
    int n = p->rows ? p->rows(u) : 0;
    struct panel_state *ps = &u->ps[u->focus];
    if (n <= 0) {
        ps->scroll -= by;            /* rowless lists (log, newest at the bottom): */
        if (ps->scroll < 0)          /* up shows older lines, down newer */
            ps->scroll = 0;
        return;
    }
    ps->sel += by;
    if (ps->sel < 0)
        ps->sel = 0;
    if (ps->sel > n - 1)
        ps->sel = n - 1;
}

/* Rows the focused panel shows at once, for PgUp/PgDn (its frame excluded). */
static int panel_page(const struct ui *u)
{
    for (int i = 0; i < u->lay.n; i++)
        if (u->lay.at[i].panel == u->focus)
            return u->lay.at[i].r.h - 3 > 1 ? u->lay.at[i].r.h - 3 : 1;
    return 5;
}

/* Home / End of the focused panel: the first / last row, or the oldest / newest line. */
static void panel_end(struct ui *u, bool newest)
{
    const struct panel *p = ui_panels[u->focus];
    int n = p->rows ? p->rows(u) : 0;
    struct panel_state *ps = &u->ps[u->focus];
    if (n <= 0)
        ps->scroll = newest ? 0 : SNAP_LOG;      /* the panel clamps to what it holds */
    else
        ps->sel = newest ? n - 1 : 0;
}

static void chart_pan(struct ui *u, int by)
{
    if (u->cursor) {
        chart_cursor_move(u, by);
        return;
    }
    int n = chart_series(u).n;                 /* the older candles loaded count too */
    u->pan -= by;
    if (u->pan < 0)
        u->pan = 0;
    if (u->pan > n - 1)
        u->pan = n > 0 ? n - 1 : 0;
}

static void chart_zoom(struct ui *u, int by)
{
    u->cw += by;
    if (u->cw < 1)
        u->cw = 1;
    if (u->cw > 7)
        u->cw = 7;
}

int cmd_left(struct ui *u, int argc, char **argv) { (void)argc; (void)argv; chart_pan(u, u->cursor ? -1 : -8); return 0; }
int cmd_right(struct ui *u, int argc, char **argv) { (void)argc; (void)argv; chart_pan(u, u->cursor ? 1 : 8); return 0; }

int cmd_up(struct ui *u, int argc, char **argv)
{
    (void)argc; (void)argv;
    if (u->focus >= 0)
        panel_move(u, -1);
    else
        chart_zoom(u, 1);
    return 0;
}

int cmd_down(struct ui *u, int argc, char **argv)
{
    (void)argc; (void)argv;
    if (u->focus >= 0)
        panel_move(u, 1);
    else
        chart_zoom(u, -1);
    return 0;
}

int cmd_zoom_in(struct ui *u, int argc, char **argv) { (void)argc; (void)argv; chart_zoom(u, 1); return 0; }
int cmd_zoom_out(struct ui *u, int argc, char **argv) { (void)argc; (void)argv; chart_zoom(u, -1); return 0; }

int cmd_page_up(struct ui *u, int argc, char **argv)
{
    (void)argc; (void)argv;
    if (u->focus >= 0)
        panel_move(u, -panel_page(u));
    return 0;
}

int cmd_page_down(struct ui *u, int argc, char **argv)
{
    (void)argc; (void)argv;
    if (u->focus >= 0)
        panel_move(u, panel_page(u));
    return 0;
}

int cmd_first(struct ui *u, int argc, char **argv)
{
    (void)argc; (void)argv;
    if (u->focus >= 0)
        panel_end(u, false);
    return 0;
}

int cmd_latest(struct ui *u, int argc, char **argv)
{
    (void)argc; (void)argv;
    if (u->focus >= 0) {
        panel_end(u, true);
        return 0;
    }
    u->pan = 0;
    if (u->cursor && u->snap->n_candles > 0)
        u->cursor_time = u->snap->candles[u->snap->n_candles - 1].open_time;
    return 0;
}

int cmd_cursor(struct ui *u, int argc, char **argv)
{
    (void)argc; (void)argv;
    const struct snapshot *s = u->snap;
    if (u->cursor) {
        u->cursor = false;
        return 0;
    }
    if (s->n_candles == 0) {
        ui_message(u, true, "no candles yet");
        return -1;
    }
    struct chart_series q = chart_series(u);  /* the newest candle in view, older ones loaded included */
    int last = q.n - 1 - u->pan;
    if (last < 0)
        last = 0;
    u->cursor = true;
    u->cursor_time = last < q.n_old ? q.old[last].open_time : s->candles[last - q.n_old].open_time;
    u->focus = -1;
    return 0;
}

int cmd_select(struct ui *u, int argc, char **argv)
{
    (void)argc; (void)argv;
    if (u->focus < 0) {
        ui_message(u, false, "Enter opens the selected row of a panel (Tab focuses one)");
        return 0;
    }
    const struct panel *p = ui_panels[u->focus];
    int n = p->rows ? p->rows(u) : 0;
    if (p->activate && n > 0)
        p->activate(u, u->ps[u->focus].sel);
    else
        ui_message(u, false, "%s: nothing to open", p->title);
    return 0;
}

int cmd_back(struct ui *u, int argc, char **argv)
{
    (void)argc; (void)argv;
    if (u->screen != SCREEN_MAIN)
        u->screen = SCREEN_MAIN;
    else if (u->cursor)
        u->cursor = false;
    else if (u->focus >= 0)
        u->focus = -1;
    return 0;
}
