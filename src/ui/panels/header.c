/* Header bar: symbol, timeframe, last price, change today, feed state, data time.
 * A feed that cannot reach the exchange says why here, cut visibly if too long;
 * the store feed's text takes a short form when it does not fit (store_short). */
#include <curses.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
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

/* out (n bytes) printf'ed: whether it has at most room columns. */
static bool fitted(char *out, size_t n, int room, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int len = vsnprintf(out, n, fmt, ap);
    va_end(ap);
    return len >= 0 && len <= room;
}

/* The store feed's state ("store: 2 symbols from a collector (A,B); collects
 * C,D,E", src/app/store_feed.c say_state) narrower, for a bar without room for
 * it: "db 2 (A,B); own C,D,E" (2 symbols read from the database, a collector's;
 * C, D and E collected by the console itself), then without the collector's
 * symbols "db 2; own C,D,E", then (cut_own) "db 2; own C,+2" (the first and
 * how many more), "db 2; own 3". The first with at most room columns, else the
 * last. */
static const char *store_short(const char *state, int room, bool cut_own, char *out, size_t n)
{
    int db = atoi(state + 7);
    const char *from = strchr(state, '('), *own = strstr(state, "; collects ");
    int nf = from ? (int)strcspn(from + 1, ")") : 0;
    own = own ? own + 11 : "";
    const char *sep = *own ? "; own " : "";
    int more = 0;                             /* the console's symbols after the first */
    for (const char *c = own; *c; c++)
        more += *c == ',';
    const char *plus = strrchr(own, '+');     /* "C,D,+3": 3 not named (say_state) */
    if (plus)
        more += atoi(plus + 1) - 1;
    if (from && fitted(out, n, room, "db %d (%.*s)%s%s", db, nf, from + 1, sep, own))
        return out;
    if (fitted(out, n, room, "db %d%s%s", db, sep, own) || !*own || !cut_own)
        return out;
    if (more && *own != '+' && fitted(out, n, room, "db %d; own %.*s,+%d", db, (int)strcspn(own, ","), own, more))
        return out;
    fitted(out, n, room, "db %d; own %d", db, more + 1);
    return out;
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

/* The store feed's part of the feeds' text (header_feeds): "store" and its
 * whole text when the bar keeps its first keep columns to its left, else its
 * short text alone (store_short, "db ..."): one naming every symbol the console
 * collects and keeping keep columns, else the widest keeping need columns.
 * Sets *word and *named; returns the columns it takes, 0 when it does not fit.
 * base: the columns of the other feeds' parts. */
static int store_part(const struct snapshot *s, int i, int w, int base, int keep, int need,
                      char *buf, size_t n, const char **word, bool *named)
{
    const char *state = s->feed_states[i];
    int full = (int)strlen(s->feed_venue[i]) + (int)strlen(state + 7) + 2;
    *named = base + full <= w - keep;
    *word = *named ? state + 7 : store_short(state, w - keep - base - 1, false, buf, n);
    if (!*named && base + (int)strlen(*word) + 1 > w - keep)
        *word = store_short(state, w - need - base - 1, true, buf, n);
    int len = *named ? full : (int)strlen(*word) + 1;
    return base + len <= w - need ? len : 0;
}

/* Several venues live at once: each one's state at the right end of the bar,
 * "binance live  bybit-linear retry", a venue that is down in the alarm colour;
 * the store feed's text shortened so that the bar keeps its first keep columns
 * (the price and the change today), or at least need (the symbol and the price).
 * Returns the columns it took (0: one venue, or no room: shown the usual way). */
static int header_feeds(struct ui *u, const struct snapshot *s, struct rect r, int bar, int keep, int need)
{
    if (header_feeds_speaking(s) < 2)
        return 0;
    int len = 1, st = -1;
    for (int i = 0; i < s->n_feeds; i++)
        if (!strncmp(s->feed_states[i], "store: ", 7))
            st = i;
        else if (s->feed_states[i][0])
            len += (int)strlen(s->feed_venue[i]) + 1 + (int)strlen(feed_word(s->feed_states[i])) + 1;
    char buf[96];
    const char *sw = NULL;
    bool named = true;
    if (st >= 0) {
        int part = store_part(s, st, r.w, len + 1, keep, need, buf, sizeof buf, &sw, &named);
        if (!part)
            return 0;
        len += part;
    }
    if (len + 1 > r.w)
        return 0;
    int x = r.x + r.w - len;
    attron(bar);
    mvaddch(r.y, x - 1, ' ');
    attroff(bar);
    for (int i = 0; i < s->n_feeds; i++) {
        if (!s->feed_states[i][0])
            continue;
        const char *w = i == st ? sw : feed_word(s->feed_states[i]);
        int a = strcmp(w, "down") == 0 ? ui_attr(u, C_BAD) | (int)(A_REVERSE | A_BOLD)
              : strcmp(w, "live") == 0 ? bar : bar | (int)A_BOLD;
        attron(bar);
        if (i != st || named)
            mvprintw(r.y, x, " %s ", s->feed_venue[i]);
        else
            mvaddch(r.y, x, ' ');
        attroff(bar);
        x += i != st || named ? (int)strlen(s->feed_venue[i]) + 2 : 1;
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

/* The bar's left part, as far as it fits in r: the name, the shown symbol and
 * timeframe, its last price (*need: the columns up to here) and the change
 * today. Returns the column after it. */
static int header_left(struct ui *u, const struct snapshot *s, struct rect r, int bar, int *need)
{
    char buf[256], px[32];
    int x = r.x;
    snprintf(buf, sizeof buf, " AlphaPulse ");
    attron(bar | A_BOLD);
    mvaddnstr(r.y, x, buf, r.w);
    attroff(bar | A_BOLD);
    x += 12;
    *need = x - r.x;
    if (u->sym >= s->n_symbols)
        return x;
    const struct snap_symbol *ss = &s->symbols[u->sym];
    snprintf(buf, sizeof buf, " %s %s ", ss->name, tf_name(u->tf));
    attron(bar | A_BOLD);
    if (x < r.x + r.w)
        mvaddnstr(r.y, x, buf, r.x + r.w - x);
    attroff(bar | A_BOLD);
    x += (int)strlen(buf);
    *need = x - r.x;
    if (ss->last <= 0)                           /* no price yet: no price and no change to show */
        return x;
    fmt_px(u, u->sym, px, sizeof px, ss->last);
    double chg = ss->day_open > 0 ? (ss->last / ss->day_open - 1) * 100 : 0;
    snprintf(buf, sizeof buf, " %s ", px);
    attron(bar | A_BOLD);
    if (x < r.x + r.w)
        mvaddnstr(r.y, x, buf, r.x + r.w - x);
    attroff(bar | A_BOLD);
    x += (int)strlen(buf);
    *need = x - r.x;
    snprintf(buf, sizeof buf, "%s%+.2f%% today ", u->ascii ? "" : (chg >= 0 ? "▲" : "▼"), chg);
    int c = ui_attr(u, chg >= 0 ? C_GOOD : C_BAD);
    attron(c | A_REVERSE);
    if (x < r.x + r.w)
        mvaddnstr(r.y, x, buf, r.x + r.w - x);
    attroff(c | A_REVERSE);
    return x + (u->ascii ? (int)strlen(buf) : (int)strlen(buf) - 2);
}

/* The feed state in brackets, then the data time and the market when they fit
 * whole; a store feed's text narrower (store_short) when it does not fit in
 * room, an offline/error state in the alarm colour, "..." where it is cut. */
static void header_state(struct ui *u, const struct snapshot *s, const struct snap_symbol *ss, struct rect r,
                         int x, int bar, bool feeds)
{
    int room = r.x + r.w - x;
    if (room <= 0)
        return;
    char when[32] = "", buf[256] = "", st[96];
    if (ss->last_time > 0) {
        time_t t = (time_t)(ss->last_time / 1000);
        struct tm tm;
        gmtime_r(&t, &tm);
        strftime(when, sizeof when, "%Y-%m-%d %H:%M UTC", &tm);
    }
    const char *state = s->feed_state;
    if (!strncmp(state, "store: ", 7) && (int)strlen(state) + 3 > room)
        state = store_short(state, room - 3, true, st, sizeof st);
    bool down = !feeds && (strncmp(state, "offline", 7) == 0 || strncmp(state, "error", 5) == 0);
    int len = feeds ? 0 : snprintf(buf, sizeof buf, " [%s]", state);
    if (len < 0 || len >= (int)sizeof buf)
        len = (int)strlen(buf);
    if (len + 1 + (int)strlen(when) <= room)
        len += snprintf(buf + len, sizeof buf - (size_t)len, " %s", when);
    if (len + 2 + (int)strlen(ss->market) <= room)
        len += snprintf(buf + len, sizeof buf - (size_t)len, "  %s", ss->market);
    int attr = down ? ui_attr(u, C_BAD) | (int)(A_REVERSE | A_BOLD) : bar;
    attron(attr);
    mvaddnstr(r.y, x, buf, room);
    if (len > room && (down || state == st) && room > 3)   /* the reason does not fit: show that it is cut */
        mvaddstr(r.y, x + room - 3, "...");
    attroff(attr);
}

void header_draw(struct ui *u, struct rect r)
{
    const struct snapshot *s = u->snap;
    int bar = ui_attr(u, C_BAR);
    attron(bar);
    mvhline(r.y, r.x, ' ', r.w);
    attroff(bar);
    int need, x = header_left(u, s, r, bar, &need);
    /* several venues: their states take the right end (their first blank may
     * take the blank the left part ends with) */
    int feeds = header_feeds(u, s, r, bar, x - r.x - 1, need - 1);
    r.w -= feeds;
    if (u->sym >= s->n_symbols)
        return;
    const struct snap_symbol *ss = &s->symbols[u->sym];
    char buf[256];
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
    header_state(u, s, ss, r, x, bar, feeds);
}
