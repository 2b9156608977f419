/* The signal engine's evaluation in a backtest: per-signal R before and after
 * costs with bootstrap intervals by day, the seeded random baseline and the
 * signals' rank among its draws, breakdowns by timeframe, voter, regime and
 * confidence decile, calibration of the confidence, and what followed each
 * regime label. Computed from the run (eval.h), printed as text or JSON, and
 * the same run after run: every random draw comes from the seed. */
#include "alphapulse/backtest.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "alphapulse/eval.h"
#include "alphapulse/regime_table.h"

#define DAY_MS 86400000LL
#define BOOT_DRAWS 1000
#define REGIME_HORIZON 20
#define REGIME_TRAIL 500

struct group { size_t n; double gross, net, hits; };

struct evaluation {
    size_t n;
    struct eval_ci gross, net;
    double costly;                      /* share with cost > 0.25 R */
    double hit_rate, mean_cost;
    int draws;
    double *base_gross, *base_net;      /* per draw */
    double base_mean_gross, base_mean_net, base_lo, base_hi, p_gross, p_net;
    bool baseline_ok;
    struct group tf[TF_COUNT], voter[VOTER_COUNT], regime[REGIME_COUNT + 1], decile[EVAL_DECILES];
    double dec_lo[EVAL_DECILES], dec_hi[EVAL_DECILES];
    struct eval_calibration cal;
    struct eval_regime_row rows[TF_COUNT][REGIME_ROWS];   /* trends split by direction */
    bool have_regimes[TF_COUNT];
};

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void add(struct group *g, const struct signal *s)
{
    g->n++;
    g->gross += s->r_gross;
    g->net += s->r_net;
    g->hits += s->hit_1r;
}

/* The signals' indexes in time order (settled order is not time order), or NULL */
static size_t *time_order(const struct backtest_signals *g)
{
    size_t n = g->n, *ix = malloc((n ? n : 1) * sizeof *ix);
    if (!ix)
        return NULL;
    for (size_t i = 0; i < n; i++)
        ix[i] = i;
    for (size_t i = 1; i < n; i++) {            /* insertion sort: nearly sorted already */
        size_t v = ix[i], j = i;
        while (j > 0 && (g->sig[ix[j - 1]].time > g->sig[v].time ||
                         (g->sig[ix[j - 1]].time == g->sig[v].time && g->sig[ix[j - 1]].id > g->sig[v].id))) {
            ix[j] = ix[j - 1];
            j--;
        }
        ix[j] = v;
    }
    return ix;
}

/* Confidence deciles: each decile's outcomes and its confidence range. */
static void by_decile(struct evaluation *ev, const struct backtest_signals *g, const size_t *ix, const double *pc,
                      int *dec)
{
    size_t n = g->n;
    eval_deciles(pc, n, dec);
    for (int d = 0; d < EVAL_DECILES; d++)
        ev->dec_lo[d] = ev->dec_hi[d] = NAN;
    for (size_t k = 0; k < n; k++) {
        int d = dec[k];
        add(&ev->decile[d], &g->sig[ix[k]]);
        if (isnan(ev->dec_lo[d]) || pc[k] < ev->dec_lo[d])
            ev->dec_lo[d] = pc[k];
        if (isnan(ev->dec_hi[d]) || pc[k] > ev->dec_hi[d])
            ev->dec_hi[d] = pc[k];
    }
}

/* Random entries with the same geometry on the same candles: their mean R, the
 * signals' rank among them, and the 95 % range of the baseline's mean. */
