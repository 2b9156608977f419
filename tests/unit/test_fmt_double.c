/* fmt_double against glibc: every value reads back through strtod to the same bits,
 * and no shorter decimal does (glibc's correctly rounded %.*e is the reference for
 * "the nearest decimal of n digits"). Usage: test_fmt_double [N], N values per
 * random family (default about 1.2M values in all; bench/run.sh runs >= 10M). */
#include <float.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#include "harness.h"
#include "alphapulse/fmt_double.h"

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint64_t next64(void)          /* xorshift64*: reproducible, no libc state */
{
    rng ^= rng >> 12;
    rng ^= rng << 25;
    rng ^= rng >> 27;
    return rng * 0x2545f4914f6cdd1dULL;
}

static double from_bits(uint64_t b)
{
    double v;
    memcpy(&v, &b, sizeof v);
    return v;
}

static uint64_t bits_of(double v)
{
    uint64_t b;
    memcpy(&b, &v, sizeof b);
    return b;
}

struct tally { long values, not_exact, longer, not_nearest, shorter_than_printf, checked_fully; };

/* glibc's n-digit rendering of v: its digits (no point) and the exponent of the first */
static void printf_digits(double v, int n, char *digits, int *x)
{
    char b[64];
    snprintf(b, sizeof b, "%.*e", n - 1, fabs(v));
    char *d = digits;
    const char *p = b;
    for (; *p != 'e'; p++)
        if (*p != '.')
            *d++ = *p;
    *d = 0;
    *x = atoi(p + 1);
}

static bool printf_round_trips(double v, int n)
{
    char b[64];
    snprintf(b, sizeof b, "%.*e", n - 1, v);
    return bits_of(strtod(b, NULL)) == bits_of(v);
}

/* The fewest digits of %.1e..%.17e that read back to v (the brute-force reference). */
static int printf_shortest(double v)
{
    for (int n = 1; n < 17; n++)
        if (printf_round_trips(v, n))
            return n;
    return 17;
}

static bool power_of_two(double v)
{
    uint64_t b = bits_of(v);
    return (b & ((1ULL << 52) - 1)) == 0 && (b >> 52 & 0x7ff) > 1;
}

/* One value: exact round trip; then shortness. When v's rounding interval is
 * symmetric (all but powers of two), "the n-digit rendering round-trips and the
 * (n-1)-digit one does not" proves no shorter decimal exists, because the nearest
 * decimal of each length is the best candidate of that length; powers of two, and
 * every value when full is set, are compared with the whole %.1e..%.17e scan. */
static void check_value(double v, struct tally *t, bool full)
{
    char s[FMT_DOUBLE_MAX];
    size_t len = fmt_double(s, v);
    t->values++;
    char *end;
    double back = strtod(s, &end);
    if (bits_of(back) != bits_of(v) || *end || len != strlen(s)) {
        if (t->not_exact++ < 5)
            printf("#   %.17g written as '%s' reads back as %.17g\n", v, s, back);
        return;
    }
    if (v == 0)
        return;
    uint64_t f;
    int k, n = fmt_double_decimal(v, &f, &k);
    char mine[24], ref[24];
    snprintf(mine, sizeof mine, "%llu", (unsigned long long)f);
    if (full || power_of_two(v)) {
        t->checked_fully++;
        int m = printf_shortest(v);
        if (n > m) {
            if (t->longer++ < 5)
                printf("#   %.17g: '%s' has %d digits, %%.%de round-trips\n", v, s, n, m - 1);
            return;
        }
        t->shorter_than_printf += n < m;
        if (n < m)
            return;                                    /* a nearer-but-outside printf: ours is shorter */
    } else if (n > 1 && printf_round_trips(v, n - 1)) {
        if (t->longer++ < 5)
            printf("#   %.17g: '%s' has %d digits, %%.%de round-trips\n", v, s, n, n - 2);
        return;
    }
    int x;
    printf_digits(v, n, ref, &x);
    if (strcmp(mine, ref) != 0 || x != k + n - 1) {
        if (t->not_nearest++ < 5)
            printf("#   %.17g: '%s' is not the nearest %d-digit decimal %se%d\n", v, s, n, ref, x);
    }
}

static void report(const char *what, const struct tally *t)
{
    printf("# %s: %ld values (%ld against the full scan), %ld not exact, %ld longer than needed, %ld not nearest,"
           " %ld shorter than any %%.Ne\n",
           what, t->values, t->checked_fully, t->not_exact, t->longer, t->not_nearest, t->shorter_than_printf);
    CHECK(t->values > 0);
    CHECK(t->not_exact == 0);
    CHECK(t->longer == 0);
    CHECK(t->not_nearest == 0);
}

static long per_family = 200000;

