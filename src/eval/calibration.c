/* Calibration: does a stated probability come true that often? Deciles of the
 * prediction against the realised rate, the Brier score, and its skill against
 * always saying the base rate. And the online calibrator the signal engine uses. */
#include "alphapulse/eval.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct ranked { double p; size_t i; };

static int cmp_ranked(const void *a, const void *b)
{
    const struct ranked *x = a, *y = b;
    if (x->p != y->p)
        return x->p < y->p ? -1 : 1;
    return (x->i > y->i) - (x->i < y->i);
}

int eval_deciles(const double *p, size_t n, int *dec)
{
    struct ranked *r = malloc((n ? n : 1) * sizeof *r);
    if (!r)
        return -1;
    for (size_t i = 0; i < n; i++)
        r[i] = (struct ranked){ p[i], i };
    qsort(r, n, sizeof *r, cmp_ranked);
    for (size_t k = 0; k < n; k++)
        dec[r[k].i] = (int)(k * EVAL_DECILES / n);
    free(r);
    return 0;
}

int eval_calibration(const double *p, const bool *y, const double *rr, size_t n, struct eval_calibration *out)
{
    memset(out, 0, sizeof *out);
    out->n = n;
    for (int b = 0; b < EVAL_DECILES; b++)
        out->bin[b].lo = out->bin[b].hi = out->bin[b].pred = out->bin[b].real = out->bin[b].mean_r = NAN;
    if (n == 0) {
        out->base_rate = out->brier = out->brier_base = out->skill = NAN;
        return 0;
    }
    int *dec = malloc(n * sizeof *dec);
    if (!dec || eval_deciles(p, n, dec)) {
        free(dec);
        return -1;
    }
    double hits = 0, bs = 0;
    double sp[EVAL_DECILES] = { 0 }, sy[EVAL_DECILES] = { 0 }, sr[EVAL_DECILES] = { 0 };
    for (size_t i = 0; i < n; i++) {
        struct eval_calib_bin *b = &out->bin[dec[i]];
        if (b->n == 0 || p[i] < b->lo)
            b->lo = p[i];
        if (b->n == 0 || p[i] > b->hi)
            b->hi = p[i];
        b->n++;
        sp[dec[i]] += p[i];
        sy[dec[i]] += y[i];
        sr[dec[i]] += rr ? rr[i] : 0;
        hits += y[i];
        bs += (p[i] - y[i]) * (p[i] - y[i]);
    }
    for (int b = 0; b < EVAL_DECILES; b++)
        if (out->bin[b].n) {
            double k = (double)out->bin[b].n;
            out->bin[b].pred = sp[b] / k;
            out->bin[b].real = sy[b] / k;
            out->bin[b].mean_r = rr ? sr[b] / k : NAN;
        }
    double base = hits / (double)n;
    out->base_rate = base;
    out->brier = bs / (double)n;
    out->brier_base = base * (1 - base);
    out->skill = out->brier_base > 0 ? 1 - out->brier / out->brier_base : NAN;
    free(dec);
    return 0;
}

void eval_calibrator_init(struct eval_calibrator *c, double prior, double prior_n)
{
    memset(c, 0, sizeof *c);
    c->prior = prior;
    c->prior_n = prior_n;
}

void eval_calibrator_free(struct eval_calibrator *c)
{
    free(c->x);
    free(c->y);
    c->x = NULL;
    c->y = NULL;
    c->cap = c->n = c->pos = 0;
}

/* Room for one more outcome while the window is not full: until then the
 * outcomes sit at 0 .. n-1 in arrival order, as in a full-size ring. */
static bool room(struct eval_calibrator *c)
{
    if (c->n < c->cap || c->cap == EVAL_CAL_WINDOW)
        return true;
    int cap = c->cap ? 2 * c->cap : 16;
    if (cap > EVAL_CAL_WINDOW)
        cap = EVAL_CAL_WINDOW;
    float *x = realloc(c->x, (size_t)cap * sizeof *x);
    if (!x)
        return false;
    c->x = x;
    uint8_t *y = realloc(c->y, (size_t)cap * sizeof *y);
    if (!y)
        return false;
    c->y = y;
    c->cap = cap;
    return true;
}

