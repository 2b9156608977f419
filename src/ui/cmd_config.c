/* Changing the console itself: theme, UI settings (:set), key bindings
 * (:bind) and reloading the configuration file. */
#include <ctype.h>
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alphapulse/command.h"
#include "alphapulse/log.h"
#include "alphapulse/ui.h"
#include "commands.h"
#include "ui_internal.h"

int cmd_theme(struct ui *u, int argc, char **argv)
{
    if (ui_need_args(u, argc, 1, "theme"))
        return -1;
    if (ui_set_theme(u, argv[1]))
        return -1;
    ui_message(u, false, "theme %s", u->theme.name);
    return 0;
}

int cmd_theme_next(struct ui *u, int argc, char **argv)
{
    (void)argc; (void)argv;
    char names[THEME_MAX_LIST][64];
    int n = theme_list(names, THEME_MAX_LIST);
    if (n == 0) {
        ui_message(u, true, "no theme files found (themes/, $XDG_CONFIG_HOME/alphapulse/themes)");
        return -1;
    }
    int next = 0;
    for (int i = 0; i < n; i++)
        if (strcmp(names[i], u->theme.name) == 0)
            next = (i + 1) % n;
    char *av[] = { "theme", names[next] };
    return cmd_theme(u, 2, av);
}

/* UI settings `:set` may change; the config issue will load the same keys. */
const char *const ui_setting_names[] = { "volume", "ema", "rsi", "bb", "patterns", "hollow", "mouse", "ascii", "fps" };
const int ui_setting_count = sizeof ui_setting_names / sizeof ui_setting_names[0];

static bool *setting_flag(struct ui *u, const char *k)
{
    if (!strcmp(k, "volume")) return &u->set.volume;
    if (!strcmp(k, "ema")) return &u->set.ema;
    if (!strcmp(k, "rsi")) return &u->set.rsi;
    if (!strcmp(k, "bb")) return &u->set.bb;
    if (!strcmp(k, "patterns")) return &u->set.patterns;
    if (!strcmp(k, "hollow")) return &u->set.hollow;
    if (!strcmp(k, "mouse")) return &u->set.mouse;
    if (!strcmp(k, "ascii")) return &u->ascii;
    return NULL;
}

int cmd_set(struct ui *u, int argc, char **argv)
{
    if (argc == 1) {
        ui_message(u, false, "volume=%s ema=%s rsi=%s hollow=%s mouse=%s ascii=%s fps=%d",
                   u->set.volume ? "on" : "off", u->set.ema ? "on" : "off", u->set.rsi ? "on" : "off",
                   u->set.hollow ? "on" : "off", u->set.mouse ? "on" : "off", u->ascii ? "on" : "off", u->set.fps);
        return 0;
    }
    if (ui_need_args(u, argc, 2, "set"))
        return -1;
    const char *k = argv[1], *v = argv[2];
    if (strcmp(k, "fps") == 0) {
        char *end;
        long f = strtol(v, &end, 10);
        if (*end || f < 1 || f > 30) {
            ui_message(u, true, "set fps %s: expected 1 to 30", v);
            return -1;
        }
        u->set.fps = (int)f;
        ui_message(u, false, "fps=%d", u->set.fps);
        return 0;
    }
    bool *flag = setting_flag(u, k);
    if (!flag) {
        ui_message(u, true, "set %s: unknown setting (volume ema rsi bb patterns hollow mouse ascii fps)", k);
        return -1;
    }
    bool on;
    if (!strcmp(v, "on") || !strcmp(v, "true") || !strcmp(v, "1") || !strcmp(v, "yes"))
        on = true;
    else if (!strcmp(v, "off") || !strcmp(v, "false") || !strcmp(v, "0") || !strcmp(v, "no"))
        on = false;
    else if (!strcmp(v, "toggle"))
        on = !*flag;
    else {
        ui_message(u, true, "set %s %s: expected on, off or toggle", k, v);
        return -1;
    }
    if (flag == &u->ascii && !on && !u->utf8) {
        ui_message(u, true, "set ascii off: the terminal's locale is not UTF-8");
        return -1;
    }
    *flag = on;
    if (flag == &u->set.mouse)
        mousemask(on ? (BUTTON1_CLICKED | BUTTON1_PRESSED | BUTTON4_PRESSED | BUTTON5_PRESSED) : 0, NULL);
    ui_message(u, false, "%s=%s", k, on ? "on" : "off");
    return 0;
}

int cmd_bind(struct ui *u, int argc, char **argv)
{
    if (argc < 3) {
        ui_message(u, true, "usage: :bind KEY COMMAND [ARGS]");
        return -1;
    }
    char line[UI_LINE] = "";
    for (int i = 2; i < argc; i++)
        snprintf(line + strlen(line), sizeof line - strlen(line), "%s%s", i > 2 ? " " : "", argv[i]);
    int rc = keymap_bind(&u->keys, argv[1], line);
    if (rc == -1)
        ui_message(u, true, "bind %s: unknown key name (a, A, C-a, Tab, S-Tab, Enter, Esc, Space, "
                            "Left, Right, Up, Down, Home, End, PgUp, PgDn, F1-F12)", argv[1]);
    else if (rc == -2)
        ui_message(u, true, "bind: unknown command \"%s\"", argv[2]);
    else if (rc)
        ui_message(u, true, "bind: too many bindings");
    else
        ui_message(u, false, "%s -> %s", argv[1], line);
    return rc ? -1 : 0;
}

int cmd_reload(struct ui *u, int argc, char **argv)
{
    (void)argc; (void)argv;
    char msg[200];
    if (!u->opts || !u->opts->reload) {
        ui_message(u, true, ":reload is not possible here");
        return -1;
    }
    int rc = u->opts->reload(u->opts->ctx, msg, sizeof msg);
    ui_message(u, rc != 0, "%s", msg);
    return rc;
}
