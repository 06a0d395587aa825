/* registry.c - the tables of every scheme and every (structure, scheme)
   pair the build made, expanded from its generated X-macro lists, and
   lookups by name. */
#include <stdio.h>
#include <string.h>

#include "registry.h"

#define SMR_X_SCHEME(prefix) extern const struct smr_scheme_info prefix##_info;
#define SMR_X_NATIVE(structure, prefix) extern const struct smr_scheme_info prefix##_info;
#include "smr_schemes.def"
#define SMR_X_PAIR(structure, prefix) extern const struct bench_ops structure##_ops__##prefix;
#include "smr_pairs.def"

const struct smr_scheme_info *const registry_schemes[] = {
#define SMR_X_SCHEME(prefix) &prefix##_info,
#define SMR_X_NATIVE(structure, prefix) &prefix##_info,
#include "smr_schemes.def"
    0,
};

const char *const registry_structures[] = {
#define SMR_X_STRUCTURE(name) #name,
#include "smr_structures.def"
    0,
};

const struct bench_ops *const registry_pairs[] = {
#define SMR_X_PAIR(structure, prefix) &structure##_ops__##prefix,
#include "smr_pairs.def"
    0,
};

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

const char *registry_pair_unusable(const char *structure, const struct smr_scheme_info *scheme)
{
    static char why[160];
    const struct bench_ops *b = registry_find_pair(structure, scheme->name);
    if (scheme->only_structure && strcmp(scheme->only_structure, structure) != 0) {
        snprintf(why, sizeof why, "%s serves only %s (its native grace periods)", scheme->name,
                 scheme->only_structure);
        return why;
    }
    if (!b) {
        snprintf(why, sizeof why, "%s is not built for %s", scheme->name, structure);
        return why;
    }
    if (b->needs_reclaim && !scheme->reclaims) {
        snprintf(why, sizeof why, "%s never reclaims, so it cannot hand %s's retired copy back "
                 "(no grace period)", scheme->name, structure);
        return why;
    }
    return NULL;
}
