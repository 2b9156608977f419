/* One inbound HTTP/1.1 request, read from any split of the byte stream, and the
 * answer it earns. Pure (no I/O, no globals) so the fuzzer and the unit tests
 * drive exactly what the server runs. It reads one request and stops: bytes
 * after it are never consumed, because the server answers once and closes. */
#include "alphapulse/webhook.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static void refuse(struct webhook_request *r, int status, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void refuse(struct webhook_request *r, int status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->why, sizeof r->why, fmt, ap);
    va_end(ap);
    r->status = status;
}

void webhook_request_init(struct webhook_request *r)
{
    r->status = 0;
    r->why[0] = 0;
    r->head_len = r->body_len = r->want = 0;
    r->in_body = r->has_token = false;
    r->token[0] = 0;
    r->head[0] = r->body[0] = 0;
}

/* RFC 9110 token characters (header names, methods). */
static bool tchar(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || strchr("!#$%&'*+-.^_`|~", c);
}

static bool name_is(const char *name, size_t len, const char *want)
{
    return strlen(want) == len && strncasecmp(name, want, len) == 0;
}

/* Content-Length: digits only (no sign, no spaces inside, no list). */
static void content_length(struct webhook_request *r, const char *v, size_t vl, bool *seen)
{
    if (*seen) {
        refuse(r, 400, "more than one Content-Length header");
        return;
    }
    *seen = true;
    if (vl == 0) {
        refuse(r, 400, "bad Content-Length: empty");
        return;
    }
    size_t n = 0;
    for (size_t i = 0; i < vl; i++) {
        if (v[i] < '0' || v[i] > '9') {
            refuse(r, 400, "bad Content-Length: expected digits");
            return;
        }
        if (n <= WEBHOOK_BODY_MAX)
            n = n * 10 + (size_t)(v[i] - '0');
    }
    r->want = n;
}

/* Request line and headers, NUL-terminated in r->head. Sets status on refusal. */
static void parse_head(struct webhook_request *r)
{
    char *line = r->head;
    char *eol = strchr(line, '\n');
    size_t ll = (size_t)(eol - line);
    if (ll && line[ll - 1] == '\r')
        ll--;
    /* METHOD SP TARGET SP HTTP/1.x */
    size_t m = 0;
    while (m < ll && tchar((unsigned char)line[m]))
        m++;
    const char *target = line + m + 1;
    const char *sp2 = m && m < ll && line[m] == ' ' ? memchr(target, ' ', ll - m - 1) : NULL;
    if (!sp2 || sp2 == target || (size_t)(line + ll - (sp2 + 1)) != 8 ||
        (strncmp(sp2 + 1, "HTTP/1.1", 8) != 0 && strncmp(sp2 + 1, "HTTP/1.0", 8) != 0)) {
        refuse(r, 400, "malformed request line; expected \"POST /webhook HTTP/1.1\"");
        return;
    }
    for (const char *p = target; p < sp2; p++)
        if ((unsigned char)*p <= 0x20 || *p == 0x7f) {
            refuse(r, 400, "malformed request target");
            return;
        }
    size_t path_len = (size_t)(sp2 - target);
    const char *q = memchr(target, '?', path_len);
    if (q)
        path_len = (size_t)(q - target);
    bool right_path = path_len == 8 && memcmp(target, "/webhook", 8) == 0;
    bool post = m == 4 && memcmp(line, "POST", 4) == 0;

    bool cl_seen = false, te_seen = false;
    for (line = eol + 1; *line; line = eol + 1) {
        eol = strchr(line, '\n');
        ll = (size_t)(eol - line);
        if (ll && line[ll - 1] == '\r')
            ll--;
        if (ll == 0)
            break;                              /* the blank line ending the head */
        if (line[0] == ' ' || line[0] == '\t') {
            refuse(r, 400, "folded header line (obsolete line folding is not accepted)");
            return;
        }
        size_t nl = 0;
        while (nl < ll && tchar((unsigned char)line[nl]))
            nl++;
        if (nl == 0 || nl == ll || line[nl] != ':') {
            refuse(r, 400, "malformed header line; expected \"Name: value\"");
            return;
        }
        const char *v = line + nl + 1, *ve = line + ll;
        for (const char *p = v; p < ve; p++)
            if (((unsigned char)*p < 0x20 && *p != '\t') || *p == 0x7f) {
                refuse(r, 400, "control character in header \"%.*s\"", (int)(nl > 40 ? 40 : nl), line);
                return;
            }
        while (v < ve && (*v == ' ' || *v == '\t'))
            v++;
        while (ve > v && (ve[-1] == ' ' || ve[-1] == '\t'))
            ve--;
        size_t vl = (size_t)(ve - v);
        if (name_is(line, nl, "content-length")) {
            content_length(r, v, vl, &cl_seen);
        } else if (name_is(line, nl, "transfer-encoding")) {
            te_seen = true;
        } else if (name_is(line, nl, "x-alphapulse-token")) {
            /* a token header that cannot be the token refuses the request: the
             * body's token is never used in its place */
            if (r->has_token)
                refuse(r, 400, "more than one X-AlphaPulse-Token header");
            else if (vl == 0)
                refuse(r, 401, "empty X-AlphaPulse-Token header");
            else if (vl >= sizeof r->token)
                refuse(r, 401, "X-AlphaPulse-Token header over %zu characters", sizeof r->token - 1);
            r->has_token = true;
            if (!r->status) {
                memcpy(r->token, v, vl);
                r->token[vl] = 0;
            }
        }
        if (r->status)
            return;
    }
    if (!right_path)
        refuse(r, 404, "not found; alerts go to POST /webhook");
    else if (!post)
        refuse(r, 405, "method not allowed; use POST");
    else if (te_seen && cl_seen)
        refuse(r, 400, "Transfer-Encoding together with Content-Length is refused");
    else if (te_seen)
        refuse(r, 411, "Content-Length required (Transfer-Encoding bodies are not accepted)");
    else if (!cl_seen)
        refuse(r, 411, "Content-Length required");
    else if (r->want > WEBHOOK_BODY_MAX)
        refuse(r, 413, "body over %d bytes", WEBHOOK_BODY_MAX);
    else if (r->want == 0)
        refuse(r, 400, "empty body");
    else
        r->in_body = true;
}

