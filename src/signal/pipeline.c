/* The per-candle pipeline after the indicators: regime, swing levels, RSI
 * divergence, the symbol's confluence, outcomes of earlier signals, queue
 * expiry, then the voters and consensus. Order matters for look-ahead: outcomes
 * are labelled with this candle before a signal made on it exists, so a signal
 * is only ever judged by candles after it. */
#include "signal_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

const char *signal_reject_name(int r)
{
    static const char *const n[REJ_COUNT] = { "accepted", "few_voters", "confidence", "htf", "no_stop",
                                              "rr", "duplicate", "queue_full", "cost", "warmup", "partial" };
    return r >= 0 && r < REJ_COUNT ? n[r] : "";
}

void signal_params_default(struct signal_params *p)
{
    memset(p, 0, sizeof *p);
    regime_params_default(&p->regime);
    confluence_params_default(&p->confluence);
    p->threshold = 0.85;
    p->trigger_min = 0.7;
    p->min_voters = 3;
    p->require_htf = true;
    p->htf_min = 0.0;
    p->min_rr = 2.0;
    p->atr_stop = 1.5;
    p->struct_min_atr = 0.5;
    p->struct_max_atr = 3.0;
    p->buffer_atr = 0.1;
    const double tp[4] = { 1, 2, 3, 4 };
    memcpy(p->tp_r, tp, sizeof tp);
    const double frac[4] = { 0.25, 0.25, 0.25, 0.25 };
    memcpy(p->tp_frac, frac, sizeof frac);
    p->cost_frac = 2 * (10 + 2) / 1e4;     /* the paper account's default taker fee and slippage */
    p->max_cost_r = 0.2;
    p->min_confidence = 0;
    p->cal_prior = 0.55;         /* 4h and 1d signals on the tuning sets reached 1 R first 57-62 % of the time */
    p->cal_prior_n = 50;
    p->warmup = 200;
    p->expiry_candles = 10;
    p->max_per_symbol = 0;
    p->max_age_candles = 2;
    p->max_chase_r = 0.5;
    p->outcome_candles = 60;
    /* measured (README, Signals): below 4h the default costs eat the edge */
    p->timeframes = (1u << TF_4H) | (1u << TF_1D);
    p->voters = (1u << VOTER_COUNT) - 1;
    /* priors: about a coin flip, trend-following context a little better */
    const double pr[VOTER_COUNT] = { 0.52, 0.55, 0.50, 0.52, 0.50, 0.55, 0.55 };
    memcpy(p->prior, pr, sizeof pr);
    p->prior_n = 20;
    p->mute = 0.3;
    p->level_wing = 3;
    p->level_merge_atr = 0.25;
    p->div_wing = 3;
    p->div_gap = 60;
}

/* The series' previous state (zeroed when new) is replaced and released. False
 * when out of memory for the regime's rings: the previous state stays. */
static bool signal_series_init(struct signal_series *ser, const struct signal_params *p)
{
    struct regime_state fresh;
    if (regime_init(&fresh, &p->regime) != 0)
        return false;
    regime_free(&ser->regime);
    memset(ser, 0, sizeof *ser);
    ser->regime = fresh;
    ser->reg.regime = REGIME_NONE;
    levels_init(&ser->levels, p->level_wing, p->level_merge_atr);
    divergence_init(&ser->div, p->div_wing, p->div_gap);
    return true;
}

/* One per-symbol table grown from `have` to `want` entries of `size`, the new
 * ones zeroed; NULL (the table unchanged) when out of memory. */
static void *grow(void *tab, size_t size, int have, int want)
{
    char *t = realloc(tab, size * (size_t)want);
    if (t)
        memset(t + size * (size_t)have, 0, size * (size_t)(want - have));
    return t;
}

#define GROW(f)                                                     \
    do {                                                            \
        void *t_ = grow(se->f, sizeof se->f[0], have, want);        \
        if (!t_)                                                    \
            return false;                                           \
        se->f = t_;                                                 \
    } while (0)

/* Room for at least n symbols in every per-symbol table (doubling). On failure
 * the tables that grew keep their new size: cap_symbols still fits them all. */
static bool reserve(struct signal_engine *se, int n)
{
    if (n <= se->cap_symbols)
        return true;
    int have = se->cap_symbols, want = have ? have : 1;
    while (want < n)
        want *= 2;
    GROW(p);
    GROW(ser);
    GROW(confluence);
    GROW(voter_hr);
    GROW(symtf_hr);
    GROW(cal);
    se->cap_symbols = want;
    return true;
}

