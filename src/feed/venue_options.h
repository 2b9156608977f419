/* What every live venue takes from struct venue_options into its feed's own
 * options (fields of the same names): the endpoints and CA file, and the
 * timings given (> 0); the rest keeps the feed's defaults. Private to src/feed. */
#ifndef FEED_VENUE_OPTIONS_H
#define FEED_VENUE_OPTIONS_H

#define VENUE_OPTIONS_APPLY(dst, o)                          \
    do {                                                     \
        if ((o)->rest_url && *(o)->rest_url)                 \
            (dst)->rest_url = (o)->rest_url;                 \
        if ((o)->ws_url && *(o)->ws_url)                     \
            (dst)->ws_url = (o)->ws_url;                     \
        (dst)->ca_file = (o)->ca_file;                       \
        if ((o)->stale_after_s > 0)                          \
            (dst)->stale_after_s = (o)->stale_after_s;       \
        if ((o)->history > 0)                                \
            (dst)->history = (o)->history;                   \
        if ((o)->backoff_base_ms > 0)                        \
            (dst)->backoff_base_ms = (o)->backoff_base_ms;   \
        if ((o)->backoff_cap_ms > 0)                         \
            (dst)->backoff_cap_ms = (o)->backoff_cap_ms;     \
    } while (0)

#endif
