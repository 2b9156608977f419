/* engine_step and the per-event pipeline: validate the 1m kline, update the 1m
 * series and the higher timeframes built from it, indicators and patterns, the
 * signal pipeline, then the paper broker. Only closed candles change the series; a
 * forming candle is kept aside and overlaid when a snapshot is taken. Nothing here
 * does I/O or reads a clock. */
#include "engine_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alphapulse/patterns.h"

/* Allocation happens here only: at creation, or when a symbol is added live. */
int engine_reserve(struct engine *e, int n)
{
    if (n <= e->cap_symbols)
        return 0;
    int have = e->cap_symbols, want = have ? have : 1;
    while (want < n)
        want *= 2;
    struct sym_state **ss = realloc(e->sym, sizeof *ss * (size_t)want);
    if (!ss)
        return -1;
    e->sym = ss;
    memset(ss + have, 0, sizeof *ss * (size_t)(want - have));
    uint64_t *ms = realloc(e->sym_money_seq, sizeof *ms * (size_t)want);
    if (!ms)
        return -1;            /* sym grew already: harmless, cap_symbols still fits both */
    e->sym_money_seq = ms;
    memset(ms + have, 0, sizeof *ms * (size_t)(want - have));
    e->cap_symbols = want;
    return 0;
}

int engine_symbol_init(struct engine *e, int s, const struct instrument *inst)
{
    if (!e->sym[s] && !(e->sym[s] = calloc(1, sizeof *e->sym[s])))
        return -1;
    e->sym[s]->inst = *inst;
    if (symtab_put(&e->names, inst->symbol, s) != 0)
        return -1;
    engine_profile_resolve(e->conf, inst->symbol, &e->sym[s]->prof);
    for (int t = 0; t < TF_COUNT; t++) {
        struct tf_state *ts = &e->sym[s]->tf[t];
        size_t held = e->cfg.history > ENGINE_REPLAY_CANDLES ? e->cfg.history : ENGINE_REPLAY_CANDLES;
        ts->nvals = e->cfg.history;
        ts->pushed = 0;
        if (series_init(&ts->closed, held) ||
            !(ts->vals = calloc(e->cfg.history, sizeof *ts->vals)) ||
            !(ts->marks = calloc(e->cfg.history, sizeof *ts->marks)) ||
            ta_set_init_params(&ts->ta, &e->sym[s]->prof.ta) != 0)
            return -1;
        cdl_init(&ts->cdl);
        agg_init(&ts->agg, t);
    }
    return 0;
}

void engine_symbol_free(struct engine *e, int s)
{
    if (!e->sym[s])
        return;
    for (int t = 0; t < TF_COUNT; t++) {
        series_free(&e->sym[s]->tf[t].closed);
        free(e->sym[s]->tf[t].vals);
        free(e->sym[s]->tf[t].marks);
        ta_set_free(&e->sym[s]->tf[t].ta);
    }
    free(e->sym[s]);
    e->sym[s] = NULL;
}

struct engine *engine_create(const struct engine_config *cfg, struct spsc *records)
{
    struct engine *e = calloc(1, sizeof *e);
    if (!e)
        return NULL;
    e->cfg = *cfg;
    e->cfg.inst = NULL;       /* the caller's; the symbols live in e->sym */
    if (e->cfg.max_symbols <= 0)
        e->cfg.max_symbols = ENGINE_MAX_SYMBOLS_DEFAULT;
    symtab_init(&e->names);
    if (e->cfg.history < 16)
        e->cfg.history = 16;
    e->records = records;
    e->now = 0;
    snprintf(e->feed_state, sizeof e->feed_state, "starting");
    if (cfg->file) {
        if (!(e->conf = malloc(sizeof *e->conf))) {
            free(e);
            return NULL;
        }
        *e->conf = *cfg->file;
    }
    e->cfg.file = e->conf;
    if (cfg->n_symbols < 0 || engine_reserve(e, cfg->n_symbols > 0 ? cfg->n_symbols : 1) != 0) {
        e->cfg.n_symbols = 0;
        engine_destroy(e);
        return NULL;
    }
    for (int s = 0; s < cfg->n_symbols; s++)
        if (engine_symbol_init(e, s, &cfg->inst[s])) {
            engine_destroy(e);
            return NULL;
        }
    e->sig = signal_engine_create(cfg->n_symbols, NULL);
    if (!e->sig) {
        engine_destroy(e);
        return NULL;
    }
    engine_paper_init(e);
    for (int s = 0; s < cfg->n_symbols; s++)
        if (signal_engine_set_params(e->sig, s, &e->sym[s]->prof.signal) != 0) {
            engine_destroy(e);
            return NULL;
        }
    return e;
}

