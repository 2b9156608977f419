/* Signals in: an HTTP endpoint on its own thread. libwebsockets runs the event
 * loop over raw sockets; the HTTP itself is ours (webhook_http.c), so each
 * connection carries exactly one request, gets exactly one answer with
 * "Connection: close", and is closed: pipelined or trailing bytes are never
 * read as a second request. Off by default and loopback by default; the
 * listening socket is made here, so it binds exactly the address asked for and
 * reports what the kernel bound. Limits come first and cost nothing: a
 * per-client token bucket (429), the head size (431), the path (404), the
 * method (405), the declared size (413), a deadline for the whole request (408),
 * then the strict parser (400), the token (401) and the review queue (503). An
 * accepted alert is only a command to the engine, which queues it for the user;
 * the server never touches the engine's state and never waits. */
#include "alphapulse/clock.h"
#include "alphapulse/webhook.h"

#include <arpa/inet.h>
#include <errno.h>
#include <libwebsockets.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "alphapulse/command.h"
#include "alphapulse/engine.h"
#include "alphapulse/log.h"

#define CLIENTS 256
#define CONNS_MAX 512          /* open connections; more are answered 503 at once */
#define LINGER_S 1             /* after the answer, unread bytes are drained this long */
#define STOP_WAIT_MS 1000      /* webhook_stop: the service thread must be gone by then */

struct client { char addr[48]; double tokens; int64_t last_ns; };

enum counter { K_ACCEPTED, K_BAD_BODY, K_BAD_TOKEN, K_TOO_LARGE, K_RATE, K_METHOD, K_NOT_FOUND, K_QUEUE_FULL,
               K_PENDING, K_COUNT };
static const char *const counter_names[K_COUNT] = {
    "accepted", "bad request", "bad token", "too large", "rate limited", "wrong method", "not found",
    "engine queue full", "review queue full",
};

struct webhook_server {
    struct webhook_params p;
    struct spsc *to;
    struct lws_context *ctx;
    struct lws_vhost *vh;
    int listen_fd;
    int port;
    char bound[72];                   /* read back from the socket */
    pthread_t th;
    bool running;
    atomic_bool stop;
    atomic_uint_fast64_t count[K_COUNT];
    /* webhook signals awaiting review: the last snapshot's count plus those
     * accepted since it was taken */
    atomic_uint_fast64_t snap_pending, accepted_at_snap;
    int conns;                        /* only the service thread touches these */
    struct client clients[CLIENTS];
    struct webhook_signal sig;        /* decide()'s: too large for its stack */
};

enum conn_state { C_READING, C_ANSWER, C_FLUSHING, C_LINGER };

/* per connection */
struct conn {
    enum conn_state state;
    bool counted;
    size_t out_len;
    unsigned char out[LWS_PRE + 1024];
    struct webhook_request req;
};

void webhook_params_defaults(struct webhook_params *p)
{
    memset(p, 0, sizeof *p);
    p->family = AF_INET;
    snprintf(p->addr, sizeof p->addr, "127.0.0.1");
    p->port = 8787;
    p->rate_per_s = 2;
    p->burst = 10;
    p->body_timeout_s = 5;
    p->max_pending = 20;
}

