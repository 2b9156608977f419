/* The chart's older candles: a cache, per symbol x timeframe, of stored closed
 * candles older than the snapshot's oldest, read page by page in the
 * background (ui_options.older) as the chart is panned back. Pure logic, no
 * curses: what to ask for next and how an answer joins the cache. */
#ifndef ALPHAPULSE_CHART_HISTORY_H
#define ALPHAPULSE_CHART_HISTORY_H
#include <stdbool.h>
#include <stdint.h>
#include "alphapulse/instrument.h"
#include "alphapulse/ui.h"

#define HIST_PAGE 500          /* candles per read */
#define HIST_CAP 4000          /* candles cached at most: panning back stops there */

struct chart_history {
    char symbol[SYMBOL_MAX];   /* whose candles: the view the snapshot shows */
    int tf;
    struct candle *c;          /* oldest first, each open time once */
    int n;
    int64_t upto;              /* every stored candle in [c[0].open_time, upto) is held */
    bool start;                /* nothing older than c[0] is stored (the start of the history) */
    bool pending;              /* a read was asked and not answered yet (maybe of another view) */
    bool failed;               /* the last read failed: err says why; no more reads for this view */
    char err[200];
};

/* The view to cache: a symbol or timeframe other than the cached one drops the
 * cache (a pending read's answer will not be taken). */
void hist_key(struct chart_history *h, const char *symbol, int tf);
/* How many cached candles open before seam (the snapshot's oldest candle): the
 * ones the chart shows before the snapshot's, so none is shown twice. */
int hist_held(const struct chart_history *h, int64_t seam);
/* The next read, if one is due: *before and *max for ui_options.older. A fill
 * when the snapshot's oldest has moved past what the cache covers (new candles
 * while panned back), else an older page when the view is near the oldest
 * candle held (near_oldest) and the start is not reached, nor the cap. */
bool hist_next(const struct chart_history *h, int64_t seam, bool near_oldest, int64_t *before, int *max);
/* Marks a read as asked. */
void hist_asked(struct chart_history *h);
/* An answer: joins the cache when it is of the cached view (page->c is taken
 * and freed either way). A page that does not meet the cached candles replaces them. */
void hist_take(struct chart_history *h, struct ui_older *page);
void hist_free(struct chart_history *h);

#endif
