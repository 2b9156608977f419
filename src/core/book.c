/* Order book sides as AVL trees over a fixed node pool. A side's key is the price
 * for asks and minus the price for bids, so on both sides the smallest key is the
 * best level and the largest the worst. */
#include "alphapulse/book.h"

#include <stdio.h>
#include <string.h>

#define NIL (-1)

static void tree_init(struct book_tree *t)
{
    t->root = NIL;
    t->free_head = NIL;
    t->n = 0;
    t->next_unused = 0;
}

static int32_t height(const struct book_tree *t, int32_t i) { return i == NIL ? 0 : t->node[i].height; }

static void fix_height(struct book_tree *t, int32_t i)
{
    int32_t l = height(t, t->node[i].left), r = height(t, t->node[i].right);
    t->node[i].height = 1 + (l > r ? l : r);
}

static int32_t rot_right(struct book_tree *t, int32_t i)
{
    int32_t l = t->node[i].left;
    t->node[i].left = t->node[l].right;
    t->node[l].right = i;
    fix_height(t, i);
    fix_height(t, l);
    return l;
}

static int32_t rot_left(struct book_tree *t, int32_t i)
{
    int32_t r = t->node[i].right;
    t->node[i].right = t->node[r].left;
    t->node[r].left = i;
    fix_height(t, i);
    fix_height(t, r);
    return r;
}

static int32_t balance(struct book_tree *t, int32_t i)
{
    fix_height(t, i);
    int32_t bf = height(t, t->node[i].left) - height(t, t->node[i].right);
    if (bf > 1) {
        int32_t l = t->node[i].left;
        if (height(t, t->node[l].left) < height(t, t->node[l].right))
            t->node[i].left = rot_left(t, l);
        return rot_right(t, i);
    }
    if (bf < -1) {
        int32_t r = t->node[i].right;
        if (height(t, t->node[r].right) < height(t, t->node[r].left))
            t->node[i].right = rot_right(t, r);
        return rot_left(t, i);
    }
    return i;
}

static int32_t node_alloc(struct book_tree *t, int64_t key, int64_t qty)
{
    int32_t i;
    if (t->free_head != NIL) {
        i = t->free_head;
        t->free_head = t->node[i].left;
    } else {
        i = t->next_unused++;
    }
    t->node[i] = (struct book_node){ key, qty, NIL, NIL, 1 };
    t->n++;
    return i;
}

static void node_free(struct book_tree *t, int32_t i)
{
    t->node[i].left = t->free_head;
    t->free_head = i;
    t->n--;
}

/* the node is known to be absent and a slot free */
static int32_t insert(struct book_tree *t, int32_t i, int64_t key, int64_t qty)
{
    if (i == NIL)
        return node_alloc(t, key, qty);
    if (key < t->node[i].key)
        t->node[i].left = insert(t, t->node[i].left, key, qty);
    else
        t->node[i].right = insert(t, t->node[i].right, key, qty);
    return balance(t, i);
}

/* detaches the smallest node of the subtree i into *min */
static int32_t detach_min(struct book_tree *t, int32_t i, int32_t *min)
{
    if (t->node[i].left == NIL) {
        *min = i;
        return t->node[i].right;
    }
    t->node[i].left = detach_min(t, t->node[i].left, min);
    return balance(t, i);
}

static int32_t erase(struct book_tree *t, int32_t i, int64_t key)
{
    if (i == NIL)
        return NIL;
    if (key < t->node[i].key) {
        t->node[i].left = erase(t, t->node[i].left, key);
    } else if (key > t->node[i].key) {
        t->node[i].right = erase(t, t->node[i].right, key);
    } else {
        int32_t l = t->node[i].left, r = t->node[i].right;
        node_free(t, i);
        if (r == NIL)
            return l;
        int32_t m;
        r = detach_min(t, r, &m);
        t->node[m].left = l;
        t->node[m].right = r;
        return balance(t, m);
    }
    return balance(t, i);
}

static int32_t find(const struct book_tree *t, int64_t key)
{
    int32_t i = t->root;
    while (i != NIL && t->node[i].key != key)
        i = key < t->node[i].key ? t->node[i].left : t->node[i].right;
    return i;
}

static int32_t extreme(const struct book_tree *t, bool max)
{
    int32_t i = t->root;
    if (i == NIL)
        return NIL;
    for (;;) {
        int32_t c = max ? t->node[i].right : t->node[i].left;
        if (c == NIL)
            return i;
        i = c;
    }
}

void book_init(struct book *b, int64_t tick)
{
    tree_init(&b->side[0]);
    tree_init(&b->side[1]);
    b->tick = tick;
    b->truncated = 0;
}

void book_clear(struct book *b)
{
    book_init(b, b->tick);
}

static int64_t key_of(int side, int64_t px) { return side == BOOK_BID ? -px : px; }
static int64_t px_of(int side, int64_t key) { return side == BOOK_BID ? -key : key; }

int book_set(struct book *b, int side, int64_t px, int64_t qty)
{
    if (px <= 0)
        return BOOK_BAD_PRICE;
    if (qty < 0)
        return BOOK_NEG_QTY;
    if (b->tick > 0 && px % b->tick != 0)
        return BOOK_OFF_TICK;
    struct book_tree *t = &b->side[side & 1];
    int64_t key = key_of(side, px);
    int32_t i = find(t, key);
    if (i != NIL) {
        if (qty == 0)
            t->root = erase(t, t->root, key);
        else
            t->node[i].qty = qty;
        return BOOK_OK;
    }
    if (qty == 0)
        return BOOK_OK;
    if (t->n >= BOOK_LEVELS_MAX) {
        int32_t w = extreme(t, true);
        b->truncated++;
        if (key > t->node[w].key)
            return BOOK_OK;            /* worse than the worst kept: beyond the depth */
        t->root = erase(t, t->root, t->node[w].key);
    }
    t->root = insert(t, t->root, key, qty);
    return BOOK_OK;
}

