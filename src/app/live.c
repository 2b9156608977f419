/* Live mode: the TUI (or --headless, headless.h) on live data, one feed per venue
 * of the symbols. The database is separate from the demo's so replayed history
 * never mixes with real data. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alphapulse/app.h"
#include "alphapulse/config.h"
#include "alphapulse/log.h"
#include "alphapulse/paths.h"
#include "alphapulse/session.h"
#include "alphapulse/store_feed.h"
#include "alphapulse/ui.h"
#include "headless.h"

static int url_ok(const char *url, const char *a, const char *b)
{
    return strncmp(url, a, strlen(a)) == 0 || strncmp(url, b, strlen(b)) == 0;
}

int app_live_options(const struct cli *cli, struct venue_options *o, char *err, size_t err_len)
{
    memset(o, 0, sizeof *o);
    if (cli->rest_url) {
        if (!url_ok(cli->rest_url, "http://", "https://")) {
            snprintf(err, err_len, "--rest-url %s: expected http://HOST[:PORT] or https://HOST[:PORT]", cli->rest_url);
            return -1;
        }
        o->rest_url = cli->rest_url;
    }
    if (cli->ws_url) {
        if (!url_ok(cli->ws_url, "ws://", "wss://")) {
            snprintf(err, err_len, "--ws-url %s: expected ws://HOST[:PORT] or wss://HOST[:PORT]", cli->ws_url);
            return -1;
        }
        o->ws_url = cli->ws_url;
    }
    if (cli->stale_after_s > 0)
        o->stale_after_s = cli->stale_after_s;
    if (cli->ws_max_age_s > 0)
        o->max_age_s = cli->ws_max_age_s;
    if (cli->history > 0)
        o->history = cli->history;
    return 0;
}

int app_live(const struct cli *cli)
{
    char logp[1024], err[1024];
    if (paths_xdg("STATE", "alphapulse.log", logp, sizeof logp) == 0)
        log_open(logp);
    struct app_setup *st = calloc(1, sizeof *st);
    if (!st)
        return 1;
    int src = app_setup(cli, SESSION_LIVE, st, "alphapulse");
    if (src >= 0) {
        free(st);
        return src;
    }
    if (store_feed_collected(st->o.db, st->o.symbols, st->cfg.feed.failover_s, st->from_store, sizeof st->from_store) > 0) {
        st->o.from_store = st->from_store;
        log_info("live: %s read from the database (a collector writes them), not from the exchange", st->from_store);
    }
    st->o.watch_store = true;     /* a collector started later on this store takes its symbols over */
    struct headless_script script = { 0 };
    if (cli->script && headless_script_load(cli->script, &script, err, sizeof err)) {
        fprintf(stderr, "alphapulse: %s\n", err);
        free(st);
        return 2;
    }
    if (cli->headless) {
        log_to_stderr(1);
        st->o.ack_stream = stdout;
    }
    struct session s;
    int started = session_start(&s, &st->o, err, sizeof err);
    if (started) {
        fprintf(stderr, "alphapulse: %s\n", err);
        log_error("%s", err);
        session_stop(&s);
        free(st);
        free(script.lines);
        return started == -2 || strncmp(err, "--", 2) == 0 ? 2 : 1;
    }
    int rc = cli->headless ? headless_run(&s, cli->run_events, false, &script) : app_console(cli, st, &s);
    session_stop(&s);
    free(st);
    free(script.lines);
    log_info("live: stopped");
    log_close();
    return rc;
}