static void random_baseline(struct evaluation *ev, const struct backtest_opts *o, const struct backtest_signals *g,
                            const struct eval_geom *geo)
{
    struct eval_series ser[TF_COUNT];
    for (int t = 0; t < TF_COUNT; t++) {
        size_t from = (size_t)g->p.warmup;
        ser[t] = (struct eval_series){ g->tfc[t], g->ntf[t], g->ntf[t] > from + 2 ? from : 0 };
    }
    if (eval_random_baseline(ser, geo, g->n, ev->draws, o->seed, ev->base_gross, ev->base_net) != 0)
        return;
    ev->baseline_ok = true;
    double sg = 0, sn = 0;
    for (int d = 0; d < ev->draws; d++) {
        sg += ev->base_gross[d];
        sn += ev->base_net[d];
    }
    ev->base_mean_gross = sg / ev->draws;
    ev->base_mean_net = sn / ev->draws;
    ev->p_gross = eval_rank_p(ev->base_gross, (size_t)ev->draws, ev->gross.mean);
    ev->p_net = eval_rank_p(ev->base_net, (size_t)ev->draws, ev->net.mean);
    double *sorted = malloc((size_t)ev->draws * sizeof *sorted);
    if (sorted) {
        memcpy(sorted, ev->base_net, (size_t)ev->draws * sizeof *sorted);
        qsort(sorted, (size_t)ev->draws, sizeof *sorted, cmp_double);
        ev->base_lo = sorted[(size_t)(0.025 * (ev->draws - 1) + 0.5)];
        ev->base_hi = sorted[(size_t)(0.975 * (ev->draws - 1) + 0.5)];
        free(sorted);
    }
}

/* What each regime label was followed by, per timeframe the run covered. */
static void regime_reports(struct evaluation *ev, const struct backtest_signals *g)
{
    for (int t = 0; t < TF_COUNT; t++) {
        if (!(g->p.timeframes & (1u << t)) || g->ntf[t] < (size_t)(REGIME_TRAIL + REGIME_HORIZON + 1))
            continue;
        int *lab = malloc(g->ntf[t] * sizeof *lab);
        if (!lab)
            continue;
        for (size_t i = 0; i < g->ntf[t]; i++)
            lab[i] = regime_table_row(g->reg[t][i], g->dir[t][i]);
        ev->have_regimes[t] = eval_regime_report(g->tfc[t], lab, g->ntf[t], REGIME_ROWS, REGIME_HORIZON,
                                                 REGIME_TRAIL, ev->rows[t]) == 0;
        free(lab);
    }
}

static void evaluate(const struct backtest_opts *o, const struct backtest_signals *g, struct evaluation *ev)
{
    memset(ev, 0, sizeof *ev);
    size_t n = g->n;
    ev->n = n;
    ev->draws = o->draws > 0 ? o->draws : 500;
    double *gr = malloc((n ? n : 1) * sizeof *gr), *nt = malloc((n ? n : 1) * sizeof *nt);
    double *pc = malloc((n ? n : 1) * sizeof *pc);
    bool *hit = malloc((n ? n : 1) * sizeof *hit);
    int64_t *day = malloc((n ? n : 1) * sizeof *day);
    int *dec = malloc((n ? n : 1) * sizeof *dec);
    struct eval_geom *geo = malloc((n ? n : 1) * sizeof *geo);
    size_t *ix = time_order(g);
    ev->base_gross = malloc((size_t)ev->draws * sizeof *ev->base_gross);
    ev->base_net = malloc((size_t)ev->draws * sizeof *ev->base_net);
    if (!gr || !nt || !pc || !hit || !day || !dec || !geo || !ix || !ev->base_gross || !ev->base_net)
        goto out;
    double costly = 0, hits = 0, cost = 0;
    for (size_t k = 0; k < n; k++) {
        const struct signal *s = &g->sig[ix[k]];
        gr[k] = s->r_gross;
        nt[k] = s->r_net;
        pc[k] = s->confidence;
        hit[k] = s->hit_1r;
        day[k] = s->time / DAY_MS;
        costly += s->cost_r > 0.25;
        hits += s->hit_1r;
        cost += s->cost_r;
        double R = fabs(s->entry - s->stop);
        geo[k] = (struct eval_geom){ .tf = s->tf, .side = s->side, .horizon = g->p.outcome_candles,
                                     .stop_frac = R / s->entry, .cost_r = s->cost_r };
        for (int t = 0; t < EVAL_TP; t++) {
            geo[k].tp_r[t] = s->tp[t] > 0 ? s->side * (s->tp[t] - s->entry) / R : 0;
            geo[k].frac[t] = g->p.tp_frac[t];
        }
        add(&ev->tf[s->tf], s);
        for (int v = 0; v < VOTER_COUNT; v++)
            if (s->voters & (1u << v))
                add(&ev->voter[v], s);
        add(&ev->regime[s->regime >= 0 && s->regime < REGIME_COUNT ? s->regime : REGIME_COUNT], s);
    }
    eval_calibration(pc, hit, nt, n, &ev->cal);
    if (n) {
        ev->costly = costly / (double)n;
        ev->hit_rate = hits / (double)n;
        ev->mean_cost = cost / (double)n;
        eval_bootstrap_mean(gr, day, n, BOOT_DRAWS, o->seed, &ev->gross);
        eval_bootstrap_mean(nt, day, n, BOOT_DRAWS, o->seed, &ev->net);
        by_decile(ev, g, ix, pc, dec);
        random_baseline(ev, o, g, geo);
    }
    regime_reports(ev, g);
out:
    free(ix);
    free(gr);
    free(nt);
    free(pc);
    free(hit);
    free(day);
    free(dec);
    free(geo);
}

