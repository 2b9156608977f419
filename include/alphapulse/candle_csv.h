/* Candle CSV files: `time,open,high,low,close,volume`, time in UTC ms (seconds are
 * detected and converted). Used by the demo, analyze, backtest and tests. */
#ifndef ALPHAPULSE_CANDLE_CSV_H
#define ALPHAPULSE_CANDLE_CSV_H
#include <stddef.h>
#include "alphapulse/candle.h"

/* The largest price a file may hold. Far above any quoted price, and low enough
 * that no indicator overflows on prices: squares and sums of a million of them
 * stay finite. Volume has no bound beyond being finite and >= 0. */
#define CANDLE_CSV_PRICE_MAX 1e15

/* Parse one data line (no trailing newline needed). Returns 0, or -1 with a reason. */
int candle_csv_parse_line(const char *line, struct candle *c, char *why, size_t why_len);
/* True when the line is the expected header. */
int candle_csv_is_header(const char *line);
/* Load a whole file (validated, ascending, no duplicates). Returns 0, or -1 with
 * "file:line: reason" in err. *out is malloc'd. */
int candle_csv_load(const char *path, struct candle **out, size_t *n, char *err, size_t err_len);

#endif
