/* 1m -> higher timeframe aggregation: against an independent grouping of the
 * bundled 1m data, against Binance's own 15m candles, and through the engine. */
#include <stdlib.h>

#include "harness.h"
#include "alphapulse/aggregate.h"
#include "alphapulse/candle_csv.h"
#include "alphapulse/engine.h"
#include "alphapulse/patterns.h"
#include "alphapulse/ta_set.h"

static struct candle *m1;
static size_t n1;

/* Reference: group by floor(t / period) with a plain loop; nothing shared with
 * the code under test but struct candle. */
static size_t reference(int64_t period, struct candle *out)
{
    size_t n = 0;
    for (size_t i = 0; i < n1; i++) {
        int64_t b = m1[i].open_time / period * period;
        if (n == 0 || out[n - 1].open_time != b) {
            out[n] = m1[i];
            out[n].open_time = b;
            n++;
            continue;
        }
        struct candle *c = &out[n - 1];
        c->high = m1[i].high > c->high ? m1[i].high : c->high;
        c->low = m1[i].low < c->low ? m1[i].low : c->low;
        c->close = m1[i].close;
        c->volume += m1[i].volume;
    }
    return n;
}

static bool same(const struct candle *a, const struct candle *b)
{
    return a->open_time == b->open_time && a->open == b->open && a->high == b->high &&
           a->low == b->low && a->close == b->close && fabs(a->volume - b->volume) <= 1e-9 * fabs(b->volume);
}

static size_t run_aggregator(int tf, struct candle *out, bool include_open)
{
    struct aggregator a;
    agg_init(&a, tf);
    size_t n = 0;
    struct candle done;
    for (size_t i = 0; i < n1; i++)
        if (agg_push_closed(&a, &m1[i], &done))
            out[n++] = done;
    if (a.active && include_open)
        out[n++] = a.acc;          /* the last bucket is still open at end of data */
    return n;
}

static void matches_independent_grouping(void)
{
    struct candle *ref = malloc(n1 * sizeof *ref), *got = malloc(n1 * sizeof *got);
    for (int tf = TF_5M; tf < TF_COUNT; tf++) {
        size_t nr = reference(tf_ms(tf), ref);
        size_t ng = run_aggregator(tf, got, true);
        CHECK_MSG(nr == ng, "%s: %zu candles, expected %zu", tf_name(tf), ng, nr);
        size_t bad = 0;
        for (size_t i = 0; i < nr && i < ng; i++)
            bad += !same(&got[i], &ref[i]);
        CHECK_MSG(bad == 0, "%s: %zu candles differ", tf_name(tf), bad);
        printf("# %s: %zu candles equal\n", tf_name(tf), nr - bad);
    }
    free(ref);
    free(got);
}

static void equals_binance_15m(void)
{
    struct candle *b15, *got = malloc(n1 * sizeof *got);
    size_t nb;
    char err[256];
    CHECK(candle_csv_load("tests/data/binance_BTCUSDT_15m_dec2024.csv", &b15, &nb, err, sizeof err) == 0);
    size_t ng = run_aggregator(TF_15M, got, false), j = 0, compared = 0, bad = 0;
    for (size_t i = 0; i < nb; i++) {
        while (j < ng && got[j].open_time < b15[i].open_time)
            j++;
        if (j == ng || got[j].open_time != b15[i].open_time)
            continue;
        compared++;
        if (!same(&got[j], &b15[i])) {
            if (bad++ < 3)
                printf("# differs at %lld\n", (long long)b15[i].open_time);
        }
    }
    printf("# Binance 15m: %zu windows compared, %zu differ\n", compared, bad);
    CHECK(compared == 2784);   /* every window the 1m file covers completely */
    CHECK(bad == 0);
    free(b15);
    free(got);
}

