/* Technical indicators. Each has the same three entry points so streaming and
 * batch cannot drift: NAME_init, NAME_push (O(1) but for CCI's O(period) mean
 * deviation; no allocation; NAN until warm) and NAME_batch (a loop over push). Warm-up and seeding follow TA-Lib 0.6.0, and
 * NAME_lookback(params) gives the row of the first value, like TA-Lib's *_Lookback.
 *
 * Windowed indicators (SMA, WMA, CCI, MFI, the sliding extremes and what is
 * built on them) keep rings of exactly the period in force, allocated by their
 * init, so a push never allocates; NAME_free releases them (init does not: free
 * before initialising again with another period) and NAME_copy gives an
 * independent duplicate. Their init functions clamp a period into [minimum,
 * TA_MAX_PERIOD] and return -1 when they had to, TA_NOMEM when the ring could
 * not be allocated (nothing to free then, and no push allowed), 0 otherwise.
 * Batch functions accept NULL for any output array they should not fill. */
#ifndef ALPHAPULSE_INDICATORS_H
#define ALPHAPULSE_INDICATORS_H
#include <stddef.h>
#include <stdint.h>

#define TA_MAX_PERIOD 512
#define TA_NOMEM (-2)

/* Clamp *period into [min, TA_MAX_PERIOD]; 0 if it was in range, -1 if changed. */
int ta_clamp_period(int *period, int min);

/* Sliding minimum or maximum of the last `period` inputs, the building block of
 * Stochastic and Williams %R. Van Herk/Gil-Werman blocks: a running maximum of
 * the current block plus suffix maxima of the previous one, rebuilt once per
 * `period` pushes, so a push is amortised O(1) and has no data-dependent
 * branches (random walks make a monotonic deque mispredict constantly).
 * A minimum is kept as the maximum of negated inputs, which is exact. */
struct ta_extreme {
    double *buf;                      /* current block, sign-adjusted: period slots */
    double *suf;                      /* suffix maxima of the previous block: period + 1,
                                       * in the same allocation after buf */
    double prefix;                    /* maximum of buf[0..pos] */
    int pos, period, is_max;
};
int    ta_extreme_init(struct ta_extreme *s, int period, int is_max);
void   ta_extreme_free(struct ta_extreme *s);
int    ta_extreme_copy(struct ta_extreme *dst, const struct ta_extreme *src);
double ta_extreme_push(struct ta_extreme *s, double x);   /* extreme of the window so far */

/* SMA: running sum (add newest, subtract oldest, as TA-Lib); first value at row period-1. */
struct sma { double *ring; double sum; int n, period, pos; };
int    sma_init(struct sma *s, int period);
void   sma_free(struct sma *s);
int    sma_copy(struct sma *dst, const struct sma *src);
double sma_push(struct sma *s, double x);
void   sma_batch(const double *in, size_t n, int period, double *out);
int    sma_lookback(int period);

/* EMA: seeded by the SMA of the first `period` inputs; first value at row period-1. */
struct ema { double alpha, value, sum; int n, period; };
void   ema_init(struct ema *s, int period);
double ema_push(struct ema *s, double x);
void   ema_batch(const double *in, size_t n, int period, double *out);
int    ema_lookback(int period);

/* WMA: weights 1..period, newest heaviest; first value at row period-1. */
struct wma { double *ring; double sum, sub, trailing; int n, period, pos; };
int    wma_init(struct wma *s, int period);
void   wma_free(struct wma *s);
int    wma_copy(struct wma *dst, const struct wma *src);
double wma_push(struct wma *s, double x);
void   wma_batch(const double *in, size_t n, int period, double *out);
int    wma_lookback(int period);

/* RSI with Wilder smoothing; first value at row `period`. */
struct rsi { double prev, avg_gain, avg_loss; int n, period; };
void   rsi_init(struct rsi *s, int period);
double rsi_push(struct rsi *s, double x);
void   rsi_batch(const double *in, size_t n, int period, double *out);
int    rsi_lookback(int period);

