/* The store on PostgreSQL, against a real server the test starts
 * (tests/pg/pg_server.sh; no server is a failure with its reason, never a skip):
 * the same records written through store.h into SQLite and into PostgreSQL
 * export the same bytes (every kind, CSV and JSON, filtered and not) and restore
 * the same state; the journal is append-only; a second writer is refused; a
 * password in the URL is refused and never printed; candles land in monthly
 * partitions; retention prunes; the backtest reader works; collectors share the
 * database and divide instruments by claims; a candle stored by another writer
 * meanwhile is updated, not refused; a backlog goes in one transaction per
 * queue-full of candles, each row in its month's partition; and a server restart
 * while writing is a storage outage the store reports and recovers from with
 * every money record written. */
#include <libpq-fe.h>
#include <math.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "scratch_dir.h"
#include "pg_server.h"
#include "alphapulse/engine.h"
#include "alphapulse/record.h"
#include "alphapulse/store.h"

static const char *url;

static long pg_long(const char *sql)
{
    PGconn *c = PQconnectdb(url);
    PGresult *r = PQexec(c, sql);
    long v = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1 ? atol(PQgetvalue(r, 0, 0)) : -999;
    if (PQresultStatus(r) != PGRES_TUPLES_OK)
        printf("#   %s: %s", sql, PQresultErrorMessage(r));
    PQclear(r);
    PQfinish(c);
    return v;
}

static struct engine *make_engine(struct spsc *q)
{
    struct engine_config cfg;
    struct instrument inst[INSTRUMENTS_MAX] = { 0 };
    engine_config_defaults(&cfg);
    cfg.inst = inst;
    cfg.n_symbols = 3;
    static const char *const names[] = { "BTCUSDT", "binance:ETHUSDT", "bybit:BTCUSDT" };
    for (int i = 0; i < 3; i++) {
        snprintf(inst[i].symbol, SYMBOL_MAX, "%s", names[i]);
        snprintf(inst[i].base, 12, i == 1 ? "ETH" : "BTC");
        snprintf(inst[i].quote, 12, "USDT");
    }
    return engine_create(&cfg, q);
}

static double awkward(int i) { return 0.1 * i + 1.0 / 3.0 + (i % 7) * 1e-13; }

static void push(struct spsc *q, struct record *r, uint64_t *seq)
{
    r->seq = ++*seq;
    while (!spsc_push(q, r))
        nanosleep(&(struct timespec){ 0, 1000000 }, NULL);
}

/* Every kind of record, candles across a month's turn, a forming candle
 * rewritten in the same batch, awkward doubles and texts. */
