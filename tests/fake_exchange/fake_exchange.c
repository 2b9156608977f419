/* A fake Binance spot market-data server for tests: libwebsockets HTTP + WebSocket
 * on 127.0.0.1, serving /api/v3/klines, /api/v3/exchangeInfo, /api/v3/ticker/24hr, /api/v3/ping,
 * /api/v3/time and combined kline streams (/stream?streams=...) from a candle CSV,
 * in Binance's formats. Time is played fast: one 1m candle every --tick-ms.
 * Symbol k of --symbols serves the CSV with prices scaled by (1 + k/100), rounded
 * to 8 decimals, so every symbol has its own truth. Faults are switched on with
 * GET /control?action=NAME[&n=N][&retry=S][&ms=M] (see usage), and
 * GET /truth?symbol=S&from=T&to=T dumps the closed 1m candles as CSV.
 * --generate N serves N more symbols (GAAAUSDT, GAABUSDT ...) made the same way, for the
 * whole-market tests. Like Binance, a WebSocket connection carries at most
 * --max-streams streams (1024; a connection asking for more is closed and
 * counted), and REST weight above --weight-limit per minute (advertised in
 * exchangeInfo's rateLimits) is refused with 429 and Retry-After. With
 * --tls-cert/--tls-key the same endpoints are served over TLS only (https://,
 * wss://), so the client's certificate and host name checks meet a real peer.
 * --wall-clock MS plays the candles at the real pace instead, re-timed so that
 * candle --start is the current UTC minute, and sends the forming candle every
 * MS ms, its close sweeping from the candle's low to its high over the minute
 * (what a console showing a forming candle follows). */
#include <jansson.h>
#include <stdarg.h>
#include <libwebsockets.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "alphapulse/candle_csv.h"
#include "fake_depth.h"

#define MAX_SYMS 4096
#define MAX_CONNS 64
#define DEPTH_SYMS 64                 /* fake_depth's books: the first 64 symbols */
#define QCAP 65536
#define BODY_CAP (4u << 20)

struct msg { char *text; size_t len; bool ping; };

enum { SUB_KLINE = 1, SUB_DEPTH = 2, SUB_TRADE = 4 };   /* <s>@kline_1m, <s>@depth@100ms, <s>@aggTrade */

struct pss {                          /* per connection, HTTP or WebSocket */
    struct lws *wsi;
    bool ws;
    /* ws */
    uint8_t *subs;                    /* [k]: SUB_* bits of symbol k's streams */
    int streams;                      /* streams subscribed (every bit set in subs) */
    long closed_upto;                 /* next candle index whose closed frame is due */
    long partial_for;                 /* candle index of the last partial sent */
    int64_t partial_at;               /* mono_ms of it (--wall-clock: one every wall_ms) */
    bool stalled, close_now;
    int skip, dup;                    /* faults still to apply on this connection */
    struct msg *q;
    int qh, ql;
    /* http */
    char *body;
    size_t body_len;
    int status;
    long retry_after;
    size_t body_off;
    bool hdr_sent, sent;
};

static struct {
    struct candle *csv;
    size_t n;
    char (*sym)[16], (*lower)[16];
    int nsym;
    int max_streams;                  /* per connection */
    int streams_peak;                 /* the most one connection carried */
    unsigned long long over_cap;      /* connections closed for asking more than max_streams */
    unsigned long long over_weight;   /* requests refused (429) for passing weight_limit */
    long weight_limit;                /* REQUEST_WEIGHT per minute */
    long start_index, tick_ms;
    int64_t t0_ms;
    long wall_ms;                     /* --wall-clock: real-time minutes, a partial every wall_ms */
    struct pss *conns[MAX_CONNS];
    int nconn;
    int http429, http418;
    long retry_after, slow_ms;
    long weight;
    int64_t weight_minute;
    double boost[MAX_SYMS];           /* a symbol's 24 h quote volume times this (0: 1) */
    unsigned long long pongs, pings, rest_requests, rate_limited, subscribes, unsubscribes, connections;
    int64_t ping_every_ms, last_ping;
    struct lws_context *ctx;
    lws_sorted_usec_list_t tick;
    volatile sig_atomic_t stop;
    bool depth_on;                    /* a depth stream was ever asked for */
    long depth_idx;                   /* the candle index the books last moved at */
} S;

static int64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static long idx_now(void)
{
    long i = S.start_index + (long)((mono_ms() - S.t0_ms) / S.tick_ms);
    return i < (long)S.n - 1 ? i : (long)S.n - 1;
}

static double round8(double v)
{
    char b[64];
    snprintf(b, sizeof b, "%.8f", v);
    return strtod(b, NULL);
}

/* The truth: symbol k's candle i. */
static struct candle truth(int k, long i)
{
    struct candle c = S.csv[i];
    double f = 1.0 + k / 100.0;
    c.open = round8(c.open * f);
    c.high = round8(c.high * f);
    c.low = round8(c.low * f);
    c.close = round8(c.close * f);
    c.volume = round8(c.volume);
    c.quote_volume = round8(c.volume * c.close);
    return c;
}

static int64_t wall_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Part-way through the minute: valid, and ending at the closed candle. With
 * --wall-clock, the close sweeps from the low to the high as the minute passes. */
static struct candle partial(int k, long i)
{
    struct candle c = truth(k, i);
    if (S.wall_ms) {
        double frac = (double)((mono_ms() - S.t0_ms) % 60000) / 60000.0;
        double px = round8(c.low + (c.high - c.low) * frac);
        c.close = px;
        c.high = c.open > px ? c.open : px;
        c.low = c.open < px ? c.open : px;
        c.volume = round8(c.volume * frac);
        c.quote_volume = round8(c.volume * px);
        return c;
    }
    double mid = round8((c.open + c.close) / 2);
    c.high = c.open > mid ? c.open : mid;
    c.low = c.open < mid ? c.open : mid;
    c.close = mid;
    c.volume = round8(c.volume / 2);
    c.quote_volume = round8(c.volume * mid);
    return c;
}