static void evaluation_free(struct evaluation *ev)
{
    free(ev->base_gross);
    free(ev->base_net);
}

static double per(double x, size_t n) { return n ? x / (double)n : NAN; }

static void group_line(FILE *f, const char *name, const struct group *g)
{
    fprintf(f, "  %-20s %6zu %+9.3f %+9.3f %7.1f%%\n", name, g->n, per(g->gross, g->n), per(g->net, g->n),
            100 * per(g->hits, g->n));
}

void backtest_signals_text(FILE *f, const struct backtest_opts *o, const struct backtest_result *r)
{
    const struct backtest_signals *g = r->sig;
    struct evaluation ev;
    evaluate(o, g, &ev);
    const struct signal_params *p = &g->p;
    fprintf(f, "\nSignals\n");
    fprintf(f, "  timeframes");
    for (int t = 0; t < TF_COUNT; t++)
        if (p->timeframes & (1u << t))
            fprintf(f, " %s", tf_name(t));
    fprintf(f, "   pooled vote >= %.2f, confidence floor %.2f\n", p->threshold, p->min_confidence);
    fprintf(f, "  costs      %.1f bps round trip (taker fee and slippage, both sides); ", p->cost_frac * 1e4);
    if (p->max_cost_r < 1e8)
        fprintf(f, "gate: at most %.3f R\n", p->max_cost_r);
    else
        fprintf(f, "no cost gate\n");
    fprintf(f, "  emitted    %ld   settled %zu   open at the end %ld\n", g->emitted, g->n, g->open_at_end);
    fprintf(f, "  as orders  %ld taken, %ld while a position was open, %ld refused (sizing or risk)\n", g->taken,
            g->busy, g->refused);
    fprintf(f, "  filter     %llu candidates:", (unsigned long long)g->stats.candidates);
    for (int k = 0; k < REJ_COUNT; k++)
        if (g->stats.rejected[k])
            fprintf(f, " %s %llu", signal_reject_name(k), (unsigned long long)g->stats.rejected[k]);
    fprintf(f, "\n");
    if (!ev.n) {
        fprintf(f, "  no settled signal: nothing to measure\n");
        evaluation_free(&ev);
        return;
    }
    fprintf(f, "\nPer signal (R = distance to the stop; 95%% interval by bootstrap over days, %d draws, seed %llu)\n",
            BOOT_DRAWS, (unsigned long long)o->seed);
    fprintf(f, "  mean R before costs  %+.3f  [%+.3f, %+.3f]\n", ev.gross.mean, ev.gross.lo, ev.gross.hi);
    fprintf(f, "  mean R after costs   %+.3f  [%+.3f, %+.3f]\n", ev.net.mean, ev.net.lo, ev.net.hi);
    fprintf(f, "  mean cost            %.3f R; %.1f%% of signals cost more than 0.25 R\n", ev.mean_cost,
            100 * ev.costly);
    fprintf(f, "  reached 1 R first    %.1f%%\n", 100 * ev.hit_rate);
    if (ev.baseline_ok) {
        fprintf(f, "\nRandom baseline (%d draws, seed %llu: same count, sides, timeframes, stop/target geometry, costs)\n",
                ev.draws, (unsigned long long)o->seed);
        fprintf(f, "  mean R before costs  %+.3f   signals rank p = %.3f\n", ev.base_mean_gross, ev.p_gross);
        fprintf(f, "  mean R after costs   %+.3f  [%+.3f, %+.3f]   signals rank p = %.3f\n", ev.base_mean_net,
                ev.base_lo, ev.base_hi, ev.p_net);
    } else {
        fprintf(f, "\nRandom baseline: not enough candles on a signal timeframe to draw from\n");
    }
    fprintf(f, "\nBreakdown              count   R gross     R net  1R first\n");
    for (int t = 0; t < TF_COUNT; t++)
        if (ev.tf[t].n) {
            char nm[32];
            snprintf(nm, sizeof nm, "timeframe %s", tf_name(t));
            group_line(f, nm, &ev.tf[t]);
        }
    for (int v = 0; v < VOTER_COUNT; v++)
        if (ev.voter[v].n) {
            char nm[32];
            snprintf(nm, sizeof nm, "voter %s", voter_name(v));
            group_line(f, nm, &ev.voter[v]);
        }
    for (int k = 0; k <= REGIME_COUNT; k++)
        if (ev.regime[k].n)
            group_line(f, k < REGIME_COUNT ? regime_name(k) : "(no regime)", &ev.regime[k]);
    fprintf(f, "\nCalibration: confidence = predicted P(1 R before the stop), by decile of confidence\n");
    fprintf(f, "  decile  count   confidence range   predicted  realised   R net\n");
    for (int d = 0; d < EVAL_DECILES; d++) {
        const struct eval_calib_bin *b = &ev.cal.bin[d];
        if (b->n)
            fprintf(f, "  %6d %6zu   %.3f .. %.3f      %.3f     %.3f  %+.3f\n", d + 1, b->n, b->lo, b->hi, b->pred,
                    b->real, b->mean_r);
    }
    fprintf(f, "  Brier %.4f   base rate %.3f (Brier %.4f)   skill %+.4f\n", ev.cal.brier, ev.cal.base_rate,
            ev.cal.brier_base, ev.cal.skill);
    for (int t = 0; t < TF_COUNT; t++) {
        if (!ev.have_regimes[t])
            continue;
        regime_table_print(f, tf_name(t), ev.rows[t], REGIME_HORIZON, REGIME_TRAIL);
    }
    evaluation_free(&ev);
}

