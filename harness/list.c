/* list.c - `smrbench list`: schemes with their properties, structures. */
#include <stdio.h>
#include <string.h>

#include "registry.h"

/* The thread counts `smrbench list` shows a scheme's effective values at. */
static const unsigned list_threads[] = {1, 64, 1024};
#define LIST_SLOTS 2 /* hazard slots assumed for them (secvec's; stack and dbmap use 1) */

/* "at 1 thread: R=64; 64: R=256; 1024: R=4096", the scheme's own values at
   each count; nothing for schemes without thresholds or periods. */
static void list_effective(const struct smr_scheme_info *s)
{
    if (!s->effective)
        return;
    printf("  %-10s effective", "");
    if (s->uses_slots)
        printf(" (%d hazard slots)", LIST_SLOTS);
    for (size_t i = 0; i < sizeof list_threads / sizeof list_threads[0]; i++) {
        struct smr_config cfg = {.max_threads = list_threads[i], .hazard_slots = LIST_SLOTS};
        char buf[96];
        s->effective(&cfg, list_threads[i], buf, sizeof buf);
        printf("%s %u thread%s: %s", i ? ";" : " at", list_threads[i],
               list_threads[i] == 1 ? "" : "s", buf);
    }
    printf("\n");
}

int cmd_list(void)
{
    printf("schemes:\n");
    for (const struct smr_scheme_info *const *p = registry_schemes; *p; p++) {
        const struct smr_scheme_info *s = *p;
        printf("  %-10s %s\n", s->name, s->summary);
        printf("  %-10s robust to a stalled thread: %s%s\n", "",
               s->robust ? "yes" : "no", s->reclaims ? "" : " (never frees before teardown)");
        if (s->guarantee)
            printf("  %-10s garbage (retired, not yet freed): %s\n", "", s->guarantee);
        if (s->runtime_note)
            printf("  %-10s on this machine: %s\n", "", s->runtime_note());
        if (s->only_structure)
            printf("  %-10s %s only: not an smr.h scheme, so no other structure runs with it\n", "",
                   s->only_structure);
        for (unsigned i = 0; i < s->ntunables; i++)
            printf("  %-10s tunable %s = %ld (%ld..%ld): %s\n", "", s->tunables[i].name,
                   s->tunables[i].def, s->tunables[i].min, s->tunables[i].max,
                   s->tunables[i].help);
        list_effective(s);
    }
    printf("structures:\n");
    for (const char *const *s = registry_structures; *s; s++) {
        const struct bench_ops *b = registry_find_pair(*s, registry_schemes[0]->name);
        if (b && b->summary)
            printf("  %-10s %s\n", *s, b->summary);
        else
            printf("  %s\n", *s);
        /* Schemes that cannot serve it, and why (a native provider of
           another structure is said above). */
        for (const struct smr_scheme_info *const *k = registry_schemes; *k; k++) {
            const char *why = registry_pair_unusable(*s, *k);
            if (why && !(*k)->only_structure)
                printf("  %-10s not with %s: %s\n", "", (*k)->name, why);
        }
        for (unsigned i = 0; b && i < b->noptions; i++)
            printf("  %-10s option %s = %ld (%ld..%ld): %s\n", "", b->options[i].name,
                   b->options[i].def, b->options[i].min, b->options[i].max, b->options[i].help);
    }
    printf("set them with: smrbench run --tune SCHEME.TUNABLE=V --opt STRUCTURE.OPTION=V\n");
    return 0;
}
