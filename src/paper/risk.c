/* Risk manager. Entry checks run in a fixed order — state blocks first (lock,
 * daily loss, cooldown, blackout), then the size limits — so a rejection always
 * names the most fundamental reason. Size limits count working entry orders as if
 * filled: an accepted order can never take the account past a limit at the price
 * it was checked at. */
#include "alphapulse/risk.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define DAY_MS 86400000LL

static const char *const names[RISK_VERDICT_COUNT] = {
    "ok", "the trading lock", "daily loss limit", "loss-streak cooldown", "blackout window", "stop-loss rule",
    "risk per trade", "max position", "max exposure", "max open positions", "max orders per symbol",
    "no price", "max leverage",
};

const char *risk_verdict_name(int v) { return v >= 0 && v < RISK_VERDICT_COUNT ? names[v] : "?"; }

void risk_limits_defaults(struct risk_limits *l)
{
    memset(l, 0, sizeof *l);
    l->risk_per_trade = 0.01;
    l->max_position = 0.10;
    l->max_exposure = 0.20;
    l->daily_loss = 0.05;
    l->loss_streak = 3;
    l->cooldown_ms = 60 * 60000LL;
    l->max_drawdown = 0.15;
    l->max_positions = 5;
    l->max_orders_symbol = 4;
    l->max_leverage = 1;
}

void risk_limits_for_symbol(const struct risk_limits *account, const struct risk_symbol_limits *s,
                            struct risk_limits *out)
{
    *out = *account;
    if (!s)
        return;
    out->risk_per_trade = s->risk_per_trade;
    out->max_position = s->max_position;
    out->max_orders_symbol = s->max_orders_symbol;
    out->require_stop = s->require_stop;
}

void risk_symbol_limits_of(const struct risk_limits *account, struct risk_symbol_limits *out)
{
    *out = (struct risk_symbol_limits){ account->risk_per_trade, account->max_position, account->max_orders_symbol,
                                        account->require_stop };
}

static int64_t day_of(int64_t t) { return t >= 0 ? t / DAY_MS : -((-t + DAY_MS - 1) / DAY_MS); }
int64_t risk_next_day(int64_t now) { return (day_of(now) + 1) * DAY_MS; }

void risk_state_init(struct risk_state *s, double equity, int64_t now)
{
    memset(s, 0, sizeof *s);
    s->day = day_of(now);
    s->day_start_equity = s->peak_equity = equity;
    s->updated = now;
}

bool risk_is_reducing(const struct risk_order *o)
{
    return o->pos_qty != 0 && (o->pos_qty > 0) != (o->side > 0) && o->qty <= fabs(o->pos_qty) * (1 + 1e-12);
}

static void hhmm(char *buf, size_t n, int64_t t)
{
    int64_t m = (t % DAY_MS + DAY_MS) % DAY_MS / 60000;
    snprintf(buf, n, "%02d:%02d UTC", (int)(m / 60), (int)(m % 60));
}

