/* Alerts out. The dispatcher thread pops the engine's alerts, applies the rules,
 * rings the bell (a counter the UI turns into beep()/flash()) and hands each
 * remote delivery to that channel's sender thread. A sender owns one libcurl
 * handle and a bounded queue (full: the oldest job is dropped and counted);
 * it honours 429 retry_after, retries other failures with doubling backoff, and
 * gives up at shutdown. So a dead or slow receiver costs one thread, never the
 * engine or the UI, and one channel's rate limit never delays another. */
#include "alphapulse/alert.h"

#include <curl/curl.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "alphapulse/version.h"
#include "alphapulse/log.h"
#include "alphapulse/clock.h"

#define RESP_MAX 4096
#define PROBE_NS 200000000LL

enum { S_DISCORD, S_TELEGRAM, S_WEBHOOK, S_COUNT };
static const unsigned sender_bits[S_COUNT] = { ALERT_CH_DISCORD, ALERT_CH_TELEGRAM, ALERT_CH_WEBHOOK };
static const char *const sender_names[S_COUNT] = { "discord", "telegram", "webhook" };

struct job { uint64_t log_id; struct alert_event a; };

struct sender {
    struct alert_dispatcher *d;
    int which;
    pthread_t th;
    bool running;                   /* set before the dispatcher thread starts, then only read */
    CURL *h;                        /* the sender thread's; made and freed around its life */
    CURLM *m;                       /* ditto: lets the stop wake a transfer at once */
    pthread_mutex_t mu;
    pthread_cond_t cv;
    struct job *ring;
    int cap, head, len;
    bool busy;                      /* a job is being delivered */
};

struct alert_dispatcher {
    struct alert_params p;
    struct spsc *from;
    struct alert_probes probes;
    pthread_t th;
    bool running;
    atomic_bool stop, abort;
    struct sender snd[S_COUNT];
    pthread_mutex_t log_mu;         /* the log ring and the per-entry outcome */
    struct snap_alert log[SNAP_ALERTS];
    uint64_t next_id;
    atomic_uint_fast64_t gen, bell_seq, raised, sent, failed, dropped, attempts;
    double bell_rung[ALERT_KIND_COUNT];   /* monotonic time of each kind's last bell (dispatcher thread) */
    bool stale_on, storage_on;
};

/* ---- message bodies ---- */

static int dump(json_t *o, char *out, size_t len)
{
    if (!o)
        return -1;
    size_t n = json_dumpb(o, out, len - 1, JSON_COMPACT);
    json_decref(o);
    if (n == 0 || n >= len)
        return -1;
    out[n] = 0;
    return (int)n;
}

static void plain_line(const struct alert_event *a, char *out, size_t len)
{
    snprintf(out, len, "AlphaPulse %s%s%s: %s", alert_kind_name(a->kind), a->symbol[0] ? " " : "", a->symbol,
             a->text);
}

int alert_format_discord(const struct alert_params *p, const struct alert_event *a, char *out, size_t len)
{
    char line[ALERT_TEXT_MAX + 64];
    plain_line(a, line, sizeof line);
    /* allowed_mentions parse [] so an alert text can never ping anyone */
    return dump(json_pack("{s:s, s:s, s:{s:[]}}", "content", line, "username", p->discord.username,
                          "allowed_mentions", "parse"), out, len);
}

/* Escape for Telegram's parse modes so alert text is shown, never interpreted. */
static void tg_escape(const char *mode, const char *in, char *out, size_t len)
{
    size_t o = 0;
    for (; *in && o + 6 < len; in++) {
        if (strcmp(mode, "HTML") == 0 && (*in == '<' || *in == '>' || *in == '&')) {
            const char *e = *in == '<' ? "&lt;" : *in == '>' ? "&gt;" : "&amp;";
            o += (size_t)snprintf(out + o, len - o, "%s", e);
            continue;
        }
        if ((strcmp(mode, "MarkdownV2") == 0 && strchr("_*[]()~`>#+-=|{}.!\\", *in)) ||
            (strcmp(mode, "Markdown") == 0 && strchr("_*`[", *in)))
            out[o++] = '\\';
        out[o++] = *in;
    }
    out[o] = 0;
}

