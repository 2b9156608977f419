/* The console's :export without a terminal (src/app/console_export.c and
 * app_export_file): the words and their defaults, the messages, ~/ and .json, and
 * that a failed export (no database, a full disk) leaves an existing FILE as it
 * was and no FILE.tmp. */
#include <signal.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "alphapulse/app.h"

static char dir[64];

static const char *tmp(const char *name)
{
    static char buf[4][256];
    static int k;
    k = (k + 1) % 4;
    snprintf(buf[k], sizeof buf[k], "%s/%s", dir, name);
    return buf[k];
}

static char db[256];
static struct console_export *xp;   /* the console's worker and mailbox */

/* A database of the current schema with 3 BTCUSDT 1m, 2 BTCUSDT 5m and 4 ETHUSDT 1m candles. */
static int make_db(void)
{
    snprintf(db, sizeof db, "%s", tmp("c.db"));
    char err[512];
    struct store *st = store_open(db, err, sizeof err);
    if (!st) {
        printf("# %s\n", err);
        return -1;
    }
    store_close(st);
    sqlite3 *h;
    if (sqlite3_open(db, &h) != SQLITE_OK)
        return -1;
    char sql[4096] = "";
    for (int i = 0; i < 3; i++)
        snprintf(sql + strlen(sql), sizeof sql - strlen(sql),
                 "INSERT INTO candles VALUES('BTCUSDT','1m',%d,1.5,2.5,1.25,2,10,0,0,0);", 1733011200 + i * 60);
    for (int i = 0; i < 2; i++)
        snprintf(sql + strlen(sql), sizeof sql - strlen(sql),
                 "INSERT INTO candles VALUES('BTCUSDT','5m',%d,1.5,2.5,1.25,2,10,0,0,0);", 1733011200 + i * 300);
    for (int i = 0; i < 4; i++)
        snprintf(sql + strlen(sql), sizeof sql - strlen(sql),
                 "INSERT INTO candles VALUES('ETHUSDT','1m',%d,1.5,2.5,1.25,2,10,0,0,0);", 1733011200 + i * 60);
    int rc = sqlite3_exec(h, sql, NULL, NULL, NULL);
    if (rc != SQLITE_OK)
        printf("# %s\n", sqlite3_errmsg(h));
    sqlite3_close(h);
    return rc == SQLITE_OK ? 0 : -1;
}

/* Runs `:export LINE` against db with BTCUSDT 1m shown and waits for the result. */
static int run(const char *line, char *msg, size_t n, bool *error)
{
    char buf[512], *argv[8];
    int argc = 0;
    snprintf(buf, sizeof buf, "%s", line);
    for (char *t = strtok(buf, " "); t && argc < 8; t = strtok(NULL, " "))
        argv[argc++] = t;
    if (app_console_export(xp, db, argc, argv, "BTCUSDT", TF_1M, msg, n)) {
        *error = true;
        return -1;
    }
    if (!app_console_export_wait(xp, 5000))
        return -2;
    return app_console_export_poll(xp, msg, n, error) ? 0 : -3;
}

static long lines(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    long n = 0;
    for (int c; (c = fgetc(f)) != EOF;)
        n += c == '\n';
    fclose(f);
    return n;
}

static void defaults_are_the_shown_series(void)
{
    char msg[200], want[300];
    bool err;
    char line[300];
    snprintf(line, sizeof line, "candles %s", tmp("a.csv"));
    CHECK(run(line, msg, sizeof msg, &err) == 0 && !err);
    snprintf(want, sizeof want, "exported 3 candles of BTCUSDT 1m to %s", tmp("a.csv"));
    CHECK_MSG(strcmp(msg, want) == 0, "%s", msg);
    CHECK(lines(tmp("a.csv")) == 1 + 3);
    CHECK(access(tmp("a.csv.tmp"), F_OK) != 0);
    snprintf(line, sizeof line, "candles %s ethusdt", tmp("b.csv"));          /* SYMBOL, shown TF */
    CHECK(run(line, msg, sizeof msg, &err) == 0 && strstr(msg, "exported 4 candles of ETHUSDT 1m") == msg);
    snprintf(line, sizeof line, "candles %s 5m", tmp("b.csv"));               /* a lone TF */
    CHECK(run(line, msg, sizeof msg, &err) == 0 && strstr(msg, "exported 2 candles of BTCUSDT 5m") == msg);
    snprintf(line, sizeof line, "candles %s all all", tmp("b.csv"));
    CHECK(run(line, msg, sizeof msg, &err) == 0 &&
          strstr(msg, "exported 9 candles of all symbols, all timeframes") == msg);
    snprintf(line, sizeof line, "candles %s BTCUSDT all", tmp("b.csv"));
    CHECK(run(line, msg, sizeof msg, &err) == 0 && strstr(msg, "exported 5 candles of BTCUSDT, all timeframes") == msg);
    snprintf(line, sizeof line, "trades %s", tmp("t.csv"));                  /* trades: every symbol */
    CHECK(run(line, msg, sizeof msg, &err) == 0 && !err);
    snprintf(want, sizeof want, "exported 0 trades to %s", tmp("t.csv"));
    CHECK_MSG(strcmp(msg, want) == 0, "%s", msg);
    CHECK(lines(tmp("t.csv")) == 1);                                        /* the header */
    snprintf(line, sizeof line, "candles %s BTCUSDT 1m", tmp("j.JSON"));
    CHECK(run(line, msg, sizeof msg, &err) == 0 && !err);
    FILE *f = fopen(tmp("j.JSON"), "r");
    char head[8] = "";
    CHECK(f && fgets(head, sizeof head, f) && head[0] == '[');
    if (f)
        fclose(f);
}

