/* Storage: migration from schemas 1 and 2, refusal of newer schemas, the append-only
 * journal, writer -> export round trip, restore of pending orders, risk state and
 * open signals, retention (these two also on PostgreSQL, from the same source),
 * and the bad-database paths (not SQLite, locked, a stale lock, another user, a
 * read-only directory). */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <libpq-fe.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "scratch_dir.h"
#include "pg_server.h"
#include "alphapulse/record.h"
#include "alphapulse/store.h"


static int q_int(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *s;
    int v = -999;
    if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
        v = sqlite3_column_int(s, 0);
    sqlite3_finalize(s);
    return v;
}

static void migrates_v1_and_keeps_rows(void)
{
    const char *path = scratch_path("v1.db");
    sqlite3 *db;
    CHECK(sqlite3_open(path, &db) == SQLITE_OK);
    CHECK(sqlite3_exec(db, STORE_SCHEMA_V1, NULL, NULL, NULL) == SQLITE_OK);
    CHECK(sqlite3_exec(db, "PRAGMA user_version=1;"
        "INSERT INTO candles VALUES('BTCUSDT','1m',60000,1.5,2.5,1.25,2,10,0,0,0);"
        "INSERT INTO fills VALUES(1,1,120000,'BTCUSDT',1,0.5,2,0.001,0,9999.999);"
        "INSERT INTO positions VALUES('BTCUSDT',0.5,2,0,0.001,120000);"
        "INSERT INTO account VALUES(1,9999.999,120000);"
        "INSERT INTO journal(time,text) VALUES(120000,'filled BUY 0.5 BTCUSDT');", NULL, NULL, NULL) == SQLITE_OK);
    sqlite3_close(db);
    char err[512] = "";
    struct store *st = store_open(path, err, sizeof err);
    CHECK_MSG(st != NULL, "%s", err);
    store_close(st);
    CHECK(sqlite3_open(path, &db) == SQLITE_OK);
    CHECK(q_int(db, "PRAGMA user_version") == STORE_SCHEMA_VERSION);
    CHECK(q_int(db, "SELECT count(*) FROM candles WHERE close=2 AND high=2.5") == 1);
    CHECK(q_int(db, "SELECT count(*) FROM fills WHERE id=1 AND balance_after=9999.999") == 1);
    CHECK(q_int(db, "SELECT count(*) FROM positions WHERE qty=0.5") == 1);
    CHECK(q_int(db, "SELECT count(*) FROM account WHERE balance=9999.999") == 1);
    CHECK(q_int(db, "SELECT count(*) FROM journal WHERE kind='note' AND text LIKE 'filled BUY%'") == 1);
    static const char *const tables[] = { "instruments", "signals", "orders", "equity", "paper_risk",
                                          "paper_orders", "paper_exits", "risk_events", "alerts", "settings" };
    for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++) {
        char sql[128];
        snprintf(sql, sizeof sql, "SELECT count(*) FROM sqlite_master WHERE type='table' AND name='%s'", tables[i]);
        CHECK_MSG(q_int(db, sql) == 1, "table %s missing after the upgrade", tables[i]);
    }
    /* the signals table has the signal engine's columns too */
    CHECK(q_int(db, "SELECT count(*) FROM pragma_table_info('signals') WHERE name IN ('candle_time','stop_kind',"
                    "'trend_alignment','htf_score','regime_confidence','best_tp','source','indicators')") == 8);
    /* the journal is append-only, old rows included */
    CHECK(sqlite3_exec(db, "UPDATE journal SET text='x'", NULL, NULL, NULL) != SQLITE_OK);
    CHECK(sqlite3_exec(db, "DELETE FROM journal", NULL, NULL, NULL) != SQLITE_OK);
    CHECK(q_int(db, "SELECT count(*) FROM journal") == 1);
    /* a newer schema is refused, with both versions named */
    CHECK(sqlite3_exec(db, "PRAGMA user_version=99", NULL, NULL, NULL) == SQLITE_OK);
    sqlite3_close(db);
    st = store_open(path, err, sizeof err);
    CHECK(st == NULL);
    CHECK_MSG(strstr(err, "version 99 is newer") != NULL, "%s", err);
}

