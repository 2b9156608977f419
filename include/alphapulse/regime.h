/* Market regime of one symbol x timeframe, updated on every closed candle from the
 * indicator set: ADX, EMA 20/50/200 slope and alignment, Bollinger bandwidth and ATR
 * percentiles over a lookback, Kaufman's efficiency ratio and a drift t-statistic.
 * Pure computation, no globals; its rings are sized by the windows in force and
 * allocated by regime_init only. */
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
    REGIME_STRONG_TREND,       /* strong drift, direction not claimed (trend_direction off) */
    REGIME_COUNT
};

const char *regime_name(int r);    /* "STRONG_TREND_BULL" ...; "" for REGIME_NONE */
const char *regime_short(int r);   /* "BULL+" "BEAR+" "WEAK" "RANGE" "BRKOUT" "CHOP" "TREND+"; "-" */
int regime_parse(const char *s);   /* REGIME_* from regime_name, or REGIME_NONE */

#define REGIME_MAX_LOOKBACK 512    /* the longest percentile window or lookback allowed */

/* Thresholds; one struct per symbol (config carries a profile per symbol). */
struct regime_params {
    int lookback;              /* percentile window for bandwidth and ATR (<= REGIME_MAX_LOOKBACK) */
    int er_period;             /* Kaufman efficiency ratio window */
    int slope_period;          /* EMA(20) slope is measured over this many candles */
    /* Drift: a t-statistic of the close changes over the short window, and the
     * drift per candle in sigmas (and its t) over the long one. */
    int drift_win[2];          /* short, long */
    /* trend score T in [0, 1] = 0.45 ADX part + 0.35 short drift t part + 0.20
     * efficiency part, ramps full at adx_strong + 5, strong_t + 1, er_strong + 0.15 */
    double adx_strong, strong_t, er_strong;
    double trend_strong;       /* strong: T >= this, EMA slope agrees, and long drift >= strong_drift */
    double strong_drift;       /* (sigmas per candle; in standard errors of the estimate, plus */
    double adx_weight;         /* adx_weight x (ADX - adx_strong) / 14 must be >= 0), */
    double trend_sure;         /* or T >= this alone */
    double trend_weak;         /* weak: T >= this + noise_penalty x max(0, ATR pct - 0.5), */
    double noise_penalty;
    double weak_t;             /* or the long drift t >= this + weak_noise x max(0, ATR pct - 0.5) */
    double weak_noise;         /* with the short drift's sign and |short t| >= weak_short_t */
    double weak_short_t;
    double breakout_atr_pct;   /* breakout: ATR percentile at least this, */
    double breakout_bw_pct;    /* bandwidth percentile at least this, */
    double breakout_atr_ratio; /* and ATR/close at least this x its value breakout_base candles ago */
    int breakout_base;
    double chop_disp;          /* chop vs range: displacement (range / sigma sqrt n, a random */
    double chop_atr_pct;       /* walk ~1.6, bounded markets lower) and ATR percentile centres */
    int hold;                  /* hysteresis: a new regime must hold this many candles ... */
    double margin;             /* ... or win by this much confidence to switch at once */
    int vol_win;               /* sigma of the last vol_win changes against the 3 x vol_win before: */
    double vol_change;         /* a ratio beyond this (or its inverse) marks a regime change; */
    int hold_after_change;     /* the drift windows then start there and the hold is this */
    int hold_breakout;         /* hold for a switch into a breakout, if shorter */
    int drift_change_win;      /* drift over this many candles differing from the long window's */
    double drift_change_z;     /* by more than this many standard errors also restarts it (0: off) */
    /* Strong trends as STRONG_TREND_BULL / _BEAR (true) or as STRONG_TREND with the
     * drift's sign in dir only (false, the default): on real data the drift's sign
     * did not predict the next 20 candles' direction (docs/regimes.md). */
    bool trend_direction;
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
    double adx, er, drift, drift_t, drift_long_t, vol_change, displacement, atr_pct, bw_pct, atr_ratio, slope, trend_score;
    int drift_window;          /* the window the drift was measured over */
    double ema50, ema200;
    int align;                 /* +1: close > ema20 > ema50 (> ema200 when warm), -1 reversed, else 0 */
};

/* A ring of the newest `cap` values; pos is the next slot. */
struct regime_ring { double *v; int cap, pos; };

/* Each ring holds what its longest read needs: the close-change windows (drift,
 * volatility change, efficiency ratio, displacement), the percentile lookback
 * (and the breakout base for ATR), the EMA slope period; about 10 KB at the
 * defaults. One allocation for all six. */
struct regime_state {
    struct regime_params p;
    struct ema ema50, ema200;
    struct regime_ring close;              /* closes */
    struct regime_ring pref2;              /* running sums of squared close changes */
    struct regime_ring prefa;              /* ... and of absolute close changes (efficiency ratio) */
    struct regime_ring atrn;               /* ATR / close */
    struct regime_ring bw;                 /* Bollinger bandwidth */
    struct regime_ring ema20;              /* EMA(20) */
    double cum2, cuma;
    long n;                                /* candles pushed */
    int nvol;                              /* valid entries of atrn/bw */
    int cur, cand, cand_n, age;
    int since_change;                      /* candles since the last volatility change */
    int since_drift;                       /* ... or drift change: the long drift window */
    double cur_conf;
};

/* p NULL: defaults. 0, or -1 when out of memory (nothing held, no push allowed).
 * Initialising again (new thresholds) takes a regime_free first. */
int  regime_init(struct regime_state *s, const struct regime_params *p);
void regime_free(struct regime_state *s);
/* One closed candle and its indicator values (ta_set_push's output). */
void regime_push(struct regime_state *s, const struct candle *c, const struct ta_values *v,
                 struct regime_out *out);

#endif
