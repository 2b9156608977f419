/* Alert rules and channel settings: defaults, the `alerts` section of the
 * configuration (a table of fields the configuration walks like its own, so a
 * mistake is reported with the rest, at file:line:col), secrets from the
 * environment or files, and the one decision
 * the dispatcher makes per event (which channels). Safe by default: the bell
 * rings, nothing leaves the machine until a destination is configured. */
#include "alphapulse/alert.h"

#include <errno.h>
#include <stddef.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "alphapulse/log.h"
#include "alphapulse/symbol_id.h"

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

/* ---- the "alerts" section of the configuration ---------------------------------- */

/* The file's own inline secrets, for the mode warning: which keys hold one. */
static const char *const INLINE_SECRETS[] = { "alerts.discord.url", "alerts.telegram.token", "alerts.webhook.url",
                                              "alerts.webhook.secret", NULL };

static bool is_url(const char *s) { return !strncmp(s, "https://", 8) || !strncmp(s, "http://", 7); }

/* A secret written in the file itself; f->arg "url" when it must be an http(s) address. */
static bool parse_secret(struct config_load *x, const struct config_field *f, void *dst, const char *path, json_t *v)
{
    if (!json_is_string(v) || json_string_length(v) >= f->size) {
        config_error(x, path, "expected %s (a string of at most %zu characters)", f->expect, f->size - 1);
        return false;
    }
    const char *s = json_string_value(v);
    if (*s)
        log_secret(s);                 /* before any message could quote it */
    if (*s && f->arg && !is_url(s)) {
        config_error(x, path, "expected %s, got a value that is not an http:// or https:// address", f->expect);
        return false;
    }
    snprintf(dst, f->size, "%s", s);
    return true;
}

/* Never printed: whether it is set is all --check-config shows. */
static void print_secret(FILE *out, const struct config_field *f, const void *src, const struct config_vocab *vb)
{
    (void)f, (void)vb;
    fputs(*(const char *)src ? "\"(hidden)\"" : "\"\"", out);
}

const struct config_type alert_config_secret = { parse_secret, print_secret, NULL };

/* KEY_file: the secret read from the first line of a file, into the same place
 * as KEY (which prints it). */
static bool parse_secret_file(struct config_load *x, const struct config_field *f, void *dst, const char *path,
                              json_t *v)
{
    if (!json_is_string(v) || json_string_length(v) == 0 || json_string_length(v) >= 1024) {
        config_error(x, path, "expected the path of a file holding %s", f->expect);
        return false;
    }
    char secret[ALERT_SECRET_MAX], why[1200];
    size_t size = f->size < sizeof secret ? f->size : sizeof secret;
    if (alert_secret_file(json_string_value(v), secret, size, why, sizeof why)) {
        config_error(x, path, "%s", why);
        return false;
    }
    if (f->arg && !is_url(secret)) {
        config_error(x, path, "%s: expected %s, found a line that is not an http:// or https:// address",
                     json_string_value(v), f->expect);
        return false;
    }
    snprintf(dst, f->size, "%s", secret);
    return true;
}

const struct config_type alert_config_secret_file = { parse_secret_file, NULL, NULL };

static const char *const CHANNEL_NAMES[] = { "bell", "discord", "telegram", "webhook", NULL };
static const struct config_names CHANNELS = { "channel", CHANNEL_NAMES };
_Static_assert(ALERT_CH_BELL == 1 && ALERT_CH_DISCORD == 2 && ALERT_CH_TELEGRAM == 4 && ALERT_CH_WEBHOOK == 8,
               "channel bit i is CHANNEL_NAMES[i]");

