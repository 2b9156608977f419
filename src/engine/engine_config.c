/* The engine's settings from a configuration file: the account (costs, sizing,
 * risk limits) and, per symbol, its profile: the rows below place each setting
 * straight into what the engine uses (struct engine_profile), so the
 * configuration reads, checks, prints and sets them with no copy in between. */
#include "alphapulse/engine.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alphapulse/sizing.h"
#include "alphapulse/voters.h"

/* A profile as configured: what the engine uses, plus what resolves into it
 * (voter weights scale the built-in priors; patterns in use = enabled - disabled). */
struct profile_rows {
    struct engine_profile p;
    double weight[VOTER_COUNT];
    uint64_t patterns_enabled, patterns_disabled;
};

static const char *const VOTER_NAMES[] = { "pattern", "trend", "momentum", "volatility", "volume", "confluence",
                                           "regime", NULL };
static const struct config_names VOTERS = { "voter", VOTER_NAMES };
_Static_assert(sizeof VOTER_NAMES / sizeof VOTER_NAMES[0] == VOTER_COUNT + 1, "every voter has its name");

#define PA(p, t, m, lo, hi, open, ex, arg) \
    { p, t, offsetof(struct profile_rows, m), sizeof(((struct profile_rows *)0)->m), lo, hi, open, false, ex, arg }
#define P(p, t, m, lo, hi, open, ex) PA(p, t, m, lo, hi, open, ex, NULL)

