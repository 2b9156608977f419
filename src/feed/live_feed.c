/* The live feed's thread. Ordering is the whole game here: the engine accepts a
 * symbol's 1m candles only in order, so while a symbol is being back-filled its
 * live updates wait in a small per-symbol buffer; REST pages go first, then the
 * buffer, and anything the two have in common is dropped here. Each loop pass
 * makes at most one REST request, so the socket keeps being read (and pings
 * answered) during a long backfill. Wall-clock reads are fine here: this is the
 * network edge, not the engine. */
#include "alphapulse/live_feed.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "alphapulse/backoff.h"
#include "alphapulse/binance_rest.h"
#include "alphapulse/binance_ws.h"
#include "alphapulse/event.h"
#include "alphapulse/kline_json.h"
#include "alphapulse/log.h"
#include "alphapulse/stream_check.h"
#include "alphapulse/tls_problem.h"
#include "alphapulse/clock.h"
#include "depth_feed.h"

#define MINUTE 60000LL
#define MAX_SYMS INSTRUMENTS_MAX
#define BUF_CAP 1024              /* live updates held per symbol during a backfill */
#define HEALTH_MS 1000
#define CMD_QUEUE 64

enum phase { P_CHECK, P_WAIT, P_BACKFILL, P_LIVE, P_INVALID, P_REMOVED };
enum conn { C_IDLE, C_CONNECTING, C_OPEN, C_BACKOFF };
enum { CMD_ADD, CMD_DEL };

struct live_cmd {
    int op;
    char symbol[SYMBOL_MAX];
};

struct lsym {
    char name[SYMBOL_MAX], lower[SYMBOL_MAX];
    int phase;
    bool subscribed;              /* part of the current connection's streams */
    bool initial;                 /* nothing stored: the first backfill starts at the history window */
    struct stream_check chk;
    struct kline_event *buf;      /* ring of updates waiting for the backfill */
    int buf_head, buf_len;
    int64_t fill_next;            /* next open time to request */
    int64_t retry_at;             /* monotonic ms: next exchangeInfo / REST attempt */
    uint32_t messages, msgs_window, reconnects, gaps, filled;
    float rate;
    int64_t last_msg_wall;
};

struct live_state {
    struct live_feed *f;
    struct live_feed_options o;
    struct lsym sym[MAX_SYMS];
    int n, rr;                    /* rr: round-robin cursor for REST work */
    struct binance_rest rest;
    struct binance_ws *ws;
    struct backoff bo, rest_bo;
    int conn;
    bool planned, ever_open;
    int64_t next_connect, opened_at, last_rx, last_health;
    uint32_t conn_msgs, conn_window, reconnects;
    float conn_rate;
    int64_t conn_last_wall;
    uint32_t conn_rejected[STREAM_RULE_COUNT];
    char close_why[96], state[96];
    char offline[80];             /* why REST cannot reach the exchange; "" since a success */
    int rest_tls, ws_tls;         /* enum tls_problem of the last REST / WS failure, 0 since a success */
    int rest_tls_logged, ws_tls_logged;   /* the problem whose explanation is in the log already */
    uint64_t sub_id;
    struct depth_feed *depth;     /* order books' streams and snapshots; NULL: klines only */
    struct candle page[BINANCE_KLINES_LIMIT];
};

void live_feed_defaults(struct live_feed_options *o)
{
    memset(o, 0, sizeof *o);
    o->rest_url = LIVE_DEFAULT_REST;
    o->ws_url = LIVE_DEFAULT_WS;
    o->stale_after_s = 10;
    o->max_age_s = 23 * 3600;
    o->history = 1000;
    o->backoff_base_ms = 500;
    o->backoff_cap_ms = 60000;
}

/* Back-pressure: the engine is behind; waiting here is the right thing. */
static bool push(struct live_state *L, const struct engine_event *ev)
{
    while (!spsc_push(L->f->out, ev)) {
        if (atomic_load(&L->f->stop))
            return false;
        nanosleep(&(struct timespec){ 0, 500000 }, NULL);
    }
    return true;
}

static struct lsym *find(struct live_state *L, const char *name)
{
    for (int i = 0; i < L->n; i++)
        if (strcmp(L->sym[i].name, name) == 0)
            return &L->sym[i];
    return NULL;
}

static void buf_clear(struct lsym *s) { s->buf_head = s->buf_len = 0; }

static void buf_add(struct lsym *s, const struct kline_event *k)
{
    if (s->buf_len == BUF_CAP) {             /* drop the oldest: the backfill reaches further */
        s->buf_head = (s->buf_head + 1) % BUF_CAP;
        s->buf_len--;
    }
    s->buf[(s->buf_head + s->buf_len) % BUF_CAP] = *k;
    s->buf_len++;
}

