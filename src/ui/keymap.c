/* Every action is a command (tmux style): one row of ui_cmds[] with its name,
 * usage, help text and handler. Keys are bound to command lines ("tf 1h"), so the
 * `?` help, the `:` command line, its Tab completion and remapping
 * (keymap_bind, ui.keys in the config file) all read the same two tables and
 * cannot drift apart. What the UI may not do itself (the live feed, the
 * configuration file, the database) it asks of the app through ui_options. */
#include <ctype.h>
#include <curses.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alphapulse/command.h"
#include "alphapulse/log.h"
#include "alphapulse/suggest.h"
#include "alphapulse/symbol_id.h"
#include "alphapulse/ui.h"
#include "ui_internal.h"

#define MAX_ARGS 8

void ui_message(struct ui *u, bool error, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(u->msg, sizeof u->msg, fmt, ap);
    va_end(ap);
    u->msg_error = error;
}

/* ---- handlers ---------------------------------------------------------- */

static int need_args(struct ui *u, int argc, int want, const char *name)
{
    if (argc - 1 == want)
        return 0;
    for (int i = 0; i < ui_cmd_count; i++)
        if (strcmp(ui_cmds[i].name, name) == 0)
            ui_message(u, true, "usage: :%s %s", name, ui_cmds[i].usage);
    return -1;
}

static int cmd_tf(struct ui *u, int argc, char **argv)
{
    if (need_args(u, argc, 1, "tf"))
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
static int cmd_symbol_next(struct ui *u, int argc, char **argv) { (void)argc; (void)argv; return cmd_symbol_step(u, 1); }
static int cmd_symbol_prev(struct ui *u, int argc, char **argv) { (void)argc; (void)argv; return cmd_symbol_step(u, -1); }

static int cmd_symbol(struct ui *u, int argc, char **argv)
{
    if (need_args(u, argc, 1, "symbol"))
        return -1;
    for (int i = 0; i < u->snap->n_symbols; i++)
        if (strcasecmp(u->snap->symbols[i].name, argv[1]) == 0) {
            ui_select_symbol(u, i);
            return 0;
        }
    ui_message(u, true, "symbol %s: not in the watchlist (/ searches it)", argv[1]);
    return -1;
}

static int cmd_search(struct ui *u, int argc, char **argv)
{
    (void)argc; (void)argv;
    u->mode = MODE_SEARCH;
    u->line[0] = 0;
    u->search_sel = 0;
    return 0;
}

static int cmd_command(struct ui *u, int argc, char **argv)
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
static int cmd_focus_next(struct ui *u, int argc, char **argv) { (void)argc; (void)argv; return cmd_focus_step(u, 1); }
static int cmd_focus_prev(struct ui *u, int argc, char **argv) { (void)argc; (void)argv; return cmd_focus_step(u, -1); }

static int cmd_focus(struct ui *u, int argc, char **argv)
{
    if (need_args(u, argc, 1, "focus"))
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
    u->pan -= by;
    if (u->pan < 0)
        u->pan = 0;
    if (u->pan > u->snap->n_candles - 1)
        u->pan = u->snap->n_candles > 0 ? u->snap->n_candles - 1 : 0;
}

static void chart_zoom(struct ui *u, int by)
{
    u->cw += by;
    if (u->cw < 1)
        u->cw = 1;
    if (u->cw > 7)
        u->cw = 7;
}

static int cmd_left(struct ui *u, int argc, char **argv) { (void)argc; (void)argv; chart_pan(u, u->cursor ? -1 : -8); return 0; }
static int cmd_right(struct ui *u, int argc, char **argv) { (void)argc; (void)argv; chart_pan(u, u->cursor ? 1 : 8); return 0; }

static int cmd_up(struct ui *u, int argc, char **argv)
{
    (void)argc; (void)argv;
    if (u->focus >= 0)
        panel_move(u, -1);
    else
        chart_zoom(u, 1);
    return 0;
}

static int cmd_down(struct ui *u, int argc, char **argv)
{
    (void)argc; (void)argv;
    if (u->focus >= 0)
        panel_move(u, 1);
    else
        chart_zoom(u, -1);
    return 0;
}

static int cmd_zoom_in(struct ui *u, int argc, char **argv) { (void)argc; (void)argv; chart_zoom(u, 1); return 0; }
static int cmd_zoom_out(struct ui *u, int argc, char **argv) { (void)argc; (void)argv; chart_zoom(u, -1); return 0; }

static int cmd_page_up(struct ui *u, int argc, char **argv)
{
    (void)argc; (void)argv;
    if (u->focus >= 0)
        panel_move(u, -panel_page(u));
    return 0;
}

static int cmd_page_down(struct ui *u, int argc, char **argv)
{
    (void)argc; (void)argv;
    if (u->focus >= 0)
        panel_move(u, panel_page(u));
    return 0;
}

static int cmd_first(struct ui *u, int argc, char **argv)
{
    (void)argc; (void)argv;
    if (u->focus >= 0)
        panel_end(u, false);
    return 0;
}

static int cmd_latest(struct ui *u, int argc, char **argv)
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

static int cmd_cursor(struct ui *u, int argc, char **argv)
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
    int last = s->n_candles - 1 - u->pan;
    if (last < 0)
        last = 0;
    u->cursor = true;
    u->cursor_time = s->candles[last].open_time;
    u->focus = -1;
    return 0;
}

