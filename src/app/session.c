/* Wiring of a demo session. Start order: data, database, engine (restored from the
 * database), store thread, engine thread, feed. Stop runs it backwards, draining
 * each queue, so every record the engine produced reaches the disk. */
#include "alphapulse/session.h"

#include <stdio.h>
#include <string.h>

#include "alphapulse/log.h"
#include "alphapulse/record.h"

#define MARKET_QUEUE 65536
#define COMMAND_QUEUE 256
#define RECORD_QUEUE 65536
#define RESTORE_CANDLES 2000

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

int session_start(struct session *s, const struct session_options *o, char *err, size_t err_len)
{
    memset(s, 0, sizeof *s);
    s->replay = replay_open(o->manifest, err, err_len);
    if (!s->replay)
        return -1;
    s->stage = 1;
    struct engine_config cfg = o->engine;
    struct instrument all[ENGINE_MAX_SYMBOLS];
    int n = replay_symbols(s->replay, all, ENGINE_MAX_SYMBOLS);
    cfg.n_symbols = 0;
    for (int i = 0; i < n; i++)
        if (wanted(o->symbols, all[i].symbol))
            cfg.inst[cfg.n_symbols++] = all[i];
    if (cfg.n_symbols == 0) {
        snprintf(err, err_len, "--symbols %s: none of these is in the demo data (%s)", o->symbols, o->manifest);
        return -1;
    }
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
    engine_set_ack(s->engine, store_ack(s->store));
    if (o->ack_stream)
        store_set_ack_stream(s->store, o->ack_stream);
    if (store_restore(s->store, s->engine, RESTORE_CANDLES)) {
        snprintf(err, err_len, "%s: cannot read stored state", o->db);
        return -1;
    }
    /* the replay resumes after what is stored, like a live feed after a restart */
    int kept = 0;
    for (int i = 0; i < n; i++) {
        int sym = engine_symbol(s->engine, all[i].symbol);
        if (sym < 0) {
            replay_seek(s->replay, i, INT64_MAX);
            continue;
        }
        kept++;
        replay_seek(s->replay, i, engine_last_closed(s->engine, sym, TF_1M));
    }
    if (store_start(s->store, &s->records)) {
        snprintf(err, err_len, "cannot start the store thread");
        return -1;
    }
    s->stage = 5;
    if (engine_thread_start(&s->et, s->engine, &s->market, &s->commands)) {
        snprintf(err, err_len, "cannot start the engine thread");
        return -1;
    }
    s->stage = 6;
    if (replay_feed_start(&s->feed, s->replay, &s->market, o->speed)) {
        snprintf(err, err_len, "cannot start the replay thread");
        return -1;
    }
    s->stage = 7;
    log_info("session: %d symbols, db %s, speed %g", kept, o->db, o->speed);
    return 0;
}

void session_stop(struct session *s)
{
    if (s->stage >= 7)
        replay_feed_stop(&s->feed);
    if (s->stage >= 6)
        engine_thread_stop(&s->et);
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
    }
    if (s->stage >= 1)
        replay_close(s->replay);
    s->stage = 0;
}
