/* splitmix64: small, fast and the same everywhere, so seeded draws reproduce. */
#include "alphapulse/eval.h"

void eval_rng_seed(struct eval_rng *r, uint64_t seed) { r->s = seed; }

uint64_t eval_rng_next(struct eval_rng *r)
{
    uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

size_t eval_rng_below(struct eval_rng *r, size_t n)
{
    /* rejection keeps it uniform: the modulo bias matters for small n only */
    uint64_t lim = UINT64_MAX - UINT64_MAX % n;
    uint64_t v;
    do
        v = eval_rng_next(r);
    while (v >= lim);
    return (size_t)(v % n);
}
