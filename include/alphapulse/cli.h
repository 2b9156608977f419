/* Command-line options shared by every mode. */
#ifndef ALPHAPULSE_CLI_H
#define ALPHAPULSE_CLI_H
#include <stdbool.h>

#define ALPHAPULSE_VERSION "0.1.0"

struct cli {
    bool demo, ascii, headless;
    const char *db, *config, *symbols;
    const char *webhook_listen;      /* --webhook-listen ADDR:PORT */
    const char *webhook_token_file;  /* --webhook-token-file FILE */
    double speed;
    long run_events;       /* headless: stop after this many engine events (0: until the replay ends) */
};

#endif
