/* One-candle patterns (some glance at the previous candle for a gap or a level):
 * doji family, hammers and stars, marubozu, long/short lines, belt-hold.
 * Each follows TA-Lib 0.6.0's definition; comparisons keep TA-Lib's strictness and
 * operand order so the results are its integers. */
#include "candle_settings.h"

#undef LB
#define LB CDL_MAX(CDL_P_BODY_LONG, CDL_P_SHADOW_VERY_SHORT)
/* long body opening on its extreme: white opening at the low, black at the high */
CDL_PATTERN(belthold, "belthold", "BLT", "Belt-hold", CDL_G_BODY | CDL_G_HL10)
{
    if (BODY(0) > AVG(BODY_LONG, 0) &&
        ((COLOR(0) == 1 && LOWER(0) < AVG(SHADOW_VERY_SHORT, 0)) ||
         (COLOR(0) == -1 && UPPER(0) < AVG(SHADOW_VERY_SHORT, 0))))
        return COLOR(0) * 100;
    return 0;
}

/* long body closing on its extreme */
CDL_PATTERN(closingmarubozu, "closingmarubozu", "CMB", "Closing Marubozu", CDL_G_BODY | CDL_G_HL10)
{
    if (BODY(0) > AVG(BODY_LONG, 0) &&
        ((COLOR(0) == 1 && UPPER(0) < AVG(SHADOW_VERY_SHORT, 0)) ||
         (COLOR(0) == -1 && LOWER(0) < AVG(SHADOW_VERY_SHORT, 0))))
        return COLOR(0) * 100;
    return 0;
}

/* long body with almost no shadows */
CDL_PATTERN(marubozu, "marubozu", "MBZ", "Marubozu", CDL_G_BODY | CDL_G_HL10)
{
    if (BODY(0) > AVG(BODY_LONG, 0) &&
        UPPER(0) < AVG(SHADOW_VERY_SHORT, 0) && LOWER(0) < AVG(SHADOW_VERY_SHORT, 0))
        return COLOR(0) * 100;
    return 0;
}

#undef LB
#define LB CDL_P_BODY_DOJI
CDL_PATTERN(doji, "doji", "DOJ", "Doji", CDL_G_HL10)
{
    return BODY(0) <= AVG(BODY_DOJI, 0) ? 100 : 0;
}

#undef LB
#define LB CDL_MAX(CDL_P_BODY_DOJI, CDL_P_SHADOW_VERY_SHORT)
CDL_PATTERN(dragonflydoji, "dragonflydoji", "DFD", "Dragonfly Doji", CDL_G_HL10)
{
    if (BODY(0) <= AVG(BODY_DOJI, 0) &&
        UPPER(0) < AVG(SHADOW_VERY_SHORT, 0) && LOWER(0) > AVG(SHADOW_VERY_SHORT, 0))
        return 100;
    return 0;
}

CDL_PATTERN(gravestonedoji, "gravestonedoji", "GSD", "Gravestone Doji", CDL_G_HL10)
{
    if (BODY(0) <= AVG(BODY_DOJI, 0) &&
        LOWER(0) < AVG(SHADOW_VERY_SHORT, 0) && UPPER(0) > AVG(SHADOW_VERY_SHORT, 0))
        return 100;
    return 0;
}

#undef LB
#define LB CDL_MAX(CDL_MAX(CDL_P_BODY_DOJI, CDL_P_SHADOW_VERY_SHORT), CDL_P_SHADOW_VERY_LONG)
/* dragonfly doji with a very long lower shadow */
CDL_PATTERN(takuri, "takuri", "TAK", "Takuri", CDL_G_HL10)
{
    if (BODY(0) <= AVG(BODY_DOJI, 0) &&
        UPPER(0) < AVG(SHADOW_VERY_SHORT, 0) && LOWER(0) > AVG(SHADOW_VERY_LONG, 0))
        return 100;
    return 0;
}

#undef LB
#define LB CDL_MAX(CDL_P_BODY_DOJI, CDL_P_SHADOW_LONG)
CDL_PATTERN(longleggeddoji, "longleggeddoji", "LLD", "Long Legged Doji", CDL_G_HL10)
{
    if (BODY(0) <= AVG(BODY_DOJI, 0) &&
        (LOWER(0) > AVG(SHADOW_LONG, 0) || UPPER(0) > AVG(SHADOW_LONG, 0)))
        return 100;
    return 0;
}

#undef LB
#define LB CDL_MAX(CDL_MAX(CDL_P_BODY_DOJI, CDL_P_SHADOW_LONG), CDL_P_NEAR)
/* long-legged doji with its body near the middle of the range */
CDL_PATTERN(rickshawman, "rickshawman", "RKM", "Rickshaw Man", CDL_G_HL10 | CDL_G_HL5)
{
    if (BODY(0) <= AVG(BODY_DOJI, 0) &&
        LOWER(0) > AVG(SHADOW_LONG, 0) && UPPER(0) > AVG(SHADOW_LONG, 0) &&
        BOT(0) <= L(0) + HL(0) / 2 + AVG(NEAR, 0) &&
        TOP(0) >= L(0) + HL(0) / 2 - AVG(NEAR, 0))
        return 100;
    return 0;
}

