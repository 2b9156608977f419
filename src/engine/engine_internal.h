/* The engine's private state, shared by its files (engine.c the pipeline,
 * records.c, paper_hooks.c, command.c, restore.c, snapshot.c) and by no one else.
 * Only the engine thread touches it. */
#ifndef ALPHAPULSE_ENGINE_INTERNAL_H
#define ALPHAPULSE_ENGINE_INTERNAL_H
#include "alphapulse/engine.h"

#include "alphapulse/aggregate.h"
#include "alphapulse/patterns.h"
#include "alphapulse/record.h"
#include "alphapulse/series.h"
#include "alphapulse/signal.h"
#include "alphapulse/symtab.h"
#include "alphapulse/ta_set.h"

/* Everything computed for one series. The candle ring holds the newest
 * max(history, ENGINE_REPLAY_CANDLES) closed candles; the value and mark rings
 * the newest `history` of them, slot = the candle's count since start % nvals
 * (engine_vals_slot). */
struct tf_state {
    struct series closed;
    struct ta_values *vals;
    struct snap_mark *marks;          /* strongest pattern of each closed candle */
    size_t nvals;                     /* room in vals and marks: cfg.history */
    uint64_t pushed;                  /* closed candles pushed since start */
    struct ta_set ta;
    struct cdl_state cdl;
    struct aggregator agg;            /* unused for 1m */
};

struct sym_state {
    struct instrument inst;
    struct engine_profile prof;       /* its profile: periods, patterns, signal rules, risk */
    struct tf_state tf[TF_COUNT];
    bool has_forming;                 /* forming 1m candle */
    struct candle forming;
    double last;
    int64_t last_time;
    int64_t edge;                     /* newest 1m open time seen live (not back-filled) */
};

struct engine {
    struct engine_config cfg;
    struct config *conf;              /* the configuration in force (owned), or NULL */
    struct spsc *records;
    uint64_t records_dropped;
    struct spsc *alerts;
    uint64_t alerts_dropped;
    uint64_t rec_seq;                 /* sequence of the last record queued */
    uint64_t money_seq;               /* ... of the last money record */
    uint64_t *sym_money_seq;          /* per symbol, cap_symbols of them */
    /* storage health, from EE_STORAGE events only; without any, the records'
     * consumer is taken to keep up (a test or tool draining the queue itself) */
    bool storage_reports;
    bool store_failing;
    uint64_t store_backlog;           /* queued records at the last report ... */
    uint64_t store_base_seq;          /* ... when rec_seq was this */
    uint64_t durable_seq;
    int64_t equity_hour;              /* hour of the last equity snapshot */
    int64_t now;
    int cap_symbols;                  /* room in sym and sym_money_seq (doubles on add) */
    /* one block per symbol (~32 KB; its series' candles, values and rings are
     * allocated apart, README "Many symbols" says how much): adding a
     * symbol moves pointers, never the other symbols' state, and a symbol's
     * state keeps its address for the engine's life */
    struct sym_state **sym;
    struct symtab names;              /* symbol name -> index */
    struct portfolio pf;              /* paper trading: sizing, risk, broker, metrics */
    struct signal_engine *sig;        /* regimes, confluence, voters, signals, outcomes */
    bool loading;                     /* restoring stored history: no signals */
    bool history;                     /* the candle being closed is history (back-filled or old): no signals */
    bool stored;                      /* ... was read from the database: its collector raises the signals */
    uint64_t events, rejected, fills;
    char feed_state[96];
    char feed_states[SNAP_FEEDS][96];    /* per market queue (venue feed) */
    int n_streams;
    struct stream_health streams[SNAP_STREAMS];
    int n_log;
    char log[SNAP_LOG][160];
    int64_t log_time[SNAP_LOG];
    struct engine_depth *depth;       /* order books and tapes (depth.c); NULL until used */
};

/* Held candles (the newest ones) that have values and marks. */
static inline size_t engine_vals_len(const struct tf_state *ts)
{
    return ts->closed.len < ts->nvals ? ts->closed.len : ts->nvals;
}

/* The slot in vals and marks of held candle i (0: the oldest held), which must
 * be one of the newest engine_vals_len. */
static inline size_t engine_vals_slot(const struct tf_state *ts, size_t i)
{
    return (size_t)((ts->pushed - ts->closed.len + i) % ts->nvals);
}

/* The vals/marks slot of a series' newest closed candle (the series is not empty). */
static inline size_t engine_last_slot(const struct tf_state *ts)
{
    return (size_t)((ts->pushed - 1) % ts->nvals);
}

/* engine.c: the pipeline */
int engine_reserve(struct engine *e, int n);   /* room for n symbols; -1: out of memory */
int engine_symbol_init(struct engine *e, int s, const struct instrument *inst);
void engine_symbol_free(struct engine *e, int s);     /* its series and its block */
void engine_close_candle(struct engine *e, int s, int tf, const struct candle *c, bool record);
void engine_close_1m(struct engine *e, int s, const struct candle *c, bool record_1m);

/* records.c: what leaves the engine */
bool engine_emit(struct engine *e, struct record *r);
const char *engine_storage_refuses(const struct engine *e);
void engine_on_storage(struct engine *e, const struct storage_health *h);
void engine_journal(struct engine *e, const char *kind, int s, const char *msg);
/* A line for the status log and the journal: kind is "decision", "fill", ... */
void engine_log_add(struct engine *e, int64_t time, const char *msg);   /* Log panel only */
void engine_note(struct engine *e, const char *kind, int s, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void engine_signal_record(struct engine *e, const struct signal *g);
void engine_forming_record(struct engine *e, int s, const struct kline_event *k);
void engine_signal_events(struct engine *e);
void engine_equity_tick(struct engine *e);

/* restore.c: a collector's signal as stored, into the queue (signal_mirror) */
void engine_mirror_signal(struct engine *e, const struct stored_signal *m);

/* depth.c: order books and trade tapes */
void engine_on_depth(struct engine *e, const struct depth_piece *p);
void engine_on_trade(struct engine *e, const struct trade_event *t);
void engine_depth_free(struct engine *e);
void engine_depth_view(const struct engine *e, int s, struct snap_book *out);
void engine_depth_levels(const struct engine *e, int s, struct snap_depth *out);

/* paper_hooks.c: the paper account */
void engine_paper_init(struct engine *e);
/* The paper account learns sym s's instrument (rules, spot or perpetual). */
void engine_paper_symbol(struct engine *e, int s);
void engine_paper_on_kline(struct engine *e, int s, const struct kline_event *k);
/* A perpetual's ticker: its mark price and funding (funding.h) for the paper account. */
void engine_paper_on_ticker(struct engine *e, const struct ticker_event *t);
int engine_conv_source(const struct engine *e, int s);

/* command.c: commands and instruments */
void engine_on_command(struct engine *e, const struct command *c);
void engine_on_instrument(struct engine *e, const struct instrument *in);

/* A price in symbol s's tick (a quantity in its step) for messages and alerts:
 * never an exponent, no more digits than the tick (records.c). */
struct engine_num { char s[40]; };
struct engine_num engine_px(const struct engine *e, int s, double p);
struct engine_num engine_qty(const struct engine *e, int s, double q);

#endif
