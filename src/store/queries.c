/* Startup reads on a connection of their own: recent candles of every series,
 * balance, positions, pending orders, id counters; and the restore helpers for
 * the risk state and open signals. The primary key (symbol, timeframe,
 * open_time) makes "the last N candles of a series" one index range scan.
 *
 * Written once for both backends, on a store_reader (SQL with $1, $2 ...
 * parameters and portable syntax); sqlite_rows.c and pg_rows.c run it. */
#include "store_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static struct store_param P_INT(int64_t v) { return (struct store_param){ .type = SV_INT, .i = v }; }
static struct store_param P_DBL(double v) { return (struct store_param){ .type = SV_REAL, .d = v }; }
static struct store_param P_TEXT(const char *v) { return (struct store_param){ .type = SV_TEXT, .s = v }; }

/* The engine's symbol stored under `stored` (a canonical name, store.h), or -1:
 * the engine may name it "binance:BTCUSDT" where the database says "BTCUSDT". */
static int engine_sym(const struct engine *e, const char *stored)
{
    if (!stored)
        return -1;
    for (int i = 0; i < engine_symbol_count(e); i++) {
        char canon[64];
        store_symbol_canonical(engine_symbol_name(e, i), canon, sizeof canon);
        if (strcmp(canon, stored) == 0)
            return i;
    }
    return -1;
}

static struct candle read_candle(struct store_rows *q)
{
    return (struct candle){
        .open_time = q->i64(q, 0), .open = q->dbl(q, 1), .high = q->dbl(q, 2), .low = q->dbl(q, 3),
        .close = q->dbl(q, 4), .volume = q->dbl(q, 5), .quote_volume = q->dbl(q, 6), .trades = q->i64(q, 7),
        .flags = (uint32_t)q->i64(q, 8),
    };
}

#define CANDLE_COLUMNS "open_time,open,high,low,close,volume,quote_volume,trades,flags"

static const char SERIES_SQL[] = "SELECT " CANDLE_COLUMNS " FROM candles WHERE symbol=$1 AND timeframe=$2 "
                                 "ORDER BY open_time DESC LIMIT $3";

/* The last n candles of a series (p: SERIES_SQL's parameters) into the engine. */
static int load_series(struct store_reader *rd, struct engine *e, int sym, int tf, const struct store_param *p,
                       size_t n)
{
    struct store_rows *q = rd->query(rd, SERIES_SQL, p, 3);
    if (!q)
        return -1;
    /* newest first (the index order), handed to the engine oldest first */
    struct candle *buf = malloc((n ? n : 1) * sizeof *buf);
    if (!buf) {
        q->done(q);
        return -1;
    }
    size_t k = 0;
    while (k < n && q->next(q))
        buf[k++] = read_candle(q);
    q->done(q);
    while (k > 0)
        engine_load_candle(e, sym, tf, &buf[--k]);
    free(buf);
    return 0;
}

static int64_t scalar(struct store_reader *rd, const struct store_param *acct, const char *sql, int64_t dflt)
{
    struct store_rows *q = rd->query(rd, sql, acct, 1);
    int64_t v = dflt;
    if (!q)
        return dflt;
    if (q->next(q) && !q->null(q, 0))
        v = q->i64(q, 0);
    q->done(q);
    return v;
}

int store_account_register(struct store_reader *wr, struct store *st, char *err, size_t err_len)
{
    const struct store_param p[] = { P_TEXT(st->account), P_INT((int64_t)time(NULL) * 1000) };
    /* two new accounts at once may both pick the next number: one is refused
     * by the UNIQUE key and asks again */
    for (int attempt = 0; attempt < 5; attempt++) {
        struct store_rows *q = wr->query(wr, "INSERT INTO accounts(name,number,created) SELECT $1, "
                                             "coalesce(max(number),0)+1, $2 FROM accounts WHERE NOT EXISTS "
                                             "(SELECT 1 FROM accounts WHERE name=$1)", p, 2);
        if (q)
            q->done(q);
        if (!(q = wr->query(wr, "SELECT number FROM accounts WHERE name=$1", p, 1)))
            break;
        bool found = q->next(q);
        if (found)
            st->account_number = q->i64(q, 0);
        q->done(q);
        if (found)
            return 0;
    }
    snprintf(err, err_len, "%s: cannot register account %s: %s", st->path, st->account, wr->err_text(wr));
    return -1;
}

