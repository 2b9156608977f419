/* `:reload` and SIGHUP (collect): re-read the configuration file with the same
 * checks as the start (every section, key bindings included). An invalid file
 * changes nothing and says why; a valid one goes to the engine as one command
 * (costs, sizing, risk limits, indicator periods), symbols added to or removed
 * from feed.symbols are subscribed or dropped on a live feed (its patterns are
 * resolved at start only: a changed pattern needs a restart), and what cannot
 * change while running (database path, account currency and balance, the
 * alerts and webhook sections) is named. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alphapulse/app.h"
#include "alphapulse/log.h"

static bool listed(const struct config_feed *f, const char *sym)
{
    for (int i = 0; i < f->n_symbols; i++)
        if (strcmp(f->symbols[i], sym) == 0)
            return true;
    return false;
}

/* A pattern word (*USDT, top:N:USDT, -SYMBOL) noted in *seen, or a symbol. */
static bool pattern(const char *word, bool *seen)
{
    bool p = word[0] == '*' || word[0] == '-' || strncmp(word, "top:", 4) == 0;
    *seen |= p;
    return p;
}

int app_reload(struct app_setup *st, struct session *s, char *msg, size_t n)
{
    if (!st->cfg.path[0]) {
        snprintf(msg, n, "reload: no configuration file (running on built-in defaults)");
        return -1;
    }
    struct config *nc = malloc(sizeof *nc);
    struct config_errors *errs = malloc(sizeof *errs);
    if (!nc || !errs) {
        free(nc);
        free(errs);
        snprintf(msg, n, "reload: out of memory");
        return -1;
    }
    config_defaults(nc, &app_config_vocab);
    if (config_load(nc, st->cfg.path, errs)) {
        for (int i = 0; i < errs->n; i++)
            log_error("reload: %s", errs->msg[i]);
        /* file:line:col without the file's directories (a path later in the
         * message, such as a secret file's, stays whole) */
        const char *first = errs->msg[0], *base = strrchr(st->cfg.path, '/');
        size_t plen = strlen(st->cfg.path);
        if (base && strncmp(first, st->cfg.path, plen) == 0)
            first += base + 1 - st->cfg.path;
        snprintf(msg, n, "reload rejected, old configuration kept: %s%s", first,
                 errs->n > 1 ? " (more in the log)" : "");
        free(nc);
        free(errs);
        return -1;
    }
    free(errs);
    char what[256];
    int restart = config_restart_needed(&st->cfg, nc, what, sizeof what);
    int added = 0, removed = 0;
    bool patterns = false;
    if (!s->lister && st->symbols_from_file) {
        char err[200];
        for (int i = 0; i < nc->feed.n_symbols; i++)
            if (!listed(&st->cfg.feed, nc->feed.symbols[i]) && !pattern(nc->feed.symbols[i], &patterns)) {
                if (session_add_symbol(s, nc->feed.symbols[i], err, sizeof err) == 0)
                    added++;
                else
                    log_warn("reload: add %s: %s", nc->feed.symbols[i], err);
            }
        for (int i = 0; i < st->cfg.feed.n_symbols; i++)
            if (!listed(&nc->feed, st->cfg.feed.symbols[i]) && !pattern(st->cfg.feed.symbols[i], &patterns) &&
                session_del_symbol(s, st->cfg.feed.symbols[i], err, sizeof err) == 0)
                removed++;
    }
    if (patterns) {             /* resolved against the exchange at start only */
        size_t w = restart ? strlen(what) : 0;
        snprintf(what + w, sizeof what - w, "%sfeed.symbols patterns", restart ? ", " : "");
        restart = 1;
    }
    struct config *payload = malloc(sizeof *payload);
    struct command c = { .type = CMD_SETTINGS, .payload = payload };
    if (!payload || (memcpy(payload, nc, sizeof *nc), !engine_thread_command(&s->et, &c))) {
        free(payload);
        free(nc);
        snprintf(msg, n, "reload: the engine is busy, try again");
        return -1;
    }
    st->cfg = *nc;
    free(nc);
    const char *base = strrchr(st->cfg.path, '/');
    int w = snprintf(msg, n, "reloaded %s", base ? base + 1 : st->cfg.path);
    if (w > 0 && (size_t)w < n && (added || removed))
        w += snprintf(msg + w, n - (size_t)w, "; %d symbol%s added, %d removed", added, added == 1 ? "" : "s", removed);
    if (w > 0 && (size_t)w < n && restart)
        snprintf(msg + w, n - (size_t)w, "; needs a restart to change: %s", what);
    log_info("%s", msg);
    return 0;
}

