/* The engine's signals over the bundled demo data. No look-ahead: runs truncated
 * after event t must emit exactly the signals (every field) and hold exactly the
 * regimes that the full run had at t. Commands take and dismiss signals and are
 * journalled; the snapshot carries regimes, the ranked queue and the counters. */
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>

#include "engine_driver.h"
#include "harness.h"
#include "alphapulse/config.h"
#include "alphapulse/engine.h"
#include "alphapulse/kline_json.h"
#include "alphapulse/record.h"
#include "alphapulse/replay.h"

#define EVENTS 45000
#define CUTS 6

struct made { long at; char text[640]; };
struct run {
    struct made *m;
    int n, cap;
    struct regime_out reg[CUTS][INSTRUMENTS_MAX][TF_COUNT];
};

static void describe(const struct record *r, char *buf, size_t len)
{
    const struct record_signal *g = &r->u.signal;
    const double *in = g->indicators;
    snprintf(buf, len, "%s %d %lld %llu t=%lld side=%d st=%d out=%d sk=%d ta=%d rg=%s v=%u pat=%s vc=%d "
             "c=%a rc=%a h=%a e=%a s=%a tp=%a,%a,%a,%a rr=%a i=%a,%a,%a,%a,%a,%a,%a,%a,%a x=%lld",
             r->symbol, r->tf, (long long)r->time, (unsigned long long)g->id, (long long)g->candle_time, g->side,
             g->state, g->outcome, g->stop_kind, g->trend_alignment, g->regime, g->voters, g->pattern,
             g->volume_confirmed, g->confidence, g->regime_confidence, g->htf_score, g->entry,
             g->stop, g->tp[0], g->tp[1], g->tp[2], g->tp[3], g->reward_risk, in[SIND_RSI], in[SIND_MACD_HIST],
             in[SIND_ATR], in[SIND_ADX], in[SIND_BB_WIDTH], in[SIND_VOLUME_RATIO], in[SIND_EMA20], in[SIND_EMA50],
             in[SIND_EMA200], (long long)g->expiry);
}

/* Runs the first `limit` events; records new signals; at the cut points (full
 * run only) keeps a copy of every regime. */

static void run_engine(long limit, struct run *out, const long *cuts)
{
    char err[256];
    struct replay *rp = replay_open("data/demo.json", err, sizeof err);
    if (!rp) {
        printf("# %s\n", err);
        return;
    }
    struct engine_config cfg;
    struct instrument inst[INSTRUMENTS_MAX] = { 0 };
    engine_config_defaults(&cfg);
    cfg.inst = inst;
    cfg.file = driver_all_timeframes();
    cfg.n_symbols = replay_symbols(rp, inst, INSTRUMENTS_MAX);
    struct spsc q;
    spsc_init(&q, sizeof(struct record), 1 << 12);
    struct engine *e = engine_create(&cfg, &q);
    char msg[1024], why[128];
    int round_end, cut = 0;
    long n = 0, len;
    while (n < limit && (len = replay_next(rp, msg, sizeof msg, &round_end)) > 0) {
        struct engine_event ev = { .type = EE_KLINE };
        if (kline_json_parse(msg, (size_t)len, &ev.u.k, why, sizeof why) == KLINE_JSON_OK)
            engine_step(e, &ev);
        n++;
        struct record r;
        while (spsc_pop(&q, &r)) {
            if (r.type != REC_SIGNAL || r.u.signal.state != SIGNAL_NEW || r.u.signal.outcome != OUTCOME_OPEN)
                continue;
            if (out->n == out->cap)
                out->m = realloc(out->m, sizeof *out->m * (size_t)(out->cap = out->cap * 2 + 64));
            out->m[out->n].at = n;
            describe(&r, out->m[out->n].text, sizeof out->m[out->n].text);
            out->n++;
        }
        if (cuts && cut < CUTS && n == cuts[cut]) {
            const struct signal_engine *se = engine_signals(e);
            for (int s = 0; s < cfg.n_symbols; s++)
                for (int t = 0; t < TF_COUNT; t++)
                    out->reg[cut][s][t] = se->ser[s][t].reg;
            cut++;
        }
    }
    engine_destroy(e);
    spsc_free(&q);
    replay_close(rp);
}

static void truncation_changes_nothing_before_t(void)
{
    long cuts[CUTS];
    for (int k = 0; k < CUTS; k++)
        cuts[k] = EVENTS * (k + 1) / (CUTS + 1) + 17 * k;
    static struct run full, part;
    run_engine(EVENTS, &full, cuts);
    printf("# full run: %d signals in %d events\n", full.n, EVENTS);
    CHECK(full.n >= 20);
    int mismatched = 0, regime_diff = 0;
    for (int k = 0; k < CUTS; k++) {
        memset(part.reg, 0, sizeof part.reg);
        part.n = 0;
        run_engine(cuts[k], &part, NULL);
        int want = 0;
        while (want < full.n && full.m[want].at <= cuts[k])
            want++;
        CHECK_MSG(part.n == want, "cut at %ld: %d signals, the full run had %d by then", cuts[k], part.n, want);
        for (int i = 0; i < part.n && i < want; i++)
            if (strcmp(part.m[i].text, full.m[i].text) != 0 && mismatched++ < 3)
                printf("#   cut %ld signal %d:\n#     %s\n#     %s\n", cuts[k], i, part.m[i].text, full.m[i].text);
        /* regimes at the cut: rerun to the cut and compare with the full run's copy */
        static struct run again;
        again.n = 0;
        long one[CUTS];
        for (int j = 0; j < CUTS; j++)
            one[j] = j == 0 ? cuts[k] : -1;
        if (k % 2 == 0) {                 /* every other cut, to keep the test quick */
            run_engine(cuts[k], &again, one);
            for (int s = 0; s < INSTRUMENTS_MAX; s++)
                for (int t = 0; t < TF_COUNT; t++) {
                    const struct regime_out *a = &again.reg[0][s][t], *b = &full.reg[k][s][t];
                    regime_diff += a->regime != b->regime || a->age != b->age || a->confidence != b->confidence ||
                                   a->drift_t != b->drift_t;
                }
        }
        printf("# cut after event %ld: %d signals identical to the full run's\n", cuts[k], part.n);
    }
    free(part.m);
    CHECK(mismatched == 0);
    CHECK(regime_diff == 0);
    free(full.m);
}

