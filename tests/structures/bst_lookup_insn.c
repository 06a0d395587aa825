/*
 * bst_lookup_insn.c - instructions per tree lookup under callgrind, for the
 * tree's performance figures (not a test: counts belong to one compiler).
 *
 *   valgrind --tool=callgrind --collect-atstart=no \
 *       bst_lookup_insn_<scheme>[_checked] [--planted]
 *
 * A tree of 50,000 distinct random keys of 0 .. 99,999 (the published
 * experiment's shape) built on one thread; then LOOKUPS lookups of random
 * keys of the range, the only part callgrind collects: its "Collected"
 * count divided by LOOKUPS is the cost of one lookup, enter and leave
 * included. --planted (the _checked programs only, whose core has the
 * canaries and the planted seek) runs NM's published seek instead of the
 * safe one: with epochs it is safe, so the difference is what the safe
 * seek costs.
 */
#include <stdio.h>
#include <string.h>
#include <valgrind/callgrind.h>

#include "bst.h"
#include "rng.h"

#define KEYS 100000
#define LOOKUPS 10000

int main(int argc, char **argv)
{
    bool planted = argc == 2 && strcmp(argv[1], "--planted") == 0;
#ifndef SMR_CHECKED
    if (planted) {
        fprintf(stderr, "%s: --planted needs the checked core (the _checked program)\n", argv[0]);
        return 2;
    }
#endif
    if (argc > 2 || (argc == 2 && !planted)) {
        fprintf(stderr, "usage: %s [--planted]\n", argv[0]);
        return 2;
    }
    struct bst *tr = bst_create(NULL);
    smr_thread_t *t = smr_thread_register(bst_domain(tr));
    struct rng rng;
    rng_seed(&rng, 42);
    uint64_t found = 0;
    for (unsigned n = 0; n < KEYS / 2;)
        n += bst_insert(tr, t, rng_next(&rng) % KEYS);
#ifdef SMR_CHECKED
    atomic_store(&bst_test_unsafe_seek, planted);
#endif
    CALLGRIND_TOGGLE_COLLECT;
    for (unsigned i = 0; i < LOOKUPS; i++)
        found += bst_lookup(tr, t, rng_next(&rng) % KEYS);
    CALLGRIND_TOGGLE_COLLECT;
    printf("bst/%s%s: %u lookups, %llu found\n", smr_scheme.name, planted ? " (planted seek)" : "",
           LOOKUPS, (unsigned long long)found);
    smr_thread_unregister(t);
    bst_destroy(tr, NULL);
    return 0;
}
