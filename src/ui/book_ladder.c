/* The order book screen's arithmetic (book_ladder.h). */
#include "book_ladder.h"

#include <math.h>
#include <string.h>

/* A price's bucket: the ask side rounds up, the bid side down. */
static double bucket(double px, double tick, int group, bool ask)
{
    if (!(tick > 0) || group <= 1)
        return px;
    double t = llround(px / tick);                         /* in ticks */
    return (ask ? ceil(t / group) : floor(t / group)) * group * tick;
}

/* One side into out (best first); ask rounds the bucket up, a bid down. */
static int group_side(const struct snap_level *lv, int n, double tick, int group, bool ask,
                      struct ladder_row *out)
{
    int rows = 0;
    double cum = 0;
    for (int i = 0; i < n && i < SNAP_DEPTH; i++) {
        double px = bucket(lv[i].px, tick, group, ask);
        cum += lv[i].qty;
        if (rows > 0 && out[rows - 1].px == px) {
            out[rows - 1].qty += lv[i].qty;
        } else {
            out[rows].px = px;
            out[rows].qty = lv[i].qty;
            rows++;
        }
        out[rows - 1].cum = cum;
    }
    return rows;
}

int ladder_build(const struct snap_level *bids, int n_bids, const struct snap_level *asks, int n_asks,
                 double tick, int group, struct ladder *out)
{
    memset(out, 0, sizeof *out);
    out->n_bids = group_side(bids, n_bids, tick, group, false, out->bids);
    out->n_asks = group_side(asks, n_asks, tick, group, true, out->asks);
    if (out->n_bids)
        out->max_cum = out->bids[out->n_bids - 1].cum;
    if (out->n_asks && out->asks[out->n_asks - 1].cum > out->max_cum)
        out->max_cum = out->asks[out->n_asks - 1].cum;
    return out->n_bids + out->n_asks;
}

/* Equal prices: on the same tick when the tick is known. */
static bool same_px(double a, double b, double tick)
{
    return tick > 0 ? llround(a / tick) == llround(b / tick) : a == b;
}

/* One order on one side's rows (n of them, best first); false when beyond them. */
static bool mark_side(struct ladder_row *rows, int *n, double px, double qty, double tick, bool ask)
{
    int i = 0;
    while (i < *n && !same_px(rows[i].px, px, tick) && (ask ? rows[i].px < px : rows[i].px > px))
        i++;
    if (i == *n || *n == LADDER_ROWS)
        return false;
    if (!same_px(rows[i].px, px, tick)) {                  /* between levels: a row of its own */
        memmove(&rows[i + 1], &rows[i], sizeof rows[0] * (size_t)(*n - i));
        rows[i] = (struct ladder_row){ .px = px, .cum = i > 0 ? rows[i - 1].cum : 0 };
        (*n)++;
    }
    rows[i].own += qty;
    return true;
}

int ladder_mark(struct ladder *l, const struct ladder_own *o, int n, double tick, int group)
{
    int beyond = 0;
    for (int k = 0; k < n; k++) {
        bool ask = o[k].side < 0;
        double px = bucket(o[k].px, tick, group, ask);
        if (!(ask ? mark_side(l->asks, &l->n_asks, px, o[k].qty, tick, true)
                  : mark_side(l->bids, &l->n_bids, px, o[k].qty, tick, false)))
            beyond++;
    }
    return beyond;
}

bool ladder_spread(double bid, double ask, double tick, double *ticks, double *bps)
{
    if (!(bid > 0) || !(ask > 0))
        return false;
    double mid = (bid + ask) / 2;
    *ticks = tick > 0 ? (double)llround((ask - bid) / tick) : -1;
    *bps = (ask - bid) / mid * 1e4;
    return true;
}

void ladder_fit(int h, int n_asks, int n_bids, int *show_asks, int *show_bids)
{
    int room = h - 1 > 0 ? h - 1 : 0;
    int a = room / 2, b = room - a;
    if (n_asks < a) {
        b += a - n_asks;
        a = n_asks;
    }
    if (n_bids < b) {
        a += b - n_bids;
        b = n_bids;
    }
    *show_asks = a < n_asks ? a : n_asks;
    *show_bids = b < n_bids ? b : n_bids;
}
