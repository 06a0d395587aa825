/* list.c - `smrbench list`: schemes with their properties, structures. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "registry.h"

/* The thread counts `smrbench list` shows a scheme's effective values at. */
static const unsigned list_threads[] = {1, 64, 1024};
#define LIST_SLOTS 2 /* hazard slots assumed for them (secvec's; stack and dbmap use 1) */

/* "at 1 thread: R=64; 64: R=256; 1024: R=4096", the scheme's own values at
   each count; nothing for schemes without thresholds or periods. */
static void list_effective(const struct smr_scheme_info *s, int w)
{
    if (!s->effective)
        return;
    printf("  %-*s effective", w, "");
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
        if (s->guarantee)
            printf("  %-*s garbage (retired, not yet freed): %s\n", w, "", s->guarantee);
        if (s->runtime_note)
            printf("  %-*s on this machine: %s\n", w, "", s->runtime_note());
        if (s->only_structure)
            printf("  %-*s %s only: not an smr.h scheme, so no other structure runs with it\n",
                   w, "", s->only_structure);
        for (unsigned i = 0; i < s->ntunables; i++)
            printf("  %-*s tunable %s = %ld (%ld..%ld): %s\n", w, "", s->tunables[i].name,
                   s->tunables[i].def, s->tunables[i].min, s->tunables[i].max,
                   s->tunables[i].help);
        list_effective(s, w);
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
