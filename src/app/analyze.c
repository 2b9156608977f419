/* `alphapulse analyze`: indicators, the 61 candlestick patterns and the market
 * regime (regime, regime_confidence, regime_dir: the drift's sign, which gives
 * WEAK_TREND its direction; empty until warm) for every
 * candle of a CSV file, as CSV or JSON. Two streaming passes over the input — the
 * first only validates — so a bad file writes nothing and a million rows never
 * sit in memory. With --output the result goes to a temporary file renamed into
 * place at the end, so a failure never leaves half a file behind. */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alphapulse/app.h"
#include "alphapulse/candle_csv.h"
#include "alphapulse/config.h"
#include "alphapulse/engine.h"
#include "alphapulse/patterns.h"
#include "alphapulse/regime.h"
#include "alphapulse/ta_set.h"

struct analyze_opts {
    const char *input, *output, *config, *symbol;
    bool json, skip_bad;
    struct ta_params params;
    struct regime_params regime;
    uint64_t patterns;             /* bit per pattern: the profile's patterns, the only columns written */
    char names[TA_NCOLS][32];      /* column names for the parameters in force */
};

static void analyze_usage(FILE *f)
{
    fprintf(f, "usage: alphapulse analyze --input FILE.csv [--format csv|json] [--output FILE] [--skip-bad]\n"
               "                          [--config FILE [--symbol SYMBOL]]\n"
               "  input columns: time,open,high,low,close,volume (time in UTC ms, or seconds)\n"
               "  --config uses SYMBOL's profile (or the default profile): indicator periods, the patterns\n"
               "  in use (the only pattern columns written) and the regime thresholds\n");
}

/* Reads the next data row; returns 1 for a candle, 0 at end of file, -1 for a bad
 * row (why filled). Tracks ordering against *last. */
static int next_row(FILE *f, long *lineno, struct candle *c, int64_t *last, char *why, size_t why_len)
{
    char line[1024];
    while (fgets(line, sizeof line, f)) {
        ++*lineno;
        size_t len = strlen(line);
        if (len == sizeof line - 1 && line[len - 1] != '\n') {
            snprintf(why, why_len, "line longer than %zu characters", sizeof line - 2);
            int ch;
            while ((ch = fgetc(f)) != EOF && ch != '\n')
                ;
            return -1;
        }
        if (line[0] == '\n' || (line[0] == '\r' && line[1] == '\n'))
            continue;
        if (candle_csv_parse_line(line, c, why, why_len))
            return -1;
        if (*last != INT64_MIN && c->open_time <= *last) {
            snprintf(why, why_len, "time %lld is %s the previous row", (long long)c->open_time,
                     c->open_time == *last ? "a duplicate of" : "before");
            return -1;
        }
        *last = c->open_time;
        return 1;
    }
    return 0;
}

static int open_checked(const char *path, FILE **f, long *lineno)
{
    *f = fopen(path, "r");
    if (!*f) {
        fprintf(stderr, "alphapulse analyze: %s: %s\n", path, strerror(errno));
        return -1;
    }
    char line[256];
    *lineno = 1;
    if (!fgets(line, sizeof line, *f) || !candle_csv_is_header(line)) {
        fprintf(stderr, "alphapulse analyze: %s:1: expected the header time,open,high,low,close,volume\n", path);
        fclose(*f);
        return -1;
    }
    return 0;
}

/* Pass 1: every row valid? Without --skip-bad, report each bad row (up to 20). */
static long validate(const struct analyze_opts *o, long *bad)
{
    FILE *f;
    long lineno, rows = 0;
    if (open_checked(o->input, &f, &lineno))
        return -1;
    struct candle c;
    int64_t last = INT64_MIN;
    char why[160];
    int rc;
    *bad = 0;
    while ((rc = next_row(f, &lineno, &c, &last, why, sizeof why)) != 0) {
        if (rc > 0) {
            rows++;
            continue;
        }
        if (!o->skip_bad && ++*bad <= 20)
            fprintf(stderr, "alphapulse analyze: %s:%ld: %s\n", o->input, lineno, why);
        else if (o->skip_bad)
            ++*bad;
    }
    fclose(f);
    return rows;
}