static void engine_series_equal_reference(void)
{
    struct engine_config cfg;
    struct instrument inst[INSTRUMENTS_MAX] = { 0 };
    engine_config_defaults(&cfg);
    cfg.inst = inst;
    cfg.n_symbols = 1;
    snprintf(inst[0].symbol, SYMBOL_MAX, "BTCUSDT");
    snprintf(inst[0].base, 12, "BTC");
    snprintf(inst[0].quote, 12, "USDT");
    cfg.history = 50000;
    struct engine *e = engine_create(&cfg, NULL);
    CHECK(e != NULL);
    for (size_t i = 0; i < n1; i++) {
        struct engine_event ev = { .type = EE_KLINE };
        snprintf(ev.u.k.symbol, SYMBOL_MAX, "BTCUSDT");
        ev.u.k.tf = TF_1M;
        ev.u.k.c = m1[i];
        ev.u.k.event_time = m1[i].open_time + 59999;
        ev.u.k.closed = false;                       /* a partial first: must not count twice */
        engine_step(e, &ev);
        ev.u.k.closed = true;
        engine_step(e, &ev);
    }
    struct snapshot *s = calloc(1, sizeof *s);
    struct candle *ref = malloc(n1 * sizeof *ref);
    for (int tf = TF_1M; tf < TF_COUNT; tf++) {
        size_t nr = tf == TF_1M ? n1 : reference(tf_ms(tf), ref);
        if (tf == TF_1M)
            memcpy(ref, m1, n1 * sizeof *ref);
        engine_snapshot(e, 0, tf, s);
        /* the engine's last candle for tf is the reference's last complete one */
        size_t complete = nr;
        if (tf != TF_1M && (m1[n1 - 1].open_time + 60000) % tf_ms(tf) != 0)
            complete--;
        CHECK(s->n_candles > 0);
        size_t bad = 0;
        for (int i = 0; i < s->n_candles; i++) {
            size_t k = complete - (size_t)s->n_candles + (size_t)i;
            bad += !same(&s->candles[i], &ref[k]);
        }
        CHECK_MSG(bad == 0, "engine %s: %zu of %d candles differ", tf_name(tf), bad, s->n_candles);
        /* the engine's indicators on this series equal the batch computation, and
         * its pattern marks are the patterns that fired */
        int64_t *t = malloc(complete * sizeof *t);
        double *o = malloc(complete * sizeof *o), *h = malloc(complete * sizeof *h), *l = malloc(complete * sizeof *l),
               *c = malloc(complete * sizeof *c), *v = malloc(complete * sizeof *v);
        for (size_t i = 0; i < complete; i++) {
            t[i] = ref[i].open_time; o[i] = ref[i].open; h[i] = ref[i].high;
            l[i] = ref[i].low; c[i] = ref[i].close; v[i] = ref[i].volume;
        }
        struct ta_values *rows = malloc(complete * sizeof *rows);
        ta_set_batch_rows(&(struct ta_ohlcv){ t, o, h, l, c, v }, complete, rows);
        int *cdl = malloc(complete * CDL_COUNT * sizeof *cdl);
        cdl_batch_all(ref, complete, cdl);
        size_t vbad = 0, mbad = 0;
        for (int i = 0; i < s->n_candles; i++) {
            size_t k = complete - (size_t)s->n_candles + (size_t)i;
            vbad += memcmp(&s->ta[i], &rows[k], sizeof rows[k]) != 0;
            int fired = 0;
            for (int p = 0; p < CDL_COUNT; p++)
                fired += cdl[k * CDL_COUNT + p] != 0;
            const struct snap_mark *m = &s->mark[i];
            mbad += m->count != fired || (fired > 0) != (m->id >= 0) ||
                    (m->id >= 0 && cdl[k * CDL_COUNT + m->id] != m->value);
        }
        CHECK_MSG(vbad == 0, "engine %s: indicator values differ on %zu candles", tf_name(tf), vbad);
        CHECK_MSG(mbad == 0, "engine %s: pattern marks differ on %zu candles", tf_name(tf), mbad);
        free(t); free(o); free(h); free(l); free(c); free(v); free(rows); free(cdl);
    }
    free(ref);
    snapshot_free(s);
    engine_destroy(e);
}

/* 1m data that begins at 20:49 builds a 20:00 hour from 11 of its 60 minutes:
 * that candle is flagged partial, the next full hour is not, and data that
 * begins on the hour flags nothing. */
static void partial_first_window(void)
{
    const int64_t t0 = 1733000000000LL / 3600000 * 3600000 + 20 * 3600000LL + 49 * 60000LL;
    for (int start = 0; start < 2; start++) {
        int64_t first = start == 0 ? t0 : t0 + 11 * 60000LL;     /* 20:49, or 21:00 */
        struct aggregator h, m5;
        agg_init(&h, TF_1H);
        agg_init(&m5, TF_5M);
        int hours = 0, partial = 0, partial5 = 0;
        int64_t partial_at = -1;
        for (int i = 0; i < 200; i++) {
            struct candle c = { .open_time = first + i * 60000LL, .open = 100, .high = 101, .low = 99, .close = 100,
                                .volume = 1 };
            struct candle done;
            if (agg_push_closed(&h, &c, &done)) {
                hours++;
                if (done.flags & CANDLE_PARTIAL) {
                    partial++;
                    partial_at = done.open_time;
                }
            }
            if (agg_push_closed(&m5, &c, &done) && (done.flags & CANDLE_PARTIAL))
                partial5++;
        }
        if (start == 0) {
            CHECK(hours == 4 && partial == 1 && partial_at == tf_floor(TF_1H, t0));
            CHECK(partial5 == 1);                 /* 20:45 .. 20:50 misses 20:45 - 20:48 */
        } else {
            CHECK(hours == 3 && partial == 0 && partial5 == 0);
        }
    }
}

int main(void)
{
    char err[256];
    if (candle_csv_load("data/binance_BTCUSDT_1m_2024.csv", &m1, &n1, err, sizeof err)) {
        printf("not ok - load 1m data: %s\n", err);
        return 1;
    }
    RUN(partial_first_window);
    RUN(matches_independent_grouping);
    RUN(equals_binance_15m);
    RUN(engine_series_equal_reference);
    free(m1);
    HARNESS_EXIT();
}
