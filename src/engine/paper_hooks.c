/* The engine's side of the paper account (src/paper/portfolio.c): its set-up from
 * the configuration, the sinks that turn fills, orders, books and risk changes into
 * records, and each kline handed to the broker. */
#include "engine_internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static void sink_fill(void *ctx, const struct broker_fill *f)
{
    struct engine *e = ctx;
    e->fills++;
    struct record r = { .type = REC_FILL, .time = e->now };
    memcpy(r.symbol, e->sym[f->sym]->inst.symbol, SYMBOL_MAX);
    r.u.fill = (struct record_fill){
        .id = f->id, .order_id = f->order_id, .side = f->side, .qty = f->qty, .price = f->price,
        .fee = f->fee, .realized = f->realized, .pos_qty = f->pos_qty, .pos_avg = f->pos_avg,
        .pos_realized = f->pos_realized, .pos_fees = f->pos_fees, .balance = f->balance,
        .bid = f->bid, .ask = f->ask, .levels = f->levels,
    };
    engine_emit(e, &r);
    engine_alert(e, ALERT_FILL, f->sym, NAN, "filled %s %s %s @ %s", f->side > 0 ? "BUY" : "SELL",
                 engine_qty(e, f->sym, f->qty).s, e->sym[f->sym]->inst.symbol, engine_px(e, f->sym, f->price).s);
}

/* A funding payment is money: stored with the balance and realized after it. */
static void sink_funding(void *ctx, const struct funding_payment *f)
{
    struct engine *e = ctx;
    struct record r = { .type = REC_FUNDING, .time = f->time };
    memcpy(r.symbol, e->sym[f->sym]->inst.symbol, SYMBOL_MAX);
    r.u.funding = (struct record_funding){ .qty = f->qty, .mark = f->mark, .rate = f->rate, .amount = f->amount,
                                           .pos_realized = e->pf.broker.pos[f->sym].realized,
                                           .balance = f->balance };
    engine_emit(e, &r);
}

static void sink_note(void *ctx, const char *msg) { engine_note(ctx, "decision", -1, "%s", msg); }

/* The symbol's whole book, replaced in one batch: clear, orders, exits. */
static void sink_book(void *ctx, int s)
{
    struct engine *e = ctx;
    struct record r = { .type = REC_BOOK, .time = e->now };
    memcpy(r.symbol, e->sym[s]->inst.symbol, SYMBOL_MAX);
    engine_emit(e, &r);
    const struct broker *b = &e->pf.broker;
    r.type = REC_BOOK_ORDER;
    for (int i = 0; i < BROKER_MAX_ORDERS; i++)
        if (b->ord[i].active && b->ord[i].sym == s) {
            r.u.book_order = b->ord[i];
            engine_emit(e, &r);
        }
    const struct position *p = &b->pos[s];
    r.type = REC_EXITS;
    r.u.exits = (struct record_exits){ .br = p->br, .source = p->source, .opened = p->opened };
    engine_emit(e, &r);
}

/* An order that stopped working without a fill: its row in the orders table
 * leaves 'placed' (upsert by id, stamped with the event time). */
static void sink_order_end(void *ctx, const struct broker_order *o, bool rejected, const char *reason)
{
    struct engine *e = ctx;
    struct record r = { .type = REC_ORDER, .time = e->now };
    memcpy(r.symbol, e->sym[o->sym]->inst.symbol, SYMBOL_MAX);
    r.u.order = (struct record_order){ .id = o->id, .side = o->side, .type = o->type,
                                       .status = rejected ? ORDER_REJECTED : ORDER_CANCELLED, .qty = o->qty,
                                       .price = o->price, .placed = o->placed };
    snprintf(r.u.order.reason, sizeof r.u.order.reason, "%s", reason);
    engine_emit(e, &r);
}

static void sink_risk(void *ctx, const struct risk_state *rs)
{
    struct engine *e = ctx;
    struct record r = { .type = REC_RISK, .time = e->now };
    r.u.risk = *rs;
    engine_emit(e, &r);
}

/* Where the value of a symbol's quote currency in the account currency comes
 * from: -1 it is the account currency, >= 0 that symbol's price, -2 unknown. */
int engine_conv_source(const struct engine *e, int s)
{
    const char *q = e->sym[s]->inst.quote, *acct = e->cfg.account_ccy;
    if (instrument_same_money(q, acct))
        return -1;
    for (int i = 0; i < e->cfg.n_symbols; i++) {
        const struct instrument *in = &e->sym[i]->inst;
        if (strcmp(in->base, q) == 0 && instrument_same_money(in->quote, acct))
            return i;
    }
    return -2;
}

void engine_paper_symbol(struct engine *e, int s)
{
    struct instrument *in = &e->sym[s]->inst;
    instrument_defaults(in);
    struct broker_inst bi = { in->tick, in->step, in->min_notional, in->perpetual };
    portfolio_set_symbol(&e->pf, s, in->symbol, engine_conv_source(e, s), &bi);
}

void engine_paper_init(struct engine *e)
{
    struct pf_config pc;
    pf_config_defaults(&pc);
    pc.balance = e->cfg.balance;
    pc.costs = (struct broker_costs){ .maker_bps = e->cfg.maker_bps, .taker_bps = e->cfg.fee_bps,
                                      .slip_bps = e->cfg.slip_bps, .slip_range = e->cfg.slip_range };
    pc.limits = e->cfg.risk;
    pc.order_notional = e->cfg.order_notional;
    pc.size_method = e->cfg.size_method;
    pc.size_value = e->cfg.size_value;
    struct pf_sink sink = { .ctx = e, .fill = sink_fill, .note = sink_note, .risk = sink_risk, .book = sink_book,
                            .order_end = sink_order_end, .funding = sink_funding };
    portfolio_init(&e->pf, &pc, &sink);
    for (int s = 0; s < e->cfg.n_symbols; s++) {
        engine_paper_symbol(e, s);
        portfolio_set_limits(&e->pf, s, e->sym[s]->prof.own_risk ? &e->sym[s]->prof.risk : NULL);
    }
}

/* The candle's price path is walked first, then its ATR is handed over: an ATR
 * trailing stop must not know the range of the candle it is being tested on (in a
 * backtest the whole candle is one path), so the new distance applies from the
 * next price on. */
void engine_paper_on_kline(struct engine *e, int s, const struct kline_event *k)
{
    portfolio_on_kline(&e->pf, s, &k->c, e->now);
    if (k->closed) {
        const struct tf_state *ts = &e->sym[s]->tf[TF_1M];
        size_t slot = engine_last_slot(ts);
        portfolio_set_atr(&e->pf, s, ts->vals[slot].atr_14);
    }
}

/* The engine's clock follows the push's exchange time, as it follows a kline's. */
void engine_paper_on_ticker(struct engine *e, const struct ticker_event *t)
{
    int s = engine_symbol(e, t->symbol);
    if (s < 0)
        return;
    if (t->time > e->now)
        e->now = t->time;
    struct funding_tick k = { .mark = t->mark, .index = t->index, .rate = t->funding_rate,
                              .next_time = t->next_funding };
    if (t->have & TICKER_HAVE_MARK)
        k.have |= FUNDING_HAVE_MARK;
    if (t->have & TICKER_HAVE_INDEX)
        k.have |= FUNDING_HAVE_INDEX;
    if (t->have & TICKER_HAVE_RATE)
        k.have |= FUNDING_HAVE_RATE;
    if (t->have & TICKER_HAVE_NEXT)
        k.have |= FUNDING_HAVE_NEXT;
    portfolio_on_ticker(&e->pf, s, &k, e->now);
}