/* Instruments and the starting balance, written once on the writer connection
 * before the store thread starts. */
int store_record_account(struct store_reader *wr, const struct store *st, const struct engine *e, bool have_balance)
{
    const char *name = st->path;
    int rc = wr->exec(wr, "BEGIN");
    if (rc == 0 && !have_balance) {
        const struct store_param p[] = { P_DBL(engine_broker(e)->balance), P_TEXT(st->account) };
        struct store_rows *q = wr->query(wr, "INSERT INTO account(account,balance,updated,start_balance) "
                                             "VALUES($2,$1,0,$1) ON CONFLICT(account) DO NOTHING", p, 2);
        rc = q ? 0 : -1;
        if (q)
            q->done(q);
    }
    /* every instrument's row, the statements queued at once where the backend can
     * (one round trip for a thousand symbols instead of a thousand) */
    static const char INSTRUMENT_SQL[] = "INSERT INTO instruments(venue,symbol,base,quote,market) "
                                         "VALUES($5,$1,$2,$3,$4) ON CONFLICT(venue,symbol) DO UPDATE SET "
                                         "base=$2, quote=$3, market=$4";
    int n = engine_symbol_count(e), sets = 0;
    struct store_param *p = malloc(sizeof *p * 5 * (size_t)(n ? n : 1));
    char (*names)[2][64] = malloc(sizeof *names * (size_t)(n ? n : 1));
    if (rc == 0 && (!p || !names))
        rc = -1;
    for (int i = 0; rc == 0 && i < n; i++) {
        const struct instrument *in = engine_instrument(e, i);
        char *venue = names[sets][0], *bare = names[sets][1];
        if (store_symbol_split(in->symbol, venue, sizeof names[0][0], bare, sizeof names[0][1])) {
            log_error("%s: '%s' is not a symbol the store can key (VENUE:SYMBOL or SYMBOL)", name, in->symbol);
            continue;
        }
        struct store_param *ps = &p[5 * sets++];
        ps[0] = P_TEXT(bare);
        ps[1] = P_TEXT(in->base);
        ps[2] = P_TEXT(in->quote);
        ps[3] = P_TEXT(in->market);
        ps[4] = P_TEXT(venue);
    }
    if (rc == 0 && wr->queue)
        rc = wr->queue(wr, INSTRUMENT_SQL, p, 5, sets);
    for (int i = 0; rc == 0 && i < sets; i++) {
        struct store_rows *q = wr->query(wr, INSTRUMENT_SQL, &p[5 * i], 5);
        rc = q ? 0 : -1;
        if (q)
            q->done(q);
    }
    free(p);
    free(names);
    if (rc == 0)
        rc = wr->exec(wr, "COMMIT");
    if (rc) {
        log_error("%s: cannot record the account: %s", name, wr->err_text(wr));
        wr->exec(wr, "ROLLBACK");
        return -1;
    }
    return 0;
}

static int restore_signals(struct store_reader *rd, const struct store_param *acct, struct engine *e);

/* The last funding time booked per symbol, so a restart books none twice. */
static int restore_funding(struct store_reader *rd, const struct store_param *acct, struct engine *e)
{
    struct store_rows *q = rd->query(rd, "SELECT symbol,max(time) FROM funding WHERE account=$1 GROUP BY symbol",
                                     acct, 1);
    if (!q)
        return -1;
    while (q->next(q))
        engine_restore_funding(e, engine_sym(e, q->text(q, 0)), q->i64(q, 1));
    q->done(q);
    return 0;
}
static int restore_log(struct store_reader *rd, const struct store_param *acct, struct engine *e);

