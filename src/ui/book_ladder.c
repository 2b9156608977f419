/* The order book screen's arithmetic (book_ladder.h). */
#include "book_ladder.h"

#include <math.h>
#include <string.h>

/* One side into out (best first); ask rounds the bucket up, a bid down. */
static int group_side(const struct snap_level *lv, int n, double tick, int group, bool ask,
                      struct ladder_row *out)
{
    int rows = 0;
    double cum = 0;
    bool grouped = tick > 0 && group > 1;
    for (int i = 0; i < n && i < SNAP_DEPTH; i++) {
        double px = lv[i].px;
        if (grouped) {
            double t = llround(px / tick);                 /* in ticks */
            double b = ask ? ceil(t / group) : floor(t / group);
            px = b * group * tick;
        }
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