static void jd(FILE *f, const char *k, double x, const char *sep)
{
    if (isfinite(x))
        fprintf(f, "\"%s\": %.10g%s", k, x, sep);
    else
        fprintf(f, "\"%s\": null%s", k, sep);
}

static void jgroup(FILE *f, const char *name, const struct group *g, bool last)
{
    fprintf(f, "    \"%s\": {\"count\": %zu, ", name, g->n);
    jd(f, "mean_r_gross", per(g->gross, g->n), ", ");
    jd(f, "mean_r_net", per(g->net, g->n), ", ");
    jd(f, "reached_1r", per(g->hits, g->n), "");
    fprintf(f, "}%s\n", last ? "" : ",");
}

static void jci(FILE *f, const char *k, const struct eval_ci *c)
{
    fprintf(f, "    \"%s\": {", k);
    jd(f, "mean", c->mean, ", ");
    jd(f, "lo", c->lo, ", ");
    jd(f, "hi", c->hi, "");
    fprintf(f, "},\n");
}

void backtest_signals_json(FILE *f, const struct backtest_opts *o, const struct backtest_result *r)
{
    const struct backtest_signals *g = r->sig;
    struct evaluation ev;
    evaluate(o, g, &ev);
    const struct signal_params *p = &g->p;
    fprintf(f, ",\n  \"signals\": {\n    \"timeframes\": [");
    bool first = true;
    for (int t = 0; t < TF_COUNT; t++)
        if (p->timeframes & (1u << t)) {
            fprintf(f, "%s\"%s\"", first ? "" : ", ", tf_name(t));
            first = false;
        }
    fprintf(f, "],\n    ");
    jd(f, "cost_bps_round_trip", p->cost_frac * 1e4, ",\n    ");
    jd(f, "max_cost_r", p->max_cost_r < 1e8 ? p->max_cost_r : NAN, ",\n    ");
    jd(f, "min_confidence", p->min_confidence, ",\n    ");
    fprintf(f, "\"emitted\": %ld,\n    \"settled\": %zu,\n    \"open_at_end\": %ld,\n", g->emitted, g->n,
            g->open_at_end);
    fprintf(f, "    \"taken\": %ld,\n    \"skipped_position_open\": %ld,\n    \"refused\": %ld,\n", g->taken, g->busy,
            g->refused);
    fprintf(f, "    \"candidates\": %llu,\n    \"rejected\": {", (unsigned long long)g->stats.candidates);
    for (int k = 1; k < REJ_COUNT; k++)
        fprintf(f, "%s\"%s\": %llu", k > 1 ? ", " : "", signal_reject_name(k),
                (unsigned long long)g->stats.rejected[k]);
    fprintf(f, "},\n");
    fprintf(f, "    \"bootstrap_draws\": %d,\n    \"seed\": %llu,\n", BOOT_DRAWS, (unsigned long long)o->seed);
    jci(f, "mean_r_gross", &ev.gross);
    jci(f, "mean_r_net", &ev.net);
    fprintf(f, "    ");
    jd(f, "mean_cost_r", ev.n ? ev.mean_cost : NAN, ",\n    ");
    jd(f, "share_cost_over_0_25r", ev.n ? ev.costly : NAN, ",\n    ");
    jd(f, "reached_1r", ev.n ? ev.hit_rate : NAN, ",\n");
    fprintf(f, "    \"random_baseline\": {\"draws\": %d, \"seed\": %llu, ", ev.baseline_ok ? ev.draws : 0,
            (unsigned long long)o->seed);
    jd(f, "mean_r_gross", ev.baseline_ok ? ev.base_mean_gross : NAN, ", ");
    jd(f, "mean_r_net", ev.baseline_ok ? ev.base_mean_net : NAN, ", ");
    jd(f, "net_lo", ev.baseline_ok ? ev.base_lo : NAN, ", ");
    jd(f, "net_hi", ev.baseline_ok ? ev.base_hi : NAN, ", ");
    jd(f, "p_gross", ev.baseline_ok ? ev.p_gross : NAN, ", ");
    jd(f, "p_net", ev.baseline_ok ? ev.p_net : NAN, "");
    fprintf(f, "},\n    \"by_timeframe\": {\n");
    int last = -1;
    for (int t = 0; t < TF_COUNT; t++)
        if (ev.tf[t].n)
            last = t;
    for (int t = 0; t < TF_COUNT; t++)
        if (ev.tf[t].n)
            jgroup(f, tf_name(t), &ev.tf[t], t == last);
    fprintf(f, "    },\n    \"by_voter\": {\n");
    for (int v = 0; v < VOTER_COUNT; v++)
        jgroup(f, voter_name(v), &ev.voter[v], v == VOTER_COUNT - 1);
    fprintf(f, "    },\n    \"by_regime\": {\n");
    for (int k = 0; k <= REGIME_COUNT; k++)
        jgroup(f, k < REGIME_COUNT ? regime_name(k) : "none", &ev.regime[k], k == REGIME_COUNT);
    fprintf(f, "    },\n    \"by_confidence_decile\": [\n");
    for (int d = 0; d < EVAL_DECILES; d++) {
        const struct group *q = &ev.decile[d];
        fprintf(f, "      {\"decile\": %d, \"count\": %zu, ", d + 1, q->n);
        jd(f, "confidence_lo", ev.n ? ev.dec_lo[d] : NAN, ", ");
        jd(f, "confidence_hi", ev.n ? ev.dec_hi[d] : NAN, ", ");
        jd(f, "mean_r_net", per(q->net, q->n), "");
        fprintf(f, "}%s\n", d == EVAL_DECILES - 1 ? "" : ",");
    }
    fprintf(f, "    ],\n    \"calibration\": {\"deciles\": [\n");
    for (int d = 0; d < EVAL_DECILES; d++) {
        const struct eval_calib_bin *b = &ev.cal.bin[d];
        fprintf(f, "      {\"decile\": %d, \"count\": %zu, ", d + 1, b->n);
        jd(f, "predicted", b->pred, ", ");
        jd(f, "realised", b->real, "");
        fprintf(f, "}%s\n", d == EVAL_DECILES - 1 ? "" : ",");
    }
    fprintf(f, "    ], ");
    jd(f, "brier", ev.cal.brier, ", ");
    jd(f, "base_rate", ev.cal.base_rate, ", ");
    jd(f, "brier_base", ev.cal.brier_base, ", ");
    jd(f, "skill", ev.cal.skill, "");
    fprintf(f, "},\n    \"regimes\": {");
    first = true;
    for (int t = 0; t < TF_COUNT; t++) {
        if (!ev.have_regimes[t])
            continue;
        fprintf(f, "%s\n      \"%s\": {", first ? "" : ",", tf_name(t));
        first = false;
        bool f2 = true;
        for (int k = 0; k < REGIME_ROWS; k++) {
            const struct eval_regime_row *w = &ev.rows[t][k];
            if (!regime_table_shown(k))
                continue;
            const char *nm = regime_table_key(k);
            fprintf(f, "%s\n        \"%s\": {\"candles\": %zu, ", f2 ? "" : ",", nm, w->candles);
            f2 = false;
            jd(f, "share", w->share, ", ");
            jd(f, "fwd_vol_ratio", w->vol_ratio, ", ");
            jd(f, "up_share", w->up_share, ", ");
            jd(f, "up_share_lo", w->up_lo, ", ");
            jd(f, "up_share_hi", w->up_hi, ", ");
            jd(f, "mean_move", w->mean_ret, ", ");
            jd(f, "fwd_range", w->range, ", ");
            jd(f, "median_run", w->median_run, "");
            fprintf(f, "}");
        }
        fprintf(f, "\n      }");
    }
    fprintf(f, "%s}\n  }", first ? "" : "\n    ");
    evaluation_free(&ev);
}