static int find_sym(const char *name, bool lower)
{
    for (int k = 0; k < S.nsym; k++)
        if (strcmp(lower ? S.lower[k] : S.sym[k], name) == 0)
            return k;
    return -1;
}

static int kline_frame(char *buf, size_t n, int k, const struct candle *c, bool closed, int64_t etime)
{
    return snprintf(buf, n,
        "{\"stream\":\"%s@kline_1m\",\"data\":{\"e\":\"kline\",\"E\":%lld,\"s\":\"%s\",\"k\":{\"t\":%lld,"
        "\"T\":%lld,\"s\":\"%s\",\"i\":\"1m\",\"f\":100,\"L\":200,\"o\":\"%.8f\",\"c\":\"%.8f\",\"h\":\"%.8f\","
        "\"l\":\"%.8f\",\"v\":\"%.8f\",\"n\":%lld,\"x\":%s,\"q\":\"%.8f\",\"V\":\"0\",\"Q\":\"0\",\"B\":\"0\"}}}",
        S.lower[k], (long long)etime, S.sym[k], (long long)c->open_time, (long long)(c->open_time + 59999),
        S.sym[k], c->open, c->close, c->high, c->low, c->volume, (long long)c->trades, closed ? "true" : "false",
        c->quote_volume);
}

static void enqueue(struct pss *p, const char *text, size_t len, bool ping)
{
    if (p->ql == QCAP) {                 /* a consumer this slow gets disconnected, like Binance does */
        p->close_now = true;
        return;
    }
    struct msg *m = &p->q[(p->qh + p->ql) % QCAP];
    m->text = malloc(len + 1);
    memcpy(m->text, text, len);
    m->text[len] = 0;
    m->len = len;
    m->ping = ping;
    p->ql++;
}

static void enqueue_kline(struct pss *p, int k, long i, bool closed, double vol_factor)
{
    char buf[1024];
    struct candle c = closed ? truth(k, i) : partial(k, i);
    c.volume = round8(c.volume * vol_factor);
    int64_t et = c.open_time + (closed ? 59999 : 30000);
    if (S.wall_ms && !closed)
        et = wall_now_ms();
    int n = kline_frame(buf, sizeof buf, k, &c, closed, et);
    enqueue(p, buf, (size_t)n, false);
}

static void garbage(struct pss *p, int kind, long i)
{
    int k = 0;
    while (k < S.nsym && !(p->subs[k] & SUB_KLINE))
        k++;
    if (k == S.nsym)
        k = 0;
    char buf[1200];
    struct candle c = partial(k, i);
    int n;
    switch (kind % 6) {
    case 0:
        n = snprintf(buf, sizeof buf, "this is not JSON {");
        break;
    case 1:
        n = kline_frame(buf, sizeof buf, k, &c, false, c.open_time + 1) / 2;   /* truncated */
        break;
    case 2:
        n = snprintf(buf, sizeof buf, "{\"stream\":\"%s@kline_1m\",\"data\":{\"e\":\"kline\",\"E\":1,\"s\":\"%s\","
                     "\"k\":{\"t\":\"soon\",\"s\":\"%s\",\"i\":\"1m\",\"o\":\"1\",\"c\":\"1\",\"h\":\"1\",\"l\":\"1\","
                     "\"v\":\"1\",\"x\":false}}}", S.lower[k], S.sym[k], S.sym[k]);
        break;
    case 3:
        c.high = c.low / 2;                                                      /* high < low */
        n = kline_frame(buf, sizeof buf, k, &c, true, c.open_time + 59999);
        break;
    case 4: {
        size_t big = 70000;
        char *b = malloc(big + 64);
        int w = snprintf(b, 64, "{\"stream\":\"%s@kline_1m\",\"pad\":\"", S.lower[k]);
        memset(b + w, 'a', big);
        memcpy(b + w + big, "\"}", 3);
        enqueue(p, b, (size_t)w + big + 2, false);
        free(b);
        return;
    }
    default:                                                                     /* NaN high */
        n = snprintf(buf, sizeof buf, "{\"stream\":\"%s@kline_1m\",\"data\":{\"e\":\"kline\",\"E\":1,\"s\":\"%s\","
                     "\"k\":{\"t\":%lld,\"s\":\"%s\",\"i\":\"1m\",\"o\":\"1\",\"c\":\"1\",\"h\":\"nan\",\"l\":\"1\","
                     "\"v\":\"1\",\"x\":false}}}", S.lower[k], S.sym[k], (long long)c.open_time, S.sym[k]);
        break;
    }
    enqueue(p, buf, (size_t)n, false);
}

static void depth_emit(int k, bool trade, const char *text, size_t len)
{
    for (int c = 0; c < S.nconn; c++) {
        struct pss *p = S.conns[c];
        if (!p->stalled && (p->subs[k] & (trade ? SUB_TRADE : SUB_DEPTH)))
            enqueue(p, text, len, false);
    }
}

/* The books move once per candle index; the closed candle's trades go out. */
static void depth_pump(long now)
{
    if (!S.depth_on)
        return;
    if (S.depth_idx < 0 || now - S.depth_idx > 100)
        S.depth_idx = now - 1;
    for (long i = S.depth_idx + 1; i <= now; i++)
        for (int k = 0; k < S.nsym && k < DEPTH_SYMS; k++) {
            struct candle done = truth(k, i - 1);
            fake_depth_step(k, truth(k, i).close, &done, depth_emit);
        }
    S.depth_idx = now;
}

