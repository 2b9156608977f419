/* Outcomes. Every emitted signal (taken, dismissed or not) is followed on the
 * later candles of its own symbol x timeframe: the highest target reached before
 * the stop, the stop if it came first, or expiry after outcome_candles. Inside a
 * candle the adverse extreme is assumed to come first, so a candle that touches
 * both the stop and a target counts as a stop. A settled outcome updates the hit
 * rates of the agreeing voters, of the pattern and of the symbol x timeframe:
 * a target reached is a hit, a stop or an expiry a miss. */
#include "signal_internal.h"

#include <math.h>
#include <string.h>

double hit_rate_value(const struct hit_rate *h)
{
    return h->n ? (double)h->hits / h->n : NAN;
}

bool outcome_step(struct signal *s, const struct candle *c, int outcome_candles)
{
    if (s->outcome != OUTCOME_OPEN)
        return false;
    s->candles_seen++;
    int d = s->side;
    double adverse = d > 0 ? c->low : c->high, favour = d > 0 ? c->high : c->low;
    if (d * (adverse - s->stop) <= 0) {
        s->outcome = (int8_t)(s->best_tp ? OUTCOME_TP1 + s->best_tp - 1 : OUTCOME_STOP);
        return true;
    }
    while (s->best_tp < 4 && d * (favour - s->tp[s->best_tp]) >= 0)
        s->best_tp++;
    if (s->best_tp == 4) {
        s->outcome = OUTCOME_TP4;
        return true;
    }
    if (s->candles_seen >= outcome_candles) {
        s->outcome = (int8_t)(s->best_tp ? OUTCOME_TP1 + s->best_tp - 1 : OUTCOME_EXPIRY);
        return true;
    }
    return false;
}

void outcome_track(struct signal_engine *se, const struct signal *s)
{
    if (se->nt == SIGNAL_TRACK_MAX) {
        /* full: the oldest open signal is settled as expired without a verdict */
        se->track[0] = se->track[--se->nt];
    }
    se->track[se->nt++] = *s;
}

static void hr_add(struct hit_rate *h, bool hit)
{
    h->n++;
    h->hits += hit;
}

static void learn(struct signal_engine *se, const struct signal *t)
{
    bool hit = t->outcome >= OUTCOME_TP1 && t->outcome <= OUTCOME_TP4;
    for (int v = 0; v < VOTER_COUNT; v++)
        if (t->voters & (1u << v))
            hr_add(&se->voter_hr[t->sym][t->tf][v], hit);
    if (t->pattern >= 0 && t->pattern < CDL_COUNT)
        hr_add(&se->pattern_hr[t->pattern], hit);
    hr_add(&se->symtf_hr[t->sym][t->tf], hit);
}

static void settle(struct signal_engine *se, struct signal *t, int64_t now)
{
    t->outcome_time = now;
    learn(se, t);
    se->stats.outcomes[t->outcome]++;
    se->stats.resolved++;
    se->stats.hits += t->outcome >= OUTCOME_TP1 && t->outcome <= OUTCOME_TP4;
    /* a settled signal is no longer actionable: it leaves the queue (a new one
     * as expired, since its move or its stop has already happened) */
    for (int i = 0; i < se->nq; i++)
        if (se->queue[i].id == t->id) {
            if (se->queue[i].state == SIGNAL_NEW)
                t->state = SIGNAL_EXPIRED;
            se->queue[i] = se->queue[--se->nq];
            break;
        }
    signal_event_push(se, SIGEV_OUTCOME, t);
}

void outcome_on_candle(struct signal_engine *se, int sym, int tf, const struct candle *c, int64_t now)
{
    int horizon = se->p[sym].outcome_candles;
    for (int i = 0; i < se->nt;) {
        struct signal *t = &se->track[i];
        if (t->sym == sym && t->tf == tf && c->open_time >= t->time && outcome_step(t, c, horizon)) {
            settle(se, t, now);
            se->track[i] = se->track[--se->nt];
            continue;
        }
        i++;
    }
}

void track_set_state(struct signal_engine *se, uint64_t id, int state)
{
    for (int i = 0; i < se->nt; i++)
        if (se->track[i].id == id)
            se->track[i].state = (int8_t)state;
}

void signal_restore(struct signal_engine *se, const struct signal *s)
{
    if (s->sym < 0 || s->sym >= se->n_symbols || s->tf < 0 || s->tf >= TF_COUNT ||
        s->outcome < 0 || s->outcome >= OUTCOME_COUNT)
        return;
    if (s->id >= se->next_id)
        se->next_id = s->id + 1;
    if (s->outcome != OUTCOME_OPEN) {
        learn(se, s);
        return;
    }
    if (s->source == SIGNAL_SOURCE_ENGINE)
        outcome_track(se, s);
    if ((s->state == SIGNAL_NEW || s->state == SIGNAL_TAKEN) && se->nq < SIGNAL_QUEUE_MAX)
        se->queue[se->nq++] = *s;
}
