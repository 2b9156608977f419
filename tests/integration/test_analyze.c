/* `alphapulse analyze` run as a process: its CSV equals TA-Lib's golden output
 * for every shared column and row; JSON parses and agrees; bad inputs are
 * reported by line with status 1 and write nothing. */
#include <jansson.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"
#include "alphapulse/candle_csv.h"
#include "alphapulse/patterns.h"
#include "alphapulse/regime.h"
#include "alphapulse/ta_set.h"

static const char *bin(void)
{
    static char path[512];
    const char *b = getenv("BUILD");
    snprintf(path, sizeof path, "%s/alphapulse", b && *b ? b : "build");
    return path;
}

static int run(const char *args, const char *stdout_to)
{
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "%s analyze %s >%s 2>%s.err", bin(), args, stdout_to, stdout_to);
    int st = system(cmd);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* A CSV table in memory: header names and rows of raw fields. */
struct table { int ncol; char **name; size_t nrow; char ***cell; };

static int split(char *line, char **out, int max)
{
    int n = 0;
    line[strcspn(line, "\r\n")] = 0;
    for (char *p = line;; ) {
        if (n < max)
            out[n++] = p;
        char *c = strchr(p, ',');
        if (!c)
            break;
        *c = 0;
        p = c + 1;
    }
    return n;
}

static bool load(const char *path, struct table *t)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return false;
    static char line[1 << 16];
    char *tmp[256];
    memset(t, 0, sizeof *t);
    if (!fgets(line, sizeof line, f)) {
        fclose(f);
        return false;
    }
    t->ncol = split(line, tmp, 256);
    t->name = malloc(sizeof(char *) * (size_t)t->ncol);
    for (int i = 0; i < t->ncol; i++)
        t->name[i] = strdup(tmp[i]);
    size_t cap = 1024;
    t->cell = malloc(sizeof(char **) * cap);
    while (fgets(line, sizeof line, f)) {
        if (t->nrow == cap)
            t->cell = realloc(t->cell, sizeof(char **) * (cap *= 2));
        int n = split(line, tmp, 256);
        char **row = calloc((size_t)t->ncol, sizeof(char *));
        for (int i = 0; i < t->ncol && i < n; i++)
            row[i] = strdup(tmp[i]);
        t->cell[t->nrow++] = row;
    }
    fclose(f);
    return true;
}

static void table_free(struct table *t)
{
    for (size_t r = 0; r < t->nrow; r++) {
        for (int c = 0; c < t->ncol; c++)
            free(t->cell[r][c]);
        free(t->cell[r]);
    }
    for (int c = 0; c < t->ncol; c++)
        free(t->name[c]);
    free(t->cell);
    free(t->name);
}

static int col(const struct table *t, const char *name)
{
    for (int i = 0; i < t->ncol; i++)
        if (strcmp(t->name[i], name) == 0)
            return i;
    return -1;
}