/* A rule's symbols: at most ALERT_RULE_SYMBOLS. */
static bool parse_rule_symbols(struct config_load *x, const struct config_field *f, void *dst, const char *path,
                               json_t *v)
{
    struct alert_rule *r = (struct alert_rule *)((char *)dst - offsetof(struct alert_rule, n_symbols));
    if (!json_is_array(v) || json_array_size(v) > ALERT_RULE_SYMBOLS) {
        config_error(x, path, "expected %s, got %s", f->expect,
                     json_is_array(v) ? "a longer list" : config_json_kind(v));
        return false;
    }
    bool ok = true;
    size_t i;
    json_t *c;
    char canon[ALERT_RULE_SYMBOLS][SYMBOL_MAX];
    const struct config_vocab *vb = config_load_vocab(x);
    json_array_foreach(v, i, c) {
        char ip[300], why[200];
        snprintf(ip, sizeof ip, "%s[%zu]", path, i);
        if (!json_is_string(c)) {
            config_error(x, ip, "expected a symbol such as \"BTCUSDT\", got %s", config_json_kind(c));
            ok = false;
        } else if (symbol_id_canonical(json_string_value(c), vb && vb->venues ? vb->venues() : NULL, canon[i], why,
                                       sizeof why)) {   /* as events name it: binance:BTCUSDT is BTCUSDT */
            config_error(x, ip, "%s", why);
            ok = false;
        }
    }
    if (!ok)
        return false;
    r->n_symbols = 0;
    for (size_t k = 0; k < json_array_size(v); k++)
        memcpy(r->symbols[r->n_symbols++], canon[k], SYMBOL_MAX);
    return true;
}

static void print_rule_symbols(FILE *out, const struct config_field *f, const void *src, const struct config_vocab *vb)
{
    (void)f, (void)vb;
    const struct alert_rule *r = (const struct alert_rule *)((const char *)src - offsetof(struct alert_rule, n_symbols));
    fputc('[', out);
    for (int i = 0; i < r->n_symbols; i++)
        fprintf(out, "%s\"%s\"", i ? ", " : "", r->symbols[i]);
    fputc(']', out);
}

static const struct config_type rule_symbols = { parse_rule_symbols, print_rule_symbols, NULL };

#define R(p, t, m, lo, hi, open, ex, arg) \
    { p, t, offsetof(struct alert_rule, m), sizeof(((struct alert_rule *)0)->m), lo, hi, open, true, ex, arg }
static const struct config_field RULE[] = {
    R("enabled", &config_bool, enabled, 0, 0, false, "true or false", NULL),
    R("channels", &config_flags, channels, 0, 0, false, "a list of channels from bell, discord, telegram, webhook",
      &CHANNELS),
    R("min_confidence", &config_double, min_confidence, 0, 1, false, "a confidence from 0 to 1 (signals)", NULL),
    R("after_s", &config_double, after_s, 0, 86400, true, "seconds, more than 0 and at most 86400 (feed_stale)", NULL),
    R("symbols", &rule_symbols, n_symbols, 0, ALERT_RULE_SYMBOLS, false,
      "a list of at most 16 symbols such as [\"BTCUSDT\"] (empty: every symbol)", NULL),
};
#define N_RULE (int)(sizeof RULE / sizeof RULE[0])

/* alerts.rules.KIND: true, false, or an object of the rows above. */
static bool parse_rule(struct config_load *x, const struct config_field *f, void *dst, const char *path, json_t *v)
{
    struct alert_rule *r = dst, tmp = *r;
    if (json_is_boolean(v)) {
        r->enabled = json_is_true(v);
        return true;
    }
    if (!json_is_object(v)) {
        config_error(x, path, "expected %s, got %s", f->expect, config_json_kind(v));
        return false;
    }
    if (!config_parse_object(x, RULE, N_RULE, &tmp, path, v))
        return false;
    *r = tmp;
    return true;
}

static void print_rule(FILE *out, const struct config_field *f, const void *src, const struct config_vocab *vb)
{
    (void)f;
    fputc('{', out);
    for (int i = 0; i < N_RULE; i++) {
        fprintf(out, "%s\"%s\": ", i ? ", " : "", RULE[i].path);
        RULE[i].type->print(out, &RULE[i], (const char *)src + RULE[i].off, vb);
    }
    fputc('}', out);
}

static const struct config_type rule_type = { parse_rule, print_rule, NULL };

