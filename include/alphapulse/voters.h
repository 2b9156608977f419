/* Voters: small independent opinions about the candle that just closed. Each
 * reads only what is known at that close and returns a direction, a confidence
 * in [0.5, 1) (0.5 is a coin flip) and a short reason. Consensus (signal.h)
 * weighs them. Trigger voters (patterns, momentum, volatility, volume spikes)
 * open a candidate; the context voters (trend, confluence, regime) only weigh in. */
#ifndef ALPHAPULSE_VOTERS_H
#define ALPHAPULSE_VOTERS_H
#include <stdbool.h>
#include <stdint.h>
#include "alphapulse/candle.h"
#include "alphapulse/levels.h"
#include "alphapulse/patterns.h"
#include "alphapulse/regime.h"
#include "alphapulse/ta_set.h"

enum voter_id {
    VOTER_PATTERN, VOTER_TREND, VOTER_MOMENTUM, VOTER_VOLATILITY, VOTER_VOLUME,
    VOTER_CONFLUENCE, VOTER_REGIME, VOTER_COUNT
};

const char *voter_name(int id);    /* "pattern", "trend", ... */
int voter_parse(const char *name); /* VOTER_* or -1 */

#define VOTE_REASON 36

struct vote {
    int8_t dir;                /* +1 long, -1 short, 0 abstain */
    bool trigger;              /* this vote may open a candidate */
    float conf;                /* [0.5, 1) when dir != 0 */
    char reason[VOTE_REASON];
};

/* Everything a voter may look at, all known at the candle's close. */
struct voter_input {
    const struct candle *c;
    const struct ta_values *v, *prev;  /* this candle's and the previous candle's indicators */
    const struct ta_values *back;      /* VOTER_BACK candles ago, or NULL */
    double close_back;                 /* close VOTER_BACK candles ago (NAN if unknown) */
    const struct cdl_hit *hits;
    int n_hits;
    const double *pattern_hit_rate;    /* [CDL_COUNT] measured hit rate or NAN; may be NULL */
    const struct regime_out *regime;
    const struct levels_state *levels;
    double prev_close;
    int divergence;                    /* RSI divergence confirmed recently: +1 / -1 / 0 */
    double squeeze_pct;                /* lowest bandwidth percentile of the last VOTER_BACK candles */
    double confluence;                 /* the symbol's multi-timeframe score */
    bool reasons;                      /* write the reason texts (formatting costs more than voting) */
};

#define VOTER_BACK 10

void voter_pattern(const struct voter_input *in, struct vote *out);
void voter_trend(const struct voter_input *in, struct vote *out);
void voter_momentum(const struct voter_input *in, struct vote *out);
void voter_volatility(const struct voter_input *in, struct vote *out);
void voter_volume(const struct voter_input *in, struct vote *out);
void voter_confluence(const struct voter_input *in, struct vote *out);
void voter_regime(const struct voter_input *in, struct vote *out);
/* All of them, indexed by enum voter_id. */
void voters_run(const struct voter_input *in, struct vote out[VOTER_COUNT]);

#endif
