/* A test's scratch directory and the paths in it, for the store tests.
 * scratch_make("/tmp/ap-store-XXXXXX") makes it (0, or -1); scratch_path(name)
 * returns one of four rotating buffers, so a call may take two paths at once;
 * scratch_remove() deletes it. */
#ifndef AP_TEST_SCRATCH_DIR_H
#define AP_TEST_SCRATCH_DIR_H
#include <stdio.h>
#include <stdlib.h>

static char scratch_dir[64];

static inline int scratch_make(const char *pattern)
{
    snprintf(scratch_dir, sizeof scratch_dir, "%s", pattern);
    return mkdtemp(scratch_dir) ? 0 : -1;
}

static inline const char *scratch_path(const char *name)
{
    static char buf[4][256];
    static int k;
    k = (k + 1) % 4;
    snprintf(buf[k], sizeof buf[k], "%s/%s", scratch_dir, name);
    return buf[k];
}

/* Removes the directory and everything in it; says so when it cannot. */
static inline void scratch_remove(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", scratch_dir);
    if (system(cmd) != 0)
        printf("# could not remove %s\n", scratch_dir);
}

#endif
