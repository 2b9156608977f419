/* Bybit V5 parsers: the documented sample push, REST kline pages (newest first),
 * instruments-info for spot and linear, tickers snapshot + deltas, subscribe and
 * ping replies, retCode/HTTP mapping; and every bad shape refused with a reason
 * (truncations at every byte, mutated fields), never a crash. */
#include <stdlib.h>

#include "harness.h"
#include "alphapulse/bybit_parse.h"
#include "alphapulse/kline_json.h"
#include "../src/feed/bybit_internal.h"

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = malloc(65536);
    *len = fread(buf, 1, 65535, f);
    buf[*len] = 0;
    fclose(f);
    return buf;
}

static int ws(const char *s, struct bybit_msg *m, char *why)
{
    return bybit_ws_parse(s, strlen(s), m, why, 200);
}

static void parses_the_documented_kline_push(void)
{
    size_t len;
    char *buf = slurp("tests/data/samples/bybit_kline_event.json", &len);
    CHECK(buf != NULL);
    if (!buf)
        return;
    struct bybit_msg *m = malloc(sizeof *m);
    char why[200] = "";
    CHECK_MSG(bybit_ws_parse(buf, len, m, why, sizeof why) == KLINE_JSON_OK, "%s", why);
    CHECK(m->type == BYBIT_MSG_KLINE && m->n_klines == 1);
    const struct kline_event *k = &m->klines[0];
    CHECK(strcmp(k->symbol, "BTCUSDT") == 0 && k->tf == TF_5M && !k->closed);
    CHECK(k->c.open_time == 1672324800000LL && k->event_time == 1672324988882LL);
    CHECK(k->c.open == 16649.5 && k->c.high == 16677 && k->c.low == 16608 && k->c.close == 16677);
    CHECK(k->c.volume == 2.081 && k->c.quote_volume == 34666.4005);
    CHECK(m->ts == 1672324988882LL && strcmp(m->topic, "kline.5.BTCUSDT") == 0);
    /* the same with confirm: the closed candle */
    char *c = strstr(buf, "false");
    CHECK(c != NULL);
    if (c) {
        memmove(c + 4, c + 5, strlen(c + 5) + 1);
        memcpy(c, "true", 4);
        CHECK(bybit_ws_parse(buf, strlen(buf), m, why, sizeof why) == KLINE_JSON_OK && m->klines[0].closed);
    }
    /* every truncation is refused, none crashes */
    len = strlen(buf);
    while (len && (buf[len - 1] == '\n' || buf[len - 1] == ' '))
        len--;
    for (size_t i = 0; i < len; i++)
        CHECK_MSG(bybit_ws_parse(buf, i, m, why, sizeof why) != KLINE_JSON_OK, "prefix %zu", i);
    free(m);
    free(buf);
}

static const char KLINE1[] =
    "{\"topic\":\"kline.1.ETHUSDT\",\"type\":\"snapshot\",\"ts\":1700000059999,\"data\":[{\"start\":1700000040000,"
    "\"end\":1700000099999,\"interval\":\"1\",\"open\":\"2000.5\",\"close\":\"2001\",\"high\":\"2002\",\"low\":\"2000\","
    "\"volume\":\"3.5\",\"turnover\":\"7003.5\",\"confirm\":true,\"timestamp\":1700000059990}]}";

