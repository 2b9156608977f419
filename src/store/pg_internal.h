/* The PostgreSQL backend, shared by the store's pg_*.c files; not part of the
 * public surface (store.h is). */
#ifndef ALPHAPULSE_PG_INTERNAL_H
#define ALPHAPULSE_PG_INTERNAL_H
#include <libpq-fe.h>
#include <stdbool.h>
#include <stdint.h>
#include "store_internal.h"

/* advisory lock keys: two int4 (class, object) for the schema, one bigint (a
 * separate key space) for accounts and instruments (pg_fnv_key) */
#define PG_LOCK_SCHEMA "1095782472, 2"      /* 'ALPH': held while the schema is built or upgraded */
#define PG_MONTHS_CACHED 64
#define PG_CANDLES_CHANNEL "alphapulse_candles"   /* NOTIFY after each commit holding candles */
#define PG_FORMING_CHANNEL "alphapulse_forming"   /* NOTIFY after each commit of forming candles */

struct pg_store {
    char url[1024];
    PGconn *conn;
    bool shared;                            /* a collector: the account lock taken shared */
    char account[STORE_ACCOUNT_MAX + 1];
    bool staging;                           /* the session's candles_in and trades_in tables exist */
    int n_months;
    int64_t months[PG_MONTHS_CACHED][2];    /* candle partitions known to exist: [start, end) in ms */
    struct pg_newest *newest;               /* newest stored candle per series (pg_candles.c) */
    size_t newest_cap, newest_used;
};

/* The 64-bit FNV-1a hash of text as a signed bigint: the advisory lock key of
 * "account:NAME" and "venue:SYMBOL" (store.h). */
int64_t pg_fnv_key(const char *text);
/* A condition on pg_stat_activity a, taking one %d (seconds): the session of a
 * claims holder that has sat idle that long, so its process is hung (a live
 * one asks something on it every second, pg_claim.c). NULL when the
 * role may not see that session's state (then it is taken as alive). */
#define PG_HUNG_SQL "(a.state = 'idle' AND a.state_change < now() - %d * interval '1 second')"

/* The connection string with any password replaced by ***, for messages. */
void pg_redact(const char *url, char *out, size_t n);
PGconn *pg_connect(const char *url, char *err, size_t err_len);
/* A read-only session on a database at the current schema version, or NULL with err. */
PGconn *pg_reader_open(const char *url, char *err, size_t err_len);
int pg_exec(PGconn *c, const char *sql, char *err, size_t err_len);   /* err may be NULL */
int pg_schema_version(PGconn *c, char *err, size_t err_len);
/* Makes the candle partitions of the month holding ms and of the next one (once
 * per session and month). */
int pg_candle_partition(struct pg_store *p, int64_t ms, char *err, size_t err_len);
/* The calendar month holding ms: [start, end) in ms and its partition's name. */
#define PG_PARTITION_NAME 32
void pg_candle_month(int64_t ms, int64_t *start, int64_t *end, char *name, size_t n);
int pg_store_reconnect(struct pg_store *p, char *err, size_t err_len);

/* A binary COPY ... FROM STDIN (pg_copy.c): begin, then per row a tuple and
 * its fields in the table's column order, then end. err receives the reason
 * and state the SQLSTATE ("23505": a duplicate key) of a failure. */
struct pg_copy {
    PGconn *c;
    char *buf;
    size_t len, cap;
    int rc;
    char *err;
    size_t err_len;
    char state[6];
};
int pg_copy_begin(struct pg_copy *k, PGconn *c, const char *sql, char *err, size_t err_len);
void pg_copy_tuple(struct pg_copy *k, int fields);
void pg_copy_text(struct pg_copy *k, const char *s);
void pg_copy_i64(struct pg_copy *k, int64_t v);
void pg_copy_i32(struct pg_copy *k, int32_t v);
void pg_copy_f64(struct pg_copy *k, double v);
int pg_copy_end(struct pg_copy *k);   /* 0, or -1 with err and state */

/* The candles of one batch, inside the batch's transaction (pg_candles.c):
 * sorted and deduplicated in place (the last version of each candle kept);
 * rows newer than the series' newest stored candle are copied straight into
 * candles, the others staged and upserted. *m: how many rows remain in cs.
 * *duplicate: a row taken for new was stored already (another writer): the
 * transaction is lost, pg_candles_forget, and the batch is written again with
 * fast false (every row upserted). begin: the transaction's BEGIN statement
 * when it was not sent yet (it goes with the first COPY), or NULL. */
int pg_candles_write(struct pg_store *ps, const struct record **cs, int n, int *m, const char *begin, bool fast,
                     bool *duplicate, char *err, size_t err_len);
/* After the COMMIT: the batch's rows are stored. */
void pg_candles_committed(struct pg_store *ps, const struct record *const *cs, int m);
/* Forget the newest candles known (a reconnect, another writer). */
void pg_candles_forget(struct pg_store *ps);
/* The session's staging tables, made once per session. */
int pg_staging(struct pg_store *ps, char *err, size_t err_len);

/* Forming candles (pg_forming.c): one transaction upserting or removing the
 * rows, then NOTIFY PG_FORMING_CHANNEL. 0, or -1 (the rows are tried again
 * later). mine: remove the row only if it is still the one of mine_open and
 * mine_updated (the store thread's end). */
struct pg_forming_row {
    const char *symbol;
    const struct candle *c;
    int64_t updated;
    bool remove, mine;
    int64_t mine_open, mine_updated;
};
int pg_forming_write(struct pg_store *ps, const struct pg_forming_row *rows, int n);

/* Text parameters for PQexecParams. */
#define PG_PARAMS_MAX 40
struct pg_params {
    int n;
    const char *v[PG_PARAMS_MAX];
    char buf[PG_PARAMS_MAX][32];
};
void pg_p_int(struct pg_params *p, int64_t v);
void pg_p_dbl(struct pg_params *p, double v);
void pg_p_text(struct pg_params *p, const char *s);   /* s must outlive the call */
void pg_p_null(struct pg_params *p);
/* Writes a double as text PostgreSQL reads back bit for bit. */
void pg_fmt_double(char *buf, size_t n, double v);
/* Runs sql with the parameters: the rows changed, or -1 with err. */
long pg_run(PGconn *c, const char *sql, const struct pg_params *p, char *err, size_t err_len);

#endif