static int cmd_select(struct ui *u, int argc, char **argv)
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

static int cmd_back(struct ui *u, int argc, char **argv)
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

/* Trading: the order ticket and the positions & orders panel (paper_ui.h). */
#define PAPER_CMD(name, act) \
    static int name(struct ui *u, int argc, char **argv) { (void)argc; (void)argv; act(u, 0); return 0; }
PAPER_CMD(cmd_buy, paper_act_buy)
PAPER_CMD(cmd_sell, paper_act_sell)
PAPER_CMD(cmd_close, paper_act_close)
PAPER_CMD(cmd_cancel, paper_act_cancel)
PAPER_CMD(cmd_edit, paper_act_edit)
PAPER_CMD(cmd_perf, paper_act_perf)
PAPER_CMD(cmd_kill, paper_act_kill)

/* o: the positions & orders panel takes the keys (x, c, e on its row) and is shown */
static int cmd_orders(struct ui *u, int argc, char **argv)
{
    (void)argc; (void)argv;
    paper_act_orders(u, 0);
    return u->paper.orders_focus ? keymap_run(u, "focus orders") : 0;
}

/* :unlock asks for the typed confirmation the engine checks itself. */
static int cmd_unlock(struct ui *u, int argc, char **argv)
{
    (void)argc; (void)argv;
    if (u->snap->paper.risk.lock == RISK_UNLOCKED) {
        ui_message(u, false, "not locked");
        return 0;
    }
    u->paper.modal = PM_UNLOCK;
    u->paper.line[0] = 0;
    return 0;
}

/* Taking opens the order ticket prefilled from the signal; the signal becomes
 * taken (journalled, stored) only when that ticket is confirmed, so Esc leaves
 * it in the queue as it was. Dismissing is immediate. Both act on the signal of
 * the detail screen, else the selected row of the Signals panel, and return to
 * the main screen. */
static int signal_command(struct ui *u, int type)
{
    const struct signal *g = signals_selected(u);
    if (!g) {
        if (u->screen == SCREEN_SIGNAL)
            ui_message(u, true, "signal #%llu is no longer in the queue", (unsigned long long)u->sig_detail);
        else
            ui_message(u, true, "no signal to %s: the queue is empty", type == CMD_SIGNAL_TAKE ? "take" : "dismiss");
        return -1;
    }
    if (g->state != SIGNAL_NEW) {
        ui_message(u, true, "signal #%llu is already %s", (unsigned long long)g->id, record_signal_state_name(g->state));
        return -1;
    }
    if (type == CMD_SIGNAL_TAKE) {
        if (u->screen == SCREEN_SIGNAL)
            u->screen = SCREEN_MAIN;
        ticket_open_signal(u, g->id, g->sym, g->side, g->stop, g->tp[0], g->tp[1]);
        return 0;
    }
    struct command c = { .type = type, .signal_id = g->id };
    if (!u->et || !engine_thread_command(u->et, &c)) {
        ui_message(u, true, "engine busy: command not queued, try again");
        return -1;
    }
    if (u->screen == SCREEN_SIGNAL)
        u->screen = SCREEN_MAIN;
    return 0;
}
static int cmd_signal_take(struct ui *u, int argc, char **argv) { (void)argc; (void)argv; return signal_command(u, CMD_SIGNAL_TAKE); }
static int cmd_signal_dismiss(struct ui *u, int argc, char **argv) { (void)argc; (void)argv; return signal_command(u, CMD_SIGNAL_DISMISS); }

/* ---- replay time control (the app answers; live data has none) ---------- */

static int replay_op(struct ui *u, int op, double v, struct ui_replay_state *st)
{
    if (!u->opts || !u->opts->replay) {
        ui_message(u, true, "time control works on a replay (the demo); live data runs in real time");
        return -1;
    }
    char msg[160] = "";
    if (u->opts->replay(u->opts->ctx, op, v, st, msg, sizeof msg)) {
        ui_message(u, true, "%s", msg);
        return -1;
    }
    return 0;
}

static void speed_text(double speed, char *out, size_t n)
{
    if (speed > 0)
        snprintf(out, n, "%gx", speed);
    else
        snprintf(out, n, "max speed");
}

static int cmd_pause(struct ui *u, int argc, char **argv)
{
    (void)argc; (void)argv;
    struct ui_replay_state st;
    if (replay_op(u, UI_REPLAY_GET, 0, &st) || replay_op(u, UI_REPLAY_PAUSE, st.paused ? 0 : 1, &st))
        return -1;
    if (u->replay_hold)
        u->replay_hold = 2;                   /* the user has taken the controls */
    char sp[32];
    speed_text(st.speed, sp, sizeof sp);
    if (st.paused)
        ui_message(u, false, "replay paused: . steps one 1m candle, Space resumes");
    else
        ui_message(u, false, "replay running at %s", sp);
    return 0;
}

