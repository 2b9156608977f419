/* feed.symbols patterns: their syntax and messages, and their expansion over a
 * listing (trading pairs only, ranking by 24 h quote volume with ties by name,
 * exclusions before ranking, each symbol once, the cap). */
#include <string.h>

#include "harness.h"
#include "alphapulse/symbol_pattern.h"

static const char *const venues[] = { "binance", "bybit", "bybit-linear", NULL };

static void parses_and_explains(void)
{
    struct symbol_pattern p;
    char why[400], out[SYMBOL_MAX];
    CHECK(symbol_pattern_parse("*usdt", venues, &p, why, sizeof why) == 0 && p.kind == SP_ALL);
    symbol_pattern_format(&p, out);
    CHECK(strcmp(out, "*USDT") == 0);
    CHECK(symbol_pattern_parse("TOP:100:fdusd", venues, &p, why, sizeof why) == 0 && p.kind == SP_TOP && p.top == 100);
    symbol_pattern_format(&p, out);
    CHECK(strcmp(out, "top:100:FDUSD") == 0);
    CHECK(symbol_pattern_parse("-binance:btcdownusdt", venues, &p, why, sizeof why) == 0 && p.kind == SP_EXCLUDE);
    symbol_pattern_format(&p, out);
    CHECK(strcmp(out, "-BTCDOWNUSDT") == 0);
    CHECK(symbol_pattern_parse("bybit:ethusdt", venues, &p, why, sizeof why) == 0 && p.kind == SP_SYMBOL);
    CHECK(strcmp(p.symbol, "bybit:ETHUSDT") == 0);
    const struct { const char *word, *want; } bad[] = {
        { "*", "expected * and a quote asset such as \"*USDT\"" },
        { "*US-DT", "expected * and a quote asset" },
        { "top:0:USDT", "N from 1 to 5000" },
        { "top:5001:USDT", "N from 1 to 5000" },
        { "top:10", "expected top:N:QUOTE" },
        { "top:ten:USDT", "expected top:N:QUOTE" },
        { "top:10:", "expected top:N:QUOTE" },
        { "-", "expected - and a symbol to leave out" },
        { "-kraken:XBT", "unknown venue \"kraken\"" },
        { "BTC/USDT", "or a pattern: \"*USDT\"" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        CHECK_MSG(symbol_pattern_parse(bad[i].word, venues, &p, why, sizeof why) == -1 && strstr(why, bad[i].want),
                  "%s: %s", bad[i].word, why);
}

static const struct symbol_listed market[] = {
    { "BTCUSDT", "USDT", true, 9e9 },   { "ETHUSDT", "USDT", true, 5e9 },  { "SOLUSDT", "USDT", true, 2e9 },
    { "XRPUSDT", "USDT", true, 2e9 },   { "BTCDOWNUSDT", "USDT", true, 8e9 },
    { "OLDUSDT", "USDT", false, 7e9 },  /* halted: never named by a pattern */
    { "ETHBTC", "BTC", true, 6e9 },     { "NOVOLUSDT", "USDT", true, 0 },
};
#define M (int)(sizeof market / sizeof market[0])

static int resolve(const char *const *words, int n, char (*out)[SYMBOL_MAX], int cap, char *why)
{
    struct symbol_pattern p[8];
    for (int i = 0; i < n; i++)
        if (symbol_pattern_parse(words[i], venues, &p[i], why, 300))
            return -2;
    return symbol_patterns_resolve(p, n, market, M, out, cap, why, 300);
}

static void resolves_over_a_listing(void)
{
    char out[16][SYMBOL_MAX], why[300];
    /* top:3 ranks without the excluded pair (still three), the halted one never
     * counts, a tie in volume goes by name, a symbol named twice is kept once */
    const char *w1[] = { "ETHUSDT", "top:3:USDT", "-BTCDOWNUSDT", "bybit:SOLUSDT" };
    CHECK(resolve(w1, 4, out, 16, why) == 4);
    CHECK(strcmp(out[0], "ETHUSDT") == 0 && strcmp(out[1], "BTCUSDT") == 0 && strcmp(out[2], "SOLUSDT") == 0 &&
          strcmp(out[3], "bybit:SOLUSDT") == 0);
    /* every trading USDT pair in the listing's order, less the exclusions */
    const char *w2[] = { "*USDT", "-SOLUSDT" };
    CHECK(resolve(w2, 2, out, 16, why) == 5);
    CHECK(strcmp(out[0], "BTCUSDT") == 0 && strcmp(out[1], "ETHUSDT") == 0 && strcmp(out[2], "XRPUSDT") == 0 &&
          strcmp(out[3], "BTCDOWNUSDT") == 0 && strcmp(out[4], "NOVOLUSDT") == 0);
    /* an exclusion wins over a plain symbol too; a quote nobody trades names nothing */
    const char *w3[] = { "ETHBTC", "-ETHBTC", "*EUR", "top:2:BTC" };
    CHECK(resolve(w3, 4, out, 16, why) == 0);
    /* more than the cap: refused with the cap named */
    const char *w4[] = { "*USDT" };
    CHECK(resolve(w4, 1, out, 3, why) == -1 && strstr(why, "more than 3 symbols"));
}

int main(void)
{
    RUN(parses_and_explains);
    RUN(resolves_over_a_listing);
    HARNESS_EXIT();
}
