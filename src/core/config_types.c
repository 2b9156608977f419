/* The configuration's value types: for each, how a JSON value is checked and
 * stored (every complaint names the path and what was expected), how the stored
 * value is printed for --check-config, and how a --set/:set text becomes JSON.
 * A field's type is one of these tables, so a new kind of value is one new
 * table here or in the module that owns it, not a case in a switch. */
#include "config_internal.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "alphapulse/candle.h"
#include "alphapulse/suggest.h"
#include "alphapulse/symbol_id.h"
#include "alphapulse/symbol_pattern.h"

bool config_valid_symbol(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 15)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!isupper((unsigned char)s[i]) && !isdigit((unsigned char)s[i]))
            return false;
    return true;
}

bool config_in_range(const struct config_field *f, double v)
{
    return (f->min_open ? v > f->min : v >= f->min) && v <= f->max;
}

static bool prefix(const char *s, const char *p) { return strncmp(s, p, strlen(p)) == 0; }

/* ---- numbers and booleans ------------------------------------------------------ */

static bool parse_int(struct config_load *x, const struct config_field *f, void *dst, const char *path, json_t *v)
{
    if (!json_is_integer(v)) {
        config_error(x, path, "expected %s, got %s", f->expect, config_json_kind(v));
        return false;
    }
    if (!config_in_range(f, (double)json_integer_value(v))) {
        config_error(x, path, "%lld is out of range (expected %s)", (long long)json_integer_value(v), f->expect);
        return false;
    }
    *(int *)dst = (int)json_integer_value(v);
    return true;
}

static void print_int(FILE *out, const struct config_field *f, const void *src, const struct config_vocab *vb)
{
    (void)f, (void)vb;
    fprintf(out, "%d", *(const int *)src);
}

static int int_from_text(const struct config_field *f, const char *text, json_t **out, char *err, size_t n)
{
    char *end;
    errno = 0;
    long long v = strtoll(text, &end, 10);
    if (*end || end == text || errno) {
        snprintf(err, n, "%s: \"%s\" is not an integer (expected %s)", f->path, text, f->expect);
        return -1;
    }
    *out = json_integer(v);
    return 0;
}

const struct config_type config_int = { parse_int, print_int, int_from_text };

static bool parse_double(struct config_load *x, const struct config_field *f, void *dst, const char *path, json_t *v)
{
    if (!json_is_number(v)) {
        config_error(x, path, "expected %s, got %s", f->expect, config_json_kind(v));
        return false;
    }
    if (!config_in_range(f, json_number_value(v))) {
        config_error(x, path, "%g is out of range (expected %s)", json_number_value(v), f->expect);
        return false;
    }
    *(double *)dst = json_number_value(v);
    return true;
}

static void print_double(FILE *out, const struct config_field *f, const void *src, const struct config_vocab *vb)
{
    (void)f, (void)vb;
    fprintf(out, "%.10g", *(const double *)src);
}

static int double_from_text(const struct config_field *f, const char *text, json_t **out, char *err, size_t n)
{
    char *end;
    double v = strtod(text, &end);
    if (*end || end == text || !isfinite(v)) {
        snprintf(err, n, "%s: \"%s\" is not a number (expected %s)", f->path, text, f->expect);
        return -1;
    }
    *out = json_real(v);
    return 0;
}

const struct config_type config_double = { parse_double, print_double, double_from_text };

static bool parse_bool(struct config_load *x, const struct config_field *f, void *dst, const char *path, json_t *v)
{
    if (!json_is_boolean(v)) {
        config_error(x, path, "expected %s, got %s", f->expect, config_json_kind(v));
        return false;
    }
    *(bool *)dst = json_is_true(v);
    return true;
}

static void print_bool(FILE *out, const struct config_field *f, const void *src, const struct config_vocab *vb)
{
    (void)f, (void)vb;
    fputs(*(const bool *)src ? "true" : "false", out);
}

