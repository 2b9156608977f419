/* The engine's settings from a configuration file: the account (costs, sizing,
 * risk limits) and, per symbol, its profile: the rows below place each setting
 * straight into what the engine uses (struct engine_profile), so the
 * configuration reads, checks, prints and sets them with no copy in between. */
#include "alphapulse/engine.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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

/* position and exposure limits count notional; above 1 only a perpetual under
 * paper.max_leverage reaches them (spot is cash-only) */
#define NOTIONAL_LIMIT "a multiple of equity in notional, > 0 and <= 100 (0.10 = 10 %; above 1: leveraged perpetuals)"

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
    P("signals.max_cost_r", &config_double, p.signal.max_cost_r, 0, 1000, true,
      "a round-trip cost in R, > 0 (fees and slippage over the stop distance; 1000: no gate)"),
    P("signals.min_confidence", &config_double, p.signal.min_confidence, 0, 1, false,
      "a calibrated probability of reaching 1 R before the stop, 0 to 1"),
    P("signals.atr_stop", &config_double, p.signal.atr_stop, 0, 20, true, "a stop distance in ATRs, > 0 and <= 20"),
    P("signals.expiry_candles", &config_int, p.signal.expiry_candles, 1, 10000, false, "1 to 10000 candles"),
    P("signals.max_per_symbol", &config_int, p.signal.max_per_symbol, 0, SIGNAL_QUEUE_MAX, false,
      "open signals of one symbol in the queue, 0 (no cap) to 64"),
    P("signals.max_age_candles", &config_int, p.signal.max_age_candles, 0, 10000, false,
      "1m candles behind the live edge before a candle is history, 0 to 10000"),
    P("signals.max_chase_r", &config_double, p.signal.max_chase_r, 0, 20, true,
      "how far price may move from a signal's entry before it goes stale, in R, > 0 and <= 20"),
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
    P("regimes.trend_direction", &config_bool, p.signal.regime.trend_direction, 0, 0, false, "true or false"),
    P("regimes.chop_atr_pct", &config_double, p.signal.regime.chop_atr_pct, 0, 1, false, "an ATR percentile of 0 to 1"),
    /* the per-symbol part of the risk section: same paths as the top-level fields */
    P("risk.risk_per_trade", &config_double, p.risk.risk_per_trade, 0, 1, true, "a fraction of equity, > 0 and <= 1 (0.01 = 1 %)"),
    P("risk.max_position", &config_double, p.risk.max_position, 0, 100, true, NOTIONAL_LIMIT),
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

/* ---- the account's risk section: rows straight into struct risk_limits ---------- */

/* A duration written in minutes, kept in milliseconds. */
static bool parse_minutes(struct config_load *x, const struct config_field *f, void *dst, const char *path, json_t *v)
{
    double m;
    struct config_field g = *f;
    g.size = sizeof m;
    if (!config_double.parse(x, &g, &m, path, v))
        return false;
    *(int64_t *)dst = (int64_t)(m * 60000);
    return true;
}

static void print_minutes(FILE *out, const struct config_field *f, const void *src, const struct config_vocab *vb)
{
    (void)f, (void)vb;
    fprintf(out, "%.10g", (double)*(const int64_t *)src / 60000);
}

static const struct config_type minutes_type = { parse_minutes, print_minutes, NULL };

/* risk.blackouts: [{"time": "2024-12-18T19:00Z", "margin_min": 30, "label": "FOMC"}, ...] */
static bool parse_blackouts(struct config_load *x, const struct config_field *f, void *dst, const char *path, json_t *v)
{
    struct risk_limits *rk = (struct risk_limits *)((char *)dst - offsetof(struct risk_limits, n_blackouts));
    if (!json_is_array(v) || json_array_size(v) > RISK_MAX_BLACKOUTS) {
        config_error(x, path, "expected %s, got %s", f->expect, json_is_array(v) ? "a longer list" : config_json_kind(v));
        return false;
    }
    struct risk_blackout b[RISK_MAX_BLACKOUTS];
    bool ok = true;
    size_t i;
    json_t *it;
    int n = 0;
    json_array_foreach(v, i, it) {
        char ip[300];
        snprintf(ip, sizeof ip, "%s[%zu]", path, i);
        json_t *t = json_object_get(it, "time"), *mg = json_object_get(it, "margin_min"),
               *lb = json_object_get(it, "label");
        int64_t when;
        if (!json_is_object(it) || !json_is_string(t) || config_parse_time(json_string_value(t), &when) ||
            (mg && (!json_is_number(mg) || json_number_value(mg) < 0 || json_number_value(mg) > 1440)) ||
            (lb && !json_is_string(lb)) || json_object_size(it) != (size_t)(1 + !!mg + !!lb)) {
            config_error(x, ip, "expected {\"time\": \"2024-12-18T19:00Z\", \"margin_min\": 0..1440, \"label\": \"FOMC\"}");
            ok = false;
            continue;
        }
        b[n].time = when;
        b[n].margin = (int64_t)((mg ? json_number_value(mg) : 30) * 60000);
        snprintf(b[n].label, sizeof b[n].label, "%s", lb ? json_string_value(lb) : "blackout");
        n++;
    }
    if (!ok)
        return false;
    rk->n_blackouts = n;
    memcpy(rk->blackout, b, sizeof b[0] * (size_t)n);
    return true;
}

