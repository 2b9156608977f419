/* Bootstrap interval of a mean, resampling whole days: signals on one day share
 * the day's market, so days, not signals, are the independent units. */
#include "alphapulse/eval.h"

#include <stdlib.h>

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int eval_bootstrap_mean(const double *x, const int64_t *day, size_t n, int draws, uint64_t seed,
                        struct eval_ci *out)
{
    *out = (struct eval_ci){ 0 };
    if (n == 0 || draws < 1)
        return -1;
    size_t *start = malloc((n + 1) * sizeof *start);
    double *daysum = malloc(n * sizeof *daysum), *m = malloc((size_t)draws * sizeof *m);
    if (!start || !daysum || !m) {
        free(start);
        free(daysum);
        free(m);
        return -1;
    }
    size_t nd = 0;
    double total = 0;
    for (size_t i = 0; i < n; i++) {
        if (i == 0 || day[i] != day[i - 1]) {
            start[nd] = i;
            daysum[nd++] = 0;
        }
        daysum[nd - 1] += x[i];
        total += x[i];
    }
    start[nd] = n;
    struct eval_rng r;
    eval_rng_seed(&r, seed);
    for (int k = 0; k < draws; k++) {
        double s = 0;
        size_t cnt = 0;
        for (size_t j = 0; j < nd; j++) {
            size_t d = eval_rng_below(&r, nd);
            s += daysum[d];
            cnt += start[d + 1] - start[d];
        }
        m[k] = s / (double)cnt;
    }
    qsort(m, (size_t)draws, sizeof *m, cmp_double);
    out->mean = total / (double)n;
    out->n = n;
    out->lo = m[(size_t)(0.025 * (draws - 1) + 0.5)];
    out->hi = m[(size_t)(0.975 * (draws - 1) + 0.5)];
    free(start);
    free(daysum);
    free(m);
    return 0;
}