int alert_format_telegram(const struct alert_params *p, const struct alert_event *a, char *out, size_t len)
{
    char line[ALERT_TEXT_MAX + 64], esc[4 * (ALERT_TEXT_MAX + 64)];
    plain_line(a, line, sizeof line);
    tg_escape(p->telegram.parse_mode, line, esc, sizeof esc);
    json_t *o = json_object();
    /* a numeric chat id is sent as an integer (ids exceed 32 bits), "@name" as a string */
    char *end;
    long long id = strtoll(p->telegram.chat_id, &end, 10);
    if (p->telegram.chat_id[0] && !*end)
        json_object_set_new(o, "chat_id", json_integer(id));
    else
        json_object_set_new(o, "chat_id", json_string(p->telegram.chat_id));
    json_object_set_new(o, "text", json_string(esc));
    if (p->telegram.parse_mode[0])
        json_object_set_new(o, "parse_mode", json_string(p->telegram.parse_mode));
    json_object_set_new(o, "link_preview_options", json_pack("{s:b}", "is_disabled", 1));
    return dump(o, out, len);
}

int alert_format_json(const struct alert_event *a, char *out, size_t len)
{
    json_t *o = json_pack("{s:s, s:s, s:s, s:I, s:s}", "source", "alphapulse", "kind", alert_kind_name(a->kind),
                          "symbol", a->symbol, "time", (json_int_t)a->time, "text", a->text);
    if (o && !isnan(a->confidence))
        json_object_set_new(o, "confidence", json_real(a->confidence));
    return dump(o, out, len);
}

double alert_retry_after(const char *body, const char *header)
{
    json_t *j = body ? json_loads(body, 0, NULL) : NULL;
    double s = -1;
    if (j) {
        json_t *v = json_object_get(j, "retry_after");
        if (!v)
            v = json_object_get(json_object_get(j, "parameters"), "retry_after");
        if (json_is_number(v) && json_number_value(v) >= 0)
            s = json_number_value(v);
        json_decref(j);
    }
    if (s < 0 && header && *header) {
        char *end;
        double h = strtod(header, &end);
        if (end != header && h >= 0)
            s = h;
    }
    return s;
}

/* ---- the alert log shown on the alerts screen ---- */

/* Redacted whole, then cut to fit at a character boundary: cutting first could
 * leave the beginning of a secret that redaction no longer recognises. */
static void redacted_copy(char *out, size_t size, const char *text)
{
    char whole[ALERT_TEXT_MAX + 512];
    snprintf(whole, sizeof whole, "%s", text);
    log_redact(whole, sizeof whole);
    size_t n = strlen(whole);
    if (n >= size) {
        n = size - 1;
        while (n > 0 && ((unsigned char)whole[n] & 0xC0) == 0x80)
            n--;
    }
    memcpy(out, whole, n);
    out[n] = 0;
}

static struct snap_alert *log_entry(struct alert_dispatcher *d, uint64_t id)
{
    if (id + SNAP_ALERTS < d->next_id || id >= d->next_id)
        return NULL;                          /* already scrolled out */
    return &d->log[id % SNAP_ALERTS];
}

static void log_outcome(struct alert_dispatcher *d, uint64_t id, unsigned bit, int outcome, const char *note)
{
    pthread_mutex_lock(&d->log_mu);
    struct snap_alert *e = log_entry(d, id);
    if (e) {
        if (outcome > 0)
            e->delivered |= (uint8_t)bit;
        else if (outcome < 0)
            e->failed |= (uint8_t)bit;
        else
            e->dropped |= (uint8_t)bit;
        redacted_copy(e->result, sizeof e->result, note);
    }
    pthread_mutex_unlock(&d->log_mu);
    atomic_fetch_add(&d->gen, 1);
}

