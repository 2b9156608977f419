/* Per-symbol profiles through the engine: a symbol's own risk limits decide its
 * orders (and the account's decide the others'), a reload swaps them, a symbol
 * added later gets its profile; over the demo data a profile's timeframes,
 * voters and patterns decide which signals and chart markers that symbol gets,
 * while the other symbols keep the defaults. */
#include <math.h>
#include <stdlib.h>
#include <unistd.h>

#include "harness.h"
#include "alphapulse/engine.h"
#include "alphapulse/indicators.h"
#include "alphapulse/kline_json.h"
#include "alphapulse/patterns.h"
#include "alphapulse/record.h"
#include "alphapulse/replay.h"
#include "engine_driver.h"

#define T0 1733011200000LL          /* 2024-12-01T00:00Z */
#define MIN 60000LL

static const char *pattern_name(int id) { return cdl_name(id); }
static const struct config_vocab vocab = { .pattern_find = cdl_find, .pattern_name = pattern_name,
                                           .n_patterns = CDL_COUNT,
                                           .profile = &engine_profile_schema,
                                           .sections = (const struct config_section *const[]){ &engine_risk_section },
                                           .n_sections = 1 };

static struct config *load(const char *json)
{
    char path[] = "/tmp/ap-profiles-XXXXXX.json";
    int fd = mkstemps(path, 5);
    if (fd < 0 || write(fd, json, strlen(json)) != (ssize_t)strlen(json)) {
        if (fd >= 0)
            close(fd);
        return NULL;
    }
    close(fd);
    struct config *c = malloc(sizeof *c);
    static struct config_errors errs;
    config_defaults(c, &vocab);
    int rc = config_load(c, path, &errs);
    unlink(path);
    CHECK_MSG(rc == 0, "%s", errs.n ? errs.msg[0] : "");
    return c;
}

static struct spsc q;
static char journal[256][200];
static int nj;

static void drain(void)
{
    struct record r;
    while (spsc_pop(&q, &r))
        if (r.type == REC_JOURNAL && nj < 256)
            snprintf(journal[nj++], sizeof journal[0], "%s", r.u.text.text);
}

static bool said(const char *a, const char *b)
{
    for (int i = 0; i < nj; i++)
        if (strstr(journal[i], a) && (!b || strstr(journal[i], b)))
            return true;
    return false;
}

static void kline(struct engine *e, const char *sym, int64_t t, double px)
{
    driver_kline(e, sym, t, px, px, px, px);
    drain();
}

static void order(struct engine *e, const char *sym, double qty, double stop)
{
    driver_command(e, sym, (struct command){ .type = CMD_ORDER, .side = 1, .order_type = ORDER_LIMIT, .price = 100,
                                             .qty = qty, .stop_loss = stop });
    drain();
}

