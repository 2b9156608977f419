/* State shared by the UI's files; not part of the public surface.
 * Three tables drive the console, each one row per thing so that adding a panel,
 * a screen or a command is one file plus one row:
 *   ui_cmds[]    (keymap.c)  every action: name, usage, help, handler; keys are
 *                            bound to command lines, so help, `:` completion and
 *                            remapping all derive from it;
 *   ui_panels[]  (layout.c)  htop-style panels: draw / rows / activate;
 *   ui_screens[] (screen.c)  full screens over the main one; Esc returns. */
#ifndef ALPHAPULSE_UI_INTERNAL_H
#define ALPHAPULSE_UI_INTERNAL_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "alphapulse/engine_thread.h"
#include "alphapulse/snapshot.h"
#include "alphapulse/theme.h"
#include "alphapulse/ui.h"
#include "chart_history.h"

enum ui_color {
    C_NONE, C_TEXT, C_BULL, C_BEAR, C_EMA, C_RSI, C_DIM, C_BAR, C_GOOD, C_BAD,
    C_SEL, C_BORDER, C_FOCUS, C_CURSOR, C_LAST, C_COUNT
};

struct rect { int x, y, w, h; };

struct ui;

enum panel_slot { SLOT_RIGHT, SLOT_BOTTOM };

struct panel_state { int sel, scroll; };

struct panel {
    const char *name;          /* for :focus and messages */
    const char *title;
    int slot;                  /* where the wide layout puts it */
    int (*want_h)(const struct ui *u);              /* content rows wanted; NULL: flexible */
    void (*draw)(struct ui *u, struct rect r, struct panel_state *ps);   /* inside the frame */
    int (*rows)(const struct ui *u);                /* selectable rows; NULL: none */
    void (*activate)(struct ui *u, int row);        /* Enter or a click on a row; may be NULL */
};

extern const struct panel *const ui_panels[];
extern const int ui_panel_count;

#define LAYOUT_MAX 12
enum layout_kind { LAYOUT_TOO_SMALL, LAYOUT_COMPACT, LAYOUT_WIDE };
#define LAYOUT_MIN_COLS 40
#define LAYOUT_MIN_ROWS 12
#define LAYOUT_WIDE_COLS 160
#define LAYOUT_WIDE_ROWS 30
/* the wide layout's right column ends with the order book (book_panel_draw) from
 * this size, when the shown symbol has a book (feed.depth or the demo's) */
#define LAYOUT_BOOK_COLS 180
#define LAYOUT_BOOK_ROWS 50

struct layout {
    int kind, cols, rows;
    struct rect header, account, chart, status;
    struct rect book;                           /* the order book panel; w 0: none */
    int n;                                      /* panels placed */
    struct { int panel; struct rect r; } at[LAYOUT_MAX];
};

/* side: the panel the compact layout shows; n_symbols sizes the watchlist. */
void layout_compute(struct layout *l, int cols, int rows, int side, const struct ui *u);

struct ui_screen {
    const char *name;
    void (*draw)(struct ui *u);
    bool (*key)(struct ui *u, int ch);   /* true: handled */
};
extern const struct ui_screen ui_screens[];
extern const int ui_screen_count;
enum { SCREEN_MAIN, SCREEN_HELP, SCREEN_HEALTH, SCREEN_ALERTS, SCREEN_SETTINGS, SCREEN_SIGNAL, SCREEN_SCAN, SCREEN_BOOK };

enum ui_mode { MODE_NORMAL, MODE_COMMAND, MODE_SEARCH };

#define UI_LINE 128
#define UI_HISTORY 32

/* Frame timing (screen.c), logged at exit: histograms of a whole frame's wall
 * time (with the terminal write), the UI thread's CPU time for it, and the CPU
 * time of composing it. */
#define UI_HIST_BUCKETS 2000                /* 10 us each, up to 20 ms */
enum { UI_H_WALL, UI_H_CPU, UI_H_COMPOSE, UI_H_COUNT };
struct ui_frame_stats {
    uint32_t hist[UI_H_COUNT][UI_HIST_BUCKETS + 1];
    uint64_t frames;
};

struct ui_settings {
    bool volume, ema, rsi, hollow, mouse, bb, patterns;
    bool macd;                 /* the indicator pane shows MACD instead of RSI (i) */
    int fps;
};
#include "paper_ui.h"             /* ticket, orders, risk bar, performance */
#include "scan.h"                 /* the scanner's rows: filter and sort */

struct ui {
    struct engine_thread *et;
    struct snapshot *snap;
    uint64_t seq;
    int sym, tf;
    /* chart */
    int cw;                    /* columns per candle (zoom) */
    int pan;                   /* candles hidden to the right of the view */
    bool cursor;               /* crosshair on */
    int64_t cursor_time;       /* open time of the cursor candle */
    int chart_first, chart_n;  /* what the last frame showed, for clicks */
    int64_t live_first;        /* live view: open time of the first candle shown */
    int live_nvis, live_sym, live_tf;
    struct chart_history older; /* older candles than the snapshot's, from the database */
    /* frame */
    int screen, focus;         /* focus: -1 chart, else index into ui_panels */
    int side;                  /* the compact layout's panel */
    struct panel_state ps[LAYOUT_MAX];
    struct layout lay;
    int help_scroll;
    /* modes */
    int mode;
    char line[UI_LINE];
    int hist_n, hist_pos;
    char hist[UI_HISTORY][UI_LINE];
    int search_sel;
    /* look */
    struct theme theme;
    struct ui_settings set;
    bool ascii, utf8, color, no_color, quit, dirty;
    char msg[200];             /* a UI-side message for the status line */
    bool msg_error;
    uint64_t bell_seq;         /* the last alert bell rung */
    const struct ui_options *opts;
    char *settings;            /* the settings screen's text (refreshed when it opens) */
    int settings_scroll;
    struct paper_ui paper;     /* ticket, positions & orders, risk bar, performance */
    /* the replay held while the ticket or a signal's detail is open: 0 not held,
     * 1 paused by us (resumed when they close), 2 left to the user */
    int replay_hold;
    /* signals */
    uint64_t sig_detail;       /* id of the signal the detail screen shows */
    struct keymap keys;        /* this console's bindings (:bind changes them) */
    struct ui_frame_stats stats;
    /* the scanner (M): sort column and direction, selection, filter, row order */
    int scan_col;
    bool scan_desc, scan_typing;
    int scan_sel, scan_top;
    struct scan_filter scan_f;
    int *scan_rows, scan_cap;
    int *watch, n_watch, watch_cap;   /* the symbols `w` put on the watchlist, in that order */
    int book_group;            /* the order book screen's buckets, in ticks (0: 1) */
};

