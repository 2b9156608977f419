/* Backoff schedule. Half of the delay is fixed and half random: the fixed half
 * keeps a flapping server from being hammered, the random half spreads clients. */
#include "alphapulse/backoff.h"

void backoff_init(struct backoff *b, int64_t base_ms, int64_t cap_ms, uint64_t seed)
{
    b->base_ms = base_ms > 0 ? base_ms : 1;
    b->cap_ms = cap_ms >= b->base_ms ? cap_ms : b->base_ms;
    b->attempt = 0;
    b->rng = seed ? seed : 0x9e3779b97f4a7c15ULL;
}

int64_t backoff_delay(int64_t base_ms, int64_t cap_ms, int attempt, double u)
{
    if (u < 0)
        u = 0;
    if (u >= 1)
        u = 0.999999;
    int64_t d = base_ms;
    for (int i = 0; i < attempt && d < cap_ms; i++)
        d *= 2;
    if (d > cap_ms)
        d = cap_ms;
    return (int64_t)((double)d * (0.5 + 0.5 * u));
}

static double draw(struct backoff *b)
{
    uint64_t x = b->rng;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    b->rng = x;
    return (double)(x >> 11) / 9007199254740992.0;   /* 2^53 */
}

int64_t backoff_next(struct backoff *b)
{
    int64_t d = backoff_delay(b->base_ms, b->cap_ms, b->attempt, draw(b));
    if (b->attempt < 62)
        b->attempt++;
    return d;
}

void backoff_reset(struct backoff *b) { b->attempt = 0; }
