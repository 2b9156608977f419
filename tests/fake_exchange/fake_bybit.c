/* A fake Bybit V5 public market-data server for tests: libwebsockets HTTP +
 * WebSocket on 127.0.0.1, in Bybit's formats. REST: /v5/market/kline (rows
 * newest first, every field a string; the newest `limit` rows of [start, end]),
 * /v5/market/instruments-info; WebSocket /v5/public/spot and /v5/public/linear:
 * {"op":"subscribe"} with replies (an unknown topic named in a success:false
 * reply; more than 10 args refused, and so is a request taking one
 * connection's args past 21,000 characters, Bybit's documented limits),
 * {"op":"ping"} answered with a pong,
 * kline.1.<SYMBOL> pushes (confirm:true on the closed candle) and, on linear,
 * tickers.<SYMBOL> (one snapshot, then deltas of the changed fields).
 * Time is played fast: one 1m candle every --tick-ms. Symbol k of a category
 * serves the CSV scaled by 1 + (k + 1)/100 (+ 0.005 on linear), rounded to 8
 * decimals, so each venue and symbol has its own truth (and none equals the
 * Binance fake's). Funding falls every --funding-every candles; the rate of the
 * period p is 0.0001 x (1 + p mod 3); the mark is the forming candle's close.
 * Any number of symbols and connections. --ip-limit N: Bybit's per-IP REST
 * limit (600 per 5 s), a request past it answered with HTTP 403 and counted.
 * Faults: GET /control?action=NAME[&n=N] (see usage); GET /truth?category=C&
 * symbol=S&from=T&to=T dumps closed candles as CSV, GET /funding?symbol=S the
 * funding times passed as "time,mark,rate" lines. */
#include <jansson.h>
#include <libwebsockets.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "alphapulse/candle_csv.h"

#define QCAP 16384
#define ARGS_MAX 10                   /* args per subscribe request (spot's limit, kept for linear) */
#define ARGS_CHARS_MAX 21000          /* characters of all the args one connection holds */
#define IP_WINDOW_MS 5000             /* --ip-limit N: N REST requests per 5 s, then HTTP 403 */

enum { SPOT, LINEAR, NCAT };
static const char *const CAT[NCAT] = { "spot", "linear" };

struct msg { char *text; size_t len; };

enum {
    F_KL = 1,                         /* kline.1.<symbol k> subscribed */
    F_TK = 2,                         /* tickers.<symbol k> subscribed */
    F_SNAP = 4,                       /* the ticker snapshot was sent */
    F_STALE = 8,                      /* it announced a passed funding time (--stale-next) */
};

struct pss {
    struct lws *wsi;
    bool ws;
    int cat;
    unsigned char *fl;                /* per symbol k of cat: F_* */
    int topics;                       /* topics subscribed */
    size_t arg_chars;                 /* their characters, at most ARGS_CHARS_MAX */
    long closed_upto, partial_for;
    bool stalled, close_now, mute;
    int skip, dup;
    int64_t last_ping_ms;
    struct msg *q;
    int qh, ql;
    char *body;
    size_t body_len, body_off;
    int status;
    bool hdr_sent, sent, limit_hdr;
};

