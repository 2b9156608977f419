/* Replay time control: pause, faster, slower, speed, step. The app answers
 * through ui_options.replay; live data has none. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alphapulse/command.h"
#include "alphapulse/log.h"
#include "alphapulse/ui.h"
#include "commands.h"
#include "ui_internal.h"

/* ---- replay time control (the app answers; live data has none) ---------- */

static int replay_op(struct ui *u, int op, double v, struct ui_replay_state *st)
{
    if (!u->opts || !u->opts->replay) {
        ui_message(u, true, "time control works on a replay (the demo); live data runs in real time");
        return -1;
    }
    char msg[160] = "";
    if (u->opts->replay(u->opts->ctx, op, v, st, msg, sizeof msg)) {
        ui_message(u, true, "%s", msg);
        return -1;
    }
    return 0;
}

static void speed_text(double speed, char *out, size_t n)
{
    if (speed > 0)
        snprintf(out, n, "%gx", speed);
    else
        snprintf(out, n, "max speed");
}

int cmd_pause(struct ui *u, int argc, char **argv)
{
    (void)argc; (void)argv;
    struct ui_replay_state st;
    if (replay_op(u, UI_REPLAY_GET, 0, &st) || replay_op(u, UI_REPLAY_PAUSE, st.paused ? 0 : 1, &st))
        return -1;
    if (u->replay_hold)
        u->replay_hold = 2;                   /* the user has taken the controls */
    char sp[32];
    speed_text(st.speed, sp, sizeof sp);
    if (st.paused)
        ui_message(u, false, "replay paused: . steps one 1m candle, Space resumes");
    else
        ui_message(u, false, "replay running at %s", sp);
    return 0;
}

static int speed_changed(struct ui *u, const struct ui_replay_state *st)
{
    char sp[32];
    speed_text(st->speed, sp, sizeof sp);
    ui_message(u, false, "replay speed %s%s", sp, st->paused ? " (paused: Space resumes)" : "");
    return 0;
}

int cmd_faster(struct ui *u, int argc, char **argv)
{
    (void)argc; (void)argv;
    struct ui_replay_state st;
    return replay_op(u, UI_REPLAY_FASTER, 0, &st) ? -1 : speed_changed(u, &st);
}

int cmd_slower(struct ui *u, int argc, char **argv)
{
    (void)argc; (void)argv;
    struct ui_replay_state st;
    return replay_op(u, UI_REPLAY_SLOWER, 0, &st) ? -1 : speed_changed(u, &st);
}

int cmd_speed(struct ui *u, int argc, char **argv)
{
    if (ui_need_args(u, argc, 1, "speed"))
        return -1;
    double v;
    char *end;
    if (!strcmp(argv[1], "max")) {
        v = 0;
    } else {
        v = strtod(argv[1], &end);
        if (*end == 'x' || *end == 'X')
            end++;
        if (*end || end == argv[1] || !(v >= 0) || v > 1e6) {
            ui_message(u, true, "speed %s: expected N x real time (1, 10, 60, 300, 600 ...; max or 0 = flat out)",
                       argv[1]);
            return -1;
        }
    }
    struct ui_replay_state st;
    return replay_op(u, UI_REPLAY_SPEED, v, &st) ? -1 : speed_changed(u, &st);
}

int cmd_step(struct ui *u, int argc, char **argv)
{
    (void)argc; (void)argv;
    struct ui_replay_state st;
    if (replay_op(u, UI_REPLAY_GET, 0, &st))
        return -1;
    if (!st.paused) {
        ui_message(u, true, "step works while paused (Space pauses)");
        return -1;
    }
    if (replay_op(u, UI_REPLAY_STEP, 1, &st))
        return -1;
    ui_message(u, false, "stepped one 1m candle (paused)");
    return 0;
}