/* MACD: the fast EMA is seeded so it starts at the slow EMA's first row (TA-Lib);
 * all three outputs appear at row (slow-1)+(signal-1). fast > slow are swapped. */
struct macd { struct ema fast, slow, signal; int n, skip; };
struct macd_out { double macd, signal, hist; };
int  macd_init(struct macd *s, int fast, int slow, int signal);
void macd_push(struct macd *s, double x, struct macd_out *out);
void macd_batch(const double *in, size_t n, int fast, int slow, int signal,
                double *out_macd, double *out_signal, double *out_hist);
int  macd_lookback(int fast, int slow, int signal);

/* Bollinger Bands over an SMA middle; the deviation is the population one from a
 * running sum of squares, as TA-Lib. %B is NAN when upper == lower, the
 * bandwidth NAN when middle == 0. First value at row period-1. */
struct bbands { struct sma ma; double sum2, nbdev_up, nbdev_dn; };
struct bbands_out { double upper, middle, lower, percent_b, width; };
int  bbands_init(struct bbands *s, int period, double nbdev_up, double nbdev_dn);
void bbands_free(struct bbands *s);
void bbands_push(struct bbands *s, double x, struct bbands_out *out);
void bbands_batch(const double *in, size_t n, int period, double nbdev_up, double nbdev_dn,
                  double *upper, double *middle, double *lower, double *percent_b, double *width);
int  bbands_lookback(int period);

/* Slow Stochastic: fast %K over `fastk` bars, %K = SMA(fast %K, slowk),
 * %D = SMA(%K, slowd); both appear at row (fastk-1)+(slowk-1)+(slowd-1). */
struct stoch { struct ta_extreme hi, lo; struct sma k, d; int n, lookback; };
int  stoch_init(struct stoch *s, int fastk, int slowk, int slowd);
void stoch_free(struct stoch *s);
void stoch_push(struct stoch *s, double high, double low, double close, double *k, double *d);
/* The same step for callers that track the window's highest high and lowest low
 * themselves (ta_set shares them with Williams %R); it leaves s->hi, s->lo alone. */
void stoch_push_hl(struct stoch *s, double highest, double lowest, double close,
                   double *k, double *d);
void stoch_batch(const double *high, const double *low, const double *close, size_t n,
                 int fastk, int slowk, int slowd, double *out_k, double *out_d);
int  stoch_lookback(int fastk, int slowk, int slowd);

/* ATR: true range from row 1, SMA seed of `period` of them, then Wilder; first
 * value at row `period`. */
struct atr { double prev_close, value; int n, period; };
int    atr_init(struct atr *s, int period);
double atr_push(struct atr *s, double high, double low, double close);
void   atr_batch(const double *high, const double *low, const double *close, size_t n,
                 int period, double *out);
int    atr_lookback(int period);

/* ADX, +DI and -DI share one set of Wilder sums (directional movement and true
 * range), so one struct serves all three. DI values start at row `period`,
 * ADX at row 2*period-1. Any output pointer may be NULL. */
struct adx {
    double prev_high, prev_low, prev_close;
    double plus_dm, minus_dm, tr, sum_dx, value;
    int n, period;
};
int  adx_init(struct adx *s, int period);
void adx_push(struct adx *s, double high, double low, double close,
              double *adx, double *plus_di, double *minus_di);
void adx_batch(const double *high, const double *low, const double *close, size_t n,
               int period, double *out_adx, double *out_plus_di, double *out_minus_di);
int  adx_lookback(int period);
int  di_lookback(int period);

/* Parabolic SAR; the first bar's direction comes from its -DM (TA-Lib). First
 * value at row 1. */
struct sar {
    double accel, max_af, af, ep, sar, prev_high, prev_low;
    int n, is_long;
};
int    sar_init(struct sar *s, double acceleration, double maximum);
double sar_push(struct sar *s, double high, double low);
void   sar_batch(const double *high, const double *low, size_t n,
                 double acceleration, double maximum, double *out);
int    sar_lookback(void);

/* CCI: (tp - mean) / (0.015 * mean deviation); the mean deviation has no running
 * form, so a push costs O(period). First value at row period-1. */