/* keymap.c: commands and key bindings */
struct ui_cmd {
    const char *name;
    const char *usage;         /* arguments, "" when none */
    const char *help;
    int (*fn)(struct ui *u, int argc, char **argv);   /* 0, or -1 with u->msg set */
    int complete;              /* what argument 1 completes to: CPL_* */
};
enum { CPL_NONE, CPL_TF, CPL_THEME, CPL_SYMBOL, CPL_SETTING, CPL_COMMAND };
extern const struct ui_cmd ui_cmds[];
extern const int ui_cmd_count;

bool keymap_dispatch(struct ui *u, int key);
int keymap_run(struct ui *u, const char *line);         /* a `:` command line */
int keymap_key_parse(const char *name);                  /* curses key code or -1 */
void keymap_key_name(int key, char *out, size_t n);
/* Tab completion of a command line in place; lists candidates in u->msg. */
void keymap_complete(struct ui *u, char *line, size_t n);
void ui_message(struct ui *u, bool error, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int ui_set_theme(struct ui *u, const char *name);   /* screen.c */

/* chart.c */
/* The candles the chart pans over, oldest first: the cached older ones (no
 * indicators: the engine has none for them), then the snapshot's. */
struct chart_series { const struct snapshot *s; const struct candle *old; int n_old, n; };
struct chart_series chart_series(const struct ui *u);
/* A new snapshot or an answer from the database: keys the cache to the shown
 * view and takes a finished read of older candles (true: the chart changed). */
bool chart_history_poll(struct ui *u);
void chart_draw(struct ui *u, struct rect r);
void chart_fit(struct ui *u, int plot_w);           /* clamp pan, keep the cursor in view */
int chart_cursor_index(const struct ui *u);         /* -1 without cursor */
void chart_cursor_move(struct ui *u, int by);
void chart_click(struct ui *u, int x, int y);

/* panels and frame pieces */
int ui_attr(const struct ui *u, enum ui_color c);
void ui_frame(struct ui *u, struct rect r, const char *title, bool focused);
void ui_text(struct ui *u, int y, int x, int w, const char *s, int attr);
void header_draw(struct ui *u, struct rect r);
/* How many feeds have said their state (a silent one is not shown). */
int header_feeds_speaking(const struct snapshot *s);
void account_draw(struct ui *u, struct rect r);
void status_draw(struct ui *u, struct rect r);
void help_screen_draw(struct ui *u);
void settings_screen_draw(struct ui *u);
bool settings_screen_key(struct ui *u, int ch);
void health_draw(struct ui *u, struct rect r);   /* data health (live feeds) */
void alerts_draw(struct ui *u, struct rect r);   /* alerts log and webhook counters */
bool help_screen_key(struct ui *u, int ch);
void search_draw(struct ui *u);
void scanner_draw(struct ui *u);                 /* panels/scanner.c */
bool scanner_key(struct ui *u, int ch);
void book_draw(struct ui *u, struct rect r);     /* panels/book.c: the order book screen */
void book_panel_draw(struct ui *u, struct rect r);   /* its ladder in the wide layout's right column */
#define SEARCH_MAX 64          /* symbol search: matches listed at most */
int search_matches(const struct ui *u, int *idx, int max);
void signal_detail_draw(struct ui *u, struct rect r);
/* The signal the take/dismiss commands act on: the one on the detail screen,
 * else the selected row of the Signals panel; NULL when the queue is empty. */
const struct signal *signals_selected(const struct ui *u);
void fmt_price(char *buf, size_t n, double p);        /* by magnitude: only when no instrument applies */
int fmt_decimals(double inc);                          /* decimals of a tick or step, -1 if unknown */
void fmt_px(const struct ui *u, int sym, char *buf, size_t n, double p);    /* in sym's tick */
void fmt_qty(const struct ui *u, int sym, char *buf, size_t n, double q);   /* in sym's step */
void fmt_money(char *buf, size_t n, double m);
/* Word-wraps s into lines of at most width columns (continuations indented by
 * two); returns the number of lines. */
#define WRAP_COLS 256
int wrap_text(const char *s, int width, char out[][WRAP_COLS], int max_lines);
void ui_select_symbol(struct ui *u, int sym);
void ui_focus_panel(struct ui *u, int panel);
/* panels/watchlist.c: the symbols `w` added lead the watchlist, in the order
 * added, then every other symbol. The row-th symbol of that order; and sym put
 * on it, or taken off when it was on it (1: on it now, 0: off, -1: out of memory). */
int watchlist_symbol(const struct ui *u, int row);
int watchlist_toggle(struct ui *u, int sym);

#endif