/* Everything a restart brings back, in one read transaction; *have_balance
 * says whether the account existed. Returns 0 or -1 (logged). */
int store_restore_from(struct store_reader *rd, const struct store *st, struct engine *e, size_t per_series,
                       bool *have_balance)
{
    const char *name = st->path;
    const struct store_param acct[] = { P_TEXT(st->account) };
    struct store_rows *q = NULL;
    int n = engine_symbol_count(e);
    /* higher timeframes first: the 1m candles then only rebuild the open buckets.
     * Every series' query is queued first where the backend can (the server
     * reads ahead while the engine takes the candles). */
    struct store_param *sp = malloc(sizeof *sp * 3 * TF_COUNT * (size_t)(n ? n : 1));
    char (*canon)[64] = malloc(sizeof *canon * (size_t)(n ? n : 1));
    if (!sp || !canon) {
        free(sp);
        free(canon);
        log_error("%s: cannot read stored state: out of memory", name);
        return -1;
    }
    int sets = 0;
    for (int sym = 0; sym < n; sym++) {
        store_symbol_canonical(engine_symbol_name(e, sym), canon[sym], sizeof canon[sym]);
        for (int tf = TF_COUNT - 1; tf >= 0; tf--, sets++) {
            sp[3 * sets] = P_TEXT(canon[sym]);
            sp[3 * sets + 1] = P_TEXT(tf_name(tf));
            sp[3 * sets + 2] = P_INT((int64_t)per_series);
        }
    }
    int bad = rd->queue ? rd->queue(rd, SERIES_SQL, sp, 3, sets) : 0;
    for (int i = 0; bad == 0 && i < sets; i++)
        bad = load_series(rd, e, i / TF_COUNT, TF_COUNT - 1 - i % TF_COUNT, &sp[3 * i], per_series);
    free(sp);
    free(canon);
    if (bad)
        goto fail;
    if (!(q = rd->query(rd, "SELECT balance FROM account WHERE account=$1", acct, 1)))
        goto fail;
    *have_balance = q->next(q);
    double balance = *have_balance ? q->dbl(q, 0) : 0;
    q->done(q);
    if (*have_balance)
        engine_restore(e, balance, -1, NULL);
    else
        balance = engine_broker(e)->balance;
    if (!(q = rd->query(rd, "SELECT symbol,qty,avg,realized,fees FROM positions WHERE account=$1", acct, 1)))
        goto fail;
    while (q->next(q)) {
        int sym = engine_sym(e, q->text(q, 0));
        if (sym < 0)
            continue;
        struct position p = { .qty = q->dbl(q, 1), .avg = q->dbl(q, 2), .realized = q->dbl(q, 3),
                              .fees = q->dbl(q, 4) };
        engine_restore(e, balance, sym, &p);
    }
    q->done(q);
    /* the risk manager's state (locks, streak, day start, peak) */
    if (!(q = rd->query(rd, "SELECT day,day_start_equity,peak_equity,streak,cooldown_until,daily_until,"
                            "lock,locked_at,updated FROM paper_risk WHERE account=$1", acct, 1)))
        goto fail;
    if (q->next(q)) {
        struct risk_state rs = {
            .day = q->i64(q, 0), .day_start_equity = q->dbl(q, 1), .peak_equity = q->dbl(q, 2),
            .streak = (int)q->i64(q, 3), .cooldown_until = q->i64(q, 4), .daily_until = q->i64(q, 5),
            .lock = (int)q->i64(q, 6), .locked_at = q->i64(q, 7), .updated = q->i64(q, 8),
        };
        engine_restore_risk(e, &rs);
    }
    q->done(q);
    /* working orders and each position's exits */
    if (!(q = rd->query(rd, "SELECT id,symbol,side,type,qty,price,reduce_only,source,placed,stop,trail,"
                            "tp1,tp2,tp3,tp4,f1,f2,f3,f4,trail_atr,queue FROM paper_orders WHERE account=$1 ORDER BY id",
                        acct, 1)))
        goto fail;
    while (q->next(q)) {
        struct broker_order o = {
            .active = true, .id = (uint64_t)q->i64(q, 0), .sym = engine_sym(e, q->text(q, 1)),
            .side = (int)q->i64(q, 2), .type = (int)q->i64(q, 3), .qty = q->dbl(q, 4), .price = q->dbl(q, 5),
            .reduce_only = q->i64(q, 6) != 0, .source = (int)q->i64(q, 7), .placed = q->i64(q, 8),
        };
        o.br.stop = q->dbl(q, 9);
        o.br.trail = q->dbl(q, 10);
        for (int i = 0; i < BROKER_TP; i++) {
            o.br.tp[i] = q->dbl(q, 11 + i);
            o.br.tp_frac[i] = q->dbl(q, 15 + i);
        }
        o.br.trail_atr = q->dbl(q, 19);
        o.queue = q->dbl(q, 20);
        if (o.sym >= 0)
            engine_restore_order(e, &o);
    }
    q->done(q);
    if (!(q = rd->query(rd, "SELECT symbol,stop,trail,trail_ref,tp1,tp2,tp3,tp4,f1,f2,f3,f4,base_qty,tp_done,"
                            "source,opened,trail_atr,trail_stop FROM paper_exits WHERE account=$1", acct, 1)))
        goto fail;
    while (q->next(q)) {
        int sym = engine_sym(e, q->text(q, 0));
        struct bracket b = { .stop = q->dbl(q, 1), .trail = q->dbl(q, 2), .trail_ref = q->dbl(q, 3),
                             .base_qty = q->dbl(q, 12), .tp_done = (uint8_t)q->i64(q, 13),
                             .trail_atr = q->dbl(q, 16), .trail_stop = q->dbl(q, 17) };
        for (int i = 0; i < BROKER_TP; i++) {
            b.tp[i] = q->dbl(q, 4 + i);
            b.tp_frac[i] = q->dbl(q, 8 + i);
        }
        if (sym >= 0)
            engine_restore_exits(e, sym, &b, (int)q->i64(q, 14), q->i64(q, 15));
    }
    q->done(q);
    /* an account's ids start at its number times STORE_ACCOUNT_IDS (store.h) */
    int64_t base = st->account_number * STORE_ACCOUNT_IDS;
    int64_t max_order = scalar(rd, acct, "SELECT max(m) FROM (SELECT max(order_id) AS m FROM fills WHERE account=$1 "
                                         "UNION ALL SELECT max(id) FROM orders WHERE account=$1 UNION ALL "
                                         "SELECT max(id) FROM paper_orders WHERE account=$1) AS t", base);
    int64_t max_fill = scalar(rd, acct, "SELECT max(id) FROM fills WHERE account=$1", base);
    engine_restore_ids(e, (uint64_t)max_order + 1, (uint64_t)max_fill + 1);
    if (restore_funding(rd, acct, e))
        goto fail;
    if (restore_signals(rd, acct, e) || restore_log(rd, acct, e))
        goto fail;
    return 0;
fail:
    log_error("%s: cannot read stored state: %s", name, rd->err_text(rd));
    return -1;
}

