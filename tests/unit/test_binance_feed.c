/* The live feed's pure parts: the reconnect backoff schedule, gap computation,
 * ordering verdicts, outlier flagging and the quality score. */
#include "harness.h"
#include "alphapulse/backoff.h"
#include "alphapulse/stream_check.h"

#define MIN 60000LL

static void backoff_schedule(void)
{
    /* u = 0: the fixed half; u -> 1: the full delay; doubling, capped */
    CHECK(backoff_delay(500, 60000, 0, 0.0) == 250);
    CHECK(backoff_delay(500, 60000, 0, 0.5) == 375);
    CHECK(backoff_delay(500, 60000, 1, 0.0) == 500);
    CHECK(backoff_delay(500, 60000, 3, 0.0) == 2000);
    CHECK(backoff_delay(500, 60000, 6, 0.0) == 16000);
    CHECK(backoff_delay(500, 60000, 7, 0.0) == 30000);
    CHECK(backoff_delay(500, 60000, 8, 0.0) == 30000);             /* 64 s capped to 60 s, halved */
    CHECK(backoff_delay(500, 60000, 60, 0.999) > 59900 && backoff_delay(500, 60000, 60, 0.999) <= 60000);
    CHECK(backoff_delay(500, 60000, 1000, 0.0) == 30000);          /* no overflow */
    CHECK(backoff_delay(500, 60000, 2, 7.0) <= 2000);               /* u clamped */
    struct backoff b;
    backoff_init(&b, 100, 1000, 42);
    int64_t prev_cap = 0;
    for (int i = 0; i < 12; i++) {
        int64_t cap = 100LL << (i < 4 ? i : 4);
        if (cap > 1000)
            cap = 1000;
        int64_t d = backoff_next(&b);
        CHECK_MSG(d >= cap / 2 && d <= cap, "attempt %d: %lld not in [%lld, %lld]", i, (long long)d,
                  (long long)cap / 2, (long long)cap);
        CHECK(cap >= prev_cap);
        prev_cap = cap;
    }
    backoff_reset(&b);
    int64_t d = backoff_next(&b);
    CHECK(d >= 50 && d <= 100);
    /* jitter spreads: two seeds give different sequences */
    struct backoff x, y;
    backoff_init(&x, 1000, 60000, 1);
    backoff_init(&y, 1000, 60000, 2);
    int same = 0;
    for (int i = 0; i < 8; i++)
        same += backoff_next(&x) == backoff_next(&y);
    CHECK(same < 8);
}

static void gap_computation(void)
{
    int64_t a = -1, b = -1;
    CHECK(stream_gap(-1, 10 * MIN, &a, &b) == 0);                   /* nothing to continue from */
    CHECK(stream_gap(5 * MIN, 6 * MIN, &a, &b) == 0);               /* the next candle */
    CHECK(stream_gap(5 * MIN, 5 * MIN, &a, &b) == 0);               /* same */
    CHECK(stream_gap(5 * MIN, 2 * MIN, &a, &b) == 0);               /* older */
    CHECK(stream_gap(5 * MIN, 7 * MIN, &a, &b) == 1 && a == 6 * MIN && b == 6 * MIN);
    CHECK(stream_gap(5 * MIN, 105 * MIN, &a, &b) == 99 && a == 6 * MIN && b == 104 * MIN);
    CHECK(stream_gap(0, 1441 * MIN, &a, &b) == 1440);
}

static struct candle mk(int64_t t, double o, double h, double l, double c)
{
    return (struct candle){ .open_time = t, .open = o, .high = h, .low = l, .close = c, .volume = 1 };
}

static void ordering_verdicts(void)
{
    struct stream_check s;
    stream_check_init(&s, 10 * MIN);
    CHECK(stream_check_order(&s, 11 * MIN) == SV_ACCEPT);
    CHECK(stream_check_order(&s, 10 * MIN) == SV_DUPLICATE);
    CHECK(stream_check_order(&s, 9 * MIN) == SV_OUT_OF_ORDER);
    CHECK(stream_check_order(&s, 13 * MIN) == SV_GAP);
    struct candle c = mk(11 * MIN, 10, 11, 9, 10.5);
    stream_check_accept(&s, &c, false);                             /* forming 11 */
    CHECK(s.last_closed == 10 * MIN && s.last_open == 11 * MIN);
    CHECK(stream_check_order(&s, 11 * MIN) == SV_ACCEPT);           /* more updates of 11 */
    stream_check_accept(&s, &c, true);                              /* 11 closes */
    CHECK(stream_check_order(&s, 11 * MIN) == SV_DUPLICATE);
    CHECK(stream_check_order(&s, 12 * MIN) == SV_ACCEPT);
    struct stream_check e;
    stream_check_init(&e, -1);                                      /* empty: anything starts it */
    CHECK(stream_check_order(&e, 5 * MIN) == SV_ACCEPT);
}

static void outliers_flagged_not_dropped(void)
{
    struct stream_check s;
    stream_check_init(&s, -1);
    double p = 100;
    for (int i = 0; i < 200; i++) {
        double n = p * (i % 2 ? 1.001 : 0.999);
        struct candle c = mk(i * MIN, p, (p > n ? p : n) * 1.0005, (p < n ? p : n) * 0.9995, n);
        stream_check_accept(&s, &c, true);
        CHECK_MSG(!(c.flags & CANDLE_OUTLIER), "calm candle %d flagged", i);
        p = n;
    }
    struct candle spike = mk(200 * MIN, p, p * 1.30, p * 0.999, p * 1.25);
    stream_check_accept(&s, &spike, true);
    CHECK(spike.flags & CANDLE_OUTLIER);
    CHECK(s.outliers == 1 && s.last_closed == 200 * MIN);           /* kept: the stream advanced */
    double q = stream_check_quality(&s);
    CHECK(q < 1.0 && q > 0.99);
    /* a spike during warm-up is not judged (no baseline yet) */
    struct stream_check w;
    stream_check_init(&w, -1);
    struct candle a = mk(0, 100, 101, 99, 100), b = mk(MIN, 100, 200, 99, 190);
    stream_check_accept(&w, &a, true);
    stream_check_accept(&w, &b, true);
    CHECK(!(b.flags & CANDLE_OUTLIER));
}

static void quality_score(void)
{
    struct stream_check s;
    stream_check_init(&s, -1);
    CHECK(stream_check_quality(&s) == 1.0);
    s.closed_ok = 90;
    s.rejected[SR_HIGH_LT_LOW] = 5;
    s.unfillable = 5;
    CHECK_NEAR(stream_check_quality(&s), 0.9, 1e-12);
    s.rejected[SR_DUPLICATE] = 1000;                                /* exchange resends: not bad data */
    s.rejected[SR_OUT_OF_ORDER] = 1000;
    CHECK_NEAR(stream_check_quality(&s), 0.9, 1e-12);
    stream_check_reject(&s, SR_SYNTAX);
    stream_check_reject(&s, 999);                                   /* ignored */
    CHECK(s.rejected[SR_SYNTAX] == 1);
    CHECK_NEAR(stream_check_quality(&s), 90.0 / 101.0, 1e-12);
}

int main(void)
{
    RUN(backoff_schedule);
    RUN(gap_computation);
    RUN(ordering_verdicts);
    RUN(outliers_flagged_not_dropped);
    RUN(quality_score);
    HARNESS_EXIT();
}
