/* The analyze/engine indicator set. Batch is the streaming loop with column
 * output: one indicator per loop would be latency-bound on each recurrence (EMA,
 * Wilder sums), while updating them all per candle lets the CPU overlap the
 * independent chains, and reads each input once. */
#include "alphapulse/ta_set.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#define TA_X_NAME(name) #name,
const char *const ta_columns[TA_NCOLS] = { TA_COLUMNS(TA_X_NAME) };
#undef TA_X_NAME

int ta_column_lookback(int col)
{
    switch (col) {
    case TA_COL_sma_20: return sma_lookback(20);
    case TA_COL_ema_20: return ema_lookback(20);
    case TA_COL_wma_20: return wma_lookback(20);
    case TA_COL_rsi_14: return rsi_lookback(14);
    case TA_COL_macd: case TA_COL_macd_signal: case TA_COL_macd_hist:
        return macd_lookback(12, 26, 9);
    case TA_COL_bb_upper: case TA_COL_bb_middle: case TA_COL_bb_lower:
    case TA_COL_bb_percent_b: case TA_COL_bb_width:
        return bbands_lookback(20);
    case TA_COL_stoch_k: case TA_COL_stoch_d: return stoch_lookback(14, 3, 3);
    case TA_COL_atr_14: return atr_lookback(14);
    case TA_COL_adx_14: return adx_lookback(14);
    case TA_COL_plus_di_14: case TA_COL_minus_di_14: return di_lookback(14);
    case TA_COL_sar: return sar_lookback();
    case TA_COL_cci_14: return cci_lookback(14);
    case TA_COL_willr_14: return willr_lookback(14);
    case TA_COL_obv: return obv_lookback();
    case TA_COL_mfi_14: return mfi_lookback(14);
    case TA_COL_vwap: return vwap_lookback();
    case TA_COL_kc_upper: case TA_COL_kc_middle: case TA_COL_kc_lower:
        return keltner_lookback(20, 10);
    case TA_COL_volume_sma_20: case TA_COL_volume_ratio: return volume_ratio_lookback(20);
    default: return -1;
    }
}

void ta_params_default(struct ta_params *p)
{
    *p = (struct ta_params){ .sma = 20, .ema = 20, .wma = 20, .rsi = 14, .macd_fast = 12, .macd_slow = 26,
                             .macd_signal = 9, .bb_period = 20, .bb_stddev = 2.0, .atr = 14, .volume_sma = 20 };
}

void ta_column_name(int col, const struct ta_params *p, char *buf, size_t n)
{
    switch (col) {
    case TA_COL_sma_20: snprintf(buf, n, "sma_%d", p->sma); break;
    case TA_COL_ema_20: snprintf(buf, n, "ema_%d", p->ema); break;
    case TA_COL_wma_20: snprintf(buf, n, "wma_%d", p->wma); break;
    case TA_COL_rsi_14: snprintf(buf, n, "rsi_%d", p->rsi); break;
    case TA_COL_atr_14: snprintf(buf, n, "atr_%d", p->atr); break;
    case TA_COL_volume_sma_20: snprintf(buf, n, "volume_sma_%d", p->volume_sma); break;
    default: snprintf(buf, n, "%s", col >= 0 && col < TA_NCOLS ? ta_columns[col] : "?"); break;
    }
}

int ta_set_init(struct ta_set *s)
{
    struct ta_params p;
    ta_params_default(&p);
    return ta_set_init_params(s, &p);
}

/* The ring owners start empty so that ta_set_free may run after a partial init. */
static void no_rings(struct ta_set *s)
{
    s->sma20.ring = s->wma20.ring = s->bb.ma.ring = s->vol.ma.ring = NULL;
    s->stoch.k.ring = s->stoch.d.ring = NULL;
    s->stoch.hi.buf = s->stoch.lo.buf = NULL;
    s->cci14.ring = NULL;
    s->mfi14.pos_ring = NULL;
}

int ta_set_init_params(struct ta_set *s, const struct ta_params *p)
{
    no_rings(s);
    bool nomem = false;
    nomem |= sma_init(&s->sma20, p->sma) == TA_NOMEM;
    ema_init(&s->ema20, p->ema);
    nomem |= wma_init(&s->wma20, p->wma) == TA_NOMEM;
    rsi_init(&s->rsi14, p->rsi);
    macd_init(&s->macd, p->macd_fast, p->macd_slow, p->macd_signal);
    nomem |= bbands_init(&s->bb, p->bb_period, p->bb_stddev, p->bb_stddev) == TA_NOMEM;
    nomem |= stoch_init(&s->stoch, 14, 3, 3) == TA_NOMEM;
    atr_init(&s->atr14, p->atr);
    adx_init(&s->adx14, 14);
    sar_init(&s->sar, 0.02, 0.2);
    nomem |= cci_init(&s->cci14, 14) == TA_NOMEM;
    willr_warm_init(&s->willr14, 14);
    obv_init(&s->obv);
    nomem |= mfi_init(&s->mfi14, 14) == TA_NOMEM;
    vwap_init(&s->vwap);
    keltner_init(&s->kc, 20, 10, 2.0);
    nomem |= volume_ratio_init(&s->vol, p->volume_sma) == TA_NOMEM;
    if (nomem) {
        ta_set_free(s);
        return -1;
    }
    return 0;
}

void ta_set_free(struct ta_set *s)
{
    sma_free(&s->sma20);
    wma_free(&s->wma20);
    bbands_free(&s->bb);
    stoch_free(&s->stoch);
    cci_free(&s->cci14);
    mfi_free(&s->mfi14);
    volume_ratio_free(&s->vol);
}

