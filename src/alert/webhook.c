/* Signals in: a libwebsockets HTTP server on its own thread. Off by default and
 * loopback by default; every request must carry the shared token (header
 * X-AlphaPulse-Token or the body's token, compared in constant time). Limits
 * come first and cost nothing: a per-client token bucket (429), the path (404),
 * the method (405), the declared and the actual size (413), a deadline for the
 * whole request (slow clients are cut), then the strict parser (400) and the
 * token (401). An accepted alert is only a command to the engine, which queues
 * it for the user; the server never touches the engine's state and never waits. */
#include "alphapulse/webhook.h"

#include <libwebsockets.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "alphapulse/command.h"
#include "alphapulse/engine.h"
#include "alphapulse/log.h"

#define CLIENTS 256
#define TOKEN_HEADER "x-alphapulse-token:"

struct client { char addr[48]; double tokens; int64_t last_ns; };

enum counter { K_ACCEPTED, K_BAD_BODY, K_BAD_TOKEN, K_TOO_LARGE, K_RATE, K_METHOD, K_NOT_FOUND, K_QUEUE_FULL, K_COUNT };
static const char *const counter_names[K_COUNT] = {
    "accepted", "bad body", "bad token", "too large", "rate limited", "wrong method", "not found", "engine queue full",
};

struct webhook_server {
    struct webhook_params p;
    struct spsc *to;
    struct lws_context *ctx;
    struct lws_vhost *vh;
    int port;
    pthread_t th;
    bool running;
    atomic_bool stop;
    atomic_uint_fast64_t count[K_COUNT];
    struct client clients[CLIENTS];   /* only the service thread touches these */
};

/* per connection */
struct pss {
    int64_t started_ns;
    size_t len;
    bool posting, done;
    char hdr_token[WEBHOOK_TOKEN_MAX];
    char body[WEBHOOK_BODY_MAX + 1];
};

void webhook_params_defaults(struct webhook_params *p)
{
    memset(p, 0, sizeof *p);
    snprintf(p->addr, sizeof p->addr, "127.0.0.1");
    p->port = 8787;
    p->rate_per_s = 2;
    p->burst = 10;
    p->body_timeout_s = 5;
}

static int64_t mono_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Token bucket per client address; a full table forgets the longest idle one. */
static bool rate_ok(struct webhook_server *w, const char *addr)
{
    int64_t now = mono_ns();
    struct client *c = NULL, *idle = &w->clients[0];
    for (int i = 0; i < CLIENTS && !c; i++) {
        if (strcmp(w->clients[i].addr, addr) == 0)
            c = &w->clients[i];
        else if (w->clients[i].last_ns < idle->last_ns)
            idle = &w->clients[i];
    }
    if (!c) {
        c = idle;
        snprintf(c->addr, sizeof c->addr, "%s", addr);
        c->tokens = w->p.burst;
        c->last_ns = now;
    }
    c->tokens += (double)(now - c->last_ns) / 1e9 * w->p.rate_per_s;
    if (c->tokens > w->p.burst)
        c->tokens = w->p.burst;
    c->last_ns = now;
    if (c->tokens < 1)
        return false;
    c->tokens -= 1;
    return true;
}

static void count(struct webhook_server *w, enum counter k, const char *why)
{
    uint64_t n = atomic_fetch_add(&w->count[k], 1) + 1;
    if (k != K_ACCEPTED && (n <= 5 || n % 1000 == 0))   /* a flood must not flood the log */
        log_warn("webhook: rejected (%s, %llu so far): %s", counter_names[k], (unsigned long long)n, why);
}

static int reply(struct lws *wsi, int status, const char *json, bool close)
{
    unsigned char buf[LWS_PRE + 1024], *start = buf + LWS_PRE, *p = start, *end = buf + sizeof buf - 1;
    size_t len = strlen(json);
    if (lws_add_http_common_headers(wsi, (unsigned)status, "application/json", len, &p, end))
        return -1;
    if (status == 405 && lws_add_http_header_by_name(wsi, (const unsigned char *)"allow:", (const unsigned char *)"POST",
                                                     4, &p, end))
        return -1;
    if (close && lws_add_http_header_by_token(wsi, WSI_TOKEN_CONNECTION, (const unsigned char *)"close", 5, &p, end))
        return -1;
    if (lws_finalize_write_http_header(wsi, start, &p, end))
        return -1;
    unsigned char body[LWS_PRE + 512];
    if (len > sizeof body - LWS_PRE)
        len = sizeof body - LWS_PRE;
    memcpy(body + LWS_PRE, json, len);
    if (lws_write(wsi, body + LWS_PRE, len, LWS_WRITE_HTTP_FINAL) != (int)len)
        return -1;
    if (close)
        return -1;            /* the request was not read to its end: drop the connection */
    return lws_http_transaction_completed(wsi) ? -1 : 0;
}

