/* The Bybit feed's thread, on the Binance feed's plan (live_feed.c): a symbol's
 * live updates wait in a small buffer while it is back-filled, REST pages go
 * first, then the buffer, and what the two share is dropped here; one REST
 * request per loop pass so the socket keeps being read. What differs is Bybit's:
 * the socket's path names the category and topics are subscribed after it
 * opens, 10 args per request; the client pings; a refused topic comes back in a
 * reply (its symbol is dropped); a kline push may carry several candles; REST
 * pages are read newest first (bybit_parse turns them round).
 * Any number of symbols: their table grows (names found by hash, symtab.h),
 * the live buffer of a symbol exists only while it is back-filled, and the
 * symbols are spread over as many connections as needed, at most
 * BYBIT_SYMBOLS_PER_CONN on each (bybit_feed.h says why that number), each
 * connection with its own reconnect, ping and resubscribe. */
#include "alphapulse/bybit_feed.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "alphapulse/backoff.h"
#include "alphapulse/binance_ws.h"
#include "alphapulse/bybit_rest.h"
#include "alphapulse/clock.h"
#include "alphapulse/kline_json.h"
#include "alphapulse/log.h"
#include "alphapulse/stream_check.h"
#include "alphapulse/symtab.h"

#define MINUTE 60000LL
#define BUF_CAP 1024
#define HEALTH_MS 1000
#define CMD_QUEUE 64
#define TOPIC_MAX 48

/* The worst case of one connection's args (Bybit allows 21,000 characters):
 * both topics of BYBIT_SYMBOLS_PER_CONN symbols of the longest name. */
_Static_assert(BYBIT_SYMBOLS_PER_CONN * 2 * (TOPIC_MAX - 1) <= 21000 / 2,
               "a connection's topics stay under half of Bybit's 21,000 characters");

enum phase { P_CHECK, P_WAIT, P_BACKFILL, P_LIVE, P_INVALID, P_REMOVED };
enum conn { C_IDLE, C_CONNECTING, C_OPEN, C_BACKOFF };
enum { CMD_ADD, CMD_DEL };

struct bcmd { int op; char symbol[SYMBOL_MAX]; };

struct bsym {
    char name[SYMBOL_MAX];        /* the exchange's */
    char ev[SYMBOL_MAX];          /* in events: prefix + name */
    int phase;
    int conn;                     /* index in conns, -1: none assigned */
    bool subscribed;
    struct stream_check chk;
    struct kline_event *buf;      /* BUF_CAP, allocated while it holds updates */
    int buf_head, buf_len;
    int64_t fill_next, retry_at;
    uint32_t messages, msgs_window, reconnects, gaps, filled;
    int64_t last_msg_wall;
    struct bybit_ticker ticker;   /* linear: merged snapshot + deltas */
};

/* One WebSocket connection and the symbols assigned to it (bsym.conn). */
struct bconn {
    struct bybit_feed_state *L;
    int id;
    struct binance_ws *ws;
    struct backoff bo;
    int conn;
    bool ever_open;
    bool dirty;                   /* some of its symbols may wait for a subscribe */
    int nsyms;                    /* symbols assigned to it (each wants its topics) */
    int64_t next_connect, opened_at, last_rx, last_ping;
    uint32_t msgs, window, reconnects;
    int64_t last_wall;
    uint32_t rejected[STREAM_RULE_COUNT];
    char close_why[96];
};

struct bybit_feed_state {
    struct bybit_feed *f;
    struct bybit_feed_options o;
    struct bsym *sym;
    int n, cap, rr;
    struct symtab names;          /* exchange name -> index in sym */
    struct bconn **conns;
    int nconn;
    struct bybit_rest rest;
    struct backoff rest_bo;
    uint64_t seed;
    int64_t last_health;
    char state[96];
    uint64_t req_id;
    struct bybit_msg msg;
    struct candle page[BYBIT_KLINES_LIMIT];
};

typedef struct bybit_feed_state S;

void bybit_feed_defaults(struct bybit_feed_options *o, int category)
{
    memset(o, 0, sizeof *o);
    o->rest_url = BYBIT_DEFAULT_REST;
    o->ws_url = BYBIT_DEFAULT_WS;
    o->category = category;
    o->prefix = "";
    o->market = category == BYBIT_LINEAR ? "Bybit USDT perpetual" : "Bybit spot";
    o->stale_after_s = 30;
    o->ping_ms = BYBIT_PING_MS;
    o->history = 1000;
    o->backoff_base_ms = 500;
    o->backoff_cap_ms = 60000;
}

