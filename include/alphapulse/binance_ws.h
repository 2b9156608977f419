/* One WebSocket client connection (libwebsockets; TLS for wss://, plain for ws://)
 * for Binance's combined market streams. It only moves bytes: complete text
 * messages go to on_frame with their receive time; pings are answered by
 * libwebsockets with a pong carrying the same payload. Used from one thread. */
#ifndef ALPHAPULSE_BINANCE_WS_H
#define ALPHAPULSE_BINANCE_WS_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct binance_ws_callbacks {
    void *user;
    void (*on_open)(void *user);
    /* a complete text message; recv_ns is CLOCK_MONOTONIC */
    void (*on_frame)(void *user, const char *buf, size_t len, int64_t recv_ns);
    void (*on_oversized)(void *user, size_t len);   /* a message over the size cap, discarded */
    void (*on_close)(void *user, const char *why);  /* after open or a failed attempt */
};

struct binance_ws;

/* url: "wss://data-stream.binance.vision" or "ws://127.0.0.1:PORT" (no path).
 * ca_file: PEM file of the CAs trusted for wss:// instead of the system's
 * (NULL or "": the system's trust store). The certificate chain and the host
 * name are verified either way. */
struct binance_ws *binance_ws_create(const char *url, const char *ca_file, const struct binance_ws_callbacks *cb,
                                     size_t max_msg, char *err, size_t err_len);
void binance_ws_destroy(struct binance_ws *w);
/* Start connecting to path (e.g. "/stream?streams=btcusdt@kline_1m"). Returns 0 or
 * -1 when the attempt could not even start (on_close is not called then). */
int binance_ws_connect(struct binance_ws *w, const char *path);
bool binance_ws_busy(const struct binance_ws *w);    /* connecting or open */
bool binance_ws_open(const struct binance_ws *w);
/* Queue a text message (SUBSCRIBE/UNSUBSCRIBE); sent when the socket is writable. */
int binance_ws_send(struct binance_ws *w, const char *text);
/* Drop the connection (on_close follows from binance_ws_service). */
void binance_ws_drop(struct binance_ws *w);
/* One service pass; returns within about max_wait_ms. */
void binance_ws_service(struct binance_ws *w, int max_wait_ms);

#endif