static void feed(struct spsc *q, uint64_t *seq)
{
    const int64_t t0 = 1733011200000LL - 1500 * 60000LL;     /* 2024-11-30 ~ 23:00 minus a day */
    static const char *const syms[] = { "BTCUSDT", "binance:ETHUSDT", "bybit:BTCUSDT" };
    for (int s = 0; s < 3; s++)
        for (int i = 0; i < 2000; i++) {
            struct record r = { .type = REC_CANDLE, .tf = i % 10 == 0 ? TF_5M : TF_1M, .time = t0 + i * 60000LL };
            snprintf(r.symbol, SYMBOL_MAX, "%s", syms[s]);
            r.u.candle = (struct candle){ .open_time = t0 + i * 60000LL, .open = awkward(i + s), .high = awkward(i) * 1.01,
                                          .low = awkward(i) * 0.99, .close = awkward(i + 1), .volume = 1e-9 * i,
                                          .quote_volume = 123456789.123456789 + i, .trades = i, .flags = (uint32_t)(i % 5) };
            push(q, &r, seq);
            if (i % 97 == 0) {                 /* the same candle again, later version wins */
                r.u.candle.close = awkward(i + 2);
                push(q, &r, seq);
            }
        }
    static const char *const texts[] = { "plain", "with, comma", "with \"quotes\"", "line\nbreak", "tab\there",
                                         "ünïcødé €" };
    for (int i = 0; i < 6; i++) {
        struct record r = { .type = i % 3 == 0 ? REC_JOURNAL : i % 3 == 1 ? REC_RISK_EVENT : REC_ALERT,
                            .time = 1733011200000LL + i };
        snprintf(r.symbol, SYMBOL_MAX, "%s", i % 2 ? "BTCUSDT" : "");
        snprintf(r.u.text.kind, sizeof r.u.text.kind, "note");
        snprintf(r.u.text.text, sizeof r.u.text.text, "%s", texts[i]);
        push(q, &r, seq);
        r.type = REC_JOURNAL;
        push(q, &r, seq);
    }
    struct record bk = { .type = REC_BOOK, .time = 1733011260000LL };
    snprintf(bk.symbol, SYMBOL_MAX, "binance:ETHUSDT");
    push(q, &bk, seq);
    bk.type = REC_BOOK_ORDER;
    bk.u.book_order = (struct broker_order){ .active = true, .id = 7, .sym = 1, .side = -1, .type = ORDER_LIMIT,
                                             .qty = 0.3, .price = 3900.25, .placed = 1733011260000LL };
    bk.u.book_order.br.stop = 4000.5;
    bk.u.book_order.br.tp[0] = 3800;
    bk.u.book_order.br.tp_frac[0] = 1;
    push(q, &bk, seq);
    bk.type = REC_EXITS;
    bk.u.exits = (struct record_exits){ .opened = 0 };
    push(q, &bk, seq);
    struct record o = { .type = REC_ORDER, .time = 1733011320000LL };
    snprintf(o.symbol, SYMBOL_MAX, "bybit:BTCUSDT");
    o.u.order = (struct record_order){ .id = 6, .side = 1, .type = ORDER_MARKET, .status = ORDER_PLACED, .qty = 0.25,
                                       .placed = 1733011320000LL };
    push(q, &o, seq);
    struct record f = { .type = REC_FILL, .time = 1733011320000LL };
    snprintf(f.symbol, SYMBOL_MAX, "bybit:BTCUSDT");
    f.u.fill = (struct record_fill){ .id = 3, .order_id = 6, .side = 1, .qty = 0.25, .price = awkward(5), .fee = 0.001,
                                     .pos_qty = 0.25, .pos_avg = awkward(5), .pos_fees = 0.001, .balance = 10000 - 0.001 };
    push(q, &f, seq);
    struct record rs = { .type = REC_RISK, .time = 1733011320000LL };
    rs.u.risk = (struct risk_state){ .day = 20057, .day_start_equity = 10000, .peak_equity = 10050.5, .streak = 2,
                                     .cooldown_until = 1733014920000LL, .updated = 1733011320000LL };
    push(q, &rs, seq);
    for (int k = 0; k < 3; k++) {
        struct record sg = { .type = REC_SIGNAL, .time = 1733011380000LL + k, .tf = TF_15M };
        snprintf(sg.symbol, SYMBOL_MAX, "%s", syms[k]);
        sg.u.signal = (struct record_signal){ .id = 11 + (uint64_t)k, .side = k ? 1 : -1,
                                              .state = k == 2 ? SIGNAL_EXPIRED : SIGNAL_NEW, .confidence = 0.875,
                                              .entry = 3600.5, .stop = 3650.25, .tp = { 3500, 3450, 0, 0 },
                                              .reward_risk = 2.01, .volume_confirmed = true, .voters = 0x15,
                                              .expiry = 1733020000000LL };
        sg.u.signal.time = 1733011380000LL + k;
        sg.u.signal.trend_alignment = -1;
        sg.u.signal.htf_score = -0.375;
        sg.u.signal.regime_confidence = k == 1 ? NAN : 0.8125;
        sg.u.signal.outcome = k == 2 ? OUTCOME_EXPIRY : OUTCOME_OPEN;
        sg.u.signal.outcome_time = 1733020000000LL;
        sg.u.signal.outcome_price = awkward(9);
        snprintf(sg.u.signal.source, sizeof sg.u.signal.source, "engine");
        snprintf(sg.u.signal.pattern, sizeof sg.u.signal.pattern, "CDLENGULFING");
        snprintf(sg.u.signal.regime, sizeof sg.u.signal.regime, "WEAK_TREND");
        for (int i = 0; i < SIGNAL_INDICATORS; i++)
            sg.u.signal.indicators[i] = i == 3 ? NAN : awkward(i);
        push(q, &sg, seq);
    }
    for (int k = 0; k < 6; k++) {                /* stored trades (storage.trades) */
        struct record tr = { .type = REC_TRADE, .time = 1733011200000LL + k * 1000,
                             .u.trade = { 100 + (uint64_t)(k % 5), awkward(k) * 1e4, awkward(k + 1), k % 2 } };
        snprintf(tr.symbol, SYMBOL_MAX, "%s", syms[k % 3]);
        push(q, &tr, seq);
    }
    for (int k = 0; k < 5; k++) {
        struct record eq = { .type = REC_EQUITY, .time = 1733011200000LL + k * 3600000LL };
        eq.u.equity = (struct record_equity){ .balance = 10000 - k * 0.1, .equity = awkward(k) + 9999,
                                              .unrealized = -awkward(k), .fees = 0.001 * k, .exposure = k ? INFINITY : 0 };
        push(q, &eq, seq);
    }
}

