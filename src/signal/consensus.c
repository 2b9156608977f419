/* Consensus. Votes are pooled in log-odds, each scaled by the voter's weight (how
 * often signals it agreed with reached 1 R before the stop, against how often all
 * signals of this symbol x timeframe did): independent evidence adds up, opposing
 * votes subtract. Momentum (mean reversion) against a strong trend is muted. The
 * candidate's confidence is the calibrated probability of reaching 1 R before
 * the stop given that pooled vote (eval.h's calibrator, fed by settled outcomes).
 * A candidate then needs enough agreeing voters, the pooled-vote threshold and
 * the confidence floor, agreement with the higher timeframes, a sound stop,
 * reward/risk to tp2 of at least min_rr after every target is capped in front
 * of the opposing level, and a round-trip cost of at most max_cost_r; the first
 * failed test is its rejection reason. */
#include "signal_internal.h"

#include <math.h>
#include <string.h>

int consensus_pool(const struct vote votes[VOTER_COUNT], const double weight[VOTER_COUNT],
                   int *dir, double *confidence, uint8_t *agree)
{
    double L = 0;
    for (int i = 0; i < VOTER_COUNT; i++) {
        if (!votes[i].dir)
            continue;
        double c = votes[i].conf < 0.5 ? 0.5 : votes[i].conf > 0.95 ? 0.95 : votes[i].conf;
        L += weight[i] * votes[i].dir * log(c / (1 - c));
    }
    *dir = L > 0 ? 1 : L < 0 ? -1 : 0;
    *confidence = 1 / (1 + exp(-fabs(L)));
    *agree = 0;
    int n = 0;
    for (int i = 0; i < VOTER_COUNT; i++)
        if (*dir && votes[i].dir == *dir) {
            *agree |= (uint8_t)(1u << i);
            n++;
        }
    return n;
}

/* Stop from structure when the nearest swing level on the losing side is at a
 * sound distance, else from ATR; targets at R multiples, but a target beyond the
 * nearest opposing level (at least half a risk unit away) is pulled in front of it. */
int signal_place_levels(const struct signal_params *p, const struct levels_state *lv, struct signal *s, double atr)
{
    if (!(atr > 0))
        return REJ_NO_STOP;
    double e = s->entry;
    int d = s->side;
    s->stop = e - d * p->atr_stop * atr;
    s->stop_kind = 0;
    const struct level *l = d > 0 ? levels_support(lv, e) : levels_resistance(lv, e);
    if (l) {
        double st = l->price - d * p->buffer_atr * atr;
        double dist = d * (e - st);
        if (dist >= p->struct_min_atr * atr && dist <= p->struct_max_atr * atr) {
            s->stop = st;
            s->stop_kind = 1;
        }
    }
    double R = fabs(e - s->stop);
    if (!(R > 0))
        return REJ_NO_STOP;
    /* a level within half a risk unit is the one price is sitting on, not a wall */
    double from = e + d * 0.5 * R;
    const struct level *wall = d > 0 ? levels_resistance(lv, from) : levels_support(lv, from);
    double cap = wall ? wall->price - d * p->buffer_atr * atr : NAN;
    /* every target beyond the wall waits in front of it: price has to break the
     * level to go further, and a target behind it is a promise the chart denies */
    for (int k = 0; k < 4; k++) {
        double tp = e + d * R * p->tp_r[k];
        if (!isnan(cap) && d * (cap - e) > 0 && d * (tp - cap) > 0)
            tp = cap;
        if (k > 0 && d * (tp - s->tp[k - 1]) < 0)
            tp = s->tp[k - 1];
        s->tp[k] = tp;
    }
    s->rr = fabs(s->tp[1] - e) / R;
    return s->rr + 1e-12 >= p->min_rr ? REJ_ACCEPTED : REJ_RR;
}

