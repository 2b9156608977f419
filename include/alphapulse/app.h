/* Modes of the program, wired from the modules below them. */
#ifndef ALPHAPULSE_APP_H
#define ALPHAPULSE_APP_H
#include "alphapulse/cli.h"
#include "alphapulse/config.h"
#include "alphapulse/ta_set.h"

int app_demo(const struct cli *cli);   /* TUI (or --headless) on the demo replay */
int app_analyze(int argc, char **argv);  /* alphapulse analyze ... */
/* Loads the configuration for a mode. Returns -1 to go on, or an exit status
 * (0 after --check-config, 2 for an invalid file or --set). */
int app_config_load(const struct cli *cli, struct config *cfg);
/* A profile's analysis section as indicator parameters. */
void app_ta_params(const struct config_analysis *a, struct ta_params *p);

#endif