static const char *const BELL_NAMES[] = { "off", "beep", "flash", NULL };
static const struct config_names BELL = { "bell mode", BELL_NAMES };
_Static_assert(ALERT_BELL_OFF == 0 && ALERT_BELL_BEEP == 1 && ALERT_BELL_FLASH == 2, "bell i is BELL_NAMES[i]");
static const char *const PARSE_MODE_NAMES[] = { "", "HTML", "MarkdownV2", "Markdown", NULL };
static const struct config_names PARSE_MODES = { "Telegram parse mode", PARSE_MODE_NAMES };

/* alerts.telegram.chat_id: a number or a string (an @channel name) */
static bool parse_chat_id(struct config_load *x, const struct config_field *f, void *dst, const char *path, json_t *v)
{
    if (json_is_integer(v)) {
        snprintf(dst, f->size, "%lld", (long long)json_integer_value(v));
        return true;
    }
    if (!json_is_string(v) || json_string_length(v) >= f->size) {
        config_error(x, path, "expected %s, got %s", f->expect, config_json_kind(v));
        return false;
    }
    snprintf(dst, f->size, "%s", json_string_value(v));
    return true;
}

static void print_chat_id(FILE *out, const struct config_field *f, const void *src, const struct config_vocab *vb)
{
    (void)f, (void)vb;
    fprintf(out, "\"%s\"", (const char *)src);
}

static const struct config_type chat_id_type = { parse_chat_id, print_chat_id, NULL };

/* alerts.bell_signals: true or false, kept as 1 or 0 so "not set" (-1) can mean
 * the mode's own default (the demo: off, live: on). */
static bool parse_tristate(struct config_load *x, const struct config_field *f, void *dst, const char *path,
                           json_t *v)
{
    bool b;
    if (!config_bool.parse(x, f, &b, path, v))
        return false;
    *(int *)dst = b;
    return true;
}

static void print_tristate(FILE *out, const struct config_field *f, const void *src, const struct config_vocab *vb)
{
    (void)f, (void)vb;
    int v = *(const int *)src;
    fputs(v < 0 ? "null" : v ? "true" : "false", out);
}

static int tristate_from_text(const struct config_field *f, const char *text, json_t **out, char *err, size_t n)
{
    return config_bool.from_text(f, text, out, err, n);
}

static const struct config_type tristate_type = { parse_tristate, print_tristate, tristate_from_text };

#define A(p, t, m, lo, hi, open, ex, arg) \
    { p, t, offsetof(struct alert_params, m), sizeof(((struct alert_params *)0)->m), lo, hi, open, true, ex, arg }
#define RULE_ROW(kind, name) \
    A("alerts.rules." name, &rule_type, rule[kind], 0, 0, false, \
      "true, false or {\"enabled\", \"channels\", \"min_confidence\", \"after_s\", \"symbols\"}", NULL)
