/*
 * micro_plant.h - the regression gate's planted slowdown, for the test
 * binary smrbench-planted only: the primitives of the one scheme compiled
 * with MICRO_PLANT (cmake/Micro.cmake: ebr) enter through micro_enter,
 * which after every micro_plant_every-th enter leaves and enters once
 * more: one more of the scheme's announcements (for ebr a StoreLoad
 * barrier and an epoch load) and one more leave, which slows its enter +
 * leave by about 100 / micro_plant_every percent on any machine. UINT_MAX
 * (SMR_TEST_PLANT_EBR_PERCENT unset or 0) runs the same counting code
 * without ever tripping: the unplanted reference of the same binary.
 * Everywhere else micro_enter is smr_enter. The scheme itself carries no
 * test code.
 */
#ifndef MICRO_PLANT_H
#define MICRO_PLANT_H

#include "smr.h"

#ifdef MICRO_PLANT
extern unsigned micro_plant_every;
extern _Thread_local unsigned micro_plant_count;

static inline void micro_enter(smr_thread_t *t)
{
    smr_enter(t);
    if (SMR_UNLIKELY(++micro_plant_count >= micro_plant_every)) {
        micro_plant_count = 0;
        smr_leave(t);
        smr_enter(t);
    }
}
#else
#define micro_enter smr_enter
#endif

#endif /* MICRO_PLANT_H */
