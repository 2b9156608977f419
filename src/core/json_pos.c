/* A small recursive JSON walker that keeps only positions. Strings are skipped
 * with their escapes; columns count bytes from 1, like jansson's. */
#include "alphapulse/json_pos.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct scan {
    const char *s;
    size_t len, i;
    int line, col;
    struct json_pos_map *m;
    char path[512];
    int depth;
};

static void adv(struct scan *sc)
{
    if (sc->s[sc->i] == '\n') {
        sc->line++;
        sc->col = 1;
    } else {
        sc->col++;
    }
    sc->i++;
}

static void ws(struct scan *sc)
{
    while (sc->i < sc->len && strchr(" \t\r\n", sc->s[sc->i]) && sc->s[sc->i])
        adv(sc);
}

static int remember(struct scan *sc, int line, int col)
{
    if (sc->m->n == sc->m->cap) {
        size_t cap = sc->m->cap ? sc->m->cap * 2 : 64;
        struct json_pos_entry *e = realloc(sc->m->e, cap * sizeof *e);
        if (!e)
            return -1;
        sc->m->e = e;
        sc->m->cap = cap;
    }
    sc->m->e[sc->m->n++] = (struct json_pos_entry){ strdup(sc->path), line, col };
    return 0;
}

/* Reads a string token into out (unescaped only for plain characters; keys with
 * escapes are rare in configs and kept verbatim). */
static int string(struct scan *sc, char *out, size_t n)
{
    size_t k = 0;
    adv(sc);                                   /* opening quote */
    while (sc->i < sc->len && sc->s[sc->i] != '"') {
        if (sc->s[sc->i] == '\\') {
            if (out && k + 1 < n)
                out[k++] = sc->s[sc->i];
            adv(sc);
            if (sc->i >= sc->len)
                return -1;
        }
        if (out && k + 1 < n)
            out[k++] = sc->s[sc->i];
        adv(sc);
    }
    if (sc->i >= sc->len)
        return -1;
    adv(sc);                                   /* closing quote */
    if (out)
        out[k] = 0;
    return 0;
}

static int value(struct scan *sc);

static int object(struct scan *sc)
{
    adv(sc);
    ws(sc);
    if (sc->i < sc->len && sc->s[sc->i] == '}') {
        adv(sc);
        return 0;
    }
    size_t base = strlen(sc->path);
    for (;;) {
        ws(sc);
        if (sc->i >= sc->len || sc->s[sc->i] != '"')
            return -1;
        int line = sc->line, col = sc->col;
        char key[128];
        if (string(sc, key, sizeof key))
            return -1;
        snprintf(sc->path + base, sizeof sc->path - base, "%s%s", base ? "." : "", key);
        if (remember(sc, line, col))
            return -1;
        ws(sc);
        if (sc->i >= sc->len || sc->s[sc->i] != ':')
            return -1;
        adv(sc);
        if (value(sc))
            return -1;
        sc->path[base] = 0;
        ws(sc);
        if (sc->i < sc->len && sc->s[sc->i] == ',') {
            adv(sc);
            continue;
        }
        if (sc->i < sc->len && sc->s[sc->i] == '}') {
            adv(sc);
            return 0;
        }
        return -1;
    }
}

static int array(struct scan *sc)
{
    adv(sc);
    ws(sc);
    if (sc->i < sc->len && sc->s[sc->i] == ']') {
        adv(sc);
        return 0;
    }
    size_t base = strlen(sc->path);
    for (int idx = 0;; idx++) {
        ws(sc);
        snprintf(sc->path + base, sizeof sc->path - base, "[%d]", idx);
        if (remember(sc, sc->line, sc->col) || value(sc))
            return -1;
        sc->path[base] = 0;
        ws(sc);
        if (sc->i < sc->len && sc->s[sc->i] == ',') {
            adv(sc);
            continue;
        }
        if (sc->i < sc->len && sc->s[sc->i] == ']') {
            adv(sc);
            return 0;
        }
        return -1;
    }
}

static int value(struct scan *sc)
{
    ws(sc);
    if (sc->i >= sc->len || ++sc->depth > 64)
        return -1;
    int rc = 0;
    char c = sc->s[sc->i];
    if (c == '{')
        rc = object(sc);
    else if (c == '[')
        rc = array(sc);
    else if (c == '"')
        rc = string(sc, NULL, 0);
    else
        while (sc->i < sc->len && !strchr(",}] \t\r\n", sc->s[sc->i]))
            adv(sc);
    sc->depth--;
    return rc;
}

int json_pos_scan(const char *text, size_t len, struct json_pos_map *m)
{
    struct scan sc = { .s = text, .len = len, .line = 1, .col = 1, .m = m };
    memset(m, 0, sizeof *m);
    return value(&sc);
}

bool json_pos_find(const struct json_pos_map *m, const char *path, int *line, int *col)
{
    for (size_t i = 0; i < m->n; i++)
        if (strcmp(m->e[i].path, path) == 0) {
            *line = m->e[i].line;
            *col = m->e[i].col;
            return true;
        }
    return false;
}

void json_pos_free(struct json_pos_map *m)
{
    for (size_t i = 0; i < m->n; i++)
        free(m->e[i].path);
    free(m->e);
    memset(m, 0, sizeof *m);
}
