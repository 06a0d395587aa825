/* alloc.h - which malloc a run uses (--alloc), and which one is really serving it. */
#ifndef ALLOC_H
#define ALLOC_H

#include <stdbool.h>
#include <stddef.h>

enum alloc_kind { ALLOC_GLIBC, ALLOC_JEMALLOC, ALLOC_MIMALLOC };

/* "glibc", "jemalloc", "mimalloc" -> kind; false if unknown. */
bool alloc_parse(const char *arg, enum alloc_kind *kind);
const char *alloc_name(enum alloc_kind kind);
const char *alloc_names(void);

/*
 * Make `kind` the process's malloc. glibc needs nothing; the others are
 * preloaded, which only works at exec time, so this re-executes the program
 * with LD_PRELOAD set (and returns only on failure, after one clear line on
 * stderr) unless the allocator is already in place. Returns true when the
 * process runs with `kind`.
 */
bool alloc_ensure(enum alloc_kind kind, char **argv);

/* The allocator serving malloc now, with its version, e.g. "jemalloc 5.3.0-0-g54eaed1d...". */
void alloc_describe(char *buf, size_t len);

#endif /* ALLOC_H */
