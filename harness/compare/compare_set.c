/* compare_set.c - entries of a result set: keys, lookups, ratios to a reference. */
#include "compare.h"
#include "util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

double cmp_median(const double *v, size_t n)
{
    double *copy = util_xmalloc(n * sizeof(*copy));
    memcpy(copy, v, n * sizeof(*copy));
    double m = util_median(copy, n);
    free(copy);
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

struct cmp_entry *cmp_find(struct cmp_set *s, const char *key, const char *machine)
{
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->e[i].key, key) == 0 && strcmp(s->e[i].machine, machine) == 0)
            return &s->e[i];
    return NULL;
}

size_t cmp_machines(const struct cmp_set *s)
{
    size_t n = 0;
    for (size_t i = 0; i < s->n; i++) {
        size_t j = 0;
        while (j < i && strcmp(s->e[j].machine, s->e[i].machine) != 0)
            j++;
        n += j == i;
    }
    return n;
}

void cmp_forget_machines(struct cmp_set *s)
{
    for (size_t i = 0; i < s->n; i++)
        s->e[i].machine[0] = 0;
}

void cmp_entry_name(const struct cmp_entry *e, char *buf, size_t len)
{
    snprintf(buf, len, "%s%s%s", e->machine, *e->machine ? ": " : "", e->key);
}

bool cmp_has_scheme(const struct cmp_set *s, const char *scheme, char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = 0;
    for (size_t i = 0; i < s->n; i++) {
        char name[128];
        cmp_key_scheme(s->e[i].key, name, sizeof name);
        if (strcmp(name, scheme) == 0)
            return true;
        /* each name once: look for ", name," in ", buf," */
        char listed[160];
        snprintf(listed, sizeof listed, ", %s,", name);
        char haystack[1100];
        snprintf(haystack, sizeof haystack, ", %s,", buf);
        if (!strstr(haystack, listed) && used < len)
            used += (size_t)snprintf(buf + used, len - used, "%s%s", used ? ", " : "", name);
    }
    return false;
}

/* The reference's value at repetition `rep`, or NULL. */
static const double *value_at_rep(const struct cmp_entry *e, unsigned rep)
{
    for (size_t i = 0; i < e->n; i++)
        if (e->rep[i] == rep)
            return &e->v[i];
    return NULL;
}

/* Another scheme's entry of the same benchmark on the same machine: the
   keys differ only in their scheme. */
static bool is_peer(const struct cmp_entry *e, const char *scheme, const struct cmp_entry *other)
{
    char key[512];
    return other != e && strcmp(other->machine, e->machine) == 0 &&
           cmp_key_with_scheme(other->key, scheme, key, sizeof key) && strcmp(key, e->key) == 0;
}

/*
 * The peers reference of e: the geometric mean over the other schemes'
 * entries of the same benchmark (their median for micro, their value at
 * repetition `rep` for run). A geometric mean, so that one scheme ten
 * times dearer than the rest weighs as much as any other; false if no peer
 * has a value.
 */
static bool peers_reference(const struct cmp_set *s, const struct cmp_entry *e, unsigned rep,
                            double *out)
{
    char scheme[128];
    cmp_key_scheme(e->key, scheme, sizeof scheme);
    double log_sum = 0;
    size_t peers = 0;
    for (size_t j = 0; j < s->n; j++) {
        const struct cmp_entry *o = &s->e[j];
        if (o->n == 0 || !is_peer(e, scheme, o))
            continue;
        const double *v = s->kind == CMP_RUN ? value_at_rep(o, rep) : NULL;
        double m = s->kind == CMP_RUN ? (v ? *v : 0) : cmp_median(o->v, o->n);
        if (m > 0) {
            log_sum += log(m);
            peers++;
        }
    }
    if (peers == 0)
        return false;
    *out = exp(log_sum / (double)peers);
    return true;
}

/* The reference value of e's repetition k, or false if there is none. */
static bool reference_value(const struct cmp_set *s, const struct cmp_entry *e, size_t k,
                            const char *reference, double *out)
{
    if (strcmp(reference, CMP_REFERENCE_PEERS) == 0)
        return peers_reference(s, e, e->rep[k], out);
    char key[512];
    const struct cmp_entry *ref = cmp_key_with_scheme(e->key, reference, key, sizeof key)
                                      ? cmp_find((struct cmp_set *)s, key, e->machine) : NULL;
    if (!ref || ref->n == 0)
        return false;
    const double *v = s->kind == CMP_RUN ? value_at_rep(ref, e->rep[k]) : NULL;
    *out = s->kind == CMP_RUN ? (v ? *v : 0) : cmp_median(ref->v, ref->n);
    return *out > 0;
}

void cmp_normalise(struct cmp_set *s, const char *reference)
{
    /* Ratios need the references' raw values: compute into copies first. */
    double **ratio = calloc(s->n, sizeof(*ratio));
    unsigned **rep = calloc(s->n, sizeof(*rep));
    size_t *nratio = calloc(s->n, sizeof(*nratio));
    if (!ratio || !rep || !nratio)
        abort();
    for (size_t i = 0; i < s->n; i++) {
        struct cmp_entry *e = &s->e[i];
        ratio[i] = util_xmalloc(e->n * sizeof(double));
        rep[i] = util_xmalloc(e->n * sizeof(unsigned));
        for (size_t k = 0; k < e->n; k++) {
            double r;
            if (reference_value(s, e, k, reference, &r)) {
                rep[i][nratio[i]] = e->rep[k];
                ratio[i][nratio[i]++] = e->v[k] / r;
            }
        }
    }
    for (size_t i = 0; i < s->n; i++) {
        struct cmp_entry *e = &s->e[i];
        free(e->v);
        free(e->rep);
        e->v = ratio[i];
        e->rep = rep[i];
        e->n = e->cap = nratio[i];
        e->no_reference = nratio[i] == 0;
    }
    free(ratio);
    free(rep);
    free(nratio);
}
