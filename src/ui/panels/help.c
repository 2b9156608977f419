/* Help overlay, generated from the keymap table. */
#include <curses.h>
#include <stdio.h>

#include "../ui_internal.h"

static void frame(int y0, int x0, int h, int w)
{
    mvhline(y0, x0 + 1, ACS_HLINE, w - 2);
    mvhline(y0 + h - 1, x0 + 1, ACS_HLINE, w - 2);
    mvvline(y0 + 1, x0, ACS_VLINE, h - 2);
    mvvline(y0 + 1, x0 + w - 1, ACS_VLINE, h - 2);
    mvaddch(y0, x0, ACS_ULCORNER);
    mvaddch(y0, x0 + w - 1, ACS_URCORNER);
    mvaddch(y0 + h - 1, x0, ACS_LLCORNER);
    mvaddch(y0 + h - 1, x0 + w - 1, ACS_LRCORNER);
}

void help_draw(struct ui *u)
{
    (void)u;
    int rows, cols;
    getmaxyx(stdscr, rows, cols);
    int w = cols - 2 < 60 ? cols - 2 : 60, h = ui_action_count + 5;
    if (h > rows)
        h = rows;
    int y0 = (rows - h) / 2, x0 = (cols - w) / 2;
    for (int y = 0; y < h; y++)
        mvhline(y0 + y, x0, ' ', w);
    frame(y0, x0, h, w);
    attron(A_BOLD);
    mvaddnstr(y0, x0 + 2, " Keys ", w - 4);
    attroff(A_BOLD);
    int y = y0 + 1;
    for (int i = 0; i < ui_action_count && y < y0 + h - 1; i++, y++) {
        char line[128];
        snprintf(line, sizeof line, "%-9s %s", ui_actions[i].keys, ui_actions[i].help);
        mvaddnstr(y, x0 + 2, line, w - 4);
    }
    if (y < y0 + h - 2)
        mvaddnstr(y + 1, x0 + 2, "Chart: candles, EMA(20) dots, volume bars.", w - 4);
    mvaddnstr(y0 + h - 1, x0 + 2, " Esc or any key closes ", w - 4);
}
