/* Configuration file (JSON). This reads the paper-account section; the full
 * configuration with profiles and validation comes with its own issue. */
#ifndef ALPHAPULSE_CONFIG_H
#define ALPHAPULSE_CONFIG_H
#include <stddef.h>
#include "alphapulse/engine.h"

/* Reads {"paper": {"balance": N, "fee_bps": N, "order_notional": N, "currency": S}}.
 * Unknown keys, wrong types and out-of-range values are errors naming file:line:col. */
int config_load_paper(const char *path, struct engine_config *cfg, char *err, size_t err_len);
/* Issue 7: also reads paper.maker_bps/slip_bps/slip_range and the "risk" section
 * (limits and blackout windows). UTC time "2024-12-18", "2024-12-18T19:00[:SS][Z]"
 * to ms; 0 or -1. */
int config_parse_time(const char *s, int64_t *out);

#endif
