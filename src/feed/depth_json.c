/* A single-pass scanner for the three depth messages: keys are matched as they
 * come, unknown members skipped, numbers and decimal strings converted in place. */
#include "alphapulse/depth_json.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

const char *depth_json_error_name(int err)
{
    switch (err) {
    case DEPTH_JSON_OK: return "ok";
    case DEPTH_JSON_SYNTAX: return "syntax";
    case DEPTH_JSON_OTHER: return "other message";
    case DEPTH_JSON_FIELD: return "field";
    case DEPTH_JSON_TOO_MANY: return "too many levels";
    case DEPTH_JSON_VENUE: return "venue error";
    }
    return "?";
}

struct scan { const char *p, *end; char *why; size_t why_len; };

static int fail(struct scan *s, int err, const char *fmt, ...)
{
    if (s->why && s->why_len) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(s->why, s->why_len, fmt, ap);
        va_end(ap);
    }
    return err;
}

static void ws(struct scan *s)
{
    while (s->p < s->end && (*s->p == ' ' || *s->p == '\n' || *s->p == '\r' || *s->p == '\t'))
        s->p++;
}

static bool lit(struct scan *s, char c)
{
    ws(s);
    if (s->p < s->end && *s->p == c) {
        s->p++;
        return true;
    }
    return false;
}

/* a string's raw text (escapes left as they are) */
static bool str(struct scan *s, const char **out, size_t *n)
{
    if (!lit(s, '"'))
        return false;
    const char *b = s->p;
    while (s->p < s->end && *s->p != '"') {
        if (*s->p == '\\')
            s->p++;
        s->p++;
    }
    if (s->p >= s->end)
        return false;
    *out = b;
    *n = (size_t)(s->p - b);
    s->p++;
    return true;
}

static bool u64(struct scan *s, uint64_t *out)
{
    ws(s);
    uint64_t v = 0;
    const char *b = s->p;
    while (s->p < s->end && *s->p >= '0' && *s->p <= '9') {
        if (v > (UINT64_MAX - 9) / 10)
            return false;
        v = v * 10 + (uint64_t)(*s->p++ - '0');
    }
    if (s->p == b || (s->p < s->end && (*s->p == '.' || *s->p == 'e' || *s->p == 'E')))
        return false;
    *out = v;
    return true;
}

static bool fixed(struct scan *s, int64_t *out)
{
    const char *b;
    size_t n;
    return str(s, &b, &n) && book_parse_fixed(b, n, out) == 0;
}

static bool boolean(struct scan *s, bool *out)
{
    ws(s);
    if (s->end - s->p >= 4 && memcmp(s->p, "true", 4) == 0) {
        s->p += 4;
        *out = true;
        return true;
    }
    if (s->end - s->p >= 5 && memcmp(s->p, "false", 5) == 0) {
        s->p += 5;
        *out = false;
        return true;
    }
    return false;
}

/* any value, nested at most 32 deep */
static bool skip(struct scan *s, int depth)
{
    ws(s);
    if (s->p >= s->end || depth > 32)
        return false;
    char c = *s->p;
    if (c == '"') {
        const char *b;
        size_t n;
        return str(s, &b, &n);
    }
    if (c == '{' || c == '[') {
        char close = c == '{' ? '}' : ']';
        s->p++;
        if (lit(s, close))
            return true;
        do {
            if (c == '{') {
                const char *b;
                size_t n;
                if (!str(s, &b, &n) || !lit(s, ':'))
                    return false;
            }
            if (!skip(s, depth + 1))
                return false;
        } while (lit(s, ','));
        return lit(s, close);
    }
    const char *b = s->p;
    while (s->p < s->end && (strchr("0123456789+-.eE", *s->p) || (*s->p >= 'a' && *s->p <= 'z')))
        s->p++;
    return s->p > b;
}

static bool key_is(const char *k, size_t n, const char *want)
{
    return strlen(want) == n && memcmp(k, want, n) == 0;
}

