/*
 * thread_scaling.c - a scheme's own costs do not grow with the number of
 * registered threads (compiled once per scheme, like conformance).
 *
 *   thread_scaling_<scheme> [THREADS]        (default 512)
 *
 * One OS thread registers THREADS handles (the contract allows several per
 * thread), so the counts are exact.
 *
 *   slow paths:  one handle retires RETIRES_PER_THREAD x THREADS nodes
 *                while the others sit between operations. Each slow-path
 *                attempt (smr_stats.scans: an epoch advance, a grace-period
 *                check, a hazard or era scan, a batch close, a poll) walks
 *                every thread record, so scans x THREADS is the record
 *                visits; they must stay within 2 per retire (plus one
 *                scan's worth). A threshold fixed at 64 or 128 retires
 *                makes it THREADS / 64 or / 128 per retire.
 *   era clocks:  every handle allocates ALLOCS_PER_THREAD nodes, round
 *                robin. A clock that ticks once per N allocations of each
 *                thread ticks THREADS x ALLOCS / N times; the global tick
 *                rate must not grow with the threads: at most one tick per
 *                8 allocations of one thread, ALLOCS / 8 in all, plus one
 *                per thread (a thread's period is set when it registers,
 *                from the threads registered so far, and follows their
 *                count from its next tick on). Schemes whose epoch does
 *                not follow allocations stay far below.
 */
#include <string.h>

#include "smr.h"
#include "test_util.h"

#define RETIRES_PER_THREAD 64
#define ALLOCS_PER_THREAD 4096
#define TICK_EVERY_ALLOCS_OF_ONE_THREAD 8

static struct smr_stats stats_of(smr_domain_t *d)
{
    struct smr_stats st;
    smr_stats(d, &st);
    return st;
}

/* A domain with `threads` handles registered; undo with unregister_all. */
static smr_domain_t *register_all(unsigned threads, smr_thread_t ***out)
{
    struct smr_config cfg = {.max_threads = threads, .hazard_slots = 1};
    smr_domain_t *d = smr_domain_create(&cfg);
    smr_thread_t **t = calloc(threads, sizeof(*t));
    for (unsigned i = 0; i < threads; i++)
        t[i] = smr_thread_register(d);
    *out = t;
    return d;
}

static void unregister_all(smr_domain_t *d, smr_thread_t **t, unsigned threads)
{
    for (unsigned i = 0; i < threads; i++)
        smr_thread_unregister(t[i]);
    free(t);
    smr_domain_destroy(d, NULL);
}

static void test_slow_paths(unsigned threads)
{
    smr_thread_t **t;
    smr_domain_t *d = register_all(threads, &t);
    smr_thread_t *retirer = t[threads - 1];
    uint64_t retires = (uint64_t)RETIRES_PER_THREAD * threads;
    uint64_t scans0 = stats_of(d).scans;
    for (uint64_t i = 0; i < retires; i++) {
        smr_enter(retirer);
        smr_retire(retirer, smr_alloc(retirer, 16), NULL, NULL);
        smr_leave(retirer);
    }
    uint64_t scans = stats_of(d).scans - scans0;
    uint64_t visits = scans * threads, allowed = 2 * retires + threads;
    printf("%s, %u threads: %llu retires, %llu slow-path scans: %.2f record visits per retire\n",
           smr_scheme.name, threads, (unsigned long long)retires, (unsigned long long)scans,
           (double)visits / (double)retires);
    CHECK(visits <= allowed, "%llu scans of %u records for %llu retires: %.1f record visits per "
          "retire, growing with the threads (allowed 2)", (unsigned long long)scans, threads,
          (unsigned long long)retires, (double)visits / (double)retires);
    unregister_all(d, t, threads);
}

static void test_clock(unsigned threads)
{
    smr_thread_t **t;
    smr_domain_t *d = register_all(threads, &t);
    uint64_t epoch0 = stats_of(d).epoch;
    for (unsigned a = 0; a < ALLOCS_PER_THREAD; a++)
        for (unsigned i = 0; i < threads; i++)
            smr_dealloc_unpublished(t[i], smr_alloc(t[i], 16));
    uint64_t ticks = stats_of(d).epoch - epoch0;
    uint64_t allowed = ALLOCS_PER_THREAD / TICK_EVERY_ALLOCS_OF_ONE_THREAD + threads;
    printf("%s, %u threads x %d allocations: the clock ticked %llu times (allowed %llu)\n",
           smr_scheme.name, threads, ALLOCS_PER_THREAD, (unsigned long long)ticks,
           (unsigned long long)allowed);
    CHECK(ticks <= allowed, "%u threads allocating %d nodes each ticked the clock %llu times: "
          "more than once per %d allocations of one thread, a rate that grows with the threads",
          threads, ALLOCS_PER_THREAD, (unsigned long long)ticks, TICK_EVERY_ALLOCS_OF_ONE_THREAD);
    unregister_all(d, t, threads);
}

int main(int argc, char **argv)
{
    unsigned threads = argc > 1 ? (unsigned)strtoul(argv[1], NULL, 10) : 512;
    if (argc > 2 || threads < 2) {
        fprintf(stderr, "usage: %s [THREADS >= 2]\n", argv[0]);
        return 2;
    }
    test_slow_paths(threads);
    test_clock(threads);
    char what[64];
    snprintf(what, sizeof what, "thread-scaling-%s", smr_scheme.name);
    return test_finish(what);
}
