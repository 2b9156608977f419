/* Doubles as the shortest decimal text that strtod reads back to the same bits:
 * exact like "%.17g" but with no noise digits, and several times faster. */
#ifndef ALPHAPULSE_FMT_DOUBLE_H
#define ALPHAPULSE_FMT_DOUBLE_H
#include <stddef.h>
#include <stdint.h>

/* Longest text with its NUL: "-2.2250738585072014e-308" is 24 characters. */
#define FMT_DOUBLE_MAX 32

/* Writes v into buf (FMT_DOUBLE_MAX bytes) and returns the length without the NUL.
 * Layout is printf's %g with precision 17 (fixed for exponents -4..16, else
 * d.ddde+XX); only the digits differ: the fewest that read back exactly, and of
 * those the nearest to v. -0 keeps its sign; non-finite values give "nan", "inf",
 * "-inf", which callers writing JSON or CSV must not pass. */
size_t fmt_double(char *buf, double v);

/* The same decimal as digits and a power of ten: v = ±digits x 10^exp10, digits
 * without trailing zeros (0 for zero). Finite v only. Returns the digit count. */
int fmt_double_decimal(double v, uint64_t *digits, int *exp10);

#endif
