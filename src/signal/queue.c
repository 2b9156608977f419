/* The signal queue: a fixed array of new and taken signals. New signals expire
 * after expiry_candles candles of their timeframe; dismissed and expired ones
 * leave the queue (their outcomes are still labelled, see outcome.c); taken ones
 * stay until their outcome is settled. Ranking is by confidence, then id. */
#include "signal_internal.h"

#include <string.h>

const char *signal_state_name(int s)
{
    static const char *const n[] = { "new", "taken", "dismissed", "expired" };
    return s >= 0 && s <= SIG_EXPIRED ? n[s] : "";
}

void signal_event_push(struct signal_engine *se, int kind, const struct signal *s)
{
    if (se->nev == SIGNAL_EVENTS_MAX) {
        se->events_dropped++;
        return;
    }
    se->ev[se->nev].kind = kind;
    se->ev[se->nev].s = *s;
    se->nev++;
}

static void queue_remove(struct signal_engine *se, int i)
{
    se->queue[i] = se->queue[--se->nq];
}

bool queue_add(struct signal_engine *se, const struct signal *s)
{
    if (se->nq < SIGNAL_QUEUE_MAX) {
        se->queue[se->nq++] = *s;
        return true;
    }
    /* full: a better signal replaces the weakest new one */
    int worst = -1;
    for (int i = 0; i < se->nq; i++)
        if (se->queue[i].state == SIG_NEW && (worst < 0 || se->queue[i].confidence < se->queue[worst].confidence))
            worst = i;
    if (worst < 0 || se->queue[worst].confidence >= s->confidence)
        return false;
    se->queue[worst].state = SIG_EXPIRED;
    track_set_state(se, se->queue[worst].id, SIG_EXPIRED);
    signal_event_push(se, SIGEV_STATE, &se->queue[worst]);
    se->queue[worst] = *s;
    return true;
}

bool queue_has(const struct signal_engine *se, int sym, int tf, int side)
{
    for (int i = 0; i < se->nq; i++)
        if (se->queue[i].sym == sym && se->queue[i].tf == tf && se->queue[i].side == side &&
            se->queue[i].state == SIG_NEW)
            return true;
    return false;
}

void queue_age(struct signal_engine *se, int sym, int tf, int64_t now)
{
    for (int i = 0; i < se->nq;) {
        struct signal *q = &se->queue[i];
        if (q->sym == sym && q->tf == tf && q->state == SIG_NEW && now >= q->expires) {
            q->state = SIG_EXPIRED;
            track_set_state(se, q->id, SIG_EXPIRED);
            signal_event_push(se, SIGEV_STATE, q);
            queue_remove(se, i);
            continue;
        }
        i++;
    }
}

static int find_new(const struct signal_engine *se, uint64_t id)
{
    for (int i = 0; i < se->nq; i++)
        if (se->queue[i].id == id && se->queue[i].state == SIG_NEW)
            return i;
    return -1;
}

int signal_take(struct signal_engine *se, uint64_t id)
{
    se->nev = 0;
    int i = find_new(se, id);
    if (i < 0)
        return -1;
    se->queue[i].state = SIG_TAKEN;
    track_set_state(se, id, SIG_TAKEN);
    signal_event_push(se, SIGEV_STATE, &se->queue[i]);
    return 0;
}

int signal_dismiss(struct signal_engine *se, uint64_t id)
{
    se->nev = 0;
    int i = find_new(se, id);
    if (i < 0)
        return -1;
    se->queue[i].state = SIG_DISMISSED;
    track_set_state(se, id, SIG_DISMISSED);
    signal_event_push(se, SIGEV_STATE, &se->queue[i]);
    queue_remove(se, i);
    return 0;
}

int signal_ranked(const struct signal_engine *se, const struct signal **out, int max)
{
    int n = 0;
    for (int i = 0; i < se->nq && n < max; i++) {
        const struct signal *s = &se->queue[i];
        int j = n++;
        /* insertion sort: the queue is small */
        while (j > 0 && (out[j - 1]->confidence < s->confidence ||
                         (out[j - 1]->confidence == s->confidence && out[j - 1]->id > s->id))) {
            out[j] = out[j - 1];
            j--;
        }
        out[j] = s;
    }
    return n;
}
