/* manifest.h - the machine settings that move results between machines
 * (huge pages, frequency scaling, SMT, mitigations, NUMA, library
 * versions), read once per run for run.json's "machine.manifest", so that
 * `smrbench merge` can say which of them differ between machines.
 */
#ifndef MANIFEST_H
#define MANIFEST_H

#include <hwloc.h>

/*
 * The manifest as a JSON object, one line, malloc'd (never NULL). A
 * setting this machine does not expose, or this user cannot read, is null:
 * never a failure. Files are read under /sys, or under the folder named by
 * SMRBENCH_SYSFS_ROOT (its sys/... tree) when set, which the tests use to
 * present known settings. NUMA comes from topo (the run's own view).
 */
char *manifest_json(hwloc_topology_t topo);

#endif /* MANIFEST_H */
