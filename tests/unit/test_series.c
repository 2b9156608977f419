/* Ring buffer and SPSC queue. */
#include "harness.h"
#include "alphapulse/series.h"
#include "alphapulse/spsc.h"

static void series_wraps_around(void)
{
    struct series s;
    CHECK(series_init(&s, 4) == 0);
    CHECK(series_last(&s) == NULL);
    for (int i = 0; i < 10; i++) {
        struct candle c = { .open_time = i, .close = i * 1.5 };
        series_push(&s, &c);
        CHECK(series_last(&s)->open_time == i);
    }
    CHECK(s.len == 4);
    for (size_t i = 0; i < 4; i++)
        CHECK(series_at(&s, i)->open_time == (int64_t)(6 + i));
    CHECK(series_at(&s, 4) == NULL);
    series_last_mut(&s)->close = 42;
    CHECK(series_at(&s, 3)->close == 42);
    series_free(&s);
}

static void spsc_fifo_and_full(void)
{
    struct spsc q;
    CHECK(spsc_init(&q, sizeof(int), 5) == 0);
    CHECK(spsc_capacity(&q) == 8);
    int v;
    CHECK(!spsc_pop(&q, &v));
    for (int i = 0; i < 8; i++)
        CHECK(spsc_push(&q, &i));
    int x = 99;
    CHECK(!spsc_push(&q, &x));
    for (int round = 0; round < 100; round++) {   /* wrap many times */
        CHECK(spsc_pop(&q, &v));
        CHECK(v == round);
        int n = round + 8;
        CHECK(spsc_push(&q, &n));
    }
    CHECK(spsc_size(&q) == 8);
    spsc_free(&q);
}

int main(void)
{
    RUN(series_wraps_around);
    RUN(spsc_fifo_and_full);
    HARNESS_EXIT();
}
