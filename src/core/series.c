/* Ring buffer of candles. */
#include "alphapulse/series.h"

#include <stdlib.h>

int series_init(struct series *s, size_t cap)
{
    s->buf = calloc(cap ? cap : 1, sizeof *s->buf);
    s->cap = cap ? cap : 1;
    s->len = s->head = 0;
    return s->buf ? 0 : -1;
}

void series_free(struct series *s)
{
    free(s->buf);
    s->buf = NULL;
    s->cap = s->len = s->head = 0;
}

void series_push(struct series *s, const struct candle *c)
{
    if (s->len < s->cap) {
        s->buf[series_slot(s, s->len)] = *c;
        s->len++;
    } else {
        s->buf[s->head] = *c;
        s->head = (s->head + 1) % s->cap;
    }
}

const struct candle *series_at(const struct series *s, size_t i)
{
    return i < s->len ? &s->buf[series_slot(s, i)] : NULL;
}

const struct candle *series_last(const struct series *s)
{
    return s->len ? &s->buf[series_slot(s, s->len - 1)] : NULL;
}

struct candle *series_last_mut(struct series *s)
{
    return s->len ? &s->buf[series_slot(s, s->len - 1)] : NULL;
}