/* Writes the records into db; the store stays open (returned) for more checks. */
static struct store *fill(const char *db)
{
    char err[512] = "";
    struct store *st = store_open(db, err, sizeof err);
    CHECK_MSG(st != NULL, "%s", err);
    if (!st)
        return NULL;
    static struct spsc q;
    spsc_init(&q, sizeof(struct record), 1 << 14);
    struct engine *e = make_engine(&q);
    CHECK(store_restore(st, e, 100) == 0);
    CHECK(store_start(st, &q) == 0);
    uint64_t seq = 0;
    feed(&q, &seq);
    for (int i = 0; i < 3000 && atomic_load(&store_ack(st)->durable_seq) < seq; i++)
        nanosleep(&(struct timespec){ 0, 10000000 }, NULL);
    CHECK_MSG(atomic_load(&store_ack(st)->durable_seq) == seq, "%s: durable %llu of %llu", db,
              (unsigned long long)atomic_load(&store_ack(st)->durable_seq), (unsigned long long)seq);
    store_stop(st);
    engine_destroy(e);
    spsc_free(&q);
    return st;
}

static char *export_to_mem(const char *db, const struct export_options *o, long *rows, size_t *len)
{
    char *buf = NULL, err[512] = "";
    FILE *f = open_memstream(&buf, len);
    *rows = store_export(db, o, f, err, sizeof err);
    fclose(f);
    CHECK_MSG(*rows >= 0, "%s", err);
    return buf;
}

static void same_exports_both_backends(void)
{
    const char *file = scratch_path("same.db");
    struct store *a = fill(file), *b = fill(url);
    store_close(a);
    if (!b)
        return;
    /* the PostgreSQL writer's lock holds while it is open: a second one is refused */
    char err[512] = "";
    struct store *second = store_open(url, err, sizeof err);
    CHECK_MSG(second == NULL && strstr(err, "in use by another alphapulse process"), "%s", err);
    store_close(second);
    store_close(b);
    int compared = 0;
    for (int what = 0; what < EXPORT_KINDS; what++)
        for (int json = 0; json < 2; json++)
            for (int filtered = 0; filtered < 2; filtered++) {
                struct export_options o = { .what = what, .tf = -1, .from = INT64_MIN, .to = INT64_MAX,
                                            .json = json };
                if (filtered) {
                    o.symbol = what == EXPORT_EQUITY ? NULL : "binance:BTCUSDT";
                    o.tf = what == EXPORT_CANDLES ? TF_1M : what == EXPORT_SIGNALS ? TF_15M : -1;
                    o.from = 1733011200000LL - 3600000LL;
                    o.to = 1733011200000LL + 3600000LL;
                }
                long ra, rb;
                size_t la, lb;
                char *x = export_to_mem(file, &o, &ra, &la), *y = export_to_mem(url, &o, &rb, &lb);
                bool same = ra == rb && la == lb && x && y && memcmp(x, y, la) == 0;
                if (!same && x && y) {
                    size_t k = 0;
                    while (k < la && k < lb && x[k] == y[k])
                        k++;
                    size_t from = k > 60 ? k - 60 : 0;
                    printf("#   %s json=%d filtered=%d: %ld/%ld rows, first difference at byte %zu:\n#   sqlite: %.120s\n"
                           "#   pg:     %.120s\n", store_export_names[what], json, filtered, ra, rb, k, x + from, y + from);
                }
                CHECK(same);
                CHECK_MSG(ra > 0 || (filtered && what == EXPORT_TRADES), "%s json=%d filtered=%d: no rows",
                          store_export_names[what], json, filtered);
                compared++;
                free(x);
                free(y);
            }
    CHECK(compared == EXPORT_KINDS * 4);
}

