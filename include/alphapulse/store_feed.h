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
#include <stdbool.h>
#include <stddef.h>
#include "alphapulse/venue.h"

#define STORE_FEED_POLL_MS 1000   /* the longest wait between reads without a notification */

/* Switching at runtime: the feed looks every 500 ms whether a collector still
 * holds each of its symbols (store_watch_collected; a collector not seen alive
 * for the venue options' store_stale_s is hung and counts as gone). One whose
 * collector is gone for 2 s is handed over, fn(ctx, symbol, false): the console collects it
 * from the exchange itself (back-filling from its last candle); when a
 * collector holds it again, fn(ctx, symbol, true) and the feed reads it from the
 * database again. fn returns 0, or -1 when it could not (asked again at the
 * next look). Called on the feed's thread; set before start. The header's
 * state names the symbols collected here. */
typedef int (*store_feed_switch_fn)(void *ctx, const char *symbol, bool to_store);
void store_feed_on_switch(struct venue_feed *f, store_feed_switch_fn fn, void *ctx);

/* Watching (a console on a store a collector may write, started later): the
 * feed is started with every symbol of the session; those not in collected
 * (the comma-separated canonical names a collector held at the start) the
 * console collects from the exchange itself until a collector holds one, which
 * is then handed over, fn(ctx, symbol, true), and read from the store from a
 * point before its newest stored candle (the engine drops the ones it has), so
 * the series has no hole and no duplicate. Until then the feed says nothing to
 * the header. The venue's add/del (the console's :add/:del) reach it too: an
 * added symbol is collected here until the next look finds its collector; a
 * removed one is not read any more. Set before start; collected must outlive
 * the feed. */
void store_feed_watch(struct venue_feed *f, const char *collected);

extern const struct venue store_feed_venue;
/* Of the comma-separated symbols in list, those a collector writes into db now
 * (one seen alive within stale_s), comma-separated into out (n bytes; "" for
 * none): the count. */
int store_feed_collected(const char *db, const char *list, int stale_s, char *out, size_t n);

#endif