static int reject(struct webhook_server *w, struct lws *wsi, enum counter k, int status, const char *why, bool close)
{
    count(w, k, why);
    json_t *o = json_pack("{s:b, s:i, s:s}", "ok", 0, "status", status, "error", why);
    char *s = o ? json_dumps(o, JSON_COMPACT) : NULL;
    int rc = reply(wsi, status, s ? s : "{\"ok\":false}", close);
    free(s);
    json_decref(o);
    return rc;
}

static int method_of(struct lws *wsi)
{
    static const enum lws_token_indexes m[] = { WSI_TOKEN_POST_URI, WSI_TOKEN_GET_URI, WSI_TOKEN_PUT_URI,
                                                WSI_TOKEN_PATCH_URI, WSI_TOKEN_DELETE_URI, WSI_TOKEN_OPTIONS_URI,
                                                WSI_TOKEN_HEAD_URI };
    for (size_t i = 0; i < sizeof m / sizeof m[0]; i++)
        if (lws_hdr_total_length(wsi, m[i]) > 0)
            return (int)i;
    return -1;
}

static int on_complete(struct webhook_server *w, struct lws *wsi, struct pss *s)
{
    struct webhook_signal sig;
    char why[200];
    s->done = true;
    if (webhook_parse_body(s->body, s->len, &sig, why, sizeof why))
        return reject(w, wsi, K_BAD_BODY, 400, why, false);
    const char *given = s->hdr_token[0] ? s->hdr_token : sig.token;
    if (!webhook_token_equal(given, w->p.token))
        return reject(w, wsi, K_BAD_TOKEN, 401, given[0] ? "wrong token" : "missing token", false);
    struct engine_event ev = { .type = EE_COMMAND };
    struct command *c = &ev.u.cmd;
    c->type = CMD_WEBHOOK_SIGNAL;
    memcpy(c->symbol, sig.symbol, SYMBOL_MAX);
    c->side = sig.side;
    c->price = sig.price;
    c->stop_loss = sig.stop;
    c->tp[0] = sig.tp;
    memcpy(c->timeframe, sig.timeframe, sizeof c->timeframe);
    c->auto_take = w->p.auto_take;
    snprintf(c->text, sizeof c->text, "%s", sig.message);
    log_redact(c->text, sizeof c->text);
    if (!spsc_push(w->to, &ev))
        return reject(w, wsi, K_QUEUE_FULL, 503, "engine busy, try again", false);
    count(w, K_ACCEPTED, "");
    log_info("webhook: accepted %s %s", sig.side > 0 ? "BUY" : "SELL", sig.symbol);
    char ok[160];
    snprintf(ok, sizeof ok, "{\"ok\":true,\"queued\":\"%s %s\",\"auto_take\":%s}", sig.side > 0 ? "BUY" : "SELL",
             sig.symbol, w->p.auto_take ? "true" : "false");
    return reply(wsi, 202, ok, false);
}

