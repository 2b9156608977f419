/* The candle chart. Each terminal row holds two price steps: bodies and wicks are
 * drawn with half blocks (▀ ▄ █) and half lines (╵ ╷ │), doubling the vertical
 * resolution; outside UTF-8 the same layout uses | O # +. Without colour (or
 * with `:set hollow on`) up candles are hollow (▯, ASCII O) and down candles
 * filled, so direction never depends on colour alone.
 * Rows, top to bottom: a title row (focus, view, or the crosshair's OHLCV/EMA/
 * RSI), prices, volume, RSI, time axis; the price axis is on the right. The
 * crosshair is kept as a candle open time, so new candles, zoom, pan and a
 * timeframe change keep pointing at the same moment.
 * Panned back to the oldest candle the snapshot holds, the chart asks the app
 * for older stored ones (chart_history.h) and goes on over them as they come;
 * the engine has no indicators for those, so they are drawn without overlays,
 * markers or indicator pane values, and the title says so. */
#include <curses.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "alphapulse/patterns.h"
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

static bool blank(int y, int x)
{
    cchar_t cc;
    wchar_t wc[CCHARW_MAX + 1];
    attr_t a;
    short pair;
    if (mvin_wch(y, x, &cc) == ERR || getcchar(&cc, wc, &a, &pair, NULL) == ERR)
        return false;
    return wc[0] == L' ';
}

static bool hollow_bulls(const struct ui *u)
{
    if (u->set.hollow || !u->color)
        return true;
    const struct theme_color *b = &u->theme.c[TR_BULL], *r = &u->theme.c[TR_BEAR];
    return b->kind == r->kind && b->value == r->value;
}