/* Generate what each connection is owed up to the current candle. */
static void pump(void)
{
    long now = idx_now();
    depth_pump(now);
    int64_t t = mono_ms();
    bool ping = S.ping_every_ms > 0 && t - S.last_ping >= S.ping_every_ms;
    if (ping)
        S.last_ping = t;
    for (int c = 0; c < S.nconn; c++) {
        struct pss *p = S.conns[c];
        if (p->stalled)
            continue;
        while (p->closed_upto < now) {
            long i = p->closed_upto++;
            if (p->skip > 0) {
                p->skip--;
                continue;
            }
            for (int k = 0; k < S.nsym; k++)
                if (p->subs[k] & SUB_KLINE) {
                    enqueue_kline(p, k, i, true, 1.0);
                    if (p->dup > 0) {
                        enqueue_kline(p, k, i, true, 2.0);               /* duplicate, altered */
                        if (i >= 2)
                            enqueue_kline(p, k, i - 2, true, 3.0);       /* out of order, altered */
                        if (i >= 1)
                            enqueue_kline(p, k, i - 1, false, 1.0);      /* stale partial */
                    }
                }
            if (p->dup > 0)
                p->dup--;
        }
        if ((p->partial_for != now || (S.wall_ms && t - p->partial_at >= S.wall_ms)) && p->skip == 0) {
            for (int k = 0; k < S.nsym; k++)
                if (p->subs[k] & SUB_KLINE)
                    enqueue_kline(p, k, now, false, 1.0);
            p->partial_for = now;
            p->partial_at = t;
        }
        if (ping) {
            char pl[32];
            int n = snprintf(pl, sizeof pl, "p%llu", S.pings++);
            enqueue(p, pl, (size_t)n, true);
        }
    }
}

static void on_tick(lws_sorted_usec_list_t *sul)
{
    (void)sul;
    if (S.stop) {
        lws_cancel_service(S.ctx);
        return;
    }
    pump();
    for (int c = 0; c < S.nconn; c++)
        if (S.conns[c]->ql || S.conns[c]->close_now)
            lws_callback_on_writable(S.conns[c]->wsi);
    lws_sul_schedule(S.ctx, 0, &S.tick, on_tick, 1000);
}

/* ---- HTTP ---------------------------------------------------------------------- */

struct sbuf { char *b; size_t len, cap; };

static void sb_add(struct sbuf *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sb_add(struct sbuf *s, const char *fmt, ...)
{
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        size_t room = s->cap - s->len;
        int n = vsnprintf(s->b ? s->b + s->len : NULL, s->b ? room : 0, fmt, ap);
        va_end(ap);
        if (s->b && (size_t)n < room) {
            s->len += (size_t)n;
            return;
        }
        size_t cap = s->cap ? s->cap * 2 : 4096;
        while (cap < s->len + (size_t)n + 1)
            cap *= 2;
        s->b = realloc(s->b, cap);
        s->cap = cap;
    }
}

static void error_body(struct pss *p, int status, int code, const char *msg)
{
    struct sbuf b = { 0 };
    sb_add(&b, "{\"code\":%d,\"msg\":\"%s\"}", code, msg);
    p->body = b.b;
    p->body_len = b.len;
    p->status = status;
}

/* The value of query argument `name` ("symbol="), read fragment by fragment:
 * lws_get_urlarg_by_name lost the arguments after a value starting with a
 * digit ("symbol=1000SATSUSDT&interval=1m" had no interval). */
static const char *arg(struct lws *wsi, const char *name, char *buf, int len)
{
    char frag[256];
    size_t nl = strlen(name);
    for (int i = 0; lws_hdr_total_length(wsi, WSI_TOKEN_HTTP_URI_ARGS) > 0 && i < 64; i++) {
        int fl = lws_hdr_copy_fragment(wsi, frag, sizeof frag, WSI_TOKEN_HTTP_URI_ARGS, i);
        if (fl < 0)
            break;
        if (strncmp(frag, name, nl) == 0 && fl - (int)nl < len) {
            memcpy(buf, frag + nl, (size_t)fl - nl + 1);
            return buf;
        }
    }
    return NULL;
}

static bool arg_ll(struct lws *wsi, const char *name, long long *out)
{
    char buf[64];
    const char *v = arg(wsi, name, buf, sizeof buf);
    if (!v)
        return false;
    char *end;
    *out = strtoll(v, &end, 10);
    return end != v && !*end;
}

static long find_index(int64_t open_time)          /* first index with open_time >= t */
{
    size_t lo = 0, hi = S.n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (S.csv[mid].open_time < open_time)
            lo = mid + 1;
        else
            hi = mid;
    }
    return (long)lo;
}

static void klines(struct lws *wsi, struct pss *p)
{
    char sym[32], iv[16];
    const char *s = arg(wsi, "symbol=", sym, sizeof sym), *i = arg(wsi, "interval=", iv, sizeof iv);
    if (!s || !i)
        { error_body(p, 400, -1102, s ? "Mandatory parameter 'interval' was not sent, was empty/null, or malformed."
                                           : "Mandatory parameter 'symbol' was not sent, was empty/null, or malformed."); return; }
    int k = find_sym(s, false);
    if (k < 0)
        { error_body(p, 400, -1121, "Invalid symbol."); return; }
    if (strcmp(i, "1m") != 0)
        { error_body(p, 400, -1120, "Invalid interval."); return; }
    long long start = -1, end = -1, limit = 500;
    arg_ll(wsi, "startTime=", &start);
    arg_ll(wsi, "endTime=", &end);
    arg_ll(wsi, "limit=", &limit);
    if (limit <= 0 || limit > 1000)
        limit = limit <= 0 ? 500 : 1000;
    long now = idx_now();
    long first, last = now;                            /* the forming candle is the newest row */
    if (end >= 0 && find_index(end + 1) - 1 < last)
        last = find_index(end + 1) - 1;
    if (start >= 0)
        first = find_index(start);
    else
        first = last - limit + 1;
    if (first < 0)
        first = 0;
    if (last - first + 1 > limit)
        last = first + limit - 1;
    struct sbuf b = { 0 };
    sb_add(&b, "[");
    for (long x = first; x <= last; x++) {
        struct candle c = x == now ? partial(k, x) : truth(k, x);
        sb_add(&b, "%s[%lld,\"%.8f\",\"%.8f\",\"%.8f\",\"%.8f\",\"%.8f\",%lld,\"%.8f\",%lld,\"0.00000000\","
               "\"0.00000000\",\"0\"]", x > first ? "," : "", (long long)c.open_time, c.open, c.high, c.low,
               c.close, c.volume, (long long)(c.open_time + 59999), c.quote_volume, (long long)c.trades);
    }
    sb_add(&b, "]");
    p->body = b.b;
    p->body_len = b.len;
    p->status = 200;
}

