/* The terminal console (ncursesw). It reads engine snapshots and sends commands;
 * it never touches the broker, the database or the network. */
#ifndef ALPHAPULSE_UI_H
#define ALPHAPULSE_UI_H
#include <stdbool.h>
#include "alphapulse/engine_thread.h"

struct ui_options {
    bool ascii;          /* force the ASCII chart (also automatic outside UTF-8) */
};

/* Runs until the user quits or a terminating signal arrives; restores the
 * terminal on every path. Returns 0, or 1 if the terminal could not be set up. */
int ui_run(struct engine_thread *et, const struct ui_options *o);

#endif
