/* The order book screen (D, :book): the shown symbol's price ladder from the
 * snapshot's top levels (feed.depth), asks above and bids below with the best
 * of each next to the spread, size and cumulative depth per row with a bar,
 * levels grouped into buckets of :book-group ticks, the spread in ticks and
 * bps, the book's state (`book: simulated` for the demo's synthetic book), the
 * user's working limit orders marked on their rows (a row of their own between
 * levels), and the latest trades on the right when the screen is wide enough.
 * Without a book it says so and how to get one. book_panel_draw is the same
 * ladder, narrower (price, size, own orders, depth bar), for the wide layout's
 * right column. */
#include <curses.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>

#include "../book_ladder.h"
#include "../ui_internal.h"
#include "alphapulse/depth_sync.h"

#define COL 14                 /* price, size and cumulative columns */
#define MINE 12                /* the user's own orders' column */
#define BAR_MAX 60             /* the widest depth bar */
#define PCOL 10                /* the right column's panel: price and size columns */
#define PMINE 8                /*   and its own orders' column */

/* The columns of a ladder's rows: the screen's (with the cumulative), the panel's. */
struct cols { int w, mine; bool cum; };
static const struct cols SCREEN_COLS = { COL, MINE, true }, PANEL_COLS = { PCOL, PMINE, false };

/* The frame's number formats, worked out once per frame: fmt_px and fmt_qty
 * search for their increment's decimals on every call, and the ladder and the
 * tape format over two hundred numbers a frame. Prices in the tick (rounded to
 * it), sizes in the step, as fmt_px and fmt_qty show them. */
struct nums { double tick; int pdec, qdec; };

static struct nums nums_of(const struct ui *u)
{
    const struct pf_view *v = &u->snap->paper;
    bool known = u->sym >= 0 && u->sym < u->snap->n_symbols && v->inst;
    struct nums f = { known ? v->inst[u->sym].tick : 0, -1, fmt_decimals(known ? v->inst[u->sym].step : 0) };
    if (f.tick > 0)
        f.pdec = fmt_decimals(f.tick);
    return f;
}

/* v with dec decimals, as "%.*f" prints it (ties aside: rounded half away
 * from zero), without printf's arbitrary-precision path. */
static void fixed_text(char *buf, size_t n, double v, int dec)
{
    static const double P10[] = { 1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12 };
    double sc = v * P10[dec < 0 ? 0 : dec > 12 ? 12 : dec];
    if (dec < 0 || dec > 12 || !(fabs(sc) < 1e15) || n < 24) {
        snprintf(buf, n, "%.*f", dec < 0 ? 0 : dec, v);
        return;
    }
    long long k = llround(sc);
    char tmp[24];
    int len = 0;
    unsigned long long a = k < 0 ? (unsigned long long)-k : (unsigned long long)k;
    for (int i = 0; i < dec; i++, a /= 10)                   /* the decimals, last first */
        tmp[len++] = (char)('0' + a % 10);
    if (dec > 0)
        tmp[len++] = '.';
    do                                                       /* then the whole part */
        tmp[len++] = (char)('0' + a % 10);
    while (a /= 10);
    size_t at = 0;
    if (signbit(v))                                          /* as printf: -0.00 */
        buf[at++] = '-';
    while (len)
        buf[at++] = tmp[--len];
    buf[at] = 0;
}

static void nums_px(const struct nums *f, char *buf, size_t n, double p)
{
    if (f->pdec >= 0)
        fixed_text(buf, n, round(p / f->tick) * f->tick, f->pdec);
    else {
        double a = fabs(p);
        fixed_text(buf, n, p, a >= 1000 ? 2 : a >= 1 ? 4 : a >= 0.01 ? 6 : 8);
    }
}

static void nums_qty(const struct nums *f, char *buf, size_t n, double q)
{
    double a = fabs(q);
    fixed_text(buf, n, q, f->qdec >= 0 ? f->qdec : a >= 1000 ? 2 : a >= 1 ? 4 : 8);
}

