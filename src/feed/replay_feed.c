/* The paced demo player: formats each replay message, parses it back with the live
 * parser, and enqueues it after the synthetic trades and book changes that lead up
 * to it (sim_book.h: the demo has no venue book); waits between phases so
 * `--speed N` is N x real time.
 * The speed, a pause and single steps are set from the UI thread at any moment
 * (atomics); a wait in progress is cut short when they change, so a key acts at
 * once even at 1x, where a phase lasts 20 s. A step plays on to the next close of
 * the 1m candles, whatever phase the pause caught them in. */
#include "alphapulse/clock.h"
#include "alphapulse/feed.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "alphapulse/kline_json.h"
#include "alphapulse/log.h"
#include "alphapulse/sim_book.h"

#define SPEED_SCALE 1000.0          /* speeds are kept as milli-x in an atomic integer */
#define POLL_NS 20000000LL          /* how often a wait looks at the controls */

static const double speed_steps[] = { 1, 10, 60, 300, 600, 0 };   /* 0: as fast as the queue takes */
#define N_STEPS (int)(sizeof speed_steps / sizeof speed_steps[0])

static void sleep_ns(int64_t ns)
{
    if (ns <= 0)
        return;
    struct timespec ts = { ns / 1000000000LL, ns % 1000000000LL };
    nanosleep(&ts, NULL);
}

static bool push(struct replay_feed *f, const struct engine_event *ev)
{
    while (!spsc_push(f->out, ev)) {       /* back-pressure: the engine is behind */
        if (atomic_load(&f->stop))
            return false;
        sleep_ns(1000000);
    }
    return true;
}

static bool push_sim(void *ctx, const struct engine_event *ev) { return push(ctx, ev); }

static void state(struct replay_feed *f, const char *text)
{
    struct engine_event ev = { .type = EE_FEED_STATE };
    snprintf(ev.u.state, sizeof ev.u.state, "%s", text);
    push(f, &ev);
}

double replay_feed_speed(const struct replay_feed *f)
{
    return (double)atomic_load(&((struct replay_feed *)f)->speed_milli) / SPEED_SCALE;
}

bool replay_feed_paused(const struct replay_feed *f)
{
    return atomic_load(&((struct replay_feed *)f)->paused);
}

void replay_feed_label(double speed, bool paused, char *out, size_t n)
{
    char sp[32];
    if (speed > 0)
        snprintf(sp, sizeof sp, "%gx", speed);
    else
        snprintf(sp, sizeof sp, "max speed");
    if (paused)
        snprintf(out, n, "demo replay PAUSED (%s)", sp);
    else
        snprintf(out, n, "demo replay %s", sp);
}

void replay_feed_set_speed(struct replay_feed *f, double speed)
{
    atomic_store(&f->speed_milli, (long long)(speed > 0 ? speed * SPEED_SCALE + 0.5 : 0));
    atomic_fetch_add(&f->gen, 1);
}

double replay_feed_speed_step(double speed, int by)
{
    /* the next step beyond the current speed in the asked direction; a speed
     * between steps (--speed 100) moves to its neighbour */
    double inf = 1e300, cur = speed > 0 ? speed : inf;
    if (by > 0) {
        for (int i = 0; i < N_STEPS; i++) {
            double st = speed_steps[i] > 0 ? speed_steps[i] : inf;
            if (st > cur * (1 + 1e-9))
                return speed_steps[i];
        }
        return 0;
    }
    for (int i = N_STEPS - 1; i >= 0; i--) {
        double st = speed_steps[i] > 0 ? speed_steps[i] : inf;
        if (st < cur * (1 - 1e-9))
            return speed_steps[i];
    }
    return speed_steps[0];
}

void replay_feed_pause(struct replay_feed *f, bool paused)
{
    atomic_store(&f->paused, paused);
    atomic_fetch_add(&f->gen, 1);
}

void replay_feed_step(struct replay_feed *f, int candles)
{
    atomic_fetch_add(&f->steps, candles);
    atomic_fetch_add(&f->gen, 1);
}

