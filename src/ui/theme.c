/* Theme files: one `key = colour` per line, `#` comments. Kept free of curses so
 * a unit test (and a future `alphapulse check-config`) can validate every file;
 * screen.c decides how a colour is shown on the terminal at hand: as is on
 * 256-colour and direct-colour terminals, the nearest one on 8/16-colour ones. */
#include "alphapulse/theme.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef AP_DATADIR
#define AP_DATADIR "/usr/local/share/alphapulse"
#endif

static const char *const role_names[TR_COUNT] = {
    [TR_FG] = "foreground", [TR_BG] = "background", [TR_BULL] = "bull", [TR_BEAR] = "bear",
    [TR_EMA] = "ema", [TR_RSI] = "rsi", [TR_MUTED] = "muted", [TR_GOOD] = "good",
    [TR_BAD] = "bad", [TR_SELECT] = "select", [TR_BORDER] = "border", [TR_FOCUS] = "focus",
    [TR_HEADER_FG] = "header_fg", [TR_HEADER_BG] = "header_bg", [TR_CURSOR_FG] = "cursor_fg",
    [TR_CURSOR_BG] = "cursor_bg", [TR_LAST] = "last_price",
};

static const char *const color_names[16] = {
    "black", "red", "green", "yellow", "blue", "magenta", "cyan", "white",
    "bright-black", "bright-red", "bright-green", "bright-yellow", "bright-blue",
    "bright-magenta", "bright-cyan", "bright-white",
};

/* xterm's first 16 colours */
static const int base16[16] = {
    0x000000, 0xcd0000, 0x00cd00, 0xcdcd00, 0x0000ee, 0xcd00cd, 0x00cdcd, 0xe5e5e5,
    0x7f7f7f, 0xff0000, 0x00ff00, 0xffff00, 0x5c5cff, 0xff00ff, 0x00ffff, 0xffffff,
};

const char *theme_role_name(int role)
{
    return role >= 0 && role < TR_COUNT ? role_names[role] : "?";
}

void theme_defaults(struct theme *t)
{
    static const struct { int role, idx; } d[] = {
        { TR_BULL, 2 }, { TR_BEAR, 1 }, { TR_EMA, 3 }, { TR_RSI, 5 }, { TR_MUTED, 6 },
        { TR_GOOD, 2 }, { TR_BAD, 1 }, { TR_SELECT, 3 }, { TR_BORDER, 8 }, { TR_FOCUS, 6 },
        { TR_HEADER_FG, 0 }, { TR_HEADER_BG, 6 }, { TR_CURSOR_FG, 0 }, { TR_CURSOR_BG, 3 },
        { TR_LAST, 3 },
    };
    memset(t, 0, sizeof *t);
    snprintf(t->name, sizeof t->name, "default");
    for (size_t i = 0; i < sizeof d / sizeof d[0]; i++)
        t->c[d[i].role] = (struct theme_color){ THEME_INDEX, d[i].idx };
}

int theme_parse_color(const char *s, struct theme_color *out)
{
    if (strcmp(s, "default") == 0) {
        *out = (struct theme_color){ THEME_DEFAULT, -1 };
        return 0;
    }
    if (s[0] == '#') {
        if (strlen(s) != 7)
            return -1;
        for (int i = 1; i < 7; i++)
            if (!isxdigit((unsigned char)s[i]))
                return -1;
        *out = (struct theme_color){ THEME_RGB, (int)strtol(s + 1, NULL, 16) };
        return 0;
    }
    if (isdigit((unsigned char)s[0])) {
        char *end;
        long v = strtol(s, &end, 10);
        if (*end || v < 0 || v > 255)
            return -1;
        *out = (struct theme_color){ THEME_INDEX, (int)v };
        return 0;
    }
    char n[32];
    snprintf(n, sizeof n, "%s", s);
    for (char *p = n; *p; p++)
        *p = *p == '_' ? '-' : (char)tolower((unsigned char)*p);
    if (strcmp(n, "gray") == 0 || strcmp(n, "grey") == 0)
        snprintf(n, sizeof n, "bright-black");
    for (int i = 0; i < 16; i++)
        if (strcmp(n, color_names[i]) == 0) {
            *out = (struct theme_color){ THEME_INDEX, i };
            return 0;
        }
    return -1;
}

static char *trim(char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    char *e = s + strlen(s);
    while (e > s && isspace((unsigned char)e[-1]))
        *--e = 0;
    return s;
}

int theme_load(const char *path, struct theme *t, char *err, size_t err_len)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, err_len, "%s: %s", path, strerror(errno));
        return -1;
    }
    char line[512];
    int ln = 0, rc = 0;
    while (fgets(line, sizeof line, f)) {
        ln++;
        /* a comment: '#' first on the line, or '#' followed by a space or the end
         * (so "#rrggbb" stays a value) */
        for (char *h = strchr(line, '#'); h; h = strchr(h + 1, '#'))
            if (h == trim(line) || h[1] == 0 || isspace((unsigned char)h[1])) {
                *h = 0;
                break;
            }
        char *s = trim(line);
        if (!*s)
            continue;
        char *eq = strchr(s, '=');
        if (!eq) {
            snprintf(err, err_len, "%s:%d: expected `key = colour`, got \"%s\"", path, ln, s);
            rc = -1;
            break;
        }
        *eq = 0;
        char *key = trim(s), *val = trim(eq + 1);
        if (strcmp(key, "name") == 0) {
            snprintf(t->name, sizeof t->name, "%s", val);
            continue;
        }
        int role = -1;
        for (int i = 0; i < TR_COUNT; i++)
            if (strcmp(key, role_names[i]) == 0)
                role = i;
        if (role < 0) {
            snprintf(err, err_len, "%s:%d: unknown key \"%s\" (keys: name, foreground, background, bull, "
                     "bear, ema, rsi, muted, good, bad, select, border, focus, header_fg, header_bg, "
                     "cursor_fg, cursor_bg, last_price)", path, ln, key);
            rc = -1;
            break;
        }
        if (theme_parse_color(val, &t->c[role])) {
            snprintf(err, err_len, "%s:%d: %s: bad colour \"%s\" (expected a name like red or "
                     "bright-blue, 0-255, #rrggbb, or default)", path, ln, key, val);
            rc = -1;
            break;
        }
    }
    fclose(f);
    return rc;
}