/* The one reading of a signals row (columns as in SIGNAL_COLUMNS), shared by the
 * startup restore and store_load_open_signals. */
#define SIGNAL_COLUMNS "id,time,symbol,timeframe,side,confidence,entry,stop,tp1,tp2,tp3,tp4,reward_risk,pattern," \
                       "volume_confirmed,trend_aligned,regime,indicators,voters,source,expiry,state,candle_time," \
                       "stop_kind,trend_alignment,htf_score,regime_confidence,outcome,best_tp,outcome_time," \
                       "outcome_price"

static void copy_text(char *dst, size_t n, const char *src)
{
    snprintf(dst, n, "%s", src ? src : "");
}

static bool read_signal(struct store_rows *q, struct record_signal *g, int *tf)
{
    *g = (struct record_signal){ .id = (uint64_t)q->i64(q, 0), .time = q->i64(q, 1), .side = (int)q->i64(q, 4),
                                 .confidence = q->dbl(q, 5), .entry = q->dbl(q, 6), .stop = q->dbl(q, 7),
                                 .reward_risk = q->dbl(q, 12), .volume_confirmed = q->i64(q, 14) != 0,
                                 .voters = (uint32_t)q->i64(q, 18), .expiry = q->i64(q, 20),
                                 .candle_time = q->i64(q, 22), .htf_score = q->dbl(q, 25),
                                 .best_tp = (int)q->i64(q, 28) };
    for (int i = 0; i < 4; i++)
        g->tp[i] = q->null(q, 8 + i) ? 0 : q->dbl(q, 8 + i);
    copy_text(g->pattern, sizeof g->pattern, q->text(q, 13));
    copy_text(g->regime, sizeof g->regime, q->text(q, 16));
    copy_text(g->source, sizeof g->source, q->text(q, 19));
    const char *ind = q->text(q, 17);
    for (int i = 0; i < SIGNAL_INDICATORS; i++)
        g->indicators[i] = NAN;
    if (ind && *ind == '[') {
        const char *p = ind + 1;
        for (int i = 0; i < SIGNAL_INDICATORS && *p && *p != ']'; i++) {
            char *end;
            if (strncmp(p, "null", 4) == 0) {
                end = (char *)p + 4;
            } else {
                g->indicators[i] = strtod(p, &end);
                if (end == p)
                    break;
            }
            p = *end == ',' ? end + 1 : end;
        }
    }
    g->state = record_signal_state_parse(q->text(q, 21));
    const char *sk = q->text(q, 23);
    g->stop_kind = sk && strcmp(sk, "swing") == 0;
    /* trend_alignment carries the sign; a row written without it still has trend_aligned */
    g->trend_alignment = (int)q->i64(q, 24);
    if (g->trend_alignment == 0 && q->i64(q, 15))
        g->trend_alignment = 1;
    g->regime_confidence = q->null(q, 26) ? NAN : q->dbl(q, 26);
    g->outcome = record_signal_outcome_parse(q->text(q, 27));
    if (!q->null(q, 29))
        g->outcome_time = q->i64(q, 29);
    if (!q->null(q, 30))
        g->outcome_price = q->dbl(q, 30);
    *tf = tf_parse(q->text(q, 3));
    return g->state >= 0 && g->outcome >= 0 && *tf >= 0;
}

