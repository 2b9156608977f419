/* The pattern registry (TA-Lib's alphabetical order), batch and streaming drivers, and
 * the engine's detection record (strength, volume confirmation, trend context).
 * Batch and streaming run the same core and the same pattern functions, so they
 * agree exactly; cdl_batch advances only the running totals its pattern reads. */
#include "candle_settings.h"

#include <ctype.h>
#include <string.h>

/* The pattern families live in their own files; they are compiled here, in one unit,
 * so that evaluating all 61 inlines them and shares their loads and averages. */
#include "single.inc"
#include "double.inc"
#include "triple.inc"
#include "multi.inc"

/* from this row on every pattern is past its lookback (the longest is 14; checked by
 * the tests), so the all-patterns path can skip the per-pattern row checks */
#define CDL_ALL_ACTIVE 16

#define CDL_LIST(X) \
    X(2crows) X(3blackcrows) X(3inside) X(3linestrike) X(3outside) X(3starsinsouth) \
    X(3whitesoldiers) X(abandonedbaby) X(advanceblock) X(belthold) X(breakaway) X(closingmarubozu) \
    X(concealbabyswall) X(counterattack) X(darkcloudcover) X(doji) X(dojistar) X(dragonflydoji) \
    X(engulfing) X(eveningdojistar) X(eveningstar) X(gapsidesidewhite) X(gravestonedoji) X(hammer) \
    X(hangingman) X(harami) X(haramicross) X(highwave) X(hikkake) X(hikkakemod) \
    X(homingpigeon) X(identical3crows) X(inneck) X(invertedhammer) X(kicking) X(kickingbylength) \
    X(ladderbottom) X(longleggeddoji) X(longline) X(marubozu) X(matchinglow) X(mathold) \
    X(morningdojistar) X(morningstar) X(onneck) X(piercing) X(rickshawman) X(risefall3methods) \
    X(separatinglines) X(shootingstar) X(shortline) X(spinningtop) X(stalledpattern) X(sticksandwich) \
    X(takuri) X(tasukigap) X(thrusting) X(tristar) X(unique3river) X(upsidegap2crows) \
    X(xsidegap3methods)

#define X(id) static const struct cdl_def cdl_def_##id;
CDL_LIST(X)
#undef X

static const struct cdl_def *const cdl_defs[] = {
#define X(id) &cdl_def_##id,
    CDL_LIST(X)
#undef X
};
_Static_assert(sizeof cdl_defs / sizeof *cdl_defs == CDL_COUNT, "61 patterns");

static const struct cdl_def *def_of(int id)
{
    return id >= 0 && id < CDL_COUNT ? cdl_defs[id] : NULL;
}

const char *cdl_name(int id)  { const struct cdl_def *d = def_of(id); return d ? d->name : NULL; }
const char *cdl_code(int id)  { const struct cdl_def *d = def_of(id); return d ? d->code : NULL; }
const char *cdl_title(int id) { const struct cdl_def *d = def_of(id); return d ? d->title : NULL; }
int cdl_lookback(int id)      { const struct cdl_def *d = def_of(id); return d ? d->lookback : -1; }

int cdl_find(const char *name)
{
    if (!name)
        return -1;
    if (strncmp(name, "cdl_", 4) == 0 || strncmp(name, "CDL_", 4) == 0)
        name += 4;
    else if (strncmp(name, "cdl", 3) == 0 || strncmp(name, "CDL", 3) == 0)
        name += 3;
    for (int id = 0; id < CDL_COUNT; id++) {
        const char *a = cdl_defs[id]->name, *b = name;
        while (*a && *b && *a == tolower((unsigned char)*b))
            a++, b++;
        if (!*a && !*b)
            return id;
    }
    return -1;
}

void cdl_init(struct cdl_state *s)
{
    memset(s, 0, sizeof *s);
}

/* one pattern for the newest row (the core has been advanced) */
static inline int eval_one(struct cdl_state *st, const struct cdl_def *d)
{
    int64_t t = st->n - 1;
    if (t < d->first)
        return 0;
    int v = d->fn(st);
    return t >= d->lookback ? v : 0;
}

void cdl_batch(int id, const struct candle *in, size_t n, int *out)
{
    const struct cdl_def *d = def_of(id);
    if (!d) {
        memset(out, 0, n * sizeof *out);
        return;
    }
    struct cdl_state st;
    cdl_init(&st);
    for (size_t i = 0; i < n; i++) {
        cdl_core_push(&st, &in[i], d->groups);
        out[i] = eval_one(&st, d);
    }
}

