/* Paper trading through the engine, as the console and backtest drive it: a
 * bracket order's fill and stop, the trade and its metrics, a rejection line that
 * names the limit and the amount, the loss-streak cooldown, the kill switch and
 * the typed unlock, and the risk state, the book and an ATR trailing stop
 * surviving a restart through SQLite. */
#include <stdlib.h>
#include <unistd.h>

#include "harness.h"
#include "alphapulse/engine.h"
#include "alphapulse/record.h"
#include "alphapulse/store.h"
#include "engine_driver.h"

#define T0 1733011200000LL          /* 2024-12-01T00:00Z */
#define MIN 60000LL

static struct engine *e;
static struct spsc q;
static int64_t t;
static char journal[64][200];
static int nj;

static void drain(void)
{
    struct record r;
    while (spsc_pop(&q, &r))
        if (r.type == REC_JOURNAL && nj < 64)
            snprintf(journal[nj++], sizeof journal[0], "%s", r.u.text.text);
}

static bool said(const char *a, const char *b)
{
    for (int i = 0; i < nj; i++)
        if (strstr(journal[i], a) && (!b || strstr(journal[i], b)))
            return true;
    return false;
}

static void kline(double o, double h, double l, double c)
{
    driver_kline(e, "BTCUSDT", t, o, h, l, c);
    t += MIN;
    drain();
}

static void cmd(struct command c)
{
    driver_command(e, "BTCUSDT", c);
    drain();
}

static struct engine *make(struct spsc *records) { return driver_engine(records); }

static void bracket_trade_and_metrics(void)
{
    spsc_init(&q, sizeof(struct record), 1 << 12);
    e = make(&q);
    t = T0;
    kline(100, 100, 100, 100);
    cmd((struct command){ .type = CMD_ORDER, .side = 1, .order_type = ORDER_MARKET, .qty = 1, .stop_loss = 98,
                          .tp = { 104 } });
    CHECK(said("order #1 new market BUY 1 BTCUSDT", "SL 98 TP 104"));
    kline(100, 101, 99.5, 100.5);            /* fills at the open + 1 bp slippage */
    const struct portfolio *pf = engine_portfolio(e);
    CHECK_NEAR(pf->broker.pos[0].avg, 100.01, 1e-12);
    kline(100.5, 100.6, 97.9, 98.2);         /* the stop: 98 - 1 bp, down to the tick */
    CHECK(pf->broker.pos[0].qty == 0);
    CHECK(said("filled SELL 1 BTCUSDT @ 97.99", "(stop-loss)"));
    struct pf_view *v = calloc(1, sizeof *v);
    portfolio_view(pf, v);
    /* (97.99 - 100.01) x 1 - fees (100.01 + 97.99) x 10 bps */
    CHECK(v->total.trades == 1 && v->total.losses == 1);
    CHECK_NEAR(v->total.net, -2.02 - 0.198, 1e-9);
    CHECK_NEAR(v->balance, 10000 - 2.218, 1e-9);
    CHECK(v->by_source[SRC_MANUAL].trades == 1);
    pf_view_free(v);
    free(v);
}

static void rejections_name_the_limit(void)
{
    nj = 0;
    cmd((struct command){ .type = CMD_ORDER, .side = 1, .order_type = ORDER_MARKET, .qty = 20 });
    /* last 98.2, equity 9997.782: 20 x 98.2 = 1964 against 999.7782 */
    CHECK(said("BUY 20 BTCUSDT rejected by max position", "1964.00 is 19.6% of equity, limit 10.0%: 964.22 over"));
    cmd((struct command){ .type = CMD_ORDER, .side = 1, .order_type = ORDER_MARKET, .qty = 5, .stop_loss = 70 });
    /* 5 x (98.2 - 70) = 141 against 1 % = 99.97782 */
    CHECK(said("BUY 5 BTCUSDT rejected by risk per trade", "risk 141.00 is 1.41% of equity, limit 1.00%: 41.02 over"));
    cmd((struct command){ .type = CMD_ORDER, .side = 1, .order_type = ORDER_MARKET, .size_method = SIZE_RISK,
                          .size = 0.01 });
    CHECK(said("risk sizing gives no quantity", "needs a stop-loss"));
}