#undef LB
#define LB CDL_MAX(CDL_P_BODY_SHORT, CDL_P_SHADOW_VERY_LONG)
CDL_PATTERN(highwave, "highwave", "HWV", "High-Wave Candle", CDL_G_BODY)
{
    if (BODY(0) < AVG(BODY_SHORT, 0) &&
        UPPER(0) > AVG(SHADOW_VERY_LONG, 0) && LOWER(0) > AVG(SHADOW_VERY_LONG, 0))
        return COLOR(0) * 100;
    return 0;
}

#undef LB
#define LB CDL_MAX(CDL_P_BODY_LONG, CDL_P_SHADOW_SHORT)
CDL_PATTERN(longline, "longline", "LNG", "Long Line Candle", CDL_G_BODY | CDL_G_SHADOWS)
{
    if (BODY(0) > AVG(BODY_LONG, 0) &&
        UPPER(0) < AVG(SHADOW_SHORT, 0) && LOWER(0) < AVG(SHADOW_SHORT, 0))
        return COLOR(0) * 100;
    return 0;
}

#undef LB
#define LB CDL_MAX(CDL_P_BODY_SHORT, CDL_P_SHADOW_SHORT)
CDL_PATTERN(shortline, "shortline", "SHL", "Short Line Candle", CDL_G_BODY | CDL_G_SHADOWS)
{
    if (BODY(0) < AVG(BODY_SHORT, 0) &&
        UPPER(0) < AVG(SHADOW_SHORT, 0) && LOWER(0) < AVG(SHADOW_SHORT, 0))
        return COLOR(0) * 100;
    return 0;
}

#undef LB
#define LB CDL_P_BODY_SHORT
/* small body with both shadows longer than it */
CDL_PATTERN(spinningtop, "spinningtop", "SPT", "Spinning Top", CDL_G_BODY)
{
    if (BODY(0) < AVG(BODY_SHORT, 0) && UPPER(0) > BODY(0) && LOWER(0) > BODY(0))
        return COLOR(0) * 100;
    return 0;
}

#undef LB
#define LB (CDL_MAX(CDL_MAX(CDL_MAX(CDL_P_BODY_SHORT, CDL_P_SHADOW_LONG), CDL_P_SHADOW_VERY_SHORT), CDL_P_NEAR) + 1)
/* small body, long lower shadow, body at or below the previous low (+ near) */
CDL_PATTERN(hammer, "hammer", "HAM", "Hammer", CDL_G_BODY | CDL_G_HL10 | CDL_G_HL5)
{
    if (BODY(0) < AVG(BODY_SHORT, 0) &&
        LOWER(0) > AVG(SHADOW_LONG, 0) &&
        UPPER(0) < AVG(SHADOW_VERY_SHORT, 0) &&
        BOT(0) <= L(1) + AVG(NEAR, 1))
        return 100;
    return 0;
}

/* the same shape with its body at or above the previous high (- near) */
CDL_PATTERN(hangingman, "hangingman", "HGM", "Hanging Man", CDL_G_BODY | CDL_G_HL10 | CDL_G_HL5)
{
    if (BODY(0) < AVG(BODY_SHORT, 0) &&
        LOWER(0) > AVG(SHADOW_LONG, 0) &&
        UPPER(0) < AVG(SHADOW_VERY_SHORT, 0) &&
        BOT(0) >= H(1) - AVG(NEAR, 1))
        return -100;
    return 0;
}

#undef LB
#define LB (CDL_MAX(CDL_MAX(CDL_P_BODY_SHORT, CDL_P_SHADOW_LONG), CDL_P_SHADOW_VERY_SHORT) + 1)
/* small body, long upper shadow, body gapping down */
CDL_PATTERN(invertedhammer, "invertedhammer", "IHM", "Inverted Hammer", CDL_G_BODY | CDL_G_HL10)
{
    if (BODY(0) < AVG(BODY_SHORT, 0) &&
        UPPER(0) > AVG(SHADOW_LONG, 0) &&
        LOWER(0) < AVG(SHADOW_VERY_SHORT, 0) &&
        BODY_GAP_DOWN(0, 1))
        return 100;
    return 0;
}

/* small body, long upper shadow, body gapping up */
CDL_PATTERN(shootingstar, "shootingstar", "SST", "Shooting Star", CDL_G_BODY | CDL_G_HL10)
{
    if (BODY(0) < AVG(BODY_SHORT, 0) &&
        UPPER(0) > AVG(SHADOW_LONG, 0) &&
        LOWER(0) < AVG(SHADOW_VERY_SHORT, 0) &&
        BODY_GAP_UP(0, 1))
        return -100;
    return 0;
}