/* Take, dismiss, unknown ids; the snapshot's regime panel data and counters. */
static void commands_and_snapshot(void)
{
    char err[256];
    struct replay *rp = replay_open("data/demo.json", err, sizeof err);
    struct engine_config cfg;
    struct instrument inst[INSTRUMENTS_MAX] = { 0 };
    engine_config_defaults(&cfg);
    cfg.inst = inst;
    cfg.file = driver_all_timeframes();
    cfg.n_symbols = replay_symbols(rp, inst, INSTRUMENTS_MAX);
    struct spsc q;
    spsc_init(&q, sizeof(struct record), 1 << 14);
    struct engine *e = engine_create(&cfg, &q);
    /* every new signal raises a signal alert carrying its confidence */
    struct spsc alerts;
    spsc_init(&alerts, sizeof(struct alert_event), 1 << 12);
    engine_set_alerts(e, &alerts);
    int made = 0, alerted = 0, alert_conf_ok = 0;
    char msg[1024], why[128];
    int round_end;
    long len, n = 0;
    uint64_t first = 0, second = 0;
    int taken = 0, dismissed = 0, journal_take = 0, refused = 0;
    while ((len = replay_next(rp, msg, sizeof msg, &round_end)) > 0 && n++ < 30000) {
        struct engine_event ev = { .type = EE_KLINE };
        if (kline_json_parse(msg, (size_t)len, &ev.u.k, why, sizeof why) == KLINE_JSON_OK)
            engine_step(e, &ev);
        struct record r;
        double made_conf[64];
        int nmade = 0;
        while (spsc_pop(&q, &r)) {
            if (r.type == REC_SIGNAL && r.u.signal.state == SIGNAL_NEW && r.u.signal.outcome == OUTCOME_OPEN) {
                if (nmade < 64)
                    made_conf[nmade++] = r.u.signal.confidence;
                made++;
                struct engine_event c = { .type = EE_COMMAND };
                if (!first) {
                    first = r.u.signal.id;
                    c.u.cmd = (struct command){ .type = CMD_SIGNAL_TAKE, .signal_id = first };
                    engine_step(e, &c);
                } else if (!second) {
                    second = r.u.signal.id;
                    c.u.cmd = (struct command){ .type = CMD_SIGNAL_DISMISS, .signal_id = second };
                    engine_step(e, &c);
                    c.u.cmd.signal_id = 999999;            /* no such signal */
                    engine_step(e, &c);
                }
            } else if (r.type == REC_SIGNAL) {
                taken += r.u.signal.id == first && r.u.signal.state == SIGNAL_TAKEN;
                dismissed += r.u.signal.id == second && r.u.signal.state == SIGNAL_DISMISSED && r.u.signal.outcome == OUTCOME_OPEN;
            } else if (r.type == REC_JOURNAL) {
                journal_take += strstr(r.u.text.text, "taken: ") != NULL;
                refused += strstr(r.u.text.text, "no new signal #999999 to dismiss") != NULL;
            }
        }
        struct alert_event a;
        for (int k = 0; spsc_pop(&alerts, &a);)
            if (a.kind == ALERT_SIGNAL) {
                alerted++;
                alert_conf_ok += k < nmade && a.confidence == made_conf[k];
                k++;
            }
    }
    CHECK(first && second);
    CHECK_MSG(made > 0 && alerted == made && alert_conf_ok == made, "%d signals, %d alerts, %d matching", made,
              alerted, alert_conf_ok);
    CHECK_MSG(taken >= 1 && dismissed == 1 && journal_take == 1 && refused == 1, "taken %d dismissed %d journal %d refused %d", taken, dismissed, journal_take, refused);
    struct snapshot *s = calloc(1, sizeof *s);
    engine_snapshot(e, 0, TF_1M, s);
    int warm = 0;
    for (int t = 0; t < TF_COUNT; t++)
        warm += s->regime[t].regime != REGIME_NONE;
    CHECK(warm >= 3);                             /* 1m, 5m, 15m at least */
    CHECK(s->regime[TF_1M].age >= 1 && s->regime[TF_1M].confidence >= 0 && s->regime[TF_1M].confidence <= 1);
    CHECK(s->confluence >= -1 && s->confluence <= 1);
    CHECK(s->sig.candidates >= s->sig.emitted && s->sig.emitted >= 2);
    CHECK(s->sig.filter_rate > 0 && s->sig.filter_rate < 1);
    for (int i = 1; i < s->n_signals; i++)
        CHECK(s->signals[i - 1].confidence >= s->signals[i].confidence);
    printf("# snapshot: %d queued, %llu candidates, %llu emitted, filter rate %.1f %%, hit rate %.1f %%\n",
           s->n_signals, (unsigned long long)s->sig.candidates, (unsigned long long)s->sig.emitted,
           100 * s->sig.filter_rate, 100 * s->sig.hit_rate);
    snapshot_free(s);
    engine_destroy(e);
    spsc_free(&q);
    spsc_free(&alerts);
    replay_close(rp);
}

int main(void)
{
    RUN(truncation_changes_nothing_before_t);
    RUN(commands_and_snapshot);
    HARNESS_EXIT();
}
