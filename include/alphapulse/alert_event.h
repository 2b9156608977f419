/* Alerts the engine (and the health watchers) raise: a core type that travels
 * through an SPSC queue to the alert dispatcher, so the engine never includes
 * alert/ and never waits on a network. Rules and channels live in alert.h.
 *
 * Where each kind is raised (one engine_alert() call each, see engine.h):
 *   ALERT_SIGNAL       engine: a new signal enters the signal queue (confidence
 *                      0..1), or an inbound webhook signal is accepted (NAN)
 *   ALERT_FILL         engine on_price(): a paper order filled (emitted now)
 *   ALERT_STOP/TARGET  engine: a stop or take-profit closed a position (paper/risk)
 *   ALERT_RISK_LOCK    engine: a risk limit locked trading (paper/risk)
 *   ALERT_KILL_SWITCH  engine: the kill switch was used (paper/risk)
 *   ALERT_FEED_STALE   dispatcher watcher: no market message for > N s
 *   ALERT_STORAGE      dispatcher watcher: database writes are failing */
#ifndef ALPHAPULSE_ALERT_EVENT_H
#define ALPHAPULSE_ALERT_EVENT_H
#include <stdint.h>
#include "alphapulse/event.h"

enum alert_kind {
    ALERT_SIGNAL,
    ALERT_FILL,
    ALERT_STOP,
    ALERT_TARGET,
    ALERT_RISK_LOCK,
    ALERT_KILL_SWITCH,
    ALERT_FEED_STALE,
    ALERT_STORAGE,
    ALERT_KIND_COUNT
};

#define ALERT_TEXT_MAX 160

struct alert_event {
    int kind;                       /* enum alert_kind */
    int64_t time;                   /* event time, ms UTC (the engine's clock) */
    char symbol[SYMBOL_MAX];        /* "" when not about one symbol */
    double confidence;              /* 0..1 for signals; NAN when not relevant */
    char text[ALERT_TEXT_MAX];      /* one line for people; never holds a secret */
};

/* "signal", "fill", ... as used in the configuration and the outbound JSON. */
const char *alert_kind_name(int kind);
int alert_kind_parse(const char *name);   /* -1 when unknown */

#endif
