/* Wiring of a session. Start order: data source, database, engine (restored from
 * the database), store thread, engine thread, feed. Stop runs it backwards,
 * draining each queue, so every record the engine produced reaches the disk.
 * The live feed starts after the restore so it knows each symbol's last stored
 * closed candle and back-fills from there. */
#include "alphapulse/session.h"

#include <ctype.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "alphapulse/app.h"
#include "alphapulse/engine_depth.h"
#include "alphapulse/instrument.h"
#include "alphapulse/symbol_id.h"
#include "alphapulse/log.h"
#include "alphapulse/record.h"
#include "alphapulse/series.h"
#include "alphapulse/store_feed.h"
#include "alphapulse/clock.h"

#define MARKET_QUEUE 16384
#define COMMAND_QUEUE 256
#define RECORD_QUEUE 32768
#define RESTORE_CANDLES 2000
#define ALERT_QUEUE 1024
#define INBOX_QUEUE 256
/* Everything that waits on the outside world (alert receivers, webhook clients)
 * shares one stop deadline, counted from the start of session_stop; the rest of
 * the stop is local work (draining queues, the last database commit), so the
 * process ends within 2 s of SIGTERM or `q` whatever the network does. */
#define STOP_DEADLINE_MS 1500

/* Probes for the alert dispatcher's thread. The market queue's push count moving
 * is the feed's heartbeat; a replay that has ended is not a stale feed. */
static double feed_silence(void *ctx)
{
    struct session *s = ctx;
    if (session_finished(s))
        return -1;
    size_t pushed = 0;
    int nq = atomic_load(&s->n_feeds);     /* a feed's queue is ready before it is counted */
    for (int i = 0; i < nq; i++)
        pushed += atomic_load(&s->market[i].tail);
    int64_t now = clock_mono_ns();
    if (pushed != s->feed_seen || s->feed_seen_ns == 0) {
        s->feed_seen = pushed;
        s->feed_seen_ns = now;
    }
    return (double)(now - s->feed_seen_ns) / 1e9;
}

static bool storage_failing(void *ctx)
{
    struct session *s = ctx;
    return store_failing(s->store) != 0;
}

_Static_assert(VENUE_MAX <= SNAP_FEEDS, "the snapshot holds every feed's state");

static void snap_fill(void *ctx, struct snapshot *snap)
{
    struct session *s = ctx;
    int nf = atomic_load(&s->n_feeds);
    snap->n_feeds = nf < SNAP_FEEDS ? nf : SNAP_FEEDS;
    for (int i = 0; i < snap->n_feeds; i++)
        snprintf(snap->feed_venue[i], sizeof snap->feed_venue[i], "%s", s->feeds[i].v->name);
    memset(&snap->alerts, 0, sizeof snap->alerts);
    if (s->alerts)
        alert_dispatcher_fill(s->alerts, snap);
    if (s->webhook)
        webhook_fill(s->webhook, snap);
}

static uint64_t snap_gen(void *ctx)
{
    struct session *s = ctx;
    return (s->alerts ? alert_dispatcher_gen(s->alerts) : 0) + (s->webhook ? webhook_requests(s->webhook) : 0);
}

/* Is sym (canonical) in the comma-separated list (any accepted spelling)? */
static bool wanted(const char *list, const char *sym)
{
    if (!list || !*list)
        return true;
    for (const char *p = list; *p;) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        struct symbol_id id;
        char canon[SYMBOL_MAX], err[160];
        if (symbol_id_parse(p, len, NULL, &id, err, sizeof err) == 0) {
            symbol_id_format(&id, canon);
            if (strcmp(canon, sym) == 0)
                return true;
        }
        p += len + (end ? 1 : 0);
    }
    return false;
}

