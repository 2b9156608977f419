/* The store venue: a collector's candles and signals read from the database
 * (store_feed.h). */
#include "alphapulse/store_feed.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "alphapulse/clock.h"
#include "alphapulse/event.h"
#include "alphapulse/log.h"
#include "alphapulse/session.h"
#include "alphapulse/store.h"
#include "alphapulse/symtab.h"

#define READ_MAX 1000                /* candles read per symbol per pass */
#define ACCOUNTS_MAX 8               /* collectors' accounts whose signals are read */
#define ACCOUNTS_EVERY_MS 5000       /* how often the collectors' accounts are asked again */
#define SHOWN_MAX 512                /* ids of the signals handed on lately */
#define SWITCH_LOOK_MS 500           /* how often the collectors' hold on the symbols is looked at */
/* A symbol's collector must stay gone this long before the console collects it
 * itself: a standby collector asks for a free instrument every FAILOVER_PASS_MS
 * (500 ms) and takes it over in that time. */
#define SWITCH_GRACE_MS 2000

struct store_feed {
    struct venue_feed base;
    char db[1024];
    int n;
    char (*sym)[SYMBOL_MAX];                  /* canonical names */
    int64_t *next;                            /* the open time of the next candle wanted */
    /* the collectors' signals: rows changed since sig_since[i] (-1: the open ones
     * not read yet), of the accounts collectors run on */
    int64_t *sig_since;
    char accounts[ACCOUNTS_MAX][STORE_ACCOUNT_MAX + 1];
    int n_accounts;
    int64_t accounts_at;                      /* monotonic ms of the last look at them */
    uint64_t shown[SHOWN_MAX];                /* a ring: a re-read new row is not handed on twice */
    uint64_t n_shown;                         /* handed on in all (the ring holds the last SHOWN_MAX) */
    int cur;                                  /* the symbol being read (sig_row's context) */
    bool stopped;                             /* a push gave up: the feed is stopping */
    /* switching: a symbol whose collector ended is collected by the console
     * itself (here[i]) until a collector holds it again */
    bool *here, *held;                        /* held: scratch for look_at_collectors */
    int64_t *gone_since;                      /* monotonic ms its collector was first seen gone; 0: held */
    int64_t looked_at;
    store_feed_switch_fn on_switch;
    void *switch_ctx;
    struct spsc *out;
    struct store_watch *w;
    struct candle *buf;
    struct kline_event *formed;               /* the forming row handed on last, per symbol */
    struct symtab forming_ix;                 /* canonical symbol -> index, for the forming rows */
    int64_t minute;                           /* the wall clock's minute at this read of them */
    pthread_t thread;
    bool running;
    atomic_bool stop;
};

int store_feed_collected(const char *db, const char *list, char *out, size_t n)
{
    out[0] = 0;
    const char *want = list && *list ? list : SESSION_DEFAULT_SYMBOLS;
    int max = 1;
    for (const char *c = want; *c; c++)
        max += *c == ',';
    char err[300], (*names)[SYMBOL_MAX] = malloc((size_t)max * sizeof *names);
    bool *held = malloc((size_t)max * sizeof *held);
    int k = names && held ? session_parse_symbols(want, names, max, err, sizeof err) : -1, count = 0;
    if (k > 0 && store_collected(db, (const char (*)[SYMBOL_MAX])names, k, held, err, sizeof err)) {
        log_warn("%s; every symbol from the exchange", err);
        k = 0;
    }
    size_t used = 0;
    for (int i = 0; i < k && used < n; i++)
        if (held[i]) {
            used += (size_t)snprintf(out + used, n - used, "%s%s", count ? "," : "", names[i]);
            count++;
        }
    free(names);
    free(held);
    return count;
}

static bool push(struct store_feed *f, const struct engine_event *ev)
{
    while (!spsc_push(f->out, ev))
        if (atomic_load(&f->stop))
            return false;
        else
            nanosleep(&(struct timespec){ 0, 1000000 }, NULL);
    return true;
}

/* The new closed 1m candles of every symbol into the queue; history on the
 * first pass (the catch-up since the last stored candle the console had). */
static void read_new(struct store_feed *f, bool history)
{
    for (int i = 0; i < f->n && !atomic_load(&f->stop); i++) {
        if (f->here[i])
            continue;
        int got;
        do {
            got = store_watch_candles(f->w, f->sym[i], f->next[i], f->buf, READ_MAX);
            for (int j = 0; j < got; j++) {
                struct engine_event ev = { .type = EE_KLINE };
                struct kline_event *k = &ev.u.k;
                memcpy(k->symbol, f->sym[i], SYMBOL_MAX);
                k->tf = TF_1M;
                k->closed = true;
                k->stored = true;
                k->history = history;
                k->c = f->buf[j];
                k->event_time = k->c.open_time + 60000 - 1;
                if (!push(f, &ev))
                    return;
                f->next[i] = k->c.open_time + 60000;
            }
        } while (got == READ_MAX);
    }
}

/* One collector's forming row: handed on as a live feed's forming update
 * (EE_KLINE, not closed) when it is one of this feed's symbols read from the
 * store, for the minute after the last closed candle handed on, not from before
 * the last minute by the wall clock (its collector was killed and left it
 * behind), and not read before. */
