/* What the loader (config.c) and the value types (config_types.c) share: the
 * state of one load, and helpers both use. */
#ifndef ALPHAPULSE_CONFIG_INTERNAL_H
#define ALPHAPULSE_CONFIG_INTERNAL_H
#include "alphapulse/config.h"
#include "alphapulse/json_pos.h"

struct config_load {
    struct config *c;
    const char *file;
    struct json_pos_map pos;
    struct config_errors *errs;
};

/* A symbol as the exchange writes it: 1 to 15 capitals and digits. */
bool config_valid_symbol(const char *s);
bool config_in_range(const struct config_field *f, double v);

#endif
