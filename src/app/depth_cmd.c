/* `alphapulse depth SYMBOL`: the order book synced through the live feed and the
 * engine (the same code as the console's), printed once synced; --follow
 * prints it again on every change until interrupted. The engine runs on this
 * thread: events are popped from the feed's queue and stepped here. */
#include <errno.h>
#include <stddef.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "alphapulse/app.h"
#include "alphapulse/clock.h"
#include "alphapulse/engine.h"
#include "alphapulse/engine_depth.h"
#include "alphapulse/log.h"
#include "alphapulse/options.h"
#include "alphapulse/venue.h"

static volatile sig_atomic_t depth_stop;
static void on_stop(int sig) { (void)sig; depth_stop = 1; }

enum { O_LEVELS = 256, O_FORMAT, O_FOLLOW, O_REST, O_WS, O_TIMEOUT, O_LOG, O_HELP };

static const struct cli_opt options[] = {
    { "levels", "N", O_LEVELS, "levels a side to print (default 20, at most 1000)" },
    { "format", "F", O_FORMAT, "json (default) or text" },
    { "follow", NULL, O_FOLLOW, "print the book again on every change until interrupted" },
    { "rest-url", "URL", O_REST, "REST base (default: Binance spot's public data endpoint; http:// for loopback tests)" },
    { "ws-url", "URL", O_WS, "WebSocket base (default: Binance spot's public stream; ws:// for loopback tests)" },
    { "timeout", "S", O_TIMEOUT, "give up when the book is not synced after S seconds (default 30)" },
    { "log", "PATH", O_LOG, "log file (default: none)" },
    { "help", NULL, O_HELP, "this text" },
    { NULL, NULL, 0, NULL },
};

static void usage(FILE *out)
{
    fprintf(out,
        "usage: alphapulse depth SYMBOL [options]\n"
        "\n"
        "Sync SYMBOL's order book from Binance (diff-depth stream and REST snapshot) and print it.\n"
        "JSON: {\"symbol\", \"last_update_id\", \"bids\": [[price, qty], ...], \"asks\": [...]}, best first.\n"
        "Exit 1 with the reason when the symbol is unknown or the book cannot be synced.\n"
        "\n");
    opts_usage(out, options);
}

static void print_levels(FILE *out, const struct book_level *lv, size_t n, bool json, const char *side)
{
    char p[40], q[40];
    for (size_t i = 0; i < n; i++) {
        book_fmt_fixed(lv[i].px, p, sizeof p);
        book_fmt_fixed(lv[i].qty, q, sizeof q);
        if (json)
            fprintf(out, "%s[\"%s\",\"%s\"]", i ? "," : "", p, q);
        else
            fprintf(out, "%s %16s %18s\n", side, p, q);
    }
}

static void print_book(const char *sym, const struct depth_sync *ds, int levels, bool json)
{
    static struct book_level lv[BOOK_LEVELS_MAX];
    const struct book *b = depth_sync_book(ds);
    if (json)
        printf("{\"symbol\":\"%s\",\"last_update_id\":%llu,\"bids\":[", sym, (unsigned long long)ds->last_id);
    else
        printf("%s update %llu\n", sym, (unsigned long long)ds->last_id);
    print_levels(stdout, lv, book_top(b, BOOK_BID, lv, (size_t)levels), json, "bid");
    if (json)
        printf("],\"asks\":[");
    print_levels(stdout, lv, book_top(b, BOOK_ASK, lv, (size_t)levels), json, "ask");
    printf(json ? "]}\n" : "\n");
    fflush(stdout);
}

