/* The UI thread: terminal setup and restore, themes, the screens table, input
 * modes and the draw loop.
 * Rendering: a frame is drawn only when a new snapshot arrived or the user did
 * something, at most `fps` (default 30) times a second; every frame erase()s the
 * virtual screen and curses sends only the cells that changed (no clear(), so
 * nothing flickers and an idle screen sends nothing).
 * Restoring the terminal: q and SIGTERM/SIGINT/SIGHUP end the loop and endwin();
 * a crash (SIGSEGV, SIGABRT, ... in any thread, the engine's included) runs an
 * async-signal-safe handler that writes the saved "leave" sequences and the
 * saved tty modes before dying; exit() from elsewhere goes through atexit. */
#include <curses.h>
#include <langinfo.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <term.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "alphapulse/clock.h"
#include "alphapulse/log.h"
#include "alphapulse/ui.h"
#include "ui_internal.h"

static volatile sig_atomic_t ui_signal;
static volatile sig_atomic_t ui_active;
static struct termios saved_tty;
static bool saved_tty_ok;
static char leave_seq[256];
static size_t leave_len;

static void on_term(int sig) { ui_signal = sig; }

static void restore_raw(void)
{
    if (leave_len && write(STDOUT_FILENO, leave_seq, leave_len) < 0) {
        /* nothing more we can do */
    }
    if (saved_tty_ok)
        tcsetattr(STDIN_FILENO, TCSANOW, &saved_tty);
}

static void on_crash(int sig)
{
    if (ui_active) {
        ui_active = 0;
        restore_raw();
    }
    signal(sig, SIG_DFL);
    raise(sig);
}

static void on_exit_restore(void)
{
    if (ui_active) {
        ui_active = 0;
        endwin();
    }
}

/* The sequences that take the terminal out of the UI, captured while terminfo
 * is loaded so that the crash handler only has to write() them. */
static void capture_leave_seq(void)
{
    const char *caps[] = { "sgr0", "cnorm", "rmkx", "rmcup" };
    leave_len = 0;
    const char *mouse_off = "\033[?1000l\033[?1002l\033[?1006l";
    size_t ml = strlen(mouse_off);
    memcpy(leave_seq, mouse_off, ml);
    leave_len = ml;
    for (size_t i = 0; i < sizeof caps / sizeof caps[0]; i++) {
        char *s = tigetstr((char *)caps[i]);
        if (!s || s == (char *)-1)
            continue;
        size_t l = strlen(s);
        if (leave_len + l < sizeof leave_seq) {
            memcpy(leave_seq + leave_len, s, l);
            leave_len += l;
        }
    }
    if (leave_len + 2 < sizeof leave_seq)
        leave_seq[leave_len++] = '\r', leave_seq[leave_len++] = '\n';
}

/* ---- themes -------------------------------------------------------------- */

static int term_colors(void) { return COLORS; }

static int map_color(struct theme_color c)
{
    if (c.kind == THEME_DEFAULT)
        return -1;
    int n = term_colors();
    if (n >= 0x1000000) {                /* direct colour (TERM=*-direct): exact RGB */
        if (c.kind == THEME_INDEX && c.value < 8)
            return c.value;
        int rgb = theme_rgb(c);
        return rgb < 8 ? 8 : rgb;
    }
    return theme_nearest(c, n >= 256 ? 256 : n >= 16 ? 16 : 8);
}

static bool theme_has_colour(const struct theme *t)
{
    for (int i = 0; i < TR_COUNT; i++)
        if (t->c[i].kind != THEME_DEFAULT)
            return true;
    return false;
}