static int callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in, size_t len)
{
    struct webhook_server *w = lws_context_user(lws_get_context(wsi));
    struct pss *s = user;
    switch (reason) {
    case LWS_CALLBACK_HTTP: {
        memset(s, 0, offsetof(struct pss, body));
        char peer[48] = "";
        lws_get_peer_simple(wsi, peer, sizeof peer);
        if (!rate_ok(w, peer))
            return reject(w, wsi, K_RATE, 429, "rate limited, slow down", true);
        const char *uri = in ? (const char *)in : "";
        if (strcmp(uri, "/webhook") != 0)
            return reject(w, wsi, K_NOT_FOUND, 404, "not found; alerts go to POST /webhook", true);
        if (method_of(wsi) != 0)
            return reject(w, wsi, K_METHOD, 405, "method not allowed; use POST", true);
        char cl[24] = "";
        if (lws_hdr_copy(wsi, cl, sizeof cl, WSI_TOKEN_HTTP_CONTENT_LENGTH) <= 0)
            return reject(w, wsi, K_BAD_BODY, 411, "Content-Length required", true);
        char *end;
        long long n = strtoll(cl, &end, 10);
        if (*end || n < 0)
            return reject(w, wsi, K_BAD_BODY, 400, "bad Content-Length", true);
        if (n > WEBHOOK_BODY_MAX)
            return reject(w, wsi, K_TOO_LARGE, 413, "body over 8192 bytes", true);
        if (n == 0)
            return reject(w, wsi, K_BAD_BODY, 400, "empty body", true);
        int hl = lws_hdr_custom_copy(wsi, s->hdr_token, sizeof s->hdr_token, TOKEN_HEADER, sizeof TOKEN_HEADER - 1);
        if (hl < 0)
            s->hdr_token[0] = 0;
        s->posting = true;
        s->started_ns = mono_ns();
        /* the whole body must arrive within the deadline: a slow client is cut */
        lws_set_timeout(wsi, PENDING_TIMEOUT_HTTP_CONTENT, w->p.body_timeout_s);
        return 0;
    }
    case LWS_CALLBACK_HTTP_BODY:
        if (!s->posting || s->done)
            return -1;
        /* lws re-arms its timeout on every chunk; a trickling body meets this one */
        if (mono_ns() - s->started_ns > (int64_t)w->p.body_timeout_s * 1000000000LL)
            return reject(w, wsi, K_BAD_BODY, 408, "request too slow", true);
        if (s->len + len > WEBHOOK_BODY_MAX)
            return reject(w, wsi, K_TOO_LARGE, 413, "body over 8192 bytes", true);
        memcpy(s->body + s->len, in, len);
        s->len += len;
        s->body[s->len] = 0;
        return 0;
    case LWS_CALLBACK_HTTP_BODY_COMPLETION:
        if (!s->posting || s->done)
            return -1;
        lws_set_timeout(wsi, NO_PENDING_TIMEOUT, 0);
        return on_complete(w, wsi, s);
    case LWS_CALLBACK_EVENT_WAIT_CANCELLED:
        return 0;
    default:
        break;
    }
    return lws_callback_http_dummy(wsi, reason, user, in, len);
}

static const struct lws_protocols protocols[] = {
    { "http", callback, sizeof(struct pss), 0, 0, NULL, 0 },
    { NULL, NULL, 0, 0, 0, NULL, 0 }
};

static void lws_to_log(int level, const char *line)
{
    char buf[256];
    snprintf(buf, sizeof buf, "%s", line);
    buf[strcspn(buf, "\n")] = 0;
    if (level & LLL_ERR)
        log_error("webhook (lws): %s", buf);
    else
        log_warn("webhook (lws): %s", buf);
}

static void *service_main(void *arg)
{
    struct webhook_server *w = arg;
    while (!atomic_load(&w->stop))
        if (lws_service(w->ctx, 0) < 0)
            break;
    return NULL;
}

static bool loopback(const char *a)
{
    return strncmp(a, "127.", 4) == 0 || strcmp(a, "::1") == 0 || strcmp(a, "localhost") == 0;
}

