/* Colour themes: files of `key = colour` lines, parsed without curses so they can
 * be checked anywhere; the UI maps them to what the terminal can show. */
#ifndef ALPHAPULSE_THEME_H
#define ALPHAPULSE_THEME_H
#include <stddef.h>

enum theme_role {
    TR_FG, TR_BG, TR_BULL, TR_BEAR, TR_EMA, TR_RSI, TR_MUTED, TR_GOOD, TR_BAD,
    TR_SELECT, TR_BORDER, TR_FOCUS, TR_HEADER_FG, TR_HEADER_BG, TR_CURSOR_FG,
    TR_CURSOR_BG, TR_LAST, TR_COUNT
};

enum theme_kind { THEME_DEFAULT, THEME_INDEX, THEME_RGB };

struct theme_color {
    int kind;       /* THEME_DEFAULT: the terminal's own colour */
    int value;      /* 0-255, or 0xRRGGBB */
};

struct theme {
    char name[64];
    struct theme_color c[TR_COUNT];
};

#define THEME_MAX_LIST 32

const char *theme_role_name(int role);
/* The built-in dark theme (also what a theme file starts from). */
void theme_defaults(struct theme *t);
/* "red", "bright-blue", "default", "0".."255", "#rrggbb"; 0 or -1. */
int theme_parse_color(const char *s, struct theme_color *out);
/* Parses a theme file over t (keys not in the file keep t's values). On error
 * returns -1 with "path:line: what was wrong" in err. */
int theme_load(const char *path, struct theme *t, char *err, size_t err_len);
/* A name ("light") or a path ("./my.theme"): the file to load; 0 or -1 with the
 * places searched in path. Search order: $ALPHAPULSE_THEMES, themes/ in the
 * current directory, $XDG_CONFIG_HOME/alphapulse/themes, beside the binary,
 * the installed share directory. */
int theme_resolve(const char *name_or_path, char *path, size_t len);
/* The names of the themes found in those places (sorted, deduplicated). */
int theme_list(char names[][64], int max);
/* Nearest colours for terminals with fewer colours. */
int theme_rgb(struct theme_color c);              /* 0xRRGGBB (xterm palette) */
int theme_nearest_256(struct theme_color c);
int theme_nearest(struct theme_color c, int ncolors);  /* 8, 16 or 256 */

#endif