static void restores_from_postgres(void)
{
    char err[512] = "";
    struct store *st = store_open(url, err, sizeof err);
    CHECK_MSG(st != NULL, "%s", err);
    if (!st)
        return;
    struct engine *e = make_engine(NULL);
    CHECK(store_restore(st, e, 100) == 0);
    const struct broker *b = engine_broker(e);
    CHECK(b->balance == 10000 - 0.001);
    CHECK(b->pos[2].qty == 0.25 && b->pos[2].avg == awkward(5) && b->pos[0].qty == 0);
    const struct broker_order *o = broker_order_find(b, 7);
    CHECK(b->n_orders == 1 && o && o->sym == 1 && o->price == 3900.25 && o->br.stop == 4000.5);
    const struct risk_state *rk = &engine_portfolio(e)->risk;
    CHECK(rk->streak == 2 && rk->peak_equity == 10050.5 && rk->cooldown_until == 1733014920000LL);
    CHECK(b->next_order == 8 && b->next_fill == 4);
    /* the candles (their queries sent at once): each series' newest 1m one as fed */
    const int64_t last_time = 1733011200000LL - 1500 * 60000LL + 1999 * 60000LL;
    for (int s = 0; s < 3; s++) {
        struct candle c = { 0 };
        struct ta_values tv;
        CHECK_MSG(engine_last_values(e, s, TF_1M, &c, &tv) && c.open_time == last_time && c.open == awkward(1999 + s) &&
                  c.close == awkward(2000) && c.trades == 1999, "symbol %d: newest 1m candle %lld open %.17g", s,
                  (long long)c.open_time, c.open);
    }
    engine_destroy(e);
    store_close(st);
    /* the open signals, the venue's included */
    int n = 0;
    void count(void *ctx, const char *symbol, int tf, int64_t t, const struct record_signal *g);
    CHECK(store_load_open_signals(url, count, &n, err, sizeof err) == 2);
    CHECK(n == 2);
    /* every instrument's row (their upserts sent at once) */
    CHECK(pg_long("SELECT count(*) FROM instruments") == 3);
    CHECK(pg_long("SELECT count(*) FROM instruments WHERE venue='bybit' AND symbol='BTCUSDT' AND base='BTC'") == 1);
    CHECK(pg_long("SELECT count(*) FROM instruments WHERE venue='binance' AND symbol='ETHUSDT' AND base='ETH'") == 1);
    /* the backtest reader: 1m candles of one instrument, either spelling */
    struct candle *c = NULL;
    size_t nc = 0;
    CHECK_MSG(store_read_candles(url, "binance:BTCUSDT", TF_1M, INT64_MIN, INT64_MAX, &c, &nc, err, sizeof err) == 0,
              "%s", err);
    /* (i = 0 is a 5m candle: the first 1m one is i = 1) */
    CHECK_MSG(nc == 1800 && c && c[0].open == awkward(1) && c[0].close == awkward(2), "%zu candles, [0] open %.17g "
              "close %.17g", nc, c && nc ? c[0].open : 0, c && nc ? c[0].close : 0);
    /* the chart's older candles: the newest max before a bound, oldest first; fewer at the start */
    if (nc == 1800) {
        struct candle *page = malloc(sizeof *page * 300);
        int np = store_read_candles_before(url, "BTCUSDT", TF_1M, c[1000].open_time, 300, page, err, sizeof err);
        CHECK_MSG(np == 300 && page[0].open_time == c[700].open_time && page[299].open_time == c[999].open_time &&
                  page[299].open == c[999].open, "%d older candles: %s", np, err);
        CHECK(store_read_candles_before(url, "binance:BTCUSDT", TF_1M, c[5].open_time, 300, page, err,
                                        sizeof err) == 5);
        CHECK(page[0].open_time == c[0].open_time);
        free(page);
    }
    free(c);
}