/* The directories searched for theme files, in order. */
static int theme_dirs(char dirs[][PATH_MAX], int max)
{
    int n = 0;
    const char *env = getenv("ALPHAPULSE_THEMES");
    if (env && *env && n < max)
        snprintf(dirs[n++], PATH_MAX, "%s", env);
    if (n < max)
        snprintf(dirs[n++], PATH_MAX, "themes");
    const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
    if (xdg && *xdg && n < max)
        snprintf(dirs[n++], PATH_MAX, "%s/alphapulse/themes", xdg);
    else if (home && *home && n < max)
        snprintf(dirs[n++], PATH_MAX, "%s/.config/alphapulse/themes", home);
    char exe[PATH_MAX];
    ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (len > 0) {
        exe[len] = 0;
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = 0;
            if (n < max)
                snprintf(dirs[n++], PATH_MAX, "%.*s/../themes", PATH_MAX - 16, exe);
            if (n < max)
                snprintf(dirs[n++], PATH_MAX, "%.*s/../share/alphapulse/themes", PATH_MAX - 32, exe);
        }
    }
    if (n < max)
        snprintf(dirs[n++], PATH_MAX, "%s/themes", AP_DATADIR);
    return n;
}

int theme_resolve(const char *name, char *path, size_t len)
{
    if (strchr(name, '/')) {
        snprintf(path, len, "%s", name);
        return access(path, R_OK);
    }
    char dirs[8][PATH_MAX];
    int n = theme_dirs(dirs, 8);
    for (int i = 0; i < n; i++) {
        snprintf(path, len, "%s/%s.theme", dirs[i], name);
        if (access(path, R_OK) == 0)
            return 0;
    }
    snprintf(path, len, "no theme \"%s\" (looked for %s.theme in themes/, "
             "$XDG_CONFIG_HOME/alphapulse/themes and %s/themes)", name, name, AP_DATADIR);
    return -1;
}

static int cmp_name(const void *a, const void *b) { return strcmp(a, b); }

int theme_list(char names[][64], int max)
{
    char dirs[8][PATH_MAX];
    int nd = theme_dirs(dirs, 8), n = 0;
    for (int d = 0; d < nd; d++) {
        DIR *dir = opendir(dirs[d]);
        if (!dir)
            continue;
        struct dirent *de;
        while ((de = readdir(dir)) && n < max) {
            size_t l = strlen(de->d_name);
            if (l <= 6 || l - 6 >= 64 || strcmp(de->d_name + l - 6, ".theme") != 0)
                continue;
            char nm[64];
            snprintf(nm, sizeof nm, "%.*s", (int)(l - 6), de->d_name);
            int dup = 0;
            for (int i = 0; i < n; i++)
                dup |= strcmp(names[i], nm) == 0;
            if (!dup)
                snprintf(names[n++], 64, "%s", nm);
        }
        closedir(dir);
    }
    qsort(names, (size_t)n, 64, cmp_name);
    return n;
}

int theme_rgb(struct theme_color c)
{
    if (c.kind == THEME_RGB)
        return c.value;
    if (c.kind != THEME_INDEX)
        return -1;
    int i = c.value;
    if (i < 16)
        return base16[i];
    if (i < 232) {
        static const int lv[6] = { 0, 95, 135, 175, 215, 255 };
        i -= 16;
        return lv[i / 36] << 16 | lv[i / 6 % 6] << 8 | lv[i % 6];
    }
    int g = 8 + (i - 232) * 10;
    return g << 16 | g << 8 | g;
}

static int dist2(int a, int b)
{
    int dr = (a >> 16 & 255) - (b >> 16 & 255), dg = (a >> 8 & 255) - (b >> 8 & 255), db = (a & 255) - (b & 255);
    return 2 * dr * dr + 4 * dg * dg + 3 * db * db;   /* rough perceptual weights */
}

int theme_nearest_256(struct theme_color c)
{
    if (c.kind == THEME_DEFAULT)
        return -1;
    if (c.kind == THEME_INDEX)
        return c.value;
    int best = 16, bd = -1;
    for (int i = 16; i < 256; i++) {      /* the cube and the grey ramp, not the user-set 0-15 */
        int d = dist2(c.value, theme_rgb((struct theme_color){ THEME_INDEX, i }));
        if (bd < 0 || d < bd) {
            bd = d;
            best = i;
        }
    }
    return best;
}

int theme_nearest(struct theme_color c, int ncolors)
{
    if (c.kind == THEME_DEFAULT)
        return -1;
    if (ncolors >= 256)
        return theme_nearest_256(c);
    if (c.kind == THEME_INDEX && c.value < ncolors)
        return c.value;
    if (c.kind == THEME_INDEX && c.value < 16)
        return c.value - 8;                /* bright -> its base colour */
    int rgb = theme_rgb(c), best = 0, bd = -1;
    int lim = ncolors >= 16 ? 16 : 8;
    for (int i = 0; i < lim; i++) {
        int d = dist2(rgb, base16[i]);
        if (bd < 0 || d < bd) {
            bd = d;
            best = i;
        }
    }
    return best;
}
