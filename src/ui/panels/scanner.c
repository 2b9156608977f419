/* The scanner screen (M, :scan): one row per symbol of the whole session,
 * sorted by any column (< and > move the sort, r reverses it), filtered by a
 * name typed after / and by :filter terms. The rows are ordered as indices
 * (scan.c); only those on screen are formatted. Enter shows the selected
 * symbol on the chart. */
#include <curses.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alphapulse/patterns.h"
#include "alphapulse/regime.h"
#include "../ui_internal.h"

static const int col_w[SCAN_COLS] = { 11, 12, 7, 7, 8, 7, 7, 6, 5, 10, 6, 5 };

/* One character per timeframe, 1m to 1d. */
static char glyph(int regime)
{
    static const char g[REGIME_COUNT] = { '^', 'v', '~', '=', '!', 'x', '+' };
    return regime >= 0 && regime < REGIME_COUNT ? g[regime] : '.';
}

/* The rows in order, into u->scan_rows (grown to the symbol count). */
static int rows(struct ui *u)
{
    int n = u->snap->n_symbols;
    if (n > u->scan_cap) {
        int *r = realloc(u->scan_rows, sizeof *r * (size_t)n);
        if (!r)
            return 0;
        u->scan_rows = r;
        u->scan_cap = n;
    }
    return scan_rows(u->snap, &u->scan_f, u->scan_col, u->scan_desc, u->scan_rows);
}

static void pct(char *b, size_t n, float v)
{
    if (isnan(v))
        snprintf(b, n, "-");
    else
        snprintf(b, n, "%+.2f", v);
}

static void cell(struct ui *u, int sym, int col, char *b, size_t n, int *attr)
{
    const struct snap_symbol *s = &u->snap->symbols[sym];
    *attr = 0;
    switch (col) {
    case SCAN_SYMBOL: snprintf(b, n, "%s", s->name); break;
    case SCAN_LAST:
        if (s->last > 0)
            fmt_px(u, sym, b, n, s->last);
        else
            snprintf(b, n, "-");
        break;
    case SCAN_CHG1H:
    case SCAN_CHG24H: {
        float v = col == SCAN_CHG1H ? s->chg_1h : s->chg_24h;
        pct(b, n, v);
        *attr = isnan(v) || v == 0 ? 0 : ui_attr(u, v > 0 ? C_GOOD : C_BAD);
        break;
    }
    case SCAN_VOL: scan_fmt_volume(s->qvol_24h, b, n); break;
    case SCAN_VOLP:
        if (isnan(s->vol_pct))
            snprintf(b, n, "-");
        else
            snprintf(b, n, "%.0f%%", 100 * s->vol_pct);
        break;
    case SCAN_REGIME:
        for (int t = 0; t < TF_COUNT && (size_t)t + 1 < n; t++)
            b[t] = glyph(s->regime[t]);
        b[TF_COUNT < n ? TF_COUNT : n - 1] = 0;
        break;
    case SCAN_CONF:
        snprintf(b, n, "%+.2f", s->confluence);
        *attr = s->confluence == 0 ? 0 : ui_attr(u, s->confluence > 0 ? C_GOOD : C_BAD);
        break;
    case SCAN_RSI:
        if (isnan(s->rsi))
            snprintf(b, n, "-");
        else
            snprintf(b, n, "%.0f", s->rsi);
        break;
    case SCAN_PATTERN: snprintf(b, n, "%s", s->pattern >= 0 ? cdl_title(s->pattern) : "-"); break;
    case SCAN_SIG:
        if (isnan(s->sig_conf))
            snprintf(b, n, "-");
        else
            snprintf(b, n, "%.2f", s->sig_conf);
        break;
    default:
        if (isnan(s->sig_conf) || isnan(s->sig_rr))
            snprintf(b, n, "-");
        else
            snprintf(b, n, "%.1f", s->sig_rr);
        break;
    }
}