static void symbol_json(struct sbuf *b, int k)
{
    char base[16];
    snprintf(base, sizeof base, "%s", S.sym[k]);
    size_t n = strlen(base);
    const char *quote = "USDT";
    if (n > 4 && strcmp(base + n - 4, "USDT") == 0)
        base[n - 4] = 0;
    else
        quote = "BTC", base[n > 3 ? n - 3 : n] = 0;
    sb_add(b, "{\"symbol\":\"%s\",\"status\":\"TRADING\",\"baseAsset\":\"%s\",\"baseAssetPrecision\":8,"
           "\"quoteAsset\":\"%s\",\"quotePrecision\":8,\"quoteAssetPrecision\":8,\"orderTypes\":[\"LIMIT\",\"MARKET\"],"
           "\"isSpotTradingAllowed\":true,\"filters\":["
           "{\"filterType\":\"PRICE_FILTER\",\"minPrice\":\"0.01000000\",\"maxPrice\":\"1000000.00000000\",\"tickSize\":\"0.01000000\"},"
           "{\"filterType\":\"LOT_SIZE\",\"minQty\":\"0.00001000\",\"maxQty\":\"9000.00000000\",\"stepSize\":\"0.00001000\"},"
           "{\"filterType\":\"ICEBERG_PARTS\",\"limit\":10},"
           "{\"filterType\":\"NOTIONAL\",\"minNotional\":\"5.00000000\",\"applyMinToMarket\":true,"
           "\"maxNotional\":\"9000000.00000000\",\"applyMaxToMarket\":false,\"avgPriceMins\":5}],"
           "\"permissions\":[],\"permissionSets\":[[\"SPOT\"]]}", S.sym[k], base, quote);
}

static void exchange_info(struct lws *wsi, struct pss *p)
{
    char sym[32];
    const char *s = arg(wsi, "symbol=", sym, sizeof sym);
    int k = s ? find_sym(s, false) : -1;
    if (s && k < 0)
        { error_body(p, 400, -1121, "Invalid symbol."); return; }
    struct sbuf b = { 0 };
    sb_add(&b, "{\"timezone\":\"UTC\",\"serverTime\":%lld,\"rateLimits\":[{\"rateLimitType\":\"REQUEST_WEIGHT\","
           "\"interval\":\"MINUTE\",\"intervalNum\":1,\"limit\":%ld}],\"exchangeFilters\":[],\"symbols\":[",
           (long long)S.csv[idx_now()].open_time, S.weight_limit);
    for (int j = 0, w = 0; j < S.nsym; j++)
        if (!s || j == k) {
            if (w++)
                sb_add(&b, ",");
            symbol_json(&b, j);
        }
    sb_add(&b, "]}");
    p->body = b.b;
    p->body_len = b.len;
    p->status = 200;
}

/* 24 h tickers: the quote volume of the 1,440 closed candles before now (symbol
 * k's prices are the CSV's times 1 + k/100, so a later symbol trades more), for
 * one symbol or every one; the other fields of Binance's reply are not used. */
static void tickers(struct lws *wsi, struct pss *p)
{
    char sym[32];
    const char *s = arg(wsi, "symbol=", sym, sizeof sym);
    int k = s ? find_sym(s, false) : -1;
    if (s && k < 0)
        { error_body(p, 400, -1121, "Invalid symbol."); return; }
    long now = idx_now();
    double base = 0;
    for (long x = now > 1440 ? now - 1440 : 0; x < now; x++)
        base += S.csv[x].volume * S.csv[x].close;
    struct sbuf b = { 0 };
    sb_add(&b, "%s", s ? "" : "[");
    for (int j = 0, w = 0; j < S.nsym; j++)
        if (!s || j == k)
            sb_add(&b, "%s{\"symbol\":\"%s\",\"quoteVolume\":\"%.8f\"}", w++ ? "," : "", S.sym[j],
                   round8(base * (1.0 + j / 100.0) * (S.boost[j] > 0 ? S.boost[j] : 1)));
    sb_add(&b, "%s", s ? "" : "]");
    p->body = b.b;
    p->body_len = b.len;
    p->status = 200;
}

static void truth_dump(struct lws *wsi, struct pss *p)
{
    char sym[32];
    const char *s = arg(wsi, "symbol=", sym, sizeof sym);
    int k = s ? find_sym(s, false) : -1;
    if (k < 0)
        { error_body(p, 400, -1121, "Invalid symbol."); return; }
    long long from = 0, to = INT64_MAX;
    arg_ll(wsi, "from=", &from);
    arg_ll(wsi, "to=", &to);
    struct sbuf b = { 0 };
    sb_add(&b, "%s", "");
    long now = idx_now();
    for (long x = find_index(from); x < now && S.csv[x].open_time <= to; x++) {
        struct candle c = truth(k, x);
        sb_add(&b, "%lld,%.8f,%.8f,%.8f,%.8f,%.8f\n", (long long)c.open_time, c.open, c.high, c.low, c.close, c.volume);
    }
    p->body = b.b;
    p->body_len = b.len;
    p->status = 200;
}

