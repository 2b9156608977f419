/* Bybit REST client: one easy handle per client (keep-alive), the stop flag
 * watched during transfers, and the host's rate-limit state (see bybit_rest.h).
 * What a reply means is bybit_parse's business; this file moves bytes. */
#include "alphapulse/bybit_rest.h"

#include <curl/curl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "alphapulse/clock.h"
#include "alphapulse/log.h"

#define BODY_MAX (16u << 20)

static int fail(struct bybit_error *e, int kind, char *why, size_t n, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static int fail(struct bybit_error *e, int kind, char *why, size_t n, const char *fmt, ...)
{
    if (e)
        *e = (struct bybit_error){ .kind = kind };
    if (why && n) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(why, n, fmt, ap);
        va_end(ap);
    }
    return -1;
}

static size_t on_body(char *p, size_t sz, size_t nm, void *ud)
{
    struct bybit_rest *r = ud;
    size_t n = sz * nm;
    if (r->len + n + 1 > BODY_MAX)
        return 0;
    if (r->len + n + 1 > r->cap) {
        size_t cap = r->cap ? r->cap : 65536;
        while (cap < r->len + n + 1)
            cap *= 2;
        char *b = realloc(r->body, cap);
        if (!b)
            return 0;
        r->body = b;
        r->cap = cap;
    }
    memcpy(r->body + r->len, p, n);
    r->len += n;
    r->body[r->len] = 0;
    return n;
}

static size_t on_header(char *p, size_t sz, size_t nm, void *ud)
{
    struct bybit_rest *r = ud;
    size_t n = sz * nm;
    static const char name[] = "x-bapi-limit-reset-timestamp:";
    if (n > sizeof name - 1 && strncasecmp(p, name, sizeof name - 1) == 0)
        r->reset_wall_ms = strtoll(p + sizeof name - 1, NULL, 10);
    return n;
}

static int on_progress(void *ud, curl_off_t a, curl_off_t b, curl_off_t c, curl_off_t d)
{
    (void)a; (void)b; (void)c; (void)d;
    struct bybit_rest *r = ud;
    return r->stop && atomic_load(r->stop);
}

int bybit_rest_init(struct bybit_rest *r, const char *base_url, int category, const char *ca_file, atomic_bool *stop,
                    char *err, size_t err_len)
{
    memset(r, 0, sizeof *r);
    size_t n = strlen(base_url);
    while (n && base_url[n - 1] == '/')
        n--;
    if (n == 0 || n >= sizeof r->base ||
        (strncmp(base_url, "https://", 8) != 0 && strncmp(base_url, "http://", 7) != 0))
        return fail(NULL, 0, err, err_len, "venues.bybit.rest_url %s: expected http://HOST[:PORT] or https://HOST[:PORT]",
                    base_url);
    memcpy(r->base, base_url, n);
    r->category = category;
    r->stop = stop;
    r->ban_ms = BYBIT_RATE_BAN_MS;
    CURL *c = r->curl = curl_easy_init();
    if (!c)
        return fail(NULL, 0, err, err_len, "cannot initialise libcurl");
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, r);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, r);
    curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
    curl_easy_setopt(c, CURLOPT_XFERINFODATA, r);
    curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, 5000L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, 20000L);
    curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
    curl_easy_setopt(c, CURLOPT_USERAGENT, "alphapulse/0.1");
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, r->curl_err);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
    if (ca_file && *ca_file &&
        (curl_easy_setopt(c, CURLOPT_CAINFO, ca_file) != CURLE_OK ||
         curl_easy_setopt(c, CURLOPT_CAPATH, (char *)NULL) != CURLE_OK))
        return fail(NULL, 0, err, err_len, "feed.ca_file %s: this libcurl cannot take a CA file", ca_file);
    return 0;
}

void bybit_rest_free(struct bybit_rest *r)
{
    if (r->curl)
        curl_easy_cleanup(r->curl);
    free(r->body);
    r->curl = NULL;
    r->body = NULL;
}

/* The process's requests to Bybit in the last BYBIT_REST_WINDOW_MS, shared by
 * every client (the spot and the linear feed alike: Bybit counts per IP). */
static struct {
    pthread_mutex_t mu;
    int64_t t[BYBIT_REST_PER_WINDOW];   /* a ring of request times, monotonic ms */
    int head, len;
} pace = { .mu = PTHREAD_MUTEX_INITIALIZER };

/* ms until a request may go (0: now); with take, a request at 0 is counted. */
static int64_t pace_wait(bool take)
{
    pthread_mutex_lock(&pace.mu);
    int64_t now = clock_mono_ms(), d = 0;
    while (pace.len && now - pace.t[pace.head] >= BYBIT_REST_WINDOW_MS) {
        pace.head = (pace.head + 1) % BYBIT_REST_PER_WINDOW;
        pace.len--;
    }
    if (pace.len == BYBIT_REST_PER_WINDOW)
        d = pace.t[pace.head] + BYBIT_REST_WINDOW_MS - now;
    else if (take)
        pace.t[(pace.head + pace.len++) % BYBIT_REST_PER_WINDOW] = now;
    pthread_mutex_unlock(&pace.mu);
    return d;
}

int64_t bybit_rest_wait_ms(const struct bybit_rest *r)
{
    int64_t d = r->blocked_until_ms - clock_mono_ms(), p = pace_wait(false);
    if (p > d)
        d = p;
    return d > 0 ? d : 0;
}

