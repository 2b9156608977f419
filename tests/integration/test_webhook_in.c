/* The inbound webhook endpoint against the real binary: `alphapulse --demo
 * --headless` with the endpoint on loopback, driven over raw sockets. Valid JSON
 * and text alerts are journalled for review (never traded); a wrong token, an
 * oversized body, malformed JSON, a wrong method or path, slow clients and a
 * flood of 10,000 requests are each answered with their status while the demo
 * keeps running; the token never reaches the log or the database. */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdbool.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>

#include "harness.h"
#include "webhook_client.h"

#define TOKEN WH_TOKEN
static struct wh_demo demo;   /* the demo under attack: its port, directory and pid */

static int dial(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)demo.port) };
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    struct timeval tv = { 5, 0 };
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    if (connect(fd, (struct sockaddr *)&a, sizeof a)) {
        close(fd);
        return -1;
    }
    return fd;
}

/* Sends raw bytes, returns the status code of the reply (-1: none); body out. */
static int exchange(const char *raw, size_t len, char *body, size_t blen)
{
    int fd = dial();
    if (fd < 0)
        return -1;
    size_t off = 0;
    while (off < len) {
        ssize_t n = send(fd, raw + off, len - off, MSG_NOSIGNAL);
        if (n <= 0)
            break;
        off += (size_t)n;
    }
    char buf[4096];
    size_t got = 0;
    for (;;) {
        ssize_t n = recv(fd, buf + got, sizeof buf - 1 - got, 0);
        if (n <= 0)
            break;
        got += (size_t)n;
        buf[got] = 0;
        char *hdr_end = strstr(buf, "\r\n\r\n");
        char *cl = strcasestr(buf, "content-length:");
        if (hdr_end && cl && got >= (size_t)(hdr_end + 4 - buf) + (size_t)atoi(cl + 15))
            break;
    }
    close(fd);
    buf[got] = 0;
    int status = -1;
    if (sscanf(buf, "HTTP/1.1 %d", &status) != 1)
        status = -1;
    if (body) {
        char *b = strstr(buf, "\r\n\r\n");
        snprintf(body, blen, "%s", b ? b + 4 : "");
    }
    return status;
}

static bool alive(void) { return demo.pid > 0 && waitpid(demo.pid, NULL, WNOHANG) == 0; }

static void test_valid_json_and_text_are_accepted(void)
{
    char r[1024];
    int st = wh_post(demo.port, "X-AlphaPulse-Token: " TOKEN "\r\nContent-Type: application/json\r\n",
                  "{\"symbol\":\"BTCUSDT\",\"side\":\"buy\",\"price\":100000,\"stop\":98000,\"tp\":104000,"
                  "\"timeframe\":\"1h\",\"message\":\"breakout\"}", r, sizeof r);
    CHECK_MSG(st == 202, "JSON alert: status %d body %s", st, r);
    CHECK(strstr(r, "\"queued\":\"BUY BTCUSDT\"") != NULL);
    st = wh_post(demo.port, "", "SELL ETHBTC sl=0.06 tp=0.04 tf=4h token=" TOKEN " fading the rally", r, sizeof r);
    CHECK_MSG(st == 202, "text alert: status %d body %s", st, r);
    /* the token in the JSON body (TradingView cannot set headers); message names the token */
    st = wh_post(demo.port, "", "{\"symbol\":\"ADABTC\",\"side\":\"long\",\"token\":\"" TOKEN "\",\"message\":\"key " TOKEN "\"}", r,
              sizeof r);
    CHECK_MSG(st == 202, "JSON with body token: status %d body %s", st, r);
}

