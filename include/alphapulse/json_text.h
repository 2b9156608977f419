/* Numbers as exchanges send them in JSON: decimals and millisecond times held in
 * strings ("0.0021", "1700000000000") so that no digit is lost to a binary
 * float on their side. Each function reads one jansson value and returns 0, or
 * -1 when the value is not of that shape (the whole text must be the number). */
#ifndef ALPHAPULSE_JSON_TEXT_H
#define ALPHAPULSE_JSON_TEXT_H
#include <jansson.h>
#include <stdint.h>

int json_decimal_text(json_t *v, double *out);    /* a string only */
int json_decimal(json_t *v, double *out);         /* a string or a JSON number */
int json_millis_text(json_t *v, int64_t *out);    /* a string of digits only */
int json_millis(json_t *v, int64_t *out);         /* a string of digits or a JSON integer */

#endif
