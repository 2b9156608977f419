/* REST kline rows, error bodies and exchangeInfo: the documented samples and
 * every bad shape, each refused with a reason naming the row and field. */
#include <stdlib.h>

#include "harness.h"
#include "alphapulse/binance_rest.h"

static const char ROW[] = "[1733007600000,\"96466.11000000\",\"96495.52000000\",\"96440.00000000\",\"96440.00000000\","
                          "\"6.61580000\",1733007659999,\"638158.1\",42,\"1.0\",\"2.0\",\"0\"]";

static int parse(const char *s, struct candle *out, size_t max, size_t *n, unsigned *rej, char *why)
{
    return binance_parse_klines(s, strlen(s), TF_1M, out, max, n, rej, why, 160);
}

static void parses_the_documented_sample(void)
{
    FILE *f = fopen("tests/data/samples/binance_klines_rest.json", "rb");
    CHECK(f != NULL);
    if (!f)
        return;
    char buf[4096];
    size_t len = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[len] = 0;
    struct candle c[4];
    size_t n;
    char why[160];
    /* the sample's rows are weekly (close time = open + 1w - 1): not 1m */
    CHECK(binance_parse_klines(buf, len, TF_1M, c, 4, &n, NULL, why, sizeof why) == -1);
    CHECK(strstr(why, "row 0") != NULL);
}

static void parses_good_rows(void)
{
    char s[1024];
    snprintf(s, sizeof s, "[%s,%s]", ROW, ROW);
    char *second = strstr(s + 2, "[1733007600000");
    memcpy(second + 1, "1733007660000", 13);                  /* next minute */
    char *ct = strstr(second, "1733007659999");
    memcpy(ct, "1733007719999", 13);
    struct candle c[4];
    size_t n;
    char why[160];
    CHECK(parse(s, c, 4, &n, NULL, why) == 0);
    CHECK(n == 2);
    CHECK(c[0].open_time == 1733007600000LL && c[1].open_time == 1733007660000LL);
    CHECK(c[0].open == 96466.11 && c[0].high == 96495.52 && c[0].low == 96440.0 && c[0].close == 96440.0);
    CHECK(c[0].volume == 6.6158 && c[0].trades == 42 && c[0].quote_volume == 638158.1);
    CHECK(parse("[]", c, 4, &n, NULL, why) == 0 && n == 0);
}

/* Each case replaces one piece of a good row. */
static void refuses_every_bad_shape(void)
{
    static const struct { const char *from, *to, *expect; } cases[] = {
        { "1733007600000,", "\"1733007600000\",", "field 0" },          /* open time as string */
        { "\"96466.11000000\"", "96466.11", "field 1" },                  /* price as number */
        { "\"96495.52000000\"", "null", "field 2" },
        { "\"96440.00000000\",\"96440", "\"abc\",\"96440", "field 3" },   /* not a number */
        { "\"6.61580000\"", "\"\"", "field 5" },                        /* empty */
        { "\"6.61580000\"", "\" 6.6\"", "field 5" },                    /* leading space */
        { "\"6.61580000\"", "\"6.6x\"", "field 5" },                    /* trailing junk */
        { "1733007659999", "1733007659998", "close time" },             /* wrong close time */
        { "1733007659999", "\"x\"", "field 6" },
        { "42,", "-1,", "field 8" },                                    /* negative trades */
        { "42,", "4.5,", "field 8" },
        { ",\"0\"]", "]", "12 fields" },                                /* 11 fields */
        { ",\"0\"]", ",\"0\",\"0\"]", "12 fields" },                    /* 13 fields */
        { "1733007600000,", "1733007600001,", "boundary" },             /* not on a minute */
        { "\"6.61580000\"", "\"1e999\"", "field 5" },                   /* out of range */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char row[512], s[600];
        snprintf(row, sizeof row, "%s", ROW);
        char *p = strstr(row, cases[i].from);
        CHECK_MSG(p != NULL, "case %zu: pattern not in the row", i);
        if (!p)
            continue;
        char tail[512];
        snprintf(tail, sizeof tail, "%s", p + strlen(cases[i].from));
        snprintf(p, sizeof row - (size_t)(p - row), "%s%s", cases[i].to, tail);
        snprintf(s, sizeof s, "[%s]", row);
        struct candle c[2];
        size_t n = 99;
        char why[160] = "";
        int rc = parse(s, c, 2, &n, NULL, why);
        CHECK_MSG(rc == -1 && n == 0, "case %zu accepted: %s", i, s);
        CHECK_MSG(strstr(why, cases[i].expect) != NULL, "case %zu: reason '%s', expected '%s'", i, why, cases[i].expect);
    }
    struct candle c[2];
    size_t n;
    char why[160];
    const char *whole[] = { "", "{}", "[1,2]", "[[]]", "[", "null", "[\"a\"]" };
    for (size_t i = 0; i < sizeof whole / sizeof whole[0]; i++)
        CHECK_MSG(parse(whole[i], c, 2, &n, NULL, why) == -1, "'%s' accepted", whole[i]);
}

