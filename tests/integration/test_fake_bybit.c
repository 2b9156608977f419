/* The fake Bybit V5 server against our Bybit parsers, on 127.0.0.1: REST kline
 * pages (newest first; paging back with end), equal to the server's truth;
 * instruments-info; unknown symbols, rate limit and 403 mapped to their kinds;
 * WebSocket linear and spot: subscribe replies (an unknown topic named, more
 * than 10 args refused), kline pushes with confirm, tickers snapshot + deltas,
 * ping/pong, garbage refused with reasons, and a client that never pings
 * dropped. Every wait is bounded. */
#include <curl/curl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "fake_bybit.h"
#include "harness.h"
#include "alphapulse/binance_ws.h"
#include "alphapulse/bybit_parse.h"
#include "alphapulse/kline_json.h"

static pid_t fx_pid;
static int port;

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int fx_start(void)
{
    fx_pid = fake_bybit_start(&port, "--spot", "BTCUSDT,ETHUSDT", "--linear", "BTCUSDT", "--tick-ms", "40",
                              "--funding-every", "3", "--idle-ms", "2500", (char *)NULL);
    return fx_pid > 0 ? 0 : -1;
}

struct body { char *b; size_t n; };

static size_t on_data(char *p, size_t sz, size_t nm, void *u)
{
    struct body *b = u;
    b->b = realloc(b->b, b->n + sz * nm + 1);
    memcpy(b->b + b->n, p, sz * nm);
    b->n += sz * nm;
    b->b[b->n] = 0;
    return sz * nm;
}

static long get(const char *path, struct body *b)
{
    char url[512];
    snprintf(url, sizeof url, "http://127.0.0.1:%d%s", port, path);
    b->b = NULL;
    b->n = 0;
    CURL *c = curl_easy_init();
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, b);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 5L);
    long status = 0;
    if (curl_easy_perform(c) == CURLE_OK)
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_cleanup(c);
    if (!b->b)
        b->b = calloc(1, 1);
    return status;
}

static void rest_klines_page_back_and_equal_the_truth(void)
{
    static struct candle c[BYBIT_KLINES_LIMIT], older[BYBIT_KLINES_LIMIT];
    struct body b;
    size_t n = 0, m = 0;
    char why[256];
    struct bybit_error e;
    CHECK(get("/v5/market/kline?category=spot&symbol=BTCUSDT&interval=1&limit=1000", &b) == 200);
    CHECK_MSG(bybit_parse_klines(b.b, b.n, "BTCUSDT", TF_1M, c, BYBIT_KLINES_LIMIT, &n, NULL, &e, why, sizeof why) ==
              0, "%s", why);
    free(b.b);
    CHECK(n == 1000);
    for (size_t i = 1; i < n; i++)
        CHECK(c[i].open_time == c[i - 1].open_time + 60000);
    /* the closed rows equal the truth, byte for byte through the same printing */
    char path[256];
    snprintf(path, sizeof path, "/truth?category=spot&symbol=BTCUSDT&from=%lld&to=%lld", (long long)c[0].open_time,
             (long long)c[n - 2].open_time);
    CHECK(get(path, &b) == 200);
    size_t lines = 0, same = 0;
    for (char *l = strtok(b.b, "\n"); l; l = strtok(NULL, "\n"), lines++) {
        long long t;
        double o, h, lo, cl, v;
        if (sscanf(l, "%lld,%lf,%lf,%lf,%lf,%lf", &t, &o, &h, &lo, &cl, &v) == 6 && lines < n &&
            c[lines].open_time == t && c[lines].open == o && c[lines].high == h && c[lines].low == lo &&
            c[lines].close == cl && c[lines].volume == v)
            same++;
    }
    free(b.b);
    CHECK_MSG(lines >= n - 1 && same == lines, "truth lines %zu, equal %zu", lines, same);
    /* the page before: end = the first row's start - 1 */
    snprintf(path, sizeof path, "/v5/market/kline?category=spot&symbol=BTCUSDT&interval=1&limit=1000&end=%lld",
             (long long)c[0].open_time - 1);
    CHECK(get(path, &b) == 200);
    CHECK(bybit_parse_klines(b.b, b.n, "BTCUSDT", TF_1M, older, BYBIT_KLINES_LIMIT, &m, NULL, &e, why, sizeof why) ==
          0);
    free(b.b);
    CHECK(m > 0 && older[m - 1].open_time == c[0].open_time - 60000);
    /* linear has its own truth */
    CHECK(get("/v5/market/kline?category=linear&symbol=BTCUSDT&interval=1&limit=5", &b) == 200);
    CHECK(bybit_parse_klines(b.b, b.n, "BTCUSDT", TF_1M, older, 5, &m, NULL, &e, why, sizeof why) == 0 && m == 5);
    free(b.b);
}