static bool push(S *L, const struct engine_event *ev)
{
    while (!spsc_push(L->f->out, ev)) {
        if (atomic_load(&L->f->stop))
            return false;
        nanosleep(&(struct timespec){ 0, 500000 }, NULL);
    }
    return true;
}

static struct bsym *find(S *L, const char *name)
{
    int i = symtab_get(&L->names, name);
    return i >= 0 ? &L->sym[i] : NULL;
}

static void buf_clear(struct bsym *s)
{
    free(s->buf);
    s->buf = NULL;
    s->buf_head = s->buf_len = 0;
}

static void buf_add(struct bsym *s, const struct kline_event *k)
{
    if (!s->buf && !(s->buf = malloc(BUF_CAP * sizeof *s->buf))) {
        log_error("%s: out of memory holding live updates during a backfill", s->ev);
        return;                                 /* the backfill reaches further, as when full */
    }
    if (s->buf_len == BUF_CAP) {
        s->buf_head = (s->buf_head + 1) % BUF_CAP;
        s->buf_len--;
    }
    s->buf[(s->buf_head + s->buf_len) % BUF_CAP] = *k;
    s->buf_len++;
}

static void reject(struct bconn *c, struct bsym *s, int rule)
{
    if (s)
        stream_check_reject(&s->chk, rule);
    else
        c->rejected[rule]++;
}

static bool deliver(S *L, struct bsym *s, struct kline_event *k, bool quiet)
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
    struct engine_event ev = { .type = EE_KLINE };
    ev.u.k = *k;
    memcpy(ev.u.k.symbol, s->ev, SYMBOL_MAX);
    push(L, &ev);
    return true;
}

static void start_backfill(S *L, struct bsym *s, int64_t first_open)
{
    if (s->chk.last_closed < 0) {
        s->fill_next = tf_floor(TF_1D, first_open - (int64_t)L->o.history * MINUTE);
    } else {
        s->fill_next = s->chk.last_closed + MINUTE;
        s->gaps++;
    }
    s->phase = P_BACKFILL;
}

static void flush(S *L, struct bsym *s)
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

static void on_kline(S *L, struct bsym *s, struct kline_event *k)
{
    switch (s->phase) {
    case P_WAIT:
        if (s->chk.last_closed >= 0 && k->c.open_time <= s->chk.last_closed + MINUTE) {
            if (deliver(L, s, k, true))
                s->phase = P_LIVE;
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
            log_warn("%s: candles missing on the stream after %lld; back-filling", s->ev,
                     (long long)s->chk.last_closed);
            start_backfill(L, s, k->c.open_time);
        }
        return;
    default:
        return;
    }
}

/* ---- subscriptions ---------------------------------------------------------- */

static int topics_of(const S *L, const struct bsym *s, char t[2][TOPIC_MAX])
{
    int n = 0;
    if (bybit_topic_kline(t[n], TOPIC_MAX, TF_1M, s->name) > 0)
        n++;
    if (L->o.category == BYBIT_LINEAR && bybit_topic_ticker(t[n], TOPIC_MAX, s->name) > 0)
        n++;
    return n;
}

/* One (un)subscribe request of the given symbols' topics, at most 10 args (a
 * symbol's topics never split); returns how many symbols it took (0 when the
 * connection's send queue is full: they wait for the next pass). */
static int send_op(S *L, struct bconn *c, const char *op, struct bsym **syms, int n)
{
    const char *args[BYBIT_SPOT_ARGS_MAX];
    char store[BYBIT_SPOT_ARGS_MAX][TOPIC_MAX];
    int k = 0, took = 0;
    for (; took < n; took++) {
        char t[2][TOPIC_MAX];
        int m = topics_of(L, syms[took], t);
        if (k + m > BYBIT_SPOT_ARGS_MAX)
            break;
        for (int j = 0; j < m; j++) {
            memcpy(store[k], t[j], TOPIC_MAX);
            args[k] = store[k];
            k++;
        }
    }
    char req[1024], id[24];
    snprintf(id, sizeof id, "%llu", (unsigned long long)++L->req_id);
    if (!k || bybit_format_subscribe(req, sizeof req, op, id, args, (size_t)k) <= 0 || binance_ws_send(c->ws, req) != 0)
        return 0;
    return took;
}

static bool wants_stream(const struct bsym *s)
{
    return s->phase == P_WAIT || s->phase == P_BACKFILL || s->phase == P_LIVE;
}

/* Subscribe the connection's symbols that want their topics and are not yet
 * subscribed, in requests of at most 10 args; a request the send queue has no
 * room for is sent on a later pass. */
