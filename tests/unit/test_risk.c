/* Risk manager: each limit rejects exactly past its edge and says by how much;
 * reducing orders pass even when locked; daily, cooldown, drawdown and kill
 * states begin and end at the right event times. */
#include "harness.h"
#include "alphapulse/risk.h"

#define T0 1700000000000LL          /* 2023-11-14 22:13:20 UTC */
#define MIN 60000LL

static struct risk_limits L;
static struct risk_state S;
static char why[256];

static struct risk_order entry(int side, double qty, double price)
{
    return (struct risk_order){ .side = side, .qty = qty, .price = price, .conv = 1, .equity = 10000 };
}

static void setup(void)
{
    risk_limits_defaults(&L);
    risk_state_init(&S, 10000, T0);
}

static void position_limit_edge_and_amount(void)
{
    setup();
    struct risk_order o = entry(1, 10, 100);          /* 1000 = 10 % exactly */
    CHECK(risk_check(&L, &S, &o, T0, why, sizeof why) == RISK_OK);
    o.qty = 11;
    CHECK(risk_check(&L, &S, &o, T0, why, sizeof why) == RISK_REJ_POSITION);
    CHECK_MSG(strstr(why, "max position") && strstr(why, "100.00 over"), "%s", why);
    o = entry(1, 6, 100);                             /* working entries count as filled */
    o.pending_qty = 5;
    CHECK(risk_check(&L, &S, &o, T0, why, sizeof why) == RISK_REJ_POSITION);
    o = entry(-1, 11, 100);                           /* shorts too */
    CHECK(risk_check(&L, &S, &o, T0, why, sizeof why) == RISK_REJ_POSITION);
}

static void exposure_limit(void)
{
    setup();
    struct risk_order o = entry(1, 6, 100);
    o.exposure = 1500;
    CHECK(risk_check(&L, &S, &o, T0, why, sizeof why) == RISK_REJ_EXPOSURE);
    CHECK_MSG(strstr(why, "max exposure") && strstr(why, "100.00 over"), "%s", why);
    o.qty = 5;
    CHECK(risk_check(&L, &S, &o, T0, why, sizeof why) == RISK_OK);
}

/* Leverage: a perpetual's position notional up to equity x max_leverage, spot's
 * up to equity whatever max_leverage says; position and exposure limits count
 * the whole notional (not the margin), so they must be raised to reach it. */
static void leverage_caps_perpetuals_and_spot_is_cash_only(void)
{
    setup();
    L.max_position = L.max_exposure = 5;
    struct risk_order o = entry(1, 200, 100);        /* 20000 = 2x equity */
    o.perp = true;
    CHECK(risk_check(&L, &S, &o, T0, why, sizeof why) == RISK_REJ_LEVERAGE);   /* default 1x */
    CHECK_MSG(strstr(why, "max leverage") && strstr(why, "2.00x equity, limit 1x (paper.max_leverage)") &&
              strstr(why, "10000.00 over"), "%s", why);
    L.max_leverage = 3;
    CHECK(risk_check(&L, &S, &o, T0, why, sizeof why) == RISK_OK);
    o.qty = 300;                                     /* exactly 3x */
    CHECK(risk_check(&L, &S, &o, T0, why, sizeof why) == RISK_OK);
    o.qty = 301;
    CHECK(risk_check(&L, &S, &o, T0, why, sizeof why) == RISK_REJ_LEVERAGE);
    CHECK_MSG(strstr(why, "3.01x equity, limit 3x") && strstr(why, "100.00 over"), "%s", why);
    o = entry(-1, 150, 100);                         /* a short, with a position and a working entry */
    o.perp = true;
    o.pos_qty = -100;
    o.pending_qty = -60;                             /* 310 short: 3.1x */
    CHECK(risk_check(&L, &S, &o, T0, why, sizeof why) == RISK_REJ_LEVERAGE);
    o.pending_qty = -50;
    CHECK(risk_check(&L, &S, &o, T0, why, sizeof why) == RISK_OK);
    o = entry(1, 101, 100);                          /* spot: 1x whatever max_leverage says */
    CHECK(risk_check(&L, &S, &o, T0, why, sizeof why) == RISK_REJ_LEVERAGE);
    CHECK_MSG(strstr(why, "1.01x equity, limit 1x (spot is cash-only)"), "%s", why);
    o.qty = 100;
    CHECK(risk_check(&L, &S, &o, T0, why, sizeof why) == RISK_OK);
    o = entry(1, 200, 100);                          /* the limits count notional: 2x passes leverage ... */
    o.perp = true;
    L.max_position = 1.5;
    CHECK(risk_check(&L, &S, &o, T0, why, sizeof why) == RISK_REJ_POSITION);
    CHECK_MSG(strstr(why, "20000.00 is 200.0% of equity"), "%s", why);
    L.max_position = 5;
    o.exposure = 20000;                              /* ... and another 2x already held */
    CHECK(risk_check(&L, &S, &o, T0, why, sizeof why) == RISK_OK);
    o.exposure = 30001;
    CHECK(risk_check(&L, &S, &o, T0, why, sizeof why) == RISK_REJ_EXPOSURE);
    o = entry(-1, 300, 100);                         /* reducing a 4x long (leverage fell) passes */
    o.perp = true;
    o.pos_qty = 400;
    CHECK(risk_check(&L, &S, &o, T0, why, sizeof why) == RISK_OK);
}

