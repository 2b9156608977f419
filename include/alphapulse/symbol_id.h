/* Venue-qualified symbols: `VENUE:SYMBOL`. Binance spot, the default venue, is
 * written bare (`BTCUSDT`; `binance:BTCUSDT` is accepted and canonicalised to
 * `BTCUSDT`); every other venue is qualified (`bybit:BTCUSDT`,
 * `bybit-linear:BTCUSDT`). The canonical string is what the engine, the store,
 * the watchlist and exports name an instrument by. The venues themselves are
 * the feed's: callers pass the known names (NULL-terminated), so an unknown one
 * is reported with the list of known ones. */
#ifndef ALPHAPULSE_SYMBOL_ID_H
#define ALPHAPULSE_SYMBOL_ID_H
#include <stddef.h>
#include "alphapulse/instrument.h"

#define VENUE_NAME_MAX 16          /* "bybit-linear" */
#define VENUE_DEFAULT "binance"    /* the venue of a bare symbol */
#define SYMBOL_ID_EXCHANGE_MAX 20  /* the exchange's own symbol: at most 20 characters */

struct symbol_id {
    char venue[VENUE_NAME_MAX];    /* lower case: "binance", "bybit" */
    char symbol[SYMBOL_MAX];       /* the exchange's symbol, upper case: "BTCUSDT" */
};

/* text[0..len): "BTCUSDT", "btcusdt", "binance:BTCUSDT", "Bybit:btcusdt". Venue
 * names are lower-cased, symbols upper-cased; a symbol is 1-20 letters and
 * digits, a venue 1-15 of a-z 0-9 '-'. venues: the known names (NULL: any
 * well-formed name). Returns 0, or -1 with the reason in err. */
int symbol_id_parse(const char *text, size_t len, const char *const *venues, struct symbol_id *out, char *err,
                    size_t err_len);
/* The canonical spelling: bare for the default venue, VENUE:SYMBOL otherwise. */
void symbol_id_format(const struct symbol_id *id, char out[SYMBOL_MAX]);
/* parse + format of a NUL-terminated text. */
int symbol_id_canonical(const char *text, const char *const *venues, char out[SYMBOL_MAX], char *err,
                        size_t err_len);
/* Split a canonical string (no checks: "bybit:BTCUSDT" -> bybit, BTCUSDT;
 * "BTCUSDT" -> binance, BTCUSDT). */
void symbol_id_split(const char *canonical, struct symbol_id *out);
/* "binance, bybit": the names for a message. */
void symbol_id_list_venues(const char *const *venues, char *out, size_t n);

#endif
