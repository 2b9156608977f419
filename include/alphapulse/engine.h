/* The engine: one deterministic state machine driven by events. Its clock is the
 * event time; it never reads the wall clock, so the same events give the same
 * candles, fills and PnL, byte for byte, live, in the demo and in tests. */
#ifndef ALPHAPULSE_ENGINE_H
#define ALPHAPULSE_ENGINE_H
#include <stddef.h>
#include "alphapulse/alert_event.h"
#include "alphapulse/broker.h"
#include "alphapulse/portfolio.h"
#include "alphapulse/candle.h"
#include "alphapulse/command.h"
#include "alphapulse/config.h"
#include "alphapulse/event.h"
#include "alphapulse/instrument.h"
#include "alphapulse/record.h"
#include "alphapulse/signal.h"
#include "alphapulse/snapshot.h"
#include "alphapulse/spsc.h"
#include "alphapulse/ta_set.h"

#define ENGINE_MAX_SYMBOLS_DEFAULT 2000   /* feed.max_symbols when not configured */

/* Per series, the candles with values (the chart's window) and the candles
 * held in all: a reload replays the held ones, and 200 covers the signals'
 * warm-up (200 candles), the regimes' (their 150-candle drift window) and every
 * indicator's lookback (MACD 33); the README's "Many symbols" says why. */
#define ENGINE_HISTORY 120
#define ENGINE_REPLAY_CANDLES 200

struct engine_config {
    int n_symbols;
    /* the symbols at start (n_symbols of them), read by engine_create only: the
     * caller's array, any size. The engine's tables are sized from n_symbols and
     * grow (doubling) as symbols are added, up to max_symbols. */
    const struct instrument *inst;
    int max_symbols;           /* ceiling for symbols added later (<= 0: ENGINE_MAX_SYMBOLS_DEFAULT) */
    char account_ccy[12];      /* e.g. USDT */
    double balance;            /* starting balance */
    double fee_bps;            /* taker fee */
    double order_notional;     /* default order size, in account currency */
    int size_method;           /* the order ticket's default sizing (sizing.h) and its parameter */
    double size_value;
    /* closed candles per series kept with their indicator values and pattern
     * marks: what the chart shows (default ENGINE_HISTORY). The series also keep
     * the older candles alone up to ENGINE_REPLAY_CANDLES, so a reload can rebuild
     * indicators, regimes and signals warm. */
    size_t history;
    /* the configuration file in force (copied by engine_create); each symbol's
     * profile comes from it, a symbol added later's too. NULL: built-in defaults */
    const struct config *file;
    /* the paper account's costs and risk controls */
    double maker_bps, slip_bps, slip_range;
    struct risk_limits risk;
    bool store_trades;         /* storage.trades: record the venues' trades (REC_TRADE) */
};

void engine_config_defaults(struct engine_config *cfg);
/* The paper account and risk limits of a configuration file (config.h), and the
 * file itself for the per-symbol profiles; c must outlive engine_create. */
void engine_config_from_file(const struct config *c, struct engine_config *ec);

/* What a symbol's profile sets in each module. */
struct engine_profile {
    struct ta_params ta;
    struct signal_params signal;   /* regime thresholds, voters, weights, timeframes too */
    uint64_t patterns;             /* bit per pattern id: the patterns in use */
    bool own_risk;                 /* risk limits below, else the account's */
    struct risk_symbol_limits risk;
};
/* The profile in force for symbol (c may be NULL: built-in defaults). */
void engine_profile_resolve(const struct config *c, const char *symbol, struct engine_profile *out);
/* The per-symbol profile's rows and the account's risk section (struct
 * risk_limits), for the configuration's vocabulary (config.h). */
extern const struct config_profile_schema engine_profile_schema;
extern const struct config_section engine_risk_section;

struct engine;

