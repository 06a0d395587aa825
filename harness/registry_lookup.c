/* registry_lookup.c - name lookups over the generated registry. */
#include <string.h>

#include "registry.h"

const struct smr_scheme_info *registry_find_scheme(const char *name)
{
    for (const struct smr_scheme_info *const *s = registry_schemes; *s; s++)
        if (strcmp((*s)->name, name) == 0)
            return *s;
    return NULL;
}

bool registry_has_structure(const char *name)
{
    for (const char *const *s = registry_structures; *s; s++)
        if (strcmp(*s, name) == 0)
            return true;
    return false;
}

const struct bench_ops *registry_find_pair(const char *structure, const char *scheme)
{
    for (const struct bench_ops *const *p = registry_pairs; *p; p++)
        if (strcmp((*p)->structure, structure) == 0 && strcmp((*p)->scheme->name, scheme) == 0)
            return *p;
    return NULL;
}
