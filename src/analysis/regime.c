/* Regime detection. Each candle is classified from features that answer one
 * question each: is volatility extreme against its own history and freshly
 * expanded (ATR and bandwidth percentiles, ATR against its value some candles
 * ago) -> breakout; is there drift that noise cannot explain (drift per candle in
 * sigmas and its t-statistic, confirmed by ADX or the efficiency ratio and the
 * EMA slope) -> strong or weak trend; otherwise is the price bounded
 * (displacement: the window's close range over sigma * sqrt(n), about 1.6 for a
 * random walk, lower for a mean-reverting market) and quiet -> ranging, or
 * unbounded and noisy -> choppy. Drift uses the longest of three windows that
 * agrees with the shortest, so it is precise inside a long regime and quick after
 * a change. A switch needs `hold` consecutive candles of the new raw class, or a
 * confidence lead of `margin`, so the label does not flicker. Percentiles are a
 * count over the ring: O(lookback), no allocation. A strong trend is labelled
 * STRONG_TREND, its drift's sign only in dir, unless trend_direction asks for
 * BULL/BEAR: on real data the sign did not predict the next move (docs/regimes.md). */
#include "alphapulse/regime.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *const names[REGIME_COUNT] = {
    "STRONG_TREND_BULL", "STRONG_TREND_BEAR", "WEAK_TREND", "RANGING", "VOLATILE_BREAKOUT", "CHOPPY", "STRONG_TREND",
};
static const char *const shorts[REGIME_COUNT] = { "BULL+", "BEAR+", "WEAK", "RANGE", "BRKOUT", "CHOP", "TREND+" };

const char *regime_name(int r) { return r >= 0 && r < REGIME_COUNT ? names[r] : ""; }
const char *regime_short(int r) { return r >= 0 && r < REGIME_COUNT ? shorts[r] : "-"; }

int regime_parse(const char *s)
{
    for (int r = 0; r < REGIME_COUNT; r++)
        if (strcmp(s, names[r]) == 0)
            return r;
    return REGIME_NONE;
}

void regime_params_default(struct regime_params *p)
{
    *p = (struct regime_params){
        .lookback = 400, .er_period = 20, .slope_period = 5,
        .drift_win = { 60, 150 }, .strong_drift = 0.25, .adx_weight = 0, .strong_t = 2.0, .adx_strong = 40, .er_strong = 0.35,
        .trend_strong = 0.4, .trend_sure = 1.1, .trend_weak = 0.6, .noise_penalty = 0.2, .weak_t = 0.9, .weak_noise = 1.5, .weak_short_t = 0.3,
        .breakout_atr_pct = 0.85, .breakout_bw_pct = 0.70, .breakout_atr_ratio = 1.6, .breakout_base = 40,
        .chop_disp = 1.5, .chop_atr_pct = 0.4, .hold = 10, .margin = 0.35, .vol_win = 30, .vol_change = 1.8, .hold_after_change = 5, .hold_breakout = 3, .drift_change_win = 60, .drift_change_z = 3.5,
    };
}

static int clampi(int v, int lo, int hi) { return v < lo ? lo : v > hi ? hi : v; }
static double clamp01(double v) { return v < 0 ? 0 : v > 1 ? 1 : v; }
/* 0 at a, 1 at b, linear between */
static double ramp(double v, double a, double b) { return clamp01((v - a) / (b - a)); }

static int maxi(int a, int b) { return a > b ? a : b; }

