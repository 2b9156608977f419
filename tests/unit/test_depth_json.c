/* The depth, snapshot and aggTrade parsers: the documented messages, the
 * combined-stream wrapper, members in any order, venue errors, refusals, and
 * every truncation of a valid message refused (never read past the end). */
#include <stdlib.h>

#include "harness.h"
#include "alphapulse/depth_json.h"

static const char *UPD =
    "{\"e\":\"depthUpdate\",\"E\":1672515782136,\"s\":\"BNBBTC\",\"U\":157,\"u\":160,"
    "\"b\":[[\"0.0024\",\"10\"],[\"0.0023\",\"0\"]],\"a\":[[\"0.0026\",\"100.5\"]]}";

static void depth_update(void)
{
    char sym[SYMBOL_MAX], why[128];
    struct depth_update u;
    struct book_level lv[8];
    CHECK(depth_json_update(UPD, strlen(UPD), sym, &u, lv, 8, why, sizeof why) == DEPTH_JSON_OK);
    CHECK(strcmp(sym, "BNBBTC") == 0);
    CHECK(u.first_id == 157 && u.last_id == 160 && u.event_time == 1672515782136);
    CHECK(u.nb == 2 && u.na == 1 && u.lv == lv);
    CHECK(lv[0].px == 240000 && lv[0].qty == 1000000000);
    CHECK(lv[1].px == 230000 && lv[1].qty == 0);
    CHECK(lv[2].px == 260000 && lv[2].qty == 10050000000);
    /* combined wrapper, asks before bids, an unknown member */
    const char *w = "{\"stream\":\"bnbbtc@depth@100ms\",\"data\":{\"e\":\"depthUpdate\",\"x\":{\"y\":[1,2]},"
                    "\"s\":\"BNBBTC\",\"U\":1,\"u\":2,\"a\":[[\"2\",\"1\"]],\"b\":[[\"1\",\"3\"],[\"0.5\",\"4\"]]}}";
    CHECK(depth_json_update(w, strlen(w), sym, &u, lv, 8, why, sizeof why) == DEPTH_JSON_OK);
    CHECK(u.nb == 2 && u.na == 1 && lv[0].px == BOOK_SCALE && lv[1].px == BOOK_SCALE / 2 && lv[2].px == 2 * BOOK_SCALE);
    /* too many levels for the buffer */
    CHECK(depth_json_update(UPD, strlen(UPD), sym, &u, lv, 2, why, sizeof why) == DEPTH_JSON_TOO_MANY);
    /* another kind of message, a missing id, a bad decimal */
    const char *k = "{\"e\":\"kline\",\"E\":1,\"s\":\"X\",\"k\":{}}";
    CHECK(depth_json_update(k, strlen(k), sym, &u, lv, 8, why, sizeof why) == DEPTH_JSON_OTHER);
    const char *m = "{\"e\":\"depthUpdate\",\"s\":\"X\",\"U\":1,\"b\":[],\"a\":[]}";
    CHECK(depth_json_update(m, strlen(m), sym, &u, lv, 8, why, sizeof why) == DEPTH_JSON_FIELD);
    const char *d = "{\"e\":\"depthUpdate\",\"s\":\"X\",\"U\":1,\"u\":1,\"b\":[[\"1e3\",\"1\"]],\"a\":[]}";
    CHECK(depth_json_update(d, strlen(d), sym, &u, lv, 8, why, sizeof why) == DEPTH_JSON_FIELD);
    const char *r = "{\"e\":\"depthUpdate\",\"s\":\"X\",\"U\":5,\"u\":4,\"b\":[],\"a\":[]}";
    CHECK(depth_json_update(r, strlen(r), sym, &u, lv, 8, why, sizeof why) == DEPTH_JSON_FIELD);
}