/* The state line the header shows, pushed when it changes. */
static void announce(struct replay_feed *f, double *shown_speed, int *shown_paused)
{
    double sp = replay_feed_speed(f);
    int pa = replay_feed_paused(f);
    if (sp == *shown_speed && pa == *shown_paused)
        return;
    char label[64];
    replay_feed_label(sp, pa, label, sizeof label);
    state(f, label);
    *shown_speed = sp;
    *shown_paused = pa;
}

/* Waits until the phase that started at t0 has lasted its time at the current
 * speed, or while paused; returns false when told to stop. */
static bool pace(struct replay_feed *f, int64_t t0, int *stepping, double *shown_speed, int *shown_paused)
{
    for (;;) {
        if (atomic_load(&f->stop))
            return false;
        if (replay_feed_paused(f)) {
            /* a pause (and a step) ends at the close of the 1m candles: the rest
             * of a candle already begun is played at once */
            if (*stepping > 0 || replay_phase(f->replay) != 0)
                return true;
            int st = atomic_load(&f->steps);
            if (st > 0 && atomic_compare_exchange_strong(&f->steps, &st, st - 1)) {
                *stepping = 1;
                return true;
            }
            announce(f, shown_speed, shown_paused);   /* PAUSED once nothing more moves */
            sleep_ns(POLL_NS);
            continue;
        }
        atomic_store(&f->steps, 0);
        announce(f, shown_speed, shown_paused);
        double sp = replay_feed_speed(f);
        if (sp <= 0)
            return true;
        int64_t left = t0 + (int64_t)(60e9 / sp / REPLAY_PHASES) - clock_mono_ns();
        if (left <= 0)
            return true;
        sleep_ns(left < POLL_NS ? left : POLL_NS);
    }
}

static void *feed_main(void *arg)
{
    struct replay_feed *f = arg;
    char buf[1024], why[128];
    double shown_speed = -1;
    int shown_paused = -1, stepping = 0;
    int64_t t0 = clock_mono_ns();
    announce(f, &shown_speed, &shown_paused);
    while (!atomic_load(&f->stop)) {
        int round_end = 0;
        int n = replay_next(f->replay, buf, sizeof buf, &round_end);
        if (n <= 0) {
            state(f, "demo replay finished");
            atomic_store(&f->finished, true);
            break;
        }
        struct engine_event ev = { .type = EE_KLINE };
        int rc = kline_json_parse(buf, (size_t)n, &ev.u.k, why, sizeof why);
        atomic_fetch_add(&f->messages, 1);
        if (rc != KLINE_JSON_OK) {
            atomic_fetch_add(&f->parse_errors, 1);
            log_warn("replay: rejected message (%s): %s", kline_json_error_name(rc), why);
            continue;
        }
        if ((f->sim && !sim_book_on_kline(f->sim, &ev.u.k, push_sim, f)) || !push(f, &ev))
            break;
        if (round_end) {
            if (stepping > 0 && replay_phase(f->replay) == 0)
                stepping = 0;                  /* the stepped candle has closed */
            if (!pace(f, t0, &stepping, &shown_speed, &shown_paused))
                break;
            t0 = clock_mono_ns();
        }
    }
    return NULL;
}

int replay_feed_start(struct replay_feed *f, struct replay *r, struct spsc *out, double speed)
{
    memset(f, 0, sizeof *f);
    f->replay = r;
    f->out = out;
    replay_feed_set_speed(f, speed);
    struct instrument inst[INSTRUMENTS_MAX];
    f->sim = sim_book_create(inst, replay_symbols(r, inst, INSTRUMENTS_MAX), SIM_BOOK_SEED);
    if (!f->sim || pthread_create(&f->thread, NULL, feed_main, f) != 0) {
        sim_book_free(f->sim);
        f->sim = NULL;
        return -1;
    }
    f->running = true;
    return 0;
}

void replay_feed_stop(struct replay_feed *f)
{
    if (!f->running)
        return;
    atomic_store(&f->stop, true);
    pthread_join(f->thread, NULL);
    sim_book_free(f->sim);
    f->sim = NULL;
    f->running = false;
}
