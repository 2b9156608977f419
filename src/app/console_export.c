/* The console's `:export WHAT FILE [SYMBOL] [TF]`. The words and rules are the
 * CLI's (store_export_names; SYMBOL not for equity, TF only for candles and
 * signals); the defaults are what the console shows. The rows are written by
 * app_export_file (FILE.tmp renamed over FILE) on a short-lived worker thread:
 * after a full demo replay, one symbol's 1m candles (41761 rows) take about
 * 120 ms and all candles (148884) about 350 ms, too long to freeze the screen. The result waits in a
 * one-message mailbox the UI polls every turn of its loop. The console owns the
 * worker and the mailbox (struct console_export): it starts the worker, joins it
 * (at the next export or when it closes) and frees the mailbox only after. One
 * export at a time: two writing the same FILE.tmp would interleave. */
#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "alphapulse/app.h"
#include "alphapulse/venue.h"
#include "alphapulse/log.h"
#include "alphapulse/suggest.h"
#include "alphapulse/clock.h"

#define EXPORT_MSG 200

struct console_export {
    pthread_mutex_t lock;
    pthread_cond_t idle;
    bool running, full, error;
    bool joinable;                 /* a worker was started and not yet joined */
    pthread_t worker;
    char msg[EXPORT_MSG];
    char account[STORE_ACCOUNT_MAX + 1];   /* the console's: signals, trades, equity, journal */
};

struct export_job {
    struct console_export *x;
    struct export_options o;
    char db[1024], path[4096], symbol[SYMBOL_MAX], scope[64], account[STORE_ACCOUNT_MAX + 1];
};

/* Words for the status line: singular, plural. */
static const char *const NOUN[EXPORT_KINDS][2] = {
    [EXPORT_CANDLES] = { "candle", "candles" },    [EXPORT_SIGNALS] = { "signal", "signals" },
    [EXPORT_TRADES] = { "trade", "trades" },       [EXPORT_EQUITY] = { "equity point", "equity points" },
    [EXPORT_JOURNAL] = { "journal entry", "journal entries" }, [EXPORT_TAPE] = { "stored trade", "stored trades" },
};

/* A message longer than the status line's buffer ends in "..." (the log has it whole). */
static void mark_cut(char *buf, size_t n, int written)
{
    if (written >= (int)n && n > 4)
        memcpy(buf + n - 4, "...", 4);
}

static void *export_worker(void *arg)
{
    struct export_job *j = arg;
    char err[1200];
    int64_t t0 = clock_mono_ms();
    long rows = app_export_file(j->db, &j->o, j->path, err, sizeof err);
    long ms = (long)(clock_mono_ms() - t0);
    const char *what = store_export_names[j->o.what];
    struct console_export *x = j->x;
    pthread_mutex_lock(&x->lock);
    if (rows >= 0) {
        mark_cut(x->msg, sizeof x->msg, snprintf(x->msg, sizeof x->msg, "exported %ld %s%s to %s", rows,
                                                 NOUN[j->o.what][rows != 1], j->scope, j->path));
        log_info("export: %ld %s%s to %s in %ld ms", rows, NOUN[j->o.what][rows != 1], j->scope, j->path, ms);
    } else {
        mark_cut(x->msg, sizeof x->msg, snprintf(x->msg, sizeof x->msg, "export %s: %s", what, err));
        log_error("export %s: %s", what, err);
    }
    x->error = rows < 0;
    x->full = true;
    x->running = false;
    pthread_cond_broadcast(&x->idle);
    pthread_mutex_unlock(&x->lock);
    free(j);
    return NULL;
}

static bool is_all(const char *s) { return s && strcasecmp(s, "all") == 0; }

