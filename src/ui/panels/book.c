/* The order book screen (D, :book): the shown symbol's price ladder from the
 * snapshot's top levels (feed.depth), asks above and bids below with the best
 * of each next to the spread, size and cumulative depth per row with a bar,
 * levels grouped into buckets of :book-group ticks, the spread in ticks and
 * bps, the book's state (`book: simulated` for the demo's synthetic book), the
 * user's working limit orders marked on their rows (a row of their own between
 * levels), and the latest trades on the right when the screen is wide enough.
 * Without a book it says so and how to get one. */
#include <curses.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../book_ladder.h"
#include "../ui_internal.h"
#include "alphapulse/depth_sync.h"

void book_draw(struct ui *u, struct rect r);

#define COL 14                 /* price, size and cumulative columns */
#define MINE 12                /* the user's own orders' column */
#define BAR_MAX 60             /* the widest depth bar */

static void bar_text(const struct ui *u, char *buf, size_t n, int w)
{
    size_t at = 0;
    const char *cell = u->ascii ? "#" : "\xe2\x96\x88";     /* U+2588 full block */
    size_t cl = strlen(cell);
    for (int i = 0; i < w && at + cl < n; i++, at += cl)
        memcpy(buf + at, cell, cl);
    buf[at] = 0;
}

static void row_draw(struct ui *u, int y, struct rect r, const struct ladder_row *row, double max_cum, int attr)
{
    char px[32], qty[32], cum[32], own[40] = "", line[200], bar[3 * BAR_MAX + 1];
    fmt_px(u, u->sym, px, sizeof px, row->px);
    fmt_qty(u, u->sym, qty, sizeof qty, row->qty);
    fmt_qty(u, u->sym, cum, sizeof cum, row->cum);
    if (row->own > 0) {
        own[0] = '<';
        fmt_qty(u, u->sym, own + 1, sizeof own - 1, row->own);
    }
    snprintf(line, sizeof line, "%*s %*s %*s ", COL, px, COL, qty, COL, cum);
    ui_text(u, y, r.x, r.w, line, attr);
    int x = r.x + (int)strlen(line);
    if (own[0] && x < r.x + r.w)
        ui_text(u, y, x, r.x + r.w - x, own, attr | A_REVERSE | A_BOLD);
    x += MINE;
    int room = r.x + r.w - x;
    if (room <= 0 || !(max_cum > 0))
        return;
    if (room > BAR_MAX)
        room = BAR_MAX;
    int w = (int)(row->cum / max_cum * room + 0.5);
    bar_text(u, bar, sizeof bar, w < 1 ? 1 : w);
    ui_text(u, y, x, room, bar, attr);
}

#define TAPE_W 44              /* the trade tape's columns, right of the ladder */

/* The latest trades, newest first: time (UTC), price, size, side. */
static void tape_draw(struct ui *u, struct rect r, const struct snap_depth *d)
{
    char line[96];
    snprintf(line, sizeof line, "%-8s %13s %13s %4s", "time", "price", "size", "side");
    ui_text(u, r.y, r.x, r.w, line, A_BOLD);
    if (d->n_trades == 0 && r.h > 1)
        ui_text(u, r.y + 1, r.x, r.w, "no trades yet", ui_attr(u, C_DIM));
    for (int i = 0; i < d->n_trades && 1 + i < r.h; i++) {
        const struct snap_trade *t = &d->trades[i];
        char hms[16] = "--:--:--", px[32], qty[32];
        time_t sec = (time_t)(t->time_ms / 1000);
        struct tm tm;
        if (t->time_ms > 0 && gmtime_r(&sec, &tm))
            strftime(hms, sizeof hms, "%H:%M:%S", &tm);
        fmt_px(u, u->sym, px, sizeof px, t->px);
        fmt_qty(u, u->sym, qty, sizeof qty, t->qty);
        snprintf(line, sizeof line, "%-8s %13s %13s %4s", hms, px, qty, t->sell ? "sell" : "buy");
        ui_text(u, r.y + 1 + i, r.x, r.w, line, ui_attr(u, t->sell ? C_BEAR : C_BULL));
    }
}

/* The line of a screen without a ladder: why, and what turns it on. */
static void no_book(struct ui *u, struct rect r, const char *name, const struct snap_book *b)
{
    char line[256];
    if (!b->present)
        snprintf(line, sizeof line, "No order book for %s: market depth is off. Turn it on with "
                 "\"feed\": {\"depth\": true} in the config (Binance symbols, live feed).", name);
    else if (b->state == DEPTH_SYNCED)                 /* the view just changed: the next snapshot has it */
        snprintf(line, sizeof line, "Order book %s: loading the levels...", name);
    else
        snprintf(line, sizeof line, "Order book %s is %s: waiting for the venue's snapshot (resyncs %u, gaps %u).",
                 name, depth_state_name(b->state), b->resyncs, b->gaps);
    char wrapped[8][256];
    int n = 0;
    const char *p = line;
    while (*p && n < 8 && r.w > 10) {
        int w = (int)strlen(p) <= r.w - 2 ? (int)strlen(p) : r.w - 2;
        if (p[w]) {                      /* break at the last space that fits */
            int k = w;
            while (k > 0 && p[k] != ' ')
                k--;
            if (k > 0)
                w = k;
        }
        snprintf(wrapped[n++], sizeof wrapped[0], "%.*s", w, p);
        p += w;
        while (*p == ' ')
            p++;
    }
    for (int i = 0; i < n && 2 + i < r.h; i++)
        ui_text(u, r.y + 2 + i, r.x + 1, r.w - 1, wrapped[i], b->present ? ui_attr(u, C_BAD) : ui_attr(u, C_DIM));
}

