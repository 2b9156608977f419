/* Signals: the per-candle analysis pipeline after the indicators (regime, levels,
 * divergences, confluence, voters), consensus into candidates and signals, the
 * queue (new -> taken / dismissed / expired) and outcome labelling that feeds the
 * voters' hit rates back into their weights. Pure computation: no I/O, no clock;
 * the per-symbol tables are allocated at create and grow (doubling) only when a
 * symbol is added, never on the candle path. */
#ifndef ALPHAPULSE_SIGNAL_H
#define ALPHAPULSE_SIGNAL_H
#include <stdbool.h>
#include <stdint.h>
#include "alphapulse/candle.h"
#include "alphapulse/confluence.h"
#include "alphapulse/divergence.h"
#include "alphapulse/eval.h"
#include "alphapulse/levels.h"
#include "alphapulse/patterns.h"
#include "alphapulse/regime.h"
#include "alphapulse/ta_set.h"
#include "alphapulse/voters.h"

#define SIGNAL_QUEUE_MAX 64        /* signals shown: new or taken */
#define SIGNAL_TRACK_MAX 256       /* signals whose outcome is still open */
#define SIGNAL_EVENTS_MAX 64       /* events one candle can produce */
#define SIGNAL_LOG_MAX 64          /* new and settled signals kept for a reader */

/* A signal's state and outcome; stored by name (record.h:
 * record_signal_state_name, record_signal_outcome_name). */
enum signal_state { SIGNAL_NEW, SIGNAL_TAKEN, SIGNAL_DISMISSED, SIGNAL_EXPIRED, SIGNAL_STALE, SIGNAL_STATE_COUNT };
enum signal_outcome { OUTCOME_OPEN, OUTCOME_TP1, OUTCOME_TP2, OUTCOME_TP3, OUTCOME_TP4,
                      OUTCOME_STOP, OUTCOME_EXPIRY, OUTCOME_COUNT };
/* Why a candidate did not become a signal (REJ_ACCEPTED: it did). */
enum signal_reject {
    REJ_ACCEPTED, REJ_FEW_VOTERS, REJ_CONFIDENCE, REJ_HTF, REJ_NO_STOP, REJ_RR, REJ_DUPLICATE,
    REJ_QUEUE_FULL, REJ_COST, REJ_WARMUP, REJ_PARTIAL, REJ_COUNT
};

const char *signal_reject_name(int r);
/* Where a signal came from: the engine's consensus, an inbound webhook alert, or
 * a collector's engine (a console reading the symbol from the database shows
 * the collector's stored signal: signal_mirror; never stored again). */
enum signal_source { SIGNAL_SOURCE_ENGINE, SIGNAL_SOURCE_WEBHOOK, SIGNAL_SOURCE_COLLECTOR, SIGNAL_SOURCE_COUNT };
const char *signal_source_name(int s);     /* "engine" "webhook" "collector" */
int signal_source_parse(const char *name); /* -1 if unknown */     /* "accepted" "few_voters" "confidence" ... */

struct signal_params {
    struct regime_params regime;
    struct confluence_params confluence;
    double threshold;              /* pooled vote (weighted log-odds) for a candidate (0.85) */
    double min_confidence;         /* calibrated P(1 R before the stop) a signal needs */
    double trigger_min;            /* a trigger vote opens a candidate from this confidence (0.7) */
    int min_voters;                /* agreeing voters needed (3) */
    bool require_htf;              /* direction must agree with the higher timeframes */
    double htf_min;                /* dir x higher-timeframe score >= this (0: not against) */
    double min_rr;                 /* reward/risk to tp2 (2) */
    double atr_stop;               /* ATR stop distance in ATRs (1.5) */
    double struct_min_atr, struct_max_atr;  /* a swing stop is sound within these distances */
    double buffer_atr;             /* stops and capped targets keep this much off a level */
    double tp_r[4];                /* targets in R (1, 2, 3, 4) */
    double tp_frac[4];             /* scale-out: share of the position closed at each target */
    double cost_frac;              /* round-trip cost as a share of the price: fees, slippage and
                                    * half the spread on both sides (the symbol's costs) */
    double max_cost_r;             /* a candidate costing more than this many R is rejected */
    double cal_prior;              /* P(1 R before the stop) before outcomes exist */
    double cal_prior_n;            /* outcomes that prior is worth */
    int warmup;                    /* candles of a series before its voters and regime are warm */
    int expiry_candles;            /* a new signal expires after this many candles (10) */
    int max_per_symbol;            /* open (new or taken) signals of one symbol in the queue; 0: no cap */
    int max_age_candles;           /* a 1m candle this many candles behind the live edge is history (2) */
    double max_chase_r;            /* a new signal goes stale once price is this many R from its entry (0.5) */
    int outcome_candles;           /* outcomes are labelled within this many candles (60) */
    uint32_t timeframes;           /* bit per timeframe: candidates are raised on these (all) */
    uint32_t voters;               /* bit per voter: these vote, the others abstain (all) */
    double prior[VOTER_COUNT];     /* hit-rate priors per voter */
    double prior_n;                /* weight of the prior, in signals (20) */
    double mute;                   /* momentum against a strong trend keeps this share of its edge */
    int level_wing, div_wing, div_gap;
    double level_merge_atr;
};
void signal_params_default(struct signal_params *p);

