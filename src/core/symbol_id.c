/* Parsing and spelling venue-qualified symbols (symbol_id.h). Pure functions. */
#include "alphapulse/symbol_id.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

void symbol_id_list_venues(const char *const *venues, char *out, size_t n)
{
    size_t w = 0;
    out[0] = 0;
    for (int i = 0; venues && venues[i] && w < n; i++)
        w += (size_t)snprintf(out + w, n - w, "%s%s", i ? ", " : "", venues[i]);
}

int symbol_id_parse(const char *text, size_t len, const char *const *venues, struct symbol_id *out, char *err,
                    size_t err_len)
{
    memset(out, 0, sizeof *out);
    const char *colon = memchr(text, ':', len);
    const char *sym = colon ? colon + 1 : text;
    size_t vlen = colon ? (size_t)(colon - text) : 0, slen = len - (size_t)(sym - text);
    if (colon) {
        if (vlen == 0 || vlen >= VENUE_NAME_MAX) {
            snprintf(err, err_len, "'%.*s': expected VENUE:SYMBOL with a venue name of 1-%d characters", (int)len,
                     text, VENUE_NAME_MAX - 1);
            return -1;
        }
        for (size_t i = 0; i < vlen; i++) {
            char ch = (char)tolower((unsigned char)text[i]);
            if (!(islower((unsigned char)ch) || isdigit((unsigned char)ch) || ch == '-')) {
                snprintf(err, err_len, "'%.*s': the venue name has a character other than a-z 0-9 -", (int)len,
                         text);
                return -1;
            }
            out->venue[i] = ch;
        }
    } else {
        snprintf(out->venue, sizeof out->venue, "%s", VENUE_DEFAULT);
    }
    if (slen == 0 || slen > SYMBOL_ID_EXCHANGE_MAX) {
        snprintf(err, err_len, "'%.*s': expected a symbol of 1-%d letters and digits, such as BTCUSDT", (int)len,
                 text, SYMBOL_ID_EXCHANGE_MAX);
        return -1;
    }
    for (size_t i = 0; i < slen; i++) {
        if (!isalnum((unsigned char)sym[i])) {
            snprintf(err, err_len, "'%.*s': expected letters and digits, such as BTCUSDT or bybit:BTCUSDT", (int)len, text);
            return -1;
        }
        out->symbol[i] = (char)toupper((unsigned char)sym[i]);
    }
    if (venues) {
        for (int i = 0; venues[i]; i++)
            if (strcmp(venues[i], out->venue) == 0)
                return 0;
        char known[160];
        symbol_id_list_venues(venues, known, sizeof known);
        snprintf(err, err_len, "'%.*s': unknown venue \"%s\" (known venues: %s)", (int)len, text, out->venue,
                 known);
        return -1;
    }
    return 0;
}

_Static_assert(VENUE_NAME_MAX + SYMBOL_ID_EXCHANGE_MAX < SYMBOL_MAX, "the longest VENUE:SYMBOL must fit");

void symbol_id_format(const struct symbol_id *id, char out[SYMBOL_MAX])
{
    size_t w = 0;
    if (id->venue[0] && strcmp(id->venue, VENUE_DEFAULT) != 0) {
        size_t vl = strnlen(id->venue, VENUE_NAME_MAX - 1);
        memcpy(out, id->venue, vl);
        out[vl] = ':';
        w = vl + 1;
    }
    size_t sl = strnlen(id->symbol, SYMBOL_ID_EXCHANGE_MAX);
    memcpy(out + w, id->symbol, sl);
    out[w + sl] = 0;
}

int symbol_id_canonical(const char *text, const char *const *venues, char out[SYMBOL_MAX], char *err,
                        size_t err_len)
{
    struct symbol_id id;
    if (symbol_id_parse(text, strlen(text), venues, &id, err, err_len))
        return -1;
    symbol_id_format(&id, out);
    return 0;
}

void symbol_id_split(const char *canonical, struct symbol_id *out)
{
    memset(out, 0, sizeof *out);
    const char *colon = strchr(canonical, ':');
    if (!colon) {
        snprintf(out->venue, sizeof out->venue, "%s", VENUE_DEFAULT);
        snprintf(out->symbol, sizeof out->symbol, "%s", canonical);
        return;
    }
    snprintf(out->venue, sizeof out->venue, "%.*s", (int)(colon - canonical), canonical);
    snprintf(out->symbol, sizeof out->symbol, "%s", colon + 1);
}
