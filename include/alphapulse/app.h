/* Modes of the program, wired from the modules below them. */
#ifndef ALPHAPULSE_APP_H
#define ALPHAPULSE_APP_H
#include <stdbool.h>
#include <stddef.h>
#include "alphapulse/cli.h"
#include "alphapulse/config.h"
#include "alphapulse/alert.h"
#include "alphapulse/session.h"
#include "alphapulse/webhook.h"
#include "alphapulse/ta_set.h"
#include "alphapulse/ui.h"

int app_demo(const struct cli *cli);   /* TUI (or --headless) on the demo replay */
int app_analyze(int argc, char **argv);  /* alphapulse analyze ... */
/* Loads the configuration for a mode. Returns -1 to go on, or an exit status
 * (0 after --check-config, 2 for an invalid file or --set). */
int app_config_load(const struct cli *cli, struct config *cfg);
/* The names the configuration checks against (themes, candlestick patterns,
 * key bindings) and its sections beyond the core's (alerts, webhook). */
extern const struct config_vocab app_config_vocab;
extern const struct config_section app_webhook_section;
/* The alert and webhook settings to start with: the file's (already checked by
 * the configuration), then the environment's secrets, which win. */
int app_config_alerts(const struct config *c, struct alert_params *a, struct webhook_params *w, char *err, size_t n);

/* Everything a session needs from the command line and the configuration. */
struct app_setup {
    struct config cfg;
    struct session_options o;
    struct alert_params alerts;
    struct webhook_params webhook;
    struct keymap keys;             /* the defaults with the file's ui.keys */
    struct store_retention retention;   /* storage.retention_days */
    char db[1024], manifest[1024];
    char symbols[CONFIG_MAX_SYMBOLS * SYMBOL_MAX];   /* the live symbols, patterns resolved */
    bool symbols_from_file;         /* feed.symbols, not --symbols: a reload may change them */
    char from_store[CONFIG_MAX_SYMBOLS * SYMBOL_MAX];   /* live symbols a collector writes (store_feed.h) */
};
/* A list of symbols and patterns (symbol_pattern.h: *QUOTE, top:N:QUOTE,
 * -SYMBOL) as plain symbols, comma-separated, into out; Binance (rest_url,
 * ca_file) is asked for its listing only when a pattern needs it. At most cap
 * symbols. 0, or -1 with the reason (the word at fault and what was expected). */
int app_symbols_resolve(const char *list, const char *rest_url, const char *ca_file, int cap, char *out,
                        size_t out_len, char *err, size_t err_len);
/* The list as written: --symbols, else feed.symbols joined by commas (malloc'd). */
char *app_symbols_written(const struct cli *cli, const struct config *c);

/* top:N patterns ranked again every every_s seconds (symbol_refresh.c): NULL
 * when list (as written) has none. resolved: the session's symbols from it.
 * apply (the controlling thread, each turn): what a finished re-ranking changed
 * is added and removed on s; 1 with msg when something changed. hand: the user
 * added (or removed) a symbol by hand; such a symbol never leaves with the ranking. */
struct symbol_refresh;
struct symbol_refresh *app_symbol_refresh_start(const char *list, const char *resolved, const char *rest_url,
                                                const char *ca_file, int cap, int every_s);
int app_symbol_refresh_apply(struct symbol_refresh *r, struct session *s, char *msg, size_t n);
void app_symbol_refresh_hand(struct symbol_refresh *r, const char *symbol, bool add);
void app_symbol_refresh_stop(struct symbol_refresh *r);
/* Starts one for st's session when its symbols have top:N patterns (else NULL). */
struct symbol_refresh *app_symbol_refresh_for(const struct cli *cli, const struct app_setup *st);

/* Returns -1 to go on, or an exit status (after --check-config, or an error that
 * was printed with prog as the prefix). */
int app_setup(const struct cli *cli, enum session_feed feed, struct app_setup *st, const char *prog);
/* Re-reads st's configuration file into a running session (see reload.c). 0, or
 * -1 with the reason in msg; msg also says what did change. */
int app_reload(struct app_setup *st, struct session *s, char *msg, size_t n);
/* The console's :export WHAT FILE [SYMBOL] [TF] (console_export.c): argv as typed
 * after the command's name; shown_symbol and shown_tf are the defaults. Parses,
 * then writes the rows from db on a worker thread of x: 0 with what it is writing
 * in msg, or -1 with the reason. The result comes later from
 * app_console_export_poll (true with the status line's message).
 * app_console_export_wait waits up to timeout_ms for a running export; true when
 * none is running. app_console_export_close waits the same way, joins the worker
 * and frees x (false, leaving x to the worker, if it is still writing). */
/* The chart's older candles (console_history.c): one read at a time of
 * store_read_candles_before on a short-lived worker thread, its answer in a
 * one-page mailbox the UI polls (ui_options.older, older_poll). ask: 0 started,
 * -1 a read is running (or no thread). close waits up to timeout_ms for a
 * running read, then leaves it to the process (false). */
struct console_history;
struct console_history *app_console_history_new(void);
int app_console_history_ask(struct console_history *h, const char *db, const char *symbol, int tf, int64_t before,
                            int max);
bool app_console_history_poll(struct console_history *h, struct ui_older *page);
bool app_console_history_close(struct console_history *h, int timeout_ms);
struct console_export;
struct console_export *app_console_export_new(const char *account);   /* NULL: the default account */
int app_console_export(struct console_export *x, const char *db, int argc, char **argv, const char *shown_symbol,
                       int shown_tf, char *msg, size_t n);
bool app_console_export_poll(struct console_export *x, char *msg, size_t n, bool *error);
bool app_console_export_wait(struct console_export *x, int timeout_ms);
bool app_console_export_close(struct console_export *x, int timeout_ms);
/* Runs the console on a started session (console.c); returns ui_run's status. */
int app_console(const struct cli *cli, struct app_setup *st, struct session *s);
int app_live(const struct cli *cli);   /* TUI on live Binance data */
int app_collect(int argc, char **argv);   /* `alphapulse collect`: headless live collection */
int app_depth(int argc, char **argv);     /* `alphapulse depth SYMBOL`: one live order book */
/* Live options shared by the TUI and collect: the feeds' timings from cli, and
 * --rest-url/--ws-url checked; 0 or -1 with err. */
struct venue_options;
int app_live_options(const struct cli *cli, struct venue_options *o, char *err, size_t err_len);
int app_export(int argc, char **argv); /* `alphapulse export ...`: stored rows to CSV/JSON */
/* Writes the rows o selects from database db to path, through path.tmp renamed
 * over path when complete (a failure leaves no file behind). Returns the number
 * of rows; -1 when reading the database failed, -2 when writing the file did
 * (err names the database or the file). Shared by the CLI and the console. */
long app_export_file(const char *db, const struct export_options *o, const char *path, char *err, size_t n);
int app_backtest(int argc, char **argv); /* alphapulse backtest ... */

#endif
