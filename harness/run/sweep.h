/* sweep.h - every cell of a run, in order, each written to the results folder as it ends. */
#ifndef SWEEP_H
#define SWEEP_H

#include <stdbool.h>
#include <stddef.h>

#include "cli.h"
#include "run.h"

struct sweep {
    struct run_result *results;
    size_t nresults, cap;
    char topology[256];
    char allocator[96];         /* what served malloc, with its version */
    char host_label[65];        /* --host-label, or the hostname */
    char machine[256];          /* every row's machine column: "HOST (CPU MODEL)" */
    char *manifest;             /* run.json's machine.manifest, a JSON object (manifest.h) */
    double started_unix;
    bool complete;              /* every cell ran: nothing cut short or left out */
    int signal;                 /* the signal that interrupted it, 0 if none */
    bool write_failed;          /* a cell's rows could not be written: the sweep stopped */
    size_t failed;              /* cells with status failed */
};

/* Every thread count can be placed with the --pin policy (else one line on stderr). */
bool sweep_check_pinning(const struct run_options *o, hwloc_topology_t topo);
/* The facts of the machine (host_label: --host-label, NULL for the
   hostname) and the start time; no result yet. */
void sweep_init(struct sweep *sw, hwloc_topology_t topo, const char *host_label);
/*
 * Run every cell (schemes innermost), each in a child process unless
 * --isolation single, and after each one append its rows to the results
 * folder `dir` (results_store.h). Stops early on SIGINT, SIGTERM or SIGHUP
 * (the cell running keeps what it measured, marked interrupted) and when a
 * cell's rows cannot be written. Prints progress on stderr when it is a
 * terminal, and one line per cell that failed.
 */
void sweep_run(const struct run_options *o, hwloc_topology_t topo, const char *dir,
               struct sweep *sw);
/* The exit status the sweep deserves (cli.h, `smrbench run --help`). */
int sweep_exit_status(const struct sweep *sw);
void sweep_free(struct sweep *sw);

#endif /* SWEEP_H */