/* ---- senders ---- */

struct resp { char body[RESP_MAX]; size_t len; char retry_after[32]; };

static size_t on_body(char *p, size_t sz, size_t n, void *ud)
{
    struct resp *r = ud;
    size_t take = sz * n;
    if (take > sizeof r->body - 1 - r->len)
        take = sizeof r->body - 1 - r->len;
    memcpy(r->body + r->len, p, take);
    r->len += take;
    r->body[r->len] = 0;
    return sz * n;
}

static size_t on_header(char *p, size_t sz, size_t n, void *ud)
{
    struct resp *r = ud;
    size_t len = sz * n;
    static const char name[] = "retry-after:";
    if (len > sizeof name - 1 && strncasecmp(p, name, sizeof name - 1) == 0) {
        size_t v = len - (sizeof name - 1);
        if (v >= sizeof r->retry_after)
            v = sizeof r->retry_after - 1;
        memcpy(r->retry_after, p + sizeof name - 1, v);
        r->retry_after[v] = 0;
    }
    return len;
}

static int on_progress(void *ud, curl_off_t a, curl_off_t b, curl_off_t c, curl_off_t e)
{
    (void)a; (void)b; (void)c; (void)e;
    struct alert_dispatcher *d = ud;
    return atomic_load(&d->abort) ? 1 : 0;
}

/* Sleeps up to ms; false when shutdown cut it short. */
static bool nap(struct alert_dispatcher *d, double ms)
{
    while (ms > 0 && !atomic_load(&d->abort)) {
        double step = ms < 20 ? ms : 20;
        nanosleep(&(struct timespec){ 0, (long)(step * 1e6) }, NULL);
        ms -= step;
    }
    return !atomic_load(&d->abort);
}

/* One transfer through the sender's multi handle instead of curl_easy_perform:
 * its wait can be cut short by curl_multi_wakeup, so a receiver that never
 * answers holds the shutdown for no longer than the stop's deadline. */
static CURLcode perform(struct sender *s, CURL *h)
{
    struct alert_dispatcher *d = s->d;
    if (curl_multi_add_handle(s->m, h) != CURLM_OK)
        return CURLE_FAILED_INIT;
    CURLcode rc = CURLE_ABORTED_BY_CALLBACK;
    int active = 1;
    while (!atomic_load(&d->abort)) {
        if (curl_multi_perform(s->m, &active) != CURLM_OK) {
            rc = CURLE_FAILED_INIT;
            break;
        }
        int left;
        CURLMsg *msg = curl_multi_info_read(s->m, &left);
        if (msg && msg->msg == CURLMSG_DONE) {
            rc = msg->data.result;
            break;
        }
        if (!active) {                        /* finished without a message: not expected */
            rc = CURLE_FAILED_INIT;
            break;
        }
        if (curl_multi_poll(s->m, NULL, 0, 1000, NULL) != CURLM_OK) {
            rc = CURLE_FAILED_INIT;
            break;
        }
    }
    curl_multi_remove_handle(s->m, h);
    return rc;
}