static void risk_per_trade_needs_the_stop_distance(void)
{
    setup();
    struct risk_order o = entry(1, 5, 100);
    o.stop = 80;                                     /* 5 x 20 = 100 = 1 % */
    CHECK(risk_check(&L, &S, &o, T0, why, sizeof why) == RISK_OK);
    o.stop = 79;                                     /* 105: 5 over */
    CHECK(risk_check(&L, &S, &o, T0, why, sizeof why) == RISK_REJ_PER_TRADE);
    CHECK_MSG(strstr(why, "5.00 over"), "%s", why);
    o.stop = 101;                                    /* a long's stop above the entry */
    CHECK(risk_check(&L, &S, &o, T0, why, sizeof why) == RISK_REJ_NO_STOP);
    L.require_stop = true;
    o.stop = 0;
    CHECK(risk_check(&L, &S, &o, T0, why, sizeof why) == RISK_REJ_NO_STOP);
}

static void reducing_always_passes(void)
{
    setup();
    risk_kill(&S, T0);
    struct risk_order o = entry(-1, 3, 100);
    o.pos_qty = 3;
    CHECK(risk_check(&L, &S, &o, T0, why, sizeof why) == RISK_OK);
    o.qty = 4;                                       /* a reversal is an entry: locked */
    CHECK(risk_check(&L, &S, &o, T0, why, sizeof why) == RISK_REJ_LOCKED);
    CHECK_MSG(strstr(why, "kill switch") && strstr(why, ":unlock"), "%s", why);
}

static void daily_loss_until_midnight_utc(void)
{
    setup();
    int64_t t = T0 + 10 * MIN;
    CHECK(!(risk_on_equity(&L, &S, 9501, t) & RISK_EV_DAILY_HIT));
    CHECK(risk_on_equity(&L, &S, 9500, t) & RISK_EV_DAILY_HIT);      /* 5 % of 10000 */
    struct risk_order o = entry(1, 1, 100);
    CHECK(risk_check(&L, &S, &o, t, why, sizeof why) == RISK_REJ_DAILY);
    CHECK_MSG(strstr(why, "00:00 UTC"), "%s", why);
    int64_t midnight = risk_next_day(t);
    CHECK(midnight == 1700006400000LL);             /* 2023-11-15 00:00 UTC */
    CHECK(risk_check(&L, &S, &o, midnight - 1, why, sizeof why) == RISK_REJ_DAILY);
    CHECK(risk_on_equity(&L, &S, 9500, midnight) & RISK_EV_DAY);
    CHECK_NEAR(S.day_start_equity, 9500, 1e-12);
    CHECK(risk_check(&L, &S, &o, midnight, why, sizeof why) == RISK_OK);
}