int64_t book_qty(const struct book *b, int side, int64_t px)
{
    const struct book_tree *t = &b->side[side & 1];
    int32_t i = find(t, key_of(side, px));
    return i == NIL ? 0 : t->node[i].qty;
}

size_t book_levels(const struct book *b, int side) { return (size_t)b->side[side & 1].n; }

bool book_best(const struct book *b, int side, struct book_level *out)
{
    const struct book_tree *t = &b->side[side & 1];
    int32_t i = extreme(t, false);
    if (i == NIL)
        return false;
    out->px = px_of(side, t->node[i].key);
    out->qty = t->node[i].qty;
    return true;
}

/* in-order walk of a side, best first */
struct walk { const struct book_tree *t; int32_t stack[64]; int sp; int32_t i; };

static void walk_init(struct walk *w, const struct book_tree *t)
{
    w->t = t;
    w->sp = 0;
    w->i = t->root;
}

static int32_t walk_next(struct walk *w)
{
    while (w->i != NIL) {
        w->stack[w->sp++] = w->i;
        w->i = w->t->node[w->i].left;
    }
    if (w->sp == 0)
        return NIL;
    int32_t i = w->stack[--w->sp];
    w->i = w->t->node[i].right;
    return i;
}

size_t book_top(const struct book *b, int side, struct book_level *out, size_t n)
{
    struct walk w;
    walk_init(&w, &b->side[side & 1]);
    size_t k = 0;
    int32_t i;
    while (k < n && (i = walk_next(&w)) != NIL) {
        out[k].px = px_of(side, w.t->node[i].key);
        out[k].qty = w.t->node[i].qty;
        k++;
    }
    return k;
}

bool book_crossed(const struct book *b)
{
    struct book_level bid, ask;
    return book_best(b, BOOK_BID, &bid) && book_best(b, BOOK_ASK, &ask) && bid.px >= ask.px;
}

bool book_equal(const struct book *a, const struct book *b)
{
    for (int s = 0; s < 2; s++) {
        if (a->side[s].n != b->side[s].n)
            return false;
        struct walk wa, wb;
        walk_init(&wa, &a->side[s]);
        walk_init(&wb, &b->side[s]);
        int32_t i, j;
        while ((i = walk_next(&wa)) != NIL) {
            j = walk_next(&wb);
            if (j == NIL || wa.t->node[i].key != wb.t->node[j].key || wa.t->node[i].qty != wb.t->node[j].qty)
                return false;
        }
    }
    return true;
}

int book_parse_fixed(const char *s, size_t len, int64_t *out)
{
    size_t i = 0;
    bool neg = false;
    if (i < len && s[i] == '-') {
        neg = true;
        i++;
    }
    int64_t ip = 0, fp = 0;
    int digits = 0, decimals = 0;
    for (; i < len && s[i] >= '0' && s[i] <= '9'; i++, digits++) {
        if (ip > (INT64_MAX / BOOK_SCALE) / 10)
            return -1;
        ip = ip * 10 + (s[i] - '0');
    }
    if (i < len && s[i] == '.') {
        for (i++; i < len && s[i] >= '0' && s[i] <= '9'; i++, decimals++) {
            if (decimals < 8)
                fp = fp * 10 + (s[i] - '0');
            else if (s[i] != '0')
                return -1;             /* finer than 1e-8 */
        }
        if (decimals == 0)
            return -1;
    }
    if (i != len || digits == 0)
        return -1;
    for (int d = decimals < 8 ? decimals : 8; d < 8; d++)
        fp *= 10;
    int64_t v = ip * BOOK_SCALE + fp;
    *out = neg ? -v : v;
    return 0;
}

void book_fmt_fixed(int64_t v, char *buf, size_t n)
{
    uint64_t a = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    char frac[9];
    snprintf(frac, sizeof frac, "%08llu", (unsigned long long)(a % BOOK_SCALE));
    int e = 8;
    while (e > 0 && frac[e - 1] == '0')
        e--;
    frac[e] = 0;
    snprintf(buf, n, "%s%llu%s%s", v < 0 ? "-" : "", (unsigned long long)(a / BOOK_SCALE), e ? "." : "", frac);
}

void book_walk(const struct book *b, bool buy, int64_t qty, struct book_walk *out)
{
    memset(out, 0, sizeof *out);
    struct walk w;
    int side = buy ? BOOK_ASK : BOOK_BID;
    walk_init(&w, &b->side[side]);
    int32_t i;
    while (out->filled < qty && (i = walk_next(&w)) != NIL)
        book_walk_level(out, qty, px_of(side, w.t->node[i].key), w.t->node[i].qty);
    book_walk_end(out);
}

bool book_walk_level(struct book_walk *w, int64_t qty, int64_t px, int64_t level_qty)
{
    int64_t take = level_qty < qty - w->filled ? level_qty : qty - w->filled;
    if (take > 0) {
        w->filled += take;
        w->notional += book_to_double(px) * book_to_double(take);
        w->worst_px = px;
        w->levels++;
    }
    return w->filled < qty;
}

void book_walk_end(struct book_walk *w)
{
    w->vwap = w->filled > 0 ? w->notional / book_to_double(w->filled) : 0;
}

double book_walk_slippage_bps(const struct book *b, bool buy, const struct book_walk *w)
{
    struct book_level best;
    if (w->filled <= 0 || !book_best(b, buy ? BOOK_ASK : BOOK_BID, &best))
        return 0;
    double bp = book_to_double(best.px);
    return (buy ? w->vwap - bp : bp - w->vwap) / bp * 1e4;
}
