/* Candlestick patterns against TA-Lib 0.6.0's own outputs (tests/data/golden, see
 * README-patterns.md), streaming against batch, and the edge cases and detection flags. */
#include "harness.h"
#include "alphapulse/patterns.h"

#include <stdint.h>
#include <stdlib.h>

#define GOLDEN "tests/data/golden/"

struct set {
    const char *label;
    struct candle *c;
    size_t n;
    int *want;          /* n * CDL_COUNT, TA-Lib's values */
};

static struct candle *load_candles(const char *path, size_t *n)
{
    FILE *f = fopen(path, "r");
    *n = 0;
    if (!f)
        return NULL;
    size_t cap = 1024;
    struct candle *c = malloc(cap * sizeof *c);
    char line[512];
    if (!fgets(line, sizeof line, f)) {
        fclose(f);
        free(c);
        return NULL;
    }
    long long t;
    double o, h, l, cl, v;
    while (fgets(line, sizeof line, f)) {
        if (sscanf(line, "%lld,%lf,%lf,%lf,%lf,%lf", &t, &o, &h, &l, &cl, &v) != 6)
            continue;
        if (*n == cap)
            c = realloc(c, (cap *= 2) * sizeof *c);
        c[(*n)++] = (struct candle){ .open_time = t, .open = o, .high = h, .low = l, .close = cl, .volume = v };
    }
    fclose(f);
    return c;
}

/* the analyze-style reference: time, 25 indicator columns, then 61 cdl_* columns */
static int *load_dense(const char *path, size_t n, int *header_ok)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return NULL;
    static char line[1 << 14];
    int *want = calloc(n * CDL_COUNT, sizeof *want);
    *header_ok = 0;
    if (fgets(line, sizeof line, f)) {
        char *p = strstr(line, "cdl_");
        int ok = p != NULL;
        for (int id = 0; ok && id < CDL_COUNT; id++) {
            size_t len = strlen(cdl_name(id));
            ok = strncmp(p, "cdl_", 4) == 0 && strncmp(p + 4, cdl_name(id), len) == 0 &&
                 (p[4 + len] == ',' || p[4 + len] == '\n' || p[4 + len] == '\r');
            p = strchr(p, ',');
            p = p ? p + 1 : "";
        }
        *header_ok = ok;
    }
    size_t row = 0;
    while (row < n && fgets(line, sizeof line, f)) {
        char *p = line;
        for (int col = 0; col < 26; col++)      /* skip time and the indicators */
            p = strchr(p, ',') + 1;
        for (int id = 0; id < CDL_COUNT; id++) {
            want[row * CDL_COUNT + id] = (int)strtol(p, &p, 10);
            if (*p == ',')
                p++;
        }
        row++;
    }
    fclose(f);
    if (row != n) {
        free(want);
        return NULL;
    }
    return want;
}

/* the sparse reference: time,pattern,value for the non-zero outputs only */
static int *load_sparse(const char *path, const struct candle *c, size_t n, size_t *listed)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return NULL;
    int *want = calloc(n * CDL_COUNT, sizeof *want);
    char line[256], name[64];
    long long t;
    int v;
    *listed = 0;
    if (!fgets(line, sizeof line, f)) {
        fclose(f);
        free(want);
        return NULL;
    }
    while (fgets(line, sizeof line, f)) {
        if (sscanf(line, "%lld,%63[^,],%d", &t, name, &v) != 3)
            continue;
        int id = cdl_find(name);
        size_t lo = 0, hi = n;               /* times are increasing */
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            if (c[mid].open_time < t) lo = mid + 1; else hi = mid;
        }
        if (id < 0 || lo == n || c[lo].open_time != t) {
            printf("#   unknown row in %s: %s", path, line);
            continue;
        }
        want[lo * CDL_COUNT + id] = v;
        (*listed)++;
    }
    fclose(f);
    return want;
}

enum { NSETS = 4 };
static struct set sets[NSETS];
static int nsets;