void scanner_draw(struct ui *u)
{
    int rows_total, cols;
    getmaxyx(stdscr, rows_total, cols);
    (void)rows_total;
    int bottom = u->lay.status.y, n = rows(u);
    char head[400], filt[160] = "";
    for (int i = 0; i < u->scan_f.n; i++) {
        static const char *const ops[] = { "=", "!=", ">", "<", ">=", "<=" };
        const struct scan_term *t = &u->scan_f.t[i];
        size_t l = strlen(filt);
        static const char *const keyname[] = { "regime", "conf", "vol", "volp", "rsi", "chg1h", "chg24h", "sig",
                                               "rr", "sym", "pattern" };
        snprintf(filt + l, sizeof filt - l, " %s%s%s", keyname[t->key], ops[t->op], t->text);
    }
    snprintf(head, sizeof head, "Scanner %s  %d of %d  sort %s %s%s%s%s%s", tf_name(u->tf), n, u->snap->n_symbols,
             scan_col_name[u->scan_col], u->scan_desc ? "desc" : "asc", u->scan_typing || u->scan_f.name[0] ? "  /" : "",
             u->scan_f.name, u->scan_typing ? "_" : "", filt);
    ui_text(u, 0, 0, cols, head, A_BOLD);
    ui_text(u, 1, 0, cols, u->scan_typing ? "type a name  Enter keep  Esc clear"
                                          : "</> sort  r reverse  / name  :filter regime=breakout conf>0.7 vol>10M  "
                                            "Enter chart  w watchlist  Esc back", ui_attr(u, C_DIM));
    /* the header row: the columns that fit, the sorted one marked */
    int x = 0, last_col = -1;
    for (int c = 0; c < SCAN_COLS && x + col_w[c] <= cols; c++) {
        char t[24];
        snprintf(t, sizeof t, "%s%s", scan_col_name[c], c == u->scan_col ? (u->scan_desc ? "v" : "^") : "");
        ui_text(u, 2, x, col_w[c], t, c == u->scan_col ? A_REVERSE | A_BOLD : A_BOLD);
        x += col_w[c] + 1;
        last_col = c;
    }
    int h = bottom - 3;
    if (h < 1)
        return;
    if (u->scan_sel >= n)
        u->scan_sel = n - 1;
    if (u->scan_sel < 0)
        u->scan_sel = 0;
    if (u->scan_sel < u->scan_top)
        u->scan_top = u->scan_sel;
    if (u->scan_sel >= u->scan_top + h)
        u->scan_top = u->scan_sel - h + 1;
    for (int i = u->scan_top, y = 3; i < n && y < bottom; i++, y++) {   /* only the visible rows */
        int sym = u->scan_rows[i];
        bool sel = i == u->scan_sel;
        if (sel)
            mvhline(y, 0, ' ' | A_REVERSE, cols);
        x = 0;
        for (int c = 0; c <= last_col; c++) {
            char b[48];
            int attr;
            cell(u, sym, c, b, sizeof b, &attr);
            ui_text(u, y, x, col_w[c], b, sel ? (int)A_REVERSE : attr);
            x += col_w[c] + 1;
        }
    }
    if (n == 0)
        ui_text(u, 3, 0, cols, "no symbol matches the filter", ui_attr(u, C_DIM));
}

/* The selected row's symbol on the watchlist, or off it again. */
static void watch(struct ui *u)
{
    int n = rows(u);
    if (u->scan_sel < 0 || u->scan_sel >= n)
        return;
    int sym = u->scan_rows[u->scan_sel], r = watchlist_toggle(u, sym);
    const char *name = u->snap->symbols[sym].name;
    if (r < 0)
        ui_message(u, true, "%s: out of memory for the watchlist", name);
    else
        ui_message(u, false, r ? "%s added to the watchlist" : "%s taken off the watchlist", name);
}

/* A row chosen: the chart of that symbol. */
static void show(struct ui *u)
{
    int n = rows(u);
    if (u->scan_sel < 0 || u->scan_sel >= n)
        return;
    u->sym = u->scan_rows[u->scan_sel];
    u->screen = SCREEN_MAIN;
    ui_message(u, false, "%s on the chart", u->snap->symbols[u->sym].name);
}

bool scanner_key(struct ui *u, int ch)
{
    if (u->scan_typing) {
        size_t l = strlen(u->scan_f.name);
        if (ch == 27) {
            u->scan_f.name[0] = 0;
            u->scan_typing = false;
        } else if (ch == '\r' || ch == '\n' || ch == KEY_ENTER) {
            u->scan_typing = false;
        } else if (ch == KEY_BACKSPACE || ch == 127 || ch == 8) {
            if (l)
                u->scan_f.name[l - 1] = 0;
        } else if (ch > ' ' && ch < 127 && l + 1 < sizeof u->scan_f.name) {
            u->scan_f.name[l] = (char)ch;
            u->scan_f.name[l + 1] = 0;
        }
        u->scan_sel = 0;
        return true;
    }
    switch (ch) {
    case 27: case 'q': case 'M':
        u->screen = SCREEN_MAIN;
        return true;
    case '>': case '<':
        u->scan_col = (u->scan_col + (ch == '>' ? 1 : SCAN_COLS - 1)) % SCAN_COLS;
        u->scan_desc = u->scan_col != SCAN_SYMBOL;    /* numbers: largest first; names: A to Z */
        u->scan_sel = 0;
        return true;
    case 'r':
        u->scan_desc = !u->scan_desc;
        u->scan_sel = 0;
        return true;
    case '/':
        u->scan_typing = true;
        return true;
    case 'j': case KEY_DOWN: u->scan_sel++; return true;
    case 'k': case KEY_UP: if (u->scan_sel > 0) u->scan_sel--; return true;
    case KEY_NPAGE: u->scan_sel += 10; return true;
    case KEY_PPAGE: u->scan_sel = u->scan_sel > 10 ? u->scan_sel - 10 : 0; return true;
    case KEY_HOME: case 'g': u->scan_sel = 0; return true;
    case KEY_END: case 'G': u->scan_sel = u->snap->n_symbols; return true;
    case '\r': case '\n': case KEY_ENTER:
        show(u);
        return true;
    case 'w':
        watch(u);
        return true;
    default:
        return false;          /* : and the global keys */
    }
}
