/* Shared by the signal module's files; not part of the public surface. */
#ifndef ALPHAPULSE_SIGNAL_INTERNAL_H
#define ALPHAPULSE_SIGNAL_INTERNAL_H
#include "alphapulse/signal.h"

void signal_event_push(struct signal_engine *se, int kind, const struct signal *s);
/* Consensus over this candle's votes: fills a candidate and returns its reject
 * reason (REJ_ACCEPTED or why not); -1 when nothing triggered a candidate. */
int consensus_candidate(struct signal_engine *se, int sym, int tf, const struct candle *c,
                        const struct ta_values *v, const struct vote votes[VOTER_COUNT],
                        const struct cdl_hit *hits, int n_hits, struct signal *cand);
/* Queue: add, age by one candle of sym x tf. */
bool queue_add(struct signal_engine *se, const struct signal *s);
/* On every closed 1m candle of sym: new signals whose stop or first target that
 * candle traded through, or whose entry its close left by more than max_chase_r
 * R, leave the queue marked stale (counted; outcomes are still labelled). */
void queue_stale(struct signal_engine *se, int sym, const struct candle *c);
void queue_age(struct signal_engine *se, int sym, int tf, int64_t now);
bool queue_has(const struct signal_engine *se, int sym, int tf, int side);
/* Outcomes: track a new signal, label the open ones of sym x tf with a candle. */
void outcome_track(struct signal_engine *se, const struct signal *s);
void track_set_state(struct signal_engine *se, uint64_t id, int state);
void outcome_on_candle(struct signal_engine *se, int sym, int tf, const struct candle *c, int64_t now);

#endif