static void load_sets(void)
{
    static const char *const label[NSETS] = { "real_btc", "synthetic", "pattern_rich", "ties" };
    static const char *const csv[NSETS] = { GOLDEN "real_btc_5k.csv", GOLDEN "synthetic_trends_5k.csv",
                                            GOLDEN "pattern_rich_60k.csv", GOLDEN "ties_20k.csv" };
    static const char *const sparse[NSETS] = { NULL, NULL, GOLDEN "pattern_rich_60k.patterns.csv",
                                               GOLDEN "ties_20k.patterns.csv" };
    for (int i = 0; i < NSETS; i++) {
        struct set *s = &sets[nsets];
        s->label = label[i];
        s->c = load_candles(csv[i], &s->n);
        CHECK_MSG(s->c && s->n > 1000, "cannot read %s", csv[i]);
        if (!s->c)
            continue;
        if (i < 2) {
            int header_ok = 0;
            s->want = load_dense(i == 0 ? GOLDEN "real_btc_5k.talib.csv" : GOLDEN "synthetic_trends_5k.talib.csv",
                                 s->n, &header_ok);
            CHECK_MSG(header_ok, "%s: cdl_* columns are not in cdl_name order", label[i]);
        } else {
            size_t listed = 0;
            s->want = load_sparse(sparse[i], s->c, s->n, &listed);
            CHECK(listed > 40000);
        }
        CHECK_MSG(s->want != NULL, "cannot read the reference of %s", label[i]);
        if (s->want)
            nsets++;
    }
}

static void names_codes_titles(void)
{
    CHECK(strcmp(cdl_name(0), "2crows") == 0);
    CHECK(strcmp(cdl_name(CDL_ENGULFING), "engulfing") == 0);
    CHECK(strcmp(cdl_name(CDL_COUNT - 1), "xsidegap3methods") == 0);
    CHECK(cdl_name(-1) == NULL && cdl_name(CDL_COUNT) == NULL && cdl_lookback(CDL_COUNT) == -1);
    CHECK(strcmp(cdl_code(CDL_ENGULFING), "ENG") == 0);
    CHECK(strcmp(cdl_code(CDL_HAMMER), "HAM") == 0);
    CHECK(strcmp(cdl_code(CDL_DOJI), "DOJ") == 0);
    CHECK(strcmp(cdl_title(CDL_ENGULFING), "Engulfing") == 0);
    CHECK(cdl_find("cdl_hikkakemod") == CDL_HIKKAKEMOD && cdl_find("CDLDOJI") == CDL_DOJI);
    CHECK(cdl_find("nonsense") == -1);
    for (int i = 0; i < CDL_COUNT; i++) {
        size_t len = strlen(cdl_code(i));
        CHECK_MSG(len >= 2 && len <= 4, "code of %s: %s", cdl_name(i), cdl_code(i));
        CHECK(strlen(cdl_title(i)) > 3);
        CHECK(cdl_find(cdl_name(i)) == i);
        if (i > 0)
            CHECK_MSG(strcmp(cdl_name(i - 1), cdl_name(i)) < 0, "order at %s", cdl_name(i));
        for (int j = 0; j < i; j++)
            CHECK_MSG(strcmp(cdl_code(i), cdl_code(j)) != 0, "code %s used twice", cdl_code(i));
    }
    /* TA-Lib's lookbacks with its default settings */
    CHECK(cdl_lookback(CDL_ENGULFING) == 2 && cdl_lookback(CDL_DOJI) == 10);
    CHECK(cdl_lookback(CDL_HIKKAKE) == 5 && cdl_lookback(CDL_HIKKAKEMOD) == 10);
    CHECK(cdl_lookback(CDL_MORNINGSTAR) == 12 && cdl_lookback(CDL_BREAKAWAY) == 14);
    CHECK(cdl_lookback(CDL_3BLACKCROWS) == 13 && cdl_lookback(CDL_3OUTSIDE) == 3);
    /* the all-patterns fast path assumes every lookback is below 16 */
    for (int i = 0; i < CDL_COUNT; i++)
        CHECK(cdl_lookback(i) >= 2 && cdl_lookback(i) < 16);
}