static int bool_from_text(const struct config_field *f, const char *text, json_t **out, char *err, size_t n)
{
    if (!strcmp(text, "true") || !strcmp(text, "on") || !strcmp(text, "1"))
        *out = json_true();
    else if (!strcmp(text, "false") || !strcmp(text, "off") || !strcmp(text, "0"))
        *out = json_false();
    else {
        snprintf(err, n, "%s: \"%s\" is not true or false", f->path, text);
        return -1;
    }
    return 0;
}

const struct config_type config_bool = { parse_bool, print_bool, bool_from_text };

/* ---- strings ------------------------------------------------------------------- */

/* A string checked by why(); stored in the field's char array. */
static bool parse_text(struct config_load *x, const struct config_field *f, void *dst, const char *path, json_t *v,
                       const char *(*why)(const struct config_field *f, const char *s))
{
    if (!json_is_string(v)) {
        config_error(x, path, "expected %s, got %s", f->expect, config_json_kind(v));
        return false;
    }
    const char *s = json_string_value(v), *bad = strlen(s) >= f->size ? "is too long" : why ? why(f, s) : NULL;
    if (bad) {
        config_error(x, path, "\"%s\" %s (expected %s)", s, bad, f->expect);
        return false;
    }
    snprintf(dst, f->size, "%s", s);
    return true;
}

static void print_text(FILE *out, const struct config_field *f, const void *src, const struct config_vocab *vb)
{
    (void)f, (void)vb;
    fprintf(out, "\"%s\"", (const char *)src);
}

static bool parse_string(struct config_load *x, const struct config_field *f, void *dst, const char *path, json_t *v)
{
    return parse_text(x, f, dst, path, v, NULL);
}

const struct config_type config_string = { parse_string, print_text, NULL };

static const char *http_why(const struct config_field *f, const char *s)
{
    (void)f;
    return prefix(s, "http://") || prefix(s, "https://") ? NULL : "is not an http:// or https:// URL";
}

static bool parse_url_http(struct config_load *x, const struct config_field *f, void *dst, const char *path, json_t *v)
{
    return parse_text(x, f, dst, path, v, http_why);
}

const struct config_type config_url_http = { parse_url_http, print_text, NULL };

static const char *ws_why(const struct config_field *f, const char *s)
{
    (void)f;
    return prefix(s, "ws://") || prefix(s, "wss://") ? NULL : "is not a ws:// or wss:// URL";
}

static bool parse_url_ws(struct config_load *x, const struct config_field *f, void *dst, const char *path, json_t *v)
{
    return parse_text(x, f, dst, path, v, ws_why);
}

const struct config_type config_url_ws = { parse_url_ws, print_text, NULL };

/* A CA bundle is checked here, where a mistake can still be pointed at by line
 * and column; the TLS libraries would only fail later, at the first connection,
 * with a message that names neither the file nor the setting. Parsing the
 * certificates is left to them: core links no TLS library. */
static const char *ca_file_why(const struct config_field *f, const char *path)
{
    (void)f;
    static _Thread_local char why[160];
    struct stat st;
    if (!*path)
        return NULL;                          /* the system's trust store */
    if (stat(path, &st) != 0) {
        snprintf(why, sizeof why, "cannot be read: %s", strerror(errno));
        return why;
    }
    if (S_ISDIR(st.st_mode))
        return "is a directory";
    if (!S_ISREG(st.st_mode))                 /* a FIFO would block the load */
        return "is not a regular file";
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        snprintf(why, sizeof why, "cannot be read: %s", strerror(errno));
        return why;
    }
    /* a marker split across two reads is kept by carrying the last bytes over */
    static const char *const marks[] = { "-----BEGIN CERTIFICATE-----", "-----BEGIN TRUSTED CERTIFICATE-----" };
    char buf[8192];
    size_t keep = 0, n;
    bool found = false;
    while (!found && (n = fread(buf + keep, 1, sizeof buf - keep, fp)) > 0) {
        n += keep;
        for (int i = 0; i < 2 && !found; i++)
            found = memmem(buf, n, marks[i], strlen(marks[i])) != NULL;
        keep = n < 40 ? n : 40;
        memmove(buf, buf + n - keep, keep);
    }
    bool err = ferror(fp);
    fclose(fp);
    if (err)
        return "cannot be read";
    return found ? NULL : "holds no -----BEGIN CERTIFICATE----- block";
}

