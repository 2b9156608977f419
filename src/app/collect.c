/* `alphapulse collect`: the live session without a screen, for a server or
 * systemd. Commands arrive as lines on stdin (`:add SYM`, `:del SYM`), so a
 * FIFO or a supervisor can drive it. SIGTERM/SIGINT stop after the store has
 * flushed; SIGHUP re-reads the configuration file (reload.c), as `:reload`
 * does in the console. On PostgreSQL several collectors share the database and
 * each writes the instruments it holds the lock of (failover.h): the session
 * runs on those and is restarted when they change. */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "alphapulse/app.h"
#include "alphapulse/clock.h"
#include "alphapulse/config.h"
#include "alphapulse/failover.h"
#include "alphapulse/instrument.h"
#include "alphapulse/log.h"
#include "alphapulse/options.h"
#include "alphapulse/paths.h"
#include "alphapulse/session.h"
#include "alphapulse/symbol_id.h"
#include "alphapulse/venue.h"

#define STATUS_EVERY_MS 5000

static volatile sig_atomic_t collect_stop, collect_hup;
static void on_stop(int sig) { (void)sig; collect_stop = 1; }
static void on_hup(int sig) { (void)sig; collect_hup = 1; }

enum { O_DB = 256, O_ACCOUNT, O_CONFIG, O_SYMBOLS, O_REST, O_WS, O_STALE, O_AGE, O_HISTORY, O_LOG, O_LOGERR, O_HELP };

static const struct cli_opt options[] = {
    { "db", "PATH", O_DB, "database (default: $XDG_DATA_HOME/alphapulse/alphapulse.db)" },
    { "account", "NAME", O_ACCOUNT, "account the engine records its signals under (default: collector)" },
    { "config", "PATH", O_CONFIG, "configuration file (JSON)" },
    { "symbols", "A,B", O_SYMBOLS, "symbols (default " SESSION_DEFAULT_SYMBOLS ")" },
    { "rest-url", "URL", O_REST, "Binance REST base (default https://data-api.binance.vision; http:// for loopback tests)" },
    { "ws-url", "URL", O_WS, "Binance WebSocket base (default wss://data-stream.binance.vision; ws:// for loopback tests)" },
    { "stale-after", "S", O_STALE, "reconnect after S seconds without a message (default: feed.stale_seconds, 30)" },
    { "ws-max-age", "S", O_AGE, "planned reconnect after S seconds (default 82800 = 23 h)" },
    { "history", "N", O_HISTORY, "1m candles to fetch for a symbol with nothing stored (default 1000)" },
    { "log", "PATH", O_LOG, "log file (default: $XDG_STATE_HOME/alphapulse/alphapulse.log)" },
    { "log-stderr", NULL, O_LOGERR, "also copy the log to stderr" },
    { "help", NULL, O_HELP, "this text" },
    { NULL, NULL, 0, NULL },
};

static void usage(FILE *out)
{
    fprintf(out,
        "usage: alphapulse collect [options]\n"
        "\n"
        "Collect live Binance market data into the database, with the engine running, and no screen.\n"
        "\n");
    opts_usage(out, options);
    fprintf(out,
        "\n"
        "Standard input takes commands, one per line: ':add SYMBOL', ':del SYMBOL'.\n"
        "SIGTERM or SIGINT: stop after flushing the database (exit 0). SIGHUP: re-read the configuration file.\n"
        "On PostgreSQL several collectors share the database: each instrument is written by the one holding its\n"
        "lock, the others stand by and take it over within feed.failover_s of its holder ending.\n");
}

static int positive(const char *opt, const char *arg, int *out)
{
    char *end;
    long v = strtol(arg, &end, 10);
    if (*end || end == arg || v <= 0 || v > 100000000) {
        fprintf(stderr, "alphapulse collect: %s %s: expected a whole number > 0\n", opt, arg);
        return -1;
    }
    *out = (int)v;
    return 0;
}

/* One command line from stdin: on the session, or on the failover's list (f);
 * what is added or removed by hand is no longer the ranking's (rf). */
static void stdin_command(struct session *s, struct failover *f, struct symbol_refresh *rf, char *line)
{
    char *p = line;
    while (*p == ' ' || *p == '\t')
        p++;
    if (*p == ':')
        p++;
    size_t n = strcspn(p, "\r\n");
    p[n] = 0;
    if (!*p)
        return;
    char verb[16], sym[64], err[256];
    if (sscanf(p, "%15s %63s", verb, sym) != 2) {
        log_warn("collect: command '%s' not understood; expected ':add SYMBOL' or ':del SYMBOL'", p);
        return;
    }
    int rc;
    if (strcmp(verb, "add") == 0)
        rc = f ? failover_add(f, sym, err, sizeof err) : session_add_symbol(s, sym, err, sizeof err);
    else if (strcmp(verb, "del") == 0)
        rc = f ? failover_del(f, sym, err, sizeof err) : session_del_symbol(s, sym, err, sizeof err);
    else {
        log_warn("collect: unknown command '%s'; expected :add or :del", verb);
        return;
    }
    char canon[SYMBOL_MAX];
    if (!rc && symbol_id_canonical(sym, venue_names(), canon, err, sizeof err) == 0)
        app_symbol_refresh_hand(rf, canon, strcmp(verb, "add") == 0);
    if (rc)
        log_warn("collect: %s %s: %s", verb, sym, err);
    else
        log_info("collect: %s %s queued", verb, sym);
}