static void losing_streak_pauses_entries(void)
{
    for (int k = 0; k < 2; k++) {            /* two more losers: three in a row */
        cmd((struct command){ .type = CMD_ORDER, .side = 1, .order_type = ORDER_MARKET, .qty = 1, .stop_loss = 97 });
        kline(98.2, 98.3, 98.1, 98.2);
        kline(98.2, 98.2, 96, 96.5);
        kline(98, 98.3, 97.9, 98.2);
    }
    nj = 0;
    cmd((struct command){ .type = CMD_ORDER, .side = 1, .order_type = ORDER_MARKET, .qty = 1 });
    CHECK(said("rejected by loss-streak cooldown", "3 losses in a row"));
    t += 60 * MIN;
    kline(98.2, 98.3, 98.1, 98.2);
    nj = 0;
    cmd((struct command){ .type = CMD_ORDER, .side = 1, .order_type = ORDER_MARKET, .qty = 1 });
    CHECK(said("order #", "new market BUY 1 BTCUSDT"));
}

static void kill_switch_flattens_and_locks(void)
{
    kline(98.2, 98.3, 98.1, 98.2);           /* the buy fills */
    cmd((struct command){ .type = CMD_ORDER, .side = 1, .order_type = ORDER_LIMIT, .price = 90, .qty = 1 });
    const struct portfolio *pf = engine_portfolio(e);
    CHECK(pf->broker.pos[0].qty == 1 && pf->broker.n_orders == 1);
    nj = 0;
    cmd((struct command){ .type = CMD_KILL });
    CHECK(said("KILL SWITCH: 1 order cancelled, 1 position closing", NULL));
    kline(98.2, 98.3, 98.1, 98.2);
    CHECK(pf->broker.pos[0].qty == 0 && pf->broker.n_orders == 0);
    CHECK(pf->risk.lock == RISK_LOCK_KILL);
    nj = 0;
    cmd((struct command){ .type = CMD_ORDER, .side = -1, .order_type = ORDER_MARKET, .qty = 1 });
    CHECK(said("rejected by the trading lock", "kill switch"));
    struct command u = { .type = CMD_UNLOCK };
    snprintf(u.text, sizeof u.text, "yes");
    cmd(u);
    CHECK(said("unlock refused", "UNLOCK"));
    CHECK(pf->risk.lock == RISK_LOCK_KILL);
}

static void risk_state_survives_a_restart(void)
{
    char path[] = "/tmp/ap_paper_XXXXXX";
    int fd = mkstemp(path);
    close(fd);
    char err[256];
    struct store *st = store_open(path, err, sizeof err);
    CHECK_MSG(st, "%s", err);
    if (!st)
        return;
    struct spsc rq;
    spsc_init(&rq, sizeof(struct record), 1 << 12);
    struct engine *e2 = make(&rq);
    store_start(st, &rq);
    struct engine *keep = e;
    e = e2;
    struct spsc keepq = q;
    q = (struct spsc){ 0 };
    /* drive e2 through records the store thread drains: a kill switch locks it */
    struct engine_event ev = { .type = EE_KLINE };
    snprintf(ev.u.k.symbol, SYMBOL_MAX, "BTCUSDT");
    ev.u.k.tf = TF_1M;
    ev.u.k.closed = true;
    ev.u.k.event_time = T0 + MIN - 1;
    ev.u.k.c = (struct candle){ .open_time = T0, .open = 100, .high = 100, .low = 100, .close = 100, .volume = 1 };
    engine_step(e2, &ev);
    struct engine_event k = { .type = EE_COMMAND, .u.cmd = { .type = CMD_KILL } };
    engine_step(e2, &k);
    store_stop(st);
    store_close(st);
    engine_destroy(e2);
    st = store_open(path, err, sizeof err);
    struct engine *e3 = make(NULL);
    CHECK(st && store_restore(st, e3, 100) == 0);
    CHECK(engine_portfolio(e3)->risk.lock == RISK_LOCK_KILL);
    CHECK(engine_portfolio(e3)->risk.locked_at == T0 + MIN - 1);
    store_close(st);
    engine_destroy(e3);
    spsc_free(&rq);
    driver_remove_db(path);
    e = keep;
    q = keepq;
}