/* Schema 2 -> 3: the paper book gains the ATR trail columns (old rows: a fixed
 * distance, restored as one), and 'placed' orders that are not in the stored book
 * (cancelled before cancellations were recorded) are marked cancelled. */
static struct engine *make_engine(struct spsc *q);

static void migrates_v2_paper_book(void)
{
    const char *path = scratch_path("v2.db");
    char err[512] = "";
    CHECK_MSG(store_create_at_version(path, 2, err, sizeof err) == 0, "%s", err);
    sqlite3 *db;
    CHECK(sqlite3_open(path, &db) == SQLITE_OK);
    CHECK(q_int(db, "PRAGMA user_version") == 2);
    CHECK(q_int(db, "SELECT count(*) FROM pragma_table_info('paper_exits') WHERE name='trail_atr'") == 0);
    CHECK(sqlite3_exec(db,
        "INSERT INTO orders VALUES(3,60000,120000,'BTCUSDT',1,'market','filled',1,0,1,100,'');"
        "INSERT INTO orders VALUES(4,60000,60000,'BTCUSDT',1,'limit','placed',1,90,0,0,'');"
        "INSERT INTO orders VALUES(5,60000,60000,'BTCUSDT',1,'limit','placed',1,91,0,0,'');"
        "INSERT INTO paper_orders VALUES(5,'BTCUSDT',1,1,1,91,0,0,60000,85,0,0,0,0,0,0,0,0,0);"
        "INSERT INTO positions VALUES('BTCUSDT',1,100,0,0.1,120000);"
        "INSERT INTO paper_exits VALUES('BTCUSDT',95,2.5,104,110,0,0,0,1,0,0,0,1,0,0,120000);",
        NULL, NULL, NULL) == SQLITE_OK);
    sqlite3_close(db);
    struct store *st = store_open(path, err, sizeof err);
    CHECK_MSG(st != NULL, "%s", err);
    if (!st)
        return;
    CHECK(sqlite3_open(path, &db) == SQLITE_OK);
    CHECK(q_int(db, "PRAGMA user_version") == STORE_SCHEMA_VERSION);
    CHECK(q_int(db, "SELECT count(*) FROM pragma_table_info('paper_exits') WHERE name IN ('trail_atr','trail_stop')") == 2);
    CHECK(q_int(db, "SELECT count(*) FROM pragma_table_info('paper_orders') WHERE name='trail_atr'") == 1);
    CHECK(q_int(db, "SELECT count(*) FROM orders WHERE id=3 AND status='filled'") == 1);
    CHECK(q_int(db, "SELECT count(*) FROM orders WHERE id=4 AND status='cancelled' AND updated=60000") == 1);
    CHECK(q_int(db, "SELECT count(*) FROM orders WHERE id=5 AND status='placed'") == 1);
    sqlite3_close(db);
    struct engine *e = make_engine(NULL);
    CHECK(store_restore(st, e, 100) == 0);
    const struct broker *b = engine_broker(e);
    const struct bracket *br = &b->pos[0].br;
    CHECK(b->pos[0].qty == 1 && br->stop == 95 && br->trail == 2.5 && br->trail_ref == 104 && br->trail_atr == 0 &&
          br->trail_stop == 0);
    CHECK(broker_trail_level(b, 0) == 101.5);
    const struct broker_order *o = broker_order_find(b, 5);
    CHECK(b->n_orders == 1 && o && o->br.stop == 85 && o->br.trail_atr == 0);
    engine_destroy(e);
    store_close(st);
}

static void not_sqlite_is_left_alone(void)
{
    const char *path = scratch_path("text.db");
    FILE *f = fopen(path, "w");
    const char *text = "these are my notes, not a database\n";
    fputs(text, f);
    fclose(f);
    char err[512] = "";
    CHECK(store_open(path, err, sizeof err) == NULL);
    CHECK_MSG(strstr(err, "not an SQLite database") != NULL, "%s", err);
    char back[128] = "";
    f = fopen(path, "r");
    CHECK(fgets(back, sizeof back, f) != NULL);
    fclose(f);
    CHECK(strcmp(back, text) == 0);
    struct stat sb;
    CHECK(stat(scratch_path("text.db-wal"), &sb) != 0);
}