/* Token bucket per client address; a full table forgets the longest idle one. */
static bool rate_ok(struct webhook_server *w, const char *addr)
{
    int64_t now = clock_mono_ns();
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

static const char *reason_phrase(int status)
{
    switch (status) {
    case 202: return "Accepted";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 411: return "Length Required";
    case 413: return "Content Too Large";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 503: return "Service Unavailable";
    default: return "Error";
    }
}

/* The whole answer, headers and JSON body, into c->out; sent when writable. */
static void set_answer(struct conn *c, int status, const char *json)
{
    char *o = (char *)c->out + LWS_PRE;
    size_t room = sizeof c->out - LWS_PRE;
    int n = snprintf(o, room, "HTTP/1.1 %d %s\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n%s"
                              "Connection: close\r\n\r\n%s",
                     status, reason_phrase(status), strlen(json), status == 405 ? "Allow: POST\r\n" : "", json);
    if (n < 0 || (size_t)n >= room)       /* the reasons are short; never send a cut answer */
        n = snprintf(o, room, "HTTP/1.1 %d %s\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", status,
                     reason_phrase(status));
    c->out_len = (size_t)n;
    c->state = C_ANSWER;
}

static void refuse(struct webhook_server *w, struct conn *c, enum counter k, int status, const char *why)
{
    count(w, k, why);
    json_t *o = json_pack("{s:b, s:i, s:s}", "ok", 0, "status", status, "error", why);
    char *s = o ? json_dumps(o, JSON_COMPACT) : NULL;
    set_answer(c, status, s ? s : "{\"ok\":false}");
    free(s);
    json_decref(o);
}

static enum counter counter_of(int status)
{
    switch (status) {
    case 401: return K_BAD_TOKEN;
    case 404: return K_NOT_FOUND;
    case 405: return K_METHOD;
    case 413: return K_TOO_LARGE;
    case 429: return K_RATE;
    default: return K_BAD_BODY;       /* 400, 408, 411, 431 */
    }
}

static uint64_t pending_review(struct webhook_server *w)
{
    uint64_t since = atomic_load(&w->count[K_ACCEPTED]) - atomic_load(&w->accepted_at_snap);
    return atomic_load(&w->snap_pending) + since;
}

/* Redacted first, then cut at a character boundary: a cut secret is no longer
 * recognisable, so cutting first would leave its beginning on show. */
static void message_for_journal(char *message, size_t size, char *out, size_t out_size)
{
    log_redact(message, size);
    size_t n = strlen(message);
    if (n >= out_size) {
        n = out_size - 1;
        while (n > 0 && ((unsigned char)message[n] & 0xC0) == 0x80)
            n--;                      /* message[n] is the first byte left out */
    }
    memcpy(out, message, n);
    out[n] = 0;
}

/* A finished (or refused) request: decide the answer, hand an accepted alert to
 * the engine. */
static void decide(struct webhook_server *w, struct conn *c)
{
    struct webhook_signal *sig = &w->sig;
    char why[200];
    int status = webhook_request_answer(&c->req, w->p.token, sig, why, sizeof why);
    if (status != 202) {
        refuse(w, c, counter_of(status), status, why);
        return;
    }
    if (pending_review(w) >= (uint64_t)w->p.max_pending) {
        snprintf(why, sizeof why, "%d webhook signals already await review (webhook.max_pending); try later",
                 w->p.max_pending);
        refuse(w, c, K_PENDING, 503, why);
        return;
    }
    struct engine_event ev = { .type = EE_COMMAND };
    struct command *cmd = &ev.u.cmd;
    cmd->type = CMD_WEBHOOK_SIGNAL;
    memcpy(cmd->symbol, sig->symbol, SYMBOL_MAX);
    cmd->side = sig->side;
    cmd->price = sig->price;
    cmd->stop_loss = sig->stop;
    cmd->tp[0] = sig->tp;
    memcpy(cmd->timeframe, sig->timeframe, sizeof cmd->timeframe);
    cmd->auto_take = w->p.auto_take;
    message_for_journal(sig->message, sizeof sig->message, cmd->text, sizeof cmd->text);
    if (!spsc_push(w->to, &ev)) {
        refuse(w, c, K_QUEUE_FULL, 503, "engine busy, try again");
        return;
    }
    count(w, K_ACCEPTED, "");
    log_info("webhook: accepted %s %s", sig->side > 0 ? "BUY" : "SELL", sig->symbol);
    char ok[160];
    snprintf(ok, sizeof ok, "{\"ok\":true,\"queued\":\"%s %s\",\"auto_take\":%s}", sig->side > 0 ? "BUY" : "SELL",
             sig->symbol, w->p.auto_take ? "true" : "false");
    set_answer(c, 202, ok);
}

static void peer_of(int fd, char *out, size_t len)
{
    struct sockaddr_storage ss;
    socklen_t sl = sizeof ss;
    out[0] = 0;
    if (getpeername(fd, (struct sockaddr *)&ss, &sl) != 0)
        return;
    if (ss.ss_family == AF_INET)
        inet_ntop(AF_INET, &((struct sockaddr_in *)&ss)->sin_addr, out, (socklen_t)len);
    else if (ss.ss_family == AF_INET6)
        inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&ss)->sin6_addr, out, (socklen_t)len);
}

