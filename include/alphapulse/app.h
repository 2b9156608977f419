/* Modes of the program, wired from the modules below them. */
#ifndef ALPHAPULSE_APP_H
#define ALPHAPULSE_APP_H
#include <stddef.h>
#include "alphapulse/cli.h"

int app_demo(const struct cli *cli);   /* TUI (or --headless) on the demo replay */
int app_live(const struct cli *cli);   /* TUI on live Binance data */
int app_collect(int argc, char **argv);   /* `alphapulse collect`: headless live collection */
/* Live options shared by the TUI and collect: fills o from cli, 0 or -1 with err. */
struct live_feed_options;
int app_live_options(const struct cli *cli, struct live_feed_options *o, char *err, size_t err_len);

#endif
