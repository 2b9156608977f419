/* The engine's recent messages (fills, rejections, feed state), newest last, each
 * stamped with the engine's time (the data's time in a replay). Long lines wrap;
 * when focused, Up/Down/PgUp/PgDn/Home/End scroll back through the kept lines. */
#include <curses.h>
#include <stdio.h>
#include <time.h>

#include "../ui_internal.h"

#define LOG_WRAP 32       /* enough for a 160-byte line at the narrowest width */

/* "MM-DD HH:MM:SS text"; a line from before any data has no time to show. */
static void stamped(char *out, size_t n, int64_t ms, const char *text)
{
    if (ms <= 0) {
        snprintf(out, n, "--:--:-- %s", text);
        return;
    }
    time_t t = (time_t)(ms / 1000);
    struct tm tm;
    char when[24];
    gmtime_r(&t, &tm);
    strftime(when, sizeof when, "%m-%d %H:%M:%S", &tm);
    snprintf(out, n, "%s %s", when, text);
}

static void draw(struct ui *u, struct rect r, struct panel_state *ps)
{
    const struct snapshot *s = u->snap;
    if (r.h <= 0 || r.w <= 0)
        return;
    if (s->n_log == 0) {
        ui_text(u, r.y, r.x, r.w, "no messages yet", ui_attr(u, C_DIM));
        return;
    }
    if (ps->scroll > s->n_log - 1)
        ps->scroll = s->n_log - 1;
    if (ps->scroll < 0)
        ps->scroll = 0;
    int bottom = r.y + r.h - 1;                  /* next free row, filled upwards */
    if (ps->scroll > 0 && r.h >= 2) {            /* scrolled back: say so on the last row */
        char note[96];
        snprintf(note, sizeof note, u->ascii ? "v %d newer below (End: latest)" : "↓ %d newer below (End: latest)",
                 ps->scroll);
        ui_text(u, bottom, r.x, r.w, note, ui_attr(u, C_FOCUS) | (int)A_BOLD);
        bottom--;
    }
    int last = s->n_log - 1 - ps->scroll;        /* scroll: entries hidden below */
    char line[WRAP_COLS], wrapped[LOG_WRAP][WRAP_COLS];
    for (int i = last; i >= 0 && bottom >= r.y; i--) {
        stamped(line, sizeof line, s->log_time[i], s->log[i]);
        int k = wrap_text(line, r.w, wrapped, LOG_WRAP);
        int room = bottom - r.y + 1;
        int attr = i == s->n_log - 1 ? 0 : ui_attr(u, C_DIM);
        if (k > room) {
            if (i != last)                       /* an older entry that does not fit whole: not shown */
                break;
            /* the one entry in view is taller than the panel: its start, cut visibly */
            for (int j = 0; j < room; j++)
                ui_text(u, r.y + j, r.x, r.w, wrapped[j], attr);
            int w = r.w < 3 ? r.w : 3;
            ui_text(u, r.y + room - 1, r.x + r.w - w, w, "...", attr | (int)A_BOLD);
            break;
        }
        for (int j = 0; j < k; j++)
            ui_text(u, bottom - k + 1 + j, r.x, r.w, wrapped[j], attr);
        bottom -= k;
    }
}

const struct panel panel_log = { "log", "Log", SLOT_BOTTOM, NULL, draw, NULL, NULL };
