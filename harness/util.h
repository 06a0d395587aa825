/* util.h - the small helpers every command of smrbench shares: the one-line
   error of bad input, allocation that cannot fail quietly, sorting and
   medians of doubles, reading a whole file. */
#ifndef UTIL_H
#define UTIL_H

#include <stdbool.h>
#include <stddef.h>

/* One line on stderr, "WHO: WHERE: message" (no "WHERE: " when where is
   NULL), for bad input; returns false, so `return util_fail(...)`. */
bool util_fail(const char *who, const char *where, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* malloc and realloc that abort when memory runs out (never NULL). */
void *util_xmalloc(size_t n);
void *util_xrealloc(void *p, size_t n);

/* Sorts v ascending. */
void util_sort(double *v, size_t n);
/* The median of v, sorting v; 0 when n is 0. */
double util_median(double *v, size_t n);

/* The whole file, NUL-terminated (its length in *len when len is not
   NULL); NULL with why in err when it cannot be read. Free it. */
char *util_read_file(const char *path, size_t *len, char *err, size_t errlen);

/* The machine column of summary.csv and series.csv: "LABEL (CPU MODEL)",
   any comma or quote written ';' or '\'' so that it stays one field. */
void util_machine_column(char *buf, size_t len, const char *label, const char *cpu_model);

#endif /* UTIL_H */