static void draw_candle(struct ui *u, const struct scale *s, int y0, int x, int w, const struct candle *c)
{
    bool bull = c->close >= c->open, hollow = bull && hollow_bulls(u);
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
                g = doji ? "+" : bull ? "O" : "#";
            else if (tw || bw)
                g = "|";
        } else if ((tb || btm) && hollow && !doji) {
            g = "▯";
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

/* ---- the series: older candles from the database, then the snapshot's ---- */

struct chart_series chart_series(const struct ui *u)
{
    const struct snapshot *s = u->snap;
    struct chart_series q = { .s = s, .old = u->older.c };
    if (s->n_candles > 0 && u->older.n > 0 && s->sym < s->n_symbols && s->tf == u->older.tf &&
        strcmp(s->symbols[s->sym].name, u->older.symbol) == 0)
        q.n_old = hist_held(&u->older, s->candles[0].open_time);
    q.n = q.n_old + s->n_candles;
    return q;
}

static const struct candle *cd(const struct chart_series *q, int i)
{
    return i < q->n_old ? &q->old[i] : &q->s->candles[i - q->n_old];
}
/* The engine's indicators of candle i; the older candles have none. */
static double ema_at(const struct chart_series *q, int i) { return i < q->n_old ? NAN : q->s->ema[i - q->n_old]; }
static double rsi_at(const struct chart_series *q, int i) { return i < q->n_old ? NAN : q->s->rsi[i - q->n_old]; }
static const struct ta_values *ta_at(const struct chart_series *q, int i)
{
    return i < q->n_old ? NULL : &q->s->ta[i - q->n_old];
}
static const struct snap_mark *mark_at(const struct chart_series *q, int i)
{
    return i < q->n_old ? NULL : &q->s->mark[i - q->n_old];
}

bool chart_history_poll(struct ui *u)
{
    const struct ui_options *o = u->opts;
    const struct snapshot *s = u->snap;
    if (!o || !o->older)
        return false;
    if (s->sym >= 0 && s->sym < s->n_symbols)
        hist_key(&u->older, s->symbols[s->sym].name, s->tf);
    struct ui_older pg;
    if (!o->older_poll(o->ctx, &pg))
        return false;
    hist_take(&u->older, &pg);
    return true;
}

/* Asks for older candles when the view reaches near the oldest held (or the
 * snapshot's oldest moved past what the cache covers). */
static void history_want(struct ui *u, const struct chart_series *q, int first, int nvis)
{
    const struct ui_options *o = u->opts;
    if (!o || !o->older || q->s->n_candles == 0 || u->older.tf != q->s->tf)
        return;
    int64_t before;
    int max;
    if (hist_next(&u->older, q->s->candles[0].open_time, first < nvis, &before, &max) &&
        o->older(o->ctx, u->older.symbol, u->older.tf, before, max) == 0)
        hist_asked(&u->older);
}

/* ---- the view: which candles, and the crosshair ------------------------- */

static int index_at_time(const struct chart_series *q, int64_t t)
{
    int lo = 0, hi = q->n - 1, ans = 0;   /* the last candle opening at or before t */
    while (lo <= hi) {
        int mid = (lo + hi) / 2;
        if (cd(q, mid)->open_time <= t) {
            ans = mid;
            lo = mid + 1;
        } else {
            hi = mid - 1;
        }
    }
    return ans;
}

int chart_cursor_index(const struct ui *u)
{
    if (!u->cursor || u->snap->n_candles == 0)
        return -1;
    struct chart_series q = chart_series(u);
    return index_at_time(&q, u->cursor_time);
}

void chart_cursor_move(struct ui *u, int by)
{
    int i = chart_cursor_index(u);
    if (i < 0)
        return;
    struct chart_series q = chart_series(u);
    i += by;
    if (i < 0)
        i = 0;
    if (i > q.n - 1)
        i = q.n - 1;
    u->cursor_time = cd(&q, i)->open_time;
}

void chart_fit(struct ui *u, int plot_w)
{
    int n = chart_series(u).n, nvis = plot_w / (u->cw > 0 ? u->cw : 1);
    if (nvis < 1)
        nvis = 1;
    int ci = chart_cursor_index(u);
    if (ci >= 0) {
        int last = n - 1 - u->pan, first = last - nvis + 1;
        if (ci > last)
            u->pan = n - 1 - ci;
        else if (ci < first)
            u->pan = n - 1 - (ci + nvis - 1);
    }
    if (u->pan > n - 1)
        u->pan = n - 1;
    if (u->pan < 0)
        u->pan = 0;
}

static int plot_width(struct rect r) { return r.w - AXIS_W; }

void chart_click(struct ui *u, int x, int y)
{
    struct rect r = u->lay.chart;
    (void)y;
    int col = x - r.x;
    if (u->chart_n <= 0 || col < 0 || col >= plot_width(r))
        return;
    struct chart_series q = chart_series(u);
    int i = u->chart_first + col / (u->cw > 0 ? u->cw : 1);
    if (i >= q.n)
        i = q.n - 1;
    u->cursor = true;
    u->cursor_time = cd(&q, i)->open_time;
}

/* ---- axes ------------------------------------------------------------------ */

/* A label interval that is a round duration, at least one candle, and leaves
 * room for the label. */
static int64_t label_interval(int tf, int cw, int label_w)
{
    static const int64_t m = 60000;
    static const int64_t steps[] = {
        1 * m, 5 * m, 10 * m, 15 * m, 30 * m, 60 * m, 120 * m, 180 * m, 240 * m, 360 * m, 720 * m,
        1440 * m, 2 * 1440 * m, 7 * 1440 * m, 14 * 1440 * m, 28 * 1440 * m, 91 * 1440 * m, 364 * 1440 * m,
    };
    int64_t tfm = tf_ms(tf);
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++)
        if (steps[i] >= tfm && steps[i] / tfm * cw >= label_w + 2)
            return steps[i];
    return steps[sizeof steps / sizeof steps[0] - 1];
}

static void time_label(char *buf, size_t n, int64_t t, int64_t interval)
{
    time_t s = (time_t)(t / 1000);
    struct tm tm;
    gmtime_r(&s, &tm);
    const char *f = "%H:%M";
    if (interval >= 86400000LL)
        f = tm.tm_yday == 0 ? "%Y" : "%m-%d";
    else if (tm.tm_hour == 0 && tm.tm_min == 0)
        f = "%m-%d";                           /* a new day shows its date */
    strftime(buf, n, f, &tm);
}

static void draw_time_axis(struct ui *u, const struct chart_series *q, int y, int x0, int pw, int first, int last)
{
    int64_t iv = label_interval(q->s->tf, u->cw, 5);
    int next_x = 0;
    char lab[32];
    for (int i = first; i <= last; i++) {
        int x = (i - first) * u->cw;
        int64_t t = cd(q, i)->open_time;
        bool boundary = t % iv == 0 || (i > first && cd(q, i - 1)->open_time / iv != t / iv);
        if (x < next_x || !boundary)
            continue;
        time_label(lab, sizeof lab, t, iv);
        int len = (int)strlen(lab);
        if (x + len >= pw)
            break;
        put(y, x0 + x, lab, ui_attr(u, C_DIM));
        next_x = x + len + 2;
    }
}

