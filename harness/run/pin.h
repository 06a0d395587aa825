/* Thread-pinning plans for benchmark threads (hwloc 2.x). */
#ifndef SMRBENCH_PIN_H
#define SMRBENCH_PIN_H

#include <hwloc.h>
#include <stdbool.h>
#include <stddef.h>

enum pin_policy { PIN_COMPACT, PIN_SCATTER, PIN_NONE, PIN_LIST };

struct pin_spec {
    enum pin_policy policy;
    int npus;            /* PIN_LIST only: number of entries */
    int *pus;            /* PIN_LIST only: OS indexes (as in taskset / hwloc P#), malloc'd */
};

struct pin_plan {
    int nthreads;
    int *pu;             /* nthreads entries: OS index of the PU thread i is bound to, -1 = not bound; malloc'd */
    int available_pus;   /* PUs the process may use (its CPU binding, e.g. under taskset) */
    bool oversubscribed; /* more threads than available PUs (PIN_LIST: than distinct listed PUs) */
    char policy_text[64];  /* e.g. "compact", "scatter", "none", "list:0,2,4" */
};

/* Parse the --pin argument: "compact", "scatter", "none", or an explicit PU list "0,2,4-7" (OS indexes; ranges
   allowed). On error returns -1, leaves *out empty and writes one sentence into err. */
int pin_spec_parse(const char *arg, struct pin_spec *out, char *err, size_t errlen);
void pin_spec_free(struct pin_spec *s);

/* Load this machine's topology restricted to the process's CPU binding (e.g. under `taskset -c 1`
   only PU 1 remains). Returns 0 or -1 with err. */
int pin_topology_load(hwloc_topology_t *out, char *err, size_t errlen);
/* Same for a synthetic description such as "pack:2 core:4 pu:2" (for tests and for planning for other machines). */
int pin_topology_load_synthetic(hwloc_topology_t *out, const char *desc, char *err, size_t errlen);

/* Plan placement of nthreads (>= 1) threads.
   compact: thread i -> i-th allowed PU in logical order (SMT siblings, then next core, then next package).
   scatter: spread over packages, then NUMA nodes/groups/caches, then cores, before a second PU of any core.
   none:    every entry -1.
   list:    thread i -> pus[i % npus]; every listed PU must exist and be allowed.
   compact/scatter wrap around when nthreads exceeds the allowed PUs. Returns 0, or -1 with one-line err;
   *out is always safe to pin_plan_free. */
int pin_plan_make(hwloc_topology_t topo, const struct pin_spec *spec, int nthreads, struct pin_plan *out,
                  char *err, size_t errlen);
void pin_plan_free(struct pin_plan *p);

/* Bind the calling thread to the PU with that OS index (no-op for -1). Returns 0 or -1 with errno set. */
int pin_bind_self(hwloc_topology_t topo, int pu_os_index);

/* One-line summary, e.g. "1 package, 1 NUMA node, 2 cores, 2 PUs (allowed: 0-1); L3 508 MiB". */
void pin_topology_summary(hwloc_topology_t topo, char *buf, size_t len);
/* The plan's PU per thread as "0,1,0,1" ("-" for unbound); truncated with "..." if buf is too small. */
void pin_plan_format(const struct pin_plan *p, char *buf, size_t len);

#endif
