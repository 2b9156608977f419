/* The regime report as a table: its rows (each regime, trends split by the
 * drift's sign) and its text, shared by `analyze --regime-report` and
 * `backtest --strategy signals` so the two print the same report. */
#ifndef ALPHAPULSE_REGIME_TABLE_H
#define ALPHAPULSE_REGIME_TABLE_H
#include <stdbool.h>
#include <stdio.h>

#include "alphapulse/eval.h"
#include "alphapulse/regime.h"

/* rows: REGIME_* (the undirected trend rows stay empty), then WEAK_TREND and
 * STRONG_TREND split by the drift's sign */
enum {
    REGIME_ROW_WEAK_UP = REGIME_COUNT, REGIME_ROW_WEAK_DOWN, REGIME_ROW_STRONG_UP, REGIME_ROW_STRONG_DOWN,
    REGIME_ROWS
};
int regime_table_row(int regime, int dir);          /* -1 for REGIME_NONE */
const char *regime_table_name(int row);             /* "WEAK_TREND (bull)" ... */
const char *regime_table_key(int row);              /* "WEAK_TREND_BULL" ...: JSON keys */
bool regime_table_shown(int row);                   /* false for the rows always split */
/* The report's text for one timeframe: a heading, then a line per label seen. */
void regime_table_print(FILE *f, const char *tf, const struct eval_regime_row rows[REGIME_ROWS], int horizon,
                        int trail);

#endif