static void time_text(char *buf, size_t n, int64_t ms)
{
    time_t ts = (time_t)(ms / 1000);
    struct tm tm;
    gmtime_r(&ts, &tm);
    strftime(buf, n, "%Y-%m-%d %H:%M", &tm);
}

/* Where the view stands in the history: older candles without indicators, a
 * read under way, the start of what is stored, the cache's limit. */
static void history_note(const struct ui *u, const struct chart_series *q, int first, int nvis, char *buf, size_t n,
                         char *noind, size_t noind_n)
{
    char t[48];
    buf[0] = noind[0] = 0;
    if (first < q->n_old) {
        time_text(t, sizeof t, q->s->candles[0].open_time);
        snprintf(noind, noind_n, "  no indicators before %s", t);
    }
    if (first >= nvis && u->pan == 0)
        return;
    const char *note = NULL;
    if (!u->opts || !u->opts->older)
        note = first == 0 && u->pan ? "oldest candle held (no database)" : NULL;
    else if (u->older.failed)
        snprintf(t, sizeof t, "older candles: %.30s", u->older.err), note = t;
    else if (u->older.pending && first < nvis)
        note = u->ascii ? "loading older candles..." : "loading older candles…";
    else if (first == 0 && u->older.start)
        note = "start of stored history";
    else if (first == 0 && u->older.n >= HIST_CAP)
        snprintf(t, sizeof t, "oldest cached (limit %d candles)", HIST_CAP), note = t;
    if (note)
        snprintf(buf, n, "  %s", note);
}

static void draw_title(struct ui *u, const struct chart_series *q, struct rect r, int first, int nvis, int ci)
{
    const struct snapshot *s = u->snap;
    bool focused = u->focus < 0 && u->screen == SCREEN_MAIN;
    char buf[320], t[48];
    const char *name = u->sym < s->n_symbols ? s->symbols[u->sym].name : "";
    int fa = focused ? A_BOLD | A_REVERSE | ui_attr(u, C_FOCUS) : A_BOLD;
    snprintf(buf, sizeof buf, focused ? (u->ascii ? "> Chart <" : "▶ Chart ◀") : " Chart ");
    ui_text(u, r.y, r.x, r.w, buf, fa);
    int x = r.x + 10;
    if (ci >= 0) {
        const struct candle *c = cd(q, ci);
        char o[24], h[24], l[24], cl[24];
        fmt_px(u, s->sym, o, sizeof o, c->open);
        fmt_px(u, s->sym, h, sizeof h, c->high);
        fmt_px(u, s->sym, l, sizeof l, c->low);
        fmt_px(u, s->sym, cl, sizeof cl, c->close);
        time_text(t, sizeof t, c->open_time);
        char vol[24], ind[128] = "", e[24];
        if (c->volume >= 1e6)
            snprintf(vol, sizeof vol, "%.2fM", c->volume / 1e6);
        else if (c->volume >= 1e4)
            snprintf(vol, sizeof vol, "%.1fK", c->volume / 1e3);
        else
            snprintf(vol, sizeof vol, "%.4g", c->volume);
        int n = snprintf(buf, sizeof buf, "%s  O %s H %s L %s C %s V %s", t, o, h, l, cl, vol);
        int k = 0;
        const struct snap_mark *mk = mark_at(q, ci);
        if (ci < q->n_old)
            k += snprintf(ind, sizeof ind, "no indicators (older than the engine's candles)");
        if (isfinite(ema_at(q, ci))) {
            fmt_px(u, s->sym, e, sizeof e, ema_at(q, ci));
            k += snprintf(ind + k, sizeof ind - (size_t)k, "EMA %s  ", e);
        }
        if (isfinite(rsi_at(q, ci)))
            k += snprintf(ind + k, sizeof ind - (size_t)k, "RSI %.1f  ", rsi_at(q, ci));
        if (mk && mk->id >= 0 && k < (int)sizeof ind)
            snprintf(ind + k, sizeof ind - (size_t)k, "%s %s", cdl_title(mk->id), mk->value > 0 ? "bull" : "bear");
        int room = r.x + r.w - x;
        if (n + 2 + (int)strlen(ind) <= room) {
            snprintf(buf + n, sizeof buf - (size_t)n, "  %s", ind);
        } else {                               /* narrow: indicators on a second row */
            if (n > room)
                memmove(buf, buf + 5, strlen(buf + 5) + 1);   /* drop the year */
            mvhline(r.y + 1, r.x, ' ', (int)strlen(ind) + 1);
            ui_text(u, r.y + 1, r.x, r.w, ind, ui_attr(u, C_CURSOR));
        }
        ui_text(u, r.y, x, room, buf, ui_attr(u, C_CURSOR));
        return;
    }
    snprintf(buf, sizeof buf, "%s %s  zoom %d  %d candles  %s", name, tf_name(u->tf), u->cw, nvis,
             u->pan ? "" : "live");
    if (u->pan)
        snprintf(buf + strlen(buf), sizeof buf - strlen(buf), "%d back", u->pan);
    /* then the older candles' state (loading, the start of the stored
     * history) and, as far as they fit whole, that older candles carry no
     * indicators and how to get back: on a narrow chart the state comes first */
    char note[160], noind[80];
    history_note(u, q, first, nvis, note, sizeof note, noind, sizeof noind);
    const char *hint = u->pan ? " (0: latest)" : "";
    int room = r.x + r.w - x;
    size_t len = strlen(buf);
    if ((int)(len + strlen(hint) + strlen(note) + strlen(noind)) <= room)
        snprintf(buf + len, sizeof buf - len, "%s%s%s", hint, note, noind);
    else if ((int)(len + strlen(note) + strlen(noind)) <= room)
        snprintf(buf + len, sizeof buf - len, "%s%s", note, noind);
    else
        snprintf(buf + len, sizeof buf - len, "%s", note);
    ui_text(u, r.y, x, room, buf, ui_attr(u, C_DIM));
}

