/* Number formatting speed: fmt_double (shortest exact text) against snprintf
 * "%.17g" on the same values, ns per number, best of 5, and the bytes each writes.
 * Two sets: what analyze writes (indicator outputs of a cent-quoted random walk)
 * and random finite bit patterns. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "alphapulse/fmt_double.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static uint64_t rng = 42;
static uint64_t next64(void)
{
    rng ^= rng >> 12;
    rng ^= rng << 25;
    rng ^= rng >> 27;
    return rng * 0x2545f4914f6cdd1dULL;
}

static volatile size_t sink;

static double time_ours(const double *v, size_t n, size_t *bytes)
{
    double best = 1e9;
    char buf[FMT_DOUBLE_MAX];
    for (int r = 0; r < 5; r++) {
        size_t total = 0;
        double a = now();
        for (size_t i = 0; i < n; i++)
            total += fmt_double(buf, v[i]);
        double t = now() - a;
        best = t < best ? t : best;
        sink = total;
        *bytes = total;
    }
    return best / (double)n * 1e9;
}

static double time_printf(const double *v, size_t n, size_t *bytes)
{
    double best = 1e9;
    char buf[40];
    for (int r = 0; r < 5; r++) {
        size_t total = 0;
        double a = now();
        for (size_t i = 0; i < n; i++)
            total += (size_t)snprintf(buf, sizeof buf, "%.17g", v[i]);
        double t = now() - a;
        best = t < best ? t : best;
        sink = total;
        *bytes = total;
    }
    return best / (double)n * 1e9;
}

static void run(const char *name, const double *v, size_t n)
{
    size_t bo, bp;
    double o = time_ours(v, n, &bo), p = time_printf(v, n, &bp);
    printf("format %s: fmt_double %.1f ns/number, %%.17g %.1f ns/number, ratio %.2f; %.2f vs %.2f bytes/number\n", name,
           o, p, o / p, (double)bo / (double)n, (double)bp / (double)n);
}

int main(int argc, char **argv)
{
    size_t n = argc > 1 ? (size_t)atol(argv[1]) : 1000000;
    double *v = calloc(n, sizeof *v);
    if (!v)
        return 1;
    double price = 30000, sum = 0, win[20] = { 0 };
    for (size_t i = 0; i < n; i++) {
        double r = ((double)(next64() >> 11) / 9007199254740992.0 - 0.5) * 0.01;
        price = round(price * (1 + r) * 100) / 100;
        sum += price - win[i % 20];
        win[i % 20] = price;
        v[i] = i % 4 == 0 ? price : i % 4 == 1 ? sum / 20 : i % 4 == 2 ? 100 * r : sum / 20 / price;
    }
    run("indicator values", v, n);
    for (size_t i = 0; i < n;) {
        uint64_t b = next64();
        memcpy(&v[i], &b, sizeof b);
        i += isfinite(v[i]) != 0;
    }
    run("random doubles", v, n);
    free(v);
    return 0;
}