static void deliver(struct sender *s, CURL *h, const struct job *j)
{
    struct alert_dispatcher *d = s->d;
    const struct alert_params *p = &d->p;
    char url[ALERT_SECRET_MAX + 300], body[4096], note[512], sig[160];
    int n = -1;
    struct curl_slist *hdr = curl_slist_append(NULL, "Content-Type: application/json");
    if (s->which == S_DISCORD) {
        snprintf(url, sizeof url, "%s", p->discord.url);
        n = alert_format_discord(p, &j->a, body, sizeof body);
        hdr = curl_slist_append(hdr, "User-Agent: DiscordBot (https://alphapulse.invalid, " ALPHAPULSE_VERSION ")");
    } else if (s->which == S_TELEGRAM) {
        snprintf(url, sizeof url, "%s/bot%s/sendMessage", p->telegram.api_base, p->telegram.token);
        n = alert_format_telegram(p, &j->a, body, sizeof body);
    } else {
        snprintf(url, sizeof url, "%s", p->webhook.url);
        n = alert_format_json(&j->a, body, sizeof body);
        if (n > 0 && p->webhook.secret[0]) {
            char hex[65];
            alert_hmac_sha256_hex(p->webhook.secret, strlen(p->webhook.secret), body, (size_t)n, hex);
            snprintf(sig, sizeof sig, "%s: sha256=%s", p->webhook.header, hex);
            hdr = curl_slist_append(hdr, sig);
        }
    }
    if (s->which != S_DISCORD)
        hdr = curl_slist_append(hdr, "User-Agent: AlphaPulse/" ALPHAPULSE_VERSION);
    if (n < 0) {
        curl_slist_free_all(hdr);
        atomic_fetch_add(&d->failed, 1);
        log_outcome(d, j->log_id, sender_bits[s->which], -1, "message too long to send");
        return;
    }
    const char *name = sender_names[s->which];
    int outcome = -1;
    for (int attempt = 0; attempt <= p->retries && !atomic_load(&d->abort); attempt++) {
        struct resp r = { .len = 0 };
        char cerr[CURL_ERROR_SIZE] = "";
        curl_easy_reset(h);
        curl_easy_setopt(h, CURLOPT_URL, url);
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, (long)n);
        curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdr);
        curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, (long)p->timeout_ms);
        curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, (long)p->timeout_ms);
        curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
        curl_easy_setopt(h, CURLOPT_WRITEDATA, &r);
        curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
        curl_easy_setopt(h, CURLOPT_HEADERDATA, &r);
        curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
        curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, on_progress);
        curl_easy_setopt(h, CURLOPT_XFERINFODATA, d);
        curl_easy_setopt(h, CURLOPT_ERRORBUFFER, cerr);
        curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
        atomic_fetch_add(&d->attempts, 1);
        CURLcode rc = perform(s, h);
        long code = 0;
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
        double wait_ms;
        if (rc == CURLE_OK && code >= 200 && code < 300) {
            snprintf(note, sizeof note, "%s %ld%s", name, code, attempt ? " after retry" : "");
            outcome = 1;
            break;
        }
        if (rc == CURLE_OK && code == 429) {
            double ra = alert_retry_after(r.body, r.retry_after);
            if (ra > p->max_retry_after_s)
                ra = p->max_retry_after_s;
            wait_ms = ra >= 0 ? ra * 1000 : p->backoff_ms * pow(2, attempt);
            snprintf(note, sizeof note, "%s 429, retry in %.1fs", name, wait_ms / 1000);
        } else if (rc == CURLE_OK && code >= 400 && code < 500) {
            snprintf(note, sizeof note, "%s %ld: refused", name, code);
            break;                            /* our request is wrong: retrying will not help */
        } else {
            if (rc != CURLE_OK)
                snprintf(note, sizeof note, "%s: %s", name, cerr[0] ? cerr : curl_easy_strerror(rc));
            else
                snprintf(note, sizeof note, "%s %ld", name, code);
            wait_ms = p->backoff_ms * pow(2, attempt);
        }
        if (attempt == p->retries)
            break;
        log_outcome(d, j->log_id, 0, 1, note);   /* show the wait while it lasts */
        log_info("alert %s: %s", name, note);
        if (!nap(d, wait_ms))
            break;
    }
    curl_slist_free_all(hdr);
    if (outcome > 0) {
        atomic_fetch_add(&d->sent, 1);
    } else {
        atomic_fetch_add(&d->failed, 1);
        if (atomic_load(&d->abort))
            snprintf(note, sizeof note, "%s: abandoned at shutdown", name);
        log_warn("alert %s failed: %s", name, note);
    }
    log_outcome(d, j->log_id, sender_bits[s->which], outcome, note);
}

