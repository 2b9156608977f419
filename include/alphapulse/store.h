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

#define STORE_SCHEMA_VERSION 10

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
/* Paper accounts: orders, fills, positions, the balance, the risk state, the
 * paper book, equity, funding, signals and journal entries belong to one
 * account, named when the store is opened; accounts trade side by side on one
 * database and the same candles. One process at a time writes an account: on
 * SQLite it holds flock() on "<db>.lock" (account "default") or
 * "<db>.NAME.lock", on PostgreSQL the advisory lock pg_try_advisory_lock(K), K
 * the 64-bit FNV-1a hash of "account:NAME" as a signed bigint; a second one is
 * refused with the holder's host and pid. Collectors on PostgreSQL take it
 * shared: any number of them run together (dividing the instruments with
 * store_claims), and a console on their account is refused while they run.
 * Order and fill ids of account number k (the accounts table; "default" is 0)
 * start at k * STORE_ACCOUNT_IDS, so the id keys stay unique. */
#define STORE_DEFAULT_ACCOUNT "default"
/* `collect` records under an account of its own unless told otherwise, so the
 * console a user opens beside it (on the default account) is not refused. */
#define STORE_COLLECTOR_ACCOUNT "collector"
#define STORE_ACCOUNT_MAX 32
#define STORE_ACCOUNT_IDS 1000000000LL
/* 1 to 32 of a-z, 0-9, '_' and '-', starting with a letter or a digit: 0, or -1 with err. */
int store_account_check(const char *name, char *err, size_t err_len);
struct store_open_options {
    const char *account;           /* NULL: STORE_DEFAULT_ACCOUNT */
    bool collector;                /* `collect`: on PostgreSQL the account lock is taken shared */
};
struct store *store_open_as(const char *path, const struct store_open_options *o, char *err, size_t err_len);

/* Collector failover (PostgreSQL): each instrument is written by the one
 * collector holding its claim, a session-level advisory lock on a connection
 * of its own, pg_try_advisory_lock(K) with K the 64-bit FNV-1a hash of
 * "venue:SYMBOL" (binance spot spelled "binance:BTCUSDT") as a signed bigint
 * (store_claim_key). The server frees a claim when its holder's session ends:
 * the process exits or is killed, or its machine stops answering TCP
 * keepalives, which this connection asks the server to send so that a dead
 * holder is noticed within failover_s. A hung holder (SIGSTOP, a deadlock)
 * keeps its session: a live one asks something on its claims connection every
 * second from a thread of its own, so a claim whose session has sat idle for
 * failover_s is a hung holder's, and store_claim_end_hung ends it. */
struct store_claims;
struct store_claims *store_claims_open(const char *db, int failover_s, char *err, size_t err_len);
void store_claims_close(struct store_claims *c);
int64_t store_claim_key(const char *symbol);
/* Consoles reading a collector's candles: which of the symbols a collector
 * writes now, held[i]; 0, or -1 with err. stale_s > 0: a collector not seen
 * alive for that long (hung) does not count. PostgreSQL: their claim is held
 * by a session that has not sat idle for stale_s; a
 * collector's store thread sends NOTIFY alphapulse_candles after each commit
 * holding candles, which a store_watch LISTENs for. SQLite: a collector notes
 * its symbols in its lock file (store_note_collecting), renews there a stamp
 * every second (store_note_alive), and a watch wakes on writes to the
 * database's files and confirms with PRAGMA data_version. */
int store_collected(const char *db, const char (*symbols)[SYMBOL_MAX], int n, bool *held, int stale_s, char *err,
                    size_t err_len);
/* A collector on SQLite names the symbols it writes (canonical, comma-separated). */
void store_note_collecting(struct store *st, const char *symbols);
/* ... and says it is alive (call it every second; nothing before a note). */
void store_note_alive(struct store *st);
struct store_watch;
struct store_watch *store_watch_open(const char *db, char *err, size_t err_len);
void store_watch_close(struct store_watch *w);
/* PostgreSQL: waits up to timeout_ms for a notification (closed or forming
 * candles); SQLite: waits until the database's files are written (inotify) or
 * timeout_ms passed, and looks whether another connection committed (PRAGMA
 * data_version). 1 yes, STORE_WATCH_FORMING yes but only forming candles
 * (PostgreSQL: the notifications say so; SQLite cannot tell, it says 1), 0 no,
 * -1 the connection is lost (the next call connects again). */