/* records: where storage records go (may be NULL: then they are dropped) */
struct engine *engine_create(const struct engine_config *cfg, struct spsc *records);
void engine_destroy(struct engine *e);
void engine_step(struct engine *e, const struct engine_event *ev);
/* The same for an event of market queue src (one per venue feed: a feed state
 * is kept per feed as well as last-wins); engine_step is src 0. */
void engine_step_from(struct engine *e, const struct engine_event *ev, int src);

/* Startup restore, before the first event: stored history and account state. */
void engine_load_candle(struct engine *e, int sym, int tf, const struct candle *c);
void engine_restore(struct engine *e, double balance, int sym, const struct position *p);
void engine_restore_ids(struct engine *e, uint64_t next_order, uint64_t next_fill);
/* The last funding time booked on sym: never booked again after a restart. */
void engine_restore_funding(struct engine *e, int sym, int64_t last_booked);
/* What is durable and whether storage fails, as the last EE_STORAGE event said.
 * Before any such event every record counts as durable once queued. */
uint64_t engine_durable_seq(const struct engine *e);
bool engine_storage_failing(const struct engine *e);
void engine_restore_risk(struct engine *e, const struct risk_state *s);
void engine_restore_order(struct engine *e, const struct broker_order *o);
void engine_restore_exits(struct engine *e, int sym, const struct bracket *br, int source, int64_t opened);
void engine_set_feed_state(struct engine *e, const char *state);
/* A stored signal (see signal_restore), after the candles were loaded: settled
 * ones rebuild the hit rates, open ones return to tracking and the queue. */
void engine_restore_signal(struct engine *e, const char *symbol, int tf, const struct record_signal *r);
/* A stored journal line back into the Log panel (oldest first), not journalled again. */
void engine_restore_log(struct engine *e, int64_t time, const char *text);

int engine_symbol(const struct engine *e, const char *name);   /* index or -1 */
int engine_symbol_count(const struct engine *e);
const char *engine_symbol_name(const struct engine *e, int sym);
int64_t engine_last_closed(const struct engine *e, int sym, int tf);  /* open time, or -1 */
struct series;
/* The closed candles of a symbol x timeframe; read only while the engine is not stepping. */
const struct series *engine_series(const struct engine *e, int sym, int tf);
const struct broker *engine_broker(const struct engine *e);
const struct instrument *engine_instrument(const struct engine *e, int sym);
const struct portfolio *engine_portfolio(const struct engine *e);
/* The latest closed candle of a series and its indicator values (false: none yet). */
bool engine_last_values(const struct engine *e, int sym, int tf, struct candle *c, struct ta_values *v);
uint64_t engine_records_dropped(const struct engine *e);
/* Slots of the record queue bulk records may still take, as the storage reports
 * say (what engine_emit checks); SIZE_MAX without a record queue. */
size_t engine_record_room(const struct engine *e);

/* Where alerts go (may be NULL, the default: then none are raised). Set before
 * the first event; the queue's consumer is the alert dispatcher. */
void engine_set_alerts(struct engine *e, struct spsc *alerts);
uint64_t engine_alerts_dropped(const struct engine *e);
/* Raise one alert at the engine's clock: the single call each feature makes
 * (a signal, a stop or target hit, a risk lock, the kill switch). sym may be -1;
 * confidence is NAN when it does not apply. Never blocks: a full queue drops the
 * alert and counts it. */
void engine_alert(struct engine *e, int kind, int sym, double confidence, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* A command's order fields as the paper account's request, and back (a
 * strategy's request sent as a command); false for kinds paper does not handle. */
bool engine_request_of_command(const struct command *c, struct order_request *r);
bool engine_command_of_request(const struct order_request *r, const char *symbol, struct command *c);

void engine_snapshot(const struct engine *e, int sym, int tf, struct snapshot *out);
/* Regimes, confluence, the signal queue, stats and hit rates (read-only). */
const struct signal_engine *engine_signals(const struct engine *e);

#endif
