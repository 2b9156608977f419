/* Configuration: a table of broken files, each with the exact message expected
 * (file:line:col, JSON path, what was expected); profiles; sources; --set. */
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"
#include "alphapulse/alert.h"
#include "alphapulse/app.h"
#include "alphapulse/config.h"
#include "alphapulse/engine.h"
#include "alphapulse/patterns.h"
#include "alphapulse/regime.h"
#include "alphapulse/sizing.h"
#include "alphapulse/voters.h"

static const char *pattern_name(int id) { return cdl_name(id); }
static const char *const *venues(void)
{
    static const char *const names[] = { "binance", "bybit", "bybit-linear", NULL };
    return names;
}
static const struct config_vocab vocab = { .pattern_find = cdl_find, .pattern_name = pattern_name,
                                           .n_patterns = CDL_COUNT, .venues = venues,
                                           .profile = &engine_profile_schema,
                                           .sections = (const struct config_section *const[]){ &engine_risk_section },
                                           .n_sections = 1 };

static char path[] = "/tmp/ap-config-XXXXXX.json";

static void write_file(const char *text)
{
    FILE *f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
}

/* The message without the temporary file name. */
static const char *tail(const char *msg)
{
    size_t n = strlen(path);
    return strncmp(msg, path, n) == 0 ? msg + n : msg;
}

