/* Signals in: a loopback HTTP endpoint (libwebsockets, its own thread) for
 * TradingView-style alerts, and the pure request reader and body parser it uses.
 * Off by default; every request is authenticated by a shared token, size- and
 * rate-limited, answered once on a connection that then closes, and an accepted
 * alert only reaches the engine as a CMD_WEBHOOK_SIGNAL command. */
#ifndef ALPHAPULSE_WEBHOOK_H
#define ALPHAPULSE_WEBHOOK_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>
#include "alphapulse/event.h"
#include "alphapulse/snapshot.h"
#include "alphapulse/spsc.h"

#define WEBHOOK_BODY_MAX 8192
#define WEBHOOK_TOKEN_MAX 256
#define WEBHOOK_HEAD_MAX 8192       /* request line and headers; more: 431 */
#define WEBHOOK_PENDING_MAX 64      /* the engine's signal queue holds no more */

struct webhook_signal {
    char symbol[SYMBOL_MAX];
    int side;                       /* +1 buy, -1 sell */
    double price, stop, tp;         /* 0: not given */
    char timeframe[8];
    char token[WEBHOOK_TOKEN_MAX];  /* the body's token, "" if none */
    char message[WEBHOOK_BODY_MAX + 1];   /* whole: redacted before it is cut for the journal */
};

/* Parses a JSON object ({"symbol","side","price","stop","tp","timeframe",
 * "token","message"}; side buy/sell/long/short) or one line of text
 * ("BUY BTCUSDT sl=… tp=… price=… tf=… token=… msg text…"). Strict: unknown
 * JSON keys, wrong types, bad numbers or symbols are errors. Returns 0, or -1
 * with the reason in err. Pure: no I/O, no globals. */
int webhook_parse_body(const char *body, size_t len, struct webhook_signal *out, char *err, size_t err_len);
/* One HTTP/1.1 request read from a byte stream split anywhere. status: 0 while
 * reading, 200 when a whole request with its body is in, else the refusal
 * (400 malformed, 401 unusable token header, 404, 405, 411, 413, 431) with the
 * reason in why. Only the X-AlphaPulse-Token header is kept. */
struct webhook_request {
    int status;
    char why[120];
    size_t head_len, body_len, want;
    bool in_body, has_token;
    char token[WEBHOOK_TOKEN_MAX];
    char head[WEBHOOK_HEAD_MAX + 1];
    char body[WEBHOOK_BODY_MAX + 1];
};
void webhook_request_init(struct webhook_request *r);
/* Consumes bytes until one request is complete or refused, then nothing more:
 * returns how many of data were used (the rest belongs to nobody). */
size_t webhook_request_feed(struct webhook_request *r, const void *data, size_t len);
/* The answer to a finished request: 202 with sig filled, 400 bad body, 401 token
 * (the header's when present, else the body's, compared in constant time), or
 * the reader's refusal. why gets the reason. Pure. */
int webhook_request_answer(const struct webhook_request *r, const char *token, struct webhook_signal *sig, char *why,
                           size_t why_len);

/* Constant-time equality of two strings (time depends only on the lengths). */
bool webhook_token_equal(const char *a, const char *b);

struct webhook_params {
    bool listen;
    int family;                     /* AF_INET or AF_INET6 */
    char addr[64];                  /* numeric, without brackets: "127.0.0.1", "::1" */
    int port;                       /* 8787; 0: any free port */
    char token[WEBHOOK_TOKEN_MAX];  /* required when listening */
    bool auto_take;                 /* trade accepted alerts without the user: off */
    double rate_per_s;              /* per client address */
    double burst;
    int body_timeout_s;             /* a client must finish its request within this */
    int max_pending;                /* webhook signals awaiting review before 503 */
};

void webhook_params_defaults(struct webhook_params *p);
/* The token from a file (first line), warning when others may read the file. */
int webhook_token_file(const char *file, struct webhook_params *p, char *err, size_t err_len);
/* The token from ALPHAPULSE_WEBHOOK_TOKEN when set (it wins over the file). */
void webhook_params_env(struct webhook_params *p);
/* "A.B.C.D:PORT", "[IPv6]:PORT", "localhost:PORT" (127.0.0.1) or "PORT"
 * (127.0.0.1); numeric addresses only, IPv6 always in brackets. */
int webhook_parse_listen(const char *s, struct webhook_params *p, char *err, size_t err_len);

struct webhook_server;
/* to: a queue of struct engine_event (this server is its only producer).
 * Binds exactly the address asked for, or fails with the reason in err. */
struct webhook_server *webhook_start(const struct webhook_params *p, struct spsc *to, char *err, size_t err_len);
/* Tells the server thread to stop and returns at once, so that other stops can
 * run while it winds down. */
void webhook_stop_begin(struct webhook_server *w);
/* Stops (begin, if not done) and waits up to wait_ms for the thread, then frees
 * the server: true. false: the thread did not end in time and is left running
 * with the server and its queue, which the caller must then not free either. */
bool webhook_stop_within(struct webhook_server *w, int wait_ms);
/* webhook_stop_within with one second: bounded whatever the clients do. */
void webhook_stop(struct webhook_server *w);
int webhook_port(const struct webhook_server *w);   /* the bound port */
/* The bound address read back from the socket: "127.0.0.1:8787", "[::1]:8787". */
const char *webhook_address(const struct webhook_server *w);
uint64_t webhook_requests(const struct webhook_server *w);   /* answered so far */
/* Counters into the snapshot, and the webhook signals it shows awaiting review
 * (the engine thread calls this while publishing). */
void webhook_fill(const struct webhook_server *w, struct snapshot *snap);

#endif
