/* Decimals and times held in JSON strings, read exactly and strictly: the
 * shared reader of the Binance and Bybit REST and WebSocket parsers. */
#include "alphapulse/json_text.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>

int json_decimal_text(json_t *v, double *out)
{
    if (!json_is_string(v))
        return -1;
    const char *s = json_string_value(v);
    if (!*s || isspace((unsigned char)*s))
        return -1;
    char *end;
    errno = 0;
    *out = strtod(s, &end);
    return (*end || errno == ERANGE) ? -1 : 0;
}

int json_decimal(json_t *v, double *out)
{
    if (json_is_integer(v) || json_is_real(v)) {
        *out = json_number_value(v);
        return 0;
    }
    return json_decimal_text(v, out);
}

int json_millis_text(json_t *v, int64_t *out)
{
    if (!json_is_string(v))
        return -1;
    const char *s = json_string_value(v);
    if (!isdigit((unsigned char)*s))
        return -1;
    char *end;
    errno = 0;
    long long x = strtoll(s, &end, 10);
    if (*end || errno == ERANGE)
        return -1;
    *out = x;
    return 0;
}

int json_millis(json_t *v, int64_t *out)
{
    if (json_is_integer(v)) {
        *out = json_integer_value(v);
        return 0;
    }
    return json_millis_text(v, out);
}