static void home_is_expanded(void)
{
    char msg[200], want[300];
    bool err;
    const char *old = getenv("HOME");
    char saved[512] = "";
    if (old)
        snprintf(saved, sizeof saved, "%s", old);
    setenv("HOME", dir, 1);
    CHECK(run("journal ~/journal.csv", msg, sizeof msg, &err) == 0 && !err);
    snprintf(want, sizeof want, "exported 0 journal entries to %s", tmp("journal.csv"));
    CHECK_MSG(strcmp(msg, want) == 0, "%s", msg);
    CHECK(lines(tmp("journal.csv")) == 1);
    unsetenv("HOME");
    CHECK(run("journal ~/x.csv", msg, sizeof msg, &err) == -1 && strstr(msg, "$HOME is not set"));
    if (old)
        setenv("HOME", saved, 1);
}

static void bad_words_are_refused(void)
{
    static const struct { const char *line, *msg; } t[] = {
        { "bogus x", "export bogus: unknown; expected candles, signals, trades, equity, journal or tape" },
        { "candle x", "export candle: unknown, did you mean candles?" },
        { "jurnal x", "did you mean journal?" },
        { "equity x BTCUSDT", "export equity: no SYMBOL" },
        { "trades x BTCUSDT 1m", "export trades: no TF" },
        { "candles x BTCUSDT 7m", "TF '7m': expected 1m 5m 15m 1h 4h 1d, or all" },
        { "candles x BTC/USDT", "SYMBOL 'BTC/USDT': expected letters and digits" },
        { "candles x kraken:BTCUSDT", "SYMBOL 'kraken:BTCUSDT': unknown venue \"kraken\" (known venues: binance" },
        { "candles", "usage: :export" },
        { "candles x a b c", "usage: :export" },
    };
    char msg[200];
    bool err;
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        CHECK_MSG(run(t[i].line, msg, sizeof msg, &err) == -1 && strstr(msg, t[i].msg), "%s -> %s", t[i].line, msg);
        CHECK(access("x", F_OK) != 0);
    }
    char *argv[] = { "candles", "x" };
    CHECK(app_console_export(xp, NULL, 2, argv, "BTCUSDT", TF_1M, msg, sizeof msg) == -1 &&
          strstr(msg, "no database in this mode"));
    CHECK(app_console_export(xp, db, 2, argv, NULL, TF_1M, msg, sizeof msg) == -1 && strstr(msg, "no symbol shown yet"));
}

static void failures_leave_the_old_file(void)
{
    char msg[200], line[300];
    bool err = false;
    const char *path = tmp("keep.csv");
    FILE *f = fopen(path, "w");
    fputs("old\n", f);
    fclose(f);
    /* the database cannot be read */
    char good[256];
    snprintf(good, sizeof good, "%s", db);
    snprintf(db, sizeof db, "%s", tmp("none.db"));
    snprintf(line, sizeof line, "candles %s", path);
    CHECK(run(line, msg, sizeof msg, &err) == 0 && err && strstr(msg, "no such database"));
    snprintf(db, sizeof db, "%s", good);
    CHECK(lines(path) == 1 && access(tmp("keep.csv.tmp"), F_OK) != 0);
    /* the disk is full after 100 bytes (a connection held open keeps the
     * database's -shm file at its size, so only the export's file grows) */
    sqlite3 *h = NULL;
    CHECK(sqlite3_open(db, &h) == SQLITE_OK &&
          sqlite3_exec(h, "SELECT count(*) FROM candles", NULL, NULL, NULL) == SQLITE_OK);
    struct rlimit rl, small = { 100, 0 };
    getrlimit(RLIMIT_FSIZE, &rl);
    small.rlim_max = rl.rlim_max;
    signal(SIGXFSZ, SIG_IGN);
    CHECK(setrlimit(RLIMIT_FSIZE, &small) == 0);
    snprintf(line, sizeof line, "candles %s all all", path);
    int rc = run(line, msg, sizeof msg, &err);
    setrlimit(RLIMIT_FSIZE, &rl);
    sqlite3_close(h);
    char want[300];
    snprintf(want, sizeof want, "export candles: cannot write %s: File too large", path);
    CHECK_MSG(rc == 0 && err && strcmp(msg, want) == 0, "%d %s", rc, msg);
    CHECK(lines(path) == 1 && access(tmp("keep.csv.tmp"), F_OK) != 0);
    /* a missing directory */
    snprintf(line, sizeof line, "candles %s", tmp("no/dir/x.csv"));
    CHECK(run(line, msg, sizeof msg, &err) == 0 && err);
    snprintf(want, sizeof want, "export candles: cannot write %s: No such file or directory", tmp("no/dir/x.csv"));
    CHECK_MSG(strcmp(msg, want) == 0, "%s", msg);
}

int main(void)
{
    snprintf(dir, sizeof dir, "/tmp/ap-cexport-XXXXXX");
    if (!mkdtemp(dir) || make_db() || !(xp = app_console_export_new(NULL)))
        return 1;
    RUN(defaults_are_the_shown_series);
    RUN(home_is_expanded);
    RUN(bad_words_are_refused);
    RUN(failures_leave_the_old_file);
    if (!app_console_export_close(xp, 5000))
        printf("# an export was still running at the end\n");
    char cmd[256];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0)
        printf("# could not remove %s\n", dir);
    HARNESS_EXIT();
}