static void layout_matches_printf_g(void)
{
    static const struct { double v; const char *want; } cases[] = {
        { 0.0, "0" }, { -0.0, "-0" }, { 1, "1" }, { -1.5, "-1.5" }, { 0.1, "0.1" }, { 0.3, "0.3" },
        { 2.0 / 3, "0.6666666666666666" }, { 100, "100" }, { 123.456, "123.456" }, { 30000.01, "30000.01" },
        { 1e-4, "0.0001" }, { 1.5e-5, "1.5e-05" }, { 1e-5, "1e-05" }, { 1e16, "10000000000000000" },
        { 1e17, "1e+17" }, { 1.2345678901234567e16, "12345678901234568" }, { 1e23, "1e+23" },
        { 5e-324, "5e-324" }, { 2.2250738585072014e-308, "2.2250738585072014e-308" },
        { DBL_MAX, "1.7976931348623157e+308" }, { -DBL_MAX, "-1.7976931348623157e+308" },
        { 9007199254740993.0, "9007199254740992" }, { 1e100, "1e+100" }, { 0.000123, "0.000123" },
        { 97123.45, "97123.45" }, { INFINITY, "inf" }, { -INFINITY, "-inf" }, { NAN, "nan" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char s[FMT_DOUBLE_MAX];
        fmt_double(s, cases[i].v);
        CHECK_MSG(strcmp(s, cases[i].want) == 0, "%.17g: got '%s', want '%s'", cases[i].v, s, cases[i].want);
    }
    /* the layout is %.17g's: same text whenever the shortest digits are 17 */
    size_t same = 0, tried = 0;
    for (int i = 0; i < 20000; i++) {
        double v = from_bits(next64());
        if (!isfinite(v))
            continue;
        char a[FMT_DOUBLE_MAX], b[40];
        uint64_t f;
        int k;
        fmt_double(a, v);
        if (fmt_double_decimal(v, &f, &k) != 17)
            continue;
        snprintf(b, sizeof b, "%.17g", v);
        tried++;
        same += strcmp(a, b) == 0;
    }
    printf("# %zu of %zu 17-digit values written exactly as %%.17g writes them\n", same, tried);
    CHECK(tried > 1000 && same == tried);
}

/* Zeros, extremes, every power of ten, every power of two (the asymmetric
 * intervals), and the neighbours of each. */
static void special_values(void)
{
    struct tally t = { 0 };
    const double fixed[] = { 0.0, -0.0, DBL_MIN, -DBL_MIN, DBL_MAX, -DBL_MAX, DBL_TRUE_MIN, -DBL_TRUE_MIN,
                             DBL_EPSILON, 1.0, -1.0, 0.5, 9007199254740992.0, 9007199254740993.0,
                             from_bits(0x000fffffffffffffULL), from_bits(0x0010000000000001ULL) };
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
        check_value(fixed[i], &t, true);
    for (int e = -323; e <= 308; e++) {
        char b[16];
        snprintf(b, sizeof b, "1e%d", e);
        double p = strtod(b, NULL);
        check_value(p, &t, true);
        check_value(-p, &t, true);
        check_value(nextafter(p, 0), &t, true);
        check_value(nextafter(p, INFINITY), &t, true);
    }
    for (int e = -1074; e <= 1023; e++) {
        double p = ldexp(1.0, e);
        check_value(p, &t, true);
        check_value(nextafter(p, 0), &t, true);
        check_value(nextafter(p, INFINITY), &t, true);
    }
    report("special values", &t);
}

/* Every binary exponent with significands at both ends and in between, which
 * also exercises every power-of-ten scale the formatter uses. */
static void every_exponent(void)
{
    struct tally t = { 0 };
    for (uint64_t be = 0; be < 2047; be++) {
        for (int i = 0; i < 40; i++) {
            uint64_t frac = i == 0 ? 0 : i == 1 ? (1ULL << 52) - 1 : i == 2 ? 1 : next64() >> 12;
            check_value(from_bits(be << 52 | frac), &t, i < 8);
        }
    }
    report("every exponent", &t);
}

static void random_bit_patterns(void)
{
    struct tally t = { 0 };
    for (long i = 0; i < per_family;) {
        double v = from_bits(next64());
        if (!isfinite(v))
            continue;
        check_value(v, &t, i < 20000);
        i++;
    }
    report("random bit patterns", &t);
}

static void subnormals(void)
{
    struct tally t = { 0 };
    for (long i = 0; i < per_family / 4; i++) {
        uint64_t frac = next64() >> (12 + next64() % 52);        /* every magnitude of subnormal */
        check_value(from_bits(frac), &t, i < 5000);
        check_value(-from_bits(frac), &t, false);
    }
    for (uint64_t frac = 1; frac < 20000; frac++)
        check_value(from_bits(frac), &t, frac < 2000);
    report("subnormals", &t);
}

/* What analyze writes: quoted prices (cents, satoshis), and indicator outputs
 * of a random walk (averages, ratios: full 17-digit noise). */
static void prices_and_indicators(void)
{
    struct tally t = { 0 };
    FILE *f = fopen("tests/data/golden/real_btc_5k.csv", "r");
    CHECK(f != NULL);
    char line[256];
    long rows = 0;
    while (f && fgets(line, sizeof line, f)) {
        char *p = strchr(line, ',');
        while (p) {
            double v = strtod(p + 1, &p);
            check_value(v, &t, rows < 500);
            p = strchr(p, ',');
        }
        rows++;
    }
    if (f)
        fclose(f);
    double price = 30000, sum = 0, win[20] = { 0 };
    for (long i = 0; i < per_family; i++) {
        double r = ((double)(next64() >> 11) / 9007199254740992.0 - 0.5) * 0.01;
        price = round(price * (1 + r) * 100) / 100;
        check_value(price, &t, false);
        check_value(round(price * 1e8) / 1e8 / 7, &t, false);
        sum += price - win[i % 20];
        win[i % 20] = price;
        check_value(sum / 20, &t, i < 5000);
        check_value((double)(next64() % 100000000) / 1e8, &t, false);   /* quantities with 8 decimals */
    }
    report("prices and indicators", &t);
}

int main(int argc, char **argv)
{
    if (argc > 1)
        per_family = atol(argv[1]);
    RUN(layout_matches_printf_g);
    RUN(special_values);
    RUN(every_exponent);
    RUN(random_bit_patterns);
    RUN(subnormals);
    RUN(prices_and_indicators);
    HARNESS_EXIT();
}
