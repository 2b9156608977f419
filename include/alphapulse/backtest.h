/* Backtests: stored or CSV 1m candles replayed as closed klines through the same
 * engine as the console (indicators -> strategy -> sizing -> risk -> broker), with
 * no screen, no threads and no clock; the report is a pure function of the input. */
#ifndef ALPHAPULSE_BACKTEST_H
#define ALPHAPULSE_BACKTEST_H
#include <stddef.h>
#include <stdio.h>
#include "alphapulse/engine.h"
#include "alphapulse/strategy.h"

struct backtest_opts {
    char symbol[SYMBOL_MAX];
    int tf;                          /* the strategy's timeframe */
    const struct strategy *strategy; /* NULL with signals */
    bool signals;                    /* --strategy signals: every signal the engine emits, as a bracket */
    uint32_t signal_tfs;             /* timeframes that raise signals (bit per timeframe; 0: the profile's) */
    int draws;                       /* random-baseline draws (500) */
    uint64_t seed;                   /* seed of the baseline and the bootstrap (1) */
    struct engine_config cfg;        /* account, costs, risk limits (symbols are set by the run) */
    const char *input;               /* for the report */
};

struct backtest_point { int64_t t; double equity; };

/* What a signals run keeps for the evaluation: every settled signal, the
 * candles and regimes of every timeframe (for the random baseline and the
 * regime report), and what happened to the signals as orders. */
struct backtest_signals {
    struct signal *sig;              /* settled signals, in the order they settled */
    size_t n, cap;
    long emitted, open_at_end, taken, busy, refused;
    struct signal_stats stats;
    struct signal_params p;          /* the symbol's signal settings in force */
    struct candle *tfc[TF_COUNT];    /* closed candles of each timeframe */
    int8_t *reg[TF_COUNT];           /* the regime label after each of them */
    int8_t *dir[TF_COUNT];           /* its direction (+1 / -1 / 0) */
    size_t ntf[TF_COUNT], captf[TF_COUNT];
};

struct backtest_result {
    struct pf_view *view;            /* final state and metrics */
    struct trade *trades;
    size_t n_trades, cap_trades;
    struct backtest_point *curve;    /* equity at every close of the strategy's timeframe */
    size_t n_curve;
    long candles, commands;
    int64_t first, last;             /* open times of the first and last candle */
    double start_equity;
    struct backtest_signals *sig;    /* signals runs only */
};

/* Candles must be 1m, ascending. Returns 0, or -1 with err filled. */
int backtest_run(const struct backtest_opts *o, const struct candle *c, size_t n, struct backtest_result *r,
                 char *err, size_t err_len);
void backtest_result_free(struct backtest_result *r);
void backtest_report_text(FILE *f, const struct backtest_opts *o, const struct backtest_result *r);
void backtest_report_json(FILE *f, const struct backtest_opts *o, const struct backtest_result *r);
int backtest_write_trades(const char *path, const struct backtest_result *r, const char *symbol);
int backtest_write_equity(const char *path, const struct backtest_result *r);
/* Signals runs: the evaluation (backtest_signals.c) in the text and JSON reports,
 * and every settled signal as CSV with its votes, levels and outcome. */
void backtest_signals_text(FILE *f, const struct backtest_opts *o, const struct backtest_result *r);
void backtest_signals_json(FILE *f, const struct backtest_opts *o, const struct backtest_result *r);
int backtest_write_signals(const char *path, const struct backtest_result *r, const char *symbol);
void backtest_signals_free(struct backtest_signals *s);

#endif
