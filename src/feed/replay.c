/* Demo replay. Each candle is revealed along a plausible path: a bull candle visits
 * its low before its high, a bear candle its high before its low, so the partial
 * updates are valid candles that end exactly at the closed one. */
#include "alphapulse/replay.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alphapulse/candle_csv.h"
#include "alphapulse/kline_json.h"

struct replay_series {
    struct instrument inst;
    struct candle *c;
    size_t n, next;
    struct candle *hist;       /* older history at a higher timeframe (warm-up only) */
    size_t n_hist;
    int hist_tf;
};

struct replay {
    int n;
    struct replay_series s[INSTRUMENTS_MAX];
    int sym, phase;            /* position within the current round */
};

static void copy_str(char *dst, size_t n, json_t *v)
{
    snprintf(dst, n, "%s", json_is_string(v) ? json_string_value(v) : "");
}

/* A file whose volume column counts the quote currency ("volume": "quote"):
 * the candle keeps it as its quote volume, and its base volume is estimated
 * at the close (the file has no VWAP). */
static void volume_from_quote(struct candle *c, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        c[i].quote_volume = c[i].volume;
        c[i].volume = c[i].close > 0 ? c[i].quote_volume / c[i].close : 0;
    }
}

/* "volume": "base" (the default) or "quote"; 1 for quote, 0 for base, -1 if neither */
static int volume_unit(json_t *it)
{
    json_t *v = json_object_get(it, "volume");
    if (!v)
        return 0;
    const char *s = json_is_string(v) ? json_string_value(v) : "";
    return !strcmp(s, "quote") ? 1 : !strcmp(s, "base") ? 0 : -1;
}

struct replay *replay_open(const char *manifest, char *err, size_t err_len)
{
    json_error_t jerr;
    json_t *root = json_load_file(manifest, 0, &jerr);
    if (!root) {
        snprintf(err, err_len, "%s:%d:%d: %s", manifest, jerr.line, jerr.column, jerr.text);
        return NULL;
    }
    struct replay *r = calloc(1, sizeof *r);
    char dir[512];
    snprintf(dir, sizeof dir, "%s", manifest);
    char *slash = strrchr(dir, '/');
    if (slash)
        slash[1] = 0;
    else
        dir[0] = 0;
    if (!json_is_array(root) || json_array_size(root) == 0) {
        snprintf(err, err_len, "%s: expected a non-empty JSON list of symbols", manifest);
        goto fail;
    }
    size_t i;
    json_t *it;
    json_array_foreach(root, i, it) {
        if (r->n == INSTRUMENTS_MAX)
            break;
        struct replay_series *s = &r->s[r->n];
        json_t *file = json_object_get(it, "file");
        if (!json_is_string(json_object_get(it, "symbol")) || !json_is_string(file)) {
            snprintf(err, err_len, "%s: entry %zu needs \"symbol\" and \"file\"", manifest, i + 1);
            goto fail;
        }
        copy_str(s->inst.symbol, sizeof s->inst.symbol, json_object_get(it, "symbol"));
        copy_str(s->inst.base, sizeof s->inst.base, json_object_get(it, "base"));
        copy_str(s->inst.quote, sizeof s->inst.quote, json_object_get(it, "quote"));
        copy_str(s->inst.market, sizeof s->inst.market, json_object_get(it, "market"));
        /* the venue's rules for the recorded market, as exchangeInfo gives them live */
        s->inst.tick = json_number_value(json_object_get(it, "tick"));
        s->inst.step = json_number_value(json_object_get(it, "step"));
        s->inst.min_notional = json_number_value(json_object_get(it, "min_notional"));
        int in_quote = volume_unit(it);
        if (in_quote < 0) {
            snprintf(err, err_len, "%s: entry %zu: \"volume\" is \"base\" or \"quote\"", manifest, i + 1);
            goto fail;
        }
        char path[1024];
        snprintf(path, sizeof path, "%s%s", dir, json_string_value(file));
        if (candle_csv_load(path, &s->c, &s->n, err, err_len))
            goto fail;
        r->n++;
        if (in_quote)
            volume_from_quote(s->c, s->n);
        /* "history": {"file": F, "timeframe": "15m"}: candles from before the 1m
         * data, used only to warm the higher timeframes at start */
        json_t *h = json_object_get(it, "history");
        if (h) {
            json_t *hf = json_object_get(h, "file"), *ht = json_object_get(h, "timeframe");
            s->hist_tf = json_is_string(ht) ? tf_parse(json_string_value(ht)) : -1;
            if (!json_is_string(hf) || s->hist_tf <= TF_1M) {
                snprintf(err, err_len, "%s: entry %zu: \"history\" needs \"file\" and a \"timeframe\" above 1m",
                         manifest, i + 1);
                goto fail;
            }
            snprintf(path, sizeof path, "%s%s", dir, json_string_value(hf));
            if (candle_csv_load(path, &s->hist, &s->n_hist, err, err_len))
                goto fail;
            if (in_quote)
                volume_from_quote(s->hist, s->n_hist);
        }
    }
    json_decref(root);
    return r;
fail:
    json_decref(root);
    replay_close(r);
    return NULL;
}

