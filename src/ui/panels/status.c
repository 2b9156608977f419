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
    char sm[200];   /* storage: a failing disk wins; an unsaved fill/order is "saving" until durable */
    if (s->storage_failing || s->money_seq > s->durable_seq)
        m = (snprintf(sm, sizeof sm, "%s%s", s->storage_failing ? "STORAGE FAILING, orders refused: " : "saving... ", m), sm);
    attron(ui_attr(u, C_DIM));
    mvaddnstr(r.y, r.x, m, r.w - hw - 1);
    attroff(ui_attr(u, C_DIM));
    if (r.w > hw)
        mvaddstr(r.y, r.x + r.w - hw, hint);
}
