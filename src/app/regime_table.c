/* The regime report's rows and text (regime_table.h). A trend row says which
 * way the drift pointed and how often the next `horizon` candles went that way. */
#include "alphapulse/regime_table.h"

#include <math.h>

int regime_table_row(int regime, int dir)
{
    if (regime < 0 || regime >= REGIME_COUNT)
        return -1;
    if (regime == REGIME_WEAK_TREND && dir != 0)
        return dir > 0 ? REGIME_ROW_WEAK_UP : REGIME_ROW_WEAK_DOWN;
    if (regime == REGIME_STRONG_TREND && dir != 0)
        return dir > 0 ? REGIME_ROW_STRONG_UP : REGIME_ROW_STRONG_DOWN;
    return regime;
}

const char *regime_table_name(int row)
{
    switch (row) {
    case REGIME_ROW_WEAK_UP: return "WEAK_TREND (bull)";
    case REGIME_ROW_WEAK_DOWN: return "WEAK_TREND (bear)";
    case REGIME_ROW_STRONG_UP: return "STRONG_TREND (bull)";
    case REGIME_ROW_STRONG_DOWN: return "STRONG_TREND (bear)";
    default: return regime_name(row);
    }
}

const char *regime_table_key(int row)
{
    switch (row) {
    case REGIME_ROW_WEAK_UP: return "WEAK_TREND_BULL";
    case REGIME_ROW_WEAK_DOWN: return "WEAK_TREND_BEAR";
    case REGIME_ROW_STRONG_UP: return "STRONG_TREND_UP";
    case REGIME_ROW_STRONG_DOWN: return "STRONG_TREND_DOWN";
    default: return regime_name(row);
    }
}

bool regime_table_shown(int row)
{
    return row >= 0 && row < REGIME_ROWS && row != REGIME_WEAK_TREND && row != REGIME_STRONG_TREND;
}

/* the direction a row names: +1 bull, -1 bear, 0 none */
static int row_dir(int row)
{
    switch (row) {
    case REGIME_STRONG_TREND_BULL: case REGIME_ROW_WEAK_UP: case REGIME_ROW_STRONG_UP: return 1;
    case REGIME_STRONG_TREND_BEAR: case REGIME_ROW_WEAK_DOWN: case REGIME_ROW_STRONG_DOWN: return -1;
    default: return 0;
    }
}

void regime_table_print(FILE *f, const char *tf, const struct eval_regime_row rows[REGIME_ROWS], int horizon,
                        int trail)
{
    fprintf(f, "\nRegimes on %s: what followed each label (%d candles ahead; volatility against the %d before)\n", tf,
            horizon, trail);
    fprintf(f, "  %-20s  share  fwd vol  up share (95%% CI)      mean move  fwd range  median run  drift's way\n",
            "label");
    for (int k = 0; k < REGIME_ROWS; k++) {
        const struct eval_regime_row *w = &rows[k];
        if (!w->candles || !regime_table_shown(k))
            continue;
        int d = row_dir(k);
        /* the share of forward moves the way the drift pointed when labelled */
        char vol[16] = "      -", named[16] = "";
        if (isfinite(w->vol_ratio))
            snprintf(vol, sizeof vol, "%6.2fx", w->vol_ratio);
        if (d && !isnan(w->up_share))
            snprintf(named, sizeof named, "%.1f%%", 100 * (d > 0 ? w->up_share : 1 - w->up_share));
        fprintf(f, "  %-20s %5.1f%%  %s   %5.1f%% (%5.1f-%5.1f%%)  %+8.3f%%   %7.2f%%  %6.0f      %s\n",
                regime_table_name(k), 100 * w->share, vol, 100 * w->up_share, 100 * w->up_lo, 100 * w->up_hi,
                100 * w->mean_ret, 100 * w->range, w->median_run, named);
    }
}
