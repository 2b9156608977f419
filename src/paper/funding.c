/* Funding of perpetual positions in the paper account (see funding.h). The state
 * is per symbol and moves only with event time, so a replay books the same
 * payments; the amount uses the mark and rate known just before the funding time
 * passed, never a later push's. */
#include "alphapulse/funding.h"

#include <math.h>
#include <stdio.h>

#include "alphapulse/broker.h"
#include "alphapulse/instrument.h"
#include "alphapulse/portfolio.h"

double funding_amount(double qty, double mark, double rate, double conv)
{
    return -qty * mark * rate * conv;
}

int funding_step(struct funding_state *st, const struct funding_tick *t, int64_t now, struct funding_due *due)
{
    int hit = 0;
    if (st->next_time > 0 && now >= st->next_time && st->next_time > st->last_booked) {
        *due = (struct funding_due){ .time = st->next_time, .mark = st->mark, .rate = st->rate };
        st->last_booked = st->next_time;
        hit = 1;
    }
    if (t) {
        if (t->have & FUNDING_HAVE_MARK)
            st->mark = t->mark;
        if (t->have & FUNDING_HAVE_INDEX)
            st->index = t->index;
        if (t->have & FUNDING_HAVE_RATE)
            st->rate = t->rate;
        if (t->have & FUNDING_HAVE_NEXT)
            st->next_time = t->next_time;
    }
    return hit;
}

int broker_book_funding(struct broker *b, int sym, const struct funding_due *d, double conv,
                        struct funding_payment *out)
{
    if (sym < 0 || sym >= b->cap)
        return -1;
    struct position *p = &b->pos[sym];
    if (p->qty == 0 || !(d->mark > 0) || !isfinite(d->rate) || !(conv > 0))
        return -1;
    double amount = funding_amount(p->qty, d->mark, d->rate, conv);
    b->balance += amount;
    p->realized += amount;
    *out = (struct funding_payment){ .sym = sym, .time = d->time, .qty = p->qty, .mark = d->mark, .rate = d->rate,
                                     .conv = conv, .amount = amount, .balance = b->balance };
    return 0;
}

void portfolio_on_ticker(struct portfolio *pf, int s, const struct funding_tick *t, int64_t now)
{
    if (s < 0 || s >= pf->n_sym)
        return;
    if (now > pf->now)
        pf->now = now;
    struct pf_symbol *ps = &pf->sym[s];
    ps->funding.perp = true;
    struct funding_due d;
    if (!funding_step(&ps->funding, t, now, &d))
        return;
    struct funding_payment pay;
    if (broker_book_funding(&pf->broker, s, &d, portfolio_conv(pf, s), &pay))
        return;
    if (ps->in_trade)
        ps->realized += pay.amount;
    if (pf->sink.funding)
        pf->sink.funding(pf->sink.ctx, &pay);
    if (pf->sink.note) {
        char q[32], m[32], msg[200];
        instrument_fmt_short(pf->broker.inst[s].step, fabs(pay.qty), q, sizeof q);
        instrument_fmt_short(pf->broker.inst[s].tick, pay.mark, m, sizeof m);
        snprintf(msg, sizeof msg, "funding %s: %s %s @ mark %s rate %.6g%%: %s %.4f; balance %.2f", ps->name,
                 pay.qty > 0 ? "long" : "short", q, m, pay.rate * 100, pay.amount < 0 ? "paid" : "received",
                 fabs(pay.amount), pay.balance);
        pf->sink.note(pf->sink.ctx, msg);
    }
}
