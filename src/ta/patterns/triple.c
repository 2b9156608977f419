/* Three-candle patterns: the star family (morning/evening, doji stars, abandoned baby,
 * tri-star), soldiers and crows, inside/outside, gaps (tasuki, side-by-side white,
 * upside gap two crows, gap three methods), stick sandwich, unique three river.
 * TA-Lib 0.6.0's definitions; penetration 0.3 for the star family. */
#include "candle_settings.h"

#define STAR_PENETRATION 0.3

#undef LB
#define LB 3
/* an engulfing followed by a candle closing further in its direction */
CDL_PATTERN(3outside, "3outside", "3OU", "Three Outside Up/Down", 0)
{
    if ((COLOR(1) == 1 && COLOR(2) == -1 && C(1) > O(2) && O(1) < C(2) && C(0) > C(1)) ||
        (COLOR(1) == -1 && COLOR(2) == 1 && O(1) > C(2) && C(1) < O(2) && C(0) < C(1)))
        return COLOR(1) * 100;
    return 0;
}

#undef LB
#define LB 2
/* two same-colour candles with a body gap, then an opposite one closing into the gap */
CDL_PATTERN(xsidegap3methods, "xsidegap3methods", "XGM", "Upside/Downside Gap Three Methods", 0)
{
    if (COLOR(2) == COLOR(1) && COLOR(1) == -COLOR(0) &&
        O(0) < TOP(1) && O(0) > BOT(1) &&
        C(0) < TOP(2) && C(0) > BOT(2) &&
        ((COLOR(2) == 1 && BODY_GAP_UP(1, 2)) || (COLOR(2) == -1 && BODY_GAP_DOWN(1, 2))))
        return COLOR(2) * 100;
    return 0;
}

#undef LB
#define LB (CDL_P_BODY_LONG + 2)
CDL_PATTERN(2crows, "2crows", "2CR", "Two Crows", CDL_G_BODY)
{
    if (COLOR(2) == 1 && BODY(2) > AVG(BODY_LONG, 2) &&
        COLOR(1) == -1 && BODY_GAP_UP(1, 2) &&
        COLOR(0) == -1 && O(0) < O(1) && O(0) > C(1) &&
        C(0) > O(2) && C(0) < C(2))
        return -100;
    return 0;
}

#undef LB
#define LB (CDL_MAX(CDL_P_BODY_SHORT, CDL_P_BODY_LONG) + 2)
/* a harami confirmed by a third candle closing beyond the first open */
CDL_PATTERN(3inside, "3inside", "3IN", "Three Inside Up/Down", CDL_G_BODY)
{
    if (BODY(2) > AVG(BODY_LONG, 2) && BODY(1) <= AVG(BODY_SHORT, 1) &&
        TOP(1) < TOP(2) && BOT(1) > BOT(2) &&
        ((COLOR(2) == 1 && COLOR(0) == -1 && C(0) < O(2)) ||
         (COLOR(2) == -1 && COLOR(0) == 1 && C(0) > O(2))))
        return -COLOR(2) * 100;
    return 0;
}

/* long black, short star gapping down, white closing well into the first body */
CDL_PATTERN(morningstar, "morningstar", "MST", "Morning Star", CDL_G_BODY)
{
    if (BODY(2) > AVG(BODY_LONG, 2) && COLOR(2) == -1 &&
        BODY(1) <= AVG(BODY_SHORT, 1) && BODY_GAP_DOWN(1, 2) &&
        BODY(0) > AVG(BODY_SHORT, 0) && COLOR(0) == 1 &&
        C(0) > C(2) + BODY(2) * STAR_PENETRATION)
        return 100;
    return 0;
}

CDL_PATTERN(eveningstar, "eveningstar", "EST", "Evening Star", CDL_G_BODY)
{
    if (BODY(2) > AVG(BODY_LONG, 2) && COLOR(2) == 1 &&
        BODY(1) <= AVG(BODY_SHORT, 1) && BODY_GAP_UP(1, 2) &&
        BODY(0) > AVG(BODY_SHORT, 0) && COLOR(0) == -1 &&
        C(0) < C(2) - BODY(2) * STAR_PENETRATION)
        return -100;
    return 0;
}

