/* The signal queue: a fixed array of new and taken signals. New signals expire
 * after expiry_candles candles of their timeframe; dismissed and expired ones
 * leave the queue (their outcomes are still labelled, see outcome.c); taken ones
 * stay until their outcome is settled. Ranking is by confidence, then id. */
#include "signal_internal.h"

#include <math.h>
#include <string.h>

const char *signal_source_name(int s)
{
    static const char *const n[SIGNAL_SOURCE_COUNT] = { "engine", "webhook", "collector" };
    return s >= 0 && s < SIGNAL_SOURCE_COUNT ? n[s] : "";
}

int signal_source_parse(const char *name)
{
    for (int i = 0; name && i < SIGNAL_SOURCE_COUNT; i++)
        if (strcmp(name, signal_source_name(i)) == 0)
            return i;
    return -1;
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

/* A new signal in place of the queued one at i (which expires). */
static void queue_replace(struct signal_engine *se, int i, const struct signal *s)
{
    se->queue[i].state = SIGNAL_EXPIRED;
    track_set_state(se, se->queue[i].id, SIGNAL_EXPIRED);
    signal_event_push(se, SIGEV_STATE, &se->queue[i]);
    se->queue[i] = *s;
}

bool queue_add(struct signal_engine *se, const struct signal *s)
{
    /* the symbol's share first, so one noisy symbol cannot fill the queue: at
     * its cap, a better signal replaces the symbol's weakest new one */
    int cap = s->sym >= 0 && s->sym < se->n_symbols ? se->p[s->sym].max_per_symbol : 0;
    if (cap > 0) {
        int open = 0, weakest = -1;
        for (int i = 0; i < se->nq; i++) {
            const struct signal *q = &se->queue[i];
            if (q->sym != s->sym || (q->state != SIGNAL_NEW && q->state != SIGNAL_TAKEN))
                continue;
            open++;
            if (q->state == SIGNAL_NEW && (weakest < 0 || q->confidence < se->queue[weakest].confidence))
                weakest = i;
        }
        if (open >= cap) {
            if (weakest < 0 || se->queue[weakest].confidence >= s->confidence)
                return false;
            queue_replace(se, weakest, s);
            return true;
        }
    }
    if (se->nq < SIGNAL_QUEUE_MAX) {
        se->queue[se->nq++] = *s;
        return true;
    }
    /* full: a better signal replaces the weakest new one */
    int worst = -1;
    for (int i = 0; i < se->nq; i++)
        if (se->queue[i].state == SIGNAL_NEW && (worst < 0 || se->queue[i].confidence < se->queue[worst].confidence))
            worst = i;
    if (worst < 0 || se->queue[worst].confidence >= s->confidence)
        return false;
    queue_replace(se, worst, s);
    return true;
}

bool queue_has(const struct signal_engine *se, int sym, int tf, int side)
{
    for (int i = 0; i < se->nq; i++)
        if (se->queue[i].sym == sym && se->queue[i].tf == tf && se->queue[i].side == side &&
            se->queue[i].state == SIGNAL_NEW)
            return true;
    return false;
}

void queue_age(struct signal_engine *se, int sym, int tf, int64_t now)
{
    for (int i = 0; i < se->nq;) {
        struct signal *q = &se->queue[i];
        if (q->sym == sym && q->tf == tf && q->state == SIGNAL_TAKEN && q->source != SIGNAL_SOURCE_ENGINE &&
            now >= q->expires) {
            queue_remove(se, i);          /* untracked: nothing settles it */
            continue;
        }
        if (q->sym == sym && q->tf == tf && q->state == SIGNAL_NEW && now >= q->expires) {
            q->state = SIGNAL_EXPIRED;
            track_set_state(se, q->id, SIGNAL_EXPIRED);
            signal_event_push(se, SIGEV_STATE, q);
            queue_remove(se, i);
            continue;
        }
        i++;
    }
}

void queue_stale(struct signal_engine *se, int sym, const struct candle *c)
{
    double chase = se->p[sym].max_chase_r;
    for (int i = 0; i < se->nq;) {
        struct signal *q = &se->queue[i];
        int64_t close_time = c->open_time + tf_ms(TF_1M);
        if (q->sym != sym || q->state != SIGNAL_NEW || close_time <= q->time || q->source == SIGNAL_SOURCE_COLLECTOR) {
            i++;
            continue;
        }
        double risk = fabs(q->entry - q->stop);
        bool stop_hit = q->stop > 0 && (q->side > 0 ? c->low <= q->stop : c->high >= q->stop);
        bool tp_hit = q->tp[0] > 0 && (q->side > 0 ? c->high >= q->tp[0] : c->low <= q->tp[0]);
        bool chased = risk > 0 && chase > 0 && q->entry > 0 && fabs(c->close - q->entry) > chase * risk;
        if (!stop_hit && !tp_hit && !chased) {
            i++;
            continue;
        }
        q->state = SIGNAL_STALE;
        track_set_state(se, q->id, SIGNAL_STALE);
        se->stats.stale++;
        signal_event_push(se, SIGEV_STATE, q);
        queue_remove(se, i);
    }
}

int signal_submit(struct signal_engine *se, struct signal *s, int64_t now)
{
    se->nev = 0;
    if (s->sym < 0 || s->sym >= se->n_symbols || s->tf < 0 || s->tf >= TF_COUNT)
        return -1;
    s->id = se->next_id;
    s->time = now;
    s->candle_time = tf_floor(s->tf, now);
    s->state = SIGNAL_NEW;
    s->outcome = OUTCOME_OPEN;
    s->source = SIGNAL_SOURCE_WEBHOOK;
    s->pattern = -1;
    s->regime = REGIME_NONE;
    s->expires = now + (int64_t)se->p[s->sym].expiry_candles * tf_ms(s->tf);
    if (!queue_add(se, s))
        return -1;
    se->next_id++;
    signal_event_push(se, SIGEV_NEW, s);
    return 0;
}

int signal_mirror(struct signal_engine *se, const struct signal *s, bool first)
{
    se->nev = 0;
    int i = 0;
    while (i < se->nq && se->queue[i].id != s->id)
        i++;
    if (i == se->nq) {
        if (!first || s->state != SIGNAL_NEW || s->outcome != OUTCOME_OPEN || s->sym < 0 || s->sym >= se->n_symbols)
            return 0;                 /* over, or already shown (then taken, dismissed or expired here) */
        struct signal g = *s;
        g.source = SIGNAL_SOURCE_COLLECTOR;
        if (!queue_add(se, &g))
            return -1;
        signal_event_push(se, SIGEV_NEW, &g);
        return 0;
    }
    struct signal *q = &se->queue[i];
    if (s->outcome != OUTCOME_OPEN) {
        q->outcome = s->outcome;
        q->best_tp = s->best_tp;
        q->outcome_time = s->outcome_time;
        signal_event_push(se, SIGEV_OUTCOME, q);
        queue_remove(se, i);
    } else if (q->state == SIGNAL_NEW && (s->state == SIGNAL_EXPIRED || s->state == SIGNAL_STALE)) {
        q->state = s->state;
        signal_event_push(se, SIGEV_STATE, q);
        queue_remove(se, i);
    }
    return 0;
}

static int find_new(const struct signal_engine *se, uint64_t id)
{
    for (int i = 0; i < se->nq; i++)
        if (se->queue[i].id == id && se->queue[i].state == SIGNAL_NEW)
            return i;
    return -1;
}

int signal_take(struct signal_engine *se, uint64_t id)
{
    se->nev = 0;
    int i = find_new(se, id);
    if (i < 0)
        return -1;
    se->queue[i].state = SIGNAL_TAKEN;
    track_set_state(se, id, SIGNAL_TAKEN);
    signal_event_push(se, SIGEV_STATE, &se->queue[i]);
    return 0;
}

int signal_dismiss(struct signal_engine *se, uint64_t id)
{
    se->nev = 0;
    int i = find_new(se, id);
    if (i < 0)
        return -1;
    se->queue[i].state = SIGNAL_DISMISSED;
    track_set_state(se, id, SIGNAL_DISMISSED);
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
