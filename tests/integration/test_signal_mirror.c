/* A console's engine beside a collector's (EE_SIGNAL, signal_mirror): the
 * collector's engine steps the demo replay and stores its signals; the
 * console's engine steps the same candles marked stored, each followed by the
 * collector's signal rows written on it, as the store feed hands them on. The
 * console raises and stores no signal, names each of the collector's once in
 * its journal, holds the same new signals in its queue at every step, keeps
 * its own dismissal when the row is read again, and takes one on its own
 * account (journalled there, no row written). */
#include <stdlib.h>
#include <string.h>

#include "engine_driver.h"
#include "harness.h"
#include "alphapulse/engine.h"
#include "alphapulse/kline_json.h"
#include "alphapulse/record.h"
#include "alphapulse/replay.h"

#define STEPS 15000
#define IDS_MAX 4096

static struct engine *make_engine(struct spsc *q, struct replay **rp)
{
    char err[256];
    *rp = replay_open("data/demo.json", err, sizeof err);
    if (!*rp) {
        printf("# %s\n", err);
        return NULL;
    }
    struct engine_config cfg;
    struct instrument inst[INSTRUMENTS_MAX] = { 0 };
    engine_config_defaults(&cfg);
    cfg.inst = inst;
    cfg.file = driver_all_timeframes();
    cfg.n_symbols = replay_symbols(*rp, inst, INSTRUMENTS_MAX);
    return engine_create(&cfg, q);
}

struct seen { uint64_t id[IDS_MAX]; int named[IDS_MAX]; int n; };

static int find(const struct seen *s, uint64_t id)
{
    for (int i = 0; i < s->n; i++)
        if (s->id[i] == id)
            return i;
    return -1;
}

/* The new signals of an engine's queue, as a set compared with another's (but
 * the two the console dismissed and took). */
static bool same_new(const struct signal_engine *a, const struct signal_engine *b, uint64_t dismissed,
                     uint64_t taken)
{
    int na = 0, nb = 0;
    for (int i = 0; i < a->nq; i++)
        if (a->queue[i].state == SIGNAL_NEW && a->queue[i].id != dismissed && a->queue[i].id != taken) {
            na++;
            bool found = false;
            for (int j = 0; j < b->nq; j++)
                found |= b->queue[j].id == a->queue[i].id && b->queue[j].state == SIGNAL_NEW &&
                         b->queue[j].source == SIGNAL_SOURCE_COLLECTOR && b->queue[j].entry == a->queue[i].entry;
            if (!found)
                return false;
        }
    for (int j = 0; j < b->nq; j++)
        nb += b->queue[j].state == SIGNAL_NEW;
    return na == nb;
}

