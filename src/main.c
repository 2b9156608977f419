/* Command line -> mode. Exit codes: 0 ok, 1 runtime error, 2 usage error. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alphapulse/app.h"
#include "alphapulse/cli.h"
#include "alphapulse/options.h"
#include "alphapulse/ui.h"

enum { O_DB = 256, O_CONFIG, O_SPEED, O_SYMBOLS, O_ASCII, O_HEADLESS, O_EVENTS, O_VERSION, O_HELP, O_DEMO,
       O_REST, O_WS, O_STALE, O_CHECK, O_SET, O_WH_LISTEN, O_WH_TOKEN, O_SCRIPT, O_THEME, O_KEYS, O_ACCOUNT };

static const struct cli_opt options[] = {
    { "demo", NULL, O_DEMO, "replay the bundled real market data (works offline)" },
    { "db", "PATH", O_DB, "database file (default: $XDG_DATA_HOME/alphapulse/alphapulse.db live,\n"
                          "alphapulse-demo.db for the demo)" },
    { "account", "NAME", O_ACCOUNT, "paper account to trade (default: default); one console per account" },
    { "rest-url", "URL", O_REST, "Binance REST base (default https://data-api.binance.vision)" },
    { "ws-url", "URL", O_WS, "Binance WebSocket base (default wss://data-stream.binance.vision)" },
    { "stale-after", "S", O_STALE, "live: reconnect after S seconds without a message\n"
                                   "(default: feed.stale_seconds, 30)" },
    { "config", "PATH", O_CONFIG, "configuration file (JSON)" },
    { "speed", "N", O_SPEED, "demo replay speed, N x real time (default 60; 0 = as fast as possible)" },
    { "symbols", "A,B", O_SYMBOLS, "symbols (live default BTCUSDT,ETHUSDT,SOLUSDT; demo: a subset)" },
    { "ascii", NULL, O_ASCII, "draw the chart with ASCII characters" },
    { "theme", "NAME|PATH", O_THEME, "colour theme (default, light, solarized-dark, monochrome,\n"
                                     "high-contrast, or a theme file); NO_COLOR=1 turns colour off" },
    { "keys", NULL, O_KEYS, "list the console's keys and commands" },
    { "headless", NULL, O_HEADLESS, "run without a screen, the demo or live data (with --events N: stop after N\n"
                                    "events); durable orders, fills and funding payments are printed to stdout" },
    { "events", "N", O_EVENTS, NULL },
    { "script", "FILE", O_SCRIPT, "headless: paper orders to send, one per line: EVENTS buy|sell|close SYMBOL [QTY]" },
    { "check-config", NULL, O_CHECK, "validate the configuration, print it with each value's source, exit" },
    { "set", "KEY=VALUE", O_SET, "override one setting, e.g. --set paper.balance=5000" },
    { "webhook-listen", "ADDR:PORT", O_WH_LISTEN,
      "accept TradingView-style alerts on http://ADDR:PORT/webhook (off by\n"
      "default; needs a token: --webhook-token-file or ALPHAPULSE_WEBHOOK_TOKEN)" },
    { "webhook-token-file", "FILE", O_WH_TOKEN, "the shared token for the webhook endpoint (first line of FILE)" },
    { "help", NULL, O_HELP, "this text" },
    { "version", NULL, O_VERSION, "the version" },
    { NULL, NULL, 0, NULL },
};

static void usage(FILE *out)
{
    fprintf(out,
        "usage: alphapulse [options]\n"
        "       alphapulse collect [options]   (headless live collection; collect --help)\n"
        "\n"
        "A terminal trading console: market data, analysis and paper trading.\n"
        "\n"
        "  (no --demo)       live Binance spot market data, no API key\n");
    opts_usage(out, options);
    fprintf(out,
        "\n"
        "Keys in the console: ? shows them all. Logs: $XDG_STATE_HOME/alphapulse/alphapulse.log\n"
        "\n"
        "Subcommands (each has --help):\n"
        "  alphapulse collect ...    live data with no screen (for a server)\n"
        "  alphapulse depth SYM ...  the live order book of one symbol, synced and printed\n"
        "  alphapulse analyze ...    indicators and patterns per candle to CSV/JSON\n"
        "  alphapulse backtest ...   the engine over CSV or stored 1m candles: report, trades, equity\n"
        "  alphapulse export ...     candles, signals, trades, equity, journal, tape to CSV/JSON\n");
}

/* Subcommands: `alphapulse NAME args...`; each mode parses its own arguments. */
static const struct {
    const char *name;
    int (*run)(int argc, char **argv);
} modes[] = {
    { "analyze", app_analyze },
    { "collect", app_collect },
    { "depth", app_depth },
    { "export", app_export },
    { "backtest", app_backtest },
    { NULL, NULL },
};

