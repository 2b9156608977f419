/* The WebSocket client transport. A self-rescheduling timer bounds each service
 * pass so the caller's own timers (silence, backoff, backfill) keep running while
 * the network is quiet. Oversized messages are discarded as they stream in, so a
 * hostile server cannot make us buffer without limit. */
#include "alphapulse/binance_ws.h"

#include <libwebsockets.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "alphapulse/log.h"
#include "alphapulse/clock.h"

#define SENDQ 64

struct binance_ws {
    lws_sorted_usec_list_t tick;      /* first: the timer callback finds us from it */
    struct lws_context *ctx;
    struct lws *wsi;
    struct binance_ws_callbacks cb;
    char host[256], url[300];
    int port;
    bool tls, connecting, open, ticked;
    char *rx;
    size_t rx_len, rx_cap, max_msg;
    bool rx_over;
    char *sendq[SENDQ];
    int sq_head, sq_len;
    char close_why[128];
    char tls_why[96];                 /* why the server's certificate was refused, for on_close */
};

static void lws_to_log(int level, const char *line)
{
    char buf[256];
    snprintf(buf, sizeof buf, "%s", line);
    size_t n = strlen(buf);
    while (n && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
        buf[--n] = 0;
    if (level & LLL_ERR)
        log_warn("libwebsockets: %s", buf);
    else
        log_debug("libwebsockets: %s", buf);
}

static void closed(struct binance_ws *w, const char *why)
{
    bool was = w->connecting || w->open;
    w->wsi = NULL;
    w->connecting = w->open = false;
    w->rx_len = 0;
    w->rx_over = false;
    while (w->sq_len) {                      /* subscriptions are per connection */
        free(w->sendq[w->sq_head]);
        w->sq_head = (w->sq_head + 1) % SENDQ;
        w->sq_len--;
    }
    if (was && w->cb.on_close)
        w->cb.on_close(w->cb.user, why);
}

static int callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in, size_t len)
{
    (void)user;
    struct binance_ws *w = lws_context_user(lws_get_context(wsi));
    if (!w || (w->wsi && wsi != w->wsi && reason != LWS_CALLBACK_CLIENT_CONNECTION_ERROR))
        return lws_callback_http_dummy(wsi, reason, user, in, len);
    switch (reason) {
    case LWS_CALLBACK_OPENSSL_PERFORM_SERVER_CERT_VERIFICATION:
        /* Only listening: libwebsockets refuses the certificate whatever we
         * return when OpenSSL did (len is preverify_ok), and 0 accepts nothing
         * OpenSSL refused. Its own error text for the connection ("connect SSL
         * err 1: error:00000001") would not tell the user why. */
        if (!len) {
            int e = X509_STORE_CTX_get_error((X509_STORE_CTX *)user);
            snprintf(w->tls_why, sizeof w->tls_why, "%s", X509_verify_cert_error_string(e));
        }
        return 0;
    case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
        if (wsi == w->wsi || !w->wsi) {
            char why[200];
            const char *lws_why = in && len ? (const char *)in : "connection failed";
            if (w->tls_why[0])
                snprintf(why, sizeof why, "TLS certificate verify failed: %s", w->tls_why);
            else if (w->tls && (strcasestr(lws_why, "ssl") || strcasestr(lws_why, "tls")))
                snprintf(why, sizeof why, "TLS handshake failed: %s", lws_why);
            else
                snprintf(why, sizeof why, "%s", lws_why);
            closed(w, why);
        }
        return 0;
    case LWS_CALLBACK_CLIENT_ESTABLISHED:
        w->connecting = false;
        w->open = true;
        if (w->cb.on_open)
            w->cb.on_open(w->cb.user);
        if (w->sq_len)
            lws_callback_on_writable(wsi);
        return 0;
    case LWS_CALLBACK_CLIENT_RECEIVE: {
        if (lws_frame_is_binary(wsi))
            w->rx_over = true;               /* Binance sends text only; treat as garbage */
        if (!w->rx_over) {
            if (w->rx_len + len > w->max_msg) {
                w->rx_over = true;
            } else {
                if (w->rx_len + len + 1 > w->rx_cap) {
                    size_t cap = w->rx_cap ? w->rx_cap : 4096;
                    while (cap < w->rx_len + len + 1)
                        cap *= 2;
                    char *b = realloc(w->rx, cap);
                    if (!b)
                        return -1;
                    w->rx = b;
                    w->rx_cap = cap;
                }
                memcpy(w->rx + w->rx_len, in, len);
            }
        }
        w->rx_len += len;
        if (lws_is_final_fragment(wsi) && !lws_remaining_packet_payload(wsi)) {
            if (w->rx_over) {
                if (w->cb.on_oversized)
                    w->cb.on_oversized(w->cb.user, w->rx_len);
            } else {
                w->rx[w->rx_len] = 0;
                w->cb.on_frame(w->cb.user, w->rx, w->rx_len, clock_mono_ns());
            }
            w->rx_len = 0;
            w->rx_over = false;
        }
        return 0;
    }
    case LWS_CALLBACK_CLIENT_WRITEABLE: {
        if (!w->sq_len)
            return 0;
        char *msg = w->sendq[w->sq_head];
        size_t n = strlen(msg);
        unsigned char *buf = malloc(LWS_PRE + n);
        if (!buf)
            return -1;
        memcpy(buf + LWS_PRE, msg, n);
        int wr = lws_write(wsi, buf + LWS_PRE, n, LWS_WRITE_TEXT);
        free(buf);
        free(msg);
        w->sq_head = (w->sq_head + 1) % SENDQ;
        w->sq_len--;
        if (wr < (int)n)
            return -1;
        if (w->sq_len)
            lws_callback_on_writable(wsi);
        return 0;
    }
    case LWS_CALLBACK_CLIENT_CLOSED:
        closed(w, w->close_why[0] ? w->close_why : "closed by the server");
        return 0;
    case LWS_CALLBACK_WS_PEER_INITIATED_CLOSE:
        snprintf(w->close_why, sizeof w->close_why, "closed by the server");
        return 0;
    default:
        break;
    }
    return lws_callback_http_dummy(wsi, reason, user, in, len);
}