static void console_mirrors_collector(void)
{
    struct spsc qa, qb;
    spsc_init(&qa, sizeof(struct record), 1 << 14);
    spsc_init(&qb, sizeof(struct record), 1 << 14);
    struct replay *ra, *rb;
    struct engine *a = make_engine(&qa, &ra), *b = make_engine(&qb, &rb);
    CHECK(a && b);
    if (!a || !b)
        return;
    static struct seen seen;
    char msg[1024], why[128];
    int round_end, own = 0, stored_by_b = 0, mismatched = 0, first_mismatch = -1;
    uint64_t dismissed = 0, taken = 0;
    int taken_noted = 0;
    bool redelivered = false;
    long len, n = 0;
    while ((len = replay_next(ra, msg, sizeof msg, &round_end)) > 0 && n++ < STEPS) {
        struct engine_event ev = { .type = EE_KLINE };
        if (kline_json_parse(msg, (size_t)len, &ev.u.k, why, sizeof why) != KLINE_JSON_OK)
            continue;
        engine_step(a, &ev);
        ev.u.k.stored = true;
        engine_step(b, &ev);
        struct record r;
        while (spsc_pop(&qa, &r)) {
            if (r.type != REC_SIGNAL)
                continue;
            struct engine_event sv = { .type = EE_SIGNAL };
            memcpy(sv.u.sig.symbol, r.symbol, SYMBOL_MAX);
            sv.u.sig.tf = r.tf;
            sv.u.sig.s = r.u.signal;
            sv.u.sig.first = find(&seen, r.u.signal.id) < 0;
            if (sv.u.sig.first && seen.n < IDS_MAX)
                seen.id[seen.n++] = r.u.signal.id;
            engine_step(b, &sv);
        }
        while (spsc_pop(&qb, &r)) {
            stored_by_b += r.type == REC_SIGNAL;
            taken_noted += r.type == REC_JOURNAL && taken && strstr(r.u.text.text, " taken: ");
            if (r.type != REC_JOURNAL || strncmp(r.u.text.text, "signal #", 8) != 0 ||
                !strstr(r.u.text.text, " conf "))
                continue;
            if (!strstr(r.u.text.text, "(a collector's")) {
                own++;
                continue;
            }
            int k = find(&seen, strtoull(r.u.text.text + 8, NULL, 10));
            if (k >= 0)
                seen.named[k]++;
        }
        /* the console dismisses one shown signal; the row read again must not bring it back */
        const struct signal_engine *sb = engine_signals(b);
        if (!dismissed && sb->nq > 0 && sb->queue[0].state == SIGNAL_NEW) {
            dismissed = sb->queue[0].id;
            struct engine_event c = { .type = EE_COMMAND,
                                      .u.cmd = { .type = CMD_SIGNAL_DISMISS, .signal_id = dismissed } };
            engine_step(b, &c);
            int k = find(&seen, dismissed);
            CHECK(k >= 0);
            struct engine_event again = { .type = EE_SIGNAL };
            const struct signal *g = &engine_signals(a)->queue[0];
            for (int i = 0; i < engine_signals(a)->nq; i++)
                if (engine_signals(a)->queue[i].id == dismissed)
                    g = &engine_signals(a)->queue[i];
            snprintf(again.u.sig.symbol, SYMBOL_MAX, "%s", engine_symbol_name(a, g->sym));
            again.u.sig.tf = g->tf;
            again.u.sig.s = (struct record_signal){ .id = g->id, .time = g->time, .side = g->side,
                                                    .state = SIGNAL_NEW, .outcome = OUTCOME_OPEN,
                                                    .entry = g->entry, .stop = g->stop, .expiry = g->expires };
            engine_step(b, &again);
            redelivered = true;
            while (spsc_pop(&qb, &r))
                stored_by_b += r.type == REC_SIGNAL;
        }
        /* and takes another: its own (journalled), the collector's row untouched */
        if (dismissed && !taken && sb->nq > 0 && sb->queue[0].state == SIGNAL_NEW && sb->queue[0].id != dismissed) {
            taken = sb->queue[0].id;
            struct engine_event c = { .type = EE_COMMAND, .u.cmd = { .type = CMD_SIGNAL_TAKE, .signal_id = taken } };
            engine_step(b, &c);
            CHECK(sb->queue[0].id == taken && sb->queue[0].state == SIGNAL_TAKEN);
        }
        if (!same_new(engine_signals(a), engine_signals(b), dismissed, taken)) {
            mismatched++;
            if (first_mismatch < 0)
                first_mismatch = (int)n;
        }
    }
    int unnamed = 0, twice = 0;
    for (int i = 0; i < seen.n; i++) {
        unnamed += seen.named[i] == 0;
        twice += seen.named[i] > 1;
    }
    printf("# the collector's engine made %d signals over %ld candles; the console named each once\n", seen.n, n);
    CHECK(seen.n > 20);
    CHECK(redelivered);
    CHECK_MSG(taken && taken_noted == 1, "signal #%llu taken, %d journal lines say so", (unsigned long long)taken,
              taken_noted);
    CHECK_MSG(own == 0, "the console raised %d signals of its own", own);
    CHECK_MSG(stored_by_b == 0, "the console stored %d signal rows", stored_by_b);
    CHECK_MSG(unnamed == 0 && twice == 0, "%d signals not named, %d named twice", unnamed, twice);
    CHECK_MSG(mismatched == 0, "the queues' new signals differed after %d steps (first at %d)", mismatched,
              first_mismatch);
    engine_destroy(a);
    engine_destroy(b);
    replay_close(ra);
    replay_close(rb);
    spsc_free(&qa);
    spsc_free(&qb);
}

int main(void)
{
    RUN(console_mirrors_collector);
    HARNESS_EXIT();
}