/* Fills j from the words; -1 with the reason in msg. */
static int parse(struct export_job *j, int argc, char **argv, const char *shown_symbol, int shown_tf,
                 char *msg, size_t n)
{
    const char *word = argv[0], *file = argv[1];
    int what = -1;
    for (int i = 0; i < EXPORT_KINDS; i++)
        if (strcmp(word, store_export_names[i]) == 0)
            what = i;
    if (what < 0) {
        const char *near = suggest_nearest(word, store_export_names, EXPORT_KINDS, 3);
        if (near)
            snprintf(msg, n, "export %s: unknown, did you mean %s? (candles signals trades equity journal tape)",
                     word, near);
        else
            snprintf(msg, n, "export %s: unknown; expected candles, signals, trades, equity, journal or tape", word);
        return -1;
    }
    /* a lone third word that is a timeframe is TF (`:export candles f.csv 5m`) */
    const char *sym_w = argc > 2 ? argv[2] : NULL, *tf_w = argc > 3 ? argv[3] : NULL;
    if (argc == 3 && tf_parse(argv[2]) >= 0)
        tf_w = argv[2], sym_w = NULL;
    bool per_symbol = what != EXPORT_EQUITY, per_tf = what == EXPORT_CANDLES || what == EXPORT_SIGNALS;
    if (sym_w && !per_symbol && !is_all(sym_w)) {
        snprintf(msg, n, "export equity: no SYMBOL (the account is one curve)");
        return -1;
    }
    if (tf_w && !per_tf && !is_all(tf_w)) {
        snprintf(msg, n, "export %s: no TF (a timeframe applies to candles and signals only)", word);
        return -1;
    }
    j->o = (struct export_options){ .what = what, .tf = -1, .from = INT64_MIN, .to = INT64_MAX };
    if (sym_w && !is_all(sym_w)) {
        char why[200];
        if (venue_symbol_canonical(sym_w, j->symbol, why, sizeof why)) {
            snprintf(msg, n, "export %s: SYMBOL %s, or all", word, why);
            return -1;
        }
        j->o.symbol = j->symbol;
    } else if (!sym_w && (what == EXPORT_CANDLES || what == EXPORT_SIGNALS)) {
        if (!shown_symbol || !*shown_symbol) {
            snprintf(msg, n, "export %s: no symbol shown yet; give SYMBOL (or all)", word);
            return -1;
        }
        snprintf(j->symbol, sizeof j->symbol, "%s", shown_symbol);
        j->o.symbol = j->symbol;
    }
    if (tf_w && !is_all(tf_w)) {
        j->o.tf = tf_parse(tf_w);
        if (j->o.tf < 0) {
            snprintf(msg, n, "export %s: TF '%s': expected 1m 5m 15m 1h 4h 1d, or all", word, tf_w);
            return -1;
        }
    } else if (!tf_w && what == EXPORT_CANDLES) {
        j->o.tf = shown_tf;
    }
    /* ~/ is the shell's, but the command line has no shell */
    if (file[0] == '~' && file[1] == '/') {
        const char *home = getenv("HOME");
        if (!home || !*home) {
            snprintf(msg, n, "export %s: %s: $HOME is not set", word, file);
            return -1;
        }
        snprintf(j->path, sizeof j->path, "%s%s", home, file + 1);
    } else {
        snprintf(j->path, sizeof j->path, "%s", file);
    }
    size_t len = strlen(j->path);
    j->o.json = len > 5 && strcasecmp(j->path + len - 5, ".json") == 0;
    int w = 0;
    if (j->o.symbol)
        w = snprintf(j->scope, sizeof j->scope, " of %s", j->o.symbol);
    else if (per_tf)
        w = snprintf(j->scope, sizeof j->scope, " of all symbols");
    if (j->o.tf >= 0)
        snprintf(j->scope + w, sizeof j->scope - (size_t)w, " %s", tf_name(j->o.tf));
    else if (what == EXPORT_CANDLES)
        snprintf(j->scope + w, sizeof j->scope - (size_t)w, ", all timeframes");
    return 0;
}

struct console_export *app_console_export_new(const char *account)
{
    struct console_export *x = calloc(1, sizeof *x);
    if (!x)
        return NULL;
    snprintf(x->account, sizeof x->account, "%s", account ? account : STORE_DEFAULT_ACCOUNT);
    pthread_mutex_init(&x->lock, NULL);
    pthread_cond_init(&x->idle, NULL);
    return x;
}

int app_console_export(struct console_export *x, const char *db, int argc, char **argv, const char *shown_symbol,
                       int shown_tf, char *msg, size_t n)
{
    if (!db || !*db) {
        snprintf(msg, n, "export: no database in this mode");
        return -1;
    }
    if (argc < 2 || argc > 4) {
        snprintf(msg, n, "usage: :export candles|signals|trades|equity|journal|tape FILE [SYMBOL|all] [TF|all]");
        return -1;
    }
    struct export_job *j = calloc(1, sizeof *j);
    if (!j) {
        snprintf(msg, n, "export: out of memory");
        return -1;
    }
    if (parse(j, argc, argv, shown_symbol, shown_tf, msg, n)) {
        free(j);
        return -1;
    }
    j->x = x;
    snprintf(j->db, sizeof j->db, "%s", db);
    memcpy(j->account, x->account, sizeof j->account);
    j->o.account = j->account;
    pthread_mutex_lock(&x->lock);
    if (x->running) {
        pthread_mutex_unlock(&x->lock);
        snprintf(msg, n, "export: the previous export is still running; try again when it reports");
        free(j);
        return -1;
    }
    if (x->joinable) {             /* the last worker has reported: it is ending, if not gone */
        pthread_join(x->worker, NULL);
        x->joinable = false;
    }
    snprintf(msg, n, "exporting %s%s to %s ...", NOUN[j->o.what][1], j->scope, j->path);
    int rc = pthread_create(&x->worker, NULL, export_worker, j);
    if (rc != 0) {
        pthread_mutex_unlock(&x->lock);
        snprintf(msg, n, "export: cannot start a thread: %s", strerror(rc));
        free(j);
        return -1;
    }
    x->joinable = true;
    x->running = true;
    x->full = false;         /* an older result nobody read is stale now */
    pthread_mutex_unlock(&x->lock);
    return 0;
}

bool app_console_export_poll(struct console_export *x, char *msg, size_t n, bool *error)
{
    pthread_mutex_lock(&x->lock);
    bool got = x->full;
    if (got) {
        snprintf(msg, n, "%s", x->msg);
        *error = x->error;
        x->full = false;
    }
    pthread_mutex_unlock(&x->lock);
    return got;
}

bool app_console_export_wait(struct console_export *x, int timeout_ms)
{
    struct timespec until = clock_deadline(timeout_ms);
    pthread_mutex_lock(&x->lock);
    int rc = 0;
    while (x->running && rc != ETIMEDOUT)
        rc = pthread_cond_timedwait(&x->idle, &x->lock, &until);
    bool idle = !x->running;
    pthread_mutex_unlock(&x->lock);
    return idle;
}

bool app_console_export_close(struct console_export *x, int timeout_ms)
{
    if (!x)
        return true;
    if (!app_console_export_wait(x, timeout_ms)) {
        /* still writing at exit: the worker keeps the mailbox, the process ends it */
        pthread_detach(x->worker);
        return false;
    }
    if (x->joinable)
        pthread_join(x->worker, NULL);
    pthread_cond_destroy(&x->idle);
    pthread_mutex_destroy(&x->lock);
    free(x);
    return true;
}
