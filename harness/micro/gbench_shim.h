/*
 * gbench_shim.h - a C API over Google Benchmark (gbench_shim.cc is
 * smrbench's only C++). A benchmark is a C function that Google Benchmark
 * calls once per run and per thread; it brackets its timed loop with
 * gbs_keep_running_batch, which counts `n` iterations per call, so one call
 * into the shim covers a whole batch of primitives and the reported time
 * per iteration is the time per primitive. No C++ exception leaves the
 * shim: a failure becomes a return value or a benchmark skipped with an
 * error.
 */
#ifndef GBENCH_SHIM_H
#define GBENCH_SHIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct gbs_state gbs_state;     /* a benchmark::State */
typedef struct gbs_bench gbs_bench;     /* a registered benchmark */
typedef void (*gbs_fn)(gbs_state *st, void *arg);

/* Register `fn(state, arg)` under `name`; NULL on failure. */
gbs_bench *gbs_register(const char *name, gbs_fn fn, void *arg);
/* Run it with this many threads too (call once per thread count). */
void gbs_add_threads(gbs_bench *b, int threads);
/* A fixed iteration count per thread instead of Google Benchmark's estimate. */
void gbs_set_iterations(gbs_bench *b, uint64_t n);

/* Inside a benchmark: true while the timed loop should run another batch of
   `n` iterations. The last batch may run past the target; Google Benchmark
   counts it, so iterations are what ran. The first call starts the clock
   once every thread has arrived, the call that returns false stops it. */
bool gbs_keep_running_batch(gbs_state *st, uint64_t n);
/* Iterations this thread has left after the batches it was given so far:
   0 once the next gbs_keep_running_batch will return false (and wait there
   for the other threads). */
uint64_t gbs_iterations_left(const gbs_state *st);
int gbs_thread_index(const gbs_state *st);
int gbs_thread_count(const gbs_state *st);
/* Mark this run failed with `msg`; a later gbs_keep_running_batch returns false. */
void gbs_skip_with_error(gbs_state *st, const char *msg);

enum gbs_counter_flags {
    GBS_COUNTER_PLAIN = 0,
    GBS_COUNTER_RATE = 1 << 0,              /* divided by the run's time */
    GBS_COUNTER_AVG_THREADS = 1 << 1,       /* divided by the thread count */
    GBS_COUNTER_PER_ITERATION = 1 << 2,     /* divided by the iterations */
};
/* A user counter of this run (summed over threads, then `flags` applied). */
void gbs_set_counter(gbs_state *st, const char *name, double value, unsigned flags);

/* A key/value pair in the report's "context". */
void gbs_add_context(const char *key, const char *value);

/* Parse Google Benchmark's flags out of argv (argv[0] is kept); what it does
   not recognise stays in argv. `help` is printed for --help, which exits 0. */
bool gbs_initialize(int *argc, char **argv, void (*help)(void));
/* Run the benchmarks the flags select; returns how many ran, or -1 after one
   line on stderr if the library failed. */
long gbs_run(void);
void gbs_shutdown(void);

#ifdef __cplusplus
}
#endif

#endif /* GBENCH_SHIM_H */
