/* The demo mode: a session on the bundled replay, with the TUI or headless. */
#include <signal.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "alphapulse/app.h"
#include "alphapulse/config.h"
#include "alphapulse/log.h"
#include "alphapulse/paths.h"
#include "alphapulse/session.h"
#include "alphapulse/ui.h"

static volatile sig_atomic_t headless_stop;
static void on_signal(int sig) { (void)sig; headless_stop = 1; }

static int run_headless(struct session *s, long events)
{
    struct sigaction sa = { .sa_handler = on_signal };
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    struct snapshot *snap = calloc(1, sizeof *snap);
    if (!snap)
        return 1;
    uint64_t seq = 0;
    while (!headless_stop) {
        if (engine_thread_snapshot(&s->et, snap, seq))
            seq = snap->seq;
        if (events > 0 && snap->events >= (uint64_t)events)
            break;
        if (events == 0 && atomic_load(&s->feed.finished) && spsc_size(&s->market) == 0)
            break;
        nanosleep(&(struct timespec){ 0, 10000000 }, NULL);
    }
    free(snap);
    return 0;
}

int app_demo(const struct cli *cli)
{
    char logp[1024], dbp[1024], manifest[1024], err[1024];
    if (paths_xdg("STATE", "alphapulse.log", logp, sizeof logp) == 0)
        log_open(logp);
    if (cli->headless)
        log_to_stderr(1);
    struct session_options o = { .speed = cli->speed, .symbols = cli->symbols };
    engine_config_defaults(&o.engine);
    if (cli->config && config_load_paper(cli->config, &o.engine, err, sizeof err)) {
        fprintf(stderr, "alphapulse: %s\n", err);
        return 2;
    }
    if (cli->db) {
        o.db = cli->db;
    } else if (paths_xdg("DATA", "alphapulse-demo.db", dbp, sizeof dbp) == 0) {
        o.db = dbp;
    } else {
        fprintf(stderr, "alphapulse: %s; give --db PATH\n", dbp);
        return 1;
    }
    if (paths_demo_manifest(manifest, sizeof manifest)) {
        fprintf(stderr, "alphapulse: demo data not found (looked for %s; set ALPHAPULSE_DATA to the "
                        "directory holding demo.json)\n", manifest);
        return 1;
    }
    o.manifest = manifest;
    struct session s;
    if (session_start(&s, &o, err, sizeof err)) {
        fprintf(stderr, "alphapulse: %s\n", err);
        log_error("%s", err);
        session_stop(&s);
        return 1;
    }
    int rc;
    if (cli->headless) {
        rc = run_headless(&s, cli->run_events);
    } else {
        struct ui_options uo = { .ascii = cli->ascii, .theme = cli->theme };
        rc = ui_run(&s.et, &uo);
        if (rc == 1)
            fprintf(stderr, "alphapulse: cannot start the terminal UI (is stdin a terminal?)\n");
    }
    session_stop(&s);
    log_info("demo: stopped");
    log_close();
    return rc;
}
