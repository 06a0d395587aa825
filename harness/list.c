/* list.c - `smrbench list`: schemes with their properties, structures. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "registry.h"

/* The widest scheme or structure name: the column every line is aligned to. */
static int name_width(void)
{
    size_t w = 0;
    for (const struct smr_scheme_info *const *p = registry_schemes; *p; p++)
        w = strlen((*p)->name) > w ? strlen((*p)->name) : w;
    for (const char *const *s = registry_structures; *s; s++)
        w = strlen(*s) > w ? strlen(*s) : w;
    return (int)w;
}

int cmd_list(int argc, char **argv)
{
    if (argc > 1) {
        fprintf(stderr, "smrbench list: unexpected argument '%s'; allowed: none (smrbench list "
                "prints every scheme and structure)\n", argv[1]);
        return EXIT_USAGE;
    }
    const int w = name_width();
    printf("schemes:\n");
    for (const struct smr_scheme_info *const *p = registry_schemes; *p; p++) {
        const struct smr_scheme_info *s = *p;
        printf("  %-*s %s\n", w, s->name, s->summary);
        printf("  %-*s robust to a stalled thread: %s%s\n", w, "",
               s->robust ? "yes" : "no", s->reclaims ? "" : " (never frees before teardown)");
        if (s->runtime_note)
            printf("  %-*s on this machine: %s\n", w, "", s->runtime_note());
        if (s->only_structure)
            printf("  %-*s %s only: not an smr.h scheme, so no other structure runs with it\n",
                   w, "", s->only_structure);
        for (unsigned i = 0; i < s->ntunables; i++)
            printf("  %-*s tunable %s = %ld (%ld..%ld): %s\n", w, "", s->tunables[i].name,
                   s->tunables[i].def, s->tunables[i].min, s->tunables[i].max,
                   s->tunables[i].help);
    }
    printf("structures:\n");
    for (const char *const *s = registry_structures; *s; s++) {
        const struct bench_ops *b = registry_find_pair(*s, registry_schemes[0]->name);
        if (b && b->summary)
            printf("  %-*s %s\n", w, *s, b->summary);
        else
            printf("  %s\n", *s);
        /* Schemes that cannot serve it, and why (a native provider of
           another structure is said above). */
        for (const struct smr_scheme_info *const *k = registry_schemes; *k; k++) {
            const char *why = registry_pair_unusable(*s, *k);
            if (why && !(*k)->only_structure)
                printf("  %-*s not with %s: %s\n", w, "", (*k)->name, why);
        }
        for (unsigned i = 0; b && i < b->noptions; i++)
            printf("  %-*s option %s = %ld (%ld..%ld): %s\n", w, "", b->options[i].name,
                   b->options[i].def, b->options[i].min, b->options[i].max, b->options[i].help);
    }
    printf("set them with: smrbench run --tune SCHEME.TUNABLE=V --opt STRUCTURE.OPTION=V\n");
    return 0;
}
