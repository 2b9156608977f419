/* Kline JSON parsing: the documented samples, a format/parse round trip, and
 * every bad shape we could think of — each rejected with the right code. */
#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <stdlib.h>

#include "harness.h"
#include "alphapulse/kline_json.h"
#include "alphapulse/symbol_id.h"

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
        { "{\"e\":\"kline\",\"k\":{\"t\":1,\"s\":\"AVERYLONGSYMBOLNAMEXYZ\",\"i\":\"1m\",\"o\":\"1\",\"h\":\"1\",\"l\":\"1\",\"c\":\"1\",\"v\":\"1\",\"x\":true}}", KLINE_JSON_FIELD },
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


/* ---- reference: the same decisions made on a jansson tree ------------------ */

static int ref_decimal(json_t *k, const char *key, double *out)
{
    json_t *v = json_object_get(k, key);
    if (json_is_string(v)) {
        const char *s = json_string_value(v);
        char *end;
        if (!*s || isspace((unsigned char)*s))
            return -1;
        errno = 0;
        *out = strtod(s, &end);
        return (*end || errno == ERANGE) ? -1 : 0;
    }
    if (json_is_number(v)) {
        *out = json_number_value(v);
        return 0;
    }
    return -1;
}

static int ref_int(json_t *k, const char *key, int64_t *out)
{
    json_t *v = json_object_get(k, key);
    if (!json_is_integer(v))
        return -1;
    *out = json_integer_value(v);
    return 0;
}

static int ref_parse(const char *buf, size_t len, struct kline_event *out)
{
    if (len > KLINE_JSON_MAX_BYTES)
        return KLINE_JSON_SYNTAX;
    json_error_t jerr;
    json_t *root = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!root)
        return KLINE_JSON_SYNTAX;
    int rc = KLINE_JSON_OK;
    json_t *ev = root, *data = json_object_get(root, "data");
    if (json_is_object(data))
        ev = data;
    json_t *type = json_object_get(ev, "e"), *k = json_object_get(ev, "k");
    if (!json_is_string(type) || strcmp(json_string_value(type), "kline") != 0 || !json_is_object(k)) {
        rc = KLINE_JSON_NOT_KLINE;
        goto out;
    }
    memset(out, 0, sizeof *out);
    json_t *sym = json_object_get(k, "s"), *iv = json_object_get(k, "i"), *x = json_object_get(k, "x");
    if (!json_is_string(sym) || json_string_length(sym) == 0 || json_string_length(sym) > SYMBOL_ID_EXCHANGE_MAX ||
        !json_is_string(iv) || tf_parse(json_string_value(iv)) < 0 || !json_is_boolean(x) ||
        ref_int(k, "t", &out->c.open_time) || ref_decimal(k, "o", &out->c.open) ||
        ref_decimal(k, "h", &out->c.high) || ref_decimal(k, "l", &out->c.low) ||
        ref_decimal(k, "c", &out->c.close) || ref_decimal(k, "v", &out->c.volume)) {
        rc = KLINE_JSON_FIELD;
        goto out;
    }
    if (ref_decimal(k, "q", &out->c.quote_volume))
        out->c.quote_volume = 0;
    if (ref_int(k, "n", &out->c.trades))
        out->c.trades = 0;
    if (ref_int(ev, "E", &out->event_time))
        out->event_time = out->c.open_time;
    const char *s = json_string_value(sym);
    for (size_t i = 0; s[i]; i++)
        out->symbol[i] = (char)toupper((unsigned char)s[i]);
    out->tf = tf_parse(json_string_value(iv));
    out->closed = json_is_true(x);
    if (candle_check(&out->c) != CANDLE_OK)
        rc = KLINE_JSON_VALUE;
out:
    json_decref(root);
    return rc;
}

static unsigned rng_state = 2463534242u;
static unsigned rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 17;
    rng_state ^= rng_state << 5;
    return rng_state;
}

/* Random edits of valid messages: the single-pass parser and the jansson tree
 * must agree on every verdict and, when both accept, on every field. */
