/* Generator of params_*.talib.csv: TA-Lib 0.6.0 outputs for non-default
 * parameters, so the tests cover more than the analyze defaults. Not built by
 * the Makefile; needs TA-Lib (see README.md):
 *   cc -O2 -I$TA/include gen_params.c $TA/libta.a -lm -o gen_params
 *   head -n 2501 real_btc_5k.csv | ./gen_params > params_real_btc_2500.talib.csv */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ta_libc.h"

#define MAXN 10000
static long long T[MAXN];
static double O[MAXN], H[MAXN], L[MAXN], C[MAXN], V[MAXN];
static int n;

#define MAXC 64
static const char *name[MAXC];
static double col[MAXC][MAXN];
static int ncol;

static double *add(const char *nm)
{
    name[ncol] = nm;
    for (int i = 0; i < n; i++)
        col[ncol][i] = NAN;
    return col[ncol++];
}

static void place(double *dst, int beg, int nb, const double *src)
{
    for (int i = 0; i < nb; i++)
        dst[beg + i] = src[i];
}

int main(void)
{
    char line[512];
    if (!fgets(line, sizeof line, stdin))
        return 1;
    while (n < MAXN && fgets(line, sizeof line, stdin))
        if (sscanf(line, "%lld,%lf,%lf,%lf,%lf,%lf", &T[n], &O[n], &H[n], &L[n], &C[n], &V[n]) == 6)
            n++;
    TA_Initialize();
    static double a[MAXN], b[MAXN], c[MAXN];
    int beg, nb, e = n - 1;
#define ONE(nm, call) do { call; place(add(nm), beg, nb, a); } while (0)
    ONE("sma_5", TA_SMA(0, e, C, 5, &beg, &nb, a));
    ONE("sma_50", TA_SMA(0, e, C, 50, &beg, &nb, a));
    ONE("ema_5", TA_EMA(0, e, C, 5, &beg, &nb, a));
    ONE("ema_50", TA_EMA(0, e, C, 50, &beg, &nb, a));
    ONE("wma_5", TA_WMA(0, e, C, 5, &beg, &nb, a));
    ONE("wma_50", TA_WMA(0, e, C, 50, &beg, &nb, a));
    ONE("rsi_7", TA_RSI(0, e, C, 7, &beg, &nb, a));
    ONE("rsi_30", TA_RSI(0, e, C, 30, &beg, &nb, a));
#define MACD(f, s, g, nm) do { TA_MACD(0, e, C, f, s, g, &beg, &nb, a, b, c); \
    place(add(nm), beg, nb, a); place(add("signal_" nm), beg, nb, b); place(add("hist_" nm), beg, nb, c); } while (0)
    MACD(8, 24, 9, "macd_8_24_9");
    MACD(5, 35, 5, "macd_5_35_5");
    MACD(26, 12, 9, "macd_26_12_9");
#define BB(p, u, d, nm) do { TA_BBANDS(0, e, C, p, u, d, TA_MAType_SMA, &beg, &nb, a, b, c); \
    place(add("upper_" nm), beg, nb, a); place(add("middle_" nm), beg, nb, b); place(add("lower_" nm), beg, nb, c); } while (0)
    BB(10, 2.0, 1.5, "bb_10_2_1.5");
    BB(5, 1.0, 1.0, "bb_5_1_1");
#define STOCH(f, k, d, nm) do { TA_STOCH(0, e, H, L, C, f, k, TA_MAType_SMA, d, TA_MAType_SMA, &beg, &nb, a, b); \
    place(add("k_" nm), beg, nb, a); place(add("d_" nm), beg, nb, b); } while (0)
    STOCH(5, 3, 3, "stoch_5_3_3");
    STOCH(9, 1, 4, "stoch_9_1_4");
    ONE("atr_7", TA_ATR(0, e, H, L, C, 7, &beg, &nb, a));
    ONE("atr_1", TA_ATR(0, e, H, L, C, 1, &beg, &nb, a));
    ONE("adx_7", TA_ADX(0, e, H, L, C, 7, &beg, &nb, a));
    ONE("plus_di_7", TA_PLUS_DI(0, e, H, L, C, 7, &beg, &nb, a));
    ONE("minus_di_7", TA_MINUS_DI(0, e, H, L, C, 7, &beg, &nb, a));
    ONE("adx_30", TA_ADX(0, e, H, L, C, 30, &beg, &nb, a));
    ONE("plus_di_30", TA_PLUS_DI(0, e, H, L, C, 30, &beg, &nb, a));
    ONE("minus_di_30", TA_MINUS_DI(0, e, H, L, C, 30, &beg, &nb, a));
    ONE("sar_0.03_0.25", TA_SAR(0, e, H, L, 0.03, 0.25, &beg, &nb, a));
    ONE("sar_0.3_0.2", TA_SAR(0, e, H, L, 0.3, 0.2, &beg, &nb, a));
    ONE("cci_5", TA_CCI(0, e, H, L, C, 5, &beg, &nb, a));
    ONE("cci_20", TA_CCI(0, e, H, L, C, 20, &beg, &nb, a));
    ONE("willr_7", TA_WILLR(0, e, H, L, C, 7, &beg, &nb, a));
    ONE("willr_30", TA_WILLR(0, e, H, L, C, 30, &beg, &nb, a));
    ONE("mfi_7", TA_MFI(0, e, H, L, C, V, 7, &beg, &nb, a));
    ONE("mfi_30", TA_MFI(0, e, H, L, C, V, 30, &beg, &nb, a));
    fputs("time", stdout);
    for (int k = 0; k < ncol; k++)
        printf(",%s", name[k]);
    putchar('\n');
    for (int i = 0; i < n; i++) {
        printf("%lld", T[i]);
        for (int k = 0; k < ncol; k++) {
            if (isnan(col[k][i]))
                fputs(",", stdout);
            else
                printf(",%.17g", col[k][i]);
        }
        putchar('\n');
    }
    return 0;
}
