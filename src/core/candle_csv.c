/* Candle CSV reading with strict parsing: every field must be a full number, and
 * prices must lie in (0, CANDLE_CSV_PRICE_MAX]. */
#include "alphapulse/candle_csv.h"
#include "alphapulse/fmt_double.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SECONDS_LIMIT 100000000000LL   /* below this, a time is in seconds */

int candle_csv_is_header(const char *line)
{
    return strncmp(line, "time,open,high,low,close,volume", 31) == 0;
}

/* The plain decimals exchanges write ([-]digits[.digits], at most 19 digits whose
 * integer is <= 2^53): the integer and the power of ten are exact doubles and one
 * IEEE division rounds correctly, so the value is strtod's, several times faster.
 * Returns the end, or NULL for anything else (exponents, more digits, "inf", hex),
 * which strtod then reads. */
static const char *plain_decimal(const char *p, double *out)
{
    static const double pow10[20] = { 1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9,
                                      1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19 };
    const char *s = p + (*p == '-');
    uint64_t m = 0;
    int nd = 0, frac = 0;
    for (; *s >= '0' && *s <= '9'; s++, nd++)
        m = m * 10 + (uint64_t)(*s - '0');
    if (*s == '.')
        for (s++; *s >= '0' && *s <= '9'; s++, nd++, frac++)
            m = m * 10 + (uint64_t)(*s - '0');
    if (nd == 0 || nd > 19 || m > (1ULL << 53))
        return NULL;
    if (*s != ',' && *s != '\r' && *s != '\n' && *s != ' ' && *s != 0)
        return NULL;
    double v = (double)m / pow10[frac];
    *out = *p == '-' ? -v : v;
    return s;
}

int candle_csv_parse_line(const char *line, struct candle *c, char *why, size_t why_len)
{
    double v[6];
    const char *p = line;
    for (int i = 0; i < 6; i++) {
        const char *end = plain_decimal(p, &v[i]);
        if (!end) {
            char *e;
            errno = 0;
            v[i] = strtod(p, &e);
            if (e == p || errno == ERANGE) {
                snprintf(why, why_len, "column %d is not a number", i + 1);
                return -1;
            }
            end = e;
        }
        p = end;
        if (i < 5) {
            if (*p != ',') {
                snprintf(why, why_len, "expected 6 columns, found %d", i + 1);
                return -1;
            }
            p++;
        }
    }
    while (*p == '\r' || *p == '\n' || *p == ' ')
        p++;
    if (*p) {
        snprintf(why, why_len, "%s", *p == ',' ? "more than 6 columns" : "trailing characters");
        return -1;
    }
    memset(c, 0, sizeof *c);
    int64_t t = (int64_t)v[0];
    if ((double)t != v[0] || t < 0) {
        snprintf(why, why_len, "time is not a non-negative integer");
        return -1;
    }
    c->open_time = t < SECONDS_LIMIT ? t * 1000 : t;
    c->open = v[1];
    c->high = v[2];
    c->low = v[3];
    c->close = v[4];
    c->volume = v[5];
    static const char *const price_names[4] = { "open", "high", "low", "close" };
    for (int i = 0; i < 4; i++)
        if (v[i + 1] > CANDLE_CSV_PRICE_MAX) {
            char num[FMT_DOUBLE_MAX];
            fmt_double(num, v[i + 1]);
            snprintf(why, why_len, "%s %s is above the price limit %g", price_names[i], num, CANDLE_CSV_PRICE_MAX);
            return -1;
        }
    enum candle_rule r = candle_check(c);
    if (r != CANDLE_OK) {
        snprintf(why, why_len, "%s", candle_rule_name(r));
        return -1;
    }
    return 0;
}

int candle_csv_load(const char *path, struct candle **out, size_t *n, char *err, size_t err_len)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, err_len, "%s: %s", path, strerror(errno));
        return -1;
    }
    size_t cap = 4096, len = 0, lineno = 0;
    struct candle *v = malloc(cap * sizeof *v);
    char line[512], why[128];
    int rc = 0;
    while (v && fgets(line, sizeof line, f)) {
        lineno++;
        if (lineno == 1) {
            if (!candle_csv_is_header(line)) {
                snprintf(err, err_len, "%s:1: expected header time,open,high,low,close,volume", path);
                rc = -1;
                break;
            }
            continue;
        }
        if (line[0] == '\n' || line[0] == '\r')
            continue;
        if (len == cap) {
            struct candle *nv = realloc(v, 2 * cap * sizeof *v);
            if (!nv)
                break;
            v = nv;
            cap *= 2;
        }
        if (candle_csv_parse_line(line, &v[len], why, sizeof why)) {
            snprintf(err, err_len, "%s:%zu: %s", path, lineno, why);
            rc = -1;
            break;
        }
        if (len && v[len].open_time <= v[len - 1].open_time) {
            snprintf(err, err_len, "%s:%zu: time not after the previous row", path, lineno);
            rc = -1;
            break;
        }
        len++;
    }
    fclose(f);
    if (!v) {
        snprintf(err, err_len, "%s: out of memory", path);
        return -1;
    }
    if (rc) {
        free(v);
        return -1;
    }
    *out = v;
    *n = len;
    return 0;
}
