/* The one table of keys: dispatch and the help overlay both read it, so what the
 * help says and what a key does cannot drift apart. */
#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "ui_internal.h"

static void act_tf(struct ui *u, int arg) { u->tf = arg; u->pan = 0; }

static void act_symbol(struct ui *u, int arg)
{
    int n = u->snap->n_symbols;
    if (n > 0) {
        u->sym = (u->sym + (arg ? n - 1 : 1)) % n;
        u->pan = 0;
    }
}

static void act_pan(struct ui *u, int arg)
{
    int step = 8;
    u->pan += arg ? -step : step;
    if (u->pan < 0)
        u->pan = 0;
    if (u->pan > u->snap->n_candles - 1)
        u->pan = u->snap->n_candles > 0 ? u->snap->n_candles - 1 : 0;
}

static void act_zoom(struct ui *u, int arg)
{
    u->cw += arg ? -1 : 1;
    if (u->cw < 1)
        u->cw = 1;
    if (u->cw > 5)
        u->cw = 5;
}

static void act_latest(struct ui *u, int arg) { (void)arg; u->pan = 0; }

static void act_help(struct ui *u, int arg) { (void)arg; u->help = !u->help; }
static void act_quit(struct ui *u, int arg) { (void)arg; u->quit = true; }

const struct ui_action ui_actions[] = {
    { "1-6", { '1' }, 6, "timeframe: 1m 5m 15m 1h 4h 1d", act_tf },
    { "Tab /", { '\t', '/' }, 1, "next symbol", act_symbol },
    { "S-Tab", { KEY_BTAB }, 1, "previous symbol", NULL },
    { "Left h", { KEY_LEFT, 'h' }, 1, "pan back in time", act_pan },
    { "Right l", { KEY_RIGHT, 'l' }, 1, "pan forward in time", NULL },
    { "Up k +", { KEY_UP, 'k', '+' }, 1, "zoom in (wider candles)", act_zoom },
    { "Down j -", { KEY_DOWN, 'j', '-' }, 1, "zoom out (more candles)", NULL },
    { "End 0", { KEY_END, '0' }, 1, "back to the latest candle", act_latest },
    /* trading (issue 7): handlers in paper_keys.c */
    { "b", { 'b' }, 1, "order ticket: BUY (Enter confirms, Esc aborts)", paper_act_buy },
    { "s", { 's' }, 1, "order ticket: SELL (Enter confirms, Esc aborts)", paper_act_sell },
    { "x", { 'x' }, 1, "close this symbol's position at market", paper_act_close },
    { "c", { 'c' }, 1, "cancel this symbol's working orders", paper_act_cancel },
    { "e", { 'e' }, 1, "edit the position's stop and targets", paper_act_edit },
    { "o", { 'o' }, 1, "select in positions & orders (x, c, e on it)", paper_act_orders },
    { "P", { 'P' }, 1, "performance: equity curve, drawdown, metrics", paper_act_perf },
    { "X", { 'X' }, 1, "KILL SWITCH: cancel all, close all, lock (asks)", paper_act_kill },
    { ":", { ':' }, 1, "command: :unlock (typed confirmation), :kill", paper_act_prompt },
    { "?", { '?' }, 1, "show / hide this help", act_help },
    { "q", { 'q' }, 1, "quit", act_quit },
};
const int ui_action_count = sizeof ui_actions / sizeof ui_actions[0];

/* Rows with a NULL handler are the reverse of the row above (arg 1). */
bool keymap_dispatch(struct ui *u, int key)
{
    for (int i = 0; i < ui_action_count; i++) {
        const struct ui_action *a = &ui_actions[i];
        for (int k = 0; k < 3 && a->key[k]; k++) {
            int base = a->key[k];
            if (key < base || key >= base + a->span)
                continue;
            if (a->fn)
                a->fn(u, key - base);
            else
                ui_actions[i - 1].fn(u, 1);
            return true;
        }
    }
    return false;
}
