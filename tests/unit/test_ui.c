/* The console's logic without a terminal: key bindings and remapping, the `:`
 * command line (:export asks the app, with the shown symbol and timeframe), completion, the
 * layout at many sizes, and every theme file (errors name file:line). */
#include <curses.h>
#include <dirent.h>
#include <stdlib.h>
#include <unistd.h>

#include "harness.h"
#include "alphapulse/ui.h"
#include "../../src/ui/ui_internal.h"

static struct ui *mk(void)
{
    static struct ui u;
    static struct snapshot s;
    static struct snap_symbol sym[3];
    static struct position pos[3];
    static struct broker_inst inst[3];
    static struct risk_symbol_limits lim[3];
    static double conv[3], atr[3];
    static struct metrics by_sym[3];
    memset(&u, 0, sizeof u);
    memset(&s, 0, sizeof s);
    memset(sym, 0, sizeof sym);
    memset(pos, 0, sizeof pos);
    u.snap = &s;
    s.symbols = sym;
    s.cap_symbols = 3;
    s.paper = (struct pf_view){ .n_sym = 3, .cap = 3, .sym_limits = lim, .pos = pos, .inst = inst, .conv = conv,
                                .atr = atr, .by_symbol = by_sym };
    u.cw = 2;
    u.focus = -1;
    u.set = (struct ui_settings){ .volume = true, .ema = true, .rsi = true, .fps = 30 };
    s.n_symbols = 3;
    snprintf(s.symbols[0].name, SYMBOL_MAX, "BTCUSDT");
    snprintf(s.symbols[1].name, SYMBOL_MAX, "ETHUSDT");
    snprintf(s.symbols[2].name, SYMBOL_MAX, "ETHBTC");
    s.n_candles = 100;
    for (int i = 0; i < 100; i++)
        s.candles[i] = (struct candle){ .open_time = 1700000000000LL + i * 60000LL, .open = 100, .high = 101,
                                        .low = 99, .close = 100.5, .volume = 1 };
    keymap_init(&u.keys);
    return &u;
}

static void test_default_keys_run_their_commands(void)
{
    struct ui *u = mk();
    CHECK(keymap_dispatch(u, '4'));
    CHECK(u->tf == TF_1H);
    CHECK(keymap_dispatch(u, ']'));
    CHECK(u->sym == 1);
    CHECK(keymap_dispatch(u, '['));
    CHECK(keymap_dispatch(u, '['));
    CHECK(u->sym == 2);                        /* wraps around */
    int cw = u->cw;
    CHECK(keymap_dispatch(u, '+'));
    CHECK(u->cw == cw + 1);
    CHECK(keymap_dispatch(u, 'h'));
    CHECK(u->pan == 8);
    CHECK(keymap_dispatch(u, KEY_END));
    CHECK(u->pan == 0);
    CHECK(keymap_dispatch(u, '?'));
    CHECK(u->screen == SCREEN_HELP);
    CHECK(keymap_dispatch(u, 27));
    CHECK(u->screen == SCREEN_MAIN);
    CHECK(keymap_dispatch(u, 'q'));
    CHECK(u->quit);
    CHECK(!keymap_dispatch(u, 'Z'));            /* not bound */
}

static void test_keymap_bind_remaps_and_reports_errors(void)
{
    struct ui *u = mk();
    CHECK(keymap_bind(&u->keys, "K", "tf 4h") == 0);
    CHECK(keymap_dispatch(u, 'K'));
    CHECK(u->tf == TF_4H);
    CHECK(strcmp(keymap_lookup(&u->keys, "K"), "tf 4h") == 0);
    CHECK(keymap_bind(&u->keys, "C-k", "quit") == 0);
    CHECK(keymap_dispatch(u, 11));
    CHECK(u->quit);
    CHECK(keymap_bind(&u->keys, "F5", "help") == 0);
    CHECK(keymap_dispatch(u, KEY_F(5)));
    CHECK(u->screen == SCREEN_HELP);
    CHECK(keymap_bind(&u->keys, "q", "none") == 0);       /* unbind */
    CHECK(keymap_lookup(&u->keys, "q") == NULL);
    CHECK(keymap_bind(&u->keys, "NoSuchKey", "quit") == -1);
    CHECK(keymap_bind(&u->keys, "x", "frobnicate") == -2);
    CHECK(strcmp(keymap_lookup(&u->keys, "x"), "close") == 0);   /* a failed bind changes nothing */
    /* the help lists what the keys do now */
    char keys[64];
    keymap_keys_for(&u->keys, "tf", keys, sizeof keys);
    CHECK_MSG(strstr(keys, "K") != NULL, "keys for tf: %s", keys);
    keymap_keys_for(&u->keys, "quit", keys, sizeof keys);
    CHECK_MSG(strcmp(keys, "C-k") == 0, "keys for quit: %s", keys);
    keymap_init(&u->keys);
    CHECK(strcmp(keymap_lookup(&u->keys, "q"), "quit") == 0);
    /* the bindings belong to one console: another table never sees them */
    static struct keymap other;
    keymap_init(&other);
    CHECK(keymap_bind(&u->keys, "q", "help") == 0);
    CHECK(strcmp(keymap_lookup(&other, "q"), "quit") == 0);
    CHECK(keymap_bind(&other, "Z", "quit") == 0);
    CHECK(keymap_lookup(&u->keys, "Z") == NULL);
}