static void reject(struct live_state *L, struct lsym *s, int rule)
{
    if (s)
        stream_check_reject(&s->chk, rule);
    else
        L->conn_rejected[rule]++;
}

/* Hand one update to the engine after the stream checks; false when it belongs
 * after a gap (the caller starts a backfill). quiet: overlap, not an error. */
static bool deliver(struct live_state *L, struct lsym *s, struct kline_event *k, bool quiet)
{
    switch (stream_check_order(&s->chk, k->c.open_time)) {
    case SV_DUPLICATE:
        if (!quiet)
            reject(L, s, SR_DUPLICATE);
        return true;
    case SV_OUT_OF_ORDER:
        if (!quiet)
            reject(L, s, SR_OUT_OF_ORDER);
        return true;
    case SV_GAP:
        return false;
    case SV_ACCEPT:
        break;
    }
    stream_check_accept(&s->chk, &k->c, k->closed);
    if (k->c.flags & CANDLE_OUTLIER)
        log_warn("%s: outlier candle at %lld flagged (o %.10g h %.10g l %.10g c %.10g)", s->name,
                 (long long)k->c.open_time, k->c.open, k->c.high, k->c.low, k->c.close);
    struct engine_event ev = { .type = EE_KLINE };
    ev.u.k = *k;
    push(L, &ev);
    return true;
}

static void start_backfill(struct live_state *L, struct lsym *s, int64_t first_open)
{
    (void)L;
    if (s->chk.last_closed < 0) {
        int64_t from = first_open - (int64_t)L->o.history * MINUTE;
        s->fill_next = tf_floor(TF_1D, from);   /* whole buckets for every timeframe */
        s->chk.last_closed = -1;
    } else {
        s->fill_next = s->chk.last_closed + MINUTE;
        s->gaps++;
    }
    s->phase = P_BACKFILL;
}

/* Push the buffered updates; stops at a gap (then back to backfilling). */
static void flush(struct live_state *L, struct lsym *s)
{
    while (s->buf_len) {
        struct kline_event *k = &s->buf[s->buf_head];
        if (!deliver(L, s, k, true)) {
            start_backfill(L, s, k->c.open_time);
            return;
        }
        s->buf_head = (s->buf_head + 1) % BUF_CAP;
        s->buf_len--;
    }
    s->phase = P_LIVE;
}

static void on_kline(struct live_state *L, struct lsym *s, struct kline_event *k)
{
    switch (s->phase) {
    case P_WAIT:
        if (s->chk.last_closed >= 0 && k->c.open_time <= s->chk.last_closed + MINUTE) {
            if (!deliver(L, s, k, true))
                return;
            s->phase = P_LIVE;                   /* nothing missed since the last closed candle */
            return;
        }
        buf_add(s, k);
        start_backfill(L, s, k->c.open_time);
        return;
    case P_BACKFILL:
        buf_add(s, k);
        return;
    case P_LIVE:
        if (!deliver(L, s, k, false)) {
            buf_add(s, k);
            int64_t a, b;
            int64_t miss = stream_gap(s->chk.last_closed, k->c.open_time, &a, &b);
            log_warn("%s: %lld candle(s) missing on the stream (%lld..%lld); back-filling", s->name,
                     (long long)miss, (long long)a, (long long)b);
            start_backfill(L, s, k->c.open_time);
        }
        return;
    default:
        return;                                  /* checking, invalid, removed: not ours yet */
    }
}

/* ---- WebSocket callbacks ---------------------------------------------------- */

static void ws_open(void *user)
{
    struct live_state *L = user;
    L->conn = C_OPEN;
    L->opened_at = L->last_rx = clock_mono_ms();
    if (L->ever_open)
        L->reconnects++;
    L->ever_open = true;
    L->ws_tls = L->ws_tls_logged = TLS_NONE;
    log_info("ws: connected to %s", L->o.ws_url);
}

/* Once per distinct problem: what was refused, the libraries' words and what to
 * check. Repeats (every retry) stay one warning line. */
static void log_tls(const struct live_state *L, const char *who, const char *url, int p, int *logged,
                    const char *detail)
{
    if (*logged == p)
        return;
    *logged = p;
    const char *ca = L->o.ca_file && *L->o.ca_file ? L->o.ca_file : NULL;
    log_error("%s: TLS: %s: %s not accepted (%s; trusting %s%s); %s", who, tls_problem_name(p), url, detail,
              ca ? "feed.ca_file " : "the system's CA store", ca ? ca : "", tls_problem_hint(p));
}

