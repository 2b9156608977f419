/* What the crash tests share (test_crash.c, test_crash_funding.c): running the
 * real binary with its ack stream on a pipe, killed when it has acknowledged a
 * number of durable writes (plus a delay), and reading the database under test,
 * SQLite (a path) or PostgreSQL (a URL), through one small row interface so each
 * check is one source for both. */
#ifndef CRASH_COMMON_H
#define CRASH_COMMON_H
#include <fcntl.h>
#include <libpq-fe.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "pg_server.h"

static int crash_durable;                  /* "durable ..." lines read so far */

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Complete lines from fd go to on_line (after counting the durable ones). */
static void crash_collect(char *buf, size_t *len, int fd, void (*on_line)(const char *))
{
    ssize_t r;
    while ((r = read(fd, buf + *len, 65535 - *len)) > 0) {
        *len += (size_t)r;
        char *nl;
        while ((nl = memchr(buf, '\n', *len))) {
            *nl = 0;
            if (strncmp(buf, "durable ", 8) == 0)
                crash_durable++;
            on_line(buf);
            size_t used = (size_t)(nl - buf) + 1;
            memmove(buf, nl + 1, *len - used);
            *len -= used;
        }
    }
}

/* One run of argv (stdout read line by line, stderr to /dev/null). kill_at < 0:
 * it stops by itself (or, with stop_sig, is sent stop_sig once it acknowledged
 * -kill_at writes) and must exit with status 0. Otherwise it is killed (SIGKILL)
 * `delay` seconds after it has acknowledged `kill_at` more writes: the moment
 * follows what the process has done, not the wall clock, so a slow, loaded
 * machine kills it at the same stages as an idle one. Returns 1 if it was killed
 * while running. */
static int crash_run(char *const argv[], int kill_at, double delay, int stop_sig, void (*on_line)(const char *))
{
    int p[2];
    if (pipe(p))
        return 0;
    pid_t pid = fork();
    if (pid == 0) {
        dup2(p[1], 1);
        int devnull = open("/dev/null", O_WRONLY);
        dup2(devnull, 2);
        close(p[0]);
        close(p[1]);
        execv(argv[0], argv);
        _exit(127);
    }
    close(p[1]);
    fcntl(p[0], F_SETFL, O_NONBLOCK);
    char buf[65536];
    size_t len = 0;
    int killed = 0, status = 0, seen0 = crash_durable, sent = 0;
    double reached = kill_at == 0 ? now_s() : -1;
    for (;;) {
        crash_collect(buf, &len, p[0], on_line);
        if (waitpid(pid, &status, WNOHANG) == pid)
            break;
        if (kill_at < 0 && stop_sig && !sent && crash_durable - seen0 >= -kill_at) {
            kill(pid, stop_sig);
            sent = 1;
        }
        if (kill_at > 0 && reached < 0 && crash_durable - seen0 >= kill_at)
            reached = now_s();
        if (kill_at >= 0 && reached >= 0 && now_s() - reached >= delay) {
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            killed = 1;
            break;
        }
        nanosleep(&(struct timespec){ 0, 1000000 }, NULL);
    }
    fcntl(p[0], F_SETFL, 0);
    crash_collect(buf, &len, p[0], on_line);   /* what was written before the kill */
    close(p[0]);
    if (!killed)
        CHECK_MSG(WIFEXITED(status) && WEXITSTATUS(status) == 0, "run exited with status %d", status);
    return killed;
}

struct conn { sqlite3 *db; PGconn *pg; };
struct rows { struct conn *c; sqlite3_stmt *s; PGresult *r; int i; };

static bool conn_open(struct conn *c, const char *db)
{
    *c = (struct conn){ 0 };
    if (strncmp(db, "postgresql://", 13) == 0) {
        c->pg = PQconnectdb(db);
        return PQstatus(c->pg) == CONNECTION_OK;
    }
    if (sqlite3_open(db, &c->db) != SQLITE_OK)
        return false;
    sqlite3_busy_timeout(c->db, 5000);
    return true;
}

static void conn_close(struct conn *c)
{
    if (c->db)
        sqlite3_close(c->db);
    if (c->pg)
        PQfinish(c->pg);
}

static bool rows_open(struct rows *q, struct conn *c, const char *sql)
{
    *q = (struct rows){ .c = c, .i = -1 };
    if (c->pg) {
        q->r = PQexec(c->pg, sql);
        if (PQresultStatus(q->r) == PGRES_TUPLES_OK)
            return true;
        printf("#   %s: %s", sql, PQresultErrorMessage(q->r));
        PQclear(q->r);
        q->r = NULL;
        return false;
    }
    if (sqlite3_prepare_v2(c->db, sql, -1, &q->s, NULL) == SQLITE_OK)
        return true;
    printf("#   %s: %s\n", sql, sqlite3_errmsg(c->db));
    return false;
}