static int on_conn(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in, size_t len)
{
    struct webhook_server *w = lws_context_user(lws_get_context(wsi));
    struct conn *c = user;
    switch (reason) {
    case LWS_CALLBACK_RAW_ADOPT: {
        c->state = C_READING;
        c->counted = true;
        w->conns++;
        webhook_request_init(&c->req);
        /* the whole request must arrive within the deadline; the hard timeout
         * is a backstop in case the answer itself cannot be delivered */
        lws_set_timer_usecs(wsi, (lws_usec_t)w->p.body_timeout_s * LWS_US_PER_SEC);
        lws_set_timeout(wsi, PENDING_TIMEOUT_USER_OK, w->p.body_timeout_s + 2 * LINGER_S + 1);
        char peer[48];
        peer_of(lws_get_socket_fd(wsi), peer, sizeof peer);
        if (atomic_load(&w->stop))
            return -1;
        if (w->conns > CONNS_MAX)
            refuse(w, c, K_QUEUE_FULL, 503, "too many connections, try again");
        else if (!rate_ok(w, peer))
            refuse(w, c, K_RATE, 429, "rate limited, slow down");
        if (c->state == C_ANSWER)
            lws_callback_on_writable(wsi);
        return 0;
    }
    case LWS_CALLBACK_RAW_RX:
        if (c->state != C_READING)
            return 0;                 /* one request per connection: the rest is dropped */
        webhook_request_feed(&c->req, in, len);
        if (c->req.status) {
            lws_set_timer_usecs(wsi, LWS_SET_TIMER_USEC_CANCEL);
            decide(w, c);
            lws_callback_on_writable(wsi);
        }
        return 0;
    case LWS_CALLBACK_TIMER:
        if (c->state == C_READING) {
            refuse(w, c, K_BAD_BODY, 408, "request too slow");
            lws_callback_on_writable(wsi);
        }
        return 0;
    case LWS_CALLBACK_RAW_WRITEABLE:
        if (c->state == C_ANSWER) {
            if (lws_write(wsi, c->out + LWS_PRE, c->out_len, LWS_WRITE_RAW) < 0)
                return -1;
            c->state = C_FLUSHING;
            if (lws_send_pipe_choked(wsi)) {   /* lws holds the rest: finish it first */
                lws_callback_on_writable(wsi);
                return 0;
            }
        }
        if (c->state == C_FLUSHING) {
            /* Half-close, then drain what the client still sends for a moment:
             * closing with unread bytes would reset the connection and could
             * destroy the answer before the client reads it. */
            shutdown(lws_get_socket_fd(wsi), SHUT_WR);
            c->state = C_LINGER;
            lws_set_timeout(wsi, PENDING_TIMEOUT_USER_OK, LINGER_S);
        }
        return 0;
    case LWS_CALLBACK_RAW_CLOSE:
        if (c && c->counted) {
            c->counted = false;
            w->conns--;
        }
        return 0;
    default:
        return 0;
    }
}

/* The listening socket, adopted as a plain descriptor: readable means
 * connections are waiting; each accepted one becomes a raw connection. */
static int on_listen(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in, size_t len)
{
    (void)user; (void)in; (void)len;
    struct webhook_server *w = lws_context_user(lws_get_context(wsi));
    if (reason != LWS_CALLBACK_RAW_RX_FILE)
        return 0;
    for (int i = 0; i < 64 && !atomic_load(&w->stop); i++) {
        int fd = accept4(w->listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR && errno != ECONNABORTED)
                log_warn("webhook: accept: %s", strerror(errno));
            break;
        }
        lws_sock_file_fd_type d;
        d.sockfd = fd;
        if (!lws_adopt_descriptor_vhost(w->vh, LWS_ADOPT_SOCKET, d, "webhook", NULL))
            log_warn("webhook: could not take a connection (out of memory?)");
    }
    return 0;
}

