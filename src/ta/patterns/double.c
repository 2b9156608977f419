/* Two-candle patterns: engulfing and harami, piercing and dark cloud, the neck/thrusting
 * family, kicking, counterattack, separating lines, matching low, homing pigeon,
 * doji star. TA-Lib 0.6.0's definitions and comparison strictness. */
#include "candle_settings.h"

#undef LB
#define LB 2
/* the body engulfs the previous opposite body; +-80 when only one end is beyond */
CDL_PATTERN(engulfing, "engulfing", "ENG", "Engulfing", 0)
{
    if ((COLOR(0) == 1 && COLOR(1) == -1 &&
         ((C(0) >= O(1) && O(0) < C(1)) || (C(0) > O(1) && O(0) <= C(1)))) ||
        (COLOR(0) == -1 && COLOR(1) == 1 &&
         ((O(0) >= C(1) && C(0) < O(1)) || (O(0) > C(1) && C(0) <= O(1)))))
        return O(0) != C(1) && C(0) != O(1) ? COLOR(0) * 100 : COLOR(0) * 80;
    return 0;
}

#undef LB
#define LB (CDL_MAX(CDL_P_BODY_SHORT, CDL_P_BODY_LONG) + 1)
/* a short body inside the previous long one; +-80 when it touches an end */
CDL_PATTERN(harami, "harami", "HAR", "Harami", CDL_G_BODY)
{
    if (BODY(1) > AVG(BODY_LONG, 1) && BODY(0) <= AVG(BODY_SHORT, 0)) {
        if (TOP(0) < TOP(1) && BOT(0) > BOT(1))
            return -COLOR(1) * 100;
        if (TOP(0) <= TOP(1) && BOT(0) >= BOT(1))
            return -COLOR(1) * 80;
    }
    return 0;
}

/* two black candles, the second short and inside the first body */
CDL_PATTERN(homingpigeon, "homingpigeon", "HPG", "Homing Pigeon", CDL_G_BODY)
{
    if (COLOR(1) == -1 && COLOR(0) == -1 &&
        BODY(1) > AVG(BODY_LONG, 1) && BODY(0) <= AVG(BODY_SHORT, 0) &&
        O(0) < O(1) && C(0) > C(1))
        return 100;
    return 0;
}

#undef LB
#define LB (CDL_MAX(CDL_P_BODY_DOJI, CDL_P_BODY_LONG) + 1)
CDL_PATTERN(haramicross, "haramicross", "HRC", "Harami Cross", CDL_G_BODY | CDL_G_HL10)
{
    if (BODY(1) > AVG(BODY_LONG, 1) && BODY(0) <= AVG(BODY_DOJI, 0)) {
        if (TOP(0) < TOP(1) && BOT(0) > BOT(1))
            return -COLOR(1) * 100;
        if (TOP(0) <= TOP(1) && BOT(0) >= BOT(1))
            return -COLOR(1) * 80;
    }
    return 0;
}

/* a doji whose body gaps away from a long body, in that body's direction */
CDL_PATTERN(dojistar, "dojistar", "DJS", "Doji Star", CDL_G_BODY | CDL_G_HL10)
{
    if (BODY(1) > AVG(BODY_LONG, 1) && BODY(0) <= AVG(BODY_DOJI, 0) &&
        ((COLOR(1) == 1 && BODY_GAP_UP(0, 1)) || (COLOR(1) == -1 && BODY_GAP_DOWN(0, 1))))
        return -COLOR(1) * 100;
    return 0;
}

#undef LB
#define LB (CDL_P_BODY_LONG + 1)
/* long white, then a black opening above its high and closing below its midpoint */
CDL_PATTERN(darkcloudcover, "darkcloudcover", "DCC", "Dark Cloud Cover", CDL_G_BODY)
{
    if (COLOR(1) == 1 && BODY(1) > AVG(BODY_LONG, 1) &&
        COLOR(0) == -1 && O(0) > H(1) && C(0) > O(1) &&
        C(0) < C(1) - BODY(1) * 0.5)
        return -100;
    return 0;
}

/* long black, then a long white opening below its low and closing above its midpoint */
CDL_PATTERN(piercing, "piercing", "PRC", "Piercing Pattern", CDL_G_BODY)
{
    if (COLOR(1) == -1 && BODY(1) > AVG(BODY_LONG, 1) &&
        COLOR(0) == 1 && BODY(0) > AVG(BODY_LONG, 0) &&
        O(0) < L(1) && C(0) < O(1) &&
        C(0) > C(1) + BODY(1) * 0.5)
        return 100;
    return 0;
}

