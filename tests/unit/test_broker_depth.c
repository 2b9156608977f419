/* Paper fills against a synced book and the trade tape (broker.h): a market
 * order's exact VWAP over the levels it takes, the book left as it was, an order
 * larger than the shown book filled in part and the rest cancelled, an empty side
 * refusing it, a limit order's queue place honoured, stops triggered by trades
 * and walking the book; and, through the portfolio, the candle path with its bps
 * slippage taking over while the book resyncs. Prices hand-computed. */
#include "harness.h"
#include "alphapulse/portfolio.h"

#define BAL 10000.0

static struct broker b;
static struct book bk;
static struct broker_fill f[32];

static int64_t fx(double v) { return llround(v * (double)BOOK_SCALE); }

static void level(int side, double px, double qty) { CHECK(book_set(&bk, side, fx(px), fx(qty)) == BOOK_OK); }

/* bids 99.50 x 1, 99.00 x 5; asks 100.00 x 1, 100.50 x 2, 101.00 x 3 */
static void setup(void)
{
    struct broker_costs c = { .maker_bps = 2, .taker_bps = 10, .slip_bps = 50 };
    broker_free(&b);
    broker_init(&b, BAL, &c);
    struct broker_inst in = { .tick = 0.01, .step = 0.001, .min_notional = 5 };
    broker_set_inst(&b, 0, &in);
    book_init(&bk, fx(0.01));
    level(BOOK_BID, 99.5, 1);
    level(BOOK_BID, 99, 5);
    level(BOOK_ASK, 100, 1);
    level(BOOK_ASK, 100.5, 2);
    level(BOOK_ASK, 101, 3);
}

static int64_t order(int side, int type, double qty, double price, double stop)
{
    struct broker_req r = { .sym = 0, .side = side, .type = type, .qty = qty, .price = price };
    r.br.stop = stop;
    return broker_place(&b, &r, 100, 0);
}

static int on_book(void) { return broker_on_book(&b, 0, &bk, 1.0, 0, f, 32); }
static int trade(double px, double qty) { return broker_on_trade(&b, 0, &bk, px, qty, 1.0, 0, f, 32); }

static void market_order_fills_at_the_vwap_of_the_levels_it_takes(void)
{
    setup();
    CHECK(order(1, ORDER_MARKET, 2.5, 0, 0) > 0);
    CHECK(on_book() == 1);
    /* 1 @ 100 + 1.5 @ 100.50 = 250.75 over 2.5 */
    CHECK_NEAR(f[0].price, 250.75 / 2.5, 1e-12);
    CHECK_NEAR(f[0].qty, 2.5, 1e-12);
    CHECK(f[0].levels == 2 && !f[0].maker && f[0].unfilled == 0);
    CHECK_NEAR(f[0].bid, 99.5, 1e-12);
    CHECK_NEAR(f[0].ask, 100, 1e-12);
    CHECK_NEAR(f[0].fee, 250.75 * 10 / 1e4, 1e-12);       /* taker fee on the notional, no bps slippage */
    CHECK_NEAR(b.pos[0].qty, 2.5, 1e-12);
    CHECK(book_qty(&bk, BOOK_ASK, fx(100)) == fx(1));     /* the book is not changed by paper orders */
    CHECK(b.n_orders == 0);
    /* a sell walks the bids: 1 @ 99.50 + 0.5 @ 99 */
    CHECK(order(-1, ORDER_MARKET, 1.5, 0, 0) > 0);
    CHECK(on_book() == 1);
    CHECK_NEAR(f[0].price, (99.5 + 49.5) / 1.5, 1e-12);
    CHECK(f[0].levels == 2);
}

static void an_order_larger_than_the_shown_book_fills_in_part(void)
{
    setup();
    CHECK(order(1, ORDER_MARKET, 10, 0, 0) > 0);
    CHECK(on_book() == 1);
    CHECK_NEAR(f[0].qty, 6, 1e-12);                        /* all three ask levels */
    CHECK_NEAR(f[0].price, (100 + 201 + 303) / 6.0, 1e-12);
    CHECK_NEAR(f[0].unfilled, 4, 1e-12);
    CHECK(f[0].levels == 3);
    CHECK(b.n_orders == 0 && b.n_ended == 0);              /* filled (in part): not an ended order */
    /* an empty side fills nothing: the order is refused when it meets it */
    book_clear(&bk);
    level(BOOK_BID, 99, 1);
    int64_t id = order(1, ORDER_MARKET, 1, 0, 0);
    CHECK(on_book() == 0);
    CHECK(b.n_orders == 0 && b.n_ended == 1);
    CHECK(b.ended[0].o.id == (uint64_t)id && b.ended[0].why == BROKER_END_BOOK_EMPTY);
}

