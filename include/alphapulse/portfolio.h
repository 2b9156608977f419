/* The paper trading desk the engine drives: every order, whatever its source,
 * goes sizing -> risk -> broker here; every price goes broker fills -> trades ->
 * risk state -> metrics. The engine owns one; results leave through a sink of
 * callbacks (fills, journal lines, risk state, closed trades) so this module
 * never knows about records, queues or the screen. */
#ifndef ALPHAPULSE_PORTFOLIO_H
#define ALPHAPULSE_PORTFOLIO_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "alphapulse/broker.h"
#include "alphapulse/candle.h"
#include "alphapulse/funding.h"
#include "alphapulse/instrument.h"
#include "alphapulse/order_request.h"
#include "alphapulse/metrics.h"
#include "alphapulse/risk.h"
#include "alphapulse/sizing.h"

#define PF_TRADES 256          /* recent closed trades kept for display */
#define PF_DAYS 4096           /* end-of-day equities kept (11 years) */
#define PF_CURVE 512           /* equity curve points; halves its resolution when full */
#define PF_VIEW_ORDERS 32
#define PF_VIEW_TRADES 16
#define PF_NAME SYMBOL_MAX     /* venue-qualified: "bybit-linear:BTCUSDT" */

struct pf_config {
    double balance;            /* starting balance, account currency */
    struct broker_costs costs;
    struct risk_limits limits;
    double order_notional;     /* default size of REQ_MARKET_ORDER without qty */
    int size_method;           /* the order ticket's default sizing (SIZE_FRACTION) ... */
    double size_value;         /* ... and its parameter (0.05) */
    double atr_mult;           /* default ATR multiple for SIZE_ATR (2) */
    int kelly_min_trades;      /* SIZE_KELLY needs this many trades of the source (20) */
};
void pf_config_defaults(struct pf_config *c);

struct pf_sink {
    void *ctx;
    void (*fill)(void *ctx, const struct broker_fill *f);
    void (*note)(void *ctx, const char *msg);
    void (*risk)(void *ctx, const struct risk_state *s);
    void (*trade)(void *ctx, const struct trade *t);
    /* sym's working orders or position exits changed: persist that symbol's book */
    void (*book)(void *ctx, int sym);
    /* a working order stopped working without filling: cancelled (by a command,
     * the kill switch, or because the position it reduced closed) or, rejected,
     * refused by the broker when it triggered; reason says which */
    void (*order_end)(void *ctx, const struct broker_order *o, bool rejected, const char *reason);
    /* a funding payment booked on a perpetual's position (funding.h); may be NULL */
    void (*funding)(void *ctx, const struct funding_payment *p);
};

struct pf_symbol {
    char name[PF_NAME];
    int conv_src;              /* -1: quoted in the account currency; >= 0: symbol whose price converts; -2: unknown */
    double last, atr;
    int64_t bar_open;          /* open time of the last kline seen */
    double bar_high, bar_low;
    /* the trade in progress */
    bool in_trade;
    struct trade cur;
    double entry_qty, entry_val, exit_qty, exit_val, realized;
    bool own_limits;           /* a profile's risk limits apply, else the account's */
    struct risk_symbol_limits limits;
    struct funding_state funding;  /* perpetuals: mark price and funding (funding.h) */
    const struct book *book;   /* the synced order book (portfolio_set_book), or NULL */
};

struct portfolio {
    struct pf_config cfg;
    struct broker broker;
    struct risk_state risk;
    struct pf_sink sink;
    int n_sym;
    int cap;                   /* symbols the per-symbol tables hold (grown by portfolio_set_symbol) */
    struct pf_symbol *sym;
    int64_t now;
    double equity;             /* at the last mark */
    uint64_t accepted, rejected;
    /* metrics */
    struct metrics_acc all, *by_sym, by_src[SRC_COUNT];
    struct metrics_curve curve;
    struct trade recent[PF_TRADES];
    uint64_t n_trades;         /* total closed; recent[] is a ring */
    double start_equity;
    double eod[PF_DAYS];
    int n_days;
    int64_t cur_day;
    int64_t curve_t[PF_CURVE];
    double curve_eq[PF_CURVE];
    int n_curve;
    int64_t curve_step, curve_next;
    bool marked;
    uint32_t *book_seen;
};

/* Starts with room for BROKER_START_SYMBOLS symbols; portfolio_free releases it. */
void portfolio_init(struct portfolio *pf, const struct pf_config *c, const struct pf_sink *sink);
void portfolio_free(struct portfolio *pf);
/* Room for symbols 0 .. n-1 here and in the broker (the tables double); -1 when
 * out of memory. */
int portfolio_reserve(struct portfolio *pf, int n);
/* Symbol sym: its name, where its quote currency's value comes from, its rules
 * (makes room for it; ignored when memory runs out). */
