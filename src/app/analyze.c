/* `alphapulse analyze`: indicators, the 61 candlestick patterns and the market
 * regime (regime, regime_confidence, regime_dir: the drift's sign, which gives
 * WEAK_TREND its direction; empty until warm) for every
 * candle of a CSV file, as CSV or JSON. Two streaming passes over the input — the
 * first only validates — so a bad file writes nothing and a million rows never
 * sit in memory. With --output the result goes to a temporary file renamed into
 * place at the end, so a failure never leaves half a file behind. With
 * --regime-report it prints instead what followed each regime label on the file,
 * on its own timeframe and on each higher one built from it (regime_table.h). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alphapulse/app.h"
#include "alphapulse/candle_csv.h"
#include "alphapulse/config.h"
#include "alphapulse/options.h"
#include "alphapulse/engine.h"
#include "alphapulse/fmt_double.h"
#include "alphapulse/patterns.h"
#include "alphapulse/aggregate.h"
#include "alphapulse/eval.h"
#include "alphapulse/regime.h"
#include "alphapulse/regime_table.h"
#include "alphapulse/ta_set.h"

struct analyze_opts {
    const char *input, *output, *config, *symbol;
    bool json, skip_bad, regime_report;
    struct ta_params params;
    struct regime_params regime;
    uint64_t patterns;             /* bit per pattern: the profile's patterns, the only columns written */
    char names[TA_NCOLS][32];      /* column names for the parameters in force */
};

enum { O_INPUT = 256, O_OUTPUT, O_FORMAT, O_SKIP, O_CONFIG, O_SYMBOL, O_REGIME, O_HELP };

static const struct cli_opt options[] = {
    { "input", "FILE.csv", O_INPUT, "candles: time,open,high,low,close,volume (time in UTC ms, or seconds)" },
    { "format", "csv|json", O_FORMAT, "output format (default csv)" },
    { "output", "FILE", O_OUTPUT, "write to FILE (default: stdout)" },
    { "skip-bad", NULL, O_SKIP, "drop bad rows instead of refusing the file" },
    { "config", "FILE", O_CONFIG, "use SYMBOL's profile (or the default profile): indicator periods, the\n"
                                  "patterns in use (the only pattern columns written) and the regime thresholds" },
    { "symbol", "SYMBOL", O_SYMBOL, "the profile to use from --config" },
    { "regime-report", NULL, O_REGIME, "instead of the columns, what followed each regime label (share of\n"
                                       "candles, forward volatility, direction, range, run length) on the file's\n"
                                       "timeframe and each higher one built from it" },
    { "help", NULL, O_HELP, "this text" },
    { NULL, NULL, 0, NULL },
};