static void draw_rsi(struct ui *u, const struct chart_series *q, int y0, int h, int x0, int pw, int first, int last,
                     int ci)
{
    struct scale sc = { .lo = 0, .hi = 100, .rows = h };
    int guide = ui_attr(u, C_DIM);
    for (int lvl = 30; lvl <= 70; lvl += 40) {
        int row = half_of(&sc, lvl) / 2;
        for (int x = 0; x < pw; x++)
            put(y0 + row, x0 + x, u->ascii ? "-" : "┄", guide);
    }
    int ra = ui_attr(u, C_RSI) | A_BOLD;
    for (int i = first; i <= last; i++) {
        if (!isfinite(rsi_at(q, i)))
            continue;
        int hrow = half_of(&sc, rsi_at(q, i));
        const char *g = u->ascii ? "*" : (hrow % 2 ? "▄" : "▀");
        for (int k = 0; k < u->cw && (k == 0 || u->cw > 2); k++)
            put(y0 + hrow / 2, x0 + (i - first) * u->cw + k, g, ra);
    }
    int li = ci >= 0 ? ci : last;
    char lab[24];
    if (isfinite(rsi_at(q, li)))
        snprintf(lab, sizeof lab, "RSI %.1f", rsi_at(q, li));
    else
        snprintf(lab, sizeof lab, "RSI -");
    put(y0, x0 + pw + 1, lab, ui_attr(u, C_RSI));
}

/* MACD line (dots) and histogram (bars from the zero row), scaled to the pane. */
static void draw_macd(struct ui *u, const struct chart_series *q, int y0, int h, int x0, int pw, int first, int last,
                      int ci)
{
    double m = 0;
    for (int i = first; i <= last; i++) {
        const struct ta_values *v = ta_at(q, i);
        if (v && isfinite(v->macd))
            m = fmax(m, fmax(fabs(v->macd), fmax(fabs(v->macd_signal), fabs(v->macd_hist))));
    }
    int li = ci >= 0 ? ci : last;
    char lab[40];
    const struct ta_values *lv = ta_at(q, li);
    if (lv && isfinite(lv->macd_hist))
        snprintf(lab, sizeof lab, "MACD %+.3g", lv->macd_hist);
    else
        snprintf(lab, sizeof lab, "MACD -");
    put(y0, x0 + pw + 1, lab, ui_attr(u, C_RSI));
    if (!(m > 0))
        return;
    struct scale sc = { .lo = -m * 1.05, .hi = m * 1.05, .rows = h };
    int zero = half_of(&sc, 0) / 2;
    for (int x = 0; x < pw; x++)
        put(y0 + zero, x0 + x, u->ascii ? "-" : "┄", ui_attr(u, C_DIM));
    for (int i = first; i <= last; i++) {
        const struct ta_values *v = ta_at(q, i);
        if (!v || !isfinite(v->macd_hist))
            continue;
        int x = x0 + (i - first) * u->cw, row = half_of(&sc, v->macd_hist) / 2;
        int attr = ui_attr(u, v->macd_hist >= 0 ? C_BULL : C_BEAR) | A_DIM;
        for (int y = row < zero ? row : zero; y <= (row > zero ? row : zero); y++)
            put(y0 + y, x, u->ascii ? "|" : "│", attr);
        put(y0 + half_of(&sc, v->macd) / 2, x, u->ascii ? "*" : "•", ui_attr(u, C_RSI) | A_BOLD);
    }
}