static void subscribe_pending(S *L, struct bconn *c)
{
    struct bsym *list[BYBIT_SPOT_ARGS_MAX];
    for (;;) {
        int n = 0;
        for (int i = 0; i < L->n && n < BYBIT_SPOT_ARGS_MAX; i++) {
            struct bsym *s = &L->sym[i];
            if (s->conn == c->id && wants_stream(s) && !s->subscribed)
                list[n++] = s;
        }
        int took = n ? send_op(L, c, "subscribe", list, n) : 0;
        for (int j = 0; j < took; j++)
            list[j]->subscribed = true;
        if (took < n)
            return;                              /* still dirty: the rest on a later pass */
        if (n < BYBIT_SPOT_ARGS_MAX) {
            c->dirty = false;
            return;
        }
    }
}

/* The symbol leaves its connection: unsubscribed if it was, its room freed. */
static void release(S *L, struct bsym *s)
{
    struct bconn *c = s->conn >= 0 ? L->conns[s->conn] : NULL;
    if (c && s->subscribed && binance_ws_open(c->ws))
        send_op(L, c, "unsubscribe", &s, 1);
    s->subscribed = false;
    if (c)
        c->nsyms--;
    s->conn = -1;
}

static void drop_symbol(S *L, struct bsym *s, const char *why)
{
    s->phase = P_INVALID;
    buf_clear(s);
    log_error("%s: %s; symbol dropped (check the name against Bybit's %s list)", s->ev, why,
              bybit_category_name(L->o.category));
    struct engine_event ev = { .type = EE_FEED_STATE };
    snprintf(ev.u.state, sizeof ev.u.state, "%s: invalid symbol, dropped", s->ev);
    push(L, &ev);
    snprintf(L->state, sizeof L->state, "%s", ev.u.state);
    release(L, s);
}

/* ---- WebSocket callbacks ------------------------------------------------------ */

static void ws_open(void *user)
{
    struct bconn *c = user;
    S *L = c->L;
    c->conn = C_OPEN;
    c->opened_at = c->last_rx = c->last_ping = clock_mono_ms();
    if (c->ever_open)
        c->reconnects++;
    c->ever_open = true;
    c->dirty = true;
    log_info("ws: connected to %s (bybit %s, connection %d, %d symbols)", L->o.ws_url,
             bybit_category_name(L->o.category), c->id + 1, c->nsyms);
    subscribe_pending(L, c);
}

static void ws_close(void *user, const char *why)
{
    struct bconn *c = user;
    S *L = c->L;
    snprintf(c->close_why, sizeof c->close_why, "%s", why);
    int64_t d = backoff_next(&c->bo);
    c->conn = C_BACKOFF;
    c->next_connect = clock_mono_ms() + d;
    for (int i = 0; i < L->n; i++) {
        struct bsym *s = &L->sym[i];
        if (s->conn != c->id)
            continue;
        s->subscribed = false;
        if (wants_stream(s)) {
            s->phase = P_WAIT;
            buf_clear(s);
            s->reconnects++;
        }
    }
    log_warn("ws: bybit connection %d lost (%s); reconnecting in %lld ms", c->id + 1, why, (long long)d);
}

static void ws_oversized(void *user, size_t len)
{
    struct bconn *c = user;
    c->msgs++;
    c->window++;
    c->last_rx = clock_mono_ms();
    c->rejected[SR_SYNTAX]++;
    log_warn("ws: discarded a message of %zu bytes (limit %d)", len, KLINE_JSON_MAX_BYTES);
}

/* The symbol a topic names ("kline.1.BTCUSDT", "tickers.BTCUSDT"). */
static struct bsym *of_topic(S *L, const char *topic)
{
    const char *dot = strrchr(topic, '.');
    return dot ? find(L, dot + 1) : NULL;
}

/* Best effort attribution of a bad message: its "topic" member. */
static struct bsym *of_raw(S *L, const char *buf, size_t len)
{
    const char *p = memmem(buf, len, "\"topic\":\"", 9);
    if (!p)
        return NULL;
    p += 9;
    char t[TOPIC_MAX];
    size_t i = 0;
    while (p < buf + len && *p != '"' && i + 1 < sizeof t)
        t[i++] = *p++;
    t[i] = 0;
    return of_topic(L, t);
}

