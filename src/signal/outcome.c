/* Outcomes. Every emitted signal (taken, dismissed or not) is followed on the
 * later candles of its own symbol x timeframe as the bracket a user would hold:
 * entry at its price, its stop, its targets with the scale-out, costs taken off
 * (eval.h's bracket walk, the same the backtest's random baseline uses). The
 * outcome is the highest target reached before the stop, the stop if it came
 * first, or expiry after outcome_candles; it carries the R realised before and
 * after costs and whether price went 1 R in favour before the stop. A settled
 * outcome updates the voters', the pattern's and the symbol x timeframe's rates
 * of reaching 1 R before the stop (a fixed yardstick: targets may be capped), and
 * the calibrator that turns the pooled vote into a probability. */
#include "signal_internal.h"

#include <math.h>
#include <string.h>

double hit_rate_value(const struct hit_rate *h)
{
    return h->n ? (double)h->hits / h->n : NAN;
}

void outcome_start(struct signal *s, const struct signal_params *p)
{
    double tp[EVAL_TP];
    for (int k = 0; k < EVAL_TP; k++)
        tp[k] = s->tp[k];
    eval_bracket_init(&s->walk, s->side, s->entry, s->stop, tp, p->tp_frac, p->outcome_candles, s->cost_r);
}

bool outcome_step(struct signal *s, const struct candle *c, int outcome_candles)
{
    if (s->outcome != OUTCOME_OPEN)
        return false;
    s->candles_seen++;
    struct eval_bracket *b = &s->walk;
    if (!(b->R > 0))
        return false;
    b->horizon = outcome_candles;
    bool done = eval_bracket_step(b, c);
    s->best_tp = (int8_t)b->best_tp;
    if (!done)
        return false;
    s->outcome = (int8_t)(b->best_tp ? OUTCOME_TP1 + b->best_tp - 1 : b->stopped ? OUTCOME_STOP : OUTCOME_EXPIRY);
    s->r_gross = (float)b->r_gross;
    s->r_net = (float)b->r_net;
    s->hit_1r = b->reached_1r;
    return true;
}

void outcome_track(struct signal_engine *se, const struct signal *s)
{
    if (se->nt == SIGNAL_TRACK_MAX) {
        /* full: the oldest open signal is settled as expired without a verdict */
        se->track[0] = se->track[--se->nt];
    }
    struct signal *t = &se->track[se->nt++];
    *t = *s;
    if (!(t->walk.R > 0)) {            /* restored from storage: the walk starts again */
        const struct signal_params *p = &se->p[t->sym];
        if (!(t->cost_r > 0))
            t->cost_r = (float)eval_cost_r(p->cost_frac, t->entry, t->stop);
        outcome_start(t, p);
        t->walk.seen = t->candles_seen;
    }
}

static void hr_add(struct hit_rate *h, bool hit)
{
    h->n++;
    h->hits += hit;
}

static void learn(struct signal_engine *se, const struct signal *t)
{
    bool hit = t->hit_1r;
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
    if (t->source == SIGNAL_SOURCE_ENGINE && t->pooled > 0)
        eval_calibrator_add(&se->cal[t->sym][t->tf], t->pooled, t->hit_1r);
    se->log_settled[se->n_settled++ % SIGNAL_LOG_MAX] = *t;
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
        /* the stored form keeps the targets reached, not the path: 1 R counts
         * as reached when a reached target lies at least 1 R out */
        struct signal t = *s;
        double R = fabs(s->entry - s->stop);
        t.hit_1r = false;
        for (int k = 0; k < s->best_tp && k < 4; k++)
            t.hit_1r |= R > 0 && s->side * (s->tp[k] - s->entry) >= R * (1 - 1e-9);
        learn(se, &t);
        return;
    }
    if (s->source == SIGNAL_SOURCE_ENGINE)
        outcome_track(se, s);
    if ((s->state == SIGNAL_NEW || s->state == SIGNAL_TAKEN) && se->nq < SIGNAL_QUEUE_MAX)
        se->queue[se->nq++] = *s;
}
