/* TA-Lib's candle settings (the one table) and the helpers every pattern uses: the
 * last few candles, and the trailing averages of each setting as TA-Lib computes them.
 *
 * A setting says how to measure a candle (its real body, its high-low range, or the
 * sum of its shadows), over how many previous candles to average, and by what factor
 * to scale. "Average of setting S for the candle k back" is
 *     factor * (sum of the range over the period candles before it) / period
 * (halved for shadows), or, when the period is 0, factor * that candle's own range.
 *
 * Why totals are keyed by start row: TA-Lib keeps a running total per pattern,
 * started at row (lookback - period - k) and then updated by adding the newest range
 * minus the oldest one. Floating-point rounding makes the total depend on where it
 * started, and comparisons such as body <= average occasionally land on that last
 * bit. We keep one running total per (range, period) group and start row, updated
 * exactly the same way, and read the one TA-Lib would have. (With one shared total
 * the golden tests still passed: the flips are rare. This costs a few vector adds.) */
#ifndef AP_CANDLE_SETTINGS_H
#define AP_CANDLE_SETTINGS_H
#include "alphapulse/patterns.h"
#include <math.h>

enum cdl_range { CDL_RANGE_BODY, CDL_RANGE_HIGHLOW, CDL_RANGE_SHADOWS };

/* name, range type, averaging period, factor -- TA-Lib 0.6.0's defaults */
#define CDL_SETTINGS(X) \
    X(BODY_LONG,         CDL_RANGE_BODY,    10, 1.0)  \
    X(BODY_VERY_LONG,    CDL_RANGE_BODY,    10, 3.0)  \
    X(BODY_SHORT,        CDL_RANGE_BODY,    10, 1.0)  \
    X(BODY_DOJI,         CDL_RANGE_HIGHLOW, 10, 0.1)  \
    X(SHADOW_LONG,       CDL_RANGE_BODY,     0, 1.0)  \
    X(SHADOW_VERY_LONG,  CDL_RANGE_BODY,     0, 2.0)  \
    X(SHADOW_SHORT,      CDL_RANGE_SHADOWS, 10, 1.0)  \
    X(SHADOW_VERY_SHORT, CDL_RANGE_HIGHLOW, 10, 0.1)  \
    X(NEAR,              CDL_RANGE_HIGHLOW,  5, 0.2)  \
    X(FAR,               CDL_RANGE_HIGHLOW,  5, 0.6)  \
    X(EQUAL,             CDL_RANGE_HIGHLOW,  5, 0.05)

#define CDL_X_ENUM(name, r, p, f) CDL_S_##name,
enum cdl_setting_id { CDL_SETTINGS(CDL_X_ENUM) CDL_SETTING_COUNT };
#undef CDL_X_ENUM
#define CDL_X_PERIOD(name, r, p, f) CDL_P_##name = (p),
enum { CDL_SETTINGS(CDL_X_PERIOD) };
#undef CDL_X_PERIOD
#define CDL_X_RANGE(name, r, p, f) CDL_R_##name = (r),
enum { CDL_SETTINGS(CDL_X_RANGE) };
#undef CDL_X_RANGE

struct cdl_setting { const char *name; enum cdl_range range; int period; double factor; int group; };

/* The running-total groups: one per distinct (range, period > 0) of the table. */
struct cdl_group { enum cdl_range range; int period; unsigned starts; };
/* `starts`: the start rows some pattern reads (bit s); only their averages are
 * computed. CDL_START refuses at compile time a read of any other. */
#define CDL_STARTS_USED(g) ((g) == 0 ? 0x1fu : (g) == 1 ? 0x0fu : (g) == 2 ? 0x07u : (g) == 3 ? 0x63u : 0u)
static const struct cdl_group cdl_groups[CDL_GROUPS] = {
    { CDL_RANGE_BODY, 10, CDL_STARTS_USED(0) }, { CDL_RANGE_HIGHLOW, 10, CDL_STARTS_USED(1) },
    { CDL_RANGE_SHADOWS, 10, CDL_STARTS_USED(2) }, { CDL_RANGE_HIGHLOW, 5, CDL_STARTS_USED(3) },
};
#define CDL_GROUP_OF(r, p) ((p) == 0 ? -1 : \
    (int)(r) == (int)CDL_RANGE_BODY && (p) == 10 ? 0 : \
    (int)(r) == (int)CDL_RANGE_HIGHLOW && (p) == 10 ? 1 : \
    (int)(r) == (int)CDL_RANGE_SHADOWS && (p) == 10 ? 2 : \
    (int)(r) == (int)CDL_RANGE_HIGHLOW && (p) == 5 ? 3 : -2)

#define CDL_X_ROW(name, r, p, f) { #name, r, p, f, CDL_GROUP_OF(r, p) },
static const struct cdl_setting cdl_settings[CDL_SETTING_COUNT] = { CDL_SETTINGS(CDL_X_ROW) };
#undef CDL_X_ROW