static void order_and_capacity(void)
{
    char s[1024];
    snprintf(s, sizeof s, "[%s,%s]", ROW, ROW);                   /* same open time twice */
    struct candle c[4];
    size_t n;
    char why[160];
    CHECK(parse(s, c, 4, &n, NULL, why) == -1);
    CHECK(strstr(why, "not after") != NULL);
    snprintf(s, sizeof s, "[%s]", ROW);
    CHECK(parse(s, c, 0, &n, NULL, why) == -1);                   /* no room */
}

/* Rows that break candle rules are skipped and counted, not fatal. */
static void invalid_candles_counted(void)
{
    char row[512], s[1200];
    snprintf(row, sizeof row, "%s", ROW);
    char *hi = strstr(row, "\"96495.52000000\"");
    memcpy(hi, "\"90000.00000000\"", 16);                          /* high < low */
    char good[512];
    snprintf(good, sizeof good, "%s", ROW);
    memcpy(strstr(good, "1733007600000"), "1733007660000", 13);
    memcpy(strstr(good, "1733007659999"), "1733007719999", 13);
    snprintf(s, sizeof s, "[%s,%s]", row, good);
    struct candle c[4];
    size_t n;
    unsigned rej[CANDLE_RULE_COUNT] = { 0 };
    char why[160];
    CHECK(parse(s, c, 4, &n, rej, why) == 0);
    CHECK(n == 1 && c[0].open_time == 1733007660000LL);
    CHECK(rej[CANDLE_HIGH_LT_LOW] == 1);
    memcpy(strstr(s, "\"90000.00000000\""), "\"-1.00000000000\"", 16);
    memset(rej, 0, sizeof rej);
    CHECK(parse(s, c, 4, &n, rej, why) == 0 && rej[CANDLE_NONPOSITIVE] == 1);
}

static void error_bodies(void)
{
    FILE *f = fopen("tests/data/samples/binance_error.json", "rb");
    CHECK(f != NULL);
    if (!f)
        return;
    char buf[256];
    size_t len = fread(buf, 1, sizeof buf, f);
    fclose(f);
    int code = 0;
    char msg[64];
    CHECK(binance_parse_error(buf, len, &code, msg, sizeof msg) == 0);
    CHECK(code == BINANCE_BAD_SYMBOL && strcmp(msg, "Invalid symbol.") == 0);
    CHECK(binance_parse_error("{\"msg\":\"x\"}", 11, &code, msg, sizeof msg) == -1);
    CHECK(binance_parse_error("<html>", 6, &code, msg, sizeof msg) == -1);
}

static void exchange_info(void)
{
    const char *s = "{\"timezone\":\"UTC\",\"symbols\":[{\"symbol\":\"ETHBTC\",\"status\":\"BREAK\",\"baseAsset\":\"ETH\","
        "\"quoteAsset\":\"BTC\",\"filters\":[]},{\"symbol\":\"BTCUSDT\",\"status\":\"TRADING\",\"baseAsset\":\"BTC\","
        "\"quoteAsset\":\"USDT\",\"filters\":[{\"filterType\":\"PRICE_FILTER\",\"minPrice\":\"0.01\",\"maxPrice\":\"1000000\","
        "\"tickSize\":\"0.01000000\"},{\"filterType\":\"PERCENT_PRICE_BY_SIDE\",\"bidMultiplierUp\":\"5\"},"
        "{\"filterType\":\"LOT_SIZE\",\"minQty\":\"0.00001\",\"maxQty\":\"9000\",\"stepSize\":\"0.00001000\"},"
        "{\"filterType\":\"NOTIONAL\",\"minNotional\":\"5.00000000\",\"applyMinToMarket\":true}]}]}";
    struct binance_symbol_info in;
    char why[160];
    CHECK(binance_parse_symbol_info(s, strlen(s), "BTCUSDT", &in, why, sizeof why) == 0);
    CHECK(strcmp(in.status, "TRADING") == 0 && strcmp(in.base, "BTC") == 0 && strcmp(in.quote, "USDT") == 0);
    CHECK(in.tick_size == 0.01 && in.step_size == 0.00001 && in.min_notional == 5);
    CHECK(binance_parse_symbol_info(s, strlen(s), "ETHBTC", &in, why, sizeof why) == 0);
    CHECK(strcmp(in.status, "BREAK") == 0 && in.tick_size == 0);
    CHECK(binance_parse_symbol_info(s, strlen(s), "NOPE", &in, why, sizeof why) == -1);
    CHECK(strstr(why, "NOPE") != NULL);
    CHECK(binance_parse_symbol_info("{}", 2, "BTCUSDT", &in, why, sizeof why) == -1);
    CHECK(binance_parse_symbol_info("{", 1, "BTCUSDT", &in, why, sizeof why) == -1);
}

