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

static void send_order(struct ui *u, int type, int side)
{
    const struct snapshot *s = u->snap;
    if (u->sym >= s->n_symbols)
        return;
    struct command c = { .type = type, .side = side };
    memcpy(c.symbol, s->symbols[u->sym].name, SYMBOL_MAX);
    if (!engine_thread_command(u->et, &c))
        snprintf(u->msg, sizeof u->msg, "engine busy: command not queued, try again");
}

static void act_buy(struct ui *u, int arg) { (void)arg; send_order(u, CMD_MARKET_ORDER, 1); }
static void act_sell(struct ui *u, int arg) { (void)arg; send_order(u, CMD_MARKET_ORDER, -1); }
static void act_close(struct ui *u, int arg) { (void)arg; send_order(u, CMD_CLOSE, 0); }
static void act_help(struct ui *u, int arg) { (void)arg; u->help = !u->help; }

static void act_signal_select(struct ui *u, int arg)
{
    int n = u->snap->n_signals;
    u->sig_sel += arg ? -1 : 1;
    if (u->sig_sel >= n)
        u->sig_sel = n - 1;
    if (u->sig_sel < 0)
        u->sig_sel = 0;
}

static void act_signal_detail(struct ui *u, int arg)
{
    (void)arg;
    if (!signals_selected(u) && !u->detail) {
        snprintf(u->msg, sizeof u->msg, "no signal in the queue");
        return;
    }
    u->detail = !u->detail;
}

/* Taking marks the signal taken (journalled); the paper-trading work opens the
 * order ticket prefilled from it. */
static void signal_command(struct ui *u, int type)
{
    const struct signal *g = signals_selected(u);
    if (!g) {
        snprintf(u->msg, sizeof u->msg, "no signal in the queue");
        return;
    }
    struct command c = { .type = type, .signal_id = g->id };
    if (!engine_thread_command(u->et, &c))
        snprintf(u->msg, sizeof u->msg, "engine busy: command not queued, try again");
    u->detail = false;
}

static void act_signal_take(struct ui *u, int arg) { (void)arg; signal_command(u, CMD_SIGNAL_TAKE); }
static void act_signal_dismiss(struct ui *u, int arg) { (void)arg; signal_command(u, CMD_SIGNAL_DISMISS); }
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
    { "b", { 'b' }, 1, "market BUY, default size (paper)", act_buy },
    { "s", { 's' }, 1, "market SELL, default size (paper)", act_sell },
    { "x", { 'x' }, 1, "close this symbol's position at market", act_close },
    { "] [", { ']' }, 1, "next signal in the queue", act_signal_select },
    { "[", { '[' }, 1, "previous signal in the queue", NULL },
    { "Enter", { '\r', '\n', KEY_ENTER }, 1, "signal detail: votes, levels, indicators", act_signal_detail },
    { "t", { 't' }, 1, "take the selected signal", act_signal_take },
    { "d", { 'd' }, 1, "dismiss the selected signal", act_signal_dismiss },
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