/* A collect process: its session, when it writes anything. */
struct collector {
    struct app_setup *st;
    struct session s;
    bool running;                  /* s is started */
    bool retry;                    /* the last (re)start failed: try again next pass */
    struct failover *f;            /* PostgreSQL: the instruments this process writes; NULL: SQLite, all */
    int64_t next_pass;
};

/* SQLite: the symbols collected, noted in the lock file for a console beside
 * (store_feed.h); on PostgreSQL the claims say it. */
static void note_collecting(struct collector *c)
{
    const char *list = c->st->o.symbols && *c->st->o.symbols ? c->st->o.symbols : SESSION_DEFAULT_SYMBOLS;
    int max = 1;
    for (const char *p = list; *p; p++)
        max += *p == ',';
    char err[200], (*names)[SYMBOL_MAX] = malloc((size_t)max * sizeof *names);
    size_t room = (size_t)max * SYMBOL_MAX + 1, used = 0;
    char *text = malloc(room);
    int n = names && text ? session_parse_symbols(list, names, max, err, sizeof err) : -1;
    if (n < 0) {
        log_warn("collect: cannot note the symbols collected for a console beside: %s", names && text ? err :
                 "out of memory");
    } else {
        text[0] = 0;
        for (int i = 0; i < n && used < room; i++)
            used += (size_t)snprintf(text + used, room - used, "%s%s", i ? "," : "", names[i]);
        store_note_collecting(c->s.store, text);
    }
    free(names);
    free(text);
}

/* (Re)starts the session on the instruments held (none: stands by with no
 * session). 0, or session_start's status with err. */
static int run_session(struct collector *c, char *err, size_t n)
{
    if (c->running) {
        session_stop(&c->s);
        c->running = false;
    }
    if (c->f) {
        failover_settle(c->f);
        c->st->o.symbols = failover_held(c->f);
        if (!*c->st->o.symbols)
            return 0;
    }
    int rc = session_start(&c->s, &c->st->o, err, n);
    if (rc)
        session_stop(&c->s);
    else if (!c->f)
        note_collecting(c);
    c->running = rc == 0;
    return rc;
}

/* PostgreSQL: claim what is free, restart the session when the held set changed. */
static void failover_step(struct collector *c, int64_t now)
{
    c->next_pass = now + FAILOVER_PASS_MS;
    if (!failover_pass(c->f) && !c->retry)
        return;
    char err[1024];
    c->retry = run_session(c, err, sizeof err) != 0;
    if (c->retry)
        log_error("collect: %s; trying again", err);
}

static void status(struct collector *c, struct snapshot *snap)
{
    if (!c->running) {
        log_info("status: standing by; no instrument held");
        return;
    }
    struct session *s = &c->s;
    engine_thread_snapshot(&s->et, snap, 0);
    log_info("status: feed %s; %llu events, %llu rejected by the engine, %llu rows written%s",
             snap->feed_state, (unsigned long long)snap->events, (unsigned long long)snap->rejected,
             (unsigned long long)store_rows_written(s->store), store_failing(s->store) ? ", STORE FAILING" : "");
    for (int i = 0; i < snap->n_streams; i++) {
        const struct stream_health *h = &snap->streams[i];
        unsigned rej = 0;
        for (int r = 0; r < STREAM_RULE_COUNT; r++)
            rej += h->rejected[r];
        log_info("status: %-14s %-10s %7.1f msg/s  reconnects %u  gaps %u (%u candles)  rejected %u  "
                 "outliers %u  quality %.1f%%", h->name, stream_state_name(h->state), (double)h->msgs_per_s,
                 h->reconnects, h->gaps_filled, h->candles_filled, rej, h->outliers, 100.0 * h->quality);
    }
}

