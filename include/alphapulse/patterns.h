/* Candlestick patterns: TA-Lib 0.6.0's 61 CDL functions with its default options and
 * candle settings, returning TA-Lib's integers (0, +-80, +-100, +-200). Streaming
 * (cdl_push, O(1), no allocation) and batch (cdl_batch) share one core, so they agree
 * bit for bit; cdl_push_hits adds strength, volume confirmation and trend context. */
#ifndef ALPHAPULSE_PATTERNS_H
#define ALPHAPULSE_PATTERNS_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "alphapulse/candle.h"

#define CDL_COUNT 61

/* Pattern ids, in TA-Lib's alphabetical order (the golden file's column order). */
enum cdl_id {
    CDL_2CROWS, CDL_3BLACKCROWS, CDL_3INSIDE, CDL_3LINESTRIKE, CDL_3OUTSIDE,
    CDL_3STARSINSOUTH, CDL_3WHITESOLDIERS, CDL_ABANDONEDBABY, CDL_ADVANCEBLOCK,
    CDL_BELTHOLD, CDL_BREAKAWAY, CDL_CLOSINGMARUBOZU, CDL_CONCEALBABYSWALL,
    CDL_COUNTERATTACK, CDL_DARKCLOUDCOVER, CDL_DOJI, CDL_DOJISTAR, CDL_DRAGONFLYDOJI,
    CDL_ENGULFING, CDL_EVENINGDOJISTAR, CDL_EVENINGSTAR, CDL_GAPSIDESIDEWHITE,
    CDL_GRAVESTONEDOJI, CDL_HAMMER, CDL_HANGINGMAN, CDL_HARAMI, CDL_HARAMICROSS,
    CDL_HIGHWAVE, CDL_HIKKAKE, CDL_HIKKAKEMOD, CDL_HOMINGPIGEON, CDL_IDENTICAL3CROWS,
    CDL_INNECK, CDL_INVERTEDHAMMER, CDL_KICKING, CDL_KICKINGBYLENGTH, CDL_LADDERBOTTOM,
    CDL_LONGLEGGEDDOJI, CDL_LONGLINE, CDL_MARUBOZU, CDL_MATCHINGLOW, CDL_MATHOLD,
    CDL_MORNINGDOJISTAR, CDL_MORNINGSTAR, CDL_ONNECK, CDL_PIERCING, CDL_RICKSHAWMAN,
    CDL_RISEFALL3METHODS, CDL_SEPARATINGLINES, CDL_SHOOTINGSTAR, CDL_SHORTLINE,
    CDL_SPINNINGTOP, CDL_STALLEDPATTERN, CDL_STICKSANDWICH, CDL_TAKURI, CDL_TASUKIGAP,
    CDL_THRUSTING, CDL_TRISTAR, CDL_UNIQUE3RIVER, CDL_UPSIDEGAP2CROWS,
    CDL_XSIDEGAP3METHODS
};

const char *cdl_name(int id);    /* "2crows" ... "xsidegap3methods"; NULL if id is out of range */
const char *cdl_code(int id);    /* 2-4 letter chart marker, unique: "ENG", "HAM", "DOJ" ... */
const char *cdl_title(int id);   /* human name: "Engulfing" */
int cdl_find(const char *name);  /* id of "engulfing" or "cdl_engulfing" (any case), or -1 */
int cdl_lookback(int id);        /* first row index that can be non-zero; -1 if out of range */

/* One pattern over a whole array: out[i] is TA-Lib's value for row i (0 before the lookback). */
void cdl_batch(int id, const struct candle *in, size_t n, int *out);
/* All 61 in one pass: out[i * CDL_COUNT + id]. */
void cdl_batch_all(const struct candle *in, size_t n, int *out);

/* Streaming state; embed it anywhere (about 3.5 KB), no allocation.
 * Internals: a ring of the last candles with their derived parts, and the trailing
 * sums of TA-Lib's candle settings. TA-Lib keeps one running total per pattern and
 * starts it at a pattern-specific row, so totals that cover the same window can differ
 * in their last bit; we keep one total per (range, period, start row) -- see
 * src/ta/patterns/candle_settings.h -- so every average is TA-Lib's to the bit.
 * (On the golden data a single shared total happened to give the same integers.) */
#define CDL_RING 16      /* candles kept: longest window (10) + deepest offset (4) + 1 */
#define CDL_SLOTS 8      /* past values of the trailing sums kept (offsets 0..4 read) */
#define CDL_GROUPS 4     /* distinct (range type, period) among the settings */
#define CDL_STARTS 8     /* distinct start rows of TA-Lib's running totals */
#define CDL_VOL_N 20     /* volume SMA period for the volume ratio */
#define CDL_EMA_N 50     /* EMA period for the trend context */
#define CDL_SLOPE_N 5    /* EMA slope is measured over this many candles */

struct cdl_bar {
    double open, high, low, close;
    double body, range, upper, lower, top, bottom;
    double volume;
    int color;           /* TA-Lib's: +1 when close >= open, else -1 */
};

struct cdl_hikkake_state { int64_t idx; int result; double high1, low1; };

struct cdl_state {
    int64_t n;                                        /* candles pushed */
    struct cdl_bar bar[CDL_RING];
    double sum[CDL_GROUPS][CDL_STARTS];               /* running totals after row n-1 */
    double mean[CDL_SLOTS][CDL_GROUPS][CDL_STARTS];   /* total / period after row e, slot e % 8 */
    struct cdl_hikkake_state hikkake, hikkake_mod;
    /* context for cdl_push_hits (not TA-Lib) */
    double vol_ring[CDL_VOL_N], vol_sum;
    double ema, ema_sum, ema_hist[CDL_SLOPE_N + 1];
};

void cdl_init(struct cdl_state *s);
/* all 61 values for the newest candle, O(1) */
void cdl_push(struct cdl_state *s, const struct candle *c, int out[CDL_COUNT]);

/* A detection for the engine.
 * strength in [0,1]: 0.35 * body score + 0.35 * range score + 0.30 * volume score,
 *   body score  = min(1, body / (2 * mean body of the 10 previous candles)),
 *   range score = min(1, (high-low) / (2 * mean high-low of the 10 previous candles)),
 *   volume score = min(1, volume ratio / 2) (0 while the volume SMA is not warm),
 *   then times 0.8 for TA-Lib's partial (+-80) signals.
 * volume_confirmed: volume / SMA(volume, 20) >= 1.5 (SMA includes the current candle).
 * trend: +1 when close > EMA(50) and the EMA rose over the last 5 candles, -1 when
 *   close < EMA(50) and it fell, else 0 (0 until the EMA is warm: 50 + 5 candles). */
struct cdl_hit { int id; int value; double strength; bool volume_confirmed; int trend; };

/* Pushes the candle and writes up to max hits (non-zero patterns, by id); returns
 * the number written. */
int cdl_push_hits(struct cdl_state *s, const struct candle *c, struct cdl_hit *hits, int max);
/* The context part alone, for the newest candle pushed (used by cdl_push_hits). */
double cdl_volume_ratio(const struct cdl_state *s);   /* NAN until 20 candles */
int cdl_trend(const struct cdl_state *s);

#endif
