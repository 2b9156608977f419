/* The seven voters. Confidences are deliberately modest (about 0.55-0.75): one
 * indicator alone is a weak predictor, and consensus pools them in log-odds, so
 * several agreeing voters are needed to reach the signal threshold. */
#include "alphapulse/voters.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

const char *voter_name(int id)
{
    static const char *const n[VOTER_COUNT] = { "pattern", "trend", "momentum", "volatility",
                                                "volume", "confluence", "regime" };
    return id >= 0 && id < VOTER_COUNT ? n[id] : "";
}

int voter_parse(const char *name)
{
    for (int i = 0; i < VOTER_COUNT; i++)
        if (strcmp(name, voter_name(i)) == 0)
            return i;
    return -1;
}

static void abstain(struct vote *o)
{
    memset(o, 0, sizeof *o);
}

static void say(const struct voter_input *in, struct vote *o, int dir, double conf, bool trigger, const char *reason)
{
    o->dir = (int8_t)dir;
    o->conf = (float)(conf < 0.5 ? 0.5 : conf > 0.95 ? 0.95 : conf);
    o->trigger = trigger;
    if (in->reasons)
        snprintf(o->reason, sizeof o->reason, "%s", reason);
}

/* Strongest pattern, net of opposing ones; volume confirmation and a trend
 * behind it add confidence, the pattern's measured hit rate scales it. */
void voter_pattern(const struct voter_input *in, struct vote *o)
{
    abstain(o);
    double net = 0;
    int best = -1;
    for (int i = 0; i < in->n_hits; i++) {
        const struct cdl_hit *h = &in->hits[i];
        net += (h->value > 0 ? 1 : -1) * h->strength;
        if (best < 0 || h->strength > in->hits[best].strength)
            best = i;
    }
    if (best < 0 || fabs(net) < 0.15)
        return;
    const struct cdl_hit *h = &in->hits[best];
    int dir = net > 0 ? 1 : -1;
    if ((h->value > 0 ? 1 : -1) != dir)
        return;
    double conf = 0.55 + 0.15 * h->strength + (h->volume_confirmed ? 0.06 : 0) + (h->trend != 0 ? 0.03 : 0);
    if (in->pattern_hit_rate && !isnan(in->pattern_hit_rate[h->id])) {
        double k = in->pattern_hit_rate[h->id] / 0.5;
        k = k < 0.5 ? 0.5 : k > 1.5 ? 1.5 : k;
        conf = 0.5 + (conf - 0.5) * k;
    }
    char r[VOTE_REASON] = "";
    if (in->reasons)
        snprintf(r, sizeof r, "%s %s%s", cdl_code(h->id), dir > 0 ? "bull" : "bear", h->volume_confirmed ? " +vol" : "");
    say(in, o, dir, conf, true, r);
}

/* EMA alignment (20/50/200), MACD histogram and a fresh MACD cross. */
void voter_trend(const struct voter_input *in, struct vote *o)
{
    abstain(o);
    const struct ta_values *v = in->v, *p = in->prev;
    int align = in->regime ? in->regime->align : 0;
    int hist = isnan(v->macd_hist) ? 0 : v->macd_hist > 0 ? 1 : v->macd_hist < 0 ? -1 : 0;
    int cross = 0;
    if (p && !isnan(p->macd) && !isnan(v->macd)) {
        double a = p->macd - p->macd_signal, b = v->macd - v->macd_signal;
        cross = a <= 0 && b > 0 ? 1 : a >= 0 && b < 0 ? -1 : 0;
    }
    int dir = align ? align : cross;
    if (!dir)
        return;
    double conf = 0.52 + (align == dir ? 0.08 : 0) + (hist == dir ? 0.04 : 0) + (cross == dir ? 0.06 : 0);
    if (hist == -dir)
        conf -= 0.04;
    char r[VOTE_REASON] = "";
    if (in->reasons)
        snprintf(r, sizeof r, "%s%s%s", align ? (align > 0 ? "EMAs up" : "EMAs down") : "",
             cross ? (cross > 0 ? " MACD x up" : " MACD x dn") : "",
             hist == dir ? " hist" : "");
    say(in, o, dir, conf, false, r[0] == ' ' ? r + 1 : r);
}

/* Mean reversion: RSI leaving an extreme, Stochastic crossing in an extreme,
 * RSI divergence. */
void voter_momentum(const struct voter_input *in, struct vote *o)
{
    abstain(o);
    const struct ta_values *v = in->v, *p = in->prev;
    double up = 0, dn = 0;
    char r[VOTE_REASON] = "";
    if (p && !isnan(v->rsi_14) && !isnan(p->rsi_14)) {
        if (p->rsi_14 < 30 && v->rsi_14 > p->rsi_14) {
            up += 0.08;
            strcat(r, "RSI turn<30 ");
        }
        if (p->rsi_14 > 70 && v->rsi_14 < p->rsi_14) {
            dn += 0.08;
            strcat(r, "RSI turn>70 ");
        }
    }
    if (p && !isnan(v->stoch_k) && !isnan(p->stoch_k)) {
        if (p->stoch_k <= p->stoch_d && v->stoch_k > v->stoch_d && v->stoch_k < 25) {
            up += 0.06;
            strcat(r, "Stoch x<25 ");
        }
        if (p->stoch_k >= p->stoch_d && v->stoch_k < v->stoch_d && v->stoch_k > 75) {
            dn += 0.06;
            strcat(r, "Stoch x>75 ");
        }
    }
    if (in->divergence > 0) {
        up += 0.08;
        strcat(r, "bull div");
    } else if (in->divergence < 0) {
        dn += 0.08;
        strcat(r, "bear div");
    }
    if (up == dn)
        return;
    int dir = up > dn ? 1 : -1;
    say(in, o, dir, 0.55 + fabs(up - dn), true, r);
}

