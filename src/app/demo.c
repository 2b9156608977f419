/* The demo mode: a session on the bundled replay, with the TUI or headless. */
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "alphapulse/alert.h"
#include "alphapulse/app.h"
#include "alphapulse/config.h"
#include "alphapulse/log.h"
#include "alphapulse/paths.h"
#include "alphapulse/session.h"
#include "alphapulse/ui.h"
#include "alphapulse/webhook.h"
#include "headless.h"

/* What the console's demo plays after its warm start: 3 days of 1m candles per
 * symbol (72 minutes at 60x); everything before is history at the first frame. */
#define DEMO_PLAY_CANDLES (3 * 1440)

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
    struct headless_script script = { 0 };
    if (cli->script && headless_script_load(cli->script, &script, err, sizeof err)) {
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
        free(script.lines);
        return started == -2 ? 2 : 1;
    }
    int rc;
    if (cli->headless) {
        rc = headless_run(&s, cli->run_events, s.webhook != NULL, &script);
    } else {
        rc = app_console(cli, st, &s);
    }
    session_stop(&s);
    free(st);
    free(script.lines);
    log_info("demo: stopped");
    log_close();
    return rc;
}