void count(void *ctx, const char *symbol, int tf, int64_t t, const struct record_signal *g)
{
    (void)symbol, (void)tf, (void)t, (void)g;
    ++*(int *)ctx;
}

static void postgres_rules(void)
{
    /* the journal refuses UPDATE, DELETE and TRUNCATE */
    PGconn *c = PQconnectdb(url);
    static const char *const bad[] = { "UPDATE journal SET text='x'", "DELETE FROM journal", "TRUNCATE journal" };
    for (int i = 0; i < 3; i++) {
        PGresult *r = PQexec(c, bad[i]);
        CHECK_MSG(PQresultStatus(r) == PGRES_FATAL_ERROR && strstr(PQresultErrorMessage(r), "append-only"),
                  "%s: %s", bad[i], PQresultErrorMessage(r));
        PQclear(r);
    }
    PQfinish(c);
    CHECK(pg_long("SELECT count(*) FROM journal") == 8);
    /* candles in monthly partitions: November and December 2024 hold them */
    CHECK(pg_long("SELECT count(*) FROM candles_2024_11") > 0 && pg_long("SELECT count(*) FROM candles_2024_12") > 0);
    CHECK(pg_long("SELECT count(*) FROM pg_inherits WHERE inhparent='candles'::regclass") >= 2);
    CHECK(pg_long("SELECT max(version) FROM alphapulse_schema") == STORE_SCHEMA_VERSION);
    CHECK(pg_long("SELECT count(*) FROM instruments WHERE venue='bybit' AND symbol='BTCUSDT'") == 1);
    /* a password in the URL: refused, and not printed */
    char err[512] = "", with_pw[600];
    snprintf(with_pw, sizeof with_pw, "postgresql://postgres:s3cr3t@/alphapulse?host=%s", pg_server_dir);
    struct store *st = store_open(with_pw, err, sizeof err);
    CHECK(st == NULL);
    CHECK_MSG(strstr(err, "holds a password") && !strstr(err, "s3cr3t"), "%s", err);
    store_close(st);
    struct export_options o = { .what = EXPORT_TRADES, .tf = -1, .from = INT64_MIN, .to = INT64_MAX };
    FILE *devnull = fopen("/dev/null", "w");
    CHECK(store_export(with_pw, &o, devnull, err, sizeof err) == -1 && !strstr(err, "s3cr3t"));
    fclose(devnull);
    /* a database that is not there: the server's words */
    char other[600];
    snprintf(other, sizeof other, "postgresql://postgres@/no_such_db?host=%s", pg_server_dir);
    st = store_open(other, err, sizeof err);
    CHECK_MSG(st == NULL && strstr(err, "no_such_db"), "%s", err);
    store_close(st);
}

static void retention_on_postgres(void)
{
    char err[512] = "";
    struct store *st = store_open(url, err, sizeof err);
    CHECK_MSG(st != NULL, "%s", err);
    if (!st)
        return;
    struct store_retention r;
    store_retention_defaults(&r);
    r.keep_ms[TF_1M] = 600000;                  /* 10 minutes of 1m */
    r.step_rows = 300;
    store_set_retention(st, &r);
    struct spsc q;
    spsc_init(&q, sizeof(struct record), 1 << 12);
    CHECK(store_start(st, &q) == 0);
    long before = pg_long("SELECT count(*) FROM candles WHERE timeframe='1m'");
    long left = -1;
    for (int i = 0; i < 1500 && left != 3 * 10; i++) {
        nanosleep(&(struct timespec){ 0, 20000000 }, NULL);
        left = pg_long("SELECT count(*) FROM candles WHERE timeframe='1m'");
    }
    CHECK_MSG(left == 3 * 10, "%ld 1m candles left of %ld, want the last 10 of each of 3 series", left, before);
    CHECK(pg_long("SELECT count(*) FROM candles WHERE timeframe='5m'") == 3 * 200);   /* kept */
    store_close(st);
    spsc_free(&q);
}

