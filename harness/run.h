/* run.h - one measured run of a (structure, scheme, threads) configuration, and the sweep. */
#ifndef RUN_H
#define RUN_H

#include <stdint.h>

#include "cli.h"

struct series_point {
    uint32_t t_ms;
    uint64_t ops;
    uint64_t unreclaimed;
    uint64_t unreclaimed_bytes;
    uint64_t rss_kib;
};

/* Percentiles of a structure-specific histogram (bench_metrics), in ns. */
struct run_quantiles {
    double p50_ns, p99_ns, max_ns;
};

struct run_result {
    const char *structure;
    const char *scheme;
    unsigned threads;
    unsigned read_percent;
    int writers;                /* -1: every thread mixes; else dedicated writers (--writers,
                                   or the structure's default roles) */
    unsigned rep;
    double duration_s;          /* measured window, monotonic clock */
    uint64_t ops;
    double ops_per_sec;
    uint64_t unreclaimed_peak;  /* nodes retired but not yet freed, over the window */
    double unreclaimed_mean;
    uint64_t unreclaimed_final;
    uint64_t unreclaimed_bytes_peak;
    uint64_t rss_peak_kib;
    uint64_t retired;           /* during the window */
    uint64_t reclaimed;
    double p50_ns, p99_ns, p999_ns, max_ns; /* sampled operation latency */
    uint64_t latency_samples;
    /* With dedicated roles (writers >= 0): operations per second of the
       reader threads and of the writer threads, over the window; else -1. */
    double reader_ops_per_sec, writer_ops_per_sec;
    /* Structure-specific metrics (bench_ops.metrics), over the window. */
    bool has_metrics;
    uint64_t publishes;
    struct run_quantiles publish, publish_wait, publish_apply, staleness;
    bool teardown_ok;           /* everything retired was reclaimed at destroy */
    /* The scheme under this run's configuration: its thresholds and periods
       with these threads (smr_scheme_info.effective, "" if none), and its
       declared garbage_bound (UINT64_MAX: the scheme declares none, or the
       configuration gives none). */
    char effective[96];
    uint64_t garbage_bound;
    bool complete;              /* false: the window was cut short by Ctrl-C */
    bool oversubscribed;
    char placement[256];        /* PU of each thread */
    uint64_t *thread_ops;       /* per thread, measured window */
    uint64_t *thread_retired;   /* retired by this thread in the window */
    uint64_t *thread_reclaimed; /* freed by this thread in the window, whoever retired them */
    uint64_t *thread_seed;      /* each thread's generator seed (from --seed, rep, index) */
    struct series_point *series;
    size_t nseries;
};

/* The mix label of the results: "r50" (50 % reads in every thread) or "w1"
   (one dedicated writer, the other threads only read). */
void run_mix_label(const struct run_result *r, char *buf, size_t len);

struct sweep {
    struct run_result *results;
    size_t nresults, cap;
    char topology[256];
    char allocator[96];         /* what served malloc, with its version */
    double started_unix;
    bool complete;
};

/* Every thread count can be placed with the --pin policy (else one line on stderr). */
bool sweep_check_pinning(const struct run_options *o, hwloc_topology_t topo);
/* Run every configuration of the options. Returns 0, or 1 if a run failed a
   check (teardown); prints progress on stderr when it is a terminal. */
int sweep_run(const struct run_options *o, hwloc_topology_t topo, struct sweep *sw);
void sweep_free(struct sweep *sw);

#endif /* RUN_H */
