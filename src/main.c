/* Command line -> mode. Exit codes: 0 ok, 1 runtime error, 2 usage error. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alphapulse/app.h"
#include "alphapulse/cli.h"

static void usage(FILE *out)
{
    fprintf(out,
        "usage: alphapulse [options]\n"
        "\n"
        "A terminal trading console: market data, analysis and paper trading.\n"
        "\n"
        "  --demo            replay the bundled real market data (works offline)\n"
        "  --db PATH         database file (default: $XDG_DATA_HOME/alphapulse/alphapulse-demo.db\n"
        "                    for the demo)\n"
        "  --config PATH     configuration file (JSON)\n"
        "  --speed N         demo replay speed, N x real time (default 600; 0 = as fast as possible)\n"
        "  --symbols A,B     only these symbols\n"
        "  --ascii           draw the chart with ASCII characters\n"
        "  --headless        run the demo without a screen (with --events N: stop after N events)\n"
        "  --help            this text\n"
        "  --version         the version\n"
        "\n"
        "Keys in the console: ? shows them all. Logs: $XDG_STATE_HOME/alphapulse/alphapulse.log\n"
        "\n"
        "Subcommands (each has --help):\n"
        "  alphapulse analyze ...    indicators and patterns per candle to CSV/JSON\n"
        "  alphapulse backtest ...   the engine over CSV or stored 1m candles: report, trades, equity\n");
}

/* Subcommands: `alphapulse NAME args...`; each mode parses its own arguments. */
static const struct {
    const char *name;
    int (*run)(int argc, char **argv);
} modes[] = {
    { "analyze", app_analyze },
    { "backtest", app_backtest },
    { NULL, NULL },
};

int main(int argc, char **argv)
{
    if (argc > 1 && argv[1][0] != '-')
        for (size_t i = 0; modes[i].name; i++)
            if (strcmp(argv[1], modes[i].name) == 0)
                return modes[i].run(argc - 1, argv + 1);
    struct cli cli = { .speed = 600 };
    enum { O_DB = 256, O_CONFIG, O_SPEED, O_SYMBOLS, O_ASCII, O_HEADLESS, O_EVENTS, O_VERSION, O_HELP, O_DEMO };
    static const struct option opts[] = {
        { "demo", no_argument, NULL, O_DEMO },
        { "db", required_argument, NULL, O_DB },
        { "config", required_argument, NULL, O_CONFIG },
        { "speed", required_argument, NULL, O_SPEED },
        { "symbols", required_argument, NULL, O_SYMBOLS },
        { "ascii", no_argument, NULL, O_ASCII },
        { "headless", no_argument, NULL, O_HEADLESS },
        { "events", required_argument, NULL, O_EVENTS },
        { "version", no_argument, NULL, O_VERSION },
        { "help", no_argument, NULL, O_HELP },
        { 0, 0, 0, 0 },
    };
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        char *end;
        switch (c) {
        case O_DEMO: cli.demo = true; break;
        case O_DB: cli.db = optarg; break;
        case O_CONFIG: cli.config = optarg; break;
        case O_SYMBOLS: cli.symbols = optarg; break;
        case O_ASCII: cli.ascii = true; break;
        case O_HEADLESS: cli.headless = true; break;
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
        case O_VERSION: printf("alphapulse %s\n", ALPHAPULSE_VERSION); return 0;
        case 'h':
        case O_HELP: usage(stdout); return 0;
        default:
            if (optopt && optopt < 256)
                fprintf(stderr, "alphapulse: unknown option -%c\n", optopt);
            else
                fprintf(stderr, "alphapulse: unknown or incomplete option %s\n", argv[optind - 1]);
            usage(stderr);
            return 2;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "alphapulse: unexpected argument '%s'\n", argv[optind]);
        usage(stderr);
        return 2;
    }
    if (!cli.demo) {
        fprintf(stderr, "alphapulse: live Binance data is not built yet; run `alphapulse --demo` "
                        "for the bundled market replay\n");
        return 1;
    }
    return app_demo(&cli);
}