/* Collectors share their account (its lock shared; a console on it is refused
 * beside them, naming the holder, and they beside it; a console on another
 * account opens) and divide the instruments by claims: one holder per
 * instrument, freed when its session ends, lost with a server restart. */
static void collectors_share_and_claim(void)
{
    char err[512] = "";
    CHECK(store_claim_key("BTCUSDT") == store_claim_key("binance:BTCUSDT"));
    CHECK(store_claim_key("BTCUSDT") == -715414717675410016LL);   /* FNV-1a 64 of "binance:BTCUSDT" */
    CHECK(store_claim_key("bybit:BTCUSDT") != store_claim_key("BTCUSDT"));
    const struct store_open_options collector = { .collector = true }, alice = { .account = "alice" };
    struct store *a = store_open_as(url, &collector, err, sizeof err);
    CHECK_MSG(a != NULL, "%s", err);
    struct store *b = store_open_as(url, &collector, err, sizeof err);
    CHECK_MSG(b != NULL, "a second collector: %s", err);
    struct store *console = store_open(url, err, sizeof err);
    char host[256] = "", pid[32];
    gethostname(host, sizeof host - 1);
    snprintf(pid, sizeof pid, "pid %ld", (long)getpid());
    CHECK_MSG(console == NULL && strstr(err, "account default in use by another alphapulse process") &&
              strstr(err, host) && strstr(err, pid), "%s", err);
    store_close(console);
    console = store_open_as(url, &alice, err, sizeof err);
    CHECK_MSG(console != NULL, "a console on another account beside the collectors: %s", err);
    store_close(console);
    store_close(a);
    store_close(b);
    console = store_open(url, err, sizeof err);
    CHECK_MSG(console != NULL, "the console once the collectors are gone: %s", err);
    CHECK(store_open_as(url, &collector, err, sizeof err) == NULL);
    store_close(console);

    struct store_claims *x = store_claims_open(url, 10, err, sizeof err);
    struct store_claims *y = store_claims_open(url, 10, err, sizeof err);
    CHECK_MSG(x && y, "%s", err);
    if (!x || !y)
        return;
    CHECK(store_claim(x, "BTCUSDT", err, sizeof err) == 1);
    CHECK(store_claim(y, "binance:BTCUSDT", err, sizeof err) == 0);   /* the same instrument */
    CHECK(store_claim(y, "ETHUSDT", err, sizeof err) == 1);
    CHECK(store_claim(x, "ETHUSDT", err, sizeof err) == 0);
    CHECK(store_claims_intact(x) && store_claims_intact(y));
    store_claims_close(x);                                             /* the holder ends */
    /* its server process frees the lock as it exits, a moment after the close */
    int got = 0;
    for (int i = 0; i < 1000 && (got = store_claim(y, "BTCUSDT", err, sizeof err)) == 0; i++)
        usleep(10000);
    CHECK(got == 1);
    x = store_claims_open(url, 10, err, sizeof err);
    store_claim_release(y, "ETHUSDT");
    CHECK(x && store_claim(x, "ETHUSDT", err, sizeof err) == 1);
    CHECK(pg_server_restart() == 0);
    CHECK(!store_claims_intact(y));                                    /* every claim went with it */
    CHECK_MSG(store_claim(y, "ETHUSDT", err, sizeof err) == 1, "reconnects and claims: %s", err);
    store_claims_close(x);
    store_claims_close(y);
}

/* Candles through one writer, waited for until durable; `close` marks the version. */
static void write_candles(struct store *st, struct spsc *q, uint64_t *seq, int from, int to, double close)
{
    for (int i = from; i < to; i++) {
        struct record r = { .type = REC_CANDLE, .tf = TF_1M, .time = 1735689600000LL + i * 60000LL };
        snprintf(r.symbol, SYMBOL_MAX, "SOLUSDT");
        r.u.candle = (struct candle){ .open_time = r.time, .open = 1, .high = 2, .low = 0.5, .close = close,
                                      .volume = 1 };
        push(q, &r, seq);
    }
    for (int i = 0; i < 3000 && atomic_load(&store_ack(st)->durable_seq) < *seq; i++)
        nanosleep(&(struct timespec){ 0, 10000000 }, NULL);
    CHECK_MSG(atomic_load(&store_ack(st)->durable_seq) == *seq && !store_failing(st),
              "candles %d..%d durable %llu of %llu%s", from, to, (unsigned long long)atomic_load(&store_ack(st)->durable_seq),
              (unsigned long long)*seq, store_failing(st) ? ", storage failing" : "");
}

