/* Binance REST client. One easy handle per client (keep-alive); every transfer
 * watches the stop flag so shutdown never waits on a slow server. Rate limits
 * are global to the host: after 429/418 nothing is sent until Retry-After has
 * passed, and we stop ourselves at 90 % of the minute's weight. */
#include "alphapulse/binance_rest.h"

#include <ctype.h>
#include <stdarg.h>
#include <curl/curl.h>
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "alphapulse/log.h"
#include "alphapulse/clock.h"
#include "alphapulse/json_text.h"

#define BODY_MAX (16u << 20)
#define WEIGHT_KLINES 2            /* a page of up to 1000 */
#define WEIGHT_EXCHANGE_INFO 20
#define WEIGHT_TICKERS_ALL 80       /* ticker/24hr without a symbol */

static int say(char *why, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int say(char *why, size_t n, const char *fmt, ...)
{
    if (why && n) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(why, n, fmt, ap);
        va_end(ap);
    }
    return -1;
}

/* ---- pure parsers ---------------------------------------------------------- */

int binance_parse_klines(const char *buf, size_t len, int tf, struct candle *out, size_t max, size_t *n,
                         unsigned *rejected, char *why, size_t why_len)
{
    *n = 0;
    if (tf < 0 || tf >= TF_COUNT)
        return say(why, why_len, "unknown timeframe %d", tf);
    json_error_t jerr;
    json_t *root = json_loadb(buf, len, 0, &jerr);
    if (!root)
        return say(why, why_len, "bad JSON at line %d column %d: %s", jerr.line, jerr.column, jerr.text);
    int rc = 0;
    if (!json_is_array(root)) {
        rc = say(why, why_len, "expected a JSON array of kline rows");
        goto out;
    }
    static const char *const names[12] = {
        "open time", "open", "high", "low", "close", "volume", "close time",
        "quote volume", "trades", "taker base volume", "taker quote volume", "ignore",
    };
    int64_t step = tf_ms(tf), prev = INT64_MIN;
    size_t i;
    json_t *row;
    json_array_foreach(root, i, row) {
        if (!json_is_array(row) || json_array_size(row) != 12) {
            rc = say(why, why_len, "row %zu: expected an array of 12 fields", i);
            goto out;
        }
        struct candle c = { 0 };
        double ignored;
        json_t *f[12];
        for (int k = 0; k < 12; k++)
            f[k] = json_array_get(row, (size_t)k);
        int bad = -1;
        if (!json_is_integer(f[0])) bad = 0;
        else if (json_decimal_text(f[1], &c.open)) bad = 1;
        else if (json_decimal_text(f[2], &c.high)) bad = 2;
        else if (json_decimal_text(f[3], &c.low)) bad = 3;
        else if (json_decimal_text(f[4], &c.close)) bad = 4;
        else if (json_decimal_text(f[5], &c.volume)) bad = 5;
        else if (!json_is_integer(f[6])) bad = 6;
        else if (json_decimal_text(f[7], &c.quote_volume)) bad = 7;
        else if (!json_is_integer(f[8]) || json_integer_value(f[8]) < 0) bad = 8;
        else if (json_decimal_text(f[9], &ignored)) bad = 9;
        else if (json_decimal_text(f[10], &ignored)) bad = 10;
        else if (!json_is_string(f[11])) bad = 11;
        if (bad >= 0) {
            rc = say(why, why_len, "row %zu: field %d (%s) missing or of the wrong type", i, bad, names[bad]);
            goto out;
        }
        c.open_time = json_integer_value(f[0]);
        c.trades = json_integer_value(f[8]);
        if (c.open_time < 0 || tf_floor(tf, c.open_time) != c.open_time) {
            rc = say(why, why_len, "row %zu: open time %lld is not on a %s boundary", i,
                     (long long)c.open_time, tf_name(tf));
            goto out;
        }
        if (json_integer_value(f[6]) != c.open_time + step - 1) {
            rc = say(why, why_len, "row %zu: close time %lld, expected open time + %s - 1 ms", i,
                     (long long)json_integer_value(f[6]), tf_name(tf));
            goto out;
        }
        if (c.open_time <= prev) {
            rc = say(why, why_len, "row %zu: open time %lld not after the previous row's %lld", i,
                     (long long)c.open_time, (long long)prev);
            goto out;
        }
        prev = c.open_time;
        enum candle_rule rule = candle_check(&c);
        if (rule != CANDLE_OK) {
            if (rejected)
                rejected[rule]++;
            continue;
        }
        if (*n == max) {
            rc = say(why, why_len, "more than %zu rows", max);
            goto out;
        }
        out[(*n)++] = c;
    }
out:
    json_decref(root);
    if (rc)
        *n = 0;
    return rc;
}