static void step_kline(struct engine *x, int64_t ot, double o, double h, double l, double c)
{
    driver_kline(x, "BTCUSDT", ot, o, h, l, c);
}

static void step_cmd(struct engine *x, struct command c) { driver_command(x, "BTCUSDT", c); }

static void orders_and_exits_survive_a_restart(void)
{
    char path[] = "/tmp/ap_book_XXXXXX", err[256];
    int fd = mkstemp(path);
    close(fd);
    struct store *st = store_open(path, err, sizeof err);
    CHECK_MSG(st, "%s", err);
    if (!st)
        return;
    struct spsc rq;
    spsc_init(&rq, sizeof(struct record), 1 << 12);
    struct engine *a = make(&rq);
    store_start(st, &rq);
    step_kline(a, T0, 100, 100, 100, 100);
    step_cmd(a, (struct command){ .type = CMD_ORDER, .side = 1, .order_type = ORDER_MARKET, .qty = 1, .stop_loss = 95,
                                  .tp = { 105, 110 }, .tp_frac = { 0.5, 0.5 } });
    step_kline(a, T0 + MIN, 100, 101, 99, 100);
    step_cmd(a, (struct command){ .type = CMD_ORDER, .side = 1, .order_type = ORDER_LIMIT, .price = 90, .qty = 1,
                                  .stop_loss = 85 });
    step_cmd(a, (struct command){ .type = CMD_ORDER, .side = 1, .order_type = ORDER_LIMIT, .price = 91, .qty = 1 });
    struct command cx = { .type = CMD_CANCEL, .order_id = 3 };        /* a cancelled order must not come back */
    step_cmd(a, cx);
    store_stop(st);
    store_close(st);
    engine_destroy(a);
    st = store_open(path, err, sizeof err);
    struct engine *b = make(NULL);
    CHECK(st && store_restore(st, b, 100) == 0);
    const struct broker *k = engine_broker(b);
    CHECK_NEAR(k->pos[0].qty, 1, 1e-12);
    CHECK_NEAR(k->pos[0].br.stop, 95, 1e-12);
    CHECK_NEAR(k->pos[0].br.tp[1], 110, 1e-12);
    CHECK_NEAR(k->pos[0].br.base_qty, 1, 1e-12);
    CHECK(k->n_orders == 1);
    const struct broker_order *o = broker_order_find(k, 2);
    CHECK(o && o->type == ORDER_LIMIT && fabs(o->price - 90) < 1e-12 && fabs(o->br.stop - 85) < 1e-12);
    CHECK(k->next_order >= 3);
    step_kline(b, T0 + 2 * MIN, 100, 100.5, 94, 96);                  /* the restored stop still works */
    CHECK(k->pos[0].qty == 0);
    /* and the trade that was open across the restart is counted: entry 100.01, stop 95 - 1 bp */
    const struct portfolio *pb = engine_portfolio(b);
    CHECK(pb->all.trades == 1 && pb->all.losses == 1);
    CHECK(pb->n_trades == 1 && fabs(pb->recent[0].entry - 100.01) < 1e-9 && fabs(pb->recent[0].exit - 94.99) < 1e-9);
    CHECK(k->n_orders == 1);                                         /* the limit at 90 was not reached */
    store_close(st);
    engine_destroy(b);
    spsc_free(&rq);
    driver_remove_db(path);
}

/* An ATR trail is stored as the multiple with its distance and the best stop level
 * reached, so a restart neither turns it into a fixed distance nor loosens it:
 * after the same next candle the restarted engine holds the same trail as one
 * that never stopped. */