static void broken_files_report_exactly(void)
{
    static const struct { const char *json; const char *want; } cases[] = {
        { "{\"paper\": {\"balance\": -5}}", ":1:12: paper.balance: -5 is out of range (expected a starting balance > 0)" },
        { "{\"paper\": {\"balance\": 0}}", ":1:12: paper.balance: 0 is out of range (expected a starting balance > 0)" },
        { "{\"paper\": {\"balance\": \"lots\"}}", ":1:12: paper.balance: expected a starting balance > 0, got a string" },
        { "{\"paper\": {\"fee_bps\": 1001}}", ":1:12: paper.fee_bps: 1001 is out of range (expected a taker fee of 0 to 1000 basis points)" },
        { "{\"paper\": {\"fee_bps\": -1}}", ":1:12: paper.fee_bps: -1 is out of range (expected a taker fee of 0 to 1000 basis points)" },
        { "{\"paper\": {\"slippage_bps\": true}}", ":1:12: paper.slippage_bps: expected 0 to 1000 basis points, got a boolean" },
        { "{\"paper\": {\"currency\": \"usdt\"}}", ":1:12: paper.currency: \"usdt\" is not a currency code (2-10 capital letters) (expected a currency code such as \"USDT\")" },
        { "{\"paper\": {\"order_notional\": 0}}", ":1:12: paper.order_notional: 0 is out of range (expected the default order size in the account currency, > 0)" },
        { "{\"paper\": {\"balanse\": 5}}", ":1:12: paper.balanse: unknown key (did you mean paper.balance?)" },
        { "{\"paper\": 5}", ":1:2: paper: expected an object (a section), got an integer" },
        { "{\"papr\": {}}", ":1:2: papr: unknown key (did you mean paper?)" },
        { "{\"colour\": true}", ":1:2: colour: unknown key" },
        { "{\"feed\": {\"symbols\": []}}", ":1:11: feed.symbols: expected a list of 1 to 2048 symbols or patterns such as [\"BTCUSDT\", \"bybit:ETHUSDT\", \"top:100:USDT\", \"-BTCDOWNUSDT\"], got a list of the wrong length" },
        { "{\"feed\": {\"symbols\": \"BTCUSDT\"}}", ":1:11: feed.symbols: expected a list of 1 to 2048 symbols or patterns such as [\"BTCUSDT\", \"bybit:ETHUSDT\", \"top:100:USDT\", \"-BTCDOWNUSDT\"], got a string" },
        { "{\"feed\": {\"symbols\": [\"BTCUSDT\", \"eth-usd\"]}}", ":1:34: feed.symbols[1]: 'eth-usd': expected letters and digits, such as BTCUSDT or bybit:BTCUSDT (or a pattern: \"*USDT\", \"top:100:USDT\", \"-BTCDOWNUSDT\")" },
        { "{\"feed\": {\"symbols\": [\"BTCUSDT\", 7]}}", ":1:34: feed.symbols[1]: expected a symbol such as \"BTCUSDT\" or \"bybit:BTCUSDT\", or a pattern such as \"*USDT\", \"top:100:USDT\" or \"-BTCDOWNUSDT\", got an integer" },
        { "{\"feed\": {\"symbols\": [\"BTCUSDT\", \"BTCUSDT\"]}}", ":1:34: feed.symbols[1]: \"BTCUSDT\" is listed twice" },
        { "{\"feed\": {\"symbols\": [\"BTCUSDT\", \"binance:btcusdt\"]}}", ":1:34: feed.symbols[1]: \"BTCUSDT\" is listed twice" },
        { "{\"feed\": {\"symbols\": [\"kraken:XBTUSD\"]}}", ":1:23: feed.symbols[0]: 'kraken:XBTUSD': unknown venue \"kraken\" (known venues: binance, bybit, bybit-linear) (or a pattern: \"*USDT\", \"top:100:USDT\", \"-BTCDOWNUSDT\")" },
        { "{\"feed\": {\"timeframes\": [\"1m\", \"2h\"]}}", ":1:32: feed.timeframes[1]: unknown timeframe \"2h\" (expected one of 1m, 5m, 15m, 1h, 4h, 1d)" },
        { "{\"feed\": {\"timeframes\": []}}", ":1:11: feed.timeframes: expected a list of timeframes from 1m, 5m, 15m, 1h, 4h, 1d, got a list" },
        { "{\"venues\": {\"binance\": {\"rest_url\": \"ftp://x\"}}}", ":1:25: venues.binance.rest_url: \"ftp://x\" is not an http:// or https:// URL (expected an http:// or https:// URL)" },
        { "{\"venues\": {\"bybit\": {\"ws_url\": \"http://x\"}}}", ":1:23: venues.bybit.ws_url: \"http://x\" is not a ws:// or wss:// URL (expected a ws:// or wss:// URL)" },
        { "{\"venues\": {\"bybit\": {\"rest_ulr\": \"http://x\"}}}", ":1:23: venues.bybit.rest_ulr: unknown key (did you mean venues.bybit.rest_url?)" },
        { "{\"venues\": {\"kraken\": {}}}", ":1:13: venues.kraken: unknown key" },
        { "{\"feed\": {\"rest_url\": \"http://x\"}}", ":1:11: feed.rest_url: moved to venues.binance.rest_url (endpoints are per venue)" },
        { "{\"feed\": {\"ca_file\": \"/nonexistent/ca.pem\"}}", ":1:11: feed.ca_file: \"/nonexistent/ca.pem\" cannot be read: No such file or directory (expected a PEM file of trusted CA certificates, empty for the system's)" },
        { "{\"feed\": {\"ca_file\": \"config/alphapulse.json\"}}", ":1:11: feed.ca_file: \"config/alphapulse.json\" holds no -----BEGIN CERTIFICATE----- block (expected a PEM file of trusted CA certificates, empty for the system's)" },
        { "{\"feed\": {\"ca_file\": \"/dev/null\"}}", ":1:11: feed.ca_file: \"/dev/null\" is not a regular file (expected a PEM file of trusted CA certificates, empty for the system's)" },
        { "{\"feed\": {\"ca_file\": \"/tmp\"}}", ":1:11: feed.ca_file: \"/tmp\" is a directory (expected a PEM file of trusted CA certificates, empty for the system's)" },
        { "{\"feed\": {\"ca_file\": true}}", ":1:11: feed.ca_file: expected a PEM file of trusted CA certificates, empty for the system's, got a boolean" },
        { "{\"feed\": {\"ca_fle\": \"x.pem\"}}", ":1:11: feed.ca_fle: unknown key (did you mean feed.ca_file?)" },
        { "{\"feed\": {\"reconnect_min_ms\": 50}}", ":1:11: feed.reconnect_min_ms: 50 is out of range (expected 100 to 60000 milliseconds)" },
        { "{\"feed\": {\"reconnect_min_ms\": 5000, \"reconnect_max_ms\": 2000}}", ":1:11: feed.reconnect_min_ms: 5000 is above feed.reconnect_max_ms 2000" },
        { "{\"feed\": {\"stale_seconds\": 1.5}}", ":1:11: feed.stale_seconds: expected 5 to 3600 seconds, got a number" },
        { "{\"feed\": {\"failover_s\": 1}}", ":1:11: feed.failover_s: 1 is out of range (expected 2 to 3600 seconds)" },
        { "{\"feed\": {\"failover_s\": \"10\"}}", ":1:11: feed.failover_s: expected 2 to 3600 seconds, got a string" },
        { "{\"feed\": {\"failovr_s\": 10}}", ":1:11: feed.failovr_s: unknown key (did you mean feed.failover_s?)" },
        { "{\"feed\": {\"max_symbols\": 0}}", ":1:11: feed.max_symbols: 0 is out of range (expected 1 to 100000 symbols)" },
        { "{\"storage\": {\"retention_days\": {\"1m\": -1}}}", ":1:33: storage.retention_days.1m: -1 is out of range (expected days to keep, 0 = forever)" },
        { "{\"storage\": {\"retention_days\": {\"2m\": 3}}}", ":1:33: storage.retention_days.2m: unknown key (did you mean storage.retention_days.1m?)" },
        { "{\"storage\": {\"retention_days\": 30}}", ":1:14: storage.retention_days: expected an object (a section), got an integer" },
        { "{\"ui\": {\"refresh_hz\": 0}}", ":1:9: ui.refresh_hz: 0 is out of range (expected 1 to 60 frames per second)" },
        { "{\"ui\": {\"ascii\": \"yes\"}}", ":1:9: ui.ascii: expected true or false, got a string" },
        { "{\"ui\": {\"big_trade\": -1}}", ":1:9: ui.big_trade: -1 is out of range (expected a trade's notional in the account currency from which the tape highlights it, 0 to 1e12 (0: never))" },
        { "{\"ui\": {\"big_trade\": \"1M\"}}", ":1:9: ui.big_trade: expected a trade's notional in the account currency from which the tape highlights it, 0 to 1e12 (0: never), got a string" },
        { "{\"ui\": {\"keys\": {\"K\": 5}}}", ":1:18: ui.keys.K: expected a key name bound to a command line (at most 63 characters)" },
        { "{\"ui\": {\"keys\": [\"K\"]}}", ":1:9: ui.keys: expected an object of key name -> command line, e.g. {\"K\": \"tf 4h\", \"x\": \"none\"}, got a list" },
        { "{\"risk\": {\"max_position\": 101}}", ":1:11: risk.max_position: 101 is out of range (expected a multiple of equity in notional, > 0 and <= 100 (0.10 = 10 %; above 1: leveraged perpetuals))" },
        { "{\"risk\": {\"max_exposure\": 0}}", ":1:11: risk.max_exposure: 0 is out of range (expected a multiple of equity in notional, > 0 and <= 100 (0.10 = 10 %; above 1: leveraged perpetuals))" },
        { "{\"paper\": {\"max_leverage\": 0.5}}", ":1:12: paper.max_leverage: 0.5 is out of range (expected a multiple of equity from 1 (no leverage) to 100: the largest perpetual position; spot is always 1)" },
        { "{\"paper\": {\"max_leverage\": 101}}", ":1:12: paper.max_leverage: 101 is out of range (expected a multiple of equity from 1 (no leverage) to 100: the largest perpetual position; spot is always 1)" },
        { "{\"paper\": {\"max_leverage\": \"3x\"}}", ":1:12: paper.max_leverage: expected a multiple of equity from 1 (no leverage) to 100: the largest perpetual position; spot is always 1, got a string" },
        { "{\"paper\": {\"max_leverag\": 3}}", ":1:12: paper.max_leverag: unknown key (did you mean paper.max_leverage?)" },
        { "{\"risk\": {\"blackouts\": [{\"time\": \"tomorrow\"}]}}", ":1:25: risk.blackouts[0]: expected {\"time\": \"2024-12-18T19:00Z\", \"margin_min\": 0..1440, \"label\": \"FOMC\"}" },
        { "{\"profiles\": {\"default\": {\"analysis\": {\"rsi_period\": 1}}}}", ":1:40: profiles.default.analysis.rsi_period: 1 is out of range (expected a period of 2 to 512 candles)" },
        { "{\"profiles\": {\"default\": {\"analysis\": {\"ema_period\": -3}}}}", ":1:40: profiles.default.analysis.ema_period: -3 is out of range (expected a period of 2 to 512 candles)" },
        { "{\"profiles\": {\"BTCUSDT\": {\"analysis\": {\"macd_fast\": 30}}}}", ":1:40: profiles.BTCUSDT.analysis.macd_fast: fast period 30 must be below the slow period 26" },
        { "{\"profiles\": {\"default\": {\"analysis\": {\"macd_fast\": 26, \"macd_slow\": 26}}}}", ":1:40: profiles.default.analysis.macd_fast: fast period 26 must be below the slow period 26" },
        { "{\"profiles\": {\"btc\": {}}}", ":1:15: profiles.btc: \"btc\" is not a symbol (expected capitals such as BTCUSDT or bybit:BTCUSDT, or \"default\")" },
        { "{\"profiles\": {\"binance:BTCUSDT\": {}}}", ":1:15: profiles.binance:BTCUSDT: \"binance:BTCUSDT\" is not a symbol (expected capitals such as BTCUSDT or bybit:BTCUSDT, or \"default\")" },
        { "{\"profiles\": {\"ETHUSDT\": {\"analysis\": {\"bb_stddev\": 0}}}}", ":1:40: profiles.ETHUSDT.analysis.bb_stddev: 0 is out of range (expected a band width in standard deviations, > 0 and <= 10)" },
        { "{\"profiles\": {\"ETHUSDT\": {\"analyses\": {}}}}", ":1:27: profiles.ETHUSDT.analyses: unknown key (did you mean profiles.ETHUSDT.analysis?)" },
        { "{\"profiles\": {\"BTCUSDT\": {\"signals\": {\"threshold\": 1.5}}}}", ":1:39: profiles.BTCUSDT.signals.threshold: 1.5 is out of range (expected a weighted confidence > 0 and <= 1)" },
        { "{\"profiles\": []}", ":1:2: profiles: expected an object of symbol -> profile, got a list" },
        { "{\"profiles\": {\"BTCUSDT\": {\"risk\": {\"max_exposure\": 0.5}}}}", ":1:36: profiles.BTCUSDT.risk.max_exposure: risk.max_exposure is the whole account's, not a symbol's: set it in the top-level \"risk\" section" },
        { "{\"profiles\": {\"BTCUSDT\": {\"risk\": {\"max_position\": 120}}}}", ":1:36: profiles.BTCUSDT.risk.max_position: 120 is out of range (expected a multiple of equity in notional, > 0 and <= 100 (0.10 = 10 %; above 1: leveraged perpetuals))" },
        { "{\"profiles\": {\"default\": {\"risk\": {\"require_stop\": 1}}}}", ":1:36: profiles.default.risk.require_stop: expected true or false, got an integer" },
        { "{\"profiles\": {\"BTCUSDT\": {\"risk\": {\"max_postion\": 0.2}}}}", ":1:36: profiles.BTCUSDT.risk.max_postion: unknown key (did you mean profiles.BTCUSDT.risk.max_position?)" },
        { "{\"profiles\": {\"BTCUSDT\": {\"feed\": {}}}}", ":1:27: profiles.BTCUSDT.feed: unknown key" },
        { "{\"profiles\": {\"ETHUSDT\": {\"patterns\": {\"disabled\": [\"CDLDOGI\"]}}}}", ":1:53: profiles.ETHUSDT.patterns.disabled[0]: unknown pattern \"CDLDOGI\" (did you mean \"doji\"?)" },
        { "{\"profiles\": {\"ETHUSDT\": {\"patterns\": {\"enabled\": [\"hammer\", 3]}}}}", ":1:62: profiles.ETHUSDT.patterns.enabled[1]: expected a pattern name, got an integer" },
        { "{\"profiles\": {\"ETHUSDT\": {\"patterns\": {\"enabled\": \"hammer\"}}}}", ":1:40: profiles.ETHUSDT.patterns.enabled: expected a list of candlestick pattern names such as \"CDLDOJI\" or \"hammer\", or [\"all\"], got a string" },
        { "{\"profiles\": {\"default\": {\"signals\": {\"voters\": [\"trend\", \"momentun\"]}}}}", ":1:59: profiles.default.signals.voters[1]: unknown voter \"momentun\" (did you mean \"momentum\"?)" },
        { "{\"profiles\": {\"SOLUSDT\": {\"signals\": {\"voters\": [\"trend\", \"momentum\"]}}}}", ":1:39: profiles.SOLUSDT.signals.voters: 2 voters enabled but signals.min_voters needs 3 to agree" },
        { "{\"profiles\": {\"SOLUSDT\": {\"signals\": {\"timeframes\": [\"1h\", \"3h\"]}}}}", ":1:60: profiles.SOLUSDT.signals.timeframes[1]: unknown timeframe \"3h\" (expected one of 1m, 5m, 15m, 1h, 4h, 1d)" },
        { "{\"profiles\": {\"SOLUSDT\": {\"signals\": {\"weights\": {\"trend\": 0}}}}}", ":1:51: profiles.SOLUSDT.signals.weights.trend: 0 is out of range (expected a multiple of the built-in prior, > 0 and <= 4)" },
        { "{\"profiles\": {\"SOLUSDT\": {\"signals\": {\"weights\": {\"news\": 1}}}}}", ":1:51: profiles.SOLUSDT.signals.weights.news: unknown key" },
        { "{\"profiles\": {\"default\": {\"regimes\": {\"adx_strong\": 120}}}}", ":1:39: profiles.default.regimes.adx_strong: 120 is out of range (expected an ADX level of 5 to 100)" },
        { "{\"profiles\": {\"default\": {\"regimes\": {\"lookback\": 10}}}}", ":1:39: profiles.default.regimes.lookback: 10 is out of range (expected a percentile window of 20 to 512 candles)" },
        { "{\"profiles\": {\"default\": {\"regime\": {}}}}", ":1:27: profiles.default.regime: unknown key (did you mean profiles.default.regimes?)" },
        { "{\"signals\": {\"targets_r\": [1, 3, 2, 4]}}", ":1:14: signals.targets_r: expected four rising multiples of the risk for tp1..tp4, each > 0 and <= 20, such as [1, 2, 3, 4]" },
        { "{\"signals\": {\"targets_r\": [1, 2, 3]}}", ":1:14: signals.targets_r: expected four rising multiples of the risk for tp1..tp4, each > 0 and <= 20, such as [1, 2, 3, 4]" },
        { "{\"signals\": {\"targets_r\": [0.5, 1.5, 3, 4]}}", ":1:14: signals.targets_r: tp2 at 1.5 R is below signals.min_rr 2: no signal could pass" },
        { "{\"analysis\": {\"rsi_period\": 600}}", ":1:15: analysis.rsi_period: 600 is out of range (expected a period of 2 to 512 candles)" },
        { "{\"paper\": {\"sizing_method\": \"qty\"}}", ":1:12: paper.sizing_method: \"qty\" is not a sizing method (expected the order ticket's sizing: \"fraction\", \"risk\", \"atr\" or \"kelly\")" },
        { "{\"paper\": {\"sizing_value\": 2}}", ":1:12: paper.sizing_value: 2 is out of range (expected a fraction of equity > 0 and <= 1: the notional (fraction), the loss at the stop (risk, atr) or the Kelly cap)" },
        { "{\"paper\": {\"balance\": 5,}}", ":1:25: string or '}' expected near '}'" },
        { "{\"paper\": {\"balance\": 5, \"balance\": 6}}", ":1:34: duplicate object key near '\"balance\"'" },
        { "[1, 2]", ":1:1: expected a JSON object at the top, got a list" },
        { "", ":1:0: '[' or '{' expected near end of file" },
    };
    int n = (int)(sizeof cases / sizeof cases[0]);
    CHECK(n >= 30);
    static struct config_errors errs;
    for (int i = 0; i < n; i++) {
        struct config c;
        config_defaults(&c, &vocab);
        write_file(cases[i].json);
        int rc = config_load(&c, path, &errs);
        CHECK_MSG(rc == -1, "case %d accepted: %s", i, cases[i].json);
        CHECK_MSG(errs.n >= 1 && strcmp(tail(errs.msg[0]), cases[i].want) == 0,
                  "case %d: got '%s'\n#     want '%s'", i, errs.n ? tail(errs.msg[0]) : "(none)", cases[i].want);
    }
    printf("# %d broken configurations, each with its exact message\n", n);
}