void engine_destroy(struct engine *e)
{
    if (!e)
        return;
    free(e->conf);
    for (int s = 0; s < e->cfg.n_symbols; s++)
        engine_symbol_free(e, s);
    signal_engine_destroy(e->sig);
    engine_depth_free(e);
    portfolio_free(&e->pf);
    symtab_free(&e->names);
    free(e->sym);
    free(e->sym_money_seq);
    free(e);
}

int engine_symbol(const struct engine *e, const char *name)
{
    int s = symtab_get(&e->names, name);
    return s < e->cfg.n_symbols ? s : -1;    /* a symbol whose add failed half-way is not one */
}

int engine_symbol_count(const struct engine *e) { return e->cfg.n_symbols; }

const char *engine_symbol_name(const struct engine *e, int sym) { return e->sym[sym]->inst.symbol; }

const struct broker *engine_broker(const struct engine *e) { return &e->pf.broker; }

const struct portfolio *engine_portfolio(const struct engine *e) { return &e->pf; }

const struct instrument *engine_instrument(const struct engine *e, int sym) { return &e->sym[sym]->inst; }

int64_t engine_last_closed(const struct engine *e, int sym, int tf)
{
    const struct candle *c = series_last(&e->sym[sym]->tf[tf].closed);
    return c ? c->open_time : -1;
}

const struct series *engine_series(const struct engine *e, int sym, int tf) { return &e->sym[sym]->tf[tf].closed; }

void engine_set_feed_state(struct engine *e, const char *state)
{
    snprintf(e->feed_state, sizeof e->feed_state, "%s", state);
}

/* The strongest pattern of the candle, for the chart marker. */
static struct snap_mark strongest(const struct cdl_hit *h, int n)
{
    struct snap_mark m = { .id = -1 };
    double best = -1;
    for (int i = 0; i < n; i++)
        if (h[i].strength > best) {
            best = h[i].strength;
            m = (struct snap_mark){ .id = (int16_t)h[i].id, .value = (int16_t)h[i].value,
                                    .strength = (float)h[i].strength,
                                    .volume_confirmed = h[i].volume_confirmed, .trend = (int8_t)h[i].trend };
        }
    m.count = (int16_t)n;
    return m;
}

/* A closed candle enters its series; every indicator and pattern advances by one. */
void engine_close_candle(struct engine *e, int s, int tf, const struct candle *c, bool record)
{
    struct tf_state *ts = &e->sym[s]->tf[tf];
    series_push(&ts->closed, c);
    ts->pushed++;
    size_t slot = engine_last_slot(ts);
    ta_set_push(&ts->ta, c, &ts->vals[slot]);
    struct cdl_hit hits[CDL_COUNT];
    int n = cdl_push_hits(&ts->cdl, c, hits, CDL_COUNT);
    uint64_t use = e->sym[s]->prof.patterns;
    if (~use) {                       /* the profile turned some patterns off */
        int k = 0;
        for (int i = 0; i < n; i++)
            if (use & (1ull << hits[i].id))
                hits[k++] = hits[i];
        n = k;
    }
    ts->marks[slot] = strongest(hits, n);
    /* the signal pipeline hook: regime, levels, confluence, voters, consensus, outcomes */
    e->sig->analysis_only = e->loading || e->history || e->stored;
    signal_on_candle(e->sig, s, tf, c, &ts->vals[slot], hits, n);
    engine_signal_events(e);
    if (record) {
        struct record r = { .type = REC_CANDLE, .time = e->now, .tf = tf, .u.candle = *c };
        memcpy(r.symbol, e->sym[s]->inst.symbol, SYMBOL_MAX);
        engine_emit(e, &r);
    }
}

/* record_1m is false when the 1m candle came from storage: the higher timeframes
 * it completes are still recorded, in case a crash lost them. */