int app_depth(int argc, char **argv)
{
    int levels = 20, timeout_s = 30;
    bool json = true, follow = false;
    const char *logpath = NULL;
    struct venue_options lo = { 0 };
    struct opts p;
    opts_init(&p, "alphapulse depth", options);
    int c;
    const char *arg;
    while ((c = opts_next(&p, argc, argv, &arg)) != OPTS_END) {
        char *end;
        switch (c) {
        case O_LEVELS:
            levels = (int)strtol(arg, &end, 10);
            if (*end || end == arg || levels < 1 || levels > BOOK_LEVELS_MAX) {
                fprintf(stderr, "alphapulse depth: --levels %s: expected 1 to %d\n", arg, BOOK_LEVELS_MAX);
                return 2;
            }
            break;
        case O_TIMEOUT:
            timeout_s = (int)strtol(arg, &end, 10);
            if (*end || end == arg || timeout_s < 1) {
                fprintf(stderr, "alphapulse depth: --timeout %s: expected seconds > 0\n", arg);
                return 2;
            }
            break;
        case O_FORMAT:
            if (strcmp(arg, "json") != 0 && strcmp(arg, "text") != 0) {
                fprintf(stderr, "alphapulse depth: --format %s: expected json or text\n", arg);
                return 2;
            }
            json = arg[0] == 'j';
            break;
        case O_FOLLOW: follow = true; break;
        case O_REST: lo.rest_url = arg; break;
        case O_WS: lo.ws_url = arg; break;
        case O_LOG: logpath = arg; break;
        case O_HELP: usage(stdout); return 0;
        default: usage(stderr); return 2;
        }
    }
    if (optind != argc - 1) {
        fprintf(stderr, "alphapulse depth: expected one SYMBOL\n");
        usage(stderr);
        return 2;
    }
    char sym[SYMBOL_MAX], err[512];
    if (venue_symbol_canonical(argv[optind], sym, err, sizeof err)) {
        fprintf(stderr, "alphapulse depth: %s\n", err);
        return 2;
    }
    const struct venue *v = venue_of(sym);
    if (!v || strcmp(v->name, "binance") != 0) {
        fprintf(stderr, "alphapulse depth: %s: order books are read from Binance spot only\n", sym);
        return 2;
    }
    if (logpath && log_open(logpath)) {
        fprintf(stderr, "alphapulse depth: --log %s: cannot open for appending: %s\n", logpath, strerror(errno));
        return 1;
    }
    struct sigaction sa = { .sa_handler = on_stop };
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);

    struct engine_config cfg;
    struct instrument inst = { 0 };
    engine_config_defaults(&cfg);
    cfg.n_symbols = 1;
    cfg.inst = &inst;
    snprintf(inst.symbol, SYMBOL_MAX, "%s", sym);
    instrument_split(sym, &inst);
    instrument_defaults(&inst);
    cfg.history = 16;
    struct spsc market, records;
    static struct depth_demand dm;
    char names[1][SYMBOL_MAX];
    memcpy(names[0], sym, SYMBOL_MAX);
    depth_demand_init(&dm, (const char (*)[SYMBOL_MAX])names, 1);
    lo.depth = &dm;
    lo.history = 1;
    if (spsc_init(&market, sizeof(struct engine_event), 16384) ||
        spsc_init(&records, sizeof(struct record), 4096)) {
        fprintf(stderr, "alphapulse depth: out of memory\n");
        return 1;
    }
    struct engine *e = engine_create(&cfg, &records);
    if (!e) {
        fprintf(stderr, "alphapulse depth: out of memory\n");
        return 1;
    }
    engine_set_depth_demand(e, &dm);
    int64_t last_closed = -1;
    struct venue_feed *f = v->open(v, &lo, err, sizeof err);
    if (!f || v->start(f, (const char (*)[SYMBOL_MAX])names, &last_closed, 1, &market, err, sizeof err)) {
        fprintf(stderr, "alphapulse depth: %s\n", err);
        v->close(f);
        engine_destroy(e);
        return 1;
    }
    int rc = 0;
    int64_t deadline = clock_mono_ms() + (int64_t)timeout_s * 1000;
    uint64_t printed = 0;
    bool synced_once = false;
    char feed_state[96] = "starting";
    struct engine_event ev;
    struct record r;
    struct depth_stats seen = { 0 };
    while (!depth_stop) {
        bool any = false;
        for (int k = 0; k < 4096 && spsc_pop(&market, &ev); k++) {
            any = true;
            engine_step(e, &ev);
            if (ev.type == EE_FEED_STATE) {
                snprintf(feed_state, sizeof feed_state, "%s", ev.u.state);
                if (strstr(ev.u.state, "invalid symbol") || strstr(ev.u.state, "no valid symbol")) {
                    fprintf(stderr, "alphapulse depth: %s: unknown symbol (%s)\n", sym, ev.u.state);
                    rc = 1;
                    depth_stop = 1;
                    break;
                }
            }
        }
        while (spsc_pop(&records, &r))
            ;                         /* nothing is stored here */
        const struct depth_sync *ds = engine_depth(e, sym);
        if (ds && memcmp(&ds->st.resyncs, &seen.resyncs, offsetof(struct depth_stats, buffer_overflows)) != 0) {
            seen = ds->st;
            log_info("%s: book %s: resyncs %u, gaps %u, stale snapshots %u, crossed %u, negative %u, off tick %u",
                     sym, depth_state_name(ds->state), seen.resyncs, seen.gaps, seen.stale_snapshots, seen.crossed,
                     seen.neg_qty, seen.off_tick);
        }
        if (ds && depth_sync_book(ds) && ds->last_id != printed && spsc_size(&market) == 0) {
            print_book(sym, ds, levels, json);
            printed = ds->last_id;
            synced_once = true;
            if (!follow)
                break;
        }
        if (!synced_once && clock_mono_ms() > deadline) {
            fprintf(stderr, "alphapulse depth: %s: cannot sync the book within %d s (feed: %s; book: %s)\n", sym,
                    timeout_s, feed_state, ds ? depth_state_name(ds->state) : "no depth data");
            rc = 1;
            break;
        }
        if (!any)
            nanosleep(&(struct timespec){ 0, 1000000 }, NULL);
    }
    v->close(f);
    engine_destroy(e);
    spsc_free(&market);
    spsc_free(&records);
    log_close();
    return rc;
}
