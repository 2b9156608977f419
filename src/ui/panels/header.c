/* Header bar: symbol, timeframe, last price, change today, feed state, data time.
 * A feed that cannot reach the exchange says why here, cut visibly if too long. */
#include <curses.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../ui_internal.h"
#include "alphapulse/depth_sync.h"

/* The order book's top (feed.depth, the demo's simulated book): best bid and ask
 * and the spread in ticks and basis points, or the book's state while it is not
 * synced; left out when it would push the feed state (reserve columns) off a
 * narrow screen. */
static int header_book(struct ui *u, const struct snapshot *s, struct rect r, int x, int bar, int reserve)
{
    if (u->sym < 0 || u->sym >= s->n_symbols)
        return x;
    const struct snap_book *b = &s->symbols[u->sym].book;
    if (!b->present || x >= r.x + r.w)
        return x;
    char buf[160], bid[32], ask[32];
    if (b->state != DEPTH_SYNCED || b->bid <= 0 || b->ask <= 0) {
        snprintf(buf, sizeof buf, " book %s ", depth_state_name(b->state));
    } else {
        fmt_px(u, u->sym, bid, sizeof bid, b->bid);
        fmt_px(u, u->sym, ask, sizeof ask, b->ask);
        double spread = b->ask - b->bid, bps = spread / ((b->ask + b->bid) / 2) * 1e4;
        if (b->tick > 0)
            snprintf(buf, sizeof buf, " bid %s ask %s spread %.0ft %.1fbps ", bid, ask, round(spread / b->tick), bps);
        else
            snprintf(buf, sizeof buf, " bid %s ask %s spread %.1fbps ", bid, ask, bps);
    }
    if (x + (int)strlen(buf) + reserve > r.x + r.w)
        return x;
    attron(bar);
    mvaddnstr(r.y, x, buf, r.x + r.w - x);
    attroff(bar);
    return x + (int)strlen(buf);
}

/* A venue feed's state in one word: live, wait (starting, connecting, checking
 * symbols), retry (reconnecting after a drop or a stall), idle (no symbol left)
 * or down (offline, an error); the full text stays on the health screen. The
 * store feed's own short text instead ("1 symbol from a collector", "0 symbols
 * from a collector; collects BTCUSDT"). */
static const char *feed_word(const char *state)
{
    if (!strncmp(state, "store: ", 7))
        return state + 7;             /* the store feed says which symbols come from a collector */
    if (strstr(state, "no valid symbol"))
        return "idle";                /* every symbol :del'ed, or handed back to a collector */
    if (!strncmp(state, "offline", 7) || strstr(state, "error") || strstr(state, ": offline"))
        return "down";
    if (strstr(state, "backoff") || strstr(state, "stale") || strstr(state, "reconnect"))
        return "retry";
    if (strstr(state, "live"))
        return "live";
    return "wait";
}

/* The feeds that have said something: the store feed watching for a collector
 * that has not come says nothing and is not shown. */
int header_feeds_speaking(const struct snapshot *s)
{
    int n = 0;
    for (int i = 0; i < s->n_feeds; i++)
        n += s->feed_states[i][0] != 0;
    return n;
}

/* Several venues live at once: each one's state at the right end of the bar,
 * "binance live  bybit-linear retry", a venue that is down in the alarm colour.
 * Returns the columns it took (0: one venue, shown the usual way). */
static int header_feeds(struct ui *u, const struct snapshot *s, struct rect r, int bar)
{
    if (header_feeds_speaking(s) < 2)
        return 0;
    int len = 1;
    for (int i = 0; i < s->n_feeds; i++)
        if (s->feed_states[i][0])
            len += (int)strlen(s->feed_venue[i]) + 1 + (int)strlen(feed_word(s->feed_states[i])) + 1;
    if (len + 1 > r.w)
        return 0;
    int x = r.x + r.w - len;
    attron(bar);
    mvaddch(r.y, x - 1, ' ');
    attroff(bar);
    for (int i = 0; i < s->n_feeds; i++) {
        if (!s->feed_states[i][0])
            continue;
        const char *w = feed_word(s->feed_states[i]);
        int a = strcmp(w, "down") == 0 ? ui_attr(u, C_BAD) | (int)(A_REVERSE | A_BOLD)
              : strcmp(w, "live") == 0 ? bar : bar | (int)A_BOLD;
        attron(bar);
        mvprintw(r.y, x, " %s ", s->feed_venue[i]);
        attroff(bar);
        x += (int)strlen(s->feed_venue[i]) + 2;
        attron(a);
        mvaddstr(r.y, x, w);
        attroff(a);
        x += (int)strlen(w);
    }
    attron(bar);
    mvaddch(r.y, x, ' ');
    attroff(bar);
    return len + 1;
}