static int speed_changed(struct ui *u, const struct ui_replay_state *st)
{
    char sp[32];
    speed_text(st->speed, sp, sizeof sp);
    ui_message(u, false, "replay speed %s%s", sp, st->paused ? " (paused: Space resumes)" : "");
    return 0;
}

static int cmd_faster(struct ui *u, int argc, char **argv)
{
    (void)argc; (void)argv;
    struct ui_replay_state st;
    return replay_op(u, UI_REPLAY_FASTER, 0, &st) ? -1 : speed_changed(u, &st);
}

static int cmd_slower(struct ui *u, int argc, char **argv)
{
    (void)argc; (void)argv;
    struct ui_replay_state st;
    return replay_op(u, UI_REPLAY_SLOWER, 0, &st) ? -1 : speed_changed(u, &st);
}

static int cmd_speed(struct ui *u, int argc, char **argv)
{
    if (need_args(u, argc, 1, "speed"))
        return -1;
    double v;
    char *end;
    if (!strcmp(argv[1], "max")) {
        v = 0;
    } else {
        v = strtod(argv[1], &end);
        if (*end == 'x' || *end == 'X')
            end++;
        if (*end || end == argv[1] || !(v >= 0) || v > 1e6) {
            ui_message(u, true, "speed %s: expected N x real time (1, 10, 60, 300, 600 ...; max or 0 = flat out)",
                       argv[1]);
            return -1;
        }
    }
    struct ui_replay_state st;
    return replay_op(u, UI_REPLAY_SPEED, v, &st) ? -1 : speed_changed(u, &st);
}

static int cmd_step(struct ui *u, int argc, char **argv)
{
    (void)argc; (void)argv;
    struct ui_replay_state st;
    if (replay_op(u, UI_REPLAY_GET, 0, &st))
        return -1;
    if (!st.paused) {
        ui_message(u, true, "step works while paused (Space pauses)");
        return -1;
    }
    if (replay_op(u, UI_REPLAY_STEP, 1, &st))
        return -1;
    ui_message(u, false, "stepped one 1m candle (paused)");
    return 0;
}

static int cmd_help(struct ui *u, int argc, char **argv)
{
    (void)argc; (void)argv;
    u->screen = u->screen == SCREEN_HELP ? SCREEN_MAIN : SCREEN_HELP;
    u->help_scroll = 0;
    return 0;
}

/* S: the settings screen, its text asked of the app each time it opens */
static int cmd_settings(struct ui *u, int argc, char **argv)
{
    (void)argc; (void)argv;
    if (u->screen == SCREEN_SETTINGS) {
        u->screen = SCREEN_MAIN;
        return 0;
    }
    free(u->settings);
    u->settings = u->opts && u->opts->settings ? u->opts->settings(u->opts->ctx) : NULL;
    u->settings_scroll = 0;
    u->screen = SCREEN_SETTINGS;
    return 0;
}

/* i: the indicator pane switches between RSI(14) and MACD(12, 26, 9) */
static int cmd_indicator(struct ui *u, int argc, char **argv)
{
    (void)argc; (void)argv;
    u->set.macd = !u->set.macd;
    u->set.rsi = true;
    ui_message(u, false, "indicator pane: %s", u->set.macd ? "MACD 12/26/9 (histogram bars, MACD dots)" : "RSI 14");
    return 0;
}

static int toggle_screen(struct ui *u, int screen)
{
    u->screen = u->screen == screen ? SCREEN_MAIN : screen;
    return 0;
}
static int cmd_health(struct ui *u, int argc, char **argv) { (void)argc; (void)argv; return toggle_screen(u, SCREEN_HEALTH); }
static int cmd_alerts(struct ui *u, int argc, char **argv) { (void)argc; (void)argv; return toggle_screen(u, SCREEN_ALERTS); }

static int cmd_quit(struct ui *u, int argc, char **argv) { (void)argc; (void)argv; u->quit = true; return 0; }

static int cmd_theme(struct ui *u, int argc, char **argv)
{
    if (need_args(u, argc, 1, "theme"))
        return -1;
    if (ui_set_theme(u, argv[1]))
        return -1;
    ui_message(u, false, "theme %s", u->theme.name);
    return 0;
}

static int cmd_theme_next(struct ui *u, int argc, char **argv)
{
    (void)argc; (void)argv;
    char names[THEME_MAX_LIST][64];
    int n = theme_list(names, THEME_MAX_LIST);
    if (n == 0) {
        ui_message(u, true, "no theme files found (themes/, $XDG_CONFIG_HOME/alphapulse/themes)");
        return -1;
    }
    int next = 0;
    for (int i = 0; i < n; i++)
        if (strcmp(names[i], u->theme.name) == 0)
            next = (i + 1) % n;
    char *av[] = { "theme", names[next] };
    return cmd_theme(u, 2, av);
}