static void test_every_command_is_documented_and_keys_name_commands(void)
{
    for (int i = 0; i < ui_cmd_count; i++) {
        CHECK(ui_cmds[i].name && *ui_cmds[i].name);
        CHECK_MSG(ui_cmds[i].help && strlen(ui_cmds[i].help) > 3, "%s has no help", ui_cmds[i].name);
        CHECK(ui_cmds[i].fn != NULL);
        for (int j = 0; j < i; j++)
            CHECK_MSG(strcmp(ui_cmds[i].name, ui_cmds[j].name) != 0, "duplicate %s", ui_cmds[i].name);
    }
    char keys[64];
    static struct keymap km;
    keymap_init(&km);
    static const char *const with_keys[] = { "tf", "quit", "help", "command", "search", "cursor", "focus-next" };
    for (size_t i = 0; i < sizeof with_keys / sizeof with_keys[0]; i++) {
        keymap_keys_for(&km, with_keys[i], keys, sizeof keys);
        CHECK_MSG(keys[0], "%s has no key", with_keys[i]);
    }
}

static void test_command_line(void)
{
    struct ui *u = mk();
    CHECK(keymap_run(u, "tf 15m") == 0);
    CHECK(u->tf == TF_15M);
    CHECK(keymap_run(u, "tf 7m") == -1);
    CHECK(strstr(u->msg, "unknown timeframe") != NULL);
    CHECK(u->tf == TF_15M);
    CHECK(keymap_run(u, "tf") == -1);
    CHECK_MSG(strstr(u->msg, "usage: :tf TF") != NULL, "msg: %s", u->msg);
    CHECK(keymap_run(u, "frob") == -1);
    CHECK(strstr(u->msg, "unknown command") != NULL);
    CHECK(keymap_run(u, "symbol ethbtc") == 0);
    CHECK(u->sym == 2);
    CHECK(keymap_run(u, "symbol NOPE") == -1);
    CHECK(keymap_run(u, "set volume off") == 0);
    CHECK(!u->set.volume);
    CHECK(keymap_run(u, "set volume maybe") == -1);
    CHECK(keymap_run(u, "set fps 10") == 0 && u->set.fps == 10);
    CHECK(keymap_run(u, "set fps 99") == -1 && u->set.fps == 10);
    CHECK(keymap_run(u, "set colour on") == -1);
    CHECK(keymap_run(u, "unlock") == 0 && strstr(u->msg, "not locked") != NULL);   /* nothing to lift */
    CHECK(keymap_run(u, "add SOLUSDT") == -1 && strstr(u->msg, "works with live data") != NULL);
    CHECK(keymap_run(u, "reload") == -1 && strstr(u->msg, "not possible here") != NULL);   /* no app behind */
    CHECK(keymap_run(u, "export candles x.csv") == -1 && strstr(u->msg, "no database in this mode") != NULL);
    CHECK(keymap_run(u, "zoom-i") == 0);       /* a unique prefix */
    CHECK(keymap_run(u, "zoom") == -1);        /* ambiguous */
    CHECK(strstr(u->msg, "ambiguous") != NULL);
    CHECK(keymap_run(u, "bind X tf 1d") == 0);
    CHECK(keymap_dispatch(u, 'X') && u->tf == TF_1D);
    CHECK(keymap_run(u, "q") == 0 && u->quit);
}

