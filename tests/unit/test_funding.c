/* Funding on a perpetual's paper position: held across funding times it books
 * exactly qty x mark x rate each time (long pays when the rate is positive, a
 * short receives it; the other way round when negative), with the mark and rate
 * in force before the funding time, once per funding time, into the balance,
 * the trade's PnL and the journal; the position is valued at the mark price. */
#include "harness.h"
#include "alphapulse/funding.h"
#include "alphapulse/portfolio.h"

#define T0 1733011200000LL
#define MIN 60000LL

static struct portfolio pf;
static int64_t t;
static int payments;
static struct funding_payment last_pay;
static char last_note[256];
static double last_trade_pnl;

static void on_funding(void *ctx, const struct funding_payment *p)
{
    (void)ctx;
    payments++;
    last_pay = *p;
}

static void on_note(void *ctx, const char *msg)
{
    (void)ctx;
    snprintf(last_note, sizeof last_note, "%s", msg);
}

static void on_trade(void *ctx, const struct trade *tr)
{
    (void)ctx;
    last_trade_pnl = tr->pnl;
}

static void setup(void)
{
    struct pf_config c;
    pf_config_defaults(&c);
    c.balance = 10000;
    c.costs = (struct broker_costs){ 0 };
    struct pf_sink sink = { .funding = on_funding, .note = on_note, .trade = on_trade };
    static bool inited;                 /* each test starts from a fresh account */
    if (inited)
        portfolio_free(&pf);
    inited = true;
    portfolio_init(&pf, &c, &sink);
    struct broker_inst in = { .tick = 0.1, .step = 0.001, .min_notional = 5 };
    portfolio_set_symbol(&pf, 0, "BTCUSDT", -1, &in);
    t = T0;
    payments = 0;
}

static void candle(double px)
{
    struct candle k = { .open_time = t, .open = px, .high = px, .low = px, .close = px, .volume = 1 };
    portfolio_on_kline(&pf, 0, &k, t + MIN - 1);
    t += MIN;
}

static void order(int side, double qty)
{
    struct order_request r = { .type = REQ_ORDER, .side = side, .order_type = ORDER_MARKET, .qty = qty };
    CHECK(portfolio_request(&pf, 0, &r, t) > 0);
}

static void tick(int64_t at, double mark, double rate, int64_t next)
{
    struct funding_tick k = { .have = FUNDING_HAVE_MARK | FUNDING_HAVE_RATE | FUNDING_HAVE_NEXT, .mark = mark,
                              .rate = rate, .next_time = next };
    portfolio_on_ticker(&pf, 0, &k, at);
}