/* ---- the trade on the chart ---------------------------------------------
 * A horizontal line for the shown symbol's position (entry, stop or the trailing
 * stop reached, each target not yet filled) and for each working order's price,
 * labelled at the price axis. Each kind has its own glyph and tag, so they are
 * told apart without colour; lines are drawn only in free cells. */
enum level_kind { LV_ENTRY, LV_STOP, LV_TARGET, LV_ORDER };
#define TRADE_LEVELS_MAX 48

struct trade_level { double price; int kind; char tag[20]; };

static int trade_levels(const struct ui *u, struct trade_level *lv)
{
    const struct snapshot *s = u->snap;
    int sym = s->sym, n = 0;
    if (sym < 0 || sym >= s->n_symbols)
        return 0;
    const struct position *p = &s->paper.pos[sym];
    if (p->qty != 0) {
        lv[n++] = (struct trade_level){ p->avg, LV_ENTRY, "entry" };
        int side = p->qty > 0 ? 1 : -1;
        double st = p->br.stop;
        bool trailing = p->br.trail_stop > 0 && (!(st > 0) || (p->br.trail_stop - st) * side > 0);
        if (trailing)
            lv[n++] = (struct trade_level){ p->br.trail_stop, LV_STOP, "trail stop" };
        else if (st > 0)
            lv[n++] = (struct trade_level){ st, LV_STOP, "stop" };
        for (int i = 0; i < BROKER_TP; i++)
            if (p->br.tp[i] > 0 && !(p->br.tp_done & (1u << i))) {
                lv[n] = (struct trade_level){ p->br.tp[i], LV_TARGET, "" };
                snprintf(lv[n++].tag, sizeof lv[0].tag, "tp%d", i + 1);
            }
    }
    for (int i = 0; i < s->paper.n_orders && n < TRADE_LEVELS_MAX; i++) {
        const struct broker_order *o = &s->paper.orders[i];
        if (o->sym != sym || !(o->price > 0))
            continue;
        lv[n] = (struct trade_level){ o->price, LV_ORDER, "" };
        snprintf(lv[n++].tag, sizeof lv[0].tag, "%s %s #%llu", o->side > 0 ? "buy" : "sell",
                 o->type == ORDER_STOP ? "stop" : "limit", (unsigned long long)o->id);
    }
    return n;
}

static void draw_levels(struct ui *u, const struct scale *sc, int y0, int x0, int pw, const struct trade_level *lv, int n,
                        int last_row)
{
    static const char *const glyph_utf8[] = { "━", "┅", "┈", "╍" };
    static const char *const glyph_ascii[] = { "=", "x", "~", ":" };
    static const enum ui_color col[] = { C_EMA, C_BAD, C_GOOD, C_SEL };
    for (int i = 0; i < n; i++) {
        const struct trade_level *l = &lv[i];
        int attr = ui_attr(u, col[l->kind]) | (l->kind == LV_ENTRY || l->kind == LV_STOP ? A_BOLD : 0);
        char px[32], buf[64];
        fmt_px(u, u->snap->sym, px, sizeof px, l->price);
        int row;
        const char *arrow = "";
        if (l->price > sc->hi) {               /* beyond the view: on its edge, pointing out */
            row = 0;
            arrow = u->ascii ? "^" : "▲";
        } else if (l->price < sc->lo) {
            row = sc->rows - 1;
            arrow = u->ascii ? "v" : "▼";
        } else {
            row = half_of(sc, l->price) / 2;
            for (int x = 0; x < pw; x++)
                if (blank(y0 + row, x0 + x))
                    put(y0 + row, x0 + x, u->ascii ? glyph_ascii[l->kind] : glyph_utf8[l->kind], attr);
        }
        snprintf(buf, sizeof buf, "%s%s %s ", arrow, l->tag, px);   /* the axis may hold the last price */
        int tl = (int)strlen(buf) - (*arrow && !u->ascii ? 2 : 0);
        if (tl < pw)
            put(y0 + row, x0 + pw - tl, buf, attr | A_REVERSE);
        if (row == last_row)
            continue;                          /* the axis keeps the last price; the tag has the level's */
        snprintf(buf, sizeof buf, "%-*.*s", AXIS_W - 1, AXIS_W - 1, px);
        put(y0 + row, x0 + pw + 1, buf, attr | A_REVERSE);
    }
}

