/* A tiny test harness: each test binary prints one "ok - name" or "not ok - name"
 * line per test; tests/run.sh adds them up. Tests run with the repo root as cwd. */
#ifndef HARNESS_H
#define HARNESS_H
#include <math.h>
#include <stdio.h>
#include <string.h>

static int harness_failed_tests;
static int harness_cur_failed;

#define CHECK(c) do { if (!(c)) { \
    printf("#   %s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #c); \
    harness_cur_failed = 1; } } while (0)

#define CHECK_MSG(c, ...) do { if (!(c)) { \
    printf("#   %s:%d: ", __FILE__, __LINE__); printf(__VA_ARGS__); printf("\n"); \
    harness_cur_failed = 1; } } while (0)

/* relative tolerance, with an absolute floor for values near zero */
#define CHECK_NEAR(a, b, rel) do { double ha_ = (a), hb_ = (b); \
    double hs_ = fabs(hb_) > 1.0 ? fabs(hb_) : 1.0; \
    if (!(fabs(ha_ - hb_) <= (rel) * hs_)) { \
        printf("#   %s:%d: %s = %.17g, expected %.17g\n", __FILE__, __LINE__, #a, ha_, hb_); \
        harness_cur_failed = 1; } } while (0)

#define RUN(fn) do { harness_cur_failed = 0; fn(); \
    printf("%s - %s\n", harness_cur_failed ? "not ok" : "ok", #fn); fflush(stdout); \
    if (harness_cur_failed) harness_failed_tests++; } while (0)

#define HARNESS_EXIT() return harness_failed_tests ? 1 : 0

#endif
