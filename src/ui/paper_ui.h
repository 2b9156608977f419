/* The trading parts of the screen: order ticket, positions/orders
 * panel, risk bar, performance screen, kill-switch confirmation and the small
 * prompt behind `:unlock`. Kept apart from the frame (screen.c, keymap.c) so the
 * frame can be rebuilt around them: the frame calls paper_ui_key() before its own
 * keymap and paper_ui_draw() last, and reserves one row for riskbar_draw(). */
#ifndef ALPHAPULSE_PAPER_UI_H
#define ALPHAPULSE_PAPER_UI_H
#include <stdbool.h>
#include <stdint.h>
#include "alphapulse/command.h"

struct ui;
struct rect;

enum ticket_field { TK_SIDE, TK_TYPE, TK_METHOD, TK_SIZE, TK_PRICE, TK_STOP, TK_TP1, TK_TP2, TK_TRAIL, TK_FIELDS };

struct ticket {
    bool open;
    bool exits_only;           /* `e`: edit the position's stop and targets */
    int sym;
    int field;                 /* enum ticket_field being edited */
    int side, type, method;
    double size, price, stop, tp1, tp2;
    double trail_atr;          /* trailing stop, multiple of ATR(14) on 1m; 0: none */
    double trail_fixed;        /* exits editor: the position's fixed trail distance (shown only) */
    bool trail_edited;         /* exits editor: the Trail field was typed in (else the trail is kept) */
    bool price_edited;         /* the price was typed: a type change keeps it */
    uint64_t signal_id;        /* opened from this signal (taken on confirmation), else 0 */
    int source;                /* enum order_source: manual, or a taken signal */
    char edit[24];             /* digits typed into the current numeric field */
    bool editing;
};

/* The amend dialog (`e` on an order row): the fields show the order's values
 * until typed in; only a field that changed is sent. */
enum amend_field { AM_PRICE, AM_QTY, AM_FIELDS };
struct amend {
    bool open;
    uint64_t id;
    int sym, field;            /* enum amend_field being edited */
    char text[AM_FIELDS][24], orig[AM_FIELDS][24];
    bool typed[AM_FIELDS];     /* the first key typed in a field replaces what it showed */
};

enum paper_modal { PM_NONE, PM_KILL, PM_PROMPT, PM_UNLOCK, PM_CONFIRM };

struct paper_ui {
    struct ticket tk;
    struct amend am;
    int modal;                 /* enum paper_modal */
    char line[40];             /* the prompt's text */
    char question[160];        /* PM_CONFIRM: what y will do */
    struct command pending;    /* PM_CONFIRM: sent on y */
    bool perf;                 /* performance screen (P) */
    bool orders_focus;         /* o: keys go to the orders panel */
    int orders_sel;
};

/* True when the key was taken (an open ticket, prompt, screen or panel focus). */
bool paper_ui_key(struct ui *u, int ch);
/* Overlays: ticket, performance screen, prompts. */
void paper_ui_draw(struct ui *u);

void ticket_open(struct ui *u, int sym, int side, bool exits_only);
/* Sends c after a y (ui.confirm), or at once when confirmations are off. */
void paper_confirm(struct ui *u, const struct command *c, const char *question);
/* The ticket prefilled from a signal: its side, stop and targets, risk-% sizing. */
void ticket_open_signal(struct ui *u, uint64_t signal_id, int sym, int side, double stop, double tp1, double tp2);
bool ticket_key(struct ui *u, int ch);
void ticket_draw(struct ui *u);

void riskbar_draw(struct ui *u, struct rect r);
int orders_rows(const struct ui *u);          /* rows the panel wants (0: nothing to show) */
void orders_draw(struct ui *u, struct rect r);
/* " SL p trail d TP1 p ..." for a position's exits (empty when it has none). */
void orders_fmt_levels(const struct ui *u, int sym, char *buf, size_t n, const struct bracket *b);
bool orders_key(struct ui *u, int ch);
/* Amending a working order (amend.c): the dialog, and `:amend ID price|qty VALUE`. */
struct broker_order;
void amend_open(struct ui *u, const struct broker_order *o);
bool amend_key(struct ui *u, int ch);
void amend_draw(struct ui *u);
int amend_command(struct ui *u, int argc, char **argv);
void performance_draw(struct ui *u);

/* keymap rows (keymap.c) */
void paper_act_buy(struct ui *u, int arg);
void paper_act_sell(struct ui *u, int arg);
void paper_act_close(struct ui *u, int arg);
void paper_act_cancel(struct ui *u, int arg);
void paper_act_edit(struct ui *u, int arg);
void paper_act_kill(struct ui *u, int arg);
void paper_act_perf(struct ui *u, int arg);
void paper_act_orders(struct ui *u, int arg);
void paper_act_prompt(struct ui *u, int arg);

#endif