int consensus_candidate(struct signal_engine *se, int sym, int tf, const struct candle *c,
                        const struct ta_values *v, const struct vote votes_in[VOTER_COUNT],
                        const struct cdl_hit *hits, int n_hits, struct signal *s)
{
    const struct signal_params *p = &se->p[sym];
    const struct signal_series *ser = &se->ser[sym][tf];
    bool trig = false;
    for (int i = 0; i < VOTER_COUNT; i++)
        trig |= votes_in[i].dir && votes_in[i].trigger && votes_in[i].conf >= p->trigger_min;
    if (!trig)
        return -1;
    memset(s, 0, sizeof *s);
    memcpy(s->votes, votes_in, sizeof s->votes);
    const struct regime_out *g = &ser->reg;
    struct vote *m = &s->votes[VOTER_MOMENTUM];
    if (m->dir && ((g->regime == REGIME_STRONG_TREND_BULL && m->dir < 0) ||
                   (g->regime == REGIME_STRONG_TREND_BEAR && m->dir > 0) ||
                   (g->regime == REGIME_STRONG_TREND && g->dir * m->dir < 0))) {
        m->conf = (float)(0.5 + (m->conf - 0.5) * p->mute);
    }
    double w[VOTER_COUNT];
    for (int i = 0; i < VOTER_COUNT; i++)
        w[i] = signal_voter_weight(se, sym, tf, i);
    int dir;
    double conf;
    int agree = consensus_pool(s->votes, w, &dir, &conf, &s->voters);
    s->sym = (int16_t)sym;
    s->tf = (int16_t)tf;
    s->side = (int8_t)dir;
    s->pooled = (float)conf;
    int cal_n = 0;
    double prob = signal_calibrated(se, sym, tf, conf, &cal_n);
    s->confidence = (float)prob;
    s->cal_n = cal_n;
    s->candle_time = c->open_time;
    s->time = c->open_time + tf_ms(tf);
    s->entry = c->close;
    s->pattern = -1;
    double best = -1;
    for (int i = 0; i < n_hits; i++)
        if ((hits[i].value > 0 ? 1 : -1) == dir && hits[i].strength > best) {
            best = hits[i].strength;
            s->pattern = (int16_t)hits[i].id;
            s->volume_confirmed = hits[i].volume_confirmed;
        }
    if (!isnan(v->volume_ratio) && v->volume_ratio >= 1.5)
        s->volume_confirmed = true;
    s->regime = (int8_t)g->regime;
    s->regime_conf = (float)g->confidence;
    s->ind = (struct signal_ind){ v->rsi_14, v->macd_hist, v->atr_14, v->adx_14, v->bb_width,
                                  v->volume_ratio, v->ema_20, g->ema50, g->ema200 };
    /* the higher timeframes' view; the top timeframe asks itself */
    struct regime_out regs[TF_COUNT];
    for (int t = 0; t < TF_COUNT; t++)
        regs[t] = se->ser[sym][t].reg;
    int from = tf + 1;
    bool any = false;
    for (int t = from; t < TF_COUNT; t++)
        any |= regs[t].regime != REGIME_NONE;
    double htf = confluence_score(&p->confluence, regs, any ? from : tf);
    s->htf_score = (float)htf;
    s->trend_alignment = (int8_t)(dir * htf > 0.1 ? 1 : dir * htf < -0.1 ? -1 : 0);
    s->expires = s->time + (int64_t)p->expiry_candles * tf_ms(tf);
    if (!dir || agree < p->min_voters)
        return REJ_FEW_VOTERS;
    if (conf + 1e-12 < p->threshold || prob + 1e-12 < p->min_confidence)
        return REJ_CONFIDENCE;
    if (p->require_htf && dir * htf < p->htf_min)
        return REJ_HTF;
    int r = signal_place_levels(p, &ser->levels, s, v->atr_14);
    if (r != REJ_ACCEPTED)
        return r;
    s->cost_r = (float)eval_cost_r(p->cost_frac, s->entry, s->stop);
    if (s->cost_r > p->max_cost_r + 1e-12)
        return REJ_COST;
    if (queue_has(se, sym, tf, dir))
        return REJ_DUPLICATE;
    return REJ_ACCEPTED;
}
