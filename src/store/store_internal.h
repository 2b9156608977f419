/* Shared by the store's files; not part of the public surface. */
#ifndef ALPHAPULSE_STORE_INTERNAL_H
#define ALPHAPULSE_STORE_INTERNAL_H
#include <pthread.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdbool.h>
#include "alphapulse/log.h"
#include "alphapulse/store.h"

#define STORE_MAX_SERIES 256

/* What the pruner knows of one series: the newest candle written and how far
 * back it has already pruned. */
struct store_series {
    char symbol[SYMBOL_MAX];
    int tf;
    int64_t newest, pruned_to;
};

struct store {
    char path[1024];
    int lock_fd;
    sqlite3 *db;
    sqlite3_stmt *ins_candle, *ins_fill, *up_position, *up_account, *ins_journal, *up_order,
                 *fill_order, *up_signal, *ins_equity, *ins_risk_event, *ins_alert, *prune;
    sqlite3_stmt *up_risk, *del_book, *up_book_order, *up_exits;   /* the paper broker's restorable state */
    sqlite3_stmt *del_book_order;
    struct spsc *records;
    struct record *batch;          /* the store thread's batch buffer (BATCH records) */
    pthread_t thread;
    bool running;
    atomic_bool stop;
    atomic_ullong rows, pruned;
    struct record_ack ack;
    FILE *ack_stream;
    struct store_retention retention;
    int n_series;
    struct store_series series[STORE_MAX_SERIES];
};

int store_prepare(struct store *st, char *err, size_t err_len);
void store_finalize(struct store *st);
int store_schema_version(sqlite3 *db);
/* A read-only connection at the current schema version, or NULL with err. */
sqlite3 *store_reader_open(const char *path, char *err, size_t err_len);

#endif
