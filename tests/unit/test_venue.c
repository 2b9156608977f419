/* The venue registry and its contract: every venue's table is complete for
 * what it is (live or replay), names are unique and qualify symbols, and the
 * demo replay works through the table alone (instruments, bundled history,
 * start after a stored candle, clock, close). */
#include "harness.h"

#include <stdlib.h>
#include <time.h>

#include "alphapulse/event.h"
#include "alphapulse/session.h"
#include "alphapulse/venue.h"

static void every_venue_has_a_complete_table(void)
{
    int n = 0, live = 0, replays = 0;
    for (const struct venue *v; (v = venue_at(n)); n++) {
        CHECK_MSG(v->name && *v->name && v->market && *v->market, "venue %d: name and market", n);
        CHECK_MSG(v->open && v->start && v->stop && v->close, "%s: open, start, stop, close", v->name);
        CHECK_MSG(venue_find(v->name) == v, "%s: found by name (and the only one of that name)", v->name);
        if (v->replay) {
            replays++;
            CHECK_MSG(v->instruments && !v->add && !v->del, "%s: a replay lists its symbols, no :add/:del", v->name);
        } else {
            live++;
            CHECK_MSG(v->add && v->del, "%s: live symbols can be added and removed", v->name);
            CHECK_MSG(v->endpoints && v->rest_url && v->ws_url, "%s: endpoints and their defaults", v->name);
            CHECK_MSG(!v->clock && !v->bundled, "%s: live data has no clock and no bundled history", v->name);
            /* the name qualifies a symbol and survives the round trip */
            char text[64], canon[SYMBOL_MAX], err[200];
            snprintf(text, sizeof text, "%s:BTCUSDT", v->name);
            CHECK_MSG(venue_symbol_canonical(text, canon, err, sizeof err) == 0 && venue_of(canon) == v,
                      "%s: '%s' -> '%s' (%s)", v->name, text, canon, err);
        }
    }
    CHECK(n <= VENUE_MAX && live >= 1 && replays >= 1);
    CHECK(venue_at(-1) == NULL && venue_at(n) == NULL);
    /* replays never qualify a symbol */
    const char *const *names = venue_names();
    int k = 0;
    for (; names[k]; k++)
        CHECK(!venue_find(names[k])->replay);
    CHECK(k == live);
}

static void bare_symbols_are_binance(void)
{
    const struct venue *b = venue_find("binance");
    CHECK(b && venue_of("BTCUSDT") == b && venue_of("binance:BTCUSDT") == b);
    CHECK(venue_of("kraken:XBTUSD") == NULL && venue_of("demo:BTCUSDT") == NULL);
    char out[SYMBOL_MAX], err[200];
    CHECK(venue_symbol_canonical("binance:ethusdt", out, err, sizeof err) == 0 && strcmp(out, "ETHUSDT") == 0);
    CHECK(venue_symbol_canonical("demo:BTCUSDT", out, err, sizeof err) == -1 && strstr(err, "unknown venue \"demo\""));
    CHECK(strstr(err, "known venues: binance") != NULL);
    char v[SYMBOL_MAX];
    venue_canonical(b, "SOLUSDT", v);
    CHECK(strcmp(v, "SOLUSDT") == 0);
    CHECK(strcmp(venue_status_name(VENUE_BAD_SYMBOL), "invalid symbol") == 0);
    CHECK(strcmp(venue_status_name(VENUE_RESTRICTED), "refused in this region") == 0);
}

static void symbol_lists_are_canonical(void)
{
    char out[8][SYMBOL_MAX], err[200];
    CHECK(session_parse_symbols("btcusdt,binance:ETHUSDT,SOLUSDT", out, 8, err, sizeof err) == 3);
    CHECK(strcmp(out[0], "BTCUSDT") == 0 && strcmp(out[1], "ETHUSDT") == 0 && strcmp(out[2], "SOLUSDT") == 0);
    CHECK(session_parse_symbols("BTCUSDT,binance:btcusdt", out, 8, err, sizeof err) == -1 &&
          strstr(err, "BTCUSDT is listed twice"));
    CHECK(session_parse_symbols("BTCUSDT,nope:X", out, 8, err, sizeof err) == -1 && strstr(err, "unknown venue"));
    CHECK(session_parse_symbols("BTCUSDT,", out, 8, err, sizeof err) == -1 && strstr(err, "trailing comma"));
    CHECK(session_parse_symbols("A,B,C", out, 2, err, sizeof err) == -1 && strstr(err, "more than 2"));
}

/* The demo through its table: one symbol of it, started after a stored candle,
 * delivers only that symbol's candles, each after the stored one. */
static void the_demo_through_the_table(void)
{
    const struct venue *d = venue_find("demo");
    CHECK(d && d->replay);
    if (!d)
        return;
    char err[300];
    struct venue_options o = { .manifest = "data/demo.json", .speed = 0 };
    struct venue_feed *f = d->open(d, &o, err, sizeof err);
    CHECK_MSG(f != NULL, "open: %s", err);
    if (!f)
        return;
    struct instrument all[INSTRUMENTS_MAX];
    int n = d->instruments(f, all, INSTRUMENTS_MAX);
    CHECK(n >= 2);
    const struct candle *c, *h;
    size_t nc = 0, nh = 0;
    int htf = -1;
    CHECK(d->bundled(f, all[1].symbol, &c, &nc, &h, &htf, &nh) && nc > 100);
    CHECK(!d->bundled(f, "NOSUCHUSDT", &c, &nc, &h, &htf, &nh));
    d->bundled(f, all[1].symbol, &c, &nc, &h, &htf, &nh);
    int64_t after = c[nc - 20].open_time;          /* 19 closed candles left to play */
    struct spsc q;
    CHECK(spsc_init(&q, sizeof(struct engine_event), 1 << 12) == 0);
    char names[1][SYMBOL_MAX];
    snprintf(names[0], SYMBOL_MAX, "%s", all[1].symbol);
    CHECK(d->start(f, (const char (*)[SYMBOL_MAX])names, &after, 1, &q, err, sizeof err) == 0);
    int closed = 0, other = 0, early = 0;
    struct venue_clock clk = { 0 };
    for (int spins = 0; spins < 2000; spins++) {      /* up to 20 s for the replay to end */
        struct engine_event ev;
        while (spsc_pop(&q, &ev))
            if (ev.type == EE_KLINE) {
                other += strcmp(ev.u.k.symbol, all[1].symbol) != 0;
                early += ev.u.k.c.open_time <= after;
                closed += ev.u.k.closed;
            }
        CHECK(d->clock(f, VENUE_CLOCK_GET, 0, &clk) == 0);
        if (clk.finished && spsc_size(&q) == 0)
            break;
        nanosleep(&(struct timespec){ 0, 10000000 }, NULL);
    }
    CHECK_MSG(clk.finished && closed == 19 && other == 0 && early == 0, "finished %d closed %d other %d early %d",
              clk.finished, closed, other, early);
    CHECK(d->clock(f, VENUE_CLOCK_SPEED, 60, &clk) == 0 && clk.speed == 60);
    d->close(f);
    spsc_free(&q);
}

int main(void)
{
    RUN(every_venue_has_a_complete_table);
    RUN(bare_symbols_are_binance);
    RUN(symbol_lists_are_canonical);
    RUN(the_demo_through_the_table);
    HARNESS_EXIT();
}
