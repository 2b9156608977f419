/* Names of alert kinds: shared by the engine's journal, the config parser and
 * the outbound JSON, so the three always agree. */
#include "alphapulse/alert_event.h"

#include <string.h>

static const char *const kind_names[ALERT_KIND_COUNT] = {
    "signal", "fill", "stop", "target", "risk_lock", "kill_switch", "feed_stale", "storage",
};

const char *alert_kind_name(int kind)
{
    return kind >= 0 && kind < ALERT_KIND_COUNT ? kind_names[kind] : "unknown";
}

int alert_kind_parse(const char *name)
{
    for (int i = 0; i < ALERT_KIND_COUNT; i++)
        if (strcmp(name, kind_names[i]) == 0)
            return i;
    return -1;
}