static bool parse_ca_file(struct config_load *x, const struct config_field *f, void *dst, const char *path, json_t *v)
{
    return parse_text(x, f, dst, path, v, ca_file_why);
}

const struct config_type config_ca_file = { parse_ca_file, print_text, NULL };

static const char *currency_why(const struct config_field *f, const char *s)
{
    (void)f;
    return config_valid_symbol(s) && strlen(s) <= 10 ? NULL : "is not a currency code (2-10 capital letters)";
}

static bool parse_currency(struct config_load *x, const struct config_field *f, void *dst, const char *path, json_t *v)
{
    return parse_text(x, f, dst, path, v, currency_why);
}

const struct config_type config_currency = { parse_currency, print_text, NULL };

static bool parse_theme(struct config_load *x, const struct config_field *f, void *dst, const char *path, json_t *v)
{
    char name[256];
    if (f->size > sizeof name || !parse_text(x, f, name, path, v, NULL))
        return false;
    const struct config_vocab *vb = config_load_vocab(x);
    if (vb && vb->theme_ok && !vb->theme_ok(name)) {
        config_error(x, path, "unknown theme \"%s\" (expected %s)", name, f->expect);
        return false;
    }
    snprintf(dst, f->size, "%s", name);
    return true;
}

const struct config_type config_theme = { parse_theme, print_text, NULL };

/* ---- names: one of a list (choice: the name, enum: its index), or several (flags) -- */

/* The index of s in the field's list of names, or -1. */
static int name_index(const struct config_field *f, const char *s)
{
    const struct config_names *nm = f->arg;
    for (int i = 0; nm && nm->names[i]; i++)
        if (strcmp(s, nm->names[i]) == 0)
            return i;
    return -1;
}

/* Reports a name not in the list: "\"qty\" is not a sizing method", with the
 * nearest name when one is close, else what was expected. */
static void unknown_name(struct config_load *x, const struct config_field *f, const char *path, const char *s)
{
    const struct config_names *nm = f->arg;
    int n = 0;
    while (nm->names[n])
        n++;
    const char *near = suggest_nearest(s, nm->names, n, strlen(s) <= 4 ? 1 : 2);   /* "qty" is not "atr" */
    if (near)
        config_error(x, path, "\"%s\" is not a %s (did you mean \"%s\"?)", s, nm->what, near);
    else
        config_error(x, path, "\"%s\" is not a %s (expected %s)", s, nm->what, f->expect);
}

static bool parse_choice(struct config_load *x, const struct config_field *f, void *dst, const char *path, json_t *v)
{
    char s[256];
    struct config_field g = *f;
    g.size = sizeof s;
    if (!parse_text(x, &g, s, path, v, NULL))
        return false;
    if (name_index(f, s) < 0) {
        unknown_name(x, f, path, s);
        return false;
    }
    snprintf(dst, f->size, "%s", s);
    return true;
}

const struct config_type config_choice = { parse_choice, print_text, NULL };

static bool parse_enum(struct config_load *x, const struct config_field *f, void *dst, const char *path, json_t *v)
{
    char s[256];
    struct config_field g = *f;
    g.size = sizeof s;
    if (!parse_choice(x, &g, s, path, v))
        return false;
    *(int *)dst = name_index(f, s);
    return true;
}

static void print_enum(FILE *out, const struct config_field *f, const void *src, const struct config_vocab *vb)
{
    (void)vb;
    const char *const *names = ((const struct config_names *)f->arg)->names;
    int k = *(const int *)src, n = 0;
    while (names[n])
        n++;
    fprintf(out, "\"%s\"", k >= 0 && k < n ? names[k] : "?");
}

const struct config_type config_enum = { parse_enum, print_enum, NULL };

