/* SQLite storage. One store thread owns every write (batched transactions, WAL);
 * startup reads happen before it starts. A second process on the same database is
 * refused, so two writers can never interleave. */
#ifndef ALPHAPULSE_STORE_H
#define ALPHAPULSE_STORE_H
#include <stddef.h>
#include <stdint.h>
#include "alphapulse/engine.h"
#include "alphapulse/spsc.h"

#define STORE_SCHEMA_VERSION 1

struct store;

/* Opens (creating if needed) and migrates the database. On error returns NULL
 * with a message naming the file and the problem. */
struct store *store_open(const char *path, char *err, size_t err_len);
/* Load the last `per_series` closed candles of every engine series, the balance,
 * the open positions and the id counters into a freshly created engine. */
int store_restore(struct store *st, struct engine *e, size_t per_series);
int store_start(struct store *st, struct spsc *records);   /* starts the writer thread */
void store_stop(struct store *st);                         /* drains the queue, joins */
void store_close(struct store *st);
uint64_t store_rows_written(const struct store *st);
int store_failing(const struct store *st);                 /* last write failed */
/* Issue 7 (backtest): read candles [from, to) of symbol x tf from a database,
 * read-only and without the instance lock, so a running console is no obstacle.
 * *out is malloc'd. Returns 0, or -1 with err naming the file and the problem. */
int store_read_candles(const char *path, const char *symbol, int tf, int64_t from, int64_t to,
                       struct candle **out, size_t *n, char *err, size_t err_len);

#endif
