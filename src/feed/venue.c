/* The venue registry: every venue the program knows, one line each (VENUES).
 * A venue's table lives beside its code (src/feed/<venue>*.c). */
#include "alphapulse/venue.h"

#include <stdio.h>
#include <string.h>

/* ONE line per venue: its table's name. Bare symbols belong to VENUE_DEFAULT. */
#define VENUES          \
    X(venue_binance)    \
    X(venue_bybit)      \
    X(venue_bybit_linear) \
    X(venue_demo)

#define X(v) extern const struct venue v;
VENUES
#undef X

#define X(v) &v,
static const struct venue *const registry[] = { VENUES };
#undef X

#define N_VENUES ((int)(sizeof registry / sizeof registry[0]))
_Static_assert(sizeof registry / sizeof registry[0] <= VENUE_MAX, "more venues than VENUE_MAX");

const struct venue *venue_at(int i) { return i >= 0 && i < N_VENUES ? registry[i] : NULL; }

const struct venue *venue_find(const char *name)
{
    for (int i = 0; i < N_VENUES; i++)
        if (strcmp(registry[i]->name, name) == 0)
            return registry[i];
    return NULL;
}

const char *const *venue_names(void)
{
    /* built once from constant data; the same answer from every thread */
    static const char *names[VENUE_MAX + 1];
    int k = 0;
    for (int i = 0; i < N_VENUES; i++)
        if (!registry[i]->replay)
            names[k++] = registry[i]->name;
    names[k] = NULL;
    return names;
}

const struct venue *venue_of(const char *canonical)
{
    struct symbol_id id;
    symbol_id_split(canonical, &id);
    const struct venue *v = venue_find(id.venue);
    return v && !v->replay ? v : NULL;
}

int venue_symbol_canonical(const char *text, char out[SYMBOL_MAX], char *err, size_t err_len)
{
    struct symbol_id id;
    if (symbol_id_parse(text, strlen(text), venue_names(), &id, err, err_len))
        return -1;
    const struct venue *v = venue_find(id.venue);
    if (v->symbol_check && v->symbol_check(id.symbol, err, err_len))
        return -1;
    symbol_id_format(&id, out);
    return 0;
}

void venue_canonical(const struct venue *v, const char *exchange_symbol, char out[SYMBOL_MAX])
{
    struct symbol_id id;
    memset(&id, 0, sizeof id);
    snprintf(id.venue, sizeof id.venue, "%s", v->replay ? VENUE_DEFAULT : v->name);
    snprintf(id.symbol, sizeof id.symbol, "%s", exchange_symbol);
    symbol_id_format(&id, out);
}

const char *venue_status_name(int status)
{
    switch (status) {
    case VENUE_OK: return "ok";
    case VENUE_NETWORK: return "network error";
    case VENUE_RATE_LIMITED: return "rate limited";
    case VENUE_BAD_SYMBOL: return "invalid symbol";
    case VENUE_REJECTED: return "rejected";
    case VENUE_SERVER: return "server error";
    case VENUE_BAD_REPLY: return "bad reply";
    case VENUE_STOPPED: return "stopped";
    case VENUE_TLS: return "TLS refused";
    case VENUE_RESTRICTED: return "refused in this region";
    default: return "?";
    }
}
