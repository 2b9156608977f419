/* The signal queue, ranked by confidence: time, symbol, timeframe, side,
 * confidence, R:R and the main reason, one row each (webhook signals marked
 * "wh"); the foot holds the counters (candidates, emitted, filter rate, hit
 * rate) and the candle-close -> signal latency. Enter on a row opens the detail
 * screen; t takes and d dismisses the selected signal. */
#include <curses.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../ui_internal.h"

extern const struct panel panel_signals;

static int panel_index(void)
{
    for (int i = 0; i < ui_panel_count; i++)
        if (ui_panels[i] == &panel_signals)
            return i;
    return -1;
}

const struct signal *signals_selected(const struct ui *u)
{
    const struct snapshot *s = u->snap;
    if (u->screen == SCREEN_SIGNAL) {
        for (int i = 0; i < s->n_signals; i++)
            if (s->signals[i].id == u->sig_detail)
                return &s->signals[i];
        return NULL;
    }
    if (s->n_signals <= 0)
        return NULL;
    int p = panel_index(), sel = p >= 0 ? u->ps[p].sel : 0;
    return &s->signals[sel < 0 ? 0 : sel >= s->n_signals ? s->n_signals - 1 : sel];
}

static void fmt_ns(char *buf, size_t n, int64_t ns)
{
    if (ns <= 0)
        snprintf(buf, n, "-");
    else if (ns < 1000000)
        snprintf(buf, n, "%.0fus", (double)ns / 1e3);
    else
        snprintf(buf, n, "%.1fms", (double)ns / 1e6);
}

/* The reason of the strongest agreeing trigger voter, else of any agreeing one. */
static const char *main_reason(const struct signal *g)
{
    if (g->source == SIGNAL_SOURCE_WEBHOOK)
        return "webhook alert";
    if (g->source == SIGNAL_SOURCE_COLLECTOR)
        return "from a collector";      /* its reason texts stay with it */
    int best = -1;
    for (int v = 0; v < VOTER_COUNT; v++)
        if ((g->voters & (1u << v)) && (best < 0 || (g->votes[v].trigger && !g->votes[best].trigger) ||
                                        (g->votes[v].trigger == g->votes[best].trigger &&
                                         g->votes[v].conf > g->votes[best].conf)))
            best = v;
    return best >= 0 ? g->votes[best].reason : "";
}

static int rows(const struct ui *u) { return u->snap->n_signals; }

static void draw(struct ui *u, struct rect r, struct panel_state *ps)
{
    const struct snapshot *s = u->snap;
    const struct snap_signal_stats *st = &s->sig;
    char buf[256], p50[16], p99[16], hit[16];
    int foot = r.h >= 5 ? 2 : r.h >= 3 ? 1 : 0;   /* counters and latency at the foot */
    int list_h = r.h - foot;
    if (foot) {
        fmt_ns(p50, sizeof p50, st->lat_p50_ns);
        fmt_ns(p99, sizeof p99, st->lat_p99_ns);
        if (isnan(st->hit_rate))
            snprintf(hit, sizeof hit, "-");
        else
            snprintf(hit, sizeof hit, "%.0f%%", 100 * st->hit_rate);
        snprintf(buf, sizeof buf, "cand %llu  emitted %llu  filtered %.0f%%  hit %s (%llu)",
                 (unsigned long long)st->candidates, (unsigned long long)st->emitted, 100 * st->filter_rate, hit,
                 (unsigned long long)st->resolved);
        ui_text(u, r.y + r.h - foot, r.x, r.w, buf, ui_attr(u, C_DIM));
        if (foot > 1) {
            snprintf(buf, sizeof buf, "stale %llu  close->signal p50 %s p99 %s", (unsigned long long)st->stale, p50, p99);
            ui_text(u, r.y + r.h - 1, r.x, r.w, buf, ui_attr(u, C_DIM));
        }
    }
    int n = s->n_signals;
    if (n == 0) {
        ui_text(u, r.y, r.x, r.w, "no signal in the queue", ui_attr(u, C_DIM));
        return;
    }
    bool focused = u->focus >= 0 && ui_panels[u->focus]->draw == draw;
    if (ps->sel >= n)
        ps->sel = n - 1;
    if (ps->sel < 0)
        ps->sel = 0;
    if (ps->sel < ps->scroll)
        ps->scroll = ps->sel;
    if (list_h > 0 && ps->sel >= ps->scroll + list_h)
        ps->scroll = ps->sel - list_h + 1;
    for (int row = 0; row < list_h && ps->scroll + row < n; row++) {
        const struct signal *g = &s->signals[ps->scroll + row];
        time_t t = (time_t)(g->time / 1000);
        struct tm tm;
        gmtime_r(&t, &tm);
        char when[16];
        strftime(when, sizeof when, "%H:%M", &tm);
        const char *sym = g->sym < s->n_symbols ? s->symbols[g->sym].name : "?";
        snprintf(buf, sizeof buf, "%s %-8s %-3s %-5s %3.0f%% %4.1fR %s%s%s", when, sym, tf_name(g->tf),
                 g->side > 0 ? "LONG" : "SHORT", 100.0 * g->confidence, g->rr,
                 g->state == SIGNAL_TAKEN ? "[taken] " : "", g->source == SIGNAL_SOURCE_WEBHOOK ? "wh " : "",
                 main_reason(g));
        int y = r.y + row;
        bool sel = focused && ps->scroll + row == ps->sel;
        if (sel)
            mvhline(y, r.x, ' ' | A_REVERSE, r.w);
        ui_text(u, y, r.x, r.w, buf, sel ? (int)A_REVERSE : ui_attr(u, g->side > 0 ? C_GOOD : C_BAD));
    }
}

/* Enter or a click: the detail screen of that signal (by id: the ranking moves). */
static void activate(struct ui *u, int row)
{
    if (row < 0 || row >= u->snap->n_signals)
        return;
    u->sig_detail = u->snap->signals[row].id;
    u->screen = SCREEN_SIGNAL;
}

const struct panel panel_signals = { "signals", "Signals", SLOT_RIGHT, NULL, draw, rows, activate };
