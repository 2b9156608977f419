/* Words of feed.symbols and --symbols that name many symbols at once, resolved
 * against the Binance spot listing (exchangeInfo) and its 24 h tickers:
 *   *QUOTE        every TRADING pair quoted in QUOTE          ("*USDT")
 *   top:N:QUOTE   the N TRADING QUOTE pairs with the most 24 h quote volume
 *   -SYMBOL       never this symbol, whichever word brought it ("-BTCDOWNUSDT");
 *                 a top:N ranks without it, so it still names N
 * Anything else is a symbol (symbol_id.h). Pure: the listing comes from the
 * caller, so a resolution is a function of what the exchange said. */
#ifndef ALPHAPULSE_SYMBOL_PATTERN_H
#define ALPHAPULSE_SYMBOL_PATTERN_H
#include <stdbool.h>
#include <stddef.h>
#include "alphapulse/instrument.h"

#define SYMBOL_PATTERN_TOP_MAX 5000     /* top:N: at most this many */

enum symbol_pattern_kind { SP_SYMBOL, SP_ALL, SP_TOP, SP_EXCLUDE };

struct symbol_pattern {
    int kind;                           /* enum symbol_pattern_kind */
    char quote[12];                     /* SP_ALL, SP_TOP: the quote asset, upper case */
    int top;                            /* SP_TOP: N */
    char symbol[SYMBOL_MAX];            /* SP_SYMBOL, SP_EXCLUDE: canonical (symbol_id.h) */
};

/* One word, trimmed by the caller. venues as symbol_id_parse's. Returns 0, or
 * -1 with what was wrong and what was expected in why. */
int symbol_pattern_parse(const char *word, const char *const *venues, struct symbol_pattern *p, char *why,
                         size_t why_len);
/* The canonical spelling of a parsed word ("*USDT", "top:100:USDT", "-BTCDOWNUSDT", "bybit:ETHUSDT"). */
void symbol_pattern_format(const struct symbol_pattern *p, char out[SYMBOL_MAX]);
/* Does the list need the venue's listing (a * or top: word) / its 24 h volumes (top:)? */
bool symbol_patterns_need_listing(const struct symbol_pattern *p, int n);
bool symbol_patterns_need_volume(const struct symbol_pattern *p, int n);

/* One pair of the Binance spot listing, with its 24 h quote volume (0 if unknown). */
struct symbol_listed {
    char symbol[SYMBOL_MAX];            /* the exchange's name: BTCUSDT */
    char quote[12];
    bool trading;
    double quote_volume;
};

/* The words in order, patterns expanded over listed[0..m) (ties in volume by
 * name), exclusions applied last, each symbol once: into out (room for cap).
 * Returns the count, or -1 with why (more than cap). A pattern matching nothing
 * is not an error: the exchange decides what it lists. */
int symbol_patterns_resolve(const struct symbol_pattern *p, int n, const struct symbol_listed *listed, int m,
                            char (*out)[SYMBOL_MAX], int cap, char *why, size_t why_len);

#endif
