/* Storage: SQLite (a file path, the default) or PostgreSQL (a libpq connection
 * string: postgresql://..., postgres://... or "host=... dbname=..."), chosen by
 * the database argument every function here takes; the rest of the program
 * sees only this header. Both keep the same tables with the same meaning and
 * export the same bytes. One store thread owns every write (batched transactions, WAL,
 * prepared statements); readers (startup restore, export) use connections of their
 * own and never block it. A second process on the same database is refused, so
 * two writers can never interleave.
 *
 * Durability: records touching money (orders, fills with the position and balance
 * after them, risk state) are committed with synchronous=FULL; candles and the
 * journal ride on synchronous=NORMAL (a crash may lose the last few, never
 * corrupt them). After each commit the store thread publishes the highest record
 * sequence it holds durably (store_ack); the engine copies it into the snapshot,
 * and the UI shows a fill or an order as done only when it is covered. */
#ifndef ALPHAPULSE_STORE_H
#define ALPHAPULSE_STORE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "alphapulse/engine.h"
#include "alphapulse/record.h"
#include "alphapulse/spsc.h"

#define STORE_SCHEMA_VERSION 7

/* Instruments are named by one canonical string everywhere the store takes or
 * gives a symbol: bare for Binance spot ("BTCUSDT"), "VENUE:SYMBOL" for every
 * other venue ("bybit:BTCUSDT", "bybit-linear:BTCUSDT"). "binance:BTCUSDT" is
 * taken as "BTCUSDT". The instruments table is keyed by (venue, symbol); the
 * other tables name an instrument by its canonical string, so exports of Binance
 * spot data read as before the venues existed. */
#define STORE_DEFAULT_VENUE "binance"
/* The canonical form of a symbol ("binance:" dropped), into out (at most n bytes). */
void store_symbol_canonical(const char *symbol, char *out, size_t n);
/* Venue and bare symbol of a symbol in either form ("BTCUSDT": binance, BTCUSDT).
 * Returns 0, or -1 when a part is empty or too long. */
int store_symbol_split(const char *symbol, char *venue, size_t venue_len, char *bare, size_t bare_len);

struct store;

/* Is this database argument a PostgreSQL connection string (else a file path)? */
bool store_is_url(const char *db);
/* PostgreSQL: a file whose first line is the password (storage.password_file),
 * used by every later connection; PGPASSWORD and ~/.pgpass work as in libpq. A
 * connection string holding a password is refused. */
void store_set_password_file(const char *path);

/* The DDL of schema version 1, kept for migrations (tests build old databases from it). */
extern const char *const STORE_SCHEMA_V1;
/* Tests of upgrades: create a new database at an older schema version, by the
 * migrations store_open runs. Returns 0, or -1 with a message. */
int store_create_at_version(const char *path, int version, char *err, size_t err_len);

/* Opens (creating if needed) and migrates the database. On error returns NULL
 * with a message naming the file and the problem. */
struct store *store_open(const char *path, char *err, size_t err_len);
/* Load the last `per_series` closed candles of every engine series, the balance,
 * the open positions, the pending orders and the id counters into a freshly
 * created engine, then every stored signal (settled ones rebuild the hit rates,
 * open ones return to tracking and the queue); records the instruments and the
 * starting balance. */
int store_restore(struct store *st, struct engine *e, size_t per_series);
int store_start(struct store *st, struct spsc *records);   /* starts the writer thread */
void store_stop(struct store *st);                         /* drains the queue, joins */
void store_close(struct store *st);
uint64_t store_rows_written(const struct store *st);
int store_failing(const struct store *st);                 /* last write failed */
const struct record_ack *store_ack(const struct store *st);
/* After each durable commit, the store thread writes one line per order and fill
 * in it to f ("durable order ID STATUS SYMBOL" / "durable fill ID ORDER SYMBOL
 * SIDE QTY PRICE FEE REALIZED BALANCE", numbers %.17g) and flushes: what a crash
 * test may rely on. Set before store_start. */
void store_set_ack_stream(struct store *st, FILE *f);

/* Retention: candles older than keep_ms[tf] before the newest candle of their
 * series, and stored trades (storage.trades) older than keep_trades_ms before
 * the newest trade of their symbol, are pruned by the store thread, a few
 * thousand rows per transaction, between batches. 0 keeps forever. */
struct store_retention {
    int64_t keep_ms[TF_COUNT];
    int64_t keep_trades_ms;
    int step_rows;                 /* rows per pruning transaction */
};
/* 1m 30 d, 5m/15m 180 d, rest forever; trades 7 d */
void store_retention_defaults(struct store_retention *r);
void store_set_retention(struct store *st, const struct store_retention *r);  /* before store_start */
uint64_t store_rows_pruned(const struct store *st);

/* Restore helper for the signal queue. */
/* Calls fn for every signal still new or taken, oldest first. Returns the count or -1. */
int store_load_open_signals(const char *path, void (*fn)(void *ctx, const char *symbol, int tf,
                            int64_t time, const struct record_signal *s), void *ctx, char *err, size_t err_len);

/* Export (alphapulse export): a read-only connection, never the instance lock. */
enum export_what { EXPORT_CANDLES, EXPORT_SIGNALS, EXPORT_TRADES, EXPORT_EQUITY, EXPORT_JOURNAL, EXPORT_TAPE,
                   EXPORT_KINDS };
/* "candles", "signals", "trades", "equity", "journal", "tape": the word the CLI
 * and the console take for each enum export_what (trades: the paper fills; tape:
 * the venues' stored aggregated trades, storage.trades). */
extern const char *const store_export_names[EXPORT_KINDS];
struct export_options {
    int what;                      /* enum export_what */
    const char *symbol;            /* NULL: all */
    int tf;                        /* -1: all (candles, signals) */
    int64_t from, to;              /* [from, to] in ms; INT64_MIN/INT64_MAX: open */
    bool json;                     /* else CSV */
};
/* Writes the rows to out. Returns the number of rows, or -1 with err set. */
long store_export(const char *db_path, const struct export_options *o, FILE *out, char *err, size_t err_len);
/* "2024-12-01T00:00:00.000Z" */
void store_format_time(int64_t ms, char *buf, size_t len);
/* Accepts YYYY-MM-DD, YYYY-MM-DDTHH:MM[:SS[.mmm]][Z] (UTC) or integer ms. */
int store_parse_time(const char *s, int64_t *ms);
/* For the backtest: read candles [from, to) of symbol x tf from a database,
 * read-only and without the instance lock, so a running console is no obstacle.
 * *out is malloc'd. Returns 0, or -1 with err naming the file and the problem. */
int store_read_candles(const char *path, const char *symbol, int tf, int64_t from, int64_t to,
                       struct candle **out, size_t *n, char *err, size_t err_len);

#endif
