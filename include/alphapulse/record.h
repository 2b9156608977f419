/* Records the engine hands to the store thread through a queue. A fill record
 * carries the position and balance after it, so one record is one atomic write. */
#ifndef ALPHAPULSE_RECORD_H
#define ALPHAPULSE_RECORD_H
#include <stdint.h>
#include "alphapulse/event.h"

enum record_type { REC_CANDLE, REC_FILL, REC_JOURNAL, REC_SIGNAL };

struct record_fill {
    uint64_t id, order_id;
    int side;                      /* +1 buy, -1 sell */
    double qty, price, fee, realized;
    double pos_qty, pos_avg, pos_realized, pos_fees;   /* position after the fill */
    double balance;                /* account balance after the fill */
};

/* A signal as stored: written when it is made and again (same id, replace) when
 * its state or outcome changes. Enums as in signal.h; voters is a bit set over
 * enum voter_id. */
struct record_signal {
    uint64_t id;
    int64_t candle_time, expires, outcome_time;
    int8_t side, state, outcome, best_tp, stop_kind, trend_alignment, regime;
    uint8_t voters;
    int16_t pattern;
    bool volume_confirmed;
    float confidence, regime_conf, htf_score;
    double entry, stop, tp[4], rr;
    double rsi, macd_hist, atr, adx, bb_width, volume_ratio, ema20, ema50, ema200;
};

struct record {
    int type;
    int64_t time;                  /* event time, ms UTC */
    char symbol[SYMBOL_MAX];
    int tf;
    union {
        struct candle candle;
        struct record_fill fill;
        char text[200];            /* journal line */
        struct record_signal signal;
    } u;
};

#endif