/* REST depth snapshot (Binance's form) or the true book (alphapulse depth's JSON form) */
static void depth_http(struct lws *wsi, struct pss *p, bool rest)
{
    char sym[32];
    const char *s = arg(wsi, "symbol=", sym, sizeof sym);
    int k = s ? find_sym(s, false) : -1;
    if (k < 0 || k >= DEPTH_SYMS)
        { error_body(p, 400, -1121, "Invalid symbol."); return; }
    long long limit = rest ? 100 : 1000;
    arg_ll(wsi, rest ? "limit=" : "levels=", &limit);
    p->body = rest ? fake_depth_snapshot(k, (int)limit, &p->body_len) : fake_depth_truth(k, (int)limit, &p->body_len);
    p->status = 200;
}

static void control(struct lws *wsi, struct pss *p)
{
    char a[32];
    const char *act = arg(wsi, "action=", a, sizeof a);
    long long n = 1, retry = 1, ms = 0;
    arg_ll(wsi, "n=", &n);
    arg_ll(wsi, "retry=", &retry);
    arg_ll(wsi, "ms=", &ms);
    struct sbuf b = { 0 };
    if (!act) {
        error_body(p, 400, -1102, "Mandatory parameter 'action' was not sent");
        return;
    }
    if (strcmp(act, "stats") == 0) {
        int streams = 0;                          /* subscribed now, over every connection */
        for (int c = 0; c < S.nconn; c++)
            streams += S.conns[c]->streams;
        sb_add(&b, "{\"streams\":%d,\"index\":%ld,\"open_time\":%lld,\"connections\":%d,\"connections_total\":%llu,\"pings\":%llu,"
               "\"pongs\":%llu,\"rest\":%llu,\"rate_limited\":%llu,\"subscribes\":%llu,\"unsubscribes\":%llu,"
               "\"streams_peak\":%d,\"over_cap\":%llu,\"over_weight\":%llu,\"weight\":%ld}\n",
               streams, idx_now(), (long long)S.csv[idx_now()].open_time, S.nconn, S.connections, S.pings, S.pongs,
               S.rest_requests, S.rate_limited, S.subscribes, S.unsubscribes, S.streams_peak, S.over_cap, S.over_weight, S.weight);
    } else {
        for (int c = 0; c < S.nconn; c++) {
            struct pss *q = S.conns[c];
            if (strcmp(act, "close") == 0) q->close_now = true;
            else if (strcmp(act, "stall") == 0) q->stalled = true;
            else if (strcmp(act, "skip") == 0) q->skip = (int)n;
            else if (strcmp(act, "dup") == 0) q->dup = (int)n;
            else if (strcmp(act, "garbage") == 0)
                for (int g = 0; g < n; g++)
                    garbage(q, g, idx_now());
        }
        if (strcmp(act, "http429") == 0) S.http429 = (int)n, S.retry_after = (long)retry;
        else if (strcmp(act, "http418") == 0) S.http418 = (int)n, S.retry_after = (long)retry;
        else if (strcmp(act, "slow") == 0) S.slow_ms = (long)ms;
        else if (strcmp(act, "boost") == 0) {      /* symbol=S: its 24 h volume times n */
            char sym[32];
            int k = arg(wsi, "symbol=", sym, sizeof sym) ? find_sym(sym, false) : -1;
            if (k < 0) {
                error_body(p, 400, -1121, "Invalid symbol.");
                return;
            }
            S.boost[k] = (double)n;
        }
        else if (strcmp(act, "spend") == 0) {      /* another client of the same IP used n weight */
            int64_t minute = (int64_t)time(NULL) / 60;
            if (minute != S.weight_minute)
                S.weight = 0, S.weight_minute = minute;
            S.weight += (long)n;
        }
        else if (fake_depth_control(act, (long)n)) {}
        else if (!strstr("close stall skip dup garbage", act)) {
            error_body(p, 400, -1130, "Unknown action");
            return;
        }
        sb_add(&b, "{\"ok\":true,\"action\":\"%s\",\"connections\":%d}\n", act, S.nconn);
    }
    p->body = b.b;
    p->body_len = b.len;
    p->status = 200;
}

/* Binance's weights (docs/exchange-protocols.md): klines 2 (limit <= 100: 1 is
 * not modelled), exchangeInfo 20, depth 50 at the snapshot size used, 24 h
 * tickers 2 for one symbol and 80 for all. */
static long request_weight(struct lws *wsi, const char *path)
{
    char sym[32];
    if (strcmp(path, "/api/v3/klines") == 0) return 2;
    if (strcmp(path, "/api/v3/exchangeInfo") == 0) return 20;
    if (strcmp(path, "/api/v3/depth") == 0) return 50;
    if (strcmp(path, "/api/v3/ticker/24hr") == 0) return arg(wsi, "symbol=", sym, sizeof sym) ? 2 : 80;
    return 1;
}

