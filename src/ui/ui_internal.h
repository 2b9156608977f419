/* State shared by the UI's files; not part of the public surface. */
#ifndef ALPHAPULSE_UI_INTERNAL_H
#define ALPHAPULSE_UI_INTERNAL_H
#include <stdbool.h>
#include <stdint.h>
#include "alphapulse/engine_thread.h"
#include "alphapulse/snapshot.h"

enum ui_color { C_NONE, C_BULL, C_BEAR, C_EMA, C_DIM, C_BAR, C_VOL, C_GOOD, C_BAD, C_SEL, C_COUNT };

struct rect { int x, y, w, h; };

struct ui {
    struct engine_thread *et;
    struct snapshot *snap;
    uint64_t seq;
    int sym, tf;
    int cw;              /* columns per candle (zoom) */
    int pan;             /* candles hidden to the right of the view */
    bool help, ascii, color, quit, dirty;
    char msg[160];       /* a UI-side message for the status line */
    int sig_sel;         /* selected row of the signal queue */
    bool detail;         /* signal detail view open */
};

struct ui_action {
    const char *keys;    /* as shown in help */
    int key[3];          /* up to three key codes; 0 ends */
    int span;            /* key[0] .. key[0]+span-1 map to arg 0..span-1 (1 = single key) */
    const char *help;
    void (*fn)(struct ui *u, int arg);
};

extern const struct ui_action ui_actions[];
extern const int ui_action_count;
bool keymap_dispatch(struct ui *u, int key);

int ui_attr(const struct ui *u, enum ui_color c);
void chart_draw(struct ui *u, struct rect r);
void header_draw(struct ui *u, struct rect r);
void account_draw(struct ui *u, struct rect r);
void sidebar_draw(struct ui *u, struct rect r);
void status_draw(struct ui *u, struct rect r);
void help_draw(struct ui *u);
void regimes_draw(struct ui *u, struct rect r);
void signals_draw(struct ui *u, struct rect r);
void signal_detail_draw(struct ui *u);
/* the selected signal of the queue, or NULL */
const struct signal *signals_selected(const struct ui *u);
void fmt_price(char *buf, size_t n, double p);

#endif
