/* Regime report: what followed each label on history. Forward realised
 * volatility over `horizon` candles against the `trail` candles before, the
 * forward return's sign and size (with an interval), the forward range, and how
 * long labels last. */
#include "alphapulse/eval.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* 95 % Wilson score interval of a share p from n draws */
static void wilson(double p, double n, double *lo, double *hi)
{
    if (!(n > 0) || isnan(p)) {
        *lo = *hi = NAN;
        return;
    }
    const double z = 1.959964, z2 = z * z;
    double mid = (p + z2 / (2 * n)) / (1 + z2 / n);
    double half = z / (1 + z2 / n) * sqrt(p * (1 - p) / n + z2 / (4 * n * n));
    *lo = fmax(0, mid - half);
    *hi = fmin(1, mid + half);
}

static int cmp_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return (x > y) - (x < y);
}

int eval_regime_report(const struct candle *c, const int *label, size_t n, int n_labels, int horizon, int trail,
                       struct eval_regime_row *rows)
{
    memset(rows, 0, (size_t)n_labels * sizeof *rows);
    /* prefix sums of log returns and their squares: r[i] is close i-1 -> i */
    double *s1 = calloc(n + 1, sizeof *s1), *s2 = calloc(n + 1, sizeof *s2);
    size_t *runs = malloc((n ? n : 1) * sizeof *runs);
    double *vr = calloc((size_t)n_labels, sizeof *vr), *rg = calloc((size_t)n_labels, sizeof *rg);
    double *up = calloc((size_t)n_labels, sizeof *up), *mr = calloc((size_t)n_labels, sizeof *mr);
    size_t *nf = calloc((size_t)n_labels, sizeof *nf), *nv = calloc((size_t)n_labels, sizeof *nv);
    int rc = -1;
    if (!s1 || !s2 || !runs || !vr || !rg || !up || !mr || !nf || !nv)
        goto out;
    for (size_t i = 1; i < n; i++) {
        double r = log(c[i].close / c[i - 1].close);
        s1[i + 1] = s1[i] + r;
        s2[i + 1] = s2[i] + r * r;
    }
    size_t labelled = 0;
    for (size_t i = 0; i < n; i++) {
        int l = label[i];
        if (l < 0 || l >= n_labels)
            continue;
        labelled++;
        rows[l].candles++;
        if (i + (size_t)horizon >= n)
            continue;
        double e = c[i].close, hi = -INFINITY, lo = INFINITY;
        for (size_t j = i + 1; j <= i + (size_t)horizon; j++) {
            hi = fmax(hi, c[j].high);
            lo = fmin(lo, c[j].low);
        }
        double ret = c[i + (size_t)horizon].close / e - 1;
        nf[l]++;
        up[l] += ret > 0;
        mr[l] += ret;
        rg[l] += (hi - lo) / e;
        /* returns i+1 .. i+h ahead, i-trail+1 .. i behind (index k holds r of candle k-1 -> k) */
        if (i >= (size_t)trail) {
            size_t a = i + 1, b = i + (size_t)horizon;      /* forward returns r[a..b] */
            double fm = (s1[b + 1] - s1[a]) / horizon, fv = (s2[b + 1] - s2[a]) / horizon - fm * fm;
            size_t ta = i + 1 - (size_t)trail, tb = i;
            double tm = (s1[tb + 1] - s1[ta]) / trail, tv = (s2[tb + 1] - s2[ta]) / trail - tm * tm;
            if (tv > 0 && fv >= 0) {
                vr[l] += sqrt(fv / tv);
                nv[l]++;
            }
        }
    }
    for (int l = 0; l < n_labels; l++) {
        struct eval_regime_row *w = &rows[l];
        w->share = labelled ? (double)w->candles / (double)labelled : NAN;
        w->vol_ratio = nv[l] ? vr[l] / (double)nv[l] : NAN;
        w->up_share = nf[l] ? up[l] / (double)nf[l] : NAN;
        w->mean_ret = nf[l] ? mr[l] / (double)nf[l] : NAN;
        w->range = nf[l] ? rg[l] / (double)nf[l] : NAN;
        /* neighbouring candles share most of their forward window: about one
         * independent draw per `horizon` candles, never fewer than one */
        wilson(w->up_share, nf[l] ? fmax(1, (double)nf[l] / horizon) : 0, &w->up_lo, &w->up_hi);
        size_t k = 0;
        for (size_t i = 0; i < n;) {
            size_t j = i;
            while (j < n && label[j] == label[i])
                j++;
            if (label[i] == l)
                runs[k++] = j - i;
            i = j;
        }
        w->runs = k;
        if (k) {
            qsort(runs, k, sizeof *runs, cmp_size);
            w->median_run = k % 2 ? (double)runs[k / 2] : 0.5 * (double)(runs[k / 2 - 1] + runs[k / 2]);
        } else {
            w->median_run = NAN;
        }
    }
    rc = 0;
out:
    free(s1);
    free(s2);
    free(runs);
    free(vr);
    free(rg);
    free(up);
    free(mr);
    free(nf);
    free(nv);
    return rc;
}
