/* Risk bar, always on screen: the day's PnL against the daily-loss limit, exposure
 * against its limit, the loss streak, drawdown, and the lock state with when it
 * ends (or a blackout window coming up). */
#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "../ui_internal.h"

static void hhmm(char *buf, size_t n, int64_t t)
{
    int64_t m = (t % 86400000 + 86400000) % 86400000 / 60000;
    snprintf(buf, n, "%02d:%02d", (int)(m / 60), (int)(m % 60));
}

void riskbar_draw(struct ui *u, struct rect r)
{
    const struct pf_view *v = &u->snap->paper;
    const struct risk_limits *l = &v->limits;
    const struct risk_state *s = &v->risk;
    int64_t now = u->snap->now;
    char buf[320], t[16];
    double eq = v->equity > 0 ? v->equity : 1, dayeq = s->day_start_equity > 0 ? s->day_start_equity : eq;
    int n = snprintf(buf, sizeof buf, "day %+.2f/-%.0f  exp %.0f/%.0f (%.1f%%)  streak %d/%d  DD %.1f/%.0f%%  ",
                     v->daily_pnl, l->daily_loss * dayeq, v->exposure, l->max_exposure * eq, v->exposure / eq * 100,
                     s->streak, l->loss_streak, v->drawdown * 100, l->max_drawdown * 100);
    const char *state;
    char st[96];
    int color = C_GOOD;
    if (s->lock == RISK_LOCK_KILL || s->lock == RISK_LOCK_DRAWDOWN) {
        snprintf(st, sizeof st, "LOCKED (%s) until :unlock", s->lock == RISK_LOCK_KILL ? "kill switch" : "drawdown");
        color = C_BAD;
    } else if (s->daily_until > now) {
        hhmm(t, sizeof t, s->daily_until);
        snprintf(st, sizeof st, "DAILY LIMIT: no entries until %s UTC", t);
        color = C_BAD;
    } else if (s->cooldown_until > now) {
        hhmm(t, sizeof t, s->cooldown_until);
        snprintf(st, sizeof st, "COOLDOWN until %s UTC", t);
        color = C_BAD;
    } else {
        snprintf(st, sizeof st, "OK");
    }
    int b = risk_next_blackout(l, now);
    if (b >= 0 && l->blackout[b].time - l->blackout[b].margin - now < 4 * 3600000LL) {
        const struct risk_blackout *w = &l->blackout[b];
        hhmm(t, sizeof t, w->time);
        bool in = now >= w->time - w->margin;
        size_t k = strlen(st);
        snprintf(st + k, sizeof st - k, "  %s %s %s UTC +-%lldm", in ? "BLACKOUT" : "next blackout", w->label, t,
                 (long long)(w->margin / 60000));
        if (in)
            color = C_BAD;
    }
    state = st;
    /* the state first, so a narrow terminal still shows a lock */
    attron(A_REVERSE);
    mvhline(r.y, r.x, ' ', r.w);
    mvaddnstr(r.y, r.x, "Risk ", r.w);
    attroff(A_REVERSE);
    int x = r.x + 5, k = (int)strlen(state);
    if (x < r.x + r.w) {
        attron(ui_attr(u, color) | A_BOLD | A_REVERSE);
        mvaddnstr(r.y, x, state, r.x + r.w - x);
        attroff(ui_attr(u, color) | A_BOLD | A_REVERSE);
    }
    x += k + 2;
    if (x < r.x + r.w) {
        attron(A_REVERSE);
        mvaddnstr(r.y, x, buf, r.x + r.w - x);
        attroff(A_REVERSE);
    }
    (void)n;
}