/* Index just past the blank line ending the head, or 0 if not there yet. The
 * scan restarts a few bytes back so an end split across reads is found. */
static size_t head_end(const char *h, size_t from, size_t len)
{
    for (size_t i = from; i < len; i++) {
        if (h[i] != '\n')
            continue;
        if (i + 1 < len && h[i + 1] == '\n')
            return i + 2;
        if (i + 2 < len && h[i + 1] == '\r' && h[i + 2] == '\n')
            return i + 3;
    }
    return 0;
}

size_t webhook_request_feed(struct webhook_request *r, const void *data, size_t len)
{
    const char *in = data;
    size_t used = 0;
    if (r->status || !len)
        return 0;
    if (!r->in_body) {
        size_t old = r->head_len, room = WEBHOOK_HEAD_MAX - old, take = len < room ? len : room;
        memcpy(r->head + old, in, take);
        r->head_len = old + take;
        r->head[r->head_len] = 0;
        size_t end = head_end(r->head, old > 2 ? old - 2 : 0, r->head_len);
        if (!end) {
            if (r->head_len == WEBHOOK_HEAD_MAX)
                refuse(r, 431, "request line and headers over %d bytes", WEBHOOK_HEAD_MAX);
            return take;
        }
        used = end - old;
        r->head_len = end;
        r->head[end] = 0;
        if (memchr(r->head, 0, end))
            refuse(r, 400, "NUL byte in the request head");
        else
            parse_head(r);
        if (r->status)
            return used;
    }
    size_t take = r->want - r->body_len < len - used ? r->want - r->body_len : len - used;
    memcpy(r->body + r->body_len, in + used, take);
    r->body_len += take;
    r->body[r->body_len] = 0;
    used += take;
    if (r->body_len == r->want)
        r->status = 200;
    return used;
}

int webhook_request_answer(const struct webhook_request *r, const char *token, struct webhook_signal *sig, char *why,
                           size_t why_len)
{
    memset(sig, 0, sizeof *sig);
    if (r->status != 200) {
        snprintf(why, why_len, "%s", r->status ? r->why : "request not complete");
        return r->status;
    }
    if (webhook_parse_body(r->body, r->body_len, sig, why, why_len))
        return 400;
    const char *given = r->has_token ? r->token : sig->token;
    if (!webhook_token_equal(given, token)) {
        snprintf(why, why_len, "%s", given[0] ? "wrong token" : "missing token");
        return 401;
    }
    return 202;
}