static void rest_errors_are_named(void)
{
    struct candle c[4];
    struct body b;
    size_t n;
    char why[300];
    struct bybit_error e;
    CHECK(get("/v5/market/kline?category=spot&symbol=NOPEUSDT&interval=1", &b) == 200);
    CHECK(bybit_parse_klines(b.b, b.n, "NOPEUSDT", TF_1M, c, 4, &n, NULL, &e, why, sizeof why) == -1);
    CHECK_MSG(e.kind == BYBIT_E_BAD_SYMBOL && strstr(why, "unknown symbol NOPEUSDT"), "%s", why);
    free(b.b);
    CHECK(get("/v5/market/kline?category=spot&symbol=BTCUSDT&interval=3", &b) == 200);
    CHECK(bybit_check_reply(200, b.b, b.n, "BTCUSDT", &e, why, sizeof why) == -1 && e.kind == BYBIT_E_PARAM);
    free(b.b);
    CHECK(get("/control?action=ratelimit&n=1", &b) == 200);
    free(b.b);
    CHECK(get("/v5/market/kline?category=spot&symbol=BTCUSDT&interval=1&limit=4", &b) == 200);
    CHECK(bybit_parse_klines(b.b, b.n, "BTCUSDT", TF_1M, c, 4, &n, NULL, &e, why, sizeof why) == -1);
    CHECK_MSG(e.kind == BYBIT_E_RATE_LIMIT && e.ret_code == 10006, "%s", why);
    free(b.b);
    CHECK(get("/control?action=http403&n=1", &b) == 200);
    free(b.b);
    long st = get("/v5/market/kline?category=spot&symbol=BTCUSDT&interval=1&limit=4", &b);
    CHECK(st == 403 && bybit_check_reply(st, b.b, b.n, "BTCUSDT", &e, why, sizeof why) == -1);
    CHECK_MSG(e.kind == BYBIT_E_FORBIDDEN && strstr(why, "region"), "%s", why);
    free(b.b);
    /* served again afterwards */
    st = get("/v5/market/kline?category=spot&symbol=BTCUSDT&interval=1&limit=4", &b);
    CHECK(st == 200 && bybit_parse_klines(b.b, b.n, "BTCUSDT", TF_1M, c, 4, &n, NULL, &e, why, sizeof why) == 0);
    free(b.b);
    struct bybit_instrument in;
    CHECK(get("/v5/market/instruments-info?category=linear&symbol=BTCUSDT", &b) == 200);
    CHECK(bybit_parse_instrument(b.b, b.n, "BTCUSDT", &in, &e, why, sizeof why) == 0 && in.tick_size == 0.1 &&
          in.qty_step == 0.001 && in.funding_interval_min == 480);
    free(b.b);
    CHECK(get("/v5/market/instruments-info?category=spot&symbol=ETHUSDT", &b) == 200);
    CHECK(bybit_parse_instrument(b.b, b.n, "ETHUSDT", &in, &e, why, sizeof why) == 0 && in.tick_size == 0.01 &&
          strcmp(in.base, "ETH") == 0);
    free(b.b);
    CHECK(get("/v5/market/instruments-info?category=linear&symbol=ETHUSDT", &b) == 200);
    CHECK(bybit_parse_instrument(b.b, b.n, "ETHUSDT", &in, &e, why, sizeof why) == -1 &&
          e.kind == BYBIT_E_BAD_SYMBOL);
    free(b.b);
}

/* ---- WebSocket ---- */

