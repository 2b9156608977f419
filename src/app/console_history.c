/* The chart's older candles, read from the session's database off the UI
 * thread: the UI asks for a page (app_console_history_ask), a short-lived
 * worker reads it with store_read_candles_before on a read-only connection of
 * its own, and the answer waits in a one-page mailbox the UI polls on every
 * turn of its loop. One read at a time, as with :export (console_export.c). */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alphapulse/app.h"
#include "alphapulse/clock.h"
#include "alphapulse/log.h"
#include "alphapulse/store.h"

struct console_history {
    pthread_mutex_t lock;
    pthread_cond_t idle;
    bool running, full, joinable;
    pthread_t worker;
    char db[1024];
    struct ui_older page;          /* the request, then its answer */
};

static void *history_worker(void *arg)
{
    struct console_history *h = arg;
    struct ui_older pg = h->page;  /* the request: only this thread touches the page while running */
    char err[sizeof pg.msg] = "";
    int64_t t0 = clock_mono_ms();
    pg.c = malloc(sizeof *pg.c * (size_t)pg.max);
    if (!pg.c) {
        pg.n = -1;
        snprintf(pg.msg, sizeof pg.msg, "older candles: out of memory");
    } else {
        pg.n = store_read_candles_before(h->db, pg.symbol, pg.tf, pg.before, pg.max, pg.c, err, sizeof err);
        if (pg.n < 0) {
            snprintf(pg.msg, sizeof pg.msg, "%s", err);
            log_error("chart: older candles of %s %s: %s", pg.symbol, tf_name(pg.tf), err);
        } else {
            log_info("chart: %d older %s %s candles read in %ld ms", pg.n, pg.symbol, tf_name(pg.tf),
                     (long)(clock_mono_ms() - t0));
        }
    }
    if (pg.n <= 0) {
        free(pg.c);
        pg.c = NULL;
    }
    pthread_mutex_lock(&h->lock);
    h->page = pg;
    h->full = true;
    h->running = false;
    pthread_cond_broadcast(&h->idle);
    pthread_mutex_unlock(&h->lock);
    return NULL;
}

struct console_history *app_console_history_new(void)
{
    struct console_history *h = calloc(1, sizeof *h);
    if (!h)
        return NULL;
    pthread_mutex_init(&h->lock, NULL);
    pthread_cond_init(&h->idle, NULL);
    return h;
}

int app_console_history_ask(struct console_history *h, const char *db, const char *symbol, int tf, int64_t before,
                            int max)
{
    if (!db || !*db || max <= 0)
        return -1;
    pthread_mutex_lock(&h->lock);
    if (h->running || h->full) {   /* one read at a time; an answer not yet taken counts */
        pthread_mutex_unlock(&h->lock);
        return -1;
    }
    if (h->joinable) {
        pthread_join(h->worker, NULL);
        h->joinable = false;
    }
    snprintf(h->db, sizeof h->db, "%s", db);
    h->page = (struct ui_older){ .tf = tf, .max = max, .before = before };
    snprintf(h->page.symbol, sizeof h->page.symbol, "%s", symbol);
    int rc = pthread_create(&h->worker, NULL, history_worker, h);
    if (rc != 0) {
        pthread_mutex_unlock(&h->lock);
        log_error("chart: cannot start a thread for older candles: %s", strerror(rc));
        return -1;
    }
    h->joinable = true;
    h->running = true;
    pthread_mutex_unlock(&h->lock);
    return 0;
}

bool app_console_history_poll(struct console_history *h, struct ui_older *page)
{
    pthread_mutex_lock(&h->lock);
    bool got = h->full;
    if (got) {
        *page = h->page;
        h->page.c = NULL;          /* the UI's now */
        h->full = false;
    }
    pthread_mutex_unlock(&h->lock);
    return got;
}

bool app_console_history_close(struct console_history *h, int timeout_ms)
{
    if (!h)
        return true;
    struct timespec until = clock_deadline(timeout_ms);
    pthread_mutex_lock(&h->lock);
    int rc = 0;
    while (h->running && rc != ETIMEDOUT)
        rc = pthread_cond_timedwait(&h->idle, &h->lock, &until);
    bool idle = !h->running;
    pthread_mutex_unlock(&h->lock);
    if (!idle) {                   /* a read still waiting on the database: the process ends it */
        pthread_detach(h->worker);
        return false;
    }
    if (h->joinable)
        pthread_join(h->worker, NULL);
    free(h->page.c);
    pthread_cond_destroy(&h->idle);
    pthread_mutex_destroy(&h->lock);
    free(h);
    return true;
}
