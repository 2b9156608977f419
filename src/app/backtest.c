/* `alphapulse backtest`: 1m candles from a CSV file or the database, replayed as
 * closed klines through the engine; a strategy turns closed candles of its
 * timeframe into commands, which enter the engine exactly as key presses do (so
 * sizing, risk checks and fills are the console's). The report contains no
 * timings or paths that vary between runs: two runs are identical byte for byte. */
#include "alphapulse/backtest.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "alphapulse/app.h"
#include "alphapulse/candle_csv.h"
#include "alphapulse/options.h"
#include "alphapulse/config.h"
#include "alphapulse/instrument.h"
#include "alphapulse/sizing.h"
#include "alphapulse/store.h"

#define MIN_MS 60000LL

static const char *const source_names[SRC_COUNT] = { "manual", "strategy", "signal", "webhook" };

/* base/quote from a symbol such as BTCUSDT or ETHBTC; a CSV of an unknown quote
 * is taken as priced in USDT */
static void split_symbol(const char *sym, struct instrument *in)
{
    snprintf(in->symbol, sizeof in->symbol, "%s", sym);
    if (!instrument_split(in->symbol, in))
        snprintf(in->quote, sizeof in->quote, "USDT");
}

static void keep_trades(struct backtest_result *r, const struct portfolio *pf, uint64_t *seen)
{
    for (; *seen < pf->n_trades; ++*seen) {
        if (r->n_trades == r->cap_trades) {
            size_t cap = r->cap_trades ? r->cap_trades * 2 : 1024;
            struct trade *t = realloc(r->trades, cap * sizeof *t);
            if (!t)
                return;
            r->trades = t;
            r->cap_trades = cap;
        }
        r->trades[r->n_trades++] = pf->recent[*seen % PF_TRADES];
    }
}

static bool grow(void **p, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return true;
    size_t c = *cap ? *cap * 2 : 1024;
    while (c < need)
        c *= 2;
    void *q = realloc(*p, c * elem);
    if (!q)
        return false;
    *p = q;
    *cap = c;
    return true;
}

/* A closed candle of a timeframe, with the regime it left behind. */
static void keep_tf_candle(struct backtest_signals *g, int tf, const struct candle *c, const struct regime_out *reg)
{
    size_t n = g->ntf[tf], cap = g->captf[tf];
    if (n == cap) {
        size_t c2 = cap ? cap * 2 : 1024;
        struct candle *a = realloc(g->tfc[tf], c2 * sizeof *a);
        if (a)
            g->tfc[tf] = a;
        int8_t *b = realloc(g->reg[tf], c2), *d = realloc(g->dir[tf], c2);
        if (b)
            g->reg[tf] = b;
        if (d)
            g->dir[tf] = d;
        if (!a || !b || !d)
            return;
        g->captf[tf] = c2;
    }
    g->tfc[tf][n] = *c;
    g->reg[tf][n] = (int8_t)reg->regime;
    g->dir[tf][n] = (int8_t)reg->dir;
    g->ntf[tf]++;
}

/* A new signal becomes a bracket order: market entry (filled at the next
 * candle's open), its stop, its targets with the scale-out, sized so the stop
 * loses risk_per_trade of equity (capped by the position limit, as the ticket
 * does). One position per symbol: a signal arriving while one is open or an
 * entry is working is counted, not taken. */
static void take_signal(struct engine *e, struct backtest_signals *g, const struct signal *s, double risk,
                        double max_position)
{
    const struct portfolio *pf = engine_portfolio(e);
    const struct broker *b = engine_broker(e);
    bool busy = b->pos[0].qty != 0;
    for (int i = 0; i < BROKER_MAX_ORDERS && !busy; i++)
        busy = b->ord[i].active;
    if (busy) {
        g->busy++;
        return;
    }
    double conv = portfolio_conv(pf, 0), eq = portfolio_equity(pf);
    double qty = sizing_risk(eq, risk, s->entry, s->stop, conv);
    double cap = sizing_fraction(eq, max_position * 0.95, s->entry, conv);
    if (qty > cap)
        qty = cap;
    if (!(qty > 0)) {
        g->refused++;
        return;
    }
    struct engine_event ce = { .type = EE_COMMAND };
    struct command *c = &ce.u.cmd;
    *c = (struct command){ .type = CMD_ORDER, .side = s->side, .order_type = ORDER_MARKET, .qty = qty,
                           .stop_loss = s->stop, .source = SRC_SIGNAL };
    for (int k = 0; k < 4; k++) {
        c->tp[k] = s->tp[k];
        c->tp_frac[k] = g->p.tp_frac[k];
    }
    memcpy(c->symbol, engine_symbol_name(e, 0), SYMBOL_MAX);
    uint64_t before = pf->accepted;
    engine_step(e, &ce);
    if (pf->accepted > before)
        g->taken++;
    else
        g->refused++;
}