struct cci { double *ring, *prefix; int n, period, pos; };   /* one allocation */
int    cci_init(struct cci *s, int period);
void   cci_free(struct cci *s);
int    cci_copy(struct cci *dst, const struct cci *src);
double cci_push(struct cci *s, double high, double low, double close);
void   cci_batch(const double *high, const double *low, const double *close, size_t n,
                 int period, double *out);
int    cci_lookback(int period);

/* Williams %R in [-100, 0]; 0 when the window has no range. First value at row period-1. */
struct willr_warm { int n, period; };   /* the warm-up count alone */
struct willr { struct ta_extreme hi, lo; struct willr_warm w; };
int    willr_init(struct willr *s, int period);
void   willr_free(struct willr *s);
double willr_push(struct willr *s, double high, double low, double close);
/* The same step for callers that track the window's highest high and lowest
 * low themselves (ta_set shares the Stochastic's): they keep only the count. */
int    willr_warm_init(struct willr_warm *w, int period);
double willr_push_hl(struct willr_warm *w, double highest, double lowest, double close);
void   willr_batch(const double *high, const double *low, const double *close, size_t n,
                   int period, double *out);
int    willr_lookback(int period);

/* On-balance volume, starting from the first bar's volume at row 0. */
struct obv { double prev_close, value; int n; };
void   obv_init(struct obv *s);
double obv_push(struct obv *s, double close, double volume);
void   obv_batch(const double *close, const double *volume, size_t n, double *out);
int    obv_lookback(void);

/* Money flow index; bars whose typical price does not move count on neither
 * side, and a window whose total flow is below 1 gives 0 (TA-Lib). First value
 * at row `period`. */
struct mfi { double *pos_ring, *neg_ring;        /* one allocation */
             double pos_sum, neg_sum, prev_tp; int n, period, pos; };
int    mfi_init(struct mfi *s, int period);
void   mfi_free(struct mfi *s);
int    mfi_copy(struct mfi *dst, const struct mfi *src);
double mfi_push(struct mfi *s, double high, double low, double close, double volume);
void   mfi_batch(const double *high, const double *low, const double *close,
                 const double *volume, size_t n, int period, double *out);
int    mfi_lookback(int period);

/* VWAP of the typical price, restarting at each UTC day of the candle's open
 * time (ms). NAN while the day has seen no volume. First value at row 0. A NULL
 * time array in vwap_batch means one session. */
struct vwap { double pv, vol; int64_t day; int started; };
void   vwap_init(struct vwap *s);
double vwap_push(struct vwap *s, int64_t open_time_ms, double high, double low,
                 double close, double volume);
void   vwap_batch(const int64_t *open_time_ms, const double *high, const double *low,
                  const double *close, const double *volume, size_t n, double *out);
int    vwap_lookback(void);

/* Keltner Channels: EMA(close) middle, +/- mult x ATR. First value at the later
 * of the two warm-ups. */
struct keltner { struct ema mid; struct atr atr; double mult; };
struct keltner_out { double upper, middle, lower; };
int  keltner_init(struct keltner *s, int ema_period, int atr_period, double mult);
void keltner_push(struct keltner *s, double high, double low, double close,
                  struct keltner_out *out);
void keltner_batch(const double *high, const double *low, const double *close, size_t n,
                   int ema_period, int atr_period, double mult,
                   double *upper, double *middle, double *lower);
int  keltner_lookback(int ema_period, int atr_period);

/* Volume SMA and volume / SMA(volume); the ratio is NAN when the SMA is 0.
 * First values at row period-1. */
struct volume_ratio { struct sma ma; };
int  volume_ratio_init(struct volume_ratio *s, int period);
void volume_ratio_free(struct volume_ratio *s);
void volume_ratio_push(struct volume_ratio *s, double volume, double *sma, double *ratio);
void volume_ratio_batch(const double *volume, size_t n, int period,
                        double *out_sma, double *out_ratio);
int  volume_ratio_lookback(int period);

#endif