/* long black, short black opening inside it with a lower low, small white above that low */
CDL_PATTERN(unique3river, "unique3river", "U3R", "Unique 3 River", CDL_G_BODY)
{
    if (BODY(2) > AVG(BODY_LONG, 2) && COLOR(2) == -1 &&
        COLOR(1) == -1 && C(1) > C(2) && O(1) <= O(2) && L(1) < L(2) &&
        BODY(0) < AVG(BODY_SHORT, 0) && COLOR(0) == 1 && O(0) > L(1))
        return 100;
    return 0;
}

/* long white, small black gapping up, a black engulfing it but closing above the gap */
CDL_PATTERN(upsidegap2crows, "upsidegap2crows", "UG2", "Upside Gap Two Crows", CDL_G_BODY)
{
    if (COLOR(2) == 1 && BODY(2) > AVG(BODY_LONG, 2) &&
        COLOR(1) == -1 && BODY(1) <= AVG(BODY_SHORT, 1) && BODY_GAP_UP(1, 2) &&
        COLOR(0) == -1 && O(0) > O(1) && C(0) < C(1) && C(0) > C(2))
        return -100;
    return 0;
}

#undef LB
#define LB (CDL_MAX(CDL_MAX(CDL_P_BODY_DOJI, CDL_P_BODY_LONG), CDL_P_BODY_SHORT) + 2)
/* long body, doji gapping away (whole candles), opposite body gapping back */
CDL_PATTERN(abandonedbaby, "abandonedbaby", "ABB", "Abandoned Baby", CDL_G_BODY | CDL_G_HL10)
{
    if (BODY(2) > AVG(BODY_LONG, 2) && BODY(1) <= AVG(BODY_DOJI, 1) &&
        BODY(0) > AVG(BODY_SHORT, 0) &&
        ((COLOR(2) == 1 && COLOR(0) == -1 &&
          C(0) < C(2) - BODY(2) * STAR_PENETRATION && GAP_UP(1, 2) && GAP_DOWN(0, 1)) ||
         (COLOR(2) == -1 && COLOR(0) == 1 &&
          C(0) > C(2) + BODY(2) * STAR_PENETRATION && GAP_DOWN(1, 2) && GAP_UP(0, 1))))
        return COLOR(0) * 100;
    return 0;
}

CDL_PATTERN(morningdojistar, "morningdojistar", "MDS", "Morning Doji Star", CDL_G_BODY | CDL_G_HL10)
{
    if (BODY(2) > AVG(BODY_LONG, 2) && COLOR(2) == -1 &&
        BODY(1) <= AVG(BODY_DOJI, 1) && BODY_GAP_DOWN(1, 2) &&
        BODY(0) > AVG(BODY_SHORT, 0) && COLOR(0) == 1 &&
        C(0) > C(2) + BODY(2) * STAR_PENETRATION)
        return 100;
    return 0;
}

CDL_PATTERN(eveningdojistar, "eveningdojistar", "EDS", "Evening Doji Star", CDL_G_BODY | CDL_G_HL10)
{
    if (BODY(2) > AVG(BODY_LONG, 2) && COLOR(2) == 1 &&
        BODY(1) <= AVG(BODY_DOJI, 1) && BODY_GAP_UP(1, 2) &&
        BODY(0) > AVG(BODY_SHORT, 0) && COLOR(0) == -1 &&
        C(0) < C(2) - BODY(2) * STAR_PENETRATION)
        return -100;
    return 0;
}

#undef LB
#define LB (CDL_P_BODY_DOJI + 2)
/* three dojis (all measured against the first one's average), the middle one gapping */
CDL_PATTERN(tristar, "tristar", "TRI", "Tristar", CDL_G_HL10)
{
    double avg = AVG(BODY_DOJI, 2);
    int v = 0;
    if (BODY(2) <= avg && BODY(1) <= avg && BODY(0) <= avg) {
        if (BODY_GAP_UP(1, 2) && TOP(0) < TOP(1))
            v = -100;
        if (BODY_GAP_DOWN(1, 2) && BOT(0) > BOT(1))
            v = 100;
    }
    return v;
}