int regime_init(struct regime_state *s, const struct regime_params *p)
{
    memset(s, 0, sizeof *s);
    if (p)
        s->p = *p;
    else
        regime_params_default(&s->p);
    struct regime_params *q = &s->p;
    q->lookback = clampi(q->lookback, 20, REGIME_MAX_LOOKBACK);
    q->er_period = clampi(q->er_period, 2, REGIME_MAX_LOOKBACK - 1);
    q->slope_period = clampi(q->slope_period, 1, REGIME_MAX_LOOKBACK - 1);
    q->breakout_base = clampi(q->breakout_base, 5, REGIME_MAX_LOOKBACK - 1);
    q->drift_win[0] = clampi(q->drift_win[0], 5, REGIME_MAX_LOOKBACK - 1);
    q->drift_win[1] = clampi(q->drift_win[1], q->drift_win[0], REGIME_MAX_LOOKBACK - 1);
    q->vol_win = clampi(q->vol_win, 5, q->drift_win[0]);
    q->drift_change_win = clampi(q->drift_change_win, 5, q->drift_win[1]);
    if (4 * q->vol_win >= REGIME_MAX_LOOKBACK)
        q->vol_win = REGIME_MAX_LOOKBACK / 4 - 1;
    if (q->hold_after_change < 1)
        q->hold_after_change = 1;
    if (q->hold < 1)
        q->hold = 1;
    ema_init(&s->ema50, 50);
    ema_init(&s->ema200, 200);
    s->cur = s->cand = REGIME_NONE;
    s->since_change = s->since_drift = -1;
    /* the close-change rings: reads go back up to 4 x vol_win, the long drift
     * window, er_period, and span drift_win[0] + 1 closes (displacement) */
    int w = maxi(maxi(4 * q->vol_win, q->drift_win[1]), maxi(q->er_period, q->drift_win[0] + 1)) + 1;
    int v = maxi(q->lookback, q->breakout_base + 1);
    int caps[6] = { w, w, w, v, q->lookback, q->slope_period + 1 };
    struct regime_ring *r[6] = { &s->close, &s->pref2, &s->prefa, &s->atrn, &s->bw, &s->ema20 };
    size_t total = 0;
    for (int i = 0; i < 6; i++)
        total += (size_t)caps[i];
    double *block = calloc(total, sizeof *block);
    if (!block)
        return -1;
    for (int i = 0; i < 6; i++) {
        *r[i] = (struct regime_ring){ .v = block, .cap = caps[i] };
        block += caps[i];
    }
    return 0;
}

void regime_free(struct regime_state *s)
{
    free(s->close.v);                 /* the block holding all six */
    s->close.v = s->pref2.v = s->prefa.v = s->atrn.v = s->bw.v = s->ema20.v = NULL;
}

static void ring_put(struct regime_ring *r, double x)
{
    r->v[r->pos] = x;
    r->pos = r->pos + 1 == r->cap ? 0 : r->pos + 1;
}

/* ring value k candles ago (k = 0: newest; k < cap) */
static double ago(const struct regime_ring *r, int k)
{
    return r->v[(r->pos - 1 - k + 2 * r->cap) % r->cap];
}

/* The last n (<= cap) ring slots as at most two contiguous spans (no modulo per
 * element, so the loops below vectorise): [a0, a1) and [b0, b1). */
struct spans { int a0, a1, b0, b1; };
static struct spans last_n(const struct regime_ring *r, int n)
{
    int pos = r->pos;
    if (n <= pos)
        return (struct spans){ pos - n, pos, 0, 0 };
    return (struct spans){ 0, pos, r->cap - (n - pos), r->cap };
}

/* twice the count below x, ties once: integer sums vectorise */
static long count_below2(const double *ring, int a, int b, double x)
{
    long below = 0;
    for (int i = a; i < b; i++)
        below += 2 * (ring[i] < x) + (ring[i] == x);
    return below;
}

/* Share of the last n ring values below x (ties count half). */
static double percentile(const struct regime_ring *r, int n, double x)
{
    struct spans sp = last_n(r, n);
    long below2 = count_below2(r->v, sp.a0, sp.a1, x) + count_below2(r->v, sp.b0, sp.b1, x);
    return n > 0 ? 0.5 * (double)below2 / n : 0.5;
}

static void span_minmax(const double *ring, int a, int b, double *lo, double *hi)
{
    double l = *lo, h = *hi;
    for (int i = a; i < b; i++) {
        l = ring[i] < l ? ring[i] : l;
        h = ring[i] > h ? ring[i] : h;
    }
    *lo = l;
    *hi = h;
}