static void lock_refuses_second_and_dies_with_holder(void)
{
    const char *path = scratch_path("lock.db");
    char err[512] = "";
    struct store *a = store_open(path, err, sizeof err);
    CHECK_MSG(a != NULL, "%s", err);
    CHECK(store_open(path, err, sizeof err) == NULL);
    CHECK_MSG(strstr(err, "in use by another alphapulse process") != NULL, "%s", err);
    store_close(a);
    /* a holder killed with SIGKILL leaves the lock file behind but not the lock */
    int p[2];
    CHECK(pipe(p) == 0);
    pid_t pid = fork();
    if (pid == 0) {
        struct store *c = store_open(path, err, sizeof err);
        ssize_t w = write(p[1], c ? "y" : "n", 1);
        (void)w;
        pause();
        _exit(0);
    }
    char got = 0;
    CHECK(read(p[0], &got, 1) == 1 && got == 'y');
    CHECK(store_open(path, err, sizeof err) == NULL);   /* held by the child */
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    close(p[0]);
    close(p[1]);
    struct stat sb;
    CHECK(stat(scratch_path("lock.db.lock"), &sb) == 0);
    a = store_open(path, err, sizeof err);
    CHECK_MSG(a != NULL, "after the holder died: %s", err);
    /* another user on the same file is refused because of the lock, not a permission */
    if (geteuid() == 0) {
        chmod(scratch_dir, 0777);
        chmod(path, 0666);
        pid = fork();
        if (pid == 0) {
            if (setgid(65534) || setuid(65534))
                _exit(3);
            struct store *c = store_open(path, err, sizeof err);
            _exit(c ? 1 : strstr(err, "in use by another alphapulse process") ? 0 : 2);
        }
        int status = 0;
        waitpid(pid, &status, 0);
        CHECK_MSG(WIFEXITED(status) && WEXITSTATUS(status) == 0, "other user: status %d", WEXITSTATUS(status));
        /* and a directory it may not write: a clear error, no file created */
        mkdir(scratch_path("ro"), 0555);
        pid = fork();
        if (pid == 0) {
            if (setgid(65534) || setuid(65534))
                _exit(3);
            struct store *c = store_open(scratch_path("ro/new.db"), err, sizeof err);
            printf("#   %s\n", err);
            fflush(stdout);
            _exit(c ? 1 : strstr(err, "directory must be writable") ? 0 : 2);
        }
        waitpid(pid, &status, 0);
        CHECK_MSG(WIFEXITED(status) && WEXITSTATUS(status) == 0, "read-only dir: status %d", WEXITSTATUS(status));
        CHECK(stat(scratch_path("ro/new.db"), &sb) != 0);
    } else {
        printf("# not root: the other-user and read-only checks run as this user only\n");
        mkdir(scratch_path("ro"), 0555);
        CHECK(store_open(scratch_path("ro/new.db"), err, sizeof err) == NULL);
        CHECK_MSG(strstr(err, "directory must be writable") != NULL, "%s", err);
    }
    store_close(a);
}

static struct engine *make_engine(struct spsc *q)
{
    struct engine_config cfg;
    struct instrument inst[INSTRUMENTS_MAX] = { 0 };
    engine_config_defaults(&cfg);
    cfg.inst = inst;
    cfg.n_symbols = 2;
    snprintf(inst[0].symbol, SYMBOL_MAX, "BTCUSDT");
    snprintf(inst[0].base, 12, "BTC");
    snprintf(inst[0].quote, 12, "USDT");
    snprintf(inst[1].symbol, SYMBOL_MAX, "ETHUSDT");
    snprintf(inst[1].base, 12, "ETH");
    snprintf(inst[1].quote, 12, "USDT");
    return engine_create(&cfg, q);
}

static void push(struct spsc *q, struct record *r, uint64_t *seq)
{
    r->seq = ++*seq;
    CHECK(spsc_push(q, r));
}

/* awkward doubles: they must come back bit for bit */
static double awkward(int i) { return 0.1 * i + 1.0 / 3.0 + (i % 7) * 1e-13; }

