/* Amending a working order: the small framed dialog `e` opens on an order row of
 * the positions & orders panel, and `:amend ID price|qty VALUE` (or a position's
 * stop or target: `:amend SYMBOL stop|tpN VALUE`). An order's amend is one
 * CMD_MODIFY; the engine snaps the values to the tick and step, checks them as a
 * new order and says in the log why it refused one. */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ui_internal.h"

static const struct broker_order *working(const struct ui *u, uint64_t id)
{
    const struct pf_view *v = &u->snap->paper;
    for (int i = 0; i < v->n_orders; i++)
        if (v->orders[i].id == id)
            return &v->orders[i];
    return NULL;
}

/* A typed value: a plain decimal number > 0, all of the text. */
static bool parse_positive(const char *s, double *out)
{
    char *end;
    double v = strtod(s, &end);
    if (end == s || *end || !(v > 0) || v > 1e15)
        return false;
    *out = v;
    return true;
}

static bool send_modify(struct ui *u, const struct broker_order *o, double price, double qty)
{
    struct command c = { .type = CMD_MODIFY, .order_id = o->id, .price = price, .qty = qty };
    memcpy(c.symbol, u->snap->symbols[o->sym].name, SYMBOL_MAX);
    if (!engine_thread_command(u->et, &c)) {
        ui_message(u, true, "engine busy: amend not queued, try again");
        return false;
    }
    return true;
}

void amend_open(struct ui *u, const struct broker_order *o)
{
    struct amend *a = &u->paper.am;
    memset(a, 0, sizeof *a);
    a->open = true;
    a->id = o->id;
    a->sym = o->sym;
    a->field = o->type == ORDER_MARKET ? AM_QTY : AM_PRICE;
    if (o->type != ORDER_MARKET)
        fmt_px(u, o->sym, a->text[AM_PRICE], sizeof a->text[AM_PRICE], o->price);
    fmt_qty(u, o->sym, a->text[AM_QTY], sizeof a->text[AM_QTY], o->qty);
    memcpy(a->orig, a->text, sizeof a->orig);
}

static void amend_confirm(struct ui *u, const struct broker_order *o)
{
    struct amend *a = &u->paper.am;
    static const char *const name[AM_FIELDS] = { "price", "qty" };
    double v[AM_FIELDS] = { 0, 0 };
    for (int f = 0; f < AM_FIELDS; f++) {
        if (strcmp(a->text[f], a->orig[f]) == 0)
            continue;                          /* untouched: the engine keeps it */
        if (!parse_positive(a->text[f], &v[f])) {
            ui_message(u, true, "amend #%llu: %s '%s': expected a number > 0", (unsigned long long)a->id, name[f],
                       a->text[f]);
            a->field = f;
            return;                            /* the dialog stays open to fix it */
        }
    }
    a->open = false;
    if (!(v[AM_PRICE] > 0) && !(v[AM_QTY] > 0)) {
        ui_message(u, false, "amend #%llu: nothing changed", (unsigned long long)a->id);
        return;
    }
    if (send_modify(u, o, v[AM_PRICE], v[AM_QTY]))
        ui_message(u, false, "amend #%llu sent (the log says if it is refused)", (unsigned long long)a->id);
}

bool amend_key(struct ui *u, int ch)
{
    struct amend *a = &u->paper.am;
    if (!a->open)
        return false;
    const struct broker_order *o = working(u, a->id);
    if (!o) {
        a->open = false;
        ui_message(u, true, "order #%llu is no longer working: nothing amended", (unsigned long long)a->id);
        return true;
    }
    if (ch == 27) {
        a->open = false;
        ui_message(u, false, "amend #%llu aborted", (unsigned long long)a->id);
        return true;
    }
    if (ch == '\n' || ch == '\r' || ch == KEY_ENTER) {
        amend_confirm(u, o);
        return true;
    }
    if ((ch == KEY_UP || ch == KEY_DOWN || ch == '\t' || ch == KEY_BTAB) && o->type != ORDER_MARKET) {
        a->field = a->field == AM_PRICE ? AM_QTY : AM_PRICE;
        return true;
    }
    char *t = a->text[a->field];
    size_t n = strlen(t);
    if (ch == KEY_BACKSPACE || ch == 127 || ch == 8) {
        if (n)
            t[n - 1] = 0;
        a->typed[a->field] = true;
        return true;
    }
    if ((ch >= '0' && ch <= '9') || ch == '.') {
        if (!a->typed[a->field]) {             /* the first key replaces the value shown */
            t[0] = 0;
            n = 0;
            a->typed[a->field] = true;
        }
        if (n + 1 < sizeof a->text[0]) {
            t[n] = (char)ch;
            t[n + 1] = 0;
        }
        return true;
    }
    return true;                               /* the dialog is modal: other keys do nothing */
}

