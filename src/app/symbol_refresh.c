/* The periodic re-ranking of top:N patterns (feed.top_refresh_s, hourly by
 * default). A thread of its own resolves the list as written again (one
 * exchangeInfo and one ticker/24hr: blocking requests that never hold the
 * console or the collector); the controlling thread applies the result on its
 * next turn: symbols entering the ranking are added, symbols leaving it are
 * removed unless the user added them by hand (:add) or the account holds a
 * position or a working order in them (those stay, and leave at a later
 * refresh once flat). Plain symbols of the list are in every resolution, so
 * they never leave. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "alphapulse/app.h"
#include "alphapulse/clock.h"
#include "alphapulse/log.h"
#include "alphapulse/symtab.h"

struct symbol_refresh {
    char *list;                          /* as written */
    char rest_url[256], ca_file[1024];
    int cap;
    int64_t every_ms;
    pthread_t thread;
    bool started;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    bool stop;
    char *fresh;                         /* a resolution waiting to be applied (under lock) */
    /* the controlling thread's alone */
    char (*held)[SYMBOL_MAX];            /* what the patterns named last (the session's symbols from them) */
    int n_held;
    struct symtab by_hand;
};

static void *refresh_main(void *arg)
{
    struct symbol_refresh *r = arg;
    size_t out_len = (size_t)r->cap * SYMBOL_MAX + 1;
    pthread_mutex_lock(&r->lock);
    while (!r->stop) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += r->every_ms / 1000;
        until.tv_nsec += (r->every_ms % 1000) * 1000000;
        if (until.tv_nsec >= 1000000000)
            until.tv_sec++, until.tv_nsec -= 1000000000;
        while (!r->stop && pthread_cond_timedwait(&r->wake, &r->lock, &until) == 0) {}
        if (r->stop)
            break;
        pthread_mutex_unlock(&r->lock);
        char *out = malloc(out_len), err[400];
        int rc = out ? app_symbols_resolve(r->list, r->rest_url, r->ca_file, r->cap, out, out_len, err, sizeof err)
                     : -1;
        if (rc)
            log_warn("symbols: re-ranking %s: %s; the symbols stay as they are", r->list,
                     out ? err : "out of memory");
        pthread_mutex_lock(&r->lock);
        if (rc == 0) {
            free(r->fresh);
            r->fresh = out;
        } else {
            free(out);
        }
    }
    pthread_mutex_unlock(&r->lock);
    return NULL;
}

/* A comma-separated list into held (room for cap). */
static int split(const char *list, char (*out)[SYMBOL_MAX], int cap)
{
    int n = 0;
    for (const char *p = list; *p && n < cap;) {
        size_t len = strcspn(p, ",");
        snprintf(out[n++], SYMBOL_MAX, "%.*s", (int)(len < SYMBOL_MAX ? len : SYMBOL_MAX - 1), p);
        p += len + (p[len] == ',');
    }
    return n;
}

struct symbol_refresh *app_symbol_refresh_start(const char *list, const char *resolved, const char *rest_url,
                                                const char *ca_file, int cap, int every_s)
{
    if (!strstr(list, "top:") && !strstr(list, "TOP:"))
        return NULL;
    struct symbol_refresh *r = calloc(1, sizeof *r);
    if (!r || !(r->list = strdup(list)) || !(r->held = calloc((size_t)cap, sizeof *r->held))) {
        if (r)
            free(r->list);
        free(r);
        log_error("symbols: out of memory; top:N patterns will not be re-ranked");
        return NULL;
    }
    snprintf(r->rest_url, sizeof r->rest_url, "%s", rest_url ? rest_url : "");
    snprintf(r->ca_file, sizeof r->ca_file, "%s", ca_file ? ca_file : "");
    r->cap = cap;
    r->every_ms = (int64_t)every_s * 1000;
    r->n_held = split(resolved, r->held, cap);
    symtab_init(&r->by_hand);
    pthread_mutex_init(&r->lock, NULL);
    pthread_cond_init(&r->wake, NULL);
    if ((r->started = pthread_create(&r->thread, NULL, refresh_main, r) == 0) == false) {
        log_error("symbols: no thread for re-ranking top:N patterns");
        app_symbol_refresh_stop(r);
        return NULL;
    }
    log_info("symbols: top:N patterns re-ranked every %d s", every_s);
    return r;
}

