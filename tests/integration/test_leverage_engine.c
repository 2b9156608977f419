/* paper.max_leverage through the engine, from a configuration as the program
 * loads it: a perpetual (bybit-linear) order worth 2x equity is refused at the
 * default max_leverage 1 with the reason in the journal, accepted and filled
 * once a reload sets max_leverage 3; the same 2x on a spot symbol stays refused
 * (spot is cash-only); the order ticket caps its size at the leverage as the
 * engine checks it. */
#include <math.h>
#include <stdlib.h>

#include "harness.h"
#include "alphapulse/config.h"
#include "alphapulse/engine.h"
#include "alphapulse/preview.h"
#include "alphapulse/record.h"
#include "alphapulse/snapshot.h"
#include "engine_driver.h"

#define T0 1733011200000LL
#define MIN 60000LL
#define PERP "bybit-linear:BTCUSDT"
#define SPOT "BTCUSDT"

static const struct config_vocab vocab = {
    .profile = &engine_profile_schema,
    .sections = (const struct config_section *const[]){ &engine_risk_section },
    .n_sections = 1,
};

static struct engine *e;
static struct spsc q;
static struct driver_journal J;

static void drain(void) { driver_drain(&q, &J); }
static const char *said(const char *a, const char *b) { return driver_said(&J, a, b); }
static const char *last_line(void) { return J.n ? J.line[J.n - 1] : ""; }

/* The file's settings as `--set` gives them (a new copy: the engine keeps it). */
static struct config *settings(const char *leverage)
{
    struct config *c = malloc(sizeof *c);
    char err[200];
    config_defaults(c, &vocab);
    const char *kv[][2] = { { "risk.max_position", "5" }, { "risk.max_exposure", "10" },
                            { "paper.max_leverage", leverage } };
    for (size_t i = 0; i < sizeof kv / sizeof kv[0]; i++)
        if (config_set(c, kv[i][0], kv[i][1], CFG_SRC_CLI, err, sizeof err)) {
            fprintf(stderr, "config: %s\n", err);
            abort();
        }
    return c;
}

static void instrument(struct instrument *in, const char *sym, bool perp)
{
    snprintf(in->symbol, SYMBOL_MAX, "%s", sym);
    snprintf(in->base, sizeof in->base, "BTC");
    snprintf(in->quote, sizeof in->quote, "USDT");
    in->tick = 0.01;
    in->step = 0.001;
    in->min_notional = 5;
    in->perpetual = perp;
}

static void start(void)
{
    struct engine_config cfg;
    struct instrument inst[INSTRUMENTS_MAX] = { 0 };
    struct config *c = settings("1");
    engine_config_defaults(&cfg);
    engine_config_from_file(c, &cfg);
    cfg.inst = inst;
    cfg.n_symbols = 2;
    instrument(&inst[0], PERP, true);
    instrument(&inst[1], SPOT, false);
    cfg.history = 64;
    spsc_init(&q, sizeof(struct record), 1 << 12);
    e = engine_create(&cfg, &q);      /* copies the configuration */
    free(c);
    driver_kline(e, PERP, T0, 100, 100, 100, 100);
    driver_kline(e, SPOT, T0, 100, 100, 100, 100);
}

static int64_t bar = T0;

/* A market buy, filled (if accepted) on the symbol's next candle. */
static void buy(const char *sym, double qty)
{
    driver_command(e, sym, (struct command){ .type = CMD_ORDER, .side = 1, .order_type = ORDER_MARKET, .qty = qty });
    bar += MIN;
    driver_kline(e, sym, bar, 100, 100, 100, 100);
    drain();
}

static void perp_at_2x_refused_at_1_accepted_at_3(void)
{
    start();
    const struct portfolio *pf = engine_portfolio(e);
    CHECK(pf->cfg.limits.max_leverage == 1);
    buy(PERP, 200);                          /* 20000 on 10000 of equity: 2x */
    CHECK(pf->broker.pos[0].qty == 0);
    const char *why = said(PERP, "max leverage");
    CHECK_MSG(why && strstr(why, "2.00x equity, limit 1x (paper.max_leverage)"), "%s", why ? why : "no refusal");
    driver_command(e, PERP, (struct command){ .type = CMD_SETTINGS, .payload = settings("3") });
    CHECK(pf->cfg.limits.max_leverage == 3);
    buy(PERP, 200);
    CHECK_MSG(pf->broker.pos[0].qty == 200, "position %g (%s)", pf->broker.pos[0].qty, last_line());
    struct snapshot *snap = calloc(1, sizeof *snap);
    engine_snapshot(e, 0, TF_1M, snap);
    const double dflt[SIZE_METHOD_COUNT] = { 0 };
    struct order_preview c;                  /* the ticket: 150 more would make 3.5x */
    struct preview_ticket t = { .sym = 0, .side = 1, .type = ORDER_MARKET, .method = SIZE_QTY, .size = 150 };
    preview_order(&snap->paper, 100, snap->now, &t, dflt, &c);
    double eq = snap->paper.equity;          /* 10000 less the fees paid */
    CHECK_MSG(c.capped && strcmp(c.capped, "max leverage") == 0 && c.verdict == RISK_OK,
              "capped %s verdict %d %s", c.capped ? c.capped : "-", c.verdict, c.why);
    CHECK_NEAR(c.qty, floor((3 * eq / 100 - 200) / 0.001 + 1e-9) * 0.001, 1e-9);
    t.sym = 1;                               /* spot: at most 1x */
    preview_order(&snap->paper, 100, snap->now, &t, dflt, &c);
    CHECK_MSG(c.capped && strcmp(c.capped, "max leverage") == 0, "capped %s", c.capped ? c.capped : "-");
    CHECK_NEAR(c.qty, floor(eq / 100 / 0.001 + 1e-9) * 0.001, 1e-9);
    snapshot_free(snap);
    buy(SPOT, 200);                          /* spot: 1x whatever max_leverage says */
    CHECK(pf->broker.pos[1].qty == 0);
    why = said(SPOT " ", "spot is cash-only");
    CHECK_MSG(why && strstr(why, "max leverage"), "%s", why ? why : "no refusal");
    buy(SPOT, 90);                           /* 0.9x: within cash */
    CHECK_MSG(pf->broker.pos[1].qty == 90, "position %g (%s)", pf->broker.pos[1].qty, last_line());
    engine_destroy(e);
    spsc_free(&q);
}

int main(void)
{
    RUN(perp_at_2x_refused_at_1_accepted_at_3);
    HARNESS_EXIT();
}
