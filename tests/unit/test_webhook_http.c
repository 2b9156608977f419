/* The inbound HTTP request reader (any split of the stream gives the same
 * outcome; one request consumed, never the bytes after it; the refusals and
 * their statuses), listen address parsing, and redaction of encoded secrets. */
#include <arpa/inet.h>
#include <stdlib.h>
#include <sys/socket.h>

#include "alphapulse/engine.h"
#include "alphapulse/log.h"
#include "alphapulse/webhook.h"
#include "harness.h"

#define TOKEN "tok-9f2c61d0b7e34a58"
#define VALID "{\"symbol\":\"BTCUSDT\",\"side\":\"buy\"}"
#define OK_REQ "POST /webhook HTTP/1.1\r\nHost: x\r\nX-AlphaPulse-Token: " TOKEN "\r\nContent-Length: 33\r\n\r\n" VALID

static struct webhook_request req;
static struct webhook_signal sig;

/* Feeds s in one piece; the answer's status (the reader's own while unfinished). */
static int answer_of(const char *s, size_t *used)
{
    webhook_request_init(&req);
    size_t u = webhook_request_feed(&req, s, strlen(s));
    if (used)
        *used = u;
    char why[200];
    return req.status ? webhook_request_answer(&req, TOKEN, &sig, why, sizeof why) : 0;
}

static void test_whole_and_split_requests(void)
{
    size_t used;
    CHECK(answer_of(OK_REQ, &used) == 202 && used == strlen(OK_REQ));
    CHECK(strcmp(sig.symbol, "BTCUSDT") == 0 && sig.side == 1);
    /* every split point in two, and byte by byte, gives the same */
    size_t n = strlen(OK_REQ);
    for (size_t cut = 1; cut < n; cut++) {
        webhook_request_init(&req);
        size_t u = webhook_request_feed(&req, OK_REQ, cut);
        CHECK_MSG(u == cut && req.status == 0, "cut %zu: used %zu status %d", cut, u, req.status);
        u = webhook_request_feed(&req, OK_REQ + cut, n - cut);
        CHECK_MSG(u == n - cut && req.status == 200, "cut %zu: used %zu status %d", cut, u, req.status);
    }
    webhook_request_init(&req);
    for (size_t i = 0; i < n; i++)
        CHECK(webhook_request_feed(&req, OK_REQ + i, 1) == 1);
    CHECK(req.status == 200 && req.body_len == 33 && strcmp(req.token, TOKEN) == 0);
}

static void test_one_request_only(void)
{
    char two[1024];
    snprintf(two, sizeof two, "%s%s", OK_REQ, OK_REQ);
    size_t used;
    CHECK(answer_of(two, &used) == 202);
    CHECK_MSG(used == strlen(OK_REQ), "used %zu of %zu", used, strlen(two));
    CHECK(webhook_request_feed(&req, two + used, strlen(two) - used) == 0);   /* decided: reads no more */
    const char *wedge = "POST /webhook HTTP/1.1\r\nContent-Length: 1\r\n\r\nxPOST /webhook HTTP/1.1\r\nContent-Length: 1\r\n\r\nx";
    CHECK(answer_of(wedge, &used) == 400 && used == strlen(wedge) / 2);
}