void portfolio_set_symbol(struct portfolio *pf, int sym, const char *name, int conv_src, const struct broker_inst *in);
/* A kline update (partial or closed) of sym at event time now: walks the price
 * path since the previous update, books fills, marks equity, updates risk state. */
void portfolio_on_kline(struct portfolio *pf, int sym, const struct candle *c, int64_t now);
/* sym's order book while it is synced, NULL while it is not (or never was): the
 * owner of the book says so after every change of its state. With a book, sym's
 * orders fill against it and the trade tape (broker_on_book, broker_on_trade)
 * and klines only mark the account; without one, the candle path and the
 * slippage model in bps fill them (a backtest, a book resyncing). The book must
 * outlive its use here. */
void portfolio_set_book(struct portfolio *pf, int sym, const struct book *bk);
/* A trade of qty at px on sym's tape (ignored while sym has no synced book). */
void portfolio_on_trade(struct portfolio *pf, int sym, double px, double qty, int64_t now);
/* ATR(14) of sym's 1m candles, after each closed one (once that candle's path has
 * been walked): sizing and ATR stops use it, and ATR trailing stops take their
 * new distance from it for the prices that follow. */
void portfolio_set_atr(struct portfolio *pf, int sym, double atr);
/* sym's own risk limits (a profile's); NULL: the account's, as configured. */
void portfolio_set_limits(struct portfolio *pf, int sym, const struct risk_symbol_limits *l);
/* The limits an order on sym is checked against. */
void portfolio_limits(const struct portfolio *pf, int sym, struct risk_limits *out);
/* Apply a request; returns an order id (> 0), 0 for a non-order success, or -1
 * when refused (the reason went to the sink's note). */
int64_t portfolio_request(struct portfolio *pf, int sym, const struct order_request *c, int64_t now);
/* Close the books at the end of a backtest: the last day's equity. */
void portfolio_finish(struct portfolio *pf);

double portfolio_conv(const struct portfolio *pf, int sym);
double portfolio_equity(const struct portfolio *pf);        /* balance + unrealised now */
double portfolio_unrealized(const struct portfolio *pf, int sym);
double portfolio_exposure(const struct portfolio *pf);      /* |notional| of positions and working entries */
int portfolio_open_positions(const struct portfolio *pf);
/* The risk manager's view of an order on sym (what risk_check is given). */
void portfolio_risk_order(const struct portfolio *pf, int sym, int side, double qty, double price, double stop,
                          struct risk_order *o);
void portfolio_restore_risk(struct portfolio *pf, const struct risk_state *s);
/* Startup restore of an open position: the trade in progress resumes from it (its
 * fees before the restart are not known per trade, so they are not counted in it). */
void portfolio_restore_position(struct portfolio *pf, int sym, const struct position *p);
/* Startup restore of a working order and of a position's exits (after positions). */
int portfolio_restore_order(struct portfolio *pf, const struct broker_order *o);
void portfolio_restore_exits(struct portfolio *pf, int sym, const struct bracket *br, int source, int64_t opened);

/* What the screen needs, copied into the snapshot. The per-symbol tables hold
 * n_sym entries (cap allocated); portfolio_view grows them, pf_view_copy copies
 * one view into another, pf_view_free releases them. */
struct pf_view {
    int n_sym, cap;
    struct risk_limits limits;                 /* the account's */
    struct risk_symbol_limits *sym_limits;     /* each symbol's, in force */
    struct risk_state risk;
    struct broker_costs costs;
    int size_method;           /* the order ticket's default sizing and its parameter */
    double size_value;
    char block[32];            /* why entries are blocked now, or "" */
    double equity, balance, exposure, daily_pnl, drawdown;
    int open_positions;
    uint64_t accepted, rejected;
    int n_orders;
    struct broker_order orders[PF_VIEW_ORDERS];
    struct position *pos;
    struct broker_inst *inst;
    double *conv, *atr;
    struct metrics total, by_source[SRC_COUNT], *by_symbol;
    double sharpe, sortino, max_dd, exposure_time;
    int days;                  /* daily returns behind the ratios (the current day counts) */
    int64_t max_dd_ms;
    int n_curve;
    int64_t curve_t[PF_CURVE];
    double curve_eq[PF_CURVE];
    int n_trades;
    struct trade trades[PF_VIEW_TRADES];   /* newest last */
};
/* v starts zeroed (or as a previous view); -1 when out of memory (v->n_sym 0). */
int portfolio_view(const struct portfolio *pf, struct pf_view *v);
int pf_view_reserve(struct pf_view *v, int n);
int pf_view_copy(struct pf_view *dst, const struct pf_view *src);   /* dst as src; -1: out of memory */
void pf_view_free(struct pf_view *v);

#endif
