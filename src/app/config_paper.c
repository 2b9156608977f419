/* The paper-account part of the configuration file. */
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "alphapulse/config.h"

static int bad(char *err, size_t n, const char *path, const char *what)
{
    snprintf(err, n, "%s: %s", path, what);
    return -1;
}

int config_parse_time(const char *s, int64_t *out)
{
    struct tm tm = { 0 };
    int y, mo, d, h = 0, mi = 0, sec = 0;
    char tail[8] = "";
    int k = sscanf(s, "%d-%d-%dT%d:%d:%d%7s", &y, &mo, &d, &h, &mi, &sec, tail);
    if (k < 3 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 60)
        return -1;
    if (k == 3 && strlen(s) != 10)
        return -1;
    if (k == 5) {                      /* HH:MM then maybe Z */
        const char *z = strrchr(s, ':');
        if (z && z[3] && strcmp(z + 3, "Z") != 0)
            return -1;
    }
    if (tail[0] && strcmp(tail, "Z") != 0)
        return -1;
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_sec = sec;
    *out = (int64_t)timegm(&tm) * 1000;
    return 0;
}

/* issue 7: {"risk": {limits..., "blackouts": [{"time": ISO, "margin_min": N, "label": S}]}} */
static int load_risk(json_t *risk, const char *path, struct engine_config *cfg, char *err, size_t err_len)
{
    if (!risk)
        return 0;
    char m[256];
    if (!json_is_object(risk))
        return bad(err, err_len, path, "risk: expected an object");
    struct risk_limits *l = &cfg->risk;
    const char *key;
    json_t *val;
    json_object_foreach(risk, key, val) {
        double *frac = strcmp(key, "risk_per_trade") == 0 ? &l->risk_per_trade
                     : strcmp(key, "max_position") == 0 ? &l->max_position
                     : strcmp(key, "max_exposure") == 0 ? &l->max_exposure
                     : strcmp(key, "daily_loss") == 0 ? &l->daily_loss
                     : strcmp(key, "max_drawdown") == 0 ? &l->max_drawdown : NULL;
        int *count = strcmp(key, "loss_streak") == 0 ? &l->loss_streak
                   : strcmp(key, "max_positions") == 0 ? &l->max_positions
                   : strcmp(key, "max_orders_symbol") == 0 ? &l->max_orders_symbol : NULL;
        if (frac) {
            if (!json_is_number(val) || !(json_number_value(val) > 0) || json_number_value(val) > 10) {
                snprintf(m, sizeof m, "risk.%s: expected a fraction of equity > 0 (0.05 = 5 %%)", key);
                return bad(err, err_len, path, m);
            }
            *frac = json_number_value(val);
        } else if (count) {
            if (!json_is_integer(val) || json_integer_value(val) < 0 || json_integer_value(val) > 1000) {
                snprintf(m, sizeof m, "risk.%s: expected a whole number 0..1000", key);
                return bad(err, err_len, path, m);
            }
            *count = (int)json_integer_value(val);
        } else if (strcmp(key, "cooldown_min") == 0) {
            if (!json_is_number(val) || json_number_value(val) < 0) {
                snprintf(m, sizeof m, "risk.cooldown_min: expected minutes >= 0");
                return bad(err, err_len, path, m);
            }
            l->cooldown_ms = (int64_t)(json_number_value(val) * 60000);
        } else if (strcmp(key, "require_stop") == 0) {
            if (!json_is_boolean(val))
                return bad(err, err_len, path, "risk.require_stop: expected true or false");
            l->require_stop = json_is_true(val);
        } else if (strcmp(key, "blackouts") == 0) {
            size_t i;
            json_t *b;
            if (!json_is_array(val) || json_array_size(val) > RISK_MAX_BLACKOUTS) {
                snprintf(m, sizeof m, "risk.blackouts: expected an array of at most %d windows", RISK_MAX_BLACKOUTS);
                return bad(err, err_len, path, m);
            }
            l->n_blackouts = 0;
            json_array_foreach(val, i, b) {
                json_t *t = json_object_get(b, "time"), *mg = json_object_get(b, "margin_min"),
                       *lb = json_object_get(b, "label");
                struct risk_blackout *w = &l->blackout[l->n_blackouts];
                if (!json_is_object(b) || !json_is_string(t) || config_parse_time(json_string_value(t), &w->time) ||
                    (mg && (!json_is_number(mg) || json_number_value(mg) < 0)) || (lb && !json_is_string(lb))) {
                    snprintf(m, sizeof m, "risk.blackouts[%zu]: expected {\"time\": \"2024-12-18T19:00Z\", "
                             "\"margin_min\": 30, \"label\": \"FOMC\"}", i);
                    return bad(err, err_len, path, m);
                }
                w->margin = (int64_t)((mg ? json_number_value(mg) : 30) * 60000);
                snprintf(w->label, sizeof w->label, "%s", lb ? json_string_value(lb) : "blackout");
                l->n_blackouts++;
            }
        } else {
            snprintf(m, sizeof m, "risk.%s: unknown key (expected risk_per_trade, max_position, max_exposure, "
                     "daily_loss, loss_streak, cooldown_min, max_drawdown, max_positions, max_orders_symbol, "
                     "require_stop, blackouts)", key);
            return bad(err, err_len, path, m);
        }
    }
    return 0;
}

