/* The wall and monotonic clocks, for the edges only: pacing, timeouts, latency
 * and "seconds since the last message". The engine never reads these: its clock
 * is the event time. */
#ifndef ALPHAPULSE_CLOCK_H
#define ALPHAPULSE_CLOCK_H
#include <stdint.h>
#include <time.h>

int64_t clock_mono_ns(void);   /* monotonic, for intervals */
int64_t clock_mono_ms(void);
int64_t clock_wall_ms(void);   /* UTC milliseconds since the epoch */
int64_t clock_thread_cpu_us(void);   /* CPU time of the calling thread */
/* The wall-clock instant ms from now, as pthread_cond_timedwait and
 * pthread_timedjoin_np want their deadline (negative ms: now). */
struct timespec clock_deadline(int ms);

#endif