void amend_draw(struct ui *u)
{
    struct amend *a = &u->paper.am;
    if (!a->open)
        return;
    const struct broker_order *o = working(u, a->id);
    if (!o)
        return;
    int rows, cols;
    getmaxyx(stdscr, rows, cols);
    int w = cols - 2 < 60 ? cols - 2 : 60, h = 7;
    if (w < 24 || rows < h + 1)
        return;
    int y0 = (rows - 1 - h) / 2, x0 = (cols - w) / 2, iw = w - 4;
    static const char *const tn[] = { "market", "limit", "stop" };
    const char *name = u->snap->symbols[o->sym].name;
    char title[64], line[160], last[40];
    snprintf(title, sizeof title, "Amend order #%llu", (unsigned long long)o->id);
    for (int i = 0; i < h; i++)
        mvhline(y0 + i, x0, ' ', w);
    ui_frame(u, (struct rect){ x0, y0, w, h }, title, true);
    fmt_px(u, o->sym, last, sizeof last, u->snap->symbols[o->sym].last);
    snprintf(line, sizeof line, "%s %s %s%s   last %s", name, tn[o->type], o->side > 0 ? "BUY" : "SELL",
             o->reduce_only ? " reduce-only" : "", last);
    ui_text(u, y0 + 1, x0 + 2, iw, line, ui_attr(u, C_DIM));
    for (int f = 0; f < AM_FIELDS; f++) {
        bool sel = a->field == f;
        const char *label = f == AM_QTY ? "Qty" : o->type == ORDER_STOP ? "Trigger" : "Price";
        const char *hint = "";
        if (f == AM_PRICE && o->type == ORDER_STOP)
            hint = o->side > 0 ? "  (above the market)" : "  (below the market)";
        if (f == AM_PRICE && o->type == ORDER_MARKET)
            snprintf(line, sizeof line, "%-8s -  (a market order has no price)", label);
        else
            snprintf(line, sizeof line, "%-8s %s%s%s", label, a->text[f], sel ? "_" : "", hint);
        if (sel)
            mvhline(y0 + 2 + f, x0 + 1, ' ' | A_REVERSE, w - 2);
        ui_text(u, y0 + 2 + f, x0 + 2, iw, line, sel ? A_REVERSE | A_BOLD : 0);
    }
    ui_text(u, y0 + 5, x0 + 2, iw, "Enter amend  Esc abort  Up/Down field  digits edit", ui_attr(u, C_DIM));
}

/* A position's legs are its exits, not orders of the broker: :amend SYMBOL
 * stop|tp1..tp4 VALUE sends the one leg as the exits editor would (the others
 * kept), checked by the engine like the editor's. */
static int amend_leg(struct ui *u, char **argv)
{
    int sym = -1;
    for (int i = 0; i < u->snap->n_symbols && sym < 0; i++)
        if (strcasecmp(u->snap->symbols[i].name, argv[1]) == 0)
            sym = i;
    if (sym < 0) {
        ui_message(u, true, "amend %s: no working order with that id and no such symbol", argv[1]);
        return -1;
    }
    const char *name = u->snap->symbols[sym].name;
    if (u->snap->paper.pos[sym].qty == 0) {
        ui_message(u, true, "amend %s: no position, so no stop or target to amend", name);
        return -1;
    }
    struct command c = { .type = CMD_EXITS, .stop_loss = -1, .trail = -1, .tp = { -1, -1, -1, -1 } };
    double v;
    if (!parse_positive(argv[3], &v)) {
        ui_message(u, true, "amend %s: %s '%s': expected a number > 0", name, argv[2], argv[3]);
        return -1;
    }
    if (strcmp(argv[2], "stop") == 0)
        c.stop_loss = v;
    else if (strncmp(argv[2], "tp", 2) == 0 && argv[2][2] >= '1' && argv[2][2] <= '4' && !argv[2][3])
        c.tp[argv[2][2] - '1'] = v;
    else {
        ui_message(u, true, "amend %s: '%s': expected stop or tp1..tp4", name, argv[2]);
        return -1;
    }
    memcpy(c.symbol, name, SYMBOL_MAX);
    if (!engine_thread_command(u->et, &c)) {
        ui_message(u, true, "engine busy: amend not queued, try again");
        return -1;
    }
    ui_message(u, false, "amend %s %s %s sent (the log says if it is refused)", name, argv[2], argv[3]);
    return 0;
}

/* :amend ID price|qty VALUE, or :amend SYMBOL stop|tp1..tp4 VALUE */
int amend_command(struct ui *u, int argc, char **argv)
{
    if (argc != 4) {
        ui_message(u, true, "usage: :amend ID price|qty VALUE  or  :amend SYMBOL stop|tp1..tp4 VALUE");
        return -1;
    }
    const char *ids = argv[1][0] == '#' ? argv[1] + 1 : argv[1];
    if (*ids < '0' || *ids > '9')
        return amend_leg(u, argv);
    char *end;
    unsigned long long id = strtoull(ids, &end, 10);
    const struct broker_order *o = *ids && !*end ? working(u, id) : NULL;
    if (!o) {
        ui_message(u, true, "amend %s: no working order with that id (see the positions & orders panel)", argv[1]);
        return -1;
    }
    bool price = strcmp(argv[2], "price") == 0 || strcmp(argv[2], "trigger") == 0;
    if (!price && strcmp(argv[2], "qty") != 0) {
        ui_message(u, true, "amend #%llu: '%s': expected price or qty", id, argv[2]);
        return -1;
    }
    double v;
    if (!parse_positive(argv[3], &v)) {
        ui_message(u, true, "amend #%llu: %s '%s': expected a number > 0", id, argv[2], argv[3]);
        return -1;
    }
    if (!send_modify(u, o, price ? v : 0, price ? 0 : v))
        return -1;
    ui_message(u, false, "amend #%llu %s %s sent (the log says if it is refused)", id, argv[2], argv[3]);
    return 0;
}