static void keep_signals(struct engine *e, struct backtest_signals *g, uint64_t *seen_new, uint64_t *seen_done,
                         double risk, double max_position)
{
    const struct signal_engine *se = engine_signals(e);
    for (; *seen_done < se->n_settled; ++*seen_done) {
        const struct signal *s = &se->log_settled[*seen_done % SIGNAL_LOG_MAX];
        if (s->source != SIGNAL_SOURCE_ENGINE || !grow((void **)&g->sig, &g->cap, g->n + 1, sizeof *g->sig))
            continue;
        g->sig[g->n++] = *s;
    }
    for (; *seen_new < se->n_new; ++*seen_new) {
        g->emitted++;
        take_signal(e, g, &se->log_new[*seen_new % SIGNAL_LOG_MAX], risk, max_position);
    }
}

void backtest_signals_free(struct backtest_signals *g)
{
    if (!g)
        return;
    free(g->sig);
    for (int t = 0; t < TF_COUNT; t++) {
        free(g->tfc[t]);
        free(g->reg[t]);
        free(g->dir[t]);
    }
    free(g);
}

int backtest_run(const struct backtest_opts *o, const struct candle *c, size_t n, struct backtest_result *r,
                 char *err, size_t err_len)
{
    memset(r, 0, sizeof *r);
    if (n == 0) {
        snprintf(err, err_len, "no candles in the chosen period");
        return -1;
    }
    for (size_t i = 0; i < n; i++)
        if (c[i].open_time % MIN_MS != 0 || (i && c[i].open_time <= c[i - 1].open_time)) {
            snprintf(err, err_len, "candle %zu (time %lld) is not on a 1m boundary after the previous one: "
                     "backtest input must be ascending 1m candles (--timeframe picks the strategy's timeframe)",
                     i + 1, (long long)c[i].open_time);
            return -1;
        }
    /* gaps happen in real data, but most steps of a 1m file are one minute */
    size_t ones = 0;
    for (size_t i = 1; i < n; i++)
        ones += c[i].open_time - c[i - 1].open_time == MIN_MS;
    if (n > 1 && ones * 2 < n - 1) {
        snprintf(err, err_len, "only %zu of %zu steps between candles are one minute: backtest input must be "
                 "ascending 1m candles (--timeframe picks the strategy's timeframe)", ones, n - 1);
        return -1;
    }
    struct engine_config cfg = o->cfg;
    struct instrument inst = { 0 };
    split_symbol(o->symbol, &inst);
    instrument_rules_from_candles(&inst, c, n);
    snprintf(inst.market, sizeof inst.market, "backtest");
    cfg.n_symbols = 1;
    cfg.inst = &inst;
    cfg.history = 64;
    struct engine *e = engine_create(&cfg, NULL);
    r->view = calloc(1, sizeof *r->view);
    r->curve = malloc(n * sizeof *r->curve);
    void *state = o->strategy ? calloc(1, o->strategy->state_size) : malloc(1);
    if (o->signals)
        r->sig = calloc(1, sizeof *r->sig);
    if (!e || !r->view || !r->curve || !state || (o->signals && !r->sig)) {
        snprintf(err, err_len, "out of memory");
        engine_destroy(e);
        free(state);
        backtest_result_free(r);
        return -1;
    }
    if (o->strategy)
        o->strategy->reset(state);
    const struct portfolio *pf = engine_portfolio(e);
    struct engine_profile prof;
    engine_profile_resolve(cfg.file, inst.symbol, &prof);
    double risk = prof.own_risk ? prof.risk.risk_per_trade : cfg.risk.risk_per_trade;
    double max_position = prof.own_risk ? prof.risk.max_position : cfg.risk.max_position;
    if (r->sig)
        r->sig->p = engine_signals(e)->p[0];
    uint64_t seen_new = 0, seen_done = 0;
    int64_t last_sig_tf[TF_COUNT];
    for (int t = 0; t < TF_COUNT; t++)
        last_sig_tf[t] = -1;
    r->start_equity = cfg.balance;
    r->first = c[0].open_time;
    r->last = c[n - 1].open_time;
    uint64_t seen = 0;
    int64_t last_tf = -1;
    struct engine_event ev = { .type = EE_KLINE };
    memcpy(ev.u.k.symbol, inst.symbol, SYMBOL_MAX);
    ev.u.k.tf = TF_1M;
    ev.u.k.closed = true;
    for (size_t i = 0; i < n; i++) {
        ev.u.k.c = c[i];
        ev.u.k.event_time = c[i].open_time + MIN_MS - 1;    /* the candle's close */
        engine_step(e, &ev);
        r->candles++;
        if (o->signals) {
            const struct signal_engine *se = engine_signals(e);
            for (int t = 0; t < TF_COUNT; t++) {
                int64_t lt = engine_last_closed(e, 0, t);
                if (lt == last_sig_tf[t])
                    continue;
                last_sig_tf[t] = lt;
                struct candle cc;
                if (engine_last_values(e, 0, t, &cc, NULL))
                    keep_tf_candle(r->sig, t, &cc, &se->ser[0][t].reg);
            }
            keep_signals(e, r->sig, &seen_new, &seen_done, risk, max_position);
        }
        int64_t lc = engine_last_closed(e, 0, o->tf);
        if (lc != last_tf) {
            last_tf = lc;
            struct candle cc;
            struct ta_values v;
            engine_last_values(e, 0, o->tf, &cc, &v);
            struct strategy_ctx x = { .symbol = o->symbol, .tf = o->tf, .c = &cc, .v = &v,
                                      .equity = portfolio_equity(pf), .conv = portfolio_conv(pf, 0),
                                      .pos_qty = pf->broker.pos[0].qty, .max_position = cfg.risk.max_position };
            struct order_request reqs[STRATEGY_MAX_CMDS];
            int k = o->strategy ? o->strategy->on_candle(state, &x, reqs) : 0;
            for (int j = 0; j < k; j++) {
                struct engine_event ce = { .type = EE_COMMAND };
                if (!engine_command_of_request(&reqs[j], inst.symbol, &ce.u.cmd))
                    continue;
                engine_step(e, &ce);
                r->commands++;
            }
            r->curve[r->n_curve++] = (struct backtest_point){ ev.u.k.event_time, portfolio_equity(pf) };
        }
        keep_trades(r, pf, &seen);
    }
    portfolio_view(pf, r->view);
    if (r->sig) {
        const struct signal_engine *se = engine_signals(e);
        r->sig->stats = se->stats;
        r->sig->open_at_end = se->nt;
    }
    engine_destroy(e);
    free(state);
    return 0;
}

