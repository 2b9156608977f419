/* Position sizing: how many base units an order should be, by one of five
 * methods. Pure functions over equity and prices in the account currency
 * (conv values one quote unit in it); they return 0 when they cannot size. */
#ifndef ALPHAPULSE_SIZING_H
#define ALPHAPULSE_SIZING_H

enum size_method {
    SIZE_QTY,          /* param: base units */
    SIZE_FRACTION,     /* param: fraction of equity as notional (0.05 = 5 %) */
    SIZE_RISK,         /* param: fraction of equity lost at the stop (0.01) */
    SIZE_ATR,          /* param: fraction of equity; stop distance = atr_mult x ATR */
    SIZE_KELLY,        /* param: cap on the Kelly fraction of equity (0.25) */
    SIZE_METHOD_COUNT
};

const char *sizing_name(int method);   /* "qty", "fraction", "risk", "atr", "kelly" */
int sizing_parse(const char *name);    /* SIZE_* or -1 */

double sizing_fraction(double equity, double fraction, double price, double conv);
/* equity x r / (|entry - stop| x conv) */
double sizing_risk(double equity, double r, double entry, double stop, double conv);
double sizing_atr(double equity, double r, double atr, double atr_mult, double conv);
/* Kelly fraction p - (1 - p) / b for hit rate p and payoff b (average win over
 * average loss), clipped to [0, cap]. */
double sizing_kelly_fraction(double hit_rate, double payoff, double cap);
double sizing_kelly(double equity, double hit_rate, double payoff, double cap, double price, double conv);

struct sizing_input {
    int method;
    double param;          /* the method's parameter (see enum size_method) */
    double equity, price, conv;
    double stop;           /* for SIZE_RISK */
    double atr, atr_mult;  /* for SIZE_ATR */
    double hit_rate, payoff; /* for SIZE_KELLY */
};
double sizing_qty(const struct sizing_input *in);

#endif
