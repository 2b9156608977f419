/* Paper broker. Netting positions with an average entry: adding moves the average,
 * reducing realises PnL against it, crossing zero reverses at the fill price. */
#include "alphapulse/broker.h"

#include <math.h>
#include <string.h>

void broker_init(struct broker *b, double balance, double fee_bps)
{
    memset(b, 0, sizeof *b);
    b->balance = balance;
    b->fee_bps = fee_bps;
    b->next_order = b->next_fill = 1;
}

uint64_t broker_market(struct broker *b, int sym, int side, double qty, int64_t t)
{
    struct broker_order *o = &b->pending[sym];
    if (o->active || !(qty > 0) || (side != 1 && side != -1))
        return 0;
    o->active = true;
    o->id = b->next_order++;
    o->side = side;
    o->qty = qty;
    o->placed = t;
    return o->id;
}

bool broker_on_price(struct broker *b, int sym, double price, double conv, struct broker_fill *f)
{
    struct broker_order *o = &b->pending[sym];
    if (!o->active)
        return false;
    struct position *p = &b->pos[sym];
    double signed_qty = o->side * o->qty;
    double realized = 0;
    if (p->qty == 0 || (p->qty > 0) == (signed_qty > 0)) {
        double q = fabs(p->qty) + o->qty;
        p->avg = (fabs(p->qty) * p->avg + o->qty * price) / q;
        p->qty += signed_qty;
    } else {
        double closing = fmin(o->qty, fabs(p->qty));
        realized = closing * (price - p->avg) * (p->qty > 0 ? 1 : -1) * conv;
        double left = p->qty + signed_qty;
        if (fabs(left) < 1e-12 * fmax(1.0, o->qty))
            left = 0;
        if (left != 0 && (left > 0) != (p->qty > 0))
            p->avg = price;                   /* reversed: the remainder opens at the fill */
        p->qty = left;
        if (left == 0)
            p->avg = 0;
    }
    double fee = o->qty * price * conv * b->fee_bps / 1e4;
    p->realized += realized;
    p->fees += fee;
    b->balance += realized - fee;
    *f = (struct broker_fill){ .id = b->next_fill++, .order_id = o->id, .side = o->side,
                               .qty = o->qty, .price = price, .fee = fee, .realized = realized };
    o->active = false;
    return true;
}

double broker_unrealized(const struct broker *b, int sym, double price, double conv)
{
    const struct position *p = &b->pos[sym];
    return p->qty == 0 ? 0 : p->qty * (price - p->avg) * conv;
}
