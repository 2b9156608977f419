/* The portfolio's ATR trailing stop: an order asking to trail by 2 x ATR(14)
 * keeps the multiple, its distance follows the ATR handed over after each closed
 * candle, and the stop level never loosens (a wider ATR holds it, a narrower one
 * tightens it); a fixed distance stays fixed; the exits editor's command sets
 * either. Prices are hand-computed, without slippage. */
#include "harness.h"
#include "alphapulse/portfolio.h"

#define T0 1733011200000LL
#define MIN 60000LL

static struct portfolio pf;
static int64_t t;
static int fills, trail_fills;
static double last_fill;

static void on_fill(void *ctx, const struct broker_fill *f)
{
    (void)ctx;
    fills++;
    trail_fills += f->reason == FILL_TRAIL;
    last_fill = f->price;
}

static void setup(void)
{
    struct pf_config c;
    pf_config_defaults(&c);
    c.costs.slip_bps = 0;
    struct pf_sink sink = { .fill = on_fill };
    portfolio_free(&pf);
    portfolio_init(&pf, &c, &sink);
    struct broker_inst in = { .tick = 0.01, .step = 0.001, .min_notional = 5 };
    portfolio_set_symbol(&pf, 0, "BTCUSDT", -1, &in);
    t = T0;
    fills = trail_fills = 0;
}

static void candle(double o, double h, double l, double c)
{
    struct candle k = { .open_time = t, .open = o, .high = h, .low = l, .close = c, .volume = 1 };
    portfolio_on_kline(&pf, 0, &k, t + MIN - 1);
    t += MIN;
}

static int64_t cmd(struct order_request c) { return portfolio_request(&pf, 0, &c, t); }

static const struct bracket *br(void) { return &pf.broker.pos[0].br; }
static double level(void) { return broker_trail_level(&pf.broker, 0); }

static void atr_trail_follows_the_atr_and_never_loosens(void)
{
    setup();
    candle(100, 100, 100, 100);
    portfolio_set_atr(&pf, 0, 1.0);
    int64_t id = cmd((struct order_request){ .type = REQ_ORDER, .side = 1, .order_type = ORDER_MARKET, .qty = 1,
                                       .trail_atr = 2 });
    CHECK(id > 0);
    const struct broker_order *o = broker_order_find(&pf.broker, (uint64_t)id);
    CHECK(o && o->br.trail_atr == 2 && fabs(o->br.trail - 2) < 1e-12);
    portfolio_set_atr(&pf, 0, 1.25);                  /* a working entry takes the new distance too */
    CHECK(o && fabs(o->br.trail - 2.5) < 1e-12);
    portfolio_set_atr(&pf, 0, 1.0);
    candle(100, 101, 99.5, 101);                      /* fills at 100; the high 101 is the reference */
    CHECK(fills == 1 && pf.broker.pos[0].qty == 1);
    CHECK(br()->trail_atr == 2);
    CHECK_NEAR(br()->trail_ref, 101, 1e-12);
    CHECK_NEAR(level(), 99, 1e-12);                   /* 101 - 2 x 1 */
    /* ATR widens to 1.5: the distance becomes 3, but 101 - 3 = 98 would loosen the
     * stop, so it holds at the best level reached, 99 */
    portfolio_set_atr(&pf, 0, 1.5);
    CHECK_NEAR(br()->trail, 3, 1e-12);
    CHECK_NEAR(level(), 99, 1e-12);
    candle(101, 101.5, 99.2, 101.5);                  /* 99.2 stays above the held 99 */
    CHECK(pf.broker.pos[0].qty == 1 && trail_fills == 0);
    CHECK_NEAR(level(), 99, 1e-12);                   /* 101.5 - 3 = 98.5: still held */
    candle(101.5, 103, 101.2, 102.8);                 /* 103 - 3 = 100: moves again, at the new distance */
    CHECK_NEAR(level(), 100, 1e-12);
    /* ATR narrows to 0.5: distance 1, the stop tightens to 103 - 1 */
    portfolio_set_atr(&pf, 0, 0.5);
    CHECK_NEAR(br()->trail, 1, 1e-12);
    CHECK_NEAR(level(), 102, 1e-12);
    /* and widening again (0.75 -> 1.5) never gives any of it back */
    portfolio_set_atr(&pf, 0, 0.75);
    CHECK_NEAR(level(), 102, 1e-12);
    candle(102.8, 102.9, 101.5, 101.8);               /* falls through 102: out at the stop level */
    CHECK(trail_fills == 1 && pf.broker.pos[0].qty == 0);
    CHECK_NEAR(last_fill, 102, 1e-12);
}

