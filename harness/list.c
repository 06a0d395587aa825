/* list.c - `smrbench list`: schemes with their properties, structures. */
#include <stdio.h>

#include "registry.h"

int cmd_list(void)
{
    printf("schemes:\n");
    for (const struct smr_scheme_info *const *p = registry_schemes; *p; p++) {
        const struct smr_scheme_info *s = *p;
        printf("  %-10s %s\n", s->name, s->summary);
        printf("  %-10s robust to a stalled thread: %s%s\n", "",
               s->robust ? "yes" : "no", s->reclaims ? "" : " (never frees before teardown)");
        if (s->runtime_note)
            printf("  %-10s on this machine: %s\n", "", s->runtime_note());
        for (unsigned i = 0; i < s->ntunables; i++)
            printf("  %-10s tunable %s = %ld (%ld..%ld): %s\n", "", s->tunables[i].name,
                   s->tunables[i].def, s->tunables[i].min, s->tunables[i].max,
                   s->tunables[i].help);
    }
    printf("structures:\n");
    for (const char *const *s = registry_structures; *s; s++) {
        printf("  %s\n", *s);
        const struct bench_ops *b = registry_find_pair(*s, registry_schemes[0]->name);
        for (unsigned i = 0; b && i < b->noptions; i++)
            printf("  %-10s option %s = %ld (%ld..%ld): %s\n", "", b->options[i].name,
                   b->options[i].def, b->options[i].min, b->options[i].max, b->options[i].help);
    }
    printf("set them with: smrbench run --tune SCHEME.TUNABLE=V --opt STRUCTURE.OPTION=V\n");
    return 0;
}
