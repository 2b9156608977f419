/* Alert rules, configuration, message bodies, SHA-256/HMAC, secret redaction,
 * the inbound body parser (with the fuzzer's seed corpus) and the engine side:
 * a fill raises an alert, a webhook signal is journalled and trades only with
 * auto_take. */
#include <dirent.h>
#include <math.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"
#include "alphapulse/alert.h"
#include "alphapulse/engine.h"
#include "alphapulse/log.h"
#include "alphapulse/record.h"
#include "alphapulse/webhook.h"

static void test_sha256_and_hmac_known_answers(void)
{
    uint8_t h[32];
    alert_sha256("abc", 3, h);
    CHECK(h[0] == 0xba && h[1] == 0x78 && h[30] == 0x15 && h[31] == 0xad);
    char hex[65];
    /* RFC 4231 test case 2 */
    alert_hmac_sha256_hex("Jefe", 4, "what do ya want for nothing?", 28, hex);
    CHECK_MSG(strcmp(hex, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843") == 0, "%s", hex);
    /* RFC 4231 test case 6: a key longer than the block is hashed first */
    uint8_t key[131];
    memset(key, 0xaa, sizeof key);
    const char *m = "Test Using Larger Than Block-Size Key - Hash Key First";
    alert_hmac_sha256_hex(key, sizeof key, m, strlen(m), hex);
    CHECK_MSG(strcmp(hex, "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54") == 0, "%s", hex);
    /* two blocks of input */
    alert_sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56, h);
    CHECK(h[0] == 0x24 && h[1] == 0x8d && h[31] == 0xc1);
}

static void test_rules_pick_channels(void)
{
    struct alert_params p;
    alert_params_defaults(&p);
    struct alert_event a = { .kind = ALERT_FILL, .symbol = "BTCUSDT", .confidence = NAN };
    CHECK(alert_rules_match(&p, &a) == ALERT_CH_BELL);           /* safe default: only the bell */
    snprintf(p.discord.url, sizeof p.discord.url, "https://discord.com/api/webhooks/1/x");
    CHECK(alert_rules_match(&p, &a) == (ALERT_CH_BELL | ALERT_CH_DISCORD));
    snprintf(p.telegram.token, sizeof p.telegram.token, "1:x");
    CHECK(alert_rules_match(&p, &a) == (ALERT_CH_BELL | ALERT_CH_DISCORD));   /* no chat id yet */
    a.kind = ALERT_SIGNAL;
    a.confidence = 0.5;
    CHECK(alert_rules_match(&p, &a) == 0);                         /* under min_confidence 0.6 */
    a.confidence = 0.6;
    CHECK(alert_rules_match(&p, &a) != 0);
    p.rule[ALERT_SIGNAL].n_symbols = 1;
    snprintf(p.rule[ALERT_SIGNAL].symbols[0], SYMBOL_MAX, "ETHBTC");
    CHECK(alert_rules_match(&p, &a) == 0);
    snprintf(a.symbol, sizeof a.symbol, "ETHBTC");
    CHECK(alert_rules_match(&p, &a) != 0);
    p.rule[ALERT_SIGNAL].enabled = false;
    CHECK(alert_rules_match(&p, &a) == 0);
    p.bell = ALERT_BELL_OFF;
    a.kind = ALERT_FILL;
    CHECK(alert_rules_match(&p, &a) == ALERT_CH_DISCORD);
}

static void test_secret_files_and_redaction(void)
{
    char dir[] = "/tmp/ap-alert-XXXXXX", path[64], logp[64], err[256], out[ALERT_SECRET_MAX];
    CHECK(mkdtemp(dir) != NULL);
    snprintf(path, sizeof path, "%s/tok", dir);
    snprintf(logp, sizeof logp, "%s/log", dir);
    FILE *f = fopen(path, "w");
    fprintf(f, "  tg-secret-4242:ZZ  \nsecond line ignored\n");
    fclose(f);
    chmod(path, 0644);
    log_open(logp);
    CHECK(alert_secret_file(path, out, sizeof out, err, sizeof err) == 0);
    CHECK(strcmp(out, "tg-secret-4242:ZZ") == 0);
    log_info("posting to https://api.telegram.org/bot%s/sendMessage and again %s", out, out);
    log_close();
    f = fopen(logp, "r");
    char buf[2048] = "";
    size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
    buf[n] = 0;
    if (f)
        fclose(f);
    CHECK_MSG(strstr(buf, "readable by group or others") != NULL, "no permission warning in: %s", buf);
    CHECK(strstr(buf, "/bot[redacted]/sendMessage and again [redacted]") != NULL);
    CHECK(strstr(buf, "tg-secret-4242") == NULL);
    char text[32] = "x tg-secret-4242:ZZ y";
    log_redact(text, sizeof text);
    CHECK(strcmp(text, "x [redacted] y") == 0);
    char tight[21] = "ab tg-secret-4242:ZZ";    /* exactly full */
    log_redact(tight, sizeof tight);
    CHECK(strcmp(tight, "ab [redacted]") == 0);
    remove(path);
    remove(logp);
    rmdir(dir);
}

static void test_message_bodies(void)
{
    struct alert_params p;
    alert_params_defaults(&p);
    snprintf(p.telegram.chat_id, sizeof p.telegram.chat_id, "@alphapulse_alerts");
    snprintf(p.telegram.parse_mode, sizeof p.telegram.parse_mode, "MarkdownV2");
    struct alert_event a = { .kind = ALERT_SIGNAL, .time = 5, .symbol = "BTCUSDT", .confidence = 0.75,
                             .text = "long_signal (1h) 65000.5!" };
    char out[2048];
    CHECK(alert_format_telegram(&p, &a, out, sizeof out) > 0);
    CHECK_MSG(strstr(out, "\"chat_id\":\"@alphapulse_alerts\"") != NULL, "%s", out);
    CHECK_MSG(strstr(out, "long\\\\_signal \\\\(1h\\\\) 65000\\\\.5\\\\!") != NULL, "%s", out);
    CHECK(alert_format_json(&a, out, sizeof out) > 0);
    CHECK_MSG(strstr(out, "\"confidence\":0.75") && strstr(out, "\"kind\":\"signal\""), "%s", out);
    CHECK(alert_format_discord(&p, &a, out, 20) == -1);            /* does not fit: refused, not cut */
    CHECK(alert_retry_after("{\"retry_after\": 64.57, \"global\": false}", NULL) == 64.57);
    CHECK(alert_retry_after("{\"ok\":false,\"parameters\":{\"retry_after\":34}}", "9") == 34);
    CHECK(alert_retry_after("not json", " 7\r\n") == 7);
    CHECK(alert_retry_after("", NULL) == -1);
}

static void test_parser_accepts_good_alerts(void)
{
    struct webhook_signal s;
    char err[256];
    const char *j = "{\"symbol\":\"btcusdt\",\"side\":\"Buy\",\"price\":\"65000.5\",\"stop\":64000,\"tp\":68000,"
                    "\"timeframe\":\"1h\",\"token\":\"t0k\",\"message\":\"line\\nbreak\"}";
    CHECK_MSG(webhook_parse_body(j, strlen(j), &s, err, sizeof err) == 0, "%s", err);
    CHECK(strcmp(s.symbol, "BTCUSDT") == 0 && s.side == 1 && s.price == 65000.5 && s.stop == 64000 && s.tp == 68000);
    CHECK(strcmp(s.timeframe, "1h") == 0 && strcmp(s.token, "t0k") == 0 && strcmp(s.message, "line break") == 0);
    const char *t = "  short ETHBTC sl=0.06 TP=0.04 price=0.05 tf=4h token=abc the rest is text = fine\r\n";
    CHECK_MSG(webhook_parse_body(t, strlen(t), &s, err, sizeof err) == 0, "%s", err);
    CHECK(s.side == -1 && strcmp(s.symbol, "ETHBTC") == 0 && s.stop == 0.06 && s.tp == 0.04 && s.price == 0.05);
    CHECK(strcmp(s.message, "the rest is text = fine") == 0 && strcmp(s.token, "abc") == 0);
    /* TradingView's {{ticker}} with its exchange prefix: the canonical symbol */
    const char *tv = "{\"symbol\":\"BINANCE:BTCUSDT\",\"side\":\"buy\"}";
    CHECK_MSG(webhook_parse_body(tv, strlen(tv), &s, err, sizeof err) == 0, "%s", err);
    CHECK(strcmp(s.symbol, "BTCUSDT") == 0);
    const char *by = "buy bybit:ethusdt";
    CHECK_MSG(webhook_parse_body(by, strlen(by), &s, err, sizeof err) == 0, "%s", err);
    CHECK(strcmp(s.symbol, "bybit:ETHUSDT") == 0);
    CHECK(webhook_token_equal("abc", "abc") && !webhook_token_equal("abc", "abd") && !webhook_token_equal("abc", "ab") &&
          !webhook_token_equal("", ""));
}

static void test_parser_rejects_bad_alerts(void)
{
    const struct { const char *body, *want; } bad[] = {
        { "", "empty body" },
        { "{\"symbol\":\"BTCUSDT\"}", "missing \"side\"" },
        { "{\"side\":\"buy\"}", "missing \"symbol\"" },
        { "{\"symbol\":\"BTCUSDT\",\"side\":\"hold\"}", "side: expected" },
        { "{\"symbol\":\"BTCUSDT\",\"side\":\"buy\",\"price\":-1}", "price: expected a positive number" },
        { "{\"symbol\":\"BTCUSDT\",\"side\":\"buy\",\"price\":\"12abc\"}", "price: expected a positive number" },
        { "{\"symbol\":\"BTCUSDT\",\"side\":\"buy\",\"qty\":1}", "unknown key \"qty\"" },
        { "{\"symbol\":\"BTCUSDT\",\"side\":\"buy\",\"symbol\":\"X\"}", "malformed JSON" },
        { "{\"symbol\":\"BTCUSDT\",\"side\":\"buy\",\"price\":100,\"stop\":101}", "stop 101 is on the wrong side" },
        { "{\"symbol\":\"BTCUSDT\",\"side\":\"sell\",\"stop\":90,\"tp\":95}", "wrong way round for a sell" },
        { "{\"symbol\":\"BTC/USDT\",\"side\":\"buy\"}", "symbol: expected" },
        { "{\"symbol\":\"BTCUSDT\",\"side\":\"buy\",\"timeframe\":\"1 hour\"}", "timeframe: expected" },
        { "[\"BUY\"]", "expected BUY or SELL first" },
        { "HOLD BTCUSDT", "expected BUY or SELL first" },
        { "BUY", "expected \"BUY|SELL SYMBOL" },
        { "BUY BTCUSDT leverage=100", "unknown field \"leverage\"" },
        { "BUY BTCUSDT sl=nan", "sl: expected a positive number" },
        { "BUY BTCUSDT\nSELL BTCUSDT", "expected one line" },
        { "BUY BTCUSDT \x01", "control character" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct webhook_signal s;
        char err[256] = "";
        int rc = webhook_parse_body(bad[i].body, strlen(bad[i].body), &s, err, sizeof err);
        CHECK_MSG(rc == -1 && strstr(err, bad[i].want), "\"%s\" -> %d \"%s\", expected \"%s\"", bad[i].body, rc, err,
                  bad[i].want);
        CHECK(s.symbol[0] == 0 && s.token[0] == 0);              /* nothing half-parsed leaks out */
    }
    char big[WEBHOOK_BODY_MAX + 2];
    memset(big, ' ', sizeof big);
    struct webhook_signal s;
    char err[128];
    CHECK(webhook_parse_body(big, sizeof big, &s, err, sizeof err) == -1 && strstr(err, "over the 8192 byte limit"));
    CHECK(webhook_parse_body("BUY BTC\0USDT", 12, &s, err, sizeof err) == -1 && strstr(err, "NUL byte"));
}

/* The fuzzer's seeds: bad_* files must be refused, the others accepted; all run clean
 * under the sanitizers in `make asan`. */
static void test_fuzz_corpus_through_the_parser(void)
{
    DIR *d = opendir("tests/fuzz/corpus");
    CHECK(d != NULL);
    if (!d)
        return;
    struct dirent *de;
    int n = 0;
    while ((de = readdir(d))) {
        if (de->d_name[0] == '.')
            continue;
        char path[512], buf[WEBHOOK_BODY_MAX + 16], err[256];
        snprintf(path, sizeof path, "tests/fuzz/corpus/%s", de->d_name);
        FILE *f = fopen(path, "rb");
        if (!f)
            continue;
        size_t len = fread(buf, 1, sizeof buf, f);
        fclose(f);
        struct webhook_signal s;
        int rc = webhook_parse_body(buf, len, &s, err, sizeof err);
        bool want_ok = strncmp(de->d_name, "bad_", 4) != 0;
        CHECK_MSG((rc == 0) == want_ok, "%s: %s", de->d_name, rc ? err : "accepted");
        n++;
    }
    closedir(d);
    CHECK_MSG(n >= 10, "only %d seeds", n);
}

static void test_engine_raises_and_journals(void)
{
    struct engine_config cfg;
    struct instrument inst[INSTRUMENTS_MAX] = { 0 };
    engine_config_defaults(&cfg);
    cfg.inst = inst;
    cfg.n_symbols = 1;
    snprintf(inst[0].symbol, SYMBOL_MAX, "BTCUSDT");
    snprintf(inst[0].base, sizeof inst[0].base, "BTC");
    snprintf(inst[0].quote, sizeof inst[0].quote, "USDT");
    cfg.history = 64;
    struct spsc recs, alerts;
    spsc_init(&recs, sizeof(struct record), 256);
    spsc_init(&alerts, sizeof(struct alert_event), 64);
    struct engine *e = engine_create(&cfg, &recs);
    engine_set_alerts(e, &alerts);
    struct engine_event ev = { .type = EE_KLINE };
    ev.u.k = (struct kline_event){ .symbol = "BTCUSDT", .tf = TF_1M, .event_time = 60000,
                                   .c = { .open_time = 0, .open = 100, .high = 101, .low = 99, .close = 100,
                                          .volume = 1 } };
    engine_step(e, &ev);
    struct engine_event wh = { .type = EE_COMMAND };
    wh.u.cmd = (struct command){ .type = CMD_WEBHOOK_SIGNAL, .symbol = "BTCUSDT", .side = 1, .stop_loss = 95, .tp = { 110 },
                                 .timeframe = "1h", .text = "from TV" };
    engine_step(e, &wh);
    struct snapshot *s = calloc(1, sizeof *s);
    engine_snapshot(e, 0, TF_1M, s);
    CHECK_MSG(s->n_log > 0 && strcmp(s->log[s->n_log - 1], "webhook signal BUY BTCUSDT sl=95 tp=110 1h queued for "
                                                             "review: from TV") == 0, "%s", s->log[s->n_log - 1]);
    CHECK(!s->symbols[0].order_pending);                        /* review only: nothing was ordered */
    /* ... in the signal queue, as a signal of source webhook, and stored as one */
    CHECK(s->n_signals == 1 && s->signals[0].source == SIGNAL_SOURCE_WEBHOOK && s->signals[0].state == SIGNAL_NEW &&
          s->signals[0].tf == TF_1H && s->signals[0].side == 1 && s->signals[0].stop == 95 &&
          s->signals[0].tp[0] == 110 && s->signals[0].entry == 100);
    struct record rec;
    int stored = 0;
    while (spsc_pop(&recs, &rec))
        stored += rec.type == REC_SIGNAL && strcmp(rec.u.signal.source, "webhook") == 0 &&
                  rec.u.signal.state == SIGNAL_NEW && strcmp(rec.symbol, "BTCUSDT") == 0;
    CHECK(stored == 1);
    struct alert_event a;
    CHECK(spsc_pop(&alerts, &a) && a.kind == ALERT_SIGNAL && strcmp(a.symbol, "BTCUSDT") == 0 && isnan(a.confidence));
    wh.u.cmd.auto_take = true;
    engine_step(e, &wh);
    engine_snapshot(e, 0, TF_1M, s);
    CHECK(s->symbols[0].order_pending);                         /* auto_take: the normal order path */
    CHECK(s->n_signals == 2 && (s->signals[0].state == SIGNAL_TAKEN) + (s->signals[1].state == SIGNAL_TAKEN) == 1);
    CHECK(spsc_pop(&alerts, &a) && a.kind == ALERT_SIGNAL);
    ev.u.k.c.close = 100.5;
    ev.u.k.event_time = 61000;
    ev.u.k.c.open_time = 60000;
    engine_step(e, &ev);                                        /* next price fills the order */
    CHECK_MSG(spsc_pop(&alerts, &a) && a.kind == ALERT_FILL && a.time == 61000 &&
              strncmp(a.text, "filled BUY", 10) == 0, "fill alert: kind %d text %s", a.kind, a.text);
    snapshot_free(s);
    engine_destroy(e);
    spsc_free(&recs);
    spsc_free(&alerts);
}

int main(void)
{
    RUN(test_sha256_and_hmac_known_answers);
    RUN(test_rules_pick_channels);
    RUN(test_secret_files_and_redaction);
    RUN(test_message_bodies);
    RUN(test_parser_accepts_good_alerts);
    RUN(test_parser_rejects_bad_alerts);
    RUN(test_fuzz_corpus_through_the_parser);
    RUN(test_engine_raises_and_journals);
    HARNESS_EXIT();
}
