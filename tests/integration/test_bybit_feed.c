/* The Bybit feed thread against the fake Bybit server on 127.0.0.1, through
 * faults (a dropped connection, skipped candles, duplicates and stale repeats,
 * garbage, REST rate limits): every closed 1m candle of each symbol reaches the
 * queue once, in order, with no hole, equal to the server's truth; an unknown
 * symbol is reported and dropped; symbols carry the venue prefix; :add and :del
 * work live. Every wait is bounded. */
#include <curl/curl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "fake_bybit.h"
#include "harness.h"
#include "alphapulse/bybit_feed.h"

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
    fx_pid = fake_bybit_start(&port, "--spot", "BTCUSDT,ETHUSDT", "--linear", "BTCUSDT", "--tick-ms", "25",
                              (char *)NULL);
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

static char *get(const char *path)
{
    char url[512];
    snprintf(url, sizeof url, "http://127.0.0.1:%d%s", port, path);
    struct body b = { 0 };
    CURL *c = curl_easy_init();
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 5L);
    curl_easy_perform(c);
    curl_easy_cleanup(c);
    return b.b ? b.b : calloc(1, 1);
}

static void ctl(const char *action) { char p[128]; snprintf(p, sizeof p, "/control?action=%s", action); free(get(p)); }

/* What the queue delivered, per symbol. */
#define MAXC 20000
struct series {
    const char *name;
    struct candle c[MAXC];
    int n, repeats, out_of_order;
    bool instrument;
};
static struct series ser[3];
static int nser;
static bool dropped_nope, other_symbols;
static char last_state[96];

static struct series *of(const char *name)
{
    for (int i = 0; i < nser; i++)
        if (strcmp(ser[i].name, name) == 0)
            return &ser[i];
    return NULL;
}

static void drain(struct spsc *q)
{
    struct engine_event ev;
    while (spsc_pop(q, &ev)) {
        if (ev.type == EE_FEED_STATE) {
            snprintf(last_state, sizeof last_state, "%s", ev.u.state);
            if (strstr(ev.u.state, "bybit:NOPEUSDT: invalid symbol, dropped"))
                dropped_nope = true;
            continue;
        }
        const char *sym = ev.type == EE_KLINE ? ev.u.k.symbol : ev.type == EE_INSTRUMENT ? ev.u.inst.symbol : NULL;
        if (!sym)
            continue;
        struct series *s = of(sym);
        if (!s) {
            other_symbols = true;
            continue;
        }
        if (ev.type == EE_INSTRUMENT) {
            s->instrument = true;
            continue;
        }
        if (!ev.u.k.closed)
            continue;
        if (s->n > 0 && ev.u.k.c.open_time <= s->c[s->n - 1].open_time) {
            s->repeats++;
            continue;
        }
        if (s->n > 0 && ev.u.k.c.open_time != s->c[s->n - 1].open_time + 60000)
            s->out_of_order++;
        if (s->n < MAXC)
            s->c[s->n++] = ev.u.k.c;
    }
}

static bool wait_closed(struct spsc *q, struct series *s, int n, int ms)
{
    int64_t end = now_ms() + ms;
    while (now_ms() < end) {
        drain(q);
        if (s->n >= n)
            return true;
        nanosleep(&(struct timespec){ 0, 5000000 }, NULL);
    }
    return false;
}

/* Every delivered closed candle equals the truth, none missing between the first and the last. */
static bool equals_truth(const char *category, const struct series *s)
{
    if (s->n < 10)
        return false;
    char path[256];
    const char *sym = strchr(s->name, ':') + 1;
    snprintf(path, sizeof path, "/truth?category=%s&symbol=%s&from=%lld&to=%lld", category, sym,
             (long long)s->c[0].open_time, (long long)s->c[s->n - 1].open_time);
    char *t = get(path);
    int lines = 0, same = 0;
    for (char *l = strtok(t, "\n"); l; l = strtok(NULL, "\n"), lines++) {
        long long ot;
        double o, h, lo, cl, v;
        if (sscanf(l, "%lld,%lf,%lf,%lf,%lf,%lf", &ot, &o, &h, &lo, &cl, &v) == 6 && lines < s->n &&
            s->c[lines].open_time == ot && s->c[lines].open == o && s->c[lines].high == h && s->c[lines].low == lo &&
            s->c[lines].close == cl && s->c[lines].volume == v)
            same++;
    }
    free(t);
    if (lines == s->n && same == s->n)
        return true;
    printf("#   %s: delivered %d, truth %d, equal %d\n", s->name, s->n, lines, same);
    return false;
}