void backtest_result_free(struct backtest_result *r)
{
    if (r->view)
        pf_view_free(r->view);
    free(r->view);
    free(r->trades);
    free(r->curve);
    backtest_signals_free(r->sig);
    memset(r, 0, sizeof *r);
}

static void iso(char *buf, size_t n, int64_t ms)
{
    time_t t = (time_t)(ms >= 0 ? ms / 1000 : (ms - 999) / 1000);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, n, "%Y-%m-%dT%H:%MZ", &tm);
}

static void duration(char *buf, size_t n, int64_t ms)
{
    int64_t m = ms / MIN_MS;
    if (m >= 1440)
        snprintf(buf, n, "%lldd %02lldh", (long long)(m / 1440), (long long)(m % 1440 / 60));
    else
        snprintf(buf, n, "%lldh %02lldm", (long long)(m / 60), (long long)(m % 60));
}

/* Equity curve in text characters: W columns x H rows, '*' on the curve, '.'
 * below it, the start level marked on the axis. */
static void plot(FILE *f, const struct backtest_result *r)
{
    enum { W = 64, H = 10 };
    if (r->n_curve < 2)
        return;
    double col[W], lo = INFINITY, hi = -INFINITY;
    for (int x = 0; x < W; x++) {
        size_t i = (size_t)((double)x * (double)(r->n_curve - 1) / (W - 1));
        col[x] = r->curve[i].equity;
        lo = fmin(lo, col[x]);
        hi = fmax(hi, col[x]);
    }
    lo = fmin(lo, r->start_equity);
    hi = fmax(hi, r->start_equity);
    if (hi - lo < 1e-9)
        hi = lo + 1;
    fprintf(f, "\nEquity curve\n");
    for (int y = H - 1; y >= 0; y--) {
        double level = lo + (hi - lo) * (y + 0.5) / H;
        char line[W + 1];
        for (int x = 0; x < W; x++) {
            int cy = (int)floor((col[x] - lo) / (hi - lo) * H - 1e-9);
            if (cy < 0)
                cy = 0;
            line[x] = cy == y ? '*' : cy > y ? '.' : ' ';
        }
        line[W] = 0;
        bool start_row = (int)floor((r->start_equity - lo) / (hi - lo) * H - 1e-9) == y ||
                         (y == 0 && r->start_equity <= lo);
        fprintf(f, "%12.2f %c%s\n", y == H - 1 ? hi : y == 0 ? lo : level, start_row ? '>' : '|', line);
    }
    char a[32], b[32];
    iso(a, sizeof a, r->first);
    iso(b, sizeof b, r->last);
    fprintf(f, "%12s  %-*s%s\n", "", W - (int)strlen(b), a, b);
    fprintf(f, "%12s  ('>' marks the starting balance)\n", "");
}