/* [["p","q"],...] appended to lv at *used (cap in all) */
static int levels(struct scan *s, struct book_level *lv, size_t cap, size_t *used)
{
    if (!lit(s, '['))
        return fail(s, DEPTH_JSON_FIELD, "levels: not an array");
    if (lit(s, ']'))
        return DEPTH_JSON_OK;
    do {
        int64_t px, qty;
        if (!lit(s, '[') || !fixed(s, &px) || !lit(s, ',') || !fixed(s, &qty))
            return fail(s, DEPTH_JSON_FIELD, "level: not [\"price\", \"qty\"]");
        while (lit(s, ','))            /* futures books add fields after qty */
            if (!skip(s, 1))
                return fail(s, DEPTH_JSON_SYNTAX, "level: bad value");
        if (!lit(s, ']'))
            return fail(s, DEPTH_JSON_SYNTAX, "level: no ]");
        if (*used >= cap)
            return fail(s, DEPTH_JSON_TOO_MANY, "more than %zu levels", cap);
        lv[(*used)++] = (struct book_level){ px, qty };
    } while (lit(s, ','));
    return lit(s, ']') ? DEPTH_JSON_OK : fail(s, DEPTH_JSON_SYNTAX, "levels: no ]");
}

/* reverses lv[a..b) */
static void reverse(struct book_level *lv, size_t a, size_t b)
{
    while (a + 1 < b) {
        struct book_level t = lv[a];
        lv[a++] = lv[--b];
        lv[b] = t;
    }
}

static bool symbol_copy(struct scan *s, char symbol[SYMBOL_MAX])
{
    const char *b;
    size_t n;
    if (!str(s, &b, &n) || n == 0 || n >= SYMBOL_MAX)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = b[i];
        symbol[i] = c >= 'a' && c <= 'z' ? (char)(c - 32) : c;
    }
    symbol[n] = 0;
    return true;
}

enum { F_E = 1, F_S = 2, F_FIRST = 4, F_LAST = 8, F_B = 16, F_A = 32, F_P = 64, F_Q = 128, F_T = 256 };

/* the members of a depthUpdate object; s is just after its '{' */
static int update_members(struct scan *s, char symbol[SYMBOL_MAX], struct depth_update *out,
                          struct book_level *lv, size_t cap)
{
    unsigned have = 0;
    size_t used = 0;
    bool asks_first = false;
    uint32_t nfirst = 0;
    if (lit(s, '}'))
        return fail(s, DEPTH_JSON_OTHER, "empty object");
    do {
        const char *k, *v;
        size_t kn, vn;
        if (!str(s, &k, &kn) || !lit(s, ':'))
            return fail(s, DEPTH_JSON_SYNTAX, "bad member");
        int r = DEPTH_JSON_OK;
        if (key_is(k, kn, "e")) {
            if (!str(s, &v, &vn))
                return fail(s, DEPTH_JSON_FIELD, "e: not a string");
            if (!key_is(v, vn, "depthUpdate"))
                return fail(s, DEPTH_JSON_OTHER, "not a depthUpdate");
            have |= F_E;
        } else if (key_is(k, kn, "E")) {
            uint64_t t;
            if (!u64(s, &t))
                return fail(s, DEPTH_JSON_FIELD, "E: not an integer");
            out->event_time = (int64_t)t;
        } else if (key_is(k, kn, "s")) {
            if (!symbol_copy(s, symbol))
                return fail(s, DEPTH_JSON_FIELD, "s: not a symbol");
            have |= F_S;
        } else if (key_is(k, kn, "U")) {
            if (!u64(s, &out->first_id))
                return fail(s, DEPTH_JSON_FIELD, "U: not an integer");
            have |= F_FIRST;
        } else if (key_is(k, kn, "u")) {
            if (!u64(s, &out->last_id))
                return fail(s, DEPTH_JSON_FIELD, "u: not an integer");
            have |= F_LAST;
        } else if (key_is(k, kn, "b") || key_is(k, kn, "a")) {
            bool bid = k[0] == 'b';
            unsigned bit = bid ? F_B : F_A;
            if (have & bit)
                return fail(s, DEPTH_JSON_FIELD, "%c twice", k[0]);
            if (!(have & (F_A | F_B))) {
                asks_first = !bid;
            }
            size_t before = used;
            r = levels(s, lv, cap, &used);
            if (!(have & (F_A | F_B)))
                nfirst = (uint32_t)(used - before);
            have |= bit;
            if (bid)
                out->nb = (uint32_t)(used - before);
            else
                out->na = (uint32_t)(used - before);
        } else if (!skip(s, 1)) {
            return fail(s, DEPTH_JSON_SYNTAX, "bad value");
        }
        if (r != DEPTH_JSON_OK)
            return r;
    } while (lit(s, ','));
    if (!lit(s, '}'))
        return fail(s, DEPTH_JSON_SYNTAX, "no }");
    if (!(have & F_E))
        return fail(s, DEPTH_JSON_OTHER, "no event type");
    if ((have & (F_S | F_FIRST | F_LAST | F_A | F_B)) != (F_S | F_FIRST | F_LAST | F_A | F_B))
        return fail(s, DEPTH_JSON_FIELD, "missing s, U, u, b or a");
    if (out->first_id > out->last_id)
        return fail(s, DEPTH_JSON_FIELD, "U > u");
    if (asks_first) {                  /* bids first in lv: rotate */
        reverse(lv, 0, nfirst);
        reverse(lv, nfirst, used);
        reverse(lv, 0, used);
    }
    out->lv = lv;
    return DEPTH_JSON_OK;
}

