/* The scanner's rows: filter, then sort indices by one column. Sorting
 * indices (not rows) keeps a 1,000-row sort in the tens of microseconds, and
 * only the rows on screen are ever formatted (panels/scanner.c). */
#include "scan.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "alphapulse/patterns.h"
#include "alphapulse/regime.h"

const char *const scan_col_name[SCAN_COLS] = { "SYMBOL", "LAST", "1H%", "24H%", "VOL24H", "VOL%ILE", "REGIMES",
                                               "CONF", "RSI", "PATTERN", "SIGNAL", "R:R" };

enum { OP_EQ, OP_NE, OP_GT, OP_LT, OP_GE, OP_LE };
enum { K_REGIME, K_CONF, K_VOL, K_VOLP, K_RSI, K_CHG1H, K_CHG24H, K_SIG, K_RR, K_SYM, K_PATTERN };
static const struct { const char *name; int key; } keys[] = {
    { "regime", K_REGIME }, { "conf", K_CONF }, { "vol", K_VOL }, { "volp", K_VOLP }, { "rsi", K_RSI },
    { "chg1h", K_CHG1H }, { "chg24h", K_CHG24H }, { "sig", K_SIG }, { "rr", K_RR }, { "sym", K_SYM },
    { "pattern", K_PATTERN },
};

/* 10M, 2.5k, 1B, 0.7: a number with an optional K/M/B multiplier */
static int parse_num(const char *s, double *out)
{
    char *end;
    double v = strtod(s, &end);
    if (end == s)
        return -1;
    switch (toupper((unsigned char)*end)) {
    case 'K': v *= 1e3; end++; break;
    case 'M': v *= 1e6; end++; break;
    case 'B': v *= 1e9; end++; break;
    case 'T': v *= 1e12; end++; break;
    default: break;
    }
    if (*end)
        return -1;
    *out = v;
    return 0;
}

int scan_filter_parse(struct scan_filter *f, const char *expr, char *err, size_t err_len)
{
    struct scan_filter nf = { 0 };
    memcpy(nf.name, f->name, sizeof nf.name);
    char buf[256];
    snprintf(buf, sizeof buf, "%s", expr ? expr : "");
    for (char *save = NULL, *w = strtok_r(buf, " \t", &save); w; w = strtok_r(NULL, " \t", &save)) {
        if (nf.n == SCAN_TERMS) {
            snprintf(err, err_len, "at most %d filter terms", SCAN_TERMS);
            return -1;
        }
        size_t k = strcspn(w, "=<>!");
        if (!w[k]) {
            snprintf(err, err_len, "%s: expected KEY OP VALUE, e.g. regime=breakout conf>0.7 vol>10M", w);
            return -1;
        }
        struct scan_term *t = &nf.t[nf.n];
        char whole[64];
        snprintf(whole, sizeof whole, "%s", w);
        char *op = w + k, *val;
        if (op[0] == '!' && op[1] == '=') { t->op = OP_NE; val = op + 2; }
        else if (op[0] == '>' && op[1] == '=') { t->op = OP_GE; val = op + 2; }
        else if (op[0] == '<' && op[1] == '=') { t->op = OP_LE; val = op + 2; }
        else if (op[0] == '>') { t->op = OP_GT; val = op + 1; }
        else if (op[0] == '<') { t->op = OP_LT; val = op + 1; }
        else if (op[0] == '=') { t->op = OP_EQ; val = op + (op[1] == '=' ? 2 : 1); }
        else {
            snprintf(err, err_len, "%s: unknown operator (=, !=, >, <, >=, <=)", w);
            return -1;
        }
        *op = 0;
        t->key = -1;
        for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
            if (strcasecmp(w, keys[i].name) == 0)
                t->key = keys[i].key;
        if (t->key < 0) {
            snprintf(err, err_len, "%s: unknown key (regime conf vol volp rsi chg1h chg24h sig rr sym pattern)", w);
            return -1;
        }
        bool text = t->key == K_REGIME || t->key == K_SYM || t->key == K_PATTERN;
        if (!*val || (text && t->op != OP_EQ && t->op != OP_NE) || (!text && parse_num(val, &t->num))) {
            snprintf(err, err_len, "%s: expected %s", whole,
                     text ? "a name with = or != (e.g. regime=breakout)" : "a number, K/M/B allowed (e.g. vol>10M)");
            return -1;
        }
        snprintf(t->text, sizeof t->text, "%s", val);
        nf.n++;
    }
    *f = nf;
    return 0;
}

static bool contains(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    for (; *hay; hay++)
        if (strncasecmp(hay, needle, n) == 0)
            return true;
    return n == 0;
}

static bool cmp(double v, int op, double x)
{
    if (isnan(v))
        return op == OP_NE;
    switch (op) {
    case OP_EQ: return v == x;
    case OP_NE: return v != x;
    case OP_GT: return v > x;
    case OP_LT: return v < x;
    case OP_GE: return v >= x;
    default: return v <= x;
    }
}

/* The columns kept as float compare with the bound in float too, so sig>=0.9
 * holds for a signal of confidence 0.9f. */