static void metrics_line(FILE *f, const char *name, const struct metrics *m)
{
    char pf[32];
    if (isinf(m->profit_factor))
        snprintf(pf, sizeof pf, "inf");
    else
        snprintf(pf, sizeof pf, "%.2f", m->profit_factor);
    fprintf(f, "  %-10s %6ld %7.1f%% %8s %12.2f %10.2f %10.2f %10.2f\n", name, m->trades, m->win_rate * 100, pf,
            m->net, m->avg_win, m->avg_loss, m->expectancy);
}

void backtest_report_text(FILE *f, const struct backtest_opts *o, const struct backtest_result *r)
{
    const struct pf_view *v = r->view;
    const struct risk_limits *l = &v->limits;
    char a[32], b[32], dd[32];
    iso(a, sizeof a, r->first);
    iso(b, sizeof b, r->last + MIN_MS);
    fprintf(f, "AlphaPulse backtest\n");
    fprintf(f, "  input      %s\n", o->input);
    if (o->strategy) {
        fprintf(f, "  symbol     %s   strategy %s on %s\n", o->symbol, o->strategy->name, tf_name(o->tf));
        fprintf(f, "  rule       %s\n", o->strategy->rule);
    } else {
        fprintf(f, "  symbol     %s   strategy signals (equity marked on %s)\n", o->symbol, tf_name(o->tf));
        fprintf(f, "  rule       every signal the engine emits, as a bracket: market entry at the next candle's "
                   "open, its stop, its targets with the scale-out, risk_per_trade at the stop; one position at a time\n");
    }
    fprintf(f, "  period     %s .. %s   %ld 1m candles\n", a, b, r->candles);
    fprintf(f, "  costs      taker %.2f bps, maker %.2f bps, slippage %.2f bps + %.2f x range\n", v->costs.taker_bps,
            v->costs.maker_bps, v->costs.slip_bps, v->costs.slip_range);
    fprintf(f, "  limits     risk/trade %.2f%%, position %.1f%%, exposure %.1f%%, daily loss %.1f%%, "
               "%d losses -> %lld min pause, drawdown lock %.1f%%\n",
            l->risk_per_trade * 100, l->max_position * 100, l->max_exposure * 100, l->daily_loss * 100,
            l->loss_streak, (long long)(l->cooldown_ms / MIN_MS), l->max_drawdown * 100);
    double end = v->equity;
    fprintf(f, "\nResult\n");
    fprintf(f, "  equity     %.2f -> %.2f %s (%+.2f%%)\n", r->start_equity, end, o->cfg.account_ccy,
            (end / r->start_equity - 1) * 100);
    fprintf(f, "  realised   %.2f (net of fees)   unrealised %.2f   fees %.2f\n", v->total.net,
            end - v->balance, v->total.fees);
    duration(dd, sizeof dd, v->max_dd_ms);
    fprintf(f, "  drawdown   max %.2f%%, longest %s under water\n", v->max_dd * 100, dd);
    char so[64];
    if (isinf(v->sortino))
        snprintf(so, sizeof so, "inf (no losing day)");
    else
        snprintf(so, sizeof so, "%.2f", v->sortino);
    fprintf(f, "  ratios     Sharpe %.2f   Sortino %s   (daily equity returns, x sqrt(365))\n", v->sharpe, so);
    fprintf(f, "  exposure   in a position %.1f%% of the time\n", v->exposure_time * 100);
    fprintf(f, "  orders     %ld commands from the strategy: %llu accepted, %llu refused (risk or rules)\n",
            r->commands, (unsigned long long)v->accepted, (unsigned long long)v->rejected);
    if (v->risk.lock != RISK_UNLOCKED)
        fprintf(f, "  LOCKED     %s since %s\n", v->risk.lock == RISK_LOCK_DRAWDOWN ? "max drawdown" : "kill switch",
                (iso(a, sizeof a, v->risk.locked_at), a));
    fprintf(f, "\nTrades       trades    win%%      PF           net    avg win   avg loss expectancy\n");
    metrics_line(f, "all", &v->total);
    for (int i = 0; i < SRC_COUNT; i++)
        if (v->by_source[i].trades)
            metrics_line(f, source_names[i], &v->by_source[i]);
    plot(f, r);
    if (r->sig)
        backtest_signals_text(f, o, r);
}

