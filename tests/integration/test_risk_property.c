/* Property test: 100,000 random sequences of orders and prices through the
 * engine (engine_step with kline and command events, as every mode drives it).
 * After every accepted entry order an independent oracle, written here from the
 * documented limits, checks that no limit is exceeded; after every step, equity
 * must equal balance plus unrealised PnL computed from the test's own prices,
 * and the balance must equal the start plus realised PnL minus fees of every
 * fill record. Drawdown lock and daily-loss state are tracked independently. */
#include <stdlib.h>

#include "harness.h"
#include "alphapulse/engine.h"
#include "alphapulse/record.h"

#define ENGINES 250
#define SEQS 400                 /* per engine: 100,000 sequences */
#define NSYM 3
#define MIN 60000LL
#define DAY 86400000LL

static uint64_t rng = 0x9e3779b97f4a7c15ULL;
static uint64_t rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}
static double urand(void) { return (double)(rnd() >> 11) / 9007199254740992.0; }
static int irand(int n) { return (int)(rnd() % (uint64_t)n); }

struct world {
    struct engine *e;
    struct spsc q;
    struct engine_config cfg;
    struct instrument inst[NSYM];
    double last[NSYM];
    int64_t now, open_time[NSYM];
    bool forming[NSYM];
    double realized, fees, start;
    /* the oracle's own risk state */
    double peak, day_start;
    int64_t day, daily_until;
    bool locked;
    long accepted, rejected, fills, checks, locked_steps, daily_steps, cooldown_steps;
};

static int failures;
#define PROP(c, ...) do { if (!(c)) { if (failures++ < 10) { printf("#   %s:%d: ", __FILE__, __LINE__); \
    printf(__VA_ARGS__); printf("\n"); } harness_cur_failed = 1; } } while (0)

static double conv(const struct world *w, int s) { return s == 2 ? w->last[0] : 1.0; }

static double oracle_equity(const struct world *w)
{
    const struct broker *b = engine_broker(w->e);
    double eq = b->balance;
    for (int i = 0; i < NSYM; i++)
        eq += b->pos[i].qty * (w->last[i] - b->pos[i].avg) * conv(w, i);
    return eq;
}

static void drain(struct world *w)
{
    struct record r;
    while (spsc_pop(&w->q, &r))
        if (r.type == REC_FILL) {
            w->realized += r.u.fill.realized;
            w->fees += r.u.fill.fee;
            w->fills++;
        }
}

static void invariants(struct world *w)
{
    const struct portfolio *pf = engine_portfolio(w->e);
    double eq = oracle_equity(w), pe = portfolio_equity(pf);
    PROP(fabs(pe - eq) <= 1e-9 * fmax(1, fabs(eq)), "equity %.17g != balance + unrealised %.17g", pe, eq);
    double bal = w->start + w->realized - w->fees;
    PROP(fabs(pf->broker.balance - bal) <= 1e-7 * fmax(1, fabs(bal)), "balance %.17g != start + realised - fees %.17g",
         pf->broker.balance, bal);
    w->locked_steps += w->locked;
    w->daily_steps += w->daily_until > w->now;
    w->cooldown_steps += pf->risk.cooldown_until > w->now;
}

static void kline(struct world *w, int s)
{
    int64_t ot = w->now / MIN * MIN;
    if (!w->forming[s] && w->open_time[s] && ot <= w->open_time[s]) {
        w->now = w->open_time[s] + MIN;       /* that minute closed: the next update is a new one */
        ot = w->now;
    }
    if (w->forming[s] && ot != w->open_time[s])
        w->forming[s] = false;
    double prev = w->last[s];
    double jump = urand() < 0.02 ? (urand() < 0.5 ? 0.8 : 1.2) : 1.0;
    double c = prev * jump * exp((urand() - 0.5) * 0.02);
    double o = w->forming[s] ? prev : prev * (urand() < 0.05 ? jump : 1.0);
    double hi = fmax(o, c) * (1 + urand() * 0.005), lo = fmin(o, c) * (1 - urand() * 0.005);
    struct engine_event ev = { .type = EE_KLINE };
    static const char *names[NSYM] = { "AAAUSDT", "BBBUSDT", "CCCAAA" };
    snprintf(ev.u.k.symbol, SYMBOL_MAX, "%s", names[s]);
    ev.u.k.tf = TF_1M;
    ev.u.k.event_time = w->now;
    ev.u.k.closed = urand() < 0.5;
    ev.u.k.c = (struct candle){ .open_time = ot, .open = o, .high = hi, .low = lo, .close = c, .volume = 1 };
    engine_step(w->e, &ev);
    w->last[s] = c;
    w->forming[s] = !ev.u.k.closed;
    w->open_time[s] = ot;
    drain(w);
    /* the oracle's drawdown and daily-loss bookkeeping, from its own equity */
    double eq = oracle_equity(w);
    int64_t d = w->now / DAY;
    if (d != w->day) {
        w->day = d;
        w->day_start = eq;
    }
    if (eq > w->peak)
        w->peak = eq;
    if (w->day_start - eq >= w->cfg.risk.daily_loss * w->day_start && w->daily_until <= w->now)
        w->daily_until = (d + 1) * DAY;
    if (!w->locked && 1 - eq / w->peak >= w->cfg.risk.max_drawdown)
        w->locked = true;
    invariants(w);
}

