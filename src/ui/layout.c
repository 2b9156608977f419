/* Where everything goes, from the terminal size alone (a pure function, tested
 * without a terminal). Wide (>= 160x30): chart, a right column stacking the
 * SLOT_RIGHT panels and a bottom row of the SLOT_BOTTOM panels. Smaller: the
 * chart and one switchable panel (the focused one; Tab cycles), on the right
 * from 100 columns, below the chart otherwise. Below 40x12: too small. From
 * LAYOUT_BOOK_COLS x LAYOUT_BOOK_ROWS the wide layout's right column ends with
 * the shown symbol's order book, when it has one.
 * The panel table is here: a new panel is one file in panels/ and one row. */
#include "ui_internal.h"

extern const struct panel panel_watchlist, panel_regimes, panel_signals, panel_positions,
    panel_orders, panel_log;

const struct panel *const ui_panels[] = {
    &panel_watchlist,
    &panel_regimes,
    &panel_signals,
    &panel_positions,
    &panel_orders,
    &panel_log,
};
const int ui_panel_count = sizeof ui_panels / sizeof ui_panels[0];

static int clamp(int v, int lo, int hi) { return v < lo ? lo : v > hi ? hi : v; }

static void place(struct layout *l, int panel, int x, int y, int w, int h)
{
    if (l->n < LAYOUT_MAX && w > 2 && h > 2) {
        l->at[l->n].panel = panel;
        l->at[l->n].r = (struct rect){ x, y, w, h };
        l->n++;
    }
}

/* The shown symbol has an order book (feed.depth on, or the demo's simulated one). */
static bool has_book(const struct ui *u)
{
    const struct snapshot *s = u ? u->snap : NULL;
    return s && u->sym >= 0 && u->sym < s->n_symbols && s->symbols[u->sym].book.present;
}

static void wide(struct layout *l, const struct ui *u)
{
    int body_y = 2, body_h = l->rows - 3;
    int bottom_h = clamp(l->rows / 4, 7, 14);
    int right_w = clamp(l->cols / 4, 44, 64);
    l->chart = (struct rect){ 0, body_y, l->cols - right_w, body_h - bottom_h };
    int book_h = 0;
    if (l->cols >= LAYOUT_BOOK_COLS && l->rows >= LAYOUT_BOOK_ROWS && has_book(u)) {
        book_h = clamp(l->rows / 3, 16, 26);   /* the frame, the spread line, 6+ levels a side */
        l->book = (struct rect){ l->cols - right_w, body_y + body_h - book_h, right_w, book_h };
    }

    /* right column: panels that know their height get it (framed: +2), the
     * flexible ones share the rest; in table order */
    int nr = 0, fixed = 0, flex = 0, want[LAYOUT_MAX], idx[LAYOUT_MAX];
    for (int i = 0; i < ui_panel_count; i++) {
        if (ui_panels[i]->slot != SLOT_RIGHT)
            continue;
        idx[nr] = i;
        want[nr] = ui_panels[i]->want_h ? ui_panels[i]->want_h(u) + 2 : 0;
        if (want[nr]) fixed += want[nr]; else flex++;
        nr++;
    }
    int col_h = body_h - book_h, spare = col_h - fixed;
    int flex_h = flex ? spare / flex : 0;
    if (flex && flex_h < 5) {                /* too tall: fixed panels shrink first */
        flex_h = 5;
        int over = fixed + flex * flex_h - col_h;
        for (int k = nr - 1; k >= 0 && over > 0; k--)
            if (want[k] > 4) {
                int cut = want[k] - 4 < over ? want[k] - 4 : over;
                want[k] -= cut;
                over -= cut;
            }
    }
    int y = body_y, left_flex = flex;
    for (int k = 0; k < nr; k++) {
        int h = want[k];
        if (!h) {
            left_flex--;
            h = left_flex == 0 ? body_y + col_h - y : flex_h;   /* the last takes the remainder */
        }
        if (y + h > body_y + col_h)
            h = body_y + col_h - y;
        place(l, idx[k], l->cols - right_w, y, right_w, h);
        y += h;
    }
    /* bottom row: split the chart's width */
    int nb = 0, bidx[LAYOUT_MAX];
    for (int i = 0; i < ui_panel_count; i++)
        if (ui_panels[i]->slot == SLOT_BOTTOM)
            bidx[nb++] = i;
    int x = 0, by = body_y + body_h - bottom_h, total = l->cols - right_w;
    for (int k = 0; k < nb; k++) {
        int w = k == nb - 1 ? total - x : total / nb;
        place(l, bidx[k], x, by, w, bottom_h);
        x += w;
    }
}

static void compact(struct layout *l, int side)
{
    int body_y = 2, body_h = l->rows - 3;
    if (side < 0 || side >= ui_panel_count)
        side = 0;
    if (l->cols >= 100) {
        int w = clamp(l->cols / 3, 34, 44);
        l->chart = (struct rect){ 0, body_y, l->cols - w, body_h };
        place(l, side, l->cols - w, body_y, w, body_h);
    } else {
        int h = clamp(l->rows / 3, 5, 10);
        if (body_h - h < 6)                    /* the chart keeps 6 rows; the panel */
            h = body_h - 6;                    /* shrinks, and goes below 3 rows */
        if (h < 3)
            h = 0;
        l->chart = (struct rect){ 0, body_y, l->cols, body_h - h };
        if (h)
            place(l, side, 0, body_y + body_h - h, l->cols, h);
    }
}

void layout_compute(struct layout *l, int cols, int rows, int side, const struct ui *u)
{
    *l = (struct layout){ .cols = cols, .rows = rows };
    if (cols < LAYOUT_MIN_COLS || rows < LAYOUT_MIN_ROWS) {
        l->kind = LAYOUT_TOO_SMALL;
        return;
    }
    l->header = (struct rect){ 0, 0, cols, 1 };
    l->account = (struct rect){ 0, 1, cols, 1 };
    l->status = (struct rect){ 0, rows - 1, cols, 1 };
    if (cols >= LAYOUT_WIDE_COLS && rows >= LAYOUT_WIDE_ROWS) {
        l->kind = LAYOUT_WIDE;
        wide(l, u);
    } else {
        l->kind = LAYOUT_COMPACT;
        compact(l, side);
    }
}
