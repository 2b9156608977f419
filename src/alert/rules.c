/* Alert rules and channel settings: defaults, the `alerts` section of the
 * configuration, secrets from the environment or files, and the one decision
 * the dispatcher makes per event (which channels). Safe by default: the bell
 * rings, nothing leaves the machine until a destination is configured. */
#include "alphapulse/alert.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "alphapulse/log.h"

static const struct { const char *name; unsigned bit; } channel_names[] = {
    { "bell", ALERT_CH_BELL }, { "discord", ALERT_CH_DISCORD },
    { "telegram", ALERT_CH_TELEGRAM }, { "webhook", ALERT_CH_WEBHOOK },
};

void alert_params_defaults(struct alert_params *p)
{
    memset(p, 0, sizeof *p);
    for (int k = 0; k < ALERT_KIND_COUNT; k++) {
        p->rule[k].enabled = true;
        p->rule[k].channels = ALERT_CH_ALL;
        p->rule[k].min_confidence = 0.6;
        p->rule[k].after_s = 60;
    }
    p->bell = ALERT_BELL_BEEP;
    p->bell_min_s = 10;
    p->bell_signals = -1;
    snprintf(p->discord.username, sizeof p->discord.username, "AlphaPulse");
    snprintf(p->telegram.api_base, sizeof p->telegram.api_base, "https://api.telegram.org");
    snprintf(p->webhook.header, sizeof p->webhook.header, "X-AlphaPulse-Signature");
    p->queue = 64;
    p->timeout_ms = 5000;
    p->retries = 3;
    p->backoff_ms = 500;
    p->max_retry_after_s = 300;
}

unsigned alert_params_channels(const struct alert_params *p)
{
    unsigned c = 0;
    if (p->bell != ALERT_BELL_OFF)
        c |= ALERT_CH_BELL;
    if (p->discord.url[0])
        c |= ALERT_CH_DISCORD;
    if (p->telegram.token[0] && p->telegram.chat_id[0])
        c |= ALERT_CH_TELEGRAM;
    if (p->webhook.url[0])
        c |= ALERT_CH_WEBHOOK;
    return c;
}

unsigned alert_rules_match(const struct alert_params *p, const struct alert_event *a)
{
    if (a->kind < 0 || a->kind >= ALERT_KIND_COUNT)
        return 0;
    const struct alert_rule *r = &p->rule[a->kind];
    if (!r->enabled)
        return 0;
    if (r->n_symbols > 0 && a->symbol[0]) {
        bool hit = false;
        for (int i = 0; i < r->n_symbols && !hit; i++)
            hit = strcmp(r->symbols[i], a->symbol) == 0;
        if (!hit)
            return 0;
    }
    if (a->kind == ALERT_SIGNAL && !isnan(a->confidence) && a->confidence < r->min_confidence)
        return 0;
    return r->channels & alert_params_channels(p);
}

void alert_secret_check_mode(const char *file, const char *what)
{
    struct stat st;
    if (stat(file, &st) == 0 && (st.st_mode & (S_IRGRP | S_IROTH)))
        log_warn("%s holds %s but is readable by group or others; run: chmod 600 %s", file, what, file);
}

int alert_secret_file(const char *file, char *out, size_t len, char *err, size_t err_len)
{
    FILE *f = fopen(file, "r");
    if (!f) {
        snprintf(err, err_len, "%s: cannot read the secret (%s)", file, strerror(errno));
        return -1;
    }
    char buf[ALERT_SECRET_MAX + 2];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    buf[strcspn(buf, "\r\n")] = 0;
    char *s = buf;
    while (*s == ' ' || *s == '\t')
        s++;
    size_t l = strlen(s);
    while (l && (s[l - 1] == ' ' || s[l - 1] == '\t'))
        s[--l] = 0;
    if (l == 0 || l >= len) {
        snprintf(err, err_len, "%s: expected the secret on the first line (1 to %zu characters)", file, len - 1);
        return -1;
    }
    memcpy(out, s, l + 1);
    log_secret(out);
    alert_secret_check_mode(file, "a secret");
    return 0;
}

