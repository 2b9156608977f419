/* Finding and loading the configuration for a mode: --config FILE, else
 * $XDG_CONFIG_HOME/alphapulse/config.json when it exists, else built-in defaults.
 * The vocabulary here is what makes --check-config, the start and :reload one
 * check: every section, key bindings included. Every problem is printed; an
 * invalid file stops the program (exit 2). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alphapulse/app.h"
#include "alphapulse/config.h"
#include "alphapulse/paths.h"
#include "alphapulse/patterns.h"
#include "alphapulse/risk.h"
#include "alphapulse/theme.h"
#include "alphapulse/ui.h"
#include "alphapulse/venue.h"

static bool theme_exists(const char *name)
{
    char path[1024];
    return strcmp(name, "default") == 0 || theme_resolve(name, path, sizeof path) == 0;   /* default: built in */
}

static const char *pattern_name(int id) { return cdl_name(id); }

/* ui.keys: checked with the rest of the file, so --check-config, the start and
 * :reload refuse the same bindings; binding them is the console's, later */
static const char *key_problem(const char *key, const char *command)
{
    static _Thread_local char why[160];
    switch (keymap_check(key, command)) {
    case 0:
        return NULL;
    case -1:
        return "unknown key name (a, A, C-a, Tab, S-Tab, Enter, Esc, Space, Left, Right, Up, Down, Home, End, "
               "PgUp, PgDn, F1-F12)";
    default:
        snprintf(why, sizeof why, "unknown command \"%.*s\" (alphapulse --keys lists them)",
                 (int)strcspn(command, " \t"), command);
        return why;
    }
}

static const struct config_section *const sections[] = { &engine_risk_section, &alert_config_section,
                                                         &app_webhook_section };

const struct config_vocab app_config_vocab = {
    .theme_ok = theme_exists, .pattern_find = cdl_find, .pattern_name = pattern_name, .n_patterns = CDL_COUNT,
    .key_problem = key_problem, .sections = sections, .n_sections = 3, .profile = &engine_profile_schema,
    .venues = venue_names,
};

int app_config_load(const struct cli *cli, struct config *cfg)
{
    config_defaults(cfg, &app_config_vocab);
    char path[1024];
    const char *file = cli->config;
    if (!file) {
        const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
        if (xdg && *xdg)
            snprintf(path, sizeof path, "%s/alphapulse/config.json", xdg);
        else if (home && *home)
            snprintf(path, sizeof path, "%s/.config/alphapulse/config.json", home);
        else
            path[0] = 0;
        if (path[0] && access(path, F_OK) == 0)
            file = path;
    }
    if (file) {
        static struct config_errors errs;
        if (config_load(cfg, file, &errs)) {
            for (int i = 0; i < errs.n; i++)
                fprintf(stderr, "alphapulse: %s\n", errs.msg[i]);
            fprintf(stderr, "alphapulse: %s: %d problem%s; not starting\n", file, errs.n, errs.n == 1 ? "" : "s");
            return 2;
        }
    }
    for (int i = 0; i < cli->n_sets; i++) {
        char err[400];
        const char *eq = strchr(cli->sets[i], '=');
        char key[256];
        if (!eq) {
            fprintf(stderr, "alphapulse: --set %s: expected key=value\n", cli->sets[i]);
            return 2;
        }
        snprintf(key, sizeof key, "%.*s", (int)(eq - cli->sets[i]), cli->sets[i]);
        if (config_set(cfg, key, eq + 1, CFG_SRC_CLI, err, sizeof err)) {
            fprintf(stderr, "alphapulse: --set %s\n", err);
            return 2;
        }
    }
    if (cli->check_config) {
        config_print(cfg, stdout);
        return 0;
    }
    return -1;
}

