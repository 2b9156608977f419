/* The UI thread: terminal setup and restore, layout, the draw loop. Draws only
 * when a new snapshot arrived or the user did something; curses sends only the
 * cells that changed, and nothing is cleared per frame, so nothing flickers. */
#include <curses.h>
#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alphapulse/ui.h"
#include "ui_internal.h"

#define MIN_COLS 40
#define MIN_ROWS 12
#define SIDEBAR_MIN_COLS 110
#define SIDEBAR_W 34

static volatile sig_atomic_t ui_signal;
static volatile sig_atomic_t ui_active;

static void on_term(int sig) { ui_signal = sig; }

/* A crash must not leave the terminal in raw mode. */
static void on_crash(int sig)
{
    if (ui_active)
        endwin();
    signal(sig, SIG_DFL);
    raise(sig);
}

int ui_attr(const struct ui *u, enum ui_color c)
{
    if (!u->color) {
        switch (c) {
        case C_BAR: case C_SEL: return A_REVERSE;
        case C_BEAR: case C_BAD: return A_BOLD;
        case C_DIM: return A_DIM;
        default: return 0;
        }
    }
    return COLOR_PAIR(c);
}

static void colors_init(struct ui *u)
{
    const char *nc = getenv("NO_COLOR");
    u->color = has_colors() && !(nc && *nc);
    if (!u->color)
        return;
    start_color();
    use_default_colors();
    init_pair(C_BULL, COLOR_GREEN, -1);
    init_pair(C_BEAR, COLOR_RED, -1);
    init_pair(C_EMA, COLOR_YELLOW, -1);
    init_pair(C_DIM, COLOR_CYAN, -1);
    init_pair(C_BAR, COLOR_BLACK, COLOR_CYAN);
    init_pair(C_VOL, COLOR_BLUE, -1);
    init_pair(C_GOOD, COLOR_GREEN, -1);
    init_pair(C_BAD, COLOR_RED, -1);
    init_pair(C_SEL, COLOR_YELLOW, -1);
}

static void draw(struct ui *u)
{
    int rows, cols;
    getmaxyx(stdscr, rows, cols);
    erase();
    if (cols < MIN_COLS || rows < MIN_ROWS) {
        mvaddnstr(0, 0, "terminal too small (need 40x12)", cols);
        wnoutrefresh(stdscr);
        doupdate();
        return;
    }
    header_draw(u, (struct rect){ 0, 0, cols, 1 });
    account_draw(u, (struct rect){ 0, 1, cols, 1 });
    int side = cols >= SIDEBAR_MIN_COLS ? SIDEBAR_W : 0;
    int sig_h = rows >= 30 ? 7 : 0;   /* signal queue under the chart on tall terminals */
    chart_draw(u, (struct rect){ 0, 2, cols - side - 1, rows - 3 - sig_h });
    if (sig_h)
        signals_draw(u, (struct rect){ 0, rows - 1 - sig_h, cols - side - 1, sig_h });
    if (side) {
        int reg_h = rows - 3 >= 24 ? TF_COUNT + 3 : 0;   /* regimes at the foot of the sidebar */
        sidebar_draw(u, (struct rect){ cols - side, 2, side, rows - 3 - reg_h });
        if (reg_h)
            regimes_draw(u, (struct rect){ cols - side + 2, rows - 1 - reg_h, side - 2, reg_h });
    }
    status_draw(u, (struct rect){ 0, rows - 1, cols, 1 });
    if (u->detail)
        signal_detail_draw(u);
    if (u->help)
        help_draw(u);
    wnoutrefresh(stdscr);
    doupdate();
}

int ui_run(struct engine_thread *et, const struct ui_options *o)
{
    struct ui u = { .et = et, .cw = 2, .tf = TF_1M };
    u.snap = calloc(1, sizeof *u.snap);
    if (!u.snap)
        return 1;
    setlocale(LC_ALL, "");
    const char *cs = nl_langinfo(CODESET);
    u.ascii = o->ascii || !cs || strcmp(cs, "UTF-8") != 0;
    struct sigaction sa = { .sa_handler = on_term };
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    signal(SIGSEGV, on_crash);
    signal(SIGBUS, on_crash);
    signal(SIGFPE, on_crash);
    signal(SIGABRT, on_crash);
    if (!isatty(STDIN_FILENO) || !initscr()) {
        free(u.snap);
        return 1;
    }
    ui_active = 1;
    cbreak();
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    curs_set(0);
    set_escdelay(25);
    timeout(33);
    colors_init(&u);
    u.dirty = true;
    engine_thread_view(et, u.sym, u.tf);
    while (!u.quit && !ui_signal) {
        if (engine_thread_snapshot(et, u.snap, u.seq)) {
            u.seq = u.snap->seq;
            u.dirty = true;
        }
        if (u.dirty) {
            draw(&u);
            u.dirty = false;
        }
        int ch = getch();
        if (ch == ERR)
            continue;
        u.dirty = true;
        if (ch == KEY_RESIZE)
            continue;
        if (u.help) {
            u.help = false;            /* any key closes the overlay */
            if (ch == 27 || ch == '?')
                continue;
        }
        if (u.detail && ch == 27) {
            u.detail = false;
            continue;
        }
        int sym = u.sym, tf = u.tf;
        u.msg[0] = 0;
        if (!keymap_dispatch(&u, ch) && ch != 27)
            snprintf(u.msg, sizeof u.msg, "key not bound; ? shows the keys");
        if (sym != u.sym || tf != u.tf)
            engine_thread_view(et, u.sym, u.tf);
    }
    endwin();
    ui_active = 0;
    free(u.snap);
    return 0;
}
