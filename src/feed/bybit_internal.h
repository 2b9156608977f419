/* Inside the Bybit parsers: the one-pass reader of kline pushes (the hot path),
 * which handles only a fully valid push and leaves everything else, errors
 * included, to the tree-based reader that explains them. */
#ifndef ALPHAPULSE_BYBIT_INTERNAL_H
#define ALPHAPULSE_BYBIT_INTERNAL_H
#include <stddef.h>
#include "alphapulse/bybit_parse.h"

/* 1: buf is a valid kline push, out holds exactly what the tree reader would
 * have produced; 0: not handled here (another message, or anything doubtful). */
int bybit_kline_fast(const char *buf, size_t len, struct bybit_msg *out);

#endif