static const struct config_field ROWS[] = {
    P("analysis.sma_period", &config_int, p.ta.sma, 2, 512, false, "a period of 2 to 512 candles"),
    P("analysis.ema_period", &config_int, p.ta.ema, 2, 512, false, "a period of 2 to 512 candles"),
    P("analysis.wma_period", &config_int, p.ta.wma, 2, 512, false, "a period of 2 to 512 candles"),
    P("analysis.rsi_period", &config_int, p.ta.rsi, 2, 512, false, "a period of 2 to 512 candles"),
    P("analysis.macd_fast", &config_int, p.ta.macd_fast, 2, 512, false, "a period of 2 to 512, below macd_slow"),
    P("analysis.macd_slow", &config_int, p.ta.macd_slow, 2, 512, false, "a period of 2 to 512, above macd_fast"),
    P("analysis.macd_signal", &config_int, p.ta.macd_signal, 1, 512, false, "a period of 1 to 512 candles"),
    P("analysis.bb_period", &config_int, p.ta.bb_period, 2, 512, false, "a period of 2 to 512 candles"),
    P("analysis.bb_stddev", &config_double, p.ta.bb_stddev, 0, 10, true, "a band width in standard deviations, > 0 and <= 10"),
    P("analysis.atr_period", &config_int, p.ta.atr, 1, 512, false, "a period of 1 to 512 candles"),
    P("analysis.volume_sma_period", &config_int, p.ta.volume_sma, 2, 512, false, "a period of 2 to 512 candles"),
    P("signals.threshold", &config_double, p.signal.threshold, 0, 1, true, "a weighted confidence > 0 and <= 1"),
    P("signals.trigger_min", &config_double, p.signal.trigger_min, 0, 1, true, "a confidence > 0 and <= 1"),
    P("signals.min_voters", &config_int, p.signal.min_voters, 1, 7, false, "1 to 7 agreeing voters"),
    P("signals.require_htf", &config_bool, p.signal.require_htf, 0, 0, false, "true or false"),
    P("signals.min_rr", &config_double, p.signal.min_rr, 0, 20, false, "a reward/risk to tp2 of 0 to 20"),
    P("signals.atr_stop", &config_double, p.signal.atr_stop, 0, 20, true, "a stop distance in ATRs, > 0 and <= 20"),
    P("signals.expiry_candles", &config_int, p.signal.expiry_candles, 1, 10000, false, "1 to 10000 candles"),
    P("signals.targets_r", &config_targets, p.signal.tp_r, 0, 20, true,
      "four rising multiples of the risk for tp1..tp4, each > 0 and <= 20, such as [1, 2, 3, 4]"),
    P("signals.timeframes", &config_timeframes, p.signal.timeframes, 0, 0, false,
      "a list of the timeframes signals are raised on, from 1m, 5m, 15m, 1h, 4h, 1d"),
    PA("signals.voters", &config_voters, p.signal.voters, 0, 0, false,
       "a list of voters from pattern, trend, momentum, volatility, volume, confluence, regime", &VOTERS),
    P("signals.weights.pattern", &config_double, weight[0], 0, 4, true, "a multiple of the built-in prior, > 0 and <= 4"),
    P("signals.weights.trend", &config_double, weight[1], 0, 4, true, "a multiple of the built-in prior, > 0 and <= 4"),
    P("signals.weights.momentum", &config_double, weight[2], 0, 4, true, "a multiple of the built-in prior, > 0 and <= 4"),
    P("signals.weights.volatility", &config_double, weight[3], 0, 4, true, "a multiple of the built-in prior, > 0 and <= 4"),
    P("signals.weights.volume", &config_double, weight[4], 0, 4, true, "a multiple of the built-in prior, > 0 and <= 4"),
    P("signals.weights.confluence", &config_double, weight[5], 0, 4, true, "a multiple of the built-in prior, > 0 and <= 4"),
    P("signals.weights.regime", &config_double, weight[6], 0, 4, true, "a multiple of the built-in prior, > 0 and <= 4"),
    P("patterns.enabled", &config_patterns, patterns_enabled, 0, 0, false,
      "a list of candlestick pattern names such as \"CDLDOJI\" or \"hammer\", or [\"all\"]"),
    P("patterns.disabled", &config_patterns, patterns_disabled, 0, 0, false,
      "a list of candlestick pattern names such as \"CDLDOJI\" or \"hammer\""),
    P("regimes.lookback", &config_int, p.signal.regime.lookback, 20, 512, false, "a percentile window of 20 to 512 candles"),
    P("regimes.hold", &config_int, p.signal.regime.hold, 1, 500, false, "candles a new regime must hold, 1 to 500"),
    P("regimes.adx_strong", &config_double, p.signal.regime.adx_strong, 5, 100, false, "an ADX level of 5 to 100"),
    P("regimes.trend_strong", &config_double, p.signal.regime.trend_strong, 0, 1.5, true, "a trend score > 0 and <= 1.5"),
    P("regimes.trend_weak", &config_double, p.signal.regime.trend_weak, 0, 1.5, true, "a trend score > 0 and <= 1.5"),
    P("regimes.breakout_atr_pct", &config_double, p.signal.regime.breakout_atr_pct, 0, 1, false, "an ATR percentile of 0 to 1"),
    P("regimes.breakout_bw_pct", &config_double, p.signal.regime.breakout_bw_pct, 0, 1, false, "a bandwidth percentile of 0 to 1"),
    P("regimes.chop_atr_pct", &config_double, p.signal.regime.chop_atr_pct, 0, 1, false, "an ATR percentile of 0 to 1"),
    /* the per-symbol part of the risk section: same paths as the top-level fields */
    P("risk.risk_per_trade", &config_double, p.risk.risk_per_trade, 0, 1, true, "a fraction of equity, > 0 and <= 1 (0.01 = 1 %)"),
    P("risk.max_position", &config_double, p.risk.max_position, 0, 1, true, "a fraction of equity, > 0 and <= 1"),
    P("risk.max_orders_symbol", &config_int, p.risk.max_orders_symbol, 1, 1000, false, "working orders per symbol, 1 to 1000"),
    P("risk.require_stop", &config_bool, p.risk.require_stop, 0, 0, false, "true or false"),
};
#define N_ROWS (int)(sizeof ROWS / sizeof ROWS[0])
_Static_assert(N_ROWS <= CONFIG_PROFILE_FIELDS && sizeof(struct profile_rows) <= CONFIG_PROFILE_BYTES,
               "the configuration has room for a profile");

static void profile_defaults(void *data)
{
    struct profile_rows *r = data;
    memset(r, 0, sizeof *r);
    ta_params_default(&r->p.ta);
    signal_params_default(&r->p.signal);
    for (int v = 0; v < VOTER_COUNT; v++)
        r->weight[v] = 1;
    r->patterns_enabled = ~0ull;
}

