/* Crash safety: the real binary trades from a script (--headless --script) and is
 * killed with SIGKILL at random moments, many times over. Whatever it printed as
 * durable before the kill must be in the database, bit for bit; no order may be
 * filled twice (a restart restores pending orders and must not replay fills);
 * the balance must chain from the starting balance through every fill; positions
 * must equal the sum of the fills. Each restart is the next run on the same file.
 * The same against PostgreSQL (a private server, tests/pg/pg_server.sh), 33
 * kills. CRASH_SEED=N reproduces a run. */
#include <stdio.h>

#include "crash_common.h"

#define GROUPS 5
#define RUNS 11            /* kills per database */
#define START_BALANCE 10000.0

struct ack_fill { uint64_t id, order; char sym[16]; int side; double qty, price, fee, realized, balance; };
struct ack_order { uint64_t id; char status[16]; };

static struct ack_fill fills[20000];
static struct ack_order orders[20000];
static int n_fills, n_orders;
static char bin[512], script[512];

static void parse_line(const char *l)
{
    struct ack_fill f;
    struct ack_order o;
    if (n_fills < 20000 && sscanf(l, "durable fill %lu %lu %15s %d %lf %lf %lf %lf %lf", &f.id, &f.order, f.sym,
                                  &f.side, &f.qty, &f.price, &f.fee, &f.realized, &f.balance) == 9)
        fills[n_fills++] = f;
    else if (n_orders < 20000 && sscanf(l, "durable order %lu %15s", &o.id, o.status) == 2)
        orders[n_orders++] = o;
}

/* One run; kill_at < 0: let it stop by itself after `events` (see crash_run). */
static int run_once(const char *db, int kill_at, double delay, const char *events)
{
    /* a finite speed (2000 candles/s) so that every run is still mid-replay when killed */
    char *const argv[] = { bin, "--demo", "--headless", "--speed", "120000", "--db", (char *)db, "--script", script,
                           "--events", (char *)events, NULL };
    return crash_run(argv, kill_at, delay, 0, parse_line);
}

/* Everything acknowledged is there, and the books balance. */
static void verify(const char *path, int ack_from_f, int ack_from_o)
{
    struct conn c;
    CHECK_MSG(conn_open(&c, path), "cannot open %s", path);
    struct rows q;
    char sql[256];
    if (!crash_schema(&c)) {
        /* no schema yet: nothing can have been acknowledged */
        CHECK_MSG(n_fills == ack_from_f && n_orders == ack_from_o, "acknowledged writes but no schema in %s", path);
        crash_check_empty(&c);
        conn_close(&c);
        return;
    }

    for (int i = ack_from_f; i < n_fills; i++) {
        const struct ack_fill *f = &fills[i];
        snprintf(sql, sizeof sql, "SELECT order_id,symbol,side,qty,price,fee,realized,balance_after FROM fills "
                 "WHERE id=%lu", f->id);
        if (!rows_open(&q, &c, sql) || !rows_next(&q)) {
            CHECK_MSG(0, "acknowledged fill %lu is missing from %s", f->id, path);
        } else {
            CHECK_MSG((uint64_t)col_i(&q, 0) == f->order && strcmp(col_t(&q, 1), f->sym) == 0 &&
                      col_i(&q, 2) == f->side && col_d(&q, 3) == f->qty && col_d(&q, 4) == f->price &&
                      col_d(&q, 5) == f->fee && col_d(&q, 6) == f->realized && col_d(&q, 7) == f->balance,
                      "fill %lu differs from what was acknowledged", f->id);
        }
        rows_close(&q);
    }
    for (int i = ack_from_o; i < n_orders; i++) {
        snprintf(sql, sizeof sql, "SELECT status FROM orders WHERE id=%lu", orders[i].id);
        const char *st = rows_open(&q, &c, sql) && rows_next(&q) ? col_t(&q, 0) : NULL;
        /* an order may only move on from what was acknowledged: placed -> filled,
         * cancelled or rejected (a reduce-only close left with nothing to close) */
        bool later = strcmp(orders[i].status, "placed") == 0 && st &&
                     (strcmp(st, "cancelled") == 0 || strcmp(st, "rejected") == 0);
        CHECK_MSG(st && (strcmp(st, orders[i].status) == 0 || strcmp(st, "filled") == 0 || later),
                  "acknowledged order %lu (%s) is %s", orders[i].id, orders[i].status, st ? st : "missing");
        rows_close(&q);
    }

    CHECK_MSG(q_int(&c, "SELECT count(*) FROM (SELECT order_id FROM fills GROUP BY order_id HAVING count(*) > 1) AS t") == 0,
              "an order was filled twice");
    CHECK_MSG(q_int(&c, "SELECT count(*) FROM orders o WHERE status='placed' AND EXISTS "
                        "(SELECT 1 FROM fills f WHERE f.order_id=o.id)") == 0, "a filled order still looks open");
    CHECK_MSG(q_int(&c, "SELECT count(*) FROM fills f WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.id=f.order_id)") == 0,
              "a fill without its order");
    /* whenever it was killed, the stored book (what a restart works) and the
     * orders table agree: 'placed' is exactly the orders in the book */
    CHECK_MSG(q_int(&c, "SELECT count(*) FROM orders WHERE status='placed' AND id NOT IN (SELECT id FROM paper_orders)") == 0,
              "an order looks placed but is not in the stored book");
    CHECK_MSG(q_int(&c, "SELECT count(*) FROM paper_orders p WHERE NOT EXISTS "
                        "(SELECT 1 FROM orders o WHERE o.id=p.id AND o.status='placed')") == 0,
              "the stored book holds an order that is not placed");

    /* the balance chains through every fill, across every restart */
    double bal = START_BALANCE, sum_r = 0, sum_f = 0;
    if (rows_open(&q, &c, "SELECT id,realized,fee,balance_after FROM fills ORDER BY id"))
        while (rows_next(&q)) {
            double r = col_d(&q, 1), fee = col_d(&q, 2), after = col_d(&q, 3);
            /* bit for bit: the broker computes balance += realized - fee */
            CHECK_MSG(after == bal + (r - fee), "fill %lld: balance %.17g != %.17g + (%.17g - %.17g)",
                      (long long)col_i(&q, 0), after, bal, r, fee);
            bal = after;
            sum_r += r;
            sum_f += fee;
        }
    rows_close(&q);
    if (rows_open(&q, &c, "SELECT balance, start_balance FROM account WHERE id=1") && rows_next(&q)) {
        CHECK_MSG(col_d(&q, 0) == bal, "account %.17g != last fill %.17g", col_d(&q, 0), bal);
        CHECK(col_d(&q, 1) == START_BALANCE);
    }
    rows_close(&q);
    CHECK_NEAR(bal, START_BALANCE + sum_r - sum_f, 1e-9);

    /* positions equal the fills */
    if (rows_open(&q, &c, "SELECT p.symbol, p.qty, coalesce((SELECT sum(side*qty) FROM fills f "
                          "WHERE f.symbol=p.symbol),0) FROM positions p"))
        while (rows_next(&q)) {
            double qty = col_d(&q, 1), sum = col_d(&q, 2);
            CHECK_MSG(fabs(qty - sum) <= 1e-9 * fmax(1, fabs(sum)), "%s: position %.17g, fills sum to %.17g",
                      col_t(&q, 0), qty, sum);
        }
    rows_close(&q);
    conn_close(&c);
}


