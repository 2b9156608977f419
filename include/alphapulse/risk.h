/* Risk manager: hard limits checked before every order, whatever its source, and
 * the state behind them (daily loss, loss streak and cooldown, drawdown lock, kill
 * switch). Pure computation over values the caller supplies, so the engine, the
 * order ticket's preview and the tests all run the very same checks. Orders that
 * only reduce a position are always allowed. */
#ifndef ALPHAPULSE_RISK_H
#define ALPHAPULSE_RISK_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RISK_MAX_BLACKOUTS 16

struct risk_blackout {
    int64_t time;              /* scheduled event, ms UTC */
    int64_t margin;            /* no new entries within time +- margin */
    char label[32];
};

struct risk_limits {
    double risk_per_trade;     /* fraction of equity lost if the stop is hit (0.01) */
    double max_position;       /* one symbol's notional / equity (0.10); notional, not margin */
    double max_exposure;       /* all symbols' notional / equity (0.20); notional, not margin */
    double daily_loss;         /* equity drop since 00:00 UTC / day-start equity (0.05) */
    int loss_streak;           /* consecutive losing trades before a cooldown (3) */
    int64_t cooldown_ms;       /* (60 min) */
    double max_drawdown;       /* drop from peak equity that locks trading (0.15) */
    int max_positions;         /* open positions, all symbols (5) */
    int max_orders_symbol;     /* working orders per symbol (4) */
    bool require_stop;         /* entries must carry a stop-loss (false) */
    /* a perpetual's position notional / equity (paper.max_leverage, 1); spot is
     * cash-only: its position never exceeds equity, whatever this says */
    double max_leverage;
    int n_blackouts;
    struct risk_blackout blackout[RISK_MAX_BLACKOUTS];
};

/* The limits a symbol may have of its own (configuration profiles); the rest
 * are the account's. */
struct risk_symbol_limits {
    double risk_per_trade, max_position;
    int max_orders_symbol;
    bool require_stop;
};
/* The account's limits with a symbol's own in place (s may be NULL: the account's). */
void risk_limits_for_symbol(const struct risk_limits *account, const struct risk_symbol_limits *s,
                            struct risk_limits *out);
void risk_symbol_limits_of(const struct risk_limits *account, struct risk_symbol_limits *out);

enum risk_lock { RISK_UNLOCKED, RISK_LOCK_DRAWDOWN, RISK_LOCK_KILL };

struct risk_state {
    int64_t day;               /* UTC day number of day_start_equity */
    double day_start_equity;
    double peak_equity;
    int streak;                /* consecutive losing trades */
    int64_t cooldown_until;    /* ms; 0: none */
    int64_t daily_until;       /* ms; set when the daily limit is hit: next 00:00 UTC */
    int lock;                  /* enum risk_lock */
    int64_t locked_at;
    int64_t updated;           /* event time of the last change */
};

enum risk_verdict {
    RISK_OK = 0,
    RISK_REJ_LOCKED,
    RISK_REJ_DAILY,
    RISK_REJ_COOLDOWN,
    RISK_REJ_BLACKOUT,
    RISK_REJ_NO_STOP,
    RISK_REJ_PER_TRADE,
    RISK_REJ_POSITION,
    RISK_REJ_EXPOSURE,
    RISK_REJ_POSITIONS,
    RISK_REJ_ORDERS,
    RISK_REJ_PRICE,
    RISK_REJ_LEVERAGE,
    RISK_VERDICT_COUNT
};
const char *risk_verdict_name(int v);

/* An order as the risk manager sees it, valued in the account currency. */
struct risk_order {
    int side;                  /* +1 buy, -1 sell */
    double qty, price;         /* price: expected fill (limit/stop level, else last) */
    double stop;               /* stop-loss price, 0: none */
    double conv;               /* one quote unit in the account currency */
    double pos_qty;            /* current position in the symbol (signed) */
    double pending_qty;        /* working entry orders in the symbol (signed sum) */
    int orders_symbol;         /* working orders in the symbol */
    double exposure;           /* |notional| of all positions and working entries now */
    double equity;
    int open_positions;
    bool perp;                 /* a perpetual (max_leverage applies), else spot (1x) */
};

void risk_limits_defaults(struct risk_limits *l);
void risk_state_init(struct risk_state *s, double equity, int64_t now);

/* True when the order only shrinks the position. */
bool risk_is_reducing(const struct risk_order *o);
/* RISK_OK, or the first limit the order breaks with one line saying which and by
 * how much in why. */
int risk_check(const struct risk_limits *l, const struct risk_state *s, const struct risk_order *o,
               int64_t now, char *why, size_t why_len);

/* Events from the updates below (bit flags), for the journal. */
enum { RISK_EV_DAY = 1, RISK_EV_DAILY_HIT = 2, RISK_EV_DD_LOCK = 4, RISK_EV_COOLDOWN = 8, RISK_EV_PEAK = 16 };
/* Mark to market: day roll, peak, daily loss and drawdown checks. */
int risk_on_equity(const struct risk_limits *l, struct risk_state *s, double equity, int64_t now);
/* A trade (flat to flat) closed with net pnl: loss streak and cooldown. */
int risk_on_trade(const struct risk_limits *l, struct risk_state *s, double pnl, int64_t now);
void risk_kill(struct risk_state *s, int64_t now);
/* Unlock needs the typed confirmation "UNLOCK"; the peak restarts at equity. */
int risk_unlock(struct risk_state *s, const char *confirm, double equity, int64_t now);

/* Derived figures for display. */
double risk_daily_pnl(const struct risk_state *s, double equity);
double risk_drawdown(const struct risk_state *s, double equity);     /* fraction of peak */
/* The nearest blackout window not yet over: index or -1. */
int risk_next_blackout(const struct risk_limits *l, int64_t now);
/* Why new entries are blocked right now (lock, daily, cooldown, blackout), or NULL. */
const char *risk_block_reason(const struct risk_limits *l, const struct risk_state *s, int64_t now);
int64_t risk_next_day(int64_t now);   /* next 00:00 UTC */

#endif