int binance_parse_error(const char *buf, size_t len, int *code, char *msg, size_t msg_len)
{
    json_t *root = json_loadb(buf, len, 0, NULL);
    int rc = -1;
    json_t *c = json_object_get(root, "code"), *m = json_object_get(root, "msg");
    if (json_is_integer(c)) {
        *code = (int)json_integer_value(c);
        snprintf(msg, msg_len, "%s", json_is_string(m) ? json_string_value(m) : "");
        rc = 0;
    }
    json_decref(root);
    return rc;
}

static double filter_num(json_t *filter, const char *key)
{
    double v = 0;
    if (json_decimal_text(json_object_get(filter, key), &v))
        return 0;
    return v;
}

/* One entry of exchangeInfo's "symbols" into out; -1 with the reason when a
 * field is missing. */
static int symbol_of(json_t *s, struct binance_symbol_info *out, char *why, size_t why_len)
{
    json_t *name = json_object_get(s, "symbol"), *st = json_object_get(s, "status"),
           *b = json_object_get(s, "baseAsset"), *q = json_object_get(s, "quoteAsset"),
           *filters = json_object_get(s, "filters");
    if (!json_is_string(name) || !json_is_string(st) || !json_is_string(b) || !json_is_string(q) ||
        !json_is_array(filters))
        return say(why, why_len, "%s: symbol, status, baseAsset, quoteAsset or filters missing",
                   json_is_string(name) ? json_string_value(name) : "?");
    memset(out, 0, sizeof *out);
    snprintf(out->symbol, sizeof out->symbol, "%s", json_string_value(name));
    snprintf(out->status, sizeof out->status, "%s", json_string_value(st));
    snprintf(out->base, sizeof out->base, "%s", json_string_value(b));
    snprintf(out->quote, sizeof out->quote, "%s", json_string_value(q));
    size_t j;
    json_t *f;
    json_array_foreach(filters, j, f) {     /* unknown filter types are skipped */
        const char *type = json_string_value(json_object_get(f, "filterType"));
        if (!type)
            continue;
        if (strcmp(type, "PRICE_FILTER") == 0)
            out->tick_size = filter_num(f, "tickSize");
        else if (strcmp(type, "LOT_SIZE") == 0)
            out->step_size = filter_num(f, "stepSize");
        else if (strcmp(type, "NOTIONAL") == 0 || strcmp(type, "MIN_NOTIONAL") == 0)
            out->min_notional = filter_num(f, "minNotional");
    }
    return 0;
}

/* exchangeInfo's "symbols" array, or NULL with the reason. */
static json_t *symbols_of(const char *buf, size_t len, json_t **root, char *why, size_t why_len)
{
    json_error_t jerr;
    *root = json_loadb(buf, len, 0, &jerr);
    if (!*root) {
        say(why, why_len, "bad JSON at line %d column %d: %s", jerr.line, jerr.column, jerr.text);
        return NULL;
    }
    json_t *syms = json_object_get(*root, "symbols");
    if (!json_is_array(syms)) {
        say(why, why_len, "exchangeInfo without a \"symbols\" list");
        return NULL;
    }
    return syms;
}