static void kill9(int groups)
{
    crash_setup(bin, sizeof bin);
    char dir[] = "/tmp/ap-crash-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    snprintf(script, sizeof script, "%s/script", dir);
    FILE *f = fopen(script, "w");
    static const char *const syms[] = { "BTCUSDT", "BTCPERP", "ETHBTC", "ADABTC" };
    for (int i = 1; i < 4000; i++) {   /* an order every 150 events, across symbols */
        const char *verb = i % 3 == 0 ? "close" : i % 3 == 1 ? "buy" : "sell";
        fprintf(f, "%d %s %s\n", i * 150, verb, syms[(i / 3) % 4]);
    }
    fclose(f);
    int kills = 0;
    double t0 = now_s();
    for (int g = 0; g < groups; g++) {
        char db[600];
        crash_group_db(db, sizeof db, dir, g);
        int f0 = n_fills, o0 = n_orders;
        for (int r = 0; r < RUNS; r++) {
            /* a quarter killed in start-up/restore (0..150 ms after exec), the rest
             * mid-trading, after 1..40 acknowledged writes plus 0..20 ms */
            int at = rand() % 4 == 0 ? 0 : 1 + rand() % 40;
            double delay = at == 0 ? (rand() % 1000) / 1000.0 * 0.15 : (rand() % 1000) / 1000.0 * 0.02;
            kills += run_once(db, at, delay, "0");
            verify(db, f0, o0);
        }
        run_once(db, -1, 0, "2000");       /* a clean restart after the last kill */
        verify(db, f0, o0);
    }
    printf("# %d kills, %d fills and %d order updates acknowledged, %.1f s\n", kills, n_fills, n_orders,
           now_s() - t0);
    CHECK_MSG(kills >= groups * RUNS - groups * RUNS / 10, "only %d runs were killed while running", kills);
    CHECK_MSG(n_fills >= 100, "only %d fills acknowledged: the test did not trade enough", n_fills);
    crash_done(dir);
}

static void kill9_loses_nothing(void) { kill9(GROUPS); }

/* The same on PostgreSQL: 3 groups of 11 kills (at least 30). */
static void kill9_pg(void)
{
    n_fills = n_orders = 0;
    kill9(3);
}
static void kill9_loses_nothing_on_postgres(void) { crash_on_postgres(kill9_pg); }

int main(void)
{
    RUN(kill9_loses_nothing);
    RUN(kill9_loses_nothing_on_postgres);
    HARNESS_EXIT();
}