struct xy { float x; uint8_t y; };

static int cmp_xy(const void *a, const void *b)
{
    const struct xy *p = a, *q = b;
    return (p->x > q->x) - (p->x < q->x);
}

/* Pool adjacent violators over the window sorted by x, starting from blocks of
 * a twentieth of the window (so no block rests on a handful of outcomes); each
 * block becomes a knot at its mean x with its mean outcome, pulled towards the
 * window's base rate by EVAL_CAL_SHRINK outcomes' worth. */
#define EVAL_CAL_START_BLOCKS EVAL_CAL_KNOTS   /* so every block can be a knot */
#define EVAL_CAL_SHRINK 20.0
static void refit(struct eval_calibrator *c)
{
    static _Thread_local struct xy v[EVAL_CAL_WINDOW];
    static _Thread_local double bx[EVAL_CAL_WINDOW], by[EVAL_CAL_WINDOW], bw[EVAL_CAL_WINDOW];
    int n = c->n;
    double hits = 0;
    for (int i = 0; i < n; i++) {
        v[i] = (struct xy){ c->x[i], c->y[i] };
        hits += c->y[i];
    }
    qsort(v, (size_t)n, sizeof *v, cmp_xy);
    double base = hits / n;
    int per = (n + EVAL_CAL_START_BLOCKS - 1) / EVAL_CAL_START_BLOCKS, nb = 0;
    for (int i = 0; i < n; i += per) {
        double sx = 0, sy = 0, w = 0;
        for (int j = i; j < n && j < i + per; j++) {
            sx += v[j].x;
            sy += v[j].y;
            w++;
        }
        bx[nb] = sx;
        by[nb] = sy;
        bw[nb] = w;
        nb++;
        while (nb > 1 && by[nb - 2] / bw[nb - 2] >= by[nb - 1] / bw[nb - 1]) {
            bx[nb - 2] += bx[nb - 1];
            by[nb - 2] += by[nb - 1];
            bw[nb - 2] += bw[nb - 1];
            nb--;
        }
    }
    int nk = nb < EVAL_CAL_KNOTS ? nb : EVAL_CAL_KNOTS;
    for (int k = 0; k < nk; k++) {
        int b = nk == nb ? k : (int)((double)k * (nb - 1) / (nk - 1));
        c->kx[k] = (float)(bx[b] / bw[b]);
        c->kp[k] = (float)((by[b] + EVAL_CAL_SHRINK * base) / (bw[b] + EVAL_CAL_SHRINK));
    }
    c->nk = nk;
}

void eval_calibrator_add(struct eval_calibrator *c, double x, bool hit)
{
    if (!room(c))
        return;
    c->x[c->pos] = (float)x;
    c->y[c->pos] = hit;
    c->pos = (c->pos + 1) % EVAL_CAL_WINDOW;
    if (c->n < EVAL_CAL_WINDOW)
        c->n++;
    refit(c);
}

double eval_calibrator_p(const struct eval_calibrator *c, double x)
{
    if (c->nk == 0)
        return c->prior;
    double fit;
    if (x <= c->kx[0])
        fit = c->kp[0];
    else if (x >= c->kx[c->nk - 1])
        fit = c->kp[c->nk - 1];
    else {
        int k = 1;
        while (c->kx[k] < x)
            k++;
        double t = (x - c->kx[k - 1]) / (c->kx[k] - c->kx[k - 1]);
        fit = c->kp[k - 1] + t * (c->kp[k] - c->kp[k - 1]);
    }
    double n = c->n;
    return (n * fit + c->prior_n * c->prior) / (n + c->prior_n);
}
