/* Command-line options shared by every mode. */
#ifndef ALPHAPULSE_CLI_H
#define ALPHAPULSE_CLI_H
#include <stdbool.h>
#include "alphapulse/version.h"

struct cli {
    bool demo, ascii, headless, check_config;
    int n_sets;
    const char *sets[32];  /* --set key=value overrides */
    const char *db, *config, *symbols, *theme;
    const char *account;   /* --account NAME: the paper account (NULL: "default") */
    const char *webhook_listen;      /* --webhook-listen ADDR:PORT */
    const char *webhook_token_file;  /* --webhook-token-file FILE */
    const char *script;    /* headless: paper orders at event counts (see app_demo) */
    double speed;
    long run_events;       /* headless: stop after this many engine events (0: until the replay ends) */
    const char *rest_url, *ws_url;   /* live endpoints (NULL: Binance's public market-data hosts) */
    int stale_after_s, ws_max_age_s, history;   /* live timings; 0: defaults */
};

#endif