int app_collect(int argc, char **argv)
{
    struct cli cli = { 0 };
    const char *logpath = NULL;
    bool log_stderr = false;
    struct opts p;
    opts_init(&p, "alphapulse collect", options);
    int c;
    const char *optarg;
    while ((c = opts_next(&p, argc, argv, &optarg)) != OPTS_END) {
        switch (c) {
        case O_DB: cli.db = optarg; break;
        case O_ACCOUNT: cli.account = optarg; break;
        case O_CONFIG: cli.config = optarg; break;
        case O_SYMBOLS: cli.symbols = optarg; break;
        case O_REST: cli.rest_url = optarg; break;
        case O_WS: cli.ws_url = optarg; break;
        case O_STALE: if (positive("--stale-after", optarg, &cli.stale_after_s)) return 2; break;
        case O_AGE: if (positive("--ws-max-age", optarg, &cli.ws_max_age_s)) return 2; break;
        case O_HISTORY: if (positive("--history", optarg, &cli.history)) return 2; break;
        case O_LOG: logpath = optarg; break;
        case O_LOGERR: log_stderr = true; break;
        case O_HELP: usage(stdout); return 0;
        default:
            usage(stderr);
            return 2;
        }
    }
    if (!cli.account)
        cli.account = STORE_COLLECTOR_ACCOUNT;
    if (optind < argc) {
        fprintf(stderr, "alphapulse collect: unexpected argument '%s'\n", argv[optind]);
        return 2;
    }
    char logp[1024], err[1024];
    if (logpath) {
        if (log_open(logpath)) {
            fprintf(stderr, "alphapulse collect: --log %s: cannot open for appending: %s\n", logpath, strerror(errno));
            return 1;
        }
    } else if (paths_xdg("STATE", "alphapulse.log", logp, sizeof logp) == 0) {
        log_open(logp);
    }
    log_to_stderr(log_stderr);
    struct app_setup *st = calloc(1, sizeof *st);
    if (!st)
        return 1;
    int src = app_setup(&cli, SESSION_LIVE, st, "alphapulse collect");
    if (src >= 0) {
        free(st);
        return src;
    }
    struct sigaction sa = { .sa_handler = on_stop };
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    sa.sa_handler = on_hup;
    sigaction(SIGHUP, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    struct collector col = { .st = st };
    st->o.collector = true;
    int started = 0;
    if (store_is_url(st->o.db)) {
        col.f = failover_open(st->o.db, st->o.symbols, st->cfg.feed.failover_s, err, sizeof err);
        if (col.f)
            failover_pass(col.f);
        else
            started = -1;
    }
    if (!started)
        started = run_session(&col, err, sizeof err);
    if (started) {
        fprintf(stderr, "alphapulse collect: %s\n", err);
        log_error("%s", err);
        failover_close(col.f);
        free(st);
        return started == -2 || strncmp(err, "--", 2) == 0 ? 2 : 1;
    }
    log_info("collect: running (pid %ld); SIGTERM stops", (long)getpid());
    /* top:N re-ranked on a SQLite collector; a PostgreSQL one follows its claims */
    struct symbol_refresh *rf = col.f ? NULL : app_symbol_refresh_for(&cli, st);
    struct snapshot *snap = calloc(1, sizeof *snap);
    bool stdin_open = true;
    char line[256];
    size_t have = 0;
    int64_t last_status = clock_mono_ms(), last_alive = last_status;
    bool was_failing = false;
    while (!collect_stop) {
        if (collect_hup) {
            collect_hup = 0;
            char msg[300];
            if (!col.running)
                log_warn("collect: SIGHUP: no instrument held, nothing running to reload into");
            else if (app_reload(st, &col.s, msg, sizeof msg) != 0)   /* a success logs what changed */
                log_warn("collect: SIGHUP: %s", msg);
        }
        struct pollfd pfd = { .fd = STDIN_FILENO, .events = POLLIN };
        int pr = stdin_open ? poll(&pfd, 1, 100) : (nanosleep(&(struct timespec){ 0, 100000000 }, NULL), 0);
        if (pr > 0) {
            ssize_t r = read(STDIN_FILENO, line + have, sizeof line - 1 - have);
            if (r <= 0) {
                stdin_open = false;              /* EOF (or /dev/null): keep collecting */
            } else {
                have += (size_t)r;
                line[have] = 0;
                char *nl;
                while ((nl = strchr(line, '\n'))) {
                    *nl = 0;
                    stdin_command(&col.s, col.f, rf, line);
                    col.next_pass = 0;             /* a changed list is acted on at once */
                    size_t rest = have - (size_t)(nl + 1 - line);
                    memmove(line, nl + 1, rest + 1);
                    have = rest;
                }
                if (have == sizeof line - 1)
                    have = 0;                    /* an absurd line: drop it */
            }
        }
        char msg[300];
        if (col.running)
            app_symbol_refresh_apply(rf, &col.s, msg, sizeof msg);     /* logs what changed */
        int64_t now = clock_mono_ms();
        if (col.f && now >= col.next_pass)
            failover_step(&col, now);
        else if (!col.f && col.running && now - last_alive >= 1000) {
            /* SQLite: a console beside sees this process is not hung. From
             * this loop: nothing in it blocks for long on SQLite (no session
             * restarts); PostgreSQL's stamp has a thread of its own (pg_claim.c) */
            store_note_alive(col.s.store);
            last_alive = now;
        }
        /* and at once when the store starts or stops failing: an outage shorter
         * than the interval still shows */
        bool failing = col.running && store_failing(col.s.store);
        if (snap && (now - last_status >= STATUS_EVERY_MS || failing != was_failing)) {
            status(&col, snap);
            last_status = now;
            was_failing = failing;
        }
    }
    app_symbol_refresh_stop(rf);
    log_info("collect: stopping; flushing the database");
    if (snap)
        status(&col, snap);
    if (col.running)
        session_stop(&col.s);
    failover_close(col.f);
    snapshot_free(snap);
    free(st);
    log_info("collect: stopped cleanly");
    log_close();
    return 0;
}
