/* Crash safety of funding: the real binary holds a Bybit perpetual position
 * (bybit-linear:BTCUSDT, from the fake Bybit server, funding every 5 candles of
 * 40 ms) live and headless, trading from a script, and is killed with SIGKILL
 * over and over while funding times pass, then stopped cleanly once. A restart
 * in the first 4 of a period's 5 candles is told the funding time just passed as
 * the next one (--stale-next 4): it must book it only if no run booked it durably.
 * After every run, on SQLite and on PostgreSQL:
 *  - every acknowledged funding payment (`durable funding`) is stored bit for bit;
 *  - no funding time is booked twice: none acknowledged twice across restarts,
 *    and the balance chains exactly from the starting balance through every fill
 *    and every payment (a payment booked twice would move the balance without a
 *    row of its own) to the account's balance;
 *  - each payment is -qty x mark x rate of its row, with the mark and rate the
 *    server's truth for that funding time (/funding);
 *  - none lost while running: between two payments one run acknowledged, every
 *    funding time of the truth is booked. A funding time that passes while no
 *    process runs (or whose payment was not yet durable at the kill) is booked
 *    by the restart only when the venue still announces it; otherwise it would
 *    need the venue's funding history: the test prints how many fell in such gaps.
 * CRASH_SEED=N reproduces a run. */
#include <curl/curl.h>
#include <stdio.h>

#include "crash_common.h"

#define SYM "bybit-linear:BTCUSDT"
#define RUNS 11                    /* kills per database */
#define START_BALANCE 10000.0
#define MAX_ACK 4096
#define MAX_TRUTH 65536

struct ack_funding { int run; int64_t time; double amount, balance; };
static struct ack_funding acks[MAX_ACK];
static int n_acks, cur_run;
static char bin[512], script[512], port[16];

static struct { int64_t time; double mark, rate; } truth[MAX_TRUTH];
static int n_truth;

static void parse_line(const char *l)
{
    struct ack_funding a = { .run = cur_run };
    char sym[64];
    if (n_acks < MAX_ACK && sscanf(l, "durable funding %63s %ld %lf %lf", sym, &a.time, &a.amount, &a.balance) == 4 &&
        strcmp(sym, SYM) == 0)
        acks[n_acks++] = a;
}

static int run_once(const char *db, int kill_at, double delay, int stop_sig)
{
    char rest[64], ws[64];
    snprintf(rest, sizeof rest, "venues.bybit.rest_url=http://127.0.0.1:%s", port);
    snprintf(ws, sizeof ws, "venues.bybit.ws_url=ws://127.0.0.1:%s", port);
    /* room for a dozen runs' longs within the position limits */
    char *const argv[] = { bin, "--headless", "--symbols", SYM, "--db", (char *)db, "--script", script,
                           "--set", rest, "--set", ws, "--set", "risk.max_position=0.5",
                           "--set", "risk.max_exposure=0.5", NULL };
    cur_run++;
    return crash_run(argv, kill_at, delay, stop_sig, parse_line);
}

static size_t to_buf(char *p, size_t size, size_t n, void *ctx)
{
    char **b = ctx;
    size_t have = *b ? strlen(*b) : 0, add = size * n;
    char *nb = realloc(*b, have + add + 1);
    if (!nb)
        return 0;
    memcpy(nb + have, p, add);
    nb[have + add] = 0;
    *b = nb;
    return add;
}

/* The server's funding times so far, as "time,mark,rate" lines. */
static void read_truth(void)
{
    char url[128], *body = NULL;
    snprintf(url, sizeof url, "http://127.0.0.1:%s/funding?symbol=BTCUSDT", port);
    CURL *c = curl_easy_init();
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, to_buf);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &body);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
    CURLcode rc = CURLE_OK;
    for (int tries = 0; tries < 3 && (tries == 0 || rc != CURLE_OK); tries++) {   /* a loaded machine */
        free(body);
        body = NULL;
        rc = curl_easy_perform(c);
    }
    /* an empty answer is no funding time yet: the checks on what was stored then fail */
    CHECK_MSG(rc == CURLE_OK, "GET %s failed: %s", url, curl_easy_strerror(rc));
    curl_easy_cleanup(c);
    n_truth = 0;
    for (char *l = body; l && *l && n_truth < MAX_TRUTH;) {
        long long t;
        if (sscanf(l, "%lld,%lf,%lf", &t, &truth[n_truth].mark, &truth[n_truth].rate) == 3)
            truth[n_truth++].time = t;
        l = strchr(l, '\n');
        l = l ? l + 1 : NULL;
    }
    free(body);
}

static int truth_at(int64_t t)
{
    for (int i = 0; i < n_truth; i++)
        if (truth[i].time == t)
            return i;
    return -1;
}

