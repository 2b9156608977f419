/* feed.symbols patterns (*QUOTE, top:N:QUOTE, -SYMBOL): their syntax, and their
 * expansion over a listing the caller fetched. The messages name the word and
 * what was expected, for the configuration's and --symbols' errors alike. */
#include "alphapulse/symbol_pattern.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "alphapulse/symbol_id.h"
#include "alphapulse/symtab.h"

/* A quote asset: 2-11 letters and digits, upper-cased into out. */
static bool quote_of(const char *s, char out[12])
{
    size_t n = strlen(s);
    if (n < 2 || n > 11)
        return false;
    for (size_t i = 0; i < n; i++) {
        if (!isalnum((unsigned char)s[i]))
            return false;
        out[i] = (char)toupper((unsigned char)s[i]);
    }
    out[n] = 0;
    return true;
}

int symbol_pattern_parse(const char *word, const char *const *venues, struct symbol_pattern *p, char *why,
                         size_t why_len)
{
    memset(p, 0, sizeof *p);
    char e[200];
    if (word[0] == '*') {
        p->kind = SP_ALL;
        if (quote_of(word + 1, p->quote))
            return 0;
        snprintf(why, why_len, "\"%s\": expected * and a quote asset such as \"*USDT\" (every trading USDT pair)",
                 word);
        return -1;
    }
    if (strncasecmp(word, "top:", 4) == 0) {
        p->kind = SP_TOP;
        char *end;
        long n = strtol(word + 4, &end, 10);
        if (isdigit((unsigned char)word[4]) && *end == ':' && n >= 1 && n <= SYMBOL_PATTERN_TOP_MAX &&
            quote_of(end + 1, p->quote)) {
            p->top = (int)n;
            return 0;
        }
        snprintf(why, why_len, "\"%s\": expected top:N:QUOTE such as \"top:100:USDT\" (the N pairs with the most "
                 "24 h quote volume, N from 1 to %d)", word, SYMBOL_PATTERN_TOP_MAX);
        return -1;
    }
    if (word[0] == '-') {
        p->kind = SP_EXCLUDE;
        if (symbol_id_canonical(word + 1, venues, p->symbol, e, sizeof e) == 0)
            return 0;
        snprintf(why, why_len, "\"%s\": expected - and a symbol to leave out, such as \"-BTCDOWNUSDT\" (%s)", word, e);
        return -1;
    }
    p->kind = SP_SYMBOL;
    if (symbol_id_canonical(word, venues, p->symbol, e, sizeof e) == 0)
        return 0;
    snprintf(why, why_len, "%s (or a pattern: \"*USDT\", \"top:100:USDT\", \"-BTCDOWNUSDT\")", e);
    return -1;
}

void symbol_pattern_format(const struct symbol_pattern *p, char out[SYMBOL_MAX])
{
    if (p->kind == SP_ALL)
        snprintf(out, SYMBOL_MAX, "*%s", p->quote);
    else if (p->kind == SP_TOP)
        snprintf(out, SYMBOL_MAX, "top:%d:%s", p->top, p->quote);
    else
        snprintf(out, SYMBOL_MAX, "%s%.*s", p->kind == SP_EXCLUDE ? "-" : "", SYMBOL_MAX - 2, p->symbol);
}

bool symbol_patterns_need_listing(const struct symbol_pattern *p, int n)
{
    for (int i = 0; i < n; i++)
        if (p[i].kind == SP_ALL || p[i].kind == SP_TOP)
            return true;
    return false;
}

bool symbol_patterns_need_volume(const struct symbol_pattern *p, int n)
{
    for (int i = 0; i < n; i++)
        if (p[i].kind == SP_TOP)
            return true;
    return false;
}

struct resolve {
    struct symtab seen, excluded;
    char (*out)[SYMBOL_MAX];
    int n, cap;
    bool full;
};

static void take(struct resolve *r, const char *sym)
{
    if (symtab_get(&r->excluded, sym) >= 0 || symtab_get(&r->seen, sym) >= 0)
        return;
    if (r->n == r->cap) {
        r->full = true;
        return;
    }
    snprintf(r->out[r->n], SYMBOL_MAX, "%s", sym);
    symtab_put(&r->seen, sym, r->n++);
}

struct ranked { double volume; const char *symbol; };

static int by_volume(const void *a, const void *b)
{
    const struct ranked *x = a, *y = b;
    if (x->volume != y->volume)
        return x->volume < y->volume ? 1 : -1;
    return strcmp(x->symbol, y->symbol);
}

static bool matches(const struct symbol_listed *l, const struct symbol_pattern *p)
{
    return l->trading && strcmp(l->quote, p->quote) == 0;
}

/* The N most traded pairs of p's quote, most first (ties by name); an excluded
 * pair is left out before ranking, so top:100 still names 100. */
static int top_of(const struct symbol_pattern *p, const struct symbol_listed *listed, int m,
                  const struct symtab *excluded, struct ranked *rk)
{
    int k = 0;
    for (int j = 0; j < m; j++)
        if (matches(&listed[j], p) && symtab_get(excluded, listed[j].symbol) < 0)
            rk[k++] = (struct ranked){ listed[j].quote_volume, listed[j].symbol };
    qsort(rk, (size_t)k, sizeof *rk, by_volume);
    return k < p->top ? k : p->top;
}

int symbol_patterns_resolve(const struct symbol_pattern *p, int n, const struct symbol_listed *listed, int m,
                            char (*out)[SYMBOL_MAX], int cap, char *why, size_t why_len)
{
    struct resolve r = { .out = out, .cap = cap };
    symtab_init(&r.seen);
    symtab_init(&r.excluded);
    struct ranked *rk = malloc((size_t)(m > 0 ? m : 1) * sizeof *rk);
    if (!rk) {
        snprintf(why, why_len, "out of memory");
        return -1;
    }
    for (int i = 0; i < n; i++)
        if (p[i].kind == SP_EXCLUDE)
            symtab_put(&r.excluded, p[i].symbol, i);
    for (int i = 0; i < n && !r.full; i++) {
        if (p[i].kind == SP_SYMBOL)
            take(&r, p[i].symbol);
        else if (p[i].kind == SP_ALL) {
            for (int j = 0; j < m; j++)
                if (matches(&listed[j], &p[i]))
                    take(&r, listed[j].symbol);
        } else if (p[i].kind == SP_TOP) {
            int k = top_of(&p[i], listed, m, &r.excluded, rk);
            for (int j = 0; j < k; j++)
                take(&r, rk[j].symbol);
        }
    }
    free(rk);
    symtab_free(&r.seen);
    symtab_free(&r.excluded);
    if (r.full) {
        snprintf(why, why_len, "the symbols and patterns name more than %d symbols (feed.max_symbols)", cap);
        return -1;
    }
    return r.n;
}
