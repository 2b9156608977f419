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
/* A symbol handed to the store is read from at most this far before the newest
 * stored candle: the engine already has what the console collected itself (it
 * drops a candle it has), and a symbol added at runtime has no older point. */
#define HANDOVER_BACK_MS (24 * 3600 * 1000LL)
#define PENDING_MAX 64               /* :add/:del not yet taken by the feed's thread */

/* One symbol of the feed. */
struct sf_symbol {
    char name[SYMBOL_MAX];                    /* canonical */
    int64_t next;                             /* the open time of the next candle wanted */
    /* the collectors' signals: rows changed since then (-1: the open ones not
     * read yet), of the accounts collectors run on */
    int64_t sig_since;
    /* switching: a symbol whose collector ended is collected by the console
     * itself (here) until a collector holds it again */
    bool here;
    int64_t gone_since;                       /* monotonic ms its collector was first seen gone; 0: held */
    struct kline_event formed;                /* the forming row handed on last */
};

struct store_feed {
    struct venue_feed base;
    char db[1024];
    int n, cap;
    struct sf_symbol *sym;
    char accounts[ACCOUNTS_MAX][STORE_ACCOUNT_MAX + 1];
    int n_accounts;
    int64_t accounts_at;                      /* monotonic ms of the last look at them */
    uint64_t shown[SHOWN_MAX];                /* a ring: a re-read new row is not handed on twice */
    uint64_t n_shown;                         /* handed on in all (the ring holds the last SHOWN_MAX) */
    int cur;                                  /* the symbol being read (sig_row's context) */
    bool stopped;                             /* a push gave up: the feed is stopping */
    /* look_at_collectors' scratch, room for cap symbols: their names, held or not */
    char (*names)[SYMBOL_MAX];
    bool *held;
    int64_t looked_at;
    int64_t read_at;                          /* monotonic ms of the last read of closed candles and signals */
    char look_failed[300];                    /* why the last look could not be made, said once */
    /* watching (store_feed_watch): the symbols no collector held at the start are
     * collected here until one does; the header hears of it once one has */
    bool watch, spoke;
    const char *collected;
    pthread_mutex_t pending_lock;             /* :add/:del from the console, taken by the feed's thread */
    struct { bool add; char sym[SYMBOL_MAX]; } pending[PENDING_MAX];
    int n_pending;
    store_feed_switch_fn on_switch;
    void *switch_ctx;
    struct spsc *out;
    struct store_watch *w;
    struct candle *buf;
    struct symtab forming_ix;                 /* canonical symbol -> index, for the forming rows */
    int64_t minute;                           /* the wall clock's minute at this read of them */
    pthread_t thread;
    bool running;
    atomic_bool stop;
    int stale_s;                              /* a collector not seen alive this long is gone (feed.failover_s) */
};