/* Raw class of this candle and its confidence. */
static int classify(const struct regime_params *p, struct regime_out *o, double *conf)
{
    int dir = o->drift_t > 0 ? 1 : o->drift_t < 0 ? -1 : 0;
    double t = fabs(o->drift_t);
    o->dir = dir;
    /* breakout: volatility extreme for its history and freshly expanded */
    if (o->atr_pct >= p->breakout_atr_pct && o->bw_pct >= p->breakout_bw_pct &&
        o->atr_ratio >= p->breakout_atr_ratio) {
        *conf = 0.5 + 0.25 * ramp(o->atr_pct, p->breakout_atr_pct, 1.0) +
                0.25 * ramp(o->atr_ratio, p->breakout_atr_ratio, 2 * p->breakout_atr_ratio);
        return REGIME_VOLATILE_BREAKOUT;
    }
    /* trend score: ADX, short-window drift t, efficiency */
    double T = 0.45 * ramp(o->adx, p->adx_strong - 25, p->adx_strong + 5) +
               0.35 * ramp(t, 0.5, p->strong_t + 1) + 0.20 * ramp(o->er, 0.08, p->er_strong + 0.15);
    o->trend_score = T;
    bool slope_ok = (double)dir * o->slope > 0;
    double m_long = o->drift * dir;      /* long-window drift per candle, in sigmas */
    /* strong vs weak: the long drift's distance from strong_drift in standard
     * errors, plus ADX's distance from adx_strong (in units of 14) x adx_weight */
    double se = 1 / sqrt((double)o->drift_window);
    double S = (m_long - p->strong_drift) / se + p->adx_weight * (o->adx - p->adx_strong) / 14;
    if (slope_ok && ((T >= p->trend_strong && S >= 0) || T >= p->trend_sure)) {
        *conf = 0.55 + 0.45 * ramp(T, p->trend_strong, 1.0) * (o->align == dir ? 1.0 : 0.8);
        if (!p->trend_direction)
            return REGIME_STRONG_TREND;
        return dir > 0 ? REGIME_STRONG_TREND_BULL : REGIME_STRONG_TREND_BEAR;
    }
    double need = p->trend_weak + p->noise_penalty * fmax(0, o->atr_pct - 0.5);
    double lt = fabs(o->drift_long_t);
    double need_lt = p->weak_t + p->weak_noise * fmax(0, o->atr_pct - 0.5);
    if (T >= need || (lt >= need_lt && o->drift_long_t * o->drift_t > 0 && t >= p->weak_short_t)) {
        double q = fmax(ramp(T, need, p->trend_strong), ramp(lt, need_lt, need_lt + 2));
        *conf = 0.5 + 0.4 * (1 - fabs(2 * q - 1));     /* least sure near either border */
        return REGIME_WEAK_TREND;
    }
    double chop = 0.6 * ramp(o->atr_pct, p->chop_atr_pct - 0.25, p->chop_atr_pct + 0.25) +
                  0.4 * ramp(o->displacement, p->chop_disp - 0.5, p->chop_disp + 0.5);
    if (chop >= 0.5) {
        *conf = 0.5 + (chop - 0.5);
        return REGIME_CHOPPY;
    }
    *conf = 0.5 + (0.5 - chop);
    return REGIME_RANGING;
}

/* drift per candle in sigmas over the last W changes, and sigma (prefix sums: O(1)) */
static double window_drift(const struct regime_state *s, int W, double close, double *sd_out)
{
    double sum = close - ago(&s->close, W);
    double sum2 = ago(&s->pref2, 0) - ago(&s->pref2, W);
    double mean = sum / W, var = sum2 / W - mean * mean;
    double sd = var > 0 ? sqrt(var) : 0;
    *sd_out = sd;
    return sd > 0 ? (close - ago(&s->close, W)) / (sd * W) : 0;
}

static void hysteresis(struct regime_state *s, int raw, double conf)
{
    const struct regime_params *p = &s->p;
    if (s->cur == REGIME_NONE) {
        s->cur = raw;
        s->cur_conf = conf;
        s->age = 0;
        s->cand_n = 0;
    } else if (raw == s->cur) {
        s->cur_conf = conf;
        s->cand_n = 0;
    } else {
        if (raw == s->cand) {
            s->cand_n++;
        } else {
            s->cand = raw;
            s->cand_n = 1;
        }
        int hold = s->since_change < 3 * p->vol_win ? p->hold_after_change : p->hold;
        if (raw == REGIME_VOLATILE_BREAKOUT && p->hold_breakout < hold)
            hold = p->hold_breakout;          /* a breakout is sudden by nature */
        if (s->cand_n >= hold || conf >= s->cur_conf + p->margin) {
            s->cur = raw;
            s->cur_conf = conf;
            s->age = 0;
            s->cand_n = 0;
        } else {
            s->cur_conf *= 0.95;       /* the held regime is losing its evidence */
        }
    }
    s->age++;
}

void regime_push(struct regime_state *s, const struct candle *c, const struct ta_values *v,
                 struct regime_out *o)
{
    const struct regime_params *p = &s->p;
    double close = c->close;
    double e50 = ema_push(&s->ema50, close), e200 = ema_push(&s->ema200, close);
    double d = s->n > 0 ? close - ago(&s->close, 0) : 0;
    s->cum2 += d * d;
    ring_put(&s->pref2, s->cum2);
    s->cuma += fabs(d);
    ring_put(&s->prefa, s->cuma);
    ring_put(&s->close, close);
    ring_put(&s->ema20, v->ema_20);
    bool vol_ok = !isnan(v->atr_14) && !isnan(v->bb_width) && close > 0;
    double atrn = vol_ok ? v->atr_14 / close : 0;
    ring_put(&s->atrn, atrn);
    ring_put(&s->bw, vol_ok ? v->bb_width : 0);
    s->n++;
    if (vol_ok && s->nvol < p->lookback)
        s->nvol++;

