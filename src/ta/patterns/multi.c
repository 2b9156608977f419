/* Patterns of four or more candles (three black crows, three-line strike, concealing
 * baby swallow, breakaway, ladder bottom, mat hold, rising/falling three methods) and
 * the two hikkakes, whose state carries a setup over the next three candles: the
 * setup candle gives +-100, a close beyond the inside bar within 3 candles gives +-200.
 * TA-Lib 0.6.0's definitions; mat hold uses penetration 0.5. */
#include "candle_settings.h"

#define MATHOLD_PENETRATION 0.5

#undef LB
#define LB (CDL_P_SHADOW_VERY_SHORT + 3)
/* after a white candle, three declining blacks closing near their lows */
CDL_PATTERN(3blackcrows, "3blackcrows", "3BC", "Three Black Crows", CDL_G_HL10)
{
    if (COLOR(3) == 1 &&
        COLOR(2) == -1 && LOWER(2) < AVG(SHADOW_VERY_SHORT, 2) &&
        COLOR(1) == -1 && LOWER(1) < AVG(SHADOW_VERY_SHORT, 1) &&
        COLOR(0) == -1 && LOWER(0) < AVG(SHADOW_VERY_SHORT, 0) &&
        O(1) < O(2) && O(1) > C(2) &&
        O(0) < O(1) && O(0) > C(1) &&
        H(3) > C(2) && C(2) > C(1) && C(1) > C(0))
        return -100;
    return 0;
}

/* four blacks: two marubozu, a third gapping down with a long upper shadow into the
 * second body, a fourth engulfing the third including its shadows */
CDL_PATTERN(concealbabyswall, "concealbabyswall", "CBS", "Concealing Baby Swallow", CDL_G_HL10)
{
    if (COLOR(3) == -1 && COLOR(2) == -1 && COLOR(1) == -1 && COLOR(0) == -1 &&
        LOWER(3) < AVG(SHADOW_VERY_SHORT, 3) && UPPER(3) < AVG(SHADOW_VERY_SHORT, 3) &&
        LOWER(2) < AVG(SHADOW_VERY_SHORT, 2) && UPPER(2) < AVG(SHADOW_VERY_SHORT, 2) &&
        BODY_GAP_DOWN(1, 2) &&
        UPPER(1) > AVG(SHADOW_VERY_SHORT, 1) &&
        H(1) > C(2) &&
        H(0) > H(1) && L(0) < L(1))
        return 100;
    return 0;
}

#undef LB
#define LB (CDL_P_NEAR + 3)
/* three candles stepping in one direction, then one opposite wiping them out */
CDL_PATTERN(3linestrike, "3linestrike", "3LS", "Three-Line Strike", CDL_G_HL5)
{
    if (COLOR(3) == COLOR(2) && COLOR(2) == COLOR(1) && COLOR(0) == -COLOR(1) &&
        O(2) >= BOT(3) - AVG(NEAR, 3) && O(2) <= TOP(3) + AVG(NEAR, 3) &&
        O(1) >= BOT(2) - AVG(NEAR, 2) && O(1) <= TOP(2) + AVG(NEAR, 2) &&
        ((COLOR(1) == 1 && C(1) > C(2) && C(2) > C(3) && O(0) > C(1) && C(0) < O(3)) ||
         (COLOR(1) == -1 && C(1) < C(2) && C(2) < C(3) && O(0) < C(1) && C(0) > O(3))))
        return COLOR(1) * 100;
    return 0;
}

#undef LB
#define LB (CDL_P_BODY_LONG + 4)
/* long body, a gap, three candles drifting on, then a reversal closing inside the gap */
CDL_PATTERN(breakaway, "breakaway", "BRK", "Breakaway", CDL_G_BODY)
{
    if (BODY(4) > AVG(BODY_LONG, 4) &&
        COLOR(4) == COLOR(3) && COLOR(3) == COLOR(1) && COLOR(1) == -COLOR(0) &&
        ((COLOR(4) == -1 && BODY_GAP_DOWN(3, 4) &&
          H(2) < H(3) && L(2) < L(3) && H(1) < H(2) && L(1) < L(2) &&
          C(0) > O(3) && C(0) < C(4)) ||
         (COLOR(4) == 1 && BODY_GAP_UP(3, 4) &&
          H(2) > H(3) && L(2) > L(3) && H(1) > H(2) && L(1) > L(2) &&
          C(0) < O(3) && C(0) > C(4))))
        return COLOR(0) * 100;
    return 0;
}

#undef LB
#define LB (CDL_P_SHADOW_VERY_SHORT + 4)
/* three falling blacks, a black with an upper shadow, a white gapping above its body */
CDL_PATTERN(ladderbottom, "ladderbottom", "LDB", "Ladder Bottom", CDL_G_HL10)
{
    if (COLOR(4) == -1 && COLOR(3) == -1 && COLOR(2) == -1 &&
        O(4) > O(3) && O(3) > O(2) && C(4) > C(3) && C(3) > C(2) &&
        COLOR(1) == -1 && UPPER(1) > AVG(SHADOW_VERY_SHORT, 1) &&
        COLOR(0) == 1 && O(0) > O(1) && C(0) > H(1))
        return 100;
    return 0;
}