static void test_rejections_have_their_status(void)
{
    char r[1024], big[9001];
    CHECK(wh_post(demo.port, "X-AlphaPulse-Token: wrong-token-wrong-token\r\n", "{\"symbol\":\"BTCUSDT\",\"side\":\"buy\"}", r,
               sizeof r) == 401);
    CHECK(wh_post(demo.port, "", "{\"symbol\":\"BTCUSDT\",\"side\":\"buy\"}", r, sizeof r) == 401);     /* no token at all */
    CHECK(wh_post(demo.port, "", "BUY BTCUSDT token=" TOKEN "x", r, sizeof r) == 401);               /* a longer token */
    CHECK(wh_post(demo.port, "X-AlphaPulse-Token: " TOKEN "\r\n", "{\"symbol\":\"BTCUSDT\",", r, sizeof r) == 400);
    CHECK(strstr(r, "malformed JSON") != NULL);
    CHECK(wh_post(demo.port, "X-AlphaPulse-Token: " TOKEN "\r\n", "{\"symbol\":\"BTCUSDT\",\"side\":\"buy\",\"qty\":5}", r,
               sizeof r) == 400);
    CHECK(wh_post(demo.port, "X-AlphaPulse-Token: " TOKEN "\r\n", "BUY BTCUSDT sl=abc", r, sizeof r) == 400);
    CHECK(wh_post(demo.port, "X-AlphaPulse-Token: " TOKEN "\r\n", "BUY BTCUSDT sl=105 tp=110 price=100", r, sizeof r) == 400);
    memset(big, 'a', sizeof big - 1);
    big[sizeof big - 1] = 0;
    CHECK(wh_post(demo.port, "X-AlphaPulse-Token: " TOKEN "\r\n", big, r, sizeof r) == 413);
    /* a body larger than its Content-Length claims is cut at the limit too */
    char lie[12000];
    int n = snprintf(lie, sizeof lie, "POST /webhook HTTP/1.1\r\nHost: x\r\nContent-Length: 8192\r\n\r\n");
    memset(lie + n, 'b', 9000);
    int st = exchange(lie, (size_t)n + 9000, r, sizeof r);
    CHECK_MSG(st == 400 || st == 401, "overlong body status %d", st);
    const char *get = "GET /webhook HTTP/1.1\r\nHost: x\r\n\r\n";
    CHECK(exchange(get, strlen(get), r, sizeof r) == 405);
    const char *put = "PUT /webhook HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}";
    CHECK(exchange(put, strlen(put), r, sizeof r) == 405);
    const char *other = "POST /admin HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}";
    CHECK(exchange(other, strlen(other), r, sizeof r) == 404);
    const char *nolen = "POST /webhook HTTP/1.1\r\nHost: x\r\n\r\n";
    st = exchange(nolen, strlen(nolen), r, sizeof r);
    CHECK_MSG(st == 411 || st == 400, "no Content-Length: status %d", st);
    CHECK(alive());
}

/* Slow clients hold a socket each but never the server: others are served at
 * once, and the slow ones are cut after the 2 s deadline. */
static void test_slowloris(void)
{
    enum { SLOW = 20 };
    int fds[SLOW];
    for (int i = 0; i < SLOW; i++) {
        fds[i] = dial();
        const char *part = i % 2 ? "POST /webhook HTTP/1.1\r\nHo" :
                                   "POST /webhook HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"sym";
        if (fds[i] >= 0)
            send(fds[i], part, strlen(part), MSG_NOSIGNAL);
    }
    double t0 = wh_now();
    char r[512];
    int st = wh_post(demo.port, "", "BUY BTCUSDT token=" TOKEN " while others dawdle", r, sizeof r);
    CHECK_MSG(st == 202, "served in %.2f s with status %d", wh_now() - t0, st);
    /* keep trickling one byte a second; the deadline still cuts them */
    int closed = 0;
    for (int round = 0; round < 8 && closed < SLOW; round++) {
        sleep(1);
        closed = 0;
        for (int i = 0; i < SLOW; i++) {
            if (fds[i] < 0) {
                closed++;
                continue;
            }
            if (send(fds[i], "a", 1, MSG_NOSIGNAL | MSG_DONTWAIT) < 0) {
                close(fds[i]);
                fds[i] = -1;
                closed++;
                continue;
            }
            char b[256];
            ssize_t n = recv(fds[i], b, sizeof b, MSG_DONTWAIT);
            if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) || n > 0) {
                close(fds[i]);
                fds[i] = -1;
                closed++;
            }
        }
    }
    CHECK_MSG(closed == SLOW, "%d of %d slow clients cut within 8 s", closed, SLOW);
    for (int i = 0; i < SLOW; i++)
        if (fds[i] >= 0)
            close(fds[i]);
    CHECK(alive());
}

static void test_flood_of_10000(void)
{
    int codes[600] = { 0 }, none = 0;
    double t0 = wh_now();
    const char *req = "POST /webhook HTTP/1.1\r\nHost: x\r\nContent-Length: 33\r\n\r\n{\"symbol\":\"BTCUSDT\",\"side\":\"buy\"}";
    for (int i = 0; i < 10000; i++) {
        int st = exchange(req, strlen(req), NULL, 0);
        if (st >= 100 && st < 600)
            codes[st]++;
        else
            none++;
    }
    double took = wh_now() - t0;
    printf("# flood: %.1f s, 401 %d, 429 %d, unanswered %d\n", took, codes[401], codes[429], none);
    CHECK_MSG(codes[429] > 5000, "most of the flood is rate limited (%d)", codes[429]);
    CHECK_MSG(codes[401] + codes[429] + none == 10000 && codes[202] == 0, "nothing in the flood is accepted");
    CHECK_MSG(none < 100, "%d requests got no answer", none);
    CHECK(alive());
    /* the bucket refills: a request is accepted again within a few seconds */
    char r[512];
    int st = 0;
    for (double w0 = wh_now(); wh_now() - w0 < 10 && st != 202; usleep(50000))
        st = wh_post(demo.port, "X-AlphaPulse-Token: " TOKEN "\r\n", "{\"symbol\":\"BTCUSDT\",\"side\":\"sell\",\"message\":\"after the flood\"}",
                  r, sizeof r);
    CHECK_MSG(st == 202, "accepted after the flood: %d %s", st, r);
}

