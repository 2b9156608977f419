/* What the session knows about one traded symbol: its name, base and quote
 * currencies and the venue's rules (tick, step, minimum notional). The venue's
 * exchange information fills it; the guesses here only stand in until it does. */
#ifndef ALPHAPULSE_INSTRUMENT_H
#define ALPHAPULSE_INSTRUMENT_H
#include <stdbool.h>
#include <stddef.h>
#include "alphapulse/candle.h"

#define SYMBOL_MAX 40          /* a canonical symbol: BTCUSDT, bybit-linear:1000PEPEUSDT (symbol_id.h) */
#define INSTRUMENTS_MAX 64     /* symbols one session can hold */

struct instrument {
    char symbol[SYMBOL_MAX];
    char base[12], quote[12];
    char market[48];           /* e.g. "Binance spot" or the demo data's origin */
    /* exchange rules: from the venue (exchangeInfo live, the manifest in the demo);
     * 0 until known: instrument_defaults fills what can be derived */
    double tick, step, min_notional;
    bool perpetual;            /* a perpetual future (the venue's), else spot */
};

/* base and quote from a symbol such as BTCUSDT or ETHBTC, by the quote currencies
 * the venue lists; false (base = the whole symbol, quote empty) when none matches. */
bool instrument_split(const char *symbol, struct instrument *in);
/* Currencies worth one US dollar each, so a USDT account values a USDC quote 1:1. */
bool instrument_usd_like(const char *ccy);
/* Do two currencies count as the same money (equal, or both dollar-like)? */
bool instrument_same_money(const char *a, const char *b);
/* Rules not given by the venue: no rounding (the feed's own precision), and a
 * minimum order of 5 in a dollar-like quote (the venue's usual floor). */
void instrument_defaults(struct instrument *in);
/* Rules read off recorded candles when no venue is at hand (a backtest of a CSV
 * file): the tick is the finest decimal the prices use, the step the finest the
 * volumes use (at most 8 decimals). Leaves rules already known alone. */
void instrument_rules_from_candles(struct instrument *in, const struct candle *c, size_t n);
/* Decimals of a tick or step (0.01: 2, 1e-8: 8, 1: 0); -1 when unknown (<= 0). */
int instrument_decimals(double inc);
/* A price in its tick (or a quantity in its step): as many decimals as the
 * increment has, rounded to it, never an exponent; without an increment, 8
 * significant digits. */
void instrument_fmt(double inc, double v, char *buf, size_t n);
/* The same without trailing zeros (messages: "SL 98", "filled BUY 1 BTCUSDT"). */
void instrument_fmt_short(double inc, double v, char *buf, size_t n);

#endif
