/*
 * bench_ops.h - what the harness sees of one (structure, scheme) pair.
 *
 * Each structure's glue, structures/<name>_bench.c, defines one `struct
 * bench_ops` per scheme it is compiled with (what the structures share of
 * it: bench_glue.h); the build lists them all in a generated registry. The
 * run loop makes exactly one indirect call per benchmark operation (read or
 * write), the same for every scheme; everything below that call is inlined.
 */
#ifndef BENCH_OPS_H
#define BENCH_OPS_H

#include <stdint.h>
#include <time.h>

#include "../schemes/smr_common.h"
#include "../workloads/latency.h"

struct bench_params {
    unsigned threads;           /* worker threads that will attach */
    /* Threads that only write (the first `writers`), -1 when every thread
       mixes reads and writes. A structure may skip synchronisation a single
       writer does not need; 0, what a zero-initialising caller passes,
       promises nothing. */
    int writers;
    uint64_t prefill;           /* elements present at the start */
    uint64_t keys;              /* key range for keyed structures */
    struct smr_config smr;      /* tunables and sizing for the domain */
    /* The structure's options (--opt), by index in bench_ops.options; the
       harness fills in the defaults, 0 from a caller that did not means default. */
    long opt[SMR_MAX_TUNABLES];
};

/*
 * Structure-specific measurements (bench_ops.metrics), cumulative since
 * create and safe to take while threads run; the run loop keeps the
 * difference over the measured window. Histograms are in nanoseconds.
 * Today only dbmap fills them: publishes, publish latency (whole, the wait
 * for readers, the replay of the log) and staleness (the age of the oldest
 * unpublished write when a publish makes it visible).
 */
struct bench_metrics {
    uint64_t publishes;
    struct latency_hist publish_ns, wait_ns, apply_ns, staleness_ns;
};

/*
 * Keyed sets (list, hashmap, ...): what one thread did, from attach to
 * detach (prefill, warmup and window), owner-written. The run sums them
 * over the threads for the success rates and the validation.
 */
struct keyed_counts {
    uint64_t prefilled, prefilled_sum;  /* keys this thread's prefill inserted */
    uint64_t inserts, inserted, inserted_sum; /* insert attempts, successes, their keys' sum */
    uint64_t deletes, deleted, deleted_sum;
};

struct bench_ops {
    const char *structure;
    const struct smr_scheme_info *scheme;
    /* Structure options (the same for every scheme): `smrbench list` shows
       them, --opt STRUCT.NAME=VALUE sets them. */
    unsigned noptions;
    struct smr_tunable options[SMR_MAX_TUNABLES];
    /* The smr_config the structure gives its domain for `p`: p->smr with
       its hazard slots and max_live (the most nodes allocated and not yet
       retired at once). create uses it; garbage_bound and the scheme's
       effective values are computed from it (run.json, tests). */
    void (*domain_config)(const struct bench_params *p, struct smr_config *out);
    /* Build the structure and its reclamation domain. */
    void *(*create)(const struct bench_params *p);
    /* Tear down after every thread detached; `final` gets the domain's last stats. */
    void (*destroy)(void *s, struct smr_stats *final);
    /* Register the calling thread; returns its context. */
    void *(*attach)(void *s, unsigned tid, uint64_t seed);
    void (*detach)(void *ctx);
    /* Insert this thread's share of the prefill (called on the pinned thread). */
    void (*prefill)(void *ctx, uint64_t count);
    void (*read)(void *ctx, uint64_t key);
    void (*write)(void *ctx, uint64_t key);
    /* Stall inside an operation (between enter and leave, holding what it
       protected) for `seconds`, or until *cancel becomes nonzero (Ctrl-C):
       the robustness experiment. Wait with bench_stall_sleep. */
    void (*stall)(void *ctx, double seconds, _Atomic int *cancel);
    /* This thread's own counters (retired by it, reclaimed by it), safe to read from any thread. */
    void (*thread_stats)(void *ctx, struct smr_stats *out);
    /* Domain statistics, safe to call while threads run (relaxed sums). */
    void (*stats)(void *s, struct smr_stats *out);

    /* Optional (0 / NULL for most structures): */
    /* One line for `smrbench list`. */
    const char *summary;
    /* Thread roles when neither --writers nor -m is given: this many
       dedicated writer threads, the others only read (0: every thread mixes). */
    unsigned default_writers;
    /* The structure waits for what it retires to be reclaimed (dbmap's old
       copy): a scheme that never reclaims cannot serve it. */
    bool needs_reclaim;
    /* read and write ignore their key: -k and --dist mean nothing to it. */
    bool keyless;
    /* The key range when -k is not given (0: the run's default). A keyed
       set (one with `counts`) is prefilled with half its key range when
       --prefill is not given. */
    uint64_t default_keys;
    /* Structure-specific measurements, see struct bench_metrics. */
    void (*metrics)(void *s, struct bench_metrics *out);
    /* Keyed sets: this thread's counts (call on its context before detach). */
    void (*counts)(void *ctx, struct keyed_counts *out);
    /* Check the structure once every thread has detached against the sum
       of every thread's counts: keys present = prefilled + inserted -
       deleted (count and key sum), and the structure's invariants. False
       with a one-line reason in `why` if they do not hold. */
    bool (*validate)(void *s, const struct keyed_counts *total, char *why, size_t len);
};

/*
 * The wait of a stall: `seconds`, cut short once *cancel is nonzero. It
 * sleeps in slices of at most 10 ms, so an interrupted run ends its stall
 * within one slice; a stall is no hot path.
 */
static inline void bench_stall_sleep(double seconds, _Atomic int *cancel)
{
    struct timespec now, end;
    clock_gettime(CLOCK_MONOTONIC, &end);
    end.tv_sec += (time_t)seconds;
    end.tv_nsec += (long)((seconds - (double)(time_t)seconds) * 1e9);
    if (end.tv_nsec >= 1000000000L) {
        end.tv_sec++;
        end.tv_nsec -= 1000000000L;
    }
    /* relaxed: a request to stop early, nothing is published through it */
    while (!atomic_load_explicit(cancel, memory_order_relaxed)) {
        clock_gettime(CLOCK_MONOTONIC, &now);
        long long left_ns = (long long)(end.tv_sec - now.tv_sec) * 1000000000LL +
                            (end.tv_nsec - now.tv_nsec);
        if (left_ns <= 0)
            return;
        struct timespec slice = {0, left_ns < 10000000LL ? (long)left_ns : 10000000L};
        nanosleep(&slice, NULL);
    }
}

#endif /* BENCH_OPS_H */
