/* Collector failover (`collect` on PostgreSQL): of the instruments a collector
 * is configured for, it writes those whose claim (store.h, store_claims) it
 * holds and stands by for the others, trying their claims again every pass, so
 * it takes one over as soon as its holder's session ends. The caller runs its
 * session on failover_held() and restarts it whenever a pass says the set
 * changed: the restarted session back-fills each instrument from its last
 * stored candle, as any start does. */
#ifndef ALPHAPULSE_FAILOVER_H
#define ALPHAPULSE_FAILOVER_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FAILOVER_PASS_MS 500     /* a standby asks for the claims it lacks this often */

struct failover;
/* symbols: the comma-separated list the collector is configured for. NULL with
 * err when the list is bad or the server cannot be reached. */
struct failover *failover_open(const char *db, const char *symbols, int failover_s, char *err, size_t err_len);
void failover_close(struct failover *f);
/* Claims what is free, notices lost claims; logs what it writes and what it
 * takes over. true when the held set changed: restart the session on it, then
 * call failover_settle. */
bool failover_pass(struct failover *f);
/* Frees the claims of instruments dropped from the list (after the session
 * that wrote them has stopped). */
void failover_settle(struct failover *f);
/* The instruments held, comma-separated ("" for none); valid until the next pass. */
const char *failover_held(const struct failover *f);
/* `:add SYMBOL` / `:del SYMBOL` on the configured list: 0, or -1 with err. */
int failover_add(struct failover *f, const char *symbol, char *err, size_t err_len);
int failover_del(struct failover *f, const char *symbol, char *err, size_t err_len);

#endif
