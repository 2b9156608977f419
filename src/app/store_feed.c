/* The store venue: a collector's candles read from the database (store_feed.h). */
#include "alphapulse/store_feed.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "alphapulse/event.h"
#include "alphapulse/log.h"
#include "alphapulse/session.h"
#include "alphapulse/store.h"

#define READ_MAX 1000                /* candles read per symbol per pass */

struct store_feed {
    struct venue_feed base;
    char db[1024];
    int n;
    char sym[INSTRUMENTS_MAX][SYMBOL_MAX];     /* canonical names */
    int64_t next[INSTRUMENTS_MAX];            /* the open time of the next candle wanted */
    struct spsc *out;
    struct store_watch *w;
    struct candle *buf;
    pthread_t thread;
    bool running;
    atomic_bool stop;
};

int store_feed_collected(const char *db, const char *list, char *out, size_t n)
{
    out[0] = 0;
    char names[INSTRUMENTS_MAX][SYMBOL_MAX], err[300];
    bool held[INSTRUMENTS_MAX];
    int k = session_parse_symbols(list && *list ? list : SESSION_DEFAULT_SYMBOLS, names, INSTRUMENTS_MAX, err,
                                  sizeof err);
    if (k <= 0)
        return 0;
    if (store_collected(db, (const char (*)[SYMBOL_MAX])names, k, held, err, sizeof err)) {
        log_warn("%s; every symbol from the exchange", err);
        return 0;
    }
    int count = 0;
    size_t used = 0;
    for (int i = 0; i < k && used < n; i++)
        if (held[i]) {
            used += (size_t)snprintf(out + used, n - used, "%s%s", count ? "," : "", names[i]);
            count++;
        }
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

static void *run(void *arg)
{
    struct store_feed *f = arg;
    struct engine_event ev = { .type = EE_FEED_STATE };
    snprintf(ev.u.state, sizeof ev.u.state, "store: %d symbol%s from a collector", f->n, f->n == 1 ? "" : "s");
    push(f, &ev);
    read_new(f, true);
    while (!atomic_load(&f->stop)) {
        store_watch_wait(f->w, STORE_FEED_POLL_MS);   /* a commit, or a second without one */
        read_new(f, false);
    }
    return NULL;
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
    f->n = n < INSTRUMENTS_MAX ? n : INSTRUMENTS_MAX;
    for (int i = 0; i < f->n; i++) {
        memcpy(f->sym[i], symbols[i], SYMBOL_MAX);
        f->next[i] = last_closed && last_closed[i] >= 0 ? last_closed[i] + 60000 : 0;
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
    free(f);
}

const struct venue store_feed_venue = {
    .name = "store", .market = "a collector's candles", .open = sf_open, .start = sf_start, .stop = sf_stop,
    .close = sf_close,
};