int store_feed_collected(const char *db, const char *list, int stale_s, char *out, size_t n)
{
    out[0] = 0;
    const char *want = list && *list ? list : SESSION_DEFAULT_SYMBOLS;
    int max = 1;
    for (const char *c = want; *c; c++)
        max += *c == ',';
    char err[300], (*names)[SYMBOL_MAX] = malloc((size_t)max * sizeof *names);
    bool *held = malloc((size_t)max * sizeof *held);
    int k = names && held ? session_parse_symbols(want, names, max, err, sizeof err) : -1, count = 0;
    if (k > 0 && store_collected(db, (const char (*)[SYMBOL_MAX])names, k, held, stale_s, err, sizeof err)) {
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
        if (f->sym[i].here)
            continue;
        int got;
        do {
            got = store_watch_candles(f->w, f->sym[i].name, f->sym[i].next, f->buf, READ_MAX);
            for (int j = 0; j < got; j++) {
                struct engine_event ev = { .type = EE_KLINE };
                struct kline_event *k = &ev.u.k;
                memcpy(k->symbol, f->sym[i].name, SYMBOL_MAX);
                k->tf = TF_1M;
                k->closed = true;
                k->stored = true;
                k->history = history;
                k->c = f->buf[j];
                k->event_time = k->c.open_time + 60000 - 1;
                if (!push(f, &ev))
                    return;
                f->sym[i].next = k->c.open_time + 60000;
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
    if (i < 0 || f->sym[i].here || f->stopped || (f->sym[i].next && c->open_time != f->sym[i].next) ||
        c->open_time < f->minute - 60000)
        return;
    const struct kline_event *was = &f->sym[i].formed;
    if (c->open_time == was->c.open_time && updated == was->event_time && c->close == was->c.close &&
        c->high == was->c.high && c->low == was->c.low && c->volume == was->c.volume)
        return;
    struct engine_event ev = { .type = EE_KLINE };
    struct kline_event *k = &ev.u.k;
    memcpy(k->symbol, f->sym[i].name, SYMBOL_MAX);
    k->tf = TF_1M;
    k->stored = true;
    k->c = *c;
    k->event_time = updated;
    f->sym[i].formed = *k;
    f->stopped = !push(f, &ev);
}

/* The symbols' index for their forming rows, made again after :add/:del. */
static bool index_forming(struct store_feed *f)
{
    symtab_free(&f->forming_ix);
    symtab_init(&f->forming_ix);
    for (int i = 0; i < f->n; i++) {
        char canon[SYMBOL_MAX];
        store_symbol_canonical(f->sym[i].name, canon, sizeof canon);
        if (symtab_put(&f->forming_ix, canon, i))
            return false;
    }
    return true;
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
    if (updated > f->sym[i].sig_since)
        f->sym[i].sig_since = updated;
    if (f->stopped)
        return;
    bool first = !shown(f, r->id);
    if (first)
        f->shown[f->n_shown++ % SHOWN_MAX] = r->id;
    else if (r->state == SIGNAL_NEW && r->outcome == OUTCOME_OPEN)
        return;                               /* read again unchanged */
    struct engine_event ev = { .type = EE_SIGNAL };
    memcpy(ev.u.sig.symbol, f->sym[i].name, SYMBOL_MAX);
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
        if (f->sym[i].here)
            continue;
        f->cur = i;
        int64_t since = f->sym[i].sig_since;      /* the same for every account */
        bool first = since < 0;
        for (int a = 0; a < f->n_accounts; a++)
            store_watch_signals(f->w, f->sym[i].name, f->accounts[a], since, sig_row, f);
        /* from the newest candle on: an older change is history the open ones hold
         * (with no collector's account known yet, the open ones are read later) */
        int64_t floor = f->sym[i].next > 60000 ? f->sym[i].next - 60000 : 0;
        if (first && f->n_accounts > 0 && f->sym[i].sig_since < floor)
            f->sym[i].sig_since = floor;
    }
}

/* The symbols whose here is `here` appended to out (len bytes used): open
 * before the first, "," between, close after them; as many as keep the text
 * within end bytes, the others counted ("A,B,+3"), never cut. The new length. */
static int say_list(const struct store_feed *f, bool here, const char *open, const char *close, char *out,
                    int len, int end)
{
    int k = 0, left = 0, room = end - len - (int)(strlen(open) + strlen(close)) - 4;   /* 4: "+NNN" */
    for (int i = 0; i < f->n; i++) {
        if (f->sym[i].here != here)
            continue;
        int w = (int)strlen(k ? "," : open) + (int)strlen(f->sym[i].name);
        if (left || w > room) {
            left++;
            continue;
        }
        len += snprintf(out + len, (size_t)(end + 1 - len), "%s%s", k++ ? "," : open, f->sym[i].name);
        room -= w;
    }
    if (left)
        len += snprintf(out + len, (size_t)(end + 1 - len), "%s+%d", k ? "," : open, left);
    if (k || left)
        len += snprintf(out + len, (size_t)(end + 1 - len), "%s", close);
    return len;
}

/* The header's word on the feed: how many symbols come from a collector, and
 * which the console collects itself because theirs ended, "store: 2 symbols
 * from a collector (A,B); collects C" (the header's short form, "db 2 (A,B);
 * own C", is read from it: src/ui/panels/header.c store_short). Lists too long
 * for the event end in a count ("A,B,+3"); the console's own list comes first. */
static void say_state(struct store_feed *f)
{
    struct engine_event ev = { .type = EE_FEED_STATE };
    int from = 0;
    for (int i = 0; i < f->n; i++)
        from += !f->sym[i].here;
    if (f->watch && !f->spoke && from == 0)
        return;                               /* no collector yet: the exchange feeds speak alone */
    f->spoke = true;
    char own[sizeof ev.u.state] = "";
    int end = (int)sizeof ev.u.state - 1;
    int len = snprintf(ev.u.state, sizeof ev.u.state, "store: %d symbol%s from a collector", from,
                       from == 1 ? "" : "s");
    int n_own = say_list(f, true, "; collects ", "", own, 0, end - len - 8);   /* 8: " (+NNN)" */
    len = say_list(f, false, " (", ")", ev.u.state, len, end - n_own);
    snprintf(ev.u.state + len, sizeof ev.u.state - (size_t)len, "%s", own);
    f->stopped |= !push(f, &ev);
}

/* Where a symbol handed to the store is read from: where this feed left it (or
 * the start's last stored candle), but no further back than HANDOVER_BACK_MS
 * before the newest stored candle. The candles the console has already are
 * dropped by its engine; the ones after them close the series without a hole. */
static int64_t handover_from(struct store_feed *f, int i)
{
    int64_t newest = store_watch_newest(f->w, f->sym[i].name);
    int64_t floor = newest > HANDOVER_BACK_MS ? newest - HANDOVER_BACK_MS : 0;
    return f->sym[i].next > floor ? f->sym[i].next : floor;
}

/* Every SWITCH_LOOK_MS: a symbol whose collector is gone (its lock free, or
 * held by a collector not seen alive for stale_s: hung) for
 * SWITCH_GRACE_MS is handed to the exchange (on_switch), one a collector holds
 * again comes back to the store, read from the last candle this feed gave. */
static bool look_at_collectors(struct store_feed *f)
{
    int64_t now = clock_mono_ms();
    if (!f->on_switch || now - f->looked_at < SWITCH_LOOK_MS)
        return false;
    f->looked_at = now;
    bool *held = f->held;
    char err[sizeof f->look_failed];
    for (int i = 0; i < f->n; i++)
        memcpy(f->names[i], f->sym[i].name, SYMBOL_MAX);
    if (store_watch_collected(f->w, (const char (*)[SYMBOL_MAX])f->names, f->n, held, f->stale_s, err, sizeof err)) {
        if (strcmp(err, f->look_failed) != 0)  /* not known now: nothing changes */
            log_warn("store feed: cannot look which symbols a collector writes: %s", err);
        memcpy(f->look_failed, err, sizeof err);
        return false;
    }
    f->look_failed[0] = 0;
    bool changed = false;
    for (int i = 0; i < f->n; i++) {
        if (held[i])
            f->sym[i].gone_since = 0;
        else if (!f->sym[i].gone_since)
            f->sym[i].gone_since = now;
        bool gone = !held[i] && now - f->sym[i].gone_since >= SWITCH_GRACE_MS;
        if (gone == f->sym[i].here || f->on_switch(f->switch_ctx, f->sym[i].name, !gone))
            continue;                         /* unchanged, or the session could not yet: next look */
        f->sym[i].here = gone;
        changed = true;
        if (!gone && f->sym[i].next == 0) {
            /* one :added a moment ago (nothing read yet) may be unknown to the
             * engine (the exchange feed had not checked it): made known from its name */
            struct engine_event ev = { .type = EE_INSTRUMENT };
            session_guess_instrument(&ev.u.inst, f->sym[i].name);
            f->stopped |= !push(f, &ev);
        }
        if (!gone)
            f->sym[i].next = handover_from(f, i);
        if (gone)
            log_info("store feed: %s has no collector any more; the console collects it from the exchange, "
                     "back-filling from its last candle", f->sym[i].name);
        else
            log_info("store feed: a collector writes %s; the console reads it from the database", f->sym[i].name);
    }
    if (changed)
        say_state(f);
    return changed;
}

static bool take_pending(struct store_feed *f);

static void *run(void *arg)
{
    struct store_feed *f = arg;
    say_state(f);
    read_new(f, true);
    read_forming(f);
    read_signals(f);
    while (!atomic_load(&f->stop) && !f->stopped) {
        int woke = store_watch_wait(f->w, STORE_FEED_POLL_MS);   /* a commit, or a second without one */
        bool moved = take_pending(f);
        moved |= look_at_collectors(f);
        /* only forming candles changed: closed candles and signals are read at
         * the next commit of theirs, or a second after they were last read */
        int64_t now = clock_mono_ms();
        bool all = woke != STORE_WATCH_FORMING || moved || now - f->read_at >= STORE_FEED_POLL_MS;
        if (all) {
            f->read_at = now;
            read_new(f, false);
        }
        read_forming(f);
        if (all)
            read_signals(f);
    }
    return NULL;
}

/* Room for k symbols, and the look's scratch for as many: false when out of memory. */
static bool reserve(struct store_feed *f, int k)
{
    if (k <= f->cap)
        return true;
    size_t cap = (size_t)(k > 2 * f->cap ? k : 2 * f->cap);
    struct sf_symbol *sym = realloc(f->sym, cap * sizeof *sym);
    if (sym)
        f->sym = sym;
    char (*names)[SYMBOL_MAX] = sym ? realloc(f->names, cap * sizeof *names) : NULL;
    if (names)
        f->names = names;
    bool *held = names ? realloc(f->held, cap * sizeof *held) : NULL;
    if (!held)
        return false;
    f->held = held;
    f->cap = (int)cap;
    return true;
}

/* :add/:del of the console (store_feed_add/del): an added symbol is collected by
 * the console until a collector holds it (the next look hands it over); a
 * removed one is not read any more. */
static bool take_pending(struct store_feed *f)
{
    pthread_mutex_lock(&f->pending_lock);
    bool changed = false;
    for (int p = 0; p < f->n_pending; p++) {
        const char *sym = f->pending[p].sym;
        int i = 0;
        while (i < f->n && strcmp(f->sym[i].name, sym) != 0)
            i++;
        if (f->pending[p].add && i == f->n && reserve(f, f->n + 1)) {
            f->sym[i] = (struct sf_symbol){ .sig_since = -1, .here = true,
                                            .gone_since = clock_mono_ms() - SWITCH_GRACE_MS };
            memcpy(f->sym[i].name, sym, SYMBOL_MAX);
            f->n++;
            f->looked_at = 0;                 /* look at once whether a collector holds it */
            changed = true;
        } else if (!f->pending[p].add && i < f->n) {
            memmove(&f->sym[i], &f->sym[i + 1], (size_t)(f->n - i - 1) * sizeof *f->sym);
            f->n--;
            changed = true;
        }
    }
    f->n_pending = 0;
    pthread_mutex_unlock(&f->pending_lock);
    if (changed && !index_forming(f))
        log_warn("store feed: out of memory; forming candles are not shown");
    if (changed)
        say_state(f);
    return changed;
}

static int sf_symbol_op(struct venue_feed *vf, bool add, const char *symbol, char *err, size_t err_len)
{
    struct store_feed *f = (struct store_feed *)vf;
    pthread_mutex_lock(&f->pending_lock);
    bool room = f->n_pending < PENDING_MAX;
    if (room) {
        f->pending[f->n_pending].add = add;
        snprintf(f->pending[f->n_pending++].sym, SYMBOL_MAX, "%s", symbol);
    }
    pthread_mutex_unlock(&f->pending_lock);
    if (!room)
        snprintf(err, err_len, "%s: the store feed is busy; try again", symbol);
    return room ? 0 : -1;
}

static int sf_add(struct venue_feed *vf, const char *symbol, char *err, size_t err_len)
{
    return sf_symbol_op(vf, true, symbol, err, err_len);
}

static int sf_del(struct venue_feed *vf, const char *symbol, char *err, size_t err_len)
{
    return sf_symbol_op(vf, false, symbol, err, err_len);
}

/* Is sym one of the comma-separated canonical names in list? */
static bool listed(const char *list, const char *sym)
{
    size_t len = strlen(sym);
    for (const char *p = list; p && *p;) {
        const char *end = strchr(p, ',');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        if (n == len && strncmp(p, sym, n) == 0)
            return true;
        p += n + (end ? 1 : 0);
    }
    return false;
}

void store_feed_watch(struct venue_feed *vf, const char *collected)
{
    struct store_feed *f = (struct store_feed *)vf;
    f->watch = true;
    f->collected = collected;
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
    pthread_mutex_init(&f->pending_lock, NULL);
    snprintf(f->db, sizeof f->db, "%s", o->store_db ? o->store_db : "");
    f->stale_s = o->store_stale_s;
    return &f->base;
}

static int sf_start(struct venue_feed *vf, const char (*symbols)[SYMBOL_MAX], const int64_t *last_closed, int n,
                    struct spsc *out, char *err, size_t err_len)
{
    struct store_feed *f = (struct store_feed *)vf;
    symtab_init(&f->forming_ix);
    if (!reserve(f, n > 0 ? n : 1)) {
        snprintf(err, err_len, "out of memory");
        return -1;
    }
    f->n = n;
    for (int i = 0; i < f->n; i++) {
        f->sym[i] = (struct sf_symbol){ 0 };
        memcpy(f->sym[i].name, symbols[i], SYMBOL_MAX);
        f->sym[i].next = last_closed && last_closed[i] >= 0 ? last_closed[i] + 60000 : 0;
        f->sym[i].sig_since = -1;
        f->sym[i].here = f->watch && !listed(f->collected, f->sym[i].name);
        if (f->sym[i].here)
            f->sym[i].gone_since = clock_mono_ms() - SWITCH_GRACE_MS;   /* no collector: none to wait for */
    }
    if (!index_forming(f)) {
        snprintf(err, err_len, "out of memory");
        return -1;
    }
    f->out = out;
    if (!(f->w = store_watch_open(f->db, err, err_len))) {
        if (!f->watch || (f->collected && *f->collected))
            return -1;
        /* only watching: the console collects everything itself, as without a store feed */
        log_warn("store feed: %s; a collector started later is not noticed", err);
        return 0;
    }
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
    free(f->names);
    free(f->held);
    pthread_mutex_destroy(&f->pending_lock);
    symtab_free(&f->forming_ix);
    free(f);
}

const struct venue store_feed_venue = {
    .name = "store", .market = "a collector's candles", .open = sf_open, .start = sf_start, .stop = sf_stop,
    .close = sf_close, .add = sf_add, .del = sf_del,
};
