/* libFuzzer target for the inbound alert parser: any bytes up to a little over
 * the body limit must give 0 or -1, never a crash, a leak or undefined
 * behaviour; an accepted alert must hold a valid symbol and side. `make fuzz`
 * builds it with clang -fsanitize=fuzzer,address,undefined and runs it. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "alphapulse/webhook.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > WEBHOOK_BODY_MAX + 64)
        return 0;
    /* an exact-size heap copy, so reading one byte too far is caught */
    char *body = malloc(size ? size : 1);
    if (!body)
        return 0;
    memcpy(body, data, size);
    struct webhook_signal s;
    char err[200];
    if (webhook_parse_body(body, size, &s, err, sizeof err) == 0) {
        size_t n = strlen(s.symbol);
        if (n < 2 || n >= SYMBOL_MAX || (s.side != 1 && s.side != -1) || s.price < 0 || s.stop < 0 || s.tp < 0)
            abort();
        if (strlen(s.message) >= sizeof s.message || strlen(s.token) >= sizeof s.token)
            abort();
    } else if (memchr(err, 0, sizeof err) == NULL) {
        abort();
    }
    free(body);
    return 0;
}