struct signal_engine *signal_engine_create(int n_symbols, const struct signal_params *p)
{
    if (n_symbols < 0)
        return NULL;
    struct signal_engine *se = calloc(1, sizeof *se);
    if (!se)
        return NULL;
    if (!reserve(se, n_symbols > 0 ? n_symbols : 1)) {
        signal_engine_destroy(se);
        return NULL;
    }
    se->n_symbols = n_symbols;
    se->next_id = 1;
    for (int s = 0; s < n_symbols; s++)
        if (signal_engine_set_params(se, s, p) != 0) {
            signal_engine_destroy(se);
            return NULL;
        }
    return se;
}

void signal_engine_destroy(struct signal_engine *se)
{
    if (!se)
        return;
    for (int s = 0; s < se->n_symbols; s++)
        for (int t = 0; t < TF_COUNT; t++) {
            regime_free(&se->ser[s][t].regime);
            eval_calibrator_free(&se->cal[s][t]);
        }
    free(se->p);
    free(se->ser);
    free(se->confluence);
    free(se->voter_hr);
    free(se->symtf_hr);
    free(se->cal);
    free(se);
}

int signal_engine_add_symbol(struct signal_engine *se, const struct signal_params *p)
{
    if (se->n_symbols == INT16_MAX || !reserve(se, se->n_symbols + 1))
        return -1;                /* signals carry their symbol in an int16_t */
    int sym = se->n_symbols++;
    if (signal_engine_set_params(se, sym, p) != 0) {
        for (int t = 0; t < TF_COUNT; t++)        /* the series that got their rings */
            regime_free(&se->ser[sym][t].regime);
        se->n_symbols--;
        return -1;
    }
    return sym;
}

int signal_engine_set_params(struct signal_engine *se, int sym, const struct signal_params *p)
{
    if (sym < 0 || sym >= se->n_symbols)
        return -1;
    if (p)
        se->p[sym] = *p;
    else
        signal_params_default(&se->p[sym]);
    int rc = 0;
    for (int t = 0; t < TF_COUNT; t++) {
        if (!signal_series_init(&se->ser[sym][t], &se->p[sym]))
            rc = -1;
        eval_calibrator_free(&se->cal[sym][t]);
        eval_calibrator_init(&se->cal[sym][t], se->p[sym].cal_prior, se->p[sym].cal_prior_n);
    }
    return rc;
}

double signal_calibrated(const struct signal_engine *se, int sym, int tf, double pooled, int *n)
{
    const struct eval_calibrator *c = &se->cal[sym][tf];
    if (n)
        *n = c->n;
    return eval_calibrator_p(c, pooled);
}

double signal_voter_weight(const struct signal_engine *se, int sym, int tf, int voter)
{
    const struct signal_params *p = &se->p[sym];
    const struct hit_rate *h = &se->voter_hr[sym][tf][voter], *all = &se->symtf_hr[sym][tf];
    /* the voter's rate of 1 R before the stop against every signal's: a voter
     * that agrees with winners more often than the rest earns weight */
    double hr = (h->hits + p->prior[voter] * p->prior_n) / (h->n + p->prior_n);
    double base = (all->hits + 0.5 * p->prior_n) / (all->n + p->prior_n);
    double w = hr / base;
    return w < 0.2 ? 0.2 : w > 2.0 ? 2.0 : w;
}

double signal_filter_rate(const struct signal_stats *st)
{
    return st->candidates ? (double)(st->candidates - st->emitted) / (double)st->candidates : 0;
}

double signal_hit_rate(const struct signal_stats *st)
{
    return st->resolved ? (double)st->hits / (double)st->resolved : NAN;
}

/* Voters a profile turned off abstain, whatever they saw. */
static void abstain_off(const struct signal_params *p, struct vote votes[VOTER_COUNT])
{
    for (int i = 0; i < VOTER_COUNT; i++)
        if (!(p->voters & (1u << i)))
            votes[i] = (struct vote){ .dir = 0, .reason = "off" };
}