/* Stored funding rows, by time. */
struct row_funding { int64_t time; double qty, mark, rate, amount, balance; };
static struct row_funding rows_f[MAX_ACK];
static int n_rows_f;

static bool stored(int64_t t)
{
    for (int i = 0; i < n_rows_f; i++)
        if (rows_f[i].time == t)
            return true;
    return false;
}

static void read_funding(struct conn *c)
{
    struct rows q;
    n_rows_f = 0;
    if (rows_open(&q, c, "SELECT time,qty,mark,rate,amount,balance_after FROM funding WHERE symbol='" SYM
                         "' ORDER BY time"))
        while (rows_next(&q) && n_rows_f < MAX_ACK)
            rows_f[n_rows_f++] = (struct row_funding){ col_i(&q, 0), col_d(&q, 1), col_d(&q, 2), col_d(&q, 3),
                                                       col_d(&q, 4), col_d(&q, 5) };
    rows_close(&q);
}

/* The balance from the start through fills (by id) and payments (by time), each
 * the one whose balance after is exactly the balance before plus its amount. */
static void check_chain(struct conn *c)
{
    struct rows q;
    double bal = START_BALANCE;
    int k = 0, n = 0;
    if (rows_open(&q, c, "SELECT id,realized,fee,balance_after FROM fills ORDER BY id"))
        while (rows_next(&q)) {
            double delta = col_d(&q, 1) - col_d(&q, 2), after = col_d(&q, 3);
            while (after != bal + delta && k < n_rows_f && rows_f[k].balance == bal + rows_f[k].amount)
                bal = rows_f[k++].balance;
            CHECK_MSG(after == bal + delta, "fill %lld: balance %.17g does not follow %.17g", (long long)col_i(&q, 0),
                      after, bal);
            bal = after;
            n++;
        }
    rows_close(&q);
    while (k < n_rows_f && rows_f[k].balance == bal + rows_f[k].amount)
        bal = rows_f[k++].balance;
    CHECK_MSG(k == n_rows_f, "funding at %lld: balance %.17g does not follow %.17g",
              (long long)(k < n_rows_f ? rows_f[k].time : 0), k < n_rows_f ? rows_f[k].balance : 0, bal);
    if (rows_open(&q, c, "SELECT balance FROM account WHERE account='default'") && rows_next(&q))
        CHECK_MSG(col_d(&q, 0) == bal, "account %.17g != the chain's end %.17g (%d fills, %d payments)",
                  col_d(&q, 0), bal, n, n_rows_f);
    rows_close(&q);
}

/* Everything acknowledged is there, nothing twice, the books balance. */
static void verify(const char *db, int ack_from)
{
    struct conn c;
    CHECK_MSG(conn_open(&c, db), "cannot open %s", db);
    if (!crash_schema(&c)) {
        CHECK_MSG(n_acks == ack_from, "acknowledged funding but no schema in %s", db);
        crash_check_empty(&c);
        conn_close(&c);
        return;
    }
    read_funding(&c);
    read_truth();
    for (int i = ack_from; i < n_acks; i++) {
        const struct ack_funding *a = &acks[i];
        for (int j = ack_from; j < i; j++)
            CHECK_MSG(acks[j].time != a->time, "funding at %lld acknowledged twice (runs %d and %d)",
                      (long long)a->time, acks[j].run, a->run);
        int k = 0;
        while (k < n_rows_f && rows_f[k].time != a->time)
            k++;
        CHECK_MSG(k < n_rows_f && rows_f[k].amount == a->amount && rows_f[k].balance == a->balance,
                  "acknowledged funding at %lld is %s", (long long)a->time, k < n_rows_f ? "different" : "missing");
    }
    for (int k = 0; k < n_rows_f; k++) {
        const struct row_funding *r = &rows_f[k];
        int t = truth_at(r->time);
        CHECK_MSG(t >= 0, "funding at %lld is no funding time of the server", (long long)r->time);
        if (t >= 0)
            CHECK_MSG(fabs(r->mark - truth[t].mark) <= 1e-9 * truth[t].mark && fabs(r->rate - truth[t].rate) <= 1e-15,
                      "funding at %lld: mark %.17g rate %.17g, truth %.17g %.17g", (long long)r->time, r->mark,
                      r->rate, truth[t].mark, truth[t].rate);
        CHECK_MSG(r->amount == -r->qty * r->mark * r->rate * 1.0, "funding at %lld: %.17g != -%.17g x %.17g x %.17g",
                  (long long)r->time, r->amount, r->qty, r->mark, r->rate);
    }
    /* within one run, no funding time between two of its payments is missing */
    for (int i = ack_from; i + 1 < n_acks; i++) {
        if (acks[i + 1].run != acks[i].run)
            continue;
        for (int t = 0; t < n_truth; t++)
            if (truth[t].time > acks[i].time && truth[t].time < acks[i + 1].time)
                CHECK_MSG(stored(truth[t].time), "run %d skipped the funding time %lld", acks[i].run,
                          (long long)truth[t].time);
    }
    check_chain(&c);
    conn_close(&c);
}

