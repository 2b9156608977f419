/* Shortest round-trip text for doubles, by Giulietti's "Schubfach" method: scale the
 * interval of reals that round to v by a power of ten chosen so that it holds at
 * most one multiple of ten and at least one integer; take the multiple of ten if it
 * is there (shortest), else the integer nearest v. The powers of ten are 126-bit
 * approximations computed once with exact big-integer arithmetic, so no table of
 * magic numbers lives in the source. */
#include "alphapulse/fmt_double.h"

#include <pthread.h>
#include <string.h>

__extension__ typedef unsigned __int128 u128;

#define MASK63 0x7fffffffffffffffULL
#define C_MIN (1ULL << 52)            /* significand of a power of two (normal numbers) */
enum { Q_MIN = -1074 };               /* exponent of the subnormals */

/* 10^e for e in [E_MIN, E_MAX] as g = floor(10^e / 2^r) + 1 with 2^125 <= g - 1 < 2^126,
 * r = flog2pow10(e) - 125. Rounding up keeps every scaled value on the right side
 * of the integers it is compared with (the method's proof needs exactly this). */
enum { E_MIN = -292, E_MAX = 324, P_BITS = 900, LIMBS = 40 };
static u128 pow10_g[E_MAX - E_MIN + 1];
static pthread_once_t pow10_once = PTHREAD_ONCE_INIT;

/* floor(q log10 2), floor(q log10 2 + log10 3/4), floor(e log2 10): fixed-point
 * logarithms exact over the exponents a double can have (checked by the unit test). */
static int flog10pow2(int q) { return (int)((q * 661971961083LL) >> 41); }
static int flog10_three_quarters_pow2(int q) { return (int)((q * 661971961083LL - 274743187321LL) >> 41); }
static int flog2pow10(int e) { return (int)((e * 913124641741LL) >> 38); }

struct big { uint32_t w[LIMBS]; int n; };   /* little-endian limbs, n in use */

static void big_mul_small(struct big *b, uint32_t m)
{
    uint64_t carry = 0;
    for (int i = 0; i < b->n; i++) {
        uint64_t x = (uint64_t)b->w[i] * m + carry;
        b->w[i] = (uint32_t)x;
        carry = x >> 32;
    }
    if (carry)
        b->w[b->n++] = (uint32_t)carry;
}

static void big_div_small(struct big *b, uint32_t d)
{
    uint64_t rem = 0;
    for (int i = b->n - 1; i >= 0; i--) {
        uint64_t x = rem << 32 | b->w[i];
        b->w[i] = (uint32_t)(x / d);
        rem = x % d;
    }
    while (b->n > 0 && b->w[b->n - 1] == 0)
        b->n--;
}

/* floor(b / 2^sh); the caller knows the result fits in 128 bits */
static u128 big_shr(const struct big *b, int sh)
{
    int top = b->n ? 32 * b->n - __builtin_clz(b->w[b->n - 1]) : 0;
    u128 r = 0;
    for (int i = top - 1; i >= sh; i--)
        r = r << 1 | (b->w[i / 32] >> (i % 32) & 1);
    return r;
}

static void pow10_init(void)
{
    struct big b = { { 1 }, 1 };                  /* 5^e */
    for (int e = 0; e <= E_MAX; e++) {
        int sh = flog2pow10(e) - 125 - e;          /* 10^e / 2^r = 5^e / 2^sh */
        pow10_g[e - E_MIN] = (sh >= 0 ? big_shr(&b, sh) : big_shr(&b, 0) << -sh) + 1;
        big_mul_small(&b, 5);
    }
    struct big x = { { 0 }, P_BITS / 32 + 1 };    /* floor(2^P_BITS / 5^m), exact by repeated division */
    x.w[P_BITS / 32] = 1u << P_BITS % 32;
    for (int m = 1; m <= -E_MIN; m++) {
        big_div_small(&x, 5);
        int sh = P_BITS - (-m - (flog2pow10(-m) - 125));   /* 10^-m / 2^r = 2^(P_BITS - sh) / 5^m */
        pow10_g[-m - E_MIN] = big_shr(&x, sh) + 1;
    }
}

/* g * cp / 2^127 rounded to odd: the integer part, with the low bit set when a
 * fraction was dropped, so comparisons with even integers stay exact. */
static inline uint64_t round_odd(u128 g, uint64_t cp)
{
    uint64_t g1 = (uint64_t)(g >> 63), g0 = (uint64_t)g & MASK63;
    uint64_t x1 = (uint64_t)(((u128)g0 * cp) >> 64);
    u128 y = (u128)g1 * cp;
    uint64_t z = ((uint64_t)y >> 1) + x1;
    uint64_t vbp = (uint64_t)(y >> 64) + (z >> 63);
    return vbp | ((z & MASK63) + MASK63) >> 63;
}