/* a new setting combination must get a group (build fails otherwise) */
#define CDL_X_CHECK(name, r, p, f) _Static_assert(CDL_GROUP_OF(r, p) >= -1, "no running-total group for " #name);
CDL_SETTINGS(CDL_X_CHECK)
#undef CDL_X_CHECK

/* group masks for the cheap per-pattern batch */
#define CDL_G_BODY    (1u << 0)
#define CDL_G_HL10    (1u << 1)
#define CDL_G_SHADOWS (1u << 2)
#define CDL_G_HL5     (1u << 3)
#define CDL_G_ALL     0xfu

/* ---- the candle k rows back from the newest ---- */
static inline const struct cdl_bar *cdl_bar_at(const struct cdl_state *st, int k)
{
    return &st->bar[(st->n - 1 - k) & (CDL_RING - 1)];
}

static inline double cdl_range_of(const struct cdl_bar *b, enum cdl_range r)
{
    return r == CDL_RANGE_BODY ? b->body : r == CDL_RANGE_HIGHLOW ? b->range : b->upper + b->lower;
}

/* TA-Lib's average of setting `set` for the candle k back, from the running total
 * that started at row `start` (only read when the period is not 0). */
static inline double cdl_avg(const struct cdl_state *st, int set, int k, int start)
{
    const struct cdl_setting *cs = &cdl_settings[set];
    double base;
    if (cs->period != 0)
        base = st->mean[(st->n - 2 - k) & (CDL_SLOTS - 1)][cs->group][start];
    else
        base = cdl_range_of(cdl_bar_at(st, k), cs->range);
    return cs->factor * base / (cs->range == CDL_RANGE_SHADOWS ? 2.0 : 1.0);
}

/* Start row of TA-Lib's total for setting S read k candles back by a pattern whose
 * lookback is LB (a constant in scope); checked at compile time to fit the state. */
#define CDL_START(S, k, lb) ((int)sizeof(char[(CDL_P_##S == 0 || \
    ((lb) - CDL_P_##S - (k) >= 0 && (lb) - CDL_P_##S - (k) < CDL_STARTS && \
     ((CDL_STARTS_USED(CDL_GROUP_OF(CDL_R_##S, CDL_P_##S)) >> ((lb) - CDL_P_##S - (k))) & 1))) ? 1 : -1]) * 0 + \
    (CDL_P_##S == 0 ? 0 : (lb) - CDL_P_##S - (k)))

/* shorthands used by the pattern files; they expect `st` and an enum constant LB */
#define AVG(S, k)    cdl_avg(st, CDL_S_##S, (k), CDL_START(S, k, LB))
#define AVG_AT(S, k, start) cdl_avg(st, CDL_S_##S, (k), (start))
#define O(k)     (cdl_bar_at(st, k)->open)
#define H(k)     (cdl_bar_at(st, k)->high)
#define L(k)     (cdl_bar_at(st, k)->low)
#define C(k)     (cdl_bar_at(st, k)->close)
#define BODY(k)  (cdl_bar_at(st, k)->body)
#define HL(k)    (cdl_bar_at(st, k)->range)
#define UPPER(k) (cdl_bar_at(st, k)->upper)
#define LOWER(k) (cdl_bar_at(st, k)->lower)
#define TOP(k)   (cdl_bar_at(st, k)->top)      /* max(open, close) */
#define BOT(k)   (cdl_bar_at(st, k)->bottom)   /* min(open, close) */
#define COLOR(k) (cdl_bar_at(st, k)->color)
/* gaps between the candles a (later) and b (earlier), k rows back */
#define BODY_GAP_UP(a, b)   (BOT(a) > TOP(b))
#define BODY_GAP_DOWN(a, b) (TOP(a) < BOT(b))
#define GAP_UP(a, b)        (L(a) > H(b))
#define GAP_DOWN(a, b)      (H(a) < L(b))

/* lookbacks, from the settings' periods as TA-Lib derives them */
#define CDL_MAX(a, b) ((a) > (b) ? (a) : (b))

/* one pattern: returns its value for the newest candle; called for every row from
 * its `first` row on (the hikkakes update their state there before they may output) */
typedef int (*cdl_fn)(struct cdl_state *st);

struct cdl_def {
    const char *name, *code, *title;
    int lookback, first;
    unsigned groups;       /* running totals it reads (CDL_G_*) */
    cdl_fn fn;
};

/* Defines the pattern's entry (named cdl_def_ID, collected by patterns.c) and opens
 * its function. LB (the lookback) must be #defined before; AVG reads it. */
#define CDL_PATTERN_FIRST(id, name, code, title, groups, first) \
    static int cdl_fn_##id(struct cdl_state *st); \
    static const struct cdl_def cdl_def_##id = { name, code, title, LB, first, groups, cdl_fn_##id }; \
    static int cdl_fn_##id(struct cdl_state *st)
#define CDL_PATTERN(id, name, code, title, groups) CDL_PATTERN_FIRST(id, name, code, title, groups, LB)

/* the shared core: derive the candle's parts and advance the running totals of `groups` */
void cdl_core_push(struct cdl_state *st, const struct candle *c, unsigned groups);

#endif