static void books_qty_mark_rate_at_each_funding_time(void)
{
    setup();
    const int64_t f1 = T0 + 10 * MIN, f2 = T0 + 20 * MIN, f3 = T0 + 30 * MIN;
    tick(T0, 100, 0.0001, f1);
    candle(100);
    order(+1, 2);
    candle(100);                                        /* bought 2 at 100 */
    CHECK(pf.broker.pos[0].qty == 2 && pf.broker.balance == 10000);
    tick(f1 - 1, 101, 0.0001, f1);                      /* before the funding time: nothing */
    CHECK(payments == 0);
    /* the value at the mark, not the last trade */
    CHECK_NEAR(portfolio_unrealized(&pf, 0), 2.0, 1e-12);
    CHECK_NEAR(portfolio_equity(&pf), 10002.0, 1e-12);
    /* first push past f1: funding at f1 with the mark and rate in force before it */
    tick(f1 + 5, 102, 0.0002, f2);
    CHECK(payments == 1 && last_pay.time == f1);
    double a1 = -(2 * 101 * 0.0001);
    CHECK(last_pay.amount == a1 && last_pay.mark == 101 && last_pay.rate == 0.0001 && last_pay.qty == 2);
    CHECK(pf.broker.balance == 10000 + a1 && last_pay.balance == pf.broker.balance);
    CHECK_MSG(strstr(last_note, "funding BTCUSDT: long 2 @ mark 101") && strstr(last_note, "paid 0.0202"), "%s",
              last_note);
    CHECK_NEAR(portfolio_equity(&pf), 10000 + a1 + 4.0, 1e-12);   /* mark 102 now */
    tick(f1 + 6, 102, 0.0002, f2);                      /* the same funding time is booked once */
    CHECK(payments == 1);
    /* second funding time, reached by time alone (a delta without fields) */
    struct funding_tick none = { 0 };
    portfolio_on_ticker(&pf, 0, &none, f2);
    CHECK(payments == 2 && last_pay.time == f2);
    double a2 = -(2 * 102 * 0.0002);
    CHECK(last_pay.amount == a2 && pf.broker.balance == 10000 + a1 + a2);
    /* closing the long: the trade's PnL counts both payments */
    order(-1, 2);
    candle(100);
    CHECK(pf.broker.pos[0].qty == 0);
    CHECK_NEAR(last_trade_pnl, a1 + a2, 1e-12);
    /* a short across a negative rate pays: -(-1) x 103 x (-0.0003) */
    order(-1, 1);
    candle(100);
    CHECK(pf.broker.pos[0].qty == -1);
    tick(f2 + 1, 103, -0.0003, f3);
    CHECK(payments == 2);
    tick(f3, 104, 0.0001, f3 + 10 * MIN);
    CHECK(payments == 3 && last_pay.amount == -(-1 * 103 * -0.0003) && last_pay.amount < 0);
    CHECK_MSG(strstr(last_note, "short 1") && strstr(last_note, "paid"), "%s", last_note);
    /* a short with a positive rate receives */
    portfolio_on_ticker(&pf, 0, &none, f3 + 10 * MIN);
    CHECK(payments == 4 && last_pay.amount == 104 * 0.0001 && last_pay.amount > 0 && strstr(last_note, "received"));
}

static void no_position_no_payment(void)
{
    setup();
    candle(100);
    tick(T0, 100, 0.01, T0 + MIN);
    tick(T0 + MIN, 100, 0.01, T0 + 2 * MIN);
    CHECK(payments == 0 && pf.broker.balance == 10000);
    CHECK(pf.sym[0].funding.perp);
    CHECK(funding_amount(2, 100, 0.0001, 1) == -(2 * 100 * 0.0001));
    CHECK(funding_amount(-2, 100, 0.0001, 1) == 2 * 100 * 0.0001);
    /* the rule in isolation: the values before the push, one booking per time */
    struct funding_state st = { 0 };
    struct funding_due d;
    struct funding_tick k = { .have = FUNDING_HAVE_MARK | FUNDING_HAVE_RATE | FUNDING_HAVE_NEXT, .mark = 50,
                              .rate = 0.001, .next_time = 1000 };
    CHECK(funding_step(&st, &k, 0, &d) == 0);
    k.mark = 60;
    k.next_time = 2000;
    CHECK(funding_step(&st, &k, 1000, &d) == 1 && d.time == 1000 && d.mark == 50 && d.rate == 0.001);
    CHECK(st.mark == 60 && st.next_time == 2000);
    CHECK(funding_step(&st, NULL, 1500, &d) == 0);
    CHECK(funding_step(&st, NULL, 9000, &d) == 1 && d.time == 2000 && d.mark == 60);
    CHECK(funding_step(&st, NULL, 9001, &d) == 0);
}

static void spot_is_valued_at_last(void)
{
    setup();
    candle(100);
    order(+1, 1);
    candle(110);
    CHECK(!pf.sym[0].funding.perp);
    CHECK_NEAR(portfolio_unrealized(&pf, 0), 0.0, 1e-12);   /* filled at 110's open, last 110 */
    candle(120);
    CHECK_NEAR(portfolio_unrealized(&pf, 0), 10.0, 1e-12);
}

int main(void)
{
    RUN(books_qty_mark_rate_at_each_funding_time);
    RUN(no_position_no_payment);
    RUN(spot_is_valued_at_last);
    portfolio_free(&pf);
    HARNESS_EXIT();
}