int binance_parse_symbol_info(const char *buf, size_t len, const char *symbol, struct binance_symbol_info *out,
                              char *why, size_t why_len)
{
    json_t *root, *syms = symbols_of(buf, len, &root, why, why_len);
    int rc = syms ? say(why, why_len, "symbol %s not in exchangeInfo", symbol) : -1;
    size_t i;
    json_t *s;
    json_array_foreach(syms, i, s) {
        json_t *name = json_object_get(s, "symbol");
        if (json_is_string(name) && strcmp(json_string_value(name), symbol) == 0) {
            rc = symbol_of(s, out, why, why_len);
            break;
        }
    }
    json_decref(root);
    return rc;
}

int binance_parse_symbols(const char *buf, size_t len, struct binance_symbol_info **out, size_t *n,
                          char *why, size_t why_len)
{
    *out = NULL;
    *n = 0;
    json_t *root, *syms = symbols_of(buf, len, &root, why, why_len);
    int rc = syms ? 0 : -1;
    if (syms && json_array_size(syms) && !(*out = calloc(json_array_size(syms), sizeof **out)))
        rc = say(why, why_len, "out of memory");
    size_t i;
    json_t *s;
    json_array_foreach(syms, i, s) {
        if (rc || symbol_of(s, &(*out)[*n], why, why_len))
            continue;                          /* a malformed entry is not one of ours */
        (*n)++;
    }
    json_decref(root);
    if (rc) {
        free(*out);
        *out = NULL;
    }
    return rc;
}

int binance_parse_tickers(const char *buf, size_t len, struct binance_ticker **out, size_t *n, char *why,
                          size_t why_len)
{
    *out = NULL;
    *n = 0;
    json_error_t jerr;
    json_t *root = json_loadb(buf, len, 0, &jerr);
    if (!json_is_array(root)) {
        json_decref(root);
        return root ? say(why, why_len, "ticker/24hr: expected a list")
                    : say(why, why_len, "bad JSON at line %d column %d: %s", jerr.line, jerr.column, jerr.text);
    }
    if (json_array_size(root) && !(*out = calloc(json_array_size(root), sizeof **out))) {
        json_decref(root);
        return say(why, why_len, "out of memory");
    }
    size_t i;
    json_t *t;
    json_array_foreach(root, i, t) {
        const char *sym = json_string_value(json_object_get(t, "symbol"));
        double qv;
        if (!sym || strlen(sym) >= SYMBOL_MAX || json_decimal_text(json_object_get(t, "quoteVolume"), &qv))
            continue;
        snprintf((*out)[*n].symbol, SYMBOL_MAX, "%s", sym);
        (*out)[(*n)++].quote_volume = qv;
    }
    json_decref(root);
    return 0;
}

long binance_parse_weight_limit(const char *buf, size_t len)
{
    json_t *root = json_loadb(buf, len, 0, NULL), *l;
    long limit = -1;
    size_t i;
    json_array_foreach(json_object_get(root, "rateLimits"), i, l) {
        const char *type = json_string_value(json_object_get(l, "rateLimitType")),
                   *iv = json_string_value(json_object_get(l, "interval"));
        json_t *num = json_object_get(l, "intervalNum"), *lim = json_object_get(l, "limit");
        if (type && iv && strcmp(type, "REQUEST_WEIGHT") == 0 && strcmp(iv, "MINUTE") == 0 &&
            json_integer_value(num) == 1 && json_is_integer(lim) && json_integer_value(lim) > 0)
            limit = (long)json_integer_value(lim);
    }
    json_decref(root);
    return limit;
}

/* ---- transfers -------------------------------------------------------------- */

