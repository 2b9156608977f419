/* The order ticket's preview: the quantity each sizing method gives, notional,
 * risk and reward, and the risk manager's verdict, computed from a published
 * snapshot with the engine's own sizing and risk functions. Pure: the UI calls it
 * without touching the broker; the engine still checks the real command. */
#ifndef ALPHAPULSE_PREVIEW_H
#define ALPHAPULSE_PREVIEW_H
#include <stdbool.h>
#include <stdint.h>
#include "alphapulse/sizing.h"
#include "alphapulse/snapshot.h"

struct preview_ticket {
    int sym, side, type, method;   /* type: enum order_type; method: enum size_method */
    double size;                   /* the method's parameter */
    double price, stop, tp1, tp2;  /* price: limit/stop price (market orders use last) */
    double trail_atr;              /* trailing stop in ATRs; 0: none */
    bool exits_only;               /* editing an open position's exits: no entry */
};

struct order_preview {
    double entry, conv, qty, notional, risk, reward, rr;
    double by_method[SIZE_METHOD_COUNT];   /* each method's quantity (others at default_param) */
    bool kelly_ready;
    const char *capped;            /* the risk limit that capped the size, or NULL */
    double uncapped;               /* the size before the cap */
    int verdict;                   /* RISK_OK, another enum risk_verdict, or -1: no quantity */
    char why[240];
    char invalid[240];             /* a value the ticket refuses (naming the field), or "" */
};

/* v: the snapshot's account view; last: the symbol's last price; now: the
 * snapshot's event time; default_param: each method's parameter when not chosen. */
void preview_order(const struct pf_view *v, double last, int64_t now, const struct preview_ticket *t,
                   const double default_param[SIZE_METHOD_COUNT], struct order_preview *c);

/* A market order of qty (+1 buy: the asks, -1 sell: the bids) walked through the
 * snapshot's levels (book.h's walk): w->filled below qty when the levels in
 * view hold less; *slip_bps its VWAP's distance from the best price (positive:
 * worse). False when d holds no level on that side. */
bool preview_book_fill(const struct snap_depth *d, int side, double qty, struct book_walk *w, double *slip_bps);

#endif
