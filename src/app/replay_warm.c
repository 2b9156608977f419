/* A replay's warm start (the demo's): bundled history loaded into the engine before the first frame,
 * the way a restart loads stored candles, so every timeframe's indicators and
 * regimes are ready when the screen appears and no old candle is news. */
#include "alphapulse/session.h"

#include "alphapulse/aggregate.h"
#include "alphapulse/engine.h"
#include "alphapulse/log.h"

/* Enough closed candles for every timeframe's regime (its longest window and
 * percentile base) and indicators (EMA 200); older ones would only cost time. */
#define WARM_HTF_CANDLES 1000

/* Candles of tf built from the lower-timeframe history h, only buckets that
 * open before `before` and are complete in h; the newest WARM_HTF_CANDLES. */
static void load_htf(struct engine *e, int sym, int tf, int hist_tf, const struct candle *h, size_t n,
                     int64_t before)
{
    if (n == 0)
        return;
    int64_t span = tf_ms(tf), step = tf_ms(hist_tf);
    /* the first bucket that counts: WARM_HTF_CANDLES back from `before` */
    int64_t from = tf_floor(tf, before) - (int64_t)WARM_HTF_CANDLES * span;
    struct candle acc;
    bool have = false;
    for (size_t i = 0; i <= n; i++) {
        int64_t b = i < n ? tf_floor(tf, h[i].open_time) : INT64_MAX;
        if (have && b != acc.open_time) {
            /* complete when the history covers the bucket's last lower candle */
            bool complete = h[i - 1].open_time + step >= acc.open_time + span;
            if (complete && acc.open_time < before && acc.open_time >= from)
                engine_load_candle(e, sym, tf, &acc);
            have = false;
        }
        if (i == n || h[i].open_time >= before + span)
            break;
        if (!have) {
            acc = h[i];
            acc.open_time = b;
            have = true;
        } else {
            agg_merge(&acc, &h[i]);
        }
    }
}

size_t session_warm(struct session *s, size_t play_candles)
{
    struct engine *e = s->engine;
    size_t total = 0;
    int nf = atomic_load(&s->n_feeds);
    for (int sym = 0; sym < engine_symbol_count(e); sym++) {
        const char *name = engine_symbol_name(e, sym);
        size_t nc = 0, nh = 0;
        int htf = 0;
        const struct candle *c = NULL, *h = NULL;
        for (int k = 0; k < nf && !c; k++) {
            const struct session_venue *sf = &s->feeds[k];
            if (!sf->v->bundled || !sf->v->bundled(sf->f, name, &c, &nc, &h, &htf, &nh))
                c = NULL;
        }
        if (!c || nc == 0)
            continue;
        if (nh > 0)
            for (int tf = htf; tf < TF_COUNT; tf++)
                load_htf(e, sym, tf, htf, h, nh, c[0].open_time);
        size_t warm = nc > 2 * play_candles ? nc - play_candles : nc / 2;
        for (size_t k = 0; k < warm; k++)
            engine_load_candle(e, sym, TF_1M, &c[k]);
        total += warm;
        log_info("demo: %s warmed with %zu 1m candles%s", name, warm, nh ? " and older higher-timeframe history" : "");
    }
    return total;
}