static void a_limit_fills_only_after_the_volume_ahead_of_it_traded(void)
{
    setup();
    int64_t id = order(1, ORDER_LIMIT, 1, 99, 0);
    CHECK(on_book() == 0);                                 /* 5 rest at 99 ahead of it */
    CHECK_NEAR(broker_order_find(&b, (uint64_t)id)->queue, 6, 1e-12);
    CHECK(trade(99, 3) == 0);
    CHECK(trade(99.5, 4) == 0);                            /* another level: its queue does not move */
    CHECK(trade(99, 2) == 0);                              /* the 5 ahead traded, not yet its own 1 */
    CHECK(b.n_orders == 1);
    CHECK(trade(99, 1) == 1);
    CHECK_NEAR(f[0].price, 99, 1e-12);
    CHECK(f[0].maker && f[0].levels == 0 && f[0].order_id == (uint64_t)id);
    CHECK_NEAR(f[0].fee, 99 * 2 / 1e4, 1e-12);
    /* a trade through its price fills it whatever the queue: the level is gone */
    setup();
    order(-1, ORDER_LIMIT, 1, 100.5, 0);
    CHECK(trade(100.5, 1) == 0);                           /* 2 ahead + its 1 */
    CHECK(trade(100.51, 0.1) == 1);
    CHECK_NEAR(f[0].price, 100.5, 1e-12);
    /* an amended order goes to the back of its level again */
    setup();
    id = order(1, ORDER_LIMIT, 1, 99, 0);
    on_book();
    CHECK(trade(99, 5) == 0);
    CHECK(broker_modify(&b, (uint64_t)id, 0, 2) == 0);
    CHECK(trade(99, 2) == 0);                              /* re-measured: 5 + 2 to trade */
    CHECK(trade(99, 4) == 0);
    CHECK(trade(99, 1) == 1);
}

static void stops_trigger_on_trades_and_walk_the_book(void)
{
    setup();
    order(1, ORDER_MARKET, 1, 0, 0);
    on_book();                                             /* long 1 @ 100 */
    order(-1, ORDER_STOP, 2, 99.2, 0);                     /* reverses to short 1 */
    CHECK(trade(99.3, 1) == 0);
    CHECK(trade(99.2, 1) == 1);
    CHECK_NEAR(f[0].price, (99.5 + 99) / 2, 1e-12);        /* 1 @ 99.50 + 1 @ 99 */
    CHECK(f[0].levels == 2 && !f[0].maker);
    CHECK_NEAR(b.pos[0].qty, -1, 1e-12);
    /* a position's stop-loss fires on the trade and fills at the book, not its level */
    setup();
    order(1, ORDER_MARKET, 1, 0, 98);
    on_book();
    CHECK_NEAR(b.pos[0].br.stop, 98, 1e-12);
    CHECK(trade(98.01, 1) == 0);
    CHECK(trade(97.5, 1) == 1);
    CHECK(f[0].reason == FILL_STOP_LOSS);
    CHECK_NEAR(f[0].price, 99.5, 1e-12);
    CHECK(b.pos[0].qty == 0);
}

/* Through the portfolio: a synced book fills a market order at once; while it
 * resyncs the candle path and the bps model fill it, and trades fill nothing. */
static int pf_fills;
static struct broker_fill pf_last;
static void pf_fill(void *ctx, const struct broker_fill *x)
{
    (void)ctx;
    pf_fills++;
    pf_last = *x;
}

static void a_resyncing_book_falls_back_to_the_bps_model(void)
{
    setup();
    struct portfolio pf;
    struct pf_config c;
    pf_config_defaults(&c);
    c.costs.slip_bps = 10;
    portfolio_init(&pf, &c, &(struct pf_sink){ .fill = pf_fill });
    struct broker_inst in = { .tick = 0.01, .step = 0.001, .min_notional = 5 };
    portfolio_set_symbol(&pf, 0, "BTCUSDT", -1, &in);
    struct candle k = { .open_time = 0, .open = 100, .high = 100, .low = 100, .close = 100, .volume = 1 };
    portfolio_on_kline(&pf, 0, &k, 1);
    portfolio_set_book(&pf, 0, &bk);
    struct order_request buy = { .type = REQ_ORDER, .side = 1, .order_type = ORDER_MARKET, .qty = 1.5 };
    CHECK(portfolio_request(&pf, 0, &buy, 2) > 0);
    CHECK(pf_fills == 1 && pf_last.levels == 2);
    CHECK_NEAR(pf_last.price, (100 + 0.5 * 100.5) / 1.5, 1e-12);
    portfolio_set_book(&pf, 0, NULL);                      /* resyncing */
    CHECK(portfolio_request(&pf, 0, &buy, 3) > 0);
    CHECK(pf_fills == 1);                                  /* waits for the next price */
    portfolio_on_trade(&pf, 0, 100, 1, 4);
    CHECK(pf_fills == 1);
    k = (struct candle){ .open_time = 60000, .open = 101, .high = 102, .low = 100, .close = 101, .volume = 1 };
    portfolio_on_kline(&pf, 0, &k, 60001);
    CHECK(pf_fills == 2 && pf_last.levels == -1 && pf_last.bid == 0 && pf_last.ask == 0);
    CHECK_NEAR(pf_last.price, 101.11, 1e-12);              /* 101 + 10 bps, up to the tick */
    portfolio_free(&pf);
}

int main(void)
{
    RUN(market_order_fills_at_the_vwap_of_the_levels_it_takes);
    RUN(an_order_larger_than_the_shown_book_fills_in_part);
    RUN(a_limit_fills_only_after_the_volume_ahead_of_it_traded);
    RUN(stops_trigger_on_trades_and_walk_the_book);
    RUN(a_resyncing_book_falls_back_to_the_bps_model);
    broker_free(&b);
    HARNESS_EXIT();
}