/* every pattern, every row, exact integers; per-pattern agreement printed */
static void golden_exact(void)
{
    CHECK(nsets == NSETS);
    int *got[NSETS];
    size_t agree[NSETS][CDL_COUNT], nonzero[NSETS][CDL_COUNT];
    for (int s = 0; s < nsets; s++) {
        size_t n = sets[s].n;
        got[s] = malloc(n * sizeof(int));
        for (int id = 0; id < CDL_COUNT; id++) {
            cdl_batch(id, sets[s].c, n, got[s]);
            agree[s][id] = nonzero[s][id] = 0;
            int shown = 0;
            for (size_t i = 0; i < n; i++) {
                int w = sets[s].want[i * CDL_COUNT + id];
                nonzero[s][id] += w != 0;
                if (got[s][i] == w) {
                    agree[s][id]++;
                } else if (shown++ < 3) {
                    printf("#   %s %s row %zu: got %d, TA-Lib %d\n", sets[s].label, cdl_name(id), i, got[s][i], w);
                }
            }
        }
    }
    size_t total_bad = 0;
    for (int id = 0; id < CDL_COUNT; id++) {
        printf("# %-17s", cdl_name(id));
        for (int s = 0; s < nsets; s++) {
            printf(" %s %zu/%zu (%.2f%%, %zu hits)", sets[s].label, agree[s][id], sets[s].n,
                   100.0 * agree[s][id] / sets[s].n, nonzero[s][id]);
            total_bad += sets[s].n - agree[s][id];
        }
        printf("\n");
    }
    /* the golden files must exercise every pattern, or the comparison proves little */
    for (int id = 0; id < CDL_COUNT; id++)
        CHECK_MSG(nsets < NSETS || nonzero[2][id] > 0, "%s never fires in pattern_rich", cdl_name(id));
    CHECK_MSG(total_bad == 0, "%zu pattern values differ from TA-Lib", total_bad);
    for (int s = 0; s < nsets; s++)
        free(got[s]);
}

/* cdl_push (streaming, all 61 at once) and cdl_batch_all equal cdl_batch */
static void streaming_equals_batch(void)
{
    for (int s = 0; s < nsets; s++) {
        size_t n = sets[s].n;
        int *batch = malloc(n * CDL_COUNT * sizeof(int));
        int *all = malloc(n * CDL_COUNT * sizeof(int));
        int *col = malloc(n * sizeof(int));
        for (int id = 0; id < CDL_COUNT; id++) {
            cdl_batch(id, sets[s].c, n, col);
            for (size_t i = 0; i < n; i++)
                batch[i * CDL_COUNT + id] = col[i];
        }
        cdl_batch_all(sets[s].c, n, all);
        struct cdl_state st;
        cdl_init(&st);
        size_t bad_stream = 0, bad_all = 0;
        for (size_t i = 0; i < n; i++) {
            int out[CDL_COUNT];
            cdl_push(&st, &sets[s].c[i], out);
            for (int id = 0; id < CDL_COUNT; id++) {
                int b = batch[i * CDL_COUNT + id];
                if (out[id] != b && bad_stream++ < 3)
                    printf("#   %s %s row %zu: push %d, batch %d\n", sets[s].label, cdl_name(id), i, out[id], b);
                if (all[i * CDL_COUNT + id] != b && bad_all++ < 3)
                    printf("#   %s %s row %zu: batch_all %d, batch %d\n", sets[s].label, cdl_name(id), i,
                           all[i * CDL_COUNT + id], b);
            }
        }
        CHECK(bad_stream == 0);
        CHECK(bad_all == 0);
        free(batch);
        free(all);
        free(col);
    }
}

/* nothing before the lookback, and the lookback row itself can fire */
static void lookback_respected(void)
{
    int fired_at_lookback = 0;
    for (int s = 0; s < nsets; s++) {
        int *col = malloc(sets[s].n * sizeof(int));
        for (int id = 0; id < CDL_COUNT; id++) {
            cdl_batch(id, sets[s].c, sets[s].n, col);
            for (int i = 0; i < cdl_lookback(id); i++)
                CHECK_MSG(col[i] == 0, "%s fires at row %d before lookback %d", cdl_name(id), i, cdl_lookback(id));
        }
        free(col);
    }
    /* an engulfing on rows 1-2: TA-Lib's lookback for it is 2, so row 2 fires */
    struct candle c[3] = {
        { .open = 10, .high = 10.5, .low = 9.5, .close = 10.2 },
        { .open = 10.2, .high = 10.3, .low = 9.7, .close = 9.9 },
        { .open = 9.8, .high = 10.6, .low = 9.7, .close = 10.4 },
    };
    int out[3];
    cdl_batch(CDL_ENGULFING, c, 3, out);
    fired_at_lookback = out[2];
    CHECK(out[0] == 0 && out[1] == 0);
    CHECK(fired_at_lookback == 100);
    /* only one end beyond: 80 */
    c[2].open = 9.9;
    cdl_batch(CDL_ENGULFING, c, 3, out);
    CHECK(out[2] == 80);
}