static void ws_close(void *user, const char *why)
{
    struct live_state *L = user;
    int64_t now = clock_mono_ms();
    L->ws_tls = (int)tls_problem_of(why);
    if (L->ws_tls) {
        log_tls(L, "ws", L->o.ws_url, L->ws_tls, &L->ws_tls_logged, why);
        snprintf(L->close_why, sizeof L->close_why, "TLS: %s (WS)", tls_problem_name(L->ws_tls));
    } else {
        snprintf(L->close_why, sizeof L->close_why, "%s", why);
    }
    int64_t d = L->planned ? 0 : backoff_next(&L->bo);
    L->planned = false;
    L->conn = C_BACKOFF;
    L->next_connect = now + d;
    for (int i = 0; i < L->n; i++) {
        struct lsym *s = &L->sym[i];
        s->subscribed = false;
        if (s->phase == P_LIVE || s->phase == P_BACKFILL || s->phase == P_WAIT) {
            s->phase = P_WAIT;                   /* the next connection's first update decides */
            buf_clear(s);
            s->reconnects++;
        }
    }
    log_warn("ws: connection lost (%s); reconnecting in %lld ms", why, (long long)d);
}

static void ws_oversized(void *user, size_t len)
{
    struct live_state *L = user;
    L->conn_msgs++;
    L->conn_window++;
    L->last_rx = clock_mono_ms();
    L->conn_rejected[SR_SYNTAX]++;
    log_warn("ws: discarded a message of %zu bytes (limit %d)", len, KLINE_JSON_MAX_BYTES);
}

static void symbol_from_stream(const char *buf, size_t len, char *out)
{
    /* best effort attribution of a bad message: "stream":"btcusdt@kline_1m" */
    out[0] = 0;
    const char *p = memmem(buf, len, "\"stream\":\"", 10);
    if (!p)
        return;
    p += 10;
    size_t i = 0;
    while (p < buf + len && *p != '@' && *p != '"' && i + 1 < SYMBOL_MAX)
        out[i++] = (char)toupper((unsigned char)*p++);
    out[i] = 0;
}

static void ws_frame(void *user, const char *buf, size_t len, int64_t recv_ns)
{
    struct live_state *L = user;
    L->last_rx = clock_mono_ms();
    L->conn_msgs++;
    L->conn_window++;
    L->conn_last_wall = clock_wall_ms();
    if (L->depth && depth_feed_frame(L->depth, buf, len, recv_ns))
        return;
    struct kline_event k;
    char why[160];
    int rc = kline_json_parse(buf, len, &k, why, sizeof why);
    if (rc == KLINE_JSON_NOT_KLINE) {
        if (memmem(buf, len, "serverShutdown", 14)) {
            log_info("ws: server announced a shutdown; reconnecting now");
            L->planned = true;
            binance_ws_drop(L->ws);
        } else if (memmem(buf, len, "\"error\"", 7) || memmem(buf, len, "\"code\"", 6)) {
            log_warn("ws: error reply: %.*s", (int)(len < 200 ? len : 200), buf);
        }
        return;                                  /* subscription replies and the like */
    }
    struct lsym *s = NULL;
    if (rc == KLINE_JSON_OK || rc == KLINE_JSON_VALUE) {
        s = find(L, k.symbol);
    } else {
        char name[SYMBOL_MAX];
        symbol_from_stream(buf, len, name);
        s = name[0] ? find(L, name) : NULL;
    }
    if (s) {
        s->messages++;
        s->msgs_window++;
        s->last_msg_wall = L->conn_last_wall;
    }
    if (rc != KLINE_JSON_OK) {
        int rule = rc == KLINE_JSON_SYNTAX ? SR_SYNTAX : rc == KLINE_JSON_FIELD ? SR_FIELD
                                                       : SR_NAN + (int)candle_check(&k.c) - 1;
        if (rule < 0 || rule >= STREAM_RULE_COUNT)
            rule = SR_FIELD;
        reject(L, s, rule);
        log_warn("ws: %s: rejected message (%s): %s", s ? s->name : "?", stream_rule_name(rule), why);
        return;
    }
    if (!s)
        return;
    if (k.tf != TF_1M) {
        reject(L, s, SR_INTERVAL);
        return;
    }
    backoff_reset(&L->bo);                       /* data flows: the connection is good */
    k.recv_ns = recv_ns;
    on_kline(L, s, &k);
}

/* ---- REST work --------------------------------------------------------------- */