static void *sender_main(void *arg)
{
    struct sender *s = arg;
    struct alert_dispatcher *d = s->d;
    CURL *h = s->m ? s->h : NULL;
    for (;;) {
        pthread_mutex_lock(&s->mu);
        while (s->len == 0 && !atomic_load(&d->abort) && !atomic_load(&d->stop))
            pthread_cond_wait(&s->cv, &s->mu);
        if (s->len == 0 || atomic_load(&d->abort)) {
            pthread_mutex_unlock(&s->mu);
            if (atomic_load(&d->abort) || atomic_load(&d->stop))
                break;
            continue;
        }
        struct job j = s->ring[s->head];
        s->head = (s->head + 1) % s->cap;
        s->len--;
        s->busy = true;
        pthread_mutex_unlock(&s->mu);
        if (h)
            deliver(s, h, &j);
        else
            log_outcome(d, j.log_id, sender_bits[s->which], -1, "cannot start libcurl");
        pthread_mutex_lock(&s->mu);
        s->busy = false;
        pthread_mutex_unlock(&s->mu);
    }
    /* what is left at shutdown is dropped, and said so */
    pthread_mutex_lock(&s->mu);
    while (s->len) {
        log_outcome(d, s->ring[s->head].log_id, sender_bits[s->which], 0, "dropped at shutdown");
        atomic_fetch_add(&d->dropped, 1);
        s->head = (s->head + 1) % s->cap;
        s->len--;
    }
    pthread_mutex_unlock(&s->mu);
    return NULL;
}

static void sender_push(struct sender *s, const struct job *j)
{
    struct alert_dispatcher *d = s->d;
    uint64_t dropped_id = 0;
    bool dropped = false;
    pthread_mutex_lock(&s->mu);
    if (s->len == s->cap) {                   /* full: the oldest goes */
        dropped_id = s->ring[s->head].log_id;
        dropped = true;
        s->head = (s->head + 1) % s->cap;
        s->len--;
    }
    s->ring[(s->head + s->len) % s->cap] = *j;
    s->len++;
    pthread_cond_signal(&s->cv);
    pthread_mutex_unlock(&s->mu);
    if (dropped) {
        atomic_fetch_add(&d->dropped, 1);
        log_outcome(d, dropped_id, sender_bits[s->which], 0, "dropped: queue full");
    }
}

/* ---- the dispatcher ---- */

static void raise_alert(struct alert_dispatcher *d, const struct alert_event *a)
{
    unsigned ch = alert_rules_match(&d->p, a);
    if (ch & ALERT_CH_BELL) {
        /* the bell is for a person at the terminal: signals only when asked for
         * (bell_signals), and at most one ring per kind every bell_min_s */
        double now = (double)clock_mono_ns() / 1e9;
        int k = a->kind >= 0 && a->kind < ALERT_KIND_COUNT ? a->kind : 0;
        if ((a->kind == ALERT_SIGNAL && d->p.bell_signals == 0) ||
            (d->bell_rung[k] > 0 && now - d->bell_rung[k] < d->p.bell_min_s))
            ch &= ~(unsigned)ALERT_CH_BELL;
        else
            d->bell_rung[k] = now;
    }
    if (!ch)
        return;
    atomic_fetch_add(&d->raised, 1);
    pthread_mutex_lock(&d->log_mu);
    uint64_t id = d->next_id++;
    struct snap_alert *e = &d->log[id % SNAP_ALERTS];
    memset(e, 0, sizeof *e);
    e->time = a->time;
    e->kind = (int8_t)a->kind;
    e->channels = (uint8_t)ch;
    memcpy(e->symbol, a->symbol, SYMBOL_MAX);
    redacted_copy(e->text, sizeof e->text, a->text);
    if (ch & ALERT_CH_BELL)
        e->delivered |= ALERT_CH_BELL;
    pthread_mutex_unlock(&d->log_mu);
    if (ch & ALERT_CH_BELL)
        atomic_fetch_add(&d->bell_seq, 1);
    atomic_fetch_add(&d->gen, 1);
    struct job j = { .log_id = id, .a = *a };
    log_redact(j.a.text, sizeof j.a.text);
    for (int i = 0; i < S_COUNT; i++)
        if ((ch & sender_bits[i]) && d->snd[i].running)
            sender_push(&d->snd[i], &j);
}

