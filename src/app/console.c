/* The console on a running session: its options from the command line and the
 * configuration, and the app's answers to :reload, :add/:del, :export, the
 * chart's older candles and the settings screen. Shared by the demo and live modes. */
#include <stdio.h>
#include <stdlib.h>

#include "alphapulse/app.h"
#include "alphapulse/log.h"
#include "alphapulse/symbol_id.h"
#include "alphapulse/ui.h"
#include "alphapulse/venue.h"

struct app_ui_ctx {
    struct app_setup *st;
    struct session *s;
    struct console_export *export;
    struct console_history *history;    /* the chart's older candles */
    struct symbol_refresh *refresh;     /* top:N re-ranking; NULL: none */
};

static int app_ui_reload(void *ctx, char *msg, size_t n)
{
    struct app_ui_ctx *c = ctx;
    return app_reload(c->st, c->s, msg, n);
}

static int app_ui_symbols(void *ctx, bool add, const char *symbol, char *err, size_t n)
{
    struct app_ui_ctx *c = ctx;
    int rc = add ? session_add_symbol(c->s, symbol, err, n) : session_del_symbol(c->s, symbol, err, n);
    char canon[SYMBOL_MAX], why[200];
    if (!rc && symbol_id_canonical(symbol, venue_names(), canon, why, sizeof why) == 0)
        app_symbol_refresh_hand(c->refresh, canon, add);
    return rc;
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

static int app_ui_older(void *ctx, const char *symbol, int tf, int64_t before, int max)
{
    struct app_ui_ctx *c = ctx;
    return app_console_history_ask(c->history, c->st->o.db, symbol, tf, before, max);
}

static bool app_ui_older_poll(void *ctx, struct ui_older *page)
{
    struct app_ui_ctx *c = ctx;
    return app_console_history_poll(c->history, page);
}

/* Time control of the demo replay; live data has none. */
static int app_ui_replay(void *ctx, int op, double value, struct ui_replay_state *st, char *msg, size_t n)
{
    struct app_ui_ctx *c = ctx;
    static const int ops[] = { [UI_REPLAY_GET] = VENUE_CLOCK_GET, [UI_REPLAY_PAUSE] = VENUE_CLOCK_PAUSE,
                               [UI_REPLAY_SPEED] = VENUE_CLOCK_SPEED, [UI_REPLAY_FASTER] = VENUE_CLOCK_FASTER,
                               [UI_REPLAY_SLOWER] = VENUE_CLOCK_SLOWER, [UI_REPLAY_STEP] = VENUE_CLOCK_STEP };
    struct venue_clock clk;
    int vop = op >= 0 && op < (int)(sizeof ops / sizeof ops[0]) ? ops[op] : VENUE_CLOCK_GET;
    if (session_clock(c->s, vop, value, &clk, msg, n))
        return -1;
    st->speed = clk.speed;
    st->paused = clk.paused;
    return 0;
}

static bool app_ui_poll(void *ctx, char *msg, size_t n, bool *error)
{
    struct app_ui_ctx *c = ctx;
    if (app_console_export_poll(c->export, msg, n, error))
        return true;
    *error = false;
    return app_symbol_refresh_apply(c->refresh, c->s, msg, n) > 0;
}

int app_console(const struct cli *cli, struct app_setup *st, struct session *s)
{
    struct app_ui_ctx ctx = { st, s, app_console_export_new(st->o.account), app_console_history_new(), NULL };
    if (!ctx.export || !ctx.history) {
        app_console_export_close(ctx.export, 0);
        app_console_history_close(ctx.history, 0);
        fprintf(stderr, "alphapulse: out of memory\n");
        return 1;
    }
    struct ui_options uo = { .ascii = cli->ascii || st->cfg.ui.ascii,
                             .theme = cli->theme ? cli->theme : st->cfg.ui.theme,
                             .symbols = app_ui_symbols, .reload = app_ui_reload,
                             .settings = app_ui_settings, .export = app_ui_export,
                             .poll_message = app_ui_poll, .replay = app_ui_replay,
                             .older = app_ui_older, .older_poll = app_ui_older_poll,
                             .pause_on_ticket = st->cfg.ui.pause_on_ticket, .confirm = st->cfg.ui.confirm,
                             .big_trade = st->cfg.ui.big_trade,
                             .keys = &st->keys, .ctx = &ctx };
    if (!s->lister)
        ctx.refresh = app_symbol_refresh_for(cli, st);
    int rc = ui_run(&s->et, &uo);
    app_symbol_refresh_stop(ctx.refresh);
    if (!app_console_export_close(ctx.export, 10000))
        log_warn("export: still running at exit; its FILE.tmp may be left behind");
    if (!app_console_history_close(ctx.history, 2000))
        log_warn("chart: a read of older candles was still running at exit");
    if (rc == 1)            /* 2: a bad --theme, already reported */
        fprintf(stderr, "alphapulse: cannot start the terminal UI (is stdin a terminal?)\n");
    return rc;
}
