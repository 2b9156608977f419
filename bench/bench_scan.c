/* The scanner's sort: 1,000 symbols filtered and ordered by a column, as each
 * frame of the scanner screen does (scan_rows), for every column. The
 * reference, in the same run, is qsort of 1,000 plain doubles (the least any
 * sort of that many rows can cost here): the ratio says what the indirection
 * through the rows and the missing-value rule add. Prints plain lines; not
 * part of `make check`. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alphapulse/clock.h"
#include "alphapulse/regime.h"
#include "../src/ui/scan.h"

#define N 1000
#define REPS 2000

static int dcmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(void)
{
    static struct snap_symbol sym[N];
    static int rows[N];
    static double plain[N], work[N];
    unsigned seed = 42;
    for (int i = 0; i < N; i++) {
        struct snap_symbol *s = &sym[i];
        snprintf(s->name, SYMBOL_MAX, "S%04dUSDT", (i * 7919) % N);
        s->last = 1 + rand_r(&seed) % 100000 / 100.0;
        s->chg_1h = (float)((rand_r(&seed) % 2001 - 1000) / 100.0);
        s->chg_24h = i % 17 ? (float)((rand_r(&seed) % 4001 - 2000) / 100.0) : NAN;
        s->qvol_24h = rand_r(&seed) % 1000000 * 1e3;
        s->vol_pct = (float)(rand_r(&seed) % 101 / 100.0);
        s->confluence = (float)((rand_r(&seed) % 201 - 100) / 100.0);
        s->rsi = (float)(rand_r(&seed) % 100);
        s->pattern = (int16_t)(i % 5 ? -1 : i % 61);
        s->sig_conf = i % 9 ? NAN : (float)(0.8 + (rand_r(&seed) % 20) / 100.0);
        s->sig_rr = i % 9 ? NAN : 2.5f;
        for (int t = 0; t < TF_COUNT; t++)
            s->regime[t] = (int8_t)(rand_r(&seed) % REGIME_COUNT);
        plain[i] = s->qvol_24h;
    }
    struct snapshot snap = { .symbols = sym, .n_symbols = N, .cap_symbols = N, .tf = TF_1M };
    struct scan_filter none = { 0 };
    int64_t t0 = clock_mono_ns();
    for (int r = 0; r < REPS; r++) {
        memcpy(work, plain, sizeof work);
        qsort(work, N, sizeof work[0], dcmp);
    }
    double ref_us = (clock_mono_ns() - t0) / 1e3 / REPS;
    double worst = 0;
    for (int c = 0; c < SCAN_COLS; c++) {
        int64_t a = clock_mono_ns();
        int n = 0;
        for (int r = 0; r < REPS; r++)
            n = scan_rows(&snap, &none, c, r & 1, rows);
        double us = (clock_mono_ns() - a) / 1e3 / REPS;
        worst = us > worst ? us : worst;
        printf("scanner sort of %d rows by %-8s %7.1f us  (qsort of %d doubles %.1f us: x%.2f)\n", n, scan_col_name[c],
               us, N, ref_us, us / ref_us);
    }
    char err[128];
    scan_filter_parse(&none, "conf>0.2 vol>100M", err, sizeof err);
    int64_t a = clock_mono_ns();
    int n = 0;
    for (int r = 0; r < REPS; r++)
        n = scan_rows(&snap, &none, SCAN_VOL, true, rows);
    double us = (clock_mono_ns() - a) / 1e3 / REPS;
    printf("scanner filter conf>0.2 vol>100M + sort: %d of %d rows in %.1f us (x%.2f the plain qsort)\n", n, N, us,
           us / ref_us);
    printf("scanner sort, slowest column: %.1f us for %d rows (%.3f ms; goal < 1 ms)\n", worst, N, worst / 1e3);
    return 0;
}