static void drop_symbol(struct live_state *L, struct lsym *s, const char *why)
{
    s->phase = P_INVALID;
    buf_clear(s);
    log_error("%s: %s; symbol dropped (check the name against the exchange's symbol list)", s->name, why);
    struct engine_event ev = { .type = EE_FEED_STATE };
    snprintf(ev.u.state, sizeof ev.u.state, "%s: invalid symbol, dropped", s->name);
    push(L, &ev);
    snprintf(L->state, sizeof L->state, "%s", ev.u.state);
    if (s->subscribed && binance_ws_open(L->ws)) {
        char msg[96];
        snprintf(msg, sizeof msg, "{\"method\":\"UNSUBSCRIBE\",\"params\":[\"%s@kline_1m\"],\"id\":%llu}",
                 s->lower, (unsigned long long)++L->sub_id);
        binance_ws_send(L->ws, msg);
    }
    s->subscribed = false;
}

static void rest_ok(struct live_state *L)
{
    backoff_reset(&L->rest_bo);
    L->rest_tls = L->rest_tls_logged = TLS_NONE;
    L->offline[0] = 0;
}

/* "host:port" of a URL, for short messages. */
static void url_host(const char *url, char *out, size_t n)
{
    const char *p = strstr(url, "://");
    p = p ? p + 3 : url;
    size_t len = strcspn(p, "/?#");
    snprintf(out, n, "%.*s", (int)len, p);
}

/* The header's short words for a failed request: what could not be reached and
 * the system's reason (errno), or libcurl's words when it has no errno. */
static void offline_reason(struct live_state *L, const char *why)
{
    char host[48], reason[64];
    url_host(L->o.rest_url, host, sizeof host);
    if (strcasestr(why, "resolve")) {
        snprintf(L->offline, sizeof L->offline, "cannot resolve %s", host);
        return;
    }
    if (L->rest.os_errno) {
        snprintf(reason, sizeof reason, "%s", strerror(L->rest.os_errno));
        reason[0] = (char)tolower((unsigned char)reason[0]);
        snprintf(L->offline, sizeof L->offline, "cannot connect to %.32s: %.26s", host, reason);
        return;
    }
    const char *detail = L->rest.curl_err[0] ? L->rest.curl_err : why;
    snprintf(L->offline, sizeof L->offline, "%.40s: %.36s", host, detail);
}

static void rest_failed(struct live_state *L, struct lsym *s, int rc, const char *why)
{
    int64_t d = rc == BREST_RATE_LIMITED ? binance_rest_wait_ms(&L->rest) : backoff_next(&L->rest_bo);
    s->retry_at = clock_mono_ms() + d;
    if (rc == BREST_NETWORK)
        offline_reason(L, why);
    if (rc == BREST_TLS) {
        L->rest_tls = (int)tls_problem_of(why);
        if (!L->rest_tls)
            L->rest_tls = TLS_HANDSHAKE;
        log_tls(L, "rest", L->o.rest_url, L->rest_tls, &L->rest_tls_logged, why);
    }
    log_warn("rest: %s: %s (%s); retry in %lld ms", s->name, binance_rest_status_name(rc), why, (long long)d);
}

static void check_symbol(struct live_state *L, struct lsym *s)
{
    struct binance_symbol_info info;
    char why[256];
    int rc = binance_rest_exchange_info(&L->rest, s->name, &info, why, sizeof why);
    if (rc == BREST_BAD_SYMBOL) {
        drop_symbol(L, s, why);
        return;
    }
    if (rc != BREST_OK) {
        rest_failed(L, s, rc, why);
        return;
    }
    rest_ok(L);
    if (strcmp(info.status, "TRADING") != 0) {
        char msg[96];
        snprintf(msg, sizeof msg, "status %s on the exchange, expected TRADING", info.status);
        drop_symbol(L, s, msg);
        return;
    }
    struct engine_event ev = { .type = EE_INSTRUMENT };
    struct instrument *in = &ev.u.inst;
    snprintf(in->symbol, sizeof in->symbol, "%s", s->name);
    snprintf(in->base, sizeof in->base, "%s", info.base);
    snprintf(in->quote, sizeof in->quote, "%s", info.quote);
    snprintf(in->market, sizeof in->market, "Binance spot");
    in->tick = info.tick_size;
    in->step = info.step_size;
    in->min_notional = info.min_notional;
    push(L, &ev);
    log_info("%s: TRADING, tick %g step %g min notional %g", s->name, info.tick_size, info.step_size,
             info.min_notional);
    s->phase = P_WAIT;
    if (binance_ws_open(L->ws)) {               /* added while connected: subscribe live */
        char msg[96];
        snprintf(msg, sizeof msg, "{\"method\":\"SUBSCRIBE\",\"params\":[\"%s@kline_1m\"],\"id\":%llu}",
                 s->lower, (unsigned long long)++L->sub_id);
        if (binance_ws_send(L->ws, msg) == 0)
            s->subscribed = true;
    }
}

