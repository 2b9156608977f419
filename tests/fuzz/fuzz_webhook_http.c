/* libFuzzer target for the inbound HTTP request reader and the answer it leads
 * to: the first input byte picks how the rest is split into reads (as a socket
 * would deliver it, byte by byte up to whole), the rest is the byte stream, often
 * several pipelined requests. Whatever the bytes and the split: no crash, leak
 * or undefined behaviour; at most one request is consumed and nothing after it;
 * the outcome is the same as when the stream arrives in one read; the answer is
 * one of the statuses the server knows. `make fuzz-http` builds and runs it. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "alphapulse/webhook.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool known_status(int st)
{
    static const int known[] = { 0, 200, 400, 401, 404, 405, 411, 413, 431 };
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        if (st == known[i])
            return true;
    return false;
}

/* Feeds the stream in pieces; returns the bytes consumed in total. */
static size_t feed_split(struct webhook_request *r, const uint8_t *p, size_t n, unsigned seed)
{
    size_t used = 0, off = 0;
    while (off < n) {
        size_t piece = seed == 0 ? n - off : 1 + (seed * (off + 7) % 97) % (seed < 8 ? seed : 4096);
        if (piece > n - off)
            piece = n - off;
        /* an exact-size heap copy so a read one byte too far is caught */
        uint8_t *chunk = malloc(piece);
        if (!chunk)
            abort();
        memcpy(chunk, p + off, piece);
        int before = r->status;
        size_t u = webhook_request_feed(r, chunk, piece);
        free(chunk);
        if (u > piece || (before && u != 0))
            abort();                  /* consumed too much, or read on after deciding */
        if (u < piece && !r->status)
            abort();                  /* stopped early without a verdict */
        used += u;
        off += piece;
    }
    return used;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > 3 * (WEBHOOK_HEAD_MAX + WEBHOOK_BODY_MAX))
        return 0;
    unsigned seed = data[0];
    const uint8_t *stream = data + 1;
    size_t n = size - 1;
    static struct webhook_request a, b;
    webhook_request_init(&a);
    webhook_request_init(&b);
    size_t used_a = feed_split(&a, stream, n, seed);
    size_t used_b = feed_split(&b, stream, n, 0);
    if (!known_status(a.status) || a.status != b.status || used_a != used_b)
        abort();                      /* the split changed the outcome */
    if (a.status == 200 && (a.body_len != a.want || a.body_len == 0 || a.body_len > WEBHOOK_BODY_MAX ||
                            a.body[a.body_len] != 0 || strcmp(a.token, b.token) != 0 ||
                            memcmp(a.body, b.body, a.body_len) != 0))
        abort();
    if (a.status == 0 && used_a != n)
        abort();                      /* still reading, yet bytes were left */
    if (a.head_len > WEBHOOK_HEAD_MAX || strlen(a.token) >= sizeof a.token || !memchr(a.why, 0, sizeof a.why))
        abort();
    static struct webhook_signal sig;
    char why[200];
    int st = webhook_request_answer(&a, "tok-9f2c61d0b7e34a58", &sig, why, sizeof why);
    if (a.status == 200 ? (st != 202 && st != 400 && st != 401) : st != a.status)
        abort();
    if (st == 202 && (!webhook_token_equal(a.has_token ? a.token : sig.token, "tok-9f2c61d0b7e34a58") ||
                      (sig.side != 1 && sig.side != -1)))
        abort();
    if (!memchr(why, 0, sizeof why))
        abort();
    return 0;
}
