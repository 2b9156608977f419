/* Bybit V5 public market data, the wire formats only: pure parsers (no I/O, no
 * globals) for REST kline pages and instruments-info, the WebSocket messages of
 * the spot and linear sockets (kline, tickers, subscribe replies, pong), and the
 * retCode / HTTP status of a reply turned into a kind the caller acts on plus a
 * sentence a user can read. Every bad shape is refused with a reason, never a
 * crash; the unit test feeds them the documented samples and mutations. */
#ifndef ALPHAPULSE_BYBIT_PARSE_H
#define ALPHAPULSE_BYBIT_PARSE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "alphapulse/candle.h"
#include "alphapulse/event.h"

#define BYBIT_KLINES_LIMIT 1000     /* REST kline page maximum (default 200) */
#define BYBIT_SPOT_ARGS_MAX 10      /* topics per subscribe request on the spot socket */
#define BYBIT_LINEAR_ARGS_MAX 10    /* linear allows more; we keep the spot bound for both */
#define BYBIT_PING_MS 20000         /* application-level {"op":"ping"} period */
#define BYBIT_MSG_KLINES_MAX 8      /* kline objects one push may carry (Bybit sends 1) */
#define BYBIT_RATE_BAN_MS (10 * 60 * 1000)  /* HTTP 403 "access too frequent": >= 10 min */

enum bybit_category { BYBIT_SPOT, BYBIT_LINEAR, BYBIT_CATEGORY_COUNT };
const char *bybit_category_name(int category);       /* "spot", "linear" */
int bybit_category_parse(const char *s);              /* BYBIT_* or -1 */

/* Interval names: TF_1M "1", TF_5M "5", TF_15M "15", TF_1H "60", TF_4H "240",
 * TF_1D "D". */
const char *bybit_interval(int tf);                   /* NULL for an unknown tf */
int bybit_interval_parse(const char *s);              /* TF_* or -1 */

/* What a failed reply means for the caller. */
enum bybit_error_kind {
    BYBIT_E_NONE = 0,
    BYBIT_E_BAD_SYMBOL,     /* the venue does not list the symbol: drop it, never retry */
    BYBIT_E_RATE_LIMIT,     /* retCode 10006/10018: back off until the reset time */
    BYBIT_E_FORBIDDEN,      /* HTTP 403: restricted region (e.g. US IPs) or IP ban: long back-off */
    BYBIT_E_PARAM,          /* another request parameter error (10001): our bug, not retried */
    BYBIT_E_SERVER,         /* 5xx, 10016: retry later */
    BYBIT_E_REPLY,          /* the body has the wrong shape */
    BYBIT_E_OTHER,          /* another retCode */
    BYBIT_E_NETWORK,        /* (bybit_rest) could not connect, timed out, reset */
    BYBIT_E_TLS,            /* (bybit_rest) TLS refused */
    BYBIT_E_STOPPED,        /* (bybit_rest) we asked to stop mid-request */
};
const char *bybit_error_kind_name(int kind);

struct bybit_error {
    int kind;               /* enum bybit_error_kind */
    int ret_code;           /* Bybit's retCode, 0 when none was read */
    long http_status;
    char ret_msg[160];
};

/* The outcome of one REST reply from its HTTP status and body, before any
 * result is read: 0 when it is a retCode 0 envelope, else -1 with err filled and
 * a clear sentence in why (naming the symbol when given). */
int bybit_check_reply(long http_status, const char *buf, size_t len, const char *symbol,
                      struct bybit_error *err, char *why, size_t why_len);

/* GET /v5/market/kline: rows come newest first as 7 strings; out is filled oldest
 * first. Rows must be on tf boundaries and strictly descending; rows failing
 * candle_check are skipped and counted in rejected[rule] (may be NULL). The
 * envelope is checked as bybit_check_reply does (http_status 200 assumed); a
 * result naming another symbol is refused. Returns 0, or -1 with err and why. */
int bybit_parse_klines(const char *buf, size_t len, const char *symbol, int tf, struct candle *out, size_t max,
                       size_t *n, unsigned *rejected, struct bybit_error *err, char *why, size_t why_len);