int main(int argc, char **argv)
{
    if (argc > 1 && argv[1][0] != '-')
        for (size_t i = 0; modes[i].name; i++)
            if (strcmp(argv[1], modes[i].name) == 0)
                return modes[i].run(argc - 1, argv + 1);
    struct cli cli = { .speed = 60 };
    struct opts p;
    opts_init(&p, "alphapulse", options);
    int c;
    const char *optarg;
    while ((c = opts_next(&p, argc, argv, &optarg)) != OPTS_END) {
        char *end;
        switch (c) {
        case O_DEMO: cli.demo = true; break;
        case O_DB: cli.db = optarg; break;
        case O_ACCOUNT: cli.account = optarg; break;
        case O_CONFIG: cli.config = optarg; break;
        case O_SYMBOLS: cli.symbols = optarg; break;
        case O_ASCII: cli.ascii = true; break;
        case O_THEME: cli.theme = optarg; break;
        case O_KEYS: ui_print_keys(stdout); return 0;
        case O_HEADLESS: cli.headless = true; break;
        case O_REST: cli.rest_url = optarg; break;
        case O_WS: cli.ws_url = optarg; break;
        case O_STALE: {
            long v = strtol(optarg, &end, 10);
            if (*end || end == optarg || v <= 0 || v > 86400) {
                fprintf(stderr, "alphapulse: --stale-after %s: expected seconds, 1-86400\n", optarg);
                return 2;
            }
            cli.stale_after_s = (int)v;
            break;
        }
        case O_WH_LISTEN: cli.webhook_listen = optarg; break;
        case O_WH_TOKEN: cli.webhook_token_file = optarg; break;
        case O_SCRIPT: cli.script = optarg; break;
        case O_SPEED:
            cli.speed = strtod(optarg, &end);
            if (*end || end == optarg || cli.speed < 0) {
                fprintf(stderr, "alphapulse: --speed %s: expected a number >= 0 (x real time)\n", optarg);
                return 2;
            }
            break;
        case O_EVENTS:
            cli.run_events = strtol(optarg, &end, 10);
            if (*end || end == optarg || cli.run_events < 0) {
                fprintf(stderr, "alphapulse: --events %s: expected a count >= 0\n", optarg);
                return 2;
            }
            break;
        case O_CHECK: cli.check_config = true; break;
        case O_SET:
            if (cli.n_sets == (int)(sizeof cli.sets / sizeof cli.sets[0])) {
                fprintf(stderr, "alphapulse: too many --set options\n");
                return 2;
            }
            cli.sets[cli.n_sets++] = optarg;
            break;
        case O_VERSION: printf("alphapulse %s\n", ALPHAPULSE_VERSION); return 0;
        case O_HELP: usage(stdout); return 0;
        default:
            usage(stderr);
            return 2;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "alphapulse: unexpected argument '%s'\n", argv[optind]);
        usage(stderr);
        return 2;
    }
    if (cli.script && !cli.headless) {
        fprintf(stderr, "alphapulse: --script %s: only with --headless\n", cli.script);
        return 2;
    }
    if (cli.check_config) {
        struct config *cfg = calloc(1, sizeof *cfg);
        int rc = cfg ? app_config_load(&cli, cfg) : 1;
        free(cfg);
        return rc < 0 ? 0 : rc;
    }
    if (!cli.demo)
        return app_live(&cli);
    return app_demo(&cli);
}
