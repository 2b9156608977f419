/* Confluence: a strong trend counts fully in its direction (scaled by the regime's
 * confidence), a weak trend or a breakout half, ranges and chop not at all; the
 * EMA alignment adds the rest, so a timeframe in a clean trend scores +-1. */
#include "alphapulse/confluence.h"

#include <stddef.h>

void confluence_params_default(struct confluence_params *p)
{
    static const double w[TF_COUNT] = { 1, 1.5, 2, 3, 4, 5 };
    for (int t = 0; t < TF_COUNT; t++)
        p->tf_weight[t] = w[t];
    p->strong = 0.7;
    p->mild = 0.3;
}

double confluence_tf_score(const struct regime_out *r)
{
    if (r->regime == REGIME_NONE)
        return 0;
    double reg = 0;
    switch (r->regime) {
    case REGIME_STRONG_TREND_BULL: reg = 0.6 + 0.4 * r->confidence; break;
    case REGIME_STRONG_TREND_BEAR: reg = -(0.6 + 0.4 * r->confidence); break;
    case REGIME_STRONG_TREND: reg = (0.6 + 0.4 * r->confidence) * r->dir; break;
    case REGIME_WEAK_TREND:
    case REGIME_VOLATILE_BREAKOUT: reg = 0.5 * r->dir; break;
    default: reg = 0; break;
    }
    return 0.7 * reg + 0.3 * r->align;
}

double confluence_score(const struct confluence_params *p, const struct regime_out r[TF_COUNT], int from_tf)
{
    double sum = 0, wsum = 0;
    for (int t = from_tf < 0 ? 0 : from_tf; t < TF_COUNT; t++) {
        if (r[t].regime == REGIME_NONE || p->tf_weight[t] <= 0)
            continue;
        sum += p->tf_weight[t] * confluence_tf_score(&r[t]);
        wsum += p->tf_weight[t];
    }
    return wsum > 0 ? sum / wsum : 0;
}

int confluence_label(const struct confluence_params *p, double s)
{
    if (s > p->strong)
        return CONF_STRONG_BUY;
    if (s > p->mild)
        return CONF_BUY;
    if (s < -p->strong)
        return CONF_STRONG_SELL;
    if (s < -p->mild)
        return CONF_SELL;
    return CONF_NEUTRAL;
}

const char *confluence_label_name(int label)
{
    static const char *const n[] = { "STRONG_SELL", "SELL", "NEUTRAL", "BUY", "STRONG_BUY" };
    return label >= CONF_STRONG_SELL && label <= CONF_STRONG_BUY ? n[label + 2] : "";
}
