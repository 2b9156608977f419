/* The stored form of a signal (one row of the signals table): the engine's
 * REC_SIGNAL record, and what a console reading a collector's signals from the
 * database hands its engine (event.h: EE_SIGNAL). A core type of its own, so
 * event.h needs neither record.h nor the signal engine. */
#ifndef ALPHAPULSE_SIGNAL_RECORD_H
#define ALPHAPULSE_SIGNAL_RECORD_H
#include <stdbool.h>
#include <stdint.h>

/* Indicator values kept with a signal, in this order (stored as one JSON array):
 * rsi, macd_hist, atr, adx, bb_width, volume_ratio, ema20, ema50, ema200. */
enum signal_indicator { SIND_RSI, SIND_MACD_HIST, SIND_ATR, SIND_ADX, SIND_BB_WIDTH, SIND_VOLUME_RATIO,
                        SIND_EMA20, SIND_EMA50, SIND_EMA200, SIGNAL_INDICATORS };

/* SPEC §4: every field of a signal and its outcome. Written when the signal is
 * made and again (same id, replace) when its state or outcome changes; the
 * signal engine's own struct signal (signal.h) converts to and from it in the
 * engine. Names (pattern, regime) are stored as words so the record layer needs
 * no analysis module. */
struct record_signal {
    uint64_t id;
    int64_t time;                  /* made: close time of its candle (ms UTC) */
    int64_t candle_time;           /* open time of that candle */
    int side;                      /* +1 long, -1 short */
    int state, outcome;            /* enum signal_state, enum signal_outcome */
    int best_tp;                   /* highest target reached (0: none) */
    int stop_kind;                 /* 0 ATR, 1 swing level */
    int trend_alignment;           /* +1 higher timeframes agree, 0 neutral, -1 against */
    double confidence, entry, stop, tp[4], reward_risk;
    double regime_confidence, htf_score;
    char pattern[24], regime[24], source[16];   /* "" when none; source: "engine", "webhook" */
    bool volume_confirmed;
    uint32_t voters;               /* bit i: voter i agreed (enum voter_id) */
    double indicators[SIGNAL_INDICATORS];       /* enum signal_indicator; NAN: not known */
    int64_t expiry, outcome_time;
    double outcome_price;
};

#endif
