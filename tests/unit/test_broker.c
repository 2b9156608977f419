/* Paper broker: fills along the conservative candle path, gaps at the open, stop
 * beats target inside one candle, scale-out, trailing stop, rounding, minimum
 * notional, fees and slippage — each against hand-computed prices and balances —
 * and why each order that left without a fill ended. */
#include "harness.h"
#include "alphapulse/broker.h"

#define BAL 10000.0

static struct broker b;
static struct broker_fill f[32];

static void setup(double slip_bps)
{
    struct broker_costs c = { .maker_bps = 2, .taker_bps = 10, .slip_bps = slip_bps };
    broker_free(&b);
    broker_init(&b, BAL, &c);
    struct broker_inst in = { .tick = 0.01, .step = 0.001, .min_notional = 5 };
    broker_set_inst(&b, 0, &in);
}

static int bar(double o, double h, double l, double c)
{
    struct broker_bar x = { o, h, l, c };
    return broker_on_bar(&b, 0, &x, 1.0, 0, f, 32);
}

static int64_t order(int side, int type, double qty, double price, double stop, double tp)
{
    struct broker_req r = { .sym = 0, .side = side, .type = type, .qty = qty, .price = price };
    r.br.stop = stop;
    r.br.tp[0] = tp;
    r.br.tp_frac[0] = 1;
    return broker_place(&b, &r, 100, 0);
}

static void market_fills_at_next_open_with_taker_fee(void)
{
    setup(0);
    CHECK(order(1, ORDER_MARKET, 1, 0, 0, 0) > 0);
    CHECK(bar(100, 101, 99, 100.5) == 1);
    CHECK_NEAR(f[0].price, 100, 1e-12);
    CHECK_NEAR(f[0].fee, 0.1, 1e-12);               /* 1 x 100 x 10 bps */
    CHECK(!f[0].maker);
    CHECK_NEAR(b.pos[0].qty, 1, 1e-12);
    CHECK_NEAR(b.balance, BAL - 0.1, 1e-12);
    CHECK_NEAR(broker_unrealized(&b, 0, 100.5, 1), 0.5, 1e-12);
}

static void stop_and_target_in_one_candle_resolve_to_the_stop(void)
{
    setup(0);
    order(1, ORDER_MARKET, 1, 0, 98, 104);
    bar(100, 100, 100, 100);
    CHECK(bar(100, 105, 97, 104.5) == 1);           /* both touched: the low comes first */
    CHECK_NEAR(f[0].price, 98, 1e-12);
    CHECK(f[0].reason == FILL_STOP_LOSS);
    CHECK_NEAR(f[0].realized, -2, 1e-12);
    CHECK(b.pos[0].qty == 0);
    /* a short: open -> high first, so again the stop */
    setup(0);
    order(-1, ORDER_MARKET, 1, 0, 102, 96);
    bar(100, 100, 100, 100);
    CHECK(bar(100, 103, 95, 96) == 1);
    CHECK_NEAR(f[0].price, 102, 1e-12);
    CHECK_NEAR(f[0].realized, -2, 1e-12);
    /* even when the open gaps beyond the target, a stop inside the candle wins */
    setup(0);
    order(1, ORDER_MARKET, 1, 0, 98, 104);
    bar(100, 100, 100, 100);
    CHECK(bar(105, 106, 97, 99) == 1);
    CHECK(f[0].reason == FILL_STOP_LOSS);
}

static void gaps_fill_at_the_open(void)
{
    setup(0);
    order(1, ORDER_MARKET, 1, 0, 98, 0);
    bar(100, 100, 100, 100);
    CHECK(bar(95, 96, 94, 95.5) == 1);
    CHECK_NEAR(f[0].price, 95, 1e-12);              /* not 98: the market never traded there */
    CHECK_NEAR(f[0].realized, -5, 1e-12);
    setup(0);                                       /* a buy limit gapped through fills at the better open */
    order(1, ORDER_LIMIT, 1, 99, 0, 0);
    CHECK(bar(98, 98.5, 97, 98) == 1);
    CHECK_NEAR(f[0].price, 98, 1e-12);
}