static void atr_trail_survives_a_restart(void)
{
    char path[] = "/tmp/ap_trail_XXXXXX", err[256];
    int fd = mkstemp(path);
    close(fd);
    struct store *st = store_open(path, err, sizeof err);
    CHECK_MSG(st, "%s", err);
    if (!st)
        return;
    struct spsc rq;
    spsc_init(&rq, sizeof(struct record), 1 << 12);
    struct engine *a = make(&rq);
    store_start(st, &rq);
    int64_t ot = T0;
    double px = 100;
    for (int i = 0; i < 20; i++, ot += MIN, px += 0.1)         /* ATR(14) warms up */
        step_kline(a, ot, px, px + 0.5 + (i % 3) * 0.2, px - 0.5 - (i % 2) * 0.3, px + 0.1);
    const struct portfolio *pa = engine_portfolio(a);
    CHECK(pa->sym[0].atr > 0);
    step_cmd(a, (struct command){ .type = CMD_ORDER, .side = 1, .order_type = ORDER_MARKET, .qty = 1, .trail_atr = 2 });
    /* up in quiet candles, then wide ones: the ATR grows and the stop is held */
    static const double up[][4] = { { 102, 102.6, 101.9, 102.5 }, { 102.5, 103.2, 102.4, 103.1 },
                                    { 103.1, 103.6, 103, 103.5 },  { 103.5, 104, 102.1, 103.9 },
                                    { 103.9, 104.1, 102.5, 104 } };
    for (size_t i = 0; i < sizeof up / sizeof up[0]; i++, ot += MIN)
        step_kline(a, ot, up[i][0], up[i][1], up[i][2], up[i][3]);
    const struct bracket *ba = &pa->broker.pos[0].br;
    CHECK(pa->broker.pos[0].qty == 1 && ba->trail_atr == 2);
    CHECK_NEAR(ba->trail, 2 * pa->sym[0].atr, 1e-12);
    /* the wide candles widened the distance past what the stop had reached */
    CHECK(ba->trail_stop > ba->trail_ref - ba->trail);
    double held = broker_trail_level(&pa->broker, 0);
    CHECK_NEAR(held, ba->trail_stop, 1e-12);
    store_stop(st);
    store_close(st);
    st = store_open(path, err, sizeof err);
    struct engine *b = make(NULL);
    CHECK(st && store_restore(st, b, 100) == 0);
    const struct portfolio *pb = engine_portfolio(b);
    const struct bracket *bb = &pb->broker.pos[0].br;
    CHECK(bb->trail_atr == 2);
    CHECK(bb->trail == ba->trail && bb->trail_ref == ba->trail_ref && bb->trail_stop == ba->trail_stop);
    CHECK(broker_trail_level(&pb->broker, 0) == held);
    /* the same next candle on both: the restarted one follows the ATR just the same */
    step_kline(a, ot, 104.5, 105, 104.1, 104.8);
    step_kline(b, ot, 104.5, 105, 104.1, 104.8);
    CHECK(pb->broker.pos[0].qty == 1);
    CHECK_NEAR(bb->trail, 2 * pb->sym[0].atr, 1e-12);
    CHECK_NEAR(bb->trail, ba->trail, 1e-12);
    CHECK_NEAR(broker_trail_level(&pb->broker, 0), broker_trail_level(&pa->broker, 0), 1e-12);
    CHECK(broker_trail_level(&pb->broker, 0) >= held);
    store_close(st);
    engine_destroy(a);
    engine_destroy(b);
    spsc_free(&rq);
    driver_remove_db(path);
}

int main(void)
{
    RUN(bracket_trade_and_metrics);
    RUN(rejections_name_the_limit);
    RUN(losing_streak_pauses_entries);
    RUN(kill_switch_flattens_and_locks);
    RUN(risk_state_survives_a_restart);
    RUN(orders_and_exits_survive_a_restart);
    RUN(atr_trail_survives_a_restart);
    engine_destroy(e);
    spsc_free(&q);
    HARNESS_EXIT();
}