static bool cmpf(float v, int op, double x) { return cmp(v, op, (float)x); }

static bool term(const struct scan_term *t, const struct snap_symbol *s, int view_tf)
{
    bool hit;
    switch (t->key) {
    case K_REGIME:                 /* any timeframe's regime, by its name or short name */
        hit = false;
        for (int i = 0; i < TF_COUNT && !hit; i++)
            hit = s->regime[i] != REGIME_NONE &&
                  (contains(regime_name(s->regime[i]), t->text) || contains(regime_short(s->regime[i]), t->text));
        (void)view_tf;
        return t->op == OP_EQ ? hit : !hit;
    case K_SYM:
        hit = contains(s->name, t->text);
        return t->op == OP_EQ ? hit : !hit;
    case K_PATTERN:
        hit = s->pattern >= 0 && (contains(cdl_title(s->pattern), t->text) || contains(cdl_code(s->pattern), t->text));
        return t->op == OP_EQ ? hit : !hit;
    case K_CONF: return cmpf(s->confluence, t->op, t->num);
    case K_VOL: return cmp(s->qvol_24h, t->op, t->num);
    case K_VOLP: return cmpf(s->vol_pct, t->op, t->num);
    case K_RSI: return cmpf(s->rsi, t->op, t->num);
    case K_CHG1H: return cmpf(s->chg_1h, t->op, t->num);
    case K_CHG24H: return cmpf(s->chg_24h, t->op, t->num);
    case K_SIG: return cmpf(s->sig_conf, t->op, t->num);
    default: return cmpf(s->sig_rr, t->op, t->num);
    }
}

bool scan_match(const struct scan_filter *f, const struct snap_symbol *s, int view_tf)
{
    if (f->name[0] && !contains(s->name, f->name))
        return false;
    for (int i = 0; i < f->n; i++)
        if (!term(&f->t[i], s, view_tf))
            return false;
    return true;
}

/* The value a column sorts by (NAN: missing). */
static double key_of(const struct snap_symbol *s, int col)
{
    switch (col) {
    case SCAN_LAST: return s->last > 0 ? s->last : NAN;
    case SCAN_CHG1H: return s->chg_1h;
    case SCAN_CHG24H: return s->chg_24h;
    case SCAN_VOL: return s->qvol_24h;
    case SCAN_VOLP: return s->vol_pct;
    case SCAN_REGIME: {                 /* trending timeframes first: how many are in a strong trend or breakout */
        int n = 0;
        for (int i = 0; i < TF_COUNT; i++)
            n += s->regime[i] == REGIME_STRONG_TREND_BULL || s->regime[i] == REGIME_STRONG_TREND_BEAR ||
                 s->regime[i] == REGIME_STRONG_TREND || s->regime[i] == REGIME_VOLATILE_BREAKOUT;
        return n;
    }
    case SCAN_CONF: return s->confluence;
    case SCAN_RSI: return s->rsi;
    case SCAN_PATTERN: return s->pattern >= 0 ? s->pattern : NAN;
    case SCAN_SIG: return s->sig_conf;
    case SCAN_RR: return s->sig_rr;
    default: return NAN;
    }
}

/* qsort has no context argument in C11: the sort's is set just before */
static const struct snap_symbol *sort_syms;
static int sort_col;
static bool sort_desc;

static int row_cmp(const void *a, const void *b)
{
    const struct snap_symbol *x = &sort_syms[*(const int *)a], *y = &sort_syms[*(const int *)b];
    if (sort_col != SCAN_SYMBOL) {
        double u = key_of(x, sort_col), v = key_of(y, sort_col);
        if (isnan(u) != isnan(v))
            return isnan(u) ? 1 : -1;                /* missing last, either way */
        if (!isnan(u) && u != v)
            return (u < v) == sort_desc ? 1 : -1;
    }
    int c = strcmp(x->name, y->name);
    return sort_col == SCAN_SYMBOL && sort_desc ? -c : c;
}

int scan_rows(const struct snapshot *snap, const struct scan_filter *f, int col, bool desc, int *rows)
{
    int n = 0;
    for (int i = 0; i < snap->n_symbols; i++)
        if (scan_match(f, &snap->symbols[i], snap->tf))
            rows[n++] = i;
    sort_syms = snap->symbols;
    sort_col = col;
    sort_desc = desc;
    qsort(rows, (size_t)n, sizeof *rows, row_cmp);
    return n;
}

void scan_fmt_volume(double v, char *buf, size_t n)
{
    if (!(v > 0))
        snprintf(buf, n, "-");
    else if (v >= 1e12)
        snprintf(buf, n, "%.2fT", v / 1e12);
    else if (v >= 1e9)
        snprintf(buf, n, "%.2fB", v / 1e9);
    else if (v >= 1e6)
        snprintf(buf, n, "%.2fM", v / 1e6);
    else if (v >= 1e3)
        snprintf(buf, n, "%.1fK", v / 1e3);
    else
        snprintf(buf, n, "%.0f", v);
}