static void all_problems_at_once(void)
{
    static struct config_errors errs;
    struct config c;
    config_defaults(&c, &vocab);
    write_file("{\n  \"paper\": {\"balance\": -1, \"fee_bps\": \"x\"},\n  \"ui\": {\"refresh_hz\": 99},\n  \"nope\": 1\n}\n");
    CHECK(config_load(&c, path, &errs) == -1);
    CHECK(errs.n == 4);
    CHECK(errs.n == 4 && strstr(errs.msg[0], ":2:13: paper.balance") && strstr(errs.msg[1], ":2:28: paper.fee_bps") &&
          strstr(errs.msg[2], ":3:10: ui.refresh_hz") && strstr(errs.msg[3], ":4:3: nope"));
}

static void profiles_override_per_symbol(void)
{
    static struct config_errors errs;
    struct config c;
    config_defaults(&c, &vocab);
    write_file("{\"profiles\": {\"default\": {\"analysis\": {\"ema_period\": 30}},"
               " \"BTCUSDT\": {\"analysis\": {\"ema_period\": 50, \"macd_fast\": 8, \"macd_slow\": 24}},"
               " \"ETHUSDT\": {\"analysis\": {\"rsi_period\": 7}}}}");
    CHECK(config_load(&c, path, &errs) == 0);
    struct engine_profile btc, eth, sol;
    engine_profile_resolve(&c, "BTCUSDT", &btc);
    engine_profile_resolve(&c, "ETHUSDT", &eth);
    engine_profile_resolve(&c, "SOLUSDT", &sol);
    CHECK(btc.ta.ema == 50 && btc.ta.macd_fast == 8 && btc.ta.macd_slow == 24);
    CHECK(btc.ta.rsi == 14);
    CHECK(eth.ta.ema == 30 && eth.ta.rsi == 7 && eth.ta.macd_fast == 12);
    CHECK(sol.ta.ema == 30 && sol.ta.rsi == 14);
    /* the profile's macd_fast 8 would be invalid against a default slow of 6: checked on the effective profile */
    write_file("{\"profiles\": {\"default\": {\"analysis\": {\"macd_fast\": 4, \"macd_slow\": 6}},"
               " \"BTCUSDT\": {\"analysis\": {\"macd_fast\": 8}}}}");
    config_defaults(&c, &vocab);
    CHECK(config_load(&c, path, &errs) == -1);
    CHECK(errs.n == 1 && strstr(errs.msg[0], "profiles.BTCUSDT.analysis.macd_fast: fast period 8 must be below the slow period 6"));
}