static void jnum(FILE *f, const char *k, double x, bool comma)
{
    if (isfinite(x))
        fprintf(f, "  \"%s\": %.10g%s\n", k, x, comma ? "," : "");
    else
        fprintf(f, "  \"%s\": null%s\n", k, comma ? "," : "");
}

static void jmetrics(FILE *f, const char *indent, const struct metrics *m)
{
    fprintf(f, "{\"trades\": %ld, \"wins\": %ld, \"losses\": %ld, \"win_rate\": %.10g, ", m->trades, m->wins,
            m->losses, m->win_rate);
    if (isfinite(m->profit_factor))
        fprintf(f, "\"profit_factor\": %.10g, ", m->profit_factor);
    else
        fprintf(f, "\"profit_factor\": null, ");
    fprintf(f, "\"net\": %.10g, \"avg_win\": %.10g, \"avg_loss\": %.10g, \"expectancy\": %.10g, \"fees\": %.10g}%s",
            m->net, m->avg_win, m->avg_loss, m->expectancy, m->fees, indent);
}

void backtest_report_json(FILE *f, const struct backtest_opts *o, const struct backtest_result *r)
{
    const struct pf_view *v = r->view;
    char a[32], b[32];
    iso(a, sizeof a, r->first);
    iso(b, sizeof b, r->last + MIN_MS);
    fprintf(f, "{\n  \"symbol\": \"%s\",\n  \"strategy\": \"%s\",\n  \"timeframe\": \"%s\",\n", o->symbol,
            o->strategy ? o->strategy->name : "signals", tf_name(o->tf));
    fprintf(f, "  \"from\": \"%s\",\n  \"to\": \"%s\",\n  \"candles\": %ld,\n", a, b, r->candles);
    jnum(f, "start_equity", r->start_equity, true);
    jnum(f, "end_equity", v->equity, true);
    jnum(f, "return", v->equity / r->start_equity - 1, true);
    jnum(f, "balance", v->balance, true);
    jnum(f, "max_drawdown", v->max_dd, true);
    fprintf(f, "  \"max_drawdown_minutes\": %lld,\n", (long long)(v->max_dd_ms / MIN_MS));
    jnum(f, "sharpe", v->sharpe, true);
    jnum(f, "sortino", v->sortino, true);
    if (isinf(v->sortino))
        fprintf(f, "  \"sortino_note\": \"no losing day: the downside deviation is 0\",\n");
    jnum(f, "exposure_time", v->exposure_time, true);
    fprintf(f, "  \"commands\": %ld,\n  \"accepted\": %llu,\n  \"refused\": %llu,\n", r->commands,
            (unsigned long long)v->accepted, (unsigned long long)v->rejected);
    fprintf(f, "  \"locked\": %s,\n", v->risk.lock != RISK_UNLOCKED ? "true" : "false");
    fprintf(f, "  \"metrics\": ");
    jmetrics(f, ",\n", &v->total);
    fprintf(f, "  \"by_source\": {");
    bool first = true;
    for (int i = 0; i < SRC_COUNT; i++)
        if (v->by_source[i].trades) {
            fprintf(f, "%s\"%s\": ", first ? "" : ", ", source_names[i]);
            jmetrics(f, "", &v->by_source[i]);
            first = false;
        }
    fprintf(f, "}");
    if (r->sig)
        backtest_signals_json(f, o, r);
    fprintf(f, "\n}\n");
}