/* Where the chart's candles go: the scale, the plot's corner and width, the
 * cell width of a candle and the candles shown. */
struct view {
    const struct snapshot *s;
    const struct chart_series *q;
    struct scale sc;
    int y0, x0, pw, cw, body_w, first, last;
};

static int view_x(const struct view *v, int i) { return v->x0 + (i - v->first) * v->cw; }

/* The first candle shown while live: the view keeps a free margin on the right
 * and jumps by a quarter of its width when the newest candle reaches the edge,
 * instead of scrolling one candle at a time: a scroll rewrites every cell of the
 * chart, so this is what keeps a live chart at a few hundred bytes a second over
 * SSH. */
static int live_first(struct ui *u, const struct chart_series *q, int nvis)
{
    const struct snapshot *s = q->s;
    int f = -1;
    /* keyed on what the snapshot holds: after a switch, the old view's candles
     * are still drawn until the engine publishes the new one */
    if (u->live_nvis == nvis && u->live_sym == s->sym && u->live_tf == s->tf && u->live_first > 0)
        f = index_at_time(q, u->live_first);
    if (f < 0 || q->n - f > nvis) {
        f = q->n - (nvis * 3 / 4 > 0 ? nvis * 3 / 4 : 1);
        if (f < 0)
            f = 0;
    }
    u->live_first = cd(q, f)->open_time;
    u->live_nvis = nvis;
    u->live_sym = s->sym;
    u->live_tf = s->tf;
    return f;
}

/* The price range: the candles with the overlays shown, then the trade's levels
 * up to twice the candles' own range on either side (farther ones are marked on
 * the edge), with a little padding. Returns the largest volume. */
static double fit_scale(struct ui *u, struct view *v, const struct trade_level *lv, int nlv)
{
    const struct chart_series *q = v->q;
    struct scale *sc = &v->sc;
    sc->lo = INFINITY;
    sc->hi = -INFINITY;
    double vmax = 0;
    for (int i = v->first; i <= v->last; i++) {
        const struct candle *c = cd(q, i);
        const struct ta_values *ta = ta_at(q, i);
        sc->lo = fmin(sc->lo, c->low);
        sc->hi = fmax(sc->hi, c->high);
        if (u->set.ema && isfinite(ema_at(q, i))) {
            sc->lo = fmin(sc->lo, ema_at(q, i));
            sc->hi = fmax(sc->hi, ema_at(q, i));
        }
        if (u->set.bb && ta && isfinite(ta->bb_upper)) {
            sc->lo = fmin(sc->lo, ta->bb_lower);
            sc->hi = fmax(sc->hi, ta->bb_upper);
        }
        vmax = fmax(vmax, c->volume);
    }
    double span = sc->hi - sc->lo, clo = sc->lo, chi = sc->hi;
    for (int i = 0; i < nlv; i++)
        if (lv[i].price >= clo - 2 * span && lv[i].price <= chi + 2 * span) {
            sc->lo = fmin(sc->lo, lv[i].price);
            sc->hi = fmax(sc->hi, lv[i].price);
        }
    double pad = (sc->hi - sc->lo) * 0.04;
    if (pad <= 0)
        pad = fabs(sc->hi) * 0.001 + 1e-9;
    sc->lo -= pad;
    sc->hi += pad;
    return vmax;
}

/* The price axis: nicely rounded ticks, none finer than the instrument's tick
 * and none twice. */
static void draw_price_axis(struct ui *u, const struct view *v)
{
    const struct snapshot *s = v->s;
    double step = nice_step(v->sc.hi - v->sc.lo, v->sc.rows / 3);
    int dec = decimals_for(step);
    double tick = s->sym >= 0 && s->sym < s->n_symbols ? s->paper.inst[s->sym].tick : 0;
    int tdec = fmt_decimals(tick);
    if (tdec >= 0) {
        if (step < tick)
            step = tick;
        step = round(step / tick) * tick;
        if (dec > tdec)
            dec = tdec;
    }
    char lab[40];
    int dim = ui_attr(u, C_DIM), ax = v->x0 + v->pw + 1;
    for (int y = 0; y < v->sc.rows; y++)
        put(v->y0 + y, ax, u->ascii ? "|" : "│", dim);
    for (double p = ceil(v->sc.lo / step) * step; p <= v->sc.hi; p += step) {
        int row = half_of(&v->sc, p) / 2;
        snprintf(lab, sizeof lab, "%.*f", dec, p);
        put(v->y0 + row, ax, u->ascii ? "-" : "┤", dim);
        put(v->y0 + row, ax + 1, lab, dim);
    }
}

