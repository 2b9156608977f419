/* The one-pass reader of Bybit kline pushes, without building a tree: a strict
 * JSON scanner that keeps the members a kline needs and declines (returns 0) at
 * the first thing it does not fully understand: an escape or a non-ASCII byte in
 * a string, a nested value other than "data", a duplicate key, a number it
 * cannot convert exactly, a failed check. The tree reader then decides, so the
 * answers are the same; the unit test compares both on mutated pushes. */
#include "bybit_internal.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#define KEYS_MAX 24

struct sc { const char *p, *end; };

struct str { const char *s; size_t n; };

static void ws(struct sc *c)
{
    while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' || *c->p == '\n' || *c->p == '\r'))
        c->p++;
}

static bool eat(struct sc *c, char ch)
{
    ws(c);
    if (c->p < c->end && *c->p == ch) {
        c->p++;
        return true;
    }
    return false;
}

/* A plain string: printable ASCII, no escapes. */
static bool string(struct sc *c, struct str *out)
{
    ws(c);
    if (c->p >= c->end || *c->p != '"')
        return false;
    const char *s = ++c->p;
    while (c->p < c->end) {
        unsigned char ch = (unsigned char)*c->p;
        if (ch == '"') {
            out->s = s;
            out->n = (size_t)(c->p - s);
            c->p++;
            return true;
        }
        if (ch < 0x20 || ch >= 0x80 || ch == '\\')
            return false;
        c->p++;
    }
    return false;
}

static bool is_digit(char ch) { return ch >= '0' && ch <= '9'; }

/* A JSON number; *is_int and *i when it is an integer of at most 18 digits.
 * Reals with an exponent are declined (overflow is the tree reader's call). */
static bool number(struct sc *c, bool *is_int, int64_t *i)
{
    ws(c);
    const char *p = c->p;
    bool neg = p < c->end && *p == '-';
    if (neg)
        p++;
    if (p >= c->end || !is_digit(*p))
        return false;
    int64_t v = 0;
    int digits = 0;
    if (*p == '0') {
        p++;
        digits = 1;
    } else {
        for (; p < c->end && is_digit(*p); p++, digits++)
            if (digits < 18)
                v = v * 10 + (*p - '0');
    }
    bool real = false;
    if (p < c->end && *p == '.') {
        real = true;
        p++;
        if (p >= c->end || !is_digit(*p))
            return false;
        while (p < c->end && is_digit(*p))
            p++;
    }
    if (p < c->end && (*p == 'e' || *p == 'E'))
        return false;
    if (!real && digits > 18)
        return false;
    *is_int = !real;
    *i = neg ? -v : v;
    c->p = p;
    return true;
}

static bool literal(struct sc *c, const char *w, size_t n)
{
    ws(c);
    if ((size_t)(c->end - c->p) < n || memcmp(c->p, w, n) != 0)
        return false;
    c->p += n;
    return true;
}

enum kind { K_STR, K_INT, K_REAL, K_TRUE, K_FALSE, K_NULL };

/* A scalar value; nested values are declined. */
static bool scalar(struct sc *c, enum kind *k, struct str *s, int64_t *i)
{
    ws(c);
    if (c->p >= c->end)
        return false;
    switch (*c->p) {
    case '"': *k = K_STR; return string(c, s);
    case 't': *k = K_TRUE; return literal(c, "true", 4);
    case 'f': *k = K_FALSE; return literal(c, "false", 5);
    case 'n': *k = K_NULL; return literal(c, "null", 4);
    default: {
        bool is_int;
        if (!number(c, &is_int, i))
            return false;
        *k = is_int ? K_INT : K_REAL;
        return true;
    }
    }
}

static const double POW10[] = { 1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
                                1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22 };

/* "123.456" or "-0.5": exact when the significant digits fit in 15 and the scale
 * is a power of ten up to 1e22 (one correctly rounded division, as strtod). */