/* One source for both backends: path is a file or a PostgreSQL URL. */
static void round_trip(const char *path)
{
    char err[512] = "";
    struct store *st = store_open(path, err, sizeof err);
    CHECK_MSG(st != NULL, "%s", err);
    if (!st)
        return;
    struct spsc q;
    spsc_init(&q, sizeof(struct record), 1 << 14);
    struct engine *e = make_engine(&q);
    CHECK(store_restore(st, e, 100) == 0);
    CHECK(store_start(st, &q) == 0);
    uint64_t seq = 0;
    const int N = 3000;
    for (int i = 0; i < N; i++) {
        struct record r = { .type = REC_CANDLE, .tf = TF_1M, .time = i * 60000LL };
        snprintf(r.symbol, SYMBOL_MAX, "BTCUSDT");
        r.u.candle = (struct candle){ .open_time = 1733011200000LL + i * 60000LL, .open = awkward(i),
                                      .high = awkward(i) * 1.01, .low = awkward(i) * 0.99, .close = awkward(i + 1),
                                      .volume = 1e-9 * i, .quote_volume = 123456789.123456789 + i, .trades = i,
                                      .flags = (uint32_t)(i % 3) };
        push(&q, &r, &seq);
    }
    static const char *const texts[] = { "plain", "with, comma", "with \"quotes\"", "line\nbreak", "tab\there" };
    for (int i = 0; i < 5; i++) {
        struct record r = { .type = REC_JOURNAL, .time = 1733011200000LL + i };
        snprintf(r.u.text.kind, sizeof r.u.text.kind, "note");
        snprintf(r.u.text.text, sizeof r.u.text.text, "%s", texts[i]);
        push(&q, &r, &seq);
    }
    /* an order accepted but not filled (in the broker's book), then a filled one with its fill */
    struct record bk = { .type = REC_BOOK, .time = 1733011260000LL };
    snprintf(bk.symbol, SYMBOL_MAX, "ETHUSDT");
    push(&q, &bk, &seq);
    bk.type = REC_BOOK_ORDER;
    bk.u.book_order = (struct broker_order){ .active = true, .id = 7, .sym = 1, .side = -1, .type = ORDER_MARKET,
                                             .qty = 0.3, .placed = 1733011260000LL };
    push(&q, &bk, &seq);
    struct record o = { .type = REC_ORDER, .time = 1733011260000LL };
    snprintf(o.symbol, SYMBOL_MAX, "ETHUSDT");
    o.u.order = (struct record_order){ .id = 7, .side = -1, .type = ORDER_MARKET, .status = ORDER_PLACED,
                                       .qty = 0.3, .placed = 1733011260000LL };
    push(&q, &o, &seq);
    struct record f = { .type = REC_FILL, .time = 1733011320000LL };
    snprintf(f.symbol, SYMBOL_MAX, "BTCUSDT");
    f.u.fill = (struct record_fill){ .id = 3, .order_id = 6, .side = 1, .qty = 0.25, .price = awkward(5),
                                     .fee = 0.001, .pos_qty = 0.25, .pos_avg = awkward(5), .pos_fees = 0.001,
                                     .balance = 10000 - 0.001 };
    o.u.order.id = 6;
    o.u.order.side = 1;
    snprintf(o.symbol, SYMBOL_MAX, "BTCUSDT");
    push(&q, &o, &seq);
    push(&q, &f, &seq);
    struct record rs = { .type = REC_RISK, .time = 1733011320000LL };
    rs.u.risk = (struct risk_state){ .day = 20057, .day_start_equity = 10000, .peak_equity = 10050.5, .streak = 2,
                                     .cooldown_until = 1733014920000LL, .updated = 1733011320000LL };
    push(&q, &rs, &seq);
    struct record sg = { .type = REC_SIGNAL, .time = 1733011380000LL, .tf = TF_15M };
    snprintf(sg.symbol, SYMBOL_MAX, "ETHUSDT");
    sg.u.signal = (struct record_signal){ .id = 11, .side = -1, .state = SIGNAL_NEW, .confidence = 0.875,
                                          .entry = 3600.5, .stop = 3650.25, .tp = { 3500, 3450, 0, 0 },
                                          .reward_risk = 2.01, .volume_confirmed = true, .voters = 0x15,
                                          .expiry = 1733020000000LL };
    /* the signal engine's fields (schema v2 carries them too) */
    sg.u.signal.time = 1733011380000LL;
    sg.u.signal.candle_time = 1733010480000LL;
    sg.u.signal.stop_kind = 1;
    sg.u.signal.trend_alignment = -1;
    sg.u.signal.htf_score = -0.375;
    sg.u.signal.regime_confidence = 0.8125;
    snprintf(sg.u.signal.source, sizeof sg.u.signal.source, "engine");
    snprintf(sg.u.signal.pattern, sizeof sg.u.signal.pattern, "CDLENGULFING");
    snprintf(sg.u.signal.regime, sizeof sg.u.signal.regime, "WEAK_TREND");
    for (int i = 0; i < SIGNAL_INDICATORS; i++)
        sg.u.signal.indicators[i] = i == 3 ? NAN : awkward(i);
    push(&q, &sg, &seq);
    struct record sg2 = sg;
    sg2.u.signal.id = 12;
    sg2.u.signal.state = SIGNAL_EXPIRED;
    sg2.u.signal.outcome = OUTCOME_EXPIRY;
    push(&q, &sg2, &seq);
    /* the acknowledgement reaches the last record */
    for (int i = 0; i < 500 && atomic_load(&store_ack(st)->durable_seq) < seq; i++)
        nanosleep(&(struct timespec){ 0, 10000000 }, NULL);
    CHECK(atomic_load(&store_ack(st)->durable_seq) == seq);
    CHECK(!store_failing(st));

    /* export while the writer is running: its own connection */
    FILE *out = tmpfile();
    struct export_options eo = { .what = EXPORT_CANDLES, .symbol = "BTCUSDT", .tf = TF_1M,
                                 .from = INT64_MIN, .to = INT64_MAX };
    CHECK(store_export(path, &eo, out, err, sizeof err) == N);
    rewind(out);
    char line[512];
    CHECK(fgets(line, sizeof line, out) && strncmp(line, "symbol,timeframe,open_time,open,", 32) == 0);
    int i = 0, bad = 0;
    while (fgets(line, sizeof line, out)) {
        char sym[16], tf[8], ts[40];
        double op, hi, lo, cl, vol, qv;
        long long trades, flags;
        int64_t t;
        int k = sscanf(line, "%15[^,],%7[^,],%39[^,],%lf,%lf,%lf,%lf,%lf,%lf,%lld,%lld", sym, tf, ts, &op, &hi, &lo,
                       &cl, &vol, &qv, &trades, &flags);
        bad += !(k == 11 && store_parse_time(ts, &t) == 0 && t == 1733011200000LL + i * 60000LL &&
                 op == awkward(i) && hi == awkward(i) * 1.01 && lo == awkward(i) * 0.99 && cl == awkward(i + 1) &&
                 vol == 1e-9 * i && qv == 123456789.123456789 + i && trades == i && flags == i % 3);
        i++;
    }
    fclose(out);
    CHECK(i == N);
    CHECK_MSG(bad == 0, "%d candle rows did not read back bit for bit", bad);

    /* journal as JSON: the texts come back exactly, escapes included */
    out = tmpfile();
    eo = (struct export_options){ .what = EXPORT_JOURNAL, .tf = -1, .from = INT64_MIN, .to = INT64_MAX, .json = true };
    CHECK(store_export(path, &eo, out, err, sizeof err) == 5);
    rewind(out);
    json_error_t je;
    json_t *arr = json_loadf(out, 0, &je);
    fclose(out);
    CHECK_MSG(json_is_array(arr) && json_array_size(arr) == 5, "journal JSON: %s", je.text);
    for (size_t j = 0; arr && j < json_array_size(arr) && j < 5; j++) {
        const char *t = json_string_value(json_object_get(json_array_get(arr, j), "text"));
        CHECK_MSG(t && strcmp(t, texts[j]) == 0, "journal row %zu: %s", j, t ? t : "(null)");
    }
    json_decref(arr);
    /* time filters: [from, to] inclusive */
    out = tmpfile();
    eo = (struct export_options){ .what = EXPORT_CANDLES, .tf = -1, .from = 1733011200000LL + 60000,
                                  .to = 1733011200000LL + 10 * 60000 };
    CHECK(store_export(path, &eo, out, err, sizeof err) == 10);
    fclose(out);
    out = tmpfile();
    eo = (struct export_options){ .what = EXPORT_SIGNALS, .tf = -1, .from = INT64_MIN, .to = INT64_MAX, .json = true };
    CHECK(store_export(path, &eo, out, err, sizeof err) == 2);
    rewind(out);
    arr = json_loadf(out, 0, &je);
    fclose(out);
    CHECK_MSG(json_is_array(arr), "signals JSON: %s", je.text);
    json_decref(arr);
    store_stop(st);
    engine_destroy(e);

    /* restore: the pending order, the fill's position and balance, ids past both */
    struct spsc q2;
    spsc_init(&q2, sizeof(struct record), 1 << 12);
    e = make_engine(&q2);
    CHECK(store_restore(st, e, 100) == 0);
    const struct broker *b = engine_broker(e);
    int working = 0, found7 = 0;
    for (int i = 0; i < BROKER_MAX_ORDERS; i++)
        if (b->ord[i].active) {
            working++;
            found7 += b->ord[i].id == 7 && b->ord[i].sym == 1 && b->ord[i].side == -1 && b->ord[i].qty == 0.3;
        }
    CHECK(working == 1 && found7 == 1);       /* order 6 was filled: never again */
    CHECK(b->pos[0].qty == 0.25 && b->pos[0].avg == awkward(5));
    const struct risk_state *rk = &engine_portfolio(e)->risk;
    CHECK(rk->streak == 2 && rk->peak_equity == 10050.5 && rk->cooldown_until == 1733014920000LL);
    CHECK(b->balance == 10000 - 0.001);
    CHECK(b->next_order == 8 && b->next_fill == 4);
    engine_destroy(e);
    spsc_free(&q2);
    store_close(st);
    spsc_free(&q);

    struct { int n; struct record_signal g; char sym[16]; int tf; int64_t t; } got = { 0 };
    void fn(void *ctx, const char *symbol, int tf, int64_t t, const struct record_signal *g);
    CHECK(store_load_open_signals(path, fn, &got, err, sizeof err) == 1);
    CHECK(got.n == 1 && strcmp(got.sym, "ETHUSDT") == 0 && got.tf == TF_15M && got.t == 1733011380000LL);
    const struct record_signal *w = &sg.u.signal, *g = &got.g;
    CHECK(g->id == 11 && g->side == -1 && g->state == SIGNAL_NEW && g->confidence == w->confidence &&
          g->entry == w->entry && g->stop == w->stop && g->tp[0] == 3500 && g->tp[1] == 3450 && g->tp[2] == 0 &&
          g->reward_risk == w->reward_risk && g->volume_confirmed && g->voters == 0x15 &&
          g->expiry == w->expiry && strcmp(g->pattern, "CDLENGULFING") == 0 && strcmp(g->regime, "WEAK_TREND") == 0);
    for (int k = 0; k < SIGNAL_INDICATORS; k++)
        CHECK(k == 3 ? isnan(g->indicators[k]) : g->indicators[k] == w->indicators[k]);
    CHECK(g->time == w->time && g->candle_time == w->candle_time && g->stop_kind == 1 && g->trend_alignment == -1 &&
          g->htf_score == w->htf_score && g->regime_confidence == w->regime_confidence && g->best_tp == 0 &&
          g->outcome == OUTCOME_OPEN && strcmp(g->source, "engine") == 0);
}