/* Feed silence and storage failures are seen here, not in the engine: they are
 * about the wall clock and the other threads, which the engine never reads. */
static void watch(struct alert_dispatcher *d)
{
    const struct alert_probes *pr = &d->probes;
    if (pr->feed_silence_s) {
        double s = pr->feed_silence_s(pr->ctx);
        double limit = d->p.rule[ALERT_FEED_STALE].after_s;
        if (s > limit && !d->stale_on) {
            struct alert_event a = { .kind = ALERT_FEED_STALE, .time = clock_wall_ms(), .confidence = NAN };
            snprintf(a.text, sizeof a.text, "no market data for %.0f s (limit %.0f s)", s, limit);
            raise_alert(d, &a);
        }
        d->stale_on = s > limit;
    }
    if (pr->storage_failing) {
        bool f = pr->storage_failing(pr->ctx);
        if (f && !d->storage_on) {
            struct alert_event a = { .kind = ALERT_STORAGE, .time = clock_wall_ms(), .confidence = NAN };
            snprintf(a.text, sizeof a.text, "database writes are failing; see the log");
            raise_alert(d, &a);
        }
        d->storage_on = f;
    }
}

static void *dispatcher_main(void *arg)
{
    struct alert_dispatcher *d = arg;
    struct alert_event a;
    int64_t last_probe = 0;
    for (;;) {
        bool stopping = atomic_load(&d->stop);
        int n = 0;
        while (d->from && spsc_pop(d->from, &a)) {
            raise_alert(d, &a);
            n++;
        }
        int64_t now = clock_mono_ns();
        if (now - last_probe >= PROBE_NS) {
            watch(d);
            last_probe = now;
        }
        if (stopping && n == 0)
            break;
        if (n == 0)
            nanosleep(&(struct timespec){ 0, 5000000 }, NULL);
    }
    return NULL;
}

struct alert_dispatcher *alert_dispatcher_start(const struct alert_params *p, struct spsc *from,
                                                const struct alert_probes *probes)
{
    struct alert_dispatcher *d = calloc(1, sizeof *d);
    if (!d)
        return NULL;
    d->p = *p;
    if (d->p.queue < 1)
        d->p.queue = 1;
    d->from = from;
    if (probes)
        d->probes = *probes;
    pthread_mutex_init(&d->log_mu, NULL);
    const char *secrets[] = { p->discord.url, p->telegram.token, p->webhook.url, p->webhook.secret };
    for (size_t i = 0; i < sizeof secrets / sizeof secrets[0]; i++)
        log_secret(secrets[i]);
    unsigned have = alert_params_channels(p);
    if (have & (ALERT_CH_DISCORD | ALERT_CH_TELEGRAM | ALERT_CH_WEBHOOK))
        curl_global_init(CURL_GLOBAL_DEFAULT);
    for (int i = 0; i < S_COUNT; i++) {
        struct sender *s = &d->snd[i];
        s->d = d;
        s->which = i;
        pthread_mutex_init(&s->mu, NULL);
        pthread_cond_init(&s->cv, NULL);
        if (!(have & sender_bits[i]))
            continue;
        s->cap = d->p.queue;
        s->ring = calloc((size_t)s->cap, sizeof *s->ring);
        s->h = curl_easy_init();
        s->m = s->h ? curl_multi_init() : NULL;   /* none: each job fails "cannot start libcurl" */
        if (s->ring && pthread_create(&s->th, NULL, sender_main, s) == 0)
            s->running = true;
        else
            log_error("alerts: cannot start the %s sender", sender_names[i]);
    }
    if (pthread_create(&d->th, NULL, dispatcher_main, d) != 0) {
        alert_dispatcher_stop(d, 0);
        return NULL;
    }
    d->running = true;
    log_info("alerts: channels%s%s%s%s", have & ALERT_CH_BELL ? " bell" : "", have & ALERT_CH_DISCORD ? " discord" : "",
             have & ALERT_CH_TELEGRAM ? " telegram" : "", have & ALERT_CH_WEBHOOK ? " webhook" : "");
    return d;
}

