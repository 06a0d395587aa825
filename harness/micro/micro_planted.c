/*
 * micro_planted.c - smrbench-planted, a test binary: `smrbench micro` whose
 * ebr primitives carry the regression gate's planted slowdown
 * (micro_plant.h). SMR_TEST_PLANT_EBR_PERCENT=P, read once at start, slows
 * ebr's enter + leave by about P percent; unset or 0, the same binary runs
 * unplanted. The report's context says which.
 *
 *   SMR_TEST_PLANT_EBR_PERCENT=10 smrbench-planted --benchmark_filter=...
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

#include "gbench_shim.h"
#include "micro.h"

unsigned micro_plant_every = UINT_MAX;
_Thread_local unsigned micro_plant_count;

int main(int argc, char **argv)
{
    const char *v = getenv("SMR_TEST_PLANT_EBR_PERCENT");
    char *end = NULL;
    double pct = v && *v ? strtod(v, &end) : 0;
    if (v && *v && (*end || pct < 0 || pct > 100)) {
        fprintf(stderr, "smrbench-planted: SMR_TEST_PLANT_EBR_PERCENT: '%s' is not a percent; "
                "allowed: 0 (none) to 100\n", v);
        return 2;
    }
    if (pct > 0)
        micro_plant_every = (unsigned)(100.0 / pct + 0.5);
    char note[96];
    snprintf(note, sizeof note, "ebr: every %u-th enter leaves and enters again (%g %%)",
             micro_plant_every, pct);
    gbs_add_context("smrbench_planted", pct > 0 ? note : "none");
    return cmd_micro(argc, argv);
}
