/* A private PostgreSQL server for a C test (tests/pg/pg_server.sh): started
 * once, stopped and removed at exit. No server, no skip: pg_server_start
 * returns NULL and the reason, and the test fails with it. */
#ifndef PG_SERVER_H
#define PG_SERVER_H
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char pg_server_dir[128], pg_server_url[512];

static inline void pg_server_stop(void)
{
    if (!pg_server_dir[0])
        return;
    char cmd[300];
    snprintf(cmd, sizeof cmd, "sh tests/pg/pg_server.sh stop %s", pg_server_dir);
    if (system(cmd) != 0)
        printf("# could not stop the PostgreSQL server in %s\n", pg_server_dir);
    pg_server_dir[0] = 0;
}

/* The server's URL, or NULL with why (the script's own words). */
static inline const char *pg_server_start(char *why, size_t n)
{
    snprintf(pg_server_dir, sizeof pg_server_dir, "/tmp/ap-pg-XXXXXX");
    if (!mkdtemp(pg_server_dir)) {
        snprintf(why, n, "mkdtemp failed");
        pg_server_dir[0] = 0;
        return NULL;
    }
    atexit(pg_server_stop);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "sh tests/pg/pg_server.sh start %s 2>&1", pg_server_dir);
    FILE *p = popen(cmd, "r");
    char line[512], last[512] = "";
    size_t used = 0;
    why[0] = 0;
    while (p && fgets(line, sizeof line, p)) {
        snprintf(last, sizeof last, "%s", line);
        used += (size_t)snprintf(why + used, used < n ? n - used : 0, "%s", line);
        if (used >= n)
            used = n - 1;
    }
    int rc = p ? pclose(p) : -1;
    last[strcspn(last, "\n")] = 0;
    if (rc != 0 || strncmp(last, "postgresql://", 13) != 0) {
        if (!why[0])
            snprintf(why, n, "tests/pg/pg_server.sh failed (status %d)", rc);
        return NULL;
    }
    snprintf(pg_server_url, sizeof pg_server_url, "%s", last);
    return pg_server_url;
}

/* pg_ctl restart of the running server: 0 when it is back. */
static inline int pg_server_restart(void)
{
    char cmd[300];
    snprintf(cmd, sizeof cmd, "sh tests/pg/pg_server.sh restart %s", pg_server_dir);
    return system(cmd) == 0 ? 0 : -1;
}

#endif
