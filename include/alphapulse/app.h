/* Modes of the program, wired from the modules below them. */
#ifndef ALPHAPULSE_APP_H
#define ALPHAPULSE_APP_H
#include "alphapulse/cli.h"

int app_demo(const struct cli *cli);   /* TUI (or --headless) on the demo replay */
int app_export(int argc, char **argv); /* `alphapulse export ...`: stored rows to CSV/JSON */

#endif