/* UI settings `:set` may change; the config issue will load the same keys. */
static const char *const settings[] = { "volume", "ema", "rsi", "bb", "patterns", "hollow", "mouse", "ascii", "fps" };

static bool *setting_flag(struct ui *u, const char *k)
{
    if (!strcmp(k, "volume")) return &u->set.volume;
    if (!strcmp(k, "ema")) return &u->set.ema;
    if (!strcmp(k, "rsi")) return &u->set.rsi;
    if (!strcmp(k, "bb")) return &u->set.bb;
    if (!strcmp(k, "patterns")) return &u->set.patterns;
    if (!strcmp(k, "hollow")) return &u->set.hollow;
    if (!strcmp(k, "mouse")) return &u->set.mouse;
    if (!strcmp(k, "ascii")) return &u->ascii;
    return NULL;
}

static int cmd_set(struct ui *u, int argc, char **argv)
{
    if (argc == 1) {
        ui_message(u, false, "volume=%s ema=%s rsi=%s hollow=%s mouse=%s ascii=%s fps=%d",
                   u->set.volume ? "on" : "off", u->set.ema ? "on" : "off", u->set.rsi ? "on" : "off",
                   u->set.hollow ? "on" : "off", u->set.mouse ? "on" : "off", u->ascii ? "on" : "off", u->set.fps);
        return 0;
    }
    if (need_args(u, argc, 2, "set"))
        return -1;
    const char *k = argv[1], *v = argv[2];
    if (strcmp(k, "fps") == 0) {
        char *end;
        long f = strtol(v, &end, 10);
        if (*end || f < 1 || f > 30) {
            ui_message(u, true, "set fps %s: expected 1 to 30", v);
            return -1;
        }
        u->set.fps = (int)f;
        ui_message(u, false, "fps=%d", u->set.fps);
        return 0;
    }
    bool *flag = setting_flag(u, k);
    if (!flag) {
        ui_message(u, true, "set %s: unknown setting (volume ema rsi bb patterns hollow mouse ascii fps)", k);
        return -1;
    }
    bool on;
    if (!strcmp(v, "on") || !strcmp(v, "true") || !strcmp(v, "1") || !strcmp(v, "yes"))
        on = true;
    else if (!strcmp(v, "off") || !strcmp(v, "false") || !strcmp(v, "0") || !strcmp(v, "no"))
        on = false;
    else if (!strcmp(v, "toggle"))
        on = !*flag;
    else {
        ui_message(u, true, "set %s %s: expected on, off or toggle", k, v);
        return -1;
    }
    if (flag == &u->ascii && !on && !u->utf8) {
        ui_message(u, true, "set ascii off: the terminal's locale is not UTF-8");
        return -1;
    }
    *flag = on;
    if (flag == &u->set.mouse)
        mousemask(on ? (BUTTON1_CLICKED | BUTTON1_PRESSED | BUTTON4_PRESSED | BUTTON5_PRESSED) : 0, NULL);
    ui_message(u, false, "%s=%s", k, on ? "on" : "off");
    return 0;
}

static int cmd_bind(struct ui *u, int argc, char **argv)
{
    if (argc < 3) {
        ui_message(u, true, "usage: :bind KEY COMMAND [ARGS]");
        return -1;
    }
    char line[UI_LINE] = "";
    for (int i = 2; i < argc; i++)
        snprintf(line + strlen(line), sizeof line - strlen(line), "%s%s", i > 2 ? " " : "", argv[i]);
    int rc = keymap_bind(&u->keys, argv[1], line);
    if (rc == -1)
        ui_message(u, true, "bind %s: unknown key name (a, A, C-a, Tab, S-Tab, Enter, Esc, Space, "
                            "Left, Right, Up, Down, Home, End, PgUp, PgDn, F1-F12)", argv[1]);
    else if (rc == -2)
        ui_message(u, true, "bind: unknown command \"%s\"", argv[2]);
    else if (rc)
        ui_message(u, true, "bind: too many bindings");
    else
        ui_message(u, false, "%s -> %s", argv[1], line);
    return rc ? -1 : 0;
}

static int cmd_reload(struct ui *u, int argc, char **argv)
{
    (void)argc; (void)argv;
    char msg[200];
    if (!u->opts || !u->opts->reload) {
        ui_message(u, true, ":reload is not possible here");
        return -1;
    }
    int rc = u->opts->reload(u->opts->ctx, msg, sizeof msg);
    ui_message(u, rc != 0, "%s", msg);
    return rc;
}

/* :add / :del go to the app's live feeds (SUBSCRIBE / UNSUBSCRIBE), in the
 * canonical spelling (BTCUSDT, bybit:BTCUSDT). */
