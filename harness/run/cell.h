/*
 * cell.h - one cell of the sweep in a child process of its own.
 *
 * A cell (structure, scheme, threads, rep) that shares a process with the
 * cells before it inherits their heap: `none` leaves hundreds of MiB that
 * every later cell's RSS then counts, and the allocator's fragmentation,
 * page faults and thread caches carry over into throughput. So the parent,
 * after option parsing, forks one child per cell; the child runs it
 * (run_cell) and sends the result back through a pipe. A child that dies
 * (a scheme's segfault, an abort) or outlives its deadline (a deadlock; it
 * is killed) becomes a failed result naming the signal or the timeout, and
 * the sweep goes on.
 */
#ifndef CELL_H
#define CELL_H

#include <sys/types.h>

#include "run.h"

/* The child running a cell now, 0 if none: the sweep's signal handler
   forwards an interrupt to it, so that its window ends early too. */
extern _Atomic pid_t cell_child;

/* The deadline of a cell: --cell-timeout, else twice warmup plus duration,
   60 s for setup and teardown, and time for the prefill and the threads. */
double cell_timeout_s(const struct run_options *o, const struct bench_ops *b, unsigned nthreads);

/* Run one cell in a child process; r gets its result, or a failed one. */
void cell_run_isolated(const struct run_options *o, const struct bench_ops *b, unsigned nthreads,
                       unsigned rep, hwloc_topology_t topo, struct run_result *r);

/*
 * Tests only (smrbench-faults, built with SMR_TEST_FAULTS): with
 * SMRBENCH_TEST_FAULT=KIND:SCHEME:THREADS in the environment, the cell of
 * that scheme and thread count crashes (KIND crash: SIGSEGV), hangs (hang)
 * or exits without a result (exit), wherever it runs, or (miscount) its
 * keyed set's validation is handed one successful insert too many.
 * smrbench itself has no such hook: this is an empty inline there.
 */
#ifdef SMR_TEST_FAULTS
void cell_test_fault(const char *scheme, unsigned nthreads);
extern bool cell_test_miscount;
#else
static inline void cell_test_fault(const char *scheme, unsigned nthreads)
{
    (void)scheme;
    (void)nthreads;
}
#endif

#endif /* CELL_H */
