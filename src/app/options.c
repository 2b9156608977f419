/* One option table per mode drives both getopt_long and the usage text. */
#include <string.h>

#include "alphapulse/options.h"

#define HELP_COL 20   /* where the help text starts: 2 spaces + an 18-column field */

void opts_init(struct opts *p, const char *prog, const struct cli_opt *table)
{
    memset(p, 0, sizeof *p);
    p->prog = prog;
    p->table = table;
    int n = 0;
    for (const struct cli_opt *o = table; o->name && n < OPTS_MAX; o++, n++)
        p->lo[n] = (struct option){ o->name, o->arg ? required_argument : no_argument, NULL, o->id };
    optind = 1;
    opterr = 0;
}

int opts_next(struct opts *p, int argc, char **argv, const char **arg)
{
    int c = getopt_long(argc, argv, "h", p->lo, NULL);
    *arg = optarg;
    if (c == -1)
        return OPTS_END;
    if (c == 'h')   /* -h is --help in every mode */
        for (const struct cli_opt *o = p->table; o->name; o++)
            if (strcmp(o->name, "help") == 0)
                return o->id;
    if (c == '?' || c == ':') {
        const char *what = optind > 0 && optind <= argc ? argv[optind - 1] : "?";
        fprintf(stderr, "%s: unknown or incomplete option %s\n", p->prog, what);
        return OPTS_BAD;
    }
    return c;
}

void opts_usage(FILE *out, const struct cli_opt *table)
{
    for (const struct cli_opt *o = table; o->name; o++) {
        if (!o->help)
            continue;
        char head[96];
        snprintf(head, sizeof head, "--%s%s%s", o->name, o->arg ? " " : "", o->arg ? o->arg : "");
        size_t len = strlen(head);
        if (len <= HELP_COL - 3)
            fprintf(out, "  %-*s ", HELP_COL - 3, head);
        else
            fprintf(out, "  %s\n%*s", head, HELP_COL, "");
        for (const char *h = o->help; *h;) {
            size_t n = strcspn(h, "\n");
            fprintf(out, "%.*s\n", (int)n, h);
            h += n;
            if (*h == '\n' && *++h)
                fprintf(out, "%*s", HELP_COL, "");
        }
    }
}
