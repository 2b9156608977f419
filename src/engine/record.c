/* Names of the enumerations in storage records, as they are stored and exported:
 * the database keeps words, not numbers, so an export reads without a legend. */
#include "alphapulse/record.h"

#include <string.h>

static const char *const ORDER_TYPES[ORDER_TYPE_COUNT] = { "market", "limit", "stop" };
static const char *const ORDER_STATUSES[ORDER_STATUS_COUNT] = { "placed", "filled", "cancelled", "rejected" };
static const char *const SIGNAL_STATES[SIGNAL_STATE_COUNT] = { "new", "taken", "dismissed", "expired", "stale" };
static const char *const OUTCOMES[OUTCOME_COUNT] = { "open", "tp1", "tp2", "tp3", "tp4", "stop", "expiry" };

static const char *name(const char *const *t, int n, int v) { return v >= 0 && v < n ? t[v] : "?"; }

static int parse(const char *const *t, int n, const char *s)
{
    for (int i = 0; s && i < n; i++)
        if (strcmp(t[i], s) == 0)
            return i;
    return -1;
}

const char *record_order_type_name(int v) { return name(ORDER_TYPES, ORDER_TYPE_COUNT, v); }
const char *record_order_status_name(int v) { return name(ORDER_STATUSES, ORDER_STATUS_COUNT, v); }
const char *record_signal_state_name(int v) { return name(SIGNAL_STATES, SIGNAL_STATE_COUNT, v); }
const char *record_signal_outcome_name(int v) { return name(OUTCOMES, OUTCOME_COUNT, v); }
int record_order_type_parse(const char *s) { return parse(ORDER_TYPES, ORDER_TYPE_COUNT, s); }
int record_order_status_parse(const char *s) { return parse(ORDER_STATUSES, ORDER_STATUS_COUNT, s); }
int record_signal_state_parse(const char *s) { return parse(SIGNAL_STATES, SIGNAL_STATE_COUNT, s); }
int record_signal_outcome_parse(const char *s) { return parse(OUTCOMES, OUTCOME_COUNT, s); }
