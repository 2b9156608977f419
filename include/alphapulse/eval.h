/* Evaluation: the pure statistics that judge signals and regimes on history: the
 * bracket walk that labels a trade in R (shared by signal outcomes and the random
 * baseline, so both are judged alike), bootstrap intervals resampled by day, the
 * seeded random-entry baseline, calibration tables, an online calibrator and the
 * regime report. No I/O, no clock, no globals: same input, same numbers. */
#ifndef ALPHAPULSE_EVAL_H
#define ALPHAPULSE_EVAL_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "alphapulse/candle.h"

/* ---- deterministic random numbers (splitmix64) ---- */
struct eval_rng { uint64_t s; };
void eval_rng_seed(struct eval_rng *r, uint64_t seed);
uint64_t eval_rng_next(struct eval_rng *r);
size_t eval_rng_below(struct eval_rng *r, size_t n);    /* uniform in [0, n), n > 0 */

/* ---- a bracket trade followed candle by candle, in units of its risk R ----
 * Inside a candle the adverse extreme comes first: a candle touching the stop
 * and a target counts as the stop. Targets scale out frac[k] of the position;
 * what is left exits at the stop, or at the close of the horizon's last candle. */
#define EVAL_TP 4
struct eval_bracket {
    int side;                  /* +1 long, -1 short */
    double entry, stop, R;     /* R = |entry - stop| */
    double tp[EVAL_TP], frac[EVAL_TP];   /* tp 0: none */
    double cost_r;             /* round-trip cost in R */
    int horizon;               /* candles before the rest exits at the close */
    int seen, best_tp;         /* candles walked; targets filled */
    double banked, left;       /* R from filled targets; share of the position still open */
    bool reached_1r;           /* price went 1 R in favour before the stop */
    bool done, stopped, expired;
    double r_gross, r_net;     /* when done: realised R before and after costs */
};
/* Returns -1 when the stop is not on the losing side (no risk unit). */
int eval_bracket_init(struct eval_bracket *b, int side, double entry, double stop, const double tp[EVAL_TP],
                      const double frac[EVAL_TP], int horizon, double cost_r);
bool eval_bracket_step(struct eval_bracket *b, const struct candle *c);   /* true when it settles */
/* Round-trip cost (cost_frac of the price, both sides together) in units of R. */
double eval_cost_r(double cost_frac, double entry, double stop);

/* ---- bootstrap ---- */
struct eval_ci { double mean, lo, hi; size_t n; };
/* Mean of x and its 95 % interval, resampling whole days (day[i], ascending)
 * with replacement `draws` times. Returns -1 when n == 0 or out of memory. */
int eval_bootstrap_mean(const double *x, const int64_t *day, size_t n, int draws, uint64_t seed,
                        struct eval_ci *out);

/* ---- random baseline ---- */
struct eval_series { const struct candle *c; size_t n, from; };   /* entries drawn from [from, n - 1) */
struct eval_geom {
    int tf, side, horizon;
    double stop_frac;          /* |entry - stop| / entry */
    double tp_r[EVAL_TP];      /* targets in R (0: none) */
    double frac[EVAL_TP];
    double cost_r;
};
/* For each of `draws` draws, one random entry per geometry g[i] (its side,
 * timeframe, stop and targets, entry at a random close of series[g[i].tf]):
 * mean_net[d] is the draw's mean R after costs (mean_gross before). Returns -1
 * when a geometry's series has no room. */
int eval_random_baseline(const struct eval_series series[TF_COUNT], const struct eval_geom *g, size_t n,
                         int draws, uint64_t seed, double *mean_gross, double *mean_net);
/* (1 + draws at or above x) / (1 + draws): the one-sided p-value of x. */
double eval_rank_p(const double *draws, size_t n, double x);

/* ---- calibration ---- */
#define EVAL_DECILES 10
struct eval_calib_bin { size_t n; double lo, hi, pred, real, mean_r; };
struct eval_calibration {
    struct eval_calib_bin bin[EVAL_DECILES];
    size_t n;
    double base_rate, brier, brier_base, skill;   /* skill = 1 - brier / brier_base */
};
/* Deciles by rank of p (ties by index); r may be NULL (then mean_r is NAN). */
int eval_calibration(const double *p, const bool *y, const double *r, size_t n, struct eval_calibration *out);
/* Decile of each item by rank of p (0..9), for breakdowns. */
int eval_deciles(const double *p, size_t n, int *dec);

/* Online calibrator: isotonic regression (pool adjacent violators) of the
 * outcome on x over a rolling window of settled outcomes, read between block
 * centres by straight lines, and blended with a prior probability while the
 * window is small. Monotone by construction: a stronger vote never reads as a
 * lower probability. */
#define EVAL_CAL_WINDOW 2000
#define EVAL_CAL_KNOTS 20          /* the fit starts from 20 blocks and only merges them */
struct eval_calibrator {
    /* the window's outcomes: room grows (doubling) with the outcomes seen, up to
     * EVAL_CAL_WINDOW, so a calibrator without outcomes holds no buffer */
    float *x;
    uint8_t *y;
    int cap;
    int n, pos;
    int nk;                    /* knots of the fitted curve */
    float kx[EVAL_CAL_KNOTS], kp[EVAL_CAL_KNOTS];
    double prior;              /* used alone with no outcomes */
    double prior_n;            /* outcomes the prior is worth */
};
/* Initialising again takes an eval_calibrator_free first. */
void eval_calibrator_init(struct eval_calibrator *c, double prior, double prior_n);
void eval_calibrator_free(struct eval_calibrator *c);
/* Out of memory for a larger window, the outcome is not counted. */
void eval_calibrator_add(struct eval_calibrator *c, double x, bool hit);
double eval_calibrator_p(const struct eval_calibrator *c, double x);

/* ---- regime report ---- */
struct eval_regime_row {
    size_t candles, runs;
    double share;              /* of labelled candles */
    double vol_ratio;          /* mean forward realised vol / trailing vol */
    double up_share;           /* forward return > 0 */
    double mean_ret;           /* mean forward return (fraction) */
    double range;              /* mean forward (max high - min low) / close */
    double median_run;         /* candles per run of the label */
    double up_lo, up_hi;       /* 95 % Wilson interval of up_share, counting each
                                * `horizon` candles as one draw (windows overlap) */
};
/* label[i] in [0, n_labels) or -1 (not labelled); rows[n_labels]. Forward
 * windows are `horizon` candles after i, the trailing window `trail` before. */
int eval_regime_report(const struct candle *c, const int *label, size_t n, int n_labels, int horizon, int trail,
                       struct eval_regime_row *rows);

#endif