static void refuses_bad_kline_pushes(void)
{
    static const struct { const char *from, *to; int code; const char *expect; } cases[] = {
        { "\"open\":\"2000.5\"", "\"open\":\"abc\"", KLINE_JSON_FIELD, "open" },
        { "\"open\":\"2000.5\"", "\"open\":null", KLINE_JSON_FIELD, "open" },
        { "\"open\":\"2000.5\",", "", KLINE_JSON_FIELD, "open" },
        { "\"confirm\":true", "\"confirm\":\"true\"", KLINE_JSON_FIELD, "confirm" },
        { "\"start\":1700000040000", "\"start\":1700000040001", KLINE_JSON_VALUE, "candle" },
        { "\"end\":1700000099999", "\"end\":1700000159999", KLINE_JSON_VALUE, "candle" },
        { "\"high\":\"2002\"", "\"high\":\"1999\"", KLINE_JSON_VALUE, "invalid candle" },
        { "\"low\":\"2000\"", "\"low\":\"-1\"", KLINE_JSON_VALUE, "invalid candle" },
        { "\"interval\":\"1\"", "\"interval\":\"5\"", KLINE_JSON_FIELD, "interval" },
        { "kline.1.ETHUSDT", "kline.3.ETHUSDT", KLINE_JSON_FIELD, "interval" },
        { "kline.1.ETHUSDT", "kline.1.eth\\\"x", KLINE_JSON_FIELD, "symbol" },
        { "kline.1.ETHUSDT", "kline.1", KLINE_JSON_FIELD, "kline.<interval>" },
        { "\"data\":[{", "\"data\":{\"x\":[{", KLINE_JSON_SYNTAX, "JSON" },
        { "\"data\":[", "\"data\":[],\"x\":[", KLINE_JSON_FIELD, "non-empty" },
        { "\"ts\":1700000059999", "\"ts\":\"soon\"", KLINE_JSON_FIELD, "ts" },
        { "\"ts\":1700000059999", "\"ts\":1,\"ts\":2", KLINE_JSON_SYNTAX, "JSON" },
        { "\"topic\"", "\"topik\"", KLINE_JSON_NOT_KLINE, "neither" },
    };
    struct bybit_msg *m = malloc(sizeof *m);
    char why[200];
    CHECK_MSG(ws(KLINE1, m, why) == KLINE_JSON_OK, "%s", why);
    CHECK(m->klines[0].closed && m->klines[0].tf == TF_1M && m->klines[0].event_time == 1700000059990LL);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char s[1024];
        const char *p = strstr(KLINE1, cases[i].from);
        CHECK_MSG(p != NULL, "case %zu: pattern missing", i);
        if (!p)
            continue;
        snprintf(s, sizeof s, "%.*s%s%s", (int)(p - KLINE1), KLINE1, cases[i].to, p + strlen(cases[i].from));
        why[0] = 0;
        int rc = ws(s, m, why);
        CHECK_MSG(rc == cases[i].code, "case %zu: rc %d, expected %d (%s)", i, rc, cases[i].code, why);
        CHECK_MSG(strstr(why, cases[i].expect) != NULL, "case %zu: why \"%s\" lacks \"%s\"", i, why, cases[i].expect);
        CHECK(m->type == BYBIT_MSG_OTHER);
    }
    static const char *const junk[] = { "", "[]", "42", "\"x\"", "{", "{\"op\":", "\xff\xfe", "null",
                                        "{\"topic\":5}", "{\"topic\":\"kline.1.BTCUSDT\"}" };
    for (size_t i = 0; i < sizeof junk / sizeof junk[0]; i++)
        CHECK_MSG(ws(junk[i], m, why) != KLINE_JSON_OK, "junk %zu accepted", i);
    /* another topic is valid and ignored */
    CHECK(ws("{\"topic\":\"publicTrade.BTCUSDT\",\"ts\":1,\"data\":[]}", m, why) == KLINE_JSON_OK &&
          m->type == BYBIT_MSG_OTHER);
    free(m);
}

