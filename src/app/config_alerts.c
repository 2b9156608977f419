/* The "alerts" and "webhook" sections of the configuration file, read by the
 * alert module's own parsers; the environment's secrets win over the file. */
#include <jansson.h>
#include <stdio.h>

#include "alphapulse/alert.h"
#include "alphapulse/config.h"
#include "alphapulse/webhook.h"

int config_load_alerts(const char *path, struct alert_params *a, struct webhook_params *w, char *err, size_t err_len)
{
    int rc = 0;
    bool inline_secret = false;
    if (path) {
        json_error_t jerr;
        json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
        if (!root) {
            snprintf(err, err_len, "%s:%d:%d: %s", path, jerr.line, jerr.column, jerr.text);
            return -1;
        }
        json_t *v;
        if (json_is_object(root) && (v = json_object_get(root, "alerts")))
            rc = alert_params_parse(v, path, a, &inline_secret, err, err_len);
        if (!rc && json_is_object(root) && (v = json_object_get(root, "webhook")))
            rc = webhook_params_parse(v, path, w, &inline_secret, err, err_len);
        json_decref(root);
        if (!rc && inline_secret)
            alert_secret_check_mode(path, "a secret (token or webhook URL)");
    }
    if (!rc)
        rc = alert_params_env(a, err, err_len);
    if (!rc)
        webhook_params_env(w);
    return rc;
}