static void forming_row(void *ctx, const char *symbol, const struct candle *c, int64_t updated)
{
    struct store_feed *f = ctx;
    int i = symtab_get(&f->forming_ix, symbol);
    if (i < 0 || f->here[i] || f->stopped || (f->next[i] && c->open_time != f->next[i]) ||
        c->open_time < f->minute - 60000)
        return;
    const struct kline_event *was = &f->formed[i];
    if (c->open_time == was->c.open_time && updated == was->event_time && c->close == was->c.close &&
        c->high == was->c.high && c->low == was->c.low && c->volume == was->c.volume)
        return;
    struct engine_event ev = { .type = EE_KLINE };
    struct kline_event *k = &ev.u.k;
    memcpy(k->symbol, f->sym[i], SYMBOL_MAX);
    k->tf = TF_1M;
    k->stored = true;
    k->c = *c;
    k->event_time = updated;
    f->formed[i] = *k;
    f->stopped = !push(f, &ev);
}

static void read_forming(struct store_feed *f)
{
    f->minute = clock_wall_ms() / 60000 * 60000;
    store_watch_forming(f->w, forming_row, f);
}

static bool shown(const struct store_feed *f, uint64_t id)
{
    int n = f->n_shown < SHOWN_MAX ? (int)f->n_shown : SHOWN_MAX;
    for (int k = 0; k < n; k++)
        if (f->shown[k] == id)
            return true;
    return false;
}

/* One signals row of a collector: to the engine, which shows it (signal_mirror),
 * marked first the first time its id is read. The read is from the last
 * change's time on (>=), so a row may come twice: only a change matters then. */
static void sig_row(void *ctx, int tf, int64_t updated, const struct record_signal *r)
{
    struct store_feed *f = ctx;
    int i = f->cur;
    if (updated > f->sig_since[i])
        f->sig_since[i] = updated;
    if (f->stopped)
        return;
    bool first = !shown(f, r->id);
    if (first)
        f->shown[f->n_shown++ % SHOWN_MAX] = r->id;
    else if (r->state == SIGNAL_NEW && r->outcome == OUTCOME_OPEN)
        return;                               /* read again unchanged */
    struct engine_event ev = { .type = EE_SIGNAL };
    memcpy(ev.u.sig.symbol, f->sym[i], SYMBOL_MAX);
    ev.u.sig.tf = tf;
    ev.u.sig.first = first;
    ev.u.sig.s = *r;
    f->stopped = !push(f, &ev);
}

/* The collectors' accounts, asked again every ACCOUNTS_EVERY_MS. */
static void refresh_accounts(struct store_feed *f)
{
    int64_t now = clock_mono_ms();
    if (f->accounts_at && now - f->accounts_at < ACCOUNTS_EVERY_MS)
        return;
    f->accounts_at = now;
    char err[300];
    int n = store_watch_collector_accounts(f->w, f->accounts, ACCOUNTS_MAX, err, sizeof err);
    if (n < 0)
        log_warn("store feed: %s; the collectors' signals are read again later", err);
    else
        f->n_accounts = n;
}

/* The collectors' signals of every symbol changed since the last read (the
 * open ones on the first), after the candles they were made on. */
static void read_signals(struct store_feed *f)
{
    refresh_accounts(f);
    for (int i = 0; i < f->n && !f->stopped && !atomic_load(&f->stop); i++) {
        if (f->here[i])
            continue;
        f->cur = i;
        int64_t since = f->sig_since[i];      /* the same for every account */
        bool first = since < 0;
        for (int a = 0; a < f->n_accounts; a++)
            store_watch_signals(f->w, f->sym[i], f->accounts[a], since, sig_row, f);
        /* from the newest candle on: an older change is history the open ones hold
         * (with no collector's account known yet, the open ones are read later) */
        int64_t floor = f->next[i] > 60000 ? f->next[i] - 60000 : 0;
        if (first && f->n_accounts > 0 && f->sig_since[i] < floor)
            f->sig_since[i] = floor;
    }
}

/* The header's word on the feed: how many symbols come from a collector, and
 * which the console collects itself because theirs ended. */
static void say_state(struct store_feed *f)
{
    struct engine_event ev = { .type = EE_FEED_STATE };
    int from = 0;
    for (int i = 0; i < f->n; i++)
        from += !f->here[i];
    int len = snprintf(ev.u.state, sizeof ev.u.state, "store: %d symbol%s from a collector", from,
                       from == 1 ? "" : "s");
    for (int i = 0, k = 0; i < f->n && len > 0 && (size_t)len < sizeof ev.u.state; i++)
        if (f->here[i])
            len += snprintf(ev.u.state + len, sizeof ev.u.state - (size_t)len, "%s%s", k++ ? "," : "; collects ",
                            f->sym[i]);
    f->stopped |= !push(f, &ev);
}

/* Every SWITCH_LOOK_MS: a symbol whose collector is gone (its lock free) for
 * SWITCH_GRACE_MS is handed to the exchange (on_switch), one a collector holds
 * again comes back to the store, read from the last candle this feed gave. */