void header_draw(struct ui *u, struct rect r)
{
    const struct snapshot *s = u->snap;
    int bar = ui_attr(u, C_BAR);
    attron(bar);
    mvhline(r.y, r.x, ' ', r.w);
    attroff(bar);
    int feeds = header_feeds(u, s, r, bar);    /* several venues: their states take the right end */
    r.w -= feeds;
    char buf[256], px[32];
    int x = r.x;
    snprintf(buf, sizeof buf, " AlphaPulse ");
    mvaddnstr(r.y, x, buf, r.w);
    attron(bar | A_BOLD);
    mvaddnstr(r.y, x, buf, r.w);
    attroff(bar | A_BOLD);
    x += 12;
    if (u->sym >= s->n_symbols)
        return;
    const struct snap_symbol *ss = &s->symbols[u->sym];
    snprintf(buf, sizeof buf, " %s %s ", ss->name, tf_name(u->tf));
    attron(bar | A_BOLD);
    mvaddnstr(r.y, x, buf, r.x + r.w - x);
    attroff(bar | A_BOLD);
    x += (int)strlen(buf);
    if (ss->last > 0) {                          /* no price yet: no price and no change to show */
        fmt_px(u, u->sym, px, sizeof px, ss->last);
        double chg = ss->day_open > 0 ? (ss->last / ss->day_open - 1) * 100 : 0;
        snprintf(buf, sizeof buf, " %s ", px);
        attron(bar | A_BOLD);
        if (x < r.x + r.w)
            mvaddnstr(r.y, x, buf, r.x + r.w - x);
        attroff(bar | A_BOLD);
        x += (int)strlen(buf);
        snprintf(buf, sizeof buf, "%s%+.2f%% today ", u->ascii ? "" : (chg >= 0 ? "▲" : "▼"), chg);
        int c = ui_attr(u, chg >= 0 ? C_GOOD : C_BAD);
        attron(c | A_REVERSE);
        if (x < r.x + r.w)
            mvaddnstr(r.y, x, buf, r.x + r.w - x);
        attroff(c | A_REVERSE);
        x += u->ascii ? (int)strlen(buf) : (int)strlen(buf) - 2;
    }
    if (ss->perp && ss->mark > 0) {              /* a perpetual: its mark, funding rate and next funding */
        char mk[32], at[16] = "";
        fmt_px(u, u->sym, mk, sizeof mk, ss->mark);
        if (ss->next_funding > 0) {
            time_t t = (time_t)(ss->next_funding / 1000);
            struct tm tm;
            gmtime_r(&t, &tm);
            strftime(at, sizeof at, " @%H:%M", &tm);
        }
        snprintf(buf, sizeof buf, " mark %s fund %+.4f%%%s ", mk, ss->funding_rate * 100, at);
        attron(bar);
        if (x < r.x + r.w)
            mvaddnstr(r.y, x, buf, r.x + r.w - x);
        attroff(bar);
        x += (int)strlen(buf);
    }
    x = header_book(u, s, r, x, bar, (int)strlen(s->feed_state) + 3);     /* " [state]" */
    char when[32] = "";
    if (ss->last_time > 0) {
        time_t t = (time_t)(ss->last_time / 1000);
        struct tm tm;
        gmtime_r(&t, &tm);
        strftime(when, sizeof when, "%Y-%m-%d %H:%M UTC", &tm);
    }
    bool down = !feeds && (strncmp(s->feed_state, "offline", 7) == 0 || strncmp(s->feed_state, "error", 5) == 0);
    if (feeds)
        snprintf(buf, sizeof buf, " %s  %s", when, ss->market);
    else
        snprintf(buf, sizeof buf, " [%s] %s  %s", s->feed_state, when, ss->market);
    int room = r.x + r.w - x;
    if (room <= 0)
        return;
    int len = (int)strlen(buf);
    int attr = down ? ui_attr(u, C_BAD) | (int)(A_REVERSE | A_BOLD) : bar;
    attron(attr);
    mvaddnstr(r.y, x, buf, room);
    if (len > room && down && room > 3)          /* the reason does not fit: show that it is cut */
        mvaddstr(r.y, x + room - 3, "...");
    attroff(attr);
}
