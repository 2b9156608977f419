/* Instrument names as the store keeps them: one canonical string per
 * (venue, symbol), bare for the default venue (Binance spot), so that the
 * rows of databases written before venues existed keep their meaning. */
#include "alphapulse/store.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

static const char *skip_default_venue(const char *s)
{
    size_t n = strlen(STORE_DEFAULT_VENUE);
    if (strncasecmp(s, STORE_DEFAULT_VENUE, n) == 0 && s[n] == ':')
        return s + n + 1;
    return s;
}

void store_symbol_canonical(const char *symbol, char *out, size_t n)
{
    if (n == 0)
        return;
    /* memmove: out may be symbol itself (the canonical form is never longer) */
    const char *s = skip_default_venue(symbol ? symbol : "");
    size_t len = strlen(s);
    if (len >= n)
        len = n - 1;
    memmove(out, s, len);
    out[len] = 0;
}

int store_symbol_split(const char *symbol, char *venue, size_t venue_len, char *bare, size_t bare_len)
{
    const char *s = skip_default_venue(symbol ? symbol : "");
    const char *colon = strchr(s, ':');
    const char *v = STORE_DEFAULT_VENUE;
    size_t vlen = strlen(STORE_DEFAULT_VENUE);
    if (colon) {
        v = s;
        vlen = (size_t)(colon - s);
        s = colon + 1;
    }
    size_t slen = strlen(s);
    if (vlen == 0 || slen == 0 || vlen >= venue_len || slen >= bare_len || strchr(s, ':'))
        return -1;
    memcpy(venue, v, vlen);
    venue[vlen] = 0;
    memcpy(bare, s, slen + 1);
    return 0;
}
