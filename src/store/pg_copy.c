/* COPY ... FROM STDIN in PostgreSQL's binary format: each value travels as its
 * bytes (a double's 8 bytes, big-endian), so neither side prints or parses
 * numbers, and a double arrives bit for bit (NaN and infinities included).
 * Tuples are gathered in a buffer sent 64 KB at a time. */
#include "pg_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define COPY_CHUNK (64 * 1024)

static void put(struct pg_copy *k, const void *p, size_t n)
{
    if (k->rc)
        return;
    if (k->len + n > k->cap) {
        size_t cap = k->cap ? k->cap * 2 : 2 * COPY_CHUNK;
        while (cap < k->len + n)
            cap *= 2;
        char *b = realloc(k->buf, cap);
        if (!b) {
            k->rc = -1;
            snprintf(k->err, k->err_len, "out of memory");
            return;
        }
        k->buf = b;
        k->cap = cap;
    }
    memcpy(k->buf + k->len, p, n);
    k->len += n;
}

static void put_be(struct pg_copy *k, uint64_t v, int bytes)
{
    unsigned char b[8];
    for (int i = 0; i < bytes; i++)
        b[i] = (unsigned char)(v >> (8 * (bytes - 1 - i)));
    put(k, b, (size_t)bytes);
}

static void flush(struct pg_copy *k)
{
    if (k->rc || !k->len)
        return;
    if (PQputCopyData(k->c, k->buf, (int)k->len) != 1) {
        k->rc = -1;
        snprintf(k->err, k->err_len, "%s", PQerrorMessage(k->c));
        k->err[strcspn(k->err, "\n")] = 0;
    }
    k->len = 0;
}

/* The SQLSTATE and message of a failed result into k. */
static void failed(struct pg_copy *k, PGresult *r)
{
    const char *state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
    snprintf(k->state, sizeof k->state, "%s", state ? state : "");
    snprintf(k->err, k->err_len, "%s", PQresultErrorMessage(r)[0] ? PQresultErrorMessage(r) : PQerrorMessage(k->c));
    k->err[strcspn(k->err, "\n")] = 0;
    k->rc = -1;
}

int pg_copy_begin(struct pg_copy *k, PGconn *c, const char *sql, char *err, size_t err_len)
{
    *k = (struct pg_copy){ .c = c, .err = err, .err_len = err_len };
    PGresult *r = PQexec(c, sql);
    if (PQresultStatus(r) != PGRES_COPY_IN)
        failed(k, r);
    PQclear(r);
    if (k->rc)
        return -1;
    static const char signature[11] = "PGCOPY\n\377\r\n";   /* with its final NUL */
    put(k, signature, sizeof signature);
    put_be(k, 0, 4);                  /* flags */
    put_be(k, 0, 4);                  /* no header extension */
    return k->rc;
}

void pg_copy_tuple(struct pg_copy *k, int fields)
{
    if (k->len >= COPY_CHUNK)
        flush(k);
    put_be(k, (uint16_t)fields, 2);
}

void pg_copy_text(struct pg_copy *k, const char *s)
{
    size_t n = strlen(s);
    put_be(k, (uint32_t)n, 4);
    put(k, s, n);
}

void pg_copy_i64(struct pg_copy *k, int64_t v)
{
    put_be(k, 8, 4);
    put_be(k, (uint64_t)v, 8);
}

void pg_copy_i32(struct pg_copy *k, int32_t v)
{
    put_be(k, 4, 4);
    put_be(k, (uint32_t)v, 4);
}

void pg_copy_f64(struct pg_copy *k, double v)
{
    uint64_t u;
    memcpy(&u, &v, sizeof u);
    put_be(k, 8, 4);
    put_be(k, u, 8);
}

int pg_copy_end(struct pg_copy *k)
{
    put_be(k, 0xffff, 2);             /* the trailer: a tuple of -1 fields */
    flush(k);
    free(k->buf);
    k->buf = NULL;
    int rc = k->rc;
    if (PQputCopyEnd(k->c, rc ? "the rows could not be sent" : NULL) != 1 && !rc) {
        snprintf(k->err, k->err_len, "%s", PQerrorMessage(k->c));
        k->err[strcspn(k->err, "\n")] = 0;
        rc = -1;
    }
    PGresult *r = PQgetResult(k->c);
    if (PQresultStatus(r) != PGRES_COMMAND_OK) {
        if (!rc)
            failed(k, r);
        rc = -1;
    }
    PQclear(r);
    while ((r = PQgetResult(k->c)))
        PQclear(r);
    return rc;
}