struct client {
    bool open, closed;
    int replies, failed_replies, pongs, klines, closed_klines, tickers, snapshots, errors, others;
    char failed_topic[64], failed_msg[160];
    struct bybit_ticker tk;
    int64_t last_closed;
    bool order_ok;
};

static void on_open(void *u) { ((struct client *)u)->open = true; }
static void on_close(void *u, const char *why) { (void)why; ((struct client *)u)->closed = true; }

static void on_frame(void *u, const char *buf, size_t len, int64_t recv_ns)
{
    (void)recv_ns;
    struct client *c = u;
    static struct bybit_msg m;
    char why[200];
    if (bybit_ws_parse(buf, len, &m, why, sizeof why) != KLINE_JSON_OK) {
        c->errors++;
        return;
    }
    switch (m.type) {
    case BYBIT_MSG_SUBSCRIBE:
        c->replies++;
        if (!m.reply.success) {
            c->failed_replies++;
            snprintf(c->failed_topic, sizeof c->failed_topic, "%s", m.reply.topic);
            snprintf(c->failed_msg, sizeof c->failed_msg, "%s", m.reply.ret_msg);
        }
        break;
    case BYBIT_MSG_PONG: c->pongs++; break;
    case BYBIT_MSG_KLINE:
        c->klines++;
        if (m.klines[0].closed) {
            if (c->last_closed && m.klines[0].c.open_time != c->last_closed + 60000)
                c->order_ok = false;
            c->last_closed = m.klines[0].c.open_time;
            c->closed_klines++;
        }
        break;
    case BYBIT_MSG_TICKER:
        c->tickers++;
        c->snapshots += m.ticker.snapshot;
        bybit_ticker_merge(&c->tk, &m.ticker);
        break;
    default: c->others++; break;
    }
}

static struct binance_ws *connect_to(struct client *c, const char *path)
{
    memset(c, 0, sizeof *c);
    c->order_ok = true;
    struct binance_ws_callbacks cb = { .user = c, .on_open = on_open, .on_frame = on_frame, .on_close = on_close };
    char url[64], err[256];
    snprintf(url, sizeof url, "ws://127.0.0.1:%d", port);
    struct binance_ws *w = binance_ws_create(url, NULL, &cb, KLINE_JSON_MAX_BYTES, err, sizeof err);
    CHECK_MSG(w != NULL, "%s", err);
    if (w)
        CHECK(binance_ws_connect(w, path) == 0);
    return w;
}

/* A client that keeps its connection alive pings every 500 ms, as the real one
 * does every 20 s (the fake's --idle-ms is short to keep the test short). */
static bool keepalive;
static int pings_sent;
static int64_t last_ping;

static void service(struct binance_ws *w)
{
    if (keepalive && now_ms() - last_ping >= 500) {
        char req[64];
        bybit_format_ping(req, sizeof req, "ka");
        if (binance_ws_open(w) && binance_ws_send(w, req) == 0)
            pings_sent++;
        last_ping = now_ms();
    }
    binance_ws_service(w, 20);
}

