/* `alphapulse export candles|signals|trades|equity|journal|tape [options]`: stored rows
 * to CSV or JSON. With --output (and the console's :export, console_export.c) the
 * rows go to FILE.tmp first and are renamed over FILE only when complete, so a
 * failed export never leaves half a file. */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "alphapulse/app.h"
#include "alphapulse/venue.h"
#include "alphapulse/options.h"
#include "alphapulse/paths.h"
#include "alphapulse/store.h"

enum { O_SYMBOL = 256, O_TF, O_FROM, O_TO, O_FORMAT, O_OUTPUT, O_DB, O_ACCOUNT, O_HELP };

static const struct cli_opt options[] = {
    { "symbol", "S", O_SYMBOL, "only this symbol (not for equity)" },
    { "timeframe", "T", O_TF, "only this timeframe: 1m 5m 15m 1h 4h 1d (candles, signals)" },
    { "from", "ISO", O_FROM, "from this UTC time, e.g. 2024-12-01 or 2024-12-01T10:30:00Z (inclusive)" },
    { "to", "ISO", O_TO, "up to this UTC time (inclusive; a bare date means the whole day)" },
    { "format", "csv|json", O_FORMAT, "(default csv)" },
    { "output", "FILE", O_OUTPUT, "write to FILE (default: stdout)" },
    { "db", "PATH", O_DB, "database (default: $XDG_DATA_HOME/alphapulse/alphapulse.db, or\n"
                          "alphapulse-demo.db there when only the demo has run)" },
    { "account", "NAME", O_ACCOUNT, "signals, trades, equity, journal of this paper account (default: default)" },
    { "help", NULL, O_HELP, "this text" },
    { NULL, NULL, 0, NULL },
};

static void export_usage(FILE *out)
{
    fprintf(out, "usage: alphapulse export candles|signals|trades|equity|journal|tape [options]\n\n");
    opts_usage(out, options);
    fprintf(out, "\nNumbers have 17 significant digits; times are ISO-8601 UTC with milliseconds.\n");
}

static int usage_error(const char *fmt, const char *a, const char *b)
{
    fprintf(stderr, "alphapulse export: ");
    fprintf(stderr, fmt, a, b);
    fprintf(stderr, "\n(alphapulse export --help for the options)\n");
    return 2;
}

long app_export_file(const char *db, const struct export_options *o, const char *path, char *err, size_t n)
{
    char tmp[4200];
    if ((size_t)snprintf(tmp, sizeof tmp, "%s.tmp", path) >= sizeof tmp) {
        snprintf(err, n, "cannot write %s: path too long", path);
        return -2;
    }
    /* owner-only whatever the umask: exports hold the account's trades and journal;
     * fchmod also covers a FILE.tmp left behind by an earlier run */
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    FILE *out = fd >= 0 && fchmod(fd, 0600) == 0 ? fdopen(fd, "w") : NULL;
    if (!out) {
        int e = errno;
        if (fd >= 0)
            close(fd);
        snprintf(err, n, "cannot write %s: %s", path, strerror(e));
        return -2;
    }
    long rows = store_export(db, o, out, err, n);
    int e = 0;
    bool bad = ferror(out) != 0;
    if (fflush(out) != 0)
        bad = true, e = errno;
    if (fclose(out) != 0) {
        bad = true;
        e = e ? e : errno;
    }
    if (rows >= 0 && bad) {
        snprintf(err, n, "cannot write %s: %s", path, strerror(e ? e : EIO));
        rows = -2;
    }
    if (rows >= 0 && rename(tmp, path) != 0) {
        snprintf(err, n, "cannot write %s: %s", path, strerror(errno));
        rows = -2;
    }
    if (rows < 0)
        unlink(tmp);
    return rows;
}