static void csv_equals_talib(const char *input, const char *golden)
{
    char args[512], out[64] = "/tmp/ap-analyze-XXXXXX";   /* room for the ".err" appended below */
    int fd = mkstemp(out);
    close(fd);
    snprintf(args, sizeof args, "--input %s", input);
    CHECK(run(args, out) == 0);
    struct table got, want;
    CHECK(load(out, &got));
    CHECK(load(golden, &want));
    CHECK(got.nrow == want.nrow);
    CHECK(got.ncol == 1 + 29 + 61 + 3);
    CHECK(strcmp(got.name[1], "sma_20") == 0 && strcmp(got.name[30], "cdl_2crows") == 0);
    CHECK(strcmp(got.name[90], "cdl_xsidegap3methods") == 0);
    CHECK(strcmp(got.name[91], "regime") == 0 && strcmp(got.name[92], "regime_confidence") == 0);
    CHECK(strcmp(got.name[93], "regime_dir") == 0);
    /* regime_dir: the drift's sign when warm (WEAK_TREND's direction), empty before */
    size_t weak = 0, weak_dir = 0, bad_dir = 0;
    for (size_t r = 0; r < got.nrow; r++) {
        const char *g = got.cell[r][91] ? got.cell[r][91] : "", *d = got.cell[r][93] ? got.cell[r][93] : "";
        if (!*g) {
            bad_dir += *d != 0;
            continue;
        }
        bad_dir += strcmp(d, "1") && strcmp(d, "-1") && strcmp(d, "0");
        if (strcmp(g, "WEAK_TREND") == 0) {
            weak++;
            weak_dir += strcmp(d, "0") != 0;
        }
    }
    CHECK(bad_dir == 0 && weak > 0 && weak_dir > 0);
    /* regimes: empty until warm, then a known name with a confidence in [0, 1] */
    size_t named = 0, bad_regime = 0;
    for (size_t r = 0; r < got.nrow; r++) {
        const char *g = got.cell[r][91] ? got.cell[r][91] : "", *cf = got.cell[r][92] ? got.cell[r][92] : "";
        if (!*g) {
            bad_regime += *cf != 0 || r > 400;
            continue;
        }
        double x = strtod(cf, NULL);
        bad_regime += regime_parse(g) == REGIME_NONE || !(x >= 0 && x <= 1);
        named++;
    }
    printf("# %s: %zu rows with a regime, %zu bad\n", input, named, bad_regime);
    CHECK(named + 400 >= got.nrow && bad_regime == 0);
    int compared = 0;
    size_t bad = 0;
    for (int wc = 0; wc < want.ncol; wc++) {
        int gc = col(&got, want.name[wc]);
        CHECK_MSG(gc >= 0, "column %s missing", want.name[wc]);
        if (gc < 0)
            continue;
        compared++;
        for (size_t r = 0; r < want.nrow && r < got.nrow; r++) {
            const char *a = got.cell[r][gc] ? got.cell[r][gc] : "", *b = want.cell[r][wc] ? want.cell[r][wc] : "";
            bool ok;
            if (!*a || !*b)
                ok = !*a && !*b;
            else {
                double x = strtod(a, NULL), y = strtod(b, NULL);
                ok = fabs(x - y) <= 1e-9 * fmax(1.0, fabs(y));
            }
            if (!ok && bad++ < 5)
                printf("#   row %zu %s: got '%s' want '%s'\n", r + 1, want.name[wc], a, b);
        }
    }
    printf("# %s: %d columns x %zu rows compared, %zu differ\n", input, compared, want.nrow, bad);
    CHECK(compared == want.ncol);
    CHECK(bad == 0);
    table_free(&got);
    table_free(&want);
    unlink(out);
    strcat(out, ".err");
    unlink(out);
}

static void real_btc_equals_talib(void)
{
    csv_equals_talib("tests/data/golden/real_btc_5k.csv", "tests/data/golden/real_btc_5k.talib.csv");
}

static void synthetic_equals_talib(void)
{
    csv_equals_talib("tests/data/golden/synthetic_trends_5k.csv", "tests/data/golden/synthetic_trends_5k.talib.csv");
}

static void json_agrees_with_csv(void)
{
    char csvp[] = "/tmp/ap-a-XXXXXX", jsonp[] = "/tmp/ap-j-XXXXXX";
    close(mkstemp(csvp));
    close(mkstemp(jsonp));
    CHECK(run("--input tests/data/golden/edge_cases_400.csv", csvp) == 0);
    CHECK(run("--input tests/data/golden/edge_cases_400.csv --format json", jsonp) == 0);
    json_error_t err;
    json_t *root = json_load_file(jsonp, 0, &err);
    CHECK_MSG(root != NULL, "json: %s line %d", err.text, err.line);
    struct table t;
    CHECK(load(csvp, &t));
    CHECK(json_is_array(root) && json_array_size(root) == t.nrow);
    size_t bad = 0;
    for (size_t r = 0; root && r < t.nrow; r++) {
        json_t *o = json_array_get(root, r);
        for (int c = 0; c < t.ncol; c++) {
            json_t *v = json_object_get(o, t.name[c]);
            const char *cell = t.cell[r][c] ? t.cell[r][c] : "";
            bool ok = !*cell ? json_is_null(v)
                      : json_is_string(v) ? strcmp(json_string_value(v), cell) == 0
                      : json_is_number(v) && json_number_value(v) == strtod(cell, NULL);
            bad += !ok;
        }
    }
    CHECK(bad == 0);
    json_decref(root);
    table_free(&t);
    unlink(csvp);
    unlink(jsonp);
}

