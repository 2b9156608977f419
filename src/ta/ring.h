/* Ring storage of the windowed indicators: one allocation of n doubles per
 * indicator (zeroed), and its duplicate for NAME_copy. Private to src/ta. */
#ifndef ALPHAPULSE_TA_RING_H
#define ALPHAPULSE_TA_RING_H
#include <stdlib.h>
#include <string.h>

#include "alphapulse/indicators.h"

static inline double *ta_ring_new(size_t n)
{
    return calloc(n ? n : 1, sizeof(double));
}

static inline double *ta_ring_dup(const double *src, size_t n)
{
    double *d = malloc((n ? n : 1) * sizeof *d);
    if (d && n)
        memcpy(d, src, n * sizeof *d);
    return d;
}

/* The return of an init made of several: TA_NOMEM if any part had it, else -1
 * if any part clamped a period, else 0. */
static inline int ta_rc_join(int a, int b)
{
    return a == TA_NOMEM || b == TA_NOMEM ? TA_NOMEM : (a || b) ? -1 : 0;
}

#endif
