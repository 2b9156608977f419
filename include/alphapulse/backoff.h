/* Reconnect backoff: exponential, capped, with "equal jitter" so that many
 * clients that lost the same server do not come back in lock step. */
#ifndef ALPHAPULSE_BACKOFF_H
#define ALPHAPULSE_BACKOFF_H
#include <stdint.h>

struct backoff {
    int64_t base_ms, cap_ms;
    int attempt;               /* failures since the last success */
    uint64_t rng;              /* xorshift state; seeded by the caller */
};

void backoff_init(struct backoff *b, int64_t base_ms, int64_t cap_ms, uint64_t seed);
/* The delay before retry number `attempt` (0-based) for a jitter draw u in [0,1):
 * min(cap, base * 2^attempt) * (0.5 + 0.5 u). Pure, for tests and the schedule. */
int64_t backoff_delay(int64_t base_ms, int64_t cap_ms, int attempt, double u);
/* Next delay (draws the jitter, counts the attempt). */
int64_t backoff_next(struct backoff *b);
void backoff_reset(struct backoff *b);

#endif