/* A depth bar of w cells at (y, x): one line call, no text to convert. */
static void bar_draw(const struct ui *u, int y, int x, int w, int attr)
{
    if (u->ascii) {
        mvhline(y, x, (chtype)'#' | (chtype)attr, w);
        return;
    }
    static const wchar_t block[] = { 0x2588, 0 };             /* U+2588 full block */
    cchar_t c;
    setcchar(&c, block, (attr_t)attr & ~A_COLOR, (short)PAIR_NUMBER(attr), NULL);
    mvhline_set(y, x, &c, w);
}

static void row_draw(struct ui *u, const struct nums *f, int y, struct rect r, const struct ladder_row *row,
                     double max_cum, int attr, const struct cols *c)
{
    char px[32], qty[32], cum[32] = "", own[40] = "", line[200];
    nums_px(f, px, sizeof px, row->px);
    nums_qty(f, qty, sizeof qty, row->qty);
    if (c->cum)
        nums_qty(f, cum, sizeof cum, row->cum);
    if (row->own > 0) {
        own[0] = '<';
        nums_qty(f, own + 1, sizeof own - 1, row->own);
    }
    if (c->cum)
        snprintf(line, sizeof line, "%*s %*s %*s ", c->w, px, c->w, qty, c->w, cum);
    else
        snprintf(line, sizeof line, "%*s %*s ", c->w, px, c->w, qty);
    ui_text(u, y, r.x, r.w, line, attr);
    int x = r.x + (int)strlen(line);
    if (own[0] && x < r.x + r.w)
        ui_text(u, y, x, r.x + r.w - x, own, attr | A_REVERSE | A_BOLD);
    x += c->mine;
    int room = r.x + r.w - x;
    if (room <= 0 || !(max_cum > 0))
        return;
    if (room > BAR_MAX)
        room = BAR_MAX;
    int w = (int)(row->cum / max_cum * room + 0.5);
    bar_draw(u, y, x, w < 1 ? 1 : w, attr);
}

#define TAPE_W 44              /* the trade tape's columns, right of the ladder */

/* A trade's notional in the account currency (in its quote currency while the
 * conversion is unknown). */
static double notional(const struct ui *u, const struct snap_trade *t)
{
    const struct pf_view *v = &u->snap->paper;
    double conv = v->conv && u->sym < v->n_sym ? v->conv[u->sym] : 0;
    return t->px * t->qty * (conv > 0 ? conv : 1);
}

/* The latest trades, newest first: time (UTC), price, size, side; a trade of
 * ui.big_trade or more in reverse video with a `*` after its side, so it shows
 * without colour too. */