#undef LB
#define LB (CDL_MAX(CDL_P_BODY_SHORT, CDL_P_BODY_LONG) + 4)
/* long white, small black gapping up, two more small bodies held within the first
 * body's upper part, a white closing above all of them */
CDL_PATTERN(mathold, "mathold", "MTH", "Mat Hold", CDL_G_BODY)
{
    if (BODY(4) > AVG(BODY_LONG, 4) &&
        BODY(3) < AVG(BODY_SHORT, 3) && BODY(2) < AVG(BODY_SHORT, 2) && BODY(1) < AVG(BODY_SHORT, 1) &&
        COLOR(4) == 1 && COLOR(3) == -1 && COLOR(0) == 1 &&
        BODY_GAP_UP(3, 4) &&
        BOT(2) < C(4) && BOT(1) < C(4) &&
        BOT(2) > C(4) - BODY(4) * MATHOLD_PENETRATION &&
        BOT(1) > C(4) - BODY(4) * MATHOLD_PENETRATION &&
        TOP(2) < O(3) && TOP(1) < TOP(2) &&
        O(0) > C(1) &&
        C(0) > CDL_MAX(CDL_MAX(H(3), H(2)), H(1)))
        return 100;
    return 0;
}

/* long body, three small counter-moving bodies within its range, a long body
 * resuming the first direction to a new close */
CDL_PATTERN(risefall3methods, "risefall3methods", "RF3", "Rising/Falling Three Methods", CDL_G_BODY)
{
    int c4 = COLOR(4);
    if (BODY(4) > AVG(BODY_LONG, 4) &&
        BODY(3) < AVG(BODY_SHORT, 3) && BODY(2) < AVG(BODY_SHORT, 2) && BODY(1) < AVG(BODY_SHORT, 1) &&
        BODY(0) > AVG(BODY_LONG, 0) &&
        c4 == -COLOR(3) && COLOR(3) == COLOR(2) && COLOR(2) == COLOR(1) && COLOR(1) == -COLOR(0) &&
        BOT(3) < H(4) && TOP(3) > L(4) &&
        BOT(2) < H(4) && TOP(2) > L(4) &&
        BOT(1) < H(4) && TOP(1) > L(4) &&
        C(2) * c4 < C(3) * c4 &&
        C(1) * c4 < C(2) * c4 &&
        O(0) * c4 > C(1) * c4 &&
        C(0) * c4 > C(4) * c4)
        return 100 * c4;
    return 0;
}

/* Shared hikkake bookkeeping: a setup at this candle, or a confirmation of the last
 * setup (close beyond the inside bar's high/low within three candles). */
static int hikkake_step(struct cdl_state *st, struct cdl_hikkake_state *hs, int setup)
{
    int64_t t = st->n - 1;
    if (setup) {
        hs->result = H(0) < H(1) ? 100 : -100;
        hs->idx = t;
        hs->high1 = H(1);
        hs->low1 = L(1);
        return hs->result;
    }
    if (t <= hs->idx + 3 &&
        ((hs->result > 0 && C(0) > hs->high1) || (hs->result < 0 && C(0) < hs->low1))) {
        hs->idx = 0;
        return hs->result + (hs->result > 0 ? 100 : -100);
    }
    return 0;
}

#undef LB
#define LB 5
/* an inside bar, then a false breakout: +100 when it breaks down (bullish trap),
 * -100 when it breaks up; +-200 on confirmation. TA-Lib starts tracking 3 rows early. */
CDL_PATTERN_FIRST(hikkake, "hikkake", "HKK", "Hikkake Pattern", 0, LB - 3)
{
    int setup = H(1) < H(2) && L(1) > L(2) &&
        ((H(0) < H(1) && L(0) < L(1)) || (H(0) > H(1) && L(0) > L(1)));
    return hikkake_step(st, &st->hikkake, setup);
}

#undef LB
#define LB (CDL_MAX(1, CDL_P_NEAR) + 5)
/* two nested inside bars, the second closing near its extreme, then a false breakout.
 * Its running total starts where TA-Lib starts it: at row 0, 3 rows before the
 * lookback (the state is tracked from there). */
CDL_PATTERN_FIRST(hikkakemod, "hikkakemod", "HKM", "Modified Hikkake Pattern", CDL_G_HL5, LB - 3)
{
    int setup = H(2) < H(3) && L(2) > L(3) && H(1) < H(2) && L(1) > L(2) &&
        ((H(0) < H(1) && L(0) < L(1) && C(2) <= L(2) + AVG_AT(NEAR, 2, 0)) ||
         (H(0) > H(1) && L(0) > L(1) && C(2) >= H(2) - AVG_AT(NEAR, 2, 0)));
    return hikkake_step(st, &st->hikkake_mod, setup);
}