int ta_set_copy(struct ta_set *dst, const struct ta_set *src)
{
    *dst = *src;
    no_rings(dst);
    bool nomem = false;
    nomem |= sma_copy(&dst->sma20, &src->sma20) != 0;
    nomem |= wma_copy(&dst->wma20, &src->wma20) != 0;
    nomem |= sma_copy(&dst->bb.ma, &src->bb.ma) != 0;
    nomem |= sma_copy(&dst->stoch.k, &src->stoch.k) != 0;
    nomem |= sma_copy(&dst->stoch.d, &src->stoch.d) != 0;
    nomem |= ta_extreme_copy(&dst->stoch.hi, &src->stoch.hi) != 0;
    nomem |= ta_extreme_copy(&dst->stoch.lo, &src->stoch.lo) != 0;
    nomem |= cci_copy(&dst->cci14, &src->cci14) != 0;
    nomem |= mfi_copy(&dst->mfi14, &src->mfi14) != 0;
    nomem |= sma_copy(&dst->vol.ma, &src->vol.ma) != 0;
    if (nomem) {
        ta_set_free(dst);
        return -1;
    }
    return 0;
}

void ta_set_push(struct ta_set *s, const struct candle *c, struct ta_values *o)
{
    double h = c->high, l = c->low, cl = c->close, v = c->volume;
    o->sma_20 = sma_push(&s->sma20, cl);
    o->ema_20 = ema_push(&s->ema20, cl);
    o->wma_20 = wma_push(&s->wma20, cl);
    o->rsi_14 = rsi_push(&s->rsi14, cl);
    struct macd_out m;
    macd_push(&s->macd, cl, &m);
    o->macd = m.macd;
    o->macd_signal = m.signal;
    o->macd_hist = m.hist;
    struct bbands_out b;
    bbands_push(&s->bb, cl, &b);
    o->bb_upper = b.upper;
    o->bb_middle = b.middle;
    o->bb_lower = b.lower;
    o->bb_percent_b = b.percent_b;
    o->bb_width = b.width;
    double hh = ta_extreme_push(&s->stoch.hi, h), ll = ta_extreme_push(&s->stoch.lo, l);
    stoch_push_hl(&s->stoch, hh, ll, cl, &o->stoch_k, &o->stoch_d);
    o->atr_14 = atr_push(&s->atr14, h, l, cl);
    adx_push(&s->adx14, h, l, cl, &o->adx_14, &o->plus_di_14, &o->minus_di_14);
    o->sar = sar_push(&s->sar, h, l);
    o->cci_14 = cci_push(&s->cci14, h, l, cl);
    o->willr_14 = willr_push_hl(&s->willr14, hh, ll, cl);
    o->obv = obv_push(&s->obv, cl, v);
    o->mfi_14 = mfi_push(&s->mfi14, h, l, cl, v);
    o->vwap = vwap_push(&s->vwap, c->open_time, h, l, cl, v);
    struct keltner_out k;
    keltner_push(&s->kc, h, l, cl, &k);
    o->kc_upper = k.upper;
    o->kc_middle = k.middle;
    o->kc_lower = k.lower;
    volume_ratio_push(&s->vol, v, &o->volume_sma_20, &o->volume_ratio);
}

void ta_set_batch(const struct ta_ohlcv *in, size_t n, const struct ta_set_out *out)
{
    /* Rows go to a small block first and are copied out per column: writing 29
     * columns per candle would keep 29 store streams open at once. */
    enum { BLOCK = 128 };
    struct work { struct ta_set s; struct ta_values rows[BLOCK]; } *w = malloc(sizeof *w);
    if (w && ta_set_init(&w->s) != 0) {
        free(w);
        w = NULL;
    }
    if (!w) {
        for (int k = 0; k < TA_NCOLS; k++)
            if (out->col[k])
                for (size_t i = 0; i < n; i++)
                    out->col[k][i] = NAN;
        return;
    }
    for (size_t base = 0; base < n; base += BLOCK) {
        size_t m = n - base < BLOCK ? n - base : BLOCK;
        for (size_t r = 0; r < m; r++) {
            size_t i = base + r;
            struct candle c = {
                .open_time = in->time ? in->time[i] : 0,
                .open = in->open ? in->open[i] : in->close[i],
                .high = in->high[i], .low = in->low[i], .close = in->close[i],
                .volume = in->volume[i],
            };
            ta_set_push(&w->s, &c, &w->rows[r]);
        }
        for (int k = 0; k < TA_NCOLS; k++) {
            double *dst = out->col[k];
            if (!dst)
                continue;
            for (size_t r = 0; r < m; r++)
                dst[base + r] = ta_values_array(&w->rows[r])[k];
        }
    }
    ta_set_free(&w->s);
    free(w);
}

void ta_set_batch_rows(const struct ta_ohlcv *in, size_t n, struct ta_values *out)
{
    struct ta_set s;
    if (ta_set_init(&s) != 0) {
        for (size_t i = 0; i < n; i++)
            for (int k = 0; k < TA_NCOLS; k++)
                ((double *)&out[i])[k] = NAN;
        return;
    }
    for (size_t i = 0; i < n; i++) {
        struct candle c = {
            .open_time = in->time ? in->time[i] : 0,
            .open = in->open ? in->open[i] : in->close[i],
            .high = in->high[i], .low = in->low[i], .close = in->close[i],
            .volume = in->volume[i],
        };
        ta_set_push(&s, &c, &out[i]);
    }
    ta_set_free(&s);
}