int session_parse_symbols(const char *list, char (*out)[SYMBOL_MAX], int max, char *err, size_t err_len)
{
    int n = 0;
    for (const char *p = list; *p;) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len == 0) {
            snprintf(err, err_len, "--symbols %s: expected symbols separated by commas, such as "
                                   "BTCUSDT,bybit:ETHUSDT", list);
            return -1;
        }
        if (n == max) {
            snprintf(err, err_len, "--symbols: more than %d symbols", max);
            return -1;
        }
        char word[64], why[200];
        snprintf(word, sizeof word, "%.*s", (int)(len < sizeof word ? len : sizeof word - 1), p);
        if (len >= sizeof word || venue_symbol_canonical(word, out[n], why, sizeof why)) {
            snprintf(err, err_len, "--symbols: %s", len >= sizeof word ? "a symbol is too long" : why);
            return -1;
        }
        for (int j = 0; j < n; j++)
            if (strcmp(out[j], out[n]) == 0) {
                snprintf(err, err_len, "--symbols: %s is listed twice", out[n]);
                return -1;
            }
        n++;
        p += len + (end ? 1 : 0);
        if (end && !*p) {
            snprintf(err, err_len, "--symbols %s: trailing comma", list);
            return -1;
        }
    }
    if (n == 0)
        snprintf(err, err_len, "--symbols: no symbol given");
    return n ? n : -1;
}

/* The venue a live symbol's candles come from: the store when a collector writes it. */
static const struct venue *source_of(const struct session *s, const char *canon)
{
    return s->from_store && *s->from_store && wanted(s->from_store, canon) ? &store_feed_venue : venue_of(canon);
}

void session_guess_instrument(struct instrument *in, const char sym[SYMBOL_MAX])
{
    const struct venue *v = venue_of(sym);
    memset(in, 0, sizeof *in);
    memcpy(in->symbol, sym, SYMBOL_MAX);
    in->symbol[SYMBOL_MAX - 1] = 0;
    snprintf(in->market, sizeof in->market, "%s", v->market);
    in->perpetual = v->perpetual;
    struct symbol_id id;
    symbol_id_split(sym, &id);
    instrument_split(id.symbol, in);
}

static struct session_venue *feed_of(struct session *s, const struct venue *v)
{
    int n = atomic_load(&s->n_feeds);
    for (int i = 0; i < n; i++)
        if (s->feeds[i].v == v)
            return &s->feeds[i];
    return NULL;
}

/* The venue's feed, opened (not started) if the session has none yet. */
static struct session_venue *open_feed(struct session *s, const struct venue *v, char *err, size_t err_len)
{
    struct session_venue *sf = feed_of(s, v);
    if (sf)
        return sf;
    int n = atomic_load(&s->n_feeds);
    if (n == VENUE_MAX) {
        snprintf(err, err_len, "more than %d venues in one session", VENUE_MAX);
        return NULL;
    }
    struct venue_options o = s->vopt;
    o.rest_url = o.ws_url = NULL;
    for (int i = 0; v->endpoints && i < s->n_endpoints; i++)
        if (s->endpoints[i].name && strcmp(s->endpoints[i].name, v->endpoints) == 0) {
            o.rest_url = s->endpoints[i].rest_url;
            o.ws_url = s->endpoints[i].ws_url;
        }
    if (s->n_market > 0 && n >= s->n_market) {     /* the engine thread drains it once counted */
        if (spsc_init(&s->market[n], sizeof(struct engine_event), MARKET_QUEUE)) {
            snprintf(err, err_len, "out of memory");
            return NULL;
        }
        s->n_market = n + 1;
    }
    struct venue_feed *f = v->open(v, &o, err, err_len);
    if (!f)
        return NULL;
    s->feeds[n] = (struct session_venue){ .v = v, .f = f };
    atomic_store(&s->n_feeds, n + 1);
    if (v->endpoints)
        log_info("session: venue %s, REST %s, WS %s", v->name, o.rest_url ? o.rest_url : v->rest_url,
                 o.ws_url ? o.ws_url : v->ws_url);
    return &s->feeds[n];
}

static int switch_source(void *ctx, const char *symbol, bool to_store);

/* A live console on a store a collector may write later: the store feed is
 * opened for every symbol, watching (store_feed_watch). */
static int open_watch(struct session *s, char *err, size_t err_len)
{
    struct session_venue *sf = open_feed(s, &store_feed_venue, err, err_len);
    if (!sf)
        return -1;
    store_feed_on_switch(sf->f, switch_source, s);
    store_feed_watch(sf->f, s->from_store);
    return 0;
}