static void colors_apply(struct ui *u)
{
    u->color = !u->no_color && has_colors() && theme_has_colour(&u->theme);
    if (!u->color) {
        bkgdset(' ');
        return;
    }
    static const struct { int pair, fg, bg; } pairs[] = {
        { C_TEXT, TR_FG, TR_BG }, { C_BULL, TR_BULL, TR_BG }, { C_BEAR, TR_BEAR, TR_BG },
        { C_EMA, TR_EMA, TR_BG }, { C_RSI, TR_RSI, TR_BG }, { C_DIM, TR_MUTED, TR_BG },
        { C_BAR, TR_HEADER_FG, TR_HEADER_BG }, { C_GOOD, TR_GOOD, TR_BG }, { C_BAD, TR_BAD, TR_BG },
        { C_SEL, TR_SELECT, TR_BG }, { C_BORDER, TR_BORDER, TR_BG }, { C_FOCUS, TR_FOCUS, TR_BG },
        { C_CURSOR, TR_CURSOR_FG, TR_CURSOR_BG }, { C_LAST, TR_LAST, TR_BG },
    };
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        int fg = map_color(u->theme.c[pairs[i].fg]), bg = map_color(u->theme.c[pairs[i].bg]);
        init_extended_pair(pairs[i].pair, fg, bg);
    }
    bkgdset(' ' | COLOR_PAIR(C_TEXT));
}

int ui_set_theme(struct ui *u, const char *name)
{
    char path[1024], err[512];
    struct theme t;
    theme_defaults(&t);
    if (theme_resolve(name, path, sizeof path)) {
        ui_message(u, true, "%s", path);
        return -1;
    }
    if (theme_load(path, &t, err, sizeof err)) {
        ui_message(u, true, "%s", err);
        log_warn("theme: %s", err);
        return -1;
    }
    u->theme = t;
    if (ui_active)
        colors_apply(u);
    log_info("theme: %s (%s)", t.name, path);
    return 0;
}

/* ---- screens ------------------------------------------------------------- */

static void main_draw(struct ui *u)
{
    struct layout *l = &u->lay;
    header_draw(u, l->header);
    account_draw(u, l->account);
    chart_draw(u, l->chart);
    for (int i = 0; i < l->n; i++) {
        int p = l->at[i].panel;
        struct rect r = l->at[i].r;
        ui_frame(u, r, ui_panels[p]->title, u->focus == p);
        ui_panels[p]->draw(u, (struct rect){ r.x + 1, r.y + 1, r.w - 2, r.h - 2 }, &u->ps[p]);
    }
    if (l->book.w > 0) {
        ui_frame(u, l->book, "Order book", false);
        book_panel_draw(u, (struct rect){ l->book.x + 1, l->book.y + 1, l->book.w - 2, l->book.h - 2 });
    }
    if (u->mode == MODE_SEARCH)
        search_draw(u);
}

/* Full screens drawn from a panel function over everything but the status line. */
static void whole(struct ui *u, void (*fn)(struct ui *, struct rect))
{
    int rows, cols;
    getmaxyx(stdscr, rows, cols);
    (void)rows;
    fn(u, (struct rect){ 0, 0, cols, u->lay.status.y });
}
static void health_screen_draw(struct ui *u) { whole(u, health_draw); }
static void alerts_screen_draw(struct ui *u) { whole(u, alerts_draw); }
static void signal_screen_draw(struct ui *u) { whole(u, signal_detail_draw); }
static void book_screen_draw(struct ui *u) { whole(u, book_draw); }

const struct ui_screen ui_screens[] = {
    [SCREEN_MAIN] = { "main", main_draw, NULL },
    [SCREEN_HELP] = { "help", help_screen_draw, help_screen_key },
    [SCREEN_HEALTH] = { "health", health_screen_draw, NULL },
    [SCREEN_ALERTS] = { "alerts", alerts_screen_draw, NULL },
    [SCREEN_SETTINGS] = { "settings", settings_screen_draw, settings_screen_key },
    [SCREEN_SIGNAL] = { "signal", signal_screen_draw, NULL },
    [SCREEN_SCAN] = { "scan", scanner_draw, scanner_key },
    [SCREEN_BOOK] = { "book", book_screen_draw, NULL },
};
const int ui_screen_count = sizeof ui_screens / sizeof ui_screens[0];

/* ---- frame timing statistics (u->stats), logged at exit ------------------ */

static void stat_add(struct ui_frame_stats *st, int h, int64_t us)
{
    int b = (int)(us / 10);
    st->hist[h][b > UI_HIST_BUCKETS ? UI_HIST_BUCKETS : b < 0 ? 0 : b]++;
}

static double stat_pct(const struct ui_frame_stats *st, int h, double p)
{
    uint64_t want = (uint64_t)(p * (double)st->frames), acc = 0;
    for (int i = 0; i <= UI_HIST_BUCKETS; i++) {
        acc += st->hist[h][i];
        if (acc > want)
            return (i + 1) * 0.01;          /* ms, bucket upper edge */
    }
    return UI_HIST_BUCKETS * 0.01;
}