static void sources_and_set(void)
{
    static struct config_errors errs;
    struct config c;
    config_defaults(&c, &vocab);
    write_file("{\"paper\": {\"balance\": 2500}, \"profiles\": {\"BTCUSDT\": {\"analysis\": {\"ema_period\": 50}}}}");
    CHECK(config_load(&c, path, &errs) == 0);
    char err[400];
    CHECK(c.ui.big_trade == 100000);                       /* the tape's big trades: the default */
    CHECK(config_set(&c, "ui.big_trade", "250000", CFG_SRC_CLI, err, sizeof err) == 0 && c.ui.big_trade == 250000);
    CHECK(config_set(&c, "paper.fee_bps", "5", CFG_SRC_CLI, err, sizeof err) == 0);
    CHECK(config_set(&c, "paper.fee_bps", "-5", CFG_SRC_CLI, err, sizeof err) == -1);
    CHECK(strstr(err, "paper.fee_bps: -5 is out of range") != NULL);
    CHECK(config_set(&c, "paper.nothing", "5", CFG_SRC_CLI, err, sizeof err) == -1);
    CHECK(config_set(&c, "feed.symbols", "BTCUSDT,ADAUSDT", CFG_SRC_CLI, err, sizeof err) == 0);
    CHECK(c.feed.n_symbols == 2 && strcmp(c.feed.symbols[1], "ADAUSDT") == 0);
    /* venue-qualified symbols, canonical; endpoints per venue */
    CHECK(config_set(&c, "feed.symbols", "binance:BTCUSDT,bybit:ethusdt,bybit-linear:SOLUSDT", CFG_SRC_CLI, err,
                     sizeof err) == 0);
    CHECK(c.feed.n_symbols == 3 && strcmp(c.feed.symbols[0], "BTCUSDT") == 0 &&
          strcmp(c.feed.symbols[1], "bybit:ETHUSDT") == 0 && strcmp(c.feed.symbols[2], "bybit-linear:SOLUSDT") == 0);
    CHECK(config_set(&c, "feed.symbols", "okx:BTCUSDT", CFG_SRC_CLI, err, sizeof err) == -1);
    CHECK(strstr(err, "unknown venue \"okx\" (known venues: binance, bybit, bybit-linear)") != NULL);
    CHECK(strcmp(c.venues.bybit.rest_url, "https://api.bybit.com") == 0);
    CHECK(config_set(&c, "venues.bybit.rest_url", "http://127.0.0.1:9", CFG_SRC_CLI, err, sizeof err) == 0);
    CHECK(config_set(&c, "venues.binance.ws_url", "ws://127.0.0.1:9", CFG_SRC_CLI, err, sizeof err) == 0);
    CHECK(strcmp(c.venues.bybit.rest_url, "http://127.0.0.1:9") == 0 &&
          strcmp(c.venues.binance.ws_url, "ws://127.0.0.1:9") == 0);
    CHECK(config_set(&c, "venues.bybit.ws_url", "https://x", CFG_SRC_CLI, err, sizeof err) == -1);
    CHECK(config_set(&c, "feed.symbols", "BTCUSDT,ADAUSDT", CFG_SRC_CLI, err, sizeof err) == 0);
    CHECK(config_set(&c, "profiles.ETHUSDT.analysis.rsi_period", "9", CFG_SRC_CLI, err, sizeof err) == 0);
    CHECK(config_set(&c, "profiles.bybit-linear:SOLUSDT.analysis.rsi_period", "9", CFG_SRC_CLI, err, sizeof err) == 0);
    CHECK(config_set(&c, "profiles.okx:SOLUSDT.analysis.rsi_period", "9", CFG_SRC_CLI, err, sizeof err) == -1);
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    config_print(&c, m);
    fclose(m);
    CHECK(strstr(buf, "paper.balance = 2500  (file)") != NULL);
    CHECK(strstr(buf, "paper.fee_bps = 5  (command line)") != NULL);
    CHECK(strstr(buf, "paper.slippage_bps = 2  (default)") != NULL);
    CHECK(strstr(buf, "profiles.BTCUSDT.analysis.ema_period = 50  (profile BTCUSDT)") != NULL);
    CHECK(strstr(buf, "profiles.ETHUSDT.analysis.rsi_period = 9  (profile ETHUSDT)") != NULL);
    CHECK(strstr(buf, "feed.symbols = [\"BTCUSDT\", \"ADAUSDT\"]  (command line)") != NULL);
    free(buf);
    struct config d = c;
    CHECK(config_set(&d, "storage.path", "/tmp/other.db", CFG_SRC_CLI, err, sizeof err) == 0);
    CHECK(config_restart_needed(&c, &d, err, sizeof err) == 1 && strcmp(err, "storage.path") == 0);
    CHECK(config_restart_needed(&c, &c, err, sizeof err) == 0);
}

