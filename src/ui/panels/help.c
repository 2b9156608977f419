/* The help screen, generated from the command table and the current key
 * bindings: what it lists is what the keys do, remapped keys included. */
#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "alphapulse/patterns.h"
#include "../ui_internal.h"

static int help_lines(void) { return ui_cmd_count + 13 + (CDL_COUNT + 1) / 2; }

void help_screen_draw(struct ui *u)
{
    int rows, cols;
    getmaxyx(stdscr, rows, cols);
    int bar = ui_attr(u, C_BAR);
    attron(bar);
    mvhline(0, 0, ' ', cols);
    attroff(bar);
    ui_text(u, 0, 0, cols, " AlphaPulse help: keys and commands   (Esc, q or ? closes; j/k scroll)", bar | A_BOLD);
    int body = rows - 1, max_scroll = help_lines() - body;
    if (u->help_scroll > max_scroll)
        u->help_scroll = max_scroll > 0 ? max_scroll : 0;
    int line = 0, y = 1;
#define EMIT(attr, ...) do { if (line >= u->help_scroll && y < rows) { char b_[256]; \
        snprintf(b_, sizeof b_, __VA_ARGS__); ui_text(u, y++, 1, cols - 2, b_, attr); } line++; } while (0)
    EMIT(A_BOLD, "%-22s %-20s %s", "keys", "command", "what it does");
    for (int i = 0; i < ui_cmd_count; i++) {
        const struct ui_cmd *c = &ui_cmds[i];
        char keys[96], cmd[64];
        keymap_keys_for(&u->keys, c->name, keys, sizeof keys);
        snprintf(cmd, sizeof cmd, ":%s%s%s", c->name, c->usage[0] ? " " : "", c->usage);
        EMIT(keys[0] ? 0 : ui_attr(u, C_DIM), "%-22s %-20s %s", keys[0] ? keys : "", cmd, c->help);
    }
    EMIT(0, "%s", "");
    EMIT(A_BOLD, "%s", "Command line");
    EMIT(0, "%s", "  : opens it; Tab completes, Up/Down browse history, Enter runs, Esc cancels.");
    EMIT(0, "%s", "  / searches symbols as you type; Up/Down choose, Enter shows, Esc cancels.");
    EMIT(A_BOLD, "%s", "Mouse");
    EMIT(0, "%s", "  click a candle: crosshair there; click a panel row: select it; wheel: zoom / scroll.");
    EMIT(A_BOLD, "%s", "Chart");
    EMIT(0, "%s", "  candles (hollow = up, filled = down without colour), EMA(20) dots, Bollinger (20, 2)");
    EMIT(0, "%s", "  band dashes, volume bars, an RSI(14) or MACD(12,26,9) pane (i switches).");
    EMIT(0, "%s", "  A pattern code marks a candle's strongest pattern (strength >= 0.6): below a");
    EMIT(0, "%s", "  bullish one, above a bearish one (c shows its name). :set bb|patterns off hides them.");
    EMIT(A_BOLD, "%s", "Pattern codes");
    for (int p = 0; p < CDL_COUNT; p += 2) {
        char row[200] = "";
        for (int q = p; q < p + 2 && q < CDL_COUNT; q++)
            snprintf(row + strlen(row), sizeof row - strlen(row), "  %-4s %-22.22s", cdl_code(q), cdl_title(q));
        EMIT(0, "%s", row);
    }
    EMIT(0, "%s", "  Themes: --theme NAME|PATH, :theme NAME, t cycles; NO_COLOR=1 turns colour off.");
#undef EMIT
}

bool help_screen_key(struct ui *u, int ch)
{
    switch (ch) {
    case 27: case 'q': case '?':
        u->screen = SCREEN_MAIN;
        return true;
    case 'j': case KEY_DOWN: u->help_scroll++; return true;
    case 'k': case KEY_UP: if (u->help_scroll > 0) u->help_scroll--; return true;
    case KEY_NPAGE: case ' ': u->help_scroll += 10; return true;
    case KEY_PPAGE: u->help_scroll = u->help_scroll > 10 ? u->help_scroll - 10 : 0; return true;
    case ':': return false;                    /* the command line works here too */
    default: return true;
    }
}