static void draw(struct ui *u)
{
    int rows, cols;
    getmaxyx(stdscr, rows, cols);
    int64_t t0 = (clock_mono_ns() / 1000), c0 = clock_thread_cpu_us();
    erase();
    layout_compute(&u->lay, cols, rows - 1, u->side, u);   /* the last row is the risk bar */
    if (u->lay.kind == LAYOUT_TOO_SMALL) {
        char m[64];
        /* the layout gets the rows above the risk bar: the terminal needs one more */
        snprintf(m, sizeof m, "terminal too small (need %dx%d)", LAYOUT_MIN_COLS, LAYOUT_MIN_ROWS + 1);
        if ((int)strlen(m) > cols)
            snprintf(m, sizeof m, "%s", cols >= 18 ? "terminal too small" : "too small");
        mvaddnstr(0, 0, m, cols);
    } else {
        if (u->screen < 0 || u->screen >= ui_screen_count)
            u->screen = SCREEN_MAIN;
        ui_screens[u->screen].draw(u);
        status_draw(u, u->lay.status);
        riskbar_draw(u, (struct rect){ 0, rows - 1, cols, 1 });
        paper_ui_draw(u);                   /* ticket, prompts, performance: over everything */
    }
    int64_t c1 = clock_thread_cpu_us();
    wnoutrefresh(stdscr);
    doupdate();
    stat_add(&u->stats, UI_H_WALL, (clock_mono_ns() / 1000) - t0);
    stat_add(&u->stats, UI_H_CPU, clock_thread_cpu_us() - c0);
    stat_add(&u->stats, UI_H_COMPOSE, c1 - c0);
    u->stats.frames++;
}

/* ---- input --------------------------------------------------------------- */

static void history_add(struct ui *u, const char *line)
{
    if (!*line || (u->hist_n && strcmp(u->hist[u->hist_n - 1], line) == 0))
        return;
    if (u->hist_n == UI_HISTORY) {
        memmove(u->hist[0], u->hist[1], sizeof u->hist[0] * (UI_HISTORY - 1));
        u->hist_n--;
    }
    snprintf(u->hist[u->hist_n++], UI_LINE, "%s", line);
}

static void line_key(struct ui *u, int ch)
{
    size_t len = strlen(u->line);
    if (ch == KEY_BACKSPACE || ch == 127 || ch == 8) {
        if (len)
            u->line[len - 1] = 0;
        else
            u->mode = MODE_NORMAL;             /* backspace on an empty line leaves */
    } else if (ch == 21) {                     /* C-u */
        u->line[0] = 0;
    } else if (ch >= ' ' && ch < 127 && len + 1 < UI_LINE) {
        u->line[len] = (char)ch;
        u->line[len + 1] = 0;
    }
}

static void command_key(struct ui *u, int ch)
{
    if (ch == 27) {
        u->mode = MODE_NORMAL;
        u->msg[0] = 0;
    } else if (ch == '\r' || ch == '\n' || ch == KEY_ENTER) {
        char line[UI_LINE];
        snprintf(line, sizeof line, "%s", u->line);
        u->mode = MODE_NORMAL;
        u->msg[0] = 0;
        history_add(u, line);
        keymap_run(u, line);
    } else if (ch == '\t') {
        keymap_complete(u, u->line, sizeof u->line);
    } else if (ch == KEY_UP || ch == 16) {
        if (u->hist_pos > 0)
            snprintf(u->line, UI_LINE, "%s", u->hist[--u->hist_pos]);
    } else if (ch == KEY_DOWN || ch == 14) {
        if (u->hist_pos < u->hist_n - 1)
            snprintf(u->line, UI_LINE, "%s", u->hist[++u->hist_pos]);
        else {
            u->hist_pos = u->hist_n;
            u->line[0] = 0;
        }
    } else {
        line_key(u, ch);
    }
}