static int reject(int v, char *why, size_t n, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static int reject(int v, char *why, size_t n, const char *fmt, ...)
{
    if (why && n) {
        int k = snprintf(why, n, "rejected by %s: ", names[v]);
        va_list ap;
        va_start(ap, fmt);
        if (k >= 0 && (size_t)k < n)
            vsnprintf(why + k, n - (size_t)k, fmt, ap);
        va_end(ap);
    }
    return v;
}

const char *risk_block_reason(const struct risk_limits *l, const struct risk_state *s, int64_t now)
{
    if (s->lock == RISK_LOCK_KILL)
        return "kill switch";
    if (s->lock == RISK_LOCK_DRAWDOWN)
        return "drawdown lock";
    if (s->daily_until > now)
        return "daily loss limit";
    if (s->cooldown_until > now)
        return "cooldown";
    for (int i = 0; i < l->n_blackouts; i++)
        if (now >= l->blackout[i].time - l->blackout[i].margin && now <= l->blackout[i].time + l->blackout[i].margin)
            return "blackout";
    return NULL;
}

int risk_check(const struct risk_limits *l, const struct risk_state *s, const struct risk_order *o,
               int64_t now, char *why, size_t why_len)
{
    char t[32];
    if (why && why_len)
        why[0] = 0;
    if (risk_is_reducing(o))
        return RISK_OK;
    if (s->lock != RISK_UNLOCKED) {
        hhmm(t, sizeof t, s->locked_at);
        return reject(RISK_REJ_LOCKED, why, why_len, "%s since %s; type :unlock to resume",
                      s->lock == RISK_LOCK_KILL ? "kill switch" : "max drawdown", t);
    }
    if (s->daily_until > now) {
        hhmm(t, sizeof t, s->daily_until);
        return reject(RISK_REJ_DAILY, why, why_len, "day's loss reached %.1f%% of equity; no entries until %s",
                      l->daily_loss * 100, t);
    }
    if (s->cooldown_until > now) {
        hhmm(t, sizeof t, s->cooldown_until);
        return reject(RISK_REJ_COOLDOWN, why, why_len, "%d losses in a row; paused until %s (%lld min left)",
                      l->loss_streak, t, (long long)((s->cooldown_until - now + 59999) / 60000));
    }
    for (int i = 0; i < l->n_blackouts; i++) {
        const struct risk_blackout *b = &l->blackout[i];
        if (now >= b->time - b->margin && now <= b->time + b->margin) {
            hhmm(t, sizeof t, b->time + b->margin);
            return reject(RISK_REJ_BLACKOUT, why, why_len, "%s; no entries until %s", b->label, t);
        }
    }
    if (!(o->price > 0) || !(o->conv > 0) || !(o->equity > 0))
        return reject(RISK_REJ_PRICE, why, why_len, "no price (or no equity) to value the order");
    double px = o->price * o->conv;
    if (o->stop > 0) {
        if ((o->side > 0 && o->stop >= o->price) || (o->side < 0 && o->stop <= o->price))
            return reject(RISK_REJ_NO_STOP, why, why_len, "the stop %.8g is %s the entry %.8g", o->stop,
                          o->side > 0 ? "not below" : "not above", o->price);
        double risk = o->qty * fabs(o->price - o->stop) * o->conv, cap = l->risk_per_trade * o->equity;
        if (risk > cap * (1 + 1e-9))
            return reject(RISK_REJ_PER_TRADE, why, why_len, "risk %.2f is %.2f%% of equity, limit %.2f%%: %.2f over",
                          risk, risk / o->equity * 100, l->risk_per_trade * 100, risk - cap);
    } else if (l->require_stop) {
        return reject(RISK_REJ_NO_STOP, why, why_len, "entries need a stop-loss");
    }
    /* the symbol's position as if every working entry and this order filled */
    double after = o->pos_qty + o->pending_qty + o->side * o->qty;
    double before = o->pos_qty + o->pending_qty;
    double pos_n = fabs(after) * px;
    double lev = o->perp && l->max_leverage > 1 ? l->max_leverage : 1, lcap = lev * o->equity;
    if (pos_n > lcap * (1 + 1e-9) && fabs(after) > fabs(before))
        return reject(RISK_REJ_LEVERAGE, why, why_len, "notional %.2f is %.2fx equity, limit %gx%s: %.2f over",
                      pos_n, pos_n / o->equity, lev,
                      o->perp ? " (paper.max_leverage)" : " (spot is cash-only)", pos_n - lcap);
    double cap = l->max_position * o->equity;
    if (pos_n > cap * (1 + 1e-9) && fabs(after) > fabs(before))
        return reject(RISK_REJ_POSITION, why, why_len, "%.2f is %.1f%% of equity, limit %.1f%%: %.2f over",
                      pos_n, pos_n / o->equity * 100, l->max_position * 100, pos_n - cap);
    /* gross: a working entry counts in full until it fills or is cancelled */
    double exp = o->exposure + o->qty * px, ecap = l->max_exposure * o->equity;
    if (exp > ecap * (1 + 1e-9))
        return reject(RISK_REJ_EXPOSURE, why, why_len, "%.2f is %.1f%% of equity, limit %.1f%%: %.2f over",
                      exp, exp / o->equity * 100, l->max_exposure * 100, exp - ecap);
    if (before == 0 && o->open_positions >= l->max_positions)
        return reject(RISK_REJ_POSITIONS, why, why_len, "%d open, limit %d: 1 over",
                      o->open_positions, l->max_positions);
    if (o->orders_symbol >= l->max_orders_symbol)
        return reject(RISK_REJ_ORDERS, why, why_len, "%d working on the symbol, limit %d: 1 over",
                      o->orders_symbol, l->max_orders_symbol);
    return RISK_OK;
}

int risk_on_equity(const struct risk_limits *l, struct risk_state *s, double equity, int64_t now)
{
    int ev = 0;
    int64_t d = day_of(now);
    if (d != s->day) {
        s->day = d;
        s->day_start_equity = equity;
        s->updated = now;
        ev |= RISK_EV_DAY;
    }
    if (equity > s->peak_equity) {
        s->peak_equity = equity;
        ev |= RISK_EV_PEAK;
    }
    if (s->daily_until <= now && s->day_start_equity > 0 &&
        s->day_start_equity - equity >= l->daily_loss * s->day_start_equity) {
        s->daily_until = risk_next_day(now);
        s->updated = now;
        ev |= RISK_EV_DAILY_HIT;
    }
    if (s->lock == RISK_UNLOCKED && s->peak_equity > 0 && 1 - equity / s->peak_equity >= l->max_drawdown) {
        s->lock = RISK_LOCK_DRAWDOWN;
        s->locked_at = s->updated = now;
        ev |= RISK_EV_DD_LOCK;
    }
    return ev;
}

int risk_on_trade(const struct risk_limits *l, struct risk_state *s, double pnl, int64_t now)
{
    s->updated = now;
    if (pnl < 0) {
        if (++s->streak >= l->loss_streak && l->loss_streak > 0) {
            s->cooldown_until = now + l->cooldown_ms;
            s->streak = 0;          /* the pause served, the count starts again */
            return RISK_EV_COOLDOWN;
        }
    } else if (pnl > 0) {
        s->streak = 0;
    }
    return 0;
}

void risk_kill(struct risk_state *s, int64_t now)
{
    s->lock = RISK_LOCK_KILL;
    s->locked_at = s->updated = now;
}

int risk_unlock(struct risk_state *s, const char *confirm, double equity, int64_t now)
{
    if (!confirm || strcmp(confirm, "UNLOCK") != 0)
        return -1;
    s->lock = RISK_UNLOCKED;
    s->peak_equity = equity;
    s->updated = now;
    return 0;
}

double risk_daily_pnl(const struct risk_state *s, double equity) { return equity - s->day_start_equity; }

double risk_drawdown(const struct risk_state *s, double equity)
{
    return s->peak_equity > 0 && equity < s->peak_equity ? 1 - equity / s->peak_equity : 0;
}

int risk_next_blackout(const struct risk_limits *l, int64_t now)
{
    int best = -1;
    for (int i = 0; i < l->n_blackouts; i++) {
        const struct risk_blackout *b = &l->blackout[i];
        if (b->time + b->margin < now)
            continue;
        if (best < 0 || b->time < l->blackout[best].time)
            best = i;
    }
    return best;
}
