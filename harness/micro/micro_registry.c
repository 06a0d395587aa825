/* micro_registry.c - every scheme's primitives (micro_prims.c, compiled
   once per scheme), from the build's generated list of schemes. */
#include "micro.h"

#define SMR_X_SCHEME(prefix) extern const struct micro_prims micro_prims__##prefix;
#include "smr_schemes.def"

const struct micro_prims *const micro_prims_registry[] = {
#define SMR_X_SCHEME(prefix) &micro_prims__##prefix,
#include "smr_schemes.def"
    0,
};
