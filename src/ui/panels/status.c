/* Status line: the command line or search prompt when open, otherwise the UI's
 * message (errors stand out), else the newest engine message; key hints right. */
#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "../ui_internal.h"

void status_draw(struct ui *u, struct rect r)
{
    const struct snapshot *s = u->snap;
    if (u->mode != MODE_NORMAL) {
        char buf[UI_LINE + 64];
        int n = 0;
        if (u->mode == MODE_SEARCH) {
            int idx[SEARCH_MAX];
            n = search_matches(u, idx, SEARCH_MAX);
        }
        snprintf(buf, sizeof buf, "%c%s", u->mode == MODE_COMMAND ? ':' : '/', u->line);
        ui_text(u, r.y, r.x, r.w, buf, A_BOLD);
        int x = r.x + (int)strlen(buf);
        if (x < r.x + r.w)
            mvaddch(r.y, x, ' ' | A_REVERSE);       /* the text cursor */
        if (u->mode == MODE_SEARCH) {
            snprintf(buf, sizeof buf, "  %d match%s  (Enter shows, Esc cancels)", n, n == 1 ? "" : "es");
            ui_text(u, r.y, x + 1, r.x + r.w - x - 1, buf, ui_attr(u, C_DIM));
        } else if (u->msg[0]) {
            ui_text(u, r.y, x + 2, r.x + r.w - x - 2, u->msg, ui_attr(u, C_DIM));
        }
        return;
    }
    const char *hint = " ? help  : cmd  q quit";
    int hw = (int)strlen(hint);
    if (r.w < hw + 20)
        hint = " ? help", hw = 7;
    const char *m = u->msg[0] ? u->msg : s->n_log ? s->log[s->n_log - 1] : "";
    char sm[240];   /* storage: a failing disk wins; an unsaved fill/order is "saving" until durable */
    if (s->storage_failing || s->money_seq > s->durable_seq) {
        snprintf(sm, sizeof sm, "%s%s", s->storage_failing ? "STORAGE FAILING, orders refused: " : "saving... ", m);
        m = sm;
    }
    ui_text(u, r.y, r.x, r.w - hw - 1, m, u->msg[0] && u->msg_error ? ui_attr(u, C_BAD) | (int)A_BOLD : ui_attr(u, C_DIM));
    if (r.w > hw)
        ui_text(u, r.y, r.x + r.w - hw, hw, hint, 0);
}