static void merges_ticker_snapshot_and_deltas(void)
{
    static const char snap[] =
        "{\"topic\":\"tickers.BTCUSDT\",\"type\":\"snapshot\",\"data\":{\"symbol\":\"BTCUSDT\",\"tickDirection\":"
        "\"PlusTick\",\"lastPrice\":\"17216.00\",\"markPrice\":\"17217.33\",\"indexPrice\":\"17227.36\","
        "\"nextFundingTime\":\"1673280000000\",\"fundingRate\":\"-0.000212\",\"bid1Price\":\"17215.50\","
        "\"ask1Price\":\"17216.00\",\"openInterest\":\"68744.761\"},\"cs\":24987956059,\"ts\":1673272861686}";
    static const char delta[] =
        "{\"topic\":\"tickers.BTCUSDT\",\"type\":\"delta\",\"data\":{\"symbol\":\"BTCUSDT\",\"markPrice\":"
        "\"17220.10\",\"fundingRate\":\"0.0001\"},\"cs\":24987956060,\"ts\":1673272862686}";
    struct bybit_msg *m = malloc(sizeof *m);
    char why[200];
    struct bybit_ticker st = { 0 };
    CHECK_MSG(ws(snap, m, why) == KLINE_JSON_OK, "%s", why);
    CHECK(m->type == BYBIT_MSG_TICKER && m->ticker.snapshot);
    bybit_ticker_merge(&st, &m->ticker);
    CHECK(st.mark == 17217.33 && st.index == 17227.36 && st.funding_rate == -0.000212);
    CHECK(st.next_funding_ms == 1673280000000LL && st.last == 17216.0 && st.bid == 17215.5 && st.ask == 17216.0);
    CHECK_MSG(ws(delta, m, why) == KLINE_JSON_OK, "%s", why);
    CHECK(!m->ticker.snapshot && m->ticker.have == (BYBIT_T_MARK | BYBIT_T_FUNDING));
    bybit_ticker_merge(&st, &m->ticker);
    CHECK(st.mark == 17220.10 && st.funding_rate == 0.0001);               /* changed */
    CHECK(st.index == 17227.36 && st.next_funding_ms == 1673280000000LL);  /* kept */
    CHECK(st.ts == 1673272862686LL);
    /* a new snapshot replaces everything */
    CHECK(ws("{\"topic\":\"tickers.BTCUSDT\",\"type\":\"snapshot\",\"ts\":5,\"data\":{\"markPrice\":\"1\"}}", m, why) == 0);
    bybit_ticker_merge(&st, &m->ticker);
    CHECK(st.mark == 1 && st.have == BYBIT_T_MARK && st.index == 0);
    /* bad shapes */
    CHECK(ws("{\"topic\":\"tickers.BTCUSDT\",\"type\":\"delta\",\"data\":{\"markPrice\":\"x\"}}", m, why) ==
          KLINE_JSON_FIELD && strstr(why, "markPrice"));
    CHECK(ws("{\"topic\":\"tickers.BTCUSDT\",\"type\":\"delta\",\"data\":{\"markPrice\":\"-3\"}}", m, why) ==
          KLINE_JSON_VALUE);
    CHECK(ws("{\"topic\":\"tickers.BTCUSDT\",\"type\":\"odd\",\"data\":{}}", m, why) == KLINE_JSON_FIELD);
    CHECK(ws("{\"topic\":\"tickers.BTCUSDT\",\"type\":\"delta\",\"data\":[]}", m, why) == KLINE_JSON_FIELD);
    CHECK(ws("{\"topic\":\"tickers.BTCUSDT\",\"type\":\"delta\",\"data\":{\"symbol\":\"ETHUSDT\"}}", m, why) ==
          KLINE_JSON_FIELD);
    CHECK(ws("{\"topic\":\"tickers.BTCUSDT\",\"type\":\"delta\",\"data\":{\"nextFundingTime\":\"-1\"}}", m, why) ==
          KLINE_JSON_FIELD);
    /* an empty field is "not sent" */
    CHECK(ws("{\"topic\":\"tickers.BTCUSDT\",\"type\":\"delta\",\"data\":{\"fundingRate\":\"\"}}", m, why) == 0 &&
          m->ticker.have == 0);
    free(m);
}

static void reads_replies(void)
{
    struct bybit_msg *m = malloc(sizeof *m);
    char why[200];
    CHECK(ws("{\"success\":true,\"ret_msg\":\"subscribe\",\"conn_id\":\"2324d924\",\"req_id\":\"10001\","
             "\"op\":\"subscribe\"}", m, why) == 0);
    CHECK(m->type == BYBIT_MSG_SUBSCRIBE && m->reply.success && strcmp(m->reply.req_id, "10001") == 0);
    CHECK(ws("{\"success\":false,\"ret_msg\":\"error:handler not found,topic:kline.1.NOPEUSDT\",\"conn_id\":\"c\","
             "\"req_id\":\"7\",\"op\":\"subscribe\"}", m, why) == 0);
    CHECK(m->type == BYBIT_MSG_SUBSCRIBE && !m->reply.success);
    CHECK_MSG(strcmp(m->reply.topic, "kline.1.NOPEUSDT") == 0, "topic \"%s\"", m->reply.topic);
    CHECK(ws("{\"success\":false,\"ret_msg\":\"Invalid symbol :[tickers.NOPEUSDT]\",\"conn_id\":\"c\","
             "\"op\":\"subscribe\"}", m, why) == 0 && strcmp(m->reply.topic, "tickers.NOPEUSDT") == 0);
    CHECK(ws("{\"success\":true,\"ret_msg\":\"pong\",\"conn_id\":\"c\",\"op\":\"ping\"}", m, why) == 0 &&
          m->type == BYBIT_MSG_PONG);
    CHECK(ws("{\"op\":\"pong\",\"args\":[\"1675418560633\"],\"conn_id\":\"c\"}", m, why) == 0 &&
          m->type == BYBIT_MSG_PONG);
    CHECK(ws("{\"success\":\"yes\",\"op\":\"subscribe\"}", m, why) == KLINE_JSON_FIELD);
    CHECK(ws("{\"success\":true,\"op\":\"auth\"}", m, why) == 0 && m->type == BYBIT_MSG_OTHER);
    free(m);
}