static const struct config_field ALERT_FIELDS[] = {
    A("alerts.bell", &config_enum, bell, 0, 0, false, "\"beep\", \"flash\" or \"off\"", &BELL),
    A("alerts.queue", &config_int, queue, 1, 4096, false, "1 to 4096 jobs per channel", NULL),
    A("alerts.timeout_ms", &config_int, timeout_ms, 100, 60000, false, "100 to 60000 milliseconds", NULL),
    A("alerts.retries", &config_int, retries, 0, 10, false, "0 to 10 retries", NULL),
    A("alerts.backoff_ms", &config_int, backoff_ms, 10, 60000, false, "10 to 60000 milliseconds", NULL),
    A("alerts.max_retry_after_s", &config_double, max_retry_after_s, 0, 3600, false, "0 to 3600 seconds", NULL),
    A("alerts.bell_min_s", &config_double, bell_min_s, 0, 3600, false, "0 to 3600 seconds between bells of one kind",
      NULL),
    A("alerts.bell_signals", &tristate_type, bell_signals, 0, 0, false, "true or false", NULL),
    RULE_ROW(ALERT_SIGNAL, "signal"), RULE_ROW(ALERT_FILL, "fill"), RULE_ROW(ALERT_STOP, "stop"),
    RULE_ROW(ALERT_TARGET, "target"), RULE_ROW(ALERT_RISK_LOCK, "risk_lock"),
    RULE_ROW(ALERT_KILL_SWITCH, "kill_switch"), RULE_ROW(ALERT_FEED_STALE, "feed_stale"),
    RULE_ROW(ALERT_STORAGE, "storage"),
    A("alerts.discord.url", &alert_config_secret, discord.url, 0, 0, false, "a Discord webhook URL", "url"),
    A("alerts.discord.url_file", &alert_config_secret_file, discord.url, 0, 0, false, "a Discord webhook URL", "url"),
    A("alerts.discord.username", &config_string, discord.username, 0, 0, false, "the name the bot posts as", NULL),
    A("alerts.telegram.token", &alert_config_secret, telegram.token, 0, 0, false, "a Telegram bot token", NULL),
    A("alerts.telegram.token_file", &alert_config_secret_file, telegram.token, 0, 0, false, "a Telegram bot token",
      NULL),
    A("alerts.telegram.chat_id", &chat_id_type, telegram.chat_id, 0, 0, false,
      "a chat id: a number, or a string such as \"@channel\"", NULL),
    A("alerts.telegram.parse_mode", &config_choice, telegram.parse_mode, 0, 0, false,
      "\"HTML\", \"MarkdownV2\", \"Markdown\" or \"\"", &PARSE_MODES),
    A("alerts.telegram.api_base", &config_url_http, telegram.api_base, 0, 0, false, "an http:// or https:// URL",
      NULL),
    A("alerts.webhook.url", &alert_config_secret, webhook.url, 0, 0, false, "an http:// or https:// URL", "url"),
    A("alerts.webhook.url_file", &alert_config_secret_file, webhook.url, 0, 0, false, "an http:// or https:// URL",
      "url"),
    A("alerts.webhook.secret", &alert_config_secret, webhook.secret, 0, 0, false, "an HMAC key", NULL),
    A("alerts.webhook.secret_file", &alert_config_secret_file, webhook.secret, 0, 0, false, "an HMAC key", NULL),
    A("alerts.webhook.header", &config_string, webhook.header, 0, 0, false, "an HTTP header name", NULL),
};
_Static_assert(ALERT_KIND_COUNT == 8, "one alerts.rules row per event kind");

void alert_config_not_both(struct config_load *x, const struct config_field *fields, int n)
{
    char both[160];
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++)
            if (fields[j].type == &alert_config_secret_file && fields[i].type == &alert_config_secret &&
                fields[j].off == fields[i].off && config_load_has(x, fields[i].path) &&
                config_load_has(x, fields[j].path)) {
                snprintf(both, sizeof both, "give %s or %s, not both", fields[i].path, fields[j].path);
                config_error(x, fields[j].path, "%s", both);
            }
}

static void check_alerts(struct config_load *x, void *data)
{
    (void)data;
    alert_config_not_both(x, ALERT_FIELDS, (int)(sizeof ALERT_FIELDS / sizeof ALERT_FIELDS[0]));
    for (int i = 0; INLINE_SECRETS[i]; i++)
        if (config_load_has(x, INLINE_SECRETS[i])) {
            alert_secret_check_mode(config_load_file(x), "a secret (token or webhook URL)");
            break;
        }
}

static void alerts_defaults(void *data) { alert_params_defaults(data); }

const struct config_section alert_config_section = {
    .name = "alerts", .fields = ALERT_FIELDS, .n_fields = (int)(sizeof ALERT_FIELDS / sizeof ALERT_FIELDS[0]),
    .size = sizeof(struct alert_params), .defaults = alerts_defaults, .check = check_alerts,
};

static int env_secret(const char *name, char *out, size_t len, char *err, size_t n)
{
    const char *v = getenv(name);
    if (!v || !*v)
        return 0;
    if (strlen(v) >= len) {
        snprintf(err, n, "%s: expected at most %zu characters", name, len - 1);
        return -1;
    }
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