static const struct lws_protocols protocols[] = {
    { "webhook", on_conn, sizeof(struct conn), 0, 0, NULL, 0 },
    { "webhook-listen", on_listen, 0, 0, 0, NULL, 0 },
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

static bool sa_loopback(const struct sockaddr_storage *ss)
{
    if (ss->ss_family == AF_INET)
        return (ntohl(((const struct sockaddr_in *)ss)->sin_addr.s_addr) >> 24) == 127;
    const struct in6_addr *a = &((const struct sockaddr_in6 *)ss)->sin6_addr;
    if (IN6_IS_ADDR_V4MAPPED(a))
        return a->s6_addr[12] == 127;
    return IN6_IS_ADDR_LOOPBACK(a);
}

/* socket + bind + listen on exactly p's address; the bound address read back. */
static int open_listener(struct webhook_server *w, char *err, size_t err_len)
{
    const struct webhook_params *p = &w->p;
    char asked[80];
    snprintf(asked, sizeof asked, p->family == AF_INET6 ? "[%s]:%d" : "%s:%d", p->addr, p->port);
#if !defined(LWS_WITH_IPV6)
    if (p->family == AF_INET6) {
        snprintf(err, err_len, "webhook.listen %s: this libwebsockets build has no IPv6; use an IPv4 address "
                               "such as 127.0.0.1:%d", asked, p->port);
        return -1;
    }
#endif
    struct sockaddr_storage ss;
    socklen_t sl;
    memset(&ss, 0, sizeof ss);
    if (p->family == AF_INET6) {
        struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;
        a->sin6_family = AF_INET6;
        a->sin6_port = htons((uint16_t)p->port);
        if (inet_pton(AF_INET6, p->addr, &a->sin6_addr) != 1)
            goto bad_addr;
        sl = sizeof *a;
    } else {
        struct sockaddr_in *a = (struct sockaddr_in *)&ss;
        a->sin_family = AF_INET;
        a->sin_port = htons((uint16_t)p->port);
        if (inet_pton(AF_INET, p->addr, &a->sin_addr) != 1)
            goto bad_addr;
        sl = sizeof *a;
    }
    int fd = socket(p->family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        snprintf(err, err_len, "webhook.listen %s: cannot make a socket: %s%s", asked, strerror(errno),
                 p->family == AF_INET6 && errno == EAFNOSUPPORT ? " (IPv6 is off on this machine)" : "");
        return -1;
    }
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    /* "[::]" means IPv6 only: binding exactly what was asked */
    if (p->family == AF_INET6 && setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one) != 0) {
        snprintf(err, err_len, "webhook.listen %s: cannot restrict the socket to IPv6: %s", asked, strerror(errno));
        close(fd);
        return -1;
    }
    if (bind(fd, (struct sockaddr *)&ss, sl) != 0 || listen(fd, 128) != 0) {
        int e = errno;
        snprintf(err, err_len, "webhook.listen %s: cannot listen there: %s%s", asked, strerror(e),
                 e == EADDRNOTAVAIL ? " (not an address of this machine)" :
                 e == EADDRINUSE ? " (another program uses the port)" : "");
        close(fd);
        return -1;
    }
    struct sockaddr_storage got;
    socklen_t gl = sizeof got;
    char host[INET6_ADDRSTRLEN] = "?";
    if (getsockname(fd, (struct sockaddr *)&got, &gl) != 0) {
        snprintf(err, err_len, "webhook.listen %s: cannot read the bound address: %s", asked, strerror(errno));
        close(fd);
        return -1;
    }
    if (got.ss_family == AF_INET6) {
        inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&got)->sin6_addr, host, sizeof host);
        w->port = ntohs(((struct sockaddr_in6 *)&got)->sin6_port);
        snprintf(w->bound, sizeof w->bound, "[%s]:%d", host, w->port);
    } else {
        inet_ntop(AF_INET, &((struct sockaddr_in *)&got)->sin_addr, host, sizeof host);
        w->port = ntohs(((struct sockaddr_in *)&got)->sin_port);
        snprintf(w->bound, sizeof w->bound, "%s:%d", host, w->port);
    }
    if (!sa_loopback(&got))
        log_warn("webhook: listening on %s, reachable from other machines; only the token protects it", w->bound);
    w->listen_fd = fd;
    return 0;
