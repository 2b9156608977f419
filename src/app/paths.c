/* File locations. The data directory is found relative to the executable so that
 * `make run` works from a clone and an installed copy works from anywhere. */
#include "alphapulse/paths.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef AP_DATADIR
#define AP_DATADIR "/usr/local/share/alphapulse"
#endif

static int mkdirs(char *path)
{
    for (char *p = path + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = 0;
        int rc = mkdir(path, 0700);
        *p = '/';
        if (rc && errno != EEXIST)
            return -1;
    }
    return (mkdir(path, 0700) && errno != EEXIST) ? -1 : 0;
}

int paths_xdg(const char *kind, const char *name, char *out, size_t len)
{
    char var[32], dir[PATH_MAX];
    snprintf(var, sizeof var, "XDG_%s_HOME", kind);
    const char *base = getenv(var);
    const char *home = getenv("HOME");
    const char *sub = strcmp(kind, "DATA") == 0 ? ".local/share"
                    : strcmp(kind, "STATE") == 0 ? ".local/state" : ".config";
    if (base && *base)
        snprintf(dir, sizeof dir, "%s/alphapulse", base);
    else if (home && *home)
        snprintf(dir, sizeof dir, "%s/%s/alphapulse", home, sub);
    else {
        snprintf(out, len, "neither $%s nor $HOME is set", var);
        return -1;
    }
    if (mkdirs(dir)) {
        snprintf(out, len, "cannot create %s: %s", dir, strerror(errno));
        return -1;
    }
    snprintf(out, len, "%s/%s", dir, name);
    return 0;
}

int paths_demo_manifest(char *out, size_t len)
{
    const char *env = getenv("ALPHAPULSE_DATA");
    if (env && *env) {
        snprintf(out, len, "%s/demo.json", env);
        return access(out, R_OK);
    }
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = 0;
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = 0;
            const char *rel[] = { "/../data/demo.json", "/data/demo.json", "/../share/alphapulse/data/demo.json" };
            for (size_t i = 0; i < sizeof rel / sizeof rel[0]; i++) {
                snprintf(out, len, "%s%s", exe, rel[i]);
                if (access(out, R_OK) == 0)
                    return 0;
            }
        }
    }
    snprintf(out, len, "%s/data/demo.json", AP_DATADIR);
    return access(out, R_OK);
}
