/* The "webhook" section of the configuration (the inbound endpoint's settings,
 * walked by the configuration like its own sections), and the alert and webhook
 * settings a mode starts with: the file's, then the environment's secrets. */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "alphapulse/alert.h"
#include "alphapulse/app.h"
#include "alphapulse/config.h"
#include "alphapulse/webhook.h"

#define LISTEN_OFF offsetof(struct webhook_params, listen)
#define LISTEN_SIZE (offsetof(struct webhook_params, token) - LISTEN_OFF)
_Static_assert(offsetof(struct webhook_params, addr) > LISTEN_OFF &&
               offsetof(struct webhook_params, port) < offsetof(struct webhook_params, token),
               "webhook.listen covers listen, addr and port");

/* webhook.listen: true, false, or "ADDR:PORT" (which also turns it on) */
static bool parse_listen(struct config_load *x, const struct config_field *f, void *dst, const char *path, json_t *v)
{
    struct webhook_params *p = (struct webhook_params *)((char *)dst - LISTEN_OFF), tmp = *p;
    char why[300];
    if (json_is_boolean(v)) {
        p->listen = json_is_true(v);
        return true;
    }
    if (!json_is_string(v) || webhook_parse_listen(json_string_value(v), &tmp, why, sizeof why)) {
        config_error(x, path, "expected %s, got %s%s%s", f->expect, json_is_string(v) ? "\"" : config_json_kind(v),
                     json_is_string(v) ? json_string_value(v) : "", json_is_string(v) ? "\"" : "");
        return false;
    }
    memcpy(dst, (char *)&tmp + LISTEN_OFF, LISTEN_SIZE);
    return true;
}

static void print_listen(FILE *out, const struct config_field *f, const void *src, const struct config_vocab *vb)
{
    (void)f, (void)vb;
    const struct webhook_params *p = (const struct webhook_params *)((const char *)src - LISTEN_OFF);
    if (p->listen)
        fprintf(out, "\"%s:%d\"", p->addr, p->port);
    else
        fputs("false", out);
}

static const struct config_type listen_type = { parse_listen, print_listen, NULL };

#define W(p, t, m, lo, hi, open, ex, arg) \
    { p, t, offsetof(struct webhook_params, m), sizeof(((struct webhook_params *)0)->m), lo, hi, open, true, ex, arg }
static const struct config_field WEBHOOK_FIELDS[] = {
    { "webhook.listen", &listen_type, LISTEN_OFF, LISTEN_SIZE, 0, 0, false, true,
      "true, false or \"ADDR:PORT\" such as \"127.0.0.1:8787\"", NULL },
    W("webhook.token", &alert_config_secret, token, 0, 0, false, "the shared token (at least 16 characters)", NULL),
    W("webhook.token_file", &alert_config_secret_file, token, 0, 0, false,
      "the shared token (at least 16 characters)", NULL),
    W("webhook.auto_take", &config_bool, auto_take, 0, 0, false, "true or false", NULL),
    W("webhook.rate_per_s", &config_double, rate_per_s, 0, 100000, true,
      "requests per second per client address, > 0 and <= 100000", NULL),
    W("webhook.burst", &config_double, burst, 0, 100000, true, "requests in a burst, > 0 and <= 100000", NULL),
    W("webhook.timeout_s", &config_int, body_timeout_s, 1, 300, false,
      "whole seconds from 1 to 300 for a client to send its request", NULL),
    W("webhook.max_pending", &config_int, max_pending, 1, WEBHOOK_PENDING_MAX, false,
      "webhook signals awaiting review before new ones get 503, 1 to 64", NULL),
};
#define N_WEBHOOK (int)(sizeof WEBHOOK_FIELDS / sizeof WEBHOOK_FIELDS[0])

static void check_webhook(struct config_load *x, void *data)
{
    struct webhook_params *p = data;
    alert_config_not_both(x, WEBHOOK_FIELDS, N_WEBHOOK);
    /* a token from the environment or --webhook-token-file replaces the file's,
     * so only a short one written here is the file's own mistake */
    const char *where = config_load_has(x, "webhook.token_file") ? "webhook.token_file" : "webhook.token";
    if (p->token[0] && strlen(p->token) < 16)
        config_error(x, where, "the shared token has %zu characters; expected at least 16", strlen(p->token));
    if (config_load_has(x, "webhook.token"))
        alert_secret_check_mode(config_load_file(x), "a secret (the webhook token)");
    if (p->burst < 1)
        p->burst = 1;
}

static void webhook_defaults(void *data) { webhook_params_defaults(data); }

const struct config_section app_webhook_section = {
    .name = "webhook", .fields = WEBHOOK_FIELDS, .n_fields = N_WEBHOOK, .size = sizeof(struct webhook_params),
    .defaults = webhook_defaults, .check = check_webhook,
};

_Static_assert(((sizeof(struct alert_params) + 15) & ~(size_t)15) + sizeof(struct webhook_params) <=
               CONFIG_SECTION_BYTES, "the configuration has room for the alerts and webhook sections");

int app_config_alerts(const struct config *c, struct alert_params *a, struct webhook_params *w, char *err, size_t n)
{
    const struct alert_params *fa = config_section_const(c, "alerts");
    const struct webhook_params *fw = config_section_const(c, "webhook");
    if (fa)
        *a = *fa;
    else
        alert_params_defaults(a);
    if (fw)
        *w = *fw;
    else
        webhook_params_defaults(w);
    if (alert_params_env(a, err, n))
        return -1;
    webhook_params_env(w);
    return 0;
}
