/* test_util.h - tiny check macros for the C test programs (ctest runs them). */
#ifndef TEST_UTIL_H
#define TEST_UTIL_H

#include <stdio.h>
#include <stdlib.h>

static int test_passed, test_failed;

#define CHECK(cond, ...)                                                                    \
    do {                                                                                    \
        if (cond) {                                                                         \
            test_passed++;                                                                  \
        } else {                                                                            \
            test_failed++;                                                                  \
            fprintf(stderr, "FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond);                 \
            fprintf(stderr, __VA_ARGS__);                                                   \
            fputc('\n', stderr);                                                            \
        }                                                                                   \
    } while (0)

/* The optional SECONDS argument of a timed test (argv[1], default `def`);
   anything else gets a usage line and exit status 2. */
static inline double test_seconds_arg(int argc, char **argv, double def)
{
    double s = argc > 1 ? atof(argv[1]) : def;
    if (argc > 2 || s <= 0) {
        fprintf(stderr, "usage: %s [SECONDS]\n", argv[0]);
        exit(2);
    }
    return s;
}

/* An array of `elem`-byte items, full at *cap, grown (doubled, 4,096 at
   first); aborts when memory runs out. */
static inline void *test_grow(void *p, size_t *cap, size_t elem)
{
    *cap = *cap ? *cap * 2 : 4096;
    p = realloc(p, *cap * elem);
    if (!p)
        abort();
    return p;
}

/* The closing line ctest logs and CI reads. */
static inline int test_finish(const char *what)
{
    printf("%s: %d passed, %d failed\n", what, test_passed, test_failed);
    return test_failed ? 1 : 0;
}

/* Seconds on the monotonic clock, for a test's deadlines. */
#include <time.h>
static inline double test_now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

#endif /* TEST_UTIL_H */