static void short_atr_trail_never_rises(void)
{
    setup();
    candle(100, 100, 100, 100);
    portfolio_set_atr(&pf, 0, 1.0);
    CHECK(cmd((struct order_request){ .type = REQ_ORDER, .side = -1, .order_type = ORDER_MARKET, .qty = 1,
                                .trail_atr = 2 }) > 0);
    candle(100, 100.5, 98, 98.5);                     /* short from 100; low 98 -> stop 100 */
    CHECK_NEAR(level(), 100, 1e-12);
    portfolio_set_atr(&pf, 0, 2.0);                   /* 98 + 4 = 102 would loosen: held at 100 */
    CHECK_NEAR(level(), 100, 1e-12);
    candle(98.5, 99.9, 97, 97.5);                     /* 97 + 4 = 101: still held at 100 */
    CHECK_NEAR(level(), 100, 1e-12);
    CHECK(pf.broker.pos[0].qty == -1);
    portfolio_set_atr(&pf, 0, 0.5);                   /* 97 + 1 = 98: tighter */
    CHECK_NEAR(level(), 98, 1e-12);
}

static void fixed_trail_stays_fixed(void)
{
    setup();
    candle(100, 100, 100, 100);
    portfolio_set_atr(&pf, 0, 1.0);
    CHECK(cmd((struct order_request){ .type = REQ_ORDER, .side = 1, .order_type = ORDER_MARKET, .qty = 1, .trail = 2,
                                .trail_atr = 3 }) > 0);   /* a fixed distance, when given, wins */
    candle(100, 104, 99.5, 103.5);
    CHECK(br()->trail_atr == 0);
    portfolio_set_atr(&pf, 0, 5);
    CHECK_NEAR(br()->trail, 2, 1e-12);
    CHECK_NEAR(level(), 102, 1e-12);
    candle(103.5, 103.8, 101, 101.5);
    CHECK(trail_fills == 1);
    CHECK_NEAR(last_fill, 102, 1e-12);
}

static void exits_command_sets_either_kind(void)
{
    setup();
    candle(100, 100, 100, 100);
    CHECK(cmd((struct order_request){ .type = REQ_ORDER, .side = 1, .order_type = ORDER_MARKET, .qty = 1 }) > 0);
    candle(100, 100, 100, 100);
    struct order_request ex = { .type = REQ_EXITS, .stop_loss = -1, .trail = -1, .tp = { -1, -1, -1, -1 }, .trail_atr = 2 };
    CHECK(cmd(ex) == -1);                             /* no ATR yet: refused, nothing changed */
    CHECK(br()->trail == 0);
    portfolio_set_atr(&pf, 0, 0.5);
    CHECK(cmd(ex) == 0);
    CHECK(br()->trail_atr == 2);
    CHECK_NEAR(br()->trail, 1, 1e-12);
    portfolio_set_atr(&pf, 0, 0.25);
    CHECK_NEAR(br()->trail, 0.5, 1e-12);
    ex.trail = 3;                                     /* a fixed distance replaces the multiple */
    ex.trail_atr = 0;
    CHECK(cmd(ex) == 0);
    CHECK(br()->trail_atr == 0);
    portfolio_set_atr(&pf, 0, 1);
    CHECK_NEAR(br()->trail, 3, 1e-12);
    ex.trail = -1;                                    /* -1 keeps it */
    ex.stop_loss = 90;
    CHECK(cmd(ex) == 0);
    CHECK_NEAR(br()->trail, 3, 1e-12);
    CHECK_NEAR(br()->stop, 90, 1e-12);
}

int main(void)
{
    RUN(atr_trail_follows_the_atr_and_never_loosens);
    RUN(short_atr_trail_never_rises);
    RUN(fixed_trail_stays_fixed);
    RUN(exits_command_sets_either_kind);
    HARNESS_EXIT();
}
