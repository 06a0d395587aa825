/* smr_checked.c - the checked build's test switches and failure reports. */
#include "smr_checked.h"

#include <stdio.h>
#include <unistd.h>

#ifdef SMR_CHECKED
#include <sched.h>

_Atomic int smr_test_free_on_retire;
_Atomic unsigned smr_test_yield_every;
void (*_Atomic smr_test_window_hook)(void);
_Atomic int smr_test_era_ignore_birth;

void smr_test_window_slow(void)
{
    /* acquire: what the test prepared for its hook before installing it (release) */
    void (*hook)(void) = atomic_load_explicit(&smr_test_window_hook, memory_order_acquire);
    if (hook) {
        hook();
        return;
    }
    static _Thread_local unsigned passes;
    unsigned every = atomic_load_explicit(&smr_test_yield_every, memory_order_relaxed);
    if (every && ++passes % every == 0)
        sched_yield();
}

void smr_check_failed(const char *what, const void *p)
{
    fprintf(stderr, "smr check failed: %s (node %p)\n", what, p);
    fflush(stderr);
    _exit(86);
}

void smr_check_slot_failed(unsigned slot, unsigned nslots)
{
    fprintf(stderr, "smr check failed: protect used hazard slot %u of a domain with %u slot(s) "
            "(slots 0..%u)\n", slot, nslots, nslots - 1);
    fflush(stderr);
    _exit(86);
}
#endif
