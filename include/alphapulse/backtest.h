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
    const struct strategy *strategy;
    struct engine_config cfg;        /* account, costs, risk limits (symbols are set by the run) */
    const char *input;               /* for the report */
};

struct backtest_point { int64_t t; double equity; };

struct backtest_result {
    struct pf_view *view;            /* final state and metrics */
    struct trade *trades;
    size_t n_trades, cap_trades;
    struct backtest_point *curve;    /* equity at every close of the strategy's timeframe */
    size_t n_curve;
    long candles, commands;
    int64_t first, last;             /* open times of the first and last candle */
    double start_equity;
};

/* Candles must be 1m, ascending. Returns 0, or -1 with err filled. */
int backtest_run(const struct backtest_opts *o, const struct candle *c, size_t n, struct backtest_result *r,
                 char *err, size_t err_len);
void backtest_result_free(struct backtest_result *r);
void backtest_report_text(FILE *f, const struct backtest_opts *o, const struct backtest_result *r);
void backtest_report_json(FILE *f, const struct backtest_opts *o, const struct backtest_result *r);
int backtest_write_trades(const char *path, const struct backtest_result *r, const char *symbol);
int backtest_write_equity(const char *path, const struct backtest_result *r);

#endif
