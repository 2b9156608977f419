/* The live feed's thread. Ordering is the whole game here: the engine accepts a
 * symbol's 1m candles only in order, so while a symbol is being back-filled its
 * live updates wait in a small per-symbol buffer; REST pages go first, then the
 * buffer, and anything the two have in common is dropped here. Each loop pass
 * makes at most one REST request, so the sockets keep being read (and pings
 * answered) during a long backfill. The symbols are spread over as many
 * WebSocket connections as Binance's cap of streams per connection asks, each
 * with its own reconnect and gap fill. Wall-clock reads are fine here: this is
 * the network edge, not the engine. */
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
#include "alphapulse/symtab.h"
#include "alphapulse/tls_problem.h"
#include "alphapulse/clock.h"
#include "depth_feed.h"

#define MINUTE 60000LL
#define BUF_CAP 1024              /* live updates held per symbol during a backfill */
#define HEALTH_MS 1000
#define CMD_QUEUE 64
#define URL_MAX 2000              /* streams named in the connect URL; the rest are SUBSCRIBEd */
#define SUB_BATCH 100             /* streams per SUBSCRIBE message */
#define SUB_EVERY_MS 250          /* per connection: Binance takes 5 incoming messages a second */
#define BULK_CHECK_MIN 10         /* this many symbols to check: one exchangeInfo for all */

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
    int conn;                     /* the connection carrying its streams, -1: none yet */
    bool subscribed;              /* part of its connection's streams */
    struct stream_check chk;
    struct kline_event *buf;      /* ring of updates waiting for the backfill (allocated while used) */
    int buf_head, buf_len;
    int64_t fill_next;            /* next open time to request */
    int64_t retry_at;             /* monotonic ms: next exchangeInfo / REST attempt */
    uint32_t messages, msgs_window, reconnects, gaps, filled;
    int64_t last_msg_wall;
};

/* One WebSocket connection and the symbols assigned to it (lsym.conn). */
struct lconn {
    struct live_state *L;
    int id;
    struct binance_ws *ws;
    struct backoff bo;
    int conn;
    bool planned, ever_open;
    int slots;                    /* streams of the symbols assigned to it */
    int64_t next_connect, opened_at, last_rx, last_sub;
    uint32_t msgs, window, reconnects;
    int64_t last_wall;
    uint32_t rejected[STREAM_RULE_COUNT];
    char close_why[96];
    int ws_tls, ws_tls_logged;    /* enum tls_problem of the last failure, 0 since a success */
};

struct live_state {
    struct live_feed *f;
    struct live_feed_options o;
    struct lsym *sym;
    int n, cap;
    struct symtab names;          /* symbol -> index in sym */
    struct lconn **conns;
    int nconn;
    struct binance_rest rest;
    struct backoff rest_bo;
    char state[96];
    char offline[80];             /* why REST cannot reach the exchange; "" since a success */
    int rest_tls, rest_tls_logged;   /* enum tls_problem of the last REST failure, 0 since a success */
    uint64_t sub_id, seed;
    int64_t last_health;
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
    o->streams_per_conn = LIVE_STREAMS_PER_CONN;
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
    int i = symtab_get(&L->names, name);
    return i >= 0 ? &L->sym[i] : NULL;
}

static void buf_clear(struct lsym *s)
{
    free(s->buf);
    s->buf = NULL;
    s->buf_head = s->buf_len = 0;
}

static void buf_add(struct lsym *s, const struct kline_event *k)
{
    if (!s->buf && !(s->buf = malloc(BUF_CAP * sizeof *s->buf))) {
        log_error("%s: out of memory holding live updates during a backfill", s->name);
        return;                                 /* the backfill reaches further, as when full */
    }
    if (s->buf_len == BUF_CAP) {             /* drop the oldest: the backfill reaches further */
        s->buf_head = (s->buf_head + 1) % BUF_CAP;
        s->buf_len--;
    }
    s->buf[(s->buf_head + s->buf_len) % BUF_CAP] = *k;
    s->buf_len++;
}

