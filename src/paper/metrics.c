/* Performance metrics. Trade metrics come from running sums so the engine can keep
 * them per symbol and per source without storing every trade; the same sums back
 * metrics_trades, so a list and a stream give the same numbers. */
#include "alphapulse/metrics.h"

#include <math.h>
#include <string.h>

void metrics_acc_add(struct metrics_acc *a, double pnl, double fees)
{
    a->trades++;
    if (pnl > 0) {
        a->wins++;
        a->gross_win += pnl;
    } else if (pnl < 0) {
        a->losses++;
        a->gross_loss += pnl;
    }
    a->fees += fees;
}

void metrics_from_acc(const struct metrics_acc *a, struct metrics *m)
{
    memset(m, 0, sizeof *m);
    m->trades = a->trades;
    m->wins = a->wins;
    m->losses = a->losses;
    m->gross_win = a->gross_win;
    m->gross_loss = a->gross_loss;
    m->net = a->gross_win + a->gross_loss;
    m->fees = a->fees;
    if (a->trades > 0) {
        m->win_rate = (double)a->wins / (double)a->trades;
        m->expectancy = m->net / (double)a->trades;
    }
    m->avg_win = a->wins ? a->gross_win / (double)a->wins : 0;
    m->avg_loss = a->losses ? a->gross_loss / (double)a->losses : 0;
    m->profit_factor = a->gross_loss < 0 ? a->gross_win / -a->gross_loss : a->gross_win > 0 ? INFINITY : 0;
    m->payoff = m->avg_loss < 0 ? m->avg_win / -m->avg_loss : m->avg_win > 0 ? INFINITY : 0;
}

void metrics_trades(const struct trade *t, size_t n, int sym, int source, struct metrics *m)
{
    struct metrics_acc a = { 0 };
    for (size_t i = 0; i < n; i++)
        if ((sym < 0 || t[i].sym == sym) && (source < 0 || t[i].source == source))
            metrics_acc_add(&a, t[i].pnl, t[i].fees);
    metrics_from_acc(&a, m);
}

void metrics_curve_push(struct metrics_curve *c, int64_t t, double eq, bool in_position)
{
    if (!c->have) {
        memset(c, 0, sizeof *c);
        c->have = true;
        c->first = c->last = c->peak_time = t;
        c->peak = eq;
        c->in_pos = in_position;
        return;
    }
    if (c->in_pos && t > c->last)
        c->in_pos_ms += t - c->last;
    c->last = t;
    c->in_pos = in_position;
    if (eq >= c->peak) {
        if (c->under && t - c->peak_time > c->max_dd_ms)
            c->max_dd_ms = t - c->peak_time;    /* underwater from the old peak until now */
        c->under = false;
        c->peak = eq;
        c->peak_time = t;
        return;
    }
    c->under = true;
    double dd = c->peak > 0 ? (c->peak - eq) / c->peak : 0;
    if (dd > c->max_dd)
        c->max_dd = dd;
    if (c->peak - eq > c->max_dd_abs)
        c->max_dd_abs = c->peak - eq;
}

int64_t metrics_curve_dd_duration(const struct metrics_curve *c)
{
    if (!c->have)
        return 0;
    /* a drawdown still open at the end counts from its peak */
    int64_t open = c->under ? c->last - c->peak_time : 0;
    return open > c->max_dd_ms ? open : c->max_dd_ms;
}

double metrics_curve_exposure(const struct metrics_curve *c)
{
    return c->have && c->last > c->first ? (double)c->in_pos_ms / (double)(c->last - c->first) : 0;
}

size_t metrics_daily_returns(const double *eod, size_t n, double start, double *r)
{
    double prev = start;
    for (size_t i = 0; i < n; i++) {
        r[i] = prev > 0 ? eod[i] / prev - 1 : 0;
        prev = eod[i];
    }
    return n;
}

static double mean(const double *r, size_t n)
{
    double s = 0;
    for (size_t i = 0; i < n; i++)
        s += r[i];
    return n ? s / (double)n : 0;
}

double metrics_sharpe(const double *r, size_t n)
{
    if (n < 2)
        return 0;
    double m = mean(r, n), v = 0;
    for (size_t i = 0; i < n; i++)
        v += (r[i] - m) * (r[i] - m);
    double sd = sqrt(v / (double)(n - 1));
    return sd > 0 ? m / sd * sqrt(365.0) : 0;
}

double metrics_sortino(const double *r, size_t n)
{
    if (n < 1)
        return 0;
    double m = mean(r, n), d = 0;
    for (size_t i = 0; i < n; i++)
        if (r[i] < 0)
            d += r[i] * r[i];
    double dd = sqrt(d / (double)n);
    /* no losing day: no downside to divide by; +inf when it gained, 0 when flat */
    return dd > 0 ? m / dd * sqrt(365.0) : m > 0 ? INFINITY : 0;
}

void metrics_ratios_eod(const double *eod, size_t n, double start, double *sharpe, double *sortino)
{
    *sharpe = *sortino = 0;
    if (n < 1)
        return;
    double sum = 0, prev = start;
    for (size_t i = 0; i < n; i++) {
        sum += prev > 0 ? eod[i] / prev - 1 : 0;
        prev = eod[i];
    }
    double m = sum / (double)n, v = 0, d = 0;
    prev = start;
    for (size_t i = 0; i < n; i++) {
        double r = prev > 0 ? eod[i] / prev - 1 : 0;
        prev = eod[i];
        v += (r - m) * (r - m);
        if (r < 0)
            d += r * r;
    }
    if (n >= 2 && v > 0)
        *sharpe = m / sqrt(v / (double)(n - 1)) * sqrt(365.0);
    if (d > 0)
        *sortino = m / sqrt(d / (double)n) * sqrt(365.0);
    else
        *sortino = m > 0 ? INFINITY : 0;     /* no losing day (see metrics_sortino) */
}
