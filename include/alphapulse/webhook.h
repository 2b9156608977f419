/* Signals in: a loopback HTTP endpoint (libwebsockets, its own thread) for
 * TradingView-style alerts, and the pure body parser it uses. Off by default;
 * every request is authenticated by a shared token, size- and rate-limited, and
 * an accepted alert only reaches the engine as a CMD_WEBHOOK_SIGNAL command. */
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

struct webhook_signal {
    char symbol[SYMBOL_MAX];
    int side;                       /* +1 buy, -1 sell */
    double price, stop, tp;         /* 0: not given */
    char timeframe[8];
    char token[WEBHOOK_TOKEN_MAX];  /* the body's token, "" if none */
    char message[96];
};

/* Parses a JSON object ({"symbol","side","price","stop","tp","timeframe",
 * "token","message"}; side buy/sell/long/short) or one line of text
 * ("BUY BTCUSDT sl=… tp=… price=… tf=… token=… msg text…"). Strict: unknown
 * JSON keys, wrong types, bad numbers or symbols are errors. Returns 0, or -1
 * with the reason in err. Pure: no I/O, no globals. */
int webhook_parse_body(const char *body, size_t len, struct webhook_signal *out, char *err, size_t err_len);
/* Constant-time equality of two strings (time depends only on the lengths). */
bool webhook_token_equal(const char *a, const char *b);

struct webhook_params {
    bool listen;
    char addr[64];                  /* "127.0.0.1" */
    int port;                       /* 8787 */
    char token[WEBHOOK_TOKEN_MAX];  /* required when listening */
    bool auto_take;                 /* trade accepted alerts without the user: off */
    double rate_per_s;              /* per client address */
    double burst;
    int body_timeout_s;             /* a client must finish its request within this */
};

void webhook_params_defaults(struct webhook_params *p);
/* The `webhook` object of the configuration ({"listen": true|false|"ADDR:PORT",
 * "token", "token_file", "auto_take", "rate_per_s", "burst"}); the token may
 * also come from ALPHAPULSE_WEBHOOK_TOKEN. */
int webhook_params_parse(json_t *obj, const char *path, struct webhook_params *p, bool *inline_secret,
                         char *err, size_t err_len);
/* The token from a file (first line), warning when others may read the file. */
int webhook_token_file(const char *file, struct webhook_params *p, char *err, size_t err_len);
/* The token from ALPHAPULSE_WEBHOOK_TOKEN when set (it wins over the file). */
void webhook_params_env(struct webhook_params *p);
/* "ADDR:PORT" or "PORT" (ADDR defaults to 127.0.0.1). */
int webhook_parse_listen(const char *s, struct webhook_params *p, char *err, size_t err_len);

struct webhook_server;
/* to: a queue of struct engine_event (this server is its only producer). */
struct webhook_server *webhook_start(const struct webhook_params *p, struct spsc *to, char *err, size_t err_len);
void webhook_stop(struct webhook_server *w);
int webhook_port(const struct webhook_server *w);   /* the bound port */
uint64_t webhook_requests(const struct webhook_server *w);   /* answered so far */
/* Counters into the snapshot (the engine thread calls this while publishing). */
void webhook_fill(const struct webhook_server *w, struct snap_alerts *a);

#endif
