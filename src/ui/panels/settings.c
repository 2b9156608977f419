/* Settings screen: the effective configuration, one value a line with where it
 * came from (default, file, profile, command line), as --check-config prints it. */
#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "../ui_internal.h"

void settings_screen_draw(struct ui *u)
{
    int cols = getmaxx(stdscr);
    int bar = ui_attr(u, C_BAR);
    attron(bar);
    mvhline(0, 0, ' ', cols);
    attroff(bar);
    ui_text(u, 0, 0, cols, " Settings: the effective configuration and each value's source   (Esc closes; j/k scroll)",
            bar | A_BOLD);
    if (!u->settings) {
        ui_text(u, 2, 1, cols - 2, "no configuration to show here", ui_attr(u, C_DIM));
        return;
    }
    int line = 0, y = 1, body = u->lay.status.y - 1;
    for (const char *p = u->settings; *p && y <= body; line++) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        if (line >= u->settings_scroll) {
            char buf[512];
            snprintf(buf, sizeof buf, "%.*s", (int)(len < sizeof buf - 1 ? len : sizeof buf - 1), p);
            const char *src = strrchr(buf, '(');
            int attr = !src ? (int)A_BOLD : strstr(src, "(default)") ? ui_attr(u, C_DIM) : 0;
            ui_text(u, y++, 1, cols - 2, buf, attr);
        }
        p += len + (nl ? 1 : 0);
    }
}

bool settings_screen_key(struct ui *u, int ch)
{
    switch (ch) {
    case 27: case 'q': case 'S':
        u->screen = SCREEN_MAIN;
        return true;
    case 'j': case KEY_DOWN: u->settings_scroll++; return true;
    case 'k': case KEY_UP: if (u->settings_scroll > 0) u->settings_scroll--; return true;
    case KEY_NPAGE: u->settings_scroll += 10; return true;
    case KEY_PPAGE: u->settings_scroll = u->settings_scroll > 10 ? u->settings_scroll - 10 : 0; return true;
    default: return false;
    }
}