/* Stage 1: where the symbols come from: a replay lists its own (at most
 * INSTRUMENTS_MAX), live symbols name their venues. Into inst, room for cap. */
static int open_source(struct session *s, const struct session_options *o, struct engine_config *cfg,
                       struct instrument *inst, int cap, char *err, size_t err_len)
{
    cfg->n_symbols = 0;
    cfg->inst = inst;
    const struct venue *fixed = o->venue ? venue_find(o->venue) : NULL;
    if (o->venue && !(fixed && fixed->instruments)) {
        snprintf(err, err_len, "%s: not a venue that lists its symbols", o->venue);
        return -1;
    }
    if (fixed) {
        s->lister = fixed;
        struct session_venue *sf = open_feed(s, fixed, err, err_len);
        if (!sf)
            return -1;
        struct instrument all[INSTRUMENTS_MAX];
        int n = fixed->instruments(sf->f, all, INSTRUMENTS_MAX);
        for (int i = 0; i < n; i++)
            if (wanted(o->symbols, all[i].symbol))
                inst[cfg->n_symbols++] = all[i];
        if (cfg->n_symbols == 0) {
            snprintf(err, err_len, "--symbols %s: none of these is in the %s data (%s)", o->symbols, fixed->name,
                     o->live.manifest ? o->live.manifest : "?");
            return -1;
        }
        return 0;
    }
    char (*names)[SYMBOL_MAX] = calloc((size_t)cap, sizeof *names);
    int n = names ? session_parse_symbols(o->symbols && *o->symbols ? o->symbols : SESSION_DEFAULT_SYMBOLS, names,
                                          cap, err, err_len) : -1;
    for (int i = 0; i < n; i++) {
        struct session_venue *sf = open_feed(s, source_of(s, names[i]), err, err_len);
        if (!sf) {
            n = -1;
            break;
        }
        if (sf->v == &store_feed_venue)
            store_feed_on_switch(sf->f, switch_source, s);
        session_guess_instrument(&inst[cfg->n_symbols++], names[i]);
    }
    if (n > 0 && s->watch_store && open_watch(s, err, err_len))
        n = -1;
    if (!names)
        snprintf(err, err_len, "out of memory");
    free(names);
    return n < 0 ? -1 : 0;
}

/* One feed started with its venue's symbols; closed: each symbol's last closed 1m candle. */
static int start_feed(struct session *s, struct session_venue *sf, int k, const int64_t *closed, int n,
                      const struct session_options *o, char *err, size_t err_len)
{
    char (*names)[SYMBOL_MAX] = calloc((size_t)(n > 0 ? n : 1), sizeof *names);
    int64_t *last = calloc((size_t)(n > 0 ? n : 1), sizeof *last);
    if (!names || !last) {
        free(names);
        free(last);
        snprintf(err, err_len, "out of memory");
        return -1;
    }
    int m = 0;
    for (int i = 0; i < n; i++) {
        const char *canon = engine_symbol_name(s->engine, i);
        struct symbol_id id;
        symbol_id_split(canon, &id);
        bool watched = s->watch_store && sf->v == &store_feed_venue;   /* every symbol */
        if (!watched && (s->lister ? s->lister : source_of(s, canon)) != sf->v)
            continue;
        /* the store reads instruments by their canonical names */
        snprintf(names[m], SYMBOL_MAX, "%s", sf->v == &store_feed_venue ? canon : id.symbol);
        last[m++] = closed[i];
    }
    int rc = sf->v->start(sf->f, (const char (*)[SYMBOL_MAX])names, last, m, &s->market[k], err, err_len);
    free(names);
    free(last);
    if (rc)
        return -1;
    atomic_store(&sf->started, true);
    log_info("session: %s, %d symbols, db %s", sf->v->name, m, o->db);
    return 0;
}

/* Each feed starts with its venue's symbols (the exchange's names), after the
 * last closed candle stored for each: read for every symbol before the first
 * feed starts, since the engine thread closes candles from then on. */