static bool parse_flags(struct config_load *x, const struct config_field *f, void *dst, const char *path, json_t *v)
{
    if (!json_is_array(v)) {
        config_error(x, path, "expected %s, got %s", f->expect, config_json_kind(v));
        return false;
    }
    unsigned mask = 0;
    bool ok = true;
    size_t i;
    json_t *it;
    json_array_foreach(v, i, it) {
        char ip[300];
        snprintf(ip, sizeof ip, "%s[%zu]", path, i);
        int k = json_is_string(it) ? name_index(f, json_string_value(it)) : -1;
        if (k >= 0) {
            mask |= 1u << k;
            continue;
        }
        ok = false;
        if (!json_is_string(it))
            config_error(x, ip, "expected a %s, got %s", ((const struct config_names *)f->arg)->what,
                         config_json_kind(it));
        else
            unknown_name(x, f, ip, json_string_value(it));
    }
    if (ok)
        *(unsigned *)dst = mask;
    return ok;
}

static void print_flags(FILE *out, const struct config_field *f, const void *src, const struct config_vocab *vb)
{
    (void)vb;
    const char *const *names = ((const struct config_names *)f->arg)->names;
    unsigned m = *(const unsigned *)src;
    fputc('[', out);
    bool first = true;
    for (int i = 0; names[i]; i++)
        if (m & (1u << i)) {
            fprintf(out, "%s\"%s\"", first ? "" : ", ", names[i]);
            first = false;
        }
    fputc(']', out);
}

