/* The candle chart. Each terminal row holds two price steps: a candle's body and
 * wick are drawn with half blocks (▀ ▄ █) and half lines (╵ ╷ │), doubling the
 * vertical resolution; outside UTF-8 the same layout uses | # +. Below the price
 * area: volume bars, then a time axis. The price axis is on the right. */
#include <curses.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "ui_internal.h"

#define AXIS_W 11

struct scale {
    double lo, hi;
    int rows;       /* price rows; 2*rows half-rows */
};

static int half_of(const struct scale *s, double p)
{
    double f = (s->hi - p) / (s->hi - s->lo) * (2.0 * s->rows);
    int h = (int)floor(f);
    if (h < 0)
        h = 0;
    if (h > 2 * s->rows - 1)
        h = 2 * s->rows - 1;
    return h;
}

static double nice_step(double range, int ticks)
{
    double raw = range / (ticks > 1 ? ticks : 1);
    double mag = pow(10, floor(log10(raw)));
    static const double m[] = { 1, 2, 2.5, 5, 10 };
    for (size_t i = 0; i < sizeof m / sizeof m[0]; i++)
        if (m[i] * mag >= raw)
            return m[i] * mag;
    return 10 * mag;
}

static int decimals_for(double step)
{
    int d = (int)ceil(-log10(step) + 1e-9);
    if (fmod(step / pow(10, -d), 1.0) > 1e-6)
        d++;                                   /* 2.5 x 10^k needs one more */
    return d < 0 ? 0 : d > 10 ? 10 : d;
}

static void put(int y, int x, const char *s, int attr)
{
    attron(attr);
    mvaddstr(y, x, s);
    attroff(attr);
}

static void draw_candle(struct ui *u, const struct scale *s, int y0, int x, int w, const struct candle *c)
{
    bool bull = c->close >= c->open;
    int attr = ui_attr(u, bull ? C_BULL : C_BEAR);
    int hi = half_of(s, c->high), lo = half_of(s, c->low);
    int bt = half_of(s, fmax(c->open, c->close)), bb = half_of(s, fmin(c->open, c->close));
    bool doji = fabs(c->close - c->open) < (s->hi - s->lo) / (8.0 * s->rows);
    for (int r = hi / 2; r <= lo / 2; r++) {
        int top = 2 * r, bot = 2 * r + 1;
        bool tb = top >= bt && top <= bb, btm = bot >= bt && bot <= bb;
        bool tw = top >= hi && top <= lo, bw = bot >= hi && bot <= lo;
        const char *g = NULL;
        if (u->ascii) {
            if (tb || btm)
                g = doji ? "+" : "#";
            else if (tw || bw)
                g = "|";
        } else if (tb && btm) {
            g = "█";
        } else if (tb) {
            g = "▀";
        } else if (btm) {
            g = "▄";
        } else if (tw && bw) {
            g = "│";
        } else if (tw) {
            g = "╵";
        } else if (bw) {
            g = "╷";
        }
        if (!g)
            continue;
        bool body = tb || btm;
        for (int i = 0; i < w; i++)
            if (i == 0 || body)                /* wicks stay one column wide */
                put(y0 + r, x + i, g, attr);
    }
}

