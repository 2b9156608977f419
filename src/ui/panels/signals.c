/* Signal queue: a stats line (candidates, emitted, filter rate, hit rate,
 * candle-close -> signal latency p50/p99), then the queue ranked by confidence:
 * time, symbol, timeframe, side, confidence, entry/stop/tp1, R:R and the main
 * reason. `[` `]` move the selection; Enter opens the detail view. */
#include <curses.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../ui_internal.h"

const struct signal *signals_selected(const struct ui *u)
{
    const struct snapshot *s = u->snap;
    if (s->n_signals <= 0)
        return NULL;
    int i = u->sig_sel < 0 ? 0 : u->sig_sel >= s->n_signals ? s->n_signals - 1 : u->sig_sel;
    return &s->signals[i];
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
    int best = -1;
    for (int v = 0; v < VOTER_COUNT; v++)
        if ((g->voters & (1u << v)) && (best < 0 || (g->votes[v].trigger && !g->votes[best].trigger) ||
                                        (g->votes[v].trigger == g->votes[best].trigger && g->votes[v].conf > g->votes[best].conf)))
            best = v;
    return best >= 0 ? g->votes[best].reason : "";
}

void signals_draw(struct ui *u, struct rect r)
{
    const struct snapshot *s = u->snap;
    if (r.h < 1 || r.w < 20)
        return;
    char buf[256], p50[16], p99[16], hit[16];
    const struct snap_signal_stats *st = &s->sig;
    fmt_ns(p50, sizeof p50, st->lat_p50_ns);
    fmt_ns(p99, sizeof p99, st->lat_p99_ns);
    if (isnan(st->hit_rate))
        snprintf(hit, sizeof hit, "-");
    else
        snprintf(hit, sizeof hit, "%.0f%%", 100 * st->hit_rate);
    snprintf(buf, sizeof buf, "Signals %d  cand %llu  emitted %llu  filtered %.0f%%  hit %s (%llu)  close->signal p50 %s p99 %s",
             s->n_signals, (unsigned long long)st->candidates, (unsigned long long)st->emitted,
             100 * st->filter_rate, hit, (unsigned long long)st->resolved, p50, p99);
    attron(A_BOLD);
    mvaddnstr(r.y, r.x, buf, r.w);
    attroff(A_BOLD);
    if (s->n_signals == 0) {
        if (r.h > 1) {
            attron(ui_attr(u, C_DIM));
            mvaddnstr(r.y + 1, r.x, "no signal in the queue", r.w);
            attroff(ui_attr(u, C_DIM));
        }
        return;
    }
    int rows = r.h - 1, first = 0;
    int sel = u->sig_sel >= s->n_signals ? s->n_signals - 1 : u->sig_sel;
    if (sel >= rows)
        first = sel - rows + 1;
    for (int i = first; i < s->n_signals && i - first < rows; i++) {
        const struct signal *g = &s->signals[i];
        time_t t = (time_t)(g->time / 1000);
        struct tm tm;
        gmtime_r(&t, &tm);
        char when[16], e[24], st_[24], tp[24];
        strftime(when, sizeof when, "%H:%M", &tm);
        fmt_price(e, sizeof e, g->entry);
        fmt_price(st_, sizeof st_, g->stop);
        fmt_price(tp, sizeof tp, g->tp[0]);
        const char *sym = g->sym < s->n_symbols ? s->symbols[g->sym].name : "?";
        snprintf(buf, sizeof buf, "%s %-8s %-3s %-5s %3.0f%% %12s %12s %12s %4.1f %s%s", when, sym, tf_name(g->tf),
                 g->side > 0 ? "LONG" : "SHORT", 100.0 * g->confidence, e, st_, tp, g->rr, main_reason(g),
                 g->state == SIG_TAKEN ? " [taken]" : "");
        int a = i == sel ? ui_attr(u, C_SEL) | (int)A_REVERSE : ui_attr(u, g->side > 0 ? C_GOOD : C_BAD);
        attron(a);
        mvaddnstr(r.y + 1 + i - first, r.x, buf, r.w);
        attroff(a);
    }
}