static void risk_limits_follow_the_symbol(void)
{
    struct config *c = load("{\"risk\": {\"max_position\": 0.2, \"max_exposure\": 0.9},"
                            " \"profiles\": {\"BTCUSDT\": {\"risk\": {\"max_position\": 0.05, \"require_stop\": true}},"
                            " \"SOLUSDT\": {\"risk\": {\"max_position\": 0.01}}}}");
    if (!c)
        return;
    struct engine_config cfg;
    struct instrument inst[INSTRUMENTS_MAX] = { 0 };
    engine_config_defaults(&cfg);
    cfg.inst = inst;
    engine_config_from_file(c, &cfg);
    cfg.n_symbols = 2;
    snprintf(inst[0].symbol, SYMBOL_MAX, "BTCUSDT");
    snprintf(inst[1].symbol, SYMBOL_MAX, "ETHUSDT");
    for (int i = 0; i < 2; i++)
        snprintf(inst[i].quote, sizeof inst[i].quote, "USDT");
    cfg.history = 64;
    spsc_init(&q, sizeof(struct record), 1 << 12);
    struct engine *e = engine_create(&cfg, &q);
    free(c);                                  /* the engine keeps its own copy */
    kline(e, "BTCUSDT", T0, 100);
    kline(e, "ETHUSDT", T0, 100);
    /* 8 x 100 = 800, 8 % of equity: over BTC's own 5 %, inside the account's 20 % */
    nj = 0;
    order(e, "BTCUSDT", 8, 99);
    CHECK(said("BUY 8 BTCUSDT rejected by max position", "800.00 is 8.0% of equity, limit 5.0%: 300.00 over"));
    order(e, "ETHUSDT", 8, 99);
    CHECK(said("new limit BUY 8 ETHUSDT", NULL));
    /* BTC entries need a stop; ETH's do not */
    order(e, "BTCUSDT", 1, 0);
    CHECK(said("BUY 1 BTCUSDT rejected by stop-loss rule", "entries need a stop-loss"));
    order(e, "ETHUSDT", 1, 0);
    CHECK(said("new limit BUY 1 ETHUSDT", NULL));
    struct pf_view *v = calloc(1, sizeof *v);
    portfolio_view(engine_portfolio(e), v);
    CHECK(v->sym_limits[0].max_position == 0.05 && v->sym_limits[0].require_stop);
    CHECK(v->sym_limits[1].max_position == 0.2 && !v->sym_limits[1].require_stop);
    CHECK(v->limits.max_position == 0.2);

    /* a symbol added while running gets its own profile */
    struct engine_event add = { .type = EE_INSTRUMENT };
    snprintf(add.u.inst.symbol, SYMBOL_MAX, "SOLUSDT");
    snprintf(add.u.inst.quote, sizeof add.u.inst.quote, "USDT");
    engine_step(e, &add);
    kline(e, "SOLUSDT", T0, 100);
    nj = 0;
    order(e, "SOLUSDT", 2, 99);
    CHECK(said("BUY 2 SOLUSDT rejected by max position", "limit 1.0%"));

    /* a reload without the BTC profile: the account's limits apply to it at once */
    struct config *r = load("{\"risk\": {\"max_position\": 0.2, \"max_exposure\": 0.9}}");
    if (r) {
        struct engine_event ev = { .type = EE_COMMAND, .u.cmd = { .type = CMD_SETTINGS, .payload = r } };
        engine_step(e, &ev);           /* the engine owns the payload now */
        nj = 0;
        order(e, "BTCUSDT", 8, 99);
        CHECK(said("new limit BUY 8 BTCUSDT", NULL));
        order(e, "SOLUSDT", 2, 99);
        CHECK(said("new limit BUY 2 SOLUSDT", NULL));
        portfolio_view(engine_portfolio(e), v);
        CHECK(v->sym_limits[0].max_position == 0.2 && !v->sym_limits[0].require_stop);
    }
    pf_view_free(v);
    free(v);
    engine_destroy(e);
    spsc_free(&q);
}

/* The candles of the 1m chart against batch runs of the windowed indicators
 * with the given periods over those same candles: exactly equal (0 relative
 * error) right after a rebuild, which replays the candles held; later, where
 * the batch is warm (only_warm), the engine's running sums may differ in the
 * last bits. */
static double worst_rel_error(const struct snapshot *sn, int sma, int wma, int bb, int vol, bool only_warm)
{
    int n = sn->n_candles;
    double *c = calloc((size_t)n + 1, sizeof *c), *v = calloc((size_t)n + 1, sizeof *v);
    double *o[4];
    for (int k = 0; k < 4; k++)
        o[k] = calloc((size_t)n + 1, sizeof *o[k]);
    for (int i = 0; i < n; i++) {
        c[i] = sn->candles[i].close;
        v[i] = sn->candles[i].volume;
    }
    sma_batch(c, (size_t)n, sma, o[0]);
    wma_batch(c, (size_t)n, wma, o[1]);
    bbands_batch(c, (size_t)n, bb, 2, 2, o[2], NULL, NULL, NULL, NULL);
    volume_ratio_batch(v, (size_t)n, vol, o[3], NULL);
    double worst = 0;
    int warm = 0;
    for (int i = 0; i < n; i++) {
        const double got[4] = { sn->ta[i].sma_20, sn->ta[i].wma_20, sn->ta[i].bb_upper, sn->ta[i].volume_sma_20 };
        for (int k = 0; k < 4; k++) {
            if (only_warm && isnan(o[k][i]))
                continue;             /* the engine's values there rest on older candles */
            if (isnan(o[k][i]) != isnan(got[k]))
                worst = INFINITY;
            else if (!isnan(got[k]))
                worst = fmax(worst, fabs(got[k] - o[k][i]) / fabs(o[k][i]));
            warm += !isnan(got[k]);
        }
    }
    for (int k = 0; k < 4; k++)
        free(o[k]);
    free(c);
    free(v);
    return warm > 0 ? worst : INFINITY;
}

