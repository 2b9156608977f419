/* SPSC ring: acquire/release on head and tail is all the ordering needed with
 * exactly one producer and one consumer. */
#include "alphapulse/spsc.h"

#include <stdlib.h>
#include <string.h>

int spsc_init(struct spsc *q, size_t elem_size, size_t capacity)
{
    size_t cap = 2;
    while (cap < capacity)
        cap <<= 1;
    q->buf = malloc(cap * elem_size);
    if (!q->buf)
        return -1;
    q->elem = elem_size;
    q->mask = cap - 1;
    atomic_init(&q->head, 0);
    atomic_init(&q->tail, 0);
    return 0;
}

void spsc_free(struct spsc *q)
{
    free(q->buf);
    q->buf = NULL;
}

bool spsc_push(struct spsc *q, const void *elem)
{
    size_t tail = atomic_load_explicit(&q->tail, memory_order_relaxed);
    size_t head = atomic_load_explicit(&q->head, memory_order_acquire);
    if (tail - head > q->mask)
        return false;
    memcpy(q->buf + (tail & q->mask) * q->elem, elem, q->elem);
    atomic_store_explicit(&q->tail, tail + 1, memory_order_release);
    return true;
}

bool spsc_pop(struct spsc *q, void *out)
{
    size_t head = atomic_load_explicit(&q->head, memory_order_relaxed);
    size_t tail = atomic_load_explicit(&q->tail, memory_order_acquire);
    if (head == tail)
        return false;
    memcpy(out, q->buf + (head & q->mask) * q->elem, q->elem);
    atomic_store_explicit(&q->head, head + 1, memory_order_release);
    return true;
}

size_t spsc_size(struct spsc *q)
{
    return atomic_load_explicit(&q->tail, memory_order_acquire) -
           atomic_load_explicit(&q->head, memory_order_acquire);
}

size_t spsc_capacity(const struct spsc *q) { return q->mask + 1; }