/* Indicator values kept with a signal. */
struct signal_ind { double rsi, macd_hist, atr, adx, bb_width, volume_ratio, ema20, ema50, ema200; };

struct signal {
    uint64_t id;
    int64_t time;                  /* close time of the candle that made it (ms UTC) */
    int64_t candle_time;           /* open time of that candle */
    int16_t sym, tf;
    int8_t side;                   /* +1 long, -1 short */
    int8_t state, outcome, best_tp;
    int8_t stop_kind;              /* 0 ATR, 1 swing level */
    int8_t trend_alignment;        /* +1 higher timeframes agree, 0 neutral, -1 against */
    bool volume_confirmed;
    int16_t pattern;               /* strongest pattern id or -1 */
    int8_t regime;
    int8_t source;                 /* enum signal_source */
    uint8_t voters;                /* bit v set: voter v agreed */
    float confidence, regime_conf, htf_score;
    double entry, stop, tp[4], rr;
    struct signal_ind ind;
    struct vote votes[VOTER_COUNT];
    int64_t expires;               /* close time of its last candle as a new signal */
    int64_t outcome_time;          /* when the outcome was settled, 0 while open */
    int16_t candles_seen;          /* candles since it was made (outcome window) */
    float pooled;                  /* the pooled vote, the calibrator's input */
    int32_t cal_n;                 /* settled outcomes behind the calibrated confidence */
    float cost_r;                  /* round-trip cost in R */
    float r_gross, r_net;          /* realised R before and after costs, once settled */
    bool hit_1r;                   /* reached 1 R in favour before the stop */
    struct eval_bracket walk;      /* the outcome walk (scale-out, costs) while open */
};

struct hit_rate { uint32_t hits, n; };
double hit_rate_value(const struct hit_rate *h);   /* NAN when n == 0 */

struct signal_stats {
    uint64_t candidates, emitted, rejected[REJ_COUNT];
    uint64_t stale;                /* new signals that went stale before anyone acted */
    uint64_t outcomes[OUTCOME_COUNT], resolved, hits;
};

enum signal_event_kind { SIGEV_NEW, SIGEV_STATE, SIGEV_OUTCOME };
struct signal_event { int kind; struct signal s; };

/* Per symbol x timeframe analysis state. */
struct signal_series {
    struct regime_state regime;
    struct regime_out reg;
    struct levels_state levels;
    struct divergence_state div;
    struct ta_values hist[VOTER_BACK + 1];   /* ring of the last VOTER_BACK + 1 candles' values */
    double close_hist[VOTER_BACK + 1];
    double bwp_hist[VOTER_BACK];
    long n;
};

struct signal_engine {
    int n_symbols;
    int cap_symbols;               /* room in the per-symbol tables below */
    struct signal_params *p;
    struct signal_series (*ser)[TF_COUNT];
    double *confluence;
    struct signal queue[SIGNAL_QUEUE_MAX];
    int nq;
    struct signal track[SIGNAL_TRACK_MAX];
    int nt;
    struct hit_rate (*voter_hr)[TF_COUNT][VOTER_COUNT];
    struct hit_rate (*symtf_hr)[TF_COUNT];
    struct hit_rate pattern_hr[CDL_COUNT];
    struct eval_calibrator (*cal)[TF_COUNT];   /* confidence = P(1 R before the stop) */
    /* every new and every settled signal, in order, for a reader (the backtest)
     * that looks after each candle: n_* counts all, slot n % SIGNAL_LOG_MAX */
    struct signal log_new[SIGNAL_LOG_MAX], log_settled[SIGNAL_LOG_MAX];
    uint64_t n_new, n_settled;
    struct signal_stats stats;
    uint64_t next_id;
    struct signal_event ev[SIGNAL_EVENTS_MAX];   /* what the last call produced */
    int nev;
    uint64_t events_dropped;
    bool analysis_only;                         /* restoring history: analyse, make no signals */
    struct signal last_candidate;               /* the latest candidate, accepted or not */
    int last_reject;
};