static struct {
    struct candle *csv;
    size_t n;
    char (*sym[NCAT])[16];            /* any number of symbols a category */
    int nsym[NCAT];
    long start_index, tick_ms, funding_every, idle_ms, stale_next;
    int64_t t0_ms;
    struct pss **conns;
    int nconn, conn_cap, topics_peak;
    int rate_limit, forbidden;
    long ip_limit;                    /* 0: no per-IP request limit */
    int64_t *ip_times;                /* ring of the last ip_limit requests' times */
    long ip_head, ip_len;
    unsigned long long pings, rest, rate_limited, subscribes, sub_errors, connections, idle_drops, over_ip_limit;
    struct lws_context *ctx;
    lws_sorted_usec_list_t tick;
    volatile sig_atomic_t stop;
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

static struct candle truth(int cat, int k, long i)
{
    struct candle c = S.csv[i];
    double f = 1.0 + (k + 1) / 100.0 + (cat == LINEAR ? 0.005 : 0);
    c.open = round8(c.open * f);
    c.high = round8(c.high * f);
    c.low = round8(c.low * f);
    c.close = round8(c.close * f);
    c.volume = round8(c.volume);
    c.quote_volume = round8(c.volume * c.close);
    return c;
}

static struct candle partial(int cat, int k, long i)
{
    struct candle c = truth(cat, k, i);
    double mid = round8((c.open + c.close) / 2);
    c.high = c.open > mid ? c.open : mid;
    c.low = c.open < mid ? c.open : mid;
    c.close = mid;
    c.volume = round8(c.volume / 2);
    c.quote_volume = round8(c.volume * mid);
    return c;
}

/* Funding: period p covers candles [p*F, (p+1)*F); it is paid at the open of (p+1)*F. */
static double funding_rate(long i) { return 0.0001 * (double)(1 + (i / S.funding_every) % 3); }
static long next_funding_index(long i) { return (i / S.funding_every + 1) * S.funding_every; }

static int find_sym(int cat, const char *name)
{
    for (int k = 0; k < S.nsym[cat]; k++)
        if (strcmp(S.sym[cat][k], name) == 0)
            return k;
    return -1;
}

static void enqueue(struct pss *p, const char *text, size_t len)
{
    if (p->ql == QCAP) {
        p->close_now = true;
        return;
    }
    struct msg *m = &p->q[(p->qh + p->ql) % QCAP];
    m->text = malloc(len + 1);
    memcpy(m->text, text, len);
    m->text[len] = 0;
    m->len = len;
    p->ql++;
}

static int kline_frame(char *buf, size_t n, int cat, int k, const struct candle *c, bool closed, int64_t ts)
{
    return snprintf(buf, n,
        "{\"topic\":\"kline.1.%s\",\"data\":[{\"start\":%lld,\"end\":%lld,\"interval\":\"1\",\"open\":\"%.8f\","
        "\"close\":\"%.8f\",\"high\":\"%.8f\",\"low\":\"%.8f\",\"volume\":\"%.8f\",\"turnover\":\"%.8f\","
        "\"confirm\":%s,\"timestamp\":%lld}],\"ts\":%lld,\"type\":\"snapshot\"}",
        S.sym[cat][k], (long long)c->open_time, (long long)(c->open_time + 59999), c->open, c->close, c->high,
        c->low, c->volume, c->quote_volume, closed ? "true" : "false", (long long)ts, (long long)ts);
}

static void enqueue_kline(struct pss *p, int k, long i, bool closed, double vol_factor)
{
    char buf[1024];
    struct candle c = closed ? truth(p->cat, k, i) : partial(p->cat, k, i);
    c.volume = round8(c.volume * vol_factor);
    int n = kline_frame(buf, sizeof buf, p->cat, k, &c, closed, c.open_time + (closed ? 59999 : 30000));
    enqueue(p, buf, (size_t)n);
}

/* Linear tickers: the first push a snapshot with every field, then deltas with
 * the mark (and the funding fields when a new period starts). With --stale-next
 * N, a snapshot in the first N candles of a period still announces the funding
 * time just passed, with its mark and rate (as an exchange's ticker may lag its
 * funding for a moment; the next push corrects it): a client that restarts then
 * must not book it again. */
static void enqueue_ticker(struct pss *p, int k, long i)
{
    char buf[1024];
    struct candle c = partial(LINEAR, k, i);
    long nf = next_funding_index(i);
    double rate = funding_rate(i), mark = c.close;
    bool stale = !(p->fl[k] & F_SNAP) && i % S.funding_every < S.stale_next && i >= S.funding_every;
    if (stale) {
        nf = i / S.funding_every * S.funding_every;
        rate = funding_rate(nf - 1);
        mark = partial(LINEAR, k, nf - 1).close;
    }
    long long nft = nf < (long)S.n ? (long long)S.csv[nf].open_time : (long long)S.csv[S.n - 1].open_time + 60000;
    int64_t ts = c.open_time + 30000;
    int n;
    if (!(p->fl[k] & F_SNAP) || i % S.funding_every == 0 || (p->fl[k] & F_STALE)) {
        const char *type = p->fl[k] & F_SNAP ? "delta" : "snapshot";
        n = snprintf(buf, sizeof buf,
            "{\"topic\":\"tickers.%s\",\"type\":\"%s\",\"data\":{\"symbol\":\"%s\",\"tickDirection\":\"PlusTick\","
            "\"lastPrice\":\"%.8f\",\"markPrice\":\"%.8f\",\"indexPrice\":\"%.8f\",\"fundingRate\":\"%.6f\","
            "\"nextFundingTime\":\"%lld\",\"bid1Price\":\"%.8f\",\"ask1Price\":\"%.8f\",\"openInterest\":\"1000\"},"
            "\"cs\":%ld,\"ts\":%lld}",
            S.sym[LINEAR][k], type, S.sym[LINEAR][k], c.close, mark, mark, rate, nft, c.close,
            c.close, i, (long long)ts);
        p->fl[k] |= F_SNAP;
        p->fl[k] = stale ? p->fl[k] | F_STALE : p->fl[k] & ~F_STALE;   /* the next push corrects it */
    } else {
        n = snprintf(buf, sizeof buf,
            "{\"topic\":\"tickers.%s\",\"type\":\"delta\",\"data\":{\"symbol\":\"%s\",\"markPrice\":\"%.8f\","
            "\"lastPrice\":\"%.8f\"},\"cs\":%ld,\"ts\":%lld}",
            S.sym[LINEAR][k], S.sym[LINEAR][k], c.close, c.close, i, (long long)ts);
    }
    enqueue(p, buf, (size_t)n);
}

static void garbage(struct pss *p, int kind, long i)
{
    int k = 0;
    while (k < S.nsym[p->cat] && !(p->fl[k] & F_KL))
        k++;
    if (k == S.nsym[p->cat])
        k = 0;
    char buf[1200];
    struct candle c = partial(p->cat, k, i);
    int n;
    switch (kind % 4) {
    case 0:
        n = snprintf(buf, sizeof buf, "not JSON {");
        break;
    case 1:
        n = kline_frame(buf, sizeof buf, p->cat, k, &c, false, c.open_time + 1) / 2;
        break;
    case 2:
        n = snprintf(buf, sizeof buf, "{\"topic\":\"kline.1.%s\",\"data\":[{\"start\":\"soon\"}],\"ts\":1,"
                     "\"type\":\"snapshot\"}", S.sym[p->cat][k]);
        break;
    default:
        c.high = c.low / 2;
        n = kline_frame(buf, sizeof buf, p->cat, k, &c, true, c.open_time + 59999);
        break;
    }
    enqueue(p, buf, (size_t)n);
}

static void pump(void)
{
    long now = idx_now();
    int64_t t = mono_ms();
    for (int ci = 0; ci < S.nconn; ci++) {
        struct pss *p = S.conns[ci];
        if (S.idle_ms > 0 && t - p->last_ping_ms > S.idle_ms) {   /* Bybit drops a silent client */
            p->close_now = true;
            S.idle_drops++;
            continue;
        }
        if (p->stalled)
            continue;
        while (p->closed_upto < now) {
            long i = p->closed_upto++;
            if (p->skip > 0) {
                p->skip--;
                continue;
            }
            for (int k = 0; k < S.nsym[p->cat]; k++)
                if (p->fl[k] & F_KL) {
                    enqueue_kline(p, k, i, true, 1.0);
                    if (p->dup > 0) {
                        enqueue_kline(p, k, i, true, 2.0);          /* duplicate, altered */
                        if (i >= 2)
                            enqueue_kline(p, k, i - 2, true, 3.0);  /* out of order, altered */
                    }
                }
            if (p->dup > 0)
                p->dup--;
        }
        if (p->partial_for != now && p->skip == 0) {
            for (int k = 0; k < S.nsym[p->cat]; k++) {
                if (p->fl[k] & F_KL)
                    enqueue_kline(p, k, now, false, 1.0);
                if (p->cat == LINEAR && (p->fl[k] & F_TK))
                    enqueue_ticker(p, k, now);
            }
            p->partial_for = now;
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

static void reply(struct pss *p, int status, struct sbuf *b)
{
    p->body = b->b;
    p->body_len = b->len;
    p->status = status;
}

static void ret_error(struct pss *p, int code, const char *msg)
{
    struct sbuf b = { 0 };
    sb_add(&b, "{\"retCode\":%d,\"retMsg\":\"%s\",\"result\":{},\"retExtInfo\":{},\"time\":%lld}", code, msg,
           (long long)S.csv[idx_now()].open_time);
    reply(p, 200, &b);
}

static const char *arg(struct lws *wsi, const char *name, char *buf, int len)
{
    return lws_get_urlarg_by_name(wsi, name, buf, len);
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

static long find_index(int64_t open_time)
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

/* category: "spot" or "linear"; Bybit's default is linear */
static int category(struct lws *wsi)
{
    char c[16];
    const char *v = arg(wsi, "category=", c, sizeof c);
    if (!v)
        return LINEAR;
    for (int i = 0; i < NCAT; i++)
        if (strcmp(v, CAT[i]) == 0)
            return i;
    return -1;
}

static void klines(struct lws *wsi, struct pss *p)
{
    char sym[32], iv[16];
    int cat = category(wsi);
    const char *s = arg(wsi, "symbol=", sym, sizeof sym), *i = arg(wsi, "interval=", iv, sizeof iv);
    if (cat < 0)
        { ret_error(p, 10001, "Invalid category"); return; }
    if (!s || !i)
        { ret_error(p, 10001, "params error: symbol and interval are required"); return; }
    int k = find_sym(cat, s);
    if (k < 0)
        { ret_error(p, 10001, "Not supported symbols"); return; }
    if (strcmp(i, "1") != 0)
        { ret_error(p, 10001, "Invalid period!"); return; }
    long long start = -1, end = -1, limit = 200;
    arg_ll(wsi, "start=", &start);
    arg_ll(wsi, "end=", &end);
    arg_ll(wsi, "limit=", &limit);
    if (limit < 1 || limit > 1000)
        { ret_error(p, 10001, "params error: limit must be 1..1000"); return; }
    long now = idx_now();
    long last = now, first = 0;                        /* the forming candle is the newest row */
    if (end >= 0 && find_index(end + 1) - 1 < last)
        last = find_index(end + 1) - 1;
    if (start >= 0)
        first = find_index(start);
    if (last - first + 1 > limit)                      /* the newest `limit` of the window */
        first = last - limit + 1;
    struct sbuf b = { 0 };
    sb_add(&b, "{\"retCode\":0,\"retMsg\":\"OK\",\"result\":{\"category\":\"%s\",\"symbol\":\"%s\",\"list\":[",
           CAT[cat], s);
    for (long x = last; x >= first; x--) {
        struct candle c = x == now ? partial(cat, k, x) : truth(cat, k, x);
        sb_add(&b, "%s[\"%lld\",\"%.8f\",\"%.8f\",\"%.8f\",\"%.8f\",\"%.8f\",\"%.8f\"]", x < last ? "," : "",
               (long long)c.open_time, c.open, c.high, c.low, c.close, c.volume, c.quote_volume);
    }
    sb_add(&b, "]},\"retExtInfo\":{},\"time\":%lld}", (long long)S.csv[now].open_time);
    reply(p, 200, &b);
}

static void instruments(struct lws *wsi, struct pss *p)
{
    char sym[32];
    int cat = category(wsi);
    if (cat < 0)
        { ret_error(p, 10001, "Invalid category"); return; }
    const char *s = arg(wsi, "symbol=", sym, sizeof sym);
    struct sbuf b = { 0 };
    sb_add(&b, "{\"retCode\":0,\"retMsg\":\"OK\",\"result\":{\"category\":\"%s\",\"list\":[", CAT[cat]);
    for (int k = 0, w = 0; k < S.nsym[cat]; k++) {
        if (s && strcmp(s, S.sym[cat][k]) != 0)
            continue;
        char base[16];
        snprintf(base, sizeof base, "%s", S.sym[cat][k]);
        size_t n = strlen(base);
        if (n > 4)
            base[n - 4] = 0;
        if (cat == SPOT)
            sb_add(&b, "%s{\"symbol\":\"%s\",\"baseCoin\":\"%s\",\"quoteCoin\":\"USDT\",\"innovation\":\"0\","
                   "\"status\":\"Trading\",\"marginTrading\":\"both\",\"lotSizeFilter\":{\"basePrecision\":"
                   "\"0.000001\",\"quotePrecision\":\"0.00000001\",\"minOrderQty\":\"0.000048\",\"maxOrderQty\":"
                   "\"71.73956243\",\"minOrderAmt\":\"1\",\"maxOrderAmt\":\"2000000\"},\"priceFilter\":{\"tickSize\":"
                   "\"0.01\"}}", w++ ? "," : "", S.sym[cat][k], base);
        else
            sb_add(&b, "%s{\"symbol\":\"%s\",\"contractType\":\"LinearPerpetual\",\"status\":\"Trading\","
                   "\"baseCoin\":\"%s\",\"quoteCoin\":\"USDT\",\"settleCoin\":\"USDT\",\"priceFilter\":{\"minPrice\":"
                   "\"0.10\",\"maxPrice\":\"199999.80\",\"tickSize\":\"0.10\"},\"lotSizeFilter\":{\"maxOrderQty\":"
                   "\"100.000\",\"minOrderQty\":\"0.001\",\"qtyStep\":\"0.001\",\"minNotionalValue\":\"5\"},"
                   "\"fundingInterval\":480}", w++ ? "," : "", S.sym[cat][k], base);
    }
    sb_add(&b, "],\"nextPageCursor\":\"\"},\"retExtInfo\":{},\"time\":%lld}", (long long)S.csv[idx_now()].open_time);
    reply(p, 200, &b);
}

static void truth_dump(struct lws *wsi, struct pss *p)
{
    char sym[32];
    int cat = category(wsi);
    const char *s = arg(wsi, "symbol=", sym, sizeof sym);
    int k = cat >= 0 && s ? find_sym(cat, s) : -1;
    if (k < 0)
        { ret_error(p, 10001, "Not supported symbols"); return; }
    long long from = 0, to = INT64_MAX;
    arg_ll(wsi, "from=", &from);
    arg_ll(wsi, "to=", &to);
    struct sbuf b = { 0 };
    sb_add(&b, "%s", "");
    long now = idx_now();
    for (long x = find_index(from); x < now && S.csv[x].open_time <= to; x++) {
        struct candle c = truth(cat, k, x);
        sb_add(&b, "%lld,%.8f,%.8f,%.8f,%.8f,%.8f\n", (long long)c.open_time, c.open, c.high, c.low, c.close,
               c.volume);
    }
    reply(p, 200, &b);
}

/* Funding times passed since the start, with the mark (the close of the last
 * partial before it) and the rate of the period that ended. */
static void funding_dump(struct lws *wsi, struct pss *p)
{
    char sym[32];
    const char *s = arg(wsi, "symbol=", sym, sizeof sym);
    int k = s ? find_sym(LINEAR, s) : -1;
    if (k < 0)
        { ret_error(p, 10001, "Not supported symbols"); return; }
    struct sbuf b = { 0 };
    sb_add(&b, "%s", "");
    long now = idx_now();
    /* from the funding time at or before the start: --stale-next may announce it */
    long first = S.start_index / S.funding_every * S.funding_every;
    if (first < 1)
        first = next_funding_index(S.start_index);
    for (long x = first; x <= now; x += S.funding_every)
        sb_add(&b, "%lld,%.8f,%.6f\n", (long long)S.csv[x].open_time, partial(LINEAR, k, x - 1).close,
               funding_rate(x - 1));
    reply(p, 200, &b);
}

static void control(struct lws *wsi, struct pss *p)
{
    char a[32];
    const char *act = arg(wsi, "action=", a, sizeof a);
    long long n = 1;
    arg_ll(wsi, "n=", &n);
    struct sbuf b = { 0 };
    if (!act)
        { ret_error(p, 10001, "action?"); return; }
    if (strcmp(act, "stats") == 0) {
        sb_add(&b, "{\"index\":%ld,\"open_time\":%lld,\"connections\":%d,\"connections_total\":%llu,\"pings\":%llu,"
               "\"rest\":%llu,\"rate_limited\":%llu,\"subscribes\":%llu,\"sub_errors\":%llu,\"idle_drops\":%llu,"
               "\"topics_peak\":%d,\"over_ip_limit\":%llu}\n",
               idx_now(), (long long)S.csv[idx_now()].open_time, S.nconn, S.connections, S.pings, S.rest,
               S.rate_limited, S.subscribes, S.sub_errors, S.idle_drops, S.topics_peak, S.over_ip_limit);
        { reply(p, 200, &b); return; }
    }
    static const char *const known[] = { "close", "stall", "skip", "dup", "garbage", "mute", "ratelimit", "http403" };
    bool ok = false;
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        ok |= strcmp(act, known[i]) == 0;
    if (!ok)
        { ret_error(p, 10001, "Unknown action"); return; }
    for (int c = 0; c < S.nconn; c++) {
        struct pss *q = S.conns[c];
        if (strcmp(act, "close") == 0) q->close_now = true;
        else if (strcmp(act, "stall") == 0) q->stalled = true;
        else if (strcmp(act, "skip") == 0) q->skip = (int)n;
        else if (strcmp(act, "dup") == 0) q->dup = (int)n;
        else if (strcmp(act, "mute") == 0) q->mute = true;           /* pings go unanswered */
        else if (strcmp(act, "garbage") == 0)
            for (int g = 0; g < n; g++)
                garbage(q, g, idx_now());
    }
    if (strcmp(act, "ratelimit") == 0) S.rate_limit = (int)n;
    else if (strcmp(act, "http403") == 0) S.forbidden = (int)n;
    sb_add(&b, "{\"ok\":true,\"action\":\"%s\",\"connections\":%d}\n", act, S.nconn);
    reply(p, 200, &b);
}

/* One REST request against the per-IP limit: false when ip_limit requests were
 * already made in the last IP_WINDOW_MS (a refused one is not counted). */
static bool ip_request(void)
{
    int64_t t = mono_ms();
    while (S.ip_len && t - S.ip_times[S.ip_head] >= IP_WINDOW_MS) {
        S.ip_head = (S.ip_head + 1) % S.ip_limit;
        S.ip_len--;
    }
    if (S.ip_len == S.ip_limit)
        return false;
    S.ip_times[(S.ip_head + S.ip_len++) % S.ip_limit] = t;
    return true;
}

static void route(struct lws *wsi, struct pss *p, const char *path)
{
    if (strncmp(path, "/v5/", 4) == 0) {
        S.rest++;
        if (S.ip_limit > 0 && !ip_request()) {   /* over 600 per 5 s: Bybit answers 403 */
            S.over_ip_limit++;
            S.rate_limited++;
            struct sbuf b = { 0 };
            sb_add(&b, "<html><body><h1>403 Forbidden</h1><p>access too frequent</p></body></html>");
            { reply(p, 403, &b); return; }
        }
        if (S.forbidden > 0) {           /* Bybit's 403: an HTML page, no retCode */
            S.forbidden--;
            S.rate_limited++;
            struct sbuf b = { 0 };
            sb_add(&b, "<html><body><h1>403 Forbidden</h1></body></html>");
            { reply(p, 403, &b); return; }
        }
        if (S.rate_limit > 0) {
            S.rate_limit--;
            S.rate_limited++;
            p->limit_hdr = true;
            { ret_error(p, 10006, "Too many visits!"); return; }
        }
    }
    if (strcmp(path, "/v5/market/kline") == 0) klines(wsi, p);
    else if (strcmp(path, "/v5/market/instruments-info") == 0) instruments(wsi, p);
    else if (strcmp(path, "/truth") == 0) truth_dump(wsi, p);
    else if (strcmp(path, "/funding") == 0) funding_dump(wsi, p);
    else if (strcmp(path, "/control") == 0) control(wsi, p);
    else {
        struct sbuf b = { 0 };
        sb_add(&b, "{\"retCode\":10404,\"retMsg\":\"Not found\",\"result\":{}}");
        reply(p, 404, &b);
    }
}

#define HTTP_CHUNK 4096

static int http_write(struct lws *wsi, struct pss *p)
{
    if (p->sent)
        return 0;
    if (!p->hdr_sent) {
        unsigned char hdr[LWS_PRE + 1024], *start = hdr + LWS_PRE, *ptr = start, *end = hdr + sizeof hdr - 1;
        const char *type = p->status == 403 ? "text/html" : "application/json";
        if (lws_add_http_common_headers(wsi, (unsigned)p->status, type, p->body_len, &ptr, end))
            return -1;
        if (p->limit_hdr) {
            char w[32];
            int wl = snprintf(w, sizeof w, "%lld", (long long)time(NULL) * 1000 + 1000);
            if (lws_add_http_header_by_name(wsi, (const unsigned char *)"x-bapi-limit-status:", (unsigned char *)"0",
                                            1, &ptr, end) ||
                lws_add_http_header_by_name(wsi, (const unsigned char *)"x-bapi-limit-reset-timestamp:",
                                            (unsigned char *)w, wl, &ptr, end))
                return -1;
        }
        if (lws_finalize_write_http_header(wsi, start, &ptr, end))
            return -1;
        p->hdr_sent = true;
        lws_callback_on_writable(wsi);
        return 0;
    }
    size_t left = p->body_len - p->body_off, n = left < HTTP_CHUNK ? left : HTTP_CHUNK;
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

/* One topic: its symbol in *k and its flag, or 0 when this socket has no such topic. */
static int topic_of(const struct pss *p, const char *t, int *k)
{
    if (strncmp(t, "kline.1.", 8) == 0 && (*k = find_sym(p->cat, t + 8)) >= 0)
        return F_KL;
    if (strncmp(t, "tickers.", 8) == 0 && p->cat == LINEAR && (*k = find_sym(LINEAR, t + 8)) >= 0)
        return F_TK;
    return 0;
}

/* A request's topics: the known ones are set and the first unknown one named in
 * bad (as before); but when the new ones would take the connection's args past
 * ARGS_CHARS_MAX characters, none is set and bad says so. */
static void topics_set(struct pss *p, json_t *args, bool on, char *bad, size_t bad_len)
{
    size_t i, chars = p->arg_chars;
    json_t *v;
    int k;
    json_array_foreach(args, i, v) {
        int f = json_is_string(v) ? topic_of(p, json_string_value(v), &k) : 0;
        if (on && f && !(p->fl[k] & f))
            chars += strlen(json_string_value(v));
    }
    if (chars > ARGS_CHARS_MAX) {
        snprintf(bad, bad_len, "error:args length %zu exceeds %d", chars, ARGS_CHARS_MAX);
        return;
    }
    json_array_foreach(args, i, v) {
        const char *t = json_is_string(v) ? json_string_value(v) : "?";
        int f = json_is_string(v) ? topic_of(p, t, &k) : 0;
        if (!f) {
            if (!bad[0])
                snprintf(bad, bad_len, "error:handler not found,topic:%.80s", t);
        } else if (on && !(p->fl[k] & f)) {
            p->fl[k] |= (unsigned char)f;
            p->topics++;
            p->arg_chars += strlen(t);
        } else if (!on && (p->fl[k] & f)) {
            p->fl[k] &= (unsigned char)~f;
            p->topics--;
            p->arg_chars -= strlen(t);
        }
    }
    if (p->topics > S.topics_peak)
        S.topics_peak = p->topics;
}

static void ws_receive(struct pss *p, const char *in, size_t len)
{
    json_t *root = json_loadb(in, len, 0, NULL);
    json_t *op = json_object_get(root, "op"), *args = json_object_get(root, "args"),
           *rid = json_object_get(root, "req_id");
    const char *req = json_is_string(rid) ? json_string_value(rid) : "";
    char out[512];
    int n;
    if (!json_is_string(op)) {
        n = snprintf(out, sizeof out, "{\"success\":false,\"ret_msg\":\"error:unknown op\",\"conn_id\":\"fake\","
                     "\"req_id\":\"%.40s\",\"op\":\"\"}", req);
    } else if (strcmp(json_string_value(op), "ping") == 0) {
        S.pings++;
        p->last_ping_ms = mono_ms();
        if (p->mute) {
            json_decref(root);
            return;
        }
        n = snprintf(out, sizeof out, "{\"success\":true,\"ret_msg\":\"pong\",\"conn_id\":\"fake\",\"req_id\":"
                     "\"%.40s\",\"op\":\"ping\"}", req);
    } else {
        const char *o = json_string_value(op);
        bool on = strcmp(o, "subscribe") == 0;
        char bad[128] = "";
        if ((!on && strcmp(o, "unsubscribe") != 0) || !json_is_array(args)) {
            snprintf(bad, sizeof bad, "error:unknown op %.60s", o);
        } else if (json_array_size(args) > ARGS_MAX) {
            snprintf(bad, sizeof bad, "error:args size >%d", ARGS_MAX);
        } else {
            topics_set(p, args, on, bad, sizeof bad);
        }
        S.subscribes++;
        S.sub_errors += bad[0] != 0;
        n = snprintf(out, sizeof out, "{\"success\":%s,\"ret_msg\":\"%s\",\"conn_id\":\"fake\",\"req_id\":\"%.40s\","
                     "\"op\":\"%.20s\"}", bad[0] ? "false" : "true", bad[0] ? bad : o, req, o);
    }
    json_decref(root);
    enqueue(p, out, (size_t)n);
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
    int n = lws_write(wsi, buf + LWS_PRE, m->len, LWS_WRITE_TEXT);
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
    free(p->fl);
    p->fl = NULL;
}

static int callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in, size_t len)
{
    struct pss *p = user;
    switch (reason) {
    case LWS_CALLBACK_HTTP:
        memset(p, 0, sizeof *p);
        p->wsi = wsi;
        route(wsi, p, (const char *)in);
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
        char uri[256] = "";
        lws_hdr_copy(wsi, uri, sizeof uri, WSI_TOKEN_GET_URI);
        int cat = strcmp(uri, "/v5/public/spot") == 0 ? SPOT : strcmp(uri, "/v5/public/linear") == 0 ? LINEAR : -1;
        if (cat < 0)
            return -1;                   /* another path: refused, as Bybit does */
        if (S.nconn == S.conn_cap) {
            int cap = S.conn_cap ? S.conn_cap * 2 : 16;
            struct pss **c = realloc(S.conns, sizeof *c * (size_t)cap);
            if (!c)
                return -1;
            S.conns = c;
            S.conn_cap = cap;
        }
        memset(p, 0, sizeof *p);
        p->wsi = wsi;
        p->ws = true;
        p->cat = cat;
        p->q = calloc(QCAP, sizeof *p->q);
        p->fl = calloc((size_t)S.nsym[cat] + 1, 1);
        if (!p->q || !p->fl) {
            free(p->q);
            free(p->fl);
            return -1;
        }
        p->closed_upto = idx_now();
        p->partial_for = -1;
        p->last_ping_ms = mono_ms();
        S.conns[S.nconn++] = p;
        S.connections++;
        return 0;
    }
    case LWS_CALLBACK_RECEIVE:
        ws_receive(p, in, len);
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
    { "bybit", callback, sizeof(struct pss), 4096, 0, NULL, 0 },
    { NULL, NULL, 0, 0, 0, NULL, 0 },
};

static void on_signal(int sig) { (void)sig; S.stop = 1; }

static void usage(void)
{
    fprintf(stderr,
        "usage: fake_bybit --csv FILE [--port P (0: pick)] [--spot A,B] [--linear C,D] [--tick-ms N]\n"
        "                  [--start N] [--funding-every N] [--idle-ms N (0: never drop a silent client)]\n"
        "                  [--stale-next N (a ticker snapshot in a period's first N candles announces the\n"
        "                  funding time just passed)] [--ip-limit N (REST requests per 5 s; more: HTTP 403)]\n"
        "Any number of symbols a category. Each connection's args total at most 21000 characters.\n"
        "Prints 'port N' when listening. Faults: GET /control?action=\n"
        "  close | stall | skip&n=N | dup&n=N | garbage&n=N | mute | ratelimit&n=N | http403&n=N | stats.\n"
        "GET /truth?category=C&symbol=S&from=T&to=T: closed candles as CSV; GET /funding?symbol=S.\n");
}

static void add_syms(int cat, const char *list)
{
    char *buf = strdup(list);
    for (char *t = strtok(buf, ","); t; t = strtok(NULL, ",")) {
        char (*s)[16] = realloc(S.sym[cat], sizeof *s * (size_t)(S.nsym[cat] + 1));
        if (!s)
            break;
        S.sym[cat] = s;
        snprintf(S.sym[cat][S.nsym[cat]++], 16, "%s", t);
    }
    free(buf);
}

int main(int argc, char **argv)
{
    const char *csv = NULL;
    int port = 0;
    S.tick_ms = 5;
    S.start_index = 3000;
    S.funding_every = 480;
    for (int i = 1; i < argc; i++) {
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!v) { usage(); return 2; }
        if (strcmp(argv[i], "--csv") == 0) csv = v;
        else if (strcmp(argv[i], "--port") == 0) port = atoi(v);
        else if (strcmp(argv[i], "--spot") == 0) add_syms(SPOT, v);
        else if (strcmp(argv[i], "--linear") == 0) add_syms(LINEAR, v);
        else if (strcmp(argv[i], "--tick-ms") == 0) S.tick_ms = atol(v);
        else if (strcmp(argv[i], "--start") == 0) S.start_index = atol(v);
        else if (strcmp(argv[i], "--funding-every") == 0) S.funding_every = atol(v);
        else if (strcmp(argv[i], "--idle-ms") == 0) S.idle_ms = atol(v);
        else if (strcmp(argv[i], "--stale-next") == 0) S.stale_next = atol(v);
        else if (strcmp(argv[i], "--ip-limit") == 0) S.ip_limit = atol(v);
        else { usage(); return 2; }
        i++;
    }
    if (!csv || S.tick_ms <= 0 || S.funding_every <= 0 || S.ip_limit < 0) { usage(); return 2; }
    if (S.ip_limit > 0 && !(S.ip_times = calloc((size_t)S.ip_limit, sizeof *S.ip_times))) {
        fprintf(stderr, "fake_bybit: out of memory\n");
        return 1;
    }
    char err[512];
    if (candle_csv_load(csv, &S.csv, &S.n, err, sizeof err)) {
        fprintf(stderr, "fake_bybit: %s\n", err);
        return 1;
    }
    if (S.start_index >= (long)S.n)
        S.start_index = (long)S.n / 2;
    if (!S.nsym[SPOT] && !S.nsym[LINEAR])
        add_syms(SPOT, "BTCUSDT");
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
    S.ctx = lws_create_context(&info);
    if (!S.ctx) {
        fprintf(stderr, "fake_bybit: cannot listen on 127.0.0.1:%d\n", port);
        return 1;
    }
    struct lws_vhost *vh = lws_get_vhost_by_name(S.ctx, "default");
    printf("port %d\n", vh ? lws_get_vhost_listen_port(vh) : port);
    fflush(stdout);
    S.t0_ms = mono_ms();
    lws_sul_schedule(S.ctx, 0, &S.tick, on_tick, 1000);
    while (!S.stop)
        if (lws_service(S.ctx, 0) < 0)
            break;
    lws_context_destroy(S.ctx);
    free(S.csv);
    free(S.conns);
    free(S.ip_times);
    for (int c = 0; c < NCAT; c++)
        free(S.sym[c]);
    return 0;
}
