/* Shared by the store's files; not part of the public surface. */
#ifndef ALPHAPULSE_STORE_INTERNAL_H
#define ALPHAPULSE_STORE_INTERNAL_H
#include <pthread.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdbool.h>
#include "alphapulse/log.h"
#include "alphapulse/store.h"
#include "alphapulse/symtab.h"

#define STORE_TRADES_TF TF_COUNT   /* the series of a symbol's stored trades (agg_trades) */

/* What the pruner knows of one series (a symbol's candles of one timeframe, or
 * its trades): the newest row written and how far back it has already pruned. */
struct store_series {
    char symbol[SYMBOL_MAX];
    int tf;
    int64_t newest, pruned_to;
};

struct pg_store;
struct store_forming;

struct store {
    char path[1024];               /* the file, or the PostgreSQL connection string */
    char account[STORE_ACCOUNT_MAX + 1];   /* whose orders, fills, balance ... this store writes */
    int64_t account_number;        /* its ids start at account_number * STORE_ACCOUNT_IDS */
    struct pg_store *pg;           /* the PostgreSQL backend; NULL: SQLite (db and the statements) */
    int lock_fd;
    long alive_at;                 /* SQLite collector: where the lock note's alive stamp is; 0 none */
    sqlite3 *db;
    sqlite3_stmt *ins_candle, *ins_fill, *up_position, *up_account, *ins_journal, *up_order,
                 *fill_order, *up_signal, *ins_equity, *ins_risk_event, *ins_alert, *prune;
    sqlite3_stmt *up_risk, *del_book, *up_book_order, *up_exits;   /* the paper broker's restorable state */
    sqlite3_stmt *del_book_order;
    sqlite3_stmt *ins_funding, *funding_position;                 /* funding payments (REC_FUNDING) */
    sqlite3_stmt *ins_trade, *prune_trades;                       /* storage.trades (REC_TRADE) */
    struct spsc *records;
    struct record *batch;          /* the store thread's batch buffer (writer.c: batch_cap records) */
    pthread_t thread;
    bool running;
    atomic_bool stop;
    atomic_ullong rows, pruned;
    struct record_ack ack;
    FILE *ack_stream;
    struct store_retention retention;
    /* every series written or found at start, whatever their number (a thousand
     * symbols are six thousand series): grown by doubling, found by hash per
     * timeframe; the store thread's alone */
    struct store_series *series;
    int n_series, cap_series;
    struct symtab series_ix[STORE_TRADES_TF + 1];
    struct store_forming *forming; /* forming.c: the store thread's alone */
};

/* Forming candles (forming.c), in the store thread: take notes a popped record
 * (a closed 1m candle removes its symbol's forming row) and is true when it
 * was a REC_FORMING, which is not part of any batch; flush writes the newest
 * states (at most every 250 ms unless now); end removes this process's rows
 * and frees the state. */
bool store_forming_take(struct store *st, const struct record *r);
void store_forming_flush(struct store *st, bool now);
void store_forming_end(struct store *st);

int store_prepare(struct store *st, char *err, size_t err_len);
void store_finalize(struct store *st);
int store_schema_version(sqlite3 *db);
/* A read-only connection at the current schema version, or NULL with err. */
sqlite3 *store_reader_open(const char *path, char *err, size_t err_len);

/* "host NAME, pid N": this process, as a refused second holder of an account is told. */
void store_holder_text(char *out, size_t n);

/* The PostgreSQL backend (pg_*.c), chosen by store_is_url; account and shared
 * as in store_open_options. */
struct pg_store *pg_store_open(const char *url, const char *account, bool shared, char *err, size_t err_len);
void pg_store_close(struct pg_store *p);
int pg_store_create_at_version(const char *url, int version, char *err, size_t err_len);
bool pg_store_connected(struct pg_store *p);      /* the last write did not fail for want of the server */
/* One batch in one transaction; 0 when committed, else -1 with err. */
int pg_store_write(struct pg_store *p, const struct record *batch, int n, bool money, char *err, size_t err_len);
/* Deletes up to step rows of the series (tf STORE_TRADES_TF: its trades) older
 * than cut: the count, or -1. */
long pg_store_prune(struct pg_store *p, const char *symbol, int tf, int64_t cut, int step);
void pg_store_learn_series(struct pg_store *p, void (*fn)(void *ctx, const char *symbol, int tf, int64_t newest),
                           void *ctx);
int pg_store_restore(struct store *st, struct engine *e, size_t per_series);
long pg_store_export(const char *url, const struct export_options *o, FILE *out, char *err, size_t err_len);
int pg_store_read_candles(const char *url, const char *symbol, int tf, int64_t from, int64_t to,
                          struct candle **out, size_t *n, char *err, size_t err_len);
int pg_store_read_candles_before(const char *url, const char *symbol, int tf, int64_t before, int max,
                                 struct candle *out, char *err, size_t err_len);
int pg_store_load_open_signals(const char *url, void (*fn)(void *ctx, const char *symbol, int tf, int64_t time,
                               const struct record_signal *s), void *ctx, char *err, size_t err_len);

