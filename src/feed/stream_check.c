/* Outliers are judged against the stream's own recent behaviour: a return or a
 * range many times the running typical one. The running averages are fed with
 * clipped values so one spike does not hide the next. Duplicates and
 * out-of-order updates are normal exchange behaviour and do not lower quality. */
#include "alphapulse/stream_check.h"

#include <math.h>
#include <string.h>

#define MINUTE 60000LL
#define ALPHA 0.05
#define OUTLIER_X 12.0

void stream_check_init(struct stream_check *s, int64_t last_closed)
{
    memset(s, 0, sizeof *s);
    s->last_closed = last_closed;
    s->last_open = last_closed;
}

int64_t stream_gap(int64_t last_closed, int64_t open_time, int64_t *first, int64_t *last)
{
    if (last_closed < 0 || open_time <= last_closed + MINUTE)
        return 0;
    *first = last_closed + MINUTE;
    *last = open_time - MINUTE;
    return (*last - *first) / MINUTE + 1;
}

enum stream_verdict stream_check_order(const struct stream_check *s, int64_t open_time)
{
    if (s->last_closed >= 0 && open_time == s->last_closed)
        return SV_DUPLICATE;
    if (open_time < s->last_open || (s->last_closed >= 0 && open_time < s->last_closed))
        return SV_OUT_OF_ORDER;
    if (open_time <= s->last_closed)
        return SV_DUPLICATE;
    int64_t a, b;
    if (stream_gap(s->last_closed, open_time, &a, &b) > 0)
        return SV_GAP;
    return SV_ACCEPT;
}

void stream_check_accept(struct stream_check *s, struct candle *c, bool closed)
{
    if (c->open_time > s->last_open)
        s->last_open = c->open_time;
    if (!closed)
        return;
    s->last_closed = c->open_time;
    s->closed_ok++;
    double range = log(c->high / c->low);
    double ret = s->prev_close > 0 ? fabs(log(c->close / s->prev_close)) : 0;
    if (s->n_closed >= STREAM_CHECK_WARMUP) {
        bool out = (ret > OUTLIER_X * s->ewma_ret && ret > 0.005) ||
                   (range > OUTLIER_X * s->ewma_range && range > 0.005);
        if (out) {
            c->flags |= CANDLE_OUTLIER;
            s->outliers++;
        }
        double cr = s->ewma_ret > 0 ? fmin(ret, 3 * s->ewma_ret) : ret;
        double cg = s->ewma_range > 0 ? fmin(range, 3 * s->ewma_range) : range;
        s->ewma_ret += ALPHA * (cr - s->ewma_ret);
        s->ewma_range += ALPHA * (cg - s->ewma_range);
    } else {
        /* plain mean while warming up */
        s->ewma_ret += (ret - s->ewma_ret) / (s->n_closed + 1);
        s->ewma_range += (range - s->ewma_range) / (s->n_closed + 1);
    }
    s->n_closed++;
    s->prev_close = c->close;
}

void stream_check_reject(struct stream_check *s, int rule)
{
    if (rule >= 0 && rule < STREAM_RULE_COUNT)
        s->rejected[rule]++;
}

double stream_check_quality(const struct stream_check *s)
{
    double bad = 0;
    for (int r = SR_SYNTAX; r <= SR_NEG_VOLUME; r++)
        bad += s->rejected[r];
    bad += s->unfillable + 0.5 * s->outliers;
    double all = bad + s->closed_ok;
    return all > 0 ? 1.0 - bad / all : 1.0;
}