/* New candles go straight into the table, past the newest one the writer knows
 * of; when another writer stored them meanwhile (a collector that took the
 * instrument over) the batch is written again as updates: nothing lost, nothing
 * twice, the later version kept. */
static void candles_stored_by_another_writer(void)
{
    char err[512] = "";
    const struct store_open_options collector = { .collector = true };
    struct store *a = store_open_as(url, &collector, err, sizeof err);
    struct store *b = store_open_as(url, &collector, err, sizeof err);
    CHECK_MSG(a && b, "%s", err);
    if (!a || !b)
        return;
    struct spsc qa, qb;
    spsc_init(&qa, sizeof(struct record), 1 << 12);
    spsc_init(&qb, sizeof(struct record), 1 << 12);
    CHECK(store_start(a, &qa) == 0 && store_start(b, &qb) == 0);
    uint64_t sa = 0, sb = 0;
    write_candles(b, &qb, &sb, 0, 10, 1.0);       /* b knows the series up to minute 9 */
    write_candles(a, &qa, &sa, 10, 1000, 2.0);    /* a goes on from there */
    write_candles(b, &qb, &sb, 10, 1010, 3.0);    /* b again: 990 of its "new" rows are stored */
    write_candles(a, &qa, &sa, 1010, 1020, 4.0);  /* a: past what it knows, past b's rows too */
    store_close(a);
    store_close(b);
    spsc_free(&qa);
    spsc_free(&qb);
    CHECK(pg_long("SELECT count(*) FROM candles WHERE symbol='SOLUSDT'") == 1020);
    CHECK(pg_long("SELECT count(DISTINCT open_time) FROM candles WHERE symbol='SOLUSDT'") == 1020);
    CHECK(pg_long("SELECT count(*) FROM candles WHERE symbol='SOLUSDT' AND close=1") == 10);
    CHECK(pg_long("SELECT count(*) FROM candles WHERE symbol='SOLUSDT' AND close=3") == 1000);
    CHECK(pg_long("SELECT count(*) FROM candles WHERE symbol='SOLUSDT' AND close=4") == 10);
}

/* A backlog (a backfill: the queue full before the writer drains it) goes in
 * as few transactions as the queue allows: 16384 candles of two series across
 * a month's turn in one transaction, each row in its month's partition, none
 * lost or twice. */
static void backlog_in_one_transaction(void)
{
    char err[512] = "";
    struct store *st = store_open(url, err, sizeof err);
    CHECK_MSG(st != NULL, "%s", err);
    if (!st)
        return;
    struct spsc q;
    spsc_init(&q, sizeof(struct record), 1 << 14);
    const int64_t feb = 1738368000000LL;          /* 2025-02-01 00:00 UTC */
    uint64_t seq = 0;
    for (int i = 0; i < 8192; i++)
        for (int s = 0; s < 2; s++) {
            struct record r = { .type = REC_CANDLE, .tf = TF_1M, .time = feb + (i - 4096) * 60000LL };
            snprintf(r.symbol, SYMBOL_MAX, s ? "XRPUSDT" : "ADAUSDT");
            r.u.candle = (struct candle){ .open_time = r.time, .open = 1, .high = 2, .low = 0.5, .close = 1 + i,
                                          .volume = s };
            push(&q, &r, &seq);
        }
    CHECK(spsc_size(&q) == 16384);
    CHECK(store_start(st, &q) == 0);
    for (int i = 0; i < 3000 && atomic_load(&store_ack(st)->durable_seq) < seq; i++)
        nanosleep(&(struct timespec){ 0, 10000000 }, NULL);
    CHECK_MSG(atomic_load(&store_ack(st)->durable_seq) == seq && !store_failing(st), "durable %llu of %llu",
              (unsigned long long)atomic_load(&store_ack(st)->durable_seq), (unsigned long long)seq);
    store_close(st);
    spsc_free(&q);
    const char *in = "symbol IN ('ADAUSDT','XRPUSDT')";
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT count(DISTINCT xmin::text) FROM candles WHERE %s", in);
    long txns = pg_long(sql);
    CHECK_MSG(txns == 1, "the backlog took %ld transactions", txns);
    snprintf(sql, sizeof sql, "SELECT count(DISTINCT (symbol, open_time)) FROM candles WHERE %s AND close = "
             "1 + (open_time - %lld) / 60000 + 4096", in, (long long)feb);
    CHECK(pg_long(sql) == 16384);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM candles WHERE %s", in);
    CHECK(pg_long(sql) == 16384);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM candles_2025_01 WHERE %s AND open_time < %lld", in, (long long)feb);
    CHECK(pg_long(sql) == 8192);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM candles_2025_02 WHERE %s AND open_time >= %lld", in, (long long)feb);
    CHECK(pg_long(sql) == 8192);
}

