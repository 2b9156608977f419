/* Kline JSON parsing: the documented samples, a format/parse round trip, and
 * every bad shape we could think of — each rejected with the right code. */
#include <stdlib.h>

#include "harness.h"
#include "alphapulse/kline_json.h"

static char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = malloc(1 << 16);
    *n = fread(buf, 1, (1 << 16) - 1, f);
    buf[*n] = 0;
    fclose(f);
    return buf;
}

static int parse(const char *s, struct kline_event *ev)
{
    char why[128];
    return kline_json_parse(s, strlen(s), ev, why, sizeof why);
}

/* Binance's documented sample has open 0.0010 below low 0.0015: an impossible
 * candle, which validation must refuse after reading every field. */
static void parses_documented_samples(void)
{
    size_t n;
    struct kline_event ev;
    char why[128];
    char *raw = slurp("tests/data/samples/binance_kline_event.json", &n);
    CHECK(raw != NULL);
    CHECK(kline_json_parse(raw, n, &ev, why, sizeof why) == KLINE_JSON_VALUE);
    CHECK(strstr(why, "open/close outside range") != NULL);
    char *o = strstr(raw, "\"o\": \"0.0010\"");
    CHECK(o != NULL);
    memcpy(o + 6, "0.0016", 6);                       /* make the candle possible */
    CHECK(kline_json_parse(raw, n, &ev, why, sizeof why) == KLINE_JSON_OK);
    CHECK(strcmp(ev.symbol, "BNBBTC") == 0);
    CHECK(ev.tf == TF_1M);
    CHECK(!ev.closed);
    CHECK(ev.c.open_time == 1672515780000LL);
    CHECK(ev.event_time == 1672515782136LL);
    CHECK(ev.c.open == 0.0016 && ev.c.close == 0.0020 && ev.c.high == 0.0025 && ev.c.low == 0.0015);
    CHECK(ev.c.volume == 1000 && ev.c.trades == 100 && ev.c.quote_volume == 1.0);
    free(raw);
    char *comb = slurp("tests/data/samples/combined_stream_event.json", &n);
    CHECK(comb != NULL);
    CHECK(kline_json_parse(comb, n, &ev, why, sizeof why) == KLINE_JSON_VALUE);
    o = strstr(comb, "\"o\": \"0.0010\"");
    CHECK(o != NULL);
    memcpy(o + 6, "0.0016", 6);
    CHECK(kline_json_parse(comb, n, &ev, why, sizeof why) == KLINE_JSON_OK);
    CHECK(ev.closed);
    CHECK(ev.c.close == 0.0021 && ev.c.volume == 1010);
    free(comb);
}

static void format_round_trips(void)
{
    struct kline_event in = { .symbol = "ADABTC", .tf = TF_15M, .closed = true, .event_time = 1516424159999LL,
                              .c = { .open_time = 1516424100000LL, .open = 5.352e-05, .high = 5.4e-05,
                                     .low = 5.348e-05, .close = 5.4e-05, .volume = 100380.64502838,
                                     .quote_volume = 1.0 / 3.0, .trades = 7 } };
    char buf[1024];
    int n = kline_json_format(&in, buf, sizeof buf);
    CHECK(n > 0);
    struct kline_event out;
    CHECK(parse(buf, &out) == KLINE_JSON_OK);
    CHECK(strcmp(out.symbol, "ADABTC") == 0 && out.tf == TF_15M && out.closed);
    CHECK(memcmp(&in.c, &out.c, sizeof in.c) == 0);   /* every double exactly */
    CHECK(out.event_time == in.event_time);
    CHECK(strstr(buf, "\"stream\":\"adabtc@kline_15m\"") != NULL);
    CHECK(kline_json_format(&in, buf, 20) == -1);
}

static const char *GOOD_K =
    "\"t\":1,\"s\":\"BTCUSDT\",\"i\":\"1m\",\"o\":\"10\",\"h\":\"12\",\"l\":\"9\",\"c\":\"11\",\"v\":\"5\",\"x\":false";