static int symbols_cmd(struct ui *u, int argc, char **argv, bool add)
{
    if (need_args(u, argc, 1, add ? "add" : "del"))
        return -1;
    if (!u->opts || !u->opts->symbols) {
        ui_message(u, true, ":%s works with live data", argv[0]);
        return -1;
    }
    char sym[SYMBOL_MAX], err[200];
    if (symbol_id_canonical(argv[1], NULL, sym, err, sizeof err)) {   /* the app checks the venue */
        ui_message(u, true, ":%s %s", argv[0], err);
        return -1;
    }
    if (u->opts->symbols(u->opts->ctx, add, sym, err, sizeof err)) {
        ui_message(u, true, ":%s %s: %s", argv[0], sym, err);
        return -1;
    }
    ui_message(u, false, "%s %s", add ? "subscribing" : "unsubscribed", sym);
    return 0;
}
static int cmd_add(struct ui *u, int argc, char **argv) { return symbols_cmd(u, argc, argv, true); }
static int cmd_del(struct ui *u, int argc, char **argv) { return symbols_cmd(u, argc, argv, false); }

/* :export: the app parses the words and writes the file on a worker thread (the
 * UI never opens the database); this line says what started, the result comes
 * back through opts->poll_message. */
static int cmd_export(struct ui *u, int argc, char **argv)
{
    if (argc < 3 || argc > 5) {
        need_args(u, argc, 2, "export");
        return -1;
    }
    if (!u->opts || !u->opts->export) {
        ui_message(u, true, "export: no database in this mode");
        return -1;
    }
    const char *shown = u->sym < u->snap->n_symbols ? u->snap->symbols[u->sym].name : NULL;
    char msg[sizeof u->msg];
    int rc = u->opts->export(u->opts->ctx, argc - 1, argv + 1, shown, u->tf, msg, sizeof msg);
    ui_message(u, rc != 0, "%s", msg);
    return rc;
}

const struct ui_cmd ui_cmds[] = {
    { "tf", "TF", "timeframe 1m 5m 15m 1h 4h 1d", cmd_tf, CPL_TF },
    { "symbol-next", "", "next symbol", cmd_symbol_next, 0 },
    { "symbol-prev", "", "previous symbol", cmd_symbol_prev, 0 },
    { "search", "", "search symbols (type to filter, Enter shows)", cmd_search, 0 },
    { "symbol", "SYM", "show this symbol", cmd_symbol, CPL_SYMBOL },
    { "focus-next", "", "focus the next panel", cmd_focus_next, 0 },
    { "focus-prev", "", "focus the previous panel", cmd_focus_prev, 0 },
    { "focus", "PANEL", "focus a panel by name (chart, watchlist, ...)", cmd_focus, 0 },
    { "left", "", "pan back in time (crosshair: previous candle)", cmd_left, 0 },
    { "right", "", "pan forward in time (crosshair: next candle)", cmd_right, 0 },
    { "up", "", "zoom in; in a panel: previous row", cmd_up, 0 },
    { "down", "", "zoom out; in a panel: next row", cmd_down, 0 },
    { "zoom-in", "", "zoom in (wider candles)", cmd_zoom_in, 0 },
    { "zoom-out", "", "zoom out (more candles)", cmd_zoom_out, 0 },
    { "latest", "", "back to the latest candle; in a focused panel its last row (Log: the newest line)", cmd_latest, 0 },
    { "first", "", "in a focused panel its first row (Log: the oldest line kept)", cmd_first, 0 },
    { "page-up", "", "in a focused panel a page up (Log: older lines)", cmd_page_up, 0 },
    { "page-down", "", "in a focused panel a page down (Log: newer lines)", cmd_page_down, 0 },
    { "cursor", "", "crosshair on/off: OHLCV, EMA, RSI of a candle", cmd_cursor, 0 },
    { "select", "", "open the selected row (watchlist: show it)", cmd_select, 0 },
    { "back", "", "close crosshair, screen or panel focus", cmd_back, 0 },
    { "buy", "", "order ticket: BUY (Enter confirms, Esc aborts)", cmd_buy, 0 },
    { "sell", "", "order ticket: SELL (Enter confirms, Esc aborts)", cmd_sell, 0 },
    { "close", "", "close this symbol's position at market", cmd_close, 0 },
    { "cancel", "", "cancel this symbol's working orders", cmd_cancel, 0 },
    { "edit", "", "edit the position's stop and targets", cmd_edit, 0 },
    { "orders", "", "select in positions & orders (x close, c cancel, e edit exits / amend an order)", cmd_orders, 0 },
    { "amend", "ID price|qty VALUE", "amend order ID's price (stop: trigger) or qty; SYMBOL stop|tp1..4: a leg",
      amend_command, 0 },
    { "performance", "", "performance: equity curve, drawdown, metrics", cmd_perf, 0 },
    { "kill", "", "KILL SWITCH: cancel all, close all, lock (asks y)", cmd_kill, 0 },
    { "unlock", "", "lift a drawdown or kill lock (asks for UNLOCK)", cmd_unlock, 0 },
    { "signal-take", "", "take the selected signal (Signals panel or detail; Enter opens it)", cmd_signal_take, 0 },
    { "signal-dismiss", "", "dismiss the selected signal", cmd_signal_dismiss, 0 },
    { "pause", "", "replay: pause / resume (the demo)", cmd_pause, 0 },
    { "faster", "", "replay faster: 1x 10x 60x 300x 600x max", cmd_faster, 0 },
    { "slower", "", "replay slower: max 600x 300x 60x 10x 1x", cmd_slower, 0 },
    { "step", "", "replay, while paused: one 1m candle", cmd_step, 0 },
    { "speed", "N|max", "replay at N x real time (max: as fast as possible)", cmd_speed, 0 },
    { "theme-next", "", "next theme", cmd_theme_next, 0 },
    { "theme", "NAME|PATH", "switch theme", cmd_theme, CPL_THEME },
    { "set", "KEY VALUE", "UI setting: volume ema rsi hollow mouse ascii (on|off) fps N", cmd_set, CPL_SETTING },
    { "bind", "KEY COMMAND", "bind a key to a command line", cmd_bind, 0 },
    { "command", "", "the command line", cmd_command, 0 },
    { "indicator", "", "indicator pane: RSI or MACD", cmd_indicator, 0 },
    { "settings", "", "settings: the effective configuration and where each value came from", cmd_settings, 0 },
    { "health", "", "data health: every stream's state, gaps, rejects, quality", cmd_health, 0 },
    { "alerts", "", "alerts log: each alert, its channels, delivery; webhook counters", cmd_alerts, 0 },
    { "help", "", "show / hide this help", cmd_help, 0 },
    { "quit", "", "quit", cmd_quit, 0 },
    { "add", "SYM", "add a symbol to the live feed", cmd_add, 0 },
    { "del", "SYM", "remove a symbol from the live feed", cmd_del, CPL_SYMBOL },
    { "reload", "", "re-read the configuration file (an invalid one changes nothing)", cmd_reload, 0 },
    { "export", "WHAT FILE [SYM] [TF]", "candles|signals|trades|equity|journal to CSV (.json: JSON); SYM, TF: shown, or all",
      cmd_export, 0 },
};
const int ui_cmd_count = sizeof ui_cmds / sizeof ui_cmds[0];

