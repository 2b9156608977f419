/* Alerts out against a local HTTP receiver (a thread in this process on
 * 127.0.0.1) standing in for Discord, Telegram and a generic webhook: each gets
 * the right JSON, the HMAC header verifies, a 429's retry_after is honoured,
 * and a receiver that never answers costs the engine nothing. */
#include <arpa/inet.h>
#include <math.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "harness.h"
#include "alphapulse/alert.h"
#include "alphapulse/engine.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

#define MAXREQ 64
struct req { char path[256]; char body[4096]; char sig[128]; char ua[128]; double at; };

static struct sink {
    int fd, port;
    bool silent;                 /* accept, read, never answer */
    atomic_int discord_429, telegram_429;   /* answer this many 429s first */
    pthread_mutex_t mu;
    struct req req[MAXREQ];
    int n;
    atomic_bool stop;
    pthread_t th;
} sink;

static void header_value(const char *hdrs, const char *name, char *out, size_t n)
{
    out[0] = 0;
    const char *p = strcasestr(hdrs, name);
    if (!p)
        return;
    p += strlen(name);
    while (*p == ' ')
        p++;
    size_t l = strcspn(p, "\r\n");
    snprintf(out, n, "%.*s", (int)l, p);
}

static void serve_one(int c)
{
    char buf[8192];
    size_t got = 0;
    char *end = NULL;
    while (got < sizeof buf - 1) {
        ssize_t k = recv(c, buf + got, sizeof buf - 1 - got, 0);
        if (k <= 0)
            return;
        got += (size_t)k;
        buf[got] = 0;
        if ((end = strstr(buf, "\r\n\r\n"))) {
            char cl[32];
            header_value(buf, "content-length:", cl, sizeof cl);
            if (got >= (size_t)(end + 4 - buf) + (size_t)atoi(cl))
                break;
        }
    }
    if (!end)
        return;
    if (sink.silent) {
        while (!atomic_load(&sink.stop))
            usleep(10000);
        return;
    }
    struct req r = { .at = now_s() };
    sscanf(buf, "POST %255s", r.path);
    snprintf(r.body, sizeof r.body, "%s", end + 4);
    header_value(buf, "x-alphapulse-signature:", r.sig, sizeof r.sig);
    header_value(buf, "user-agent:", r.ua, sizeof r.ua);
    pthread_mutex_lock(&sink.mu);
    if (sink.n < MAXREQ)
        sink.req[sink.n++] = r;
    pthread_mutex_unlock(&sink.mu);
    const char *resp;
    if (strstr(r.path, "/api/webhooks/") && atomic_fetch_sub(&sink.discord_429, 1) > 0)
        resp = "HTTP/1.1 429 Too Many Requests\r\nContent-Type: application/json\r\nContent-Length: 64\r\n"
               "Connection: close\r\n\r\n{\"message\": \"You are being rate limited.\", \"retry_after\": 0.6}   ";
    else if (strstr(r.path, "/sendMessage") && atomic_fetch_sub(&sink.telegram_429, 1) > 0)
        resp = "HTTP/1.1 429 Too Many Requests\r\nContent-Type: application/json\r\nContent-Length: 109\r\n"
               "Connection: close\r\n\r\n{\"ok\":false,\"error_code\":429,\"description\":\"Too Many Requests: retry after 1\","
               "\"parameters\":{\"retry_after\":1}}";
    else if (strstr(r.path, "/api/webhooks/"))
        resp = "HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n";
    else
        resp = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\nConnection: close\r\n\r\n"
               "{\"ok\":true}";
    send(c, resp, strlen(resp), MSG_NOSIGNAL);
}

static void *sink_main(void *arg)
{
    (void)arg;
    while (!atomic_load(&sink.stop)) {
        int c = accept(sink.fd, NULL, NULL);
        if (c < 0)
            continue;
        struct timeval tv = { 0, 200000 };
        setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        serve_one(c);
        close(c);
    }
    return NULL;
}