#undef LB
#define LB (CDL_MAX(CDL_P_EQUAL, CDL_P_BODY_LONG) + 1)
/* opposite long bodies closing at the same level */
CDL_PATTERN(counterattack, "counterattack", "CTA", "Counterattack", CDL_G_BODY | CDL_G_HL5)
{
    if (COLOR(1) == -COLOR(0) &&
        BODY(1) > AVG(BODY_LONG, 1) && BODY(0) > AVG(BODY_LONG, 0) &&
        C(0) <= C(1) + AVG(EQUAL, 1) && C(0) >= C(1) - AVG(EQUAL, 1))
        return COLOR(0) * 100;
    return 0;
}

/* long black, then a white opening below its low and closing at its close */
CDL_PATTERN(inneck, "inneck", "INK", "In-Neck Pattern", CDL_G_BODY | CDL_G_HL5)
{
    if (COLOR(1) == -1 && BODY(1) > AVG(BODY_LONG, 1) &&
        COLOR(0) == 1 && O(0) < L(1) &&
        C(0) <= C(1) + AVG(EQUAL, 1) && C(0) >= C(1))
        return -100;
    return 0;
}

/* the same, closing at the previous low */
CDL_PATTERN(onneck, "onneck", "ONK", "On-Neck Pattern", CDL_G_BODY | CDL_G_HL5)
{
    if (COLOR(1) == -1 && BODY(1) > AVG(BODY_LONG, 1) &&
        COLOR(0) == 1 && O(0) < L(1) &&
        C(0) <= L(1) + AVG(EQUAL, 1) && C(0) >= L(1) - AVG(EQUAL, 1))
        return -100;
    return 0;
}

/* the same, closing into the black body but not above its midpoint */
CDL_PATTERN(thrusting, "thrusting", "THR", "Thrusting Pattern", CDL_G_BODY | CDL_G_HL5)
{
    if (COLOR(1) == -1 && BODY(1) > AVG(BODY_LONG, 1) &&
        COLOR(0) == 1 && O(0) < L(1) &&
        C(0) > C(1) + AVG(EQUAL, 1) &&
        C(0) <= C(1) + BODY(1) * 0.5)
        return -100;
    return 0;
}

#undef LB
#define LB (CDL_MAX(CDL_P_SHADOW_VERY_SHORT, CDL_P_BODY_LONG) + 1)
/* two opposite marubozu with a gap between them */
static int kicking_shape(struct cdl_state *st)
{
    return COLOR(1) == -COLOR(0) &&
        BODY(1) > AVG(BODY_LONG, 1) &&
        UPPER(1) < AVG(SHADOW_VERY_SHORT, 1) && LOWER(1) < AVG(SHADOW_VERY_SHORT, 1) &&
        BODY(0) > AVG(BODY_LONG, 0) &&
        UPPER(0) < AVG(SHADOW_VERY_SHORT, 0) && LOWER(0) < AVG(SHADOW_VERY_SHORT, 0) &&
        ((COLOR(1) == -1 && GAP_UP(0, 1)) || (COLOR(1) == 1 && GAP_DOWN(0, 1)));
}

CDL_PATTERN(kicking, "kicking", "KCK", "Kicking", CDL_G_BODY | CDL_G_HL10)
{
    return kicking_shape(st) ? COLOR(0) * 100 : 0;
}

/* direction from the longer of the two marubozu */
CDL_PATTERN(kickingbylength, "kickingbylength", "KCL", "Kicking by Length", CDL_G_BODY | CDL_G_HL10)
{
    if (kicking_shape(st))
        return (BODY(0) > BODY(1) ? COLOR(0) : COLOR(1)) * 100;
    return 0;
}

#undef LB
#define LB (CDL_P_EQUAL + 1)
/* two black candles with equal closes */
CDL_PATTERN(matchinglow, "matchinglow", "MLW", "Matching Low", CDL_G_HL5)
{
    if (COLOR(1) == -1 && COLOR(0) == -1 &&
        C(0) <= C(1) + AVG(EQUAL, 1) && C(0) >= C(1) - AVG(EQUAL, 1))
        return 100;
    return 0;
}

#undef LB
#define LB (CDL_MAX(CDL_MAX(CDL_P_SHADOW_VERY_SHORT, CDL_P_BODY_LONG), CDL_P_EQUAL) + 1)
/* opposite colours opening at the same price; the second a long belt-hold */
CDL_PATTERN(separatinglines, "separatinglines", "SPL", "Separating Lines", CDL_G_BODY | CDL_G_HL10 | CDL_G_HL5)
{
    if (COLOR(1) == -COLOR(0) &&
        O(0) <= O(1) + AVG(EQUAL, 1) && O(0) >= O(1) - AVG(EQUAL, 1) &&
        BODY(0) > AVG(BODY_LONG, 0) &&
        ((COLOR(0) == 1 && LOWER(0) < AVG(SHADOW_VERY_SHORT, 0)) ||
         (COLOR(0) == -1 && UPPER(0) < AVG(SHADOW_VERY_SHORT, 0))))
        return COLOR(0) * 100;
    return 0;
}
