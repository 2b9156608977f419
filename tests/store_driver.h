/* Driving the real engine into a store from a test: the store opened (so
 * upgraded), the engine restored from it, the writer started, the test's events,
 * then all stopped and closed, every record written. Shared by the store tests
 * that check what the engine's records became. */
#ifndef STORE_DRIVER_H
#define STORE_DRIVER_H
#include "harness.h"
#include "engine_driver.h"
#include "alphapulse/record.h"
#include "alphapulse/store.h"

/* 0 when the store opened and the script ran; -1 (the test failed) when not. */
static inline int driver_store_run(const char *db, void (*script)(struct engine *e, void *ctx), void *ctx)
{
    char err[512] = "";
    struct store *st = store_open(db, err, sizeof err);
    CHECK_MSG(st != NULL, "%s: %s", db, err);
    if (!st)
        return -1;
    static struct spsc q;
    spsc_init(&q, sizeof(struct record), 1 << 12);
    struct engine *e = driver_engine(&q);
    CHECK(store_restore(st, e, 100) == 0);
    CHECK(store_start(st, &q) == 0);
    script(e, ctx);
    store_stop(st);
    store_close(st);
    engine_destroy(e);
    spsc_free(&q);
    return 0;
}

#endif