/* n closed 1m candles of BTCUSDT on a random walk, with varying volume. */
static void walk(struct engine *e, int64_t *t, double *px, unsigned *seed, int n)
{
    for (int i = 0; i < n; i++, *t += MIN) {
        double next = *px * (1 + ((double)rand_r(seed) / RAND_MAX - 0.5) * 0.01);
        struct engine_event ev = { .type = EE_KLINE };
        snprintf(ev.u.k.symbol, SYMBOL_MAX, "BTCUSDT");
        ev.u.k.tf = TF_1M;
        ev.u.k.closed = true;
        ev.u.k.event_time = *t + MIN - 1;
        ev.u.k.c = (struct candle){ .open_time = *t, .open = *px, .high = fmax(*px, next) * 1.001,
                                    .low = fmin(*px, next) * 0.999, .close = next, .volume = 1 + rand_r(seed) % 50 };
        engine_step(e, &ev);
        *px = next;
    }
    drain();
}

/* A reload that changes the periods re-sizes the indicators' rings, to longer
 * and to shorter periods: the values equal batch runs with the new periods,
 * and keep doing so as more candles than the series hold go through. The
 * first reload comes when every candle held has values (the rebuild then
 * replays exactly the candles shown); the second when the series hold older
 * candles too (ENGINE_REPLAY_CANDLES), so the values rest on those as well. */
static void reload_resizes_indicator_rings(void)
{
    spsc_init(&q, sizeof(struct record), 1 << 12);
    struct engine *e = driver_engine(&q);         /* 64 candles of history */
    struct snapshot *sn = calloc(1, sizeof *sn);
    int64_t t = T0;
    double px = 100;
    unsigned seed = 11;
    const char *profiles[2] = {
        "{\"profiles\": {\"BTCUSDT\": {\"analysis\": {\"sma_period\": 50, \"wma_period\": 40,"
        " \"bb_period\": 60, \"volume_sma_period\": 45}}}}",
        "{\"profiles\": {\"BTCUSDT\": {\"analysis\": {\"sma_period\": 3, \"wma_period\": 4,"
        " \"bb_period\": 5, \"volume_sma_period\": 2}}}}",
    };
    const int periods[2][4] = { { 50, 40, 60, 45 }, { 3, 4, 5, 2 } };
    for (int round = 0; round < 2; round++) {
        walk(e, &t, &px, &seed, round == 0 ? 60 : 100);
        struct config *r = load(profiles[round]);
        if (!r)
            break;
        struct engine_event ev = { .type = EE_COMMAND, .u.cmd = { .type = CMD_SETTINGS, .payload = r } };
        engine_step(e, &ev);
        const int *p = periods[round];
        engine_snapshot(e, 0, TF_1M, sn);
        CHECK(sn->n_candles == (round == 0 ? 60 : 64));
        double err = worst_rel_error(sn, p[0], p[1], p[2], p[3], round > 0);
        CHECK_MSG(round == 0 ? err == 0 : err < 1e-9, "periods %d/%d/%d/%d right after the reload: relative error %g", p[0], p[1], p[2], p[3],
                  err);
        walk(e, &t, &px, &seed, 150);
        engine_snapshot(e, 0, TF_1M, sn);
        err = worst_rel_error(sn, p[0], p[1], p[2], p[3], true);
        CHECK_MSG(err < 1e-9, "periods %d/%d/%d/%d 150 candles on: relative error %g", p[0], p[1], p[2], p[3], err);
    }
    snapshot_free(sn);
    engine_destroy(e);
    spsc_free(&q);
}

struct tally {
    long signals[INSTRUMENTS_MAX][TF_COUNT];
    long pattern_votes[INSTRUMENTS_MAX];
    long marks[INSTRUMENTS_MAX];
};