static int list_from_text(const struct config_field *f, const char *text, json_t **out, char *err, size_t n)
{
    (void)f, (void)err, (void)n;
    json_t *a = json_array();
    char buf[1024];
    snprintf(buf, sizeof buf, "%s", text);
    for (char *save, *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
        json_array_append_new(a, json_string(tok));
    *out = a;
    return 0;
}

const struct config_type config_flags = { parse_flags, print_flags, list_from_text };

/* ---- feed symbols ---------------------------------------------------------------- */

static bool parse_symbols(struct config_load *x, const struct config_field *f, void *dst, const char *path, json_t *v)
{
    struct config_feed *feed = dst;
    if (!json_is_array(v) || json_array_size(v) == 0 || json_array_size(v) > CONFIG_MAX_SYMBOLS) {
        config_error(x, path, "expected %s, got %s", f->expect,
                     json_is_array(v) ? "a list of the wrong length" : config_json_kind(v));
        return false;
    }
    bool ok = true;
    size_t i;
    json_t *it;
    int n = 0;
    json_array_foreach(v, i, it) {
        char ip[300];
        snprintf(ip, sizeof ip, "%s[%zu]", path, i);
        char canon[SYMBOL_MAX], why[400];
        const struct config_vocab *vb = config_load_vocab(x);
        struct symbol_pattern pat;
        if (!json_is_string(it)) {
            config_error(x, ip, "expected a symbol such as \"BTCUSDT\" or \"bybit:BTCUSDT\", or a pattern such "
                         "as \"*USDT\", \"top:100:USDT\" or \"-BTCDOWNUSDT\", got %s", config_json_kind(it));
            ok = false;
            continue;
        }
        if (symbol_pattern_parse(json_string_value(it), vb && vb->venues ? vb->venues() : NULL, &pat, why,
                                 sizeof why)) {
            config_error(x, ip, "%s", why);
            ok = false;
            continue;
        }
        symbol_pattern_format(&pat, canon);
        for (int k = 0; k < n; k++)
            if (strcmp(feed->symbols[k], canon) == 0) {
                config_error(x, ip, "\"%s\" is listed twice", canon);
                ok = false;
            }
        if (ok)
            memcpy(feed->symbols[n++], canon, SYMBOL_MAX);
    }
    if (ok)
        feed->n_symbols = n;
    return ok;
}

static void print_symbols(FILE *out, const struct config_field *f, const void *src, const struct config_vocab *vb)
{
    (void)f, (void)vb;
    const struct config_feed *feed = src;
    fputc('[', out);
    for (int i = 0; i < feed->n_symbols; i++)
        fprintf(out, "%s\"%s\"", i ? ", " : "", feed->symbols[i]);
    fputc(']', out);
}

const struct config_type config_symbols = { parse_symbols, print_symbols, list_from_text };

/* ---- timeframes, voters, patterns: lists of names as a bit mask ---------------- */

/* Lower case without a cdl/cdl_ prefix: "CDLDOJI", "cdl_doji" and "doji" compare equal. */
static void pattern_key(const char *s, char *out, size_t n)
{
    if (!strncasecmp(s, "cdl_", 4))
        s += 4;
    else if (!strncasecmp(s, "cdl", 3))
        s += 3;
    size_t i = 0;
    for (; s[i] && i + 1 < n; i++)
        out[i] = (char)tolower((unsigned char)s[i]);
    out[i] = 0;
}

enum name_list { L_TIMEFRAMES, L_VOTERS, L_PATTERNS };

/* How many names the field's argument lists (voters: their bit count). */
static int count_names(const struct config_field *f)
{
    int n = 0;
    while (((const struct config_names *)f->arg)->names[n])
        n++;
    return n;
}

/* The id of one name in a pattern, voter or timeframe list, or -1 after reporting it. */
static int list_name(struct config_load *x, const struct config_field *f, enum name_list kind, const char *path,
                     json_t *it)
{
    const char *const *voters = kind == L_VOTERS ? ((const struct config_names *)f->arg)->names : NULL;
    const struct config_vocab *vb = config_load_vocab(x);
    const char *what = kind == L_PATTERNS ? "pattern" : "voter";
    if (kind == L_TIMEFRAMES) {
        int tf = json_is_string(it) ? tf_parse(json_string_value(it)) : -1;
        if (tf < 0)
            config_error(x, path, "unknown timeframe %s%s%s (expected one of 1m, 5m, 15m, 1h, 4h, 1d)",
                         json_is_string(it) ? "\"" : "", json_is_string(it) ? json_string_value(it) : config_json_kind(it),
                         json_is_string(it) ? "\"" : "");
        return tf;
    }
    if (!json_is_string(it)) {
        config_error(x, path, "expected a %s name, got %s", what, config_json_kind(it));
        return -1;
    }
    const char *name = json_string_value(it);
    char want[64], best[64] = "";
    int bd = 3;
    if (kind == L_VOTERS) {
        for (int i = 0; voters[i]; i++) {
            if (!strcmp(name, voters[i]))
                return i;
            int d = suggest_distance(name, voters[i]);
            if (d < bd) {
                bd = d;
                snprintf(best, sizeof best, "%s", voters[i]);
            }
        }
    } else if (!vb || !vb->pattern_find) {
        config_error(x, path, "pattern names cannot be checked by this program");
        return -1;
    } else {
        int id = vb->pattern_find(name);
        if (id >= 0 && id < 64)
            return id;
        pattern_key(name, want, sizeof want);
        for (int i = 0; i < vb->n_patterns; i++) {
            int d = suggest_distance(want, vb->pattern_name(i));
            if (d < bd) {
                bd = d;
                snprintf(best, sizeof best, "%s", vb->pattern_name(i));
            }
        }
    }
    if (best[0]) {
        config_error(x, path, "unknown %s \"%s\" (did you mean \"%s\"?)", what, name, best);
    } else if (kind == L_VOTERS) {
        char list[160] = "";
        for (int i = 0; voters[i]; i++)
            snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", i ? voters[i + 1] ? ", " : " or " : "",
                     voters[i]);
        config_error(x, path, "unknown %s \"%s\" (expected %s)", what, name, list);
    } else {
        config_error(x, path, "unknown %s \"%s\" (the names are TA-Lib's: CDLDOJI, CDLHAMMER, ...)", what, name);
    }
    return -1;
}

/* A list of names as a bit mask; ["all"] is every one. Timeframes may not be an
 * empty list. */