static void search_key(struct ui *u, int ch)
{
    int idx[SEARCH_MAX];
    int n = search_matches(u, idx, SEARCH_MAX);
    if (ch == 27) {
        u->mode = MODE_NORMAL;
    } else if (ch == '\r' || ch == '\n' || ch == KEY_ENTER) {
        u->mode = MODE_NORMAL;
        if (n > 0)
            ui_select_symbol(u, idx[u->search_sel < n ? u->search_sel : 0]);
        else
            ui_message(u, true, "no symbol matches \"%s\"", u->line);
    } else if (ch == KEY_UP || ch == 16) {
        if (u->search_sel > 0)
            u->search_sel--;
    } else if (ch == KEY_DOWN || ch == 14 || ch == '\t') {
        if (u->search_sel < n - 1)
            u->search_sel++;
    } else {
        line_key(u, ch);
        u->search_sel = 0;
    }
}

static bool in_rect(struct rect r, int x, int y) { return x >= r.x && x < r.x + r.w && y >= r.y && y < r.y + r.h; }

static void mouse_key(struct ui *u)
{
    MEVENT ev;
    if (getmouse(&ev) != OK || u->screen != SCREEN_MAIN || u->mode != MODE_NORMAL)
        return;
    bool wheel_up = ev.bstate & BUTTON4_PRESSED;
    bool wheel_down = ev.bstate & BUTTON5_PRESSED;
    bool click = ev.bstate & (BUTTON1_CLICKED | BUTTON1_PRESSED);
    if (in_rect(u->lay.chart, ev.x, ev.y)) {
        if (wheel_up || wheel_down) {
            u->cw += wheel_up ? 1 : -1;
            u->cw = u->cw < 1 ? 1 : u->cw > 7 ? 7 : u->cw;
        } else if (click) {
            u->focus = -1;
            if (ev.y > u->lay.chart.y)
                chart_click(u, ev.x, ev.y);
        }
        return;
    }
    for (int i = 0; i < u->lay.n; i++) {
        struct rect r = u->lay.at[i].r;
        if (!in_rect(r, ev.x, ev.y))
            continue;
        int p = u->lay.at[i].panel;
        const struct panel *pn = ui_panels[p];
        int n = pn->rows ? pn->rows(u) : 0;
        ui_focus_panel(u, p);
        if (wheel_up || wheel_down) {
            keymap_run(u, wheel_up ? "up" : "down");
        } else if (click && ev.y > r.y && ev.y < r.y + r.h - 1) {
            int row = u->ps[p].scroll + ev.y - r.y - 1;
            if (row < n) {
                u->ps[p].sel = row;
                if (pn->activate)
                    pn->activate(u, row);
            }
        }
        return;
    }
}

static void handle_key(struct ui *u, int ch)
{
    if (ch == KEY_MOUSE) {
        mouse_key(u);
        return;
    }
    if (u->mode == MODE_COMMAND) {
        command_key(u, ch);
        return;
    }
    if (u->mode == MODE_SEARCH) {
        search_key(u, ch);
        return;
    }
    u->msg[0] = 0;
    if (paper_ui_key(u, ch))               /* an open ticket, prompt, performance screen, orders focus */
        return;
    const struct ui_screen *sc = &ui_screens[u->screen];
    if (sc->key && sc->key(u, ch))
        return;
    if (!keymap_dispatch(u, ch)) {
        char kn[16];
        keymap_key_name(ch, kn, sizeof kn);
        ui_message(u, false, "%s: key not bound; ? shows the keys", kn);
    }
}

/* ---- the loop ------------------------------------------------------------ */

/* Time must not run past a price the user is deciding on: in a replay, the order
 * ticket and a signal's detail pause it (ui.pause_on_ticket) and closing them
 * resumes it, unless the user paused or resumed it meanwhile. */
static void replay_hold(struct ui *u)
{
    const struct ui_options *o = u->opts;
    if (!o || !o->replay || !o->pause_on_ticket)
        return;
    bool want = u->paper.tk.open || u->screen == SCREEN_SIGNAL;
    struct ui_replay_state st;
    char m[128];
    if (want && u->replay_hold == 0) {
        if (o->replay(o->ctx, UI_REPLAY_GET, 0, &st, m, sizeof m))
            return;
        u->replay_hold = 2;
        if (!st.paused && o->replay(o->ctx, UI_REPLAY_PAUSE, 1, &st, m, sizeof m) == 0) {
            u->replay_hold = 1;
            if (!u->msg[0])
                ui_message(u, false, "replay paused until %s closes",
                           u->paper.tk.open ? "the ticket" : "the signal");
        }
    } else if (!want && u->replay_hold) {
        if (u->replay_hold == 1)
            o->replay(o->ctx, UI_REPLAY_PAUSE, 0, &st, m, sizeof m);
        u->replay_hold = 0;
    }
}

