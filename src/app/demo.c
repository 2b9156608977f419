/* The demo mode: a session on the bundled replay, with the TUI or headless. */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "alphapulse/alert.h"
#include "alphapulse/app.h"
#include "alphapulse/config.h"
#include "alphapulse/log.h"
#include "alphapulse/paths.h"
#include "alphapulse/session.h"
#include "alphapulse/ui.h"
#include "alphapulse/webhook.h"

/* What the console's demo plays after its warm start: 3 days of 1m candles per
 * symbol (72 minutes at 60x); everything before is history at the first frame. */
#define DEMO_PLAY_CANDLES (3 * 1440)

static volatile sig_atomic_t headless_stop;
static void on_signal(int sig) { (void)sig; headless_stop = 1; }

/* --script FILE: paper orders for headless runs (tests, the crash test). One per
 * line: `EVENTS buy|sell|close SYMBOL [QTY]`; the command is sent once the engine
 * has stepped through EVENTS events (counted from this start); # starts a comment.
 * Sent from this thread through the command queue, like a key press: the timing
 * against the market events is not exact, which a crash test does not need. */
struct script_line { long at; struct command cmd; };

static int script_load(const char *path, struct script_line **out, size_t *n, char *err, size_t err_len)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, err_len, "--script %s: cannot open: %s", path, strerror(errno));
        return -1;
    }
    char line[256];
    size_t cap = 0, lineno = 0;
    *out = NULL;
    *n = 0;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        char *hash = strchr(line, '#');
        if (hash)
            *hash = 0;
        char verb[16], sym[64];
        long at;
        double qty = 0;
        int k = sscanf(line, "%ld %15s %63s %lf", &at, verb, sym, &qty);
        if (k <= 0 && strspn(line, " \t\r\n") == strlen(line))
            continue;
        struct command c = { 0 };
        if (k < 3 || at < 0 || strlen(sym) >= SYMBOL_MAX || qty < 0 ||
            (strcmp(verb, "buy") && strcmp(verb, "sell") && strcmp(verb, "close"))) {
            snprintf(err, err_len, "--script %s:%zu: expected `EVENTS buy|sell|close SYMBOL [QTY]`", path, lineno);
            fclose(f);
            free(*out);
            return -1;
        }
        c.type = strcmp(verb, "close") == 0 ? CMD_CLOSE : CMD_MARKET_ORDER;
        c.side = strcmp(verb, "sell") == 0 ? -1 : 1;
        c.qty = qty;
        snprintf(c.symbol, sizeof c.symbol, "%.*s", (int)sizeof c.symbol - 1, sym);   /* length checked above */
        if (*n == cap) {
            cap = cap ? cap * 2 : 64;
            struct script_line *p = realloc(*out, cap * sizeof *p);
            if (!p) {
                fclose(f);
                free(*out);
                snprintf(err, err_len, "out of memory");
                return -1;
            }
            *out = p;
        }
        (*out)[(*n)++] = (struct script_line){ at, c };
    }
    fclose(f);
    return 0;
}

static int run_headless(struct session *s, long events, bool serve, const struct script_line *script,
                        size_t n_script)
{
    struct sigaction sa = { .sa_handler = on_signal };
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    struct snapshot *snap = calloc(1, sizeof *snap);
    if (!snap)
        return 1;
    uint64_t seq = 0;
    size_t next = 0;
    while (!headless_stop) {
        if (engine_thread_snapshot(&s->et, snap, seq))
            seq = snap->seq;
        while (next < n_script && snap->events >= (uint64_t)script[next].at &&
               engine_thread_command(&s->et, &script[next].cmd))
            next++;
        if (events > 0 && snap->events >= (uint64_t)events)
            break;
        /* the replay is over (also when --events cannot be reached any more); with
         * the webhook endpoint on, a headless run serves until told to stop */
        if (!serve && session_finished(s) && spsc_size(&s->market[0]) == 0)
            break;
        nanosleep(&(struct timespec){ 0, next < n_script ? 1000000 : 10000000 }, NULL);
    }
    snapshot_free(snap);
    return 0;
}

int app_demo(const struct cli *cli)
{
    char logp[1024], err[1024];
    if (paths_xdg("STATE", "alphapulse.log", logp, sizeof logp) == 0)
        log_open(logp);
    if (cli->headless)
        log_to_stderr(1);
    struct app_setup *st = calloc(1, sizeof *st);
    if (!st)
        return 1;
    int src = app_setup(cli, SESSION_REPLAY, st, "alphapulse");
    if (src >= 0) {
        free(st);
        return src;
    }
    struct script_line *script = NULL;
    size_t n_script = 0;
    if (cli->script && script_load(cli->script, &script, &n_script, err, sizeof err)) {
        fprintf(stderr, "alphapulse: %s\n", err);
        free(st);
        return 2;
    }
    if (st->alerts.bell_signals < 0)
        st->alerts.bell_signals = 0;           /* the demo raises signals fast: no bell for them unless asked */
    if (cli->headless)
        st->o.ack_stream = stdout;
    else
        st->o.warm_play = DEMO_PLAY_CANDLES;   /* the console opens warm; headless runs replay everything */
    struct session s;
    int started = session_start(&s, &st->o, err, sizeof err);
    if (started) {
        fprintf(stderr, "alphapulse: %s\n", err);
        log_error("%s", err);
        session_stop(&s);
        free(st);
        free(script);
        return started == -2 ? 2 : 1;
    }
    int rc;
    if (cli->headless) {
        rc = run_headless(&s, cli->run_events, s.webhook != NULL, script, n_script);
    } else {
        rc = app_console(cli, st, &s);
    }
    session_stop(&s);
    free(st);
    free(script);
    log_info("demo: stopped");
    log_close();
    return rc;
}