static void edge_cases(void)
{
    /* flat candles (zero range everywhere). TA-Lib's C library on 40 such rows gives
     * doji = 100 from its lookback (body 0 <= 0.1 * average range 0) and 0 for every
     * other pattern, e.g. dragonfly (lower shadow 0 is not > 0), short line (0 < 0). */
    enum { N = 40 };
    struct candle flat[N];
    for (int i = 0; i < N; i++)
        flat[i] = (struct candle){ .open_time = i, .open = 5, .high = 5, .low = 5, .close = 5, .volume = 1 };
    int col[N];
    for (int id = 0; id < CDL_COUNT; id++) {
        cdl_batch(id, flat, N, col);
        for (int i = 0; i < N; i++) {
            int expect = id == CDL_DOJI && i >= cdl_lookback(id) ? 100 : 0;
            CHECK_MSG(col[i] == expect, "%s on flat row %d: %d, TA-Lib %d", cdl_name(id), i, col[i], expect);
        }
    }

    /* a single candle and n smaller than the lookback: all zero, no reads past the end */
    cdl_batch(CDL_DOJI, flat, 1, col);
    CHECK(col[0] == 0);
    for (int id = 0; id < CDL_COUNT; id++) {
        int small[16];
        int n = cdl_lookback(id) < 16 ? cdl_lookback(id) : 16;
        for (int i = 0; i < 16; i++)
            small[i] = 12345;
        cdl_batch(id, flat, (size_t)n, small);
        for (int i = 0; i < n; i++)
            CHECK(small[i] == 0);
        CHECK(n == 16 || small[n] == 12345);   /* wrote exactly n values */
    }
    cdl_batch(CDL_DOJI, flat, 0, col);         /* n = 0 is allowed */
    cdl_batch(CDL_COUNT, flat, 3, col);        /* bad id: zeros */
    CHECK(col[0] == 0 && col[2] == 0);

    struct cdl_state st;
    cdl_init(&st);
    int out[CDL_COUNT];
    struct cdl_hit hits[CDL_COUNT];
    CHECK(cdl_push_hits(&st, &flat[0], hits, CDL_COUNT) == 0);
    CHECK(isnan(cdl_volume_ratio(&st)) && cdl_trend(&st) == 0);
    cdl_push(&st, &flat[1], out);
    for (int id = 0; id < CDL_COUNT; id++)
        CHECK(out[id] == 0);
}

static void hits_strength_in_range(void)
{
    size_t total = 0, confirmed = 0, up = 0, down = 0;
    for (int s = 0; s < nsets; s++) {
        struct cdl_state st;
        cdl_init(&st);
        struct cdl_hit hits[CDL_COUNT];
        for (size_t i = 0; i < sets[s].n; i++) {
            int k = cdl_push_hits(&st, &sets[s].c[i], hits, CDL_COUNT);
            int want_k = 0;
            for (int id = 0; id < CDL_COUNT; id++)
                want_k += sets[s].want[i * CDL_COUNT + id] != 0;
            CHECK_MSG(k == want_k, "%s row %zu: %d hits, TA-Lib has %d non-zero", sets[s].label, i, k, want_k);
            for (int j = 0; j < k; j++) {
                CHECK(hits[j].strength >= 0 && hits[j].strength <= 1);
                CHECK(hits[j].value == sets[s].want[i * CDL_COUNT + hits[j].id]);
                CHECK(hits[j].trend >= -1 && hits[j].trend <= 1);
                total++;
                confirmed += hits[j].volume_confirmed;
                up += hits[j].trend > 0;
                down += hits[j].trend < 0;
            }
        }
    }
    printf("# hits: %zu, volume-confirmed %zu, in uptrend %zu, in downtrend %zu\n", total, confirmed, up, down);
    CHECK(total > 0 && confirmed > 0 && confirmed < total && up > 0 && down > 0);

    /* max limits what is written */
    struct cdl_state st;
    cdl_init(&st);
    struct cdl_hit few[2];
    int most = 0;
    for (size_t i = 0; i < sets[nsets - 1].n && i < 5000; i++) {
        int k = cdl_push_hits(&st, &sets[nsets - 1].c[i], few, 2);
        CHECK(k >= 0 && k <= 2);
        most = k > most ? k : most;
    }
    CHECK(most == 2);
}