/* :export hands its words and the shown series to the app, and shows its answer */
static struct { int argc; char argv[4][64], shown[16]; int tf; } seen;
static int fake_export(void *ctx, int argc, char **argv, const char *shown_symbol, int shown_tf, char *msg, size_t n)
{
    (void)ctx;
    seen.argc = argc;
    for (int i = 0; i < argc && i < 4; i++)
        snprintf(seen.argv[i], sizeof seen.argv[i], "%s", argv[i]);
    snprintf(seen.shown, sizeof seen.shown, "%s", shown_symbol ? shown_symbol : "(null)");
    seen.tf = shown_tf;
    snprintf(msg, n, strcmp(argv[0], "bogus") ? "exporting" : "export bogus: unknown");
    return strcmp(argv[0], "bogus") ? 0 : -1;
}

static void test_export_asks_the_app(void)
{
    struct ui *u = mk();
    struct ui_options o = { .export = fake_export };
    u->opts = &o;
    CHECK(keymap_run(u, "tf 5m") == 0 && keymap_run(u, "symbol ETHUSDT") == 0);
    CHECK(keymap_run(u, "export candles ~/c.csv") == 0);
    CHECK(seen.argc == 2 && !strcmp(seen.argv[0], "candles") && !strcmp(seen.argv[1], "~/c.csv"));
    CHECK_MSG(!strcmp(seen.shown, "ETHUSDT") && seen.tf == TF_5M, "shown %s tf %d", seen.shown, seen.tf);
    CHECK(!strcmp(u->msg, "exporting") && !u->msg_error);
    CHECK(keymap_run(u, "export trades t.csv all 1h") == 0 && seen.argc == 4 && !strcmp(seen.argv[3], "1h"));
    CHECK(keymap_run(u, "export bogus x") == -1 && !strcmp(u->msg, "export bogus: unknown") && u->msg_error);
    seen.argc = -1;
    CHECK(keymap_run(u, "export candles") == -1 && seen.argc == -1);      /* not asked */
    CHECK_MSG(strstr(u->msg, "usage: :export WHAT FILE") != NULL, "%s", u->msg);
    CHECK(keymap_run(u, "export a b c d e") == -1 && seen.argc == -1);
}

static void test_completion(void)
{
    struct ui *u = mk();
    char line[UI_LINE];
    snprintf(line, sizeof line, "qu");
    keymap_complete(u, line, sizeof line);
    CHECK_MSG(strcmp(line, "quit ") == 0, "got '%s'", line);
    snprintf(line, sizeof line, "tf 1");
    keymap_complete(u, line, sizeof line);
    CHECK(strcmp(line, "tf 1") == 0);          /* 1m 1h 1d: lists them */
    CHECK_MSG(strstr(u->msg, "1m") && strstr(u->msg, "1h") && strstr(u->msg, "1d"), "msg %s", u->msg);
    snprintf(line, sizeof line, "symbol ETHU");
    keymap_complete(u, line, sizeof line);
    CHECK(strcmp(line, "symbol ETHUSDT ") == 0);
    snprintf(line, sizeof line, "set vo");
    keymap_complete(u, line, sizeof line);
    CHECK(strcmp(line, "set volume ") == 0);
    snprintf(line, sizeof line, "set volume of");
    keymap_complete(u, line, sizeof line);
    CHECK(strcmp(line, "set volume off ") == 0);
    snprintf(line, sizeof line, "theme sol");
    keymap_complete(u, line, sizeof line);
    CHECK_MSG(strcmp(line, "theme solarized-dark ") == 0, "got '%s'", line);
}

