/* Binance spot REST market data (libcurl): kline paging for backfill and gap fill,
 * exchangeInfo for symbol checks and trading filters. Honours the per-IP weight
 * (X-MBX-USED-WEIGHT-1M), 429/418 with Retry-After, and reports -1121 (invalid
 * symbol) distinctly so the caller drops the symbol instead of retrying forever.
 * The parsers are pure functions so every bad shape can be tested offline. */
#ifndef ALPHAPULSE_BINANCE_REST_H
#define ALPHAPULSE_BINANCE_REST_H
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "alphapulse/candle.h"
#include "alphapulse/event.h"
#include "alphapulse/venue.h"

#define BINANCE_KLINES_LIMIT 1000      /* the endpoint's maximum page */
#define BINANCE_WEIGHT_LIMIT 6000      /* REQUEST_WEIGHT per minute until exchangeInfo says otherwise */
#define BINANCE_BAD_SYMBOL (-1121)

/* Binance's HTTP statuses and error codes mapped onto the venues' common ones. */
enum binance_rest_status {
    BREST_OK = VENUE_OK,
    BREST_NETWORK = VENUE_NETWORK,
    BREST_RATE_LIMITED = VENUE_RATE_LIMITED,   /* 429/418 or our own weight guard: wait until blocked_until */
    BREST_BAD_SYMBOL = VENUE_BAD_SYMBOL,       /* -1121: the exchange does not know the symbol */
    BREST_REJECTED = VENUE_REJECTED,           /* another 4xx with a Binance error body */
    BREST_SERVER = VENUE_SERVER,               /* 5xx */
    BREST_BAD_REPLY = VENUE_BAD_REPLY,         /* 200 but the body has the wrong shape */
    BREST_STOPPED = VENUE_STOPPED,             /* the caller asked us to stop mid-request */
    BREST_TLS = VENUE_TLS,                     /* TLS refused: certificate not trusted, wrong host, CA file */
};

struct binance_symbol_info {
    char symbol[SYMBOL_MAX];
    char status[16];           /* TRADING, HALT, BREAK, ... */
    char base[12], quote[12];
    double tick_size, step_size, min_notional;
};

struct binance_rest {
    char base[256];
    void *curl;                /* CURL *, reused so connections are kept alive */
    atomic_bool *stop;         /* checked during transfers; may be NULL */
    char *body;
    size_t len, cap;
    long http_status;
    long used_weight;          /* last X-MBX-USED-WEIGHT-1M, -1 when absent */
    int64_t weight_minute;     /* the wall-clock minute (ms / 60000) it was read in */
    long weight_limit;         /* REQUEST_WEIGHT per minute: exchangeInfo's rateLimits, else the default;
                                  requests stop at 90 % of it until the next minute */
    long retry_after_s;        /* last Retry-After, -1 when absent */
    int64_t blocked_until_ms;  /* monotonic ms; no request before this */
    int err_code;              /* last Binance error code (0: none) */
    char err_msg[160];
    char curl_err[256];        /* libcurl's own words on the last failure (CURL_ERROR_SIZE) */
    int os_errno;              /* the system's errno of the last failed connection, 0 if none */
    uint64_t requests, rate_limited;
};

/* base_url: "https://data-api.binance.vision" or "http://127.0.0.1:PORT".
 * ca_file: PEM file of the CAs trusted for https:// instead of the system's
 * (NULL or "": the system's trust store). The peer's certificate chain and its
 * host name are verified either way. */
int binance_rest_init(struct binance_rest *r, const char *base_url, const char *ca_file, atomic_bool *stop,
                      char *err, size_t err_len);
void binance_rest_free(struct binance_rest *r);
/* Milliseconds until a request may be sent (0: now). */
int64_t binance_rest_wait_ms(const struct binance_rest *r);

/* One page of closed-or-not klines with open time in [start, end] (end < 0: open
 * ended), at most `max` rows. Rows failing candle_check are skipped and counted
 * in rejected[rule] (may be NULL). */
int binance_rest_klines(struct binance_rest *r, const char *symbol, int tf, int64_t start, int64_t end,
                        struct candle *out, size_t max, size_t *n, unsigned *rejected,
                        char *why, size_t why_len);
int binance_rest_exchange_info(struct binance_rest *r, const char *symbol, struct binance_symbol_info *out,
                               char *why, size_t why_len);
/* Every symbol the exchange lists (one exchangeInfo request, weight 20), into a
 * malloc'd array (*out, *n; the caller frees it). */
int binance_rest_symbols(struct binance_rest *r, struct binance_symbol_info **out, size_t *n, char *why,
                         size_t why_len);
/* Every symbol's 24 h quote volume (GET /api/v3/ticker/24hr, weight 80), into a
 * malloc'd array (*out, *n; the caller frees it): what top:N:QUOTE ranks by. */
struct binance_ticker { char symbol[SYMBOL_MAX]; double quote_volume; };
int binance_rest_tickers(struct binance_rest *r, struct binance_ticker **out, size_t *n, char *why, size_t why_len);
/* GET /api/v3/depth?symbol=S&limit=N: the reply body is left in r->body, r->len
 * (depth_json.h reads it). */
int binance_rest_depth(struct binance_rest *r, const char *symbol, int limit, char *why, size_t why_len);
const char *binance_rest_status_name(int status);

/* Pure parsers. Return 0, or -1 with the reason (row and field) in why. */
int binance_parse_klines(const char *buf, size_t len, int tf, struct candle *out, size_t max, size_t *n,
                         unsigned *rejected, char *why, size_t why_len);
int binance_parse_error(const char *buf, size_t len, int *code, char *msg, size_t msg_len);
int binance_parse_symbol_info(const char *buf, size_t len, const char *symbol, struct binance_symbol_info *out,
                              char *why, size_t why_len);
/* Every well-formed entry of "symbols" into a malloc'd array (malformed ones are skipped). */
int binance_parse_symbols(const char *buf, size_t len, struct binance_symbol_info **out, size_t *n,
                          char *why, size_t why_len);
/* A ticker/24hr list: entries without a symbol or a quoteVolume are skipped. */
int binance_parse_tickers(const char *buf, size_t len, struct binance_ticker **out, size_t *n, char *why,
                          size_t why_len);
/* rateLimits' REQUEST_WEIGHT per 1 MINUTE, or -1 when not there. */
long binance_parse_weight_limit(const char *buf, size_t len);

#endif
