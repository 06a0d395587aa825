/* run.h - one measured run of a (structure, scheme, threads) configuration, and the sweep. */
#ifndef RUN_H
#define RUN_H

#include <stdatomic.h>
#include <stdint.h>

#include "cli.h"

/* What became of a cell (one structure, scheme, threads, rep): the
   `status` column. Only RUN_OK rows are measurements. */
enum run_status {
    RUN_OK,             /* measured in full, checks passed */
    RUN_INTERRUPTED,    /* the window was cut short: SIGINT, SIGTERM or SIGHUP */
    RUN_FAILED,         /* crashed, hung past its timeout, or failed a check */
};
const char *run_status_name(enum run_status s);

/* The signal that interrupted the sweep (SIGINT, SIGTERM or SIGHUP), 0 if
   none: the current window and stall end early and no further cell starts.
   A lock-free atomic int is async-signal-safe and, unlike a volatile
   sig_atomic_t, well defined when read from other threads. */
extern _Atomic int run_interrupted;

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
    uint64_t keys, prefill;     /* the key range and prefill this cell ran with */
    /* Keyed sets (bench_ops.counts): every thread's counts summed, from
       prefill to the end of the run; validated against the structure. */
    bool has_counts;
    struct keyed_counts counts;
    bool teardown_ok;           /* everything retired was reclaimed at destroy */
    /* The scheme under this run's configuration: its thresholds and periods
       with these threads (smr_scheme_info.effective, "" if none), and its
       declared garbage_bound (UINT64_MAX: the scheme declares none, or the
       configuration gives none). */
    char effective[96];
    uint64_t garbage_bound;
    uint64_t teardown_left, teardown_retired; /* unreclaimed and retired at destroy */
    bool complete;              /* the window was measured in full */
    bool measured;              /* a window was measured (its columns are filled) */
    bool reported;              /* the cell ran to its end and reported (else it crashed,
                                   hung, or exited without a result) */
    enum run_status status;
    char failure[192];          /* why not ok, "" when ok: no commas or quotes */
    bool oversubscribed;
    char placement[256];        /* PU of each thread */
    uint64_t *thread_ops;       /* per thread, measured window */
    uint64_t *thread_retired;   /* retired by this thread in the window */
    uint64_t *thread_reclaimed; /* freed by this thread in the window, whoever retired them */
    uint64_t *thread_seed;      /* each thread's generator seed (from --seed, rep, index) */
    struct series_point *series;
    size_t nseries;
};

/* Seconds on the monotonic clock. */
double run_now_s(void);

/* The mix label of the results: "r50" (50 % reads in every thread) or "w1"
   (one dedicated writer, the other threads only read). */
/* The key range and the prefill of a pair's cells: -k and --prefill when
   given, else the structure's defaults (bench_ops.default_keys; half the
   key range for a keyed set). */
uint64_t run_keys(const struct run_options *o, const struct bench_ops *b);
uint64_t run_prefill(const struct run_options *o, const struct bench_ops *b);

void run_mix_label(const struct run_result *r, char *buf, size_t len);

/*
 * One cell in this process: build, prefill, warm up, measure, tear down.
 * Fills r, including its status (ok, interrupted, or failed at teardown);
 * a crash takes the process with it (run it in a child: cell.h).
 */
void run_cell(const struct run_options *o, const struct bench_ops *b, unsigned nthreads,
              unsigned rep, hwloc_topology_t topo, struct run_result *r);
/* The identifying fields of a cell, everything else zero: a cell that
   produced no result (crash, timeout) still gets its row. */
void run_result_init(struct run_result *r, const struct run_options *o, const struct bench_ops *b,
                     unsigned nthreads, unsigned rep);
void run_result_free(struct run_result *r);

#endif /* RUN_H */
