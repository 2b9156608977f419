/* A running demo session: replay feed -> engine thread -> store thread, with the
 * queues between them. The TUI and the headless runner both start one. */
#ifndef ALPHAPULSE_SESSION_H
#define ALPHAPULSE_SESSION_H
#include <stddef.h>
#include <stdio.h>
#include "alphapulse/engine_thread.h"
#include "alphapulse/feed.h"
#include "alphapulse/store.h"

struct session_options {
    const char *db;              /* database path */
    const char *manifest;        /* demo manifest */
    const char *symbols;         /* comma-separated subset, or NULL for all */
    double speed;                /* replay speed, x real time */
    struct engine_config engine; /* paper account settings; symbols come from the manifest */
    FILE *ack_stream;            /* durable orders/fills are printed here (NULL: nowhere) */
};

struct session {
    struct replay *replay;
    struct store *store;
    struct engine *engine;
    struct spsc market, commands, records;
    struct engine_thread et;
    struct replay_feed feed;
    int stage;                   /* how far start got, for stop */
};

int session_start(struct session *s, const struct session_options *o, char *err, size_t err_len);
void session_stop(struct session *s);

#endif
