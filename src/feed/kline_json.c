/* Kline event parsing in one pass over the bytes, without building a tree: the
 * hot path of every live message. It is a strict JSON parser (grammar, escapes,
 * UTF-8, duplicate keys, nesting) that keeps only the members a kline needs and
 * then applies the same decisions as a tree-based reader would; the unit test
 * checks it against jansson on thousands of mutated messages. Binance sends prices
 * and volumes as decimal strings; numbers are accepted too. */
#include "alphapulse/kline_json.h"
#include "alphapulse/symbol_id.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 32
#define MAX_KEYS 64
#define STR_MAX 256

enum vtype { V_NONE, V_STRING, V_INT, V_REAL, V_TRUE, V_FALSE, V_NULL, V_OBJECT, V_ARRAY };

struct val {
    enum vtype type;
    int64_t i;
    double d;
    size_t len;               /* decoded string length (may exceed STR_MAX: then s is cut) */
    char s[STR_MAX];
};

/* The members of a kline object we read. */
enum { K_T, K_S, K_I, K_X, K_O, K_H, K_L, K_C, K_V, K_Q, K_N, K_COUNT };
static const char *const KLINE_KEYS[K_COUNT] = { "t", "s", "i", "x", "o", "h", "l", "c", "v", "q", "n" };

/* An event object: "e", "E", "k". */
struct event_vals {
    struct val e, E;
    enum vtype k_type;
    struct val k[K_COUNT];
};

/* The root: its own event members and those of a combined-stream "data". */
struct root_vals {
    struct event_vals top, data;
    enum vtype data_type;
};

struct parser {
    const char *p, *end;
    int depth;
    char why[96];
};

static int syntax(struct parser *ps, const char *what)
{
    snprintf(ps->why, sizeof ps->why, "bad JSON: %s", what);
    return -1;
}

static void ws(struct parser *ps)
{
    while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r'))
        ps->p++;
}

