/* The terminal console (ncursesw). It reads engine snapshots and sends commands;
 * it never touches the broker, the database or the network. */
#ifndef ALPHAPULSE_UI_H
#define ALPHAPULSE_UI_H
#include <stdbool.h>
#include <stdio.h>
#include "alphapulse/engine_thread.h"
#include "alphapulse/instrument.h"

enum ui_replay_op {
    UI_REPLAY_GET,       /* only the state */
    UI_REPLAY_PAUSE,     /* value 1: pause, 0: resume */
    UI_REPLAY_SPEED,     /* value: x real time, 0 = as fast as possible */
    UI_REPLAY_FASTER,    /* one step of 1, 10, 60, 300, 600, max */
    UI_REPLAY_SLOWER,
    UI_REPLAY_STEP,      /* while paused: on to the next close of the 1m candles */
};
struct ui_replay_state { double speed; bool paused; };

/* Key bindings: key code to command line. Each console owns its table (the
 * configuration fills one before the console starts, :bind edits the console's). */
#define KEYMAP_MAX 160
#define KEYMAP_LINE 128
struct keymap {
    int n;
    struct { int key; char line[KEYMAP_LINE]; } b[KEYMAP_MAX];
};

/* A page of older candles for the chart, read by the app in the background. */
struct ui_older {
    char symbol[SYMBOL_MAX];  /* what was asked: the symbol, timeframe, bound and count */
    int tf, max;
    int64_t before;
    struct candle *c;         /* the stored closed candles opening before `before`, oldest first; malloc'd */
    int n;                    /* how many (fewer than max: nothing older is stored); -1: failed, msg says why */
    char msg[200];
};

struct ui_options {
    bool ascii;          /* force the ASCII chart (also automatic outside UTF-8) */
    const char *theme;   /* a theme name or path; NULL: "default" */
    /* :add / :del SYMBOL, answered by the app (the live feed); NULL: not possible
     * here (the demo replays a fixed set). 0, or -1 with the reason in err. */
    int (*symbols)(void *ctx, bool add, const char *symbol, char *err, size_t err_len);
    /* :reload: re-read the configuration; msg says what happened. NULL: not possible. */
    int (*reload)(void *ctx, char *msg, size_t n);
    /* The effective configuration with each value's source, one line each (the
     * settings screen); returns a malloc'd text or NULL. */
    char *(*settings)(void *ctx);
    /* :export WHAT FILE [SYMBOL] [TF], answered by the app (the UI never opens the
     * database): argv as typed after the command's name (argc 2 to 4), with the
     * shown symbol and timeframe as defaults. 0 when the export has started (msg
     * says what it writes; the result comes through poll_message), or -1 with the
     * reason in msg. NULL: no database in this mode. */
    int (*export)(void *ctx, int argc, char **argv, const char *shown_symbol, int shown_tf, char *msg, size_t n);
    /* Asked on every turn of the UI loop for a message the app finished in the
     * background (an export's result): true with msg and *error set. NULL: none. */
    bool (*poll_message)(void *ctx, char *msg, size_t n, bool *error);
    /* The chart's older candles (the UI never opens the database): start reading
     * the newest at most max stored closed candles of symbol x tf opening before
     * `before` (ms), on a worker; 0 started, -1 not now (one read at a time).
     * older_poll, asked on every turn of the UI loop: true when a read has
     * finished, its answer in *page (page->c is the UI's to free). NULL: no
     * database, the chart pans over what the engine holds only. */
    int (*older)(void *ctx, const char *symbol, int tf, int64_t before, int max);
    bool (*older_poll)(void *ctx, struct ui_older *page);
    /* Replay time control (the demo): op UI_REPLAY_*, value as the op says; the
     * state after it in *st. 0, or -1 with the reason in msg. NULL: live data. */
    int (*replay)(void *ctx, int op, double value, struct ui_replay_state *st, char *msg, size_t n);
    bool pause_on_ticket;  /* ui.pause_on_ticket: the ticket or a signal's detail holds the replay */
    bool confirm;          /* ui.confirm: x and C ask before acting */
    double big_trade;      /* ui.big_trade: the tape marks trades of this notional (account currency); 0: none */
    const struct keymap *keys;   /* the bindings to start with (copied); NULL: the defaults */
    void *ctx;
};

/* Runs until the user quits or a terminating signal arrives; restores the
 * terminal on every path. Returns 0, 1 if the terminal could not be set up, or
 * 2 if the theme could not be loaded (the reason is printed to stderr). */
int ui_run(struct engine_thread *et, const struct ui_options *o);

/* The default bindings. */
void keymap_init(struct keymap *k);
/* Binds a key ("x", "X", "C-k", "Tab", "S-Tab", "Enter", "Esc", "Space", "Left",
 * "PgUp", "F5", ...) to a command line ("tf 1h", "buy"); "none" or "" unbinds.
 * Returns 0, -1 for an unknown key name, -2 for an unknown command, -3 when the
 * table is full. */
int keymap_bind(struct keymap *k, const char *key, const char *command);
/* What keymap_bind would say (0, -1 unknown key name, -2 unknown command)
 * without binding anything: for checking a configuration file. */
int keymap_check(const char *key, const char *command);
/* The command line bound to a key name, or NULL. */
const char *keymap_lookup(const struct keymap *k, const char *key);
/* Key names bound to command `name` (any arguments), joined by spaces. */
void keymap_keys_for(const struct keymap *k, const char *name, char *out, size_t n);
/* One line per command: name, default keys, usage, help (for --keys and the docs). */
void ui_print_keys(FILE *f);

#endif
