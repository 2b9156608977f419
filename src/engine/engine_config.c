/* The engine's settings from a configuration file: the account (costs, sizing,
 * risk limits) and, per symbol, what its profile sets in each module (indicator
 * periods, patterns, regime thresholds, voters, signal rules, risk limits). */
#include "alphapulse/engine.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alphapulse/sizing.h"
#include "alphapulse/voters.h"

_Static_assert(CONFIG_VOTERS == VOTER_COUNT, "the configuration names every voter");

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

static void ta_params_of(const struct config_analysis *a, struct ta_params *p)
{
    *p = (struct ta_params){ .sma = a->sma_period, .ema = a->ema_period, .wma = a->wma_period,
                             .rsi = a->rsi_period, .macd_fast = a->macd_fast, .macd_slow = a->macd_slow,
                             .macd_signal = a->macd_signal, .bb_period = a->bb_period,
                             .bb_stddev = a->bb_stddev, .atr = a->atr_period,
                             .volume_sma = a->volume_sma_period };
}

/* A profile's signals and regimes sections over the signal engine's defaults. */
static void signal_params_of(const struct config_profile *c, struct signal_params *p)
{
    signal_params_default(p);
    const struct config_signals *s = &c->signals;
    p->threshold = s->threshold;
    p->trigger_min = s->trigger_min;
    p->min_rr = s->min_rr;
    p->max_cost_r = s->max_cost_r;
    p->min_confidence = s->min_confidence;
    p->atr_stop = s->atr_stop;
    p->min_voters = s->min_voters;
    p->expiry_candles = s->expiry_candles;
    p->require_htf = s->require_htf;
    p->timeframes = s->timeframes;
    p->voters = s->voters;
    memcpy(p->tp_r, s->targets_r, sizeof p->tp_r);
    for (int v = 0; v < VOTER_COUNT; v++) {
        double pr = p->prior[v] * s->weight[v];
        p->prior[v] = pr < 0.01 ? 0.01 : pr > 0.99 ? 0.99 : pr;
    }
    const struct config_regimes *r = &c->regimes;
    p->regime.lookback = r->lookback;
    p->regime.hold = r->hold;
    p->regime.adx_strong = r->adx_strong;
    p->regime.trend_strong = r->trend_strong;
    p->regime.trend_weak = r->trend_weak;
    p->regime.breakout_atr_pct = r->breakout_atr_pct;
    p->regime.breakout_bw_pct = r->breakout_bw_pct;
    p->regime.chop_atr_pct = r->chop_atr_pct;
}

void engine_profile_resolve(const struct config *c, const char *symbol, struct engine_profile *out)
{
    memset(out, 0, sizeof *out);
    if (!c) {
        ta_params_default(&out->ta);
        signal_params_default(&out->signal);
        out->patterns = ~0ull;
        return;
    }
    struct config_profile prof;
    config_profile_for(c, symbol, &prof);
    ta_params_of(&prof.analysis, &out->ta);
    signal_params_of(&prof, &out->signal);
    /* a signal's cost in R comes from the account's costs: taker fee and slippage, both sides */
    out->signal.cost_frac = 2 * (c->paper.fee_bps + c->paper.slippage_bps) / 1e4;
    out->patterns = config_patterns_in_use(&prof.patterns);
    out->own_risk = true;
    out->risk = (struct risk_symbol_limits){ prof.risk.risk_per_trade, prof.risk.max_position,
                                             prof.risk.max_orders_symbol, prof.risk.require_stop };
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