static bool tty_gone(void)
{
    struct pollfd p = { .fd = STDIN_FILENO, .events = POLLIN };
    return poll(&p, 1, 0) > 0 && (p.revents & (POLLHUP | POLLERR | POLLNVAL));
}

static void ui_free(struct ui *u)
{
    free(u->settings);
    free(u->scan_rows);
    free(u->watch);
    hist_free(&u->older);
    snapshot_free(u->snap);
    free(u);
}

/* The console's state before the terminal is touched: bindings, settings,
 * character set, theme. NULL with *rc set (2: a bad --theme, said on stderr). */
static struct ui *ui_new(struct engine_thread *et, const struct ui_options *o, int *rc)
{
    *rc = 1;
    struct ui *u = calloc(1, sizeof *u);
    if (!u)
        return NULL;
    u->et = et;
    u->opts = o;
    if (o->keys)
        u->keys = *o->keys;
    else
        keymap_init(&u->keys);
    u->cw = 2;
    u->tf = TF_1M;
    u->focus = -1;
    u->side = 0;
    u->set = (struct ui_settings){ .volume = true, .ema = true, .rsi = true, .mouse = true, .bb = true,
                                    .patterns = true, .fps = 30 };
    u->snap = calloc(1, sizeof *u->snap);
    if (!u->snap) {
        free(u);
        return NULL;
    }
    setlocale(LC_ALL, "");
    const char *cs = nl_langinfo(CODESET);
    u->utf8 = cs && strcmp(cs, "UTF-8") == 0;
    u->ascii = o->ascii || !u->utf8;
    u->no_color = getenv("NO_COLOR") != NULL;   /* no-color.org: present, any value */
    theme_defaults(&u->theme);
    if (ui_set_theme(u, o->theme ? o->theme : "default") && o->theme) {
        fprintf(stderr, "alphapulse: --theme: %s\n", u->msg);
        ui_free(u);
        *rc = 2;
        return NULL;
    }
    u->msg[0] = 0;
    return u;
}

/* Termination signals end the loop; crash signals restore the terminal first. */
static void install_signals(void)
{
    struct sigaction sa = { .sa_handler = on_term };
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    /* signals whose default action kills the process without a word to us */
    int crash[] = { SIGSEGV, SIGBUS, SIGFPE, SIGABRT, SIGILL, SIGQUIT, SIGSYS, SIGTRAP, SIGXCPU, SIGXFSZ };
    for (size_t i = 0; i < sizeof crash / sizeof crash[0]; i++)
        signal(crash[i], on_crash);
}

static bool curses_start(struct ui *u)
{
    if (!initscr())
        return false;
    capture_leave_seq();
    ui_active = 1;
    atexit(on_exit_restore);
    cbreak();                                   /* C-c stays SIGINT: it quits cleanly */
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    curs_set(0);
    set_escdelay(25);
    mouseinterval(0);
    if (u->set.mouse)
        mousemask(BUTTON1_CLICKED | BUTTON1_PRESSED | BUTTON4_PRESSED | BUTTON5_PRESSED, NULL);
    if (has_colors() && !u->no_color) {
        start_color();
        use_default_colors();
    }
    colors_apply(u);
    log_info("ui: %s, %d colours%s, %s", u->utf8 ? "UTF-8" : "not UTF-8", has_colors() ? COLORS : 0,
             u->no_color ? " (NO_COLOR)" : "", u->ascii ? "ASCII chart" : "half-block chart");
    return true;
}

/* A new snapshot from the engine (and its bell), and results of background work
 * (:export, the chart's older candles) from the app: each makes the screen dirty. */
