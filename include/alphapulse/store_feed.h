/* A console beside collectors: the instruments a collector writes into the
 * database (store_collected, store.h) are read from the store instead of
 * opening an exchange connection of the console's own. The store venue's feed
 * waits for the collectors' commits (PostgreSQL: NOTIFY alphapulse_candles;
 * SQLite: PRAGMA data_version, looked at once a second) and reads the new closed
 * 1m candles then, and at least once a second; its feed state says "store". The
 * candles it delivers are marked stored, so the console does not write them
 * again, and its engine raises no signal on them: the feed hands on instead
 * the signals the collectors' engines stored for those symbols (the open ones
 * at the start, then each row a collector adds or changes; EE_SIGNAL), which
 * the console shows and may take on its own account but never stores. */
#ifndef ALPHAPULSE_STORE_FEED_H
#define ALPHAPULSE_STORE_FEED_H
#include <stddef.h>
#include "alphapulse/venue.h"

#define STORE_FEED_POLL_MS 1000   /* the longest wait between reads without a notification */

extern const struct venue store_feed_venue;
/* Of the comma-separated symbols in list, those a collector writes into db now,
 * comma-separated into out (n bytes; "" for none): the count. */
int store_feed_collected(const char *db, const char *list, char *out, size_t n);

#endif