static void writer_export_round_trip(void) { round_trip(scratch_path("rt.db")); }

/* The round trip and the retention against PostgreSQL: a private server (tests/pg/pg_server.sh); none is
 * a failure with its reason. */
static void retention(const char *path);
static void writer_export_round_trip_postgres(void)
{
    char why[2048];
    const char *url = pg_server_start(why, sizeof why);
    CHECK_MSG(url != NULL, "no PostgreSQL server for the test: %s", why);
    if (url) {
        round_trip(url);
        /* a fresh database for the retention, as the SQLite run gets a new file */
        PGconn *c = PQconnectdb(url);
        PGresult *r = PQexec(c, "SET client_min_messages = warning; DROP SCHEMA public CASCADE; CREATE SCHEMA public");
        CHECK(PQresultStatus(r) == PGRES_COMMAND_OK);
        PQclear(r);
        PQfinish(c);
        retention(url);
    }
    pg_server_stop();
}

void fn(void *ctx, const char *symbol, int tf, int64_t t, const struct record_signal *g)
{
    struct { int n; struct record_signal g; char sym[16]; int tf; int64_t t; } *got = ctx;
    got->n++;
    got->g = *g;
    snprintf(got->sym, sizeof got->sym, "%s", symbol);
    got->tf = tf;
    got->t = t;
}