/* hand-made candles: volume ratio, confirmation, trend, and strength ordering */
static void flags_on_hand_made_candles(void)
{
    struct cdl_state st;
    cdl_init(&st);
    struct cdl_hit hits[CDL_COUNT];
    double p = 100;
    /* 80 rising candles of volume 10: uptrend, ratio 1 */
    for (int i = 0; i < 80; i++, p += 1) {
        struct candle c = { .open_time = i, .open = p, .high = p + 1.2, .low = p - 0.2, .close = p + 1, .volume = 10 };
        cdl_push_hits(&st, &c, hits, CDL_COUNT);
    }
    CHECK_NEAR(cdl_volume_ratio(&st), 1.0, 1e-12);
    CHECK(cdl_trend(&st) == 1);
    /* a black engulfing on 3x volume: ratio 30 / ((19 * 10 + 30) / 20) = 2.727... */
    struct candle eng = { .open_time = 80, .open = p + 1.5, .high = p + 1.6, .low = p - 1.5, .close = p - 1.4, .volume = 30 };
    int k = cdl_push_hits(&st, &eng, hits, CDL_COUNT);
    CHECK_NEAR(cdl_volume_ratio(&st), 30.0 / 11.0, 1e-12);
    int found = -1;
    for (int j = 0; j < k; j++)
        if (hits[j].id == CDL_ENGULFING)
            found = j;
    CHECK(found >= 0);
    if (found >= 0) {
        CHECK(hits[found].value == -100);
        CHECK(hits[found].volume_confirmed);
        CHECK(hits[found].trend == 1);        /* still above a rising EMA 50 */
        CHECK(hits[found].strength > 0.9);    /* big body, big range, high volume */
        CHECK(hits[found].strength <= 1.0);
    }
    /* the same shape on low volume is weaker and not confirmed */
    struct cdl_state st2;
    cdl_init(&st2);
    p = 100;
    for (int i = 0; i < 80; i++, p += 1) {
        struct candle c = { .open_time = i, .open = p, .high = p + 1.2, .low = p - 0.2, .close = p + 1, .volume = 10 };
        cdl_push_hits(&st2, &c, hits, CDL_COUNT);
    }
    eng.volume = 10;
    k = cdl_push_hits(&st2, &eng, hits, CDL_COUNT);
    found = -1;
    for (int j = 0; j < k; j++)
        if (hits[j].id == CDL_ENGULFING)
            found = j;
    CHECK(found >= 0);
    if (found >= 0) {
        CHECK(!hits[found].volume_confirmed);
        CHECK(hits[found].strength < 0.9 && hits[found].strength > 0.5);
    }
    /* falling closes below a falling EMA: downtrend; a flat market: no trend */
    struct cdl_state st3;
    cdl_init(&st3);
    p = 200;
    for (int i = 0; i < 70; i++, p -= 1) {
        struct candle c = { .open_time = i, .open = p, .high = p + 0.2, .low = p - 1.2, .close = p - 1, .volume = 5 };
        cdl_push_hits(&st3, &c, hits, CDL_COUNT);
    }
    CHECK(cdl_trend(&st3) == -1);
    struct cdl_state st4;
    cdl_init(&st4);
    for (int i = 0; i < 70; i++) {
        struct candle c = { .open_time = i, .open = 50, .high = 50.5, .low = 49.5, .close = 50, .volume = 5 };
        cdl_push_hits(&st4, &c, hits, CDL_COUNT);
    }
    CHECK(cdl_trend(&st4) == 0);
    /* trend needs 55 candles */
    struct cdl_state st5;
    cdl_init(&st5);
    p = 100;
    for (int i = 0; i < 54; i++, p += 1) {
        struct candle c = { .open = p, .high = p + 1, .low = p, .close = p + 1, .volume = 1 };
        cdl_push_hits(&st5, &c, hits, CDL_COUNT);
    }
    CHECK(cdl_trend(&st5) == 0);
    struct candle c55 = { .open = p, .high = p + 1, .low = p, .close = p + 1, .volume = 1 };
    cdl_push_hits(&st5, &c55, hits, CDL_COUNT);
    CHECK(cdl_trend(&st5) == 1);
}

int main(void)
{
    load_sets();
    RUN(names_codes_titles);
    RUN(golden_exact);
    RUN(streaming_equals_batch);
    RUN(lookback_respected);
    RUN(edge_cases);
    RUN(hits_strength_in_range);
    RUN(flags_on_hand_made_candles);
    for (int s = 0; s < nsets; s++) {
        free(sets[s].c);
        free(sets[s].want);
    }
    HARNESS_EXIT();
}