static void ws_frame(void *user, const char *buf, size_t len, int64_t recv_ns)
{
    struct bconn *c = user;
    S *L = c->L;
    c->last_rx = clock_mono_ms();
    c->msgs++;
    c->window++;
    c->last_wall = clock_wall_ms();
    struct bybit_msg *m = &L->msg;
    char why[200];
    int rc = bybit_ws_parse(buf, len, m, why, sizeof why);
    if (rc != KLINE_JSON_OK) {
        struct bsym *s = of_raw(L, buf, len);
        if (rc == KLINE_JSON_NOT_KLINE && !s)
            return;
        int rule = rc == KLINE_JSON_SYNTAX ? SR_SYNTAX : rc == KLINE_JSON_VALUE ? SR_OC_OUTSIDE : SR_FIELD;
        if (s) {
            s->messages++;
            s->msgs_window++;
        }
        reject(c, s, rule);
        log_warn("ws: %s: rejected message (%s): %s", s ? s->ev : "?", stream_rule_name(rule), why);
        return;
    }
    switch (m->type) {
    case BYBIT_MSG_SUBSCRIBE:
        if (!m->reply.success) {
            struct bsym *s = m->reply.topic[0] ? of_topic(L, m->reply.topic) : NULL;
            char w[256];
            snprintf(w, sizeof w, "Bybit refused the topic %.63s (%.150s)", m->reply.topic[0] ? m->reply.topic : "?",
                     m->reply.ret_msg);
            if (s && s->phase != P_INVALID && s->phase != P_REMOVED)
                drop_symbol(L, s, w);
            else
                log_error("ws: %s: %s", m->reply.op, w);
        }
        return;
    case BYBIT_MSG_TICKER: {
        struct bsym *s = of_topic(L, m->topic);
        if (!s || s->conn != c->id || !wants_stream(s))   /* another connection's: left behind */
            return;
        bybit_ticker_merge(&s->ticker, &m->ticker);
        const struct bybit_ticker *t = &s->ticker;
        struct engine_event ev = { .type = EE_TICKER };
        struct ticker_event *te = &ev.u.tk;
        memcpy(te->symbol, s->ev, SYMBOL_MAX);
        te->have = (t->have & BYBIT_T_LAST ? TICKER_HAVE_LAST : 0u) | (t->have & BYBIT_T_MARK ? TICKER_HAVE_MARK : 0u) |
                   (t->have & BYBIT_T_INDEX ? TICKER_HAVE_INDEX : 0u) |
                   (t->have & BYBIT_T_FUNDING ? TICKER_HAVE_RATE : 0u) |
                   (t->have & BYBIT_T_NEXT_FUNDING ? TICKER_HAVE_NEXT : 0u);
        te->last = t->last;
        te->mark = t->mark;
        te->index = t->index;
        te->funding_rate = t->funding_rate;
        te->next_funding = t->next_funding_ms;
        te->time = t->ts;
        push(L, &ev);
        return;
    }
    case BYBIT_MSG_KLINE:
        break;
    default:
        return;                                  /* pong and the like: counted as traffic above */
    }
    struct bsym *s = find(L, m->klines[0].symbol);
    if (!s || s->conn != c->id)
        return;
    s->messages++;
    s->msgs_window++;
    s->last_msg_wall = c->last_wall;
    backoff_reset(&c->bo);
    for (size_t i = 0; i < m->n_klines; i++) {
        struct kline_event *k = &m->klines[i];
        if (k->tf != TF_1M) {
            reject(c, s, SR_INTERVAL);
            continue;
        }
        k->recv_ns = recv_ns;
        on_kline(L, s, k);
    }
}

/* ---- REST work ------------------------------------------------------------------ */

static void rest_failed(S *L, struct bsym *s, const struct bybit_error *e, const char *why)
{
    int64_t d = e->kind == BYBIT_E_RATE_LIMIT || e->kind == BYBIT_E_FORBIDDEN ? bybit_rest_wait_ms(&L->rest)
                                                                                 : backoff_next(&L->rest_bo);
    if (d <= 0)
        d = backoff_next(&L->rest_bo);
    s->retry_at = clock_mono_ms() + d;
    log_warn("rest: %s: %s (%s); retry in %lld ms", s->ev, bybit_error_kind_name(e->kind), why, (long long)d);
}

