/* A schema step that adds a table, checked on both backends: a database made at
 * the version before (store_create_at_version), holding a row, is opened (so
 * upgraded) and has the new table, empty, the latest version and its row. Shared
 * by the store tests of each table a version added. */
#ifndef STORE_UPGRADE_H
#define STORE_UPGRADE_H
#include <libpq-fe.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>

#include "harness.h"
#include "alphapulse/store.h"

/* The first column of the first row of sql on a SQLite file (-1: none). */
static inline int upgrade_sqlite_int(const char *path, const char *sql)
{
    sqlite3 *db;
    sqlite3_stmt *s;
    int v = -1;
    if (sqlite3_open(path, &db) == SQLITE_OK && sqlite3_prepare_v2(db, sql, -1, &s, NULL) == SQLITE_OK) {
        if (sqlite3_step(s) == SQLITE_ROW)
            v = sqlite3_column_int(s, 0);
        sqlite3_finalize(s);
    }
    sqlite3_close(db);
    return v;
}

/* The one value sql returns on PostgreSQL (-999: not one row; an error is printed). */
static inline long upgrade_pg_long(const char *url, const char *sql)
{
    PGconn *c = PQconnectdb(url);
    PGresult *r = PQexec(c, sql);
    long v = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1 ? atol(PQgetvalue(r, 0, 0)) : -999;
    if (PQresultStatus(r) != PGRES_TUPLES_OK && PQresultStatus(r) != PGRES_COMMAND_OK)
        printf("#   %s: %s", sql, PQresultErrorMessage(r));
    PQclear(r);
    PQfinish(c);
    return v;
}

/* SQLite: path made at version - 1 with a candle, then opened. */
static inline void check_sqlite_upgrade(const char *path, int version, const char *table)
{
    char err[512] = "", sql[200];
    CHECK_MSG(store_create_at_version(path, version - 1, err, sizeof err) == 0, "%s", err);
    sqlite3 *db;
    CHECK(sqlite3_open(path, &db) == SQLITE_OK);
    CHECK(sqlite3_exec(db, "INSERT INTO candles VALUES('BTCUSDT','1m',60000,1.5,2.5,1.25,2,10,0,0,0)", NULL, NULL,
                       NULL) == SQLITE_OK);
    sqlite3_close(db);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM sqlite_master WHERE name='%s'", table);
    CHECK_MSG(upgrade_sqlite_int(path, sql) == 0, "%s is there before version %d", table, version);
    struct store *st = store_open(path, err, sizeof err);
    CHECK_MSG(st != NULL, "%s", err);
    store_close(st);
    CHECK(upgrade_sqlite_int(path, "PRAGMA user_version") == STORE_SCHEMA_VERSION);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", table);
    CHECK_MSG(upgrade_sqlite_int(path, sql) == 0, "%s after the upgrade", table);
    CHECK(upgrade_sqlite_int(path, "SELECT count(*) FROM candles WHERE high=2.5") == 1);
}

/* PostgreSQL: the database emptied, made at version - 1 with a funding row, then opened. */
static inline void check_pg_upgrade(const char *url, int version, const char *table)
{
    char err[512] = "", sql[200];
    upgrade_pg_long(url, "SET client_min_messages = warning; DROP SCHEMA public CASCADE; CREATE SCHEMA public");
    CHECK_MSG(store_create_at_version(url, version - 1, err, sizeof err) == 0, "%s", err);
    upgrade_pg_long(url, "INSERT INTO funding VALUES('BTCPERP', 60000, 1, 2, 0.0001, -0.0002, 99.9998)");
    CHECK(upgrade_pg_long(url, "SELECT max(version) FROM alphapulse_schema") == version - 1);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM pg_tables WHERE tablename = '%s'", table);
    CHECK_MSG(upgrade_pg_long(url, sql) == 0, "%s is there before version %d", table, version);
    struct store *st = store_open(url, err, sizeof err);
    CHECK_MSG(st != NULL, "%s", err);
    store_close(st);
    CHECK(upgrade_pg_long(url, "SELECT max(version) FROM alphapulse_schema") == STORE_SCHEMA_VERSION);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", table);
    CHECK_MSG(upgrade_pg_long(url, sql) == 0, "%s after the upgrade", table);
    CHECK(upgrade_pg_long(url, "SELECT count(*) FROM funding WHERE symbol='BTCPERP'") == 1);
}

#endif
