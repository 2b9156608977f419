/* The PostgreSQL backend, shared by the store's pg_*.c files; not part of the
 * public surface (store.h is). */
#ifndef ALPHAPULSE_PG_INTERNAL_H
#define ALPHAPULSE_PG_INTERNAL_H
#include <libpq-fe.h>
#include <stdbool.h>
#include <stdint.h>
#include "store_internal.h"

/* advisory lock keys (two int4: class, object) */
#define PG_LOCK_INSTANCE "1095782472, 1"    /* 'ALPH': the one writing process per database */
#define PG_LOCK_SCHEMA "1095782472, 2"      /* held while the schema is built or upgraded */
#define PG_MONTHS_CACHED 64

struct pg_store {
    char url[1024];
    PGconn *conn;
    bool staging;                           /* the session's candles_in and trades_in tables exist */
    int n_months;
    int64_t months[PG_MONTHS_CACHED];       /* candle partitions known to exist (month starts, ms) */
};

/* The connection string with any password replaced by ***, for messages. */
void pg_redact(const char *url, char *out, size_t n);
PGconn *pg_connect(const char *url, char *err, size_t err_len);
/* A read-only session on a database at the current schema version, or NULL with err. */
PGconn *pg_reader_open(const char *url, char *err, size_t err_len);
int pg_exec(PGconn *c, const char *sql, char *err, size_t err_len);   /* err may be NULL */
int pg_schema_version(PGconn *c, char *err, size_t err_len);
int pg_candle_partition(struct pg_store *p, int64_t ms, char *err, size_t err_len);
int pg_store_reconnect(struct pg_store *p, char *err, size_t err_len);

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