static void test_refusals(void)
{
    const struct { const char *req; int want; const char *why; } cases[] = {
        { "POST /webhook HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 33\r\nX-AlphaPulse-Token: " TOKEN
          "\r\n\r\n" VALID, 400, "Transfer-Encoding together with Content-Length" },
        { "POST /webhook HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n21\r\n" VALID "\r\n0\r\n\r\n", 411,
          "Content-Length required" },
        { "POST /webhook HTTP/1.1\r\n\r\n", 411, "Content-Length required" },
        { "POST /webhook HTTP/1.1\r\nContent-Length: 33\r\nContent-Length: 33\r\n\r\n" VALID, 400, "more than one" },
        { "POST /webhook HTTP/1.1\r\nContent-Length: +33\r\n\r\n" VALID, 400, "bad Content-Length" },
        { "POST /webhook HTTP/1.1\r\nContent-Length: 99999999999999999999\r\n\r\n", 413, "body over 8192" },
        { "POST /webhook HTTP/1.1\r\nContent-Length: 0\r\n\r\n", 400, "empty body" },
        { "POST /webhook HTTP/1.1\r\n Folded: yes\r\nContent-Length: 1\r\n\r\nx", 400, "folded" },
        { "POST /webhook HTTP/1.1\r\nNo colon here\r\n\r\n", 400, "malformed header" },
        { "POST /webhook HTTP/2.0\r\nContent-Length: 1\r\n\r\nx", 400, "request line" },
        { "GET /webhook HTTP/1.1\r\n\r\n", 405, "use POST" },
        { "POST /admin HTTP/1.1\r\nContent-Length: 1\r\n\r\nx", 404, "not found" },
        { "POST /webhook?from=tv HTTP/1.1\r\nX-AlphaPulse-Token: " TOKEN "\r\nContent-Length: 33\r\n\r\n" VALID, 202,
          "" },
        { "POST /webhook HTTP/1.0\nX-AlphaPulse-Token: " TOKEN "\nContent-Length: 33\n\n" VALID, 202, "" },
        { "POST /webhook HTTP/1.1\r\nX-AlphaPulse-Token:\r\nContent-Length: 33\r\n\r\n" VALID, 401, "empty" },
        { "POST /webhook HTTP/1.1\r\nX-AlphaPulse-Token: a\r\nX-AlphaPulse-Token: " TOKEN
          "\r\nContent-Length: 33\r\n\r\n" VALID, 400, "more than one X-AlphaPulse-Token" },
        { "POST /webhook HTTP/1.1\r\nX-AlphaPulse-Token: wrong-token-wrong\r\nContent-Length: 33\r\n\r\n" VALID, 401,
          "wrong token" },
        { "POST /webhook HTTP/1.1\r\nContent-Length: 33\r\n\r\n" VALID, 401, "missing token" },
        { "POST /webhook HTTP/1.1\r\nContent-Length: 1\r\n\r\nx", 400, "BUY or SELL" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        webhook_request_init(&req);
        webhook_request_feed(&req, cases[i].req, strlen(cases[i].req));
        char why[200] = "";
        int st = webhook_request_answer(&req, TOKEN, &sig, why, sizeof why);
        CHECK_MSG(st == cases[i].want && strstr(why, cases[i].why), "case %zu: %d \"%s\", want %d \"%s\"", i, st, why,
                  cases[i].want, cases[i].why);
    }
}

/* An over-long token header refuses the request: the body's (right) token is
 * never used in its place. */
static void test_long_token_header_is_refused(void)
{
    char r[2048], hdr[400];
    memset(hdr, 'A', 300);
    hdr[300] = 0;
    const char *body = "{\"symbol\":\"BTCUSDT\",\"side\":\"buy\",\"token\":\"" TOKEN "\"}";
    snprintf(r, sizeof r, "POST /webhook HTTP/1.1\r\nX-AlphaPulse-Token: %s\r\nContent-Length: %zu\r\n\r\n%s", hdr,
             strlen(body), body);
    CHECK(answer_of(r, NULL) == 401);
    CHECK(strstr(req.why, "over 255 characters") != NULL);
}

static void test_head_limit(void)
{
    static char big[100 * 1024 + 200];
    int n = snprintf(big, sizeof big, "POST /webhook HTTP/1.1\r\nX-Pad: ");
    memset(big + n, 'p', 100 * 1024);
    strcpy(big + n + 100 * 1024, "\r\nContent-Length: 1\r\n\r\nx");
    size_t used;
    CHECK(answer_of(big, &used) == 431 && used == WEBHOOK_HEAD_MAX);
}

static void test_listen_addresses(void)
{
    struct webhook_params p;
    char err[300];
    const struct { const char *s; int family; const char *addr; int port; } good[] = {
        { "127.0.0.1:8787", AF_INET, "127.0.0.1", 8787 }, { "[::1]:9000", AF_INET6, "::1", 9000 },
        { "localhost:0", AF_INET, "127.0.0.1", 0 },       { "8788", AF_INET, "127.0.0.1", 8788 },
        { "[::]:1", AF_INET6, "::", 1 },                  { "0.0.0.0:80", AF_INET, "0.0.0.0", 80 },
    };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        webhook_params_defaults(&p);
        int rc = webhook_parse_listen(good[i].s, &p, err, sizeof err);
        CHECK_MSG(rc == 0 && p.family == good[i].family && strcmp(p.addr, good[i].addr) == 0 && p.port == good[i].port,
                  "%s -> %d %d %s %d (%s)", good[i].s, rc, p.family, p.addr, p.port, rc ? err : "");
    }
    const struct { const char *s, *why; } bad[] = {
        { "::1:8787", "goes in brackets" },   { "[::1]8787", "expected" },  { "[::1]:", "port" },
        { "[nothost]:1", "not a numeric IPv6" }, { "example.org:80", "not a numeric IPv4" },
        { "1.2.3:80", "not a numeric IPv4" },  { "127.0.0.1:65536", "port" }, { "127.0.0.1:http", "port" },
        { "127.0.0.1:-1", "port" },           { ":8787", "expected" },      { "", "port" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        webhook_params_defaults(&p);
        err[0] = 0;
        int rc = webhook_parse_listen(bad[i].s, &p, err, sizeof err);
        CHECK_MSG(rc == -1 && strstr(err, bad[i].why), "\"%s\" -> %d \"%s\", want \"%s\"", bad[i].s, rc, err,
                  bad[i].why);
    }
}

static void test_encoded_secrets_are_redacted(void)
{
    log_secret("s3cr/t+T0ken=x&y");
    const struct { const char *in, *out; } cases[] = {
        { "plain s3cr/t+T0ken=x&y end", "plain [redacted] end" },
        { "url s3cr%2Ft%2BT0ken%3Dx%26y end", "url [redacted] end" },
        { "lower s3cr%2ft%2bT0ken%3dx%26y", "lower [redacted]" },
        { "all %73%33%63%72%2F%74%2B%54%30%6B%65%6E%3D%78%26%79!", "all [redacted]!" },
        { "json \"s3cr\\/t+T0ken=x\\u0026y\"", "json \"[redacted]\"" },
        { "json-u \\u0073\\u0033cr/t+T0ken=x&y.", "json-u [redacted]." },
        { "prefix only s3cr%2Ft%2BT0k", "prefix only s3cr%2Ft%2BT0k" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char buf[200];
        snprintf(buf, sizeof buf, "%s", cases[i].in);
        log_redact(buf, sizeof buf);
        CHECK_MSG(strcmp(buf, cases[i].out) == 0, "\"%s\" -> \"%s\", want \"%s\"", cases[i].in, buf, cases[i].out);
    }
}

/* The server reports the address the kernel bound, and gives the port back
 * when it stops (a second server can take it at once). */
static void test_server_binds_and_releases(void)
{
    struct spsc q;
    CHECK(spsc_init(&q, sizeof(struct engine_event), 64) == 0);
    struct webhook_params p;
    webhook_params_defaults(&p);
    snprintf(p.token, sizeof p.token, "%s", TOKEN);
    char err[300] = "";
    CHECK(webhook_parse_listen("127.0.0.1:0", &p, err, sizeof err) == 0);
    struct webhook_server *w = webhook_start(&p, &q, err, sizeof err);
    CHECK_MSG(w != NULL, "%s", err);
    if (!w)
        return;
    int port = webhook_port(w);
    char want[64];
    snprintf(want, sizeof want, "127.0.0.1:%d", port);
    CHECK_MSG(port > 0 && strcmp(webhook_address(w), want) == 0, "bound %s, port %d", webhook_address(w), port);
    webhook_stop(w);
    p.port = port;
    w = webhook_start(&p, &q, err, sizeof err);
    CHECK_MSG(w != NULL, "the port is still held after stop: %s", err);
    struct webhook_server *twice = w ? webhook_start(&p, &q, err, sizeof err) : NULL;
    CHECK_MSG(!twice && strstr(err, "Address already in use"), "a second bind: %s", err);
    webhook_stop(twice);
    webhook_stop(w);
    spsc_free(&q);
}

int main(void)
{
    RUN(test_whole_and_split_requests);
    RUN(test_one_request_only);
    RUN(test_refusals);
    RUN(test_long_token_header_is_refused);
    RUN(test_head_limit);
    RUN(test_listen_addresses);
    RUN(test_encoded_secrets_are_redacted);
    RUN(test_server_binds_and_releases);
    HARNESS_EXIT();
}