static void eval_all(struct cdl_state *st, int *out)
{
    if (st->n - 1 >= CDL_ALL_ACTIVE) {
        int v[CDL_COUNT], i = 0;     /* a local array: its stores alias nothing */
#define X(id) v[i++] = cdl_fn_##id(st);
        CDL_LIST(X)
#undef X
        memcpy(out, v, sizeof v);
        return;
    }
    for (int id = 0; id < CDL_COUNT; id++)
        out[id] = eval_one(st, cdl_defs[id]);
}

void cdl_batch_all(const struct candle *in, size_t n, int *out)
{
    struct cdl_state st;
    cdl_init(&st);
    for (size_t i = 0; i < n; i++) {
        cdl_core_push(&st, &in[i], CDL_G_ALL);
        eval_all(&st, out + i * CDL_COUNT);
    }
}

/* volume SMA and EMA(50) for the detection context; not TA-Lib */
static void context_push(struct cdl_state *s, const struct candle *c)
{
    int64_t t = s->n - 1;          /* the core has already counted this candle */
    int vi = (int)(t % CDL_VOL_N);
    double v = isfinite(c->volume) ? c->volume : 0;
    s->vol_sum += v - (t >= CDL_VOL_N ? s->vol_ring[vi] : 0);
    s->vol_ring[vi] = v;

    if (t < CDL_EMA_N) {
        s->ema_sum += c->close;
        if (t == CDL_EMA_N - 1)
            s->ema = s->ema_sum / CDL_EMA_N;
    } else {
        s->ema += (c->close - s->ema) * (2.0 / (CDL_EMA_N + 1));
    }
    s->ema_hist[t % (CDL_SLOPE_N + 1)] = s->ema;
}

void cdl_push(struct cdl_state *s, const struct candle *c, int out[CDL_COUNT])
{
    cdl_core_push(s, c, CDL_G_ALL);
    context_push(s, c);
    eval_all(s, out);
}

double cdl_volume_ratio(const struct cdl_state *s)
{
    if (s->n < CDL_VOL_N)
        return NAN;
    double sma = s->vol_sum / CDL_VOL_N;
    double v = cdl_bar_at(s, 0)->volume;
    if (!(sma > 0) || !isfinite(v))
        return NAN;
    return v / sma;
}

int cdl_trend(const struct cdl_state *s)
{
    int64_t t = s->n - 1;
    if (t < CDL_EMA_N - 1 + CDL_SLOPE_N)
        return 0;
    double now = s->ema_hist[t % (CDL_SLOPE_N + 1)];
    double before = s->ema_hist[(t - CDL_SLOPE_N) % (CDL_SLOPE_N + 1)];
    double close = cdl_bar_at(s, 0)->close;
    if (close > now && now > before)
        return 1;
    if (close < now && now < before)
        return -1;
    return 0;
}

static double score(double x, double mean)
{
    if (!isfinite(x) || !isfinite(mean) || x < 0)
        return 0;
    if (!(mean > 0))
        return x > 0 ? 1 : 0;
    double r = x / (2 * mean);
    return r > 1 ? 1 : r;
}

/* mean of group g's range over the (up to) 10 candles before the newest */
static double prev_mean(const struct cdl_state *s, int g)
{
    int64_t t = s->n - 1;
    if (t < 1)
        return NAN;
    int64_t cnt = t < cdl_groups[g].period ? t : cdl_groups[g].period;
    return s->mean[(t - 1) & (CDL_SLOTS - 1)][g][0] * cdl_groups[g].period / (double)cnt;
}

int cdl_push_hits(struct cdl_state *s, const struct candle *c, struct cdl_hit *hits, int max)
{
    int out[CDL_COUNT];
    cdl_push(s, c, out);
    const struct cdl_bar *b = cdl_bar_at(s, 0);
    double vr = cdl_volume_ratio(s);
    double bs = score(b->body, prev_mean(s, 0));
    double rs = score(b->range, prev_mean(s, 1));
    double vs = isfinite(vr) ? (vr / 2 > 1 ? 1 : vr / 2) : 0;
    double base = 0.35 * bs + 0.35 * rs + 0.30 * vs;
    bool confirmed = isfinite(vr) && vr >= 1.5;
    int trend = cdl_trend(s);
    int k = 0;
    for (int id = 0; id < CDL_COUNT && k < max; id++) {
        if (!out[id])
            continue;
        double st = base * (out[id] == 80 || out[id] == -80 ? 0.8 : 1.0);
        hits[k++] = (struct cdl_hit){ id, out[id], st < 0 ? 0 : st > 1 ? 1 : st, confirmed, trend };
    }
    return k;
}
