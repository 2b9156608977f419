/* Command-line options shared by every mode. */
#ifndef ALPHAPULSE_CLI_H
#define ALPHAPULSE_CLI_H
#include <stdbool.h>

#define ALPHAPULSE_VERSION "0.1.0"

struct cli {
    bool demo, ascii, headless;
    const char *db, *config, *symbols, *theme;
    double speed;
    long run_events;       /* headless: stop after this many engine events (0: until the replay ends) */
};

#endif
