/* The newest stored 1m candle of an instrument, on a watch's connection (store.h):
 * where a console handing a symbol to a collector starts reading, written once
 * for both backends on the store reader. */
#include "store_internal.h"

int64_t store_watch_newest(struct store_watch *w, const char *symbol)
{
    struct store_reader rd;
    if (store_watch_reader(w, &rd))
        return -1;
    char canon[SYMBOL_MAX];
    store_symbol_canonical(symbol, canon, sizeof canon);
    struct store_param p = { .type = SV_TEXT, .s = canon };
    struct store_rows *q = rd.query(&rd, "SELECT max(open_time) FROM candles WHERE symbol=$1 AND timeframe='1m'", &p, 1);
    int64_t t = -1;
    if (q) {
        if (q->next(q) && !q->null(q, 0))
            t = q->i64(q, 0);
        q->done(q);
    }
    return t;
}
