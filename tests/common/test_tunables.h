/* test_tunables.h - set a scheme's tunable by the name it declares
   (smr_scheme_info.tunables), so a test asks for "K" or "era_period", not
   for an index that may move. */
#ifndef TEST_TUNABLES_H
#define TEST_TUNABLES_H

#include <stdbool.h>
#include <string.h>

#include "smr_common.h"

/* Sets cfg->tune[] for `name` to `value`; false if the scheme has no such tunable. */
static inline bool test_set_tunable(struct smr_config *cfg, const struct smr_scheme_info *info,
                                    const char *name, long value)
{
    for (unsigned i = 0; i < info->ntunables; i++) {
        if (strcmp(info->tunables[i].name, name) == 0) {
            cfg->tune[i] = value;
            return true;
        }
    }
    return false;
}

#endif /* TEST_TUNABLES_H */
