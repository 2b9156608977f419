/* Funding through the engine, as a perpetual's feed drives it: ticker events
 * (EE_TICKER) carry the mark, the funding rate and the next funding time; a long
 * held across two funding times pays exactly qty x mark x rate each time, seen in
 * the balance and the journal; the position is valued at the mark, and the
 * snapshot shows the perpetual's mark and funding for the header and watchlist. */
#include <stdlib.h>

#include "harness.h"
#include "alphapulse/engine.h"
#include "alphapulse/record.h"
#include "alphapulse/snapshot.h"
#include "engine_driver.h"

#define T0 1733011200000LL
#define MIN 60000LL

static struct engine *e;
static struct spsc q;
static struct driver_journal J;

static void drain(void) { driver_drain(&q, &J); }
static const char *said(const char *a) { return driver_said(&J, a, NULL); }

static void ticker(int64_t at, double mark, double rate, int64_t next)
{
    struct engine_event ev = { .type = EE_TICKER };
    snprintf(ev.u.tk.symbol, sizeof ev.u.tk.symbol, "BTCUSDT");
    ev.u.tk.have = TICKER_HAVE_MARK | TICKER_HAVE_RATE | TICKER_HAVE_NEXT;
    ev.u.tk.mark = mark;
    ev.u.tk.funding_rate = rate;
    ev.u.tk.next_funding = next;
    ev.u.tk.time = at;
    engine_step(e, &ev);
    drain();
}

static void long_pays_at_two_funding_times(void)
{
    spsc_init(&q, sizeof(struct record), 1 << 12);
    e = driver_engine(&q);
    int64_t t = T0, f1 = T0 + 8 * MIN, f2 = T0 + 16 * MIN;
    driver_kline(e, "BTCUSDT", t, 100, 100, 100, 100);
    t += MIN;
    ticker(t, 100, 0.0001, f1);
    driver_command(e, "BTCUSDT", (struct command){ .type = CMD_ORDER, .side = 1, .order_type = ORDER_MARKET,
                                                   .qty = 2 });
    driver_kline(e, "BTCUSDT", t, 100, 100, 100, 100);
    t += MIN;
    drain();
    const struct portfolio *pf = engine_portfolio(e);
    CHECK(pf->broker.pos[0].qty == 2);
    double b0 = pf->broker.balance, avg = pf->broker.pos[0].avg;
    ticker(f1 - 1, 101, 0.0001, f1);
    CHECK(pf->broker.balance == b0);
    /* valued at the mark, not the last trade (100) */
    CHECK_NEAR(portfolio_unrealized(pf, 0), (101 - avg) * 2, 1e-12);
    ticker(f1 + 10, 102, 0.0003, f2);
    double a1 = -(2 * 101 * 0.0001);
    CHECK(pf->broker.balance == b0 + a1);
    CHECK_MSG(said("funding BTCUSDT: long 2 @ mark 101") && strstr(said("funding BTCUSDT"), "paid 0.0202"),
              "%s", said("funding") ? said("funding") : "no funding line");
    ticker(f2, 103, 0.0001, f2 + 8 * MIN);
    double a2 = -(2 * 102 * 0.0003);
    CHECK(pf->broker.balance == b0 + a1 + a2);
    CHECK(said("paid 0.0612"));
    struct snapshot *s = calloc(1, sizeof *s);    /* its tables start empty: engine_snapshot grows them */
    engine_snapshot(e, 0, TF_1M, s);
    CHECK(s->symbols[0].perp && s->symbols[0].mark == 103 && s->symbols[0].funding_rate == 0.0001);
    CHECK(s->symbols[0].next_funding == f2 + 8 * MIN);
    CHECK_NEAR(s->balance, b0 + a1 + a2, 1e-12);
    snapshot_free(s);
    engine_destroy(e);
    spsc_free(&q);
}

int main(void)
{
    RUN(long_pays_at_two_funding_times);
    HARNESS_EXIT();
}