static void target_fills_at_its_level_with_maker_fee(void)
{
    setup(0);
    order(1, ORDER_MARKET, 2, 0, 98, 104);
    bar(100, 100, 100, 100);
    CHECK(bar(100.5, 104.5, 99, 104.2) == 1);
    CHECK_NEAR(f[0].price, 104, 1e-12);
    CHECK(f[0].reason == FILL_TP1 && f[0].maker);
    CHECK_NEAR(f[0].fee, 2 * 104 * 2e-4, 1e-12);
    CHECK_NEAR(b.balance, BAL - 0.2 + 8 - 0.0416, 1e-9);
}

static void scale_out_at_two_targets(void)
{
    setup(0);
    struct broker_req r = { .sym = 0, .side = 1, .type = ORDER_MARKET, .qty = 1 };
    r.br.tp[0] = 102;
    r.br.tp[1] = 104;
    r.br.tp_frac[0] = 0.5;
    r.br.tp_frac[1] = 0.5;
    CHECK(broker_place(&b, &r, 100, 0) > 0);
    bar(100, 100, 100, 100);
    CHECK(bar(100, 103, 99.5, 102.5) == 1);
    CHECK_NEAR(f[0].qty, 0.5, 1e-12);
    CHECK_NEAR(f[0].price, 102, 1e-12);
    CHECK_NEAR(b.pos[0].qty, 0.5, 1e-12);
    CHECK(bar(102.5, 105, 102, 104.5) == 1);
    CHECK_NEAR(f[0].qty, 0.5, 1e-12);
    CHECK_NEAR(f[0].price, 104, 1e-12);
    CHECK(b.pos[0].qty == 0);
    CHECK_NEAR(b.pos[0].realized, 0.5 * 2 + 0.5 * 4, 1e-12);
}

static void limit_and_stop_entries(void)
{
    setup(10);                                      /* 10 bps slippage on market and stop fills */
    order(1, ORDER_LIMIT, 1, 99, 0, 0);
    CHECK(bar(100, 100.5, 98.5, 99.5) == 1);
    CHECK_NEAR(f[0].price, 99, 1e-12);              /* limits: no slippage, maker fee */
    CHECK(f[0].maker);
    setup(10);
    order(1, ORDER_STOP, 1, 101, 0, 0);
    CHECK(bar(100, 102, 99.8, 101.5) == 1);
    CHECK_NEAR(f[0].price, 101.11, 1e-9);           /* 101 + 0.101 slippage, up to the tick */
    setup(0);                                       /* entry and its stop inside one candle */
    order(1, ORDER_LIMIT, 1, 99, 97, 0);
    CHECK(bar(100, 101, 96, 100) == 2);
    CHECK_NEAR(f[0].price, 99, 1e-12);
    CHECK_NEAR(f[1].price, 97, 1e-12);
    CHECK(f[1].reason == FILL_STOP_LOSS);
}

static void trailing_stop_follows_the_high(void)
{
    setup(0);
    struct broker_req r = { .sym = 0, .side = 1, .type = ORDER_MARKET, .qty = 1 };
    r.br.trail = 2;
    broker_place(&b, &r, 100, 0);
    bar(100, 100, 100, 100);
    CHECK(bar(100, 104, 99.5, 103.5) == 0);         /* low 99.5 is above 100 - 2 */
    CHECK_NEAR(b.pos[0].br.trail_ref, 104, 1e-12);
    CHECK(bar(103.5, 103.8, 101, 101.5) == 1);
    CHECK(f[0].reason == FILL_TRAIL);
    CHECK_NEAR(f[0].price, 102, 1e-12);
    CHECK_NEAR(f[0].realized, 2, 1e-12);
}

static void rounding_and_minimum_notional(void)
{
    setup(0);
    int64_t id = order(1, ORDER_LIMIT, 1.23456, 99.996, 0, 0);
    const struct broker_order *o = broker_order_find(&b, (uint64_t)id);
    CHECK(o && fabs(o->qty - 1.234) < 1e-12);       /* down to the step */
    CHECK(o && fabs(o->price - 100.0) < 1e-9);      /* nearest tick */
    CHECK(order(1, ORDER_MARKET, 0.01, 0, 0, 0) == BROKER_E_MIN_NOTIONAL);   /* 1 USDT < 5 */
    CHECK(order(1, ORDER_MARKET, 0.0004, 0, 0, 0) == BROKER_E_STEP);
    CHECK(broker_cancel(&b, (uint64_t)id) == 0);
    CHECK(broker_cancel(&b, (uint64_t)id) == BROKER_E_NOT_FOUND);
    order(1, ORDER_MARKET, 1, 0, 0, 0);
    bar(100, 100, 100, 100);
    CHECK(order(-1, ORDER_MARKET, 0.01, 0, 0, 0) > 0);   /* reducing: allowed below the minimum */
}