static void take_news(struct ui *u)
{
    if (engine_thread_snapshot(u->et, u->snap, u->seq)) {
        u->seq = u->snap->seq;
        u->dirty = true;
        if (u->snap->alerts.bell_seq > u->bell_seq && u->snap->alerts.bell_mode)
            (void)(u->snap->alerts.bell_mode == 2 ? flash() : beep());
        u->bell_seq = u->snap->alerts.bell_seq;
    }
    if (chart_history_poll(u))
        u->dirty = true;
    const struct ui_options *o = u->opts;
    if (o->poll_message) {
        char m[sizeof u->msg];
        bool err = false;
        if (o->poll_message(o->ctx, m, sizeof m, &err)) {
            ui_message(u, err, "%s", m);
            u->dirty = true;
        }
    }
}

/* How long to wait for a key: until the next frame may be drawn when one is
 * due; else 33 ms, or 100 ms once nothing has changed for a second (an idle
 * console costs almost nothing, and a key still wakes it at once). */
static int key_wait_ms(const struct ui *u, int64_t now, int64_t last_draw, int64_t period)
{
    int wait_ms = now - last_draw > 1000000 ? 100 : 33;
    if (u->dirty) {
        int due = (int)((period - (clock_mono_ns() / 1000 - last_draw)) / 1000);
        wait_ms = due < 1 ? 1 : due < wait_ms ? due : wait_ms;
    }
    return wait_ms;
}

/* The typed-ahead keys (at most 64 per frame), then the view the engine is asked for. */
static void handle_keys(struct ui *u, int ch)
{
    int sym = u->sym, tf = u->tf;
    timeout(0);
    for (int k = 0; ch != ERR && k < 64 && !u->quit; k++, ch = getch()) {
        u->dirty = true;
        if (ch != KEY_RESIZE)
            handle_key(u, ch);
    }
    replay_hold(u);
    if (sym != u->sym || tf != u->tf) {
        engine_thread_view(u->et, u->sym, u->tf);
        if (u->cursor)                         /* the same moment on the new timeframe */
            u->cursor_time = tf_floor(u->tf, u->cursor_time);
    }
}

static void main_loop(struct ui *u)
{
    int64_t last_draw = 0;
    int early_errs = 0;
    while (!u->quit && !ui_signal) {
        take_news(u);
        int64_t now = clock_mono_ns() / 1000, period = 1000000 / (u->set.fps > 0 ? u->set.fps : 30);
        if (u->dirty && now - last_draw >= period) {
            draw(u);
            last_draw = now;
            u->dirty = false;
        }
        timeout(key_wait_ms(u, now, last_draw, period));
        int64_t t0 = clock_mono_ns() / 1000;
        int ch = getch();
        if (ch == ERR) {
            /* a hung-up terminal returns at once, forever: notice it */
            if (clock_mono_ns() / 1000 - t0 < 500 && ++early_errs > 20 && tty_gone())
                break;
            continue;
        }
        early_errs = 0;
        handle_keys(u, ch);
    }
}

int ui_run(struct engine_thread *et, const struct ui_options *o)
{
    int rc;
    struct ui *u = ui_new(et, o, &rc);
    if (!u)
        return rc;
    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
        ui_free(u);
        return 1;
    }
    saved_tty_ok = tcgetattr(STDIN_FILENO, &saved_tty) == 0;
    install_signals();
    if (!curses_start(u)) {
        ui_free(u);
        return 1;
    }
    u->dirty = true;
    engine_thread_view(et, u->sym, u->tf);
    main_loop(u);
    if (ui_signal)
        log_info("ui: signal %d, restoring the terminal", (int)ui_signal);
    mousemask(0, NULL);
    endwin();
    ui_active = 0;
    const struct ui_frame_stats *st = &u->stats;
    log_info("ui: %llu frames, frame time p50 %.2f ms p99 %.2f ms (wall, with the terminal write)",
             (unsigned long long)st->frames, stat_pct(st, UI_H_WALL, 0.50), stat_pct(st, UI_H_WALL, 0.99));
    log_info("ui: frame cpu p50 %.2f ms p99 %.2f ms, compose cpu p50 %.2f ms p99 %.2f ms", stat_pct(st, UI_H_CPU, 0.50),
             stat_pct(st, UI_H_CPU, 0.99), stat_pct(st, UI_H_COMPOSE, 0.50), stat_pct(st, UI_H_COMPOSE, 0.99));
    ui_free(u);
    return 0;
}
