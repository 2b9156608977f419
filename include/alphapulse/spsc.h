/* Bounded single-producer single-consumer queue of fixed-size elements, lock-free.
 * One thread pushes, one thread pops; capacity is fixed at init. */
#ifndef ALPHAPULSE_SPSC_H
#define ALPHAPULSE_SPSC_H
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

struct spsc {
    _Alignas(64) atomic_size_t head;   /* next slot to pop (consumer) */
    _Alignas(64) atomic_size_t tail;   /* next slot to push (producer) */
    _Alignas(64) unsigned char *buf;
    size_t elem, mask;
};

int spsc_init(struct spsc *q, size_t elem_size, size_t capacity); /* rounded up to 2^k */
void spsc_free(struct spsc *q);
bool spsc_push(struct spsc *q, const void *elem);   /* false when full */
bool spsc_pop(struct spsc *q, void *out);           /* false when empty */
size_t spsc_size(struct spsc *q);
size_t spsc_capacity(const struct spsc *q);

#endif