bad_addr:
    snprintf(err, err_len, "webhook.listen %s: not a numeric address", asked);
    return -1;
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
    if (w->p.max_pending < 1)
        w->p.max_pending = 1;
    w->to = to;
    w->listen_fd = -1;
    log_secret(p->token);
    if (open_listener(w, err, err_len)) {
        free(w);
        return NULL;
    }
    lws_set_log_level(LLL_ERR, lws_to_log);
    struct lws_context_creation_info ci;
    memset(&ci, 0, sizeof ci);
    ci.options = LWS_SERVER_OPTION_EXPLICIT_VHOSTS;
    ci.user = w;
    ci.port = CONTEXT_PORT_NO_LISTEN;
    w->ctx = lws_create_context(&ci);
    struct lws_context_creation_info vi;
    memset(&vi, 0, sizeof vi);
    vi.port = CONTEXT_PORT_NO_LISTEN;
    vi.protocols = protocols;
    vi.vhost_name = "webhook";
    lws_sock_file_fd_type d;
    d.filefd = w->listen_fd;
    if (!w->ctx || !(w->vh = lws_create_vhost(w->ctx, &vi)) ||
        !lws_adopt_descriptor_vhost(w->vh, LWS_ADOPT_RAW_FILE_DESC, d, "webhook-listen", NULL)) {
        snprintf(err, err_len, "webhook: cannot set up the libwebsockets server");
        if (w->ctx)
            lws_context_destroy(w->ctx);
        close(w->listen_fd);
        free(w);
        return NULL;
    }
    if (pthread_create(&w->th, NULL, service_main, w) != 0) {
        snprintf(err, err_len, "webhook: cannot start the server thread");
        lws_context_destroy(w->ctx);
        free(w);
        return NULL;
    }
    w->running = true;
    log_info("webhook: listening on http://%s/webhook (auto_take %s)", w->bound,
             p->auto_take ? "ON: accepted alerts trade without review" : "off");
    return w;
}

/* Waits for the service thread up to wait_ms; false if it is still there. */
static bool join_within(struct webhook_server *w, int wait_ms)
{
    struct timespec dl = clock_deadline(wait_ms);
    return pthread_timedjoin_np(w->th, NULL, &dl) == 0;
}

void webhook_stop_begin(struct webhook_server *w)
{
    if (!w || !w->running)
        return;
    atomic_store(&w->stop, true);
    lws_cancel_service(w->ctx);       /* wakes lws_service; safe from any thread */
}

bool webhook_stop_within(struct webhook_server *w, int wait_ms)
{
    if (!w)
        return true;
    if (w->running) {
        webhook_stop_begin(w);
        if (!join_within(w, wait_ms)) {
            /* The loop is stuck somewhere it cannot be woken from. Exiting on
             * time matters more: leave the thread and everything it uses alone. */
            log_error("webhook: the server thread did not stop in time; leaving it");
            pthread_detach(w->th);
            return false;
        }
        w->running = false;
    }
    lws_context_destroy(w->ctx);
    uint64_t total = 0;
    for (int k = 0; k < K_COUNT; k++)
        total += atomic_load(&w->count[k]);
    log_info("webhook: stopped; %llu requests, %llu accepted", (unsigned long long)total,
             (unsigned long long)atomic_load(&w->count[K_ACCEPTED]));
    free(w);
    return true;
}

void webhook_stop(struct webhook_server *w) { webhook_stop_within(w, STOP_WAIT_MS); }

int webhook_port(const struct webhook_server *w) { return w ? w->port : 0; }
const char *webhook_address(const struct webhook_server *w) { return w ? w->bound : ""; }

