/* Asking the app for data: :add / :del on the live feeds (symbols in their
 * canonical spelling: BTCUSDT, bybit:BTCUSDT) and :export. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alphapulse/command.h"
#include "alphapulse/log.h"
#include "alphapulse/symbol_id.h"
#include "alphapulse/ui.h"
#include "commands.h"
#include "ui_internal.h"

/* :add / :del go to the app's live feed (SUBSCRIBE / UNSUBSCRIBE). */
static int symbols_cmd(struct ui *u, int argc, char **argv, bool add)
{
    if (ui_need_args(u, argc, 1, add ? "add" : "del"))
        return -1;
    if (!u->opts || !u->opts->symbols) {
        ui_message(u, true, ":%s works with live data", argv[0]);
        return -1;
    }
    char sym[SYMBOL_MAX], err[200];
    if (symbol_id_canonical(argv[1], NULL, sym, err, sizeof err)) {   /* the app checks the venue */
        ui_message(u, true, ":%s %s", argv[0], err);
        return -1;
    }
    if (u->opts->symbols(u->opts->ctx, add, sym, err, sizeof err)) {
        ui_message(u, true, ":%s %s: %s", argv[0], sym, err);
        return -1;
    }
    ui_message(u, false, "%s %s", add ? "subscribing" : "unsubscribed", sym);
    return 0;
}
int cmd_add(struct ui *u, int argc, char **argv) { return symbols_cmd(u, argc, argv, true); }
int cmd_del(struct ui *u, int argc, char **argv) { return symbols_cmd(u, argc, argv, false); }

/* :export: the app parses the words and writes the file on a worker thread (the
 * UI never opens the database); this line says what started, the result comes
 * back through opts->poll_message. */
int cmd_export(struct ui *u, int argc, char **argv)
{
    if (argc < 3 || argc > 5) {
        ui_need_args(u, argc, 2, "export");
        return -1;
    }
    if (!u->opts || !u->opts->export) {
        ui_message(u, true, "export: no database in this mode");
        return -1;
    }
    const char *shown = u->sym < u->snap->n_symbols ? u->snap->symbols[u->sym].name : NULL;
    char msg[sizeof u->msg];
    int rc = u->opts->export(u->opts->ctx, argc - 1, argv + 1, shown, u->tf, msg, sizeof msg);
    ui_message(u, rc != 0, "%s", msg);
    return rc;
}