/* feed.ca_file: empty is the system's store; a file must exist and hold a PEM
 * certificate (a marker past the first read buffer counts too); --set checks
 * the same; changing it needs a restart, like the endpoints. */
static void ca_file(void)
{
    static struct config_errors errs;
    struct config c;
    config_defaults(&c, &vocab);
    CHECK(c.feed.ca_file[0] == 0);
    char pem[] = "/tmp/ap-ca-XXXXXX.pem";
    int fd = mkstemps(pem, 4);
    FILE *f = fdopen(fd, "w");
    for (int i = 0; i < 2000; i++)              /* a long preamble, as in bundles with comments */
        fputs("# Issuer: CN=Example Root\n", f);
    fputs("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n", f);
    fclose(f);
    char json[256];
    snprintf(json, sizeof json, "{\"feed\": {\"ca_file\": \"%s\"}}", pem);
    write_file(json);
    CHECK_MSG(config_load(&c, path, &errs) == 0, "%s", errs.n ? errs.msg[0] : "");
    CHECK(strcmp(c.feed.ca_file, pem) == 0);
    write_file("{\"feed\": {\"ca_file\": \"\"}}");
    struct config d;
    config_defaults(&d, &vocab);
    CHECK_MSG(config_load(&d, path, &errs) == 0, "%s", errs.n ? errs.msg[0] : "");
    char err[400];
    CHECK(config_restart_needed(&d, &c, err, sizeof err) == 1 && strcmp(err, "feed.ca_file") == 0);
    CHECK(config_set(&d, "feed.ca_file", "/nonexistent/ca.pem", CFG_SRC_CLI, err, sizeof err) == -1);
    CHECK_MSG(strcmp(err, "command line: feed.ca_file: \"/nonexistent/ca.pem\" cannot be read: No such file or "
                          "directory (expected a PEM file of trusted CA certificates, empty for the system's)") == 0,
              "got '%s'", err);
    CHECK(d.feed.ca_file[0] == 0);
    CHECK(config_set(&d, "feed.ca_file", pem, CFG_SRC_CLI, err, sizeof err) == 0 && strcmp(d.feed.ca_file, pem) == 0);
    unlink(pem);
    /* a file that lost its certificate since: the next load says so */
    CHECK(config_load(&c, path, &errs) == 0);   /* path holds "" now: fine */
    snprintf(json, sizeof json, "{\"feed\": {\"ca_file\": \"%s\"}}", pem);
    write_file(json);
    CHECK(config_load(&c, path, &errs) == -1 && strstr(errs.msg[0], "cannot be read: No such file or directory"));
}

/* Risk values follow the top-level section until a profile sets its own. */
static void risk_limits_per_symbol(void)
{
    static struct config_errors errs;
    static struct config c;
    config_defaults(&c, &vocab);
    write_file("{\"risk\": {\"max_position\": 0.2, \"max_exposure\": 0.5},"
               " \"profiles\": {\"BTCUSDT\": {\"risk\": {\"max_position\": 0.05, \"require_stop\": true}},"
               " \"ETHUSDT\": {\"risk\": {\"risk_per_trade\": 0.002}}}}");
    CHECK(config_load(&c, path, &errs) == 0);
    struct engine_profile btc, eth, sol;
    engine_profile_resolve(&c, "BTCUSDT", &btc);
    engine_profile_resolve(&c, "ETHUSDT", &eth);
    engine_profile_resolve(&c, "SOLUSDT", &sol);
    CHECK(btc.risk.max_position == 0.05 && btc.risk.require_stop && btc.risk.risk_per_trade == 0.01);
    CHECK(eth.risk.max_position == 0.2 && eth.risk.risk_per_trade == 0.002 && !eth.risk.require_stop);
    CHECK(sol.risk.max_position == 0.2 && sol.risk.max_orders_symbol == 4);
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    config_print(&c, m);
    fclose(m);
    CHECK(strstr(buf, "risk.max_position = 0.2  (file)") != NULL);
    CHECK(strstr(buf, "profiles.default.risk.max_position") == NULL);     /* it follows risk.max_position */
    CHECK(strstr(buf, "profiles.BTCUSDT.risk.max_position = 0.05  (profile BTCUSDT)") != NULL);
    free(buf);
    /* profiles.default wins over the top level; a symbol's own over both */
    char err[400];
    CHECK(config_set(&c, "profiles.default.risk.max_position", "0.15", CFG_SRC_CLI, err, sizeof err) == 0);
    CHECK(config_set(&c, "risk.max_position", "0.3", CFG_SRC_CLI, err, sizeof err) == 0);
    engine_profile_resolve(&c, "SOLUSDT", &sol);
    engine_profile_resolve(&c, "BTCUSDT", &btc);
    CHECK(sol.risk.max_position == 0.15 && btc.risk.max_position == 0.05);
    CHECK(config_set(&c, "profiles.SOLUSDT.risk.daily_loss", "0.1", CFG_SRC_CLI, err, sizeof err) == -1);
    CHECK_MSG(strstr(err, "risk.daily_loss is the whole account's") != NULL, "%s", err);
}

/* Patterns, voters, weights, timeframes and regime thresholds per symbol. */
static void profile_sections(void)
{
    static struct config_errors errs;
    static struct config c;
    config_defaults(&c, &vocab);
    write_file("{\"profiles\": {\"default\": {\"patterns\": {\"disabled\": [\"CDLHIKKAKE\", \"spinningtop\"]}},"
               " \"BTCUSDT\": {\"patterns\": {\"enabled\": [\"CDLENGULFING\", \"cdl_hammer\", \"CDLHIKKAKE\"]},"
               "  \"signals\": {\"voters\": [\"trend\", \"momentum\"], \"min_voters\": 2,"
               "   \"timeframes\": [\"1h\", \"4h\"], \"weights\": {\"trend\": 1.5}},"
               "  \"regimes\": {\"adx_strong\": 30, \"hold\": 4}}}}");
    CHECK_MSG(config_load(&c, path, &errs) == 0, "%s", errs.n ? errs.msg[0] : "");
    struct engine_profile btc, eth;
    engine_profile_resolve(&c, "BTCUSDT", &btc);
    engine_profile_resolve(&c, "ETHUSDT", &eth);
    /* BTC: only its enabled list minus the default profile's disabled ones */
    CHECK(btc.patterns == ((1ull << CDL_ENGULFING) | (1ull << CDL_HAMMER)));
    CHECK(!(eth.patterns & (1ull << CDL_HIKKAKE)) && !(eth.patterns & (1ull << CDL_SPINNINGTOP)) &&
          (eth.patterns & (1ull << CDL_DOJI)));
    CHECK(btc.signal.voters == ((1u << VOTER_TREND) | (1u << VOTER_MOMENTUM)) && btc.signal.min_voters == 2);
    CHECK(btc.signal.timeframes == ((1u << TF_1H) | (1u << TF_4H)));
    CHECK(eth.signal.timeframes == ((1u << TF_4H) | (1u << TF_1D)) && eth.signal.voters == (1u << VOTER_COUNT) - 1);
    CHECK_NEAR(btc.signal.prior[VOTER_TREND], 1.5 * eth.signal.prior[VOTER_TREND], 1e-12);
    CHECK(btc.signal.regime.adx_strong == 30 && btc.signal.regime.hold == 4 && eth.signal.regime.adx_strong == 40);
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    config_print(&c, m);
    fclose(m);
    CHECK(strstr(buf, "\npatterns.disabled = [\"hikkake\", \"spinningtop\"]  (profile default)") != NULL);
    CHECK(strstr(buf, "\npatterns.enabled = [\"all\"]  (default)") != NULL);
    CHECK(strstr(buf, "profiles.BTCUSDT.signals.voters = [\"trend\", \"momentum\"]  (profile BTCUSDT)") != NULL);
    free(buf);
    /* :set checks the rules across fields too, and keeps the old value when they fail */
    char err[400];
    CHECK(config_set(&c, "profiles.BTCUSDT.signals.min_voters", "3", CFG_SRC_CLI, err, sizeof err) == -1);
    CHECK_MSG(strstr(err, "2 voters enabled but signals.min_voters needs 3 to agree") != NULL, "%s", err);
    engine_profile_resolve(&c, "BTCUSDT", &btc);
    CHECK(btc.signal.min_voters == 2);
    CHECK(config_set(&c, "profiles.BTCUSDT.patterns.disabled", "doji,CDLHAMMER", CFG_SRC_CLI, err, sizeof err) == 0);
    engine_profile_resolve(&c, "BTCUSDT", &btc);     /* its own list replaces the default profile's */
    CHECK(btc.patterns == ((1ull << CDL_ENGULFING) | (1ull << CDL_HIKKAKE)));
    CHECK(config_set(&c, "profiles.BTCUSDT.patterns.disabled", "dojji", CFG_SRC_CLI, err, sizeof err) == -1);
    CHECK_MSG(strstr(err, "unknown pattern \"dojji\" (did you mean \"doji\"?)") != NULL, "%s", err);
}