/* ---- key names and bindings ---------------------------------------------- */

static const struct { const char *name; int key; } key_names[] = {
    { "Tab", '\t' }, { "S-Tab", KEY_BTAB }, { "Enter", '\r' }, { "Esc", 27 }, { "Space", ' ' },
    { "Left", KEY_LEFT }, { "Right", KEY_RIGHT }, { "Up", KEY_UP }, { "Down", KEY_DOWN },
    { "Home", KEY_HOME }, { "End", KEY_END }, { "PgUp", KEY_PPAGE }, { "PgDn", KEY_NPAGE },
    { "Backspace", KEY_BACKSPACE }, { "Delete", KEY_DC }, { "Insert", KEY_IC },
};

int keymap_key_parse(const char *s)
{
    if (!s || !*s)
        return -1;
    if (!s[1] && (unsigned char)s[0] > ' ' && (unsigned char)s[0] < 127)
        return (unsigned char)s[0];
    for (size_t i = 0; i < sizeof key_names / sizeof key_names[0]; i++)
        if (strcasecmp(s, key_names[i].name) == 0)
            return key_names[i].key;
    if ((s[0] == 'C' || s[0] == 'c') && s[1] == '-' && isalpha((unsigned char)s[2]) && !s[3])
        return tolower((unsigned char)s[2]) - 'a' + 1;
    if ((s[0] == 'F' || s[0] == 'f') && isdigit((unsigned char)s[1])) {
        char *end;
        long n = strtol(s + 1, &end, 10);
        if (!*end && n >= 1 && n <= 12)
            return KEY_F((int)n);
    }
    return -1;
}

void keymap_key_name(int key, char *out, size_t n)
{
    for (size_t i = 0; i < sizeof key_names / sizeof key_names[0]; i++)
        if (key_names[i].key == key) {
            snprintf(out, n, "%s", key_names[i].name);
            return;
        }
    if (key == '\n' || key == KEY_ENTER)
        snprintf(out, n, "Enter");
    else if (key > ' ' && key < 127)
        snprintf(out, n, "%c", key);
    else if (key >= 1 && key <= 26)
        snprintf(out, n, "C-%c", 'a' + key - 1);
    else if (key >= KEY_F(1) && key <= KEY_F(12))
        snprintf(out, n, "F%d", key - KEY_F0);
    else
        snprintf(out, n, "key%d", key);
}