static void put_num(FILE *out, double v, bool json)
{
    if (isnan(v)) {
        if (json)
            fputs("null", out);
        return;
    }
    fprintf(out, "%.17g", v);
}

static void write_header(FILE *out, const struct analyze_opts *o)
{
    if (o->json) {
        fputs("[\n", out);
        return;
    }
    fputs("time", out);
    for (int k = 0; k < TA_NCOLS; k++)
        fprintf(out, ",%s", o->names[k]);
    for (int p = 0; p < CDL_COUNT; p++)
        if (o->patterns & (1ull << p))
            fprintf(out, ",cdl_%s", cdl_name(p));
    fputs(",regime,regime_confidence,regime_dir\n", out);
}

static void write_row(FILE *out, const struct analyze_opts *o, bool first, int64_t t, const struct ta_values *v,
                      const int *cdl, const struct regime_out *g)
{
    bool warm = g->regime != REGIME_NONE;
    const double *a = ta_values_array(v);
    bool json = o->json;
    if (json) {
        fprintf(out, "%s{\"time\":%lld", first ? "" : ",\n", (long long)t);
        for (int k = 0; k < TA_NCOLS; k++) {
            fprintf(out, ",\"%s\":", o->names[k]);
            put_num(out, a[k], true);
        }
        for (int p = 0; p < CDL_COUNT; p++)
            if (o->patterns & (1ull << p))
                fprintf(out, ",\"cdl_%s\":%d", cdl_name(p), cdl[p]);
        if (warm)
            fprintf(out, ",\"regime\":\"%s\",\"regime_confidence\":%.17g,\"regime_dir\":%d}", regime_name(g->regime),
                    g->confidence, g->dir);
        else
            fputs(",\"regime\":null,\"regime_confidence\":null,\"regime_dir\":null}", out);
        return;
    }
    fprintf(out, "%lld", (long long)t);
    for (int k = 0; k < TA_NCOLS; k++) {
        fputc(',', out);
        put_num(out, a[k], false);
    }
    for (int p = 0; p < CDL_COUNT; p++)
        if (o->patterns & (1ull << p))
            fprintf(out, ",%d", cdl[p]);
    if (warm)
        fprintf(out, ",%s,%.17g,%d\n", regime_name(g->regime), g->confidence, g->dir);
    else
        fputs(",,,\n", out);
}

/* Pass 2: compute and write. */
static int compute(const struct analyze_opts *o, FILE *out)
{
    FILE *f;
    long lineno;
    if (open_checked(o->input, &f, &lineno))
        return -1;
    struct ta_set *ta = malloc(sizeof *ta);
    struct cdl_state *cs = malloc(sizeof *cs);
    struct regime_state *rs = malloc(sizeof *rs);
    if (!ta || !cs || !rs) {
        free(ta);
        free(cs);
        free(rs);
        fclose(f);
        return -1;
    }
    ta_set_init_params(ta, &o->params);
    cdl_init(cs);
    regime_init(rs, &o->regime);
    write_header(out, o);
    struct candle c;
    struct ta_values v;
    int cdl[CDL_COUNT];
    int64_t last = INT64_MIN;
    char why[160];
    int rc;
    bool first = true;
    while ((rc = next_row(f, &lineno, &c, &last, why, sizeof why)) != 0) {
        if (rc < 0)
            continue;                 /* only reached with --skip-bad */
        ta_set_push(ta, &c, &v);
        cdl_push(cs, &c, cdl);
        struct regime_out g;
        regime_push(rs, &c, &v, &g);
        write_row(out, o, first, c.open_time, &v, cdl, &g);
        first = false;
    }
    if (o->json)
        fputs(first ? "]\n" : "\n]\n", out);
    free(ta);
    free(cs);
    free(rs);
    fclose(f);
    return 0;
}