void replay_close(struct replay *r)
{
    if (!r)
        return;
    for (int i = 0; i < r->n; i++) {
        free(r->s[i].c);
        free(r->s[i].hist);
    }
    free(r);
}

int replay_symbols(const struct replay *r, struct instrument *out, int max)
{
    int n = r->n < max ? r->n : max;
    for (int i = 0; i < n; i++)
        out[i] = r->s[i].inst;
    return n;
}

void replay_seek(struct replay *r, int sym, int64_t after)
{
    struct replay_series *s = &r->s[sym];
    size_t lo = 0, hi = s->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (s->c[mid].open_time <= after)
            lo = mid + 1;
        else
            hi = mid;
    }
    s->next = lo;
}

size_t replay_remaining(const struct replay *r, int sym) { return r->s[sym].n - r->s[sym].next; }

int replay_phase(const struct replay *r) { return r->phase; }

const struct candle *replay_candles(const struct replay *r, int sym, size_t *n)
{
    *n = r->s[sym].n;
    return r->s[sym].c;
}

const struct candle *replay_history(const struct replay *r, int sym, int *tf, size_t *n)
{
    *n = r->s[sym].n_hist;
    *tf = r->s[sym].hist_tf;
    return r->s[sym].hist;
}

/* The candle as seen part-way through its minute. */
static struct candle partial(const struct candle *c, int phase)
{
    struct candle p = *c;
    bool bull = c->close >= c->open;
    double first = bull ? c->low : c->high;
    if (phase == 0) {
        p.close = first;
        p.high = bull ? c->open : c->high;
        p.low = bull ? c->low : c->open;
        p.volume = c->volume / 3;
        p.quote_volume = c->quote_volume / 3;
    } else {
        p.close = bull ? c->high : c->low;
        p.volume = c->volume * 2 / 3;
        p.quote_volume = c->quote_volume * 2 / 3;
    }
    return p;
}

int replay_next(struct replay *r, char *buf, size_t len, int *round_end)
{
    for (int tries = 0; tries <= r->n * REPLAY_PHASES; tries++) {
        bool any = false;
        for (int i = 0; i < r->n; i++)
            any |= r->s[i].next < r->s[i].n;
        if (!any)
            return 0;
        struct replay_series *s = &r->s[r->sym];
        int phase = r->phase;
        int sym = r->sym;
        if (++r->sym == r->n) {
            r->sym = 0;
            r->phase = (r->phase + 1) % REPLAY_PHASES;
        }
        *round_end = r->sym == 0;
        (void)sym;
        if (s->next >= s->n)
            continue;
        const struct candle *c = &s->c[s->next];
        struct kline_event ev = { .tf = TF_1M, .closed = phase == REPLAY_PHASES - 1 };
        memcpy(ev.symbol, s->inst.symbol, SYMBOL_MAX);
        ev.c = ev.closed ? *c : partial(c, phase);
        ev.event_time = c->open_time + (phase + 1) * (tf_ms(TF_1M) / REPLAY_PHASES) - (ev.closed ? 1 : 0);
        if (ev.closed)
            s->next++;
        return kline_json_format(&ev, buf, len);
    }
    return 0;
}