static int start_feeds(struct session *s, const struct session_options *o, char *err, size_t err_len)
{
    int n = engine_symbol_count(s->engine), nf = atomic_load(&s->n_feeds);
    int64_t *closed = calloc((size_t)(n > 0 ? n : 1), sizeof *closed);
    if (!closed) {
        snprintf(err, err_len, "out of memory");
        return -1;
    }
    for (int i = 0; i < n; i++)
        closed[i] = engine_last_closed(s->engine, i, TF_1M);
    int rc = 0;
    for (int k = 0; k < nf && rc == 0; k++)
        rc = start_feed(s, &s->feeds[k], k, closed, n, o, err, err_len);
    free(closed);
    return rc;
}

/* Every symbol's order book: the engine says when a book wants a snapshot, the
 * feed fetches it. Set before the engine thread starts. */
static void depth_setup(struct session *s)
{
    char names[INSTRUMENTS_MAX][SYMBOL_MAX];   /* the books a depth_demand holds */
    int n = engine_symbol_count(s->engine);
    if (n > INSTRUMENTS_MAX)
        n = INSTRUMENTS_MAX;
    for (int i = 0; i < n; i++)
        snprintf(names[i], SYMBOL_MAX, "%s", engine_symbol_name(s->engine, i));
    depth_demand_init(s->depth, (const char (*)[SYMBOL_MAX])names, n);
    engine_set_depth_demand(s->engine, s->depth);
}

/* Stages 1-3 (source, queues, store), then the engine from the symbols found. */
static int open_stages(struct session *s, const struct session_options *o, struct engine_config *cfg,
                       struct instrument *inst, int cap, char *err, size_t err_len)
{
    s->stage = 1;
    if (open_source(s, o, cfg, inst, cap, err, err_len))
        return -1;
    int nq = atomic_load(&s->n_feeds);
    for (; s->n_market < (nq > 0 ? nq : 1); s->n_market++)
        if (spsc_init(&s->market[s->n_market], sizeof(struct engine_event), MARKET_QUEUE)) {
            snprintf(err, err_len, "out of memory");
            return -1;
        }
    if (spsc_init(&s->commands, sizeof(struct engine_event), COMMAND_QUEUE) ||
        spsc_init(&s->records, sizeof(struct record), RECORD_QUEUE)) {
        snprintf(err, err_len, "out of memory");
        return -1;
    }
    s->stage = 2;
    s->store = store_open_as(o->db, &(struct store_open_options){ .account = o->account, .collector = o->collector },
                             err, err_len);
    if (!s->store)
        return -1;
    s->stage = 3;
    s->engine = engine_create(cfg, &s->records);
    if (!s->engine) {
        snprintf(err, err_len, "out of memory creating the engine");
        return -1;
    }
    return 0;
}

/* The instruments' table lives until the engine has its own copy. */
static int open_engine(struct session *s, const struct session_options *o, char *err, size_t err_len)
{
    struct engine_config cfg = o->engine;
    int cap = cfg.max_symbols > 0 ? cfg.max_symbols : ENGINE_MAX_SYMBOLS_DEFAULT;
    if (cap < INSTRUMENTS_MAX)
        cap = INSTRUMENTS_MAX;                   /* a replay's list */
    struct instrument *inst = calloc((size_t)cap, sizeof *inst);
    if (!inst) {
        snprintf(err, err_len, "out of memory");
        return -1;
    }
    int rc = open_stages(s, o, &cfg, inst, cap, err, err_len);
    free(inst);
    return rc;
}