/* Walks to the event object: the combined wrapper's "data" or the text itself. */
static int open_event(struct scan *s)
{
    if (!lit(s, '{'))
        return fail(s, DEPTH_JSON_SYNTAX, "not an object");
    const char *save = s->p;
    const char *k;
    size_t kn;
    if (!str(s, &k, &kn) || !lit(s, ':'))
        return fail(s, DEPTH_JSON_SYNTAX, "bad member");
    if (key_is(k, kn, "stream")) {
        if (!skip(s, 1) || !lit(s, ','))
            return fail(s, DEPTH_JSON_SYNTAX, "bad wrapper");
        if (!str(s, &k, &kn) || !key_is(k, kn, "data") || !lit(s, ':') || !lit(s, '{'))
            return fail(s, DEPTH_JSON_OTHER, "wrapper without data");
        return 1;                      /* inside data; the wrapper's } follows */
    }
    s->p = save;
    return 0;
}

int depth_json_update(const char *buf, size_t len, char symbol[SYMBOL_MAX], struct depth_update *out,
                      struct book_level *lv, size_t cap, char *why, size_t why_len)
{
    struct scan s = { buf, buf + len, why, why_len };
    memset(out, 0, sizeof *out);
    int wrapped = open_event(&s);
    if (wrapped < 0)
        return wrapped;
    int r = update_members(&s, symbol, out, lv, cap);
    if (r == DEPTH_JSON_OK && wrapped && !lit(&s, '}'))
        return fail(&s, DEPTH_JSON_SYNTAX, "wrapper: no }");
    return r;
}

int depth_json_snapshot(const char *buf, size_t len, struct depth_update *out,
                        struct book_level *lv, size_t cap, char *why, size_t why_len)
{
    struct scan s = { buf, buf + len, why, why_len };
    memset(out, 0, sizeof *out);
    if (!lit(&s, '{'))
        return fail(&s, DEPTH_JSON_SYNTAX, "not an object");
    unsigned have = 0;
    size_t used = 0;
    struct book_level *asks_at = NULL;
    int64_t code = 0;
    char msg[160] = "";
    bool venue = false;
    size_t nbids = 0, nasks = 0;
    /* bids and asks may come in either order: asks are parsed to the end of lv
     * after the bids, or moved there */
    if (!lit(&s, '}')) {
        do {
            const char *k, *v;
            size_t kn, vn;
            if (!str(&s, &k, &kn) || !lit(&s, ':'))
                return fail(&s, DEPTH_JSON_SYNTAX, "bad member");
            int r = DEPTH_JSON_OK;
            if (key_is(k, kn, "lastUpdateId")) {
                if (!u64(&s, &out->last_id))
                    return fail(&s, DEPTH_JSON_FIELD, "lastUpdateId: not an integer");
                have |= F_LAST;
            } else if (key_is(k, kn, "bids") || key_is(k, kn, "asks")) {
                bool bid = k[0] == 'b';
                if (have & (bid ? F_B : F_A))
                    return fail(&s, DEPTH_JSON_FIELD, "%.*s twice", (int)kn, k);
                size_t before = used;
                r = levels(&s, lv, cap, &used);
                if (bid) {
                    nbids = used - before;
                    if (asks_at) {             /* asks came first: bids to the front */
                        reverse(lv, 0, nasks);
                        reverse(lv, nasks, used);
                        reverse(lv, 0, used);
                    }
                } else {
                    nasks = used - before;
                    asks_at = lv + before;
                }
                have |= bid ? F_B : F_A;
            } else if (key_is(k, kn, "code")) {
                ws(&s);
                bool neg = lit(&s, '-');
                uint64_t c;
                if (!u64(&s, &c))
                    return fail(&s, DEPTH_JSON_FIELD, "code: not an integer");
                code = neg ? -(int64_t)c : (int64_t)c;
                venue = true;
            } else if (key_is(k, kn, "msg")) {
                if (!str(&s, &v, &vn))
                    return fail(&s, DEPTH_JSON_FIELD, "msg: not a string");
                snprintf(msg, sizeof msg, "%.*s", (int)vn, v);
                venue = true;
            } else if (!skip(&s, 1)) {
                return fail(&s, DEPTH_JSON_SYNTAX, "bad value");
            }
            if (r != DEPTH_JSON_OK)
                return r;
        } while (lit(&s, ','));
        if (!lit(&s, '}'))
            return fail(&s, DEPTH_JSON_SYNTAX, "no }");
    }
    if (venue)
        return fail(&s, DEPTH_JSON_VENUE, "%s (code %lld)", msg[0] ? msg : "venue error", (long long)code);
    if ((have & (F_LAST | F_A | F_B)) != (F_LAST | F_A | F_B))
        return fail(&s, DEPTH_JSON_FIELD, "missing lastUpdateId, bids or asks");
    out->first_id = out->last_id;
    out->nb = (uint32_t)nbids;
    out->na = (uint32_t)nasks;
    out->lv = lv;
    return DEPTH_JSON_OK;
}

