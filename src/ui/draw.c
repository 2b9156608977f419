/* Drawing helpers every panel uses: theme attributes (with the NO_COLOR
 * fallback to bold/reverse/underline), clipped text, and panel frames whose
 * focus is visible without colour (a marker and reverse video on the title). */
#include <curses.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "alphapulse/instrument.h"
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

int fmt_decimals(double inc) { return instrument_decimals(inc); }

/* Prices in the instrument's tick: as many decimals as the tick has, never an
 * exponent; without a known tick, by magnitude. */
void fmt_px(const struct ui *u, int sym, char *buf, size_t n, double p)
{
    double tick = sym >= 0 && sym < u->snap->n_symbols ? u->snap->paper.inst[sym].tick : 0;
    if (tick > 0)
        instrument_fmt(tick, p, buf, n);
    else
        fmt_price(buf, n, p);
}

/* Quantities in the instrument's step. */
void fmt_qty(const struct ui *u, int sym, char *buf, size_t n, double q)
{
    double step = sym >= 0 && sym < u->snap->n_symbols ? u->snap->paper.inst[sym].step : 0;
    int dec = fmt_decimals(step);
    if (dec < 0) {
        double a = fabs(q);
        dec = a >= 1000 ? 2 : a >= 1 ? 4 : 8;
    }
    snprintf(buf, n, "%.*f", dec, q);
}

/* Money in the account currency: two decimals, no exponent. */
void fmt_money(char *buf, size_t n, double m)
{
    snprintf(buf, n, "%.2f", fabs(m) < 0.005 ? 0.0 : m);
}

int wrap_text(const char *s, int width, char out[][WRAP_COLS], int max_lines)
{
    int n = 0;
    if (width < 8)
        width = 8;
    if (width > WRAP_COLS - 1)
        width = WRAP_COLS - 1;
    const char *p = s;
    while (*p && n < max_lines) {
        int len = (int)strlen(p);
        int take = len;
        if (len > width) {
            take = width;
            for (int i = width; i > width / 2; i--)
                if (p[i] == ' ') {
                    take = i;
                    break;
                }
        }
        snprintf(out[n], WRAP_COLS, "%s%.*s", n > 0 ? "  " : "", take, p);
        n++;
        p += take;
        while (*p == ' ')
            p++;
        if (n == 1)
            width -= 2;                         /* continuation lines are indented */
    }
    return n;
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
