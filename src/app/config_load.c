/* Finding and loading the configuration for a mode: --config FILE, else
 * $XDG_CONFIG_HOME/alphapulse/config.json when it exists, else built-in defaults.
 * Every problem is printed; an invalid file stops the program (exit 2). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alphapulse/app.h"
#include "alphapulse/config.h"
#include "alphapulse/paths.h"
#include "alphapulse/risk.h"

int app_config_load(const struct cli *cli, struct config *cfg)
{
    config_defaults(cfg);
    char path[1024];
    const char *file = cli->config;
    if (!file) {
        const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
        if (xdg && *xdg)
            snprintf(path, sizeof path, "%s/alphapulse/config.json", xdg);
        else if (home && *home)
            snprintf(path, sizeof path, "%s/.config/alphapulse/config.json", home);
        else
            path[0] = 0;
        if (path[0] && access(path, F_OK) == 0)
            file = path;
    }
    if (file) {
        static struct config_errors errs;
        if (config_load(cfg, file, &errs)) {
            for (int i = 0; i < errs.n; i++)
                fprintf(stderr, "alphapulse: %s\n", errs.msg[i]);
            fprintf(stderr, "alphapulse: %s: %d problem%s; not starting\n", file, errs.n, errs.n == 1 ? "" : "s");
            return 2;
        }
    }
    for (int i = 0; i < cli->n_sets; i++) {
        char err[400];
        const char *eq = strchr(cli->sets[i], '=');
        char key[256];
        if (!eq) {
            fprintf(stderr, "alphapulse: --set %s: expected key=value\n", cli->sets[i]);
            return 2;
        }
        snprintf(key, sizeof key, "%.*s", (int)(eq - cli->sets[i]), cli->sets[i]);
        if (config_set(cfg, key, eq + 1, CFG_SRC_CLI, err, sizeof err)) {
            fprintf(stderr, "alphapulse: --set %s\n", err);
            return 2;
        }
    }
    if (cli->check_config) {
        config_print(cfg, stdout);
        return 0;
    }
    return -1;
}

void app_ta_params(const struct config_analysis *a, struct ta_params *p)
{
    *p = (struct ta_params){ .sma = a->sma_period, .ema = a->ema_period, .wma = a->wma_period,
                             .rsi = a->rsi_period, .macd_fast = a->macd_fast, .macd_slow = a->macd_slow,
                             .macd_signal = a->macd_signal, .bb_period = a->bb_period,
                             .bb_stddev = a->bb_stddev, .atr = a->atr_period,
                             .volume_sma = a->volume_sma_period };
}

void app_engine_config(const struct config *c, struct engine_config *ec)
{
    snprintf(ec->account_ccy, sizeof ec->account_ccy, "%s", c->paper.currency);
    ec->balance = c->paper.balance;
    ec->fee_bps = c->paper.fee_bps;
    ec->maker_bps = c->paper.maker_fee_bps;
    ec->slip_bps = c->paper.slippage_bps;
    ec->slip_range = c->paper.slippage_range;
    ec->order_notional = c->paper.order_notional;
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