static void three_losses_cool_down_for_an_hour(void)
{
    setup();
    risk_on_trade(&L, &S, -10, T0);
    risk_on_trade(&L, &S, 5, T0);                    /* a win resets the streak */
    risk_on_trade(&L, &S, -10, T0);
    risk_on_trade(&L, &S, -10, T0);
    CHECK(S.cooldown_until == 0);
    CHECK(risk_on_trade(&L, &S, -10, T0) & RISK_EV_COOLDOWN);
    struct risk_order o = entry(1, 1, 100);
    CHECK(risk_check(&L, &S, &o, T0 + 59 * MIN, why, sizeof why) == RISK_REJ_COOLDOWN);
    CHECK_MSG(strstr(why, "1 min left"), "%s", why);
    CHECK(risk_check(&L, &S, &o, T0 + 60 * MIN, why, sizeof why) == RISK_OK);
}

static void drawdown_locks_until_typed_unlock(void)
{
    setup();
    risk_on_equity(&L, &S, 12000, T0);
    CHECK(!(risk_on_equity(&L, &S, 10201, T0 + MIN) & RISK_EV_DD_LOCK));
    CHECK(risk_on_equity(&L, &S, 10200, T0 + 2 * MIN) & RISK_EV_DD_LOCK);   /* 15 % of 12000 */
    struct risk_order o = entry(1, 1, 100);
    CHECK(risk_check(&L, &S, &o, T0 + 3 * MIN, why, sizeof why) == RISK_REJ_LOCKED);
    CHECK(risk_check(&L, &S, &o, T0 + 3000 * MIN, why, sizeof why) == RISK_REJ_LOCKED);  /* time does not unlock */
    CHECK(risk_unlock(&S, "unlock", 10200, T0) != 0);
    CHECK(risk_unlock(&S, "UNLOCK", 10200, T0) == 0);
    CHECK_NEAR(S.peak_equity, 10200, 1e-12);
    CHECK(risk_check(&L, &S, &o, T0 + 3000 * MIN, why, sizeof why) == RISK_OK);
}

static void blackout_window_and_counts(void)
{
    setup();
    L.n_blackouts = 1;
    L.blackout[0] = (struct risk_blackout){ .time = T0 + 120 * MIN, .margin = 30 * MIN, .label = "CPI" };
    struct risk_order o = entry(1, 1, 100);
    CHECK(risk_check(&L, &S, &o, T0 + 89 * MIN, why, sizeof why) == RISK_OK);
    CHECK(risk_check(&L, &S, &o, T0 + 90 * MIN, why, sizeof why) == RISK_REJ_BLACKOUT);
    CHECK_MSG(strstr(why, "CPI"), "%s", why);
    CHECK(risk_check(&L, &S, &o, T0 + 151 * MIN, why, sizeof why) == RISK_OK);
    CHECK(risk_next_blackout(&L, T0) == 0);
    CHECK(risk_next_blackout(&L, T0 + 151 * MIN) == -1);
    o.open_positions = 5;
    CHECK(risk_check(&L, &S, &o, T0, why, sizeof why) == RISK_REJ_POSITIONS);
    o.open_positions = 0;
    o.orders_symbol = 4;
    CHECK(risk_check(&L, &S, &o, T0, why, sizeof why) == RISK_REJ_ORDERS);
}

int main(void)
{
    RUN(position_limit_edge_and_amount);
    RUN(exposure_limit);
    RUN(leverage_caps_perpetuals_and_spot_is_cash_only);
    RUN(risk_per_trade_needs_the_stop_distance);
    RUN(reducing_always_passes);
    RUN(daily_loss_until_midnight_utc);
    RUN(three_losses_cool_down_for_an_hour);
    RUN(drawdown_locks_until_typed_unlock);
    RUN(blackout_window_and_counts);
    HARNESS_EXIT();
}