/* The shown symbol's working limit orders on the ladder; returns those beyond it. */
static int mark_own(const struct ui *u, struct ladder *l, double tick, int group)
{
    const struct pf_view *v = &u->snap->paper;
    struct ladder_own own[PF_VIEW_ORDERS];
    int n = 0;
    for (int i = 0; i < v->n_orders && i < PF_VIEW_ORDERS; i++) {
        const struct broker_order *o = &v->orders[i];
        if (o->sym == u->sym && o->type == ORDER_LIMIT)
            own[n++] = (struct ladder_own){ o->side, o->price, o->qty };
    }
    return ladder_mark(l, own, n, tick, group);
}

void book_draw(struct ui *u, struct rect r)
{
    const struct snapshot *s = u->snap;
    if (r.h < 1 || r.w < 1)
        return;
    if (u->sym < 0 || u->sym >= s->n_symbols) {
        ui_text(u, r.y, r.x, r.w, "Order book: no symbol shown", A_BOLD);
        return;
    }
    const struct snap_symbol *sym = &s->symbols[u->sym];
    const struct snap_book *b = &sym->book;
    int group = u->book_group > 0 ? u->book_group : 1;
    char head[256], tick[32] = "?";
    if (b->tick > 0)
        fmt_px(u, u->sym, tick, sizeof tick, b->tick * group);
    snprintf(head, sizeof head, "Order book %s  %s%s  group %d tick%s (%s)  resyncs %u  gaps %u", sym->name,
             b->present ? depth_state_name(b->state) : "off", b->simulated ? "  book: simulated" : "", group,
             group > 1 ? "s" : "", tick, b->resyncs, b->gaps);
    ui_text(u, r.y, r.x, r.w, head, A_BOLD);
    const struct snap_depth *d = &s->depth;
    if (!b->present || d->sym != u->sym || (d->n_bids == 0 && d->n_asks == 0)) {
        no_book(u, r, sym->name, b);
        return;
    }
    struct ladder l;
    ladder_build(d->bids, d->n_bids, d->asks, d->n_asks, b->tick, group, &l);
    int beyond = mark_own(u, &l, b->tick, group);
    char spread[96] = "spread -";
    double ticks, bps;
    if (d->n_bids && d->n_asks && ladder_spread(d->bids[0].px, d->asks[0].px, b->tick, &ticks, &bps)) {
        if (ticks >= 0)
            snprintf(spread, sizeof spread, "spread %.0ft %.1fbps", ticks, bps);
        else
            snprintf(spread, sizeof spread, "spread %.1fbps", bps);
    }
    if (r.h > 1) {
        char help[160];
        char off[64] = "";
        if (beyond)
            snprintf(off, sizeof off, "  %d own order%s beyond the rows", beyond, beyond == 1 ? "" : "s");
        snprintf(help, sizeof help, "%s  :book-group 1|10|100  Esc back%s", spread, off);
        ui_text(u, r.y + 1, r.x, r.w, help, ui_attr(u, C_DIM));
    }
    if (r.h > 2) {
        char cols[96];
        snprintf(cols, sizeof cols, "%*s %*s %*s %-*s depth", COL, "price", COL, "size", COL, "cumulative", MINE,
                 "mine");
        ui_text(u, r.y + 2, r.x, r.w, cols, A_BOLD);
    }
    /* the trade tape on the right when both fit */
    if (r.w >= 2 * TAPE_W + 20 && r.h > 3) {
        tape_draw(u, (struct rect){ r.x + r.w - TAPE_W, r.y + 2, TAPE_W, r.h - 2 }, d);
        r.w -= TAPE_W + 2;
    }
    int show_a, show_b, y = r.y + 3;
    ladder_fit(r.h - 3, l.n_asks, l.n_bids, &show_a, &show_b);
    /* the bars share one scale: the deepest cumulative shown */
    double max_cum = 0;
    if (show_a && l.asks[show_a - 1].cum > max_cum)
        max_cum = l.asks[show_a - 1].cum;
    if (show_b && l.bids[show_b - 1].cum > max_cum)
        max_cum = l.bids[show_b - 1].cum;
    for (int i = show_a - 1; i >= 0; i--)
        row_draw(u, y++, r, &l.asks[i], max_cum, ui_attr(u, C_BEAR));
    if (y < r.y + r.h) {
        char mid[128];
        snprintf(mid, sizeof mid, "%*s %s", COL, u->ascii ? "--" : "──", spread);
        ui_text(u, y++, r.x, r.w, mid, A_BOLD);
    }
    for (int i = 0; i < show_b; i++)
        row_draw(u, y++, r, &l.bids[i], max_cum, ui_attr(u, C_BULL));
}