static void look_at_collectors(struct store_feed *f)
{
    int64_t now = clock_mono_ms();
    if (!f->on_switch || now - f->looked_at < SWITCH_LOOK_MS)
        return;
    f->looked_at = now;
    bool *held = f->held;
    if (store_watch_collected(f->w, (const char (*)[SYMBOL_MAX])f->sym, f->n, held))
        return;                               /* not known now: nothing changes */
    bool changed = false;
    for (int i = 0; i < f->n; i++) {
        if (held[i])
            f->gone_since[i] = 0;
        else if (!f->gone_since[i])
            f->gone_since[i] = now;
        bool gone = !held[i] && now - f->gone_since[i] >= SWITCH_GRACE_MS;
        if (gone == f->here[i] || f->on_switch(f->switch_ctx, f->sym[i], !gone))
            continue;                         /* unchanged, or the session could not yet: next look */
        f->here[i] = gone;
        changed = true;
        if (gone)
            log_info("store feed: %s has no collector any more; the console collects it from the exchange, "
                     "back-filling from its last candle", f->sym[i]);
        else
            log_info("store feed: a collector writes %s again; the console reads it from the database", f->sym[i]);
    }
    if (changed)
        say_state(f);
}

static void *run(void *arg)
{
    struct store_feed *f = arg;
    say_state(f);
    read_new(f, true);
    read_forming(f);
    read_signals(f);
    while (!atomic_load(&f->stop) && !f->stopped) {
        store_watch_wait(f->w, STORE_FEED_POLL_MS);   /* a commit, or a second without one */
        look_at_collectors(f);
        read_new(f, false);
        read_forming(f);
        read_signals(f);
    }
    return NULL;
}

void store_feed_on_switch(struct venue_feed *vf, store_feed_switch_fn fn, void *ctx)
{
    struct store_feed *f = (struct store_feed *)vf;
    f->on_switch = fn;
    f->switch_ctx = ctx;
}

static struct venue_feed *sf_open(const struct venue *v, const struct venue_options *o, char *err, size_t err_len)
{
    struct store_feed *f = calloc(1, sizeof *f);
    if (!f || !(f->buf = calloc(READ_MAX, sizeof *f->buf))) {
        free(f);
        snprintf(err, err_len, "out of memory");
        return NULL;
    }
    f->base.v = v;
    snprintf(f->db, sizeof f->db, "%s", o->store_db ? o->store_db : "");
    return &f->base;
}

static int sf_start(struct venue_feed *vf, const char (*symbols)[SYMBOL_MAX], const int64_t *last_closed, int n,
                    struct spsc *out, char *err, size_t err_len)
{
    struct store_feed *f = (struct store_feed *)vf;
    size_t k = n > 0 ? (size_t)n : 1;
    if (!(f->sym = calloc(k, sizeof *f->sym)) || !(f->next = calloc(k, sizeof *f->next)) ||
        !(f->sig_since = calloc(k, sizeof *f->sig_since)) || !(f->here = calloc(k, sizeof *f->here)) ||
        !(f->held = calloc(k, sizeof *f->held)) || !(f->gone_since = calloc(k, sizeof *f->gone_since))) {
        snprintf(err, err_len, "out of memory");
        return -1;
    }
    f->n = n;
    for (int i = 0; i < f->n; i++) {
        memcpy(f->sym[i], symbols[i], SYMBOL_MAX);
        f->next[i] = last_closed && last_closed[i] >= 0 ? last_closed[i] + 60000 : 0;
        f->sig_since[i] = -1;
    }
    symtab_init(&f->forming_ix);
    bool indexed = (f->formed = calloc(k, sizeof *f->formed)) != NULL;
    for (int i = 0; indexed && i < f->n; i++) {
        char canon[SYMBOL_MAX];
        store_symbol_canonical(f->sym[i], canon, sizeof canon);
        indexed = symtab_put(&f->forming_ix, canon, i) == 0;
    }
    if (!indexed) {
        snprintf(err, err_len, "out of memory");
        return -1;
    }
    f->out = out;
    if (!(f->w = store_watch_open(f->db, err, err_len)))
        return -1;
    if (pthread_create(&f->thread, NULL, run, f)) {
        snprintf(err, err_len, "cannot start the store feed");
        return -1;
    }
    f->running = true;
    return 0;
}

static void sf_stop(struct venue_feed *vf)
{
    struct store_feed *f = (struct store_feed *)vf;
    atomic_store(&f->stop, true);
    if (f->running)
        pthread_join(f->thread, NULL);
    f->running = false;
}

static void sf_close(struct venue_feed *vf)
{
    struct store_feed *f = (struct store_feed *)vf;
    store_watch_close(f->w);
    free(f->buf);
    free(f->sym);
    free(f->next);
    free(f->sig_since);
    free(f->here);
    free(f->held);
    free(f->gone_since);
    free(f->formed);
    symtab_free(&f->forming_ix);
    free(f);
}

const struct venue store_feed_venue = {
    .name = "store", .market = "a collector's candles", .open = sf_open, .start = sf_start, .stop = sf_stop,
    .close = sf_close,
};
