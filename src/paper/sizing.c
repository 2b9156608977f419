/* Position sizing. Every method ends in base units before rounding; the broker
 * rounds down to the step, so a size never grows past what the method allows. */
#include "alphapulse/sizing.h"

#include <math.h>
#include <string.h>

static const char *const names[SIZE_METHOD_COUNT] = { "qty", "fraction", "risk", "atr", "kelly" };

const char *sizing_name(int m) { return m >= 0 && m < SIZE_METHOD_COUNT ? names[m] : "?"; }

int sizing_parse(const char *name)
{
    for (int i = 0; i < SIZE_METHOD_COUNT; i++)
        if (strcmp(name, names[i]) == 0)
            return i;
    return -1;
}

static double ok(double q) { return isfinite(q) && q > 0 ? q : 0; }

double sizing_fraction(double equity, double fraction, double price, double conv)
{
    if (!(price > 0) || !(conv > 0) || !(equity > 0))
        return 0;
    return ok(equity * fraction / (price * conv));
}

double sizing_risk(double equity, double r, double entry, double stop, double conv)
{
    double d = fabs(entry - stop);
    if (!(d > 0) || !(conv > 0) || !(equity > 0) || !(stop > 0))
        return 0;
    return ok(equity * r / (d * conv));
}

double sizing_atr(double equity, double r, double atr, double atr_mult, double conv)
{
    if (!(atr > 0) || !(atr_mult > 0) || !(conv > 0) || !(equity > 0))
        return 0;
    return ok(equity * r / (atr * atr_mult * conv));
}

double sizing_kelly_fraction(double p, double b, double cap)
{
    if (!(b > 0) || !(p >= 0 && p <= 1))
        return 0;
    double f = p - (1 - p) / b;
    if (f < 0)
        f = 0;
    return f > cap ? cap : f;
}

double sizing_kelly(double equity, double p, double b, double cap, double price, double conv)
{
    return sizing_fraction(equity, sizing_kelly_fraction(p, b, cap), price, conv);
}

double sizing_qty(const struct sizing_input *in)
{
    switch (in->method) {
    case SIZE_QTY: return ok(in->param);
    case SIZE_FRACTION: return sizing_fraction(in->equity, in->param, in->price, in->conv);
    case SIZE_RISK: return sizing_risk(in->equity, in->param, in->price, in->stop, in->conv);
    case SIZE_ATR: return sizing_atr(in->equity, in->param, in->atr, in->atr_mult, in->conv);
    case SIZE_KELLY: return sizing_kelly(in->equity, in->hit_rate, in->payoff, in->param, in->price, in->conv);
    default: return 0;
    }
}
