/* Drawing helpers every panel uses: theme attributes (with the NO_COLOR
 * fallback to bold/reverse/underline), clipped text, and panel frames whose
 * focus is visible without colour (a marker and reverse video on the title). */
#include <curses.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "ui_internal.h"

int ui_attr(const struct ui *u, enum ui_color c)
{
    if (!u->color) {
        switch (c) {
        case C_BAR: case C_SEL: case C_CURSOR: return A_REVERSE;
        case C_FOCUS: return A_BOLD;
        case C_BEAR: case C_GOOD: case C_EMA: case C_LAST: return A_BOLD;
        case C_BAD: return A_UNDERLINE;
        case C_DIM: case C_BORDER: return A_DIM;
        default: return 0;
        }
    }
    return COLOR_PAIR(c);
}

void ui_text(struct ui *u, int y, int x, int w, const char *s, int attr)
{
    (void)u;
    if (w <= 0)
        return;
    wchar_t wb[512];
    mbstate_t st;
    memset(&st, 0, sizeof st);
    const char *p = s;
    size_t n = mbsrtowcs(wb, &p, sizeof wb / sizeof wb[0] - 1, &st);
    if (n == (size_t)-1) {                     /* not valid here: bytes as they are */
        attron(attr);
        mvaddnstr(y, x, s, w);
        attroff(attr);
        return;
    }
    wb[n < sizeof wb / sizeof wb[0] ? n : sizeof wb / sizeof wb[0] - 1] = 0;
    attron(attr);
    mvaddnwstr(y, x, wb, (int)n < w ? (int)n : w);
    attroff(attr);
}

void fmt_price(char *buf, size_t n, double p)
{
    double a = fabs(p);
    int dec = a >= 1000 ? 2 : a >= 1 ? 4 : a >= 0.01 ? 6 : 8;
    snprintf(buf, n, "%.*f", dec, p);
}

void ui_frame(struct ui *u, struct rect r, const char *title, bool focused)
{
    int b = focused ? ui_attr(u, C_FOCUS) | (int)A_BOLD : ui_attr(u, C_BORDER);
    /* outside UTF-8, plain ASCII: the terminal's line-drawing set is the
     * first thing to break over SSH (PuTTY, screen, odd fonts) */
    chtype h = u->ascii ? '-' : ACS_HLINE, v = u->ascii ? '|' : ACS_VLINE;
    chtype ul = u->ascii ? '+' : ACS_ULCORNER, ur = u->ascii ? '+' : ACS_URCORNER;
    chtype ll = u->ascii ? '+' : ACS_LLCORNER, lr = u->ascii ? '+' : ACS_LRCORNER;
    attron(b);
    mvhline(r.y, r.x + 1, h, r.w - 2);
    mvhline(r.y + r.h - 1, r.x + 1, h, r.w - 2);
    mvvline(r.y + 1, r.x, v, r.h - 2);
    mvvline(r.y + 1, r.x + r.w - 1, v, r.h - 2);
    mvaddch(r.y, r.x, ul);
    mvaddch(r.y, r.x + r.w - 1, ur);
    mvaddch(r.y + r.h - 1, r.x, ll);
    mvaddch(r.y + r.h - 1, r.x + r.w - 1, lr);
    attroff(b);
    char t[96];
    snprintf(t, sizeof t, focused ? (u->ascii ? "> %s <" : "▶ %s ◀") : " %s ", title);
    ui_text(u, r.y, r.x + 2, r.w - 4, t, focused ? A_BOLD | A_REVERSE | ui_attr(u, C_FOCUS) : A_BOLD);
}