static int fail(char *err, size_t n, const char *path, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static int fail(char *err, size_t n, const char *path, const char *fmt, ...)
{
    char m[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(m, sizeof m, fmt, ap);
    va_end(ap);
    snprintf(err, n, "%s: %s", path ? path : "config", m);
    return -1;
}

/* A string setting; "" for absent. */
static int get_str(json_t *v, const char *path, const char *key, char *out, size_t len, char *err, size_t n)
{
    if (!json_is_string(v) || json_string_length(v) >= len)
        return fail(err, n, path, "%s: expected a string of at most %zu characters", key, len - 1);
    snprintf(out, len, "%s", json_string_value(v));
    return 0;
}

/* A secret given as KEY (the value itself, flagged) or KEY_file (a path). */
static int get_secret(json_t *obj, const char *path, const char *section, const char *key, char *out,
                      size_t len, bool *inline_secret, char *err, size_t n)
{
    char fk[64], full[128];
    snprintf(fk, sizeof fk, "%s_file", key);
    json_t *v = json_object_get(obj, key), *f = json_object_get(obj, fk);
    if (v && f)
        return fail(err, n, path, "%s: give %s or %s, not both", section, key, fk);
    if (v) {
        snprintf(full, sizeof full, "%s.%s", section, key);
        if (get_str(v, path, full, out, len, err, n))
            return -1;
        if (out[0]) {
            log_secret(out);
            *inline_secret = true;
        }
    }
    if (f) {
        char file[1024];
        snprintf(full, sizeof full, "%s.%s", section, fk);
        if (get_str(f, path, full, file, sizeof file, err, n))
            return -1;
        char e2[512];
        if (alert_secret_file(file, out, len, e2, sizeof e2))
            return fail(err, n, path, "%s: %s", full, e2);
    }
    return 0;
}

static int check_keys(json_t *obj, const char *path, const char *section, const char *const *keys,
                      char *err, size_t n)
{
    const char *k;
    json_t *v;
    json_object_foreach(obj, k, v) {
        bool ok = false;
        for (int i = 0; keys[i] && !ok; i++)
            ok = strcmp(k, keys[i]) == 0;
        if (!ok) {
            char list[256] = "";
            for (int i = 0; keys[i]; i++)
                snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", i ? ", " : "", keys[i]);
            return fail(err, n, path, "%s.%s: unknown key (expected %s)", section, k, list);
        }
    }
    return 0;
}

static int parse_rule(json_t *o, const char *path, const char *name, struct alert_rule *r, char *err, size_t n)
{
    char sec[96];
    snprintf(sec, sizeof sec, "alerts.rules.%s", name);
    if (json_is_boolean(o)) {
        r->enabled = json_is_true(o);
        return 0;
    }
    if (!json_is_object(o))
        return fail(err, n, path, "%s: expected true, false or an object", sec);
    static const char *const keys[] = { "enabled", "channels", "min_confidence", "after_s", "symbols", NULL };
    if (check_keys(o, path, sec, keys, err, n))
        return -1;
    json_t *v;
    if ((v = json_object_get(o, "enabled"))) {
        if (!json_is_boolean(v))
            return fail(err, n, path, "%s.enabled: expected true or false", sec);
        r->enabled = json_is_true(v);
    }
    if ((v = json_object_get(o, "channels"))) {
        if (!json_is_array(v))
            return fail(err, n, path, "%s.channels: expected an array such as [\"bell\", \"discord\"]", sec);
        r->channels = 0;
        size_t i;
        json_t *c;
        json_array_foreach(v, i, c) {
            unsigned bit = 0;
            for (size_t j = 0; j < sizeof channel_names / sizeof channel_names[0]; j++)
                if (json_is_string(c) && strcmp(json_string_value(c), channel_names[j].name) == 0)
                    bit = channel_names[j].bit;
            if (!bit)
                return fail(err, n, path, "%s.channels[%zu]: expected one of bell, discord, telegram, webhook", sec, i);
            r->channels |= bit;
        }
    }
    if ((v = json_object_get(o, "min_confidence"))) {
        if (!json_is_number(v) || json_number_value(v) < 0 || json_number_value(v) > 1)
            return fail(err, n, path, "%s.min_confidence: expected a number from 0 to 1", sec);
        r->min_confidence = json_number_value(v);
    }
    if ((v = json_object_get(o, "after_s"))) {
        if (!json_is_number(v) || json_number_value(v) <= 0 || json_number_value(v) > 86400)
            return fail(err, n, path, "%s.after_s: expected seconds, more than 0 and at most 86400", sec);
        r->after_s = json_number_value(v);
    }
    if ((v = json_object_get(o, "symbols"))) {
        if (!json_is_array(v) || json_array_size(v) > ALERT_RULE_SYMBOLS)
            return fail(err, n, path, "%s.symbols: expected an array of at most %d symbols", sec, ALERT_RULE_SYMBOLS);
        size_t i;
        json_t *c;
        r->n_symbols = 0;
        json_array_foreach(v, i, c) {
            if (!json_is_string(c) || json_string_length(c) == 0 || json_string_length(c) >= SYMBOL_MAX)
                return fail(err, n, path, "%s.symbols[%zu]: expected a symbol such as \"BTCUSDT\"", sec, i);
            snprintf(r->symbols[r->n_symbols++], SYMBOL_MAX, "%s", json_string_value(c));
        }
    }
    return 0;
}

static int get_int(json_t *v, const char *path, const char *key, int lo, int hi, int *out, char *err, size_t n)
{
    if (!json_is_integer(v) || json_integer_value(v) < lo || json_integer_value(v) > hi)
        return fail(err, n, path, "%s: expected a whole number from %d to %d", key, lo, hi);
    *out = (int)json_integer_value(v);
    return 0;
}

int alert_params_parse(json_t *obj, const char *path, struct alert_params *p, bool *inline_secret,
                       char *err, size_t n)
{
    if (!json_is_object(obj))
        return fail(err, n, path, "alerts: expected an object");
    static const char *const keys[] = { "bell", "rules", "discord", "telegram", "webhook", "queue",
                                        "timeout_ms", "retries", "backoff_ms", "max_retry_after_s", "bell_min_s",
                                        "bell_signals", NULL };
    if (check_keys(obj, path, "alerts", keys, err, n))
        return -1;
    json_t *v;
    if ((v = json_object_get(obj, "bell"))) {
        const char *b = json_is_string(v) ? json_string_value(v) : "";
        if (strcmp(b, "beep") == 0)
            p->bell = ALERT_BELL_BEEP;
        else if (strcmp(b, "flash") == 0)
            p->bell = ALERT_BELL_FLASH;
        else if (strcmp(b, "off") == 0)
            p->bell = ALERT_BELL_OFF;
        else
            return fail(err, n, path, "alerts.bell: expected \"beep\", \"flash\" or \"off\"");
    }
    if ((v = json_object_get(obj, "queue")) && get_int(v, path, "alerts.queue", 1, 4096, &p->queue, err, n))
        return -1;
    if ((v = json_object_get(obj, "timeout_ms")) &&
        get_int(v, path, "alerts.timeout_ms", 100, 60000, &p->timeout_ms, err, n))
        return -1;
    if ((v = json_object_get(obj, "retries")) && get_int(v, path, "alerts.retries", 0, 10, &p->retries, err, n))
        return -1;
    if ((v = json_object_get(obj, "backoff_ms")) &&
        get_int(v, path, "alerts.backoff_ms", 10, 60000, &p->backoff_ms, err, n))
        return -1;
    if ((v = json_object_get(obj, "bell_min_s"))) {
        if (!json_is_number(v) || json_number_value(v) < 0 || json_number_value(v) > 3600)
            return fail(err, n, path, "alerts.bell_min_s: expected seconds from 0 to 3600");
        p->bell_min_s = json_number_value(v);
    }
    if ((v = json_object_get(obj, "bell_signals"))) {
        if (!json_is_boolean(v))
            return fail(err, n, path, "alerts.bell_signals: expected true or false");
        p->bell_signals = json_is_true(v);
    }
    if ((v = json_object_get(obj, "max_retry_after_s"))) {
        if (!json_is_number(v) || json_number_value(v) < 0 || json_number_value(v) > 3600)
            return fail(err, n, path, "alerts.max_retry_after_s: expected seconds from 0 to 3600");
        p->max_retry_after_s = json_number_value(v);
    }
    if ((v = json_object_get(obj, "rules"))) {
        if (!json_is_object(v))
            return fail(err, n, path, "alerts.rules: expected an object keyed by event kind");
        const char *k;
        json_t *r;
        json_object_foreach(v, k, r) {
            int kind = alert_kind_parse(k);
            if (kind < 0)
                return fail(err, n, path, "alerts.rules.%s: unknown event (expected signal, fill, stop, target, "
                                          "risk_lock, kill_switch, feed_stale, storage)", k);
            if (parse_rule(r, path, k, &p->rule[kind], err, n))
                return -1;
        }
    }
    if ((v = json_object_get(obj, "discord"))) {
        static const char *const dk[] = { "url", "url_file", "username", NULL };
        if (!json_is_object(v))
            return fail(err, n, path, "alerts.discord: expected an object");
        if (check_keys(v, path, "alerts.discord", dk, err, n) ||
            get_secret(v, path, "alerts.discord", "url", p->discord.url, sizeof p->discord.url, inline_secret, err, n))
            return -1;
        json_t *u = json_object_get(v, "username");
        if (u && get_str(u, path, "alerts.discord.username", p->discord.username, sizeof p->discord.username, err, n))
            return -1;
    }
    if ((v = json_object_get(obj, "telegram"))) {
        static const char *const tk[] = { "token", "token_file", "chat_id", "parse_mode", "api_base", NULL };
        if (!json_is_object(v))
            return fail(err, n, path, "alerts.telegram: expected an object");
        if (check_keys(v, path, "alerts.telegram", tk, err, n) ||
            get_secret(v, path, "alerts.telegram", "token", p->telegram.token, sizeof p->telegram.token,
                       inline_secret, err, n))
            return -1;
        json_t *c = json_object_get(v, "chat_id");
        if (json_is_integer(c))
            snprintf(p->telegram.chat_id, sizeof p->telegram.chat_id, "%lld", (long long)json_integer_value(c));
        else if (c && get_str(c, path, "alerts.telegram.chat_id", p->telegram.chat_id, sizeof p->telegram.chat_id,
                              err, n))
            return -1;
        json_t *m = json_object_get(v, "parse_mode");
        if (m) {
            if (get_str(m, path, "alerts.telegram.parse_mode", p->telegram.parse_mode,
                        sizeof p->telegram.parse_mode, err, n))
                return -1;
            const char *pm = p->telegram.parse_mode;
            if (*pm && strcmp(pm, "HTML") && strcmp(pm, "MarkdownV2") && strcmp(pm, "Markdown"))
                return fail(err, n, path, "alerts.telegram.parse_mode: expected \"HTML\", \"MarkdownV2\", "
                                          "\"Markdown\" or \"\"");
        }
        json_t *b = json_object_get(v, "api_base");
        if (b && get_str(b, path, "alerts.telegram.api_base", p->telegram.api_base, sizeof p->telegram.api_base,
                         err, n))
            return -1;
    }
    if ((v = json_object_get(obj, "webhook"))) {
        static const char *const wk[] = { "url", "url_file", "secret", "secret_file", "header", NULL };
        if (!json_is_object(v))
            return fail(err, n, path, "alerts.webhook: expected an object");
        if (check_keys(v, path, "alerts.webhook", wk, err, n) ||
            get_secret(v, path, "alerts.webhook", "url", p->webhook.url, sizeof p->webhook.url, inline_secret, err, n) ||
            get_secret(v, path, "alerts.webhook", "secret", p->webhook.secret, sizeof p->webhook.secret,
                       inline_secret, err, n))
            return -1;
        json_t *h = json_object_get(v, "header");
        if (h && get_str(h, path, "alerts.webhook.header", p->webhook.header, sizeof p->webhook.header, err, n))
            return -1;
    }
    const char *urls[] = { p->discord.url, p->webhook.url, p->telegram.api_base };
    const char *names[] = { "alerts.discord.url", "alerts.webhook.url", "alerts.telegram.api_base" };
    for (int i = 0; i < 3; i++)
        if (urls[i][0] && strncmp(urls[i], "https://", 8) && strncmp(urls[i], "http://", 7))
            return fail(err, n, path, "%s: expected an http:// or https:// address", names[i]);
    return 0;
}

static int env_secret(const char *name, char *out, size_t len, char *err, size_t n)
{
    const char *v = getenv(name);
    if (!v || !*v)
        return 0;
    if (strlen(v) >= len)
        return fail(err, n, name, "expected at most %zu characters", len - 1);
    snprintf(out, len, "%s", v);
    log_secret(out);
    return 0;
}

int alert_params_env(struct alert_params *p, char *err, size_t n)
{
    if (env_secret("ALPHAPULSE_DISCORD_URL", p->discord.url, sizeof p->discord.url, err, n) ||
        env_secret("ALPHAPULSE_TELEGRAM_TOKEN", p->telegram.token, sizeof p->telegram.token, err, n) ||
        env_secret("ALPHAPULSE_WEBHOOK_URL", p->webhook.url, sizeof p->webhook.url, err, n) ||
        env_secret("ALPHAPULSE_WEBHOOK_SECRET", p->webhook.secret, sizeof p->webhook.secret, err, n))
        return -1;
    const char *chat = getenv("ALPHAPULSE_TELEGRAM_CHAT_ID");
    if (chat && *chat)
        snprintf(p->telegram.chat_id, sizeof p->telegram.chat_id, "%s", chat);
    return 0;
}