static bool in_blackout(const struct world *w)
{
    for (int i = 0; i < w->cfg.risk.n_blackouts; i++)
        if (w->now >= w->cfg.risk.blackout[i].time - w->cfg.risk.blackout[i].margin &&
            w->now <= w->cfg.risk.blackout[i].time + w->cfg.risk.blackout[i].margin)
            return true;
    return false;
}

/* An entry order o was just accepted: check it against every limit. */
static int last_cmd;
static void oracle(struct world *w, const struct broker_order *o, double pos_before, int positions_before,
                   double eq, int64_t entry_count_before)
{
    const struct portfolio *pf = engine_portfolio(w->e);
    const struct risk_limits *l = &w->cfg.risk;
    int s = o->sym;
    w->checks++;
    bool reducing = pos_before != 0 && (pos_before > 0) != (o->side > 0) && o->qty <= fabs(pos_before) * (1 + 1e-12);
    if (reducing)
        return;
    PROP(!w->locked && pf->risk.lock == RISK_UNLOCKED, "entry #%llu accepted while locked", (unsigned long long)o->id);
    PROP(w->daily_until <= w->now, "entry accepted during the daily-loss stop");
    PROP(pf->risk.cooldown_until <= w->now, "entry accepted during a cooldown");
    PROP(!in_blackout(w), "entry accepted inside a blackout window");
    double px = o->price > 0 ? o->price : w->last[s], cv = conv(w, s);
    if (o->br.stop > 0)
        PROP(o->qty * fabs(px - o->br.stop) * cv <= l->risk_per_trade * eq * (1 + 1e-9) + 1e-9,
             "risk per trade %.6g > %.6g", o->qty * fabs(px - o->br.stop) * cv, l->risk_per_trade * eq);
    /* the symbol's position if every working entry on this side filled */
    const struct broker *b = engine_broker(w->e);
    double same = 0, gross = 0;
    for (int i = 0; i < BROKER_MAX_ORDERS; i++) {
        const struct broker_order *x = &b->ord[i];
        if (!x->active || x->reduce_only)
            continue;
        if (x->sym == s && x->side == o->side)
            same += x->side * x->qty;
        gross += x->qty * (x->price > 0 ? x->price : w->last[x->sym]) * conv(w, x->sym);
    }
    double after = b->pos[s].qty + same, before = after - o->side * o->qty;
    PROP(fabs(after) <= fabs(before) || fabs(after) * px * cv <= l->max_position * eq * (1 + 1e-9),
         "cmd %d position %.6g > %.6g (sym %d type %d qty %.6g pos %.6g same %.6g)", last_cmd, fabs(after) * px * cv, l->max_position * eq, s, o->type, o->qty, b->pos[s].qty, same);
    for (int i = 0; i < NSYM; i++)
        gross += fabs(b->pos[i].qty) * w->last[i] * conv(w, i);
    PROP(gross <= l->max_exposure * eq * (1 + 1e-9), "exposure %.6g > %.6g", gross, l->max_exposure * eq);
    PROP(broker_orders_for(b, s) <= l->max_orders_symbol, "%d orders on the symbol > %d", broker_orders_for(b, s),
         l->max_orders_symbol);
    if (pos_before == 0 && entry_count_before == 0)
        PROP(positions_before < l->max_positions, "a new position beyond %d", l->max_positions);
}

