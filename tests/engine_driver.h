/* Driving the real engine from a test: a one-symbol paper account, a closed 1m
 * kline, a command, and removing a test database with its side files. Shared
 * by the integration tests of paper trading and profiles. */
#ifndef ENGINE_DRIVER_H
#define ENGINE_DRIVER_H
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alphapulse/config.h"
#include "alphapulse/engine.h"
#include "alphapulse/record.h"

/* BTCUSDT (BTC/USDT) with the built-in settings and 64 candles of history; the
 * venue's rules as Binance lists them (tick 0.01, step 0.00001, minimum 5 USDT). */
static inline struct engine *driver_engine(struct spsc *records)
{
    struct engine_config cfg;
    struct instrument inst[INSTRUMENTS_MAX] = { 0 };
    engine_config_defaults(&cfg);
    cfg.inst = inst;
    cfg.n_symbols = 1;
    snprintf(inst[0].symbol, SYMBOL_MAX, "BTCUSDT");
    snprintf(inst[0].base, sizeof inst[0].base, "BTC");
    snprintf(inst[0].quote, sizeof inst[0].quote, "USDT");
    inst[0].tick = 0.01;
    inst[0].step = 0.00001;
    inst[0].min_notional = 5;
    cfg.history = 64;
    return engine_create(&cfg, records);
}

/* A configuration with signals on every timeframe and no cost gate: for tests of
 * the signal machinery on one month of 1m data, where the defaults (4h and 1d)
 * would never warm up. */
static inline const struct config *driver_all_timeframes(void)
{
    static const struct config_vocab vocab = { .profile = &engine_profile_schema };
    static struct config c;
    char err[200];
    config_defaults(&c, &vocab);
    if (config_set(&c, "signals.timeframes", "1m,5m,15m,1h,4h,1d", CFG_SRC_CLI, err, sizeof err) ||
        config_set(&c, "signals.max_cost_r", "1000", CFG_SRC_CLI, err, sizeof err)) {
        fprintf(stderr, "config: %s\n", err);
        abort();
    }
    return &c;
}

/* A closed 1m candle of sym; its event time (the engine's clock) is its last millisecond. */
static inline void driver_kline(struct engine *e, const char *sym, int64_t open_time, double o, double h, double l,
                                double c)
{
    struct engine_event ev = { .type = EE_KLINE };
    snprintf(ev.u.k.symbol, SYMBOL_MAX, "%s", sym);
    ev.u.k.tf = TF_1M;
    ev.u.k.closed = true;
    ev.u.k.event_time = open_time + 60000 - 1;
    ev.u.k.c = (struct candle){ .open_time = open_time, .open = o, .high = h, .low = l, .close = c, .volume = 1 };
    engine_step(e, &ev);
}

static inline void driver_command(struct engine *e, const char *sym, struct command c)
{
    struct engine_event ev = { .type = EE_COMMAND, .u.cmd = c };
    snprintf(ev.u.cmd.symbol, SYMBOL_MAX, "%s", sym);
    engine_step(e, &ev);
}

/* The engine's journal lines as the records carry them (the first 64). */
struct driver_journal { char line[64][200]; int n; };

static inline void driver_drain(struct spsc *records, struct driver_journal *j)
{
    struct record r;
    while (spsc_pop(records, &r))
        if (r.type == REC_JOURNAL && j->n < 64)
            snprintf(j->line[j->n++], sizeof j->line[0], "%s", r.u.text.text);
}

/* The first line holding a and b (b may be NULL), or NULL. */
static inline const char *driver_said(const struct driver_journal *j, const char *a, const char *b)
{
    for (int i = 0; i < j->n; i++)
        if (strstr(j->line[i], a) && (!b || strstr(j->line[i], b)))
            return j->line[i];
    return NULL;
}

/* The database file and its -wal, -shm and .lock files. */
static inline void driver_remove_db(const char *path)
{
    char side[300];
    unlink(path);
    static const char *const ext[] = { "-wal", "-shm", ".lock" };
    for (int i = 0; i < 3; i++) {
        snprintf(side, sizeof side, "%s%s", path, ext[i]);
        unlink(side);
    }
}

#endif
