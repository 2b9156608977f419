/* Amending a working order: the broker snaps the new price and quantity to the
 * tick and step and refuses (changing nothing) a quantity that rounds to zero or
 * an order below the minimum notional; the portfolio checks an amend like a new
 * order (risk limits, a stop's side of the market, the entry's stop and targets
 * against the new price) and says why it refused one. An accepted amend fills at
 * the new price. */
#include <string.h>

#include "harness.h"
#include "alphapulse/portfolio.h"

#define T0 1733011200000LL
#define MIN 60000LL

static struct portfolio pf;
static int64_t t;
static char last_note[256];
static int fills, books;
static double fill_px, fill_qty;

static void on_note(void *ctx, const char *msg)
{
    (void)ctx;
    snprintf(last_note, sizeof last_note, "%s", msg);
}
static void on_fill(void *ctx, const struct broker_fill *f)
{
    (void)ctx;
    fills++;
    fill_px = f->price;
    fill_qty = f->qty;
}
static void on_book(void *ctx, int sym) { (void)ctx; (void)sym; books++; }

static void setup(void)
{
    struct pf_config c;
    pf_config_defaults(&c);                    /* 10000 USDT; max position 10 % */
    c.costs.slip_bps = 0;
    struct pf_sink sink = { .fill = on_fill, .note = on_note, .book = on_book };
    portfolio_free(&pf);
    portfolio_init(&pf, &c, &sink);
    struct broker_inst in = { .tick = 0.01, .step = 0.001, .min_notional = 5 };
    portfolio_set_symbol(&pf, 0, "BTCUSDT", -1, &in);
    t = T0;
    fills = books = 0;
    last_note[0] = 0;
}

static void candle(double o, double h, double l, double c)
{
    struct candle k = { .open_time = t, .open = o, .high = h, .low = l, .close = c, .volume = 1 };
    portfolio_on_kline(&pf, 0, &k, t + MIN - 1);
    t += MIN;
}

static int64_t req(struct order_request c) { return portfolio_request(&pf, 0, &c, t); }
static int64_t amend(uint64_t id, double price, double qty)
{
    return req((struct order_request){ .type = REQ_MODIFY, .order_id = id, .price = price, .qty = qty });
}
static const struct broker_order *ord(int64_t id) { return broker_order_find(&pf.broker, (uint64_t)id); }

static void broker_snaps_and_refuses_without_change(void)
{
    struct broker b;
    broker_init(&b, 10000, NULL);
    struct broker_inst in = { .tick = 0.5, .step = 0.01, .min_notional = 10 };
    broker_set_inst(&b, 0, &in);
    struct broker_req r = { .sym = 0, .side = 1, .type = ORDER_LIMIT, .qty = 1, .price = 90 };
    int64_t id = broker_place(&b, &r, 100, T0);
    CHECK(id > 0);
    uint32_t v = b.version[0];
    CHECK(broker_modify(&b, (uint64_t)id, 91.3, 0.257) == 0);
    const struct broker_order *o = broker_order_find(&b, (uint64_t)id);
    CHECK_NEAR(o->price, 91.5, 1e-12);             /* nearest tick */
    CHECK_NEAR(o->qty, 0.25, 1e-12);               /* down to the step */
    CHECK(b.version[0] != v);                      /* the owner persists the book */
    /* refused: nothing changes */
    CHECK(broker_modify(&b, (uint64_t)id, 80, 0.004) == BROKER_E_STEP);
    CHECK(broker_modify(&b, (uint64_t)id, 80, 0.1) == BROKER_E_MIN_NOTIONAL);   /* 8 < 10 */
    CHECK(broker_modify(&b, (uint64_t)id, -1, 0) == BROKER_E_ARG);
    CHECK(broker_modify(&b, (uint64_t)id, 0, -2) == BROKER_E_ARG);
    CHECK(broker_modify(&b, 999, 80, 1) == BROKER_E_NOT_FOUND);
    CHECK_NEAR(o->price, 91.5, 1e-12);
    CHECK_NEAR(o->qty, 0.25, 1e-12);
    /* only the price: the quantity stays */
    CHECK(broker_modify(&b, (uint64_t)id, 95, 0) == 0);
    CHECK_NEAR(o->price, 95, 1e-12);
    CHECK_NEAR(o->qty, 0.25, 1e-12);
    broker_free(&b);
}