static void command(struct world *w)
{
    static const char *names[NSYM] = { "AAAUSDT", "BBBUSDT", "CCCAAA" };
    const struct portfolio *pf = engine_portfolio(w->e);
    const struct broker *b = engine_broker(w->e);
    int s = irand(NSYM);
    struct engine_event ev = { .type = EE_COMMAND };
    struct command *c = &ev.u.cmd;
    snprintf(c->symbol, SYMBOL_MAX, "%s", names[s]);
    int k = irand(100);
    double px = w->last[s];
    c->side = urand() < 0.5 ? 1 : -1;
    if (k < 55) {
        c->type = CMD_ORDER;
        c->order_type = irand(3);
        c->price = c->order_type == ORDER_MARKET ? 0 : px * (1 + (urand() - 0.5) * 0.04);
        c->size_method = irand(SIZE_METHOD_COUNT);
        c->size = c->size_method == SIZE_QTY ? (urand() * 30 / px) : urand() * 0.15;
        if (urand() < 0.3)
            c->qty = urand() * 40 / px * (s == 2 ? 1 / px : 1);
        if (urand() < 0.6)
            c->stop_loss = px * (1 - c->side * (0.002 + urand() * 0.05));
        if (urand() < 0.4)
            c->tp[0] = px * (1 + c->side * (0.01 + urand() * 0.05));
        if (urand() < 0.2)
            c->trail = px * 0.01;
        c->reduce_only = urand() < 0.05;
    } else if (k < 65) {
        c->type = CMD_MARKET_ORDER;
    } else if (k < 75) {
        c->type = CMD_CLOSE;
    } else if (k < 83) {
        c->type = CMD_CANCEL;
        c->order_id = urand() < 0.2 ? 0 : b->next_order - 1 - (uint64_t)irand(4);
    } else if (k < 92) {
        c->type = CMD_MODIFY;
        c->order_id = b->next_order - 1 - (uint64_t)irand(4);
        c->price = urand() < 0.5 ? px * (1 + (urand() - 0.5) * 0.04) : 0;
        c->qty = urand() < 0.7 ? urand() * 60 / px : 0;
    } else if (k < 96) {
        c->type = CMD_EXITS;
        c->stop_loss = urand() < 0.5 ? px * (1 - (b->pos[s].qty > 0 ? 1 : -1) * 0.02) : -1;
        c->trail = -1;
        for (int i = 0; i < 4; i++)
            c->tp[i] = -1;
    } else if (k < 98) {
        c->type = CMD_UNLOCK;
        snprintf(c->text, sizeof c->text, "%s", urand() < 0.7 ? "UNLOCK" : "yes");
    } else {
        c->type = CMD_KILL;
    }
    double pos_before = b->pos[s].qty, eq = oracle_equity(w);
    int positions_before = portfolio_open_positions(pf);
    int64_t same_before = 0;
    for (int i = 0; i < BROKER_MAX_ORDERS; i++)
        same_before += b->ord[i].active && !b->ord[i].reduce_only && b->ord[i].sym == s && b->ord[i].side == c->side;
    uint64_t next = b->next_order;
    struct broker_order before_mod = { 0 };
    const struct broker_order *m = c->type == CMD_MODIFY ? broker_order_find(b, c->order_id) : NULL;
    if (m)
        before_mod = *m;
    bool was_locked = pf->risk.lock != RISK_UNLOCKED;
    last_cmd = c->type;
    engine_step(w->e, &ev);
    drain(w);
    if (c->type == CMD_KILL)
        w->locked = true;
    if (c->type == CMD_UNLOCK && was_locked && strcmp(c->text, "UNLOCK") == 0) {
        w->locked = false;
        w->peak = eq;
    }
    if (b->next_order > next) {
        const struct broker_order *o = broker_order_find(b, next);
        if (o && !o->reduce_only)
            oracle(w, o, pos_before, positions_before, eq, same_before);
        w->accepted++;
    } else if (c->type == CMD_ORDER || c->type == CMD_MARKET_ORDER) {
        w->rejected++;
    }
    if (m && !before_mod.reduce_only) {
        const struct broker_order *o = broker_order_find(b, c->order_id);
        if (o && (o->qty != before_mod.qty || o->price != before_mod.price)) {
            /* a modified entry is checked as if placed again */
            double pb = b->pos[o->sym].qty;
            oracle(w, o, pb, positions_before, eq, 1);
        }
    }
    invariants(w);
}