static void formats_requests(void)
{
    char buf[512];
    const char *t[11] = { "kline.1.BTCUSDT", "tickers.BTCUSDT" };
    CHECK(bybit_format_subscribe(buf, sizeof buf, "subscribe", "3", t, 2) > 0);
    CHECK(strcmp(buf, "{\"req_id\":\"3\",\"op\":\"subscribe\",\"args\":[\"kline.1.BTCUSDT\",\"tickers.BTCUSDT\"]}") == 0);
    for (int i = 2; i < 11; i++)
        t[i] = "kline.1.ETHUSDT";
    CHECK(bybit_format_subscribe(buf, sizeof buf, "subscribe", "3", t, 11) == -1);   /* over the spot limit */
    CHECK(bybit_format_subscribe(buf, sizeof buf, "subscribe", "3", t, 10) > 0);
    CHECK(bybit_format_subscribe(buf, 20, "subscribe", "3", t, 2) == -1);
    t[0] = "bad\"topic";
    CHECK(bybit_format_subscribe(buf, sizeof buf, "subscribe", "3", t, 1) == -1);
    CHECK(bybit_format_ping(buf, sizeof buf, "p1") > 0 && strcmp(buf, "{\"req_id\":\"p1\",\"op\":\"ping\"}") == 0);
    CHECK(bybit_topic_kline(buf, sizeof buf, TF_1H, "BTCUSDT") > 0 && strcmp(buf, "kline.60.BTCUSDT") == 0);
    CHECK(bybit_topic_kline(buf, sizeof buf, TF_1D, "BTCUSDT") > 0 && strcmp(buf, "kline.D.BTCUSDT") == 0);
    CHECK(bybit_topic_kline(buf, sizeof buf, 99, "BTCUSDT") == -1);
    CHECK(bybit_topic_ticker(buf, sizeof buf, "ETHUSDT") > 0 && strcmp(buf, "tickers.ETHUSDT") == 0);
    for (int tf = 0; tf < TF_COUNT; tf++)
        CHECK(bybit_interval_parse(bybit_interval(tf)) == tf);
    CHECK(bybit_interval_parse("3") == -1 && bybit_category_parse("linear") == BYBIT_LINEAR);
    CHECK(strcmp(bybit_category_name(BYBIT_SPOT), "spot") == 0 && bybit_category_parse("inverse") == -1);
}

#define ENV(list) "{\"retCode\":0,\"retMsg\":\"OK\",\"result\":{\"category\":\"spot\",\"symbol\":\"BTCUSDT\"," \
                  "\"list\":[" list "]},\"retExtInfo\":{},\"time\":1700000000000}"