/* A console's watch on its collectors' candles (watch.c; pg_watch.c for PostgreSQL). */
struct store_watch {
    char db[1024], name[1024];     /* as given; redacted, for messages */
    void *conn;                    /* PGconn *: LISTENing; NULL after a loss (the next call reconnects) */
    sqlite3 *lite;                 /* SQLite: a read-only connection */
    int64_t data_version;          /* SQLite: PRAGMA data_version at the last look */
    int wake_fd;                   /* SQLite: inotify on the database's directory (watch_wake.c); -1 none */
    char wake_name[256];           /* the database file's name in it */
};
/* watch_wake.c: open never fails (no inotify: the wait sleeps); wait returns
 * true when the database or its -wal was written before timeout_ms passed. */
void store_watch_wake_open(struct store_watch *w);
void store_watch_wake_close(struct store_watch *w);
bool store_watch_wake_wait(struct store_watch *w, int timeout_ms);
int pg_collected(const char *db, const char (*symbols)[SYMBOL_MAX], int n, bool *held, int stale_s, char *err,
                 size_t err_len);
int pg_watch_listen(struct store_watch *w);
int pg_watch_collected(struct store_watch *w, const char (*symbols)[SYMBOL_MAX], int n, bool *held, int stale_s,
                       char *err, size_t err_len);
void pg_watch_close(struct store_watch *w);
int pg_watch_wait(struct store_watch *w, int timeout_ms);
int pg_watch_candles(struct store_watch *w, const char *symbol, int64_t from, struct candle *out, int max);
int pg_watch_forming(struct store_watch *w, store_forming_fn fn, void *ctx);
int pg_collector_accounts(struct store_watch *w, char (*out)[STORE_ACCOUNT_MAX + 1], int max, char *err,
                          size_t err_len);

/* Reads written once for both backends (queries.c): a query with typed
 * parameters named $1, $2 ... in the SQL (SQLite binds them by name), and its
 * rows. */
struct store_param {
    int type;                      /* SV_INT, SV_REAL, SV_TEXT, SV_NULL */
    int64_t i;
    double d;
    const char *s;
};
struct store_rows;
struct store_reader {
    /* NULL when the query fails; err_text tells why */
    struct store_rows *(*query)(struct store_reader *r, const char *sql, const struct store_param *p, int n);
    int (*exec)(struct store_reader *r, const char *sql);            /* no rows; 0 or -1 */
    const char *(*err_text)(struct store_reader *r);
    void *h;                       /* sqlite3 * or PGconn * */
    /* Optional (NULL: each query runs when asked): sends sql once for each of
     * sets parameter sets (np parameters each, one set after the other in p) at
     * once; the next sets calls of query with this same sql (pointer) take their
     * rows in that order while the server works ahead. 0 or -1. */
    int (*queue)(struct store_reader *r, const char *sql, const struct store_param *p, int np, int sets);
};
struct store_rows {
    bool (*next)(struct store_rows *q);
    bool (*null)(struct store_rows *q, int col);
    int64_t (*i64)(struct store_rows *q, int col);
    double (*dbl)(struct store_rows *q, int col);
    const char *(*text)(struct store_rows *q, int col);
    void (*done)(struct store_rows *q);
};
void store_reader_sqlite(struct store_reader *r, sqlite3 *db);
void store_reader_pg(struct store_reader *r, void *pgconn);
/* A watch's reader on its own connection (PostgreSQL: listening again after a
 * loss); -1 when it has none now. */
int store_watch_reader(struct store_watch *w, struct store_reader *rd);
/* The restore and its helpers on a reader (queries.c); the backends call them. */
int store_restore_from(struct store_reader *rd, const struct store *st, struct engine *e, size_t per_series,
                       bool *have_balance);
int store_record_account(struct store_reader *wr, const struct store *st, const struct engine *e, bool have_balance);
/* The account's row in accounts (made, with the next free number, if new): its
 * number into st->account_number. 0, or -1 with err. */
int store_account_register(struct store_reader *wr, struct store *st, char *err, size_t err_len);
int store_open_signals_from(struct store_reader *rd, void (*fn)(void *ctx, const char *symbol, int tf, int64_t time,
                            const struct record_signal *s), void *ctx);
/* The signals rows of symbol written by account whose updated >= since, oldest
 * change first; since < 0: the open ones (new or taken) whatever their time.
 * The count read, or -1. */
int store_signals_of(struct store_reader *rd, const char *symbol, const char *account, int64_t since,
                     void (*fn)(void *ctx, int tf, int64_t updated, const struct record_signal *s), void *ctx);
int store_candles_from(struct store_reader *rd, const char *name, const char *symbol, int tf, int64_t from,
                       int64_t to, struct candle **out, size_t *n, char *err, size_t err_len);
/* store_read_candles_before on a reader: the count, or -1 with err. */
int store_candles_before_from(struct store_reader *rd, const char *name, const char *symbol, int tf,
                              int64_t before, int max, struct candle *out, char *err, size_t err_len);

/* Export formatting shared by both backends (export.c). */
enum store_value { SV_NULL, SV_INT, SV_REAL, SV_TEXT };
void store_export_value(FILE *out, int type, int64_t i, double d, const char *text, const char *col, bool time_col,
                        bool json);
bool store_export_time_col(int what, const char *col);
void store_export_begin_row(FILE *out, long row, bool json);
void store_export_end(FILE *out, long rows, bool json);
void store_export_col(FILE *out, int i, const char *name, bool json);

#endif