/* analysis, patterns, regimes and signals may stand at the top level: every
 * symbol's, under profiles.default and each symbol's own. */
static void top_level_profile_sections(void)
{
    static struct config_errors errs;
    static struct config c;
    config_defaults(&c, &vocab);
    write_file("{\"analysis\": {\"ema_period\": 30, \"rsi_period\": 9}, \"signals\": {\"threshold\": 0.8},\n"
               " \"profiles\": {\"default\": {\"analysis\": {\"rsi_period\": 11}},"
               " \"BTCUSDT\": {\"analysis\": {\"ema_period\": 50}}}}");
    CHECK_MSG(config_load(&c, path, &errs) == 0, "%s", errs.n ? errs.msg[0] : "");
    struct engine_profile btc, eth;
    engine_profile_resolve(&c, "BTCUSDT", &btc);
    engine_profile_resolve(&c, "ETHUSDT", &eth);
    CHECK(eth.ta.ema == 30 && eth.ta.rsi == 11 && eth.signal.threshold == 0.8);
    CHECK(btc.ta.ema == 50 && btc.ta.rsi == 11);
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    config_print(&c, m);
    fclose(m);
    CHECK(strstr(buf, "\nanalysis.ema_period = 30  (file)") && strstr(buf, "\nanalysis.rsi_period = 11  (profile default)") &&
          strstr(buf, "\nsignals.threshold = 0.8  (file)"));
    free(buf);
    char err[400];
    CHECK(config_set(&c, "signals.min_rr", "1.5", CFG_SRC_CLI, err, sizeof err) == 0);
    engine_profile_resolve(&c, "ETHUSDT", &eth);
    CHECK(eth.signal.min_rr == 1.5);
    /* tp2 is where reward/risk is measured: a min_rr beyond it would pass nothing */
    CHECK(config_set(&c, "signals.min_rr", "3", CFG_SRC_CLI, err, sizeof err) == -1);
    CHECK_MSG(strstr(err, "signals.min_rr: tp2 at 2 R is below signals.min_rr 3: no signal could pass"), "%s", err);
    CHECK(config_set(&c, "signals.targets_r", "1,3,4,6", CFG_SRC_CLI, err, sizeof err) == 0);
    CHECK(config_set(&c, "signals.min_rr", "3", CFG_SRC_CLI, err, sizeof err) == 0);
    struct engine_profile ep;
    engine_profile_resolve(&c, "ETHUSDT", &ep);
    CHECK(ep.signal.tp_r[1] == 3 && ep.signal.tp_r[3] == 6 && ep.signal.min_rr == 3);
    /* positions and suggestions at the top level too */
    write_file("{\"signal\": {}}");
    config_defaults(&c, &vocab);
    CHECK(config_load(&c, path, &errs) == -1 && strcmp(tail(errs.msg[0]), ":1:2: signal: unknown key (did you mean signals?)") == 0);
    write_file("{\n  \"regimes\": {\"hold\": 0}}");
    config_defaults(&c, &vocab);
    CHECK(config_load(&c, path, &errs) == -1 &&
          strcmp(tail(errs.msg[0]), ":2:15: regimes.hold: 0 is out of range (expected candles a new regime must hold, 1 to 500)") == 0);
}

/* The built-in defaults of the configuration are the modules' own: a file with
 * nothing in it changes no parameter. */
static void defaults_agree_with_modules(void)
{
    static struct config c;
    config_defaults(&c, &vocab);
    struct engine_profile none, file;
    engine_profile_resolve(NULL, "BTCUSDT", &none);
    engine_profile_resolve(&c, "BTCUSDT", &file);
    CHECK(memcmp(&none.ta, &file.ta, sizeof none.ta) == 0);
    CHECK(memcmp(&none.signal.regime, &file.signal.regime, sizeof none.signal.regime) == 0);
    CHECK(memcmp(&none.signal, &file.signal, sizeof none.signal) == 0);
    CHECK(none.patterns == ~0ull && file.patterns == ~0ull);
    struct risk_limits rl;
    risk_limits_defaults(&rl);
    CHECK(file.own_risk && file.risk.risk_per_trade == rl.risk_per_trade && file.risk.max_position == rl.max_position &&
          file.risk.max_orders_symbol == rl.max_orders_symbol && file.risk.require_stop == rl.require_stop);
    struct engine_config ec, none_ec;
    engine_config_defaults(&ec);
    engine_config_defaults(&none_ec);
    engine_config_from_file(&c, &ec);
    CHECK(memcmp(&ec.risk, &rl, sizeof rl) == 0);
    CHECK(ec.size_method == none_ec.size_method && ec.size_value == none_ec.size_value);
    char err[200];
    static const char *const methods[] = { "fraction", "risk", "atr", "kelly" };
    for (int i = 0; i < 4; i++) {       /* the configuration's names are sizing.h's */
        CHECK(config_set(&c, "paper.sizing_method", methods[i], CFG_SRC_CLI, err, sizeof err) == 0);
        engine_config_from_file(&c, &ec);
        CHECK(ec.size_method == sizing_parse(methods[i]) && ec.size_method > SIZE_QTY);
    }
    for (int v = 0; v < VOTER_COUNT; v++) {
        char key[64], err[200];
        snprintf(key, sizeof key, "profiles.default.signals.weights.%s", voter_name(v));
        CHECK_MSG(config_set(&c, key, "1", CFG_SRC_CLI, err, sizeof err) == 0, "%s", err);
    }
}