int backtest_write_trades(const char *path, const struct backtest_result *r, const char *symbol)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    fprintf(f, "open_time,close_time,symbol,source,side,qty,entry,exit,pnl,fees\n");
    for (size_t i = 0; i < r->n_trades; i++) {
        const struct trade *t = &r->trades[i];
        fprintf(f, "%lld,%lld,%s,%s,%s,%.10g,%.10g,%.10g,%.10g,%.10g\n", (long long)t->open_time,
                (long long)t->close_time, symbol, t->source >= 0 && t->source < SRC_COUNT ? source_names[t->source] : "?",
                t->side > 0 ? "long" : "short", t->qty, t->entry, t->exit, t->pnl, t->fees);
    }
    return fclose(f);
}

int backtest_write_equity(const char *path, const struct backtest_result *r)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    fprintf(f, "time,equity\n");
    for (size_t i = 0; i < r->n_curve; i++)
        fprintf(f, "%lld,%.10g\n", (long long)r->curve[i].t, r->curve[i].equity);
    return fclose(f);
}

/* ---- command line ---- */

enum { O_INPUT = 256, O_DB, O_SYMBOL, O_TF, O_FROM, O_TO, O_CONFIG, O_REPORT, O_TRADES, O_EQUITY, O_STRATEGY,
       O_SIGNALS, O_DRAWS, O_SEED, O_HELP };

static const struct cli_opt options[] = {
    { "input", "FILE.csv", O_INPUT, "1m candles: CSV time,open,high,low,close,volume" },
    { "db", "PATH", O_DB, "or the database's stored 1m candles of --symbol" },
    { "symbol", "S", O_SYMBOL, "the instrument (default BTCUSDT with --input): its quote currency comes\n"
                               "from it; tick and step are the finest decimals of the prices and volumes" },
    { "timeframe", "T", O_TF, "the strategy's timeframe: 1m 5m 15m 1h 4h 1d (default 1h); with --strategy\n"
                              "signals a list such as 15m,1h,4h: the timeframes that raise signals\n"
                              "(default: the profile's)" },
    { "timeframes", "T,T", O_TF, NULL },
    { "from", "ISO", O_FROM, "UTC, e.g. 2024-12-01 or 2024-12-01T12:00 (inclusive)" },
    { "to", "ISO", O_TO, "UTC (exclusive)" },
    { "config", "FILE", O_CONFIG, "configuration file (JSON): the symbol's profile, costs and risk" },
    { "strategy", "NAME", O_STRATEGY, NULL },   /* listed by usage() with the strategies' names */
    { "report", "text|json", O_REPORT, "the report's format (default text)" },
    { "trades", "FILE.csv", O_TRADES, "every trade as CSV" },
    { "equity", "FILE.csv", O_EQUITY, "the equity curve as CSV" },
    { "signals", "FILE.csv", O_SIGNALS, "with --strategy signals: every settled signal as CSV (votes,\n"
                                        "confidence, levels, outcome, R)" },
    { "draws", "N", O_DRAWS, "random-baseline draws (default 500, at least 1)" },
    { "seed", "N", O_SEED, "the seed of the baseline and the bootstrap (default 1)" },
    { "help", NULL, O_HELP, "this text" },
    { NULL, NULL, 0, NULL },
};

static void usage(FILE *f)
{
    fprintf(f,
        "usage: alphapulse backtest --input FILE.csv | --db PATH --symbol S\n"
        "                           [--timeframe T] [--from ISO] [--to ISO] [--config FILE]\n"
        "                           [--strategy NAME] [--report text|json] [--trades FILE.csv] [--equity FILE.csv]\n"
        "                           [--signals FILE.csv] [--draws N] [--seed N]\n"
        "  --strategy NAME   %s (default), or signals: the signal engine (voters, consensus, queue,\n"
        "                    outcomes as in the console), every signal taken as a bracket; the report\n"
        "                    adds mean R per signal before and after costs, a seeded random baseline,\n"
        "                    breakdowns and calibration\n",
        strategy_names());
    opts_usage(f, options);
}

/* What the command line asked for, before it is resolved into backtest_opts. */
struct bt_args {
    const char *input, *db, *config, *report, *trades, *equity, *strategy, *symbol, *tfs, *signals;
    long draws;
    unsigned long long seed;
    int64_t from, to;
};

