/* Key handling for the trading parts of the screen: the keymap rows' handlers,
 * the kill-switch confirmation, and a small `:` prompt that knows `unlock` and
 * `kill` (the frame's command line can take these two over: both end in one
 * command to the engine, which checks the typed confirmation itself). */
#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "alphapulse/ui.h"
#include "ui_internal.h"

static void send(struct ui *u, struct command *c)
{
    if (u->sym < u->snap->n_symbols)
        memcpy(c->symbol, u->snap->symbols[u->sym].name, SYMBOL_MAX);
    if (!engine_thread_command(u->et, c))
        snprintf(u->msg, sizeof u->msg, "engine busy: command not queued, try again");
}

void paper_act_buy(struct ui *u, int arg) { (void)arg; ticket_open(u, u->sym, 1, false); }
void paper_act_sell(struct ui *u, int arg) { (void)arg; ticket_open(u, u->sym, -1, false); }
void paper_act_edit(struct ui *u, int arg) { (void)arg; ticket_open(u, u->sym, 0, true); }
void paper_act_perf(struct ui *u, int arg) { (void)arg; u->paper.perf = !u->paper.perf; }

void paper_confirm(struct ui *u, const struct command *c, const char *question)
{
    if (!u->opts || !u->opts->confirm) {
        struct command k = *c;
        if (!engine_thread_command(u->et, &k))
            snprintf(u->msg, sizeof u->msg, "engine busy: command not queued, try again");
        return;
    }
    u->paper.pending = *c;
    snprintf(u->paper.question, sizeof u->paper.question, "%s? (y / any key aborts)", question);
    u->paper.modal = PM_CONFIRM;
}

void paper_act_close(struct ui *u, int arg)
{
    (void)arg;
    if (u->sym >= u->snap->n_symbols)
        return;
    const struct snap_symbol *ss = &u->snap->symbols[u->sym];
    if (ss->pos_qty == 0) {
        snprintf(u->msg, sizeof u->msg, "no position in %s to close", ss->name);
        return;
    }
    struct command c = { .type = CMD_CLOSE };
    memcpy(c.symbol, ss->name, SYMBOL_MAX);
    char q[32], buf[120];
    fmt_qty(u, u->sym, q, sizeof q, ss->pos_qty > 0 ? ss->pos_qty : -ss->pos_qty);
    snprintf(buf, sizeof buf, "Close the %s %s %s at market", ss->pos_qty > 0 ? "LONG" : "SHORT", q, ss->name);
    paper_confirm(u, &c, buf);
}

void paper_act_cancel(struct ui *u, int arg)
{
    (void)arg;
    if (u->sym >= u->snap->n_symbols)
        return;
    const struct snap_symbol *ss = &u->snap->symbols[u->sym];
    int n = 0;
    for (int i = 0; i < u->snap->paper.n_orders; i++)
        n += u->snap->paper.orders[i].sym == u->sym;
    if (n == 0) {
        snprintf(u->msg, sizeof u->msg, "no working orders in %s to cancel", ss->name);
        return;
    }
    struct command c = { .type = CMD_CANCEL };     /* order_id 0: every working order of the symbol */
    memcpy(c.symbol, ss->name, SYMBOL_MAX);
    char buf[120];
    snprintf(buf, sizeof buf, "Cancel %d working order%s in %s", n, n == 1 ? "" : "s", ss->name);
    paper_confirm(u, &c, buf);
}

void paper_act_orders(struct ui *u, int arg)
{
    (void)arg;
    if (orders_rows(u) == 0) {
        snprintf(u->msg, sizeof u->msg, "no positions or working orders");
        return;
    }
    u->paper.orders_focus = true;
}

void paper_act_kill(struct ui *u, int arg)
{
    (void)arg;
    u->paper.modal = PM_KILL;
}

void paper_act_prompt(struct ui *u, int arg)
{
    (void)arg;
    u->paper.modal = PM_PROMPT;
    u->paper.line[0] = 0;
}

