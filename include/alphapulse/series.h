/* A fixed-capacity ring of candles for one symbol x timeframe: the newest N
 * candles, oldest overwritten. Sized once; pushing never allocates. */
#ifndef ALPHAPULSE_SERIES_H
#define ALPHAPULSE_SERIES_H
#include <stddef.h>
#include "alphapulse/candle.h"

struct series {
    struct candle *buf;
    size_t cap, len, head;     /* head: index of the oldest candle in buf */
};

int series_init(struct series *s, size_t cap);
void series_free(struct series *s);
void series_push(struct series *s, const struct candle *c);
/* i = 0 is the oldest held candle, len - 1 the newest; NULL when out of range */
const struct candle *series_at(const struct series *s, size_t i);
/* The index in buf of the i-th held candle (i < len), for arrays kept parallel to
 * the ring (indicator values, pattern marks). */
static inline size_t series_slot(const struct series *s, size_t i) { return (s->head + i) % s->cap; }
const struct candle *series_last(const struct series *s);
struct candle *series_last_mut(struct series *s);

#endif