static void bad_inputs_are_reported(void)
{
    struct { const char *body; const char *msg; } cases[] = {
        { "1,2,3,1,2,5\n", ":1: expected the header" },
        { "time,open,high,low,close,volume\n60000,1,2,1,2,5\n120000,1,2,1,2\n", ":3: expected 6 columns, found 5" },
        { "time,open,high,low,close,volume\n60000,1,2,1,x,5\n", ":2: column 5 is not a number" },
        { "time,open,high,low,close,volume\n60000,1,1,2,1,5\n", ":2: high<low" },
        { "time,open,high,low,close,volume\n1700000120000,1,2,1,2,5\n1700000060000,1,2,1,2,5\n", ":3: time 1700000060000 is before" },
        { "time,open,high,low,close,volume\n1700000060000,1,2,1,2,5\n1700000060000,1,2,1,2,5\n", ":3: time 1700000060000 is a duplicate" },
        { "time,open,high,low,close,volume\n60000,1,2,1,2,5,7\n", ":2: more than 6 columns" },
    };
    char in[] = "/tmp/ap-in-XXXXXX";
    close(mkstemp(in));
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        FILE *f = fopen(in, "w");
        fputs(cases[i].body, f);
        fclose(f);
        char args[1400], out[600], errp[640], msg[512] = "";
        snprintf(out, sizeof out, "%s.out", in);
        snprintf(args, sizeof args, "--input %s --output %s", in, out);
        int rc = run(args, "/tmp/ap-analyze-stdout");
        snprintf(errp, sizeof errp, "/tmp/ap-analyze-stdout.err");
        FILE *e = fopen(errp, "r");
        size_t n = e ? fread(msg, 1, sizeof msg - 1, e) : 0;
        msg[n] = 0;
        if (e)
            fclose(e);
        CHECK_MSG(rc == 1, "case %zu: status %d", i, rc);
        CHECK_MSG(strstr(msg, cases[i].msg) != NULL, "case %zu: message '%s' lacks '%s'", i, msg, cases[i].msg);
        CHECK_MSG(access(out, F_OK) != 0, "case %zu: output written for a bad file", i);
    }
    /* --skip-bad drops the bad rows, says how many, and writes the rest */
    FILE *f = fopen(in, "w");
    fputs("time,open,high,low,close,volume\n60\n120,1,2,1,2,5\n180,1,1,2,1,5\n240,1,2,1,2,5\n", f);
    fclose(f);
    char args[1400], out[600];
    snprintf(out, sizeof out, "%s.out", in);
    snprintf(args, sizeof args, "--input %s --output %s --skip-bad", in, out);
    CHECK(run(args, "/tmp/ap-analyze-stdout") == 0);
    struct table t;
    CHECK(load(out, &t));
    CHECK(t.nrow == 2);
    CHECK(t.nrow == 2 && strcmp(t.cell[0][0], "120000") == 0);   /* seconds detected */
    table_free(&t);
    unlink(out);
    unlink(in);
    CHECK(run("--format xml --input x", "/tmp/ap-analyze-stdout") == 2);
    CHECK(run("", "/tmp/ap-analyze-stdout") == 2);
    CHECK(run("--input /nonexistent.csv", "/tmp/ap-analyze-stdout") == 1);
    unlink("/tmp/ap-analyze-stdout");
    unlink("/tmp/ap-analyze-stdout.err");
}

