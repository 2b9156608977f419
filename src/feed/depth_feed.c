/* Depth and trades on the live feed's thread: parse, cut into pieces, enqueue. */
#include "depth_feed.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "alphapulse/clock.h"
#include "alphapulse/depth_json.h"
#include "alphapulse/event.h"
#include "alphapulse/log.h"

#define DIFF_LEVELS 16384
#define SNAPSHOT_LIMIT 1000
#define SNAPSHOT_GAP_MS 250            /* between two snapshots of one symbol */

struct depth_feed {
    struct depth_demand *dm;
    struct spsc *out;
    atomic_bool *stop;
    unsigned served[INSTRUMENTS_MAX];  /* the demand count last fetched for */
    int64_t last_fetch[INSTRUMENTS_MAX];
    int rr;
    uint32_t rejected;
    struct book_level *lv;
};

struct depth_feed *depth_feed_create(struct depth_demand *dm, struct spsc *out, atomic_bool *stop)
{
    struct depth_feed *d = calloc(1, sizeof *d);
    if (!d)
        return NULL;
    d->lv = malloc(DIFF_LEVELS * sizeof *d->lv);
    if (!d->lv) {
        free(d);
        return NULL;
    }
    d->dm = dm;
    d->out = out;
    d->stop = stop;
    return d;
}

void depth_feed_destroy(struct depth_feed *d)
{
    if (d) {
        free(d->lv);
        free(d);
    }
}

size_t depth_feed_streams(const struct depth_feed *d, const char *symbol, const char *lower, char *buf, size_t n)
{
    if (depth_demand_find(d->dm, symbol) < 0 || n == 0)
        return 0;
    int w = snprintf(buf, n, "/%s@depth@100ms/%s@aggTrade", lower, lower);
    return w > 0 && (size_t)w < n ? (size_t)w : 0;
}

/* back-pressure: wait for the engine, as for klines */
static bool push(struct depth_feed *d, const struct engine_event *ev)
{
    while (!spsc_push(d->out, ev)) {
        if (atomic_load(d->stop))
            return false;
        nanosleep(&(struct timespec){ 0, 500000 }, NULL);
    }
    return true;
}

static void push_update(struct depth_feed *d, const char *symbol, const struct depth_update *u, bool snapshot,
                        int64_t recv_ns)
{
    struct engine_event ev = { .type = EE_DEPTH };
    int n = depth_piece_count(u);
    for (int i = 0; i < n; i++) {
        depth_piece_make(u, symbol, snapshot, recv_ns, i, &ev.u.depth);
        if (!push(d, &ev))
            return;
    }
}

bool depth_feed_frame(struct depth_feed *d, const char *buf, size_t len, int64_t recv_ns)
{
    size_t head = len < 64 ? len : 64;    /* the combined stream's name comes first */
    bool depth = memmem(buf, head, "@depth", 6) != NULL, trade = memmem(buf, head, "@aggTrade", 9) != NULL;
    if (!depth && !trade)
        return false;
    char sym[SYMBOL_MAX], why[160];
    if (depth) {
        struct depth_update u;
        int rc = depth_json_update(buf, len, sym, &u, d->lv, DIFF_LEVELS, why, sizeof why);
        if (rc != DEPTH_JSON_OK) {
            d->rejected++;
            log_warn("ws: depth message refused (%s): %s", depth_json_error_name(rc), why);
            return true;
        }
        if (depth_demand_find(d->dm, sym) >= 0)
            push_update(d, sym, &u, false, recv_ns);
        return true;
    }
    struct engine_event ev = { .type = EE_TRADE };
    int rc = depth_json_agg_trade(buf, len, ev.u.trade.symbol, &ev.u.trade.t, why, sizeof why);
    if (rc != DEPTH_JSON_OK) {
        d->rejected++;
        log_warn("ws: trade message refused (%s): %s", depth_json_error_name(rc), why);
        return true;
    }
    ev.u.trade.recv_ns = recv_ns;
    if (depth_demand_find(d->dm, ev.u.trade.symbol) >= 0)
        push(d, &ev);
    return true;
}

void depth_feed_rest(struct depth_feed *d, struct binance_rest *rest, bool stream_open)
{
    if (!stream_open || d->dm->n == 0 || binance_rest_wait_ms(rest) > 0)
        return;
    int64_t now = clock_mono_ms();
    for (int j = 0; j < d->dm->n; j++) {
        int i = (d->rr + j) % d->dm->n;
        unsigned want = atomic_load_explicit(&d->dm->wanted[i], memory_order_acquire);
        if (want == d->served[i] || now - d->last_fetch[i] < SNAPSHOT_GAP_MS)
            continue;
        d->rr = (i + 1) % d->dm->n;
        d->last_fetch[i] = now;
        char why[256];
        const char *sym = d->dm->symbol[i];
        int rc = binance_rest_depth(rest, sym, SNAPSHOT_LIMIT, why, sizeof why);
        if (rc != BREST_OK) {
            log_warn("rest: %s depth snapshot: %s (%s)", sym, binance_rest_status_name(rc), why);
            return;
        }
        struct depth_update u;
        rc = depth_json_snapshot(rest->body ? rest->body : "", rest->len, &u, d->lv, DIFF_LEVELS, why, sizeof why);
        if (rc != DEPTH_JSON_OK) {
            d->rejected++;
            log_warn("rest: %s depth snapshot refused (%s): %s", sym, depth_json_error_name(rc), why);
            return;
        }
        d->served[i] = want;
        log_info("%s: depth snapshot at update %llu (%u bids, %u asks)", sym, (unsigned long long)u.last_id, u.nb,
                 u.na);
        push_update(d, sym, &u, true, 0);
        return;
    }
}

uint32_t depth_feed_rejected(const struct depth_feed *d) { return d->rejected; }