/* Rules across fields of one effective profile; where is its path prefix. */
static void profile_check(struct config_load *x, const void *data, const char *where)
{
    const struct profile_rows *r = data;
    const struct ta_params *ta = &r->p.ta;
    const struct signal_params *sg = &r->p.signal;
    char path[200];
    if (ta->macd_fast >= ta->macd_slow) {
        snprintf(path, sizeof path, "%sanalysis.macd_fast", where);
        config_error(x, path, "fast period %d must be below the slow period %d", ta->macd_fast, ta->macd_slow);
    }
    int on = __builtin_popcount(sg->voters);
    if (on < sg->min_voters) {
        snprintf(path, sizeof path, "%ssignals.voters", where);
        if (!config_load_has(x, path))
            snprintf(path, sizeof path, "%ssignals.min_voters", where);
        config_error(x, path, "%d voter%s enabled but signals.min_voters needs %d to agree", on, on == 1 ? "" : "s",
                     sg->min_voters);
    }
    if (sg->tp_r[1] < sg->min_rr) {
        snprintf(path, sizeof path, "%ssignals.targets_r", where);
        if (!config_load_has(x, path))
            snprintf(path, sizeof path, "%ssignals.min_rr", where);
        config_error(x, path, "tp2 at %g R is below signals.min_rr %g: no signal could pass", sg->tp_r[1], sg->min_rr);
    }
}

const struct config_profile_schema engine_profile_schema = {
    .fields = ROWS, .n_fields = N_ROWS, .size = sizeof(struct profile_rows),
    .defaults = profile_defaults, .check = profile_check,
};

void engine_config_defaults(struct engine_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    snprintf(cfg->account_ccy, sizeof cfg->account_ccy, "USDT");
    cfg->balance = 10000;
    cfg->fee_bps = 10;
    cfg->history = SNAP_CANDLES;
    cfg->order_notional = 500;        /* 5 % of the default balance: inside the 10 % position limit */
    cfg->size_method = SIZE_FRACTION;
    cfg->size_value = 0.05;
    cfg->maker_bps = 2;
    cfg->slip_bps = 1;
    risk_limits_defaults(&cfg->risk);
}

void engine_profile_resolve(const struct config *c, const char *symbol, struct engine_profile *out)
{
    struct profile_rows r;
    if (!c || config_profile_for(c, symbol, &r) != sizeof r) {
        profile_defaults(&r);
        *out = r.p;
        out->patterns = ~0ull;
        return;
    }
    *out = r.p;
    out->patterns = r.patterns_enabled & ~r.patterns_disabled;
    for (int v = 0; v < VOTER_COUNT; v++) {
        double pr = r.p.signal.prior[v] * r.weight[v];
        out->signal.prior[v] = pr < 0.01 ? 0.01 : pr > 0.99 ? 0.99 : pr;
    }
    out->own_risk = true;
}

void engine_config_from_file(const struct config *c, struct engine_config *ec)
{
    ec->file = c;
    snprintf(ec->account_ccy, sizeof ec->account_ccy, "%s", c->paper.currency);
    ec->balance = c->paper.balance;
    ec->fee_bps = c->paper.fee_bps;
    ec->maker_bps = c->paper.maker_fee_bps;
    ec->slip_bps = c->paper.slippage_bps;
    ec->slip_range = c->paper.slippage_range;
    ec->order_notional = c->paper.order_notional;
    int m = sizing_parse(c->paper.sizing_method);
    ec->size_method = m >= 0 ? m : SIZE_FRACTION;
    ec->size_value = c->paper.sizing_value;
    const struct config_risk *r = &c->risk;
    struct risk_limits *l = &ec->risk;
    l->risk_per_trade = r->risk_per_trade;
    l->max_position = r->max_position;
    l->max_exposure = r->max_exposure;
    l->daily_loss = r->daily_loss;
    l->max_drawdown = r->max_drawdown;
    l->loss_streak = r->loss_streak;
    l->cooldown_ms = (int64_t)(r->cooldown_min * 60000);
    l->max_positions = r->max_positions;
    l->max_orders_symbol = r->max_orders_symbol;
    l->require_stop = r->require_stop;
    l->n_blackouts = r->n_blackouts < RISK_MAX_BLACKOUTS ? r->n_blackouts : RISK_MAX_BLACKOUTS;
    for (int i = 0; i < l->n_blackouts; i++) {
        l->blackout[i].time = r->blackout[i].time;
        l->blackout[i].margin = (int64_t)(r->blackout[i].margin_min * 60000);
        snprintf(l->blackout[i].label, sizeof l->blackout[i].label, "%s", r->blackout[i].label);
    }
}