static bool line_key(struct ui *u, int ch)
{
    char *l = u->paper.line;
    size_t n = strlen(l);
    if (ch == KEY_BACKSPACE || ch == 127 || ch == 8) {
        if (n)
            l[n - 1] = 0;
        else
            u->paper.modal = PM_NONE;
        return true;
    }
    if (ch >= 32 && ch < 127 && n + 1 < sizeof u->paper.line) {
        l[n] = (char)ch;
        l[n + 1] = 0;
    }
    return true;
}

bool paper_ui_key(struct ui *u, int ch)
{
    struct paper_ui *p = &u->paper;
    if (p->modal == PM_KILL) {
        p->modal = PM_NONE;
        if (ch == 'y' || ch == 'Y') {
            struct command c = { .type = CMD_KILL };
            send(u, &c);
        } else {
            snprintf(u->msg, sizeof u->msg, "kill switch not used");
        }
        return true;
    }
    if (p->modal == PM_CONFIRM) {
        p->modal = PM_NONE;
        if (ch == 'y' || ch == 'Y') {
            if (!engine_thread_command(u->et, &p->pending))
                snprintf(u->msg, sizeof u->msg, "engine busy: command not queued, try again");
        } else {
            snprintf(u->msg, sizeof u->msg, "not done: %.150s", p->question);
            char *q = strstr(u->msg, "? (y");
            if (q)
                *q = 0;
        }
        return true;
    }
    if (p->modal == PM_PROMPT || p->modal == PM_UNLOCK) {
        if (ch == 27) {
            p->modal = PM_NONE;
            return true;
        }
        if (ch != '\n' && ch != '\r' && ch != KEY_ENTER)
            return line_key(u, ch);
        if (p->modal == PM_UNLOCK) {
            struct command c = { .type = CMD_UNLOCK };
            snprintf(c.text, sizeof c.text, "%.15s", p->line);
            send(u, &c);
            p->modal = PM_NONE;
        } else if (strcmp(p->line, "unlock") == 0) {
            if (u->snap->paper.risk.lock == RISK_UNLOCKED) {
                snprintf(u->msg, sizeof u->msg, "not locked");
                p->modal = PM_NONE;
            } else {
                p->modal = PM_UNLOCK;
                p->line[0] = 0;
            }
        } else if (strcmp(p->line, "kill") == 0) {
            p->modal = PM_KILL;
        } else {
            snprintf(u->msg, sizeof u->msg, ":%s: unknown command (this prompt knows: unlock, kill)", p->line);
            p->modal = PM_NONE;
        }
        return true;
    }
    if (amend_key(u, ch) || ticket_key(u, ch))
        return true;
    if (p->perf && (ch == 27 || ch == 'P')) {
        p->perf = false;
        return true;
    }
    return orders_key(u, ch);
}

void paper_ui_draw(struct ui *u)
{
    struct paper_ui *p = &u->paper;
    int rows, cols;
    getmaxyx(stdscr, rows, cols);
    if (p->perf)
        performance_draw(u);
    ticket_draw(u);
    amend_draw(u);
    const char *q = NULL;
    char buf[160];
    if (p->modal == PM_KILL)
        q = "KILL SWITCH: cancel every order, close every position at market and lock? (y / any key aborts)";
    else if (p->modal == PM_CONFIRM)
        q = p->question;
    else if (p->modal == PM_PROMPT)
        q = (snprintf(buf, sizeof buf, ":%s_", p->line), buf);
    else if (p->modal == PM_UNLOCK)
        q = (snprintf(buf, sizeof buf, "Unlock trading: type UNLOCK and Enter (Esc aborts): %s_", p->line), buf);
    if (q) {
        attron(ui_attr(u, C_BAD) | A_BOLD | A_REVERSE);
        mvhline(rows - 1, 0, ' ', cols);
        mvaddnstr(rows - 1, 0, q, cols);
        attroff(ui_attr(u, C_BAD) | A_BOLD | A_REVERSE);
    }
}