static void backfill_page(struct live_state *L, struct lsym *s)
{
    if (!s->buf_len) {                          /* cannot happen; be safe */
        s->phase = P_WAIT;
        return;
    }
    int64_t target = s->buf[s->buf_head].c.open_time;   /* first live update: fill up to it */
    if (s->fill_next >= target) {
        flush(L, s);
        return;
    }
    size_t n = 0;
    unsigned rej[CANDLE_RULE_COUNT] = { 0 };
    char why[256];
    int rc = binance_rest_klines(&L->rest, s->name, TF_1M, s->fill_next, target - 1, L->page,
                                 BINANCE_KLINES_LIMIT, &n, rej, why, sizeof why);
    if (rc == BREST_BAD_SYMBOL) {
        drop_symbol(L, s, why);
        return;
    }
    if (rc != BREST_OK) {
        rest_failed(L, s, rc, why);
        return;
    }
    rest_ok(L);
    for (int r = 1; r < CANDLE_RULE_COUNT; r++)
        for (unsigned i = 0; i < rej[r]; i++)
            stream_check_reject(&s->chk, SR_NAN + r - 1);
    for (size_t i = 0; i < n; i++) {
        struct kline_event k = { .tf = TF_1M, .closed = true, .c = L->page[i], .history = true };
        memcpy(k.symbol, s->name, SYMBOL_MAX);
        k.event_time = k.c.open_time + MINUTE - 1;
        if (k.c.open_time >= target)
            break;
        if (s->chk.last_closed >= 0) {
            int64_t a, b, miss = stream_gap(s->chk.last_closed, k.c.open_time, &a, &b);
            if (miss > 0) {                      /* the exchange itself has no candles there */
                s->chk.unfillable += (uint32_t)miss;
                log_warn("%s: exchange has no candles %lld..%lld (%lld); left as a gap", s->name,
                         (long long)a, (long long)b, (long long)miss);
                s->chk.last_closed = k.c.open_time - MINUTE;
            }
        }
        if (deliver(L, s, &k, true) && k.c.open_time == s->chk.last_closed)
            s->filled++;
    }
    if (n == 0) {
        int64_t miss = (target - s->fill_next) / MINUTE;
        if (s->chk.last_closed >= 0 && miss > 0) {
            s->chk.unfillable += (uint32_t)miss;
            log_warn("%s: exchange returned no candles from %lld; %lld left as a gap", s->name,
                     (long long)s->fill_next, (long long)miss);
        }
        s->chk.last_closed = target - MINUTE;
        s->chk.last_open = s->chk.last_closed;
        s->fill_next = target;
    } else {
        s->fill_next = L->page[n - 1].open_time + MINUTE;
    }
    if (s->fill_next >= target)
        flush(L, s);
}

/* One REST request at most per pass: symbol checks first, then backfills. */
static void rest_work(struct live_state *L)
{
    if (binance_rest_wait_ms(&L->rest) > 0)
        return;
    int64_t now = clock_mono_ms();
    for (int pass = 0; pass < 2; pass++)
        for (int j = 0; j < L->n; j++) {
            struct lsym *s = &L->sym[(L->rr + j) % L->n];
            if (s->retry_at > now)
                continue;
            if (pass == 0 && s->phase == P_CHECK) {
                check_symbol(L, s);
                L->rr = (L->rr + j + 1) % L->n;
                return;
            }
            if (pass == 1 && s->phase == P_BACKFILL) {
                backfill_page(L, s);
                L->rr = (L->rr + j + 1) % L->n;
                return;
            }
        }
}

/* ---- connection management ---------------------------------------------------- */

static bool wants_stream(const struct lsym *s)
{
    return s->phase == P_WAIT || s->phase == P_BACKFILL || s->phase == P_LIVE;
}

static void connect_now(struct live_state *L)
{
    size_t cap = 32 + (size_t)L->n * (3 * SYMBOL_MAX + 48);
    char *path = malloc(cap);
    if (!path)
        return;
    size_t w = (size_t)snprintf(path, cap, "/stream?streams=");
    int k = 0;
    for (int i = 0; i < L->n; i++) {
        struct lsym *s = &L->sym[i];
        if (!wants_stream(s))
            continue;
        w += (size_t)snprintf(path + w, cap - w, "%s%s@kline_1m", k++ ? "/" : "", s->lower);
        if (L->depth)
            w += depth_feed_streams(L->depth, s->name, s->lower, path + w, cap - w);
        s->subscribed = true;
    }
    L->conn = C_CONNECTING;
    log_info("ws: connecting to %s (%d streams)", L->o.ws_url, k);
    if (binance_ws_connect(L->ws, path) != 0 && L->conn == C_CONNECTING)
        ws_close(L, "cannot start the connection");
    free(path);
}

