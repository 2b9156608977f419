/* Rule-based strategies for backtests. "ema_cross" is a deliberately plain,
 * documented rule, not a signal engine: it exists so `backtest` has an order
 * source until the consensus signals land (they will be one more row here).
 *
 * ema_cross: EMA(20) crossing EMA(50) on closed candles of the chosen timeframe.
 * Cross up: close a short, then buy; cross down: close a long, then sell short.
 * Entry at market (the next price), stop-loss 2 x ATR(14) away, targets at 2 and
 * 4 x ATR (half the position each). Size: 1 % of equity at risk at the stop,
 * capped just under the max-position limit, so the risk manager sees orders that
 * respect it; anything it still refuses is counted in the report. */
#include "alphapulse/strategy.h"

#include <math.h>
#include <stddef.h>
#include <string.h>

#include "alphapulse/indicators.h"
#include "alphapulse/sizing.h"

struct ema_cross { struct ema fast, slow; double prev_diff; int n; };

static void ema_cross_reset(void *p)
{
    struct ema_cross *s = p;
    memset(s, 0, sizeof *s);
    ema_init(&s->fast, 20);
    ema_init(&s->slow, 50);
    s->prev_diff = NAN;
}

static int ema_cross_on_candle(void *p, const struct strategy_ctx *x, struct order_request *out)
{
    struct ema_cross *s = p;
    double f = ema_push(&s->fast, x->c->close), sl = ema_push(&s->slow, x->c->close);
    double diff = f - sl, prev = s->prev_diff;
    s->prev_diff = diff;
    double atr = x->v->atr_14, px = x->c->close;
    if (isnan(prev) || isnan(diff) || !(atr > 0) || !(x->conv > 0))
        return 0;
    int side = prev <= 0 && diff > 0 ? 1 : prev >= 0 && diff < 0 ? -1 : 0;
    if (!side)
        return 0;
    int n = 0;
    if (x->pos_qty != 0 && (x->pos_qty > 0) != (side > 0))
        out[n++] = (struct order_request){ .type = REQ_CLOSE, .source = SRC_STRATEGY };
    double stop = px - side * 2 * atr;
    double qty = sizing_risk(x->equity, 0.01, px, stop, x->conv);
    double cap = sizing_fraction(x->equity, x->max_position * 0.95, px, x->conv);
    if (qty > cap)
        qty = cap;
    if (!(qty > 0))
        return n;
    out[n++] = (struct order_request){ .type = REQ_ORDER, .side = side, .order_type = 0, .qty = qty,
                                 .stop_loss = stop, .tp = { px + side * 2 * atr, px + side * 4 * atr },
                                 .tp_frac = { 0.5, 0.5 }, .source = SRC_STRATEGY };
    return n;
}

static const struct strategy strategies[] = {
    { "ema_cross", "EMA(20)/EMA(50) cross; stop 2xATR(14), targets 2x/4xATR; 1% risk capped by max position",
      ema_cross_reset, ema_cross_on_candle, sizeof(struct ema_cross) },
};

const struct strategy *strategy_find(const char *name)
{
    for (size_t i = 0; i < sizeof strategies / sizeof strategies[0]; i++)
        if (strcmp(strategies[i].name, name) == 0)
            return &strategies[i];
    return NULL;
}

const char *strategy_names(void) { return "ema_cross"; }