int session_start(struct session *s, const struct session_options *o, char *err, size_t err_len)
{
    memset(s, 0, sizeof *s);
    pthread_mutex_init(&s->symbols_lock, NULL);
    s->vopt = o->live;
    s->vopt.store_db = o->db;
    s->from_store = o->from_store;
    s->watch_store = o->watch_store && !o->venue && !o->collector;
    if (o->depth && !o->venue) {       /* live: the feeds are opened knowing where the demand is */
        s->depth = calloc(1, sizeof *s->depth);
        if (!s->depth) {
            snprintf(err, err_len, "out of memory");
            return -1;
        }
        s->vopt.depth = s->depth;
    }
    s->n_endpoints = o->n_endpoints < VENUE_MAX ? o->n_endpoints : VENUE_MAX;
    memcpy(s->endpoints, o->endpoints, sizeof s->endpoints);
    if (open_engine(s, o, err, err_len))
        return -1;
    s->stage = 4;
    if (s->depth)
        depth_setup(s);
    if (o->alerts && (spsc_init(&s->alert_q, sizeof(struct alert_event), ALERT_QUEUE) ||
                      spsc_init(&s->inbox, sizeof(struct engine_event), INBOX_QUEUE))) {
        snprintf(err, err_len, "out of memory");
        return -1;
    }
    if (o->warm_play > 0)
        session_warm(s, o->warm_play);   /* before the stored state, which is newer */
    if (o->ack_stream)
        store_set_ack_stream(s->store, o->ack_stream);
    if (o->retention)
        store_set_retention(s->store, o->retention);
    if (store_restore(s->store, s->engine, RESTORE_CANDLES)) {
        snprintf(err, err_len, "%s: cannot read stored state", o->db);
        return -1;
    }
    if (store_start(s->store, &s->records)) {
        snprintf(err, err_len, "cannot start the store thread");
        return -1;
    }
    s->stage = 5;
    struct engine_thread_extras x = { .snap_fill = snap_fill, .snap_gen = snap_gen, .ctx = s,
                                      .ack = store_ack(s->store), .records = &s->records };
    if (o->alerts) {
        engine_set_alerts(s->engine, &s->alert_q);
        struct alert_probes pr = { .feed_silence_s = feed_silence, .storage_failing = storage_failing, .ctx = s };
        s->alerts = alert_dispatcher_start(o->alerts, &s->alert_q, &pr);
        if (!s->alerts) {
            snprintf(err, err_len, "cannot start the alert dispatcher");
            return -1;
        }
        x.inbox = &s->inbox;
        if (o->webhook && o->webhook->listen && !(s->webhook = webhook_start(o->webhook, &s->inbox, err, err_len)))
            return -2;
    }
    x.markets = s->market;
    x.n_markets = &s->n_feeds;
    if (engine_thread_start_ex(&s->et, s->engine, &s->market[0], &s->commands, &x)) {
        snprintf(err, err_len, "cannot start the engine thread");
        return -1;
    }
    s->stage = 6;
    if (start_feeds(s, o, err, err_len))
        return -1;
    s->stage = 7;
    return 0;
}

/* The running feed of a symbol's venue; NULL with the reason in err. */
static struct session_venue *live_feed_for(struct session *s, const char *symbol, bool open, const char *what,
                                          struct symbol_id *id, char *err, size_t err_len)
{
    char canon[SYMBOL_MAX];
    if (s->stage < 7)
        snprintf(err, err_len, "%s: the session is not running", what);
    else if (s->lister)
        snprintf(err, err_len, "works with live data; the demo replays a fixed set of symbols");
    else if (venue_symbol_canonical(symbol, canon, err, err_len) == 0) {
        const struct venue *v = venue_of(canon);
        symbol_id_split(canon, id);
        struct session_venue *sf = open ? open_feed(s, v, err, err_len) : feed_of(s, v);
        if (!sf && !open)
            snprintf(err, err_len, "%s: no %s symbol in this session", canon, v->name);
        if (!sf)
            return NULL;
        if (!v->add || !v->del) {
            snprintf(err, err_len, "%s: %s has a fixed set of symbols", what, v->name);
            return NULL;
        }
        if (!atomic_load(&sf->started)) {
            if (v->start(sf->f, NULL, NULL, 0, &s->market[sf - s->feeds], err, err_len))
                return NULL;
            atomic_store(&sf->started, true);
        }
        return sf;
    }
    return NULL;
}

/* A symbol into or out of its venue's feed. The console (:add, :del) and the
 * store feed's thread (switch_source) both ask: one at a time. */
static int symbol_op(struct session *s, const char *symbol, bool add, const char *what, char *err, size_t err_len)
{
    struct symbol_id id;
    pthread_mutex_lock(&s->symbols_lock);
    struct session_venue *sf = live_feed_for(s, symbol, add, what, &id, err, err_len);
    int rc = !sf ? -1 : add ? sf->v->add(sf->f, id.symbol, err, err_len) : sf->v->del(sf->f, id.symbol, err, err_len);
    pthread_mutex_unlock(&s->symbols_lock);
    return rc;
}