struct webhook_server *webhook_start(const struct webhook_params *p, struct spsc *to, char *err, size_t err_len)
{
    if (strlen(p->token) < 16) {
        snprintf(err, err_len, "webhook.listen is on but the shared token is %s: set webhook.token_file or "
                               "ALPHAPULSE_WEBHOOK_TOKEN (at least 16 characters)",
                 p->token[0] ? "too short" : "missing");
        return NULL;
    }
    struct webhook_server *w = calloc(1, sizeof *w);
    if (!w) {
        snprintf(err, err_len, "out of memory");
        return NULL;
    }
    w->p = *p;
    w->to = to;
    log_secret(p->token);
    lws_set_log_level(LLL_ERR, lws_to_log);
    struct lws_context_creation_info ci;
    memset(&ci, 0, sizeof ci);
    ci.options = LWS_SERVER_OPTION_EXPLICIT_VHOSTS | LWS_SERVER_OPTION_DISABLE_IPV6;
    ci.user = w;
    ci.port = CONTEXT_PORT_NO_LISTEN;
    w->ctx = lws_create_context(&ci);
    if (!w->ctx) {
        snprintf(err, err_len, "webhook: cannot create the libwebsockets context");
        free(w);
        return NULL;
    }
    struct lws_context_creation_info vi;
    memset(&vi, 0, sizeof vi);
    vi.port = p->port;
    vi.iface = p->addr;
    vi.protocols = protocols;
    vi.vhost_name = "webhook";
    vi.timeout_secs = (unsigned)p->body_timeout_s;
    vi.timeout_secs_ah_idle = (unsigned)p->body_timeout_s;
    vi.keepalive_timeout = p->body_timeout_s;
    vi.options = LWS_SERVER_OPTION_DISABLE_IPV6;
    w->vh = lws_create_vhost(w->ctx, &vi);
    if (!w->vh) {
        snprintf(err, err_len, "webhook.listen %s:%d: cannot listen there (address in use or not local?)", p->addr,
                 p->port);
        lws_context_destroy(w->ctx);
        free(w);
        return NULL;
    }
    w->port = lws_get_vhost_listen_port(w->vh);
    if (pthread_create(&w->th, NULL, service_main, w) != 0) {
        snprintf(err, err_len, "webhook: cannot start the server thread");
        lws_context_destroy(w->ctx);
        free(w);
        return NULL;
    }
    w->running = true;
    if (!loopback(p->addr))
        log_warn("webhook: listening on %s:%d, reachable from other machines; only the token protects it",
                 p->addr, w->port);
    log_info("webhook: listening on http://%s:%d/webhook (auto_take %s)", p->addr, w->port,
             p->auto_take ? "ON: accepted alerts trade without review" : "off");
    return w;
}

void webhook_stop(struct webhook_server *w)
{
    if (!w)
        return;
    if (w->running) {
        atomic_store(&w->stop, true);
        lws_cancel_service(w->ctx);
        pthread_join(w->th, NULL);
    }
    lws_context_destroy(w->ctx);
    uint64_t total = 0;
    for (int k = 0; k < K_COUNT; k++)
        total += atomic_load(&w->count[k]);
    log_info("webhook: stopped; %llu requests, %llu accepted", (unsigned long long)total,
             (unsigned long long)atomic_load(&w->count[K_ACCEPTED]));
    free(w);
}

int webhook_port(const struct webhook_server *w) { return w ? w->port : 0; }

void webhook_fill(const struct webhook_server *cw, struct snap_alerts *a)
{
    struct webhook_server *w = (struct webhook_server *)cw;
    a->wh_listening = true;
    snprintf(a->wh_addr, sizeof a->wh_addr, "%s:%d", w->p.addr, w->port);
    a->wh_accepted = atomic_load(&w->count[K_ACCEPTED]);
    a->wh_bad_body = atomic_load(&w->count[K_BAD_BODY]);
    a->wh_bad_token = atomic_load(&w->count[K_BAD_TOKEN]);
    a->wh_too_large = atomic_load(&w->count[K_TOO_LARGE]);
    a->wh_rate_limited = atomic_load(&w->count[K_RATE]);
    a->wh_bad_method = atomic_load(&w->count[K_METHOD]);
    a->wh_not_found = atomic_load(&w->count[K_NOT_FOUND]);
    a->wh_queue_full = atomic_load(&w->count[K_QUEUE_FULL]);
}

/* ---- configuration ---- */

int webhook_parse_listen(const char *s, struct webhook_params *p, char *err, size_t err_len)
{
    const char *colon = strrchr(s, ':');
    const char *port = colon ? colon + 1 : s;
    char *end;
    long n = strtol(port, &end, 10);
    if (*end || end == port || n < 0 || n > 65535 || (colon && (size_t)(colon - s) >= sizeof p->addr)) {
        snprintf(err, err_len, "webhook listen address \"%s\": expected ADDR:PORT such as 127.0.0.1:8787", s);
        return -1;
    }
    if (colon && colon > s)
        snprintf(p->addr, sizeof p->addr, "%.*s", (int)(colon - s), s);
    p->port = (int)n;
    p->listen = true;
    return 0;
}