static const struct lws_protocols protocols[] = {
    { "binance-stream", callback, 0, 65536, 0, NULL, 0 },
    { NULL, NULL, 0, 0, 0, NULL, 0 },
};

static void on_tick(lws_sorted_usec_list_t *sul)
{
    struct binance_ws *w = (struct binance_ws *)sul;   /* tick is the first member */
    w->ticked = true;
}

struct binance_ws *binance_ws_create(const char *url, const char *ca_file, const struct binance_ws_callbacks *cb,
                                     size_t max_msg, char *err, size_t err_len)
{
    bool tls;
    const char *rest;
    if (strncmp(url, "wss://", 6) == 0) {
        tls = true;
        rest = url + 6;
    } else if (strncmp(url, "ws://", 5) == 0) {
        tls = false;
        rest = url + 5;
    } else {
        snprintf(err, err_len, "--ws-url %s: expected wss://HOST[:PORT] or ws://HOST[:PORT]", url);
        return NULL;
    }
    struct binance_ws *w = calloc(1, sizeof *w);
    if (!w) {
        snprintf(err, err_len, "out of memory");
        return NULL;
    }
    w->cb = *cb;
    w->tls = tls;
    w->max_msg = max_msg;
    snprintf(w->url, sizeof w->url, "%s", url);
    size_t hl = strcspn(rest, ":/");
    if (hl == 0 || hl >= sizeof w->host) {
        snprintf(err, err_len, "--ws-url %s: no host name", url);
        free(w);
        return NULL;
    }
    memcpy(w->host, rest, hl);
    w->host[hl] = 0;
    w->port = tls ? 443 : 80;
    if (rest[hl] == ':') {
        char *end;
        long p = strtol(rest + hl + 1, &end, 10);
        if (p <= 0 || p > 65535 || (*end && *end != '/')) {
            snprintf(err, err_len, "--ws-url %s: bad port (expected 1-65535)", url);
            free(w);
            return NULL;
        }
        w->port = (int)p;
    }
    lws_set_log_level(LLL_ERR, lws_to_log);
    struct lws_context_creation_info info;
    memset(&info, 0, sizeof info);
    info.port = CONTEXT_PORT_NO_LISTEN;
    info.protocols = protocols;
    info.user = w;
    info.gid = -1;
    info.uid = -1;
    if (tls) {
        /* The peer's chain and its name (ci.host) are always checked: no
         * LCCSCF_ALLOW_* flag is ever set. A CA file replaces the system's
         * trust store rather than adding to it, as CURLOPT_CAINFO does for
         * REST, so both transports trust exactly the same authorities. */
        info.options |= LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
        if (ca_file && *ca_file) {
            info.client_ssl_ca_filepath = ca_file;
            info.options |= LWS_SERVER_OPTION_DISABLE_OS_CA_CERTS;
        }
    }
    w->ctx = lws_create_context(&info);
    if (!w->ctx) {
        snprintf(err, err_len, "cannot create the WebSocket context for %s", url);
        free(w);
        return NULL;
    }
    return w;
}

