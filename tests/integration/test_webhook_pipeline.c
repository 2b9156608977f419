/* One request per connection, whatever follows it: the real binary (headless
 * demo, endpoint on loopback) gets 22 connections that carry more than one
 * request's worth of bytes (a second request in the same write or a later one,
 * garbage, a partial request, a request split byte by byte, an oversized head,
 * a smuggling attempt) after answers of every kind (202, 400, 401, 404, 405,
 * 411, 413, 431, 503). Each must get exactly one answer and be closed, the next
 * client must be served, and SIGTERM must still stop the program. */
#include "harness.h"
#include "webhook_client.h"

#define VALID "{\"symbol\":\"BTCUSDT\",\"side\":\"buy\"}"
#define REQ(hdrs, len, body) "POST /webhook HTTP/1.1\r\nHost: x\r\n" hdrs "Content-Length: " #len "\r\n\r\n" body
#define OK_REQ REQ("X-AlphaPulse-Token: " WH_TOKEN "\r\n", 33, VALID)   /* 202 */
#define BAD_REQ REQ("", 1, "x")                                         /* 400 */
#define NOTOKEN_REQ REQ("", 33, VALID)                                  /* 401 */
#define BIG_REQ REQ("", 9000, "")                                       /* 413 */

/* Up to 4 writes per connection; NULL ends the list. "*" as a write means the
 * first request byte by byte. */
struct variant {
    const char *name;
    int want;
    const char *writes[4];
};

static const struct variant variants[] = {
    /* 202 first: these fill the review queue to its cap (webhook.max_pending) */
    { "202 + the same request in one write", 202, { OK_REQ OK_REQ, NULL } },
    { "202 + garbage in one write", 202, { OK_REQ "\x01\x02garbage\r\n\r\n", NULL } },
    { "202 + a second request in a later write", 202, { OK_REQ, NOTOKEN_REQ, NULL } },
    { "202 + a partial second request", 202, { OK_REQ "POST /webhook HTTP/1.1\r\nContent-Le", NULL } },
    { "202 split: head, then body with a second request", 202,
      { "POST /webhook HTTP/1.1\r\nHost: x\r\nX-AlphaPulse-Token: " WH_TOKEN "\r\nContent-Length: 33\r\n\r\n",
        VALID BAD_REQ, NULL } },
    { "202 sent byte by byte, then a second request", 202, { "*", OK_REQ, NULL } },
    /* the original wedge: two unauthenticated requests in one write */
    { "400 + the same request in one write (120 bytes)", 400, { BAD_REQ BAD_REQ, NULL } },
    { "400 + a partial second request", 400, { BAD_REQ "POST /webhook HTTP/1.1\r\nHo", NULL } },
    { "400 + a second request in a later write", 400, { BAD_REQ, BAD_REQ, NULL } },
    { "401 + the same request in one write", 401, { NOTOKEN_REQ NOTOKEN_REQ, NULL } },
    { "401 + garbage", 401, { NOTOKEN_REQ "zzzzzzzzzzzzzzzzzzzzzzzz", NULL } },
    { "401 + a valid request in a later write", 401, { NOTOKEN_REQ, OK_REQ, NULL } },
    { "413 + the body it announced", 413, { BIG_REQ, "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", NULL } },
    { "413 + a second request in one write", 413, { BIG_REQ NOTOKEN_REQ, NULL } },
    { "404 + a second request", 404, { "POST /other HTTP/1.1\r\nContent-Length: 1\r\n\r\nx" NOTOKEN_REQ, NULL } },
    { "405 + a second request", 405, { "GET /webhook HTTP/1.1\r\nHost: x\r\n\r\n" NOTOKEN_REQ, NULL } },
    { "411 + what looks like a second request", 411, { "POST /webhook HTTP/1.1\r\n\r\n" NOTOKEN_REQ, NULL } },
    { "400 Transfer-Encoding with Content-Length (smuggling)", 400,
      { "POST /webhook HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n" NOTOKEN_REQ,
        NULL } },
    { "431 head over the limit, then more", 431, { "POST /webhook HTTP/1.1\r\nX-Pad: ", "#pad", NOTOKEN_REQ, NULL } },
    { "400 bad Content-Length + a second request", 400,
      { "POST /webhook HTTP/1.1\r\nContent-Length: +1\r\n\r\nx" NOTOKEN_REQ, NULL } },
    /* the review queue is full now */
    { "503 + the same request in one write", 503, { OK_REQ OK_REQ, NULL } },
    { "503 + a partial second request", 503, { OK_REQ "POST /web", NULL } },
};
#define N_VARIANTS (int)(sizeof variants / sizeof variants[0])