static const struct { const char *key, *line; } default_bindings[] = {
    { "1", "tf 1m" }, { "2", "tf 5m" }, { "3", "tf 15m" }, { "4", "tf 1h" }, { "5", "tf 4h" }, { "6", "tf 1d" },
    { "]", "symbol-next" }, { "[", "symbol-prev" }, { "/", "search" },
    { "Tab", "focus-next" }, { "S-Tab", "focus-prev" },
    { "h", "left" }, { "Left", "left" }, { "l", "right" }, { "Right", "right" },
    { "k", "up" }, { "Up", "up" }, { "j", "down" }, { "Down", "down" },
    { "+", "zoom-in" }, { "=", "zoom-in" }, { "-", "zoom-out" },
    { "0", "latest" }, { "End", "latest" }, { "Home", "first" }, { "PgUp", "page-up" }, { "PgDn", "page-down" },
    { "c", "cursor" },
    { "Enter", "select" }, { "Esc", "back" },
    { "b", "buy" }, { "s", "sell" }, { "x", "close" }, { "C", "cancel" }, { "e", "edit" }, { "o", "orders" },
    { "P", "performance" }, { "X", "kill" },
    { "t", "signal-take" }, { "d", "signal-dismiss" },
    { "T", "theme-next" }, { ":", "command" }, { "?", "help" }, { "q", "quit" },
    { "H", "health" }, { "A", "alerts" }, { "i", "indicator" }, { "S", "settings" },
    { "Space", "pause" }, { ">", "faster" }, { "<", "slower" }, { ".", "step" },
};

static void bind_raw(struct keymap *k, int key, const char *line)
{
    for (int i = 0; i < k->n; i++)
        if (k->b[i].key == key) {
            if (!*line) {                     /* unbind */
                memmove(&k->b[i], &k->b[i + 1], sizeof k->b[0] * (size_t)(k->n - i - 1));
                k->n--;
            } else {
                snprintf(k->b[i].line, KEYMAP_LINE, "%s", line);
            }
            return;
        }
    if (*line && k->n < KEYMAP_MAX) {
        k->b[k->n].key = key;
        snprintf(k->b[k->n++].line, KEYMAP_LINE, "%s", line);
    }
}

void keymap_init(struct keymap *k)
{
    k->n = 0;
    for (size_t i = 0; i < sizeof default_bindings / sizeof default_bindings[0]; i++)
        bind_raw(k, keymap_key_parse(default_bindings[i].key), default_bindings[i].line);
}

static const struct ui_cmd *cmd_find(const char *name)
{
    for (int i = 0; i < ui_cmd_count; i++)
        if (strcmp(ui_cmds[i].name, name) == 0)
            return &ui_cmds[i];
    return NULL;
}

int keymap_check(const char *key, const char *command)
{
    if (keymap_key_parse(key) < 0)
        return -1;
    char first[64] = "";
    if (command)
        sscanf(command, "%63s", first);
    return command && *first && strcmp(first, "none") != 0 && !cmd_find(first) ? -2 : 0;
}

int keymap_bind(struct keymap *km, const char *key, const char *command)
{
    int k = keymap_key_parse(key), bad = keymap_check(key, command);
    char first[64] = "";
    if (command)
        sscanf(command, "%63s", first);
    if (bad == -1) {
        log_warn("keymap: unknown key name \"%s\"", key ? key : "");
        return -1;
    }
    if (bad == -2) {
        log_warn("keymap: %s: unknown command \"%s\"", key, first);
        return -2;
    }
    int before = km->n;
    bool exists = false;
    for (int i = 0; i < km->n; i++)
        exists |= km->b[i].key == k;
    bind_raw(km, k, !command || !*first || !strcmp(first, "none") ? "" : command);
    if (!exists && *first && strcmp(first, "none") && km->n == before)
        return -3;
    return 0;
}

const char *keymap_lookup(const struct keymap *km, const char *key)
{
    int k = keymap_key_parse(key);
    for (int i = 0; i < km->n; i++)
        if (km->b[i].key == k)
            return km->b[i].line;
    return NULL;
}

void keymap_keys_for(const struct keymap *km, const char *name, char *out, size_t n)
{
    out[0] = 0;
    size_t len = strlen(name);
    for (int i = 0; i < km->n; i++) {
        const char *l = km->b[i].line;
        if (strncmp(l, name, len) != 0 || (l[len] && l[len] != ' '))
            continue;
        char kn[16];
        keymap_key_name(km->b[i].key, kn, sizeof kn);
        snprintf(out + strlen(out), n - strlen(out), "%s%s", out[0] ? " " : "", kn);
    }
}

void ui_print_keys(FILE *f)
{
    struct keymap *km = malloc(sizeof *km);
    if (!km)
        return;
    keymap_init(km);
    char keys[128];
    for (int i = 0; i < ui_cmd_count; i++) {
        keymap_keys_for(km, ui_cmds[i].name, keys, sizeof keys);
        fprintf(f, "%-14s %-22s :%s%s%s - %s\n", ui_cmds[i].name, keys[0] ? keys : "-", ui_cmds[i].name,
                ui_cmds[i].usage[0] ? " " : "", ui_cmds[i].usage, ui_cmds[i].help);
    }
    free(km);
}

/* ---- running command lines ------------------------------------------------ */

