/* Symbol name -> index by hash (FNV-1a, linear probing). The table doubles when
 * it would pass half full, so probes stay short; entries are never removed (a
 * session's symbols only grow). */
#include "alphapulse/symtab.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint32_t hash(const char *s)
{
    uint32_t h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (uint8_t)*s) * 16777619u;
    return h;
}

void symtab_init(struct symtab *t) { memset(t, 0, sizeof *t); }

void symtab_free(struct symtab *t)
{
    free(t->slot);
    symtab_init(t);
}

/* The slot holding name, or the empty slot where it would go. */
static struct symtab_slot *probe(struct symtab_slot *slot, int cap, const char *name)
{
    uint32_t mask = (uint32_t)cap - 1, i = hash(name) & mask;
    while (slot[i].index >= 0 && strncmp(slot[i].name, name, SYMBOL_MAX) != 0)
        i = (i + 1) & mask;
    return &slot[i];
}

static int rehash(struct symtab *t, int cap)
{
    struct symtab_slot *s = malloc(sizeof *s * (size_t)cap);
    if (!s)
        return -1;
    for (int i = 0; i < cap; i++)
        s[i].index = -1;
    for (int i = 0; i < t->cap; i++)
        if (t->slot[i].index >= 0)
            *probe(s, cap, t->slot[i].name) = t->slot[i];
    free(t->slot);
    t->slot = s;
    t->cap = cap;
    return 0;
}

int symtab_put(struct symtab *t, const char *name, int index)
{
    if (2 * (t->n + 1) > t->cap && rehash(t, t->cap ? 2 * t->cap : 16) != 0)
        return -1;
    struct symtab_slot *s = probe(t->slot, t->cap, name);
    if (s->index < 0) {
        snprintf(s->name, sizeof s->name, "%s", name);
        t->n++;
    }
    s->index = index;
    return 0;
}

int symtab_get(const struct symtab *t, const char *name)
{
    if (!t->cap)
        return -1;
    return probe(t->slot, t->cap, name)->index;
}