/* 0, 1 for --help (printed), or 2 with the message printed */
static int parse_args(int argc, char **argv, struct bt_args *a)
{
    *a = (struct bt_args){ .report = "text", .strategy = "ema_cross", .draws = 500, .seed = 1,
                           .from = INT64_MIN, .to = INT64_MAX };
    struct opts p;
    opts_init(&p, "alphapulse backtest", options);
    int ch;
    const char *optarg;
    while ((ch = opts_next(&p, argc, argv, &optarg)) != OPTS_END) {
        switch (ch) {
        case O_INPUT: a->input = optarg; break;
        case O_DB: a->db = optarg; break;
        case O_SYMBOL: a->symbol = optarg; break;
        case O_TF: a->tfs = optarg; break;
        case O_CONFIG: a->config = optarg; break;
        case O_REPORT: a->report = optarg; break;
        case O_TRADES: a->trades = optarg; break;
        case O_EQUITY: a->equity = optarg; break;
        case O_STRATEGY: a->strategy = optarg; break;
        case O_SIGNALS: a->signals = optarg; break;
        case O_DRAWS:
        case O_SEED: {
            char *end;
            errno = 0;
            unsigned long long v = strtoull(optarg, &end, 10);
            if (errno || end == optarg || *end || (ch == O_DRAWS && (v < 1 || v > 100000))) {
                fprintf(stderr, "alphapulse backtest: --%s %s: expected %s\n", ch == O_DRAWS ? "draws" : "seed", optarg,
                        ch == O_DRAWS ? "a number of draws from 1 to 100000" : "a non-negative integer");
                return 2;
            }
            if (ch == O_DRAWS)
                a->draws = (long)v;
            else
                a->seed = v;
            break;
        }
        case O_FROM:
        case O_TO:
            if (config_parse_time(optarg, ch == O_FROM ? &a->from : &a->to)) {
                fprintf(stderr, "alphapulse backtest: --%s %s: expected a UTC date such as 2024-12-01 or "
                        "2024-12-01T12:00\n", ch == O_FROM ? "from" : "to", optarg);
                return 2;
            }
            break;
        case O_HELP: usage(stdout); return 1;
        default:
            usage(stderr);
            return 2;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "alphapulse backtest: unexpected argument '%s'\n", argv[optind]);
        return 2;
    }
    if (!a->input == !a->db) {
        fprintf(stderr, "alphapulse backtest: give exactly one of --input FILE.csv or --db PATH\n");
        usage(stderr);
        return 2;
    }
    if (a->db && !a->symbol) {
        fprintf(stderr, "alphapulse backtest: --db needs --symbol (e.g. --symbol BTCUSDT)\n");
        return 2;
    }
    if (strcmp(a->report, "json") != 0 && strcmp(a->report, "text") != 0) {
        fprintf(stderr, "alphapulse backtest: --report %s: expected text or json\n", a->report);
        return 2;
    }
    if (a->from != INT64_MIN && a->to != INT64_MAX && a->to <= a->from) {
        fprintf(stderr, "alphapulse backtest: --to must be after --from\n");
        return 2;
    }
    return 0;
}

/* --strategy and --timeframe: the signal pipeline on a set of timeframes, or one
 * classic strategy on one. 0 or 2 with the message printed. */
static int resolve_strategy(const struct bt_args *a, struct backtest_opts *o)
{
    o->signals = strcmp(a->strategy, "signals") == 0;
    if (o->signals) {
        o->tf = TF_1H;
        for (const char *t = a->tfs; t && *t;) {
            size_t len = strcspn(t, ",");
            char one[8];
            snprintf(one, sizeof one, "%.*s", (int)(len < 7 ? len : 7), t);
            int k = tf_parse(one);
            if (k < 0) {
                fprintf(stderr, "alphapulse backtest: --timeframe %s: '%s' is not one of 1m 5m 15m 1h 4h 1d\n",
                        a->tfs, one);
                return 2;
            }
            o->signal_tfs |= 1u << k;
            o->tf = k;                  /* equity marked on the highest one given */
            t += len + (t[len] == ',');
        }
        return 0;
    }
    o->tf = tf_parse(a->tfs ? a->tfs : "1h");
    if (o->tf < 0) {
        fprintf(stderr, "alphapulse backtest: --timeframe %s: expected one of 1m 5m 15m 1h 4h 1d\n", a->tfs);
        return 2;
    }
    o->strategy = strategy_find(a->strategy);
    if (!o->strategy) {
        fprintf(stderr, "alphapulse backtest: --strategy %s: unknown (available: %s, signals)\n", a->strategy,
                strategy_names());
        return 2;
    }
    if (a->signals) {
        fprintf(stderr, "alphapulse backtest: --signals needs --strategy signals\n");
        return 2;
    }
    return 0;
}