static void analyze_usage(FILE *f)
{
    fprintf(f, "usage: alphapulse analyze --input FILE.csv [--format csv|json] [--output FILE] [--skip-bad]\n"
               "                          [--config FILE [--symbol SYMBOL]] [--regime-report]\n");
    opts_usage(f, options);
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

/* Output goes through one large buffer written with fwrite, and numbers are
 * formatted by hand: at a million rows of ~90 fields, stdio's per-field work
 * (and "%.17g" above all) was most of the run time. */
struct out_buf {
    FILE *f;
    size_t len;
    char buf[1 << 18];
};

enum { ROW_MAX = 16384 };          /* no row comes near: 29 numbers, 61 small ints and their names */

static void out_flush(struct out_buf *b)
{
    if (b->len)
        fwrite(b->buf, 1, b->len, b->f);
    b->len = 0;
}

static void out_str(struct out_buf *b, const char *s)
{
    size_t n = strlen(s);
    if (b->len + n > sizeof b->buf)
        out_flush(b);
    if (n > sizeof b->buf) {
        fwrite(s, 1, n, b->f);
        return;
    }
    memcpy(b->buf + b->len, s, n);
    b->len += n;
}

/* the decimal text of x at p; returns the end */
static char *put_int(char *p, long long x)
{
    char tmp[24], *t = tmp + sizeof tmp;
    unsigned long long u = x < 0 ? 0ull - (unsigned long long)x : (unsigned long long)x;
    do {
        *--t = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (x < 0)
        *p++ = '-';
    memcpy(p, t, (size_t)(tmp + sizeof tmp - t));
    return p + (tmp + sizeof tmp - t);
}

/* An indicator value: shortest exact text; an indicator not yet warm (NaN) or one
 * that overflowed (inf) is empty in CSV and null in JSON, never "inf"/"nan". */
static char *put_num(char *p, double v, bool json)
{
    if (!isfinite(v)) {
        if (json) {
            memcpy(p, "null", 4);
            p += 4;
        }
        return p;
    }
    return p + fmt_double(p, v);
}

static char *put_bytes(char *p, const char *s, size_t n)
{
    memcpy(p, s, n);
    return p + n;
}

#define put_lit(p, s) put_bytes(p, s, sizeof s - 1)

static void write_header(struct out_buf *b, const struct analyze_opts *o)
{
    if (o->json) {
        out_str(b, "[\n");
        return;
    }
    out_str(b, "time");
    for (int k = 0; k < TA_NCOLS; k++) {
        out_str(b, ",");
        out_str(b, o->names[k]);
    }
    for (int p = 0; p < CDL_COUNT; p++)
        if (o->patterns & (1ull << p)) {
            out_str(b, ",cdl_");
            out_str(b, cdl_name(p));
        }
    out_str(b, ",regime,regime_confidence,regime_dir\n");
}

/* The JSON keys, each as `,"name":`, made once. */
struct json_keys {
    char ind[TA_NCOLS][40];
    char cdl[CDL_COUNT][40];
    size_t ind_len[TA_NCOLS], cdl_len[CDL_COUNT];
};

static void json_keys_init(struct json_keys *j, const struct analyze_opts *o)
{
    for (int k = 0; k < TA_NCOLS; k++)
        j->ind_len[k] = (size_t)snprintf(j->ind[k], sizeof j->ind[k], ",\"%s\":", o->names[k]);
    for (int p = 0; p < CDL_COUNT; p++)
        j->cdl_len[p] = (size_t)snprintf(j->cdl[p], sizeof j->cdl[p], ",\"cdl_%s\":", cdl_name(p));
}

static void write_row(struct out_buf *b, const struct analyze_opts *o, const struct json_keys *j, bool first,
                      int64_t t, const struct ta_values *v, const int *cdl, const struct regime_out *g)
{
    if (b->len + ROW_MAX > sizeof b->buf)
        out_flush(b);
    char *p = b->buf + b->len;
    bool warm = g->regime != REGIME_NONE;
    const double *a = ta_values_array(v);
    if (o->json) {
        if (!first)
            p = put_lit(p, ",\n");
        p = put_int(put_lit(p, "{\"time\":"), t);
        for (int k = 0; k < TA_NCOLS; k++)
            p = put_num(put_bytes(p, j->ind[k], j->ind_len[k]), a[k], true);
        for (int c = 0; c < CDL_COUNT; c++)
            if (o->patterns & (1ull << c))
                p = put_int(put_bytes(p, j->cdl[c], j->cdl_len[c]), cdl[c]);
        if (warm) {
            const char *name = regime_name(g->regime);
            p = put_lit(p, ",\"regime\":\"");
            p = put_bytes(p, name, strlen(name));
            p = put_lit(p, "\",\"regime_confidence\":");
            p = put_num(p, g->confidence, true);
            p = put_bytes(put_int(put_lit(p, ",\"regime_dir\":"), g->dir), "}", 1);
        } else {
            p = put_lit(p, ",\"regime\":null,\"regime_confidence\":null,\"regime_dir\":null}");
        }
    } else {
        p = put_int(p, t);
        for (int k = 0; k < TA_NCOLS; k++)
            p = put_num(put_lit(p, ","), a[k], false);
        for (int c = 0; c < CDL_COUNT; c++)
            if (o->patterns & (1ull << c)) {
                *p++ = ',';
                if (cdl[c] == 0)
                    *p++ = '0';
                else
                    p = put_int(p, cdl[c]);
            }
        if (warm) {
            const char *name = regime_name(g->regime);
            *p++ = ',';
            p = put_bytes(p, name, strlen(name));
            *p++ = ',';
            p = put_num(p, g->confidence, false);
            *p++ = ',';
            p = put_int(p, g->dir);
            *p++ = '\n';
        } else {
            p = put_lit(p, ",,,\n");
        }
    }
    b->len = (size_t)(p - b->buf);
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
    struct out_buf *b = malloc(sizeof *b);
    struct json_keys *keys = malloc(sizeof *keys);
    bool have_ta = ta && ta_set_init_params(ta, &o->params) == 0;
    bool have_rs = rs && regime_init(rs, &o->regime) == 0;
    if (!have_ta || !have_rs || !cs || !b || !keys) {
        if (have_ta)
            ta_set_free(ta);
        if (have_rs)
            regime_free(rs);
        free(ta);
        free(cs);
        free(rs);
        free(b);
        free(keys);
        fclose(f);
        return -1;
    }
    cdl_init(cs);
    json_keys_init(keys, o);
    b->f = out;
    b->len = 0;
    write_header(b, o);
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
        write_row(b, o, keys, first, c.open_time, &v, cdl, &g);
        first = false;
    }
    if (o->json)
        out_str(b, first ? "]\n" : "\n]\n");
    out_flush(b);
    ta_set_free(ta);
    regime_free(rs);
    free(ta);
    free(cs);
    free(rs);
    free(b);
    free(keys);
    fclose(f);
    return 0;
}

enum { RR_HORIZON = 20, RR_TRAIL = 500 };

/* The file's candles (valid rows only), for the regime report's forward windows. */
static int load_all(const struct analyze_opts *o, struct candle **out, size_t *n)
{
    FILE *f;
    long lineno;
    if (open_checked(o->input, &f, &lineno))
        return -1;
    size_t cap = 4096, k = 0;
    struct candle *c = malloc(cap * sizeof *c), row;
    int64_t last = INT64_MIN;
    char why[160];
    int rc;
    while (c && (rc = next_row(f, &lineno, &row, &last, why, sizeof why)) != 0) {
        if (rc < 0)
            continue;
        if (k == cap) {
            struct candle *g = realloc(c, 2 * cap * sizeof *c);
            if (!g) {
                free(c);
                c = NULL;
                break;
            }
            c = g;
            cap *= 2;
        }
        c[k++] = row;
    }
    fclose(f);
    *out = c;
    *n = k;
    return c ? 0 : -1;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* The file's candle spacing: the median gap between rows (gaps in the data stay gaps). */
static int64_t median_step(const struct candle *c, size_t n)
{
    if (n < 2)
        return 0;
    int64_t *d = malloc((n - 1) * sizeof *d);
    if (!d)
        return 0;
    for (size_t i = 1; i < n; i++)
        d[i - 1] = c[i].open_time - c[i - 1].open_time;
    qsort(d, n - 1, sizeof *d, cmp_i64);
    int64_t m = d[(n - 1) / 2];
    free(d);
    return m;
}

/* Candles of `ms` on UTC boundaries from the finer c[] (spaced `step`): a bucket
 * the data enters after its start, or leaves before its end, is left out, as its
 * candle would not be the market's. */
static size_t build_tf(const struct candle *c, size_t n, int64_t step, int64_t ms, struct candle *out)
{
    size_t k = 0;
    bool open = false;
    for (size_t i = 0; i < n; i++) {
        int64_t b = c[i].open_time - c[i].open_time % ms;
        if (open && out[k - 1].open_time == b) {
            agg_merge(&out[k - 1], &c[i]);
            continue;
        }
        open = c[i].open_time == b;
        if (!open)
            continue;
        out[k] = c[i];
        out[k].open_time = b;
        k++;
    }
    if (k && c[n - 1].open_time + step < out[k - 1].open_time + ms)
        k--;
    return k;
}

/* One timeframe's table: the profile's indicators and regime detector over c[]. */
static int report_tf(const struct analyze_opts *o, FILE *out, const char *tf, const struct candle *c, size_t n)
{
    struct ta_set *ta = malloc(sizeof *ta);
    struct regime_state *rs = malloc(sizeof *rs);
    int *lab = malloc((n ? n : 1) * sizeof *lab);
    int rc = -1;
    bool have_ta = ta && ta_set_init_params(ta, &o->params) == 0;
    bool have_rs = rs && regime_init(rs, &o->regime) == 0;
    if (have_ta && have_rs && lab) {
        for (size_t i = 0; i < n; i++) {
            struct ta_values v;
            struct regime_out g;
            ta_set_push(ta, &c[i], &v);
            regime_push(rs, &c[i], &v, &g);
            lab[i] = regime_table_row(g.regime, g.dir);
        }
        struct eval_regime_row rows[REGIME_ROWS];
        rc = eval_regime_report(c, lab, n, REGIME_ROWS, RR_HORIZON, RR_TRAIL, rows);
        if (rc == 0)
            regime_table_print(out, tf, rows, RR_HORIZON, RR_TRAIL);
    }
    if (have_ta)
        ta_set_free(ta);
    if (have_rs)
        regime_free(rs);
    free(ta);
    free(rs);
    free(lab);
    return rc;
}

/* Returns 0, -1 on failure, 1 when no timeframe had candles enough. */
static int regime_report(const struct analyze_opts *o, FILE *out)
{
    struct candle *c;
    size_t n;
    if (load_all(o, &c, &n))
        return -1;
    int64_t step = median_step(c, n);
    struct candle *agg = malloc((n ? n : 1) * sizeof *agg);
    int shown = 0, rc = agg ? 0 : -1;
    size_t need = RR_TRAIL + RR_HORIZON + 1;
    fprintf(out, "%s: %zu candles, one every %lld s\n", o->input, n, (long long)(step / 1000));
    for (int t = 0; rc == 0 && t < TF_COUNT && step > 0; t++) {
        int64_t ms = tf_ms(t);
        if (ms < step || ms % step)
            continue;
        size_t m = ms == step ? n : build_tf(c, n, step, ms, agg);
        if (m < need) {
            fprintf(out, "\nRegimes on %s: %zu candles, fewer than the %zu the report needs\n", tf_name(t), m, need);
            continue;
        }
        rc = report_tf(o, out, tf_name(t), ms == step ? c : agg, m);
        shown++;
    }
    if (rc == 0 && !shown && n >= need && step > 0) {
        /* a spacing that is no timeframe of ours: the file's own candles only */
        rc = report_tf(o, out, "the file's candles", c, n);
        shown++;
    }
    free(c);
    free(agg);
    return rc ? rc : shown ? 0 : 1;
}

int app_analyze(int argc, char **argv)
{
    struct analyze_opts o = { 0 };
    struct opts p;
    opts_init(&p, "alphapulse analyze", options);
    int c;
    const char *optarg;
    while ((c = opts_next(&p, argc, argv, &optarg)) != OPTS_END) {
        switch (c) {
        case O_INPUT: o.input = optarg; break;
        case O_OUTPUT: o.output = optarg; break;
        case O_SKIP: o.skip_bad = true; break;
        case O_CONFIG: o.config = optarg; break;
        case O_SYMBOL: o.symbol = optarg; break;
        case O_REGIME: o.regime_report = true; break;
        case O_FORMAT:
            if (strcmp(optarg, "csv") && strcmp(optarg, "json")) {
                fprintf(stderr, "alphapulse analyze: --format %s: expected csv or json\n", optarg);
                return 2;
            }
            o.json = strcmp(optarg, "json") == 0;
            break;
        case O_HELP: analyze_usage(stdout); return 0;
        default:
            analyze_usage(stderr);
            return 2;
        }
    }
    if (!o.input || optind < argc) {
        fprintf(stderr, "alphapulse analyze: %s\n", o.input ? "unexpected argument" : "--input FILE is required");
        analyze_usage(stderr);
        return 2;
    }
    if (o.regime_report && o.json) {
        fprintf(stderr, "alphapulse analyze: --regime-report prints text; --format json is not available with it\n");
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
    int rc = o.regime_report ? regime_report(&o, out) : compute(&o, out);
    if (rc == 1) {
        fprintf(stderr, "alphapulse analyze: %s: too few candles for the regime report (it needs %d on a timeframe)\n",
                o.input, RR_TRAIL + RR_HORIZON + 1);
        if (o.output)
            fclose(out), unlink(tmp);
        return 1;
    }
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
