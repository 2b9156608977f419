/* Full screens and the pane switches: help, settings, indicator, health,
 * alerts, and quit. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alphapulse/command.h"
#include "alphapulse/log.h"
#include "alphapulse/ui.h"
#include "commands.h"
#include "ui_internal.h"

int cmd_help(struct ui *u, int argc, char **argv)
{
    (void)argc; (void)argv;
    u->screen = u->screen == SCREEN_HELP ? SCREEN_MAIN : SCREEN_HELP;
    u->help_scroll = 0;
    return 0;
}

/* S: the settings screen, its text asked of the app each time it opens */
int cmd_settings(struct ui *u, int argc, char **argv)
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
int cmd_indicator(struct ui *u, int argc, char **argv)
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
int cmd_health(struct ui *u, int argc, char **argv) { (void)argc; (void)argv; return toggle_screen(u, SCREEN_HEALTH); }
int cmd_alerts(struct ui *u, int argc, char **argv) { (void)argc; (void)argv; return toggle_screen(u, SCREEN_ALERTS); }

/* M: the scanner, every symbol in one sortable table */
int cmd_scan(struct ui *u, int argc, char **argv) { (void)argc; (void)argv; return toggle_screen(u, SCREEN_SCAN); }

/* D: the order book of the shown symbol */
int cmd_book(struct ui *u, int argc, char **argv) { (void)argc; (void)argv; return toggle_screen(u, SCREEN_BOOK); }

/* :book-group N: the order book's levels in buckets of N ticks; opens it */
int cmd_book_group(struct ui *u, int argc, char **argv)
{
    if (ui_need_args(u, argc, 1, "book-group"))
        return -1;
    char *end;
    long n = strtol(argv[1], &end, 10);
    if (*end || n < 1 || n > 100000) {
        ui_message(u, true, "book-group: N is a whole number of ticks, 1 to 100000 (e.g. 1, 10, 100)");
        return -1;
    }
    u->book_group = (int)n;
    u->screen = SCREEN_BOOK;
    ui_message(u, false, "order book: %ld tick%s per row", n, n > 1 ? "s" : "");
    return 0;
}

/* :filter TERMS: the scanner's rows that pass them all (no terms: every row) */
int cmd_filter(struct ui *u, int argc, char **argv)
{
    char expr[256] = "", err[160];
    for (int i = 1; i < argc; i++) {
        size_t l = strlen(expr);
        snprintf(expr + l, sizeof expr - l, "%s%s", i > 1 ? " " : "", argv[i]);
    }
    if (scan_filter_parse(&u->scan_f, expr, err, sizeof err)) {
        ui_message(u, true, "filter: %s", err);
        return -1;
    }
    u->scan_sel = 0;
    u->screen = SCREEN_SCAN;
    ui_message(u, false, "%s", u->scan_f.n ? "filter set (:filter alone clears it)" : "filter cleared");
    return 0;
}

int cmd_quit(struct ui *u, int argc, char **argv) { (void)argc; (void)argv; u->quit = true; return 0; }
