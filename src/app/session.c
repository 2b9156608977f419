/* Wiring of a session. Start order: data source, database, engine (restored from
 * the database), store thread, engine thread, feed. Stop runs it backwards,
 * draining each queue, so every record the engine produced reaches the disk.
 * The live feed starts after the restore so it knows each symbol's last stored
 * closed candle and back-fills from there. */
#include "alphapulse/session.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "alphapulse/app.h"
#include "alphapulse/instrument.h"
#include "alphapulse/log.h"
#include "alphapulse/record.h"
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
    if (atomic_load(&s->feed.finished))
        return -1;
    size_t pushed = atomic_load(&s->market.tail);
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

static void snap_fill(void *ctx, struct snapshot *snap)
{
    struct session *s = ctx;
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

static bool wanted(const char *list, const char *sym)
{
    if (!list || !*list)
        return true;
    size_t n = strlen(sym);
    for (const char *p = list; *p;) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len == n && strncasecmp(p, sym, n) == 0)
            return true;
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
        if (len == 0 || len >= SYMBOL_MAX) {
            snprintf(err, err_len, "--symbols %s: expected names of 1-%d letters/digits separated by commas",
                     list, SYMBOL_MAX - 1);
            return -1;
        }
        if (n == max) {
            snprintf(err, err_len, "--symbols: more than %d symbols", max);
            return -1;
        }
        for (size_t i = 0; i < len; i++) {
            if (!isalnum((unsigned char)p[i])) {
                snprintf(err, err_len, "--symbols %s: '%.*s' has a character other than A-Z 0-9", list,
                         (int)len, p);
                return -1;
            }
            out[n][i] = (char)toupper((unsigned char)p[i]);
        }
        out[n][len] = 0;
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

/* Base and quote until exchangeInfo says otherwise (it replaces these). */
static void guess_instrument(struct instrument *in, const char sym[SYMBOL_MAX])
{
    memset(in, 0, sizeof *in);
    memcpy(in->symbol, sym, SYMBOL_MAX);
    in->symbol[SYMBOL_MAX - 1] = 0;
    snprintf(in->market, sizeof in->market, "Binance spot");
    instrument_split(in->symbol, in);
}

/* Stage 1: where the symbols come from (into inst, which the feeds bound to
 * INSTRUMENTS_MAX; the engine itself has no fixed cap). */
static int open_source(struct session *s, const struct session_options *o, struct engine_config *cfg,
                       struct instrument inst[INSTRUMENTS_MAX], char *err, size_t err_len)
{
    cfg->n_symbols = 0;
    cfg->inst = inst;
    if (o->feed == SESSION_LIVE) {
        char names[INSTRUMENTS_MAX][SYMBOL_MAX];
        int n = session_parse_symbols(o->symbols && *o->symbols ? o->symbols : SESSION_DEFAULT_SYMBOLS, names,
                                      INSTRUMENTS_MAX, err, err_len);
        if (n < 0)
            return -1;
        for (int i = 0; i < n; i++)
            guess_instrument(&inst[cfg->n_symbols++], names[i]);
        return 0;
    }
    s->replay = replay_open(o->manifest, err, err_len);
    if (!s->replay)
        return -1;
    struct instrument all[INSTRUMENTS_MAX];
    int n = replay_symbols(s->replay, all, INSTRUMENTS_MAX);
    for (int i = 0; i < n; i++)
        if (wanted(o->symbols, all[i].symbol))
            inst[cfg->n_symbols++] = all[i];
    if (cfg->n_symbols == 0) {
        snprintf(err, err_len, "--symbols %s: none of these is in the demo data (%s)", o->symbols, o->manifest);
        return -1;
    }
    return 0;
}

static int start_feed(struct session *s, const struct session_options *o, char *err, size_t err_len)
{
    if (s->kind == SESSION_LIVE) {
        int n = engine_symbol_count(s->engine);
        char names[INSTRUMENTS_MAX][SYMBOL_MAX];
        int64_t last[INSTRUMENTS_MAX];
        if (n > INSTRUMENTS_MAX)
            n = INSTRUMENTS_MAX;      /* the live feed's own bound */
        for (int i = 0; i < n; i++) {
            snprintf(names[i], SYMBOL_MAX, "%s", engine_symbol_name(s->engine, i));
            last[i] = engine_last_closed(s->engine, i, TF_1M);
        }
        if (live_feed_start(&s->live, &o->live, (const char (*)[SYMBOL_MAX])names, last, n, &s->market,
                            err, err_len))
            return -1;
        log_info("session: live, %d symbols, db %s, REST %s, WS %s", n, o->db, o->live.rest_url, o->live.ws_url);
        return 0;
    }
    /* the replay resumes after what is stored, like a live feed after a restart */
    struct instrument all[INSTRUMENTS_MAX];
    int n = replay_symbols(s->replay, all, INSTRUMENTS_MAX), kept = 0;
    for (int i = 0; i < n; i++) {
        int sym = engine_symbol(s->engine, all[i].symbol);
        if (sym < 0) {
            replay_seek(s->replay, i, INT64_MAX);
            continue;
        }
        kept++;
        replay_seek(s->replay, i, engine_last_closed(s->engine, sym, TF_1M));
    }
    if (replay_feed_start(&s->feed, s->replay, &s->market, o->speed)) {
        snprintf(err, err_len, "cannot start the replay thread");
        return -1;
    }
    log_info("session: %d symbols, db %s, speed %g", kept, o->db, o->speed);
    return 0;
}

int session_start(struct session *s, const struct session_options *o, char *err, size_t err_len)
{
    memset(s, 0, sizeof *s);
    s->kind = o->feed;
    struct engine_config cfg = o->engine;
    struct instrument inst[INSTRUMENTS_MAX];
    s->stage = 1;
    if (open_source(s, o, &cfg, inst, err, err_len))
        return -1;
    if (spsc_init(&s->market, sizeof(struct engine_event), MARKET_QUEUE) ||
        spsc_init(&s->commands, sizeof(struct engine_event), COMMAND_QUEUE) ||
        spsc_init(&s->records, sizeof(struct record), RECORD_QUEUE)) {
        snprintf(err, err_len, "out of memory");
        return -1;
    }
    s->stage = 2;
    s->store = store_open(o->db, err, err_len);
    if (!s->store)
        return -1;
    s->stage = 3;
    s->engine = engine_create(&cfg, &s->records);
    if (!s->engine) {
        snprintf(err, err_len, "out of memory creating the engine");
        return -1;
    }
    s->stage = 4;
    if (o->alerts && (spsc_init(&s->alert_q, sizeof(struct alert_event), ALERT_QUEUE) ||
                      spsc_init(&s->inbox, sizeof(struct engine_event), INBOX_QUEUE))) {
        snprintf(err, err_len, "out of memory");
        return -1;
    }
    if (s->kind == SESSION_REPLAY && o->warm_play > 0)
        replay_warm(s->replay, s->engine, o->warm_play);   /* before the stored state, which is newer */
    if (o->ack_stream)
        store_set_ack_stream(s->store, o->ack_stream);
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
    if (engine_thread_start_ex(&s->et, s->engine, &s->market, &s->commands, &x)) {
        snprintf(err, err_len, "cannot start the engine thread");
        return -1;
    }
    s->stage = 6;
    if (start_feed(s, o, err, err_len))
        return -1;
    s->stage = 7;
    return 0;
}

int session_add_symbol(struct session *s, const char *symbol, char *err, size_t err_len)
{
    if (s->kind != SESSION_LIVE || s->stage < 7) {
        snprintf(err, err_len, ":add works on live data only (the demo has a fixed set of markets)");
        return -1;
    }
    return live_feed_add(&s->live, symbol, err, err_len);
}

int session_del_symbol(struct session *s, const char *symbol, char *err, size_t err_len)
{
    if (s->kind != SESSION_LIVE || s->stage < 7) {
        snprintf(err, err_len, ":del works on live data only");
        return -1;
    }
    return live_feed_del(&s->live, symbol, err, err_len);
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
    if (s->kind == SESSION_LIVE)
        live_feed_stop(&s->live);      /* also frees what a failed start left */
    else if (s->stage >= 7)
        replay_feed_stop(&s->feed);
    /* The engine thread reads the webhook server and the alert dispatcher while it
     * publishes (snap_fill, snap_gen): both outlive it. It drains its queues and
     * joins first; then the webhook thread is joined, and what it queued meanwhile
     * is stepped here (the engine has no other thread left), so no accepted alert
     * is lost. Only then are the objects freed. The alert senders deliver until
     * the shared deadline, then are cut off. */
    if (s->stage >= 6)
        engine_thread_stop(&s->et);
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
        spsc_free(&s->market);
        spsc_free(&s->commands);
        spsc_free(&s->records);
        spsc_free(&s->alert_q);
        if (inbox_free)                /* else a webhook thread that would not stop may still push */
            spsc_free(&s->inbox);
    }
    if (s->stage >= 1)
        replay_close(s->replay);
    if (s->stage >= 2)
        log_info("session: stopped in %.0f ms", (double)(clock_mono_ns() - t0) / 1e6);
    s->stage = 0;
}