/* Every stored signal back into the engine, oldest id first: settled ones
 * rebuild the hit rates (voter weights survive a restart), open ones go back to
 * outcome tracking and the queue, ids continue after the highest. */
static int restore_signals(struct store_reader *rd, const struct store_param *acct, struct engine *e)
{
    struct store_rows *q = rd->query(rd, "SELECT " SIGNAL_COLUMNS " FROM signals WHERE account=$1 ORDER BY id",
                                     acct, 1);
    if (!q)
        return -1;
    while (q->next(q)) {
        struct record_signal g;
        int tf;
        int sym = engine_sym(e, q->text(q, 2));
        if (read_signal(q, &g, &tf))
            engine_restore_signal(e, sym >= 0 ? engine_symbol_name(e, sym) : q->text(q, 2), tf, &g);
    }
    q->done(q);
    return 0;
}

/* The newest journal lines the Log panel showed (notes, not the command echo or
 * the signal pipeline's own lines), oldest first, so a restart does not open on an empty log. */
static int restore_log(struct store_reader *rd, const struct store_param *acct, struct engine *e)
{
    const struct store_param p[] = { P_INT(SNAP_LOG), acct[0] };
    struct store_rows *q = rd->query(rd, "SELECT time,text FROM (SELECT seq,time,text FROM journal "
                                         "WHERE account=$2 AND kind<>'command' AND NOT (kind='decision' AND "
                                         "text LIKE 'signal #%') ORDER BY seq DESC LIMIT $1) AS j ORDER BY seq", p, 2);
    if (!q)
        return -1;
    while (q->next(q))
        engine_restore_log(e, q->i64(q, 0), q->text(q, 1));
    q->done(q);
    return 0;
}