static int count_rows(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *s;
    int n = -1;
    if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
        n = sqlite3_column_int(s, 0);
    sqlite3_finalize(s);
    return n;
}

static void test_stop_journal_and_secrets(void)
{
    CHECK(alive());
    char dbp[600];
    snprintf(dbp, sizeof dbp, "%s/demo.db", demo.dir);
    /* the replay goes on while the endpoint is attacked: wait for it to pass 1000
     * candles (the store thread writes them as it goes) */
    for (int i = 0; i < 600 && alive(); i++) {
        sqlite3 *ro;
        int n = -1;
        if (sqlite3_open_v2(dbp, &ro, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK) {
            sqlite3_busy_timeout(ro, 1000);
            n = count_rows(ro, "SELECT count(*) FROM candles");
        }
        sqlite3_close(ro);
        if (n > 1000)
            break;
        usleep(100000);
    }
    kill(demo.pid, SIGTERM);
    int status = -1;
    waitpid(demo.pid, &status, 0);
    demo.pid = -1;
    CHECK_MSG(WIFEXITED(status) && WEXITSTATUS(status) == 0, "demo exit status %d", status);
    char path[600];
    snprintf(path, sizeof path, "%s/demo.db", demo.dir);
    sqlite3 *db;
    CHECK(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK);
    CHECK_MSG(count_rows(db, "SELECT count(*) FROM journal WHERE text LIKE 'webhook signal BUY BTCUSDT @ 100000 "
                             "sl=98000 tp=104000 1h queued for review: breakout'") == 1, "JSON alert journalled");
    CHECK_MSG(count_rows(db, "SELECT count(*) FROM journal WHERE text LIKE 'webhook signal SELL ETHBTC sl=0.06 tp=0.04 "
                             "4h queued for review: fading the rally'") == 1, "text alert journalled");
    CHECK(count_rows(db, "SELECT count(*) FROM journal WHERE text LIKE '%after the flood'") == 1);
    CHECK(count_rows(db, "SELECT count(*) FROM journal WHERE text LIKE 'webhook signal%'") == 5);
    CHECK_MSG(count_rows(db, "SELECT count(*) FROM fills") == 0, "nothing traded without the user");
    CHECK_MSG(count_rows(db, "SELECT count(*) FROM candles") > 1000, "the demo kept running");
    sqlite3_close(db);
    char logp[600], errp[600];
    snprintf(logp, sizeof logp, "%s/state/alphapulse/alphapulse.log", demo.dir);
    snprintf(errp, sizeof errp, "%s/stderr.txt", demo.dir);
    CHECK_MSG(wh_file_has(logp, "webhook: rejected (rate limited"), "the log has the rejections");
    CHECK_MSG(wh_file_has(logp, "alert discord failed"), "the dead Discord receiver was tried and logged");
    const char *files[] = { logp, errp, path };
    for (int i = 0; i < 3; i++) {
        CHECK_MSG(!wh_file_has(files[i], TOKEN), "%s holds the webhook token", files[i]);
        CHECK_MSG(!wh_file_has(files[i], "DISCORDSECRET77"), "%s holds the Discord URL secret", files[i]);
    }
    char wal[640];
    snprintf(wal, sizeof wal, "%s-wal", path);
    CHECK(!wh_file_has(wal, TOKEN));
    CHECK(wh_file_has(path, "key [redacted]"));
}

int main(void)
{
    double t0 = wh_now();
    /* a dead Discord receiver whose URL holds a secret: it must never be logged */
    if (!wh_start(&demo,
                  "{\"webhook\": {\"rate_per_s\": 200, \"burst\": 50, \"timeout_s\": 2},\n"
                  " \"alerts\": {\"retries\": 1, \"backoff_ms\": 10, \"timeout_ms\": 500,\n"
                  "   \"discord\": {\"url\": \"http://127.0.0.1:9/api/webhooks/1/DISCORDSECRET77\"}}}\n",
                  true, "3000")) {
        printf("not ok - the demo with the webhook endpoint did not start\n");
        return 1;
    }
    RUN(test_valid_json_and_text_are_accepted);
    RUN(test_rejections_have_their_status);
    RUN(test_slowloris);
    RUN(test_flood_of_10000);
    RUN(test_stop_journal_and_secrets);
    printf("# webhook tests took %.1f s\n", wh_now() - t0);
    double took;
    wh_stop(&demo, 10, &took);                 /* only if a test left it running */
    wh_cleanup(&demo);
    HARNESS_EXIT();
}
