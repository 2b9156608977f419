/* Status line: the newest engine message (or a UI message) and the key hint. */
#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "../ui_internal.h"

void status_draw(struct ui *u, struct rect r)
{
    const struct snapshot *s = u->snap;
    const char *hint = " ? help  q quit";
    int hw = (int)strlen(hint);
    const char *m = u->msg[0] ? u->msg : s->n_log ? s->log[s->n_log - 1] : "";
    attron(ui_attr(u, C_DIM));
    mvaddnstr(r.y, r.x, m, r.w - hw - 1);
    attroff(ui_attr(u, C_DIM));
    if (r.w > hw)
        mvaddstr(r.y, r.x + r.w - hw, hint);
}