int store_open_signals_from(struct store_reader *rd, void (*fn)(void *ctx, const char *symbol, int tf, int64_t time,
                            const struct record_signal *s), void *ctx)
{
    struct store_rows *q = rd->query(rd, "SELECT " SIGNAL_COLUMNS " FROM signals WHERE state IN ('new','taken') "
                                         "ORDER BY time, id", NULL, 0);
    if (!q)
        return -1;
    int count = 0;
    while (q->next(q)) {
        struct record_signal g;
        int tf;
        read_signal(q, &g, &tf);
        fn(ctx, q->text(q, 2), tf, q->i64(q, 1), &g);
        count++;
    }
    q->done(q);
    return count;
}

int store_signals_of(struct store_reader *rd, const char *symbol, const char *account, int64_t since,
                     void (*fn)(void *ctx, int tf, int64_t updated, const struct record_signal *s), void *ctx)
{
    char canon[64];
    store_symbol_canonical(symbol, canon, sizeof canon);
    const struct store_param p[] = { P_TEXT(canon), P_TEXT(account), P_INT(since) };
    struct store_rows *q = rd->query(rd, since < 0 ? "SELECT " SIGNAL_COLUMNS ",updated FROM signals WHERE symbol=$1 "
                                                     "AND account=$2 AND state IN ('new','taken') "
                                                     "ORDER BY updated, id"
                                                   : "SELECT " SIGNAL_COLUMNS ",updated FROM signals WHERE symbol=$1 "
                                                     "AND account=$2 AND updated >= $3 ORDER BY updated, id",
                                         p, since < 0 ? 2 : 3);
    if (!q)
        return -1;
    int count = 0;
    while (q->next(q)) {
        struct record_signal g;
        int tf;
        if (read_signal(q, &g, &tf))
            fn(ctx, tf, q->i64(q, 31), &g);
        count++;
    }
    q->done(q);
    return count;
}

int store_candles_from(struct store_reader *rd, const char *name, const char *symbol, int tf, int64_t from,
                       int64_t to, struct candle **out, size_t *n, char *err, size_t err_len)
{
    *out = NULL;
    *n = 0;
    char canon[64];
    store_symbol_canonical(symbol, canon, sizeof canon);
    const struct store_param p[] = { P_TEXT(canon), P_TEXT(tf_name(tf)), P_INT(from), P_INT(to) };
    struct store_rows *q = rd->query(rd, "SELECT " CANDLE_COLUMNS " FROM candles WHERE symbol=$1 AND timeframe=$2 "
                                         "AND open_time>=$3 AND open_time<$4 ORDER BY open_time", p, 4);
    if (!q) {
        snprintf(err, err_len, "%s: not an alphapulse database: %s", name, rd->err_text(rd));
        return -1;
    }
    size_t cap = 0;
    bool oom = false;
    while (q->next(q)) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 4096;
            struct candle *c = realloc(*out, cap * sizeof *c);
            if (!c) {
                oom = true;
                break;
            }
            *out = c;
        }
        (*out)[(*n)++] = read_candle(q);
    }
    q->done(q);
    const char *why = oom ? "out of memory" : rd->err_text(rd);
    if (oom || (why && *why)) {
        snprintf(err, err_len, "%s: read failed: %s", name, why);
        free(*out);
        *out = NULL;
        *n = 0;
        return -1;
    }
    if (*n == 0) {
        snprintf(err, err_len, "%s: no %s 1m candles in the chosen period", name, symbol);
        return -1;
    }
    return 0;
}

