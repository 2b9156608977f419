/* The fake exchange's order books and trades (see fake_depth.h). */
#include "fake_depth.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alphapulse/book.h"

#define MAXS 64
#define TICK 1000000LL               /* 0.01, as the fake's exchangeInfo says */
#define GRID 50                      /* levels every 50 ticks (0.50) ... */
#define SPAN 30                      /* ... at most 30 of them either side of the price */

static struct {
    int n;
    char sym[MAXS][16], lower[MAXS][16];
    struct book *truth[MAXS], *stale[MAXS];
    uint64_t id[MAXS], stale_id[MAXS], trade_id[MAXS];
    unsigned seed[MAXS];
    int skip, stale_n, cross;
    bool paused;
} D;

static unsigned rnd(int k) { D.seed[k] = D.seed[k] * 1103515245u + 12345u; return (D.seed[k] >> 8) & 0xffffff; }

void fake_depth_init(int nsym, const char (*sym)[16], const char (*lower)[16])
{
    D.n = nsym < MAXS ? nsym : MAXS;
    for (int k = 0; k < D.n; k++) {
        memcpy(D.sym[k], sym[k], 16);
        memcpy(D.lower[k], lower[k], 16);
        D.truth[k] = malloc(sizeof(struct book));
        D.stale[k] = malloc(sizeof(struct book));
        book_init(D.truth[k], TICK);
        D.id[k] = 1000000 + (uint64_t)k * 7;
        D.trade_id[k] = 500000;
        D.seed[k] = 17u + (unsigned)k;
    }
}

uint64_t fake_depth_id(int k) { return D.id[k]; }

struct sb { char *b; size_t len, cap; };

static void add(struct sb *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#include <stdarg.h>
static void add(struct sb *s, const char *fmt, ...)
{
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        size_t room = s->cap - s->len;
        int n = vsnprintf(s->b ? s->b + s->len : NULL, s->b ? room : 0, fmt, ap);
        va_end(ap);
        if (s->b && (size_t)n < room) {
            s->len += (size_t)n;
            return;
        }
        size_t cap = s->cap ? s->cap * 2 : 4096;
        while (cap < s->len + (size_t)n + 1)
            cap *= 2;
        s->b = realloc(s->b, cap);
        s->cap = cap;
    }
}

/* Binance's form: 8 decimals */
static void fx8(int64_t v, char *buf, size_t n)
{
    snprintf(buf, n, "%lld.%08lld", (long long)(v / BOOK_SCALE), (long long)(v % BOOK_SCALE));
}

static void levels(struct sb *s, const struct book_level *lv, size_t n, bool binance)
{
    add(s, "[");
    for (size_t i = 0; i < n; i++) {
        char p[40], q[40];
        if (binance) {
            fx8(lv[i].px, p, sizeof p);
            fx8(lv[i].qty, q, sizeof q);
        } else {
            book_fmt_fixed(lv[i].px, p, sizeof p);
            book_fmt_fixed(lv[i].qty, q, sizeof q);
        }
        add(s, "%s[\"%s\",\"%s\"]", i ? "," : "", p, q);
    }
    add(s, "]");
}