struct bybit_instrument {
    char symbol[SYMBOL_MAX];
    char status[16];        /* "Trading", "PreLaunch", "Closed", ... */
    char base[12], quote[12];
    double tick_size;       /* priceFilter.tickSize */
    double qty_step;        /* lotSizeFilter.qtyStep (linear) or basePrecision (spot) */
    double min_qty;         /* lotSizeFilter.minOrderQty */
    double min_notional;    /* minOrderAmt (spot) or minNotionalValue (linear); 0 if absent */
    int funding_interval_min;  /* linear: fundingInterval (minutes); 0 otherwise */
};

/* GET /v5/market/instruments-info?category=..&symbol=S: an empty list is an
 * unknown symbol (BYBIT_E_BAD_SYMBOL). */
int bybit_parse_instrument(const char *buf, size_t len, const char *symbol, struct bybit_instrument *out,
                           struct bybit_error *err, char *why, size_t why_len);

/* ---- WebSocket ------------------------------------------------------------ */

enum bybit_msg_type {
    BYBIT_MSG_KLINE,        /* kline.<interval>.<SYMBOL>: klines[0..n_klines) */
    BYBIT_MSG_TICKER,       /* tickers.<SYMBOL>: ticker (snapshot or delta) */
    BYBIT_MSG_SUBSCRIBE,    /* reply to subscribe/unsubscribe: reply */
    BYBIT_MSG_PONG,         /* reply to {"op":"ping"} */
    BYBIT_MSG_OTHER,        /* a valid message we do not use (another topic, another op) */
};

/* Ticker fields present in one push (a delta carries only what changed). */
enum {
    BYBIT_T_LAST = 1u << 0, BYBIT_T_MARK = 1u << 1, BYBIT_T_INDEX = 1u << 2, BYBIT_T_FUNDING = 1u << 3,
    BYBIT_T_NEXT_FUNDING = 1u << 4, BYBIT_T_BID = 1u << 5, BYBIT_T_ASK = 1u << 6,
};

struct bybit_ticker {
    char symbol[SYMBOL_MAX];
    bool snapshot;          /* "type":"snapshot" (else a delta) */
    unsigned have;          /* BYBIT_T_* present */
    double last, mark, index, funding_rate, bid, ask;
    int64_t next_funding_ms;
    int64_t ts;             /* the push's "ts", ms */
};

struct bybit_sub_reply {
    bool success;
    char op[16];            /* "subscribe" or "unsubscribe" */
    char req_id[40];
    char ret_msg[160];
    char topic[64];         /* the topic a failure names ("...topic:kline.1.XYZ"), else "" */
};

struct bybit_msg {
    int type;               /* enum bybit_msg_type */
    char topic[64];
    int64_t ts;
    size_t n_klines;
    struct kline_event klines[BYBIT_MSG_KLINES_MAX];
    struct bybit_ticker ticker;
    struct bybit_sub_reply reply;
};

/* One text message of the public spot or linear socket. Returns KLINE_JSON_OK
 * or a KLINE_JSON_* error (syntax, not a message we know the shape of, a field
 * missing or mistyped, an impossible candle) with the reason in why, so the
 * feed counts Bybit's bad messages under the same rules as Binance's. */
int bybit_ws_parse(const char *buf, size_t len, struct bybit_msg *out, char *why, size_t why_len);
/* The same answers from a tree-based reader (jansson) alone: bybit_ws_parse
 * reads valid kline pushes in one pass and hands everything else to this one;
 * the unit test holds the two to the same results. */
int bybit_ws_parse_tree(const char *buf, size_t len, struct bybit_msg *out, char *why, size_t why_len);

/* Merge a push into the ticker state of its symbol: a snapshot replaces the
 * state, a delta overwrites only the fields it carries. A delta before any
 * snapshot is merged all the same (have says what is known). */
void bybit_ticker_merge(struct bybit_ticker *state, const struct bybit_ticker *push);

/* Requests: {"req_id":"<id>","op":"subscribe","args":["kline.1.BTCUSDT",...]};
 * op "subscribe" or "unsubscribe". Returns bytes written or -1 when buf is too
 * small or n exceeds BYBIT_SPOT_ARGS_MAX. */
int bybit_format_subscribe(char *buf, size_t len, const char *op, const char *req_id, const char *const *topics,
                           size_t n);
int bybit_format_ping(char *buf, size_t len, const char *req_id);
/* "kline.1.BTCUSDT", "tickers.BTCUSDT"; -1 when buf is too small or tf unknown */
int bybit_topic_kline(char *buf, size_t len, int tf, const char *symbol);
int bybit_topic_ticker(char *buf, size_t len, const char *symbol);

#endif
