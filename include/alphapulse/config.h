/* Configuration file (JSON). This reads the paper-account section; the full
 * configuration with profiles and validation comes with its own issue. */
#ifndef ALPHAPULSE_CONFIG_H
#define ALPHAPULSE_CONFIG_H
#include <stddef.h>
#include "alphapulse/engine.h"

/* Reads {"paper": {"balance": N, "fee_bps": N, "order_notional": N, "currency": S}}.
 * Unknown keys, wrong types and out-of-range values are errors naming file:line:col. */
int config_load_paper(const char *path, struct engine_config *cfg, char *err, size_t err_len);

#endif