int app_analyze(int argc, char **argv)
{
    struct analyze_opts o = { 0 };
    static const struct option opts[] = {
        { "input", required_argument, NULL, 'i' },
        { "output", required_argument, NULL, 'o' },
        { "format", required_argument, NULL, 'f' },
        { "skip-bad", no_argument, NULL, 's' },
        { "config", required_argument, NULL, 'c' },
        { "symbol", required_argument, NULL, 'y' },
        { "help", no_argument, NULL, 'h' },
        { 0, 0, 0, 0 },
    };
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'i': o.input = optarg; break;
        case 'o': o.output = optarg; break;
        case 's': o.skip_bad = true; break;
        case 'c': o.config = optarg; break;
        case 'y': o.symbol = optarg; break;
        case 'f':
            if (strcmp(optarg, "csv") && strcmp(optarg, "json")) {
                fprintf(stderr, "alphapulse analyze: --format %s: expected csv or json\n", optarg);
                return 2;
            }
            o.json = strcmp(optarg, "json") == 0;
            break;
        case 'h': analyze_usage(stdout); return 0;
        default:
            fprintf(stderr, "alphapulse analyze: unknown or incomplete option %s\n", argv[optind - 1]);
            analyze_usage(stderr);
            return 2;
        }
    }
    if (!o.input || optind < argc) {
        fprintf(stderr, "alphapulse analyze: %s\n", o.input ? "unexpected argument" : "--input FILE is required");
        analyze_usage(stderr);
        return 2;
    }
    struct engine_profile prof;
    engine_profile_resolve(NULL, NULL, &prof);
    if (o.config) {
        struct config *cfg = calloc(1, sizeof *cfg);
        static struct config_errors errs;
        config_defaults(cfg, &app_config_vocab);
        if (config_load(cfg, o.config, &errs)) {
            for (int i = 0; i < errs.n; i++)
                fprintf(stderr, "alphapulse analyze: %s\n", errs.msg[i]);
            free(cfg);
            return 2;
        }
        engine_profile_resolve(cfg, o.symbol, &prof);
        free(cfg);
    } else if (o.symbol) {
        fprintf(stderr, "alphapulse analyze: --symbol selects a profile and needs --config\n");
        return 2;
    }
    o.params = prof.ta;
    o.regime = prof.signal.regime;
    o.patterns = prof.patterns;
    for (int k = 0; k < TA_NCOLS; k++)
        ta_column_name(k, &o.params, o.names[k], sizeof o.names[k]);
    long bad;
    long rows = validate(&o, &bad);
    if (rows < 0)
        return 1;
    if (bad && !o.skip_bad) {
        fprintf(stderr, "alphapulse analyze: %s: %ld bad row%s; nothing written (--skip-bad drops them)\n",
                o.input, bad, bad == 1 ? "" : "s");
        return 1;
    }
    FILE *out = stdout;
    char tmp[4096];
    if (o.output) {
        snprintf(tmp, sizeof tmp, "%s.tmp.%ld", o.output, (long)getpid());
        out = fopen(tmp, "w");
        if (!out) {
            fprintf(stderr, "alphapulse analyze: %s: %s\n", tmp, strerror(errno));
            return 1;
        }
    }
    int rc = compute(&o, out);
    if (fflush(out) != 0 || ferror(out))
        rc = -1;
    if (o.output) {
        if (fclose(out) != 0)
            rc = -1;
        if (rc == 0 && rename(tmp, o.output) != 0) {
            fprintf(stderr, "alphapulse analyze: %s: %s\n", o.output, strerror(errno));
            rc = -1;
        }
        if (rc)
            unlink(tmp);
    }
    if (rc) {
        fprintf(stderr, "alphapulse analyze: writing the output failed\n");
        return 1;
    }
    if (bad)
        fprintf(stderr, "alphapulse analyze: skipped %ld bad row%s of %s\n", bad, bad == 1 ? "" : "s", o.input);
    return 0;
}
