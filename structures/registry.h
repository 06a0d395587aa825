/* registry.h - every scheme and every (structure, scheme) pair the build made. */
#ifndef REGISTRY_H
#define REGISTRY_H

#include "bench_ops.h"

/* NULL-terminated, in the order of the build's lists (registry.c, from the
   generated X-macro lists smr_schemes.def, smr_structures.def, smr_pairs.def). */
extern const struct smr_scheme_info *const registry_schemes[];
extern const char *const registry_structures[];
extern const struct bench_ops *const registry_pairs[];

const struct smr_scheme_info *registry_find_scheme(const char *name);
bool registry_has_structure(const char *name);
const struct bench_ops *registry_find_pair(const char *structure, const char *scheme);
/* NULL if `scheme` can serve `structure`, else why not (one phrase, e.g.
   "serves only dbmap" for a native provider, or a scheme that never
   reclaims for a structure that waits for its retired nodes). */
const char *registry_pair_unusable(const char *structure, const struct smr_scheme_info *scheme);

#endif /* REGISTRY_H */
