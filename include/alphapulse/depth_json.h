/* Binance market-depth JSON, read without building a tree: the diff-depth event
 * ("depthUpdate", raw or in the combined-stream wrapper), the REST depth
 * snapshot (GET /api/v3/depth) and the aggregated trade ("aggTrade"). Prices
 * and quantities become 1e-8 fixed point (book.h). Each parser checks every
 * byte it reads against the end of the buffer; the text needs no NUL. */
#ifndef ALPHAPULSE_DEPTH_JSON_H
#define ALPHAPULSE_DEPTH_JSON_H
#include <stddef.h>
#include "alphapulse/depth_sync.h"
#include "alphapulse/instrument.h"
#include "alphapulse/tape.h"

enum depth_json_error {
    DEPTH_JSON_OK = 0,
    DEPTH_JSON_SYNTAX = -1,      /* not JSON or truncated */
    DEPTH_JSON_OTHER = -2,       /* valid, but another kind of message */
    DEPTH_JSON_FIELD = -3,       /* a required field missing or of the wrong type */
    DEPTH_JSON_TOO_MANY = -4,    /* more levels than the caller's buffer holds */
    DEPTH_JSON_VENUE = -5,       /* the venue's error object ({"code":..,"msg":..}) */
};
const char *depth_json_error_name(int err);

/* A depthUpdate: symbol (upper case), U, u, E and the levels into lv (cap
 * entries; out->lv points there). why (may be NULL) says what was wrong. */
int depth_json_update(const char *buf, size_t len, char symbol[SYMBOL_MAX], struct depth_update *out,
                      struct book_level *lv, size_t cap, char *why, size_t why_len);
/* A REST depth snapshot: lastUpdateId into first_id and last_id. A venue error
 * gives DEPTH_JSON_VENUE with its message in why. */
int depth_json_snapshot(const char *buf, size_t len, struct depth_update *out,
                        struct book_level *lv, size_t cap, char *why, size_t why_len);
/* An aggTrade event. */
int depth_json_agg_trade(const char *buf, size_t len, char symbol[SYMBOL_MAX], struct tape_trade *out,
                         char *why, size_t why_len);

#endif