/* EMA as a dot where no candle is drawn; Bollinger Bands as faint dashes in
 * free cells. */
static void draw_overlays(struct ui *u, const struct view *v)
{
    const struct chart_series *q = v->q;
    if (u->set.ema) {
        int ema_attr = ui_attr(u, C_EMA) | A_BOLD;
        for (int i = v->first; i <= v->last; i++) {
            if (!isfinite(ema_at(q, i)))
                continue;
            int y = v->y0 + half_of(&v->sc, ema_at(q, i)) / 2;
            for (int k = 0; k < v->cw; k++)
                if (blank(y, view_x(v, i) + k)) {
                    put(y, view_x(v, i) + k, u->ascii ? "." : "·", ema_attr);
                    break;
                }
        }
    }
    if (u->set.bb) {
        int ba = ui_attr(u, C_DIM);
        for (int i = v->first; i <= v->last; i++) {
            const struct ta_values *ta = ta_at(q, i);
            if (!ta || !isfinite(ta->bb_upper))
                continue;
            double band[2] = { ta->bb_upper, ta->bb_lower };
            for (int b = 0; b < 2; b++) {
                int y = v->y0 + half_of(&v->sc, band[b]) / 2, x = view_x(v, i);
                if (blank(y, x))
                    put(y, x, u->ascii ? "-" : "╴", ba);
            }
        }
    }
}

/* Pattern markers: the strongest pattern's code above a bearish candle, below a
 * bullish one (the help screen lists the codes); weak ones (strength < 0.6) are
 * left out, or nearly every 1m candle would carry one. The whole code is drawn
 * when the cells it needs are free and no later marker starts inside them;
 * otherwise what fits the candle's own column, so a code never runs into its
 * neighbour's and reads as a different one. */
static void draw_markers(struct ui *u, const struct view *v)
{
    const struct chart_series *q = v->q;
    for (int i = v->first; i <= v->last; i++) {
        const struct snap_mark *m = mark_at(q, i);
        if (!m || m->id < 0 || m->strength < 0.6f)
            continue;
        const char *code = cdl_code(m->id);
        bool bull = m->value > 0;
        int row = half_of(&v->sc, bull ? cd(q, i)->low : cd(q, i)->high) / 2 + (bull ? 1 : -1);
        if (!code || row < 0 || row >= v->sc.rows)
            continue;
        int x = view_x(v, i), fit = v->cw > 2 ? v->cw - 1 : 1, len = (int)strlen(code);
        if (len > fit && (i - v->first) * v->cw + len <= v->pw) {
            bool room = true;
            for (int k = 0; k < len && room; k++)
                room = blank(v->y0 + row, x + k);
            for (int j = i + 1; j <= v->last && (j - i) * v->cw <= len && room; j++)
                room = mark_at(q, j)->id < 0 || mark_at(q, j)->strength < 0.6f;
            if (room)
                fit = len;
        }
        char g[8];
        snprintf(g, sizeof g, "%.*s", fit, code);
        put(v->y0 + row, x, g, ui_attr(u, bull ? C_BULL : C_BEAR) | A_BOLD);
    }
}

/* The last price: a faint line across the free cells and a label on the axis.
 * Returns its row, or -1 when it is off the scale. */
static int draw_last_price(struct ui *u, const struct view *v)
{
    const struct snapshot *s = v->s;
    const struct candle *lc = &s->candles[s->n_candles - 1];
    if (lc->close < v->sc.lo || lc->close > v->sc.hi)
        return -1;
    int row = half_of(&v->sc, lc->close) / 2;
    int la = ui_attr(u, C_LAST) | A_DIM;
    /* live, the line runs from the newest candle to the axis only: a line across
     * the whole chart would be rewritten each time the price moves a row, which
     * is most of what a live chart sends */
    int from = v->last == v->q->n - 1 ? (v->last - v->first + 1) * v->cw : 0;
    for (int x = from; x < v->pw; x++)
        if (blank(v->y0 + row, v->x0 + x))
            put(v->y0 + row, v->x0 + x, u->ascii ? "-" : "╌", la);
    char lab[40], buf[48];
    fmt_px(u, s->sym, lab, sizeof lab, lc->close);
    snprintf(buf, sizeof buf, "%s%-*s", u->ascii ? "<" : "◀", AXIS_W - 2, lab);
    put(v->y0 + row, v->x0 + v->pw + 1, buf, ui_attr(u, lc->close >= lc->open ? C_BULL : C_BEAR) | A_REVERSE);
    return row;
}