static bool decimal(const struct str *s, double *out)
{
    const char *p = s->s, *end = s->s + s->n;
    bool neg = p < end && *p == '-';
    if (neg)
        p++;
    if (p >= end || !is_digit(*p))
        return false;
    uint64_t m = 0;
    int sig = 0, frac = 0;
    bool dot = false;
    for (; p < end; p++) {
        if (is_digit(*p)) {
            if (m || *p != '0')
                sig++;
            if (sig > 15)
                return false;
            m = m * 10 + (uint64_t)(*p - '0');
            frac += dot;
        } else if (*p == '.' && !dot && p + 1 < end) {
            dot = true;
        } else {
            return false;
        }
    }
    if (frac > 22)
        return false;
    double v = (double)m / POW10[frac];
    *out = neg ? -v : v;
    return true;
}

static bool str_is(const struct str *s, const char *w)
{
    size_t n = strlen(w);
    return s->n == n && memcmp(s->s, w, n) == 0;
}

/* Keys seen in one object, to decline duplicates. */
struct seen { struct str k[KEYS_MAX]; int n; };

static bool fresh(struct seen *sn, const struct str *k)
{
    for (int i = 0; i < sn->n; i++)
        if (sn->k[i].n == k->n && memcmp(sn->k[i].s, k->s, k->n) == 0)
            return false;
    if (sn->n == KEYS_MAX)
        return false;
    sn->k[sn->n++] = *k;
    return true;
}

enum { F_START, F_END, F_INTERVAL, F_OPEN, F_CLOSE, F_HIGH, F_LOW, F_VOLUME, F_TURNOVER, F_CONFIRM, F_TIMESTAMP,
       F_COUNT };
static const char *const FIELDS[F_COUNT] = { "start", "end", "interval", "open", "close", "high", "low", "volume",
                                             "turnover", "confirm", "timestamp" };

/* The field a key names, or -1: by length and first letter, then the bytes. */
static int field_of(const struct str *k)
{
    static const unsigned char len[F_COUNT] = { 5, 3, 8, 4, 5, 4, 3, 6, 8, 7, 9 };
    for (int j = 0; j < F_COUNT; j++)
        if (k->n == len[j] && k->s[0] == FIELDS[j][0] && memcmp(k->s, FIELDS[j], k->n) == 0)
            return j;
    return -1;
}

struct item {
    unsigned have;                   /* bit per F_* */
    int64_t start, end, timestamp;
    struct str interval;
    double px[4], volume, turnover;  /* open close high low */
    bool confirm;
};

static bool item(struct sc *c, struct item *it)
{
    struct seen sn = { .n = 0 };
    memset(it, 0, sizeof *it);
    if (!eat(c, '{'))
        return false;
    if (eat(c, '}'))
        return true;
    do {
        struct str key, s = { 0 };
        enum kind k;
        int64_t i = 0;
        if (!string(c, &key) || !fresh(&sn, &key) || !eat(c, ':') || !scalar(c, &k, &s, &i))
            return false;
        int f = field_of(&key);
        switch (f) {
        case F_START: case F_END: case F_TIMESTAMP:
            if (k != K_INT)
                return false;
            *(f == F_START ? &it->start : f == F_END ? &it->end : &it->timestamp) = i;
            break;
        case F_INTERVAL:
            if (k != K_STR)
                return false;
            it->interval = s;
            break;
        case F_CONFIRM:
            if (k != K_TRUE && k != K_FALSE)
                return false;
            it->confirm = k == K_TRUE;
            break;
        case F_OPEN: case F_CLOSE: case F_HIGH: case F_LOW: case F_VOLUME: case F_TURNOVER: {
            double *dst = f == F_VOLUME ? &it->volume : f == F_TURNOVER ? &it->turnover : &it->px[f - F_OPEN];
            if (k != K_STR || !decimal(&s, dst))
                return false;
            break;
        }
        default:
            break;
        }
        if (f >= 0)
            it->have |= 1u << f;
    } while (eat(c, ','));
    return eat(c, '}');
}

