/* More symbols than the old fixed tables held (64): 40 at start and 160 added
 * while running, so the engine's, the signal engine's and the paper account's
 * tables grow several times. Every symbol is found by name, each one's
 * indicators equal those of an engine that holds it alone, orders fill on a
 * symbol past the old cap and show in the snapshot, and feed.max_symbols is a
 * hard ceiling. Also the name table alone, at thousands of names. */
#include <stdlib.h>

#include "harness.h"
#include "alphapulse/engine.h"
#include "alphapulse/symtab.h"
#include "engine_driver.h"

#define T0 1733011200000LL          /* 2024-12-01T00:00Z */
#define MIN 60000LL
#define START 40
#define TOTAL 200
#define CANDLES 60

static void name_of(int i, char out[SYMBOL_MAX]) { snprintf(out, SYMBOL_MAX, "S%03dUSDT", i); }

static struct instrument inst_of(int i)
{
    struct instrument in = { 0 };
    name_of(i, in.symbol);
    snprintf(in.base, sizeof in.base, "S%03d", i);
    snprintf(in.quote, sizeof in.quote, "USDT");
    in.tick = 0.0001;
    in.step = 0.001;
    in.min_notional = 5;
    return in;
}

/* Symbol i's k-th 1m candle: its own level and rhythm, so no two series agree. */
static void feed(struct engine *e, int i, int k)
{
    char name[SYMBOL_MAX];
    name_of(i, name);
    double base = 100 + i, c = base * (1 + 0.02 * sin(k * 0.3 + i)), o = base * (1 + 0.02 * sin((k - 1) * 0.3 + i));
    driver_kline(e, name, T0 + k * MIN, o, fmax(o, c) * 1.001, fmin(o, c) * 0.999, c);
}

static struct engine *make(int n, int first, int max_symbols)
{
    struct instrument inst[START];
    struct engine_config cfg;
    engine_config_defaults(&cfg);
    for (int i = 0; i < n; i++)
        inst[i] = inst_of(first + i);
    cfg.inst = inst;
    cfg.n_symbols = n;
    cfg.max_symbols = max_symbols;
    cfg.history = 64;
    return engine_create(&cfg, NULL);
}

static void add(struct engine *e, int i)
{
    struct engine_event ev = { .type = EE_INSTRUMENT };
    ev.u.inst = inst_of(i);
    engine_step(e, &ev);
}

static void two_hundred_symbols_through_engine_signals_and_broker(void)
{
    struct engine *e = make(START, 0, TOTAL);
    CHECK(e);
    if (!e)
        return;
    for (int i = START; i < TOTAL; i++)
        add(e, i);
    CHECK(engine_symbol_count(e) == TOTAL);
    char name[SYMBOL_MAX];
    int found = 0;
    for (int i = 0; i < TOTAL; i++) {
        name_of(i, name);
        found += engine_symbol(e, name) == i && strcmp(engine_symbol_name(e, i), name) == 0;
    }
    CHECK(found == TOTAL);
    CHECK(engine_symbol(e, "NOSUCHUSDT") == -1);
    add(e, TOTAL);                              /* past feed.max_symbols: refused */
    name_of(TOTAL, name);
    CHECK(engine_symbol(e, name) == -1 && engine_symbol_count(e) == TOTAL);

    for (int k = 0; k < CANDLES; k++)
        for (int i = 0; i < TOTAL; i++)
            feed(e, i, k);
    const struct signal_engine *se = engine_signals(e);
    CHECK(se->n_symbols == TOTAL);
    int analysed = 0;
    for (int i = 0; i < TOTAL; i++)
        analysed += se->ser[i][TF_1M].n == CANDLES;
    CHECK_MSG(analysed == TOTAL, "%d of %d symbols analysed on every candle", analysed, TOTAL);

    /* symbols at start, added early and added last: each as if it were alone */
    const int probe[] = { 0, 39, 63, 64, 150, TOTAL - 1 };
    for (size_t p = 0; p < sizeof probe / sizeof probe[0]; p++) {
        int i = probe[p];
        struct engine *one = make(1, i, 0);
        for (int k = 0; k < CANDLES; k++)
            feed(one, i, k);
        struct candle ca, cb;
        struct ta_values va, vb;
        CHECK(engine_last_values(e, i, TF_1M, &ca, &va) && engine_last_values(one, 0, TF_1M, &cb, &vb));
        CHECK_MSG(memcmp(&ca, &cb, sizeof ca) == 0 && memcmp(&va, &vb, sizeof va) == 0,
                  "symbol %d: candle or indicators differ from the engine holding it alone", i);
        CHECK(se->confluence[i] == engine_signals(one)->confluence[0]);
        engine_destroy(one);
    }

    /* an order on a symbol far past the old cap fills and shows in the snapshot */
    const int s = 180;
    name_of(s, name);
    driver_command(e, name, (struct command){ .type = CMD_MARKET_ORDER, .side = 1, .qty = 1 });
    feed(e, s, CANDLES);
    const struct broker *b = engine_broker(e);
    CHECK(b->cap >= TOTAL);
    CHECK_NEAR(b->pos[s].qty, 1, 1e-12);
    struct snapshot *snap = calloc(1, sizeof *snap), *copy = calloc(1, sizeof *copy);
    engine_snapshot(e, s, TF_1M, snap);
    CHECK(snap->n_symbols == TOTAL && snap->paper.n_sym == TOTAL);
    CHECK(strcmp(snap->symbols[s].name, name) == 0 && snap->symbols[s].pos_qty == 1);
    CHECK(snap->paper.pos[s].qty == 1 && snap->paper.inst[s].step == 0.001);
    snapshot_copy(copy, snap);                  /* what the UI holds: its own tables */
    CHECK(copy->symbols != snap->symbols && copy->paper.pos != snap->paper.pos);
    CHECK(copy->n_symbols == TOTAL && copy->symbols[s].pos_qty == 1 && copy->paper.pos[s].qty == 1);
    snapshot_free(snap);
    snapshot_free(copy);
    engine_destroy(e);
}

static void symtab_finds_thousands(void)
{
    struct symtab t;
    symtab_init(&t);
    char name[SYMBOL_MAX];
    int ok = 1;
    for (int i = 0; i < 5000 && ok; i++) {
        snprintf(name, sizeof name, "X%dUSDT", i);
        ok = symtab_put(&t, name, i) == 0;
    }
    CHECK(ok && t.n == 5000 && 2 * t.n <= t.cap);
    int found = 0;
    for (int i = 0; i < 5000; i++) {
        snprintf(name, sizeof name, "X%dUSDT", i);
        found += symtab_get(&t, name) == i;
    }
    CHECK(found == 5000);
    CHECK(symtab_get(&t, "X5000USDT") == -1 && symtab_get(&t, "") == -1);
    CHECK(symtab_put(&t, "X7USDT", 42) == 0 && symtab_get(&t, "X7USDT") == 42 && t.n == 5000);
    symtab_free(&t);
    CHECK(symtab_get(&t, "X7USDT") == -1);
}

int main(void)
{
    RUN(two_hundred_symbols_through_engine_signals_and_broker);
    RUN(symtab_finds_thousands);
    HARNESS_EXIT();
}