/* Candles of BTCUSDT x tf with open_time in [from, to], counted by the export:
 * the same question for both backends. */
static long count_candles(const char *db, int tf, int64_t from, int64_t to)
{
    char err[512];
    FILE *out = fopen("/dev/null", "w");
    struct export_options eo = { .what = EXPORT_CANDLES, .symbol = "BTCUSDT", .tf = tf, .from = from, .to = to };
    long n = store_export(db, &eo, out, err, sizeof err);
    fclose(out);
    return n;
}

static void retention(const char *path)
{
    char err[512] = "";
    struct store *st = store_open(path, err, sizeof err);
    CHECK_MSG(st != NULL, "%s", err);
    if (!st)
        return;
    struct store_retention r;
    store_retention_defaults(&r);
    CHECK(r.keep_ms[TF_1M] == 30LL * 86400000 && r.keep_ms[TF_15M] == 180LL * 86400000 && r.keep_ms[TF_1H] == 0);
    r.keep_ms[TF_1M] = 2LL * 86400000;        /* 2 days of 1m, in steps of 700 rows */
    r.step_rows = 700;
    store_set_retention(st, &r);
    struct spsc q;
    spsc_init(&q, sizeof(struct record), 1 << 14);
    CHECK(store_start(st, &q) == 0);
    uint64_t seq = 0;
    const int64_t t0 = 1700000000000LL / 60000 * 60000;
    int n1 = 5 * 1440;                          /* five days of 1m */
    for (int i = 0; i < n1; i++) {
        struct record c = { .type = REC_CANDLE, .tf = TF_1M };
        snprintf(c.symbol, SYMBOL_MAX, "BTCUSDT");
        c.u.candle = (struct candle){ .open_time = t0 + i * 60000LL, .open = 1, .high = 1, .low = 1, .close = 1 };
        while (!spsc_push(&q, &c))
            nanosleep(&(struct timespec){ 0, 1000000 }, NULL);
        seq++;
        if (i % 60 == 0) {
            c.tf = TF_1H;
            c.u.candle.open_time = t0 + i * 60000LL;
            while (!spsc_push(&q, &c))
                nanosleep(&(struct timespec){ 0, 1000000 }, NULL);
        }
    }
    int64_t newest = t0 + (n1 - 1) * 60000LL;
    /* the store thread is done when the newest candle is in and nothing old is left
     * (under a sanitizer it can still be writing when the old rows are gone) */
    long left = -1, have_last = 0, all = 0;
    uint64_t want_pruned = (uint64_t)(n1 - 2 * 1440 - 1);
    for (int i = 0; i < 1000 && (left != 0 || have_last != 1 || all != 2 * 1440 + 1 ||
                                 store_rows_pruned(st) != want_pruned); i++) {
        nanosleep(&(struct timespec){ 0, 20000000 }, NULL);
        left = count_candles(path, TF_1M, INT64_MIN, newest - r.keep_ms[TF_1M] - 1);
        have_last = count_candles(path, TF_1M, newest, newest);
        all = count_candles(path, TF_1M, INT64_MIN, INT64_MAX);
    }
    CHECK_MSG(have_last == 1, "the newest 1m candle was not stored");
    CHECK_MSG(left == 0, "%ld 1m candles older than the keep period remain", left);
    CHECK_MSG(all == 2 * 1440 + 1, "%ld 1m candles, want %d", all, 2 * 1440 + 1);
    CHECK(count_candles(path, TF_1H, INT64_MIN, INT64_MAX) == 5 * 24);   /* forever */
    CHECK_MSG(store_rows_pruned(st) == want_pruned, "%llu pruned, want %llu",
              (unsigned long long)store_rows_pruned(st), (unsigned long long)want_pruned);
    store_close(st);
    spsc_free(&q);
}