static void manage_connection(struct live_state *L)
{
    int64_t now = clock_mono_ms();
    bool any = false, checking = false;
    for (int i = 0; i < L->n; i++) {
        any |= wants_stream(&L->sym[i]);
        checking |= L->sym[i].phase == P_CHECK;
    }
    if ((L->conn == C_IDLE || L->conn == C_BACKOFF) && any && now >= L->next_connect &&
        !(checking && !L->ever_open)) {
        connect_now(L);
        return;
    }
    if (L->conn == C_OPEN) {
        if (now - L->last_rx > (int64_t)L->o.stale_after_s * 1000) {
            log_warn("ws: no message for %d s; reconnecting", L->o.stale_after_s);
            snprintf(L->close_why, sizeof L->close_why, "silent for %d s", L->o.stale_after_s);
            binance_ws_drop(L->ws);
        } else if (now - L->opened_at > (int64_t)L->o.max_age_s * 1000) {
            log_info("ws: planned reconnect after %d s (the exchange closes connections at 24 h)",
                     L->o.max_age_s);
            L->planned = true;
            binance_ws_drop(L->ws);
        }
    }
}

static void process_commands(struct live_state *L)
{
    struct live_cmd c;
    while (spsc_pop(&L->f->cmds, &c)) {
        struct lsym *s = find(L, c.symbol);
        if (c.op == CMD_ADD) {
            if (s && s->phase != P_REMOVED && s->phase != P_INVALID)
                continue;
            if (!s) {
                if (L->n == MAX_SYMS) {
                    log_error("cannot add %s: %d symbols is the maximum", c.symbol, MAX_SYMS);
                    continue;
                }
                s = &L->sym[L->n++];
                memset(s, 0, sizeof *s);
                snprintf(s->name, sizeof s->name, "%s", c.symbol);
                for (int i = 0; s->name[i]; i++)
                    s->lower[i] = (char)tolower((unsigned char)s->name[i]);
                s->buf = calloc(BUF_CAP, sizeof *s->buf);
                stream_check_init(&s->chk, -1);
            }
            s->phase = P_CHECK;
            s->retry_at = 0;
            log_info("%s: added", s->name);
        } else if (s && s->phase != P_REMOVED) {
            if (s->subscribed && binance_ws_open(L->ws)) {
                char msg[96];
                snprintf(msg, sizeof msg, "{\"method\":\"UNSUBSCRIBE\",\"params\":[\"%s@kline_1m\"],\"id\":%llu}",
                         s->lower, (unsigned long long)++L->sub_id);
                binance_ws_send(L->ws, msg);
            }
            s->subscribed = false;
            s->phase = P_REMOVED;
            buf_clear(s);
            log_info("%s: removed", s->name);
        }
    }
}

/* ---- reporting ---------------------------------------------------------------- */

static int stream_state_of(const struct live_state *L, const struct lsym *s, int64_t now)
{
    switch (s->phase) {
    case P_CHECK: return STREAM_CHECKING;
    case P_INVALID: return STREAM_INVALID;
    case P_REMOVED: return STREAM_REMOVED;
    case P_BACKFILL: return STREAM_BACKFILL;
    default: break;
    }
    if (L->conn == C_BACKOFF)
        return STREAM_BACKOFF;
    if (L->conn != C_OPEN)
        return STREAM_CONNECTING;
    if (s->phase == P_WAIT)
        return STREAM_WAITING;
    if (now - L->last_rx > (int64_t)L->o.stale_after_s * 500)
        return STREAM_STALE;
    return STREAM_LIVE;
}

