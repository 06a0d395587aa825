/*
 * insn_count.c - deterministic instruction counts of every scheme's
 * single-threaded primitives, for the regression gate (scripts/insn.sh
 * runs it under valgrind --tool=callgrind --collect-atstart=no).
 *
 * For each scheme and each of enter_leave, protect, retire and alloc it
 * runs the batch smrbench micro times (micro_prims__<scheme>) once to warm
 * up, then once more with callgrind collecting, and dumps the count under
 * the name "insn SCHEME PRIMITIVE N". Arguments name the schemes to run
 * (scripts/insn.sh runs one per process: a scheme's counts then do not
 * depend on the ones before it, such as liburcu's call_rcu thread, which
 * outlives its domain). `insn_count --list` prints the schemes,
 * `--describe` the compiler and build type the counts belong to.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <valgrind/callgrind.h>

#include "micro.h"

#define INSN_OPS 10000

static const struct {
    enum micro_prim prim;
    const char *name;
} insn_prims[] = {
    {MICRO_ENTER_LEAVE, "enter_leave"},
    {MICRO_PROTECT, "protect"},
    {MICRO_RETIRE, "retire"},
    {MICRO_ALLOC, "alloc"},
};

#if defined(__clang__)
#define INSN_COMPILER "clang " __clang_version__
#elif defined(__GNUC__)
#define INSN_COMPILER "gcc " __VERSION__
#else
#define INSN_COMPILER "unknown"
#endif
#ifndef INSN_BUILD_TYPE
#define INSN_BUILD_TYPE "unknown"
#endif

/* No arguments: every scheme; else the schemes named. */
static bool wanted(const char *scheme, int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], scheme) == 0)
            return true;
    return false;
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "--describe") == 0) {
        printf("%s, %s\n", INSN_COMPILER, INSN_BUILD_TYPE);
        return 0;
    }
    if (argc > 1 && strcmp(argv[1], "--list") == 0) {
        for (const struct micro_prims *const *p = micro_prims_registry; *p; p++)
            printf("%s\n", (*p)->scheme->name);
        return 0;
    }
    if (!RUNNING_ON_VALGRIND) {
        fprintf(stderr, "insn_count: run it under valgrind --tool=callgrind "
                        "--collect-atstart=no (scripts/insn.sh does)\n");
        return 2;
    }
    for (const struct micro_prims *const *p = micro_prims_registry; *p; p++) {
        if (argc > 1 && !wanted((*p)->scheme->name, argc, argv))
            continue;
        void *shared = (*p)->create(1, false);
        void *ctx = (*p)->attach(shared);
        for (size_t i = 0; i < sizeof insn_prims / sizeof insn_prims[0]; i++) {
            micro_batch_fn batch = (*p)->batch[insn_prims[i].prim];
            char name[128];
            snprintf(name, sizeof name, "insn %s %s %d", (*p)->scheme->name, insn_prims[i].name,
                     INSN_OPS);
            batch(ctx, INSN_OPS); /* warm: first-touch and one-time paths */
            CALLGRIND_ZERO_STATS;
            CALLGRIND_TOGGLE_COLLECT;
            batch(ctx, INSN_OPS);
            CALLGRIND_TOGGLE_COLLECT;
            CALLGRIND_DUMP_STATS_AT(name);
        }
        (*p)->detach(ctx);
        (*p)->destroy(shared, NULL);
    }
    return 0;
}
