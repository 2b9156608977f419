/* HTTP edges and secrets through the real binary (headless demo, endpoint on
 * loopback): Transfer-Encoding with Content-Length is refused, an over-long
 * token header is refused even when the body holds the right token, a 100 KB
 * head gets 431, the review queue cap answers 503, and a token inside an alert
 * message is redacted whole (also percent-encoded) in the journal and the log,
 * never cut first so that its beginning shows. */
#include <sqlite3.h>

#include "harness.h"
#include "webhook_client.h"

/* reserved URL characters inside, so its percent-encoded form differs */
#define TOKEN2 "InboundToken_P/9f2c+61d0=b7e3&4a58"
#define TOKEN2_URL "InboundToken_P%2F9f2c%2B61d0%3Db7e3%264a58"
#define VALID "{\"symbol\":\"BTCUSDT\",\"side\":\"buy\"}"

static struct wh_demo demo;
static bool started;

static int post_raw(const char *raw, char *resp, size_t rlen) { return wh_exchange(AF_INET, demo.port, raw, resp, rlen); }

static void test_transfer_encoding_with_length_is_refused(void)
{
    char r[512];
    const char *smuggle = "POST /webhook HTTP/1.1\r\nHost: x\r\nX-AlphaPulse-Token: " TOKEN2 "\r\n"
                          "Transfer-Encoding: chunked\r\nContent-Length: 33\r\n\r\n" VALID;
    int st = post_raw(smuggle, r, sizeof r);
    CHECK_MSG(st == 400 && strstr(r, "Transfer-Encoding"), "status %d %s", st, r);
}

static void test_long_token_header_is_refused(void)
{
    char req[2048], hdr[301], r[512];
    memset(hdr, 'A', 300);
    hdr[300] = 0;
    const char *body = "{\"symbol\":\"BTCUSDT\",\"side\":\"buy\",\"token\":\"" TOKEN2 "\"}";
    snprintf(req, sizeof req, "POST /webhook HTTP/1.1\r\nHost: x\r\nX-AlphaPulse-Token: %s\r\nContent-Length: %zu\r\n\r\n%s",
             hdr, strlen(body), body);
    int st = post_raw(req, r, sizeof r);
    CHECK_MSG(st == 401, "status %d %s (the body's token must not stand in)", st, r);
}

static void test_huge_head_gets_431(void)
{
    static char big[100 * 1024 + 256];
    int n = snprintf(big, sizeof big, "POST /webhook HTTP/1.1\r\nHost: x\r\nX-Pad: ");
    memset(big + n, 'p', 100 * 1024);
    snprintf(big + n + 100 * 1024, 100, "\r\nContent-Length: 33\r\n\r\n" VALID);
    char r[512];
    int st = post_raw(big, r, sizeof r);
    CHECK_MSG(st == 431, "status %d", st);
}

/* Secrets in the message: the journal text is cut to 95 characters; the token
 * straddles that cut. A percent-encoded copy must be redacted too. */
static void test_secrets_in_messages(void)
{
    char body[1024], r[512], hdr[200];
    snprintf(hdr, sizeof hdr, "X-AlphaPulse-Token: %s\r\n", TOKEN2);
    snprintf(body, sizeof body, "{\"symbol\":\"BTCUSDT\",\"side\":\"buy\",\"message\":\"%s %s\"}",
             "cut-here-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", TOKEN2);
    int st = wh_post(demo.port, hdr, body, r, sizeof r);
    CHECK_MSG(st == 202, "status %d %s", st, r);
    snprintf(body, sizeof body, "{\"symbol\":\"BTCUSDT\",\"side\":\"sell\",\"message\":\"url-encoded %s end\"}",
             TOKEN2_URL);
    st = wh_post(demo.port, hdr, body, r, sizeof r);
    CHECK_MSG(st == 202, "status %d %s", st, r);
}

/* max_pending 4: 2 accepted above, 2 more, then 503 */
static void test_review_queue_cap(void)
{
    char r[512], hdr[200];
    snprintf(hdr, sizeof hdr, "X-AlphaPulse-Token: %s\r\n", TOKEN2);
    CHECK(wh_post(demo.port, hdr, VALID, r, sizeof r) == 202);
    CHECK(wh_post(demo.port, hdr, VALID, r, sizeof r) == 202);
    int st = wh_post(demo.port, hdr, VALID, r, sizeof r);
    CHECK_MSG(st == 503 && strstr(r, "await review"), "status %d %s", st, r);
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

static void test_journal_and_log_hold_no_secret(void)
{
    double took = 0;
    CHECK(wh_stop(&demo, 30, &took) == 0);
    char db[400];
    snprintf(db, sizeof db, "%s/demo.db", demo.dir);
    sqlite3 *h;
    CHECK(sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK);
    CHECK_MSG(count_rows(h, "SELECT count(*) FROM journal WHERE text LIKE '%cut-here-%[redacted]%' "
                            "OR text LIKE '%cut-here-%x'") == 1, "the long message is journalled, token redacted");
    CHECK_MSG(count_rows(h, "SELECT count(*) FROM journal WHERE text LIKE '%url-encoded [redacted] end%'") == 1,
              "the percent-encoded token is redacted in the journal");
    CHECK_MSG(count_rows(h, "SELECT count(*) FROM journal WHERE text LIKE '%InboundToken%' "
                            "OR text LIKE '%Inbound%' OR text LIKE '%9f2c%'") == 0,
              "no part of the token is in the journal");
    sqlite3_close(h);
    const char *pieces[] = { "InboundToken", "Inbound", "9f2c", TOKEN2_URL };
    for (size_t i = 0; i < sizeof pieces / sizeof pieces[0]; i++) {
        CHECK_MSG(!wh_file_has(db, pieces[i]), "the database holds \"%s\"", pieces[i]);
        CHECK_MSG(!wh_file_has(demo.log, pieces[i]), "the log holds \"%s\"", pieces[i]);
    }
}

int main(void)
{
    /* the token comes from the config here (it has characters a URL encodes) */
    started = wh_start(&demo,
                       "{\"webhook\": {\"token\": \"" TOKEN2 "\", \"rate_per_s\": 500, \"burst\": 200, "
                       "\"timeout_s\": 3, \"max_pending\": 4}}\n",
                       false, "1");
    CHECK_MSG(started, "the demo did not start");
    if (started) {
        RUN(test_transfer_encoding_with_length_is_refused);
        RUN(test_long_token_header_is_refused);
        RUN(test_huge_head_gets_431);
        RUN(test_secrets_in_messages);
        RUN(test_review_queue_cap);
        RUN(test_journal_and_log_hold_no_secret);
    }
    if (demo.pid > 0) {
        kill(demo.pid, SIGKILL);
        waitpid(demo.pid, NULL, 0);
    }
    wh_cleanup(&demo);
    if (!started)
        printf("not ok - the demo with the webhook endpoint started\n");
    HARNESS_EXIT();
}