static void check_symbol(S *L, struct bsym *s)
{
    struct bybit_instrument info;
    struct bybit_error e;
    char why[300];
    if (bybit_rest_instrument(&L->rest, s->name, &info, &e, why, sizeof why)) {
        if (e.kind == BYBIT_E_BAD_SYMBOL)
            drop_symbol(L, s, why);
        else
            rest_failed(L, s, &e, why);
        return;
    }
    backoff_reset(&L->rest_bo);
    if (strcmp(info.status, "Trading") != 0) {
        char msg[96];
        snprintf(msg, sizeof msg, "status %s on Bybit, expected Trading", info.status);
        drop_symbol(L, s, msg);
        return;
    }
    struct engine_event ev = { .type = EE_INSTRUMENT };
    struct instrument *in = &ev.u.inst;
    memcpy(in->symbol, s->ev, SYMBOL_MAX);
    snprintf(in->base, sizeof in->base, "%s", info.base);
    snprintf(in->quote, sizeof in->quote, "%s", info.quote);
    snprintf(in->market, sizeof in->market, "%s", L->o.market);
    in->tick = info.tick_size;
    in->step = info.qty_step;
    in->min_notional = info.min_notional;
    in->perpetual = L->o.category == BYBIT_LINEAR;
    push(L, &ev);
    log_info("%s: Trading, tick %g step %g min notional %g", s->ev, info.tick_size, info.qty_step,
             info.min_notional);
    s->phase = P_WAIT;                           /* manage_connections gives it a connection */
}

static void backfill_page(S *L, struct bsym *s)
{
    if (!s->buf_len) {
        s->phase = P_WAIT;
        return;
    }
    int64_t target = s->buf[s->buf_head].c.open_time;
    if (s->fill_next >= target) {
        flush(L, s);
        return;
    }
    int64_t end = target - 1;
    if (end > s->fill_next + (BYBIT_KLINES_LIMIT - 1) * MINUTE)   /* Bybit gives the newest of a window */
        end = s->fill_next + (BYBIT_KLINES_LIMIT - 1) * MINUTE;
    size_t n = 0;
    unsigned rej[CANDLE_RULE_COUNT] = { 0 };
    struct bybit_error e;
    char why[300];
    if (bybit_rest_klines(&L->rest, s->name, TF_1M, s->fill_next, end, L->page, BYBIT_KLINES_LIMIT, &n, rej, &e,
                          why, sizeof why)) {
        if (e.kind == BYBIT_E_BAD_SYMBOL)
            drop_symbol(L, s, why);
        else
            rest_failed(L, s, &e, why);
        return;
    }
    backoff_reset(&L->rest_bo);
    for (int r = 1; r < CANDLE_RULE_COUNT; r++)
        for (unsigned i = 0; i < rej[r]; i++)
            stream_check_reject(&s->chk, SR_NAN + r - 1);
    for (size_t i = 0; i < n; i++) {
        struct kline_event k = { .tf = TF_1M, .closed = true, .c = L->page[i], .history = true };
        k.event_time = k.c.open_time + MINUTE - 1;
        if (k.c.open_time >= target || k.c.open_time < s->fill_next)
            continue;
        if (s->chk.last_closed >= 0) {
            int64_t a, b, miss = stream_gap(s->chk.last_closed, k.c.open_time, &a, &b);
            if (miss > 0) {
                s->chk.unfillable += (uint32_t)miss;
                log_warn("%s: Bybit has no candles %lld..%lld (%lld); left as a gap", s->ev, (long long)a,
                         (long long)b, (long long)miss);
                s->chk.last_closed = k.c.open_time - MINUTE;
            }
        }
        if (deliver(L, s, &k, true) && k.c.open_time == s->chk.last_closed)
            s->filled++;
    }
    if (end + 1 >= target) {
        if (s->chk.last_closed < target - MINUTE) {
            int64_t miss = (target - MINUTE - (s->chk.last_closed < 0 ? s->fill_next - MINUTE : s->chk.last_closed))
                           / MINUTE;
            if (s->chk.last_closed >= 0 && miss > 0) {
                s->chk.unfillable += (uint32_t)miss;
                log_warn("%s: Bybit returned no candles before %lld; %lld left as a gap", s->ev, (long long)target,
                         (long long)miss);
            }
            s->chk.last_closed = target - MINUTE;
            s->chk.last_open = s->chk.last_closed;
        }
        s->fill_next = target;
        flush(L, s);
    } else {
        s->fill_next = end + 1;
    }
}

static void rest_work(S *L)
{
    if (bybit_rest_wait_ms(&L->rest) > 0)
        return;
    int64_t now = clock_mono_ms();
    for (int pass = 0; pass < 2; pass++)
        for (int j = 0; j < L->n; j++) {
            struct bsym *s = &L->sym[(L->rr + j) % L->n];
            if (s->retry_at > now)
                continue;
            if ((pass == 0 && s->phase == P_CHECK) || (pass == 1 && s->phase == P_BACKFILL)) {
                if (pass == 0)
                    check_symbol(L, s);
                else
                    backfill_page(L, s);
                L->rr = (L->rr + j + 1) % L->n;
                return;
            }
        }
}

