/* Instrument knowledge in one place: how a symbol splits into base and quote, which
 * currencies count as dollars, and what rules apply before the venue says. No
 * symbol is named here: real tick and step sizes come from the venue. */
#include "alphapulse/instrument.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Longest first where one ends another (FDUSD before USD), so the split is unique. */
static const char *const quotes[] = { "FDUSD", "USDT", "USDC", "TUSD", "BUSD", "USD", "EUR", "TRY", "BRL",
                                      "BTC", "ETH", "BNB" };

static const char *const dollars[] = { "USD", "USDT", "USDC", "BUSD", "FDUSD" };

bool instrument_split(const char *symbol, struct instrument *in)
{
    size_t n = strlen(symbol);
    for (size_t i = 0; i < sizeof quotes / sizeof quotes[0]; i++) {
        size_t q = strlen(quotes[i]);
        if (n > q && strcmp(symbol + n - q, quotes[i]) == 0) {
            snprintf(in->quote, sizeof in->quote, "%s", quotes[i]);
            snprintf(in->base, sizeof in->base, "%.*s", (int)(n - q < sizeof in->base - 1 ? n - q : sizeof in->base - 1),
                     symbol);
            return true;
        }
    }
    snprintf(in->base, sizeof in->base, "%.*s", (int)sizeof in->base - 1, symbol);
    in->quote[0] = 0;
    return false;
}

bool instrument_usd_like(const char *ccy)
{
    for (size_t i = 0; i < sizeof dollars / sizeof dollars[0]; i++)
        if (strcmp(ccy, dollars[i]) == 0)
            return true;
    return false;
}

bool instrument_same_money(const char *a, const char *b)
{
    return strcmp(a, b) == 0 || (instrument_usd_like(a) && instrument_usd_like(b));
}

void instrument_defaults(struct instrument *in)
{
    if (in->tick > 0 || in->step > 0 || in->min_notional > 0)
        return;                       /* the venue spoke: its rules stand as given */
    in->min_notional = instrument_usd_like(in->quote) ? 5 : 0;
}

/* Decimals v is written with: the smallest d with v * 10^d a whole number, to a
 * relative 1e-9 (what a decimal read into a double keeps). */
static int decimals(double v)
{
    double scaled = fabs(v);
    for (int d = 0; d < 8; d++, scaled *= 10)
        if (fabs(scaled - nearbyint(scaled)) <= 1e-9 * (scaled > 1 ? scaled : 1))
            return d;
    return 8;
}

void instrument_rules_from_candles(struct instrument *in, const struct candle *c, size_t n)
{
    if (in->tick > 0 || in->step > 0 || n == 0)
        return;
    int dp = 0, dv = 0;
    for (size_t i = 0; i < n; i++) {
        const double px[4] = { c[i].open, c[i].high, c[i].low, c[i].close };
        for (int k = 0; k < 4; k++) {
            int d = decimals(px[k]);
            if (d > dp)
                dp = d;
        }
        int d = decimals(c[i].volume);
        if (d > dv)
            dv = d;
    }
    in->tick = pow(10, -dp);
    in->step = pow(10, -dv);
}
