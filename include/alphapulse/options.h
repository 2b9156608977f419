/* Command-line options from one table per mode: the table is what getopt_long
 * parses and what --help prints, so an option cannot be parsed but undocumented
 * or documented but unknown. */
#ifndef ALPHAPULSE_OPTIONS_H
#define ALPHAPULSE_OPTIONS_H
#include <getopt.h>
#include <stdio.h>

struct cli_opt {
    const char *name;   /* long name, without the dashes */
    const char *arg;    /* the argument's placeholder (e.g. "PATH"), NULL for a flag */
    int id;             /* what opts_next returns for it */
    const char *help;   /* lines separated by '\n'; NULL: parsed but not listed */
};

#define OPTS_MAX 40

struct opts {
    const char *prog;               /* "alphapulse collect": prefixes error messages */
    const struct cli_opt *table;    /* ends with a row whose name is NULL */
    struct option lo[OPTS_MAX + 1];
};

enum { OPTS_END = -1, OPTS_BAD = -2 };

/* Prepares parsing argv from its first element after argv[0]. */
void opts_init(struct opts *p, const char *prog, const struct cli_opt *table);
/* The next option's id with *arg set to its argument (NULL for a flag);
 * OPTS_END after the last option (optind then indexes the first operand);
 * OPTS_BAD for an unknown option or one missing its argument, already
 * reported on stderr as "PROG: unknown or incomplete option X". */
int opts_next(struct opts *p, int argc, char **argv, const char **arg);
/* The options part of a usage text: "  --name ARG" in an 18-column field, then
 * the help, continuation lines aligned under it. */
void opts_usage(FILE *out, const struct cli_opt *table);

#endif