/* The whole list at once (malformed entries skipped) and the minute's weight limit. */
static void symbol_list_and_weight_limit(void)
{
    const char *s = "{\"rateLimits\":[{\"rateLimitType\":\"RAW_REQUESTS\",\"interval\":\"MINUTE\",\"intervalNum\":5,"
        "\"limit\":61000},{\"rateLimitType\":\"REQUEST_WEIGHT\",\"interval\":\"MINUTE\",\"intervalNum\":1,\"limit\":6000}],"
        "\"symbols\":[{\"symbol\":\"ETHBTC\",\"status\":\"BREAK\",\"baseAsset\":\"ETH\",\"quoteAsset\":\"BTC\","
        "\"filters\":[]},{\"symbol\":\"BAD\"},{\"symbol\":\"BTCUSDT\",\"status\":\"TRADING\",\"baseAsset\":\"BTC\","
        "\"quoteAsset\":\"USDT\",\"filters\":[{\"filterType\":\"LOT_SIZE\",\"stepSize\":\"0.001\"}]}]}";
    struct binance_symbol_info *list;
    size_t n;
    char why[160];
    CHECK(binance_parse_symbols(s, strlen(s), &list, &n, why, sizeof why) == 0);
    CHECK(n == 2 && strcmp(list[0].symbol, "ETHBTC") == 0 && strcmp(list[1].symbol, "BTCUSDT") == 0);
    CHECK(n == 2 && strcmp(list[1].status, "TRADING") == 0 && list[1].step_size == 0.001);
    free(list);
    CHECK(binance_parse_symbols("{\"symbols\":3}", 13, &list, &n, why, sizeof why) == -1 && !list && n == 0);
    CHECK(binance_parse_symbols("{", 1, &list, &n, why, sizeof why) == -1 && !list);
    CHECK(binance_parse_weight_limit(s, strlen(s)) == 6000);
    const char *h = "{\"rateLimits\":[{\"rateLimitType\":\"REQUEST_WEIGHT\",\"interval\":\"SECOND\",\"intervalNum\":10,"
        "\"limit\":100}]}";
    CHECK(binance_parse_weight_limit(h, strlen(h)) == -1);      /* not a per-minute limit */
    CHECK(binance_parse_weight_limit("{}", 2) == -1);
    CHECK(binance_parse_weight_limit("[", 1) == -1);
}

/* ticker/24hr of every symbol (Binance's documented fields, shortened): the quote
 * volume per symbol; an entry without one is skipped, a reply that is no list refused. */
static void tickers_24h(void)
{
    const char *body = "[{\"symbol\":\"BNBBTC\",\"priceChange\":\"-94.99999800\",\"lastPrice\":\"4.00000200\","
                       "\"volume\":\"8913.30000000\",\"quoteVolume\":\"15.30000000\",\"count\":76},"
                       "{\"symbol\":\"BTCUSDT\",\"quoteVolume\":\"1234567890.12345678\"},"
                       "{\"symbol\":\"NOVOL\"},{\"quoteVolume\":\"1\"},{\"symbol\":\"NUM\",\"quoteVolume\":12}]";
    struct binance_ticker *t;
    size_t n;
    char why[200];
    CHECK(binance_parse_tickers(body, strlen(body), &t, &n, why, sizeof why) == 0);
    CHECK(n == 2);
    if (n == 2) {
        CHECK(strcmp(t[0].symbol, "BNBBTC") == 0 && t[0].quote_volume == 15.3);
        CHECK(strcmp(t[1].symbol, "BTCUSDT") == 0 && fabs(t[1].quote_volume - 1234567890.12345678) < 1e-6);
    }
    free(t);
    CHECK(binance_parse_tickers("{\"code\":-1}", 11, &t, &n, why, sizeof why) == -1 && strstr(why, "expected a list"));
    CHECK(binance_parse_tickers("[{", 2, &t, &n, why, sizeof why) == -1 && strstr(why, "bad JSON"));
}

int main(void)
{
    RUN(parses_the_documented_sample);
    RUN(parses_good_rows);
    RUN(refuses_every_bad_shape);
    RUN(order_and_capacity);
    RUN(invalid_candles_counted);
    RUN(error_bodies);
    RUN(exchange_info);
    RUN(symbol_list_and_weight_limit);
    RUN(tickers_24h);
    HARNESS_EXIT();
}