static void truncations_refused(void)
{
    char sym[SYMBOL_MAX];
    struct depth_update u;
    struct book_level lv[8];
    size_t n = strlen(UPD);
    int bad = 0;
    for (size_t len = 0; len < n; len++) {
        char *copy = malloc(len ? len : 1);   /* exactly len bytes: ASan sees any overread */
        memcpy(copy, UPD, len);
        if (depth_json_update(copy, len, sym, &u, lv, 8, NULL, 0) == DEPTH_JSON_OK)
            bad++;
        free(copy);
    }
    CHECK(bad == 0);
}

static void snapshot(void)
{
    const char *s = "{\"lastUpdateId\":1027024,\"bids\":[[\"4.00000000\",\"431.00000000\"]],"
                    "\"asks\":[[\"4.00000200\",\"12.00000000\"],[\"4.1\",\"1\"]]}";
    struct depth_update u;
    struct book_level lv[8];
    char why[128];
    CHECK(depth_json_snapshot(s, strlen(s), &u, lv, 8, why, sizeof why) == DEPTH_JSON_OK);
    CHECK(u.first_id == 1027024 && u.last_id == 1027024 && u.nb == 1 && u.na == 2);
    CHECK(lv[0].px == 400000000 && lv[0].qty == 43100000000 && lv[1].px == 400000200 && lv[2].px == 410000000);
    const char *a = "{\"asks\":[[\"5\",\"1\"]],\"lastUpdateId\":7,\"bids\":[[\"4\",\"2\"],[\"3\",\"1\"]]}";
    CHECK(depth_json_snapshot(a, strlen(a), &u, lv, 8, why, sizeof why) == DEPTH_JSON_OK);
    CHECK(u.nb == 2 && u.na == 1 && lv[0].px == 4 * BOOK_SCALE && lv[1].px == 3 * BOOK_SCALE && lv[2].px == 5 * BOOK_SCALE);
    const char *e = "{\"code\":-1121,\"msg\":\"Invalid symbol.\"}";
    CHECK(depth_json_snapshot(e, strlen(e), &u, lv, 8, why, sizeof why) == DEPTH_JSON_VENUE);
    CHECK(strcmp(why, "Invalid symbol. (code -1121)") == 0);
    const char *m = "{\"lastUpdateId\":7,\"bids\":[]}";
    CHECK(depth_json_snapshot(m, strlen(m), &u, lv, 8, why, sizeof why) == DEPTH_JSON_FIELD);
}

static void agg_trade(void)
{
    const char *t = "{\"e\":\"aggTrade\",\"E\":1672515782136,\"s\":\"BNBBTC\",\"a\":12345,\"p\":\"0.001\","
                    "\"q\":\"100\",\"f\":100,\"l\":105,\"T\":1672515782130,\"m\":true,\"M\":true}";
    char sym[SYMBOL_MAX], why[128];
    struct tape_trade tr;
    CHECK(depth_json_agg_trade(t, strlen(t), sym, &tr, why, sizeof why) == DEPTH_JSON_OK);
    CHECK(strcmp(sym, "BNBBTC") == 0 && tr.id == 12345 && tr.px == 100000 && tr.qty == 100 * BOOK_SCALE);
    CHECK(tr.time_ms == 1672515782130 && tr.buyer_maker);
    char w[512];
    snprintf(w, sizeof w, "{\"stream\":\"bnbbtc@aggTrade\",\"data\":%s}", t);
    CHECK(depth_json_agg_trade(w, strlen(w), sym, &tr, why, sizeof why) == DEPTH_JSON_OK && tr.id == 12345);
    CHECK(depth_json_agg_trade(UPD, strlen(UPD), sym, &tr, why, sizeof why) == DEPTH_JSON_OTHER);
    int bad = 0;
    for (size_t len = 0; len < strlen(t); len++)
        if (depth_json_agg_trade(t, len, sym, &tr, NULL, 0) == DEPTH_JSON_OK)
            bad++;
    CHECK(bad == 0);
}

int main(void)
{
    RUN(depth_update);
    RUN(truncations_refused);
    RUN(snapshot);
    RUN(agg_trade);
    HARNESS_EXIT();
}