static void feed_state(struct live_state *L, int64_t now)
{
    char text[96];
    int backfill = 0, valid = 0, checking = 0;
    for (int i = 0; i < L->n; i++) {
        backfill += L->sym[i].phase == P_BACKFILL;
        checking += L->sym[i].phase == P_CHECK;
        valid += L->sym[i].phase != P_INVALID && L->sym[i].phase != P_REMOVED;
    }
    int64_t rl = binance_rest_wait_ms(&L->rest);
    if (L->n > 0 && valid == 0)
        snprintf(text, sizeof text, "error: no valid symbol");
    else if (L->rest_tls && (checking || backfill))   /* nothing moves until REST gets through */
        snprintf(text, sizeof text, "error: TLS: %s (REST)", tls_problem_name(L->rest_tls));
    else if (L->offline[0] && (checking || backfill))
        snprintf(text, sizeof text, "offline: %s", L->offline);
    else if (L->conn == C_BACKOFF && !L->ever_open && !L->ws_tls)   /* never connected: not reachable */
        snprintf(text, sizeof text, "offline: %.60s (retry in %d s)", L->close_why,
                 (int)((L->next_connect - now + 999) / 1000));
    else if (L->conn == C_BACKOFF)
        snprintf(text, sizeof text, "backoff in %d s: %.44s", (int)((L->next_connect - now + 999) / 1000),
                 L->close_why);
    else if (L->conn == C_CONNECTING)
        snprintf(text, sizeof text, "connecting");
    else if (L->conn == C_IDLE)
        snprintf(text, sizeof text, "checking symbols");
    else if (now - L->last_rx > (int64_t)L->o.stale_after_s * 500)
        snprintf(text, sizeof text, "stale %llds", (long long)((now - L->last_rx) / 1000));
    else if (backfill && rl > 0)
        snprintf(text, sizeof text, "rate limited: REST in %lld s", (long long)((rl + 999) / 1000));
    else if (backfill)
        snprintf(text, sizeof text, "live, backfilling %d", backfill);
    else
        snprintf(text, sizeof text, "live");
    int invalid = 0;
    for (int i = 0; i < L->n; i++)
        invalid += L->sym[i].phase == P_INVALID;
    if (invalid && valid) {
        size_t w = strlen(text);
        snprintf(text + w, sizeof text - w, ", %d invalid", invalid);
    }
    if (strcmp(text, L->state) != 0) {
        snprintf(L->state, sizeof L->state, "%s", text);
        struct engine_event ev = { .type = EE_FEED_STATE };
        snprintf(ev.u.state, sizeof ev.u.state, "%s", text);
        push(L, &ev);
        log_info("feed: %s", text);
    }
}

static void report_health(struct live_state *L, int64_t now)
{
    double secs = (double)(now - L->last_health) / 1000.0;
    if (secs <= 0)
        secs = 1;
    L->last_health = now;
    struct engine_event ev = { .type = EE_FEED_HEALTH };
    struct stream_health *h = &ev.u.health;
    snprintf(h->name, sizeof h->name, "connection");
    h->state = L->conn == C_OPEN ? (now - L->last_rx > (int64_t)L->o.stale_after_s * 500 ? STREAM_STALE : STREAM_LIVE)
             : L->conn == C_BACKOFF ? STREAM_BACKOFF : L->conn == C_CONNECTING ? STREAM_CONNECTING : STREAM_CHECKING;
    h->last_msg_ms = L->conn_last_wall;
    h->msgs_per_s = (float)(L->conn_window / secs);
    L->conn_window = 0;
    h->messages = L->conn_msgs;
    h->reconnects = L->reconnects;
    memcpy(h->rejected, L->conn_rejected, sizeof h->rejected);
    h->quality = L->conn_msgs > 0 ? 1 : 0;          /* nothing received is no data, not perfect data */
    push(L, &ev);
    for (int i = 0; i < L->n; i++) {
        struct lsym *s = &L->sym[i];
        memset(h, 0, sizeof *h);
        snprintf(h->name, sizeof h->name, "%s 1m", s->name);
        h->state = (uint8_t)stream_state_of(L, s, now);
        h->last_msg_ms = s->last_msg_wall;
        h->msgs_per_s = (float)(s->msgs_window / secs);
        s->msgs_window = 0;
        h->messages = s->messages;
        h->reconnects = s->reconnects;
        h->gaps_filled = s->gaps;
        h->candles_filled = s->filled;
        h->unfillable = s->chk.unfillable;
        h->outliers = s->chk.outliers;
        memcpy(h->rejected, s->chk.rejected, sizeof h->rejected);
        /* a stream that has delivered nothing (offline, still checking) has no
         * good data: 0 %, not the 100 % of "nothing went wrong" */
        h->quality = s->messages == 0 && s->filled == 0 ? 0.0f : (float)stream_check_quality(&s->chk);
        push(L, &ev);
    }
}

static void *feed_main(void *arg)
{
    struct live_state *L = arg;
    int64_t last_state = 0;
    while (!atomic_load(&L->f->stop)) {
        binance_ws_service(L->ws, 20);
        process_commands(L);
        int64_t t0 = clock_mono_ms();
        rest_work(L);
        if (L->depth)
            depth_feed_rest(L->depth, &L->rest, L->conn == C_OPEN);
        /* time blocked in a REST call was not spent listening: it is not silence */
        if (L->conn == C_OPEN)
            L->last_rx += clock_mono_ms() - t0;
        manage_connection(L);
        int64_t now = clock_mono_ms();
        if (now - last_state >= 200) {
            feed_state(L, now);
            last_state = now;
        }
        if (now - L->last_health >= HEALTH_MS)
            report_health(L, now);
    }
    log_info("feed: stopping");
    return NULL;
}