static void world_run(int idx)
{
    struct world w = { 0 };
    engine_config_defaults(&w.cfg);
    w.cfg.inst = w.inst;
    w.cfg.n_symbols = NSYM;
    static const char *sym[NSYM] = { "AAAUSDT", "BBBUSDT", "CCCAAA" }, *base[NSYM] = { "AAA", "BBB", "CCC" },
                      *quote[NSYM] = { "USDT", "USDT", "AAA" };
    for (int i = 0; i < NSYM; i++) {
        snprintf(w.inst[i].symbol, SYMBOL_MAX, "%s", sym[i]);
        snprintf(w.inst[i].base, sizeof w.inst[i].base, "%s", base[i]);
        snprintf(w.inst[i].quote, sizeof w.inst[i].quote, "%s", quote[i]);
        w.inst[i].tick = i == 2 ? 1e-6 : 0.01;
        w.inst[i].step = i == 2 ? 0.01 : 0.001;
        w.inst[i].min_notional = i == 2 ? 0 : 5;
    }
    w.cfg.history = 16;
    w.cfg.slip_bps = urand() * 5;
    w.cfg.slip_range = urand() < 0.3 ? urand() * 0.2 : 0;
    /* the limits vary between engines; defaults half the time */
    if (idx % 2) {
        w.cfg.risk.max_position = 0.05 + urand() * 0.2;
        w.cfg.risk.max_exposure = w.cfg.risk.max_position * (1 + urand() * 3);
        w.cfg.risk.daily_loss = 0.01 + urand() * 0.05;
        w.cfg.risk.max_drawdown = 0.02 + urand() * 0.15;
        w.cfg.risk.max_positions = 1 + irand(3);
        w.cfg.risk.max_orders_symbol = 1 + irand(5);
        w.cfg.risk.risk_per_trade = 0.002 + urand() * 0.02;
    }
    w.now = 1700000000000LL + (int64_t)irand(1440) * MIN;
    w.cfg.risk.n_blackouts = 1;
    w.cfg.risk.blackout[0] = (struct risk_blackout){ .time = w.now + (int64_t)irand(600) * MIN, .margin = 30 * MIN,
                                                     .label = "event" };
    w.start = w.cfg.balance;
    spsc_init(&w.q, sizeof(struct record), 1 << 12);
    w.e = engine_create(&w.cfg, &w.q);
    w.last[0] = 50 + urand() * 100;
    w.last[1] = 1 + urand() * 10;
    w.last[2] = 0.01 + urand() * 0.05;
    w.peak = w.day_start = w.start;
    w.day = -1;
    for (int i = 0; i < NSYM; i++)
        kline(&w, i);
    for (int seq = 0; seq < SEQS; seq++) {
        int nc = 1 + irand(3), nk = 1 + irand(3);
        for (int i = 0; i < nc; i++)
            command(&w);
        for (int i = 0; i < nk; i++) {
            w.now += urand() < 0.05 ? (int64_t)irand(300) * MIN : (int64_t)irand(40) * 1000;
            kline(&w, irand(NSYM));
        }
    }
    static long acc, rej, fills, checks, lk, dl, cd;
    lk += w.locked_steps;
    dl += w.daily_steps;
    cd += w.cooldown_steps;
    acc += w.accepted;
    rej += w.rejected;
    fills += w.fills;
    checks += w.checks;
    if (idx == ENGINES - 1)
        printf("# %d sequences: %ld orders accepted (%ld checked by the oracle), %ld rejected, %ld fills\n",
               ENGINES * SEQS, acc, checks, rej, fills);
    if (idx == ENGINES - 1) {
        printf("# steps while locked %ld, in a daily-loss stop %ld, in a cooldown %ld\n", lk, dl, cd);
        CHECK(lk > 1000 && dl > 1000 && cd > 1000);   /* every state was exercised */
    }
    engine_destroy(w.e);
    spsc_free(&w.q);
}

static void no_limit_exceeded_and_equity_adds_up(void)
{
    for (int i = 0; i < ENGINES; i++)
        world_run(i);
}

int main(void)
{
    RUN(no_limit_exceeded_and_equity_adds_up);
    HARNESS_EXIT();
}