/* v = c 2^q, c > 0: the shortest decimal f 10^k in v's rounding interval, nearest v. */
static void shortest(uint64_t c, int q, uint64_t *f, int *k_out)
{
    uint64_t out = c & 1;                         /* odd c: the interval's ends round away from v */
    uint64_t cb = c << 2, cbr = cb + 2, cbl;
    int k;
    if (c != C_MIN || q == Q_MIN) {
        cbl = cb - 2;
        k = flog10pow2(q);
    } else {                                      /* a power of two: the gap below is half the one above */
        cbl = cb - 1;
        k = flog10_three_quarters_pow2(q);
    }
    int h = q + flog2pow10(-k) + 2;
    u128 g = pow10_g[-k - E_MIN];
    /* the interval and v scaled by 10^-k, in quarters: its width is 1..10 units */
    uint64_t vb = round_odd(g, cb << h), vbl = round_odd(g, cbl << h), vbr = round_odd(g, cbr << h);
    uint64_t s = vb >> 2;
    uint64_t sp = s / 10 * 10;                    /* the multiples of ten around v */
    int upin = vbl + out <= sp << 2, wpin = ((sp + 10) << 2) + out <= vbr;
    if (upin != wpin) {
        *f = upin ? sp : sp + 10;
        *k_out = k;
        return;
    }
    uint64_t t = s + 1;                           /* else the integers around v */
    int uin = vbl + out <= s << 2, win = (t << 2) + out <= vbr;
    if (uin != win)
        *f = uin ? s : t;
    else {
        int64_t cmp = (int64_t)(vb - ((s + t) << 1));
        *f = cmp < 0 || (cmp == 0 && (s & 1) == 0) ? s : t;
    }
    *k_out = k;
}

static int count_digits(uint64_t f)            /* f > 0 */
{
    static const uint64_t pow10[20] = {
        1ULL, 10ULL, 100ULL, 1000ULL, 10000ULL, 100000ULL, 1000000ULL, 10000000ULL, 100000000ULL,
        1000000000ULL, 10000000000ULL, 100000000000ULL, 1000000000000ULL, 10000000000000ULL,
        100000000000000ULL, 1000000000000000ULL, 10000000000000000ULL, 100000000000000000ULL,
        1000000000000000000ULL, 10000000000000000000ULL,
    };
    int n = (64 - __builtin_clzll(f)) * 1233 >> 12;   /* floor(log10 2^bits), one short at most */
    return n + (f >= pow10[n]);
}

int fmt_double_decimal(double v, uint64_t *digits, int *exp10)
{
    uint64_t bits;
    memcpy(&bits, &v, sizeof bits);
    uint64_t frac = bits & (C_MIN - 1);
    int be = (int)(bits >> 52 & 0x7ff);
    if (be == 0 && frac == 0) {
        *digits = 0;
        *exp10 = 0;
        return 1;
    }
    uint64_t c = be ? frac | C_MIN : frac;
    int q = be ? be - 1075 : Q_MIN;
    uint64_t f;
    int k;
    if (q <= 0 && q >= -52 && (c & ((1ULL << -q) - 1)) == 0) {
        f = c >> -q;                              /* an integer below 2^53 is its own shortest form */
        k = 0;
    } else {
        pthread_once(&pow10_once, pow10_init);
        shortest(c, q, &f, &k);
    }
    while (f % 10 == 0) {
        f /= 10;
        k++;
    }
    *digits = f;
    *exp10 = k;
    return count_digits(f);
}

static const char pairs[201] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

/* the n digits of x < 10^9, right-aligned to end, in 32-bit arithmetic */
static void put_digits32(char *end, uint32_t x, int n)
{
    while (n >= 2) {
        end -= 2;
        memcpy(end, pairs + 2 * (x % 100), 2);
        x /= 100;
        n -= 2;
    }
    if (n)
        *--end = (char)('0' + x);
}

/* the n digits of f, right-aligned to end: 8-digit blocks split off first so the
 * per-digit work is in 32 bits, and the blocks' chains run side by side */
static void put_digits(char *end, uint64_t f, int n)
{
    while (n > 8) {
        put_digits32(end, (uint32_t)(f % 100000000), 8);
        f /= 100000000;
        end -= 8;
        n -= 8;
    }
    put_digits32(end, (uint32_t)f, n);
}

size_t fmt_double(char *buf, double v)
{
    uint64_t bits;
    memcpy(&bits, &v, sizeof bits);
    if ((bits >> 52 & 0x7ff) == 0x7ff) {
        const char *s = bits & (C_MIN - 1) ? "nan" : bits >> 63 ? "-inf" : "inf";
        size_t n = strlen(s);
        memcpy(buf, s, n + 1);
        return n;
    }
    char *p = buf;
    if (bits >> 63)
        *p++ = '-';
    uint64_t f;
    int k, n = fmt_double_decimal(v, &f, &k);
    int x = k + n - 1;                            /* exponent of the leading digit */
    char d[24];
    put_digits(d + n, f, n);
    if (x < -4 || x >= 17) {
        *p++ = d[0];
        if (n > 1) {
            *p++ = '.';
            memcpy(p, d + 1, (size_t)n - 1);
            p += n - 1;
        }
        *p++ = 'e';
        *p++ = x < 0 ? '-' : '+';
        int ax = x < 0 ? -x : x;
        if (ax >= 100)
            *p++ = (char)('0' + ax / 100);
        memcpy(p, pairs + 2 * (ax % 100), 2);
        p += 2;
    } else if (x < 0) {
        memcpy(p, "0.0000", (size_t)(1 - x));   /* "0." and -x - 1 zeros */
        p += 1 - x;
        memcpy(p, d, (size_t)n);
        p += n;
    } else if (n <= x + 1) {
        memcpy(p, d, (size_t)n);
        p += n;
        memset(p, '0', (size_t)(x + 1 - n));
        p += x + 1 - n;
    } else {
        memcpy(p, d, (size_t)x + 1);
        p += x + 1;
        *p++ = '.';
        memcpy(p, d + x + 1, (size_t)(n - x - 1));
        p += n - x - 1;
    }
    *p = 0;
    return (size_t)(p - buf);
}