static void reject(struct lconn *c, struct lsym *s, int rule)
{
    if (s)
        stream_check_reject(&s->chk, rule);
    else
        c->rejected[rule]++;
}

/* Hand one update to the engine after the stream checks; false when it belongs
 * after a gap (the caller starts a backfill). quiet: overlap, not an error. */
static bool deliver(struct live_state *L, struct lsym *s, struct kline_event *k, bool quiet)
{
    switch (stream_check_order(&s->chk, k->c.open_time)) {
    case SV_DUPLICATE:
        if (!quiet)
            stream_check_reject(&s->chk, SR_DUPLICATE);
        return true;
    case SV_OUT_OF_ORDER:
        if (!quiet)
            stream_check_reject(&s->chk, SR_OUT_OF_ORDER);
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
    buf_clear(s);
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
    struct lconn *c = user;
    c->conn = C_OPEN;
    c->opened_at = c->last_rx = clock_mono_ms();
    if (c->ever_open)
        c->reconnects++;
    c->ever_open = true;
    c->ws_tls = c->ws_tls_logged = TLS_NONE;
    log_info("ws: connected to %s (connection %d)", c->L->o.ws_url, c->id + 1);
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
    struct lconn *c = user;
    struct live_state *L = c->L;
    int64_t now = clock_mono_ms();
    c->ws_tls = (int)tls_problem_of(why);
    if (c->ws_tls) {
        log_tls(L, "ws", L->o.ws_url, c->ws_tls, &c->ws_tls_logged, why);
        snprintf(c->close_why, sizeof c->close_why, "TLS: %s (WS)", tls_problem_name(c->ws_tls));
    } else {
        snprintf(c->close_why, sizeof c->close_why, "%s", why);
    }
    int64_t d = c->planned ? 0 : backoff_next(&c->bo);
    c->planned = false;
    c->conn = C_BACKOFF;
    c->next_connect = now + d;
    for (int i = 0; i < L->n; i++) {
        struct lsym *s = &L->sym[i];
        if (s->conn != c->id)
            continue;
        s->subscribed = false;
        if (s->phase == P_LIVE || s->phase == P_BACKFILL || s->phase == P_WAIT) {
            s->phase = P_WAIT;                   /* the next connection's first update decides */
            buf_clear(s);
            s->reconnects++;
        }
    }
    log_warn("ws: connection lost (%s); reconnecting in %lld ms (connection %d)", why, (long long)d, c->id + 1);
}

static void seen(struct lconn *c)
{
    c->msgs++;
    c->window++;
    c->last_rx = clock_mono_ms();
}

static void ws_oversized(void *user, size_t len)
{
    struct lconn *c = user;
    seen(c);
    c->rejected[SR_SYNTAX]++;
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

/* Not a kline: a shutdown notice, an error reply, or a subscription's answer. */
static void ws_other(struct lconn *c, const char *buf, size_t len)
{
    if (memmem(buf, len, "serverShutdown", 14)) {
        log_info("ws: connection %d: server announced a shutdown; reconnecting now", c->id + 1);
        c->planned = true;
        binance_ws_drop(c->ws);
    } else if (memmem(buf, len, "\"error\"", 7) || memmem(buf, len, "\"code\"", 6)) {
        log_warn("ws: error reply: %.*s", (int)(len < 200 ? len : 200), buf);
    }
}

static void ws_frame(void *user, const char *buf, size_t len, int64_t recv_ns)
{
    struct lconn *c = user;
    struct live_state *L = c->L;
    seen(c);
    c->last_wall = clock_wall_ms();
    if (L->depth && depth_feed_frame(L->depth, buf, len, recv_ns))
        return;
    struct kline_event k;
    char why[160];
    int rc = kline_json_parse(buf, len, &k, why, sizeof why);
    if (rc == KLINE_JSON_NOT_KLINE) {
        ws_other(c, buf, len);
        return;
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
        s->last_msg_wall = c->last_wall;
    }
    if (rc != KLINE_JSON_OK) {
        int rule = rc == KLINE_JSON_SYNTAX ? SR_SYNTAX : rc == KLINE_JSON_FIELD ? SR_FIELD
                                                       : SR_NAN + (int)candle_check(&k.c) - 1;
        if (rule < 0 || rule >= STREAM_RULE_COUNT)
            rule = SR_FIELD;
        reject(c, s, rule);
        log_warn("ws: %s: rejected message (%s): %s", s ? s->name : "?", stream_rule_name(rule), why);
        return;
    }
    if (!s)
        return;
    if (k.tf != TF_1M) {
        reject(c, s, SR_INTERVAL);
        return;
    }
    backoff_reset(&c->bo);                       /* data flows: the connection is good */
    k.recv_ns = recv_ns;
    on_kline(L, s, &k);
}

/* ---- REST work --------------------------------------------------------------- */

/* Streams a symbol takes on its connection: its klines, and its book's two when
 * market depth is on (reserved whether or not the book is wanted yet). */
static int sym_slots(const struct live_state *L) { return L->depth ? 3 : 1; }

/* Off its connection: UNSUBSCRIBE when it was on a live one, its slots freed. */
static void release(struct live_state *L, struct lsym *s)
{
    if (s->conn < 0)
        return;
    struct lconn *c = L->conns[s->conn];
    if (s->subscribed && binance_ws_open(c->ws)) {
        char msg[96];
        snprintf(msg, sizeof msg, "{\"method\":\"UNSUBSCRIBE\",\"params\":[\"%s@kline_1m\"],\"id\":%llu}",
                 s->lower, (unsigned long long)++L->sub_id);
        binance_ws_send(c->ws, msg);
    }
    c->slots -= sym_slots(L);
    s->conn = -1;
    s->subscribed = false;
}

static void drop_symbol(struct live_state *L, struct lsym *s, const char *why)
{
    s->phase = P_INVALID;
    buf_clear(s);
    log_error("%s: %s; symbol dropped (check the name against the exchange's symbol list)", s->name, why);
    struct engine_event ev = { .type = EE_FEED_STATE };
    snprintf(ev.u.state, sizeof ev.u.state, "%s: invalid symbol, dropped", s->name);
    push(L, &ev);
    snprintf(L->state, sizeof L->state, "%s", ev.u.state);
    release(L, s);
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

/* A request failed: when to try again (the delay), after the reasons are logged. */
static int64_t rest_failed(struct live_state *L, const char *what, int rc, const char *why)
{
    int64_t d = rc == BREST_RATE_LIMITED ? binance_rest_wait_ms(&L->rest) : backoff_next(&L->rest_bo);
    if (rc == BREST_NETWORK)
        offline_reason(L, why);
    if (rc == BREST_TLS) {
        L->rest_tls = (int)tls_problem_of(why);
        if (!L->rest_tls)
            L->rest_tls = TLS_HANDSHAKE;
        log_tls(L, "rest", L->o.rest_url, L->rest_tls, &L->rest_tls_logged, why);
    }
    log_warn("rest: %s: %s (%s); retry in %lld ms", what, binance_rest_status_name(rc), why, (long long)d);
    return d;
}

/* The exchange's word on one symbol: TRADING becomes an instrument for the
 * engine and waits for its connection; anything else is dropped. */
static void admit(struct live_state *L, struct lsym *s, const struct binance_symbol_info *info)
{
    if (strcmp(info->status, "TRADING") != 0) {
        char msg[96];
        snprintf(msg, sizeof msg, "status %s on the exchange, expected TRADING", info->status);
        drop_symbol(L, s, msg);
        return;
    }
    struct engine_event ev = { .type = EE_INSTRUMENT };
    struct instrument *in = &ev.u.inst;
    snprintf(in->symbol, sizeof in->symbol, "%s", s->name);
    snprintf(in->base, sizeof in->base, "%s", info->base);
    snprintf(in->quote, sizeof in->quote, "%s", info->quote);
    snprintf(in->market, sizeof in->market, "Binance spot");
    in->tick = info->tick_size;
    in->step = info->step_size;
    in->min_notional = info->min_notional;
    push(L, &ev);
    log_info("%s: TRADING, tick %g step %g min notional %g", s->name, info->tick_size, info->step_size,
             info->min_notional);
    s->phase = P_WAIT;                           /* manage_connections subscribes it */
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
        s->retry_at = clock_mono_ms() + rest_failed(L, s->name, rc, why);
        return;
    }
    rest_ok(L);
    admit(L, s, &info);
}

/* Every symbol waiting for its check, from one exchangeInfo of the whole list. */
static void check_all(struct live_state *L)
{
    struct binance_symbol_info *list;
    size_t n;
    char why[256];
    int rc = binance_rest_symbols(&L->rest, &list, &n, why, sizeof why);
    if (rc != BREST_OK) {
        int64_t at = clock_mono_ms() + rest_failed(L, "exchangeInfo", rc, why);
        for (int i = 0; i < L->n; i++)
            if (L->sym[i].phase == P_CHECK)
                L->sym[i].retry_at = at;
        return;
    }
    rest_ok(L);
    struct symtab listed;
    symtab_init(&listed);
    for (size_t j = 0; j < n; j++)
        symtab_put(&listed, list[j].symbol, (int)j);
    for (int i = 0; i < L->n; i++) {
        struct lsym *s = &L->sym[i];
        int j = s->phase == P_CHECK ? symtab_get(&listed, s->name) : -2;
        if (j >= 0)
            admit(L, s, &list[j]);
        else if (j == -1)
            drop_symbol(L, s, "not listed in exchangeInfo");
    }
    symtab_free(&listed);
    free(list);
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
        s->retry_at = clock_mono_ms() + rest_failed(L, s->name, rc, why);
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

/* One REST request at most per pass: symbol checks first (all at once when
 * many wait), then backfills, each in the symbols' order: the first named are
 * the ones on screen at start. */
static void rest_work(struct live_state *L)
{
    if (binance_rest_wait_ms(&L->rest) > 0)
        return;
    int64_t now = clock_mono_ms();
    int checks = 0;
    for (int i = 0; i < L->n; i++)
        checks += L->sym[i].phase == P_CHECK && L->sym[i].retry_at <= now;
    if (checks >= BULK_CHECK_MIN) {
        check_all(L);
        return;
    }
    for (int pass = 0; pass < 2; pass++)
        for (int i = 0; i < L->n; i++) {
            struct lsym *s = &L->sym[i];
            if (s->retry_at > now)
                continue;
            if (pass == 0 && s->phase == P_CHECK) {
                check_symbol(L, s);
                return;
            }
            if (pass == 1 && s->phase == P_BACKFILL) {
                backfill_page(L, s);
                return;
            }
        }
}

/* ---- connection management ---------------------------------------------------- */

static bool wants_stream(const struct lsym *s)
{
    return s->phase == P_WAIT || s->phase == P_BACKFILL || s->phase == P_LIVE;
}

/* "btcusdt@kline_1m", then its book's streams, '/' between them. */
static size_t sym_streams(const struct live_state *L, const struct lsym *s, char *buf, size_t n)
{
    size_t w = (size_t)snprintf(buf, n, "%s@kline_1m", s->lower);
    if (L->depth && w < n)
        w += depth_feed_streams(L->depth, s->name, s->lower, buf + w, n - w);
    return w;
}

static struct lconn *conn_new(struct live_state *L, char *err, size_t err_len)
{
    struct lconn **cs = realloc(L->conns, sizeof *cs * (size_t)(L->nconn + 1));
    struct lconn *c = cs ? calloc(1, sizeof *c) : NULL;
    if (cs)
        L->conns = cs;
    if (!c) {
        snprintf(err, err_len, "out of memory");
        return NULL;
    }
    c->L = L;
    c->id = L->nconn;
    backoff_init(&c->bo, L->o.backoff_base_ms > 0 ? L->o.backoff_base_ms : 500,
                 L->o.backoff_cap_ms > 0 ? L->o.backoff_cap_ms : 60000, L->seed + 7919u * (uint64_t)c->id);
    struct binance_ws_callbacks cb = { .user = c, .on_open = ws_open, .on_frame = ws_frame,
                                       .on_oversized = ws_oversized, .on_close = ws_close };
    if (!(c->ws = binance_ws_create(L->o.ws_url, L->o.ca_file, &cb, KLINE_JSON_MAX_BYTES, err, err_len))) {
        free(c);
        return NULL;
    }
    L->conns[L->nconn++] = c;
    return c;
}

/* Every symbol that wants its streams gets a connection with room for them,
 * a new connection when all are full. */
static void assign(struct live_state *L)
{
    int need = sym_slots(L), cap = L->o.streams_per_conn;
    for (int i = 0; i < L->n; i++) {
        struct lsym *s = &L->sym[i];
        if (s->conn >= 0 || !wants_stream(s))
            continue;
        int k = 0;
        while (k < L->nconn && L->conns[k]->slots + need > cap)
            k++;
        char err[256];
        if (k == L->nconn && !conn_new(L, err, sizeof err)) {
            log_error("ws: cannot open connection %d: %s", k + 1, err);
            return;
        }
        s->conn = k;
        L->conns[k]->slots += need;
    }
}

static void connect_now(struct live_state *L, struct lconn *c)
{
    char *path = malloc(URL_MAX + 256), one[256];
    if (!path)
        return;
    size_t w = (size_t)snprintf(path, URL_MAX, "/stream?streams=");
    int k = 0;
    for (int i = 0; i < L->n; i++) {
        struct lsym *s = &L->sym[i];
        if (s->conn != c->id || !wants_stream(s))
            continue;
        size_t len = sym_streams(L, s, one, sizeof one);
        if (k && w + len + 1 > URL_MAX)
            break;                               /* the rest go as SUBSCRIBE once open */
        w += (size_t)snprintf(path + w, URL_MAX + 256 - w, "%s%s", k++ ? "/" : "", one);
        s->subscribed = true;
    }
    c->conn = C_CONNECTING;
    log_info("ws: connecting to %s (connection %d, %d symbols in the URL, %d streams in all)", L->o.ws_url,
             c->id + 1, k, c->slots);
    if (binance_ws_connect(c->ws, path) != 0 && c->conn == C_CONNECTING)
        ws_close(c, "cannot start the connection");
    free(path);
}

/* One SUBSCRIBE of the connection's symbols not subscribed yet, at most
 * SUB_BATCH streams, at most one every SUB_EVERY_MS. */
static void subscribe_pending(struct live_state *L, struct lconn *c, int64_t now)
{
    if (now - c->last_sub < SUB_EVERY_MS)
        return;
    char msg[SUB_BATCH * (SYMBOL_MAX + 24) + 96], one[256];
    int idx[SUB_BATCH], n = 0, streams = 0;
    size_t w = (size_t)snprintf(msg, sizeof msg, "{\"method\":\"SUBSCRIBE\",\"params\":[");
    for (int i = 0; i < L->n && streams + sym_slots(L) <= SUB_BATCH; i++) {
        struct lsym *s = &L->sym[i];
        if (s->conn != c->id || s->subscribed || !wants_stream(s))
            continue;
        sym_streams(L, s, one, sizeof one);
        for (char *save = NULL, *t = strtok_r(one, "/", &save); t; t = strtok_r(NULL, "/", &save), streams++)
            w += (size_t)snprintf(msg + w, sizeof msg - w, "%s\"%s\"", streams ? "," : "", t);
        idx[n++] = i;
    }
    if (!n)
        return;
    snprintf(msg + w, sizeof msg - w, "],\"id\":%llu}", (unsigned long long)++L->sub_id);
    c->last_sub = now;
    if (binance_ws_send(c->ws, msg) != 0)
        return;                                  /* the send queue is full: next time */
    for (int j = 0; j < n; j++)
        L->sym[idx[j]].subscribed = true;
}

static void manage_connection(struct live_state *L, struct lconn *c, bool may_connect, int64_t now)
{
    bool any = false;
    for (int i = 0; i < L->n && !any; i++)
        any = L->sym[i].conn == c->id && wants_stream(&L->sym[i]);
    if ((c->conn == C_IDLE || c->conn == C_BACKOFF) && any && now >= c->next_connect && may_connect) {
        connect_now(L, c);
        return;
    }
    if (c->conn != C_OPEN)
        return;
    if (!any) {                                  /* its symbols are gone: nothing to listen to */
        c->planned = true;
        binance_ws_drop(c->ws);
    } else if (now - c->last_rx > (int64_t)L->o.stale_after_s * 1000) {
        log_warn("ws: no message for %d s; reconnecting (connection %d)", L->o.stale_after_s, c->id + 1);
        snprintf(c->close_why, sizeof c->close_why, "silent for %d s", L->o.stale_after_s);
        binance_ws_drop(c->ws);
    } else if (now - c->opened_at > (int64_t)L->o.max_age_s * 1000) {
        log_info("ws: planned reconnect after %d s (the exchange closes connections at 24 h)", L->o.max_age_s);
        c->planned = true;
        binance_ws_drop(c->ws);
    } else {
        subscribe_pending(L, c, now);
    }
}

/* Before the first connection opens, the symbols still being checked are
 * waited for, so that one connection starts with them all. */
static void manage_connections(struct live_state *L)
{
    assign(L);
    bool checking = false, ever = false;
    for (int i = 0; i < L->n && !checking; i++)
        checking = L->sym[i].phase == P_CHECK;
    for (int k = 0; k < L->nconn; k++)
        ever |= L->conns[k]->ever_open;
    int64_t now = clock_mono_ms();
    for (int k = 0; k < L->nconn; k++)
        manage_connection(L, L->conns[k], !(checking && !ever), now);
}

static struct lsym *sym_new(struct live_state *L, const char *name, int64_t last_closed)
{
    if (L->n == L->cap) {
        int cap = L->cap ? L->cap * 2 : 64;
        struct lsym *t = realloc(L->sym, sizeof *t * (size_t)cap);
        if (!t)
            return NULL;
        L->sym = t;
        L->cap = cap;
    }
    if (symtab_put(&L->names, name, L->n) != 0)
        return NULL;
    struct lsym *s = &L->sym[L->n++];
    memset(s, 0, sizeof *s);
    snprintf(s->name, sizeof s->name, "%s", name);
    for (int i = 0; s->name[i]; i++)
        s->lower[i] = (char)tolower((unsigned char)s->name[i]);
    s->conn = -1;
    stream_check_init(&s->chk, last_closed);
    s->phase = P_CHECK;
    return s;
}

static void process_commands(struct live_state *L)
{
    struct live_cmd c;
    while (spsc_pop(&L->f->cmds, &c)) {
        struct lsym *s = find(L, c.symbol);
        if (c.op == CMD_ADD) {
            if (s && s->phase != P_REMOVED && s->phase != P_INVALID)
                continue;
            if (!s && !(s = sym_new(L, c.symbol, -1))) {
                log_error("cannot add %s: out of memory", c.symbol);
                continue;
            }
            s->phase = P_CHECK;
            s->retry_at = 0;
            log_info("%s: added", s->name);
        } else if (s && s->phase != P_REMOVED) {
            release(L, s);
            s->phase = P_REMOVED;
            buf_clear(s);
            log_info("%s: removed", s->name);
        }
    }
}

/* ---- reporting ---------------------------------------------------------------- */

static bool silent(const struct live_state *L, const struct lconn *c, int64_t now)
{
    return now - c->last_rx > (int64_t)L->o.stale_after_s * 500;
}

static int stream_state_of(const struct live_state *L, const struct lsym *s, int64_t now)
{
    switch (s->phase) {
    case P_CHECK: return STREAM_CHECKING;
    case P_INVALID: return STREAM_INVALID;
    case P_REMOVED: return STREAM_REMOVED;
    case P_BACKFILL: return STREAM_BACKFILL;
    default: break;
    }
    const struct lconn *c = s->conn >= 0 ? L->conns[s->conn] : NULL;
    if (c && c->conn == C_BACKOFF)
        return STREAM_BACKOFF;
    if (!c || c->conn != C_OPEN)
        return STREAM_CONNECTING;
    if (s->phase == P_WAIT)
        return STREAM_WAITING;
    return silent(L, c, now) ? STREAM_STALE : STREAM_LIVE;
}

/* The connection that says most about the feed: one backing off, then one
 * connecting, one idle, one silent, then any (NULL: none carries a symbol). */
static const struct lconn *telling(const struct live_state *L, int64_t now)
{
    const struct lconn *t = NULL;
    int best = -1;
    for (int k = 0; k < L->nconn; k++) {
        const struct lconn *c = L->conns[k];
        int rank = c->conn == C_BACKOFF ? 4 : c->conn == C_CONNECTING ? 3 : c->conn == C_IDLE ? 2
                 : silent(L, c, now) ? 1 : 0;
        if (c->slots > 0 && rank > best) {
            best = rank;
            t = c;
        }
    }
    return t;
}

static void feed_state(struct live_state *L, int64_t now)
{
    char text[96];
    int backfill = 0, valid = 0, checking = 0, invalid = 0;
    bool ever = false;
    for (int i = 0; i < L->n; i++) {
        backfill += L->sym[i].phase == P_BACKFILL;
        checking += L->sym[i].phase == P_CHECK;
        invalid += L->sym[i].phase == P_INVALID;
        valid += L->sym[i].phase != P_INVALID && L->sym[i].phase != P_REMOVED;
    }
    for (int k = 0; k < L->nconn; k++)
        ever |= L->conns[k]->ever_open;
    const struct lconn *c = telling(L, now);
    int conn = c ? c->conn : C_IDLE;
    int64_t rl = binance_rest_wait_ms(&L->rest);
    if (L->n > 0 && valid == 0)
        snprintf(text, sizeof text, "error: no valid symbol");
    else if (L->rest_tls && (checking || backfill))   /* nothing moves until REST gets through */
        snprintf(text, sizeof text, "error: TLS: %s (REST)", tls_problem_name(L->rest_tls));
    else if (L->offline[0] && (checking || backfill))
        snprintf(text, sizeof text, "offline: %s", L->offline);
    else if (conn == C_BACKOFF && !ever && !c->ws_tls)   /* never connected: not reachable */
        snprintf(text, sizeof text, "offline: %.60s (retry in %d s)", c->close_why,
                 (int)((c->next_connect - now + 999) / 1000));
    else if (conn == C_BACKOFF)
        snprintf(text, sizeof text, "backoff in %d s: %.44s", (int)((c->next_connect - now + 999) / 1000),
                 c->close_why);
    else if (conn == C_CONNECTING)
        snprintf(text, sizeof text, "connecting");
    else if (conn == C_IDLE)
        snprintf(text, sizeof text, "checking symbols");
    else if (silent(L, c, now))
        snprintf(text, sizeof text, "stale %llds", (long long)((now - c->last_rx) / 1000));
    else if (backfill && rl > 0)
        snprintf(text, sizeof text, "rate limited: REST in %lld s", (long long)((rl + 999) / 1000));
    else if (backfill)
        snprintf(text, sizeof text, "live, backfilling %d", backfill);
    else
        snprintf(text, sizeof text, "live");
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

/* One row per connection ("connection", "connection 2", ...), then one per symbol. */
static void report_health(struct live_state *L, int64_t now)
{
    double secs = (double)(now - L->last_health) / 1000.0;
    if (secs <= 0)
        secs = 1;
    L->last_health = now;
    struct engine_event ev = { .type = EE_FEED_HEALTH };
    struct stream_health *h = &ev.u.health;
    for (int k = 0; k < L->nconn; k++) {
        struct lconn *c = L->conns[k];
        memset(h, 0, sizeof *h);
        snprintf(h->name, sizeof h->name, k ? "connection %d" : "connection", k + 1);
        h->state = c->conn == C_OPEN ? (silent(L, c, now) ? STREAM_STALE : STREAM_LIVE)
                 : c->conn == C_BACKOFF ? STREAM_BACKOFF : c->conn == C_CONNECTING ? STREAM_CONNECTING
                 : STREAM_CHECKING;
        h->last_msg_ms = c->last_wall;
        h->msgs_per_s = (float)(c->window / secs);
        c->window = 0;
        h->messages = c->msgs;
        h->reconnects = c->reconnects;
        memcpy(h->rejected, c->rejected, sizeof h->rejected);
        h->quality = c->msgs > 0 ? 1 : 0;          /* nothing received is no data, not perfect data */
        push(L, &ev);
    }
    for (int i = 0; i < L->n; i++) {
        struct lsym *s = &L->sym[i];
        memset(h, 0, sizeof *h);
        snprintf(h->name, sizeof h->name, "%.20s 1m", s->name);
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

static bool any_open(const struct live_state *L)
{
    for (int k = 0; k < L->nconn; k++)
        if (L->conns[k]->conn == C_OPEN)
            return true;
    return false;
}

static void *feed_main(void *arg)
{
    struct live_state *L = arg;
    int64_t last_state = 0;
    while (!atomic_load(&L->f->stop)) {
        int wait = L->nconn > 1 ? 20 / L->nconn : 20;
        for (int k = 0; k < L->nconn; k++)
            binance_ws_service(L->conns[k]->ws, wait > 0 ? wait : 1);
        process_commands(L);
        int64_t t0 = clock_mono_ms();
        rest_work(L);
        if (L->depth)
            depth_feed_rest(L->depth, &L->rest, any_open(L));
        /* time blocked in a REST call was not spent listening: it is not silence */
        int64_t blocked = clock_mono_ms() - t0;
        for (int k = 0; k < L->nconn; k++)
            if (L->conns[k]->conn == C_OPEN)
                L->conns[k]->last_rx += blocked;
        manage_connections(L);
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
    if (L->o.streams_per_conn <= 0 || L->o.streams_per_conn > LIVE_STREAMS_PER_CONN)
        L->o.streams_per_conn = LIVE_STREAMS_PER_CONN;
    if (L->o.depth && L->o.streams_per_conn < 3)
        L->o.streams_per_conn = 3;                /* a symbol's three streams share a connection */
    symtab_init(&L->names);
    L->seed = (uint64_t)clock_wall_ms() ^ ((uint64_t)(uintptr_t)L << 7);
    backoff_init(&L->rest_bo, 500, 30000, L->seed * 31 + 7);
    for (int i = 0; i < n; i++)
        if (!sym_new(L, symbols[i], last_closed ? last_closed[i] : -1)) {
            snprintf(err, err_len, "out of memory");
            return -1;
        }
    if (binance_rest_init(&L->rest, o->rest_url, o->ca_file, &f->stop, err, err_len))
        return -1;
    if (o->depth && !(L->depth = depth_feed_create(o->depth, out, &f->stop))) {
        snprintf(err, err_len, "out of memory");
        return -1;
    }
    if (!conn_new(L, err, err_len))             /* the first, so that a bad URL is said at start */
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
        for (int k = 0; k < L->nconn; k++) {
            binance_ws_destroy(L->conns[k]->ws);
            free(L->conns[k]);
        }
        free(L->conns);
        binance_rest_free(&L->rest);
        depth_feed_destroy(L->depth);
        for (int i = 0; i < L->n; i++)
            free(L->sym[i].buf);
        free(L->sym);
        symtab_free(&L->names);
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
