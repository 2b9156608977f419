/* Bybit V5 public REST client (libcurl): kline pages for backfill and gap fill,
 * instruments-info for the symbol check. Rate limits are honoured for the whole
 * host: retCode 10006/10018 pause requests until X-Bapi-Limit-Reset-Timestamp
 * (or a second), HTTP 403 (a restricted region, or an IP over the limit) for
 * ban_ms (10 minutes by default). Before that can happen, every client of the
 * process together sends at most BYBIT_REST_PER_WINDOW requests in any
 * BYBIT_REST_WINDOW_MS: Bybit allows 600 per 5 s per IP across all its hosts
 * and bans the IP for 10 minutes past it; 500 leaves a sixth for anything else
 * on the machine. Replies are read by bybit_parse.h. */
#ifndef ALPHAPULSE_BYBIT_REST_H
#define ALPHAPULSE_BYBIT_REST_H
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include "alphapulse/bybit_parse.h"

#define BYBIT_DEFAULT_REST "https://api.bybit.com"
#define BYBIT_DEFAULT_WS "wss://stream.bybit.com"
#define BYBIT_REST_PER_WINDOW 500
#define BYBIT_REST_WINDOW_MS 5000

struct bybit_rest {
    char base[256];
    int category;              /* BYBIT_SPOT or BYBIT_LINEAR */
    void *curl;
    atomic_bool *stop;
    char *body;
    size_t len, cap;
    long http_status;
    int64_t reset_wall_ms;     /* last X-Bapi-Limit-Reset-Timestamp, 0 when absent */
    int64_t blocked_until_ms;  /* monotonic ms: no request before this */
    int64_t ban_ms;            /* pause after HTTP 403 */
    char curl_err[256];
    uint64_t requests, rate_limited;
};

int bybit_rest_init(struct bybit_rest *r, const char *base_url, int category, const char *ca_file, atomic_bool *stop,
                    char *err, size_t err_len);
void bybit_rest_free(struct bybit_rest *r);
/* ms before a request may go: a rate-limit or 403 pause, or the process's
 * request budget spent (0: now). */
int64_t bybit_rest_wait_ms(const struct bybit_rest *r);
/* Closed-or-forming 1m..1d candles with start in [start, end] (at most 1000 and
 * max), oldest first. 0, or -1 with e->kind and a sentence in why. */
int bybit_rest_klines(struct bybit_rest *r, const char *symbol, int tf, int64_t start, int64_t end,
                      struct candle *out, size_t max, size_t *n, unsigned *rejected, struct bybit_error *e,
                      char *why, size_t why_len);
int bybit_rest_instrument(struct bybit_rest *r, const char *symbol, struct bybit_instrument *out,
                          struct bybit_error *e, char *why, size_t why_len);

#endif
