/* Performance metrics of closed trades and of an equity curve. The formulas are
 * in README.md ("Metrics"); the unit tests check them on hand-computed lists. */
#ifndef ALPHAPULSE_METRICS_H
#define ALPHAPULSE_METRICS_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A trade: a position from flat back to flat (a reversal closes one and opens
 * the next). pnl is net: realised PnL minus every fee paid during the trade. */
struct trade {
    int sym, source, side;     /* side of the opening fill */
    int64_t open_time, close_time;
    double qty;                /* largest absolute position held */
    double entry, exit;        /* average entry and exit prices */
    double pnl, fees;          /* account currency */
};

/* Running sums: enough for every trade metric, without keeping the trades. */
struct metrics_acc {
    long trades, wins, losses;
    double gross_win, gross_loss;   /* gross_loss <= 0 */
    double fees;
};
void metrics_acc_add(struct metrics_acc *a, double pnl, double fees);

struct metrics {
    long trades, wins, losses;
    double net, gross_win, gross_loss, fees;
    double win_rate;           /* wins / trades */
    double profit_factor;      /* gross_win / |gross_loss|; INFINITY without losses */
    double avg_win, avg_loss;  /* avg_loss <= 0 */
    double payoff;             /* avg_win / |avg_loss| */
    double expectancy;         /* net / trades */
};
void metrics_from_acc(const struct metrics_acc *a, struct metrics *m);
/* Metrics of the trades matching sym and source (-1: any). */
void metrics_trades(const struct trade *t, size_t n, int sym, int source, struct metrics *m);

/* Drawdown and exposure from equity marks, updated one mark at a time. */
struct metrics_curve {
    bool have;
    double peak, max_dd, max_dd_abs;          /* max_dd: fraction of the peak */
    int64_t first, last, peak_time, max_dd_ms, in_pos_ms;
    bool in_pos, under;
};
void metrics_curve_push(struct metrics_curve *c, int64_t t, double equity, bool in_position);
int64_t metrics_curve_dd_duration(const struct metrics_curve *c);   /* longest, incl. the open one */
double metrics_curve_exposure(const struct metrics_curve *c);       /* share of time in a position */

/* Daily returns from end-of-day equities: r[i] = eq[i] / prev - 1, prev starting
 * at start. Returns n. */
size_t metrics_daily_returns(const double *eod, size_t n, double start, double *r);
/* Annualised with sqrt(365) (crypto trades every day): mean / sample stdev. */
double metrics_sharpe(const double *r, size_t n);
/* mean / sqrt(sum(min(r, 0)^2) / n), annualised with sqrt(365). With no losing
 * day the downside is 0: INFINITY when the mean is positive, 0 when flat. */
double metrics_sortino(const double *r, size_t n);
/* Both ratios straight from end-of-day equities (no returns array needed). */
void metrics_ratios_eod(const double *eod, size_t n, double start, double *sharpe, double *sortino);

#endif
