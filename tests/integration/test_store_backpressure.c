/* Store back-pressure: a store slower than the feed slows the feed down; nothing
 * is dropped. The real engine thread is fed a back-fill's worth of closed 1m
 * candles at once (as 1,000 symbols back-filling at start do), while a store
 * that takes one record at a time, far slower than the engine makes them, drains
 * the small record queue. Every 1m candle must reach the store, in order, and the
 * engine must report no record dropped: the thread holds the market queue until
 * the store catches up instead. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>

#include "harness.h"
#include "engine_driver.h"
#include "alphapulse/candle_csv.h"
#include "alphapulse/clock.h"
#include "alphapulse/engine_thread.h"

#define N_CANDLES 5000
#define RECORDS 1024            /* far fewer than the candles: the queue must fill */

struct slow_store {
    struct spsc *q;
    struct record_ack *ack;
    atomic_bool stop;
    atomic_int candles;         /* 1m candles taken, in order */
    atomic_bool out_of_order;
    int64_t last_open;
};

static void *slow_store_main(void *arg)
{
    struct slow_store *s = arg;
    struct record r;
    while (!atomic_load(&s->stop)) {
        if (!spsc_pop(s->q, &r)) {
            nanosleep(&(struct timespec){ 0, 200000 }, NULL);
            continue;
        }
        if (r.type == REC_CANDLE && r.tf == TF_1M) {
            if (r.u.candle.open_time <= s->last_open)
                atomic_store(&s->out_of_order, true);
            s->last_open = r.u.candle.open_time;
            atomic_fetch_add(&s->candles, 1);
        }
        atomic_store(&s->ack->durable_seq, r.seq);
        nanosleep(&(struct timespec){ 0, 50000 }, NULL);     /* a slow disk */
    }
    return NULL;
}

static void slow_store_keeps_every_candle(void)
{
    struct candle *c;
    size_t n;
    char err[256];
    if (candle_csv_load("data/binance_BTCUSDT_1m_2024.csv", &c, &n, err, sizeof err) || n < N_CANDLES) {
        CHECK_MSG(0, "candles: %s", err);
        return;
    }
    struct spsc market, commands, records;
    CHECK(spsc_init(&market, sizeof(struct engine_event), 8192) == 0);
    CHECK(spsc_init(&commands, sizeof(struct engine_event), 64) == 0);
    CHECK(spsc_init(&records, sizeof(struct record), RECORDS) == 0);
    struct record_ack ack;
    atomic_init(&ack.durable_seq, 0);
    atomic_init(&ack.failing, 0);
    struct engine *e = driver_engine(&records);
    CHECK(e != NULL);
    struct slow_store s = { .q = &records, .ack = &ack, .last_open = -1 };
    atomic_init(&s.stop, false);
    atomic_init(&s.candles, 0);
    atomic_init(&s.out_of_order, false);
    pthread_t st;
    CHECK(pthread_create(&st, NULL, slow_store_main, &s) == 0);
    struct engine_thread_extras x = { .ack = &ack, .records = &records };
    struct engine_thread t;
    CHECK(engine_thread_start_ex(&t, e, &market, &commands, &x) == 0);
    /* the feed's side: it waits on a full market queue (live_feed.c push) */
    for (size_t i = 0; i < N_CANDLES; i++) {
        struct engine_event ev = { .type = EE_KLINE };
        snprintf(ev.u.k.symbol, SYMBOL_MAX, "BTCUSDT");
        ev.u.k.tf = TF_1M;
        ev.u.k.closed = true;
        ev.u.k.event_time = c[i].open_time + 60000 - 1;
        ev.u.k.c = c[i];
        while (!spsc_push(&market, &ev))
            nanosleep(&(struct timespec){ 0, 500000 }, NULL);
    }
    /* poll: every candle stored, or the engine has nothing left and the store
     * queue is empty (then what is missing was dropped) */
    int64_t deadline = clock_mono_ns() + 120 * 1000000000LL;
    int idle = 0;
    while (atomic_load(&s.candles) < N_CANDLES && idle < 50 && clock_mono_ns() < deadline) {
        idle = spsc_size(&market) == 0 && spsc_size(&records) == 0 ? idle + 1 : 0;
        nanosleep(&(struct timespec){ 0, 10000000 }, NULL);
    }
    engine_thread_stop(&t);
    atomic_store(&s.stop, true);
    pthread_join(st, NULL);
    CHECK_MSG(atomic_load(&s.candles) == N_CANDLES, "the store got %d of %d 1m candles",
              atomic_load(&s.candles), N_CANDLES);
    CHECK(!atomic_load(&s.out_of_order));
    CHECK_MSG(engine_records_dropped(e) == 0, "%llu records dropped",
              (unsigned long long)engine_records_dropped(e));
    engine_destroy(e);
    spsc_free(&market);
    spsc_free(&commands);
    spsc_free(&records);
    free(c);
}

int main(void)
{
    RUN(slow_store_keeps_every_candle);
    HARNESS_EXIT();
}
