/* Modes of the program, wired from the modules below them. */
#ifndef ALPHAPULSE_APP_H
#define ALPHAPULSE_APP_H
#include "alphapulse/cli.h"

int app_demo(const struct cli *cli);   /* TUI (or --headless) on the demo replay */
int app_analyze(int argc, char **argv);  /* alphapulse analyze ... */
int app_backtest(int argc, char **argv); /* alphapulse backtest ... (issue 7) */

#endif
