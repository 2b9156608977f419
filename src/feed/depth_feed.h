/* The live feed's market-depth part (private to src/feed): the extra streams of
 * a symbol, the depth and trade messages parsed and handed to the engine in
 * pieces, and the REST snapshots the engine's books ask for. Runs on the feed
 * thread; never holds a book. */
#ifndef FEED_DEPTH_FEED_H
#define FEED_DEPTH_FEED_H
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "alphapulse/binance_rest.h"
#include "alphapulse/depth_demand.h"
#include "alphapulse/spsc.h"

struct depth_feed;

struct depth_feed *depth_feed_create(struct depth_demand *dm, struct spsc *out, atomic_bool *stop);
void depth_feed_destroy(struct depth_feed *d);
/* Appends "/<lower>@depth@100ms/<lower>@aggTrade" when the symbol has a book;
 * returns the characters written. */
size_t depth_feed_streams(const struct depth_feed *d, const char *symbol, const char *lower, char *buf, size_t n);
/* A WebSocket message: true when it was a depth or trade message (handled). */
bool depth_feed_frame(struct depth_feed *d, const char *buf, size_t len, int64_t recv_ns);
/* At most one snapshot request per call, for a book that wants one; only while
 * the stream is open (events are then buffered by the engine's book). */
void depth_feed_rest(struct depth_feed *d, struct binance_rest *rest, bool stream_open);
/* Messages refused (not parseable), for the connection's health row. */
uint32_t depth_feed_rejected(const struct depth_feed *d);

#endif