static void route(struct lws *wsi, struct pss *p, const char *path)
{
    bool api = strncmp(path, "/api/", 5) == 0;
    if (api) {
        S.rest_requests++;
        int64_t minute = (int64_t)time(NULL) / 60;
        if (minute != S.weight_minute)
            S.weight = 0, S.weight_minute = minute;
        if (S.http418 > 0 || S.http429 > 0) {
            bool ban = S.http418 > 0;
            if (ban) S.http418--; else S.http429--;
            S.rate_limited++;
            p->retry_after = S.retry_after;
            error_body(p, ban ? 418 : 429, -1003, ban ? "Way too much request weight used; IP banned until later."
                                                      : "Too much request weight used; current limit is 6000 request weight per 1 MINUTE.");
            return;
        }
        long cost = request_weight(wsi, path);
        if (S.weight + cost > S.weight_limit) {
            S.rate_limited++;
            S.over_weight++;
            p->retry_after = 60 - (long)(time(NULL) % 60);
            error_body(p, 429, -1003, "Too much request weight used; current limit is reached this minute.");
            return;
        }
        S.weight += cost;
    }
    if (strcmp(path, "/api/v3/klines") == 0) klines(wsi, p);
    else if (strcmp(path, "/api/v3/exchangeInfo") == 0) exchange_info(wsi, p);
    else if (strcmp(path, "/api/v3/ticker/24hr") == 0) tickers(wsi, p);
    else if (strcmp(path, "/api/v3/ping") == 0) { p->body = strdup("{}"); p->body_len = 2; p->status = 200; }
    else if (strcmp(path, "/api/v3/time") == 0) {
        struct sbuf b = { 0 };
        sb_add(&b, "{\"serverTime\":%lld}", (long long)S.csv[idx_now()].open_time);
        p->body = b.b, p->body_len = b.len, p->status = 200;
    }
    else if (strcmp(path, "/api/v3/depth") == 0 || strcmp(path, "/depth_truth") == 0) depth_http(wsi, p, path[1] == 'a');
    else if (strcmp(path, "/truth") == 0) truth_dump(wsi, p);
    else if (strcmp(path, "/control") == 0) control(wsi, p);
    else error_body(p, 404, -1000, "Not found.");
}

/* Headers first, then the body in pieces, one per writable callback, never
 * beyond the peer's window nor the protocol's buffer size: one big write works
 * over plain HTTP/1.1, but over TLS with HTTP/2 (what libcurl negotiates for
 * https://) libwebsockets 4.1 cut a final write larger than the buffer short. */
#define HTTP_CHUNK 4096                  /* = the protocol's rx_buffer_size below */

static int http_write(struct lws *wsi, struct pss *p)
{
    if (p->sent)
        return 0;
    if (!p->hdr_sent) {
        unsigned char hdr[LWS_PRE + 1024], *start = hdr + LWS_PRE, *ptr = start, *end = hdr + sizeof hdr - 1;
        if (lws_add_http_common_headers(wsi, (unsigned)p->status, "application/json;charset=UTF-8", p->body_len, &ptr, end))
            return -1;
        char w[32];
        int wl = snprintf(w, sizeof w, "%ld", S.weight);
        if (lws_add_http_header_by_name(wsi, (const unsigned char *)"x-mbx-used-weight-1m:", (unsigned char *)w, wl, &ptr, end) ||
            lws_add_http_header_by_name(wsi, (const unsigned char *)"x-mbx-used-weight:", (unsigned char *)w, wl, &ptr, end))
            return -1;
        if (p->retry_after > 0) {
            wl = snprintf(w, sizeof w, "%ld", p->retry_after);
            if (lws_add_http_header_by_name(wsi, (const unsigned char *)"retry-after:", (unsigned char *)w, wl, &ptr, end))
                return -1;
        }
        if (lws_finalize_write_http_header(wsi, start, &ptr, end))
            return -1;
        p->hdr_sent = true;
        p->body_off = 0;
        lws_callback_on_writable(wsi);
        return 0;
    }
    size_t left = p->body_len - p->body_off, n = left < HTTP_CHUNK ? left : HTTP_CHUNK;
    lws_fileofs_t allow = lws_get_peer_write_allowance(wsi);
    if (allow == 0) {                                    /* no window yet: wait for an update */
        lws_callback_on_writable(wsi);
        return 0;
    }
    if (allow > 0 && (size_t)allow < n)
        n = (size_t)allow;
    bool last = n == left;
    unsigned char buf[LWS_PRE + HTTP_CHUNK];
    memcpy(buf + LWS_PRE, p->body + p->body_off, n);
    if (lws_write(wsi, buf + LWS_PRE, n, last ? LWS_WRITE_HTTP_FINAL : LWS_WRITE_HTTP) < (int)n)
        return -1;
    p->body_off += n;
    if (!last) {
        lws_callback_on_writable(wsi);
        return 0;
    }
    p->sent = true;
    return lws_http_transaction_completed(wsi) ? -1 : 0;
}

/* ---- WebSocket ------------------------------------------------------------------ */

/* The streams of a list ("a@kline_1m/b@aggTrade" or one SUBSCRIBE parameter)
 * on or off; false when the connection would carry more than max_streams. */
static bool subscribe_list(struct pss *p, const char *list, bool on)
{
    char *buf = strdup(list), *save = NULL;
    for (char *tok = strtok_r(buf, "/,", &save); tok; tok = strtok_r(NULL, "/,", &save)) {
        uint8_t bit;
        char *at = strstr(tok, "@kline_1m");
        if (at && !at[9]) {
            bit = SUB_KLINE;
        } else if ((at = strstr(tok, "@depth@100ms")) && !at[12]) {
            bit = SUB_DEPTH;
            S.depth_on = true;
        } else if ((at = strstr(tok, "@aggTrade")) && !at[9]) {
            bit = SUB_TRADE;
            S.depth_on = true;
        } else {
            continue;                                  /* other streams: silently nothing */
        }
        *at = 0;
        int k = find_sym(tok, true);                   /* unknown or upper case: silence, as Binance */
        if (k < 0 || (bit != SUB_KLINE && k >= DEPTH_SYMS) || !(p->subs[k] & bit) != on)
            continue;
        p->subs[k] ^= bit;
        p->streams += on ? 1 : -1;
    }
    free(buf);
    if (p->streams > S.streams_peak)
        S.streams_peak = p->streams;
    if (p->streams <= S.max_streams)
        return true;
    S.over_cap++;
    fprintf(stderr, "fake_exchange: a connection asked for %d streams, more than %d\n", p->streams, S.max_streams);
    return false;
}

