/* The engine driven headless over the bundled demo data, through the same
 * message formatter and parser as the live path, with the demo's synthetic order
 * book and trades (sim_book.h) before each candle update, and scripted paper
 * orders (and amends of working ones):
 * two runs must produce the same records and final state, byte for byte, and
 * the account must add up. */
#include <stdarg.h>
#include <stdlib.h>

#include "harness.h"
#include "alphapulse/engine.h"
#include "alphapulse/engine_depth.h"
#include "alphapulse/kline_json.h"
#include "alphapulse/record.h"
#include "alphapulse/replay.h"
#include "alphapulse/sim_book.h"

struct outbuf { char *p; size_t len, cap; };

static void out_printf(struct outbuf *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void out_printf(struct outbuf *o, const char *fmt, ...)
{
    va_list ap;
    for (;;) {
        va_start(ap, fmt);
        int n = vsnprintf(o->p + o->len, o->cap - o->len, fmt, ap);
        va_end(ap);
        if ((size_t)n < o->cap - o->len) {
            o->len += (size_t)n;
            return;
        }
        o->cap = o->cap * 2 + (size_t)n + 1;
        o->p = realloc(o->p, o->cap);
    }
}

struct totals { double realized, fees, qty[INSTRUMENTS_MAX]; int fills, exits, amends; };

static void drain(struct engine *e, struct spsc *q, struct outbuf *o, struct totals *t)
{
    struct record r;
    while (spsc_pop(q, &r)) {
        switch (r.type) {
        case REC_CANDLE:
            out_printf(o, "C %s %d %lld %a %a %a %a %a\n", r.symbol, r.tf, (long long)r.u.candle.open_time,
                       r.u.candle.open, r.u.candle.high, r.u.candle.low, r.u.candle.close, r.u.candle.volume);
            break;
        case REC_FILL: {
            const struct record_fill *f = &r.u.fill;
            out_printf(o, "F %lld %s %llu %d %a %a %a %a %a\n", (long long)r.time, r.symbol,
                       (unsigned long long)f->id, f->side, f->qty, f->price, f->fee, f->realized, f->balance);
            t->realized += f->realized;
            t->fees += f->fee;
            t->qty[engine_symbol(e, r.symbol)] += f->side * f->qty;
            t->fills++;
            break;
        }
        case REC_JOURNAL:
            out_printf(o, "J %lld %s %s %s\n", (long long)r.time, r.u.text.kind, r.symbol, r.u.text.text);
            t->exits += strstr(r.u.text.text, "(stop-loss)") || strstr(r.u.text.text, "(tp1)") ||
                        strstr(r.u.text.text, "(tp2)");
            t->amends += strstr(r.u.text.text, " amended ") != NULL;
            break;
        default:
            out_printf(o, "R %d %llu %lld %s\n", r.type, (unsigned long long)r.seq, (long long)r.time, r.symbol);
            break;
        }
    }
}

static bool step(void *e, const struct engine_event *ev)
{
    engine_step(e, ev);
    return true;
}

/* each symbol's book top and newest trade at the end */
static void books_out(const struct engine *e, const struct instrument *inst, int n, struct outbuf *o)
{
    for (int i = 0; i < n; i++) {
        const struct depth_sync *ds = engine_depth(e, inst[i].symbol);
        const struct book *b = ds ? depth_sync_book(ds) : NULL;
        const struct tape *tp = engine_tape(e, inst[i].symbol);
        const struct tape_trade *t = tp ? tape_get(tp, 0) : NULL;
        struct book_level bid = { 0, 0 }, ask = { 0, 0 };
        CHECK_MSG(b && t && book_best(b, BOOK_BID, &bid) && book_best(b, BOOK_ASK, &ask), "%s: no book", inst[i].symbol);
        out_printf(o, "BOOK %s %lld %lld %lld %lld %llu %lld %lld\n", inst[i].symbol, (long long)bid.px,
                   (long long)bid.qty, (long long)ask.px, (long long)ask.qty, t ? (unsigned long long)t->id : 0,
                   t ? (long long)t->px : 0, t ? (long long)t->qty : 0);
    }
}

static struct outbuf run_once(struct totals *t, double *balance, double start)
{
    char err[256];
    struct replay *rp = replay_open("data/demo.json", err, sizeof err);
    struct outbuf o = { malloc(1 << 20), 0, 1 << 20 };
    memset(t, 0, sizeof *t);
    if (!rp) {
        printf("# %s\n", err);
        return o;
    }
    struct engine_config cfg;
    struct instrument inst[INSTRUMENTS_MAX] = { 0 };
    engine_config_defaults(&cfg);
    cfg.inst = inst;
    cfg.n_symbols = replay_symbols(rp, inst, INSTRUMENTS_MAX);
    cfg.balance = start;
    struct spsc q;
    spsc_init(&q, sizeof(struct record), 1 << 12);
    struct engine *e = engine_create(&cfg, &q);
    struct sim_book *sb = sim_book_create(inst, cfg.n_symbols, SIM_BOOK_SEED);
    char msg[1024], why[128];
    int round_end;
    long n = 0, len;
    while ((len = replay_next(rp, msg, sizeof msg, &round_end)) > 0 && n < 120000) {
        struct engine_event ev = { .type = EE_KLINE };
        if (kline_json_parse(msg, (size_t)len, &ev.u.k, why, sizeof why) == KLINE_JSON_OK) {
            sim_book_on_kline(sb, &ev.u.k, step, e);
            engine_step(e, &ev);
        }
        if (++n % 997 == 0) {            /* scripted trading: buy, sell, close, across symbols */
            struct engine_event c = { .type = EE_COMMAND };
            int k = (int)(n / 997);
            c.u.cmd.type = k % 3 == 2 ? CMD_CLOSE : CMD_MARKET_ORDER;
            c.u.cmd.side = k % 3 == 0 ? 1 : -1;
            snprintf(c.u.cmd.symbol, SYMBOL_MAX, "%s", inst[k % cfg.n_symbols].symbol);
            if (k % 7 == 3) {            /* a limit entry with a bracket, sized by risk, every so often */
                int s = k % cfg.n_symbols;
                double px = engine_portfolio(e)->sym[s].last;
                c.u.cmd.type = CMD_ORDER;
                c.u.cmd.order_type = ORDER_LIMIT;
                c.u.cmd.price = px * (1 - c.u.cmd.side * 0.001);
                c.u.cmd.stop_loss = px * (1 - c.u.cmd.side * 0.01);
                c.u.cmd.tp[0] = px * (1 + c.u.cmd.side * 0.005);
                c.u.cmd.tp[1] = px * (1 + c.u.cmd.side * 0.01);
                c.u.cmd.size_method = SIZE_RISK;
                c.u.cmd.size = 0.0005;     /* 0.05 % at a 1 % stop: 5 % notional */
            }
            engine_step(e, &c);
        } else if (n % 997 == 499) {      /* amend the newest working order: nearer the market, a new size */
            const struct broker *b = engine_broker(e);
            const struct broker_order *w = NULL;
            for (int i = 0; i < BROKER_MAX_ORDERS; i++)
                if (b->ord[i].active && b->ord[i].type != ORDER_MARKET && (!w || b->ord[i].id > w->id))
                    w = &b->ord[i];
            if (w) {
                struct engine_event c = { .type = EE_COMMAND };
                c.u.cmd.type = CMD_MODIFY;
                c.u.cmd.order_id = w->id;
                c.u.cmd.price = w->price * (1 + w->side * 0.0005);
                c.u.cmd.qty = w->qty * 0.8;
                snprintf(c.u.cmd.symbol, SYMBOL_MAX, "%s", inst[w->sym].symbol);
                engine_step(e, &c);
            }
        }
        drain(e, &q, &o, t);
    }
    struct snapshot *s = calloc(1, sizeof *s);
    engine_snapshot(e, 0, TF_1M, s);
    out_printf(&o, "END events=%llu fills=%llu rejected=%llu balance=%a equity=%a\n",
               (unsigned long long)s->events, (unsigned long long)s->fills,
               (unsigned long long)s->rejected, s->balance, s->equity);
    for (int i = 0; i < s->n_symbols; i++)
        out_printf(&o, "POS %s %a %a %a\n", s->symbols[i].name, s->symbols[i].pos_qty,
                   s->symbols[i].pos_avg, s->symbols[i].last);
    books_out(e, inst, cfg.n_symbols, &o);
    for (int i = 0; i < s->n_symbols; i++)
        CHECK_MSG(fabs(s->symbols[i].pos_qty - t->qty[i]) <= 1e-9 * fmax(1, fabs(t->qty[i])),
                  "%s: position %.17g != sum of fills %.17g", s->symbols[i].name, s->symbols[i].pos_qty, t->qty[i]);
    *balance = s->balance;
    snapshot_free(s);
    sim_book_free(sb);
    engine_destroy(e);
    spsc_free(&q);
    replay_close(rp);
    return o;
}

static void same_events_same_bytes(void)
{
    struct totals t1, t2;
    double b1, b2;
    struct outbuf a = run_once(&t1, &b1, 10000), b = run_once(&t2, &b2, 10000);
    printf("# %zu bytes of records, %d fills, %d of them by a stop-loss or target\n", a.len, t1.fills, t1.exits);
    CHECK(t1.exits > 0);
    printf("# %d working orders amended\n", t1.amends);
    CHECK(t1.amends > 0);
    CHECK(a.len > 100000);
    CHECK(t1.fills >= 50);
    CHECK(a.len == b.len && memcmp(a.p, b.p, a.len) == 0);
    /* the account adds up: balance = start + realised - fees */
    CHECK_NEAR(b1, 10000 + t1.realized - t1.fees, 1e-9);
    CHECK(t1.fees > 0);
    free(a.p);
    free(b.p);
}

int main(void)
{
    RUN(same_events_same_bytes);
    HARNESS_EXIT();
}
