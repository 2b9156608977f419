/* The chart's cache of older candles (chart_history.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chart_history.h"

void hist_key(struct chart_history *h, const char *symbol, int tf)
{
    if (h->tf == tf && strcmp(h->symbol, symbol) == 0)
        return;
    bool pending = h->pending;
    free(h->c);
    *h = (struct chart_history){ .tf = tf, .pending = pending };
    snprintf(h->symbol, sizeof h->symbol, "%s", symbol);
}

int hist_held(const struct chart_history *h, int64_t seam)
{
    int lo = 0, hi = h->n;                    /* the first candle opening at or after seam */
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (h->c[mid].open_time < seam)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

bool hist_next(const struct chart_history *h, int64_t seam, bool near_oldest, int64_t *before, int *max)
{
    if (h->pending || h->failed || !h->symbol[0])
        return false;
    if (h->n > 0 && seam > h->upto) {
        *before = seam;
        *max = HIST_PAGE;
        return true;
    }
    if (!near_oldest || h->start || h->n >= HIST_CAP)
        return false;
    *before = h->n > 0 ? h->c[0].open_time : seam;
    *max = HIST_CAP - h->n < HIST_PAGE ? HIST_CAP - h->n : HIST_PAGE;
    return true;
}

void hist_asked(struct chart_history *h) { h->pending = true; }

static int by_time(const void *a, const void *b)
{
    int64_t x = ((const struct candle *)a)->open_time, y = ((const struct candle *)b)->open_time;
    return x < y ? -1 : x > y;
}

/* The page's candles and the cache's, sorted, each open time once (the page's
 * copy wins: it is the newer read). 0, or -1 out of memory. */
static int merge(struct chart_history *h, const struct candle *p, int np)
{
    if (np == 0)
        return 0;
    struct candle *m = malloc(sizeof *m * (size_t)(h->n + np));
    if (!m)
        return -1;
    memcpy(m, p, sizeof *p * (size_t)np);
    int n = np;
    for (int i = 0; i < h->n; i++) {
        const struct candle *key = &h->c[i];
        if (!bsearch(key, p, (size_t)np, sizeof *p, by_time))
            m[n++] = *key;
    }
    qsort(m, (size_t)n, sizeof *m, by_time);
    free(h->c);
    h->c = m;
    h->n = n;
    return 0;
}

void hist_take(struct chart_history *h, struct ui_older *pg)
{
    h->pending = false;
    bool ours = pg->tf == h->tf && strcmp(pg->symbol, h->symbol) == 0;
    if (ours && pg->n < 0) {
        h->failed = true;
        snprintf(h->err, sizeof h->err, "%s", pg->msg);
    } else if (ours) {
        bool all_older = pg->n < pg->max;      /* the page holds every stored candle before its bound */
        int64_t lo = pg->n > 0 ? pg->c[0].open_time : pg->before;
        bool meets = h->n == 0 || (pg->before >= h->c[0].open_time && (all_older || lo <= h->upto));
        if (!meets) {
            free(h->c);
            h->c = NULL;
            h->n = 0;
            h->start = false;
        }
        if (h->n == 0)
            h->upto = pg->before;
        if (merge(h, pg->c, pg->n) == 0) {
            if (pg->before > h->upto)
                h->upto = pg->before;
            if (all_older)
                h->start = true;
            if (h->n > HIST_CAP) {             /* fills grew it at the new end: the oldest go */
                int drop = h->n - HIST_CAP;
                memmove(h->c, h->c + drop, sizeof *h->c * (size_t)HIST_CAP);
                h->n = HIST_CAP;
                h->start = false;
            }
        } else {
            h->failed = true;
            snprintf(h->err, sizeof h->err, "out of memory");
        }
    }
    free(pg->c);
    pg->c = NULL;
}

void hist_free(struct chart_history *h)
{
    free(h->c);
    h->c = NULL;
    h->n = 0;
}