/* Service until cond holds or ms pass; a check that it holds. */
#define SERVE_UNTIL(w, cond, ms) do { int64_t d_ = now_ms() + (ms); \
    while (!(cond) && now_ms() < d_) service(w); \
    CHECK_MSG((cond), "waited %d ms for %s", (int)(ms), #cond); } while (0)

static void linear_socket_serves_klines_tickers_and_pongs(void)
{
    struct client c;
    keepalive = true;
    struct binance_ws *w = connect_to(&c, "/v5/public/linear");
    if (!w)
        return;
    SERVE_UNTIL(w, c.open, 5000);
    const char *topics[] = { "kline.1.BTCUSDT", "tickers.BTCUSDT", "kline.1.NOPEUSDT" };
    char req[512];
    CHECK(bybit_format_subscribe(req, sizeof req, "subscribe", "s1", topics, 3) > 0);
    CHECK(binance_ws_send(w, req) == 0);
    SERVE_UNTIL(w, c.replies >= 1, 5000);
    CHECK_MSG(c.failed_replies == 1 && strcmp(c.failed_topic, "kline.1.NOPEUSDT") == 0, "%s / %s", c.failed_topic,
              c.failed_msg);
    SERVE_UNTIL(w, c.closed_klines >= 5 && c.tickers >= 8, 10000);
    CHECK(c.order_ok && c.errors == 0);
    CHECK(c.snapshots == 1);                                   /* then deltas only */
    CHECK(c.tk.mark > 0 && c.tk.funding_rate > 0 && c.tk.next_funding_ms > 0);
    CHECK((c.tk.have & (BYBIT_T_MARK | BYBIT_T_INDEX | BYBIT_T_FUNDING | BYBIT_T_NEXT_FUNDING)) ==
          (BYBIT_T_MARK | BYBIT_T_INDEX | BYBIT_T_FUNDING | BYBIT_T_NEXT_FUNDING));
    SERVE_UNTIL(w, pings_sent >= 2 && c.pongs == pings_sent, 5000);
    /* garbage: refused with reasons, the socket goes on */
    struct body b;
    CHECK(get("/control?action=garbage&n=4", &b) == 200);
    free(b.b);
    int k = c.closed_klines;
    SERVE_UNTIL(w, c.errors >= 4 && c.closed_klines > k + 2, 10000);
    CHECK(c.errors == 4);
    /* a skipped candle shows as a hole in the closed series */
    CHECK(get("/control?action=skip&n=2", &b) == 200);
    free(b.b);
    k = c.closed_klines;
    SERVE_UNTIL(w, c.closed_klines > k + 2, 10000);
    CHECK(!c.order_ok && !c.closed);                      /* kept alive by its pings */
    keepalive = false;
    binance_ws_destroy(w);
}

static void spot_socket_limits_args_and_drops_a_silent_client(void)
{
    struct client c;
    struct binance_ws *w = connect_to(&c, "/v5/public/spot");
    if (!w)
        return;
    SERVE_UNTIL(w, c.open, 5000);
    char req[1024];
    CHECK(binance_ws_send(w, "{\"req_id\":\"x\",\"op\":\"subscribe\",\"args\":[\"kline.1.BTCUSDT\",\"kline.1.BTCUSDT\","
                             "\"kline.1.BTCUSDT\",\"kline.1.BTCUSDT\",\"kline.1.BTCUSDT\",\"kline.1.BTCUSDT\","
                             "\"kline.1.BTCUSDT\",\"kline.1.BTCUSDT\",\"kline.1.BTCUSDT\",\"kline.1.BTCUSDT\","
                             "\"kline.1.ETHUSDT\"]}") == 0);
    SERVE_UNTIL(w, c.replies == 1, 5000);
    CHECK_MSG(c.failed_replies == 1 && strstr(c.failed_msg, "args size"), "%s", c.failed_msg);
    /* tickers are a linear topic here */
    const char *t[] = { "kline.1.ETHUSDT", "tickers.ETHUSDT" };
    CHECK(bybit_format_subscribe(req, sizeof req, "subscribe", "s2", t, 2) > 0 && binance_ws_send(w, req) == 0);
    SERVE_UNTIL(w, c.replies == 2, 5000);
    CHECK(c.failed_replies == 2 && strcmp(c.failed_topic, "tickers.ETHUSDT") == 0);
    SERVE_UNTIL(w, c.closed_klines >= 2, 10000);
    CHECK(c.tickers == 0);
    /* no ping for --idle-ms: the server drops us */
    SERVE_UNTIL(w, c.closed, 15000);
    struct body b;
    CHECK(get("/control?action=stats", &b) == 200);
    CHECK_MSG(strstr(b.b, "\"idle_drops\":") && !strstr(b.b, "\"idle_drops\":0"), "%s", b.b);
    free(b.b);
    binance_ws_destroy(w);
}

int main(void)
{
    signal(SIGPIPE, SIG_IGN);
    curl_global_init(CURL_GLOBAL_DEFAULT);
    if (fx_start()) {
        printf("not ok - fake_bybit did not start\n");
        return 1;
    }
    RUN(rest_klines_page_back_and_equal_the_truth);
    RUN(rest_errors_are_named);
    RUN(linear_socket_serves_klines_tickers_and_pongs);
    RUN(spot_socket_limits_args_and_drops_a_silent_client);
    fake_bybit_stop(fx_pid);
    curl_global_cleanup();
    HARNESS_EXIT();
}