/* Compares got's column gname with want's column wname, row by row. */
static size_t compare_column(const struct table *got, const char *gname, const struct table *want, const char *wname)
{
    int gc = col(got, gname), wc = col(want, wname);
    CHECK_MSG(gc >= 0, "output has no column %s", gname);
    CHECK_MSG(wc >= 0, "reference has no column %s", wname);
    if (gc < 0 || wc < 0)
        return 1;
    size_t bad = 0;
    for (size_t r = 0; r < want->nrow && r < got->nrow; r++) {
        const char *a = got->cell[r][gc] ? got->cell[r][gc] : "", *b = want->cell[r][wc] ? want->cell[r][wc] : "";
        bool ok = (!*a || !*b) ? (!*a && !*b)
                               : fabs(strtod(a, NULL) - strtod(b, NULL)) <= 1e-9 * fmax(1.0, fabs(strtod(b, NULL)));
        if (!ok && bad++ < 3)
            printf("#   row %zu %s: got '%s' want '%s' (%s)\n", r + 1, gname, a, b, wname);
    }
    return bad;
}

/* The same candles analysed with two profiles give the two parameter sets, each
 * equal to TA-Lib's output for those parameters. */
static void profiles_give_their_parameters(void)
{
    char in[] = "/tmp/ap-prof-in-XXXXXX", cfg[] = "/tmp/ap-prof-cfg-XXXXXX", out1[] = "/tmp/ap-prof-1-XXXXXX",
         out2[] = "/tmp/ap-prof-2-XXXXXX";
    close(mkstemp(in));
    close(mkstemp(cfg));
    close(mkstemp(out1));
    close(mkstemp(out2));
    FILE *src = fopen("tests/data/golden/real_btc_5k.csv", "r"), *dst = fopen(in, "w");
    char line[512];
    for (int i = 0; i < 2501 && fgets(line, sizeof line, src); i++)
        fputs(line, dst);
    fclose(src);
    fclose(dst);
    FILE *f = fopen(cfg, "w");
    fputs("{\"profiles\": {\"default\": {\"analysis\": {\"sma_period\": 50, \"ema_period\": 5, \"rsi_period\": 30,"
          " \"macd_fast\": 5, \"macd_slow\": 35, \"macd_signal\": 5}},"
          " \"BTCUSDT\": {\"analysis\": {\"sma_period\": 5, \"ema_period\": 50, \"wma_period\": 5, \"rsi_period\": 7,"
          " \"macd_fast\": 8, \"macd_slow\": 24, \"macd_signal\": 9, \"atr_period\": 7},"
          " \"patterns\": {\"enabled\": [\"CDLENGULFING\", \"hammer\", \"CDLDOJI\"]},"
          " \"regimes\": {\"hold\": 1, \"adx_strong\": 25, \"lookback\": 100}}}}", f);
    fclose(f);
    char args[512];
    snprintf(args, sizeof args, "--input %s --config %s --symbol BTCUSDT", in, cfg);
    CHECK(run(args, out1) == 0);
    snprintf(args, sizeof args, "--input %s --config %s --symbol ETHUSDT", in, cfg);
    CHECK(run(args, out2) == 0);
    struct table btc, other, ref;
    CHECK(load(out1, &btc) && load(out2, &other));
    CHECK(load("tests/data/golden/params_real_btc_2500.talib.csv", &ref));
    CHECK(btc.nrow == 2500 && other.nrow == 2500);
    size_t bad = compare_column(&btc, "sma_5", &ref, "sma_5") + compare_column(&btc, "ema_50", &ref, "ema_50") +
                 compare_column(&btc, "wma_5", &ref, "wma_5") + compare_column(&btc, "rsi_7", &ref, "rsi_7") +
                 compare_column(&btc, "macd", &ref, "macd_8_24_9") +
                 compare_column(&btc, "macd_signal", &ref, "signal_macd_8_24_9") +
                 compare_column(&btc, "macd_hist", &ref, "hist_macd_8_24_9") + compare_column(&btc, "atr_7", &ref, "atr_7");
    bad += compare_column(&other, "sma_50", &ref, "sma_50") + compare_column(&other, "ema_5", &ref, "ema_5") +
           compare_column(&other, "rsi_30", &ref, "rsi_30") + compare_column(&other, "macd", &ref, "macd_5_35_5") +
           compare_column(&other, "macd_hist", &ref, "hist_macd_5_35_5");
    CHECK(bad == 0);
    CHECK(col(&other, "wma_20") >= 0 && col(&other, "atr_14") >= 0);   /* not overridden: defaults */
    /* patterns: BTC's profile writes only its three, with the values every profile gets */
    int npat = 0;
    for (int k = 0; k < btc.ncol; k++)
        npat += strncmp(btc.name[k], "cdl_", 4) == 0;
    CHECK(npat == 3 && col(&btc, "cdl_hikkake") < 0 && col(&other, "cdl_hikkake") >= 0);
    CHECK(compare_column(&btc, "cdl_engulfing", &other, "cdl_engulfing") == 0 &&
          compare_column(&btc, "cdl_hammer", &other, "cdl_hammer") == 0 &&
          compare_column(&btc, "cdl_doji", &other, "cdl_doji") == 0);
    /* regimes: BTC's thresholds, checked against the detector run directly with them */
    struct candle *cs = NULL;
    size_t nc = 0;
    char err[256];
    CHECK(candle_csv_load(in, &cs, &nc, err, sizeof err) == 0 && nc == 2500);
    struct ta_set *ta = malloc(sizeof *ta);
    struct regime_state *rs = malloc(sizeof *rs);
    struct ta_params tp;
    ta_params_default(&tp);
    tp = (struct ta_params){ .sma = 5, .ema = 50, .wma = 5, .rsi = 7, .macd_fast = 8, .macd_slow = 24, .macd_signal = 9,
                             .bb_period = tp.bb_period, .bb_stddev = tp.bb_stddev, .atr = 7, .volume_sma = tp.volume_sma };
    struct regime_params rp;
    regime_params_default(&rp);
    rp.hold = 1;
    rp.adx_strong = 25;
    rp.lookback = 100;
    CHECK(ta_set_init_params(ta, &tp) == 0);
    CHECK(regime_init(rs, &rp) == 0);
    int rc_btc = col(&btc, "regime"), rc_other = col(&other, "regime");
    size_t wrong = 0, differs = 0;
    for (size_t i = 0; i < nc && i < btc.nrow && rc_btc >= 0 && rc_other >= 0; i++) {
        struct ta_values v;
        struct regime_out g;
        ta_set_push(ta, &cs[i], &v);
        regime_push(rs, &cs[i], &v, &g);
        const char *got = btc.cell[i][rc_btc] ? btc.cell[i][rc_btc] : "";
        const char *want = g.regime == REGIME_NONE ? "" : regime_name(g.regime);
        wrong += strcmp(got, want) != 0;
        differs += strcmp(got, other.cell[i][rc_other] ? other.cell[i][rc_other] : "") != 0;
    }
    printf("# regimes: %zu of %zu rows differ between the two profiles; %zu differ from the detector\n", differs,
           btc.nrow, wrong);
    CHECK(wrong == 0 && differs > 0);
    ta_set_free(ta);
    free(ta);
    regime_free(rs);
    free(rs);
    free(cs);
    table_free(&btc);
    table_free(&other);
    table_free(&ref);
    /* a broken profile is refused with its position */
    f = fopen(cfg, "w");
    fputs("{\"profiles\": {\"BTCUSDT\": {\"analysis\": {\"macd_fast\": 40}}}}", f);
    fclose(f);
    snprintf(args, sizeof args, "--input %s --config %s --symbol BTCUSDT", in, cfg);
    CHECK(run(args, out1) == 2);
    unlink(in);
    unlink(cfg);
    unlink(out1);
    unlink(out2);
    char e[64];
    snprintf(e, sizeof e, "%s.err", out1);
    unlink(e);
    snprintf(e, sizeof e, "%s.err", out2);
    unlink(e);
}

