/* Symbol name -> index, by hash: open addressing over a power-of-two table kept
 * at most half full, so a lookup is O(1) at any number of symbols. The names
 * themselves live with the caller; the table keeps a copy of each key. */
#ifndef ALPHAPULSE_SYMTAB_H
#define ALPHAPULSE_SYMTAB_H
#include "alphapulse/instrument.h"

struct symtab_slot { char name[SYMBOL_MAX]; int index; };   /* index -1: empty */

struct symtab {
    struct symtab_slot *slot;
    int cap, n;
};

void symtab_init(struct symtab *t);                 /* empty, allocates nothing */
void symtab_free(struct symtab *t);
/* name -> index (replacing an earlier entry of the same name); -1 when out of memory. */
int symtab_put(struct symtab *t, const char *name, int index);
int symtab_get(const struct symtab *t, const char *name);   /* index, or -1 */

#endif
