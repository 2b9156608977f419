/* The bracket walk: one trade with a stop and scale-out targets, judged candle
 * by candle in R. Signal outcomes and the random baseline both use it. */
#include "alphapulse/eval.h"

#include <math.h>
#include <string.h>

double eval_cost_r(double cost_frac, double entry, double stop)
{
    double R = fabs(entry - stop);
    return R > 0 ? cost_frac * entry / R : INFINITY;
}

int eval_bracket_init(struct eval_bracket *b, int side, double entry, double stop, const double tp[EVAL_TP],
                      const double frac[EVAL_TP], int horizon, double cost_r)
{
    memset(b, 0, sizeof *b);
    b->side = side;
    b->entry = entry;
    b->stop = stop;
    b->R = side * (entry - stop);
    b->cost_r = cost_r;
    b->horizon = horizon;
    b->left = 1;
    if (!(b->R > 0) || (side != 1 && side != -1))
        return -1;
    double sum = 0;
    int last = -1;
    for (int k = 0; k < EVAL_TP; k++) {
        b->tp[k] = tp[k];
        b->frac[k] = tp[k] > 0 && frac[k] > 0 ? frac[k] : 0;
        sum += b->frac[k];
        if (tp[k] > 0)
            last = k;
    }
    int ntp = last + 1;
    if (ntp > 0 && !(sum > 0))
        for (int k = 0; k < ntp; k++)
            b->frac[k] = 1.0 / ntp;
    if (last >= 0) {        /* the last target closes what is left */
        double before = 0;
        for (int k = 0; k < last; k++)
            before += b->frac[k];
        b->frac[last] = before < 1 ? 1 - before : 0;
    }
    return 0;
}

static void finish(struct eval_bracket *b, double exit_r)
{
    b->r_gross = b->banked + b->left * exit_r;
    b->r_net = b->r_gross - b->cost_r;
    b->done = true;
}

bool eval_bracket_step(struct eval_bracket *b, const struct candle *c)
{
    if (b->done)
        return false;
    b->seen++;
    int d = b->side;
    double adverse = d > 0 ? c->low : c->high, favour = d > 0 ? c->high : c->low;
    if (d * (adverse - b->stop) <= 0) {
        b->stopped = true;
        finish(b, d * (b->stop - b->entry) / b->R);
        return true;
    }
    if (d * (favour - b->entry) >= b->R)
        b->reached_1r = true;
    while (b->best_tp < EVAL_TP && b->tp[b->best_tp] > 0 && d * (favour - b->tp[b->best_tp]) >= 0) {
        double part = b->frac[b->best_tp] < b->left ? b->frac[b->best_tp] : b->left;
        b->banked += part * d * (b->tp[b->best_tp] - b->entry) / b->R;
        b->left -= part;
        b->best_tp++;
    }
    if (b->left <= 1e-12 || (b->best_tp > 0 && (b->best_tp == EVAL_TP || !(b->tp[b->best_tp] > 0)))) {
        finish(b, 0);
        return true;
    }
    if (b->seen >= b->horizon) {
        b->expired = true;
        finish(b, d * (c->close - b->entry) / b->R);
        return true;
    }
    return false;
}