static void agrees_with_jansson_on_mutations(void)
{
    const char *seeds[] = {
        "{\"stream\":\"btcusdt@kline_1m\",\"data\":{\"e\":\"kline\",\"E\":1700000000123,\"s\":\"BTCUSDT\","
        "\"k\":{\"t\":1700000000000,\"T\":1700000059999,\"s\":\"BTCUSDT\",\"i\":\"1m\",\"f\":1,\"L\":2,"
        "\"o\":\"96466.11000000\",\"c\":\"96470.00\",\"h\":\"96500.5\",\"l\":\"96400\",\"v\":\"12.5\",\"n\":42,"
        "\"x\":false,\"q\":\"1234.5\",\"V\":\"1\",\"Q\":\"2\",\"B\":\"0\"}}}",
        "{\"e\": \"kline\", \"E\": 5, \"k\": {\"t\": 60000, \"s\": \"ETHBTC\", \"i\": \"15m\", \"o\": 0.0016,"
        " \"h\": 2.5e-3, \"l\": \"0.0015\", \"c\": \"0.0020\", \"v\": \"1000\", \"x\": true, \"n\": 7}}",
        "{\"data\":{\"k\":{\"s\":\"A\\u0042C\",\"i\":\"1h\",\"x\":true,\"t\":-5,\"o\":\"1\",\"h\":\"1\","
        "\"l\":\"1\",\"c\":\"1\",\"v\":\"0\",\"q\":[1,{\"a\":null}]},\"e\":\"kline\"},\"e\":\"other\"}",
    };
    const char alphabet[] = "{}[]\":,0123456789.eE+-tfnulrsx\\ \tkKiIoOhHlLcCvVqQ\x01\xc3\xa9\xff";
    int n = 60000, agree = 0, accepted = 0, both_ok_same = 0;
    char buf[1024];
    for (int it = 0; it < n; it++) {
        const char *seed = seeds[it % 3];
        size_t len = strlen(seed);
        memcpy(buf, seed, len);
        int edits = 1 + (int)(rnd() % 3);
        for (int e = 0; e < edits; e++) {
            size_t pos = len ? rnd() % len : 0;
            switch (rnd() % 4) {
            case 0:                                          /* delete */
                if (len) {
                    memmove(buf + pos, buf + pos + 1, len - pos - 1);
                    len--;
                }
                break;
            case 1:                                          /* insert */
                if (len + 1 < sizeof buf) {
                    memmove(buf + pos + 1, buf + pos, len - pos);
                    buf[pos] = alphabet[rnd() % (sizeof alphabet - 1)];
                    len++;
                }
                break;
            case 2:                                          /* replace */
                if (len)
                    buf[pos] = alphabet[rnd() % (sizeof alphabet - 1)];
                break;
            default: {                                       /* duplicate a span */
                size_t span = 1 + rnd() % 12;
                if (pos + span <= len && len + span < sizeof buf) {
                    memmove(buf + pos + span, buf + pos, len - pos);
                    len += span;
                }
            }
            }
        }
        struct kline_event a, b;
        char why[128];
        int ra = kline_json_parse(buf, len, &a, why, sizeof why), rb = ref_parse(buf, len, &b);
        if (ra == rb)
            agree++;
        else if (n - agree < 6)
            printf("#   disagree (%s vs jansson %s): %.*s\n", kline_json_error_name(ra), kline_json_error_name(rb),
                   (int)len, buf);
        if (ra == KLINE_JSON_OK && rb == KLINE_JSON_OK) {
            accepted++;
            both_ok_same += memcmp(&a.c, &b.c, sizeof a.c) == 0 && strcmp(a.symbol, b.symbol) == 0 &&
                            a.tf == b.tf && a.closed == b.closed && a.event_time == b.event_time;
        }
    }
    printf("# %d mutated messages: %d same verdict, %d accepted by both, %d of those identical\n", n, agree, accepted,
           both_ok_same);
    CHECK(agree == n);
    CHECK(accepted > 1000);
    CHECK(both_ok_same == accepted);
}

int main(void)
{
    RUN(parses_documented_samples);
    RUN(format_round_trips);
    RUN(rejects_bad_messages);
    RUN(survives_a_megabyte_of_garbage);
    RUN(agrees_with_jansson_on_mutations);
    HARNESS_EXIT();
}
