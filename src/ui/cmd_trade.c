/* Trading commands that are not the order ticket's (paper_keys.c): the
 * positions & orders panel, unlock, and taking or dismissing a signal. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alphapulse/command.h"
#include "alphapulse/log.h"
#include "alphapulse/ui.h"
#include "commands.h"
#include "ui_internal.h"

/* Trading: the order ticket and the positions & orders panel (paper_ui.h). */
#define PAPER_CMD(name, act) \
    int name(struct ui *u, int argc, char **argv) { (void)argc; (void)argv; act(u, 0); return 0; }
PAPER_CMD(cmd_buy, paper_act_buy)
PAPER_CMD(cmd_sell, paper_act_sell)
PAPER_CMD(cmd_close, paper_act_close)
PAPER_CMD(cmd_cancel, paper_act_cancel)
PAPER_CMD(cmd_edit, paper_act_edit)
PAPER_CMD(cmd_perf, paper_act_perf)
PAPER_CMD(cmd_kill, paper_act_kill)

/* o: the positions & orders panel takes the keys (x, c, e on its row) and is shown */
int cmd_orders(struct ui *u, int argc, char **argv)
{
    (void)argc; (void)argv;
    paper_act_orders(u, 0);
    return u->paper.orders_focus ? keymap_run(u, "focus orders") : 0;
}

/* :unlock asks for the typed confirmation the engine checks itself. */
int cmd_unlock(struct ui *u, int argc, char **argv)
{
    (void)argc; (void)argv;
    if (u->snap->paper.risk.lock == RISK_UNLOCKED) {
        ui_message(u, false, "not locked");
        return 0;
    }
    u->paper.modal = PM_UNLOCK;
    u->paper.line[0] = 0;
    return 0;
}

/* Taking opens the order ticket prefilled from the signal; the signal becomes
 * taken (journalled, stored) only when that ticket is confirmed, so Esc leaves
 * it in the queue as it was. Dismissing is immediate. Both act on the signal of
 * the detail screen, else the selected row of the Signals panel, and return to
 * the main screen. */
static int signal_command(struct ui *u, int type)
{
    const struct signal *g = signals_selected(u);
    if (!g) {
        if (u->screen == SCREEN_SIGNAL)
            ui_message(u, true, "signal #%llu is no longer in the queue", (unsigned long long)u->sig_detail);
        else
            ui_message(u, true, "no signal to %s: the queue is empty", type == CMD_SIGNAL_TAKE ? "take" : "dismiss");
        return -1;
    }
    if (g->state != SIGNAL_NEW) {
        ui_message(u, true, "signal #%llu is already %s", (unsigned long long)g->id, record_signal_state_name(g->state));
        return -1;
    }
    if (type == CMD_SIGNAL_TAKE) {
        if (u->screen == SCREEN_SIGNAL)
            u->screen = SCREEN_MAIN;
        ticket_open_signal(u, g->id, g->sym, g->side, g->stop, g->tp[0], g->tp[1]);
        return 0;
    }
    struct command c = { .type = type, .signal_id = g->id };
    if (!u->et || !engine_thread_command(u->et, &c)) {
        ui_message(u, true, "engine busy: command not queued, try again");
        return -1;
    }
    if (u->screen == SCREEN_SIGNAL)
        u->screen = SCREEN_MAIN;
    return 0;
}
int cmd_signal_take(struct ui *u, int argc, char **argv) { (void)argc; (void)argv; return signal_command(u, CMD_SIGNAL_TAKE); }
int cmd_signal_dismiss(struct ui *u, int argc, char **argv) { (void)argc; (void)argv; return signal_command(u, CMD_SIGNAL_DISMISS); }