void alert_dispatcher_stop(struct alert_dispatcher *d, int grace_ms)
{
    if (!d)
        return;
    int64_t deadline = clock_mono_ns() + (int64_t)(grace_ms > 0 ? grace_ms : 0) * 1000000LL;
    atomic_store(&d->stop, true);
    if (d->running)
        pthread_join(d->th, NULL);
    /* let the senders finish what is queued until the deadline */
    while (clock_mono_ns() < deadline) {
        bool idle = true;
        for (int i = 0; i < S_COUNT; i++) {
            struct sender *s = &d->snd[i];
            pthread_mutex_lock(&s->mu);
            idle &= !s->running || (s->len == 0 && !s->busy);
            pthread_mutex_unlock(&s->mu);
        }
        if (idle)
            break;
        nanosleep(&(struct timespec){ 0, 5000000 }, NULL);
    }
    atomic_store(&d->abort, true);
    for (int i = 0; i < S_COUNT; i++) {       /* wake every sender before waiting for any */
        struct sender *s = &d->snd[i];
        pthread_mutex_lock(&s->mu);
        pthread_cond_broadcast(&s->cv);
        pthread_mutex_unlock(&s->mu);
        if (s->m)
            curl_multi_wakeup(s->m);
    }
    for (int i = 0; i < S_COUNT; i++) {
        struct sender *s = &d->snd[i];
        if (s->running)
            pthread_join(s->th, NULL);
        if (s->m)
            curl_multi_cleanup(s->m);
        if (s->h)
            curl_easy_cleanup(s->h);
        pthread_mutex_destroy(&s->mu);
        pthread_cond_destroy(&s->cv);
        free(s->ring);
    }
    struct alert_stats st;
    alert_dispatcher_stats(d, &st);
    log_info("alerts: %llu raised, %llu sent, %llu failed, %llu dropped", (unsigned long long)st.raised,
             (unsigned long long)st.sent, (unsigned long long)st.failed, (unsigned long long)st.dropped);
    pthread_mutex_destroy(&d->log_mu);
    free(d);
}

void alert_dispatcher_fill(void *arg, struct snapshot *snap)
{
    struct alert_dispatcher *d = arg;
    struct snap_alerts *o = &snap->alerts;
    o->active = true;
    o->bell_mode = (uint8_t)d->p.bell;
    o->bell_seq = atomic_load(&d->bell_seq);
    o->raised = atomic_load(&d->raised);
    o->sent = atomic_load(&d->sent);
    o->failed = atomic_load(&d->failed);
    o->dropped = atomic_load(&d->dropped);
    pthread_mutex_lock(&d->log_mu);
    uint64_t first = d->next_id > SNAP_ALERTS ? d->next_id - SNAP_ALERTS : 0;
    o->n = (int)(d->next_id - first);
    for (uint64_t id = first; id < d->next_id; id++)
        o->a[id - first] = d->log[id % SNAP_ALERTS];
    pthread_mutex_unlock(&d->log_mu);
}

uint64_t alert_dispatcher_gen(void *arg)
{
    struct alert_dispatcher *d = arg;
    return atomic_load(&d->gen);
}

void alert_dispatcher_stats(struct alert_dispatcher *d, struct alert_stats *o)
{
    o->raised = atomic_load(&d->raised);
    o->sent = atomic_load(&d->sent);
    o->failed = atomic_load(&d->failed);
    o->dropped = atomic_load(&d->dropped);
    o->bells = atomic_load(&d->bell_seq);
    o->attempts = atomic_load(&d->attempts);
}
