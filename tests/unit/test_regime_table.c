/* The regime report's interval and its table: the up-share interval counts one
 * draw per forward window, the rows split trends by the drift's sign, and the
 * text shows each label seen once, with "-" where a figure does not exist. */
#include <stdlib.h>

#include "harness.h"
#include "alphapulse/eval.h"
#include "alphapulse/regime_table.h"

/* the Wilson score interval, written out from its definition */
static void wilson_ref(double k, double n, double *lo, double *hi)
{
    double z = 1.959964, p = k / n;
    double c = (p + z * z / (2 * n)) / (1 + z * z / n);
    double h = z * sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n);
    *lo = c - h;
    *hi = c + h;
}

/* A zig-zag whose forward 20-candle move is up after even candles and down
 * after odd ones (a 3-candle cycle would not do: keep it to two), labels known. */
static void up_share_interval(void)
{
    enum { N = 2000, H = 20 };
    static struct candle c[N];
    static int lab[N];
    for (int i = 0; i < N; i++) {
        /* a slow rise of 0.01 per candle plus +-1 alternating: i -> i+20 always rises */
        double p = 100 + 0.01 * i + (i % 2 ? 1 : -1) * 0.5;
        c[i] = (struct candle){ .open_time = i * 60000LL, .open = p, .high = p + 0.6, .low = p - 0.6, .close = p };
        /* label 0: 600 candles from 700; label 1: every candle from 1400 whose
         * forward window reaches past a fall planted at 1900 */
        lab[i] = i >= 700 && i < 1300 ? 0 : i >= 1400 ? 1 : -1;
    }
    for (int i = 1900; i < N; i++)
        c[i].close = c[i].open = 50, c[i].high = 50.5, c[i].low = 49.5;
    struct eval_regime_row rows[2];
    CHECK(eval_regime_report(c, lab, N, 2, H, 500, rows) == 0);
    /* label 0: every forward move up, 600 candles = 30 independent windows */
    CHECK_NEAR(rows[0].up_share, 1.0, 1e-12);
    double lo, hi;
    wilson_ref(30, 30, &lo, &hi);
    CHECK_NEAR(rows[0].up_lo, lo, 1e-9);
    CHECK_NEAR(rows[0].up_hi, 1.0, 1e-12);
    CHECK(rows[0].up_lo > 0.88 && rows[0].up_lo < 0.89);   /* 30 draws, not 600: about 0.886 */
    /* label 1: 1400..1979 have forward windows; those from 1880 end in the fall */
    double nf = 1980 - 1400, ups = 1880 - 1400;
    CHECK_NEAR(rows[1].up_share, ups / nf, 1e-12);
    wilson_ref(ups / nf * (nf / H), nf / H, &lo, &hi);
    CHECK_NEAR(rows[1].up_lo, lo, 1e-9);
    CHECK_NEAR(rows[1].up_hi, hi, 1e-9);
    CHECK(rows[1].up_lo < rows[1].up_share && rows[1].up_share < rows[1].up_hi);
}

static void rows_split_trends_by_drift(void)
{
    CHECK(regime_table_row(REGIME_NONE, 1) == -1);
    CHECK(regime_table_row(REGIME_RANGING, 1) == REGIME_RANGING);
    CHECK(regime_table_row(REGIME_WEAK_TREND, 1) == REGIME_ROW_WEAK_UP);
    CHECK(regime_table_row(REGIME_WEAK_TREND, -1) == REGIME_ROW_WEAK_DOWN);
    CHECK(regime_table_row(REGIME_WEAK_TREND, 0) == REGIME_WEAK_TREND);
    CHECK(regime_table_row(REGIME_STRONG_TREND, 1) == REGIME_ROW_STRONG_UP);
    CHECK(regime_table_row(REGIME_STRONG_TREND, -1) == REGIME_ROW_STRONG_DOWN);
    CHECK(regime_table_row(REGIME_STRONG_TREND_BULL, -1) == REGIME_STRONG_TREND_BULL);
    CHECK(strcmp(regime_table_name(REGIME_ROW_STRONG_DOWN), "STRONG_TREND (bear)") == 0);
    CHECK(strcmp(regime_table_key(REGIME_ROW_STRONG_UP), "STRONG_TREND_UP") == 0);
    CHECK(strcmp(regime_table_key(REGIME_CHOPPY), "CHOPPY") == 0);
    CHECK(!regime_table_shown(REGIME_WEAK_TREND) && !regime_table_shown(REGIME_STRONG_TREND));
    CHECK(regime_table_shown(REGIME_STRONG_TREND_BULL) && regime_table_shown(REGIME_ROW_WEAK_UP));
}

static void table_text(void)
{
    struct eval_regime_row rows[REGIME_ROWS];
    memset(rows, 0, sizeof rows);
    rows[REGIME_RANGING] = (struct eval_regime_row){ .candles = 60, .share = 0.6, .vol_ratio = 0.75, .up_share = 0.5,
                                                     .up_lo = 0.4, .up_hi = 0.6, .range = 0.01, .median_run = 12 };
    rows[REGIME_ROW_STRONG_DOWN] = (struct eval_regime_row){ .candles = 40, .share = 0.4, .vol_ratio = NAN,
                                                             .up_share = 0.25, .up_lo = 0.1, .up_hi = 0.5,
                                                             .mean_ret = -0.02, .range = 0.03, .median_run = 5 };
    rows[REGIME_STRONG_TREND].candles = 40;       /* the undirected total: never a line of its own */
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    regime_table_print(f, "1h", rows, 20, 500);
    fclose(f);
    printf("%s", buf);
    CHECK(strstr(buf, "Regimes on 1h: what followed each label (20 candles ahead; volatility against the 500 before)"));
    CHECK(strstr(buf, "  RANGING               60.0%    0.75x    50.0% ( 40.0- 60.0%)"));
    /* no volatility figure: "-"; the drift pointed down and 75 % of moves went down */
    CHECK(strstr(buf, "  STRONG_TREND (bear)   40.0%        -    25.0% ( 10.0- 50.0%)    -2.000%      3.00%       5      75.0%"));
    CHECK(!strstr(buf, "STRONG_TREND  ") && !strstr(buf, "CHOPPY") && !strstr(buf, "nan"));
    free(buf);
}

int main(void)
{
    RUN(up_share_interval);
    RUN(rows_split_trends_by_drift);
    RUN(table_text);
    HARNESS_EXIT();
}