void webhook_fill(const struct webhook_server *cw, struct snapshot *snap)
{
    struct webhook_server *w = (struct webhook_server *)cw;
    struct snap_alerts *a = &snap->alerts;
    uint64_t accepted = atomic_load(&w->count[K_ACCEPTED]);
    uint64_t pending = 0;
    for (int i = 0; i < snap->n_signals && i < SNAP_SIGNALS; i++)
        pending += snap->signals[i].source == SIGNAL_SOURCE_WEBHOOK && snap->signals[i].state == SIGNAL_NEW;
    atomic_store(&w->snap_pending, pending);
    atomic_store(&w->accepted_at_snap, accepted);
    a->wh_listening = true;
    snprintf(a->wh_addr, sizeof a->wh_addr, "%s", w->bound);
    a->wh_accepted = accepted;
    a->wh_bad_body = atomic_load(&w->count[K_BAD_BODY]);
    a->wh_bad_token = atomic_load(&w->count[K_BAD_TOKEN]);
    a->wh_too_large = atomic_load(&w->count[K_TOO_LARGE]);
    a->wh_rate_limited = atomic_load(&w->count[K_RATE]);
    a->wh_bad_method = atomic_load(&w->count[K_METHOD]);
    a->wh_not_found = atomic_load(&w->count[K_NOT_FOUND]);
    a->wh_queue_full = atomic_load(&w->count[K_QUEUE_FULL]) + atomic_load(&w->count[K_PENDING]);
}

/* ---- configuration ---- */

/* "PORT" alone: digits, 0 to 65535 (0: any free port). */
static int parse_port(const char *s, int *port)
{
    long n = 0;
    if (!*s || strlen(s) > 5)
        return -1;
    for (const char *c = s; *c; c++) {
        if (*c < '0' || *c > '9')
            return -1;
        n = n * 10 + (*c - '0');
    }
    if (n > 65535)
        return -1;
    *port = (int)n;
    return 0;
}

int webhook_parse_listen(const char *s, struct webhook_params *p, char *err, size_t err_len)
{
    static const char expected[] = "expected A.B.C.D:PORT, [IPv6]:PORT, localhost:PORT or PORT, such as "
                                   "127.0.0.1:8787 or [::1]:8787";
    char host[64] = "127.0.0.1";
    int family = AF_INET, port;
    const char *port_text;
    unsigned char probe[sizeof(struct in6_addr)];
    if (s[0] == '[') {
        const char *close = strchr(s, ']');
        if (!close || close[1] != ':' || (size_t)(close - s - 1) >= sizeof host) {
            snprintf(err, err_len, "webhook listen address \"%s\": %s", s, expected);
            return -1;
        }
        snprintf(host, sizeof host, "%.*s", (int)(close - s - 1), s + 1);
        if (inet_pton(AF_INET6, host, probe) != 1) {
            snprintf(err, err_len, "webhook listen address \"%s\": \"%s\" is not a numeric IPv6 address", s, host);
            return -1;
        }
        family = AF_INET6;
        port_text = close + 2;
    } else if (strchr(s, ':') != strrchr(s, ':')) {
        snprintf(err, err_len, "webhook listen address \"%s\": an IPv6 address goes in brackets, such as [::1]:8787",
                 s);
        return -1;
    } else if (strchr(s, ':')) {
        const char *colon = strchr(s, ':');
        if ((size_t)(colon - s) >= sizeof host || colon == s) {
            snprintf(err, err_len, "webhook listen address \"%s\": %s", s, expected);
            return -1;
        }
        snprintf(host, sizeof host, "%.*s", (int)(colon - s), s);
        if (strcmp(host, "localhost") == 0) {
            snprintf(host, sizeof host, "127.0.0.1");       /* loopback, as the name promises */
        } else if (inet_pton(AF_INET, host, probe) != 1) {
            snprintf(err, err_len, "webhook listen address \"%s\": \"%s\" is not a numeric IPv4 address (names "
                                   "other than localhost are not looked up); %s", s, host, expected);
            return -1;
        }
        port_text = colon + 1;
    } else {
        port_text = s;
    }
    if (parse_port(port_text, &port)) {
        snprintf(err, err_len, "webhook listen address \"%s\": port \"%s\": expected 0 to 65535; %s", s, port_text,
                 expected);
        return -1;
    }
    p->family = family;
    snprintf(p->addr, sizeof p->addr, "%s", host);
    p->port = port;
    p->listen = true;
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
