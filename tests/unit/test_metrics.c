/* Metrics and sizing against values computed by hand on small fixed inputs. */
#include <math.h>

#include "harness.h"
#include "alphapulse/metrics.h"
#include "alphapulse/sizing.h"

static const struct trade trades[] = {
    { .sym = 0, .source = 0, .pnl = 100, .fees = 2 },
    { .sym = 0, .source = 1, .pnl = -50, .fees = 1 },
    { .sym = 1, .source = 1, .pnl = 30, .fees = 1 },
    { .sym = 1, .source = 0, .pnl = -20, .fees = 1 },
    { .sym = 0, .source = 1, .pnl = 0, .fees = 0 },
};

static void trade_metrics(void)
{
    struct metrics m;
    metrics_trades(trades, 5, -1, -1, &m);
    CHECK(m.trades == 5 && m.wins == 2 && m.losses == 2);
    CHECK_NEAR(m.win_rate, 0.4, 1e-15);                /* 2 / 5; a zero trade is no win */
    CHECK_NEAR(m.net, 60, 1e-12);
    CHECK_NEAR(m.profit_factor, 130.0 / 70.0, 1e-15);  /* (100 + 30) / (50 + 20) */
    CHECK_NEAR(m.avg_win, 65, 1e-12);
    CHECK_NEAR(m.avg_loss, -35, 1e-12);
    CHECK_NEAR(m.payoff, 65.0 / 35.0, 1e-15);
    CHECK_NEAR(m.expectancy, 12, 1e-12);               /* 60 / 5 = 0.4 x 65 + 0.4 x -35 */
    CHECK_NEAR(m.fees, 5, 1e-12);
    metrics_trades(trades, 5, 0, -1, &m);              /* symbol 0: +100, -50, 0 */
    CHECK(m.trades == 3);
    CHECK_NEAR(m.profit_factor, 2, 1e-15);
    metrics_trades(trades, 5, -1, 1, &m);              /* source 1: -50, +30, 0 */
    CHECK_NEAR(m.net, -20, 1e-12);
    CHECK_NEAR(m.win_rate, 1.0 / 3, 1e-15);
    metrics_trades(trades, 1, -1, -1, &m);             /* no losses: infinite profit factor */
    CHECK(isinf(m.profit_factor));
}

static void sharpe_and_sortino(void)
{
    /* equity 1000 -> 1010, 1000, 1020, 1010: returns
     * r = 0.01, -0.00990099, 0.02, -0.00980392; mean 0.0025737717;
     * sample sd 0.0145665; downside dev sqrt((0.00990099^2 + 0.00980392^2) / 4) = 0.00696680 */
    double eod[] = { 1010, 1000, 1020, 1010 }, r[4], sh, so;
    metrics_daily_returns(eod, 4, 1000, r);
    CHECK_NEAR(r[1], -0.0099009900990099, 1e-12);
    CHECK_NEAR(metrics_sharpe(r, 4), 3.29611955324241, 1e-12);
    CHECK_NEAR(metrics_sortino(r, 4), 7.05800155841189, 1e-12);
    metrics_ratios_eod(eod, 4, 1000, &sh, &so);
    CHECK_NEAR(sh, 3.29611955324241, 1e-12);
    CHECK_NEAR(so, 7.05800155841189, 1e-12);
    double flat[] = { 1000, 1000 };
    metrics_ratios_eod(flat, 2, 1000, &sh, &so);
    CHECK(sh == 0 && so == 0);                           /* no variance: 0, not NaN */
    /* gains every day: no downside to divide by, so Sortino is +inf, not 0 */
    double up[] = { 1010, 1020, 1030 };
    metrics_ratios_eod(up, 3, 1000, &sh, &so);
    CHECK(isinf(so) && so > 0 && sh > 0);
    metrics_daily_returns(up, 3, 1000, r);
    CHECK(isinf(metrics_sortino(r, 3)));
}

static void drawdown_duration_and_exposure(void)
{
    struct metrics_curve c = { 0 };
    /* t: 0 100 | 1 110 (peak) | 2 99 | 3 105 | 4 111 (new peak) | 5 100 */
    const double eq[] = { 100, 110, 99, 105, 111, 100 };
    const bool pos[] = { false, true, true, false, false, true };
    for (int i = 0; i < 6; i++)
        metrics_curve_push(&c, i * 1000, eq[i], pos[i]);
    CHECK_NEAR(c.max_dd, 11.0 / 110, 1e-15);             /* 110 -> 99 */
    CHECK_NEAR(c.max_dd_abs, 11, 1e-12);
    CHECK(metrics_curve_dd_duration(&c) == 3000);         /* under water from t=1 to t=4 */
    CHECK_NEAR(metrics_curve_exposure(&c), 2.0 / 5, 1e-15);   /* in a position over [1,3) of [0,5] */
}

static void sizing_methods(void)
{
    CHECK_NEAR(sizing_fraction(10000, 0.05, 50000, 1), 0.01, 1e-15);
    CHECK_NEAR(sizing_risk(10000, 0.01, 100, 95, 1), 20, 1e-12);          /* 100 / 5 */
    CHECK_NEAR(sizing_risk(10000, 0.01, 0.05, 0.045, 40000), 0.5, 1e-9);  /* BTC-quoted */
    CHECK_NEAR(sizing_atr(10000, 0.01, 2.5, 2, 1), 20, 1e-12);            /* 100 / (2 x 2.5) */
    /* Kelly: p 0.55, b 1.5 -> 0.55 - 0.45 / 1.5 = 0.25, capped at 0.2 */
    CHECK_NEAR(sizing_kelly_fraction(0.55, 1.5, 1), 0.25, 1e-15);
    CHECK_NEAR(sizing_kelly_fraction(0.55, 1.5, 0.2), 0.2, 1e-15);
    CHECK(sizing_kelly_fraction(0.3, 1, 1) == 0);                         /* negative edge: no bet */
    CHECK_NEAR(sizing_kelly(10000, 0.55, 1.5, 0.2, 100, 1), 20, 1e-12);
    CHECK(sizing_risk(10000, 0.01, 100, 100, 1) == 0);                    /* no stop distance */
    struct sizing_input in = { .method = SIZE_RISK, .param = 0.02, .equity = 5000, .price = 10, .conv = 1, .stop = 9 };
    CHECK_NEAR(sizing_qty(&in), 100, 1e-12);
    CHECK(sizing_parse("atr") == SIZE_ATR && sizing_parse("nope") == -1);
}

int main(void)
{
    RUN(trade_metrics);
    RUN(sharpe_and_sortino);
    RUN(drawdown_duration_and_exposure);
    RUN(sizing_methods);
    HARNESS_EXIT();
}