/* ---- connections ----------------------------------------------------------------- */

static struct bconn *conn_new(S *L, char *err, size_t err_len)
{
    struct bconn **cs = realloc(L->conns, sizeof *cs * (size_t)(L->nconn + 1));
    struct bconn *c = cs ? calloc(1, sizeof *c) : NULL;
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

/* Every symbol that wants its topics gets a connection with room for it (the
 * first, so connections fill in order), a new connection when all are full. */
static void assign(S *L)
{
    for (int i = 0; i < L->n; i++) {
        struct bsym *s = &L->sym[i];
        if (s->conn >= 0 || !wants_stream(s))
            continue;
        int k = 0;
        while (k < L->nconn && L->conns[k]->nsyms >= BYBIT_SYMBOLS_PER_CONN)
            k++;
        char err[256];
        if (k == L->nconn && !conn_new(L, err, sizeof err)) {
            log_error("ws: cannot open bybit connection %d: %s", k + 1, err);
            return;
        }
        s->conn = k;
        s->subscribed = false;
        L->conns[k]->nsyms++;
        L->conns[k]->dirty = true;
    }
}

static void manage_connection(S *L, struct bconn *c, bool may_connect, int64_t now)
{
    if ((c->conn == C_IDLE || c->conn == C_BACKOFF) && c->nsyms > 0 && now >= c->next_connect && may_connect) {
        c->conn = C_CONNECTING;
        const char *path = L->o.category == BYBIT_LINEAR ? "/v5/public/linear" : "/v5/public/spot";
        log_info("ws: connecting to %s%s (connection %d, %d symbols)", L->o.ws_url, path, c->id + 1, c->nsyms);
        if (binance_ws_connect(c->ws, path) != 0 && c->conn == C_CONNECTING)
            ws_close(c, "cannot start the connection");
        return;
    }
    if (c->conn != C_OPEN)
        return;
    if (now - c->last_rx > (int64_t)L->o.stale_after_s * 1000) {
        log_warn("ws: no message from bybit for %d s; reconnecting (connection %d)", L->o.stale_after_s, c->id + 1);
        binance_ws_drop(c->ws);
        return;
    }
    if (now - c->last_ping >= L->o.ping_ms) {
        char req[64], id[24];
        snprintf(id, sizeof id, "%llu", (unsigned long long)++L->req_id);
        if (bybit_format_ping(req, sizeof req, id) > 0)
            binance_ws_send(c->ws, req);
        c->last_ping = now;
    }
    if (c->dirty)
        subscribe_pending(L, c);
}

/* Before the first connection opens, the symbols still being checked are
 * waited for, so that the connections start with them all. A connection left
 * without symbols stays open (pinged) for the next :add. */
static void manage_connections(S *L)
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

static struct bsym *sym_new(S *L, const char *name, int64_t last_closed)
{
    if (L->n == L->cap) {
        int cap = L->cap ? L->cap * 2 : 64;
        struct bsym *t = realloc(L->sym, sizeof *t * (size_t)cap);
        if (!t)
            return NULL;
        L->sym = t;
        L->cap = cap;
    }
    if (symtab_put(&L->names, name, L->n) != 0)
        return NULL;
    struct bsym *s = &L->sym[L->n++];
    memset(s, 0, sizeof *s);
    snprintf(s->name, sizeof s->name, "%s", name);
    snprintf(s->ev, sizeof s->ev, "%s%s", L->o.prefix, name);
    s->conn = -1;
    stream_check_init(&s->chk, last_closed);
    s->phase = P_CHECK;
    return s;
}

static void process_commands(S *L)
{
    struct bcmd c;
    while (spsc_pop(&L->f->cmds, &c)) {
        struct bsym *s = find(L, c.symbol);
        if (c.op == CMD_ADD) {
            if (s && s->phase != P_REMOVED && s->phase != P_INVALID)
                continue;
            if (!s && strlen(L->o.prefix) + strlen(c.symbol) >= SYMBOL_MAX) {
                log_error("cannot add %s%s: longer than %d characters", L->o.prefix, c.symbol, SYMBOL_MAX - 1);
                continue;
            }
            if (!s && !(s = sym_new(L, c.symbol, -1))) {
                log_error("cannot add %s: out of memory", c.symbol);
                continue;
            }
            s->phase = P_CHECK;
            s->retry_at = 0;
            log_info("%s: added", s->ev);
        } else if (s && s->phase != P_REMOVED) {
            release(L, s);
            s->phase = P_REMOVED;
            buf_clear(s);
            log_info("%s: removed", s->ev);
        }
    }
}

/* ---- reporting ------------------------------------------------------------------ */

/* The connection that says most about the feed: one backing off, then one
 * connecting, then one idle, then any (NULL: none carries a symbol). */
static const struct bconn *telling(const S *L)
{
    const struct bconn *t = NULL;
    int best = -1;
    for (int k = 0; k < L->nconn; k++) {
        const struct bconn *c = L->conns[k];
        int rank = c->conn == C_BACKOFF ? 3 : c->conn == C_CONNECTING ? 2 : c->conn == C_IDLE ? 1 : 0;
        if (c->nsyms > 0 && rank > best) {
            best = rank;
            t = c;
        }
    }
    return t;
}

static void feed_state(S *L, int64_t now)
{
    char text[96];
    int backfill = 0, valid = 0, invalid = 0;
    for (int i = 0; i < L->n; i++) {
        backfill += L->sym[i].phase == P_BACKFILL;
        invalid += L->sym[i].phase == P_INVALID;
        valid += L->sym[i].phase != P_INVALID && L->sym[i].phase != P_REMOVED;
    }
    const struct bconn *c = telling(L);
    int conn = c ? c->conn : C_IDLE;
    int64_t rl = bybit_rest_wait_ms(&L->rest);
    if (L->n > 0 && valid == 0)
        snprintf(text, sizeof text, "bybit: error: no valid symbol");
    else if (conn == C_BACKOFF)
        snprintf(text, sizeof text, "bybit: backoff in %d s: %.40s", (int)((c->next_connect - now + 999) / 1000),
                 c->close_why);
    else if (conn == C_CONNECTING)
        snprintf(text, sizeof text, "bybit: connecting");
    else if (conn == C_IDLE)
        snprintf(text, sizeof text, "bybit: checking symbols");
    else if (backfill && rl > 0)
        snprintf(text, sizeof text, "bybit: rate limited: REST in %lld s", (long long)((rl + 999) / 1000));
    else if (backfill)
        snprintf(text, sizeof text, "bybit: live, backfilling %d", backfill);
    else
        snprintf(text, sizeof text, "bybit: live");
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

static int conn_state(const struct bconn *c)
{
    return c->conn == C_OPEN ? STREAM_LIVE : c->conn == C_BACKOFF ? STREAM_BACKOFF
         : c->conn == C_CONNECTING ? STREAM_CONNECTING : STREAM_CHECKING;
}

/* One row per connection ("bybit spot", "bybit spot 2", ...; "bybit spot" alone
 * before any opens), then one per symbol. */
static void report_health(S *L, int64_t now)
{
    double secs = (double)(now - L->last_health) / 1000.0;
    if (secs <= 0)
        secs = 1;
    L->last_health = now;
    struct engine_event ev = { .type = EE_FEED_HEALTH };
    struct stream_health *h = &ev.u.health;
    for (int k = 0; k < (L->nconn ? L->nconn : 1); k++) {
        struct bconn *c = L->nconn ? L->conns[k] : NULL;
        memset(h, 0, sizeof *h);
        if (k)
            snprintf(h->name, sizeof h->name, "bybit %s %d", bybit_category_name(L->o.category), k + 1);
        else
            snprintf(h->name, sizeof h->name, "bybit %s", bybit_category_name(L->o.category));
        h->state = (uint8_t)(c ? conn_state(c) : STREAM_CHECKING);
        if (c) {
            h->last_msg_ms = c->last_wall;
            h->msgs_per_s = (float)(c->window / secs);
            c->window = 0;
            h->messages = c->msgs;
            h->reconnects = c->reconnects;
            memcpy(h->rejected, c->rejected, sizeof h->rejected);
        }
        h->quality = c && c->msgs > 0 ? 1 : 0;
        push(L, &ev);
    }
    for (int i = 0; i < L->n; i++) {
        struct bsym *s = &L->sym[i];
        const struct bconn *c = s->conn >= 0 ? L->conns[s->conn] : NULL;
        memset(h, 0, sizeof *h);
        snprintf(h->name, sizeof h->name, "%.20s 1m", s->ev);
        h->state = (uint8_t)(s->phase == P_CHECK ? STREAM_CHECKING : s->phase == P_INVALID ? STREAM_INVALID
                           : s->phase == P_REMOVED ? STREAM_REMOVED : s->phase == P_BACKFILL ? STREAM_BACKFILL
                           : !c || c->conn != C_OPEN ? STREAM_CONNECTING : s->phase == P_WAIT ? STREAM_WAITING
                           : STREAM_LIVE);
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
        h->quality = s->messages == 0 && s->filled == 0 ? 0.0f : (float)stream_check_quality(&s->chk);
        push(L, &ev);
    }
}

/* Services every connection's socket, ms in all spread over them (as the
 * Binance feed does); with none yet, a plain wait. */
static void service(S *L, int ms)
{
    if (!L->nconn) {
        nanosleep(&(struct timespec){ 0, (long)ms * 1000000L }, NULL);
        return;
    }
    int wait = ms / L->nconn;
    for (int k = 0; k < L->nconn; k++)
        binance_ws_service(L->conns[k]->ws, wait > 0 ? wait : 1);
}

static void *feed_main(void *arg)
{
    S *L = arg;
    int64_t last_state = 0;
    while (!atomic_load(&L->f->stop)) {
        service(L, 20);
        process_commands(L);
        int64_t t0 = clock_mono_ms();
        rest_work(L);
        int64_t blocked = clock_mono_ms() - t0;
        for (int k = 0; k < L->nconn; k++)        /* time blocked in REST was not silence */
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
    log_info("feed: bybit %s stopping", bybit_category_name(L->o.category));
    return NULL;
}

int bybit_feed_start(struct bybit_feed *f, const struct bybit_feed_options *o, const char (*symbols)[SYMBOL_MAX],
                     const int64_t *last_closed, int n, struct spsc *out, char *err, size_t err_len)
{
    memset(f, 0, sizeof *f);
    f->out = out;
    atomic_init(&f->stop, false);
    S *L = calloc(1, sizeof *L);
    if (!L || spsc_init(&f->cmds, sizeof(struct bcmd), CMD_QUEUE)) {
        free(L);
        snprintf(err, err_len, "out of memory");
        return -1;
    }
    f->st = L;
    L->f = f;
    L->o = *o;
    symtab_init(&L->names);
    if (!L->o.prefix)
        L->o.prefix = "";
    if (!L->o.market)
        L->o.market = o->category == BYBIT_LINEAR ? "Bybit USDT perpetual" : "Bybit spot";
    if (L->o.stale_after_s <= 0)
        L->o.stale_after_s = 30;
    if (L->o.ping_ms <= 0)
        L->o.ping_ms = BYBIT_PING_MS;
    if (L->o.history <= 0)
        L->o.history = 1000;
    L->seed = (uint64_t)clock_wall_ms() ^ ((uint64_t)(uintptr_t)L << 7);
    backoff_init(&L->rest_bo, 500, 30000, L->seed * 31 + 7);
    for (int i = 0; i < n; i++) {
        if (strlen(L->o.prefix) + strlen(symbols[i]) >= SYMBOL_MAX) {
            snprintf(err, err_len, "bybit: %s%s is longer than %d characters", L->o.prefix, symbols[i],
                     SYMBOL_MAX - 1);
            return -1;
        }
        if (find(L, symbols[i]))
            continue;                            /* named twice: one symbol */
        if (!sym_new(L, symbols[i], last_closed ? last_closed[i] : -1)) {
            snprintf(err, err_len, "out of memory");
            return -1;
        }
    }
    if (bybit_rest_init(&L->rest, o->rest_url, o->category, o->ca_file, &f->stop, err, err_len))
        return -1;
    L->last_health = clock_mono_ms();
    if (pthread_create(&f->thread, NULL, feed_main, L) != 0) {
        snprintf(err, err_len, "cannot start the bybit feed thread");
        return -1;
    }
    f->running = true;
    return 0;
}

void bybit_feed_stop(struct bybit_feed *f)
{
    if (f->running) {
        atomic_store(&f->stop, true);
        pthread_join(f->thread, NULL);
        f->running = false;
    }
    S *L = f->st;
    if (L) {
        for (int k = 0; k < L->nconn; k++) {
            binance_ws_destroy(L->conns[k]->ws);
            free(L->conns[k]);
        }
        free(L->conns);
        bybit_rest_free(&L->rest);
        for (int i = 0; i < L->n; i++)
            free(L->sym[i].buf);
        free(L->sym);
        symtab_free(&L->names);
        free(L);
        spsc_free(&f->cmds);
    }
    f->st = NULL;
}

static int post(struct bybit_feed *f, int op, const char *symbol, char *err, size_t err_len)
{
    struct bcmd c = { .op = op };
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

int bybit_feed_add(struct bybit_feed *f, const char *symbol, char *err, size_t err_len)
{
    return post(f, CMD_ADD, symbol, err, err_len);
}

int bybit_feed_del(struct bybit_feed *f, const char *symbol, char *err, size_t err_len)
{
    return post(f, CMD_DEL, symbol, err, err_len);
}