int live_feed_start(struct live_feed *f, const struct live_feed_options *o, const char (*symbols)[SYMBOL_MAX],
                    const int64_t *last_closed, int n, struct spsc *out, char *err, size_t err_len)
{
    memset(f, 0, sizeof *f);
    f->out = out;
    atomic_init(&f->stop, false);
    if (n > MAX_SYMS) {
        snprintf(err, err_len, "--symbols: %d symbols, at most %d", n, MAX_SYMS);
        return -1;
    }
    struct live_state *L = calloc(1, sizeof *L);
    if (!L || spsc_init(&f->cmds, sizeof(struct live_cmd), CMD_QUEUE)) {
        free(L);
        snprintf(err, err_len, "out of memory");
        return -1;
    }
    f->st = L;
    L->f = f;
    L->o = *o;
    if (L->o.stale_after_s <= 0)
        L->o.stale_after_s = 10;
    if (L->o.max_age_s <= 0)
        L->o.max_age_s = 23 * 3600;
    if (L->o.history <= 0)
        L->o.history = 1000;
    uint64_t seed = (uint64_t)clock_wall_ms() ^ ((uint64_t)(uintptr_t)L << 7);
    backoff_init(&L->bo, o->backoff_base_ms > 0 ? o->backoff_base_ms : 500,
                 o->backoff_cap_ms > 0 ? o->backoff_cap_ms : 60000, seed);
    backoff_init(&L->rest_bo, 500, 30000, seed * 31 + 7);
    for (int i = 0; i < n; i++) {
        struct lsym *s = &L->sym[L->n++];
        snprintf(s->name, sizeof s->name, "%s", symbols[i]);
        for (int j = 0; s->name[j]; j++)
            s->lower[j] = (char)tolower((unsigned char)s->name[j]);
        s->buf = calloc(BUF_CAP, sizeof *s->buf);
        if (!s->buf) {
            snprintf(err, err_len, "out of memory");
            return -1;
        }
        stream_check_init(&s->chk, last_closed ? last_closed[i] : -1);
        s->phase = P_CHECK;
    }
    if (binance_rest_init(&L->rest, o->rest_url, o->ca_file, &f->stop, err, err_len))
        return -1;
    if (o->depth && !(L->depth = depth_feed_create(o->depth, out, &f->stop))) {
        snprintf(err, err_len, "out of memory");
        return -1;
    }
    struct binance_ws_callbacks cb = { .user = L, .on_open = ws_open, .on_frame = ws_frame,
                                       .on_oversized = ws_oversized, .on_close = ws_close };
    L->ws = binance_ws_create(o->ws_url, o->ca_file, &cb, KLINE_JSON_MAX_BYTES, err, err_len);
    if (!L->ws)
        return -1;
    L->last_health = clock_mono_ms();
    if (pthread_create(&f->thread, NULL, feed_main, L) != 0) {
        snprintf(err, err_len, "cannot start the feed thread");
        return -1;
    }
    f->running = true;
    return 0;
}

void live_feed_stop(struct live_feed *f)
{
    if (f->running) {
        atomic_store(&f->stop, true);
        pthread_join(f->thread, NULL);
        f->running = false;
    }
    struct live_state *L = f->st;
    if (L) {
        binance_ws_destroy(L->ws);
        binance_rest_free(&L->rest);
        depth_feed_destroy(L->depth);
        for (int i = 0; i < L->n; i++)
            free(L->sym[i].buf);
        free(L);
        spsc_free(&f->cmds);
    }
    f->st = NULL;
}

static int post_symbol_op(struct live_feed *f, int op, const char *symbol, char *err, size_t err_len)
{
    struct live_cmd c = { .op = op };
    size_t n = strlen(symbol);
    if (n == 0 || n >= SYMBOL_MAX) {
        snprintf(err, err_len, "symbol '%s': expected 1-%d characters", symbol, SYMBOL_MAX - 1);
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        char ch = (char)toupper((unsigned char)symbol[i]);
        if (!isalnum((unsigned char)ch)) {
            snprintf(err, err_len, "symbol '%s': expected letters and digits, like ETHUSDT", symbol);
            return -1;
        }
        c.symbol[i] = ch;
    }
    if (!f->running || !spsc_push(&f->cmds, &c)) {
        snprintf(err, err_len, "feed busy or not running; try again");
        return -1;
    }
    return 0;
}

int live_feed_add(struct live_feed *f, const char *symbol, char *err, size_t err_len)
{
    return post_symbol_op(f, CMD_ADD, symbol, err, err_len);
}

int live_feed_del(struct live_feed *f, const char *symbol, char *err, size_t err_len)
{
    return post_symbol_op(f, CMD_DEL, symbol, err, err_len);
}
