/* Schema 4, venues: a database written by the release before it (schema 3,
 * tests/data/store_v3/, made by a scripted headless demo run) upgrades with every
 * row intact and exports byte for byte as that release exported it
 * (tests/data/store_v3/exports.txt: size and FNV-1a 64 of each export, taken with
 * that release's binary); the instruments table is keyed by (venue, symbol); the
 * store takes "binance:BTCUSDT" as "BTCUSDT" and keeps other venues' symbols
 * apart, through the writer, the restore, the export filters and the backtest
 * reader. */
#include <fcntl.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "scratch_dir.h"
#include "alphapulse/engine.h"
#include "alphapulse/record.h"
#include "alphapulse/store.h"

#define FIXTURE "tests/data/store_v3/alphapulse_v3.db"
#define FIXTURE_EXPORTS "tests/data/store_v3/exports.txt"


static long q_int(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *s;
    long v = -999;
    if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
        v = (long)sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return v;
}

static int copy_file(const char *from, const char *to)
{
    FILE *in = fopen(from, "rb"), *out = in ? fopen(to, "wb") : NULL;
    char buf[65536];
    size_t n;
    int rc = in && out ? 0 : -1;
    while (rc == 0 && (n = fread(buf, 1, sizeof buf, in)) > 0)
        rc = fwrite(buf, 1, n, out) == n ? 0 : -1;
    if (in)
        fclose(in);
    if (out && fclose(out) != 0)
        rc = -1;
    return rc;
}