/* The demo data through an engine with the configuration c (NULL: defaults). */
static void run_demo(const struct config *c, long events, struct tally *t, int *n_symbols)
{
    memset(t, 0, sizeof *t);
    char err[256];
    struct replay *rp = replay_open("data/demo.json", err, sizeof err);
    CHECK_MSG(rp, "%s", err);
    if (!rp)
        return;
    struct engine_config cfg;
    struct instrument inst[INSTRUMENTS_MAX] = { 0 };
    engine_config_defaults(&cfg);
    cfg.inst = inst;
    if (c)
        engine_config_from_file(c, &cfg);
    cfg.n_symbols = replay_symbols(rp, inst, INSTRUMENTS_MAX);
    *n_symbols = cfg.n_symbols;
    struct spsc rq;
    spsc_init(&rq, sizeof(struct record), 1 << 12);
    struct engine *e = engine_create(&cfg, &rq);
    char msg[1024], why[128];
    int round_end;
    long len;
    for (long n = 0; n < events && (len = replay_next(rp, msg, sizeof msg, &round_end)) > 0; n++) {
        struct engine_event ev = { .type = EE_KLINE };
        if (kline_json_parse(msg, (size_t)len, &ev.u.k, why, sizeof why) == KLINE_JSON_OK)
            engine_step(e, &ev);
        struct record r;
        while (spsc_pop(&rq, &r)) {
            if (r.type != REC_SIGNAL || r.u.signal.state != SIGNAL_NEW || r.u.signal.outcome != OUTCOME_OPEN)
                continue;
            int s = engine_symbol(e, r.symbol);
            if (s < 0 || r.tf < 0 || r.tf >= TF_COUNT)
                continue;
            t->signals[s][r.tf]++;
            t->pattern_votes[s] += (r.u.signal.voters >> VOTER_PATTERN) & 1;
        }
    }
    struct snapshot *snap = calloc(1, sizeof *snap);
    for (int s = 0; s < cfg.n_symbols; s++) {
        engine_snapshot(e, s, TF_1M, snap);
        for (int i = 0; i < snap->n_candles; i++)
            t->marks[s] += snap->mark[i].id >= 0;
    }
    snapshot_free(snap);
    engine_destroy(e);
    spsc_free(&rq);
    replay_close(rp);
}

static void signals_follow_the_profile(void)
{
    /* BTCUSDT: signals on 1h and 4h only, no pattern voter, no patterns at all */
    /* every timeframe and no cost gate by default (one month of 1m data would never
     * warm up the shipped 4h and 1d), then BTCUSDT's own */
#define ALL_TFS "\"profiles\": {\"default\": {\"signals\": {\"timeframes\": [\"1m\", \"5m\", \"15m\", \"1h\", \"4h\", " \
                "\"1d\"], \"max_cost_r\": 1000}}"
    struct config *all = load("{" ALL_TFS "}}");
    struct config *c = load("{" ALL_TFS ", \"BTCUSDT\": {\"patterns\": {\"enabled\": []},"
                            " \"signals\": {\"timeframes\": [\"1h\", \"4h\"], \"min_voters\": 2,"
                            " \"voters\": [\"trend\", \"momentum\", \"volatility\", \"volume\", \"confluence\", \"regime\"]}}}}");
    if (!c || !all) {
        free(c);
        free(all);
        return;
    }
    static struct tally base, prof;
    int n = 0;
    run_demo(all, 40000, &base, &n);
    run_demo(c, 40000, &prof, &n);
    free(c);
    free(all);
    CHECK(n >= 2);
    long base_low = 0, prof_low = 0, prof_high = 0;
    for (int tf = 0; tf < TF_COUNT; tf++) {
        if (tf == TF_1H || tf == TF_4H) {
            prof_high += prof.signals[0][tf];
            continue;
        }
        base_low += base.signals[0][tf];
        prof_low += prof.signals[0][tf];
    }
    printf("# BTCUSDT signals below 1h: %ld by default, %ld with the profile; on 1h/4h %ld; markers %ld -> %ld\n",
           base_low, prof_low, prof_high, base.marks[0], prof.marks[0]);
    CHECK(base_low > 0);                      /* the defaults do raise them: the profile removed them */
    CHECK(prof_low == 0);
    CHECK(base.pattern_votes[0] > 0 && prof.pattern_votes[0] == 0);
    CHECK(base.marks[0] > 0 && prof.marks[0] == 0);
    /* the other symbols keep the defaults: their markers are the same, and they
     * still raise signals below 1h with the pattern voter (the counts move a
     * little: pattern hit rates are shared by all symbols, and so is the queue) */
    for (int s = 1; s < n; s++) {
        CHECK_MSG(base.marks[s] == prof.marks[s], "symbol %d: %ld vs %ld markers", s, base.marks[s], prof.marks[s]);
        CHECK(prof.signals[s][TF_1M] > 0 && prof.pattern_votes[s] > 0);
    }
}

int main(void)
{
    RUN(risk_limits_follow_the_symbol);
    RUN(signals_follow_the_profile);
    RUN(reload_resizes_indicator_rings);
    HARNESS_EXIT();
}
