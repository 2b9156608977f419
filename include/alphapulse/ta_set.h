/* The full indicator set behind `alphapulse analyze` and the engine: one call per
 * closed candle (streaming) or one call per array (batch), same values either way.
 * Parameters are the analyze defaults that the column names state. */
#ifndef ALPHAPULSE_TA_SET_H
#define ALPHAPULSE_TA_SET_H
#include <stddef.h>
#include <stdint.h>

#include "alphapulse/candle.h"
#include "alphapulse/indicators.h"

/* X-macro of the analyze columns, in output order; struct ta_values and
 * ta_columns[] are both generated from it so they cannot disagree. */
#define TA_COLUMNS(X) \
    X(sma_20) X(ema_20) X(wma_20) X(rsi_14) \
    X(macd) X(macd_signal) X(macd_hist) \
    X(bb_upper) X(bb_middle) X(bb_lower) X(bb_percent_b) X(bb_width) \
    X(stoch_k) X(stoch_d) X(atr_14) X(adx_14) X(plus_di_14) X(minus_di_14) \
    X(sar) X(cci_14) X(willr_14) X(obv) X(mfi_14) X(vwap) \
    X(kc_upper) X(kc_middle) X(kc_lower) X(volume_sma_20) X(volume_ratio)

#define TA_X_FIELD(name) double name;
struct ta_values { TA_COLUMNS(TA_X_FIELD) };
#undef TA_X_FIELD

/* column indices: TA_COL_sma_20 ... TA_COL_volume_ratio, then TA_NCOLS */
#define TA_X_ENUM(name) TA_COL_##name,
enum ta_column { TA_COLUMNS(TA_X_ENUM) TA_NCOLS };
#undef TA_X_ENUM

extern const char *const ta_columns[TA_NCOLS];

/* A struct ta_values read as an array of TA_NCOLS doubles, in column order. */
static inline const double *ta_values_array(const struct ta_values *v) { return &v->sma_20; }

/* The periods a profile may change (config analysis section). Column names and
 * struct fields keep the default parameters in their names; ta_column_name gives
 * the name for the parameters in force (ema_50 when the EMA period is 50). */
struct ta_params {
    int sma, ema, wma, rsi;
    int macd_fast, macd_slow, macd_signal;
    int bb_period;
    double bb_stddev;
    int atr, volume_sma;
};
void ta_params_default(struct ta_params *p);
void ta_column_name(int col, const struct ta_params *p, char *buf, size_t n);

/* Row of the first non-NAN value of each column, TA-Lib lookback style. */
int ta_column_lookback(int col);

/* Streaming state for one symbol x timeframe: the indicators' rings are sized
 * by the periods in force (about 1.5 KB at the defaults, besides the struct),
 * allocated by ta_set_init*, released by ta_set_free. Williams %R reads the
 * Stochastic's 14-bar high/low (same window). */
struct ta_set {
    struct sma sma20;
    struct ema ema20;
    struct wma wma20;
    struct rsi rsi14;
    struct macd macd;
    struct bbands bb;
    struct stoch stoch;
    struct atr atr14;
    struct adx adx14;
    struct sar sar;
    struct cci cci14;
    struct willr_warm willr14;         /* on the Stochastic's high/low window */
    struct obv obv;
    struct mfi mfi14;
    struct vwap vwap;
    struct keltner kc;
    struct volume_ratio vol;
};
/* 0, or -1 when out of memory (nothing is then held). Initialising again with
 * other periods (a reloaded profile) takes a ta_set_free first. */
int  ta_set_init(struct ta_set *s);                 /* default parameters */
int  ta_set_init_params(struct ta_set *s, const struct ta_params *p);
void ta_set_free(struct ta_set *s);
/* An independent duplicate of src (its own rings), e.g. to try a forming candle
 * without touching the original; 0, or -1 when out of memory (dst holds nothing). */
int  ta_set_copy(struct ta_set *dst, const struct ta_set *src);
/* Feed one closed candle; writes every column (NAN where not warm yet). */
void ta_set_push(struct ta_set *s, const struct candle *c, struct ta_values *out);

/* Column arrays of the input; time is the candle open time in ms. */
struct ta_ohlcv {
    const int64_t *time;
    const double *open, *high, *low, *close, *volume;
};
/* Column-major output: col[k] receives n values of ta_columns[k], or is NULL
 * to skip that column. */
struct ta_set_out { double *col[TA_NCOLS]; };
void ta_set_batch(const struct ta_ohlcv *in, size_t n, const struct ta_set_out *out);
/* Same values as rows, by streaming through ta_set_push. */
void ta_set_batch_rows(const struct ta_ohlcv *in, size_t n, struct ta_values *out);

#endif