#define STORE_WATCH_FORMING 2
int store_watch_wait(struct store_watch *w, int timeout_ms);
/* store_collected on the watch's own connection (PostgreSQL; SQLite: the lock
 * files): 0, or -1 with err when the server cannot be asked now. */
int store_watch_collected(struct store_watch *w, const char (*symbols)[SYMBOL_MAX], int n, bool *held, int stale_s,
                          char *err, size_t err_len);
/* The open time of symbol's newest stored closed 1m candle; -1: none or unknown now. */
int64_t store_watch_newest(struct store_watch *w, const char *symbol);
/* The stored closed 1m candles of symbol from open time `from` on, oldest
 * first, at most max: the count, or -1. */
int store_watch_candles(struct store_watch *w, const char *symbol, int64_t from, struct candle *out, int max);

/* The forming 1m candles collectors store (the newest state of each instrument,
 * written a few times a second and removed when the candle closes; a killed
 * collector's row stays until another one writes the instrument), one query
 * for all of them, each to fn with its canonical symbol and the state's event
 * time: the count, or -1. PostgreSQL: each commit of them sends NOTIFY
 * alphapulse_forming, which a watch LISTENs for. */
typedef void (*store_forming_fn)(void *ctx, const char *symbol, const struct candle *c, int64_t updated);
int store_watch_forming(struct store_watch *w, store_forming_fn fn, void *ctx);

/* The accounts collectors are running on now, into out (at most max): their
 * signals are the ones consoles reading a collector's candles show. PostgreSQL:
 * the accounts whose lock is held shared (asked on the watch's connection);
 * SQLite: the accounts whose lock file a running collector noted its symbols
 * in. The count, or -1 with err. */
int store_watch_collector_accounts(struct store_watch *w, char (*out)[STORE_ACCOUNT_MAX + 1], int max, char *err,
                                   size_t err_len);
/* The signals rows of symbol (canonical) stored by account with updated >=
 * since, oldest change first, to fn with the timeframe and the row's updated;
 * since < 0: the open ones (new or taken). The count read, or -1. */
int store_watch_signals(struct store_watch *w, const char *symbol, const char *account, int64_t since,
                        void (*fn)(void *ctx, int tf, int64_t updated, const struct record_signal *s), void *ctx);

/* Try to claim an instrument (canonical symbol) not held yet: 1 claimed, 0 held
 * by another session, -1 with err when the server cannot be asked. */
int store_claim(struct store_claims *c, const char *symbol, char *err, size_t err_len);
/* The claim of symbol is held by a hung holder (its session idle for
 * failover_s): ends that session (pg_terminate_backend; the role must be
 * allowed to signal it), freeing the claim a moment later. The server pid of
 * the session ended, 0 none hung, -1 with err. */
int store_claim_end_hung(struct store_claims *c, const char *symbol, char *err, size_t err_len);
void store_claim_release(struct store_claims *c, const char *symbol);
/* Is the connection holding the claims still the same session? false: it was
 * lost (a server restart, a network cut), every claim with it; the next
 * store_claim reconnects. */
bool store_claims_intact(struct store_claims *c);
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
    const char *account;           /* signals, trades, equity, journal: whose (NULL: the default) */
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
/* For the chart's older candles: the newest at most max stored closed candles
 * of symbol x tf that open before `before` (ms), into out oldest first, read-only
 * and without the instance lock. The count (0: nothing older is stored), or -1
 * with err naming the database and the problem. */
int store_read_candles_before(const char *path, const char *symbol, int tf, int64_t before, int max,
                              struct candle *out, char *err, size_t err_len);

#endif