int store_candles_before_from(struct store_reader *rd, const char *name, const char *symbol, int tf,
                              int64_t before, int max, struct candle *out, char *err, size_t err_len)
{
    char canon[64];
    store_symbol_canonical(symbol, canon, sizeof canon);
    const struct store_param p[] = { P_TEXT(canon), P_TEXT(tf_name(tf)), P_INT(before), P_INT(max) };
    struct store_rows *q = rd->query(rd, "SELECT " CANDLE_COLUMNS " FROM candles WHERE symbol=$1 AND timeframe=$2 "
                                         "AND open_time<$3 ORDER BY open_time DESC LIMIT $4", p, 4);
    if (!q) {
        snprintf(err, err_len, "%s: not an alphapulse database: %s", name, rd->err_text(rd));
        return -1;
    }
    int n = 0;
    while (n < max && q->next(q))
        out[max - 1 - n++] = read_candle(q);     /* newest first: filled from the end */
    q->done(q);
    const char *why = rd->err_text(rd);
    if (why && *why) {
        snprintf(err, err_len, "%s: read failed: %s", name, why);
        return -1;
    }
    memmove(out, out + (max - n), (size_t)n * sizeof *out);
    return n;
}

/* The SQLite side of the public reads. */
int store_restore(struct store *st, struct engine *e, size_t per_series)
{
    if (st->pg)
        return pg_store_restore(st, e, per_series);
    char err[512];
    sqlite3 *db = store_reader_open(st->path, err, sizeof err);
    if (!db) {
        log_error("%s", err);
        return -1;
    }
    struct store_reader rd, wr;
    store_reader_sqlite(&rd, db);
    bool have_balance = false;
    int rc = rd.exec(&rd, "BEGIN");          /* one consistent view */
    if (rc == 0)
        rc = store_restore_from(&rd, st, e, per_series, &have_balance);
    rd.exec(&rd, "COMMIT");
    sqlite3_close(db);
    if (rc)
        return -1;
    store_reader_sqlite(&wr, st->db);
    return store_record_account(&wr, st, e, have_balance);
}

int store_load_open_signals(const char *path, void (*fn)(void *ctx, const char *symbol, int tf, int64_t time,
                            const struct record_signal *s), void *ctx, char *err, size_t err_len)
{
    if (store_is_url(path))
        return pg_store_load_open_signals(path, fn, ctx, err, err_len);
    sqlite3 *db = store_reader_open(path, err, err_len);
    if (!db)
        return -1;
    struct store_reader rd;
    store_reader_sqlite(&rd, db);
    int count = store_open_signals_from(&rd, fn, ctx);
    if (count < 0)
        snprintf(err, err_len, "%s: cannot read signals: %s", path, rd.err_text(&rd));
    sqlite3_close(db);
    return count;
}

int store_read_candles(const char *path, const char *symbol, int tf, int64_t from, int64_t to,
                       struct candle **out, size_t *n, char *err, size_t err_len)
{
    if (store_is_url(path))
        return pg_store_read_candles(path, symbol, tf, from, to, out, n, err, err_len);
    sqlite3 *db = NULL;
    *out = NULL;
    *n = 0;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        snprintf(err, err_len, "%s: cannot open database: %s", path, db ? sqlite3_errmsg(db) : "out of memory");
        sqlite3_close(db);
        return -1;
    }
    sqlite3_busy_timeout(db, 2000);
    struct store_reader rd;
    store_reader_sqlite(&rd, db);
    int rc = store_candles_from(&rd, path, symbol, tf, from, to, out, n, err, err_len);
    sqlite3_close(db);
    return rc;
}

int store_read_candles_before(const char *path, const char *symbol, int tf, int64_t before, int max,
                              struct candle *out, char *err, size_t err_len)
{
    if (max <= 0)
        return 0;
    if (store_is_url(path))
        return pg_store_read_candles_before(path, symbol, tf, before, max, out, err, err_len);
    sqlite3 *db = NULL;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        snprintf(err, err_len, "%s: cannot open database: %s", path, db ? sqlite3_errmsg(db) : "out of memory");
        sqlite3_close(db);
        return -1;
    }
    sqlite3_busy_timeout(db, 2000);
    struct store_reader rd;
    store_reader_sqlite(&rd, db);
    int n = store_candles_before_from(&rd, path, symbol, tf, before, max, out, err, err_len);
    sqlite3_close(db);
    return n;
}