/* Funding times from the first payment to the last that were not booked: they
 * passed while no process ran (or before their payment was durable). */
static int gaps(void)
{
    if (n_rows_f == 0)
        return 0;
    int n = 0;
    for (int t = 0; t < n_truth; t++)
        if (truth[t].time > rows_f[0].time && truth[t].time < rows_f[n_rows_f - 1].time && !stored(truth[t].time))
            n++;
    return n;
}

static pid_t start_fake(const char *dir)
{
    char out[600];
    snprintf(out, sizeof out, "%s/fake.out", dir);
    const char *build = getenv("BUILD");
    char fake[512];
    snprintf(fake, sizeof fake, "%s/tests/fake_exchange/fake_bybit", build && *build ? build : "build");
    pid_t pid = fork();
    if (pid == 0) {
        int fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        dup2(fd, 1);
        dup2(fd, 2);
        execl(fake, fake, "--csv", "data/binance_BTCUSDT_1m_2024.csv", "--linear", "BTCUSDT", "--port", "0",
              "--tick-ms", "40", "--funding-every", "5", "--stale-next", "4", (char *)NULL);
        _exit(127);
    }
    for (double t0 = now_s(); !port[0] && now_s() - t0 < 10;) {   /* it prints "port N" once listening */
        FILE *f = fopen(out, "r");
        char line[128];
        while (f && fgets(line, sizeof line, f))
            sscanf(line, "port %15s", port);
        if (f)
            fclose(f);
        nanosleep(&(struct timespec){ 0, 20000000 }, NULL);
    }
    CHECK_MSG(port[0], "the fake Bybit server did not start (see %s)", out);
    return pid;
}

static void funding_survives_kills(int groups)
{
    crash_setup(bin, sizeof bin);
    char dir[] = "/tmp/ap-crashf-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    setenv("XDG_STATE_HOME", dir, 1);
    snprintf(script, sizeof script, "%s/script", dir);
    FILE *f = fopen(script, "w");
    /* every run adds to the long and takes part of it back: fills among the payments */
    fprintf(f, "5 buy " SYM " 0.002\n40 sell " SYM " 0.001\n");
    fclose(f);
    port[0] = 0;
    pid_t fake = start_fake(dir);
    int kills = 0, payments = 0, lost = 0;
    double t0 = now_s();
    for (int g = 0; g < groups && port[0]; g++) {
        char db[600];
        crash_group_db(db, sizeof db, dir, g);
        int a0 = n_acks;
        for (int r = 0; r < RUNS; r++) {
            /* a quarter killed in start-up/restore (0..150 ms after exec), the rest
             * after 1..6 acknowledged writes plus 0..200 ms (a funding period) */
            int at = rand() % 4 == 0 ? 0 : 1 + rand() % 6;
            double delay = at == 0 ? (rand() % 1000) / 1000.0 * 0.15 : (rand() % 1000) / 1000.0 * 0.2;
            kills += run_once(db, at, delay, 0);
            verify(db, a0);
        }
        int before = n_acks;
        run_once(db, -10, 0, SIGTERM);      /* a clean run, stopped after 10 writes (its 2 orders take 6) */
        verify(db, a0);
        CHECK_MSG(n_acks > before, "the clean run booked no funding");
        payments += n_rows_f;
        lost += gaps();
    }
    kill(fake, SIGTERM);
    waitpid(fake, NULL, 0);
    printf("# %d kills, %d funding payments stored, %d funding times passed between runs unbooked, %.1f s\n", kills,
           payments, lost, now_s() - t0);
    CHECK_MSG(kills >= groups * RUNS - groups * RUNS / 10, "only %d runs were killed while running", kills);
    CHECK_MSG(payments >= 10 * groups, "only %d funding payments: the test did not hold the position long enough",
              payments);
    crash_done(dir);
}

static void funding_survives_kills_on_sqlite(void) { funding_survives_kills(3); }

static void funding_pg(void)
{
    n_acks = 0;
    funding_survives_kills(2);
}
static void funding_survives_kills_on_postgres(void) { crash_on_postgres(funding_pg); }

int main(void)
{
    RUN(funding_survives_kills_on_sqlite);
    RUN(funding_survives_kills_on_postgres);
    HARNESS_EXIT();
}
