/* Venue-qualified symbols: parsing, canonical spelling, and the errors a user
 * sees for a typo in a venue or a symbol. */
#include "harness.h"
#include "alphapulse/symbol_id.h"

static const char *const KNOWN[] = { "binance", "bybit", "bybit-linear", NULL };

static void canon(const char *in, const char *want)
{
    char out[SYMBOL_MAX], err[200] = "";
    int rc = symbol_id_canonical(in, KNOWN, out, err, sizeof err);
    CHECK_MSG(rc == 0 && strcmp(out, want) == 0, "'%s': rc %d, '%s' (%s), want '%s'", in, rc, rc ? "" : out, err,
              want);
}

static void refused(const char *in, const char *const *venues, const char *words)
{
    char out[SYMBOL_MAX], err[200] = "";
    int rc = symbol_id_canonical(in, venues, out, err, sizeof err);
    CHECK_MSG(rc == -1 && strstr(err, words), "'%s': rc %d, err '%s', want it to say '%s'", in, rc, err, words);
}

static void binance_is_bare_and_others_qualified(void)
{
    canon("BTCUSDT", "BTCUSDT");
    canon("btcusdt", "BTCUSDT");
    canon("binance:BTCUSDT", "BTCUSDT");
    canon("BINANCE:ethusdt", "ETHUSDT");
    canon("bybit:BTCUSDT", "bybit:BTCUSDT");
    canon("Bybit:btcusdt", "bybit:BTCUSDT");
    canon("bybit-linear:1000PEPEUSDT", "bybit-linear:1000PEPEUSDT");
    canon("bybit-linear:ABCDEFGHIJKLMNOPQRST", "bybit-linear:ABCDEFGHIJKLMNOPQRST");   /* 20: the longest */
}

static void errors_name_the_problem(void)
{
    refused("kraken:BTCUSDT", KNOWN, "unknown venue \"kraken\" (known venues: binance, bybit, bybit-linear)");
    refused("BTC-USDT", KNOWN, "expected letters and digits");
    refused("bybit:", KNOWN, "expected a symbol of 1-20");
    refused(":BTCUSDT", KNOWN, "venue name of 1-15");
    refused("by_bit:BTCUSDT", KNOWN, "a-z 0-9 -");
    refused("bybit:BTC:USDT", KNOWN, "expected letters and digits");
    refused("", KNOWN, "expected a symbol");
    refused("ABCDEFGHIJKLMNOPQRSTU", KNOWN, "1-20");
    static const char *const ONLY_BINANCE[] = { "binance", NULL };
    refused("bybit:BTCUSDT", ONLY_BINANCE, "(known venues: binance)");
    /* without a list, any well-formed venue passes */
    char out[SYMBOL_MAX], err[200];
    CHECK(symbol_id_canonical("kraken:xbtusd", NULL, out, err, sizeof err) == 0 && strcmp(out, "kraken:XBTUSD") == 0);
}

static void split_and_parse_agree(void)
{
    struct symbol_id id;
    symbol_id_split("BTCUSDT", &id);
    CHECK(strcmp(id.venue, "binance") == 0 && strcmp(id.symbol, "BTCUSDT") == 0);
    symbol_id_split("bybit-linear:SOLUSDT", &id);
    CHECK(strcmp(id.venue, "bybit-linear") == 0 && strcmp(id.symbol, "SOLUSDT") == 0);
    char err[200];
    CHECK(symbol_id_parse("bybit:ethusdt,xx", 13, KNOWN, &id, err, sizeof err) == 0);   /* a slice of a list */
    CHECK(strcmp(id.venue, "bybit") == 0 && strcmp(id.symbol, "ETHUSDT") == 0);
    char out[SYMBOL_MAX];
    symbol_id_format(&id, out);
    CHECK(strcmp(out, "bybit:ETHUSDT") == 0);
    /* the longest canonical form fits */
    CHECK(strlen("bybit-linear:") + SYMBOL_ID_EXCHANGE_MAX < SYMBOL_MAX);
}

int main(void)
{
    RUN(binance_is_bare_and_others_qualified);
    RUN(errors_name_the_problem);
    RUN(split_and_parse_agree);
    HARNESS_EXIT();
}
