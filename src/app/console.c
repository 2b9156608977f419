/* The console on a running session: its options from the command line and the
 * configuration, and the app's answers to :reload, :add/:del, :export and the
 * settings screen. Shared by the demo and live modes. */
#include <stdio.h>
#include <stdlib.h>

#include "alphapulse/app.h"
#include "alphapulse/log.h"
#include "alphapulse/ui.h"

struct app_ui_ctx { struct app_setup *st; struct session *s; struct console_export *export; };

static int app_ui_reload(void *ctx, char *msg, size_t n)
{
    struct app_ui_ctx *c = ctx;
    return app_reload(c->st, c->s, msg, n);
}

static int app_ui_symbols(void *ctx, bool add, const char *symbol, char *err, size_t n)
{
    struct app_ui_ctx *c = ctx;
    if (c->s->kind != SESSION_LIVE) {
        snprintf(err, n, "works with live data; the demo replays a fixed set of symbols");
        return -1;
    }
    return add ? session_add_symbol(c->s, symbol, err, n) : session_del_symbol(c->s, symbol, err, n);
}

static char *app_ui_settings(void *ctx)
{
    struct app_ui_ctx *c = ctx;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f)
        return NULL;
    config_print(&c->st->cfg, f);
    fclose(f);
    return buf;
}

static int app_ui_export(void *ctx, int argc, char **argv, const char *shown_symbol, int shown_tf, char *msg,
                         size_t n)
{
    struct app_ui_ctx *c = ctx;
    return app_console_export(c->export, c->st->o.db, argc, argv, shown_symbol, shown_tf, msg, n);
}

/* Time control of the demo replay; live data has none. */
static int app_ui_replay(void *ctx, int op, double value, struct ui_replay_state *st, char *msg, size_t n)
{
    struct app_ui_ctx *c = ctx;
    struct replay_feed *f = &c->s->feed;
    if (c->s->kind != SESSION_REPLAY || !f->running) {
        snprintf(msg, n, "time control works on a replay (the demo); live data runs in real time");
        return -1;
    }
    if (atomic_load(&f->finished) && op != UI_REPLAY_GET) {
        snprintf(msg, n, "the replay has finished: every bundled candle has been played");
        return -1;
    }
    switch (op) {
    case UI_REPLAY_PAUSE: replay_feed_pause(f, value != 0); break;
    case UI_REPLAY_SPEED: replay_feed_set_speed(f, value); break;
    case UI_REPLAY_FASTER: replay_feed_set_speed(f, replay_feed_speed_step(replay_feed_speed(f), 1)); break;
    case UI_REPLAY_SLOWER: replay_feed_set_speed(f, replay_feed_speed_step(replay_feed_speed(f), -1)); break;
    case UI_REPLAY_STEP: replay_feed_step(f, value > 0 ? (int)value : 1); break;
    default: break;
    }
    st->speed = replay_feed_speed(f);
    st->paused = replay_feed_paused(f);
    return 0;
}

static bool app_ui_poll(void *ctx, char *msg, size_t n, bool *error)
{
    struct app_ui_ctx *c = ctx;
    return app_console_export_poll(c->export, msg, n, error);
}

int app_console(const struct cli *cli, struct app_setup *st, struct session *s)
{
    struct app_ui_ctx ctx = { st, s, app_console_export_new() };
    if (!ctx.export) {
        fprintf(stderr, "alphapulse: out of memory\n");
        return 1;
    }
    struct ui_options uo = { .ascii = cli->ascii || st->cfg.ui.ascii,
                             .theme = cli->theme ? cli->theme : st->cfg.ui.theme,
                             .symbols = app_ui_symbols, .reload = app_ui_reload,
                             .settings = app_ui_settings, .export = app_ui_export,
                             .poll_message = app_ui_poll, .replay = app_ui_replay,
                             .pause_on_ticket = st->cfg.ui.pause_on_ticket, .confirm = st->cfg.ui.confirm,
                             .keys = &st->keys, .ctx = &ctx };
    int rc = ui_run(&s->et, &uo);
    if (!app_console_export_close(ctx.export, 10000))
        log_warn("export: still running at exit; its FILE.tmp may be left behind");
    if (rc == 1)            /* 2: a bad --theme, already reported */
        fprintf(stderr, "alphapulse: cannot start the terminal UI (is stdin a terminal?)\n");
    return rc;
}
