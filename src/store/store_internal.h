/* Shared by the store's files; not part of the public surface. */
#ifndef ALPHAPULSE_STORE_INTERNAL_H
#define ALPHAPULSE_STORE_INTERNAL_H
#include <pthread.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdbool.h>
#include "alphapulse/store.h"

struct store {
    char path[1024];
    int lock_fd;
    sqlite3 *db;
    sqlite3_stmt *ins_candle, *ins_fill, *up_position, *up_account, *ins_journal, *ins_signal;
    struct spsc *records;
    pthread_t thread;
    bool running;
    atomic_bool stop;
    atomic_ullong rows;
    atomic_int failing;
};

int store_prepare(struct store *st, char *err, size_t err_len);
void store_finalize(struct store *st);

#endif