static struct wh_demo demo;
static bool started;

static void send_variant(int fd, const struct variant *v)
{
    static char pad[10000];
    for (int w = 0; w < 4 && v->writes[w]; w++) {
        if (w)
            wh_nap_ms(20);              /* separate writes reach the server as separate reads */
        if (strcmp(v->writes[w], "*") == 0) {
            const char *r = OK_REQ;
            for (size_t i = 0; r[i]; i++)
                if (send(fd, r + i, 1, MSG_NOSIGNAL) != 1)
                    return;
        } else if (strcmp(v->writes[w], "#pad") == 0) {
            memset(pad, 'p', sizeof pad - 1);
            pad[sizeof pad - 1] = 0;
            if (!wh_send_all(fd, pad, strlen(pad)))
                return;
        } else if (!wh_send_all(fd, v->writes[w], strlen(v->writes[w]))) {
            return;                     /* the server may close early: that is fine */
        }
    }
}

static void test_variants_get_one_answer_each(void)
{
    CHECK_MSG(N_VARIANTS == 22, "%d variants", N_VARIANTS);
    CHECK_MSG(started, "the demo did not start");
    if (!started)
        return;
    for (int i = 0; i < N_VARIANTS; i++) {
        const struct variant *v = &variants[i];
        int fd = wh_dial(AF_INET, demo.port);
        CHECK_MSG(fd >= 0, "%s: cannot connect", v->name);
        if (fd < 0)
            continue;
        send_variant(fd, v);
        char buf[16384];
        bool closed;
        wh_read_to_close(fd, buf, sizeof buf, &closed);
        close(fd);
        int first, n = wh_answers(buf, &first);
        CHECK_MSG(n == 1 && first == v->want, "%s: %d answers, first %d (want exactly one %d)", v->name, n, first,
                  v->want);
        CHECK_MSG(n == 0 || strstr(buf, "Connection: close\r\n") != NULL, "%s: no Connection: close", v->name);
        CHECK_MSG(closed, "%s: the server left the connection open", v->name);
        /* the next client is served at once */
        char body[512];
        int st = wh_post(demo.port, "X-AlphaPulse-Token: wrong-token-wrong-token\r\n", VALID, body, sizeof body);
        CHECK_MSG(st == 401, "after \"%s\": the next client got %d", v->name, st);
    }
}

static void test_sigterm_stops_the_program(void)
{
    if (!started)
        return;
    double took = 0;
    /* generous bound: a wedged server never exits at all */
    int rc = wh_stop(&demo, 30, &took);
    printf("# SIGTERM to exit: %.2f s\n", took);
    CHECK_MSG(rc == 0, "exit status %d after SIGTERM (-1: still running after 30 s)", rc);
    CHECK_MSG(!wh_file_has(demo.log, WH_TOKEN), "the log holds the token");
}

int main(void)
{
    /* 6 accepted alerts fill the review queue; a slow replay keeps them unexpired */
    started = wh_start(&demo,
                       "{\"webhook\": {\"rate_per_s\": 500, \"burst\": 200, \"timeout_s\": 3, \"max_pending\": 6}}\n",
                       true, "1");
    RUN(test_variants_get_one_answer_each);
    RUN(test_sigterm_stops_the_program);
    if (demo.pid > 0) {
        kill(demo.pid, SIGKILL);
        waitpid(demo.pid, NULL, 0);
    }
    wh_cleanup(&demo);
    HARNESS_EXIT();
}
