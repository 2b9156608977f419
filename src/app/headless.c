/* Headless runs (see headless.h). */
#include "headless.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "alphapulse/command.h"
#include "alphapulse/engine_thread.h"
#include "alphapulse/snapshot.h"

static volatile sig_atomic_t headless_stop;
static void on_signal(int sig) { (void)sig; headless_stop = 1; }

/* A script's orders are sent from this thread through the command queue, like a
 * key press: the timing against the market events is not exact, which a crash
 * test does not need. */
struct headless_line { long at; struct command cmd; };

int headless_script_load(const char *path, struct headless_script *sc, char *err, size_t err_len)
{
    struct headless_line **out = &sc->lines;
    size_t *n = &sc->n;
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
            *out = NULL;
            return -1;
        }
        c.type = strcmp(verb, "close") == 0 ? CMD_CLOSE : CMD_MARKET_ORDER;
        c.side = strcmp(verb, "sell") == 0 ? -1 : 1;
        c.qty = qty;
        snprintf(c.symbol, sizeof c.symbol, "%.*s", (int)sizeof c.symbol - 1, sym);   /* length checked above */
        if (*n == cap) {
            cap = cap ? cap * 2 : 64;
            struct headless_line *p = realloc(*out, cap * sizeof *p);
            if (!p) {
                fclose(f);
                free(*out);
                *out = NULL;
                snprintf(err, err_len, "out of memory");
                return -1;
            }
            *out = p;
        }
        (*out)[(*n)++] = (struct headless_line){ at, c };
    }
    fclose(f);
    return 0;
}

int headless_run(struct session *s, long events, bool serve, const struct headless_script *sc)
{
    const struct headless_line *script = sc->lines;
    size_t n_script = sc->n;
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