static bool overlaps(struct rect a, struct rect b)
{
    return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

static bool inside(struct rect a, int cols, int rows)
{
    return a.x >= 0 && a.y >= 0 && a.x + a.w <= cols && a.y + a.h <= rows;
}

static void test_layout_sizes(void)
{
    struct ui *u = mk();
    struct layout l;
    for (int cols = 20; cols <= 320; cols += cols < 60 ? 1 : 7)
        for (int rows = 8; rows <= 110; rows += rows < 40 ? 1 : 5) {
            layout_compute(&l, cols, rows, 3, u);
            if (cols < LAYOUT_MIN_COLS || rows < LAYOUT_MIN_ROWS) {
                CHECK(l.kind == LAYOUT_TOO_SMALL);
                continue;
            }
            CHECK_MSG(inside(l.chart, cols, rows), "chart outside at %dx%d", cols, rows);
            CHECK_MSG(l.chart.w >= 30 && l.chart.h >= 6, "chart %dx%d at %dx%d", l.chart.w, l.chart.h, cols, rows);
            CHECK_MSG(l.n >= 1 || rows < 13, "no panel at %dx%d", cols, rows);
            for (int i = 0; i < l.n; i++) {
                CHECK_MSG(inside(l.at[i].r, cols, rows), "panel %d outside at %dx%d", i, cols, rows);
                CHECK_MSG(!overlaps(l.at[i].r, l.chart), "panel %d over the chart at %dx%d", i, cols, rows);
                CHECK(!overlaps(l.at[i].r, l.status) && !overlaps(l.at[i].r, l.header));
                for (int j = 0; j < i; j++)
                    CHECK_MSG(!overlaps(l.at[i].r, l.at[j].r), "panels %d/%d overlap at %dx%d", i, j, cols, rows);
            }
        }
    layout_compute(&l, 80, 24, 3, u);
    CHECK(l.kind == LAYOUT_COMPACT && l.n == 1 && l.at[0].panel == 3);   /* the chosen side panel */
    CHECK(l.chart.w == 80 && l.chart.h >= 12);
    layout_compute(&l, 200, 60, 0, u);
    CHECK(l.kind == LAYOUT_WIDE && l.n == ui_panel_count);   /* every panel on screen */
    layout_compute(&l, 39, 24, 0, u);
    CHECK(l.kind == LAYOUT_TOO_SMALL);
}

/* The order book panel: in the wide layout's right column from 180x50 when the
 * shown symbol has a book, beside the other panels without covering them; never
 * below that size nor without a book (80x24 is as it was). */
static void test_layout_book_panel(void)
{
    struct ui *u = mk();
    struct layout l;
    u->sym = 0;
    u->snap->symbols[0].book.present = false;
    layout_compute(&l, 200, 60, 0, u);
    CHECK(l.kind == LAYOUT_WIDE && l.book.w == 0);
    u->snap->symbols[0].book.present = true;
    for (int cols = 160; cols <= 320; cols += 5)
        for (int rows = 30; rows <= 110; rows += 4) {
            layout_compute(&l, cols, rows, 0, u);
            bool want = cols >= LAYOUT_BOOK_COLS && rows >= LAYOUT_BOOK_ROWS;
            CHECK_MSG((l.book.w > 0) == want, "book panel %s at %dx%d", l.book.w ? "shown" : "missing", cols, rows);
            if (!l.book.w)
                continue;
            CHECK_MSG(inside(l.book, cols, rows) && l.book.h >= 16, "book panel %dx%d at %dx%d", l.book.w, l.book.h,
                      cols, rows);
            CHECK(!overlaps(l.book, l.chart) && !overlaps(l.book, l.status));
            CHECK(l.book.x == l.chart.w);                             /* the right column */
            for (int i = 0; i < l.n; i++)
                CHECK_MSG(!overlaps(l.book, l.at[i].r), "panel %d under the book at %dx%d", i, cols, rows);
        }
    layout_compute(&l, 80, 24, 3, u);
    CHECK(l.kind == LAYOUT_COMPACT && l.book.w == 0);
    layout_compute(&l, 179, 60, 0, u);
    CHECK(l.kind == LAYOUT_WIDE && l.book.w == 0);
    u->snap->symbols[0].book.present = false;
}

static void test_every_theme_file_loads(void)
{
    DIR *d = opendir("themes");
    CHECK(d != NULL);
    if (!d)
        return;
    int n = 0;
    struct dirent *de;
    static const char *const required[] = { "default", "light", "solarized-dark", "monochrome", "high-contrast" };
    int found = 0;
    while ((de = readdir(d))) {
        size_t l = strlen(de->d_name);
        if (l < 7 || strcmp(de->d_name + l - 6, ".theme") != 0)
            continue;
        char path[512], err[512] = "";
        snprintf(path, sizeof path, "themes/%s", de->d_name);
        struct theme t;
        theme_defaults(&t);
        int rc = theme_load(path, &t, err, sizeof err);
        CHECK_MSG(rc == 0, "%s", err);
        CHECK_MSG(strncmp(t.name, de->d_name, l - 6) == 0, "%s: name = %s", path, t.name);
        for (size_t i = 0; i < sizeof required / sizeof required[0]; i++)
            found += strncmp(de->d_name, required[i], l - 6) == 0 && strlen(required[i]) == l - 6;
        n++;
    }
    closedir(d);
    CHECK(n >= 5);
    CHECK(found == 5);
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
}

static void test_theme_errors_name_file_and_line(void)
{
    char dir[] = "/tmp/ap-theme-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char path[600], err[512];
    struct theme t;
    snprintf(path, sizeof path, "%s/bad.theme", dir);
    write_file(path, "# comment\nname = bad\nbull = green\nbear = #12345\n");
    theme_defaults(&t);
    CHECK(theme_load(path, &t, err, sizeof err) == -1);
    char want[700];
    snprintf(want, sizeof want, "%s:4: bear: bad colour", path);
    CHECK_MSG(strstr(err, want) != NULL, "err: %s", err);
    write_file(path, "bull = green\n\nbulll = red\n");
    CHECK(theme_load(path, &t, err, sizeof err) == -1);
    snprintf(want, sizeof want, "%s:3: unknown key \"bulll\"", path);
    CHECK_MSG(strstr(err, want) != NULL, "err: %s", err);
    write_file(path, "bull green\n");
    CHECK(theme_load(path, &t, err, sizeof err) == -1);
    snprintf(want, sizeof want, "%s:1: expected `key = colour`", path);
    CHECK_MSG(strstr(err, want) != NULL, "err: %s", err);
    write_file(path, "bull = 300\n");
    CHECK(theme_load(path, &t, err, sizeof err) == -1);
    write_file(path, "bull = #00ff00  # a comment after the value\nbear = 196\nema = bright-yellow\nfocus = default\n");
    theme_defaults(&t);
    CHECK_MSG(theme_load(path, &t, err, sizeof err) == 0, "%s", err);
    CHECK(t.c[TR_BULL].kind == THEME_RGB && t.c[TR_BULL].value == 0x00ff00);
    CHECK(t.c[TR_BEAR].kind == THEME_INDEX && t.c[TR_BEAR].value == 196);
    CHECK(t.c[TR_EMA].kind == THEME_INDEX && t.c[TR_EMA].value == 11);
    CHECK(t.c[TR_FOCUS].kind == THEME_DEFAULT);
    CHECK(theme_load("/nonexistent/x.theme", &t, err, sizeof err) == -1);
    CHECK(strstr(err, "/nonexistent/x.theme") != NULL);
    unlink(path);
    rmdir(dir);
    CHECK(theme_resolve("no-such-theme", path, sizeof path) == -1);
    CHECK(theme_resolve("light", path, sizeof path) == 0);
}

static void test_colour_mapping(void)
{
    struct theme_color red = { THEME_RGB, 0xff0000 }, navy = { THEME_RGB, 0x000080 };
    struct theme_color grey = { THEME_RGB, 0x808080 }, idx = { THEME_INDEX, 196 };
    CHECK(theme_nearest_256(red) == 196);
    CHECK(theme_nearest(red, 8) == 1);
    CHECK(theme_nearest(navy, 8) == 4);
    CHECK(theme_nearest(idx, 8) == 1);
    CHECK(theme_nearest((struct theme_color){ THEME_INDEX, 10 }, 8) == 2);    /* bright green -> green */
    int g = theme_nearest_256(grey);
    CHECK(g >= 232 || g == 244 || g == 102 || g == 145);
    CHECK(theme_rgb((struct theme_color){ THEME_INDEX, 16 }) == 0);
    CHECK(theme_rgb((struct theme_color){ THEME_INDEX, 231 }) == 0xffffff);
    CHECK(theme_nearest((struct theme_color){ THEME_DEFAULT, -1 }, 256) == -1);
}

static void test_crosshair_follows_time(void)
{
    struct ui *u = mk();
    CHECK(keymap_run(u, "cursor") == 0);
    CHECK(u->cursor && chart_cursor_index(u) == 99);
    chart_cursor_move(u, -30);
    CHECK(chart_cursor_index(u) == 69);
    chart_fit(u, 40);                          /* 20 candles of width 2 visible */
    int last = 99 - u->pan, first = last - 19;
    CHECK_MSG(69 >= first && 69 <= last, "cursor 69 outside %d..%d", first, last);
    u->cw = 7;                                 /* zoom in: still in view */
    chart_fit(u, 40);
    last = 99 - u->pan;
    first = last - 40 / 7 + 1;
    CHECK_MSG(69 >= first && 69 <= last, "cursor 69 outside %d..%d after zoom", first, last);
    chart_cursor_move(u, -1000);
    CHECK(chart_cursor_index(u) == 0);
    CHECK(keymap_run(u, "latest") == 0 && chart_cursor_index(u) == 99 && u->pan == 0);
    CHECK(keymap_run(u, "cursor") == 0 && chart_cursor_index(u) == -1);
}

/* A fake app for the chart's older candles: each read answers at once with the
 * 50 one-minute candles before the bound (then nothing older: the start). */
static struct ui_older fake_page;
static bool fake_ready;
static int fake_older(void *ctx, const char *symbol, int tf, int64_t before, int max)
{
    (void)ctx;
    fake_page = (struct ui_older){ .tf = tf, .max = max, .before = before, .n = max < 50 ? max : 50 };
    snprintf(fake_page.symbol, sizeof fake_page.symbol, "%s", symbol);
    fake_page.c = malloc(sizeof *fake_page.c * (size_t)fake_page.n);
    for (int i = 0; i < fake_page.n; i++)
        fake_page.c[i] = (struct candle){ .open_time = before - (fake_page.n - i) * 60000LL, .open = 90, .high = 91,
                                          .low = 89, .close = 90.5, .volume = 2 };
    fake_ready = true;
    return 0;
}
static bool fake_poll(void *ctx, struct ui_older *pg)
{
    (void)ctx;
    if (!fake_ready)
        return false;
    *pg = fake_page;
    fake_ready = false;
    return true;
}

/* Panning runs on over the older candles loaded, the crosshair reaches them, and
 * a switch of symbol drops them. */
static void test_chart_pans_over_older_candles(void)
{
    struct ui *u = mk();
    struct ui_options o = { .older = fake_older, .older_poll = fake_poll };
    u->opts = &o;
    CHECK(!chart_history_poll(u));                 /* keys the cache to BTCUSDT 1m; nothing read yet */
    CHECK(strcmp(u->older.symbol, "BTCUSDT") == 0 && u->older.tf == TF_1M);
    for (int i = 0; i < 20; i++)
        keymap_dispatch(u, 'h');
    CHECK(u->pan == 99);                           /* the snapshot's oldest */
    int64_t before;
    int max;
    CHECK(hist_next(&u->older, u->snap->candles[0].open_time, true, &before, &max));
    CHECK(before == u->snap->candles[0].open_time);
    CHECK(o.older(o.ctx, u->older.symbol, u->older.tf, before, max) == 0);
    hist_asked(&u->older);
    CHECK(chart_history_poll(u));                  /* the answer joins the cache */
    struct chart_series q = chart_series(u);
    CHECK(q.n_old == 50 && q.n == 150 && u->older.start);
    CHECK(q.old[49].open_time == u->snap->candles[0].open_time - 60000);   /* meets the seam */
    for (int i = 0; i < 20; i++)
        keymap_dispatch(u, 'h');
    CHECK(u->pan == 149);                          /* on to the first stored candle */
    CHECK(keymap_run(u, "cursor") == 0);
    CHECK(chart_cursor_index(u) == 0);            /* on the newest candle in view: the oldest loaded */
    chart_cursor_move(u, -1000);
    CHECK(chart_cursor_index(u) == 0 && u->cursor_time == q.old[0].open_time);
    CHECK(keymap_run(u, "cursor") == 0);
    u->snap->sym = 1;                              /* the engine shows another symbol */
    chart_history_poll(u);
    CHECK(u->older.n == 0 && chart_series(u).n == 100);
    keymap_dispatch(u, 'h');
    CHECK(u->pan <= 99);
    hist_free(&u->older);
}

int main(void)
{
    RUN(test_default_keys_run_their_commands);
    RUN(test_keymap_bind_remaps_and_reports_errors);
    RUN(test_every_command_is_documented_and_keys_name_commands);
    RUN(test_command_line);
    RUN(test_export_asks_the_app);
    RUN(test_chart_pans_over_older_candles);
    RUN(test_completion);
    RUN(test_layout_sizes);
    RUN(test_layout_book_panel);
    RUN(test_every_theme_file_loads);
    RUN(test_theme_errors_name_file_and_line);
    RUN(test_colour_mapping);
    RUN(test_crosshair_follows_time);
    HARNESS_EXIT();
}