void binance_ws_destroy(struct binance_ws *w)
{
    if (!w)
        return;
    w->cb.on_close = NULL;
    lws_sul_cancel(&w->tick);
    lws_context_destroy(w->ctx);
    while (w->sq_len) {
        free(w->sendq[w->sq_head]);
        w->sq_head = (w->sq_head + 1) % SENDQ;
        w->sq_len--;
    }
    free(w->rx);
    free(w);
}

int binance_ws_connect(struct binance_ws *w, const char *path)
{
    if (w->connecting || w->open)
        return -1;
    struct lws_client_connect_info ci;
    memset(&ci, 0, sizeof ci);
    ci.context = w->ctx;
    ci.address = w->host;
    ci.port = w->port;
    ci.path = path;
    ci.host = w->host;
    ci.origin = w->host;
    ci.protocol = NULL;
    ci.local_protocol_name = "binance-stream";
    ci.ssl_connection = w->tls ? LCCSCF_USE_SSL : 0;
    ci.alpn = "http/1.1";                /* the upgrade is HTTP/1.1, as on Binance */
    ci.pwsi = &w->wsi;
    w->close_why[0] = 0;
    w->tls_why[0] = 0;
    w->connecting = true;
    if (!lws_client_connect_via_info(&ci)) {
        bool was = w->connecting;
        w->connecting = false;
        w->wsi = NULL;
        return was ? -1 : -1;
    }
    return 0;
}

bool binance_ws_busy(const struct binance_ws *w) { return w->connecting || w->open; }
bool binance_ws_open(const struct binance_ws *w) { return w->open; }

int binance_ws_send(struct binance_ws *w, const char *text)
{
    if (!w->open || w->sq_len == SENDQ)
        return -1;
    char *m = strdup(text);
    if (!m)
        return -1;
    w->sendq[(w->sq_head + w->sq_len) % SENDQ] = m;
    w->sq_len++;
    lws_callback_on_writable(w->wsi);
    return 0;
}

void binance_ws_drop(struct binance_ws *w)
{
    if (w->wsi) {
        snprintf(w->close_why, sizeof w->close_why, "dropped by us");
        lws_set_timeout(w->wsi, PENDING_TIMEOUT_USER_OK, LWS_TO_KILL_ASYNC);
    }
}

void binance_ws_service(struct binance_ws *w, int max_wait_ms)
{
    w->ticked = false;
    lws_sul_schedule(w->ctx, 0, &w->tick, on_tick, (lws_usec_t)max_wait_ms * 1000);
    lws_service(w->ctx, 0);
    lws_sul_cancel(&w->tick);
}