    memset(o, 0, sizeof *o);
    o->regime = o->raw = REGIME_NONE;
    o->ema50 = e50;
    o->ema200 = e200;
    o->adx = v->adx_14;
    int Wl = p->drift_win[1];
    (void)d;
    bool warm = vol_ok && !isnan(v->adx_14) && !isnan(e50) && s->n > Wl && s->n > 4 * p->vol_win && s->n > p->er_period &&
                s->n > p->slope_period && s->nvol > p->breakout_base + 10;
    if (!warm) {
        s->cur = REGIME_NONE;
        s->age = 0;
        return;
    }
    double path = ago(&s->prefa, 0) - ago(&s->prefa, p->er_period);
    o->er = path > 0 ? fabs(close - ago(&s->close, p->er_period)) / path : 0;

    /* drift: t-statistic over the short window, drift per candle over the long one */
    double sd[2];
    /* a volatility change marks a likely regime change: the drift windows then
     * start after it, and the hysteresis lets the label follow sooner */
    int vw = p->vol_win;
    double sd_new, sd_old;
    window_drift(s, vw, close, &sd_new);
    {
        double x_then = ago(&s->close, vw), x_old = ago(&s->close, 4 * vw);
        double sum = x_then - x_old, sum2 = ago(&s->pref2, vw) - ago(&s->pref2, 4 * vw);
        double mean = sum / (3 * vw), var = sum2 / (3 * vw) - mean * mean;
        sd_old = var > 0 ? sqrt(var) : 0;
    }
    o->vol_change = sd_old > 0 ? sd_new / sd_old : 1;
    if (s->since_change < 0 || (s->since_change > 2 * vw &&
        (o->vol_change >= p->vol_change || o->vol_change * p->vol_change <= 1)))
        s->since_change = vw;
    else
        s->since_change++;
    if (s->since_change == vw || s->since_drift < 0)
        s->since_drift = s->since_change;      /* a volatility change restarts it too */
    else
        s->since_drift++;
    int w1 = clampi(s->since_drift, vw, p->drift_win[1]);
    /* a drift change: the recent drift disagrees with the long window's beyond
     * chance, so the long window straddles two regimes and starts again */
    int dw = p->drift_change_win;
    if (p->drift_change_z > 0 && w1 > 2 * dw) {
        double sdr, mr = window_drift(s, dw, close, &sdr);
        double sdl, mlw = window_drift(s, w1, close, &sdl);
        if (fabs(mr - mlw) > p->drift_change_z * sqrt(1.0 / dw - 1.0 / w1)) {
            s->since_drift = dw;
            w1 = dw;
        }
    }
    int w0 = clampi(s->since_change, vw, p->drift_win[0]);
    double ms = window_drift(s, w0, close, &sd[0]);
    double ml = window_drift(s, w1, close, &sd[1]);
    o->drift_t = ms * sqrt((double)w0);
    o->drift = ml;
    o->drift_long_t = ml * sqrt((double)w1);
    o->drift_window = w1;
    int Wm = p->drift_win[0];
    double hi = close, lo = close;
    struct spans sp = last_n(&s->close, Wm + 1);
    span_minmax(s->close.v, sp.a0, sp.a1, &lo, &hi);
    span_minmax(s->close.v, sp.b0, sp.b1, &lo, &hi);
    o->displacement = sd[0] > 0 ? (hi - lo) / (sd[0] * sqrt((double)Wm)) : 0;
    o->atr_pct = percentile(&s->atrn, s->nvol, atrn);
    o->bw_pct = percentile(&s->bw, s->nvol, v->bb_width);
    double base = ago(&s->atrn, p->breakout_base);
    o->atr_ratio = base > 0 ? atrn / base : 1;
    double e20_then = ago(&s->ema20, p->slope_period);
    o->slope = v->atr_14 > 0 && !isnan(e20_then) ? (v->ema_20 - e20_then) / (p->slope_period * v->atr_14) : 0;
    bool full = !isnan(e200);
    if (close > v->ema_20 && v->ema_20 > e50 && (!full || e50 > e200))
        o->align = 1;
    else if (close < v->ema_20 && v->ema_20 < e50 && (!full || e50 < e200))
        o->align = -1;

    double conf;
    o->raw = classify(p, o, &conf);
    hysteresis(s, o->raw, conf);
    o->regime = s->cur;
    o->confidence = clamp01(s->cur_conf);
    o->age = s->age;
    if (s->cur == REGIME_STRONG_TREND_BULL)
        o->dir = 1;
    else if (s->cur == REGIME_STRONG_TREND_BEAR)
        o->dir = -1;
}
