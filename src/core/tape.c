/* Trade tape ring. */
#include "alphapulse/tape.h"

#include <string.h>

void tape_init(struct tape *t)
{
    memset(t, 0, sizeof *t);
}

bool tape_push(struct tape *t, const struct tape_trade *tr)
{
    if (t->last_id != 0 && tr->id <= t->last_id) {
        t->stale++;
        return false;
    }
    if (t->last_id != 0 && tr->id != t->last_id + 1)
        t->gaps++;
    t->t[t->head] = *tr;
    t->head = (t->head + 1) % TAPE_MAX;
    if (t->n < TAPE_MAX)
        t->n++;
    t->last_id = tr->id;
    return true;
}

size_t tape_len(const struct tape *t) { return t->n; }

const struct tape_trade *tape_get(const struct tape *t, size_t k)
{
    if (k >= t->n)
        return NULL;
    return &t->t[(t->head + TAPE_MAX - 1 - k) % TAPE_MAX];
}
