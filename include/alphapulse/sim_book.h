/* A synthetic order book and trade tape around replayed 1m candles (the demo has
 * candles only). Deterministic: the same candle updates and seed give the same
 * events, whatever the speed, so a replay rebuilds the same book. The events are
 * the live feed's (EE_DEPTH pieces marked simulated, EE_TRADE), and:
 *  - the trades of a candle stay inside its high and low, their quantities add up
 *    exactly (in 1e-8 units) to its volume, and the last one is at its close;
 *  - the book is never crossed, its prices are on the tick, and the last trade is
 *    between the best bid and ask or at them after every event.
 * The model: each candle update is reached by 1 to 4 trades walking from the
 * previous price to the update's close along the candle's path (a small jitter,
 * kept inside the range), each one a buy when the price rose, a sell when it
 * fell. A buy takes the asks up to its price (the ask side is rebuilt from there)
 * and the bids then move up to a spread below it; a sell likewise. The spread is
 * 1 + sqrt(range in ticks)/4 ticks of the last closed candle (at most 0.5 % of the
 * price). Behind the best price, up to SIM_BOOK_LEVELS levels a side sit on a grid
 * fixed in price (a move changes few of them) spaced an eighth of a candle's range
 * (at least the spread), each holding 0.3 to 1.7 times 1/SIM_BOOK_LEVELS of that
 * candle's volume, now and then four times it; spacing and sizes are renewed every
 * 15 minutes of data.
 */
#ifndef ALPHAPULSE_SIM_BOOK_H
#define ALPHAPULSE_SIM_BOOK_H
#include <stdbool.h>
#include <stdint.h>
#include "alphapulse/event.h"

#define SIM_BOOK_LEVELS 40             /* levels per side */
#define SIM_BOOK_SEED 0x5eedb00c       /* the demo's seed */

struct sim_book;

/* Takes each event made, in order; false stops the generation (the feed stops). */
typedef bool (*sim_book_emit)(void *ctx, const struct engine_event *ev);

/* One book per instrument (its tick and step; 0: 1e-8). NULL when out of memory. */
struct sim_book *sim_book_create(const struct instrument *inst, int n, uint64_t seed);
void sim_book_free(struct sim_book *sb);
/* The trades and book changes that lead up to k, a 1m candle update about to be
 * delivered (the first one of a symbol starts its book with a snapshot). Other
 * timeframes and unknown symbols make nothing. False when emit returned false. */
bool sim_book_on_kline(struct sim_book *sb, const struct kline_event *k, sim_book_emit emit, void *ctx);

#endif