static void parses_kline_pages_newest_first(void)
{
    static const char page[] = ENV(
        "[\"1700000100000\",\"3\",\"4\",\"2\",\"3.5\",\"10\",\"35\"],"
        "[\"1700000040000\",\"2\",\"3\",\"1\",\"2.5\",\"11\",\"27\"],"
        "[\"1699999980000\",\"1\",\"2\",\"0.5\",\"1.5\",\"12\",\"18\"]");
    struct candle c[4];
    size_t n;
    char why[200];
    struct bybit_error e;
    CHECK_MSG(bybit_parse_klines(page, strlen(page), "BTCUSDT", TF_1M, c, 4, &n, NULL, &e, why, sizeof why) == 0,
              "%s", why);
    CHECK(n == 3 && c[0].open_time == 1699999980000LL && c[1].open_time == 1700000040000LL &&
          c[2].open_time == 1700000100000LL);
    CHECK(c[0].open == 1 && c[0].high == 2 && c[0].low == 0.5 && c[0].close == 1.5 && c[0].volume == 12 &&
          c[0].quote_volume == 18);
    CHECK(bybit_parse_klines(page, strlen(page), "BTCUSDT", TF_1M, c, 2, &n, NULL, &e, why, sizeof why) == -1 &&
          n == 0);
    CHECK(bybit_parse_klines(page, strlen(page), "ETHUSDT", TF_1M, c, 4, &n, NULL, &e, why, sizeof why) == -1 &&
          strstr(why, "asked for ETHUSDT"));
    static const char empty[] = ENV("");
    CHECK(bybit_parse_klines(empty, strlen(empty), "BTCUSDT", TF_1M, c, 4, &n, NULL, &e, why, sizeof why) == 0 &&
          n == 0);
    /* a candle breaking the rules is skipped and counted */
    static const char badc[] = ENV("[\"1700000100000\",\"3\",\"4\",\"2\",\"9\",\"10\",\"35\"],"
                                   "[\"1700000040000\",\"2\",\"3\",\"1\",\"2.5\",\"11\",\"27\"]");
    unsigned rej[CANDLE_RULE_COUNT] = { 0 };
    CHECK(bybit_parse_klines(badc, strlen(badc), "BTCUSDT", TF_1M, c, 4, &n, rej, &e, why, sizeof why) == 0 &&
          n == 1 && rej[CANDLE_OC_OUTSIDE] == 1);
    static const struct { const char *page, *expect; } bad[] = {
        { ENV("[\"1700000040000\",\"2\",\"3\",\"1\",\"2.5\",\"11\",\"27\"],"
              "[\"1700000100000\",\"3\",\"4\",\"2\",\"3.5\",\"10\",\"35\"]"), "newest first" },
        { ENV("[\"1700000040000\",\"2\",\"3\",\"1\",\"2.5\",\"11\",\"27\"],"
              "[\"1700000040000\",\"2\",\"3\",\"1\",\"2.5\",\"11\",\"27\"]"), "newest first" },
        { ENV("[1700000040000,\"2\",\"3\",\"1\",\"2.5\",\"11\",\"27\"]"), "start time" },
        { ENV("[\"1700000040001\",\"2\",\"3\",\"1\",\"2.5\",\"11\",\"27\"]"), "boundary" },
        { ENV("[\"1700000040000\",\"2\",\"3\",\"1\",\"2.5\",\"11\"]"), "7 strings" },
        { ENV("[\"1700000040000\",\"2\",\"x\",\"1\",\"2.5\",\"11\",\"27\"]"), "high" },
        { ENV("[\"1700000040000\",\"2\",\"3\",\"1\",2.5,\"11\",\"27\"]"), "close" },
        { ENV("\"row\""), "7 strings" },
        { "{\"retCode\":0,\"retMsg\":\"OK\",\"result\":{}}", "list" },
        { "{\"retCode\":0,\"retMsg\":\"OK\"}", "result" },
        { "{\"retMsg\":\"OK\",\"result\":{\"list\":[]}}", "retCode" },
        { "<html>", "JSON" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        why[0] = 0;
        int rc = bybit_parse_klines(bad[i].page, strlen(bad[i].page), "BTCUSDT", TF_1M, c, 4, &n, NULL, &e, why,
                                    sizeof why);
        CHECK_MSG(rc == -1 && n == 0 && e.kind == BYBIT_E_REPLY, "case %zu: rc %d kind %d", i, rc, e.kind);
        CHECK_MSG(strstr(why, bad[i].expect) != NULL, "case %zu: \"%s\" lacks \"%s\"", i, why, bad[i].expect);
    }
    /* every truncation of a good page is refused */
    for (size_t i = 0; i + 1 < sizeof page - 1; i++)
        CHECK(bybit_parse_klines(page, i, "BTCUSDT", TF_1M, c, 4, &n, NULL, &e, why, sizeof why) == -1);
}

static void maps_errors_to_clear_messages(void)
{
    struct candle c[2];
    size_t n;
    char why[300];
    struct bybit_error e;
    static const char unknown[] = "{\"retCode\":10001,\"retMsg\":\"Not supported symbols\",\"result\":{},"
                                  "\"retExtInfo\":{},\"time\":1}";
    CHECK(bybit_parse_klines(unknown, strlen(unknown), "NOPEUSDT", TF_1M, c, 2, &n, NULL, &e, why, sizeof why) == -1);
    CHECK(e.kind == BYBIT_E_BAD_SYMBOL && e.ret_code == 10001);
    CHECK_MSG(strstr(why, "unknown symbol NOPEUSDT") && strstr(why, "10001"), "%s", why);
    static const char limit[] = "{\"retCode\":10006,\"retMsg\":\"Too many visits!\",\"result\":{},\"time\":1}";
    CHECK(bybit_check_reply(200, limit, strlen(limit), "BTCUSDT", &e, why, sizeof why) == -1);
    CHECK(e.kind == BYBIT_E_RATE_LIMIT && strstr(why, "rate limit") && strstr(why, "Too many visits!"));
    CHECK(bybit_check_reply(403, "<html>403 Forbidden</html>", 26, "BTCUSDT", &e, why, sizeof why) == -1);
    CHECK_MSG(e.kind == BYBIT_E_FORBIDDEN && strstr(why, "403") && strstr(why, "region"), "%s", why);
    CHECK(bybit_check_reply(502, "bad gateway", 11, "BTCUSDT", &e, why, sizeof why) == -1);
    CHECK(e.kind == BYBIT_E_SERVER && strstr(why, "502"));
    static const char param[] = "{\"retCode\":10001,\"retMsg\":\"Invalid period!\",\"result\":{}}";
    CHECK(bybit_check_reply(200, param, strlen(param), "BTCUSDT", &e, why, sizeof why) == -1);
    CHECK(e.kind == BYBIT_E_PARAM && strstr(why, "Invalid period!"));
    static const char restarting[] = "{\"retCode\":10016,\"retMsg\":\"Server error\",\"result\":{}}";
    CHECK(bybit_check_reply(200, restarting, strlen(restarting), "BTCUSDT", &e, why, sizeof why) == -1 &&
          e.kind == BYBIT_E_SERVER);
    static const char spot_bad[] = "{\"retCode\":170121,\"retMsg\":\"Invalid symbol.\",\"result\":{}}";
    CHECK(bybit_check_reply(200, spot_bad, strlen(spot_bad), "XUSDT", &e, why, sizeof why) == -1 &&
          e.kind == BYBIT_E_BAD_SYMBOL);
    static const char odd[] = "{\"retCode\":12345,\"retMsg\":\"odd\",\"result\":{}}";
    CHECK(bybit_check_reply(200, odd, strlen(odd), "XUSDT", &e, why, sizeof why) == -1 && e.kind == BYBIT_E_OTHER &&
          strstr(why, "12345"));
    static const char ok[] = "{\"retCode\":0,\"retMsg\":\"OK\",\"result\":{}}";
    CHECK(bybit_check_reply(200, ok, strlen(ok), "XUSDT", &e, why, sizeof why) == 0 && e.kind == BYBIT_E_NONE);
    CHECK(bybit_check_reply(200, NULL, 0, "XUSDT", &e, why, sizeof why) == -1 && e.kind == BYBIT_E_REPLY);
    CHECK(strcmp(bybit_error_kind_name(BYBIT_E_FORBIDDEN), "forbidden") == 0);
}

static void parses_instruments(void)
{
    static const char spot[] =
        "{\"retCode\":0,\"retMsg\":\"OK\",\"result\":{\"category\":\"spot\",\"list\":[{\"symbol\":\"BTCUSDT\","
        "\"baseCoin\":\"BTC\",\"quoteCoin\":\"USDT\",\"innovation\":\"0\",\"status\":\"Trading\",\"marginTrading\":"
        "\"both\",\"lotSizeFilter\":{\"basePrecision\":\"0.000001\",\"quotePrecision\":\"0.00000001\",\"minOrderQty\":"
        "\"0.000048\",\"maxOrderQty\":\"71.73956243\",\"minOrderAmt\":\"1\",\"maxOrderAmt\":\"2000000\"},"
        "\"priceFilter\":{\"tickSize\":\"0.01\"}}]},\"retExtInfo\":{},\"time\":1}";
    static const char linear[] =
        "{\"retCode\":0,\"retMsg\":\"OK\",\"result\":{\"category\":\"linear\",\"list\":[{\"symbol\":\"BTCUSDT\","
        "\"contractType\":\"LinearPerpetual\",\"status\":\"Trading\",\"baseCoin\":\"BTC\",\"quoteCoin\":\"USDT\","
        "\"settleCoin\":\"USDT\",\"priceFilter\":{\"minPrice\":\"0.10\",\"maxPrice\":\"199999.80\",\"tickSize\":"
        "\"0.10\"},\"lotSizeFilter\":{\"maxOrderQty\":\"100.000\",\"minOrderQty\":\"0.001\",\"qtyStep\":\"0.001\","
        "\"minNotionalValue\":\"5\"},\"fundingInterval\":480}],\"nextPageCursor\":\"\"},\"time\":1}";
    struct bybit_instrument in;
    struct bybit_error e;
    char why[200];
    CHECK_MSG(bybit_parse_instrument(spot, strlen(spot), "BTCUSDT", &in, &e, why, sizeof why) == 0, "%s", why);
    CHECK(strcmp(in.status, "Trading") == 0 && strcmp(in.base, "BTC") == 0 && strcmp(in.quote, "USDT") == 0);
    CHECK(in.tick_size == 0.01 && in.qty_step == 0.000001 && in.min_qty == 0.000048 && in.min_notional == 1);
    CHECK(in.funding_interval_min == 0);
    CHECK_MSG(bybit_parse_instrument(linear, strlen(linear), "BTCUSDT", &in, &e, why, sizeof why) == 0, "%s", why);
    CHECK(in.tick_size == 0.1 && in.qty_step == 0.001 && in.min_qty == 0.001 && in.min_notional == 5);
    CHECK(in.funding_interval_min == 480);
    CHECK(bybit_parse_instrument(linear, strlen(linear), "ETHUSDT", &in, &e, why, sizeof why) == -1 &&
          e.kind == BYBIT_E_BAD_SYMBOL && strstr(why, "unknown symbol ETHUSDT"));
    static const char notick[] = "{\"retCode\":0,\"retMsg\":\"OK\",\"result\":{\"list\":[{\"symbol\":\"BTCUSDT\","
                                 "\"status\":\"Trading\",\"priceFilter\":{},\"lotSizeFilter\":{}}]}}";
    CHECK(bybit_parse_instrument(notick, strlen(notick), "BTCUSDT", &in, &e, why, sizeof why) == -1 &&
          e.kind == BYBIT_E_REPLY && strstr(why, "tickSize"));
    CHECK(bybit_parse_instrument("{", 1, "BTCUSDT", &in, &e, why, sizeof why) == -1 && e.kind == BYBIT_E_REPLY);
    for (size_t i = 0; i + 1 < sizeof linear - 1; i += 7)
        CHECK(bybit_parse_instrument(linear, i, "BTCUSDT", &in, &e, why, sizeof why) == -1);
}

static bool same_msg(const struct bybit_msg *a, const struct bybit_msg *b)
{
    if (a->type != b->type || strcmp(a->topic, b->topic) != 0 || a->ts != b->ts || a->n_klines != b->n_klines)
        return false;
    for (size_t i = 0; i < a->n_klines; i++) {
        const struct kline_event *x = &a->klines[i], *y = &b->klines[i];
        if (strcmp(x->symbol, y->symbol) != 0 || x->tf != y->tf || x->closed != y->closed ||
            x->event_time != y->event_time || x->c.open_time != y->c.open_time || x->c.open != y->c.open ||
            x->c.high != y->c.high || x->c.low != y->c.low || x->c.close != y->c.close ||
            x->c.volume != y->c.volume || x->c.quote_volume != y->c.quote_volume || x->c.trades != y->c.trades)
            return false;
    }
    return true;
}

/* The one-pass reader takes the valid pushes and gives the tree reader's answer
 * on every mutation: deleted, inserted, replaced and repeated bytes. */
static void fast_path_agrees_with_the_tree_reader(void)
{
    static const char *const good[] = {
        KLINE1,
        "{\"topic\":\"kline.5.BTCUSDT\",\"data\":[{\"start\":1672324800000,\"end\":1672325099999,\"interval\":\"5\","
        "\"open\":\"16649.5\",\"close\":\"16677\",\"high\":\"16677\",\"low\":\"16608\",\"volume\":\"2.081\","
        "\"turnover\":\"34666.4005\",\"confirm\":false,\"timestamp\":1672324988882}],\"ts\":1672324988882,"
        "\"type\":\"snapshot\"}",
        "{\"type\":\"snapshot\",\"data\":[{\"confirm\":true,\"low\":\"0.00001\",\"start\":1700000040000,\"high\":\"3\","
        "\"end\":1700000099999,\"open\":\"1\",\"close\":\"2\",\"volume\":\"0\"},{\"start\":1700000100000,"
        "\"end\":1700000159999,\"open\":\"2\",\"close\":\"2\",\"high\":\"2\",\"low\":\"2\",\"volume\":\"1\","
        "\"confirm\":false}],\"topic\":\"kline.1.ETHUSDT\"}",
    };
    static struct bybit_msg a, b;
    char why[200];
    for (size_t g = 0; g < sizeof good / sizeof good[0]; g++) {
        CHECK_MSG(bybit_kline_fast(good[g], strlen(good[g]), &a) == 1, "good push %zu not taken by the fast path", g);
        CHECK(bybit_ws_parse_tree(good[g], strlen(good[g]), &b, why, sizeof why) == KLINE_JSON_OK);
        CHECK(same_msg(&a, &b));
    }
    static const char ins[] = "{}[]\",:0123456789.-eE tfn\\\x01\xc3\xa9u";
    uint64_t x = 88172645463325252ULL;
    int taken = 0, mismatches = 0;
    for (int round = 0; round < 60000; round++) {
        const char *src = good[round % 3];
        size_t n = strlen(src);
        char m[1200];
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        size_t at = (size_t)(x % n), k;
        switch ((x >> 20) % 4) {
        case 0: memcpy(m, src, at); memcpy(m + at, src + at + 1, n - at); k = n - 1; break;
        case 1: memcpy(m, src, at); m[at] = ins[(x >> 32) % (sizeof ins - 1)]; memcpy(m + at + 1, src + at, n - at);
                k = n + 1; break;
        case 2: memcpy(m, src, n + 1); m[at] = ins[(x >> 32) % (sizeof ins - 1)]; k = n; break;
        default: {                                  /* a span repeated (duplicate keys, extra elements) */
            size_t len = 1 + (size_t)((x >> 32) % 40);
            if (at + len > n)
                len = n - at;
            memcpy(m, src, at + len);
            memcpy(m + at + len, src + at, n - at);
            k = n + len;
            break;
        }
        }
        memset(&a, 0, sizeof a);
        memset(&b, 0, sizeof b);
        int ra = bybit_ws_parse(m, k, &a, why, sizeof why), rb = bybit_ws_parse_tree(m, k, &b, why, sizeof why);
        taken += bybit_kline_fast(m, k, &a) == 1;
        if (ra != rb || (ra == KLINE_JSON_OK && !same_msg(&a, &b))) {
            if (mismatches++ < 5)
                printf("#   mismatch (%d vs %d) on: %.*s\n", ra, rb, (int)k, m);
        }
    }
    CHECK(mismatches == 0);
    CHECK_MSG(taken > 1000, "fast path took %d mutated pushes", taken);   /* harmless mutations stay fast */
}

int main(void)
{
    RUN(parses_the_documented_kline_push);
    RUN(refuses_bad_kline_pushes);
    RUN(merges_ticker_snapshot_and_deltas);
    RUN(reads_replies);
    RUN(formats_requests);
    RUN(parses_kline_pages_newest_first);
    RUN(maps_errors_to_clear_messages);
    RUN(parses_instruments);
    RUN(fast_path_agrees_with_the_tree_reader);
    HARNESS_EXIT();
}
