/*
 * era_scan_cost.c - an era scheme's scans stay amortised O(1) per retire
 * while a stalled thread pins many nodes (he, ibr; compiled once per scheme).
 *
 * One OS thread, two handles. The holder enters and protects, so its era
 * pins every node alive then. The retirer retires PINNED such nodes (they
 * stay on its list, kept by every scan), moves the clock on, then retires
 * FRESH nodes nobody pins. Every scan walks the whole list, the pinned
 * nodes included, so the scans during the fresh phase visit at least
 * PINNED nodes each: scans x PINNED must stay within VISITS_PER_RETIRE x
 * FRESH. A scheme that scans again after a fixed number of retires plus
 * what it kept (R + kept) walks the pinned nodes every R retires: FRESH / R
 * scans, PINNED / R visits per retire. Scanning only once the list has
 * doubled since the last scan keeps it within 2 visits per retire.
 */
#include <string.h>

#include "smr.h"
#include "test_util.h"

#define PINNED 8192
#define FRESH 8192
#define VISITS_PER_RETIRE 4

static uint64_t scans_of(smr_domain_t *d)
{
    struct smr_stats st;
    smr_stats(d, &st);
    return st.scans;
}

int main(void)
{
    struct smr_config cfg = {.max_threads = 2, .hazard_slots = 1, .max_live = PINNED + 2};
    smr_domain_t *d = smr_domain_create(&cfg);
    smr_thread_t *retirer = smr_thread_register(d), *holder = smr_thread_register(d);
    static void *pinned[PINNED];
    for (int i = 0; i < PINNED; i++)
        pinned[i] = smr_alloc(retirer, 16);
    smr_atomic_ptr src;
    atomic_init(&src, pinned[0]);

    smr_enter(holder);
    (void)smr_protect(holder, 0, &src); /* its era: every node above was born before it */
    atomic_store(&src, NULL);
    for (int i = 0; i < PINNED; i++)
        smr_retire(retirer, pinned[i], NULL, NULL);
    for (int i = 0; i < 4096; i++) /* the clock moves on: what follows is born after the era */
        smr_dealloc_unpublished(retirer, smr_alloc(retirer, 16));

    uint64_t scans0 = scans_of(d);
    for (int i = 0; i < FRESH; i++)
        smr_retire(retirer, smr_alloc(retirer, 16), NULL, NULL);
    uint64_t scans = scans_of(d) - scans0;
    struct smr_stats st;
    smr_stats(d, &st);
    printf("%s: %d pinned, %d fresh retires: %llu scans (>= %llu node visits), %llu unreclaimed\n",
           smr_scheme.name, PINNED, FRESH, (unsigned long long)scans,
           (unsigned long long)(scans * PINNED),
           (unsigned long long)(st.retired - st.reclaimed));
    CHECK(scans * PINNED <= (uint64_t)VISITS_PER_RETIRE * FRESH,
          "%llu scans walked the %d pinned nodes again and again: at least %.1f node visits per "
          "retire (allowed %d)", (unsigned long long)scans, PINNED,
          (double)(scans * PINNED) / FRESH, VISITS_PER_RETIRE);

    smr_leave(holder);
    smr_flush(retirer);
    smr_stats(d, &st);
    CHECK(st.reclaimed == st.retired, "after the holder left, flush left %llu of %llu unreclaimed",
          (unsigned long long)(st.retired - st.reclaimed), (unsigned long long)st.retired);
    smr_thread_unregister(holder);
    smr_thread_unregister(retirer);
    smr_domain_destroy(d, NULL);
    char what[64];
    snprintf(what, sizeof what, "era-scan-cost-%s", smr_scheme.name);
    return test_finish(what);
}
