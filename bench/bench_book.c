/* The order book screen's render per frame: book_draw (the ladder of 40 levels a
 * side grouped by 1 tick, cumulative depth bars, four of the user's limit orders
 * marked, the tape of 40 trades beside it) into a 200x60 curses screen whose
 * terminal is /dev/null, with the sizes changing every frame as a live book's do.
 * Prints p50/p99/mean of the compose alone (book_draw into the virtual screen)
 * and of compose + the terminal update (doupdate), in wall time and in the
 * thread's CPU time (what the render costs, without the time the scheduler gave
 * to others on a shared machine), each with its ratio to the goal: < 0.5 ms per
 * frame. Then the same for the wide layout's book panel (book_panel_draw, 48x20).
 * The machine may be shared: figures are what this run saw. */
#include <curses.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "alphapulse/depth_sync.h"
#include "../src/ui/ui_internal.h"

#define FRAMES 20000
#define COLS_ 200
#define ROWS_ 60

static int64_t ns_of(clockid_t id)
{
    struct timespec t;
    clock_gettime(id, &t);
    return (int64_t)t.tv_sec * 1000000000LL + t.tv_nsec;
}
static int64_t ns(void) { return ns_of(CLOCK_MONOTONIC); }
static int64_t cpu_ns(void) { return ns_of(CLOCK_THREAD_CPUTIME_ID); }

#define GOAL_US 500.0

static int cmp64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

static struct ui u;
static struct snapshot s;
static struct snap_symbol sym[1];
static struct position pos[1];
static struct broker_inst inst[1] = { { 0.01, 0.00001, 5, false } };
static struct risk_symbol_limits lim[1];
static double conv[1] = { 1 }, atr[1];
static struct metrics by_sym[1];
static struct ui_options opts = { .big_trade = 100000 };   /* ui.big_trade's default: some trades marked */

static void setup(void)
{
    u.snap = &s;
    s.symbols = sym;
    s.cap_symbols = s.n_symbols = 1;
    snprintf(sym[0].name, SYMBOL_MAX, "BTCUSDT");
    sym[0].book = (struct snap_book){ .present = true, .state = DEPTH_SYNCED, .bid = 97000, .ask = 97000.5,
                                      .tick = 0.01 };
    s.paper = (struct pf_view){ .n_sym = 1, .cap = 1, .sym_limits = lim, .pos = pos, .inst = inst, .conv = conv,
                                .atr = atr, .by_symbol = by_sym };
    struct snap_depth *d = &s.depth;
    d->sym = 0;
    d->n_bids = d->n_asks = d->n_trades = SNAP_DEPTH;
    for (int i = 0; i < SNAP_DEPTH; i++) {
        d->bids[i] = (struct snap_level){ 97000 - 0.5 * i, 0.1 + i * 0.013 };
        d->asks[i] = (struct snap_level){ 97000.5 + 0.5 * i, 0.2 + i * 0.011 };
        d->trades[i] = (struct snap_trade){ 1733011200000LL + i * 700, 97000 + (i % 3) * 0.5,
                                            0.001 * (i + 1) * (i % 7 == 0 ? 1000 : 1), i & 1 };
    }
    static const double own[4][2] = { { 96998.00, 1 }, { 96995.25, 1 }, { 97003.00, -1 }, { 97010.75, -1 } };
    for (int k = 0; k < 4; k++)
        s.paper.orders[k] = (struct broker_order){ .active = true, .id = (uint64_t)k + 1, .sym = 0,
                                                   .side = (int)own[k][1], .type = ORDER_LIMIT, .qty = 0.01,
                                                   .price = own[k][0] };
    s.paper.n_orders = 4;
    u.sym = 0;
    u.opts = &opts;
    u.book_group = 1;
    u.color = true;
    u.utf8 = true;
}

static void report(const char *what, int64_t *t, int n)
{
    double sum = 0;
    for (int i = 0; i < n; i++)
        sum += (double)t[i];
    qsort(t, (size_t)n, sizeof *t, cmp64);
    double p50 = (double)t[n / 2] / 1e3, p99 = (double)t[n * 99 / 100] / 1e3;
    printf("book_render: %s: p50 %.1f us, p99 %.1f us, mean %.1f us per frame; goal < %.0f us: p50 %.2fx, "
           "p99 %.2fx the goal\n", what, p50, p99, sum / n / 1e3, GOAL_US, p50 / GOAL_US, p99 / GOAL_US);
}

