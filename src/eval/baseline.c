/* Random baseline: the same number of trades with the signals' sides,
 * timeframes, stop and target geometry and costs, entered at random closes.
 * Signals that do not beat it have no edge beyond their geometry. */
#include "alphapulse/eval.h"

#include <math.h>

int eval_random_baseline(const struct eval_series series[TF_COUNT], const struct eval_geom *g, size_t n,
                         int draws, uint64_t seed, double *mean_gross, double *mean_net)
{
    for (size_t i = 0; i < n; i++) {
        if (g[i].tf < 0 || g[i].tf >= TF_COUNT)
            return -1;
        const struct eval_series *s = &series[g[i].tf];
        if (!s->c || s->n < s->from + 2)
            return -1;
    }
    struct eval_rng r;
    eval_rng_seed(&r, seed);
    for (int d = 0; d < draws; d++) {
        double sg = 0, sn = 0;
        for (size_t i = 0; i < n; i++) {
            const struct eval_geom *q = &g[i];
            const struct eval_series *s = &series[q->tf];
            size_t at = s->from + eval_rng_below(&r, s->n - 1 - s->from);
            double e = s->c[at].close, R = q->stop_frac * e, tp[EVAL_TP];
            for (int k = 0; k < EVAL_TP; k++)
                tp[k] = q->tp_r[k] > 0 ? e + q->side * q->tp_r[k] * R : 0;
            struct eval_bracket b;
            if (eval_bracket_init(&b, q->side, e, e - q->side * R, tp, q->frac, q->horizon, q->cost_r))
                return -1;
            for (size_t j = at + 1; j < s->n && !eval_bracket_step(&b, &s->c[j]);)
                j++;
            if (!b.done) {      /* the data ended first: out at the last close */
                b.r_gross = b.banked + b.left * q->side * (s->c[s->n - 1].close - e) / R;
                b.r_net = b.r_gross - b.cost_r;
            }
            sg += b.r_gross;
            sn += b.r_net;
        }
        mean_gross[d] = n ? sg / (double)n : NAN;
        mean_net[d] = n ? sn / (double)n : NAN;
    }
    return 0;
}

double eval_rank_p(const double *draws, size_t n, double x)
{
    size_t ge = 0;
    for (size_t i = 0; i < n; i++)
        ge += draws[i] >= x;
    return (1.0 + (double)ge) / (1.0 + (double)n);
}
