/*
 * smr_checked.h - the checked build's hooks (tests only; SMR_CHECKED):
 * poison-on-reclaim, the negative controls' switches, the slot-index
 * check and the preemption points in race windows. Each compiles to
 * nothing outside checked builds.
 */
#ifndef SMR_CHECKED_H
#define SMR_CHECKED_H

#include "smr_base.h"

/*
 * Checked builds (tests) poison a node's payload before freeing it so that a
 * premature free is seen by the structure's canary checks even without a
 * sanitizer, and offer a deliberately unsafe switch (free on retire) that
 * the stress tests must catch.
 */
#define SMR_POISON_BYTE 0xA5
#ifdef SMR_CHECKED
extern _Atomic int smr_test_free_on_retire;
extern _Atomic unsigned smr_test_yield_every;
/* When set (with smr_test_yield_every non-zero, so windows take the slow
   path), every race window calls it instead of yielding: a test runs
   another handle's step at an exact point of a window (hyaline_late_push.c). */
extern void (*_Atomic smr_test_window_hook)(void);
/* Era schemes' planted bug (the stall-bound test's negative control): scans
   take every node's birth era as the first era, so a stalled thread's era
   pins every node retired after it, as under EBR. */
extern _Atomic int smr_test_era_ignore_birth;
void smr_check_failed(const char *what, const void *p);
void smr_check_slot_failed(unsigned slot, unsigned nslots);
void smr_test_window_slow(void);
#endif

/* Checked builds: protect's slot is one the domain gave the thread (a slot
   past them would alias another thread's or nothing, and free early). */
static inline void smr_check_slot(unsigned slot, unsigned nslots)
{
#ifdef SMR_CHECKED
    if (SMR_UNLIKELY(slot >= nslots))
        smr_check_slot_failed(slot, nslots);
#else
    (void)slot;
    (void)nslots;
#endif
}

/*
 * A preemption point inside a race window (between loading a shared value
 * and publishing or acting on it). In checked builds, with
 * smr_test_yield_every = N, every Nth pass yields the CPU, so stress tests
 * reach interleavings a 2-core machine rarely produces. Nothing otherwise.
 */
static inline void smr_test_window(void)
{
#ifdef SMR_CHECKED
    if (SMR_UNLIKELY(atomic_load_explicit(&smr_test_yield_every, memory_order_relaxed)))
        smr_test_window_slow();
#endif
}

#endif /* SMR_CHECKED_H */