static void rejects_bad_messages(void)
{
    struct kline_event ev;
    char buf[512];
    snprintf(buf, sizeof buf, "{\"e\":\"kline\",\"E\":2,\"k\":{%s}}", GOOD_K);
    CHECK(parse(buf, &ev) == KLINE_JSON_OK);
    CHECK(ev.c.close == 11);

    struct { const char *msg; int want; } cases[] = {
        { "", KLINE_JSON_SYNTAX },
        { "{\"e\":\"kline\",\"k\":{\"t\":1,", KLINE_JSON_SYNTAX },               /* truncated */
        { "not json at all", KLINE_JSON_SYNTAX },
        { "{\"e\":\"kline\",\"e\":\"kline\",\"k\":{}}", KLINE_JSON_SYNTAX },     /* duplicate key */
        { "[1,2,3]", KLINE_JSON_NOT_KLINE },
        { "{\"e\":\"trade\",\"k\":{}}", KLINE_JSON_NOT_KLINE },
        { "{\"result\":null,\"id\":1}", KLINE_JSON_NOT_KLINE },
        { "{\"e\":\"kline\",\"k\":[]}", KLINE_JSON_NOT_KLINE },
        { "{\"e\":\"kline\",\"k\":{\"s\":\"BTCUSDT\",\"i\":\"1m\",\"x\":true,\"t\":1}}", KLINE_JSON_FIELD },
        { "{\"e\":\"kline\",\"k\":{\"t\":\"1\",\"s\":\"X\",\"i\":\"1m\",\"o\":\"1\",\"h\":\"1\",\"l\":\"1\",\"c\":\"1\",\"v\":\"1\",\"x\":true}}", KLINE_JSON_FIELD },
        { "{\"e\":\"kline\",\"k\":{\"t\":1,\"s\":\"X\",\"i\":\"7m\",\"o\":\"1\",\"h\":\"1\",\"l\":\"1\",\"c\":\"1\",\"v\":\"1\",\"x\":true}}", KLINE_JSON_FIELD },
        { "{\"e\":\"kline\",\"k\":{\"t\":1,\"s\":\"X\",\"i\":\"1m\",\"o\":true,\"h\":\"1\",\"l\":\"1\",\"c\":\"1\",\"v\":\"1\",\"x\":true}}", KLINE_JSON_FIELD },
        { "{\"e\":\"kline\",\"k\":{\"t\":1,\"s\":\"X\",\"i\":\"1m\",\"o\":\"1x\",\"h\":\"1\",\"l\":\"1\",\"c\":\"1\",\"v\":\"1\",\"x\":true}}", KLINE_JSON_FIELD },
        { "{\"e\":\"kline\",\"k\":{\"t\":1,\"s\":\"X\",\"i\":\"1m\",\"o\":\"1\",\"h\":\"1\",\"l\":\"1\",\"c\":\"1\",\"v\":\"1\",\"x\":\"yes\"}}", KLINE_JSON_FIELD },
        { "{\"e\":\"kline\",\"k\":{\"t\":1,\"s\":\"\",\"i\":\"1m\",\"o\":\"1\",\"h\":\"1\",\"l\":\"1\",\"c\":\"1\",\"v\":\"1\",\"x\":true}}", KLINE_JSON_FIELD },
        { "{\"e\":\"kline\",\"k\":{\"t\":1,\"s\":\"AVERYLONGSYMBOLNAME\",\"i\":\"1m\",\"o\":\"1\",\"h\":\"1\",\"l\":\"1\",\"c\":\"1\",\"v\":\"1\",\"x\":true}}", KLINE_JSON_FIELD },
        { "{\"e\":\"kline\",\"k\":{\"t\":1,\"s\":\"X\",\"i\":\"1m\",\"o\":\"nan\",\"h\":\"1\",\"l\":\"1\",\"c\":\"1\",\"v\":\"1\",\"x\":true}}", KLINE_JSON_VALUE },
        { "{\"e\":\"kline\",\"k\":{\"t\":1,\"s\":\"X\",\"i\":\"1m\",\"o\":\"-1\",\"h\":\"1\",\"l\":\"-2\",\"c\":\"1\",\"v\":\"1\",\"x\":true}}", KLINE_JSON_VALUE },
        { "{\"e\":\"kline\",\"k\":{\"t\":1,\"s\":\"X\",\"i\":\"1m\",\"o\":\"1\",\"h\":\"1\",\"l\":\"2\",\"c\":\"1\",\"v\":\"1\",\"x\":true}}", KLINE_JSON_VALUE },
        { "{\"e\":\"kline\",\"k\":{\"t\":1,\"s\":\"X\",\"i\":\"1m\",\"o\":\"5\",\"h\":\"3\",\"l\":\"1\",\"c\":\"2\",\"v\":\"1\",\"x\":true}}", KLINE_JSON_VALUE },
        { "{\"e\":\"kline\",\"k\":{\"t\":1,\"s\":\"X\",\"i\":\"1m\",\"o\":\"1\",\"h\":\"1\",\"l\":\"1\",\"c\":\"1\",\"v\":\"-1\",\"x\":true}}", KLINE_JSON_VALUE },
        { "{\"e\":\"kline\",\"k\":{\"t\":1,\"s\":\"X\",\"i\":\"1m\",\"o\":\"1e999\",\"h\":\"1\",\"l\":\"1\",\"c\":\"1\",\"v\":\"1\",\"x\":true}}", KLINE_JSON_FIELD },
        { "{\"e\":\"kline\",\"k\":{\"t\":1,\"s\":\"X\",\"i\":\"1m\",\"o\":\"0\",\"h\":\"0\",\"l\":\"0\",\"c\":\"0\",\"v\":\"1\",\"x\":true}}", KLINE_JSON_VALUE },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int rc = parse(cases[i].msg, &ev);
        CHECK_MSG(rc == cases[i].want, "case %zu: got %s, want %s", i, kline_json_error_name(rc),
                  kline_json_error_name(cases[i].want));
    }
}

static void survives_a_megabyte_of_garbage(void)
{
    size_t n = 1 << 20;
    char *g = malloc(n);
    unsigned s = 12345;
    for (size_t i = 0; i < n; i++) {
        s = s * 1103515245u + 12345u;
        g[i] = (char)(s >> 16);
    }
    struct kline_event ev;
    char why[128];
    CHECK(kline_json_parse(g, n, &ev, why, sizeof why) == KLINE_JSON_SYNTAX);
    memset(g, '[', n);                                   /* deep nesting */
    CHECK(kline_json_parse(g, n, &ev, why, sizeof why) == KLINE_JSON_SYNTAX);
    CHECK(kline_json_parse(g, 60000, &ev, why, sizeof why) == KLINE_JSON_SYNTAX);
    /* every prefix of a valid message is rejected, never accepted or crashed on */
    char buf[512];
    snprintf(buf, sizeof buf, "{\"e\":\"kline\",\"E\":2,\"k\":{%s}}", GOOD_K);
    size_t len = strlen(buf);
    int accepted = 0;
    for (size_t i = 0; i < len; i++)
        accepted += kline_json_parse(buf, i, &ev, why, sizeof why) == KLINE_JSON_OK;
    CHECK(accepted == 0);
    free(g);
}

int main(void)
{
    RUN(parses_documented_samples);
    RUN(format_round_trips);
    RUN(rejects_bad_messages);
    RUN(survives_a_megabyte_of_garbage);
    HARNESS_EXIT();
}
