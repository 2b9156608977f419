/* The snapshot requests shared by the engine and the feed. */
#include "alphapulse/depth_demand.h"

#include <stdio.h>
#include <string.h>

void depth_demand_init(struct depth_demand *d, const char (*symbols)[SYMBOL_MAX], int n)
{
    d->n = n < INSTRUMENTS_MAX ? n : INSTRUMENTS_MAX;
    for (int i = 0; i < d->n; i++) {
        snprintf(d->symbol[i], SYMBOL_MAX, "%s", symbols[i]);
        atomic_init(&d->wanted[i], 1);
    }
}

int depth_demand_find(const struct depth_demand *d, const char *symbol)
{
    for (int i = 0; i < d->n; i++)
        if (strcmp(d->symbol[i], symbol) == 0)
            return i;
    return -1;
}