/* Breakouts: a Bollinger squeeze released through a band, ATR expanding with the
 * candle, a close through the nearest swing level. */
void voter_volatility(const struct voter_input *in, struct vote *o)
{
    abstain(o);
    const struct ta_values *v = in->v;
    const struct candle *c = in->c;
    double up = 0, dn = 0;
    char r[VOTE_REASON] = "";
    if (in->squeeze_pct <= 0.2 && !isnan(v->bb_upper)) {
        if (c->close > v->bb_upper) {
            up += 0.08;
            strcat(r, "squeeze up ");
        } else if (c->close < v->bb_lower) {
            dn += 0.08;
            strcat(r, "squeeze dn ");
        }
    }
    if (in->back && !isnan(in->back->atr_14) && in->back->atr_14 > 0 && v->atr_14 / in->back->atr_14 >= 1.3) {
        if (c->close > c->open)
            up += 0.04;
        else if (c->close < c->open)
            dn += 0.04;
        strcat(r, "ATR+ ");
    }
    if (in->levels && !isnan(in->prev_close)) {
        const struct level *res = levels_resistance(in->levels, in->prev_close);
        const struct level *sup = levels_support(in->levels, in->prev_close);
        if (res && c->close > res->price) {
            up += 0.06 + 0.02 * (res->touches > 1);
            strcat(r, "R break");
        } else if (sup && c->close < sup->price) {
            dn += 0.06 + 0.02 * (sup->touches > 1);
            strcat(r, "S break");
        }
    }
    if (up == dn)
        return;
    int dir = up > dn ? 1 : -1;
    say(in, o, dir, 0.55 + fabs(up - dn), true, r);
}

/* A volume spike in the candle's direction (trigger); OBV trending with price. */
void voter_volume(const struct voter_input *in, struct vote *o)
{
    abstain(o);
    const struct ta_values *v = in->v;
    const struct candle *c = in->c;
    int spike = 0, obv = 0;
    if (!isnan(v->volume_ratio) && v->volume_ratio >= 2 && c->close != c->open)
        spike = c->close > c->open ? 1 : -1;
    if (in->back && !isnan(in->close_back)) {
        int po = c->close > in->close_back ? 1 : c->close < in->close_back ? -1 : 0;
        int oo = v->obv > in->back->obv ? 1 : v->obv < in->back->obv ? -1 : 0;
        obv = po == oo ? po : 0;
    }
    int dir = spike ? spike : obv;
    if (!dir)
        return;
    double conf = 0.5 + (spike == dir ? 0.06 + (v->volume_ratio >= 3 ? 0.03 : 0) : 0) + (obv == dir ? 0.04 : 0);
    char r[VOTE_REASON] = "";
    if (in->reasons)
        snprintf(r, sizeof r, "%s%s", spike ? (spike > 0 ? "vol spike up " : "vol spike dn ") : "",
             obv == dir ? "OBV with price" : "");
    say(in, o, dir, conf, spike != 0, r);
}

void voter_confluence(const struct voter_input *in, struct vote *o)
{
    abstain(o);
    double s = in->confluence;
    if (isnan(s) || fabs(s) < 0.15)
        return;
    char r[VOTE_REASON] = "";
    if (in->reasons)
        snprintf(r, sizeof r, "MTF %+.2f", s);
    say(in, o, s > 0 ? 1 : -1, 0.5 + 0.3 * fabs(s), false, r);
}

void voter_regime(const struct voter_input *in, struct vote *o)
{
    abstain(o);
    const struct regime_out *g = in->regime;
    if (!g || g->regime == REGIME_NONE)
        return;
    double k;
    int dir = g->dir;
    switch (g->regime) {
    case REGIME_STRONG_TREND_BULL: case REGIME_STRONG_TREND_BEAR: case REGIME_STRONG_TREND: k = 0.2; break;
    case REGIME_VOLATILE_BREAKOUT: k = 0.12; break;
    case REGIME_WEAK_TREND: k = 0.08; break;
    default: return;                  /* ranges and chop take no side */
    }
    if (!dir)
        return;
    char r[VOTE_REASON] = "";
    if (in->reasons)
        snprintf(r, sizeof r, "%s %.0f%%", regime_short(g->regime), 100 * g->confidence);
    say(in, o, dir, 0.5 + k * (0.5 + 0.5 * g->confidence), false, r);
}

void voters_run(const struct voter_input *in, struct vote out[VOTER_COUNT])
{
    voter_pattern(in, &out[VOTER_PATTERN]);
    voter_trend(in, &out[VOTER_TREND]);
    voter_momentum(in, &out[VOTER_MOMENTUM]);
    voter_volatility(in, &out[VOTER_VOLATILITY]);
    voter_volume(in, &out[VOTER_VOLUME]);
    voter_confluence(in, &out[VOTER_CONFLUENCE]);
    voter_regime(in, &out[VOTER_REGIME]);
}