int signal_on_candle(struct signal_engine *se, int sym, int tf, const struct candle *c,
                     const struct ta_values *v, const struct cdl_hit *hits, int n_hits)
{
    se->nev = 0;
    if (sym < 0 || sym >= se->n_symbols || tf < 0 || tf >= TF_COUNT)
        return 0;
    struct signal_series *ser = &se->ser[sym][tf];
    const struct signal_params *p = &se->p[sym];
    int64_t now = c->open_time + tf_ms(tf);

    regime_push(&ser->regime, c, v, &ser->reg);
    levels_push(&ser->levels, c, v->atr_14);
    divergence_push(&ser->div, c, v->rsi_14);
    struct regime_out regs[TF_COUNT];
    for (int t = 0; t < TF_COUNT; t++)
        regs[t] = se->ser[sym][t].reg;
    se->confluence[sym] = confluence_score(&p->confluence, regs, 0);

    outcome_on_candle(se, sym, tf, c, now);
    queue_age(se, sym, tf, now);
    if (tf == TF_1M)
        queue_stale(se, sym, c);

    /* history rings: slot n % (BACK + 1) is this candle, the next slot the oldest */
    const int H = VOTER_BACK + 1;
    int slot = (int)(ser->n % H);
    const struct ta_values *prev = ser->n >= 1 ? &ser->hist[(ser->n - 1) % H] : NULL;
    const struct ta_values *back = ser->n >= VOTER_BACK ? &ser->hist[(ser->n - VOTER_BACK) % H] : NULL;
    double close_back = ser->n >= VOTER_BACK ? ser->close_hist[(ser->n - VOTER_BACK) % H] : NAN;
    double prev_close = ser->n >= 1 ? ser->close_hist[(ser->n - 1) % H] : NAN;
    double squeeze = 1;
    for (int k = 0; k < VOTER_BACK && k < ser->n; k++)
        squeeze = fmin(squeeze, ser->bwp_hist[k]);
    struct ta_values prev_copy, back_copy;
    if (prev) {
        prev_copy = *prev;
        prev = &prev_copy;
    }
    if (back) {
        back_copy = *back;
        back = &back_copy;
    }
    ser->hist[slot] = *v;
    ser->close_hist[slot] = c->close;
    ser->bwp_hist[ser->n % VOTER_BACK] = ser->reg.regime == REGIME_NONE ? 1 : ser->reg.bw_pct;
    ser->n++;

    if (se->analysis_only || !(p->timeframes & (1u << tf)))
        return se->nev;
    double phr[CDL_COUNT];
    for (int i = 0; i < CDL_COUNT; i++)
        phr[i] = NAN;
    for (int i = 0; i < n_hits; i++) {
        int id = hits[i].id;
        if (id >= 0 && id < CDL_COUNT && se->pattern_hr[id].n >= 10)
            phr[id] = hit_rate_value(&se->pattern_hr[id]);
    }
    struct voter_input in = {
        .c = c, .v = v, .prev = prev, .back = back, .close_back = close_back, .hits = hits, .n_hits = n_hits,
        .pattern_hit_rate = phr, .regime = &ser->reg, .levels = &ser->levels, .prev_close = prev_close,
        .divergence = divergence_recent(&ser->div, 3), .squeeze_pct = squeeze, .confluence = se->confluence[sym],
    };
    struct vote votes[VOTER_COUNT];
    voters_run(&in, votes);
    abstain_off(p, votes);
    bool trig = false;
    for (int i = 0; i < VOTER_COUNT; i++)
        trig |= votes[i].dir && votes[i].trigger && votes[i].conf >= p->trigger_min;
    if (!trig)
        return se->nev;
    /* a cold series (EMA 200, the regime's windows) or a candle built from part
     * of its window would vote on half the picture */
    if (ser->n < p->warmup || ser->reg.regime == REGIME_NONE || (c->flags & CANDLE_PARTIAL)) {
        se->stats.candidates++;
        se->stats.rejected[(c->flags & CANDLE_PARTIAL) ? REJ_PARTIAL : REJ_WARMUP]++;
        return se->nev;
    }
    struct signal cand;
    int r = consensus_candidate(se, sym, tf, c, v, votes, hits, n_hits, &cand);
    if (r < 0)
        return se->nev;
    se->stats.candidates++;
    if (r == REJ_ACCEPTED) {
        /* a signal: now the reason texts are worth formatting */
        struct vote texts[VOTER_COUNT];
        in.reasons = true;
        voters_run(&in, texts);
        abstain_off(p, texts);
        for (int i = 0; i < VOTER_COUNT; i++) {
            memcpy(cand.votes[i].reason, texts[i].reason, VOTE_REASON);
            if (cand.votes[i].conf != texts[i].conf) {      /* muted by consensus */
                size_t len = strlen(cand.votes[i].reason);
                if (len + 7 < VOTE_REASON)
                    memcpy(cand.votes[i].reason + len, " muted", 7);
            }
        }
        cand.id = se->next_id++;
        cand.state = SIGNAL_NEW;
        cand.outcome = OUTCOME_OPEN;
        if (!queue_add(se, &cand)) {
            r = REJ_QUEUE_FULL;
            se->next_id--;
        }
    }
    se->last_candidate = cand;
    se->last_reject = r;
    se->stats.rejected[r]++;
    if (r != REJ_ACCEPTED)
        return se->nev;
    se->stats.emitted++;
    outcome_start(&cand, p);
    se->log_new[se->n_new++ % SIGNAL_LOG_MAX] = cand;
    outcome_track(se, &cand);
    signal_event_push(se, SIGEV_NEW, &cand);
    return se->nev;
}