int depth_json_agg_trade(const char *buf, size_t len, char symbol[SYMBOL_MAX], struct tape_trade *out,
                         char *why, size_t why_len)
{
    struct scan s = { buf, buf + len, why, why_len };
    memset(out, 0, sizeof *out);
    int wrapped = open_event(&s);
    if (wrapped < 0)
        return wrapped;
    unsigned have = 0;
    if (lit(&s, '}'))
        return fail(&s, DEPTH_JSON_OTHER, "empty object");
    do {
        const char *k, *v;
        size_t kn, vn;
        if (!str(&s, &k, &kn) || !lit(&s, ':'))
            return fail(&s, DEPTH_JSON_SYNTAX, "bad member");
        if (key_is(k, kn, "e")) {
            if (!str(&s, &v, &vn))
                return fail(&s, DEPTH_JSON_FIELD, "e: not a string");
            if (!key_is(v, vn, "aggTrade"))
                return fail(&s, DEPTH_JSON_OTHER, "not an aggTrade");
            have |= F_E;
        } else if (key_is(k, kn, "s")) {
            if (!symbol_copy(&s, symbol))
                return fail(&s, DEPTH_JSON_FIELD, "s: not a symbol");
            have |= F_S;
        } else if (key_is(k, kn, "a")) {
            if (!u64(&s, &out->id))
                return fail(&s, DEPTH_JSON_FIELD, "a: not an integer");
            have |= F_FIRST;
        } else if (key_is(k, kn, "p")) {
            if (!fixed(&s, &out->px))
                return fail(&s, DEPTH_JSON_FIELD, "p: not a decimal");
            have |= F_P;
        } else if (key_is(k, kn, "q")) {
            if (!fixed(&s, &out->qty))
                return fail(&s, DEPTH_JSON_FIELD, "q: not a decimal");
            have |= F_Q;
        } else if (key_is(k, kn, "T")) {
            uint64_t t;
            if (!u64(&s, &t))
                return fail(&s, DEPTH_JSON_FIELD, "T: not an integer");
            out->time_ms = (int64_t)t;
            have |= F_T;
        } else if (key_is(k, kn, "m")) {
            if (!boolean(&s, &out->buyer_maker))
                return fail(&s, DEPTH_JSON_FIELD, "m: not a boolean");
        } else if (!skip(&s, 1)) {
            return fail(&s, DEPTH_JSON_SYNTAX, "bad value");
        }
    } while (lit(&s, ','));
    if (!lit(&s, '}') || (wrapped && !lit(&s, '}')))
        return fail(&s, DEPTH_JSON_SYNTAX, "no }");
    if (!(have & F_E))
        return fail(&s, DEPTH_JSON_OTHER, "no event type");
    unsigned need = F_S | F_FIRST | F_P | F_Q | F_T;
    if ((have & need) != need)
        return fail(&s, DEPTH_JSON_FIELD, "missing s, a, p, q or T");
    if (out->px <= 0 || out->qty < 0)
        return fail(&s, DEPTH_JSON_FIELD, "price or quantity out of range");
    return DEPTH_JSON_OK;
}