static void ws_receive(struct pss *p, const char *in, size_t len)
{
    json_t *root = json_loadb(in, len, 0, NULL);
    json_t *m = json_object_get(root, "method"), *params = json_object_get(root, "params"), *id = json_object_get(root, "id");
    char reply[256];
    if (!json_is_string(m)) {
        snprintf(reply, sizeof reply, "{\"code\":3,\"msg\":\"Invalid JSON: expected value at line 1 column 1\"}");
    } else {
        const char *meth = json_string_value(m);
        bool sub = strcmp(meth, "SUBSCRIBE") == 0, unsub = strcmp(meth, "UNSUBSCRIBE") == 0;
        if ((sub || unsub) && json_is_array(params)) {
            size_t i;
            json_t *v;
            json_array_foreach(params, i, v)
                if (json_is_string(v) && !subscribe_list(p, json_string_value(v), sub))
                    p->close_now = true;
            if (sub) S.subscribes++; else S.unsubscribes++;
            snprintf(reply, sizeof reply, "{\"result\":null,\"id\":%lld}", (long long)json_integer_value(id));
        } else {
            snprintf(reply, sizeof reply, "{\"error\":{\"code\":2,\"msg\":\"Invalid request: unknown method\"},\"id\":%lld}",
                     (long long)json_integer_value(id));
        }
    }
    json_decref(root);
    enqueue(p, reply, strlen(reply), false);
    lws_callback_on_writable(p->wsi);
}

static int ws_write(struct lws *wsi, struct pss *p)
{
    if (p->close_now) {
        lws_close_reason(wsi, LWS_CLOSE_STATUS_GOINGAWAY, (unsigned char *)"bye", 3);
        return -1;
    }
    if (!p->ql)
        return 0;
    struct msg *m = &p->q[p->qh];
    unsigned char *buf = malloc(LWS_PRE + m->len + 1);
    memcpy(buf + LWS_PRE, m->text, m->len);
    int n = lws_write(wsi, buf + LWS_PRE, m->len, m->ping ? LWS_WRITE_PING : LWS_WRITE_TEXT);
    free(buf);
    free(m->text);
    p->qh = (p->qh + 1) % QCAP;
    p->ql--;
    if (n < (int)m->len)
        return -1;
    if (p->ql)
        lws_callback_on_writable(wsi);
    return 0;
}

static void ws_drop(struct pss *p)
{
    for (int c = 0; c < S.nconn; c++)
        if (S.conns[c] == p) {
            S.conns[c] = S.conns[--S.nconn];
            break;
        }
    while (p->ql) {
        free(p->q[p->qh].text);
        p->qh = (p->qh + 1) % QCAP;
        p->ql--;
    }
    free(p->q);
    p->q = NULL;
    free(p->subs);
    p->subs = NULL;
}

static int callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in, size_t len)
{
    struct pss *p = user;
    switch (reason) {
    case LWS_CALLBACK_HTTP: {
        memset(p, 0, sizeof *p);
        p->wsi = wsi;
        route(wsi, p, (const char *)in);
        if (S.slow_ms > 0 && strncmp((const char *)in, "/api/", 5) == 0)
            lws_set_timer_usecs(wsi, (lws_usec_t)S.slow_ms * 1000);
        else
            lws_callback_on_writable(wsi);
        return 0;
    }
    case LWS_CALLBACK_TIMER:
        lws_callback_on_writable(wsi);
        return 0;
    case LWS_CALLBACK_HTTP_WRITEABLE:
        return http_write(wsi, p);
    case LWS_CALLBACK_HTTP_DROP_PROTOCOL:
    case LWS_CALLBACK_CLOSED_HTTP:
        if (p && !p->ws) {
            free(p->body);
            p->body = NULL;
        }
        break;
    case LWS_CALLBACK_ESTABLISHED: {
        memset(p, 0, sizeof *p);
        p->wsi = wsi;
        p->ws = true;
        p->q = calloc(QCAP, sizeof *p->q);
        p->subs = calloc((size_t)S.nsym, 1);
        p->closed_upto = idx_now();
        p->partial_for = -1;
        char args[4096];
        if (lws_hdr_copy_fragment(wsi, args, sizeof args, WSI_TOKEN_HTTP_URI_ARGS, 0) > 0 &&
            strncmp(args, "streams=", 8) == 0 && !subscribe_list(p, args + 8, true))
            return -1;
        if (S.nconn == MAX_CONNS)
            return -1;
        S.conns[S.nconn++] = p;
        S.connections++;
        return 0;
    }
    case LWS_CALLBACK_RECEIVE:
        ws_receive(p, in, len);
        return 0;
    case LWS_CALLBACK_RECEIVE_PONG:
        S.pongs++;
        return 0;
    case LWS_CALLBACK_SERVER_WRITEABLE:
        return ws_write(wsi, p);
    case LWS_CALLBACK_CLOSED:
        ws_drop(p);
        return 0;
    default:
        break;
    }
    return lws_callback_http_dummy(wsi, reason, user, in, len);
}

static const struct lws_protocols protocols[] = {
    { "binance", callback, sizeof(struct pss), 4096, 0, NULL, 0 },
    { NULL, NULL, 0, 0, 0, NULL, 0 },
};

static void add_symbol(const char *name)
{
    snprintf(S.sym[S.nsym], 16, "%s", name);
    for (int j = 0; name[j] && j < 15; j++)
        S.lower[S.nsym][j] = (char)(name[j] >= 'A' && name[j] <= 'Z' ? name[j] + 32 : name[j]);
    S.nsym++;
}

static void on_signal(int sig) { (void)sig; S.stop = 1; }