/* The transfer; a rate-limit or 403 reply also blocks the host. */
static int get(struct bybit_rest *r, const char *path_query, const char *symbol, struct bybit_error *e, char *why,
               size_t why_len)
{
    int64_t wait = r->blocked_until_ms - clock_mono_ms();
    if (wait > 0)
        return fail(e, BYBIT_E_RATE_LIMIT, why, why_len, "bybit: rate limited for %lld ms more", (long long)wait);
    for (int64_t d; (d = pace_wait(true)) > 0;) {   /* another client took the last slot: a short wait */
        if (r->stop && atomic_load(r->stop))
            return fail(e, BYBIT_E_STOPPED, why, why_len, "stopped");
        nanosleep(&(struct timespec){ 0, (long)(d < 50 ? d : 50) * 1000000L }, NULL);
    }
    char url[1024];
    snprintf(url, sizeof url, "%s%s", r->base, path_query);
    r->len = 0;
    r->http_status = 0;
    r->reset_wall_ms = 0;
    r->curl_err[0] = 0;
    if (r->body)
        r->body[0] = 0;
    curl_easy_setopt(r->curl, CURLOPT_URL, url);
    r->requests++;
    CURLcode cc = curl_easy_perform(r->curl);
    if (cc == CURLE_ABORTED_BY_CALLBACK && r->stop && atomic_load(r->stop))
        return fail(e, BYBIT_E_STOPPED, why, why_len, "stopped");
    if (cc != CURLE_OK) {
        const char *detail = r->curl_err[0] ? r->curl_err : curl_easy_strerror(cc);
        bool tls = cc == CURLE_PEER_FAILED_VERIFICATION || cc == CURLE_SSL_CACERT_BADFILE ||
                   cc == CURLE_SSL_CONNECT_ERROR || cc == CURLE_SSL_CERTPROBLEM;
        return fail(e, tls ? BYBIT_E_TLS : BYBIT_E_NETWORK, why, why_len, "%s: %s", url, detail);
    }
    curl_easy_getinfo(r->curl, CURLINFO_RESPONSE_CODE, &r->http_status);
    struct bybit_error local;
    if (!e)
        e = &local;
    if (bybit_check_reply(r->http_status, r->body ? r->body : "", r->len, symbol, e, why, why_len) == 0)
        return 0;
    if (e->kind == BYBIT_E_RATE_LIMIT) {
        int64_t d = r->reset_wall_ms > 0 ? r->reset_wall_ms - clock_wall_ms() : 1000;
        if (d < 100 || d > 60000)
            d = 1000;
        r->blocked_until_ms = clock_mono_ms() + d;
        r->rate_limited++;
        log_warn("rest: %s; no requests to %s for %lld ms", why, r->base, (long long)d);
    } else if (e->kind == BYBIT_E_FORBIDDEN) {
        r->blocked_until_ms = clock_mono_ms() + r->ban_ms;
        r->rate_limited++;
        log_error("rest: %s; no requests to %s for %lld s", why, r->base, (long long)(r->ban_ms / 1000));
    }
    return -1;
}

static bool symbol_ok(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 20)
        return false;
    for (; *s; s++)
        if (!((*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9')))
            return false;
    return true;
}

int bybit_rest_klines(struct bybit_rest *r, const char *symbol, int tf, int64_t start, int64_t end,
                      struct candle *out, size_t max, size_t *n, unsigned *rejected, struct bybit_error *e,
                      char *why, size_t why_len)
{
    *n = 0;
    if (!symbol_ok(symbol))
        return fail(e, BYBIT_E_BAD_SYMBOL, why, why_len, "bybit: symbol '%s': expected 1-20 of A-Z 0-9", symbol);
    const char *iv = bybit_interval(tf);
    if (!iv)
        return fail(e, BYBIT_E_PARAM, why, why_len, "bybit: no interval for timeframe %d", tf);
    size_t limit = max < BYBIT_KLINES_LIMIT ? max : BYBIT_KLINES_LIMIT;
    char q[256];
    int w = snprintf(q, sizeof q, "/v5/market/kline?category=%s&symbol=%s&interval=%s&start=%lld&limit=%zu",
                     bybit_category_name(r->category), symbol, iv, (long long)start, limit);
    if (end >= 0)
        snprintf(q + w, sizeof q - (size_t)w, "&end=%lld", (long long)end);
    if (get(r, q, symbol, e, why, why_len))
        return -1;
    return bybit_parse_klines(r->body ? r->body : "", r->len, symbol, tf, out, max, n, rejected, e, why, why_len);
}

int bybit_rest_instrument(struct bybit_rest *r, const char *symbol, struct bybit_instrument *out,
                          struct bybit_error *e, char *why, size_t why_len)
{
    if (!symbol_ok(symbol))
        return fail(e, BYBIT_E_BAD_SYMBOL, why, why_len, "bybit: symbol '%s': expected 1-20 of A-Z 0-9", symbol);
    char q[128];
    snprintf(q, sizeof q, "/v5/market/instruments-info?category=%s&symbol=%s", bybit_category_name(r->category),
             symbol);
    if (get(r, q, symbol, e, why, why_len))
        return -1;
    return bybit_parse_instrument(r->body ? r->body : "", r->len, symbol, out, e, why, why_len);
}