static void write_file(const char *path, const char *body)
{
    FILE *f = fopen(path, "w");
    CHECK(f != NULL);
    if (f) {
        fputs(body, f);
        fclose(f);
    }
}

static size_t read_file(const char *path, char *buf, size_t n)
{
    FILE *f = fopen(path, "r");
    size_t got = f ? fread(buf, 1, n - 1, f) : 0;
    buf[got] = 0;
    if (f)
        fclose(f);
    return got;
}

/* Prices past the bound are refused by line; huge but finite volumes are accepted
 * and the indicators they overflow (OBV, volume SMA) are empty in CSV and null in
 * JSON: no "inf" or "nan" ever reaches the output, and the JSON parses. */
static void extreme_values_never_written_as_inf(void)
{
    char in[] = "/tmp/ap-ext-XXXXXX", out[64];
    close(mkstemp(in));
    snprintf(out, sizeof out, "%s.out", in);
    char args[256], msg[4096];
    write_file(in, "time,open,high,low,close,volume\n60000,1,2,1,2,5\n120000,1e308,1e308,1e308,1e308,5\n"
                   "180000,1,1e15,1,1e15,5\n");
    snprintf(args, sizeof args, "--input %s --output %s", in, out);
    CHECK(run(args, "/tmp/ap-analyze-ext") == 1);
    read_file("/tmp/ap-analyze-ext.err", msg, sizeof msg);
    CHECK_MSG(strstr(msg, ":3: open 1e+308 is above the price limit 1e+15") != NULL, "message: %s", msg);
    CHECK_MSG(strstr(msg, ":4:") == NULL, "1e15 itself is allowed: %s", msg);
    CHECK(strstr(msg, "1 bad row") != NULL);
    CHECK(access(out, F_OK) != 0);
    /* rising closes with volumes of 1e308: OBV and the volume average overflow */
    FILE *f = fopen(in, "w");
    fputs("time,open,high,low,close,volume\n", f);
    for (int i = 0; i < 40; i++)
        fprintf(f, "%d,%d,%d,%d,%d,%s\n", 60000 * (i + 1), 10 + i, 11 + i, 10 + i, 11 + i, i > 2 ? "1e308" : "5");
    fclose(f);
    CHECK(run(args, "/tmp/ap-analyze-ext") == 0);
    static char body[1 << 20];
    read_file(out, body, sizeof body);
    CHECK(strstr(body, "inf") == NULL && strstr(body, "nan") == NULL);
    struct table t;
    CHECK(load(out, &t));
    int obv = col(&t, "obv"), vsma = col(&t, "volume_sma_20");
    CHECK(t.nrow == 40 && obv >= 0 && vsma >= 0);
    if (t.nrow == 40 && obv >= 0 && vsma >= 0) {
        CHECK(strcmp(t.cell[1][obv], "10") == 0);                   /* finite while it fits */
        CHECK(*t.cell[39][obv] == 0 && *t.cell[39][vsma] == 0);
    }
    table_free(&t);
    snprintf(args, sizeof args, "--input %s --output %s --format json", in, out);
    CHECK(run(args, "/tmp/ap-analyze-ext") == 0);
    read_file(out, body, sizeof body);
    CHECK(strstr(body, "inf") == NULL && strstr(body, "nan") == NULL);
    json_error_t err;
    json_t *root = json_load_file(out, 0, &err);
    CHECK_MSG(root != NULL, "json: %s line %d", err.text, err.line);
    json_t *last = json_array_get(root, 39);
    CHECK(json_is_null(json_object_get(last, "obv")) && json_is_null(json_object_get(last, "volume_sma_20")));
    CHECK(json_is_number(json_object_get(last, "sma_20")));
    json_decref(root);
    unlink(in);
    unlink(out);
    unlink("/tmp/ap-analyze-ext");
    unlink("/tmp/ap-analyze-ext.err");
}

int main(void)
{
    RUN(real_btc_equals_talib);
    RUN(synthetic_equals_talib);
    RUN(json_agrees_with_csv);
    RUN(bad_inputs_are_reported);
    RUN(profiles_give_their_parameters);
    RUN(extreme_values_never_written_as_inf);
    HARNESS_EXIT();
}