/* FRAMES frames of draw(r) with the sizes moving as a live book's do; the
 * timings into compose/frame (wall) and compose_cpu/frame_cpu (thread CPU). */
static void run(void (*draw)(struct ui *, struct rect), struct rect r, int64_t *t[4])
{
    for (int f = 0; f < FRAMES; f++) {
        struct snap_depth *d = &s.depth;
        d->bids[f % SNAP_DEPTH].qty = 0.05 + (f % 97) * 0.001;     /* a live book: sizes move */
        d->asks[(f * 7) % SNAP_DEPTH].qty = 0.07 + (f % 89) * 0.001;
        int64_t a = ns(), ac = cpu_ns();
        erase();
        draw(&u, r);
        int64_t b = ns(), bc = cpu_ns();
        wnoutrefresh(stdscr);
        doupdate();
        int64_t c = ns(), cc = cpu_ns();
        t[0][f] = b - a;
        t[1][f] = c - a;
        t[2][f] = bc - ac;
        t[3][f] = cc - ac;
    }
}

static void report_all(const char *name, int64_t *t[4])
{
    char what[128];
    snprintf(what, sizeof what, "%s compose, wall", name);
    report(what, t[0], FRAMES);
    snprintf(what, sizeof what, "%s compose, thread CPU", name);
    report(what, t[2], FRAMES);
    snprintf(what, sizeof what, "%s compose + doupdate to /dev/null, wall", name);
    report(what, t[1], FRAMES);
    snprintf(what, sizeof what, "%s compose + doupdate to /dev/null, thread CPU", name);
    report(what, t[3], FRAMES);
}

int main(void)
{
    setlocale(LC_ALL, "C.UTF-8");
    setenv("LINES", "60", 1);
    setenv("COLUMNS", "200", 1);
    FILE *out = fopen("/dev/null", "w"), *in = fopen("/dev/null", "r");
    SCREEN *scr = out && in ? newterm("xterm-256color", out, in) : NULL;
    if (!scr) {
        fprintf(stderr, "bench_book: no curses screen (xterm-256color terminfo)\n");
        return 1;
    }
    start_color();
    use_default_colors();
    for (int c = 1; c < 16; c++)
        init_pair((short)c, (short)(c % 8), -1);
    setup();
    int64_t *t[4];
    for (int k = 0; k < 4; k++)
        t[k] = malloc(FRAMES * sizeof *t[k]);
    run(book_draw, (struct rect){ 0, 0, COLS_, ROWS_ }, t);
    char head[32] = "", own[8] = "", big[8] = "";
    mvinnstr(0, 0, head, 18);
    bool drawn = strcmp(head, "Order book BTCUSDT") == 0;
    for (int y = 3; y < ROWS_ && !own[0]; y++) {               /* an own order's mark in the mine column */
        mvinnstr(y, 3 * 15, own, 1);
        if (own[0] != '<')
            own[0] = 0;
    }
    for (int y = 3; y < ROWS_ && !big[0]; y++) {               /* a big trade's mark after its side */
        char tail[8] = "";
        mvinnstr(y, COLS_ - 7, tail, 7);
        if (strstr(tail, "buy *") || strstr(tail, "sell *"))
            big[0] = '*';
    }
    printf("book_render: %d frames at %dx%d, 40 levels a side, 40 trades (6 big), 4 own orders "
           "(drawn: %s, marked: %s, big trades marked: %s)\n",
           FRAMES, COLS_, ROWS_, drawn ? "yes" : "NO", own[0] ? "yes" : "NO", big[0] ? "yes" : "NO");
    report_all("screen", t);
    run(book_panel_draw, (struct rect){ 0, 0, 48, 20 }, t);
    printf("book_render: the wide layout's panel, 48x20 (ladder rows: %s)\n",
           (mvinnstr(5, 0, head, 12), strchr(head, '.')) ? "yes" : "NO");
    report_all("panel", t);
    endwin();
    delscreen(scr);
    fclose(out);
    fclose(in);
    for (int k = 0; k < 4; k++)
        free(t[k]);
    return 0;
}
