/* Timeframe aggregation. Only closed 1m candles are merged into the bucket; the
 * forming 1m candle is overlaid on demand, so partial updates never double count. */
#include "alphapulse/aggregate.h"

void agg_init(struct aggregator *a, int tf)
{
    a->tf = tf;
    a->active = false;
    a->started = false;
}

void agg_merge(struct candle *acc, const struct candle *m)
{
    if (m->high > acc->high)
        acc->high = m->high;
    if (m->low < acc->low)
        acc->low = m->low;
    acc->close = m->close;
    acc->volume += m->volume;
    acc->quote_volume += m->quote_volume;
    acc->trades += m->trades;
    acc->flags |= m->flags;
}

static void agg_start(struct aggregator *a, const struct candle *m1)
{
    a->acc = *m1;
    a->acc.open_time = tf_floor(a->tf, m1->open_time);
    a->acc.flags &= ~(uint32_t)CANDLE_PARTIAL;
    /* data that begins inside a bucket misses its first minutes: its open and
     * volume are not the market's (later gaps are minutes without trades) */
    if (!a->started && a->acc.open_time != m1->open_time)
        a->acc.flags |= CANDLE_PARTIAL;
    a->started = true;
    a->active = true;
}

int agg_push_closed(struct aggregator *a, const struct candle *m1, struct candle *done)
{
    int64_t bucket = tf_floor(a->tf, m1->open_time);
    int rc = 0;
    if (a->active && a->acc.open_time == bucket) {
        agg_merge(&a->acc, m1);
    } else if (a->active && bucket < a->acc.open_time) {
        return 0;                              /* out of order: the caller filters these */
    } else {
        if (a->active) {
            *done = a->acc;                    /* previous bucket ended early (gap) */
            rc = 1;
        }
        agg_start(a, m1);
    }
    if (m1->open_time + tf_ms(TF_1M) == bucket + tf_ms(a->tf)) {
        if (rc == 0) {
            *done = a->acc;
            rc = 2;
        }
        /* when rc == 1 the caller gets the older candle now; this one will be
         * complete too, so keep it and let the next call close it */
        if (rc == 2)
            a->active = false;
    }
    return rc;
}

bool agg_forming(const struct aggregator *a, const struct candle *partial, struct candle *out)
{
    int64_t bucket = tf_floor(a->tf, partial->open_time);
    if (a->active && a->acc.open_time == bucket) {
        *out = a->acc;
        agg_merge(out, partial);
    } else {
        *out = *partial;
        out->open_time = bucket;
    }
    return true;
}
