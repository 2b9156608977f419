/* The scanner's model, apart from drawing: its columns, the order of the rows
 * (a sort of indices into the snapshot's symbols by any column) and the filter
 * (a name typed with /, and :filter expressions such as regime=breakout
 * conf>0.7 vol>10M). Pure functions of a snapshot, so the bench and the tests
 * drive them without a terminal. */
#ifndef ALPHAPULSE_UI_SCAN_H
#define ALPHAPULSE_UI_SCAN_H
#include <stdbool.h>
#include <stddef.h>

#include "alphapulse/snapshot.h"

enum scan_col {
    SCAN_SYMBOL, SCAN_LAST, SCAN_CHG1H, SCAN_CHG24H, SCAN_VOL, SCAN_VOLP, SCAN_REGIME, SCAN_CONF, SCAN_RSI,
    SCAN_PATTERN, SCAN_SIG, SCAN_RR, SCAN_COLS
};
extern const char *const scan_col_name[SCAN_COLS];   /* header titles */

#define SCAN_TERMS 8
struct scan_term { int key; int op; double num; char text[24]; };
struct scan_filter {
    char name[24];             /* typed with /: a part of the symbol (case-insensitive) */
    int n;                     /* :filter terms, all must hold */
    struct scan_term t[SCAN_TERMS];
};

/* Parse ":filter" terms ("" clears); -1 with a message in err on a bad term
 * (the filter unchanged). */
int scan_filter_parse(struct scan_filter *f, const char *expr, char *err, size_t err_len);
bool scan_match(const struct scan_filter *f, const struct snap_symbol *s, int view_tf);
/* The rows that pass the filter, sorted by col (desc: largest first; NAN and
 * missing values always last, ties by name): writes indices into rows (room
 * for n_symbols), returns their count. */
int scan_rows(const struct snapshot *snap, const struct scan_filter *f, int col, bool desc, int *rows);
/* A quote volume as 12.3K 4.56M 7.80B 1.20T */
void scan_fmt_volume(double v, char *buf, size_t n);

#endif