static size_t on_body(char *p, size_t sz, size_t nm, void *ud)
{
    struct binance_rest *r = ud;
    size_t n = sz * nm;
    if (r->len + n + 1 > BODY_MAX)
        return 0;                                /* aborts the transfer */
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

static long header_long(const char *line, size_t n, const char *name)
{
    size_t k = strlen(name);
    if (n <= k || strncasecmp(line, name, k) != 0)
        return -1;
    char tmp[32];
    size_t m = n - k < sizeof tmp - 1 ? n - k : sizeof tmp - 1;
    memcpy(tmp, line + k, m);
    tmp[m] = 0;
    char *end;
    long v = strtol(tmp, &end, 10);
    return end == tmp ? -1 : v;
}

static size_t on_header(char *p, size_t sz, size_t nm, void *ud)
{
    struct binance_rest *r = ud;
    size_t n = sz * nm;
    long v;
    if ((v = header_long(p, n, "x-mbx-used-weight-1m:")) >= 0) {
        r->used_weight = v;
        r->weight_minute = clock_wall_ms() / 60000;
    }
    else if ((v = header_long(p, n, "retry-after:")) >= 0)
        r->retry_after_s = v;
    return n;
}

static int on_progress(void *ud, curl_off_t a, curl_off_t b, curl_off_t c, curl_off_t d)
{
    (void)a; (void)b; (void)c; (void)d;
    struct binance_rest *r = ud;
    return r->stop && atomic_load(r->stop);      /* non-zero aborts */
}

_Static_assert(sizeof ((struct binance_rest *)0)->curl_err >= CURL_ERROR_SIZE, "libcurl's error buffer size");

int binance_rest_init(struct binance_rest *r, const char *base_url, const char *ca_file, atomic_bool *stop,
                      char *err, size_t err_len)
{
    memset(r, 0, sizeof *r);
    size_t n = strlen(base_url);
    while (n && base_url[n - 1] == '/')
        n--;
    if (n == 0 || n >= sizeof r->base ||
        (strncmp(base_url, "https://", 8) != 0 && strncmp(base_url, "http://", 7) != 0))
        return say(err, err_len, "--rest-url %s: expected http://HOST[:PORT] or https://HOST[:PORT]", base_url);
    memcpy(r->base, base_url, n);
    r->stop = stop;
    r->used_weight = -1;
    r->weight_limit = BINANCE_WEIGHT_LIMIT;
    r->curl = curl_easy_init();
    if (!r->curl)
        return say(err, err_len, "cannot initialise libcurl");
    CURL *c = r->curl;
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
    /* libcurl's defaults, stated so no later edit can quietly lose them */
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
    if (ca_file && *ca_file) {
        /* instead of the system's store, not in addition: the WebSocket does the same */
        if (curl_easy_setopt(c, CURLOPT_CAINFO, ca_file) != CURLE_OK ||
            curl_easy_setopt(c, CURLOPT_CAPATH, (char *)NULL) != CURLE_OK)
            return say(err, err_len, "feed.ca_file %s: this libcurl cannot take a CA file", ca_file);
    }
    return 0;
}

void binance_rest_free(struct binance_rest *r)
{
    if (r->curl)
        curl_easy_cleanup(r->curl);
    free(r->body);
    r->curl = NULL;
    r->body = NULL;
}

int64_t binance_rest_wait_ms(const struct binance_rest *r)
{
    int64_t d = r->blocked_until_ms - clock_mono_ms();
    return d > 0 ? d : 0;
}

/* Until the next wall-clock minute: Binance's weight window. */
static int64_t ms_to_next_minute(void)
{
    return 60000 - clock_wall_ms() % 60000 + 50;
}

/* The weight this minute still has for us: 90 % of the exchange's limit, less
 * what the last response said was used if that was this minute. */
static long weight_room(const struct binance_rest *r)
{
    long budget = r->weight_limit * 9 / 10;
    if (r->used_weight < 0 || r->weight_minute != clock_wall_ms() / 60000)
        return budget;
    return budget - r->used_weight;
}

/* A GET of `weight`: refused here, without asking, while rate limited or when
 * it would pass the minute's budget (then nothing until the next minute). */
static int get(struct binance_rest *r, const char *path_query, long weight, char *why, size_t why_len)
{
    int64_t wait = binance_rest_wait_ms(r);
    if (wait > 0)
        return say(why, why_len, "rate limited for %lld ms more", (long long)wait), BREST_RATE_LIMITED;
    if (weight_room(r) < weight) {
        r->blocked_until_ms = clock_mono_ms() + ms_to_next_minute();
        log_warn("rest: request weight %ld of %ld used this minute; pausing requests", r->used_weight,
                 r->weight_limit);
        return say(why, why_len, "weight budget spent this minute"), BREST_RATE_LIMITED;
    }
    char url[1024];
    snprintf(url, sizeof url, "%s%s", r->base, path_query);
    r->len = 0;
    r->http_status = 0;
    r->retry_after_s = -1;
    r->err_code = 0;
    r->err_msg[0] = 0;
    r->curl_err[0] = 0;
    r->os_errno = 0;
    if (r->body)
        r->body[0] = 0;
    curl_easy_setopt(r->curl, CURLOPT_URL, url);
    r->requests++;
    CURLcode cc = curl_easy_perform(r->curl);
    if (cc == CURLE_ABORTED_BY_CALLBACK && r->stop && atomic_load(r->stop))
        return say(why, why_len, "stopped"), BREST_STOPPED;
    if (cc != CURLE_OK) {
        const char *detail = r->curl_err[0] ? r->curl_err : curl_easy_strerror(cc);
        long os_err = 0;
        if (curl_easy_getinfo(r->curl, CURLINFO_OS_ERRNO, &os_err) == CURLE_OK)
            r->os_errno = (int)os_err;
        switch (cc) {
        case CURLE_PEER_FAILED_VERIFICATION: case CURLE_SSL_CACERT_BADFILE: case CURLE_SSL_CONNECT_ERROR:
        case CURLE_SSL_ISSUER_ERROR: case CURLE_SSL_PINNEDPUBKEYNOTMATCH: case CURLE_SSL_INVALIDCERTSTATUS:
        case CURLE_SSL_CRL_BADFILE: case CURLE_SSL_CIPHER: case CURLE_SSL_CERTPROBLEM:
            return say(why, why_len, "%s: %s", url, detail), BREST_TLS;
        default:
            return say(why, why_len, "%s: %s", url, detail), BREST_NETWORK;
        }
    }
    curl_easy_getinfo(r->curl, CURLINFO_RESPONSE_CODE, &r->http_status);
    long st = r->http_status;
    if (st == 429 || st == 418) {
        long after = r->retry_after_s >= 0 ? r->retry_after_s : (st == 418 ? 120 : 60);
        r->blocked_until_ms = clock_mono_ms() + after * 1000;
        r->rate_limited++;
        log_warn("rest: HTTP %ld (%s) from %s; no requests for %ld s (Retry-After)", st,
                 st == 418 ? "IP banned" : "too many requests", r->base, after);
        return say(why, why_len, "HTTP %ld, retry after %ld s", st, after), BREST_RATE_LIMITED;
    }
    if (st >= 400 && st < 500) {
        if (binance_parse_error(r->body ? r->body : "", r->len, &r->err_code, r->err_msg, sizeof r->err_msg))
            return say(why, why_len, "HTTP %ld from %s", st, url), BREST_REJECTED;
        say(why, why_len, "HTTP %ld, Binance error %d: %s", st, r->err_code, r->err_msg);
        return r->err_code == BINANCE_BAD_SYMBOL ? BREST_BAD_SYMBOL : BREST_REJECTED;
    }
    if (st != 200)
        return say(why, why_len, "HTTP %ld from %s", st, url), BREST_SERVER;
    return BREST_OK;
}

/* exchangeInfo names the minute's weight limit: it replaces the default. */
static void take_weight_limit(struct binance_rest *r)
{
    long limit = binance_parse_weight_limit(r->body ? r->body : "", r->len);
    if (limit > 0 && limit != r->weight_limit) {
        log_info("rest: request weight limit %ld per minute (exchangeInfo)", limit);
        r->weight_limit = limit;
    }
}

static bool symbol_ok(const char *s)
{
    if (!*s || strlen(s) >= SYMBOL_MAX)
        return false;
    for (; *s; s++)
        if (!(isupper((unsigned char)*s) || isdigit((unsigned char)*s) || *s == '-' || *s == '_' || *s == '.'))
            return false;
    return true;
}

int binance_rest_klines(struct binance_rest *r, const char *symbol, int tf, int64_t start, int64_t end,
                        struct candle *out, size_t max, size_t *n, unsigned *rejected,
                        char *why, size_t why_len)
{
    *n = 0;
    if (!symbol_ok(symbol))
        return say(why, why_len, "symbol '%s': expected 1-15 of A-Z 0-9 - _ .", symbol), BREST_BAD_SYMBOL;
    size_t limit = max < BINANCE_KLINES_LIMIT ? max : BINANCE_KLINES_LIMIT;
    char q[256];
    int w = snprintf(q, sizeof q, "/api/v3/klines?symbol=%s&interval=%s&startTime=%lld&limit=%zu", symbol,
                     tf_name(tf), (long long)start, limit);
    if (end >= 0)
        snprintf(q + w, sizeof q - (size_t)w, "&endTime=%lld", (long long)end);
    int rc = get(r, q, WEIGHT_KLINES, why, why_len);
    if (rc != BREST_OK)
        return rc;
    if (binance_parse_klines(r->body ? r->body : "", r->len, tf, out, max, n, rejected, why, why_len))
        return BREST_BAD_REPLY;
    return BREST_OK;
}

int binance_rest_exchange_info(struct binance_rest *r, const char *symbol, struct binance_symbol_info *out,
                               char *why, size_t why_len)
{
    if (!symbol_ok(symbol))
        return say(why, why_len, "symbol '%s': expected 1-15 of A-Z 0-9 - _ .", symbol), BREST_BAD_SYMBOL;
    char q[128];
    snprintf(q, sizeof q, "/api/v3/exchangeInfo?symbol=%s", symbol);
    int rc = get(r, q, WEIGHT_EXCHANGE_INFO, why, why_len);
    if (rc != BREST_OK)
        return rc;
    take_weight_limit(r);
    if (binance_parse_symbol_info(r->body ? r->body : "", r->len, symbol, out, why, why_len))
        return BREST_BAD_REPLY;
    return BREST_OK;
}

int binance_rest_symbols(struct binance_rest *r, struct binance_symbol_info **out, size_t *n, char *why,
                         size_t why_len)
{
    *out = NULL;
    *n = 0;
    int rc = get(r, "/api/v3/exchangeInfo", WEIGHT_EXCHANGE_INFO, why, why_len);
    if (rc != BREST_OK)
        return rc;
    take_weight_limit(r);
    if (binance_parse_symbols(r->body ? r->body : "", r->len, out, n, why, why_len))
        return BREST_BAD_REPLY;
    return BREST_OK;
}

int binance_rest_tickers(struct binance_rest *r, struct binance_ticker **out, size_t *n, char *why, size_t why_len)
{
    *out = NULL;
    *n = 0;
    int rc = get(r, "/api/v3/ticker/24hr", WEIGHT_TICKERS_ALL, why, why_len);
    if (rc != BREST_OK)
        return rc;
    if (binance_parse_tickers(r->body ? r->body : "", r->len, out, n, why, why_len))
        return BREST_BAD_REPLY;
    return BREST_OK;
}

int binance_rest_depth(struct binance_rest *r, const char *symbol, int limit, char *why, size_t why_len)
{
    if (!symbol_ok(symbol))
        return say(why, why_len, "symbol '%s': expected 1-15 of A-Z 0-9 - _ .", symbol), BREST_BAD_SYMBOL;
    char q[128];
    snprintf(q, sizeof q, "/api/v3/depth?symbol=%s&limit=%d", symbol, limit);
    return get(r, q, limit <= 100 ? 5 : limit <= 500 ? 25 : limit <= 1000 ? 50 : 250, why, why_len);
}

const char *binance_rest_status_name(int status) { return venue_status_name(status); }