static void shipped_default_config_is_valid(void)
{
    static struct config_errors errs;
    struct config c;
    config_defaults(&c, &vocab);
    int rc = config_load(&c, "config/alphapulse.json", &errs);
    CHECK_MSG(rc == 0, "%s", errs.n ? errs.msg[0] : "");
    /* it documents the built-in values: loading it changes no parameter */
    struct engine_profile none, file;
    engine_profile_resolve(NULL, "BTCUSDT", &none);
    engine_profile_resolve(&c, "BTCUSDT", &file);
    CHECK(memcmp(&none.ta, &file.ta, sizeof none.ta) == 0 && memcmp(&none.signal, &file.signal, sizeof none.signal) == 0 &&
          none.patterns == file.patterns);
}

/* The alerts and webhook sections and ui.keys go through the same tables as the
 * rest: exact messages with file:line:col, and every problem of a file at once. */
static void alerts_webhook_and_keys_sections(void)
{
    static struct config_errors errs;
    struct config c;
    config_defaults(&c, &app_config_vocab);
    write_file("{\"alerts\": {\"bell\": \"flash\", \"rules\": {\"signal\": {\"min_confidence\": 0.8, "
               "\"channels\": [\"telegram\"], \"symbols\": [\"binance:btcusdt\", \"ETHUSDT\"]}, \"fill\": false, "
               "\"feed_stale\": {\"after_s\": 30}}, \"telegram\": {\"token\": \"1:abcdef\", "
               "\"chat_id\": 12345, \"parse_mode\": \"MarkdownV2\"}, \"retries\": 2},"
               " \"webhook\": {\"listen\": \"127.0.0.1:9999\", \"token\": \"0123456789abcdefg\", "
               "\"rate_per_s\": 5}, \"ui\": {\"keys\": {\"K\": \"tf 4h\", \"x\": \"none\"}}}");
    CHECK_MSG(config_load(&c, path, &errs) == 0, "%s", errs.n ? errs.msg[0] : "");
    const struct alert_params *p = config_section(&c, "alerts");
    const struct webhook_params *w = config_section(&c, "webhook");
    CHECK(p && w);
    if (!p || !w)
        return;
    CHECK(p->bell == ALERT_BELL_FLASH && p->retries == 2 && p->queue == 64);
    CHECK(p->rule[ALERT_SIGNAL].min_confidence == 0.8 && p->rule[ALERT_SIGNAL].channels == ALERT_CH_TELEGRAM);
    CHECK(p->rule[ALERT_SIGNAL].n_symbols == 2 && !p->rule[ALERT_FILL].enabled && p->rule[ALERT_STOP].enabled);
    CHECK(strcmp(p->rule[ALERT_SIGNAL].symbols[0], "BTCUSDT") == 0 &&
          strcmp(p->rule[ALERT_SIGNAL].symbols[1], "ETHUSDT") == 0);
    CHECK(p->rule[ALERT_FEED_STALE].after_s == 30 && p->rule[ALERT_FEED_STALE].channels == ALERT_CH_ALL);
    CHECK(strcmp(p->telegram.chat_id, "12345") == 0 && strcmp(p->telegram.parse_mode, "MarkdownV2") == 0);
    CHECK(strcmp(p->telegram.token, "1:abcdef") == 0);
    CHECK(w->listen && w->port == 9999 && strcmp(w->addr, "127.0.0.1") == 0 && w->rate_per_s == 5 && !w->auto_take);
    CHECK(c.ui.n_keys == 2);
    /* --check-config shows them with their sources, never a secret's value */
    char *text = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&text, &len);
    config_print(&c, m);
    fclose(m);
    CHECK(strstr(text, "alerts.bell = \"flash\"  (file)\n") && strstr(text, "alerts.queue = 64  (default)\n"));
    CHECK(strstr(text, "alerts.telegram.token = \"(hidden)\"  (file)\n") && !strstr(text, "1:abcdef"));
    CHECK(strstr(text, "webhook.listen = \"127.0.0.1:9999\"  (file)\n") && !strstr(text, "0123456789abcdefg"));
    free(text);
    /* a reload that changes them names them: the running channels keep theirs */
    struct config d;
    config_defaults(&d, &app_config_vocab);
    char what[256], err[300];
    CHECK(config_set(&d, "alerts.queue", "7", CFG_SRC_CLI, err, sizeof err) == 0);
    CHECK(((const struct alert_params *)config_section(&d, "alerts"))->queue == 7);
    CHECK(config_set(&d, "alerts.queue", "0", CFG_SRC_CLI, err, sizeof err) == -1 && strstr(err, "alerts.queue"));
    CHECK(config_restart_needed(&c, &d, what, sizeof what) > 0 && strstr(what, "alerts.queue") &&
          strstr(what, "webhook.listen") && !strstr(what, "url_file"));

    static const struct { const char *json, *want; } bad[] = {
        { "{\"alerts\": {\"colour\": 1}}", ":1:13: alerts.colour: unknown key" },
        { "{\"alerts\": {\"bell\": \"loud\"}}", ":1:13: alerts.bell: \"loud\" is not a bell mode (expected \"beep\", \"flash\" or \"off\")" },
        { "{\"alerts\": {\"bell\": \"flsh\"}}", ":1:13: alerts.bell: \"flsh\" is not a bell mode (did you mean \"flash\"?)" },
        { "{\"alerts\": {\"rules\": {\"sms\": true}}}", ":1:23: alerts.rules.sms: unknown key (did you mean alerts.rules.stop?)" },
        { "{\"alerts\": {\"rules\": {\"fill\": {\"channels\": [\"bell\", \"pager\"]}}}}",
          ":1:53: alerts.rules.fill.channels[1]: \"pager\" is not a channel (expected a list of channels from bell, discord, telegram, webhook)" },
        { "{\"alerts\": {\"rules\": {\"fill\": {\"chanels\": []}}}}",
          ":1:32: alerts.rules.fill.chanels: unknown key (did you mean alerts.rules.fill.channels?)" },
        { "{\"alerts\": {\"rules\": {\"signal\": {\"min_confidence\": 2}}}}",
          ":1:34: alerts.rules.signal.min_confidence: 2 is out of range (expected a confidence from 0 to 1 (signals))" },
        { "{\"alerts\": {\"rules\": {\"fill\": {\"symbols\": [\"BTCUSDT\", \"BTC/USDT\"]}}}}",
          ":1:55: alerts.rules.fill.symbols[1]: 'BTC/USDT': expected letters and digits, such as BTCUSDT or bybit:BTCUSDT" },
        { "{\"alerts\": {\"rules\": {\"signal\": 1}}}",
          ":1:23: alerts.rules.signal: expected true, false or {\"enabled\", \"channels\", \"min_confidence\", \"after_s\", \"symbols\"}, got an integer" },
        { "{\"alerts\": {\"discord\": {\"url\": \"ftp://x\"}}}",
          ":1:25: alerts.discord.url: expected a Discord webhook URL, got a value that is not an http:// or https:// address" },
        { "{\"alerts\": {\"discord\": {\"url\": \"https://a\", \"url_file\": \"/x\"}}}",
          ":1:45: alerts.discord.url_file: /x: cannot read the secret (No such file or directory)" },
        { "{\"alerts\": {\"telegram\": {\"token_file\": \"/nonexistent/tok\"}}}",
          ":1:26: alerts.telegram.token_file: /nonexistent/tok: cannot read the secret (No such file or directory)" },
        { "{\"alerts\": {\"telegram\": {\"parse_mode\": \"markdown\"}}}",
          ":1:26: alerts.telegram.parse_mode: \"markdown\" is not a Telegram parse mode (did you mean \"Markdown\"?)" },
        { "{\"alerts\": {\"telegram\": {\"parse_mode\": \"rich\"}}}",
          ":1:26: alerts.telegram.parse_mode: \"rich\" is not a Telegram parse mode (expected \"HTML\", \"MarkdownV2\", \"Markdown\" or \"\")" },
        { "{\"alerts\": {\"queue\": 0}}", ":1:13: alerts.queue: 0 is out of range (expected 1 to 4096 jobs per channel)" },
        { "{\"alerts\": [1]}", ":1:2: alerts: expected an object (a section), got a list" },
        { "{\"alert\": {}}", ":1:2: alert: unknown key (did you mean alerts?)" },
        { "{\"webhook\": {\"listen\": \"somewhere\"}}",
          ":1:14: webhook.listen: expected true, false or \"ADDR:PORT\" such as \"127.0.0.1:8787\", got \"somewhere\"" },
        { "{\"webhook\": {\"auto_take\": \"yes\"}}", ":1:14: webhook.auto_take: expected true or false, got a string" },
        { "{\"webhook\": {\"timeout_s\": 0}}", ":1:14: webhook.timeout_s: 0 is out of range (expected whole seconds from 1 to 300 for a client to send its request)" },
        { "{\"webhook\": {\"colour\": 1}}", ":1:14: webhook.colour: unknown key" },
        { "{\"webhook\": {\"listen\": true, \"token\": \"short\"}}",
          ":1:30: webhook.token: the shared token has 5 characters; expected at least 16" },
        { "{\"ui\": {\"keys\": {\"Kk\": \"tf 4h\"}}}",
          ":1:18: ui.keys.Kk: unknown key name (a, A, C-a, Tab, S-Tab, Enter, Esc, Space, Left, Right, Up, Down, Home, End, PgUp, PgDn, F1-F12)" },
        { "{\"ui\": {\"keys\": {\"K\": \"nosuch 4h\"}}}", ":1:18: ui.keys.K: unknown command \"nosuch\" (alphapulse --keys lists them)" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        config_defaults(&c, &app_config_vocab);
        write_file(bad[i].json);
        CHECK_MSG(config_load(&c, path, &errs) == -1, "accepted: %s", bad[i].json);
        CHECK_MSG(errs.n >= 1 && strcmp(tail(errs.msg[0]), bad[i].want) == 0, "%s\n#     got  '%s'\n#     want '%s'",
                  bad[i].json, errs.n ? tail(errs.msg[0]) : "(none)", bad[i].want);
    }
    /* every problem of every section at once, each at its place */
    config_defaults(&c, &app_config_vocab);
    write_file("{\n \"alerts\": {\"bell\": \"loud\", \"queue\": 0},\n \"webhook\": {\"listen\": 7},\n"
               " \"ui\": {\"keys\": {\"Kk\": \"quit\"}},\n \"paper\": {\"balance\": -1}\n}\n");
    CHECK(config_load(&c, path, &errs) == -1);
    CHECK_MSG(errs.n == 5, "%d problems", errs.n);
    const char *at[] = { ":2:13: alerts.bell", ":2:29: alerts.queue", ":3:14: webhook.listen", ":4:18: ui.keys.Kk",
                         ":5:12: paper.balance" };
    for (int i = 0; i < 5; i++) {
        bool found = false;
        for (int k = 0; k < errs.n; k++)
            found |= strstr(errs.msg[k], at[i]) != NULL;
        CHECK_MSG(found, "no problem at %s", at[i]);
    }
}