/* The crosshair: a vertical line through the free cells, a mark on the time
 * axis and the candle's close on the price axis. */
static void draw_crosshair(struct ui *u, const struct view *v, int ci, int body_h, int time_h)
{
    int x = view_x(v, ci) + (v->body_w - 1) / 2;
    int ca = ui_attr(u, C_CURSOR);
    for (int y = v->y0; y < v->y0 + body_h - time_h; y++)
        if (blank(y, x))
            put(y, x, u->ascii ? ":" : "┊", ui_attr(u, C_DIM));
    if (time_h)
        put(v->y0 + body_h - 1, x, u->ascii ? "^" : "▲", ca);
    const struct candle *c = cd(v->q, ci);
    int row = half_of(&v->sc, c->close) / 2;
    char lab[40], buf[48];
    fmt_px(u, v->s->sym, lab, sizeof lab, c->close);
    snprintf(buf, sizeof buf, "%s%-*s", u->ascii ? ">" : "▶", AXIS_W - 2, lab);
    put(v->y0 + row, v->x0 + v->pw + 1, buf, ca);
}

void chart_draw(struct ui *u, struct rect r)
{
    const struct snapshot *s = u->snap;
    int pw = plot_width(r);
    u->chart_n = 0;
    if (pw < 4 || r.h < 5)
        return;
    int body_h = r.h - 1;                      /* below the title row */
    int time_h = body_h >= 9 ? 1 : 0;
    int rsi_h = u->set.rsi && body_h >= 22 ? (body_h >= 40 ? 6 : 4) : 0;
    int vol_h = !u->set.volume ? 0 : body_h >= 16 ? body_h / 7 : body_h >= 8 ? 1 : 0;
    chart_fit(u, pw);
    struct chart_series q = chart_series(u);
    struct view v = { .s = s, .q = &q, .sc = { .rows = body_h - vol_h - rsi_h - time_h }, .y0 = r.y + 1, .x0 = r.x,
                      .pw = pw, .cw = u->cw, .body_w = u->cw > 2 ? u->cw - 1 : 1 };
    int nvis = pw / v.cw;
    v.last = q.n - 1 - u->pan;
    v.first = v.last - nvis + 1;
    if (u->pan == 0 && q.n > 0)
        v.first = live_first(u, &q, nvis);
    if (v.first < 0)
        v.first = 0;
    int ci = chart_cursor_index(u);
    if (v.last < 0) {
        draw_title(u, &q, r, 0, 0, -1);
        put(v.y0 + body_h / 2, r.x + 2, "waiting for candles...", ui_attr(u, C_DIM));
        return;
    }
    u->chart_first = v.first;
    u->chart_n = v.last - v.first + 1;
    struct trade_level lv[TRADE_LEVELS_MAX];
    int nlv = s->sym == u->sym ? trade_levels(u, lv) : 0;
    double vmax = fit_scale(u, &v, lv, nlv);
    draw_price_axis(u, &v);
    for (int i = v.first; i <= v.last; i++) {
        const struct candle *c = cd(&q, i);
        draw_candle(u, &v.sc, v.y0, view_x(&v, i), v.body_w, c);
        draw_volume(u, v.y0 + v.sc.rows, vol_h, view_x(&v, i), v.body_w, c->volume, vmax, c->close >= c->open);
    }
    draw_overlays(u, &v);
    if (u->set.patterns)
        draw_markers(u, &v);
    int last_row = draw_last_price(u, &v);
    draw_levels(u, &v.sc, v.y0, r.x, pw, lv, nlv, last_row);
    if (rsi_h)
        (u->set.macd ? draw_macd : draw_rsi)(u, &q, v.y0 + v.sc.rows + vol_h, rsi_h, r.x, pw, v.first, v.last, ci);
    if (time_h)
        draw_time_axis(u, &q, v.y0 + body_h - 1, r.x, pw, v.first, v.last);
    if (ci >= v.first && ci <= v.last)
        draw_crosshair(u, &v, ci, body_h, time_h);
    draw_title(u, &q, r, v.first, v.last - v.first + 1, ci);
    history_want(u, &q, v.first, nvis);
}
