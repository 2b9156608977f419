/* Every action is a command (tmux style): one row of ui_cmds[] with its name,
 * usage, help text and handler (the handlers live by family in cmd_view.c,
 * cmd_trade.c, cmd_replay.c, cmd_screens.c, cmd_config.c, cmd_data.c). Keys
 * are bound to command lines ("tf 1h"), so the `?` help, the `:` command line, its Tab completion and remapping
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
#include "alphapulse/ui.h"
#include "commands.h"
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


/* "usage: :NAME ARGS" from the command table when argc is not want + 1 */
int ui_need_args(struct ui *u, int argc, int want, const char *name)
{
    if (argc - 1 == want)
        return 0;
    for (int i = 0; i < ui_cmd_count; i++)
        if (strcmp(ui_cmds[i].name, name) == 0)
            ui_message(u, true, "usage: :%s %s", name, ui_cmds[i].usage);
    return -1;
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
    { "left", "", "pan back in time, past the engine's candles into stored ones (crosshair: previous candle)", cmd_left, 0 },
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
    { "scan", "", "scanner: every symbol, sortable (< > r), / name, Enter shows it", cmd_scan, 0 },
    { "book", "", "order book: the shown symbol's price ladder, depth, spread (feed.depth; simulated in the demo)",
      cmd_book, 0 },
    { "book-group", "N", "order book: group levels into buckets of N ticks (1, 10, 100)", cmd_book_group, 0 },
    { "filter", "[TERMS]", "scanner filter: regime=breakout conf>0.7 vol>10M rsi<30 sig>0.8 ...", cmd_filter, 0 },
    { "help", "", "show / hide this help", cmd_help, 0 },
    { "quit", "", "quit", cmd_quit, 0 },
    { "add", "SYM", "add a symbol to the live feed", cmd_add, 0 },
    { "del", "SYM", "remove a symbol from the live feed", cmd_del, CPL_SYMBOL },
    { "reload", "", "re-read the configuration file (an invalid one changes nothing)", cmd_reload, 0 },
    { "export", "WHAT FILE [SYM] [TF]", "candles|signals|trades|equity|journal|tape to CSV (.json: JSON); SYM, TF: shown, or all",
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
    { "H", "health" }, { "A", "alerts" }, { "M", "scan" }, { "D", "book" }, { "i", "indicator" }, { "S", "settings" },
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
        for (int i = 0; i < ui_setting_count; i++)
            ADD(ui_setting_names[i]);
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
