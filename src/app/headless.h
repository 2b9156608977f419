/* Runs without a screen (--headless), on the demo replay or on live data: paper
 * orders from a script, stopped by --events N, the end of a replay, SIGTERM or
 * SIGINT. The store prints each durable order, fill and funding payment to the
 * ack stream (stdout), which the crash tests read. */
#ifndef APP_HEADLESS_H
#define APP_HEADLESS_H
#include <stdbool.h>
#include <stddef.h>

#include "alphapulse/session.h"

/* --script FILE: one order per line, `EVENTS buy|sell|close SYMBOL [QTY]`, sent
 * once the engine has stepped through EVENTS events (counted from this start);
 * # starts a comment. */
struct headless_line;
struct headless_script { struct headless_line *lines; size_t n; };

/* 0, or -1 with the file and line at fault in err (nothing to free then). */
int headless_script_load(const char *path, struct headless_script *out, char *err, size_t err_len);
/* Until events (> 0) were stepped through, the replay is over (unless serve: the
 * webhook endpoint keeps it running) or a signal to stop. */
int headless_run(struct session *s, long events, bool serve, const struct headless_script *sc);

#endif
