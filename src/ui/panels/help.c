/* The help screen, generated from the command table and the current key
 * bindings: what it lists is what the keys do, remapped keys included. */
#include <curses.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "alphapulse/patterns.h"
#include "../ui_internal.h"

/* One pass over the help text. With draw false it only counts the lines, so
 * the scroll limit comes from the text itself and the last line can always be
 * scrolled into view whatever the terminal height. */
struct help_pass {
    struct ui *u;
    bool draw;
    int line, y, rows, cols;
};

static void put_line(struct help_pass *h, int attr, const char *text)
{
    if (h->draw && h->line >= h->u->help_scroll && h->y < h->rows)
        ui_text(h->u, h->y++, 1, h->cols - 2, text, attr);
    h->line++;
}

/* One entry of the help, wrapped at spaces to the screen's width so nothing is
 * cut at 80 columns: the lines after the first start `indent` columns in. The
 * text is ASCII, but a word longer than a line is cut only between characters. */
static void emit_wrapped(struct help_pass *h, int attr, int indent, const char *text)
{
    int width = h->cols - 2;
    if (indent > width - 24)                   /* a narrow screen: keep room for words */
        indent = width > 48 ? width - 24 : width / 2;
    const char *p = text;
    bool first = true;
    while (first || *p) {
        int lead = first ? 0 : indent, room = width - lead;
        if (room < 1)
            room = 1;
        int len = (int)strlen(p), take = len;
        if (len > room) {
            take = room;
            while (take > 0 && p[take] != ' ')
                take--;
            if (take == 0) {                       /* one long word: cut it, whole characters */
                take = room;
                while (take > 1 && ((unsigned char)p[take] & 0xC0) == 0x80)
                    take--;
            }
        }
        char line[600];
        snprintf(line, sizeof line, "%*s%.*s", lead, "", take, p);
        put_line(h, attr, line);
        p += take;
        while (*p == ' ')
            p++;
        first = false;
    }
}

static void emit(struct help_pass *h, int attr, const char *fmt, ...)
{
    char b[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(b, sizeof b, fmt, ap);
    va_end(ap);
    /* prose lines start with two spaces: their continuation lines do too */
    emit_wrapped(h, attr, 2 + 2 * (b[0] == ' ' && b[1] == ' '), b);
}

static int longest_title(void)
{
    int w = 0;
    for (int p = 0; p < CDL_COUNT; p++) {
        int n = (int)strlen(cdl_title(p));
        if (n > w)
            w = n;
    }
    return w;
}

static void help_text(struct help_pass *h)
{
    struct ui *u = h->u;
    emit(h, A_BOLD, "%-22s %-20s %s", "keys", "command", "what it does");
    for (int i = 0; i < ui_cmd_count; i++) {
        const struct ui_cmd *c = &ui_cmds[i];
        char keys[96], cmd[64];
        keymap_keys_for(&u->keys, c->name, keys, sizeof keys);
        snprintf(cmd, sizeof cmd, ":%s%s%s", c->name, c->usage[0] ? " " : "", c->usage);
        char row[512];
        snprintf(row, sizeof row, "%-22s %-20s %s", keys[0] ? keys : "", cmd, c->help);
        emit_wrapped(h, keys[0] ? 0 : ui_attr(u, C_DIM), 44, row);   /* under "what it does" */
    }
    char tkey[96], ikey[96], ckey[96];
    keymap_keys_for(&u->keys, "theme-next", tkey, sizeof tkey);
    keymap_keys_for(&u->keys, "indicator", ikey, sizeof ikey);
    keymap_keys_for(&u->keys, "cursor", ckey, sizeof ckey);
    emit(h, 0, "%s", "");
    emit(h, A_BOLD, "%s", "Command line");
    emit(h, 0, "%s", "  : opens it; Tab completes, Up/Down browse history, Enter runs, Esc cancels.");
    emit(h, 0, "%s", "  / searches symbols as you type; Up/Down choose, Enter shows, Esc cancels.");
    emit(h, A_BOLD, "%s", "Positions & orders (o selects)");
    emit(h, 0, "%s", "  Up/Down row; x close/cancel; c cancel; e: a position's exits, or amend an order's price/qty.");
    emit(h, A_BOLD, "%s", "Mouse");
    emit(h, 0, "%s", "  click a candle: crosshair; click a panel row: select it; wheel: zoom, scroll.");
    emit(h, A_BOLD, "%s", "Chart");
    emit(h, 0, "%s", "  candles (hollow = up, filled = down without colour), EMA(20) dots, Bollinger (20, 2)");
    emit(h, 0, "  band dashes, volume bars, an RSI(14) or MACD(12,26,9) pane (%s switches).",
         ikey[0] ? ikey : ":indicator");
    emit(h, 0, "%s", "  A pattern code marks a candle's strongest pattern (strength >= 0.6): below a");
    emit(h, 0, "%s", "  bullish one, above a bearish one. The whole code is drawn where the cells beside");
    emit(h, 0, "%s", "  the candle are free; where markers crowd each other only the first letter is.");
    emit(h, 0, "  %s (crosshair) on a candle names its pattern. :set bb|patterns off hides them.",
         ckey[0] ? ckey : "the crosshair");
    emit(h, 0, "%s", "  Panned back past the engine's 120 candles, older ones are read from the database");
    emit(h, 0, "%s", "  (\"loading older candles\" meanwhile, \"start of stored history\" at the first one),");
    emit(h, 0, "%s", "  drawn without indicators (\"no indicators before\" in the title); at most 4000.");
    emit(h, A_BOLD, "%s", "Pattern codes");
    int tw = longest_title(), cell = 2 + 4 + 1 + tw + 1;
    int per = (h->cols - 2) / cell;
    if (per < 1)
        per = 1;
    for (int p = 0; p < CDL_COUNT; p += per) {
        char row[512] = "";
        for (int q = p; q < p + per && q < CDL_COUNT; q++)
            snprintf(row + strlen(row), sizeof row - strlen(row), "  %-4s %-*s ", cdl_code(q), tw, cdl_title(q));
        emit(h, 0, "%s", row);
    }
    emit(h, 0, "  Themes: --theme NAME, :theme NAME, %s cycles; NO_COLOR=1 turns colour off.",
         tkey[0] ? tkey : ":theme-next");
}

void help_screen_draw(struct ui *u)
{
    int rows, cols;
    getmaxyx(stdscr, rows, cols);
    /* the status line and the risk bar take the last two rows */
    struct help_pass h = { .u = u, .draw = false, .rows = rows - 2, .cols = cols, .y = 1 };
    help_text(&h);
    int total = h.line, body = rows - 3, max_scroll = total - body;
    if (u->help_scroll > max_scroll)
        u->help_scroll = max_scroll > 0 ? max_scroll : 0;
    int bar = ui_attr(u, C_BAR);
    attron(bar);
    mvhline(0, 0, ' ', cols);
    attroff(bar);
    int last = u->help_scroll + body < total ? u->help_scroll + body : total;
    char title[160];
    snprintf(title, sizeof title, " Help: keys and commands (Esc closes; j/k g/G scroll)  %d-%d/%d%s",
             u->help_scroll + 1, last, total, last < total ? " more below" : "");
    ui_text(u, 0, 0, cols, title, bar | A_BOLD);
    h.draw = true;
    h.line = 0;
    help_text(&h);
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
    case 'G': case KEY_END: u->help_scroll = INT_MAX / 2; return true;   /* the draw clamps it */
    case 'g': case KEY_HOME: u->help_scroll = 0; return true;
    case ':': return false;                    /* the command line works here too */
    default: return true;
    }
}
