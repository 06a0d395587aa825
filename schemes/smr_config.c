/* smr_config.c - domain creation's check of the configuration. */
#include "smr_config.h"

#include <stdio.h>
#include <stdlib.h>

unsigned smr_config_slots(const struct smr_config *cfg, unsigned def, const char *scheme)
{
    unsigned s = cfg && cfg->hazard_slots ? cfg->hazard_slots : def;
    if (s > SMR_MAX_SLOTS) {
        fprintf(stderr, "smr: %s: hazard_slots = %u is more than a thread has; allowed: 1..%d "
                "(SMR_MAX_SLOTS)\n", scheme, s, SMR_MAX_SLOTS);
        abort();
    }
    return s;
}