void fake_depth_step(int k, double close, const struct candle *closed, fake_depth_emit emit)
{
    if (k >= D.n)
        return;
    char p[40], q[40];
    if (closed) {                     /* four trades: open, high, low, close; they sum to the volume */
        int64_t vol = llround(closed->volume * (double)BOOK_SCALE), part = vol / 4 / 1000 * 1000;
        double px[4] = { closed->open, closed->high, closed->low, closed->close };
        for (int i = 0; i < 4; i++) {
            int64_t qty = i < 3 ? part : vol - 3 * part;
            char msg[512];
            fx8(llround(px[i] * (double)BOOK_SCALE), p, sizeof p);
            fx8(qty, q, sizeof q);
            int64_t t = closed->open_time + 10000 * (i + 1);
            uint64_t a = ++D.trade_id[k];
            int n = snprintf(msg, sizeof msg,
                             "{\"stream\":\"%s@aggTrade\",\"data\":{\"e\":\"aggTrade\",\"E\":%lld,\"s\":\"%s\",\"a\":%llu,"
                             "\"p\":\"%s\",\"q\":\"%s\",\"f\":%llu,\"l\":%llu,\"T\":%lld,\"m\":%s,\"M\":true}}",
                             D.lower[k], (long long)t, D.sym[k], (unsigned long long)a, p, q, (unsigned long long)a,
                             (unsigned long long)a, (long long)t, i % 2 ? "true" : "false");
            emit(k, true, msg, (size_t)n);
        }
    }
    if (D.paused)
        return;
    struct book *b = D.truth[k];
    int64_t mid = llround(close * 100.0) / GRID;   /* in grid steps */
    struct book_level ch[2][BOOK_LEVELS_MAX];
    int nc[2] = { 0, 0 };
    /* levels on the wrong side of the price or too far from it go */
    static struct book_level all[BOOK_LEVELS_MAX];
    for (int s = 0; s < 2; s++) {
        size_t n = book_top(b, s, all, BOOK_LEVELS_MAX);
        for (size_t i = 0; i < n; i++) {
            int64_t t = all[i].px / (TICK * GRID);
            bool wrong = s == BOOK_BID ? t >= mid : t <= mid;
            if (wrong || llabs(t - mid) > SPAN)
                ch[s][nc[s]++] = (struct book_level){ all[i].px, 0 };
        }
    }
    /* the grid near the price filled where empty, a few sizes changed */
    for (int s = 0; s < 2; s++)
        for (int64_t j = 1; j <= SPAN; j++) {
            int64_t px = (s == BOOK_BID ? mid - j : mid + j) * GRID * TICK;
            if (book_qty(b, s, px) == 0 || rnd(k) % 8 == 0)
                ch[s][nc[s]++] = (struct book_level){ px, (1 + (int64_t)(rnd(k) % 5000)) * 1000 };
        }
    for (int s = 0; s < 2; s++)
        for (int j = 0; j < nc[s]; j++)
            book_set(b, s, ch[s][j].px, ch[s][j].qty);
    uint64_t first = D.id[k] + 1;
    D.id[k] += 1 + rnd(k) % 3;
    struct sb m = { 0 };
    add(&m, "{\"stream\":\"%s@depth@100ms\",\"data\":{\"e\":\"depthUpdate\",\"E\":%lld,\"s\":\"%s\",\"U\":%llu,\"u\":%llu,"
        "\"b\":", D.lower[k], (long long)(closed ? closed->open_time + 60000 : 0), D.sym[k],
        (unsigned long long)first, (unsigned long long)D.id[k]);
    levels(&m, ch[0], (size_t)nc[0], true);
    add(&m, ",\"a\":");
    levels(&m, ch[1], (size_t)nc[1], true);
    add(&m, "}}");
    if (D.skip > 0)
        D.skip--;                     /* applied to the truth, never sent: a gap */
    else
        emit(k, false, m.b, m.len);
    free(m.b);
    if (D.cross > 0) {                /* a bid above the best ask; the truth ignores it, the ids move on */
        D.cross--;
        struct book_level ask;
        if (book_best(b, BOOK_ASK, &ask)) {
            char msg[512];
            fx8(ask.px + TICK, p, sizeof p);
            uint64_t id = ++D.id[k];
            int n = snprintf(msg, sizeof msg,
                             "{\"stream\":\"%s@depth@100ms\",\"data\":{\"e\":\"depthUpdate\",\"E\":0,\"s\":\"%s\","
                             "\"U\":%llu,\"u\":%llu,\"b\":[[\"%s\",\"1.00000000\"]],\"a\":[]}}",
                             D.lower[k], D.sym[k], (unsigned long long)id, (unsigned long long)id, p);
            emit(k, false, msg, (size_t)n);
        }
    }
}

static char *book_json(int k, const struct book *b, uint64_t id, int limit, bool binance, size_t *len)
{
    static struct book_level lv[BOOK_LEVELS_MAX];
    struct sb s = { 0 };
    if (binance)
        add(&s, "{\"lastUpdateId\":%llu,\"bids\":", (unsigned long long)id);
    else
        add(&s, "{\"symbol\":\"%s\",\"last_update_id\":%llu,\"bids\":", D.sym[k], (unsigned long long)id);
    size_t lim = limit > 0 && limit < BOOK_LEVELS_MAX ? (size_t)limit : BOOK_LEVELS_MAX;
    levels(&s, lv, book_top(b, BOOK_BID, lv, lim), binance);
    add(&s, ",\"asks\":");
    levels(&s, lv, book_top(b, BOOK_ASK, lv, lim), binance);
    add(&s, "}");
    *len = s.len;
    return s.b;
}

char *fake_depth_snapshot(int k, int limit, size_t *len)
{
    if (D.stale_n > 0) {
        D.stale_n--;
        return book_json(k, D.stale[k], D.stale_id[k], limit, true, len);
    }
    return book_json(k, D.truth[k], D.id[k], limit, true, len);
}

char *fake_depth_truth(int k, int levels_n, size_t *len)
{
    return book_json(k, D.truth[k], D.id[k], levels_n, false, len);
}

bool fake_depth_control(const char *action, long n)
{
    if (strcmp(action, "depth_skip") == 0)
        D.skip = (int)n;
    else if (strcmp(action, "depth_stale") == 0) {
        D.stale_n = (int)n;
        for (int k = 0; k < D.n; k++) {
            memcpy(D.stale[k], D.truth[k], sizeof(struct book));
            D.stale_id[k] = D.id[k];
        }
    } else if (strcmp(action, "depth_cross") == 0)
        D.cross = (int)n;
    else if (strcmp(action, "depth_pause") == 0)
        D.paused = true;
    else if (strcmp(action, "depth_resume") == 0)
        D.paused = false;
    else
        return false;
    return true;
}