static void retention_prunes_by_newest_candle(void) { retention(scratch_path("ret.db")); }

/* Candles of every symbol with open_time t (-1 if the file cannot be read). */
static long candles_at(const char *path, int64_t t)
{
    sqlite3 *db;
    sqlite3_stmt *q;
    long n = -1;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(db, "SELECT count(*) FROM candles WHERE open_time = ?", -1, &q, NULL) == SQLITE_OK) {
        sqlite3_bind_int64(q, 1, t);
        if (sqlite3_step(q) == SQLITE_ROW)
            n = sqlite3_column_int(q, 0);
        sqlite3_finalize(q);
    }
    sqlite3_close(db);
    return n;
}

/* The whole market: 1,000 symbols of 1m and 5m candles (2,000 series), each with
 * one candle older than the keep period and a newest one; every old one goes. */
static void retention_covers_every_series(void)
{
    const char *path = scratch_path("ret_many.db");
    char err[512] = "";
    struct store *st = store_open(path, err, sizeof err);
    CHECK_MSG(st != NULL, "%s", err);
    if (!st)
        return;
    struct store_retention r;
    store_retention_defaults(&r);
    r.keep_ms[TF_1M] = r.keep_ms[TF_5M] = 2LL * 86400000;
    store_set_retention(st, &r);
    struct spsc q;
    spsc_init(&q, sizeof(struct record), 1 << 14);
    CHECK(store_start(st, &q) == 0);
    const int64_t t0 = 1700000000000LL / 300000 * 300000, newest = t0 + 3LL * 86400000;
    enum { N = 1000 };
    for (int k = 0; k < N; k++)
        for (int tf = TF_1M; tf <= TF_5M; tf++)
            for (int j = 0; j < 2; j++) {
                struct record c = { .type = REC_CANDLE, .tf = tf };
                snprintf(c.symbol, SYMBOL_MAX, "S%04dUSDT", k);
                c.u.candle = (struct candle){ .open_time = j ? newest : t0, .open = 1, .high = 1, .low = 1, .close = 1 };
                while (!spsc_push(&q, &c))
                    nanosleep(&(struct timespec){ 0, 1000000 }, NULL);
            }
    long left = -1, kept = -1;
    for (int i = 0; i < 1500 && (left != 0 || kept != 2 * N || store_rows_pruned(st) != 2 * N); i++) {
        nanosleep(&(struct timespec){ 0, 20000000 }, NULL);
        left = candles_at(path, t0);
        kept = candles_at(path, newest);
    }
    CHECK_MSG(left == 0, "%ld candles older than the keep period remain of %d", left, 2 * N);
    CHECK_MSG(kept == 2 * N, "%ld newest candles, want %d", kept, 2 * N);
    CHECK_MSG(store_rows_pruned(st) == 2 * N, "%llu pruned, want %d", (unsigned long long)store_rows_pruned(st), 2 * N);
    store_close(st);
    spsc_free(&q);
}

int main(void)
{
    if (scratch_make("/tmp/ap-store-XXXXXX"))
        return 1;
    RUN(migrates_v1_and_keeps_rows);
    RUN(migrates_v2_paper_book);
    RUN(not_sqlite_is_left_alone);
    RUN(lock_refuses_second_and_dies_with_holder);
    RUN(writer_export_round_trip);
    RUN(writer_export_round_trip_postgres);
    RUN(retention_prunes_by_newest_candle);
    RUN(retention_covers_every_series);
    char cmd[256];
    snprintf(cmd, sizeof cmd, "chmod -R u+w %s; rm -rf %s", scratch_dir, scratch_dir);
    if (system(cmd) != 0)
        printf("# could not remove %s\n", scratch_dir);
    HARNESS_EXIT();
}
