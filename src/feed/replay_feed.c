/* The paced demo player: formats each replay message, parses it back with the live
 * parser, and enqueues it; waits between phases so `--speed N` is N x real time. */
#include "alphapulse/feed.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "alphapulse/kline_json.h"
#include "alphapulse/log.h"

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

static void state(struct replay_feed *f, const char *text)
{
    struct engine_event ev = { .type = EE_FEED_STATE };
    snprintf(ev.u.state, sizeof ev.u.state, "%s", text);
    push(f, &ev);
}

static void *feed_main(void *arg)
{
    struct replay_feed *f = arg;
    char buf[1024], why[128], label[64];
    int64_t pause = f->speed > 0 ? (int64_t)(60e9 / f->speed / REPLAY_PHASES) : 0;
    if (f->speed > 0)
        snprintf(label, sizeof label, "demo replay %gx", f->speed);
    else
        snprintf(label, sizeof label, "demo replay (max speed)");
    state(f, label);
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
        if (!push(f, &ev))
            break;
        /* paced in short naps so a stop is noticed at once even at --speed 1 */
        for (int64_t left = round_end ? pause : 0; left > 0 && !atomic_load(&f->stop); left -= 50000000)
            sleep_ns(left < 50000000 ? left : 50000000);
    }
    return NULL;
}

int replay_feed_start(struct replay_feed *f, struct replay *r, struct spsc *out, double speed)
{
    memset(f, 0, sizeof *f);
    f->replay = r;
    f->out = out;
    f->speed = speed;
    if (pthread_create(&f->thread, NULL, feed_main, f) != 0)
        return -1;
    f->running = true;
    return 0;
}

void replay_feed_stop(struct replay_feed *f)
{
    if (!f->running)
        return;
    atomic_store(&f->stop, true);
    pthread_join(f->thread, NULL);
    f->running = false;
}