static void usage(void)
{
    fprintf(stderr,
        "usage: fake_exchange --csv FILE [--port P (0: pick)] [--symbols A,B] [--generate N] [--tick-ms N]\n"
        "                     [--start N] [--ping-ms N] [--max-streams N] [--weight-limit N]\n"
        "                     [--tls-cert FILE --tls-key FILE] [--wall-clock MS (real-time minutes, now at\n"
        "                     --start, a forming candle every MS ms)]\n"
        "Prints 'port N' when listening (https:// and wss:// only with --tls-cert). Faults: GET /control?action=\n"
        "  close | stall | skip&n=N | dup&n=N | garbage&n=N | http429&n=N&retry=S | http418&n=N&retry=S\n"
        "  | slow&ms=M | spend&n=N (N weight used this minute by someone else)\n"
        "  | boost&symbol=S&n=N (S's 24 h quote volume times N) | depth_skip&n=N | depth_stale&n=N | depth_cross | depth_pause | depth_resume | stats.\n"
        "GET /truth?symbol=S&from=T&to=T: closed candles as CSV. GET /api/v3/depth?symbol=S&limit=N: the REST\n"
        "depth snapshot; GET /depth_truth?symbol=S&levels=N: the true book (as `alphapulse depth --format json`).\n");
}

int main(int argc, char **argv)
{
    const char *csv = NULL, *syms = "BTCUSDT", *cert = NULL, *key = NULL;
    int port = 0;
    S.tick_ms = 5;
    S.start_index = 3000;
    S.ping_every_ms = 1000;
    S.max_streams = 1024;
    S.weight_limit = 6000;
    long generate = 0;
    for (int i = 1; i < argc; i++) {
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!v) { usage(); return 2; }
        if (strcmp(argv[i], "--csv") == 0) csv = v;
        else if (strcmp(argv[i], "--port") == 0) port = atoi(v);
        else if (strcmp(argv[i], "--symbols") == 0) syms = v;
        else if (strcmp(argv[i], "--tick-ms") == 0) S.tick_ms = atol(v);
        else if (strcmp(argv[i], "--start") == 0) S.start_index = atol(v);
        else if (strcmp(argv[i], "--ping-ms") == 0) S.ping_every_ms = atol(v);
        else if (strcmp(argv[i], "--tls-cert") == 0) cert = v;
        else if (strcmp(argv[i], "--tls-key") == 0) key = v;
        else if (strcmp(argv[i], "--generate") == 0) generate = atol(v);
        else if (strcmp(argv[i], "--max-streams") == 0) S.max_streams = atoi(v);
        else if (strcmp(argv[i], "--weight-limit") == 0) S.weight_limit = atol(v);
        else if (strcmp(argv[i], "--wall-clock") == 0) S.wall_ms = atol(v);
        else { usage(); return 2; }
        i++;
    }
    if (!csv || S.tick_ms <= 0 || !cert != !key || generate < 0 || generate > MAX_SYMS || S.max_streams <= 0 ||
        S.weight_limit <= 0) { usage(); return 2; }
    S.depth_idx = -1;
    char err[512];
    if (candle_csv_load(csv, &S.csv, &S.n, err, sizeof err)) {
        fprintf(stderr, "fake_exchange: %s\n", err);
        return 1;
    }
    if (S.start_index >= (long)S.n)
        S.start_index = (long)S.n / 2;
    if (S.wall_ms > 0) {                 /* candle start_index is this minute, one a minute */
        int64_t minute = wall_now_ms() / 60000 * 60000;
        for (long i = 0; i < (long)S.n; i++)
            S.csv[i].open_time = minute + (i - S.start_index) * 60000LL;
        S.tick_ms = 60000;
    }
    S.sym = calloc(MAX_SYMS, sizeof *S.sym);
    S.lower = calloc(MAX_SYMS, sizeof *S.lower);
    char *list = strdup(syms);
    for (char *t = strtok(list, ","); t && S.nsym < MAX_SYMS; t = strtok(NULL, ","))
        add_symbol(t);
    free(list);
    for (long g = 0; g < generate && S.nsym < MAX_SYMS; g++) {
        char name[16];                   /* letters only: lws 4.1 loses the next URL argument after
                                            a value like G0001USDT */
        snprintf(name, sizeof name, "G%c%c%cUSDT", (char)('A' + g / 676 % 26), (char)('A' + g / 26 % 26),
                 (char)('A' + g % 26));
        add_symbol(name);
    }
    fake_depth_init(S.nsym < DEPTH_SYMS ? S.nsym : DEPTH_SYMS, (const char (*)[16])S.sym, (const char (*)[16])S.lower);
    signal(SIGTERM, on_signal);
    signal(SIGINT, on_signal);
    signal(SIGPIPE, SIG_IGN);
    lws_set_log_level(LLL_ERR, NULL);
    struct lws_context_creation_info info;
    memset(&info, 0, sizeof info);
    info.port = port;
    info.iface = "127.0.0.1";
    info.protocols = protocols;
    info.gid = -1;
    info.uid = -1;
    info.options = LWS_SERVER_OPTION_DISABLE_IPV6;
    if (cert) {
        /* TLS only: a plain request on this port fails the handshake, as on Binance */
        info.options |= LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
        info.ssl_cert_filepath = cert;
        info.ssl_private_key_filepath = key;
    }
    S.ctx = lws_create_context(&info);
    if (!S.ctx) {
        fprintf(stderr, "fake_exchange: cannot listen on 127.0.0.1:%d%s\n", port,
                cert ? " (or cannot load --tls-cert / --tls-key)" : "");
        return 1;
    }
    struct lws_vhost *vh = lws_get_vhost_by_name(S.ctx, "default");
    printf("port %d\n", vh ? lws_get_vhost_listen_port(vh) : port);
    fflush(stdout);
    S.t0_ms = mono_ms() - (S.wall_ms > 0 ? wall_now_ms() % 60000 : 0);
    lws_sul_schedule(S.ctx, 0, &S.tick, on_tick, 1000);
    while (!S.stop)
        if (lws_service(S.ctx, 0) < 0)
            break;
    lws_context_destroy(S.ctx);
    free(S.csv);
    free(S.sym);
    free(S.lower);
    return 0;
}