static bool parse_names(struct config_load *x, const struct config_field *f, void *dst, const char *path, json_t *v,
                        enum name_list kind)
{
    if (!json_is_array(v) || (kind == L_TIMEFRAMES && json_array_size(v) == 0)) {
        config_error(x, path, "expected %s, got %s", f->expect, config_json_kind(v));
        return false;
    }
    uint64_t mask = 0;
    bool ok = true;
    size_t i;
    json_t *it;
    json_array_foreach(v, i, it) {
        char ip[300];
        snprintf(ip, sizeof ip, "%s[%zu]", path, i);
        if (json_is_string(it) && !strcmp(json_string_value(it), "all")) {
            mask = ~0ull;
            continue;
        }
        int id = list_name(x, f, kind, ip, it);
        if (id < 0)
            ok = false;
        else
            mask |= 1ull << id;
    }
    if (!ok)
        return false;
    if (kind == L_PATTERNS)
        *(uint64_t *)dst = mask;
    else
        *(uint32_t *)dst = (uint32_t)(mask & ((1u << (kind == L_VOTERS ? count_names(f) : TF_COUNT)) - 1));
    return true;
}

static bool parse_timeframes(struct config_load *x, const struct config_field *f, void *dst, const char *path, json_t *v)
{
    return parse_names(x, f, dst, path, v, L_TIMEFRAMES);
}

static void print_timeframes(FILE *out, const struct config_field *f, const void *src, const struct config_vocab *vb)
{
    (void)f, (void)vb;
    uint32_t m = *(const uint32_t *)src;
    fputc('[', out);
    bool first = true;
    for (int tf = 0; tf < TF_COUNT; tf++)
        if (m & (1u << tf)) {
            fprintf(out, "%s\"%s\"", first ? "" : ", ", tf_name(tf));
            first = false;
        }
    fputc(']', out);
}

const struct config_type config_timeframes = { parse_timeframes, print_timeframes, list_from_text };

/* A mask of n names: ["all"] when every one is in. */
static void print_mask(FILE *out, uint64_t m, int n, const char *(*name)(int id, const struct config_vocab *vb),
                       const struct config_vocab *vb)
{
    uint64_t all = n >= 64 ? ~0ull : (1ull << n) - 1;
    if ((m & all) == all) {
        fputs("[\"all\"]", out);
        return;
    }
    fputc('[', out);
    bool first = true;
    for (int i = 0; i < n; i++)
        if (m & (1ull << i)) {
            const char *s = name(i, vb);
            if (s)
                fprintf(out, "%s\"%s\"", first ? "" : ", ", s);
            else
                fprintf(out, "%s%d", first ? "" : ", ", i);
            first = false;
        }
    fputc(']', out);
}

static bool parse_voters(struct config_load *x, const struct config_field *f, void *dst, const char *path, json_t *v)
{
    return parse_names(x, f, dst, path, v, L_VOTERS);
}

static void print_voters(FILE *out, const struct config_field *f, const void *src, const struct config_vocab *vb)
{
    (void)vb;
    const char *const *names = ((const struct config_names *)f->arg)->names;
    uint32_t m = *(const uint32_t *)src, all = (1u << count_names(f)) - 1;
    if ((m & all) == all) {
        fputs("[\"all\"]", out);
        return;
    }
    fputc('[', out);
    bool first = true;
    for (int i = 0; names[i]; i++)
        if (m & (1u << i)) {
            fprintf(out, "%s\"%s\"", first ? "" : ", ", names[i]);
            first = false;
        }
    fputc(']', out);
}

const struct config_type config_voters = { parse_voters, print_voters, list_from_text };

static bool parse_patterns(struct config_load *x, const struct config_field *f, void *dst, const char *path, json_t *v)
{
    return parse_names(x, f, dst, path, v, L_PATTERNS);
}

static const char *pattern_name(int id, const struct config_vocab *vb)
{
    return vb && vb->pattern_name ? vb->pattern_name(id) : NULL;
}