int config_load_paper(const char *path, struct engine_config *cfg, char *err, size_t err_len)
{
    json_error_t jerr;
    json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
    if (!root) {
        snprintf(err, err_len, "%s:%d:%d: %s", path, jerr.line, jerr.column, jerr.text);
        return -1;
    }
    int rc = 0;
    const char *key;
    json_t *val;
    if (!json_is_object(root)) {
        rc = bad(err, err_len, path, "expected a JSON object at the top");
        goto out;
    }
    json_object_foreach(root, key, val) {
        if (strcmp(key, "paper") != 0 && strcmp(key, "risk") != 0) {
            char m[256];
            snprintf(m, sizeof m, "unknown key \"%s\" (this version reads: paper, risk)", key);
            rc = bad(err, err_len, path, m);
            goto out;
        }
    }
    if ((rc = load_risk(json_object_get(root, "risk"), path, cfg, err, err_len)))
        goto out;
    json_t *paper = json_object_get(root, "paper");
    if (!paper)
        goto out;
    if (!json_is_object(paper)) {
        rc = bad(err, err_len, path, "paper: expected an object");
        goto out;
    }
    json_object_foreach(paper, key, val) {
        double *dst = strcmp(key, "balance") == 0 ? &cfg->balance
                    : strcmp(key, "fee_bps") == 0 ? &cfg->fee_bps
                    : strcmp(key, "order_notional") == 0 ? &cfg->order_notional : NULL;
        /* issue 7: costs */
        double *cost = strcmp(key, "maker_bps") == 0 ? &cfg->maker_bps
                     : strcmp(key, "slip_bps") == 0 ? &cfg->slip_bps
                     : strcmp(key, "slip_range") == 0 ? &cfg->slip_range : NULL;
        char m[256];
        if (cost) {
            double lim = cost == &cfg->slip_range ? 1 : 1000;
            if (!json_is_number(val) || json_number_value(val) < 0 || json_number_value(val) > lim) {
                snprintf(m, sizeof m, "paper.%s: expected a number in 0..%g", key, lim);
                rc = bad(err, err_len, path, m);
                goto out;
            }
            *cost = json_number_value(val);
            continue;
        }
        if (strcmp(key, "currency") == 0) {
            if (!json_is_string(val) || json_string_length(val) == 0 || json_string_length(val) >= sizeof cfg->account_ccy) {
                rc = bad(err, err_len, path, "paper.currency: expected a currency code such as \"USDT\"");
                goto out;
            }
            snprintf(cfg->account_ccy, sizeof cfg->account_ccy, "%s", json_string_value(val));
            continue;
        }
        if (!dst) {
            snprintf(m, sizeof m, "paper.%s: unknown key (expected balance, fee_bps, maker_bps, slip_bps, slip_range, "
                     "order_notional, currency)", key);
            rc = bad(err, err_len, path, m);
            goto out;
        }
        if (!json_is_number(val) || json_number_value(val) < 0 ||
            (dst != &cfg->fee_bps && json_number_value(val) <= 0) ||
            (dst == &cfg->fee_bps && json_number_value(val) > 1000)) {
            snprintf(m, sizeof m, "paper.%s: expected a %s number", key,
                     dst == &cfg->fee_bps ? "0..1000 (basis points)" : "positive");
            rc = bad(err, err_len, path, m);
            goto out;
        }
        *dst = json_number_value(val);
    }
out:
    json_decref(root);
    return rc;
}