int webhook_params_parse(json_t *obj, const char *path, struct webhook_params *p, bool *inline_secret,
                         char *err, size_t n)
{
    char m[300];
    if (!json_is_object(obj)) {
        snprintf(err, n, "%s: webhook: expected an object", path);
        return -1;
    }
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v) {
        if (strcmp(key, "listen") == 0) {
            if (json_is_boolean(v)) {
                p->listen = json_is_true(v);
            } else if (!json_is_string(v) || webhook_parse_listen(json_string_value(v), p, m, sizeof m)) {
                snprintf(err, n, "%s: webhook.listen: expected true, false or \"ADDR:PORT\" such as "
                                 "\"127.0.0.1:8787\"", path);
                return -1;
            }
        } else if (strcmp(key, "token") == 0 || strcmp(key, "token_file") == 0) {
            if (!json_is_string(v) || json_string_length(v) == 0 || json_string_length(v) >= 1024) {
                snprintf(err, n, "%s: webhook.%s: expected a non-empty string", path, key);
                return -1;
            }
            if (key[5] == 0) {
                if (json_string_length(v) >= sizeof p->token) {
                    snprintf(err, n, "%s: webhook.token: expected at most %zu characters", path, sizeof p->token - 1);
                    return -1;
                }
                snprintf(p->token, sizeof p->token, "%s", json_string_value(v));
                log_secret(p->token);
                *inline_secret = true;
            } else if (webhook_token_file(json_string_value(v), p, m, sizeof m)) {
                snprintf(err, n, "%s: webhook.token_file: %s", path, m);
                return -1;
            }
        } else if (strcmp(key, "auto_take") == 0) {
            if (!json_is_boolean(v)) {
                snprintf(err, n, "%s: webhook.auto_take: expected true or false", path);
                return -1;
            }
            p->auto_take = json_is_true(v);
        } else if (strcmp(key, "rate_per_s") == 0 || strcmp(key, "burst") == 0) {
            if (!json_is_number(v) || json_number_value(v) <= 0 || json_number_value(v) > 100000) {
                snprintf(err, n, "%s: webhook.%s: expected a positive number", path, key);
                return -1;
            }
            *(key[0] == 'r' ? &p->rate_per_s : &p->burst) = json_number_value(v);
        } else if (strcmp(key, "timeout_s") == 0) {
            if (!json_is_integer(v) || json_integer_value(v) < 1 || json_integer_value(v) > 300) {
                snprintf(err, n, "%s: webhook.timeout_s: expected whole seconds from 1 to 300", path);
                return -1;
            }
            p->body_timeout_s = (int)json_integer_value(v);
        } else {
            snprintf(err, n, "%s: webhook.%s: unknown key (expected listen, token, token_file, auto_take, "
                             "rate_per_s, burst, timeout_s)", path, key);
            return -1;
        }
    }
    if (p->burst < 1)
        p->burst = 1;
    return 0;
}

int webhook_token_file(const char *file, struct webhook_params *p, char *err, size_t err_len)
{
    FILE *f = fopen(file, "r");
    if (!f) {
        snprintf(err, err_len, "%s: cannot read the token file", file);
        return -1;
    }
    char buf[WEBHOOK_TOKEN_MAX + 2] = "";
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    buf[strcspn(buf, "\r\n")] = 0;
    if (!buf[0] || strlen(buf) >= sizeof p->token) {
        snprintf(err, err_len, "%s: expected the token on the first line (1 to %zu characters)", file,
                 sizeof p->token - 1);
        return -1;
    }
    snprintf(p->token, sizeof p->token, "%.*s", (int)sizeof p->token - 1, buf);
    log_secret(p->token);
    struct stat st;
    if (stat(file, &st) == 0 && (st.st_mode & (S_IRGRP | S_IROTH)))
        log_warn("%s holds the webhook token but is readable by group or others; run: chmod 600 %s", file, file);
    return 0;
}

void webhook_params_env(struct webhook_params *p)
{
    const char *t = getenv("ALPHAPULSE_WEBHOOK_TOKEN");
    if (t && *t && strlen(t) < sizeof p->token) {
        snprintf(p->token, sizeof p->token, "%s", t);
        log_secret(p->token);
    }
}

uint64_t webhook_requests(const struct webhook_server *cw)
{
    struct webhook_server *w = (struct webhook_server *)cw;
    uint64_t n = 0;
    for (int k = 0; k < K_COUNT; k++)
        n += atomic_load(&w->count[k]);
    return n;
}