int keymap_run(struct ui *u, const char *line)
{
    char buf[UI_LINE];
    snprintf(buf, sizeof buf, "%s", line);
    char *argv[MAX_ARGS + 1];
    int argc = 0;
    for (char *t = strtok(buf, " \t"); t && argc < MAX_ARGS; t = strtok(NULL, " \t"))
        argv[argc++] = t;
    argv[argc] = NULL;
    if (argc == 0)
        return 0;
    if (strcmp(argv[0], "q") == 0 || strcmp(argv[0], "q!") == 0)
        argv[0] = "quit";
    const struct ui_cmd *c = cmd_find(argv[0]);
    if (!c) {                                     /* a unique prefix will do */
        int hits = 0;
        for (int i = 0; i < ui_cmd_count; i++)
            if (strncmp(ui_cmds[i].name, argv[0], strlen(argv[0])) == 0) {
                c = &ui_cmds[i];
                hits++;
            }
        if (hits != 1) {
            const char *names[64];
            int nn = 0;
            for (int i = 0; i < ui_cmd_count && nn < 64; i++)
                names[nn++] = ui_cmds[i].name;
            const char *near = hits ? NULL : suggest_nearest(argv[0], names, nn, 2);
            if (near)
                ui_message(u, true, "%s: unknown command; did you mean :%s?", argv[0], near);
            else
                ui_message(u, true, hits ? "%s: ambiguous command (Tab lists them)"
                                         : "%s: unknown command (:help lists them)", argv[0]);
            return -1;
        }
        argv[0] = (char *)c->name;
    }
    return c->fn(u, argc, argv);
}

bool keymap_dispatch(struct ui *u, int key)
{
    if (key == '\n' || key == KEY_ENTER)
        key = '\r';
    for (int i = 0; i < u->keys.n; i++)
        if (u->keys.b[i].key == key) {
            char line[UI_LINE];
            snprintf(line, sizeof line, "%s", u->keys.b[i].line);   /* the handler may rebind */
            keymap_run(u, line);
            return true;
        }
    return false;
}

/* ---- completion ---------------------------------------------------------- */

static int candidates(const struct ui *u, int kind, const char *prefix, const char **out, int max,
                      char store[][64])
{
    int n = 0;
    size_t pl = strlen(prefix);
#define ADD(s) do { if (n < max && strncmp((s), prefix, pl) == 0) out[n++] = (s); } while (0)
    if (kind == CPL_COMMAND) {
        for (int i = 0; i < ui_cmd_count; i++)
            ADD(ui_cmds[i].name);
    } else if (kind == CPL_TF) {
        for (int i = 0; i < TF_COUNT; i++)
            ADD(tf_name(i));
    } else if (kind == CPL_SYMBOL) {
        for (int i = 0; i < u->snap->n_symbols; i++)
            ADD(u->snap->symbols[i].name);
    } else if (kind == CPL_SETTING) {
        for (size_t i = 0; i < sizeof settings / sizeof settings[0]; i++)
            ADD(settings[i]);
    } else if (kind == CPL_THEME) {
        int nt = theme_list(store, THEME_MAX_LIST);
        for (int i = 0; i < nt; i++)
            ADD(store[i]);
    }
#undef ADD
    return n;
}

void keymap_complete(struct ui *u, char *line, size_t n)
{
    char *sp = strrchr(line, ' ');
    const char *word = sp ? sp + 1 : line;
    int kind = CPL_COMMAND;
    if (sp) {
        char first[64] = "";
        sscanf(line, "%63s", first);
        const struct ui_cmd *c = cmd_find(first);
        int words = 0;
        for (const char *p = line; *p; p++)
            words += *p == ' ' && p[1] != ' ';
        kind = c && words == 1 ? c->complete : CPL_NONE;
        if (c && words == 2 && !strcmp(first, "set"))
            kind = -1;                            /* values of a setting */
    }
    const char *cand[64];
    char store[THEME_MAX_LIST][64];         /* theme names the candidates point into */
    static const char *const onoff[] = { "on", "off", "toggle" };
    int nc = 0;
    if (kind == -1) {
        for (int i = 0; i < 3; i++)
            if (!strncmp(onoff[i], word, strlen(word)))
                cand[nc++] = onoff[i];
    } else if (kind != CPL_NONE) {
        nc = candidates(u, kind, word, cand, 64, store);
    }
    if (nc == 0) {
        ui_message(u, false, "no completion");
        return;
    }
    size_t common = strlen(cand[0]);
    for (int i = 1; i < nc; i++) {
        size_t k = 0;
        while (k < common && cand[i][k] == cand[0][k])
            k++;
        common = k;
    }
    size_t base = (size_t)(word - line);
    if (base + common + 2 < n) {
        memcpy(line + base, cand[0], common);
        line[base + common] = 0;
        if (nc == 1)
            strcat(line, " ");
    }
    if (nc > 1) {
        char list[200] = "";
        for (int i = 0; i < nc; i++)
            snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", i ? " " : "", cand[i]);
        ui_message(u, false, "%s", list);
    } else {
        u->msg[0] = 0;
    }
}