static void accepted_amend_fills_at_the_new_price(void)
{
    setup();
    candle(100, 100, 100, 100);
    int64_t id = req((struct order_request){ .type = REQ_ORDER, .side = 1, .order_type = ORDER_LIMIT, .price = 95,
                                            .qty = 1 });
    CHECK(id > 0);
    int b0 = books;
    CHECK(amend((uint64_t)id, 97.004, 2.0004) == 0);
    CHECK(strcmp(last_note, "order #1 amended BTCUSDT: price 95 -> 97 qty 1 -> 2") == 0);
    printf("# %s\n", last_note);
    CHECK(books > b0);                              /* the book goes to the store */
    CHECK_NEAR(ord(id)->price, 97, 1e-12);
    CHECK_NEAR(ord(id)->qty, 2, 1e-12);
    candle(100, 100, 96.5, 99);                     /* 96.5 crosses the new 97, not the old 95 */
    CHECK(fills == 1);
    CHECK_NEAR(fill_px, 97, 1e-12);
    CHECK_NEAR(fill_qty, 2, 1e-12);
}

static void refused_by_risk_leaves_the_order(void)
{
    setup();
    candle(100, 100, 100, 100);
    int64_t id = req((struct order_request){ .type = REQ_ORDER, .side = 1, .order_type = ORDER_LIMIT, .price = 95,
                                            .qty = 1 });
    uint64_t rejected = pf.rejected;
    /* 11 x 95 = 1045 USDT, over the 10 % (1000) a position may hold */
    CHECK(amend((uint64_t)id, 0, 11) == -1);
    printf("# %s\n", last_note);
    CHECK(strstr(last_note, "amend #1") && strstr(last_note, "max position"));
    CHECK(pf.rejected == rejected + 1);
    CHECK_NEAR(ord(id)->qty, 1, 1e-12);
    CHECK_NEAR(ord(id)->price, 95, 1e-12);
    /* the order itself is not counted twice: 10 x 95 = 950 passes though 1 is working */
    CHECK(amend((uint64_t)id, 0, 10) == 0);
    CHECK_NEAR(ord(id)->qty, 10, 1e-12);
}

static void refused_invalid_values_say_why(void)
{
    setup();
    candle(100, 100, 100, 100);
    int64_t stop = req((struct order_request){ .type = REQ_ORDER, .side = 1, .order_type = ORDER_STOP, .price = 105,
                                              .qty = 1 });
    int64_t lim = req((struct order_request){ .type = REQ_ORDER, .side = 1, .order_type = ORDER_LIMIT, .price = 95,
                                             .qty = 1, .stop_loss = 90, .tp = { 110 } });
    CHECK(stop > 0 && lim > 0);
    CHECK(amend((uint64_t)stop, 99, 0) == -1);      /* a BUY stop below the market */
    CHECK(strstr(last_note, "a BUY stop's trigger 99 is not above the price 100"));
    CHECK(amend((uint64_t)stop, 0, -1) == -1);
    CHECK(strstr(last_note, "must be > 0"));
    CHECK(amend((uint64_t)stop, 0, 0) == -1);
    CHECK(strstr(last_note, "nothing to change"));
    CHECK(amend((uint64_t)stop, 0, 0.0004) == -1);  /* rounds to 0 at the step 0.001 */
    CHECK(strstr(last_note, "rounds to zero at the step 0.001"));
    CHECK(amend((uint64_t)stop, 0, 0.04) == -1);    /* 0.04 x 105 = 4.2 < 5 */
    CHECK(strstr(last_note, "below the minimum notional"));
    CHECK(amend(4242, 100, 0) == -1);
    CHECK(strstr(last_note, "amend #4242: no such working order"));
    CHECK(amend((uint64_t)lim, 89, 0) == -1);       /* below its own stop-loss 90 */
    CHECK(strstr(last_note, "price 89 is not above its stop-loss 90"));
    CHECK(amend((uint64_t)lim, 0, 0) == -1);
    CHECK(amend((uint64_t)lim, 111, 0) == -1);      /* above its target 110 */
    CHECK(strstr(last_note, "price 111 is not below its target tp1 110"));
    CHECK_NEAR(ord(stop)->price, 105, 1e-12);
    CHECK_NEAR(ord(stop)->qty, 1, 1e-12);
    CHECK_NEAR(ord(lim)->price, 95, 1e-12);
    CHECK(amend((uint64_t)stop, 101.234, 0) == 0);  /* above the market: accepted, on the tick */
    CHECK_NEAR(ord(stop)->price, 101.23, 1e-9);
}

int main(void)
{
    RUN(broker_snaps_and_refuses_without_change);
    RUN(accepted_amend_fills_at_the_new_price);
    RUN(refused_by_risk_leaves_the_order);
    RUN(refused_invalid_values_say_why);
    HARNESS_EXIT();
}