/* A FIFO would block the read, a directory is not a file, and a huge file would
 * fill memory: each is refused before reading, with what it is. */
static void only_regular_files_up_to_1_mib(void)
{
    static struct config_errors errs;
    struct config c;
    char dir[] = "/tmp/ap-config-kinds-XXXXXX", p[128];
    CHECK(mkdtemp(dir) != NULL);
    snprintf(p, sizeof p, "%s/fifo", dir);
    CHECK(mkfifo(p, 0600) == 0);
    config_defaults(&c, &vocab);
    CHECK(config_load(&c, p, &errs) == -1);
    CHECK_MSG(errs.n == 1 && strstr(errs.msg[0], "fifo: is not a regular file (a FIFO, device or socket; expected a "
                                                 "JSON configuration file)"), "%s", errs.msg[0]);
    unlink(p);
    config_defaults(&c, &vocab);
    CHECK(config_load(&c, dir, &errs) == -1);
    CHECK_MSG(errs.n == 1 && strstr(errs.msg[0], ": is a directory (expected a JSON configuration file)") &&
              !strstr(errs.msg[0], ":1:0"), "%s", errs.msg[0]);
    /* exactly 1 MiB is read; one byte more is refused */
    snprintf(p, sizeof p, "%s/big.json", dir);
    for (long size = CONFIG_MAX_FILE_SIZE; size <= CONFIG_MAX_FILE_SIZE + 1; size++) {
        FILE *f = fopen(p, "w");
        const char *body = "{\"paper\": {\"balance\": 5000}}";
        fputs(body, f);
        for (long i = (long)strlen(body); i < size; i++)
            fputc(' ', f);
        fclose(f);
        config_defaults(&c, &vocab);
        int rc = config_load(&c, p, &errs);
        if (size == CONFIG_MAX_FILE_SIZE)
            CHECK_MSG(rc == 0 && c.paper.balance == 5000, "1 MiB refused: %s", errs.n ? errs.msg[0] : "");
        else
            CHECK_MSG(rc == -1 && errs.n == 1 && strstr(errs.msg[0], "big.json: is 1048577 bytes, more than a "
                      "configuration file may hold (1 MiB = 1048576 bytes)"), "%s", errs.n ? errs.msg[0] : "accepted");
    }
    unlink(p);
    rmdir(dir);
}

int main(void)
{
    int fd = mkstemps(path, 5);
    close(fd);
    RUN(broken_files_report_exactly);
    RUN(all_problems_at_once);
    RUN(profiles_override_per_symbol);
    RUN(sources_and_set);
    RUN(ca_file);
    RUN(risk_limits_per_symbol);
    RUN(profile_sections);
    RUN(top_level_profile_sections);
    RUN(defaults_agree_with_modules);
    RUN(shipped_default_config_is_valid);
    RUN(alerts_webhook_and_keys_sections);
    RUN(only_regular_files_up_to_1_mib);
    unlink(path);
    HARNESS_EXIT();
}