static void reversal_realises_and_reopens(void)
{
    setup(0);
    order(1, ORDER_MARKET, 1, 0, 0, 0);
    bar(100, 100, 100, 100);
    order(-1, ORDER_MARKET, 2, 0, 0, 0);
    CHECK(bar(110, 110, 110, 110) == 1);
    CHECK_NEAR(f[0].realized, 10, 1e-12);
    CHECK_NEAR(b.pos[0].qty, -1, 1e-12);
    CHECK_NEAR(b.pos[0].avg, 110, 1e-12);
    CHECK_NEAR(b.balance, BAL + 10 - 0.1 - 0.22, 1e-9);
}

static void modify_and_exits(void)
{
    setup(0);
    int64_t id = order(1, ORDER_LIMIT, 1, 95, 0, 0);
    CHECK(broker_modify(&b, (uint64_t)id, 97, 2) == 0);
    CHECK(bar(100, 100, 96.5, 99) == 1);
    CHECK_NEAR(f[0].price, 97, 1e-12);
    CHECK_NEAR(f[0].qty, 2, 1e-12);
    double tp[BROKER_TP] = { 101, -1, -1, -1 };
    CHECK(broker_set_exits(&b, 0, 96, -1, tp) == 0);
    CHECK(bar(99, 101.5, 98, 101) == 1);
    CHECK(f[0].reason == FILL_TP1);
    CHECK_NEAR(f[0].qty, 2, 1e-12);                 /* the only target closes everything */
    CHECK(broker_set_exits(&b, 0, 96, -1, tp) == BROKER_E_NO_POSITION);
}

static void ended_orders_say_why(void)
{
    setup(0);
    int64_t a = order(1, ORDER_LIMIT, 1, 90, 0, 0);
    int64_t c = order(1, ORDER_LIMIT, 1, 80, 0, 0);
    CHECK(broker_cancel(&b, (uint64_t)a) == 0);
    CHECK(b.n_ended == 1 && b.ended[0].o.id == (uint64_t)a && b.ended[0].why == BROKER_END_CANCELLED);
    CHECK(b.ended[0].o.price == 90 && b.ended[0].o.qty == 1);
    b.n_ended = 0;
    order(1, ORDER_MARKET, 1, 0, 98, 104);
    bar(100, 100, 100, 100);                        /* long 1: fills are not ends */
    CHECK(b.n_ended == 0);
    struct broker_req r = { .sym = 0, .side = -1, .type = ORDER_LIMIT, .qty = 1, .price = 110, .reduce_only = true };
    int64_t x = broker_place(&b, &r, 100, 0);
    r.side = 1;                                     /* reduce-only buy while long: it can only add */
    r.price = 99;
    int64_t y = broker_place(&b, &r, 100, 0);
    CHECK(bar(100, 100.5, 98.9, 100.2) == 0);       /* y triggers at 99, the stop 98 is not reached */
    CHECK(b.n_ended == 1 && b.ended[0].o.id == (uint64_t)y && b.ended[0].why == BROKER_END_NOTHING_TO_REDUCE);
    CHECK(bar(100.2, 104.5, 100, 104) == 1);        /* the target closes it: x has nothing left to reduce */
    CHECK(b.n_ended == 2 && b.ended[1].o.id == (uint64_t)x && b.ended[1].why == BROKER_END_POSITION_CLOSED);
    CHECK(broker_cancel_all(&b, -1) == 1);          /* c */
    CHECK(b.n_ended == 3 && b.ended[2].o.id == (uint64_t)c && b.n_orders == 0);
}

int main(void)
{
    RUN(market_fills_at_next_open_with_taker_fee);
    RUN(stop_and_target_in_one_candle_resolve_to_the_stop);
    RUN(gaps_fill_at_the_open);
    RUN(target_fills_at_its_level_with_maker_fee);
    RUN(scale_out_at_two_targets);
    RUN(limit_and_stop_entries);
    RUN(trailing_stop_follows_the_high);
    RUN(rounding_and_minimum_notional);
    RUN(reversal_realises_and_reopens);
    RUN(modify_and_exits);
    RUN(ended_orders_say_why);
    HARNESS_EXIT();
}
