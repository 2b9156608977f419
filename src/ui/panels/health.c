/* Data-health panel: one row per stream from the snapshot — state, age of the
 * last message, messages/s, reconnects, gaps filled, rows rejected by rule,
 * outliers and the quality score (0 % for a stream that delivered nothing), and
 * the feed state with the reason when the exchange cannot be reached. Reads the
 * snapshot only; the age is the one place the wall clock is read. */
#include <curses.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "alphapulse/clock.h"
#include "../ui_internal.h"
#include "alphapulse/depth_sync.h"

void health_draw(struct ui *u, struct rect r);

static void age_text(char *buf, size_t n, int64_t last_ms)
{
    if (last_ms <= 0) {
        snprintf(buf, n, "never");
        return;
    }
    int64_t age = clock_wall_ms() - last_ms;
    if (age < 0)
        age = 0;
    if (age < 10000)
        snprintf(buf, n, "%.1fs", (double)age / 1000.0);
    else if (age < 3600000)
        snprintf(buf, n, "%llds", (long long)(age / 1000));
    else
        snprintf(buf, n, "%lldh", (long long)(age / 3600000));
}

/* "dup 3 o-o-o 2 syntax 1": the rules that fired, most frequent first. */
static void rules_text(char *buf, size_t n, const struct stream_health *h)
{
    bool used[STREAM_RULE_COUNT] = { false };
    size_t w = 0;
    buf[0] = 0;
    for (int k = 0; k < 3; k++) {
        int best = -1;
        for (int i = 0; i < STREAM_RULE_COUNT; i++)
            if (!used[i] && h->rejected[i] && (best < 0 || h->rejected[i] > h->rejected[best]))
                best = i;
        if (best < 0)
            break;
        used[best] = true;
        int m = snprintf(buf + w, n - w, "%s%s %u", w ? " " : "", stream_rule_name(best), h->rejected[best]);
        if (m < 0 || (size_t)m >= n - w)
            break;
        w += (size_t)m;
    }
    if (!w)
        snprintf(buf, n, "-");
}

/* One row per order book (feed.depth, or the demo's simulated one): synced or
 * not, the age of its last event on the engine's clock, resyncs and why. */
static void books_draw(struct ui *u, struct rect r, int row)
{
    const struct snapshot *s = u->snap;
    char line[256];
    for (int i = 0; i < s->n_symbols && row + 2 < r.h; i++) {
        const struct snap_book *b = &s->symbols[i].book;
        if (!b->present)
            continue;
        char name[SYMBOL_MAX + 8], age[16];
        snprintf(name, sizeof name, "%s book", s->symbols[i].name);
        if (b->last_event_ms > 0 && s->now >= b->last_event_ms)
            snprintf(age, sizeof age, "%.1fs", (double)(s->now - b->last_event_ms) / 1000.0);
        else
            snprintf(age, sizeof age, "-");
        snprintf(line, sizeof line, " %-14s %-10s %7s  %sresyncs %u  gaps %u  stale snapshots %u  crossed %u  "
                 "negative %u  off tick %u", name, depth_state_name(b->state), age,
                 b->simulated ? "book: simulated  " : "", b->resyncs, b->gaps, b->stale, b->crossed, b->neg_qty,
                 b->off_tick);
        int attr = ui_attr(u, b->state == DEPTH_SYNCED ? C_GOOD : C_BAD);
        attron(attr);
        mvaddnstr(r.y + ++row, r.x, line, r.w);
        attroff(attr);
    }
}

void health_draw(struct ui *u, struct rect r)
{
    const struct snapshot *s = u->snap;
    char line[512];
    if (r.h < 3 || r.w < 20)
        return;
    bool down = strncmp(s->feed_state, "offline", 7) == 0 || strncmp(s->feed_state, "error", 5) == 0;
    int top = A_BOLD | (down ? ui_attr(u, C_BAD) : 0);
    attron(top);
    snprintf(line, sizeof line, " Data health   feed: %s", s->feed_state);
    if (header_feeds_speaking(s) > 1) {          /* several venues: each one's own state in full */
        size_t k = (size_t)snprintf(line, sizeof line, " Data health   feeds:");
        for (int i = 0; i < s->n_feeds && k < sizeof line; i++)
            if (s->feed_states[i][0])
                k += (size_t)snprintf(line + k, sizeof line - k, " %s [%s]", s->feed_venue[i], s->feed_states[i]);
    }
    mvaddnstr(r.y, r.x, line, r.w);
    attroff(top);
    if (s->n_streams == 0) {
        mvaddnstr(r.y + 2, r.x, " no live streams (the demo replay has no network streams)", r.w);
        books_draw(u, r, 2);
        return;
    }
    attron(ui_attr(u, C_DIM));
    snprintf(line, sizeof line, " %-14s %-10s %7s %7s %6s %11s %7s %8s  %s", "stream", "state", "last", "msg/s",
             "reconn", "gaps(rows)", "outlier", "quality", "rejected by rule");
    mvaddnstr(r.y + 1, r.x, line, r.w);
    attroff(ui_attr(u, C_DIM));
    for (int i = 0; i < s->n_streams && i + 2 < r.h; i++) {
        const struct stream_health *h = &s->streams[i];
        char age[16], gaps[24], rules[96];
        age_text(age, sizeof age, h->last_msg_ms);
        snprintf(gaps, sizeof gaps, "%u(%u)", h->gaps_filled, h->candles_filled);
        rules_text(rules, sizeof rules, h);
        snprintf(line, sizeof line, " %-14s %-10s %7s %7.1f %6u %11s %7u %7.1f%%  %s", h->name,
                 stream_state_name(h->state), age, (double)h->msgs_per_s, h->reconnects, gaps, h->outliers,
                 100.0 * h->quality, rules);
        bool bad = h->state == STREAM_INVALID || h->state == STREAM_STALE || h->state == STREAM_BACKOFF ||
                   h->quality < 0.99f;
        int attr = ui_attr(u, bad ? C_BAD : h->state == STREAM_LIVE ? C_GOOD : C_NONE);
        attron(attr);
        mvaddnstr(r.y + 2 + i, r.x, line, r.w);
        attroff(attr);
    }
    books_draw(u, r, 1 + s->n_streams);
}
