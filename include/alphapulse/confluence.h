/* Multi-timeframe confluence of one symbol: each timeframe's regime and EMA
 * alignment give a trend score in [-1, 1]; the symbol's score is their weighted
 * mean, weights favouring the higher timeframes. */
#ifndef ALPHAPULSE_CONFLUENCE_H
#define ALPHAPULSE_CONFLUENCE_H
#include "alphapulse/candle.h"
#include "alphapulse/regime.h"

enum confluence_label { CONF_STRONG_SELL = -2, CONF_SELL, CONF_NEUTRAL, CONF_BUY, CONF_STRONG_BUY };

struct confluence_params {
    double tf_weight[TF_COUNT];    /* 1m .. 1d */
    double strong, mild;           /* label thresholds: 0.7 and 0.3 */
};
void confluence_params_default(struct confluence_params *p);

/* One timeframe's trend score in [-1, 1] (0 when its regime is not warm). */
double confluence_tf_score(const struct regime_out *r);
/* Weighted mean over the timeframes from `from_tf` up whose regime is warm; 0 if none. */
double confluence_score(const struct confluence_params *p, const struct regime_out r[TF_COUNT], int from_tf);
int confluence_label(const struct confluence_params *p, double score);
const char *confluence_label_name(int label);     /* "STRONG_BUY" ... "STRONG_SELL" */

#endif