static void put_utf8(struct val *v, unsigned cp)
{
    char b[4];
    int n;
    if (cp < 0x80) {
        b[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        b[0] = (char)(0xC0 | cp >> 6);
        b[1] = (char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        b[0] = (char)(0xE0 | cp >> 12);
        b[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        b[2] = (char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        b[0] = (char)(0xF0 | cp >> 18);
        b[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        b[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        b[3] = (char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    for (int i = 0; i < n; i++, v->len++)
        if (v->len < STR_MAX - 1)
            v->s[v->len] = b[i];
}

static int hex4(const char *p, unsigned *out)
{
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        char c = p[i];
        v <<= 4;
        if (c >= '0' && c <= '9')
            v |= (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f')
            v |= (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            v |= (unsigned)(c - 'A' + 10);
        else
            return -1;
    }
    *out = v;
    return 0;
}

/* Length of a valid UTF-8 sequence starting at p (first byte >= 0x80), or 0. */
static int utf8_seq(const unsigned char *p, const unsigned char *end)
{
    unsigned c = p[0];
    int n;
    unsigned min;
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2;
        min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        min = 0x10000;
    } else {
        return 0;
    }
    if (end - p < n)
        return 0;
    unsigned cp = c & (0x7F >> n);
    for (int i = 1; i < n; i++) {
        if ((p[i] & 0xC0) != 0x80)
            return 0;
        cp = cp << 6 | (p[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return n;
}

/* A string token; decoded into v when v is not NULL. */
static int string(struct parser *ps, struct val *v)
{
    if (v) {
        v->type = V_STRING;
        v->len = 0;
    }
    ps->p++;                                    /* opening quote */
    while (ps->p < ps->end) {
        unsigned char c = (unsigned char)*ps->p;
        if (c == '"') {
            ps->p++;
            if (v)
                v->s[v->len < STR_MAX ? v->len : STR_MAX - 1] = 0;
            return 0;
        }
        if (c < 0x20)
            return syntax(ps, "control character in a string");
        if (c == '\\') {
            if (ps->end - ps->p < 2)
                return syntax(ps, "truncated escape");
            char e = ps->p[1];
            unsigned cp;
            ps->p += 2;
            switch (e) {
            case '"': cp = '"'; break;
            case '\\': cp = '\\'; break;
            case '/': cp = '/'; break;
            case 'b': cp = '\b'; break;
            case 'f': cp = '\f'; break;
            case 'n': cp = '\n'; break;
            case 'r': cp = '\r'; break;
            case 't': cp = '\t'; break;
            case 'u':
                if (ps->end - ps->p < 4 || hex4(ps->p, &cp))
                    return syntax(ps, "bad \\u escape");
                ps->p += 4;
                if (cp >= 0xD800 && cp <= 0xDBFF) {
                    unsigned lo;
                    if (ps->end - ps->p < 6 || ps->p[0] != '\\' || ps->p[1] != 'u' || hex4(ps->p + 2, &lo) ||
                        lo < 0xDC00 || lo > 0xDFFF)
                        return syntax(ps, "lone surrogate");
                    ps->p += 6;
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
                    return syntax(ps, "lone surrogate");
                }
                if (cp == 0)
                    return syntax(ps, "\\u0000 in a string");
                break;
            default:
                return syntax(ps, "bad escape");
            }
            if (v)
                put_utf8(v, cp);
            continue;
        }
        int n = 1;
        if (c >= 0x80 && !(n = utf8_seq((const unsigned char *)ps->p, (const unsigned char *)ps->end)))
            return syntax(ps, "invalid UTF-8");
        for (int i = 0; i < n; i++, ps->p++)
            if (v) {
                if (v->len < STR_MAX - 1)
                    v->s[v->len] = *ps->p;
                v->len++;
            }
    }
    return syntax(ps, "unterminated string");
}

static const double POW10[] = { 1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
                                1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22 };

/* Exact conversion when the digits fit in 2^53 and the scale is a small power
 * of ten (both exact doubles: one correctly rounded operation); else strtod. */
static int decimal(const char *s, size_t n, double *out)
{
    const char *p = s, *end = s + n;
    bool neg = p < end && *p == '-';
    if (neg || (p < end && *p == '+'))
        p++;
    uint64_t m = 0;
    int digits = 0, frac = 0;
    bool dot = false, simple = p < end;
    for (; p < end; p++) {
        if (*p >= '0' && *p <= '9') {
            if (m || *p != '0')
                digits++;
            m = m * 10 + (uint64_t)(*p - '0');
            frac += dot;
            if (digits > 15)
                simple = false;
        } else if (*p == '.' && !dot) {
            dot = true;
        } else {
            simple = false;
            break;
        }
    }
    if (simple && frac <= 22 && p > s + neg && !(dot && p[-1] == '.' && p - s == 1 + neg)) {
        double v = (double)m / POW10[frac];
        *out = neg ? -v : v;
        return 0;
    }
    char buf[STR_MAX + 1];
    if (n > STR_MAX)
        return -1;
    memcpy(buf, s, n);
    buf[n] = 0;
    if (!n || isspace((unsigned char)buf[0]))
        return -1;
    char *e;
    errno = 0;
    *out = strtod(buf, &e);
    return (*e || errno == ERANGE) ? -1 : 0;
}

static int number(struct parser *ps, struct val *v)
{
    const char *start = ps->p;
    bool real = false;
    if (ps->p < ps->end && *ps->p == '-')
        ps->p++;
    if (ps->p >= ps->end)
        return syntax(ps, "truncated number");
    if (*ps->p == '0') {
        ps->p++;
    } else if (*ps->p >= '1' && *ps->p <= '9') {
        while (ps->p < ps->end && isdigit((unsigned char)*ps->p))
            ps->p++;
    } else {
        return syntax(ps, "invalid token");
    }
    if (ps->p < ps->end && *ps->p == '.') {
        real = true;
        ps->p++;
        if (ps->p >= ps->end || !isdigit((unsigned char)*ps->p))
            return syntax(ps, "invalid number");
        while (ps->p < ps->end && isdigit((unsigned char)*ps->p))
            ps->p++;
    }
    if (ps->p < ps->end && (*ps->p == 'e' || *ps->p == 'E')) {
        real = true;
        ps->p++;
        if (ps->p < ps->end && (*ps->p == '+' || *ps->p == '-'))
            ps->p++;
        if (ps->p >= ps->end || !isdigit((unsigned char)*ps->p))
            return syntax(ps, "invalid number");
        while (ps->p < ps->end && isdigit((unsigned char)*ps->p))
            ps->p++;
    }
    size_t n = (size_t)(ps->p - start);
    char buf[400];
    if (n >= sizeof buf)
        return syntax(ps, "number too long");
    memcpy(buf, start, n);
    buf[n] = 0;
    errno = 0;
    if (!real) {
        long long i = strtoll(buf, NULL, 10);
        if (errno == ERANGE)
            return syntax(ps, "too big integer");
        if (v) {
            v->type = V_INT;
            v->i = i;
            v->d = (double)i;
        }
        return 0;
    }
    double d;
    if (decimal(buf, n, &d) != 0) {
        d = strtod(buf, NULL);
        if (errno == ERANGE && isinf(d))
            return syntax(ps, "real number overflow");
    }
    if (v) {
        v->type = V_REAL;
        v->d = d;
    }
    return 0;
}

static int literal(struct parser *ps, const char *word, enum vtype t, struct val *v)
{
    size_t n = strlen(word);
    if ((size_t)(ps->end - ps->p) < n || memcmp(ps->p, word, n) != 0)
        return syntax(ps, "invalid token");
    ps->p += n;
    if (v)
        v->type = t;
    return 0;
}

enum obj_kind { OBJ_SKIP, OBJ_ROOT, OBJ_EVENT, OBJ_KLINE };

static int value(struct parser *ps, struct val *v, enum obj_kind kind, void *target);

static uint64_t key_hash(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
    return h;
}

/* Where a member goes: a scalar into *dst, or an object parsed as *child. */
static void route(enum obj_kind kind, void *target, const struct val *key, struct val **dst,
                  enum obj_kind *child, void **child_target, enum vtype **type_out)
{
    *dst = NULL;
    *child = OBJ_SKIP;
    *child_target = NULL;
    *type_out = NULL;
    if (kind == OBJ_KLINE) {
        struct val *k = target;
        for (int i = 0; key->len == 1 && i < K_COUNT; i++)
            if (key->s[0] == KLINE_KEYS[i][0])
                *dst = &k[i];
        return;
    }
    if (kind != OBJ_EVENT && kind != OBJ_ROOT)
        return;
    struct root_vals *root = kind == OBJ_ROOT ? target : NULL;
    struct event_vals *ev = root ? &root->top : target;
    if (key->len == 1 && key->s[0] == 'e') {
        *dst = &ev->e;
    } else if (key->len == 1 && key->s[0] == 'E') {
        *dst = &ev->E;
    } else if (key->len == 1 && key->s[0] == 'k') {
        *child = OBJ_KLINE;
        *child_target = ev->k;
        *type_out = &ev->k_type;
    } else if (root && key->len == 4 && memcmp(key->s, "data", 4) == 0) {
        *child = OBJ_EVENT;
        *child_target = &root->data;
        *type_out = &root->data_type;
    }
}

static int object(struct parser *ps, enum obj_kind kind, void *target)
{
    struct { uint64_t h; size_t n; } keys[MAX_KEYS];
    int nkeys = 0;
    ps->p++;
    ws(ps);
    if (ps->p < ps->end && *ps->p == '}') {
        ps->p++;
        return 0;
    }
    for (;;) {
        ws(ps);
        if (ps->p >= ps->end || *ps->p != '"')
            return syntax(ps, "string or '}' expected");
        struct val key;
        if (string(ps, &key))
            return -1;
        uint64_t h = key_hash(key.s, key.len < STR_MAX ? key.len : STR_MAX - 1);
        for (int i = 0; i < nkeys; i++)
            if (keys[i].h == h && keys[i].n == key.len)
                return syntax(ps, "duplicate object key");
        if (nkeys == MAX_KEYS)
            return syntax(ps, "too many keys");
        keys[nkeys].h = h;
        keys[nkeys].n = key.len;
        nkeys++;
        ws(ps);
        if (ps->p >= ps->end || *ps->p != ':')
            return syntax(ps, "':' expected");
        ps->p++;
        struct val *dst, tmp;
        enum obj_kind child;
        void *child_target;
        enum vtype *type_out;
        route(kind, target, &key, &dst, &child, &child_target, &type_out);
        if (child != OBJ_SKIP) {
            if (value(ps, &tmp, child, child_target))
                return -1;
            *type_out = tmp.type;
        } else if (value(ps, dst, OBJ_SKIP, NULL)) {
            return -1;
        }
        ws(ps);
        if (ps->p < ps->end && *ps->p == ',') {
            ps->p++;
            continue;
        }
        if (ps->p < ps->end && *ps->p == '}') {
            ps->p++;
            return 0;
        }
        return syntax(ps, "',' or '}' expected");
    }
}

static int array(struct parser *ps)
{
    ps->p++;
    ws(ps);
    if (ps->p < ps->end && *ps->p == ']') {
        ps->p++;
        return 0;
    }
    for (;;) {
        if (value(ps, NULL, OBJ_SKIP, NULL))
            return -1;
        ws(ps);
        if (ps->p < ps->end && *ps->p == ',') {
            ps->p++;
            continue;
        }
        if (ps->p < ps->end && *ps->p == ']') {
            ps->p++;
            return 0;
        }
        return syntax(ps, "',' or ']' expected");
    }
}

static int value(struct parser *ps, struct val *v, enum obj_kind kind, void *target)
{
    ws(ps);
    if (ps->p >= ps->end)
        return syntax(ps, "unexpected end of input");
    int rc;
    switch (*ps->p) {
    case '{':
        if (++ps->depth > MAX_DEPTH)
            return syntax(ps, "maximum parsing depth reached");
        rc = object(ps, kind, target);
        ps->depth--;
        if (v)
            v->type = V_OBJECT;
        return rc;
    case '[':
        if (++ps->depth > MAX_DEPTH)
            return syntax(ps, "maximum parsing depth reached");
        rc = array(ps);
        ps->depth--;
        if (v)
            v->type = V_ARRAY;
        return rc;
    case '"': return string(ps, v);
    case 't': return literal(ps, "true", V_TRUE, v);
    case 'f': return literal(ps, "false", V_FALSE, v);
    case 'n': return literal(ps, "null", V_NULL, v);
    default: return number(ps, v);
    }
}

/* ---- the decisions, as a tree-based reader makes them ---------------------- */

static int fail(int code, char *why, size_t why_len, const char *fmt, const char *arg)
{
    if (why && why_len)
        snprintf(why, why_len, fmt, arg);
    return code;
}

static int get_decimal(const struct val *v, double *out)
{
    if (v->type == V_STRING)
        return v->len >= STR_MAX ? -1 : decimal(v->s, v->len, out);
    if (v->type == V_INT || v->type == V_REAL) {
        *out = v->d;
        return 0;
    }
    return -1;
}

static bool is_str(const struct val *v) { return v->type == V_STRING; }

int kline_json_parse(const char *buf, size_t len, struct kline_event *out, char *why, size_t why_len)
{
    if (len > KLINE_JSON_MAX_BYTES)
        return fail(KLINE_JSON_SYNTAX, why, why_len, "message too large (%s)", "> 64 KiB");
    struct parser ps = { .p = buf, .end = buf + len };
    struct root_vals r;
    r.top.e.type = r.top.E.type = r.top.k_type = V_NONE;
    r.data.e.type = r.data.E.type = r.data.k_type = V_NONE;
    r.data_type = V_NONE;
    for (int i = 0; i < K_COUNT; i++)
        r.top.k[i].type = r.data.k[i].type = V_NONE;
    ws(&ps);
    if (ps.p >= ps.end || (*ps.p != '{' && *ps.p != '['))
        return fail(KLINE_JSON_SYNTAX, why, why_len, "bad JSON: %s", "'[' or '{' expected");
    struct val root;
    if (value(&ps, &root, OBJ_ROOT, &r))
        return fail(KLINE_JSON_SYNTAX, why, why_len, "%s", ps.why);
    ws(&ps);
    if (ps.p != ps.end)
        return fail(KLINE_JSON_SYNTAX, why, why_len, "bad JSON: %s", "end of file expected");
    if (root.type != V_OBJECT)
        return fail(KLINE_JSON_NOT_KLINE, why, why_len, "%s", "not a kline event");
    const struct event_vals *ev = r.data_type == V_OBJECT ? &r.data : &r.top;
    if (!is_str(&ev->e) || strcmp(ev->e.s, "kline") != 0 || ev->e.len != 5 || ev->k_type != V_OBJECT)
        return fail(KLINE_JSON_NOT_KLINE, why, why_len, "%s", "not a kline event");
    const struct val *k = ev->k;
    memset(out, 0, sizeof *out);
    const char *missing = NULL;
    if (!is_str(&k[K_S]) || k[K_S].len == 0 || k[K_S].len > SYMBOL_ID_EXCHANGE_MAX || memchr(k[K_S].s, 0, k[K_S].len))
        missing = "k.s (symbol)";
    else if (!is_str(&k[K_I]) || k[K_I].len >= STR_MAX || tf_parse(k[K_I].s) < 0 || strlen(k[K_I].s) != k[K_I].len)
        missing = "k.i (interval)";
    else if (k[K_X].type != V_TRUE && k[K_X].type != V_FALSE)
        missing = "k.x (closed flag)";
    else if (k[K_T].type != V_INT)
        missing = "k.t (open time)";
    else if (get_decimal(&k[K_O], &out->c.open))
        missing = "k.o (open)";
    else if (get_decimal(&k[K_H], &out->c.high))
        missing = "k.h (high)";
    else if (get_decimal(&k[K_L], &out->c.low))
        missing = "k.l (low)";
    else if (get_decimal(&k[K_C], &out->c.close))
        missing = "k.c (close)";
    else if (get_decimal(&k[K_V], &out->c.volume))
        missing = "k.v (volume)";
    if (missing)
        return fail(KLINE_JSON_FIELD, why, why_len, "missing or wrong type: %s", missing);
    out->c.open_time = k[K_T].i;
    if (get_decimal(&k[K_Q], &out->c.quote_volume))
        out->c.quote_volume = 0;
    out->c.trades = k[K_N].type == V_INT ? k[K_N].i : 0;
    out->event_time = ev->E.type == V_INT ? ev->E.i : out->c.open_time;
    for (size_t i = 0; i < k[K_S].len; i++)
        out->symbol[i] = (char)toupper((unsigned char)k[K_S].s[i]);
    out->tf = tf_parse(k[K_I].s);
    out->closed = k[K_X].type == V_TRUE;
    enum candle_rule rule = candle_check(&out->c);
    if (rule != CANDLE_OK)
        return fail(KLINE_JSON_VALUE, why, why_len, "invalid candle: %s", candle_rule_name(rule));
    return KLINE_JSON_OK;
}

/* Shortest of "%.8f" (Binance's usual) and "%.17g" that reads back exactly. */
static void fmt_decimal(char *dst, size_t n, double v)
{
    snprintf(dst, n, "%.8f", v);
    if (strtod(dst, NULL) != v)
        snprintf(dst, n, "%.17g", v);
}

int kline_json_format(const struct kline_event *ev, char *buf, size_t len)
{
    char o[40], h[40], l[40], c[40], v[40], q[40], sym[SYMBOL_MAX];
    const struct candle *k = &ev->c;
    fmt_decimal(o, sizeof o, k->open);
    fmt_decimal(h, sizeof h, k->high);
    fmt_decimal(l, sizeof l, k->low);
    fmt_decimal(c, sizeof c, k->close);
    fmt_decimal(v, sizeof v, k->volume);
    fmt_decimal(q, sizeof q, k->quote_volume);
    size_t i = 0;
    for (; ev->symbol[i] && i + 1 < sizeof sym; i++)
        sym[i] = (char)tolower((unsigned char)ev->symbol[i]);
    sym[i] = 0;
    const char *tf = tf_name(ev->tf);
    int w = snprintf(buf, len,
        "{\"stream\":\"%s@kline_%s\",\"data\":{\"e\":\"kline\",\"E\":%lld,\"s\":\"%s\","
        "\"k\":{\"t\":%lld,\"T\":%lld,\"s\":\"%s\",\"i\":\"%s\",\"f\":0,\"L\":0,"
        "\"o\":\"%s\",\"c\":\"%s\",\"h\":\"%s\",\"l\":\"%s\",\"v\":\"%s\",\"n\":%lld,"
        "\"x\":%s,\"q\":\"%s\",\"V\":\"0\",\"Q\":\"0\",\"B\":\"0\"}}}",
        sym, tf, (long long)ev->event_time, ev->symbol,
        (long long)k->open_time, (long long)(k->open_time + tf_ms(ev->tf) - 1), ev->symbol, tf,
        o, c, h, l, v, (long long)k->trades, ev->closed ? "true" : "false", q);
    return (w < 0 || (size_t)w >= len) ? -1 : w;
}

const char *kline_json_error_name(int err)
{
    switch (err) {
    case KLINE_JSON_OK: return "ok";
    case KLINE_JSON_SYNTAX: return "syntax";
    case KLINE_JSON_NOT_KLINE: return "not-kline";
    case KLINE_JSON_FIELD: return "field";
    case KLINE_JSON_VALUE: return "value";
    default: return "?";
    }
}