void engine_close_1m(struct engine *e, int s, const struct candle *c, bool record_1m)
{
    engine_close_candle(e, s, TF_1M, c, record_1m);
    for (int tf = TF_1M + 1; tf < TF_COUNT; tf++) {
        struct tf_state *ts = &e->sym[s]->tf[tf];
        const struct candle *last = series_last(&ts->closed);
        if (last && tf_floor(tf, c->open_time) <= last->open_time)
            continue;                 /* bucket already closed (restored history) */
        struct candle done;
        if (agg_push_closed(&ts->agg, c, &done))
            engine_close_candle(e, s, tf, &done, true);
    }
}

static void on_kline(struct engine *e, const struct kline_event *k)
{
    int s = engine_symbol(e, k->symbol);
    if (s < 0 || k->tf != TF_1M || candle_check(&k->c) != CANDLE_OK) {
        e->rejected++;
        return;
    }
    struct sym_state *ss = e->sym[s];
    int64_t last = engine_last_closed(e, s, TF_1M);
    if (k->c.open_time <= last || (ss->has_forming && k->c.open_time < ss->forming.open_time)) {
        /* duplicate or out of order; a stored candle already had from the
         * exchange is not a fault (a console back on a collector's candles
         * reads from where it left them) */
        e->rejected += !k->stored;
        return;
    }
    if (k->event_time > e->now)
        e->now = k->event_time;
    engine_equity_tick(e);
    /* history is analysed but never news: a candle fetched to fill a gap, or
     * one further behind the newest live one than signals.max_age_candles */
    if (!k->history && k->c.open_time > ss->edge)
        ss->edge = k->c.open_time;
    int64_t behind = ss->edge > k->c.open_time ? (ss->edge - k->c.open_time) / tf_ms(TF_1M) : 0;
    if (k->closed) {
        e->history = k->history || behind > ss->prof.signal.max_age_candles;
        e->stored = k->stored;
        engine_close_1m(e, s, &k->c, !k->stored);
        e->history = e->stored = false;
        ss->has_forming = false;
    } else {
        ss->forming = k->c;
        ss->has_forming = true;
        engine_forming_record(e, s, k);
    }
    ss->last = k->c.close;
    ss->last_time = k->c.open_time;
    engine_paper_on_kline(e, s, k);
}

static void on_health(struct engine *e, const struct stream_health *h)
{
    int i = 0;
    while (i < e->n_streams && strcmp(e->streams[i].name, h->name) != 0)
        i++;
    if (i == e->n_streams) {
        if (e->n_streams == SNAP_STREAMS)
            return;
        e->n_streams++;
    }
    e->streams[i] = *h;
}

void engine_step(struct engine *e, const struct engine_event *ev) { engine_step_from(e, ev, 0); }

void engine_step_from(struct engine *e, const struct engine_event *ev, int src)
{
    if (ev->type == EE_FEED_STATE && src >= 0 && src < SNAP_FEEDS)
        snprintf(e->feed_states[src], sizeof e->feed_states[src], "%s", ev->u.state);
    if (ev->type == EE_STORAGE) {
        engine_on_storage(e, &ev->u.storage);
        return;
    }
    if (ev->type != EE_DEPTH && ev->type != EE_TRADE)
        e->events++;    /* a book message comes in a varying number of pieces: not counted */
    if (ev->type == EE_KLINE)
        on_kline(e, &ev->u.k);
    else if (ev->type == EE_COMMAND)
        engine_on_command(e, &ev->u.cmd);
    else if (ev->type == EE_FEED_STATE)
        engine_set_feed_state(e, ev->u.state);
    else if (ev->type == EE_INSTRUMENT)
        engine_on_instrument(e, &ev->u.inst);
    else if (ev->type == EE_FEED_HEALTH)
        on_health(e, &ev->u.health);
    else if (ev->type == EE_TICKER)
        engine_paper_on_ticker(e, &ev->u.tk);
    else if (ev->type == EE_DEPTH)
        engine_on_depth(e, &ev->u.depth);
    else if (ev->type == EE_TRADE)
        engine_on_trade(e, &ev->u.trade);
    else if (ev->type == EE_SIGNAL)
        engine_mirror_signal(e, &ev->u.sig);
}
