/* Market regime of one symbol x timeframe, updated on every closed candle from the
 * indicator set: ADX, EMA 20/50/200 slope and alignment, Bollinger bandwidth and ATR
 * percentiles over a lookback, Kaufman's efficiency ratio and a drift t-statistic.
 * Pure computation: fixed rings, no allocation, no globals. */
#ifndef ALPHAPULSE_REGIME_H
#define ALPHAPULSE_REGIME_H
#include <stdbool.h>
#include "alphapulse/candle.h"
#include "alphapulse/indicators.h"
#include "alphapulse/ta_set.h"

enum regime {
    REGIME_NONE = -1,          /* not warm yet */
    REGIME_STRONG_TREND_BULL,
    REGIME_STRONG_TREND_BEAR,
    REGIME_WEAK_TREND,
    REGIME_RANGING,
    REGIME_VOLATILE_BREAKOUT,
    REGIME_CHOPPY,
    REGIME_COUNT
};

const char *regime_name(int r);    /* "STRONG_TREND_BULL" ...; "" for REGIME_NONE */
const char *regime_short(int r);   /* "BULL+" "BEAR+" "WEAK" "RANGE" "BRKOUT" "CHOP"; "-" */
int regime_parse(const char *s);   /* REGIME_* from regime_name, or REGIME_NONE */

#define REGIME_MAX_LOOKBACK 512    /* ring size for percentiles and windows */

/* Thresholds; one struct per symbol (config carries a profile per symbol). */
struct regime_params {
    int lookback;              /* percentile window for bandwidth and ATR (<= REGIME_MAX_LOOKBACK) */
    int er_period;             /* Kaufman efficiency ratio window */
    int drift_period;          /* window of the drift t-statistic and the displacement */
    int slope_period;          /* EMA(20) slope is measured over this many candles */
    double adx_strong;         /* ADX at or above: a strong trend is possible */
    double adx_weak;           /* ADX at or above: at least a weak trend */
    double drift_strong;       /* |drift t| for a strong trend */
    double drift_weak;         /* |drift t| for a weak trend */
    double er_strong;          /* efficiency ratio for a strong trend */
    double breakout_atr_pct;   /* ATR percentile for a breakout ... */
    double breakout_bw_pct;    /* ... together with this bandwidth percentile */
    double breakout_atr_ratio; /* or ATR / its slow average at least this */
    double chop_disp;          /* displacement (range / sigma sqrt n) at or above: not bounded */
    double chop_atr_pct;       /* ATR percentile at or above: noisy */
    int hold;                  /* hysteresis: a new regime must hold this many candles ... */
    double margin;             /* ... or win by this much confidence to switch at once */
};
void regime_params_default(struct regime_params *p);

/* What the detector says after a candle. */
struct regime_out {
    int regime;                /* REGIME_* (REGIME_NONE until warm) */
    int dir;                   /* +1 / -1 / 0: drift direction (for WEAK_TREND, breakouts) */
    double confidence;         /* [0, 1] */
    int age;                   /* candles the current regime has been in force */
    int raw;                   /* unfiltered classification of this candle */
    /* features, for the panel, the voters and the tests */
    double adx, er, drift_t, displacement, atr_pct, bw_pct, atr_ratio, slope;
    double ema50, ema200;
    int align;                 /* +1: close > ema20 > ema50 (> ema200 when warm), -1 reversed, else 0 */
};

struct regime_state {
    struct regime_params p;
    struct ema ema50, ema200, atr_slow;
    double close[REGIME_MAX_LOOKBACK];     /* ring of closes */
    double atrn[REGIME_MAX_LOOKBACK];      /* ring of ATR / close */
    double bw[REGIME_MAX_LOOKBACK];        /* ring of Bollinger bandwidth */
    double ema20[REGIME_MAX_LOOKBACK];     /* ring of EMA(20) */
    double d2_sum, d_sum;                  /* sums of close changes over drift_period */
    long n;                                /* candles pushed */
    int pos;                               /* next ring slot */
    int nvol;                              /* valid entries of atrn/bw */
    int cur, cur_dir, cand, cand_n, age;
    double cur_conf;
};

void regime_init(struct regime_state *s, const struct regime_params *p);   /* p NULL: defaults */
/* One closed candle and its indicator values (ta_set_push's output). */
void regime_push(struct regime_state *s, const struct candle *c, const struct ta_values *v,
                 struct regime_out *out);

#endif