static void print_patterns(FILE *out, const struct config_field *f, const void *src, const struct config_vocab *vb)
{
    (void)f;
    print_mask(out, *(const uint64_t *)src, vb && vb->pattern_name ? vb->n_patterns : 64, pattern_name, vb);
}

const struct config_type config_patterns = { parse_patterns, print_patterns, list_from_text };

/* ---- signal targets: four rising multiples of the risk ------------------------- */

static bool parse_targets(struct config_load *x, const struct config_field *f, void *dst, const char *path, json_t *v)
{
    double r[4];
    bool ok = json_is_array(v) && json_array_size(v) == 4;
    for (size_t i = 0; ok && i < 4; i++) {
        json_t *it = json_array_get(v, i);
        ok = json_is_number(it) && config_in_range(f, r[i] = json_number_value(it)) && (i == 0 || r[i] > r[i - 1]);
    }
    if (!ok) {
        config_error(x, path, "expected %s", f->expect);
        return false;
    }
    memcpy(dst, r, sizeof r);
    return true;
}

static void print_targets(FILE *out, const struct config_field *f, const void *src, const struct config_vocab *vb)
{
    (void)f, (void)vb;
    const double *r = src;
    fprintf(out, "[%g, %g, %g, %g]", r[0], r[1], r[2], r[3]);
}

static int targets_from_text(const struct config_field *f, const char *text, json_t **out, char *err, size_t n)
{
    json_t *a = json_array();
    char buf[256], *save, *end;
    snprintf(buf, sizeof buf, "%s", text);
    for (char *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        double d = strtod(tok, &end);
        if (*end || end == tok) {
            json_decref(a);
            snprintf(err, n, "%s: \"%s\" is not a number (expected %s)", f->path, tok, f->expect);
            return -1;
        }
        json_array_append_new(a, json_real(d));
    }
    *out = a;
    return 0;
}

const struct config_type config_targets = { parse_targets, print_targets, targets_from_text };

/* ---- ui.keys: key name -> command line ----------------------------------------- */

static bool parse_keymap(struct config_load *x, const struct config_field *f, void *dst, const char *path, json_t *v)
{
    struct config_ui *ui = dst;
    if (!json_is_object(v) || json_object_size(v) > CONFIG_MAX_KEYS) {
        config_error(x, path, "expected %s, got %s", f->expect, json_is_object(v) ? "too many keys" : config_json_kind(v));
        return false;
    }
    const struct config_vocab *vb = config_load_vocab(x);
    bool ok = true;
    const char *k;
    json_t *cmd;
    int n = 0;
    json_object_foreach(v, k, cmd) {
        char kp[300];
        snprintf(kp, sizeof kp, "%s.%s", path, k);
        if (!*k || strlen(k) >= sizeof ui->keys[0].key || !json_is_string(cmd) ||
            json_string_length(cmd) >= sizeof ui->keys[0].command) {
            config_error(x, kp, "expected a key name bound to a command line (at most 63 characters)");
            ok = false;
            continue;
        }
        const char *why = vb && vb->key_problem ? vb->key_problem(k, json_string_value(cmd)) : NULL;
        if (why) {
            config_error(x, kp, "%s", why);
            ok = false;
            continue;
        }
        snprintf(ui->keys[n].key, sizeof ui->keys[n].key, "%s", k);
        snprintf(ui->keys[n].command, sizeof ui->keys[n].command, "%s", json_string_value(cmd));
        n++;
    }
    if (ok)
        ui->n_keys = n;
    return ok;
}

static void print_keymap(FILE *out, const struct config_field *f, const void *src, const struct config_vocab *vb)
{
    (void)f, (void)vb;
    const struct config_ui *ui = src;
    fputc('{', out);
    for (int i = 0; i < ui->n_keys; i++)
        fprintf(out, "%s\"%s\": \"%s\"", i ? ", " : "", ui->keys[i].key, ui->keys[i].command);
    fputc('}', out);
}

const struct config_type config_keymap = { parse_keymap, print_keymap, NULL };
