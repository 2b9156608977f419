/* Where files live: XDG config/data/state directories and the bundled data. */
#ifndef ALPHAPULSE_PATHS_H
#define ALPHAPULSE_PATHS_H
#include <stddef.h>

/* $XDG_<kind>_HOME/alphapulse/<name>, creating the directory; kind is "DATA",
 * "STATE" or "CONFIG". Returns 0, or -1 with the reason in out. */
int paths_xdg(const char *kind, const char *name, char *out, size_t len);
/* The bundled demo manifest: $ALPHAPULSE_DATA, then data/ beside the binary's
 * build directory, then the installed share directory. */
int paths_demo_manifest(char *out, size_t len);

#endif
