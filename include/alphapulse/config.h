/* Configuration file (JSON). This reads the paper-account section; the full
 * configuration with profiles and validation comes with its own issue. */
#ifndef ALPHAPULSE_CONFIG_H
#define ALPHAPULSE_CONFIG_H
#include <stddef.h>
#include "alphapulse/engine.h"

/* Reads {"paper": {"balance": N, "fee_bps": N, "order_notional": N, "currency": S}};
 * the "alerts" and "webhook" sections are read by config_load_alerts. 
 * Unknown keys, wrong types and out-of-range values are errors naming file:line:col. */
int config_load_paper(const char *path, struct engine_config *cfg, char *err, size_t err_len);

struct alert_params;
struct webhook_params;
/* Reads the "alerts" and "webhook" sections (alert.h, webhook.h) over the values
 * already in a and w (defaults, then the file, then the environment wins). A
 * file holding a secret itself gets a warning when group or others may read it. */
int config_load_alerts(const char *path, struct alert_params *a, struct webhook_params *w, char *err, size_t err_len);

#endif
