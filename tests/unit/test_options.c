/* The option table: what it parses (ids, arguments, -h, unknown and incomplete
 * options) and the usage text it prints (aligned help, long heads on their own
 * line, unlisted rows hidden), and the clock's deadline arithmetic. */
#include <stdlib.h>
#include <unistd.h>

#include "alphapulse/clock.h"
#include "alphapulse/options.h"
#include "harness.h"

enum { O_DB = 300, O_FLAG, O_HIDDEN, O_LONGHEAD, O_HELP };

static const struct cli_opt table[] = {
    { "db", "PATH", O_DB, "the database\nsecond line" },
    { "flag", NULL, O_FLAG, "a flag" },
    { "hidden", "N", O_HIDDEN, NULL },
    { "a-very-long-option", "VALUE", O_LONGHEAD, "help below" },
    { "help", NULL, O_HELP, "this text" },
    { NULL, NULL, 0, NULL },
};

static int parse(int argc, char **argv, int *ids, const char **args, int max)
{
    struct opts p;
    opts_init(&p, "prog", table);
    int n = 0, c;
    const char *a;
    while ((c = opts_next(&p, argc, argv, &a)) != OPTS_END && n < max) {
        ids[n] = c;
        args[n++] = a;
        if (c == OPTS_BAD)
            break;
    }
    return n;
}

static void parses_ids_and_arguments(void)
{
    char *argv[] = { "prog", "--db", "x.db", "--flag", "--hidden=7", "rest", NULL };
    int ids[8];
    const char *args[8];
    int n = parse(6, argv, ids, args, 8);
    CHECK(n == 3);
    CHECK(ids[0] == O_DB && strcmp(args[0], "x.db") == 0);
    CHECK(ids[1] == O_FLAG && args[1] == NULL);
    CHECK(ids[2] == O_HIDDEN && strcmp(args[2], "7") == 0);
    CHECK(optind == 5 && strcmp(argv[optind], "rest") == 0);
}

static void short_h_is_help(void)
{
    char *argv[] = { "prog", "-h", NULL };
    int ids[4];
    const char *args[4];
    CHECK(parse(2, argv, ids, args, 4) == 1 && ids[0] == O_HELP);
}

static void unknown_and_incomplete_are_bad(void)
{
    int ids[4];
    const char *args[4];
    int err = dup(2);
    CHECK(freopen("/dev/null", "w", stderr) != NULL);
    char *a1[] = { "prog", "--bogus", NULL };
    CHECK(parse(2, a1, ids, args, 4) == 1 && ids[0] == OPTS_BAD);
    char *a2[] = { "prog", "--db", NULL };
    CHECK(parse(2, a2, ids, args, 4) == 1 && ids[0] == OPTS_BAD);
    char *a3[] = { "prog", "-x", NULL };
    CHECK(parse(2, a3, ids, args, 4) == 1 && ids[0] == OPTS_BAD);
    fflush(stderr);
    dup2(err, 2);
    close(err);
}

static void usage_is_aligned(void)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    opts_usage(f, table);
    fclose(f);
    const char *want =
        "  --db PATH         the database\n"
        "                    second line\n"
        "  --flag            a flag\n"
        "  --a-very-long-option VALUE\n"
        "                    help below\n"
        "  --help            this text\n";
    CHECK_MSG(strcmp(buf, want) == 0, "usage was:\n%s", buf);
    free(buf);
}

static void deadline_is_normalised(void)
{
    struct timespec a = clock_deadline(0), b = clock_deadline(1999), c = clock_deadline(-5);
    CHECK(a.tv_nsec >= 0 && a.tv_nsec < 1000000000L);
    CHECK(b.tv_nsec >= 0 && b.tv_nsec < 1000000000L);
    int64_t da = (int64_t)a.tv_sec * 1000 + a.tv_nsec / 1000000, db = (int64_t)b.tv_sec * 1000 + b.tv_nsec / 1000000;
    CHECK(db - da >= 1999 && db - da < 1999 + 5000);
    CHECK((int64_t)c.tv_sec * 1000 + c.tv_nsec / 1000000 >= da);
}

int main(void)
{
    RUN(parses_ids_and_arguments);
    RUN(short_h_is_help);
    RUN(unknown_and_incomplete_are_bad);
    RUN(usage_is_aligned);
    RUN(deadline_is_normalised);
    HARNESS_EXIT();
}
