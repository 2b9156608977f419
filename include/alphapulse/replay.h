/* The demo feed: real 1m candles from data/, turned into Binance combined-stream
 * kline messages (two partial updates, then the closed candle) that go through the
 * same parser as live data. Symbols are interleaved candle by candle. */
#ifndef ALPHAPULSE_REPLAY_H
#define ALPHAPULSE_REPLAY_H
#include <stddef.h>
#include <stdint.h>
#include "alphapulse/event.h"

#define REPLAY_PHASES 3          /* messages per candle */

struct replay;

/* manifest: a JSON list of {symbol, base, quote, file, market, tick, step,
 * min_notional}; files are relative to the manifest's directory. */
struct replay *replay_open(const char *manifest, char *err, size_t err_len);
void replay_close(struct replay *r);
int replay_symbols(const struct replay *r, struct instrument *out, int max);
/* Start symbol sym after the candle that opened at t (resume after stored data). */
void replay_seek(struct replay *r, int sym, int64_t after);
/* Next message into buf: returns its length, 0 when every symbol is exhausted.
 * *round_end is set when the message completes a phase across all symbols (the
 * place where a paced player waits). */
int replay_next(struct replay *r, char *buf, size_t len, int *round_end);
size_t replay_remaining(const struct replay *r, int sym);
/* The phase the next message belongs to: 0 right after a round that closed the
 * candles (the place where a step ends). */
int replay_phase(const struct replay *r);
/* Symbol sym's 1m candles, and its older higher-timeframe history (n 0: none). */
const struct candle *replay_candles(const struct replay *r, int sym, size_t *n);
const struct candle *replay_history(const struct replay *r, int sym, int *tf, size_t *n);


#endif