int backtest_write_signals(const char *path, const struct backtest_result *r, const char *symbol)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    fprintf(f, "id,time,symbol,timeframe,side,confidence,pooled_vote,calibration_n,entry,stop,tp1,tp2,tp3,tp4,rr,"
               "cost_r,regime,pattern,voters,outcome,best_tp,reached_1r,r_gross,r_net,outcome_time");
    for (int v = 0; v < VOTER_COUNT; v++)
        fprintf(f, ",vote_%s", voter_name(v));
    fprintf(f, "\n");
    const struct backtest_signals *g = r->sig;
    for (size_t i = 0; g && i < g->n; i++) {
        const struct signal *s = &g->sig[i];
        char voters[64] = "";
        for (int v = 0; v < VOTER_COUNT; v++)
            if (s->voters & (1u << v)) {
                size_t l = strlen(voters);
                snprintf(voters + l, sizeof voters - l, "%s%s", l ? "|" : "", voter_name(v));
            }
        static const char *const oc[OUTCOME_COUNT] = { "open", "tp1", "tp2", "tp3", "tp4", "stop", "expiry" };
        fprintf(f, "%llu,%lld,%s,%s,%s,%.6f,%.6f,%d,%.10g,%.10g,%.10g,%.10g,%.10g,%.10g,%.4f,%.4f,%s,%s,%s,%s,%d,%d,"
                   "%.4f,%.4f,%lld",
                (unsigned long long)s->id, (long long)s->time, symbol, tf_name(s->tf), s->side > 0 ? "long" : "short",
                s->confidence, s->pooled, (int)s->cal_n, s->entry, s->stop, s->tp[0], s->tp[1], s->tp[2], s->tp[3],
                s->rr, s->cost_r, s->regime >= 0 ? regime_name(s->regime) : "", s->pattern >= 0 ? cdl_name(s->pattern) : "",
                voters, s->outcome >= 0 && s->outcome < OUTCOME_COUNT ? oc[s->outcome] : "?", s->best_tp, s->hit_1r,
                s->r_gross, s->r_net, (long long)s->outcome_time);
        for (int v = 0; v < VOTER_COUNT; v++)
            fprintf(f, ",%+d:%.3f", s->votes[v].dir, s->votes[v].dir ? s->votes[v].conf : 0.0);
        fprintf(f, "\n");
    }
    return fclose(f);
}