static void spot_through_faults_equals_the_truth(void)
{
    struct spsc q;
    CHECK(spsc_init(&q, sizeof(struct engine_event), 1 << 16) == 0);
    nser = 2;
    ser[0].name = "bybit:BTCUSDT";
    ser[1].name = "bybit:ETHUSDT";
    struct bybit_feed_options o;
    bybit_feed_defaults(&o, BYBIT_SPOT);
    char rest[64], wsu[64], err[256];
    snprintf(rest, sizeof rest, "http://127.0.0.1:%d", port);
    snprintf(wsu, sizeof wsu, "ws://127.0.0.1:%d", port);
    o.rest_url = rest;
    o.ws_url = wsu;
    o.prefix = "bybit:";
    o.history = 1500;                        /* more than one REST page */
    o.stale_after_s = 3;
    o.backoff_base_ms = 50;
    o.backoff_cap_ms = 500;
    const char syms[3][SYMBOL_MAX] = { "BTCUSDT", "NOPEUSDT", "ETHUSDT" };
    int64_t last[3] = { -1, -1, -1 };
    struct bybit_feed f;
    CHECK_MSG(bybit_feed_start(&f, &o, syms, last, 3, &q, err, sizeof err) == 0, "%s", err);
    struct series *b = &ser[0], *e = &ser[1];
    CHECK(wait_closed(&q, b, 1500, 30000) && wait_closed(&q, e, 1500, 30000));
    CHECK(b->instrument && e->instrument);
    CHECK(dropped_nope);
    int at = b->n;
    ctl("close");                            /* reconnect: resubscribe, fill what passed meanwhile */
    CHECK(wait_closed(&q, b, at + 40, 20000));
    at = b->n;
    ctl("skip&n=5");                         /* a hole on the stream: back-filled */
    CHECK(wait_closed(&q, b, at + 40, 20000));
    at = b->n;
    ctl("dup&n=5");                          /* repeats and stale candles: dropped */
    ctl("garbage&n=4");
    CHECK(wait_closed(&q, b, at + 30, 20000));
    ctl("ratelimit&n=3");                    /* REST refusals during the next backfill */
    ctl("close");
    at = b->n;
    CHECK(wait_closed(&q, b, at + 40, 20000) && wait_closed(&q, e, e->n + 10, 20000));
    /* :del stops a symbol, :add brings it back through a backfill */
    CHECK(bybit_feed_del(&f, "ETHUSDT", err, sizeof err) == 0);
    int64_t t_del = now_ms();
    while (now_ms() - t_del < 300)
        drain(&q);
    int e_after_del = e->n;
    CHECK(wait_closed(&q, b, b->n + 20, 20000));
    CHECK(e->n <= e_after_del + 1);          /* at most one in flight when it was removed */
    CHECK(bybit_feed_add(&f, "ETHUSDT", err, sizeof err) == 0);
    CHECK(wait_closed(&q, e, e_after_del + 30, 20000));
    bybit_feed_stop(&f);
    drain(&q);
    CHECK(!other_symbols);
    CHECK_MSG(b->repeats == 0 && b->out_of_order == 0, "BTC repeats %d, out of order %d", b->repeats, b->out_of_order);
    CHECK_MSG(e->repeats == 0 && e->out_of_order == 0, "ETH repeats %d, out of order %d", e->repeats, e->out_of_order);
    CHECK(equals_truth("spot", b));
    CHECK(equals_truth("spot", e));
    spsc_free(&q);
}

static void linear_has_its_own_truth(void)
{
    struct spsc q;
    CHECK(spsc_init(&q, sizeof(struct engine_event), 1 << 14) == 0);
    nser = 1;
    memset(&ser[0], 0, sizeof ser[0]);
    ser[0].name = "bybit:BTCUSDT";
    other_symbols = false;
    struct bybit_feed_options o;
    bybit_feed_defaults(&o, BYBIT_LINEAR);
    char rest[64], wsu[64], err[256];
    snprintf(rest, sizeof rest, "http://127.0.0.1:%d", port);
    snprintf(wsu, sizeof wsu, "ws://127.0.0.1:%d", port);
    o.rest_url = rest;
    o.ws_url = wsu;
    o.prefix = "bybit:";
    o.history = 200;
    const char syms[1][SYMBOL_MAX] = { "BTCUSDT" };
    struct bybit_feed f;
    CHECK_MSG(bybit_feed_start(&f, &o, syms, NULL, 1, &q, err, sizeof err) == 0, "%s", err);
    CHECK(wait_closed(&q, &ser[0], 260, 20000));
    bybit_feed_stop(&f);
    drain(&q);
    CHECK(ser[0].repeats == 0 && ser[0].out_of_order == 0 && !other_symbols);
    CHECK(equals_truth("linear", &ser[0]));
    spsc_free(&q);
}

int main(void)
{
    signal(SIGPIPE, SIG_IGN);
    curl_global_init(CURL_GLOBAL_DEFAULT);
    if (fx_start()) {
        printf("not ok - fake_bybit did not start\n");
        return 1;
    }
    RUN(spot_through_faults_equals_the_truth);
    RUN(linear_has_its_own_truth);
    fake_bybit_stop(fx_pid);
    curl_global_cleanup();
    HARNESS_EXIT();
}
