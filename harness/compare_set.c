/* compare_set.c - entries of a result set: keys, lookups, ratios to a reference. */
#include "compare.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

double cmp_median(const double *v, size_t n)
{
    if (n == 0)
        return 0;
    double *s = malloc(n * sizeof(*s));
    if (!s)
        abort();
    memcpy(s, v, n * sizeof(*s));
    qsort(s, n, sizeof(*s), cmp_double);
    double m = n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    free(s);
    return m;
}

void cmp_key_scheme(const char *key, char *buf, size_t len)
{
    const char *a = strchr(key, '/');
    const char *b = a ? strchr(a + 1, '/') : NULL;
    if (!a) {
        snprintf(buf, len, "%s", "");
        return;
    }
    snprintf(buf, len, "%.*s", (int)(b ? b - a - 1 : (long)strlen(a + 1)), a + 1);
}

bool cmp_key_with_scheme(const char *key, const char *scheme, char *buf, size_t len)
{
    const char *a = strchr(key, '/');
    if (!a)
        return false;
    const char *b = strchr(a + 1, '/');
    snprintf(buf, len, "%.*s/%s%s", (int)(a - key), key, scheme, b ? b : "");
    return true;
}

struct cmp_entry *cmp_find(struct cmp_set *s, const char *key)
{
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->e[i].key, key) == 0)
            return &s->e[i];
    return NULL;
}

/* The reference's value at repetition `rep`, or NULL. */
static const double *value_at_rep(const struct cmp_entry *e, unsigned rep)
{
    for (size_t i = 0; i < e->n; i++)
        if (e->rep[i] == rep)
            return &e->v[i];
    return NULL;
}

void cmp_normalise(struct cmp_set *s, const char *reference)
{
    char key[512];
    /* Ratios need the reference's raw values: compute into copies first. */
    double **ratio = calloc(s->n, sizeof(*ratio));
    size_t *nratio = calloc(s->n, sizeof(*nratio));
    if (!ratio || !nratio)
        abort();
    for (size_t i = 0; i < s->n; i++) {
        struct cmp_entry *e = &s->e[i];
        struct cmp_entry *ref = cmp_key_with_scheme(e->key, reference, key, sizeof key)
                                    ? cmp_find(s, key) : NULL;
        if (!ref || ref->n == 0) {
            e->no_reference = true;
            continue;
        }
        ratio[i] = malloc((e->n ? e->n : 1) * sizeof(double));
        if (!ratio[i])
            abort();
        double med = cmp_median(ref->v, ref->n);
        for (size_t k = 0; k < e->n; k++) {
            const double *r = s->kind == CMP_RUN ? value_at_rep(ref, e->rep[k]) : &med;
            if (r && *r > 0) {
                e->rep[nratio[i]] = e->rep[k];
                ratio[i][nratio[i]++] = e->v[k] / *r;
            }
        }
        if (nratio[i] == 0)
            e->no_reference = true;
    }
    for (size_t i = 0; i < s->n; i++) {
        if (!ratio[i])
            continue;
        free(s->e[i].v);
        s->e[i].v = ratio[i];
        s->e[i].n = nratio[i];
        s->e[i].cap = nratio[i];
    }
    free(ratio);
    free(nratio);
}