static uint64_t fnv1a(const char *p, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)p[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

static void symbol_forms(void)
{
    char v[32], s[32], c[32];
    CHECK(store_symbol_split("BTCUSDT", v, sizeof v, s, sizeof s) == 0 && strcmp(v, "binance") == 0 &&
          strcmp(s, "BTCUSDT") == 0);
    CHECK(store_symbol_split("binance:BTCUSDT", v, sizeof v, s, sizeof s) == 0 && strcmp(v, "binance") == 0 &&
          strcmp(s, "BTCUSDT") == 0);
    CHECK(store_symbol_split("bybit-linear:BTCUSDT", v, sizeof v, s, sizeof s) == 0 &&
          strcmp(v, "bybit-linear") == 0 && strcmp(s, "BTCUSDT") == 0);
    CHECK(store_symbol_split("bybit:", v, sizeof v, s, sizeof s) == -1);
    CHECK(store_symbol_split(":BTCUSDT", v, sizeof v, s, sizeof s) == -1);
    CHECK(store_symbol_split("a:b:c", v, sizeof v, s, sizeof s) == -1);
    CHECK(store_symbol_split("bybit:BTCUSDT", v, 4, s, sizeof s) == -1);
    store_symbol_canonical("binance:ETHBTC", c, sizeof c);
    CHECK(strcmp(c, "ETHBTC") == 0);
    store_symbol_canonical("BINANCE:ETHBTC", c, sizeof c);
    CHECK(strcmp(c, "ETHBTC") == 0);
    store_symbol_canonical("bybit:ETHBTC", c, sizeof c);
    CHECK(strcmp(c, "bybit:ETHBTC") == 0);
    char inplace[32] = "binance:BTCUSDT";
    store_symbol_canonical(inplace, inplace, sizeof inplace);
    CHECK(strcmp(inplace, "BTCUSDT") == 0);
}

/* The release's database: version 3, then 4 after store_open, nothing lost. */
static void upgrades_release_v3_database(void)
{
    const char *path = scratch_path("v3.db");
    CHECK_MSG(copy_file(FIXTURE, path) == 0, "cannot copy %s", FIXTURE);
    sqlite3 *db;
    CHECK(sqlite3_open(path, &db) == SQLITE_OK);
    CHECK(q_int(db, "PRAGMA user_version") == 3);
    long candles = q_int(db, "SELECT count(*) FROM candles"), fills = q_int(db, "SELECT count(*) FROM fills");
    long journal = q_int(db, "SELECT count(*) FROM journal"), orders = q_int(db, "SELECT count(*) FROM orders");
    long signals = q_int(db, "SELECT count(*) FROM signals"), insts = q_int(db, "SELECT count(*) FROM instruments");
    long close_sum = q_int(db, "SELECT CAST(sum(close) * 1000 AS INTEGER) FROM candles");
    sqlite3_close(db);
    CHECK(candles == 9439 && fills == 4 && journal == 387 && orders == 5 && signals == 140 && insts == 4);

    char err[512] = "";
    struct store *st = store_open(path, err, sizeof err);
    CHECK_MSG(st != NULL, "%s", err);
    store_close(st);
    CHECK(sqlite3_open(path, &db) == SQLITE_OK);
    CHECK(q_int(db, "PRAGMA user_version") == STORE_SCHEMA_VERSION);
    CHECK(q_int(db, "SELECT count(*) FROM candles") == candles);
    CHECK(q_int(db, "SELECT CAST(sum(close) * 1000 AS INTEGER) FROM candles") == close_sum);
    CHECK(q_int(db, "SELECT count(*) FROM fills") == fills);
    CHECK(q_int(db, "SELECT count(*) FROM journal") == journal);
    CHECK(q_int(db, "SELECT count(*) FROM orders") == orders);
    CHECK(q_int(db, "SELECT count(*) FROM signals") == signals);
    /* instruments: every old row now at venue binance, keyed (venue, symbol) */
    CHECK(q_int(db, "SELECT count(*) FROM instruments WHERE venue='binance'") == insts);
    CHECK(q_int(db, "SELECT count(*) FROM instruments WHERE venue='binance' AND symbol='BTCUSDT' AND base='BTC'") == 1);
    CHECK(q_int(db, "SELECT group_concat(name) = 'venue,symbol' FROM "
                    "(SELECT name FROM pragma_table_info('instruments') WHERE pk > 0 ORDER BY pk)") == 1);
    /* the journal stays append-only */
    CHECK(sqlite3_exec(db, "UPDATE journal SET text='x'", NULL, NULL, NULL) != SQLITE_OK);
    CHECK(sqlite3_exec(db, "DELETE FROM journal", NULL, NULL, NULL) != SQLITE_OK);
    sqlite3_stmt *s;
    CHECK(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &s, NULL) == SQLITE_OK &&
          sqlite3_step(s) == SQLITE_ROW && strcmp((const char *)sqlite3_column_text(s, 0), "ok") == 0);
    sqlite3_finalize(s);
    sqlite3_close(db);

    /* every export, CSV and JSON, byte for byte what the release wrote */
    FILE *want = fopen(FIXTURE_EXPORTS, "r");
    CHECK_MSG(want != NULL, "cannot read %s", FIXTURE_EXPORTS);
    char kind[16], fmt[8];
    unsigned long long size, hash;
    int checked = 0;
    while (want && fscanf(want, "%15s %7s %llu %llx", kind, fmt, &size, &hash) == 4) {
        int what = -1;
        for (int k = 0; k < EXPORT_KINDS; k++)
            if (strcmp(store_export_names[k], kind) == 0)
                what = k;
        CHECK_MSG(what >= 0, "unknown kind %s", kind);
        if (what < 0)
            continue;
        char *buf = NULL;
        size_t len = 0;
        FILE *out = open_memstream(&buf, &len);
        struct export_options eo = { .what = what, .tf = -1, .from = INT64_MIN, .to = INT64_MAX,
                                     .json = strcmp(fmt, "json") == 0 };
        long rows = store_export(path, &eo, out, err, sizeof err);
        fclose(out);
        CHECK_MSG(rows >= 0, "%s", err);
        CHECK_MSG(len == size && fnv1a(buf, len) == hash, "export %s %s: %zu bytes, hash %016llx; the release "
                  "wrote %llu bytes, hash %016llx", kind, fmt, len, (unsigned long long)fnv1a(buf, len), size, hash);
        free(buf);
        checked++;
    }
    if (want)
        fclose(want);
    CHECK(checked == 2 * (EXPORT_KINDS - 1));  /* every kind but tape (schema 6, after the release) */
    /* and it restores into an engine that spells Binance out: BTCUSDT's realized
     * profit, and the script's last buy (ADABTC), still working */
    st = store_open(path, err, sizeof err);
    CHECK_MSG(st != NULL, "%s", err);
    if (!st)
        return;
    struct engine_config cfg;
    struct instrument inst[INSTRUMENTS_MAX] = { 0 };
    engine_config_defaults(&cfg);
    cfg.inst = inst;
    cfg.n_symbols = 2;
    snprintf(inst[0].symbol, SYMBOL_MAX, "binance:BTCUSDT");
    snprintf(inst[1].symbol, SYMBOL_MAX, "binance:ADABTC");
    struct engine *e = engine_create(&cfg, NULL);
    CHECK(store_restore(st, e, 100) == 0);
    const struct broker *b = engine_broker(e);
    CHECK(b->pos[0].qty == 0 && b->pos[0].realized > 2.56 && b->pos[0].realized < 2.57);
    const struct broker_order *o = broker_order_find(b, 5);
    CHECK(b->n_orders == 1 && o && o->sym == 1 && o->side == 1 && o->qty == 97);
    CHECK(b->balance > 9997.02 && b->balance < 9997.03);
    engine_destroy(e);
    store_close(st);
}