static void draw_volume(struct ui *u, int y0, int h, int x, int w, double v, double vmax, bool bull)
{
    static const char *const eighths[] = { "", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█" };
    if (vmax <= 0 || h <= 0)
        return;
    int units = (int)lround(v / vmax * h * 8);
    int attr = ui_attr(u, bull ? C_BULL : C_BEAR) | A_DIM;
    for (int r = 0; r < h && units > 0; r++, units -= 8) {
        int part = units >= 8 ? 8 : units;
        const char *g = u->ascii ? (part >= 8 ? "#" : part >= 4 ? ":" : ".") : eighths[part];
        for (int i = 0; i < w; i++)
            put(y0 + h - 1 - r, x + i, g, attr);
    }
}

static void time_label(char *buf, size_t n, int64_t t, int tf)
{
    time_t s = (time_t)(t / 1000);
    struct tm tm;
    gmtime_r(&s, &tm);
    strftime(buf, n, tf == TF_1D ? "%Y-%m-%d" : tf >= TF_1H ? "%m-%d %H:%M" : "%H:%M", &tm);
}

void chart_draw(struct ui *u, struct rect r)
{
    const struct snapshot *s = u->snap;
    int pw = r.w - AXIS_W;
    if (pw < 4 || r.h < 4)
        return;
    int time_h = r.h >= 10 ? 1 : 0;
    int vol_h = r.h >= 16 ? r.h / 6 : r.h >= 8 ? 1 : 0;
    struct scale sc = { .rows = r.h - vol_h - time_h };
    int cw = u->cw, body_w = cw > 2 ? cw - 1 : 1;
    int nvis = pw / cw;
    int last = s->n_candles - 1 - u->pan, first = last - nvis + 1;
    if (first < 0)
        first = 0;
    if (last < 0) {
        put(r.y + r.h / 2, r.x + 2, "waiting for candles...", ui_attr(u, C_DIM));
        return;
    }
    sc.lo = INFINITY;
    sc.hi = -INFINITY;
    double vmax = 0;
    for (int i = first; i <= last; i++) {
        sc.lo = fmin(sc.lo, s->candles[i].low);
        sc.hi = fmax(sc.hi, s->candles[i].high);
        if (isfinite(s->ema[i])) {
            sc.lo = fmin(sc.lo, s->ema[i]);
            sc.hi = fmax(sc.hi, s->ema[i]);
        }
        vmax = fmax(vmax, s->candles[i].volume);
    }
    double pad = (sc.hi - sc.lo) * 0.04;
    if (pad <= 0)
        pad = fabs(sc.hi) * 0.001 + 1e-9;
    sc.lo -= pad;
    sc.hi += pad;

    /* price axis: nicely rounded ticks */
    double step = nice_step(sc.hi - sc.lo, sc.rows / 3);
    int dec = decimals_for(step);
    char lab[32];
    for (int y = 0; y < sc.rows; y++)
        put(r.y + y, r.x + pw + 1, u->ascii ? "|" : "│", ui_attr(u, C_DIM));
    for (double p = ceil(sc.lo / step) * step; p <= sc.hi; p += step) {
        int row = half_of(&sc, p) / 2;
        snprintf(lab, sizeof lab, "%.*f", dec, p);
        put(r.y + row, r.x + pw + 1, u->ascii ? "-" : "┤", ui_attr(u, C_DIM));
        put(r.y + row, r.x + pw + 2, lab, ui_attr(u, C_DIM));
    }

    for (int i = first; i <= last; i++) {
        int x = r.x + (i - first) * cw;
        draw_candle(u, &sc, r.y, x, body_w, &s->candles[i]);
        draw_volume(u, r.y + sc.rows, vol_h, x, body_w, s->candles[i].volume, vmax,
                    s->candles[i].close >= s->candles[i].open);
    }
    /* EMA overlay: a dot where no candle is drawn */
    int ema_attr = ui_attr(u, C_EMA) | A_BOLD;
    for (int i = first; i <= last; i++) {
        if (!isfinite(s->ema[i]))
            continue;
        int y = r.y + half_of(&sc, s->ema[i]) / 2;
        for (int k = 0; k < cw; k++) {
            int x = r.x + (i - first) * cw + k;
            if ((mvinch(y, x) & A_CHARTEXT) == ' ') {
                put(y, x, u->ascii ? "." : "·", ema_attr);
                break;
            }
        }
    }
    /* last price line on the axis */
    const struct candle *lc = &s->candles[s->n_candles - 1];
    if (lc->close >= sc.lo && lc->close <= sc.hi) {
        int row = half_of(&sc, lc->close) / 2;
        char buf[40];
        fmt_price(lab, sizeof lab, lc->close);
        snprintf(buf, sizeof buf, "%s%-*s", u->ascii ? "<" : "◀", AXIS_W - 2, lab);
        put(r.y + row, r.x + pw + 1, buf, ui_attr(u, lc->close >= lc->open ? C_BULL : C_BEAR) | A_REVERSE);
    }
    /* time axis */
    if (time_h) {
        int y = r.y + r.h - 1, next_x = 0;
        for (int i = first; i <= last; i++) {
            int x = (i - first) * cw;
            if (x < next_x || i % 4 != 0)
                continue;
            time_label(lab, sizeof lab, s->candles[i].open_time, s->tf);
            int len = (int)strlen(lab);
            if (x + len >= pw)
                break;
            put(y, r.x + x, lab, ui_attr(u, C_DIM));
            next_x = x + len + 3;
        }
    }
}