static bool rows_next(struct rows *q)
{
    if (q->r)
        return ++q->i < PQntuples(q->r);
    return q->s && sqlite3_step(q->s) == SQLITE_ROW;
}

static double col_d(struct rows *q, int k)
{
    return q->r ? strtod(PQgetvalue(q->r, q->i, k), NULL) : sqlite3_column_double(q->s, k);
}

static int64_t col_i(struct rows *q, int k)
{
    return q->r ? strtoll(PQgetvalue(q->r, q->i, k), NULL, 10) : sqlite3_column_int64(q->s, k);
}

static const char *col_t(struct rows *q, int k)
{
    return q->r ? PQgetvalue(q->r, q->i, k) : (const char *)sqlite3_column_text(q->s, k);
}

static void rows_close(struct rows *q)
{
    if (q->r)
        PQclear(q->r);
    sqlite3_finalize(q->s);
}

static int q_int(struct conn *c, const char *sql)
{
    struct rows q;
    int v = -1;
    if (rows_open(&q, c, sql) && rows_next(&q))
        v = (int)col_i(&q, 0);
    rows_close(&q);
    return v;
}

/* Has the schema been committed? Checks the SQLite file's integrity on the way. */
static bool crash_schema(struct conn *c)
{
    if (!c->db)
        return q_int(c, "SELECT count(*) FROM pg_tables WHERE tablename='alphapulse_schema'") == 1;
    struct rows q;
    CHECK(rows_open(&q, c, "PRAGMA integrity_check") && rows_next(&q) && strcmp(col_t(&q, 0), "ok") == 0);
    rows_close(&q);
    return q_int(c, "PRAGMA user_version") != 0;
}

/* Killed before the schema was committed: the migration is one transaction, so
 * the database is empty. */
static void crash_check_empty(struct conn *c)
{
    CHECK(q_int(c, c->db ? "SELECT count(*) FROM sqlite_master"
                         : "SELECT count(*) FROM pg_tables WHERE schemaname='public'") == 0);
}

/* The binary under test ($BUILD/alphapulse), and the random kill points from
 * CRASH_SEED (printed, so a run can be reproduced) or the time. */
static void crash_setup(char *bin, size_t n)
{
    const char *build = getenv("BUILD");
    snprintf(bin, n, "%s/alphapulse", build && *build ? build : "build");
    const char *seed_env = getenv("CRASH_SEED");
    unsigned seed = seed_env ? (unsigned)strtoul(seed_env, NULL, 10) : (unsigned)time(NULL) ^ (unsigned)getpid();
    srand(seed);
    printf("# CRASH_SEED=%u\n", seed);
}

/* The scratch directory removed, or kept (and named) when the test failed. */
static void crash_done(const char *dir)
{
    if (!harness_cur_failed) {
        char cmd[700];
        snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
        if (system(cmd) != 0)
            printf("# could not remove %s\n", dir);
    } else {
        printf("# databases kept in %s\n", dir);
    }
}

/* The PostgreSQL run: every group on this database (NULL: SQLite files). */
static const char *pg_url;

/* body against a private PostgreSQL server the test starts; it cannot start: the
 * test fails with the reason. */
static void crash_on_postgres(void (*body)(void))
{
    char why[2048];
    pg_url = pg_server_start(why, sizeof why);
    CHECK_MSG(pg_url != NULL, "no PostgreSQL server for the test: %s", why);
    if (!pg_url)
        return;
    crash_durable = 0;
    body();
    pg_server_stop();
    pg_url = NULL;
}

/* A fresh PostgreSQL database for the next group: the public schema emptied. */
static void pg_reset(const char *url)
{
    PGconn *c = PQconnectdb(url);
    PGresult *r = PQexec(c, "SET client_min_messages = warning; DROP SCHEMA public CASCADE; CREATE SCHEMA public");
    CHECK_MSG(PQresultStatus(r) == PGRES_COMMAND_OK, "resetting the database: %s", PQresultErrorMessage(r));
    PQclear(r);
    PQfinish(c);
}

/* Group g's fresh database: a new SQLite file in dir, or PostgreSQL emptied. */
static void crash_group_db(char *db, size_t n, const char *dir, int g)
{
    if (pg_url) {
        snprintf(db, n, "%s", pg_url);
        pg_reset(pg_url);
    } else {
        snprintf(db, n, "%s/crash%d.db", dir, g);
    }
}

#endif