static void push(struct spsc *q, struct record *r, uint64_t *seq)
{
    r->seq = ++*seq;
    CHECK(spsc_push(q, r));
}

/* Two venues' BTCUSDT side by side, and "binance:" written as the bare name. */
static void venues_kept_apart(void)
{
    const char *path = scratch_path("venues.db");
    char err[512] = "";
    struct store *st = store_open(path, err, sizeof err);
    CHECK_MSG(st != NULL, "%s", err);
    if (!st)
        return;
    struct spsc q;
    spsc_init(&q, sizeof(struct record), 1 << 12);
    struct engine_config cfg;
    struct instrument inst[INSTRUMENTS_MAX] = { 0 };
    engine_config_defaults(&cfg);
    cfg.inst = inst;
    cfg.n_symbols = 2;
    snprintf(inst[0].symbol, SYMBOL_MAX, "binance:BTCUSDT");
    snprintf(inst[1].symbol, SYMBOL_MAX, "bybit:BTCUSDT");
    for (int i = 0; i < 2; i++) {
        snprintf(inst[i].base, 12, "BTC");
        snprintf(inst[i].quote, 12, "USDT");
    }
    struct engine *e = engine_create(&cfg, &q);
    CHECK(store_restore(st, e, 100) == 0);
    CHECK(store_start(st, &q) == 0);
    uint64_t seq = 0;
    static const char *const names[] = { "binance:BTCUSDT", "bybit:BTCUSDT" };
    for (int v = 0; v < 2; v++)
        for (int i = 0; i < 10; i++) {
            struct record r = { .type = REC_CANDLE, .tf = TF_1M, .time = i * 60000LL };
            snprintf(r.symbol, SYMBOL_MAX, "%s", names[v]);
            r.u.candle = (struct candle){ .open_time = 1733011200000LL + i * 60000LL, .open = 100 + v, .high = 101 + v,
                                          .low = 99 + v, .close = 100.5 + v, .volume = 1 + i };
            push(&q, &r, &seq);
        }
    struct record f = { .type = REC_FILL, .time = 1733011320000LL };
    snprintf(f.symbol, SYMBOL_MAX, "bybit:BTCUSDT");
    f.u.fill = (struct record_fill){ .id = 1, .order_id = 1, .side = 1, .qty = 0.5, .price = 101.5, .fee = 0.01,
                                     .pos_qty = 0.5, .pos_avg = 101.5, .pos_fees = 0.01, .balance = 9999.99 };
    push(&q, &f, &seq);
    for (int i = 0; i < 500 && atomic_load(&store_ack(st)->durable_seq) < seq; i++)
        nanosleep(&(struct timespec){ 0, 10000000 }, NULL);
    CHECK(atomic_load(&store_ack(st)->durable_seq) == seq);
    store_stop(st);
    engine_destroy(e);

    sqlite3 *db;
    CHECK(sqlite3_open(path, &db) == SQLITE_OK);
    CHECK(q_int(db, "SELECT count(*) FROM candles WHERE symbol='BTCUSDT'") == 10);
    CHECK(q_int(db, "SELECT count(*) FROM candles WHERE symbol='bybit:BTCUSDT'") == 10);
    CHECK(q_int(db, "SELECT count(*) FROM candles WHERE symbol LIKE 'binance:%'") == 0);
    CHECK(q_int(db, "SELECT count(*) FROM instruments") == 2);
    CHECK(q_int(db, "SELECT count(*) FROM instruments WHERE venue='bybit' AND symbol='BTCUSDT'") == 1);
    CHECK(q_int(db, "SELECT count(*) FROM instruments WHERE venue='binance' AND symbol='BTCUSDT'") == 1);
    sqlite3_close(db);

    /* export filters take either spelling; other venues stay out */
    FILE *out = tmpfile();
    struct export_options eo = { .what = EXPORT_CANDLES, .symbol = "binance:BTCUSDT", .tf = -1, .from = INT64_MIN,
                                 .to = INT64_MAX };
    CHECK(store_export(path, &eo, out, err, sizeof err) == 10);
    rewind(out);
    char line[256];
    CHECK(fgets(line, sizeof line, out) && fgets(line, sizeof line, out) && strncmp(line, "BTCUSDT,1m,", 11) == 0);
    fclose(out);
    out = tmpfile();
    eo.symbol = "bybit:BTCUSDT";
    CHECK(store_export(path, &eo, out, err, sizeof err) == 10);
    rewind(out);
    CHECK(fgets(line, sizeof line, out) && fgets(line, sizeof line, out) &&
          strncmp(line, "bybit:BTCUSDT,1m,", 17) == 0);
    fclose(out);
    struct candle *c = NULL;
    size_t n = 0;
    CHECK(store_read_candles(path, "binance:BTCUSDT", TF_1M, INT64_MIN, INT64_MAX, &c, &n, err, sizeof err) == 0);
    CHECK(n == 10 && c && c[0].open == 100);
    free(c);
    CHECK(store_read_candles(path, "bybit:BTCUSDT", TF_1M, INT64_MIN, INT64_MAX, &c, &n, err, sizeof err) == 0);
    CHECK(n == 10 && c && c[0].open == 101);
    free(c);

    /* restore: the bybit position goes to the bybit instrument, whichever way the engine spells Binance */
    snprintf(inst[0].symbol, SYMBOL_MAX, "BTCUSDT");
    struct spsc q2;
    spsc_init(&q2, sizeof(struct record), 1 << 12);
    e = engine_create(&cfg, &q2);
    CHECK(store_restore(st, e, 100) == 0);
    CHECK(engine_broker(e)->pos[0].qty == 0 && engine_broker(e)->pos[1].qty == 0.5);
    CHECK(engine_broker(e)->balance == 9999.99);
    engine_destroy(e);
    store_close(st);
    spsc_free(&q2);
    spsc_free(&q);
}

int main(void)
{
    if (scratch_make("/tmp/ap-venues-XXXXXX"))
        return 1;
    RUN(symbol_forms);
    RUN(upgrades_release_v3_database);
    RUN(venues_kept_apart);
    scratch_remove();
    HARNESS_EXIT();
}
