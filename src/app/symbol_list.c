/* The symbols a live session starts with, from --symbols or feed.symbols, with
 * their patterns (symbol_pattern.h) resolved against Binance's listing at start:
 * one exchangeInfo (weight 20), and one ticker/24hr of every symbol (weight 80)
 * only when a top:N pattern ranks by volume. A list without patterns is passed
 * through untouched, without asking the exchange anything. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alphapulse/app.h"
#include "alphapulse/log.h"
#include "alphapulse/symbol_pattern.h"
#include "alphapulse/symtab.h"
#include "alphapulse/venue.h"

/* The words of a comma-separated list, parsed; -1 with the reason. */
static int parse_words(const char *list, struct symbol_pattern **out, char *err, size_t err_len)
{
    int cap = 1;
    for (const char *p = list; *p; p++)
        cap += *p == ',';
    struct symbol_pattern *w = calloc((size_t)cap, sizeof *w);
    if (!w) {
        snprintf(err, err_len, "out of memory");
        return -1;
    }
    int n = 0;
    struct symtab seen;
    symtab_init(&seen);
    for (const char *p = list; *p;) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        char word[64], why[300];
        snprintf(word, sizeof word, "%.*s", (int)(len < sizeof word ? len : sizeof word - 1), p);
        if (len == 0 || len >= sizeof word ||
            symbol_pattern_parse(word, venue_names(), &w[n], why, sizeof why)) {
            snprintf(err, err_len, "%s", len == 0 ? "expected symbols or patterns separated by commas, such as "
                                                    "BTCUSDT,bybit:ETHUSDT,top:100:USDT"
                                         : len >= sizeof word ? "an entry is too long" : why);
            symtab_free(&seen);
            free(w);
            return -1;
        }
        char canon[SYMBOL_MAX];
        symbol_pattern_format(&w[n], canon);
        if (symtab_get(&seen, canon) >= 0) {
            snprintf(err, err_len, "%s is listed twice", canon);
            symtab_free(&seen);
            free(w);
            return -1;
        }
        symtab_put(&seen, canon, n);
        n++;
        p += len + (end ? 1 : 0);
    }
    symtab_free(&seen);
    *out = w;
    return n;
}

char *app_symbols_written(const struct cli *cli, const struct config *c)
{
    if (cli->symbols)
        return strdup(cli->symbols);
    size_t used = 0, cap = (size_t)(c->feed.n_symbols + 1) * SYMBOL_MAX;
    char *list = malloc(cap);
    if (!list)
        return NULL;
    list[0] = 0;
    for (int i = 0; i < c->feed.n_symbols; i++)
        used += (size_t)snprintf(list + used, cap - used, "%s%s", i ? "," : "", c->feed.symbols[i]);
    return list;
}

struct symbol_refresh *app_symbol_refresh_for(const struct cli *cli, const struct app_setup *st)
{
    char *list = app_symbols_written(cli, &st->cfg);
    struct symbol_refresh *r = list ? app_symbol_refresh_start(list, st->symbols, st->o.endpoints[0].rest_url,
                                                               st->cfg.feed.ca_file, st->cfg.feed.max_symbols,
                                                               st->cfg.feed.top_refresh_s) : NULL;
    free(list);
    return r;
}

int app_symbols_resolve(const char *list, const char *rest_url, const char *ca_file, int cap, char *out,
                        size_t out_len, char *err, size_t err_len)
{
    struct symbol_pattern *w;
    int n = parse_words(list, &w, err, err_len);
    if (n < 0)
        return -1;
    struct symbol_listed *listed = NULL;
    int m = 0;
    const struct venue *v = venue_find(VENUE_DEFAULT);
    if (symbol_patterns_need_listing(w, n) &&
        (!v || !v->listing ||
         v->listing(rest_url, ca_file, symbol_patterns_need_volume(w, n), &listed, &m, err, err_len))) {
        if (!v || !v->listing)
            snprintf(err, err_len, "the %s venue does not list its symbols", VENUE_DEFAULT);
        free(w);
        return -1;
    }
    char (*names)[SYMBOL_MAX] = calloc((size_t)(cap > 0 ? cap : 1), sizeof *names);
    int k = names ? symbol_patterns_resolve(w, n, listed, m, names, cap, err, err_len) : -1;
    if (!names)
        snprintf(err, err_len, "out of memory");
    size_t used = 0;
    out[0] = 0;
    for (int i = 0; i < k && used < out_len; i++)
        used += (size_t)snprintf(out + used, out_len - used, "%s%s", i ? "," : "", names[i]);
    if (k == 0)
        snprintf(err, err_len, "the symbols and patterns name no symbol (Binance lists %d)", m);
    else if (k > 0 && used >= out_len)
        snprintf(err, err_len, "the resolved list of %d symbols is too long", k), k = -1;
    if (k > 0 && symbol_patterns_need_listing(w, n))
        log_info("symbols: %s -> %d symbols of the %d Binance lists", list, k, m);
    free(names);
    free(listed);
    free(w);
    return k > 0 ? 0 : -1;
}
