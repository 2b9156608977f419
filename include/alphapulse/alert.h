/* Alerts out: rules (which events alert, on which channels, per symbol), the
 * channels (terminal bell, Discord, Telegram, a generic JSON webhook) and the
 * dispatcher thread that takes struct alert_event from the engine's queue and
 * hands deliveries to one sender thread per channel. Nothing here is ever
 * waited on by the engine or the UI. */
#ifndef ALPHAPULSE_ALERT_H
#define ALPHAPULSE_ALERT_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>
#include "alphapulse/alert_event.h"
#include "alphapulse/config.h"
#include "alphapulse/snapshot.h"
#include "alphapulse/spsc.h"

/* channel bits: the same values as the snapshot's */
enum alert_channel {
    ALERT_CH_BELL = SNAP_CH_BELL,
    ALERT_CH_DISCORD = SNAP_CH_DISCORD,
    ALERT_CH_TELEGRAM = SNAP_CH_TELEGRAM,
    ALERT_CH_WEBHOOK = SNAP_CH_WEBHOOK,
    ALERT_CH_ALL = 15
};
enum alert_bell { ALERT_BELL_OFF, ALERT_BELL_BEEP, ALERT_BELL_FLASH };

#define ALERT_RULE_SYMBOLS 16
#define ALERT_SECRET_MAX 512

struct alert_rule {
    bool enabled;
    unsigned channels;              /* enum alert_channel bits */
    double min_confidence;          /* signal: alert at or above this (NAN passes) */
    double after_s;                 /* feed_stale: silence longer than this */
    int n_symbols;                  /* 0: every symbol */
    char symbols[ALERT_RULE_SYMBOLS][SYMBOL_MAX];
};

struct alert_params {
    struct alert_rule rule[ALERT_KIND_COUNT];
    int bell;                       /* enum alert_bell */
    double bell_min_s;              /* at most one bell per alert kind in this many seconds (10) */
    int bell_signals;               /* signals ring the bell: 1, 0, or -1 unset (the demo: off, live: on) */
    struct { char url[ALERT_SECRET_MAX]; char username[64]; } discord;
    struct { char token[ALERT_SECRET_MAX]; char chat_id[64]; char parse_mode[16];
             char api_base[256]; } telegram;
    struct { char url[ALERT_SECRET_MAX]; char secret[ALERT_SECRET_MAX]; char header[64]; } webhook;
    int queue;                      /* per channel, jobs; a full queue drops the oldest */
    int timeout_ms;                 /* per HTTP request */
    int retries;                    /* after the first attempt */
    int backoff_ms;                 /* first retry delay, doubling */
    double max_retry_after_s;       /* a 429's retry_after is honoured up to this */
};

void alert_params_defaults(struct alert_params *p);
/* The channels configured with a destination (bell counts unless off). */
unsigned alert_params_channels(const struct alert_params *p);
/* The `alerts` section of the configuration, for the vocabulary (config.h):
 * rules, channels, delivery limits; secrets as KEY (written in the file: a
 * warning when others may read it) or KEY_file (the first line of a file). */
extern const struct config_section alert_config_section;
/* Secret types other sections reuse: the value itself (registered for
 * redaction, never printed; arg "url" when it must be http(s)), and KEY_file
 * into the same place. */
extern const struct config_type alert_config_secret, alert_config_secret_file;
/* For a section's check: a secret given both as KEY and as KEY_file. */
void alert_config_not_both(struct config_load *x, const struct config_field *fields, int n);
/* The environment's secrets (ALPHAPULSE_DISCORD_URL, ALPHAPULSE_TELEGRAM_TOKEN,
 * ALPHAPULSE_TELEGRAM_CHAT_ID, ALPHAPULSE_WEBHOOK_URL, ALPHAPULSE_WEBHOOK_SECRET)
 * over the file's. */
int alert_params_env(struct alert_params *p, char *err, size_t err_len);
/* Which channels an event goes to under the rules (0: none). */
unsigned alert_rules_match(const struct alert_params *p, const struct alert_event *a);

/* Secrets: read a secret from a file (first line, trimmed); warns through the log
 * when the file is readable by group or others. Registers it for redaction. */
int alert_secret_file(const char *file, char *out, size_t len, char *err, size_t err_len);
/* Warn when a file that holds a secret is readable by group or others. */
void alert_secret_check_mode(const char *file, const char *what);

/* Outbound message bodies (pure; for the senders and the tests). */
int alert_format_discord(const struct alert_params *p, const struct alert_event *a, char *out, size_t len);
int alert_format_telegram(const struct alert_params *p, const struct alert_event *a, char *out, size_t len);
int alert_format_json(const struct alert_event *a, char *out, size_t len);
/* Seconds to wait from a 429 reply: the body's retry_after (top level or
 * Telegram's parameters.retry_after), else the Retry-After header; -1 if none. */
double alert_retry_after(const char *body, const char *retry_after_header);

/* HMAC-SHA256 of msg as lower-case hex (65 bytes with the NUL). */
void alert_hmac_sha256_hex(const void *key, size_t key_len, const void *msg, size_t msg_len, char out[65]);
void alert_sha256(const void *msg, size_t len, uint8_t out[32]);

/* Health probes the dispatcher polls (optional): seconds since the last market
 * message (negative: not applicable, e.g. the replay ended) and whether storage
 * writes are failing. */
struct alert_probes {
    double (*feed_silence_s)(void *ctx);
    bool (*storage_failing)(void *ctx);
    void *ctx;
};

struct alert_dispatcher;

/* from: the engine's alert queue (single consumer: the dispatcher). */
struct alert_dispatcher *alert_dispatcher_start(const struct alert_params *p, struct spsc *from,
                                                const struct alert_probes *probes);
/* Drains what is queued, gives the senders until grace_ms after the call to
 * finish, then stops them at once (a transfer under way is cut, its job counted
 * as failed). Returns within about grace_ms whatever the receivers do. */
void alert_dispatcher_stop(struct alert_dispatcher *d, int grace_ms);
/* Snapshot hooks (struct engine_thread_extras). */
void alert_dispatcher_fill(void *d, struct snapshot *s);
uint64_t alert_dispatcher_gen(void *d);
/* Totals, for tests and the exit log. */
struct alert_stats { uint64_t raised, sent, failed, dropped, bells, attempts; };
void alert_dispatcher_stats(struct alert_dispatcher *d, struct alert_stats *out);

#endif
