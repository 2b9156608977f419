/* The paper-account part of the configuration file. */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "alphapulse/config.h"

static int bad(char *err, size_t n, const char *path, const char *what)
{
    snprintf(err, n, "%s: %s", path, what);
    return -1;
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
        if (strcmp(key, "paper") != 0 && strcmp(key, "alerts") != 0 && strcmp(key, "webhook") != 0) {
            char m[256];
            snprintf(m, sizeof m, "unknown key \"%s\" (this version reads: paper, alerts, webhook)", key);
            rc = bad(err, err_len, path, m);
            goto out;
        }
    }
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
        char m[256];
        if (strcmp(key, "currency") == 0) {
            if (!json_is_string(val) || json_string_length(val) == 0 || json_string_length(val) >= sizeof cfg->account_ccy) {
                rc = bad(err, err_len, path, "paper.currency: expected a currency code such as \"USDT\"");
                goto out;
            }
            snprintf(cfg->account_ccy, sizeof cfg->account_ccy, "%s", json_string_value(val));
            continue;
        }
        if (!dst) {
            snprintf(m, sizeof m, "paper.%s: unknown key (expected balance, fee_bps, order_notional, currency)", key);
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