/* pg_ctl restart while the store writes: it says storage is failing, then
 * reconnects on its own; every fill queued meanwhile is stored. */
static void survives_a_server_restart(void)
{
    char err[512] = "";
    struct store *st = store_open(url, err, sizeof err);
    CHECK_MSG(st != NULL, "%s", err);
    if (!st)
        return;
    /* the store thread's first use of its connection after the restart is the
     * fills: no pruning (keep everything), and its start-up reads done before */
    struct store_retention keep = { .step_rows = 5000 };
    store_set_retention(st, &keep);
    struct spsc q;
    spsc_init(&q, sizeof(struct record), 1 << 12);
    CHECK(store_start(st, &q) == 0);
    uint64_t seq = 1000000;
    struct record first = { .type = REC_JOURNAL, .time = 1733100000000LL };
    snprintf(first.u.text.text, sizeof first.u.text.text, "before the restart");
    push(&q, &first, &seq);
    for (int i = 0; i < 3000 && atomic_load(&store_ack(st)->durable_seq) < seq; i++)
        nanosleep(&(struct timespec){ 0, 10000000 }, NULL);
    CHECK(pg_server_restart() == 0);
    for (int i = 0; i < 50; i++) {
        struct record f = { .type = REC_FILL, .time = 1733100000000LL + i };
        snprintf(f.symbol, SYMBOL_MAX, "BTCUSDT");
        f.u.fill = (struct record_fill){ .id = 100 + (uint64_t)i, .order_id = 100 + (uint64_t)i, .side = 1, .qty = 0.01,
                                         .price = 100, .pos_qty = 0.01 * (i + 1), .pos_avg = 100, .balance = 9000 - i };
        push(&q, &f, &seq);
    }
    int failing_seen = 0;
    for (int i = 0; i < 3000 && atomic_load(&store_ack(st)->durable_seq) < seq; i++) {
        failing_seen |= store_failing(st);
        nanosleep(&(struct timespec){ 0, 10000000 }, NULL);
    }
    CHECK_MSG(atomic_load(&store_ack(st)->durable_seq) == seq, "durable %llu of %llu after the restart",
              (unsigned long long)atomic_load(&store_ack(st)->durable_seq), (unsigned long long)seq);
    CHECK_MSG(failing_seen, "the outage was never reported as storage failing");
    CHECK(!store_failing(st));
    store_close(st);
    spsc_free(&q);
    CHECK(pg_long("SELECT count(*) FROM fills WHERE id >= 100 AND id < 150") == 50);
    CHECK(pg_long("SELECT balance FROM account") == 9000 - 49);
}

int main(void)
{
    if (scratch_make("/tmp/ap-storepg-XXXXXX"))
        return 1;
    char why[2048];
    url = pg_server_start(why, sizeof why);
    if (!url) {
        printf("not ok - postgres_server_starts\n");
        printf("#   %s\n", why);
        return 1;
    }
    RUN(same_exports_both_backends);
    RUN(restores_from_postgres);
    RUN(postgres_rules);
    RUN(retention_on_postgres);
    RUN(collectors_share_and_claim);
    RUN(candles_stored_by_another_writer);
    RUN(backlog_in_one_transaction);
    RUN(survives_a_server_restart);
    scratch_remove();
    HARNESS_EXIT();
}