/* A symbol into or out of the watching store feed (open_watch): 0, or -1 with err. */
static int watch_op(struct session *s, const char *symbol, bool add, char *err, size_t err_len)
{
    char canon[SYMBOL_MAX];
    struct session_venue *sf = feed_of(s, &store_feed_venue);
    if (!sf || venue_symbol_canonical(symbol, canon, err, err_len))
        return -1;
    return add ? sf->v->add(sf->f, canon, err, err_len) : sf->v->del(sf->f, canon, err, err_len);
}

/* Watching the store, an added symbol is collected by the console until a
 * collector holds it, a removed one leaves the store feed too (it may be read
 * from there alone: no exchange feed of its venue in the session). */
int session_add_symbol(struct session *s, const char *symbol, char *err, size_t err_len)
{
    int rc = symbol_op(s, symbol, true, ":add", err, err_len);
    if (rc == 0 && s->watch_store && watch_op(s, symbol, true, err, err_len))
        log_warn("session: %s is not watched for a collector: %s", symbol, err);
    return rc;
}

int session_del_symbol(struct session *s, const char *symbol, char *err, size_t err_len)
{
    int rc = symbol_op(s, symbol, false, ":del", err, err_len);
    if (s->watch_store && s->stage >= 7 && watch_op(s, symbol, false, err, err_len) == 0)
        rc = 0;
    return rc;
}

/* The store feed's switch (store_feed.h): a symbol whose collector ended comes
 * from its exchange (added to that venue's feed, which back-fills it), and
 * leaves it when a collector writes it again. */
static int switch_source(void *ctx, const char *symbol, bool to_store)
{
    struct session *s = ctx;
    char err[300];
    int rc = symbol_op(s, symbol, !to_store, to_store ? "back to the store" : "collecting here", err, sizeof err);
    if (rc)
        log_warn("session: %s %s: %s", to_store ? "reading from the store again" : "collecting", symbol, err);
    return rc;
}

int session_clock(struct session *s, int op, double value, struct venue_clock *out, char *err, size_t err_len)
{
    int n = atomic_load(&s->n_feeds);
    for (int i = 0; i < n; i++) {
        struct session_venue *sf = &s->feeds[i];
        if (!sf->v->clock || !atomic_load(&sf->started))
            continue;
        if (sf->v->clock(sf->f, VENUE_CLOCK_GET, 0, out))
            break;
        if (out->finished && op != VENUE_CLOCK_GET) {
            snprintf(err, err_len, "the replay has finished: every bundled candle has been played");
            return -1;
        }
        return sf->v->clock(sf->f, op, value, out);
    }
    snprintf(err, err_len, "time control works on a replay (the demo); live data runs in real time");
    return -1;
}

bool session_finished(struct session *s)
{
    int n = atomic_load(&s->n_feeds), ends = 0, done = 0;
    for (int i = 0; i < n; i++) {
        struct session_venue *sf = &s->feeds[i];
        struct venue_clock c;
        if (!sf->v->clock || !atomic_load(&sf->started))
            continue;
        ends++;
        done += sf->v->clock(sf->f, VENUE_CLOCK_GET, 0, &c) == 0 && c.finished;
    }
    return ends > 0 && done == ends;
}

#define NOTE_SERIES_MAX 64     /* symbols whose series the stop notes in the log */

/* A console watching the store notes at its stop what its engine holds of each
 * symbol's 1m series: candles, span, the minutes missing inside it and the sum
 * of the closes (to compare with the exchange's), since the series may have
 * come from the exchange and the store in turn. The engine has stopped. */