static void sink_start(bool silent)
{
    memset(&sink, 0, sizeof sink);
    pthread_mutex_init(&sink.mu, NULL);
    sink.silent = silent;
    sink.fd = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(sink.fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in a = { .sin_family = AF_INET };
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(sink.fd, (struct sockaddr *)&a, sizeof a);
    socklen_t al = sizeof a;
    getsockname(sink.fd, (struct sockaddr *)&a, &al);
    sink.port = ntohs(a.sin_port);
    listen(sink.fd, 64);
    struct timeval tv = { 0, 100000 };
    setsockopt(sink.fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);   /* accept() wakes to see stop */
    pthread_create(&sink.th, NULL, sink_main, NULL);
}

static void sink_stop(void)
{
    atomic_store(&sink.stop, true);
    pthread_join(sink.th, NULL);
    close(sink.fd);
}

static int sink_count(const char *path_part)
{
    int n = 0;
    pthread_mutex_lock(&sink.mu);
    for (int i = 0; i < sink.n; i++)
        n += strstr(sink.req[i].path, path_part) != NULL;
    pthread_mutex_unlock(&sink.mu);
    return n;
}

static bool wait_count(const char *path_part, int n, double secs)
{
    double t0 = now_s();
    while (now_s() - t0 < secs) {
        if (sink_count(path_part) >= n)
            return true;
        usleep(10000);
    }
    return false;
}

static const struct req *find(const char *path_part, int nth)
{
    for (int i = 0; i < sink.n; i++)
        if (strstr(sink.req[i].path, path_part) && nth-- == 0)
            return &sink.req[i];
    return NULL;
}

static void params_for_sink(struct alert_params *p)
{
    alert_params_defaults(p);
    snprintf(p->discord.url, sizeof p->discord.url, "http://127.0.0.1:%d/api/webhooks/42/DSECRET-abc123", sink.port);
    snprintf(p->telegram.api_base, sizeof p->telegram.api_base, "http://127.0.0.1:%d", sink.port);
    snprintf(p->telegram.token, sizeof p->telegram.token, "123456:TSECRET-xyz");
    snprintf(p->telegram.chat_id, sizeof p->telegram.chat_id, "-1001234567890");
    snprintf(p->telegram.parse_mode, sizeof p->telegram.parse_mode, "HTML");
    snprintf(p->webhook.url, sizeof p->webhook.url, "http://127.0.0.1:%d/hook", sink.port);
    snprintf(p->webhook.secret, sizeof p->webhook.secret, "hmac-shared-secret");
    p->timeout_ms = 2000;
    p->backoff_ms = 50;
}

static void test_deliveries_carry_the_right_json(void)
{
    sink_start(false);
    struct alert_params p;
    params_for_sink(&p);
    struct spsc q;
    spsc_init(&q, sizeof(struct alert_event), 64);
    struct alert_dispatcher *d = alert_dispatcher_start(&p, &q, NULL);
    struct alert_event a = { .kind = ALERT_FILL, .time = 1733406500000, .symbol = "BTCUSDT", .confidence = NAN,
                             .text = "filled BUY 0.01 BTCUSDT @ 100000 <b>&" };
    CHECK(spsc_push(&q, &a));
    CHECK(wait_count("/api/webhooks/", 1, 5) && wait_count("/sendMessage", 1, 5) && wait_count("/hook", 1, 5));
    pthread_mutex_lock(&sink.mu);
    const struct req *r = find("/api/webhooks/42/", 0);
    json_t *j = r ? json_loads(r->body, 0, NULL) : NULL;
    CHECK_MSG(j && strcmp(json_string_value(json_object_get(j, "content")),
                          "AlphaPulse fill BTCUSDT: filled BUY 0.01 BTCUSDT @ 100000 <b>&") == 0,
              "discord body %s", r ? r->body : "(none)");
    CHECK(j && json_array_size(json_object_get(json_object_get(j, "allowed_mentions"), "parse")) == 0);
    CHECK(r && strncmp(r->ua, "DiscordBot (", 12) == 0);
    json_decref(j);
    r = find("/bot123456:TSECRET-xyz/sendMessage", 0);
    j = r ? json_loads(r->body, 0, NULL) : NULL;
    CHECK_MSG(j && json_is_integer(json_object_get(j, "chat_id")) &&
              json_integer_value(json_object_get(j, "chat_id")) == -1001234567890LL, "telegram chat_id");
    CHECK_MSG(j && strcmp(json_string_value(json_object_get(j, "text")),
                          "AlphaPulse fill BTCUSDT: filled BUY 0.01 BTCUSDT @ 100000 &lt;b&gt;&amp;") == 0,
              "telegram body %s", r ? r->body : "(none)");
    CHECK(j && strcmp(json_string_value(json_object_get(j, "parse_mode")), "HTML") == 0);
    json_decref(j);
    r = find("/hook", 0);
    j = r ? json_loads(r->body, 0, NULL) : NULL;
    CHECK(j && strcmp(json_string_value(json_object_get(j, "kind")), "fill") == 0);
    CHECK(j && strcmp(json_string_value(json_object_get(j, "symbol")), "BTCUSDT") == 0);
    CHECK(j && json_integer_value(json_object_get(j, "time")) == 1733406500000LL);
    CHECK(j && !json_object_get(j, "confidence"));
    json_decref(j);
    char hex[65], want[80];
    if (r) {
        alert_hmac_sha256_hex("hmac-shared-secret", 18, r->body, strlen(r->body), hex);
        snprintf(want, sizeof want, "sha256=%s", hex);
        CHECK_MSG(strcmp(r->sig, want) == 0, "signature %s, expected %s", r->sig, want);
    }
    pthread_mutex_unlock(&sink.mu);
    /* the alerts screen sees it delivered on every channel, with no secret in sight */
    struct snapshot *s = calloc(1, sizeof *s);
    double t0 = now_s();
    do {
        alert_dispatcher_fill(d, s);
    } while (s->alerts.n == 1 && s->alerts.a[0].delivered != 15 && now_s() - t0 < 2 && usleep(10000) == 0);
    CHECK(s->alerts.n == 1 && s->alerts.a[0].channels == 15 && s->alerts.a[0].delivered == 15);
    CHECK(s->alerts.bell_seq == 1 && s->alerts.sent == 3);
    CHECK(!strstr(s->alerts.a[0].result, "SECRET"));
    snapshot_free(s);
    alert_dispatcher_stop(d, 1000);
    spsc_free(&q);
    sink_stop();
}

static void test_429_retry_after_is_honoured(void)
{
    sink_start(false);
    atomic_store(&sink.discord_429, 1);
    atomic_store(&sink.telegram_429, 1);
    struct alert_params p;
    params_for_sink(&p);
    p.webhook.url[0] = 0;
    struct spsc q;
    spsc_init(&q, sizeof(struct alert_event), 64);
    struct alert_dispatcher *d = alert_dispatcher_start(&p, &q, NULL);
    struct alert_event a = { .kind = ALERT_KILL_SWITCH, .time = 1, .confidence = NAN, .text = "kill switch" };
    spsc_push(&q, &a);
    CHECK(wait_count("/api/webhooks/", 2, 5));
    CHECK(wait_count("/sendMessage", 2, 5));
    pthread_mutex_lock(&sink.mu);
    const struct req *d0 = find("/api/webhooks/", 0), *d1 = find("/api/webhooks/", 1);
    const struct req *t0 = find("/sendMessage", 0), *t1 = find("/sendMessage", 1);
    if (d0 && d1)
        CHECK_MSG(d1->at - d0->at >= 0.55 && d1->at - d0->at < 2, "discord waited %.2f s (retry_after 0.6)",
                  d1->at - d0->at);
    if (t0 && t1)
        CHECK_MSG(t1->at - t0->at >= 0.95 && t1->at - t0->at < 2.5, "telegram waited %.2f s (retry_after 1)",
                  t1->at - t0->at);
    /* Discord's wait did not hold Telegram back: each channel has its own sender */
    if (d0 && t0)
        CHECK(fabs(t0->at - d0->at) < 0.5);
    pthread_mutex_unlock(&sink.mu);
    struct alert_stats st;
    for (double w0 = now_s(); now_s() - w0 < 30; usleep(10000)) {   /* the senders count after the answer */
        alert_dispatcher_stats(d, &st);
        if (st.sent + st.failed >= 2)
            break;
    }
    CHECK_MSG(st.sent == 2 && st.failed == 0 && st.attempts == 4, "sent %llu failed %llu attempts %llu",
              (unsigned long long)st.sent, (unsigned long long)st.failed, (unsigned long long)st.attempts);
    alert_dispatcher_stop(d, 1000);
    spsc_free(&q);
    sink_stop();
}

/* A receiver that accepts and never answers: the engine raises 5000 alerts
 * without waiting for it (none dropped on the engine's side), the sender's queue
 * drops the oldest and counts them, and stopping cuts the stuck request off
 * (the times are printed, not judged: a loaded machine is slow, not wrong). */
static void test_dead_receiver_does_not_slow_the_engine(void)
{
    sink_start(true);
    struct alert_params p;
    alert_params_defaults(&p);
    snprintf(p.webhook.url, sizeof p.webhook.url, "http://127.0.0.1:%d/hook", sink.port);
    p.queue = 8;
    p.timeout_ms = 3000;
    struct engine_config cfg;
    struct instrument inst[INSTRUMENTS_MAX] = { 0 };
    engine_config_defaults(&cfg);
    cfg.inst = inst;
    cfg.n_symbols = 1;
    snprintf(inst[0].symbol, SYMBOL_MAX, "BTCUSDT");
    snprintf(inst[0].base, sizeof inst[0].base, "BTC");
    snprintf(inst[0].quote, sizeof inst[0].quote, "USDT");
    cfg.history = 64;
    struct engine *e = engine_create(&cfg, NULL);
    struct spsc q;
    spsc_init(&q, sizeof(struct alert_event), 8192);
    engine_set_alerts(e, &q);
    struct alert_dispatcher *d = alert_dispatcher_start(&p, &q, NULL);
    double t0 = now_s();
    for (int i = 0; i < 5000; i++)
        engine_alert(e, ALERT_STOP, 0, NAN, "stop hit %d", i);
    double took = now_s() - t0;
    CHECK(engine_alerts_dropped(e) == 0);
    struct alert_stats st;
    for (double w0 = now_s(); now_s() - w0 < 60; usleep(10000)) {
        alert_dispatcher_stats(d, &st);
        if (st.raised == 5000 && st.dropped >= 5000 - 8 - 1)
            break;
    }
    CHECK_MSG(st.raised == 5000 && st.dropped >= 5000 - 8 - 1 && st.sent == 0, "raised %llu dropped %llu",
              (unsigned long long)st.raised, (unsigned long long)st.dropped);
    t0 = now_s();
    alert_dispatcher_stop(d, 200);
    printf("# 5000 alerts took the engine %.3f s; the stop with a request stuck %.2f s (grace 0.2 s)\n", took,
           now_s() - t0);
    engine_destroy(e);
    spsc_free(&q);
    sink_stop();
}

int main(void)
{
    RUN(test_deliveries_carry_the_right_json);
    RUN(test_429_retry_after_is_honoured);
    RUN(test_dead_receiver_does_not_slow_the_engine);
    HARNESS_EXIT();
}