/* The engine settings: defaults, then --config (and, for signals, the command
 * line's timeframes over every profile's). 0 or 2 with the messages printed. */
static int load_settings(const struct bt_args *a, struct backtest_opts *o)
{
    engine_config_defaults(&o->cfg);
    if (!a->config && !o->signals)
        return 0;
    static struct config cf;
    static struct config_errors errs;
    char err[1024];
    config_defaults(&cf, &app_config_vocab);
    if (a->config && config_load(&cf, a->config, &errs)) {
        for (int i = 0; i < errs.n; i++)
            fprintf(stderr, "alphapulse backtest: %s\n", errs.msg[i]);
        return 2;
    }
    if (o->signal_tfs) {
        char path[64];
        int bad = config_set(&cf, "signals.timeframes", a->tfs, CFG_SRC_CLI, err, sizeof err);
        for (int i = 0; i < cf.n_profiles && !bad; i++) {
            snprintf(path, sizeof path, "profiles.%s.signals.timeframes", cf.profile_symbol[i]);
            bad = config_set(&cf, path, a->tfs, CFG_SRC_CLI, err, sizeof err);
        }
        if (bad) {
            fprintf(stderr, "alphapulse backtest: --timeframe %s: %s\n", a->tfs, err);
            return 2;
        }
    }
    engine_config_from_file(&cf, &o->cfg);
    return 0;
}

/* --trades, --signals, --equity: 0, or 1 when one could not be written */
static int write_files(const struct bt_args *a, const struct backtest_opts *o, const struct backtest_result *r)
{
    int rc = 0;
    if (a->trades && backtest_write_trades(a->trades, r, o->symbol)) {
        fprintf(stderr, "alphapulse backtest: --trades %s: %s\n", a->trades, strerror(errno));
        rc = 1;
    }
    if (a->signals && backtest_write_signals(a->signals, r, o->symbol)) {
        fprintf(stderr, "alphapulse backtest: --signals %s: %s\n", a->signals, strerror(errno));
        rc = 1;
    }
    if (a->equity && backtest_write_equity(a->equity, r)) {
        fprintf(stderr, "alphapulse backtest: --equity %s: %s\n", a->equity, strerror(errno));
        rc = 1;
    }
    return rc;
}

int app_backtest(int argc, char **argv)
{
    struct bt_args a;
    int rc = parse_args(argc, argv, &a);
    if (rc)
        return rc == 1 ? 0 : rc;
    struct backtest_opts o = { .input = a.input ? a.input : a.db, .draws = (int)a.draws, .seed = a.seed };
    snprintf(o.symbol, sizeof o.symbol, "%s", a.symbol ? a.symbol : "BTCUSDT");
    if (resolve_strategy(&a, &o) || load_settings(&a, &o))
        return 2;
    char err[1024];
    struct candle *c = NULL;
    size_t n = 0;
    if (a.input ? candle_csv_load(a.input, &c, &n, err, sizeof err)
                : store_read_candles(a.db, o.symbol, TF_1M, a.from, a.to, &c, &n, err, sizeof err)) {
        fprintf(stderr, "alphapulse backtest: %s\n", err);
        return 1;
    }
    size_t lo = 0, hi = n;          /* the period, on the CSV's rows too */
    while (lo < n && c[lo].open_time < a.from)
        lo++;
    while (hi > lo && c[hi - 1].open_time >= a.to)
        hi--;
    struct backtest_result r;
    rc = backtest_run(&o, c + lo, hi - lo, &r, err, sizeof err);
    free(c);
    if (rc) {
        fprintf(stderr, "alphapulse backtest: %s: %s\n", o.input, err);
        return 1;
    }
    if (strcmp(a.report, "json") == 0)
        backtest_report_json(stdout, &o, &r);
    else
        backtest_report_text(stdout, &o, &r);
    rc = write_files(&a, &o, &r);
    backtest_result_free(&r);
    return rc;
}