int bybit_kline_fast(const char *buf, size_t len, struct bybit_msg *out)
{
    if (len > 65536)
        return 0;
    struct sc c = { buf, buf + len };
    struct seen sn = { .n = 0 };
    struct str topic = { 0 };
    bool have_topic = false, have_ts = false, have_data = false;
    int64_t ts = 0;
    struct item items[BYBIT_MSG_KLINES_MAX];
    size_t n_items = 0;
    if (!eat(&c, '{'))
        return 0;
    if (eat(&c, '}'))
        return 0;
    do {
        struct str key;
        if (!string(&c, &key) || !fresh(&sn, &key) || !eat(&c, ':'))
            return 0;
        if (str_is(&key, "data")) {
            if (!eat(&c, '['))
                return 0;
            have_data = true;
            if (eat(&c, ']'))
                return 0;
            do {
                if (n_items == BYBIT_MSG_KLINES_MAX || !item(&c, &items[n_items]))
                    return 0;
                n_items++;
            } while (eat(&c, ','));
            if (!eat(&c, ']'))
                return 0;
            continue;
        }
        struct str s;
        enum kind k;
        int64_t i;
        if (!scalar(&c, &k, &s, &i))
            return 0;
        if (str_is(&key, "topic")) {
            if (k != K_STR)
                return 0;
            topic = s;
            have_topic = true;
        } else if (str_is(&key, "ts")) {
            if (k != K_INT)
                return 0;
            ts = i;
            have_ts = true;
        }
    } while (eat(&c, ','));
    if (!eat(&c, '}'))
        return 0;
    ws(&c);
    if (c.p != c.end || !have_topic || !have_data || topic.n >= sizeof out->topic || topic.n < 6 ||
        memcmp(topic.s, "kline.", 6) != 0)
        return 0;
    /* kline.<interval>.<SYMBOL> */
    const char *iv = topic.s + 6, *tend = topic.s + topic.n;
    const char *dot = memchr(iv, '.', (size_t)(tend - iv));
    if (!dot || dot == iv || dot - iv >= 8)
        return 0;
    char interval[8];
    memcpy(interval, iv, (size_t)(dot - iv));
    interval[dot - iv] = 0;
    int tf = bybit_interval_parse(interval);
    const char *sym = dot + 1;
    size_t sn_len = (size_t)(tend - sym);
    if (tf < 0 || sn_len == 0 || sn_len >= SYMBOL_MAX)
        return 0;
    for (size_t i = 0; i < sn_len; i++)
        if (!((sym[i] >= 'A' && sym[i] <= 'Z') || is_digit(sym[i])))
            return 0;
    const unsigned need = 1u << F_START | 1u << F_END | 1u << F_CONFIRM | 1u << F_OPEN | 1u << F_HIGH |
                          1u << F_LOW | 1u << F_CLOSE | 1u << F_VOLUME;
    int64_t step = tf_ms(tf);
    for (size_t j = 0; j < n_items; j++) {
        const struct item *it = &items[j];
        if ((it->have & need) != need)
            return 0;
        if ((it->have & 1u << F_INTERVAL) && !str_is(&it->interval, interval))
            return 0;
        if (it->start < 0 || tf_floor(tf, it->start) != it->start || it->end != it->start + step - 1)
            return 0;
        struct kline_event *k = &out->klines[j];
        memset(k, 0, sizeof *k);
        k->c.open_time = it->start;
        k->c.open = it->px[0];
        k->c.close = it->px[1];
        k->c.high = it->px[2];
        k->c.low = it->px[3];
        k->c.volume = it->volume;
        k->c.quote_volume = it->have & 1u << F_TURNOVER ? it->turnover : 0;
        if (candle_check(&k->c) != CANDLE_OK)
            return 0;
        memcpy(k->symbol, sym, sn_len);
        k->tf = tf;
        k->closed = it->confirm;
        k->event_time = it->have & 1u << F_TIMESTAMP ? it->timestamp : have_ts && ts ? ts : it->start;
    }
    memcpy(out->topic, topic.s, topic.n);
    out->topic[topic.n] = 0;
    out->ts = have_ts ? ts : 0;
    out->n_klines = n_items;
    out->type = BYBIT_MSG_KLINE;
    return 1;
}