#undef LB
#define LB (CDL_MAX(CDL_MAX(CDL_P_SHADOW_VERY_SHORT, CDL_P_SHADOW_LONG), CDL_MAX(CDL_P_BODY_LONG, CDL_P_BODY_SHORT)) + 2)
/* three black candles shrinking inside each other, the last a small marubozu */
CDL_PATTERN(3starsinsouth, "3starsinsouth", "3SS", "Three Stars In The South", CDL_G_BODY | CDL_G_HL10)
{
    if (COLOR(2) == -1 && COLOR(1) == -1 && COLOR(0) == -1 &&
        BODY(2) > AVG(BODY_LONG, 2) && LOWER(2) > AVG(SHADOW_LONG, 2) &&
        BODY(1) < BODY(2) && O(1) > C(2) && O(1) <= H(2) && L(1) < C(2) && L(1) >= L(2) &&
        LOWER(1) > AVG(SHADOW_VERY_SHORT, 1) &&
        BODY(0) < AVG(BODY_SHORT, 0) &&
        LOWER(0) < AVG(SHADOW_VERY_SHORT, 0) && UPPER(0) < AVG(SHADOW_VERY_SHORT, 0) &&
        L(0) > L(1) && H(0) < H(1))
        return 100;
    return 0;
}

#undef LB
#define LB (CDL_MAX(CDL_MAX(CDL_P_SHADOW_VERY_SHORT, CDL_P_BODY_SHORT), CDL_MAX(CDL_P_FAR, CDL_P_NEAR)) + 2)
/* three rising whites with short upper shadows, each opening within the previous body */
CDL_PATTERN(3whitesoldiers, "3whitesoldiers", "3WS", "Three Advancing White Soldiers",
            CDL_G_BODY | CDL_G_HL10 | CDL_G_HL5)
{
    if (COLOR(2) == 1 && UPPER(2) < AVG(SHADOW_VERY_SHORT, 2) &&
        COLOR(1) == 1 && UPPER(1) < AVG(SHADOW_VERY_SHORT, 1) &&
        COLOR(0) == 1 && UPPER(0) < AVG(SHADOW_VERY_SHORT, 0) &&
        C(0) > C(1) && C(1) > C(2) &&
        O(1) > O(2) && O(1) <= C(2) + AVG(NEAR, 2) &&
        O(0) > O(1) && O(0) <= C(1) + AVG(NEAR, 1) &&
        BODY(1) > BODY(2) - AVG(FAR, 2) &&
        BODY(0) > BODY(1) - AVG(FAR, 1) &&
        BODY(0) > AVG(BODY_SHORT, 0))
        return 100;
    return 0;
}

#undef LB
#define LB (CDL_MAX(CDL_MAX(CDL_MAX(CDL_P_SHADOW_LONG, CDL_P_SHADOW_SHORT), CDL_MAX(CDL_P_FAR, CDL_P_NEAR)), CDL_P_BODY_LONG) + 2)
/* three rising whites losing strength: shrinking bodies or growing upper shadows */
CDL_PATTERN(advanceblock, "advanceblock", "ADB", "Advance Block", CDL_G_BODY | CDL_G_SHADOWS | CDL_G_HL5)
{
    if (COLOR(2) == 1 && COLOR(1) == 1 && COLOR(0) == 1 &&
        C(0) > C(1) && C(1) > C(2) &&
        O(1) > O(2) && O(1) <= C(2) + AVG(NEAR, 2) &&
        O(0) > O(1) && O(0) <= C(1) + AVG(NEAR, 1) &&
        BODY(2) > AVG(BODY_LONG, 2) &&
        UPPER(2) < AVG(SHADOW_SHORT, 2) &&
        ((BODY(1) < BODY(2) - AVG(FAR, 2) && BODY(0) < BODY(1) + AVG(NEAR, 1)) ||
         (BODY(0) < BODY(1) - AVG(FAR, 1)) ||
         (BODY(0) < BODY(1) && BODY(1) < BODY(2) &&
          (UPPER(0) > AVG(SHADOW_SHORT, 0) || UPPER(1) > AVG(SHADOW_SHORT, 1))) ||
         (BODY(0) < BODY(1) && UPPER(0) > AVG(SHADOW_LONG, 0))))
        return -100;
    return 0;
}