static void print_blackouts(FILE *out, const struct config_field *f, const void *src, const struct config_vocab *vb)
{
    (void)f, (void)vb;
    const struct risk_limits *rk = (const struct risk_limits *)((const char *)src - offsetof(struct risk_limits, n_blackouts));
    fputc('[', out);
    for (int i = 0; i < rk->n_blackouts; i++) {
        char when[32];
        time_t t = (time_t)(rk->blackout[i].time / 1000);
        struct tm tm;
        gmtime_r(&t, &tm);
        strftime(when, sizeof when, "%Y-%m-%dT%H:%MZ", &tm);
        fprintf(out, "%s{\"time\": \"%s\", \"margin_min\": %g, \"label\": \"%s\"}", i ? ", " : "", when,
                (double)rk->blackout[i].margin / 60000, rk->blackout[i].label);
    }
    fputc(']', out);
}

static const struct config_type blackouts_type = { parse_blackouts, print_blackouts, NULL };

#define R(p, t, m, lo, hi, open, ex) \
    { p, t, offsetof(struct risk_limits, m), sizeof(((struct risk_limits *)0)->m), lo, hi, open, false, ex, NULL }
static const struct config_field RISK_ROWS[] = {
    R("risk.risk_per_trade", &config_double, risk_per_trade, 0, 1, true, "a fraction of equity, > 0 and <= 1 (0.01 = 1 %)"),
    R("risk.max_position", &config_double, max_position, 0, 100, true, NOTIONAL_LIMIT),
    R("risk.max_exposure", &config_double, max_exposure, 0, 100, true, NOTIONAL_LIMIT),
    R("risk.daily_loss", &config_double, daily_loss, 0, 1, true, "a fraction of equity, > 0 and <= 1"),
    R("risk.max_drawdown", &config_double, max_drawdown, 0, 1, true, "a fraction of peak equity, > 0 and <= 1"),
    R("risk.loss_streak", &config_int, loss_streak, 0, 1000, false, "losing trades before a cooldown, 0 to 1000 (0: never)"),
    R("risk.cooldown_min", &minutes_type, cooldown_ms, 0, 10080, false, "minutes, 0 to 10080"),
    R("risk.max_positions", &config_int, max_positions, 1, 1000, false, "open positions, 1 to 1000"),
    R("risk.max_orders_symbol", &config_int, max_orders_symbol, 1, 1000, false, "working orders per symbol, 1 to 1000"),
    R("risk.require_stop", &config_bool, require_stop, 0, 0, false, "true or false"),
    R("risk.blackouts", &blackouts_type, n_blackouts, 0, RISK_MAX_BLACKOUTS, false,
      "a list of at most 16 {\"time\": \"2024-12-18T19:00Z\", \"margin_min\": 30, \"label\": \"FOMC\"}"),
};

static void risk_defaults(void *data) { risk_limits_defaults(data); }

const struct config_section engine_risk_section = {
    .name = "risk", .fields = RISK_ROWS, .n_fields = (int)(sizeof RISK_ROWS / sizeof RISK_ROWS[0]),
    .size = sizeof(struct risk_limits), .defaults = risk_defaults,
};

void engine_config_defaults(struct engine_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    snprintf(cfg->account_ccy, sizeof cfg->account_ccy, "USDT");
    cfg->balance = 10000;
    cfg->fee_bps = 10;
    cfg->history = ENGINE_HISTORY;
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
    /* a signal's cost in R comes from the account's costs: taker fee and slippage, both sides */
    out->signal.cost_frac = 2 * (c->paper.fee_bps + c->paper.slippage_bps) / 1e4;
    out->own_risk = true;
}

void engine_config_from_file(const struct config *c, struct engine_config *ec)
{
    ec->file = c;
    ec->max_symbols = c->feed.max_symbols;
    snprintf(ec->account_ccy, sizeof ec->account_ccy, "%s", c->paper.currency);
    ec->balance = c->paper.balance;
    ec->fee_bps = c->paper.fee_bps;
    ec->maker_bps = c->paper.maker_fee_bps;
    ec->slip_bps = c->paper.slippage_bps;
    ec->slip_range = c->paper.slippage_range;
    ec->order_notional = c->paper.order_notional;
    ec->store_trades = c->storage.trades;
    int m = sizing_parse(c->paper.sizing_method);
    ec->size_method = m >= 0 ? m : SIZE_FRACTION;
    ec->size_value = c->paper.sizing_value;
    const struct risk_limits *r = config_section_const(c, "risk");
    if (r)
        ec->risk = *r;
    ec->risk.max_leverage = c->paper.max_leverage;
}