void app_symbol_refresh_hand(struct symbol_refresh *r, const char *symbol, bool add)
{
    if (r)
        symtab_put(&r->by_hand, symbol, add ? 1 : 0);
}

/* In the session's last snapshot: a position or a working order in sym. */
static bool engaged(const struct snapshot *snap, const char *sym)
{
    for (int i = 0; i < snap->n_symbols; i++)
        if (strcmp(snap->symbols[i].name, sym) == 0)
            return snap->symbols[i].pos_qty != 0 || snap->symbols[i].order_pending;
    return false;
}

int app_symbol_refresh_apply(struct symbol_refresh *r, struct session *s, char *msg, size_t n)
{
    if (!r)
        return 0;
    pthread_mutex_lock(&r->lock);
    char *fresh = r->fresh;
    r->fresh = NULL;
    pthread_mutex_unlock(&r->lock);
    if (!fresh)
        return 0;
    char (*now)[SYMBOL_MAX] = calloc((size_t)r->cap, sizeof *now);
    struct snapshot *snap = calloc(1, sizeof *snap);
    if (!now || !snap) {
        free(now);
        free(snap);
        free(fresh);
        return 0;
    }
    int n_now = split(fresh, now, r->cap);
    free(fresh);
    engine_thread_snapshot(&s->et, snap, 0);
    struct symtab was, is;
    symtab_init(&was);
    symtab_init(&is);
    for (int i = 0; i < r->n_held; i++)
        symtab_put(&was, r->held[i], i);
    for (int i = 0; i < n_now; i++)
        symtab_put(&is, now[i], i);
    int added = 0, removed = 0, kept = 0;
    char err[256];
    for (int i = 0; i < n_now; i++)
        if (symtab_get(&was, now[i]) < 0) {
            if (session_add_symbol(s, now[i], err, sizeof err) == 0)
                added++;
            else
                log_warn("symbols: re-ranking: add %s: %s", now[i], err);
        }
    /* what leaves, and may: gone; what must stay is still held, to leave later */
    for (int i = 0; i < r->n_held; i++) {
        if (symtab_get(&is, r->held[i]) >= 0)
            continue;
        if (symtab_get(&r->by_hand, r->held[i]) == 1 || engaged(snap, r->held[i])) {
            if (n_now < r->cap)
                memcpy(now[n_now++], r->held[i], SYMBOL_MAX);
            kept++;
        } else if (session_del_symbol(s, r->held[i], err, sizeof err) == 0) {
            removed++;
        } else {
            log_warn("symbols: re-ranking: del %s: %s", r->held[i], err);
        }
    }
    memcpy(r->held, now, (size_t)n_now * sizeof *now);
    r->n_held = n_now;
    symtab_free(&was);
    symtab_free(&is);
    snapshot_free(snap);
    free(now);
    snprintf(msg, n, "symbols re-ranked (%s): %d added, %d removed, %d kept (added by hand, a position or an order)",
             r->list, added, removed, kept);
    log_info("%s", msg);
    return added || removed;
}

void app_symbol_refresh_stop(struct symbol_refresh *r)
{
    if (!r)
        return;
    if (r->started) {
        pthread_mutex_lock(&r->lock);
        r->stop = true;
        pthread_cond_signal(&r->wake);
        pthread_mutex_unlock(&r->lock);
        pthread_join(r->thread, NULL);
    }
    pthread_mutex_destroy(&r->lock);
    pthread_cond_destroy(&r->wake);
    symtab_free(&r->by_hand);
    free(r->fresh);
    free(r->held);
    free(r->list);
    free(r);
}