int app_export(int argc, char **argv)
{
    const char *const *WHAT = store_export_names;
    struct export_options o = { .what = -1, .tf = -1, .from = INT64_MIN, .to = INT64_MAX };
    const char *output = NULL, *db = NULL, *format = "csv";
    char symbol[SYMBOL_MAX], why[200];
    struct opts p;
    opts_init(&p, "alphapulse export", options);
    int c;
    const char *optarg;
    while ((c = opts_next(&p, argc, argv, &optarg)) != OPTS_END) {
        switch (c) {
        case O_SYMBOL:
            if (venue_symbol_canonical(optarg, symbol, why, sizeof why))   /* as the database names it */
                return usage_error("--symbol %s%s", why, "");
            o.symbol = symbol;
            break;
        case O_TF:
            o.tf = tf_parse(optarg);
            if (o.tf < 0)
                return usage_error("--timeframe '%s': expected one of 1m 5m 15m 1h 4h 1d%s", optarg, "");
            break;
        case O_FROM:
        case O_TO: {
            int64_t t;
            if (store_parse_time(optarg, &t))
                return usage_error("%s '%s': expected an ISO-8601 UTC time such as 2024-12-01 or "
                                   "2024-12-01T10:30:00Z", c == O_FROM ? "--from" : "--to", optarg);
            if (c == O_TO && strlen(optarg) == 10)
                t += 86400000 - 1;    /* a bare date: the whole day */
            *(c == O_FROM ? &o.from : &o.to) = t;
            break;
        }
        case O_FORMAT:
            if (strcmp(optarg, "csv") && strcmp(optarg, "json"))
                return usage_error("--format '%s': expected csv or json%s", optarg, "");
            format = optarg;
            break;
        case O_OUTPUT: output = optarg; break;
        case O_DB: db = optarg; break;
        case O_ACCOUNT: {
            char why[200];
            if (store_account_check(optarg, why, sizeof why))
                return usage_error("%s%s", why, "");
            o.account = optarg;
            break;
        }
        case O_HELP: export_usage(stdout); return 0;
        default:
            fprintf(stderr, "(alphapulse export --help for the options)\n");
            return 2;
        }
    }
    if (optind >= argc)
        return usage_error("expected what to export: candles, signals, trades, equity, journal or tape%s%s", "", "");
    for (int i = 0; i < EXPORT_KINDS; i++)
        if (strcmp(argv[optind], WHAT[i]) == 0)
            o.what = i;
    if (o.what < 0)
        return usage_error("'%s': expected candles, signals, trades, equity, journal or tape%s", argv[optind], "");
    if (optind + 1 < argc)
        return usage_error("unexpected argument '%s'%s", argv[optind + 1], "");
    if (o.tf >= 0 && o.what != EXPORT_CANDLES && o.what != EXPORT_SIGNALS)
        return usage_error("--timeframe: not applicable to %s (only candles and signals)", WHAT[o.what], "");
    if (o.symbol && o.what == EXPORT_EQUITY)
        return usage_error("--symbol: not applicable to equity (the account is one curve)%s%s", "", "");
    if (o.from > o.to)
        return usage_error("--from is after --to%s%s", "", "");
    o.json = strcmp(format, "json") == 0;

    char dbp[1024], err[1200];
    if (!db) {
        if (paths_xdg("DATA", "alphapulse.db", dbp, sizeof dbp)) {
            fprintf(stderr, "alphapulse export: %s; give --db PATH\n", dbp);
            return 1;
        }
        if (access(dbp, F_OK) != 0) {
            char demo[1024];
            if (paths_xdg("DATA", "alphapulse-demo.db", demo, sizeof demo) == 0 && access(demo, F_OK) == 0)
                snprintf(dbp, sizeof dbp, "%s", demo);
        }
        db = dbp;
    }
    long rows;
    int failed;
    if (output) {
        rows = app_export_file(db, &o, output, err, sizeof err);
        failed = rows < 0;
        if (rows == -2) {
            fprintf(stderr, "alphapulse export: --output %s: %s\n", output, err);
            return 1;
        }
    } else {
        rows = store_export(db, &o, stdout, err, sizeof err);
        failed = rows < 0;
        if (!failed && fflush(stdout) != 0) {
            snprintf(err, sizeof err, "stdout: write failed: %s", strerror(errno));
            failed = 1;
        }
    }
    if (failed) {
        fprintf(stderr, "alphapulse export: %s\n", err);
        return 1;
    }
    if (output)
        fprintf(stderr, "alphapulse export: %ld %s rows to %s\n", rows, WHAT[o.what], output);
    return 0;
}