static void note_series(struct session *s)
{
    int n = engine_symbol_count(s->engine);
    for (int i = 0; i < n && i < NOTE_SERIES_MAX; i++) {
        const struct series *ser = engine_series(s->engine, i, TF_1M);
        if (ser->len == 0)
            continue;
        int64_t first = series_at(ser, 0)->open_time, last = series_at(ser, ser->len - 1)->open_time;
        double sum = 0;
        long long unordered = 0;              /* not after the candle before it: a duplicate */
        for (size_t k = 0; k < ser->len; k++) {
            sum += series_at(ser, k)->close;
            unordered += k > 0 && series_at(ser, k)->open_time <= series_at(ser, k - 1)->open_time;
        }
        long long missing = (long long)((last - first) / 60000 + 1) - (long long)ser->len + unordered;
        log_info("session: %s 1m series at stop: %zu candles, %lld to %lld, %lld missing, %lld duplicate, "
                 "closes sum %.10g", engine_symbol_name(s->engine, i), ser->len, (long long)first, (long long)last,
                 missing, unordered, sum);
    }
}

static int ms_left(int64_t deadline)
{
    int64_t ms = (deadline - clock_mono_ns()) / 1000000;
    return ms > 0 ? (int)ms : 0;
}

void session_stop(struct session *s)
{
    int64_t t0 = clock_mono_ns(), deadline = t0 + (int64_t)STOP_DEADLINE_MS * 1000000;
    /* the webhook winds down while the rest stops */
    webhook_stop_begin(s->webhook);
    /* the threads end; freed last (the dispatcher may still ask). The store feed
     * first: it may hand a symbol to an exchange feed (switch_source) until then */
    for (int i = 0; i < atomic_load(&s->n_feeds); i++)
        if (s->feeds[i].v == &store_feed_venue)
            s->feeds[i].v->stop(s->feeds[i].f);
    int nf = atomic_load(&s->n_feeds);
    for (int i = 0; i < nf; i++)
        if (s->feeds[i].v->stop && s->feeds[i].v != &store_feed_venue)
            s->feeds[i].v->stop(s->feeds[i].f);
    /* The engine thread reads the webhook server and the alert dispatcher while it
     * publishes (snap_fill, snap_gen): both outlive it. It drains its queues and
     * joins first; then the webhook thread is joined, and what it queued meanwhile
     * is stepped here (the engine has no other thread left), so no accepted alert
     * is lost. Only then are the objects freed. The alert senders deliver until
     * the shared deadline, then are cut off. */
    if (s->stage >= 6) {
        engine_thread_stop(&s->et);
        if (s->watch_store)
            note_series(s);
    }
    bool inbox_free = webhook_stop_within(s->webhook, ms_left(deadline));
    s->webhook = NULL;
    if (s->stage >= 6) {
        struct engine_event ev;
        while (spsc_pop(&s->inbox, &ev))
            engine_step(s->engine, &ev);
    }
    alert_dispatcher_stop(s->alerts, ms_left(deadline));
    s->alerts = NULL;
    if (s->engine && engine_alerts_dropped(s->engine))
        log_warn("session: %llu alerts dropped (queue full)", (unsigned long long)engine_alerts_dropped(s->engine));
    if (s->stage >= 5)
        store_stop(s->store);
    if (s->engine && engine_records_dropped(s->engine))
        log_warn("session: %llu storage records dropped (queue full)",
                 (unsigned long long)engine_records_dropped(s->engine));
    if (s->stage >= 4)
        engine_destroy(s->engine);
    if (s->stage >= 3)
        store_close(s->store);
    if (s->stage >= 2) {
        for (int i = 0; i < s->n_market; i++)
            spsc_free(&s->market[i]);
        s->n_market = 0;
        spsc_free(&s->commands);
        spsc_free(&s->records);
        spsc_free(&s->alert_q);
        if (inbox_free)                /* else a webhook thread that would not stop may still push */
            spsc_free(&s->inbox);
    }
    for (int i = 0; i < nf; i++)       /* also after a failed open or start */
        s->feeds[i].v->close(s->feeds[i].f);
    atomic_store(&s->n_feeds, 0);
    if (s->stage >= 2)
        log_info("session: stopped in %.0f ms", (double)(clock_mono_ns() - t0) / 1e6);
    free(s->depth);
    s->depth = NULL;
    s->stage = 0;
    pthread_mutex_destroy(&s->symbols_lock);
}
