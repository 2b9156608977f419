/* Bybit's per-IP REST limit (600 requests per 5 s, HTTP 403 and a 10-minute
 * ban past it) held by the Bybit REST clients of one process together: two
 * clients (spot and linear, as the two Bybit feeds have), each on its own
 * thread, ask instruments-info 350 times each as fast as they can against the
 * fake Bybit enforcing 600 per 5 s; every request is answered, none refused,
 * and the fake counts no request past its limit. The fake's limit itself is
 * checked first (a plain client past --ip-limit gets 403). Every wait is
 * bounded by the stop flag and curl's timeouts. */
#include <curl/curl.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fake_bybit.h"
#include "harness.h"
#include "alphapulse/bybit_rest.h"

#define PER_CLIENT 350

static int port;

static pid_t fb_start(const char *ip_limit)
{
    return fake_bybit_start(&port, "--spot", "BTCUSDT", "--linear", "BTCUSDT", "--ip-limit", ip_limit, (char *)NULL);
}

static size_t sink(char *p, size_t sz, size_t nm, void *u)
{
    struct { char b[512]; size_t n; } *s = u;
    size_t n = sz * nm, room = sizeof s->b - 1 - s->n;
    memcpy(s->b + s->n, p, n < room ? n : room);
    s->n += n < room ? n : room;
    s->b[s->n] = 0;
    return n;
}

/* A plain GET: the HTTP status, the body's start in out. */
static long get(const char *path, char *out, size_t out_len)
{
    char url[256];
    snprintf(url, sizeof url, "http://127.0.0.1:%d%s", port, path);
    struct { char b[512]; size_t n; } s = { .n = 0 };
    CURL *c = curl_easy_init();
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, sink);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &s);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 5L);
    long status = 0;
    if (curl_easy_perform(c) == CURLE_OK)
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_cleanup(c);
    snprintf(out, out_len, "%s", s.b);
    return status;
}

static void the_fake_refuses_requests_past_its_ip_limit(void)
{
    pid_t pid = fb_start("3");
    CHECK(pid > 0);
    if (pid <= 0)
        return;
    char b[512];
    for (int i = 0; i < 3; i++)
        CHECK(get("/v5/market/instruments-info?category=spot&symbol=BTCUSDT", b, sizeof b) == 200);
    CHECK(get("/v5/market/instruments-info?category=spot&symbol=BTCUSDT", b, sizeof b) == 403);
    CHECK(get("/control?action=stats", b, sizeof b) == 200);
    CHECK_MSG(strstr(b, "\"over_ip_limit\":1"), "%s", b);
    fake_bybit_stop(pid);
}

struct client {
    int category;
    atomic_bool stop;
    int ok, refused;
    char why[300];
};

static void *hammer(void *arg)
{
    struct client *c = arg;
    struct bybit_rest r;
    char err[256];
    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%d", port);
    if (bybit_rest_init(&r, url, c->category, NULL, &c->stop, err, sizeof err)) {
        snprintf(c->why, sizeof c->why, "%s", err);
        return NULL;
    }
    for (int i = 0; i < PER_CLIENT; i++) {
        struct bybit_instrument in;
        struct bybit_error e;
        if (bybit_rest_instrument(&r, "BTCUSDT", &in, &e, c->why, sizeof c->why) == 0)
            c->ok++;
        else
            c->refused++;
    }
    bybit_rest_free(&r);
    return NULL;
}

static void two_clients_together_stay_under_bybits_ip_limit(void)
{
    pid_t pid = fb_start("600");
    CHECK(pid > 0);
    if (pid <= 0)
        return;
    struct client c[2] = { { .category = BYBIT_SPOT }, { .category = BYBIT_LINEAR } };
    pthread_t t[2];
    for (int k = 0; k < 2; k++) {
        atomic_init(&c[k].stop, false);
        pthread_create(&t[k], NULL, hammer, &c[k]);
    }
    for (int k = 0; k < 2; k++)
        pthread_join(t[k], NULL);
    for (int k = 0; k < 2; k++)
        CHECK_MSG(c[k].ok == PER_CLIENT && c[k].refused == 0, "client %d: %d answered, %d refused (%s)", k, c[k].ok,
                  c[k].refused, c[k].why);
    char b[512];
    CHECK(get("/control?action=stats", b, sizeof b) == 200);
    CHECK_MSG(strstr(b, "\"over_ip_limit\":0") && strstr(b, "\"rest\":700,"), "%s", b);
    fake_bybit_stop(pid);
}

int main(void)
{
    signal(SIGPIPE, SIG_IGN);
    curl_global_init(CURL_GLOBAL_DEFAULT);
    RUN(the_fake_refuses_requests_past_its_ip_limit);
    RUN(two_clients_together_stay_under_bybits_ip_limit);
    curl_global_cleanup();
    HARNESS_EXIT();
}
