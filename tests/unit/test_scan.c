/* The scanner's model: :filter terms parsed (and refused with a reason), rows
 * filtered by name and terms, sorted by a column either way with missing
 * values last, and quote volumes shortened. */
#include <math.h>
#include <stdlib.h>

#include "harness.h"
#include "alphapulse/regime.h"
#include "../../src/ui/scan.h"

static struct snap_symbol sym[4];
static struct snapshot snap;

static void setup(void)
{
    static const char *const names[4] = { "BTCUSDT", "ETHUSDT", "SOLUSDT", "ETHBTC" };
    static const double vol[4] = { 2.5e9, 8e8, 4e6, 3e3 };
    static const float conf[4] = { 0.8f, -0.4f, 0.75f, 0.1f };
    memset(sym, 0, sizeof sym);
    for (int i = 0; i < 4; i++) {
        snprintf(sym[i].name, SYMBOL_MAX, "%s", names[i]);
        sym[i].last = 100 + i;
        sym[i].qvol_24h = vol[i];
        sym[i].confluence = conf[i];
        sym[i].chg_1h = (float)(i - 1.5);
        sym[i].rsi = 30.0f + 10 * i;
        sym[i].sig_conf = sym[i].sig_rr = NAN;
        sym[i].vol_pct = NAN;
        sym[i].pattern = -1;
        for (int t = 0; t < TF_COUNT; t++)
            sym[i].regime[t] = REGIME_RANGING;
    }
    sym[2].regime[TF_1H] = REGIME_VOLATILE_BREAKOUT;
    sym[1].sig_conf = 0.9f;
    sym[1].sig_rr = 2.5f;
    sym[3].chg_1h = NAN;
    snap.symbols = sym;
    snap.n_symbols = 4;
    snap.tf = TF_1M;
}

static int names_of(const int *rows, int n, char *out, size_t len)
{
    out[0] = 0;
    for (int i = 0; i < n; i++) {
        size_t l = strlen(out);
        snprintf(out + l, len - l, "%s%s", i ? " " : "", sym[rows[i]].name);
    }
    return n;
}

static void filter_terms_select_rows(void)
{
    setup();
    struct scan_filter f = { 0 };
    char err[160], got[128];
    int rows[4];
    CHECK(scan_filter_parse(&f, "regime=breakout", err, sizeof err) == 0);
    names_of(rows, scan_rows(&snap, &f, SCAN_SYMBOL, false, rows), got, sizeof got);
    CHECK_MSG(strcmp(got, "SOLUSDT") == 0, "regime=breakout: %s", got);
    CHECK(scan_filter_parse(&f, "conf>0.7 vol>10M", err, sizeof err) == 0);
    names_of(rows, scan_rows(&snap, &f, SCAN_SYMBOL, false, rows), got, sizeof got);
    CHECK_MSG(strcmp(got, "BTCUSDT") == 0, "conf>0.7 vol>10M: %s", got);
    CHECK(scan_filter_parse(&f, "sig>=0.9 rr>2", err, sizeof err) == 0);
    names_of(rows, scan_rows(&snap, &f, SCAN_SYMBOL, false, rows), got, sizeof got);
    CHECK_MSG(strcmp(got, "ETHUSDT") == 0, "sig>=0.9 rr>2: %s", got);
    CHECK(scan_filter_parse(&f, "", err, sizeof err) == 0 && f.n == 0);
    snprintf(f.name, sizeof f.name, "eth");             /* typed with /: any case, any part */
    names_of(rows, scan_rows(&snap, &f, SCAN_SYMBOL, false, rows), got, sizeof got);
    CHECK_MSG(strcmp(got, "ETHBTC ETHUSDT") == 0, "/eth: %s", got);
    /* refused, the filter unchanged */
    CHECK(scan_filter_parse(&f, "vol>lots", err, sizeof err) == -1 && strstr(err, "vol>lots") && f.name[0]);
    CHECK(scan_filter_parse(&f, "colour=red", err, sizeof err) == -1 && strstr(err, "unknown key"));
    CHECK(scan_filter_parse(&f, "regime>3", err, sizeof err) == -1 && strstr(err, "regime=breakout"));
    CHECK(scan_filter_parse(&f, "breakout", err, sizeof err) == -1 && strstr(err, "KEY OP VALUE"));
}

static void sort_by_column_missing_last(void)
{
    setup();
    struct scan_filter f = { 0 };
    char got[128];
    int rows[4];
    names_of(rows, scan_rows(&snap, &f, SCAN_VOL, true, rows), got, sizeof got);
    CHECK_MSG(strcmp(got, "BTCUSDT ETHUSDT SOLUSDT ETHBTC") == 0, "vol desc: %s", got);
    names_of(rows, scan_rows(&snap, &f, SCAN_VOL, false, rows), got, sizeof got);
    CHECK_MSG(strcmp(got, "ETHBTC SOLUSDT ETHUSDT BTCUSDT") == 0, "vol asc: %s", got);
    names_of(rows, scan_rows(&snap, &f, SCAN_CHG1H, false, rows), got, sizeof got);
    CHECK_MSG(strcmp(got, "BTCUSDT ETHUSDT SOLUSDT ETHBTC") == 0, "1h asc, NAN last: %s", got);
    names_of(rows, scan_rows(&snap, &f, SCAN_CHG1H, true, rows), got, sizeof got);
    CHECK_MSG(strcmp(got, "SOLUSDT ETHUSDT BTCUSDT ETHBTC") == 0, "1h desc, NAN last: %s", got);
    names_of(rows, scan_rows(&snap, &f, SCAN_SYMBOL, true, rows), got, sizeof got);
    CHECK_MSG(strcmp(got, "SOLUSDT ETHUSDT ETHBTC BTCUSDT") == 0, "names Z to A: %s", got);
    names_of(rows, scan_rows(&snap, &f, SCAN_SIG, true, rows), got, sizeof got);
    CHECK_MSG(strcmp(got, "ETHUSDT BTCUSDT ETHBTC SOLUSDT") == 0, "signal: the one with a signal first: %s", got);
}

static void volumes_shortened(void)
{
    char b[16];
    scan_fmt_volume(2.5e9, b, sizeof b);
    CHECK(strcmp(b, "2.50B") == 0);
    scan_fmt_volume(114148.4, b, sizeof b);
    CHECK_MSG(strcmp(b, "114.1K") == 0, "%s", b);
    scan_fmt_volume(4e6, b, sizeof b);
    CHECK(strcmp(b, "4.00M") == 0);
    scan_fmt_volume(1.1415e14, b, sizeof b);
    CHECK_MSG(strcmp(b, "114.15T") == 0, "%s", b);
    scan_fmt_volume(0, b, sizeof b);
    CHECK(strcmp(b, "-") == 0);
}

int main(void)
{
    RUN(filter_terms_select_rows);
    RUN(sort_by_column_missing_last);
    RUN(volumes_shortened);
    HARNESS_EXIT();
}