static void tape_draw(struct ui *u, const struct nums *f, struct rect r, const struct snap_depth *d)
{
    char line[96];
    double big = u->opts ? u->opts->big_trade : 0;
    snprintf(line, sizeof line, "%-8s %13s %13s %4s", "time", "price", "size", "side");
    ui_text(u, r.y, r.x, r.w, line, A_BOLD);
    if (d->n_trades == 0 && r.h > 1)
        ui_text(u, r.y + 1, r.x, r.w, "no trades yet", ui_attr(u, C_DIM));
    for (int i = 0; i < d->n_trades && 1 + i < r.h; i++) {
        const struct snap_trade *t = &d->trades[i];
        char hms[16] = "--:--:--", px[32], qty[32];
        if (t->time_ms > 0) {                  /* UTC: the time of day is the seconds modulo a day */
            int d = (int)(t->time_ms / 1000 % 86400);
            snprintf(hms, sizeof hms, "%02d:%02d:%02d", d / 3600, d / 60 % 60, d % 60);
        }
        nums_px(f, px, sizeof px, t->px);
        nums_qty(f, qty, sizeof qty, t->qty);
        bool whale = big > 0 && notional(u, t) >= big;
        snprintf(line, sizeof line, "%-8s %13s %13s %4s%s", hms, px, qty, t->sell ? "sell" : "buy",
                 whale ? " *" : "");
        ui_text(u, r.y + 1 + i, r.x, r.w, line,
                ui_attr(u, t->sell ? C_BEAR : C_BULL) | (whale ? A_REVERSE | A_BOLD : 0));
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

/* The spread line's text: ticks and bps, or "spread -" with a side missing. */
static void spread_text(const struct snap_depth *d, double tick, char *out, size_t n)
{
    double ticks, bps;
    snprintf(out, n, "spread -");
    if (d->n_bids && d->n_asks && ladder_spread(d->bids[0].px, d->asks[0].px, tick, &ticks, &bps)) {
        if (ticks >= 0)
            snprintf(out, n, "spread %.0ft %.1fbps", ticks, bps);
        else
            snprintf(out, n, "spread %.1fbps", bps);
    }
}

/* The ladder's rows in r: asks (best at the bottom), the spread line, bids, as
 * many as fit, the bars on one scale (the deepest cumulative shown). */
static void ladder_draw(struct ui *u, struct rect r, const struct ladder *l, const char *spread, const struct cols *c)
{
    struct nums f = nums_of(u);
    int show_a, show_b, y = r.y;
    ladder_fit(r.h, l->n_asks, l->n_bids, &show_a, &show_b);
    double max_cum = 0;
    if (show_a && l->asks[show_a - 1].cum > max_cum)
        max_cum = l->asks[show_a - 1].cum;
    if (show_b && l->bids[show_b - 1].cum > max_cum)
        max_cum = l->bids[show_b - 1].cum;
    for (int i = show_a - 1; i >= 0; i--)
        row_draw(u, &f, y++, r, &l->asks[i], max_cum, ui_attr(u, C_BEAR), c);
    if (y < r.y + r.h) {
        char mid[128];
        snprintf(mid, sizeof mid, "%*s %s", c->w, u->ascii ? "--" : "──", spread);
        ui_text(u, y++, r.x, r.w, mid, A_BOLD);
    }
    for (int i = 0; i < show_b; i++)
        row_draw(u, &f, y++, r, &l->bids[i], max_cum, ui_attr(u, C_BULL), c);
}

/* The shown symbol's book when its levels are in the snapshot, else NULL. */
static const struct snap_depth *levels_of(const struct ui *u)
{
    const struct snapshot *s = u->snap;
    const struct snap_depth *d = &s->depth;
    const struct snap_book *b = &s->symbols[u->sym].book;
    return b->present && d->sym == u->sym && (d->n_bids || d->n_asks) ? d : NULL;
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
    const struct snap_depth *d = levels_of(u);
    if (!d) {
        no_book(u, r, sym->name, b);
        return;
    }
    struct ladder l;
    ladder_build(d->bids, d->n_bids, d->asks, d->n_asks, b->tick, group, &l);
    int beyond = mark_own(u, &l, b->tick, group);
    char spread[96];
    spread_text(d, b->tick, spread, sizeof spread);
    if (r.h > 1) {
        char help[224];
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
        struct nums f = nums_of(u);
        tape_draw(u, &f, (struct rect){ r.x + r.w - TAPE_W, r.y + 2, TAPE_W, r.h - 2 }, d);
        r.w -= TAPE_W + 2;
    }
    if (r.h > 3)
        ladder_draw(u, (struct rect){ r.x, r.y + 3, r.w, r.h - 3 }, &l, spread, &SCREEN_COLS);
}

void book_panel_draw(struct ui *u, struct rect r)
{
    const struct snapshot *s = u->snap;
    if (r.h < 1 || r.w < 1 || u->sym < 0 || u->sym >= s->n_symbols)
        return;
    const struct snap_book *b = &s->symbols[u->sym].book;
    const struct snap_depth *d = levels_of(u);
    if (!d) {
        char line[96];
        snprintf(line, sizeof line, "%s %s", s->symbols[u->sym].name,
                 b->present ? depth_state_name(b->state) : "has no book");
        ui_text(u, r.y, r.x, r.w, line, ui_attr(u, C_DIM));
        return;
    }
    int group = u->book_group > 0 ? u->book_group : 1;
    struct ladder l;
    ladder_build(d->bids, d->n_bids, d->asks, d->n_asks, b->tick, group, &l);
    mark_own(u, &l, b->tick, group);
    char spread[96], head[160];
    spread_text(d, b->tick, spread, sizeof spread);
    snprintf(head, sizeof head, "%s%s  group %d  D: full", spread, b->simulated ? "  simulated" : "", group);
    ui_text(u, r.y, r.x, r.w, head, ui_attr(u, C_DIM));
    if (r.h > 1)
        ladder_draw(u, (struct rect){ r.x, r.y + 1, r.w, r.h - 1 }, &l, spread, &PANEL_COLS);
}
