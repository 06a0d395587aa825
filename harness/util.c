/* util.c - the helpers of util.h. */
#include "util.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool util_fail(const char *who, const char *where, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "%s: ", who);
    if (where)
        fprintf(stderr, "%s: ", where);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return false;
}

void *util_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        abort();
    return p;
}

void *util_xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p)
        abort();
    return p;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

void util_sort(double *v, size_t n)
{
    qsort(v, n, sizeof(double), cmp_double);
}

double util_median(double *v, size_t n)
{
    if (n == 0)
        return 0;
    util_sort(v, n);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

char *util_read_file(const char *path, size_t *len, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "%s", strerror(errno));
        return NULL;
    }
    size_t cap = 1 << 16, n = 0;
    char *buf = util_xmalloc(cap);
    for (;;) {
        n += fread(buf + n, 1, cap - n - 1, f);
        if (n < cap - 1)
            break;
        cap *= 2;
        buf = util_xrealloc(buf, cap);
    }
    bool bad = ferror(f);
    fclose(f);
    if (bad) {
        free(buf);
        snprintf(err, errlen, "read error");
        return NULL;
    }
    buf[n] = 0;
    if (len)
        *len = n;
    return buf;
}

void util_machine_column(char *buf, size_t len, const char *label, const char *cpu_model)
{
    snprintf(buf, len, "%s (%s)", label, cpu_model);
    for (char *c = buf; *c; c++)
        *c = *c == ',' ? ';' : *c == '"' ? '\'' : *c;
}