/* Allocates the state with room for n_symbols (at least one); every symbol gets
 * `p` (NULL: defaults). NULL when out of memory. */
struct signal_engine *signal_engine_create(int n_symbols, const struct signal_params *p);
void signal_engine_destroy(struct signal_engine *se);
/* A symbol's settings, its series and calibrators started afresh (their old
 * state released). -1 when out of memory for a series' rings: the symbol must
 * not be fed until a call succeeds. */
int  signal_engine_set_params(struct signal_engine *se, int sym, const struct signal_params *p);
/* A symbol added while running (the live feed's new instrument): the next index
 * (the tables double when full), or -1 when out of memory. The caller bounds
 * the count (feed.max_symbols). */
int signal_engine_add_symbol(struct signal_engine *se, const struct signal_params *p);

/* One closed candle of sym x tf with its indicator values and pattern hits: runs
 * the analysis, labels open outcomes, ages the queue, and may make a signal.
 * se->ev[0 .. se->nev) then holds what changed. Returns se->nev. */
int signal_on_candle(struct signal_engine *se, int sym, int tf, const struct candle *c,
                     const struct ta_values *v, const struct cdl_hit *hits, int n_hits);

/* User actions by signal id; 0 on success, -1 if no such new signal. The change
 * is in se->ev afterwards. */
int signal_take(struct signal_engine *se, uint64_t id);
int signal_dismiss(struct signal_engine *se, uint64_t id);

/* An external signal (an inbound webhook alert) for the queue: s holds sym, tf,
 * side, entry and, when given, stop and tp[0]. It gets an id, state new, source
 * webhook and expires after expiry_candles of its timeframe from now. It is not
 * outcome-tracked (its levels are not the engine's, so it never feeds the hit
 * rates); a taken one leaves the queue at its expiry. 0, or -1 when the queue
 * is full or s is out of range. The new signal is in se->ev afterwards. */
int signal_submit(struct signal_engine *se, struct signal *s, int64_t now);

/* A collector's signal as its stored row says now (a console reading the symbol
 * from the database; first: the first row of it read): a new one read first
 * enters the queue with source collector (not outcome-tracked here, like a
 * webhook signal: a taken one leaves at its expiry; never judged stale here,
 * the collector's row says so); one in the queue that the row says expired,
 * went stale or settled leaves it. The console's own take or dismiss stays its
 * own. 0, or -1 when the queue is full. What changed is in se->ev afterwards. */
int signal_mirror(struct signal_engine *se, const struct signal *s, bool first);

/* Restart: a stored signal goes back where it belongs. A settled one (outcome not
 * OUTCOME_OPEN) only adds to the hit rates, so weights survive a restart; an open one
 * returns to outcome tracking and, if still new or taken, to the queue. Ids
 * continue after the highest one seen. */
void signal_restore(struct signal_engine *se, const struct signal *s);

/* The queue ranked by confidence (highest first): writes up to max pointers. */
int signal_ranked(const struct signal_engine *se, const struct signal **out, int max);
double signal_filter_rate(const struct signal_stats *st);    /* rejected / candidates */
double signal_hit_rate(const struct signal_stats *st);       /* hits / resolved, NAN if none */
/* The voter weight consensus uses now: measured hit rate (with the prior) / 0.5. */
double signal_voter_weight(const struct signal_engine *se, int sym, int tf, int voter);

/* Consensus alone, for tests and the bench: pools the votes with the weights, and
 * fills dir, confidence, voters. Returns the number of agreeing voters. */
int consensus_pool(const struct vote votes[VOTER_COUNT], const double weight[VOTER_COUNT],
                   int *dir, double *confidence, uint8_t *agree);

/* Stop and targets for s (side and entry set) from the swing levels and ATR:
 * REJ_ACCEPTED, REJ_NO_STOP, or REJ_RR when tp2 (after every target is capped in
 * front of the nearest opposing level) is under min_rr. */
int signal_place_levels(const struct signal_params *p, const struct levels_state *lv, struct signal *s, double atr);

/* Outcome step alone: one later candle for an open signal; returns true when the
 * outcome was settled (s->outcome, r_gross, r_net, hit_1r set). outcome_start
 * begins the walk from the signal's levels and costs (outcome_track calls it). */
void outcome_start(struct signal *s, const struct signal_params *p);
bool outcome_step(struct signal *s, const struct candle *c, int outcome_candles);
/* The calibrated confidence of a pooled vote for sym x tf, and its sample. */
double signal_calibrated(const struct signal_engine *se, int sym, int tf, double pooled, int *n);

#endif