#undef LB
#define LB (CDL_MAX(CDL_MAX(CDL_P_BODY_LONG, CDL_P_BODY_SHORT), CDL_MAX(CDL_P_SHADOW_VERY_SHORT, CDL_P_NEAR)) + 2)
/* two long whites, then a small one opening near the second's close */
CDL_PATTERN(stalledpattern, "stalledpattern", "STL", "Stalled Pattern", CDL_G_BODY | CDL_G_HL10 | CDL_G_HL5)
{
    if (COLOR(2) == 1 && COLOR(1) == 1 && COLOR(0) == 1 &&
        C(0) > C(1) && C(1) > C(2) &&
        BODY(2) > AVG(BODY_LONG, 2) && BODY(1) > AVG(BODY_LONG, 1) &&
        UPPER(1) < AVG(SHADOW_VERY_SHORT, 1) &&
        O(1) > O(2) && O(1) <= C(2) + AVG(NEAR, 2) &&
        BODY(0) < AVG(BODY_SHORT, 0) &&
        O(0) >= C(1) - BODY(0) - AVG(NEAR, 1))
        return -100;
    return 0;
}

#undef LB
#define LB (CDL_MAX(CDL_P_SHADOW_VERY_SHORT, CDL_P_EQUAL) + 2)
/* three declining blacks, each opening at the previous close */
CDL_PATTERN(identical3crows, "identical3crows", "I3C", "Identical Three Crows", CDL_G_HL10 | CDL_G_HL5)
{
    if (COLOR(2) == -1 && LOWER(2) < AVG(SHADOW_VERY_SHORT, 2) &&
        COLOR(1) == -1 && LOWER(1) < AVG(SHADOW_VERY_SHORT, 1) &&
        COLOR(0) == -1 && LOWER(0) < AVG(SHADOW_VERY_SHORT, 0) &&
        C(2) > C(1) && C(1) > C(0) &&
        O(1) <= C(2) + AVG(EQUAL, 2) && O(1) >= C(2) - AVG(EQUAL, 2) &&
        O(0) <= C(1) + AVG(EQUAL, 1) && O(0) >= C(1) - AVG(EQUAL, 1))
        return -100;
    return 0;
}

#undef LB
#define LB (CDL_MAX(CDL_P_NEAR, CDL_P_EQUAL) + 2)
/* two similar whites side by side after a body gap (either way) */
CDL_PATTERN(gapsidesidewhite, "gapsidesidewhite", "GSW", "Up/Down-gap side-by-side white lines", CDL_G_HL5)
{
    if (((BODY_GAP_UP(1, 2) && BODY_GAP_UP(0, 2)) || (BODY_GAP_DOWN(1, 2) && BODY_GAP_DOWN(0, 2))) &&
        COLOR(1) == 1 && COLOR(0) == 1 &&
        BODY(0) >= BODY(1) - AVG(NEAR, 1) && BODY(0) <= BODY(1) + AVG(NEAR, 1) &&
        O(0) >= O(1) - AVG(EQUAL, 1) && O(0) <= O(1) + AVG(EQUAL, 1))
        return BODY_GAP_UP(1, 2) ? 100 : -100;
    return 0;
}

#undef LB
#define LB (CDL_P_EQUAL + 2)
/* black, white trading above its close, black closing at the first close */
CDL_PATTERN(sticksandwich, "sticksandwich", "SSW", "Stick Sandwich", CDL_G_HL5)
{
    if (COLOR(2) == -1 && COLOR(1) == 1 && COLOR(0) == -1 &&
        L(1) > C(2) &&
        C(0) <= C(2) + AVG(EQUAL, 2) && C(0) >= C(2) - AVG(EQUAL, 2))
        return 100;
    return 0;
}

#undef LB
#define LB (CDL_P_NEAR + 2)
/* a body gap, then two opposite candles of similar size, the second not closing it */
CDL_PATTERN(tasukigap, "tasukigap", "TSK", "Tasuki Gap", CDL_G_HL5)
{
    if ((BODY_GAP_UP(1, 2) && COLOR(1) == 1 && COLOR(0) == -1 &&
         O(0) < C(1) && O(0) > O(1) && C(0) < O(1) && C(0) > TOP(2) &&
         fabs(BODY(1) - BODY(0)) < AVG(NEAR, 1)) ||
        (BODY_GAP_DOWN(1, 2) && COLOR(1) == -1 && COLOR(0) == 1 &&
         O(0) < O(1) && O(0) > C(1) && C(0) > O(1) && C(0) < BOT(2) &&
         fabs(BODY(1) - BODY(0)) < AVG(NEAR, 1)))
        return COLOR(1) * 100;
    return 0;
}
