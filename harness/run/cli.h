/* cli.h - `smrbench run` options: parsing and validation. */
#ifndef CLI_H
#define CLI_H

#include <stdbool.h>
#include <stdint.h>

#include "alloc.h"
#include "pin.h"
#include "registry.h"

#define CLI_MAX_LIST 64
#define CLI_MAX_THREADS 1024

enum out_format { FORMAT_TABLE, FORMAT_CSV, FORMAT_JSON };

/* Where each cell runs: a child process of its own (default), or all in this one. */
enum isolation { ISOLATION_PROCESS, ISOLATION_SINGLE };

/* One --tune SCHEME.NAME=V or --opt STRUCT.NAME=V: the value of tunable
   `index` of that scheme (or option `index` of that structure). */
struct cli_setting {
    const char *owner;          /* scheme CLI name or structure name */
    unsigned index;
    long value;
    const char *arg;            /* as typed */
};
#define CLI_MAX_SETTINGS 32

struct run_options {
    const char *structures[CLI_MAX_LIST];
    unsigned nstructures;
    const struct smr_scheme_info *schemes[CLI_MAX_LIST];
    unsigned nschemes;
    bool schemes_all;           /* -r all (or no -r): pairs a scheme cannot serve are left out */
    unsigned threads[CLI_MAX_LIST];
    unsigned nthreads;
    double duration_s;
    double warmup_s;
    unsigned reps;
    unsigned read_percent;
    bool mix_given;             /* -m on the command line (else a structure's default roles apply) */
    uint64_t keys;
    bool keys_given;            /* -k on the command line */
    bool prefill_given;         /* --prefill on the command line */
    uint64_t prefill;
    unsigned sample_ms;
    uint64_t seed;
    double zipf_theta;          /* 0: uniform keys */
    const char *dist_arg;
    int writers;                /* -1: every thread mixes reads and writes */
    int stall_thread;           /* -1: no --stall */
    double stall_start_s, stall_len_s;
    const char *stall_arg;
    struct pin_spec pin;
    const char *pin_arg;
    const char *out_dir;        /* NULL: results/<UTC timestamp> */
    bool out_dir_given;
    bool force;                 /* --force: replace the results an -o folder holds */
    enum isolation isolation;
    double cell_timeout_s;      /* --cell-timeout; 0: from warmup, duration and prefill */
    enum out_format format;
    bool quiet;
    bool plot;                  /* --plot: smrbench plot DIR after the run */
    bool plan;                  /* --plan: print the cells (plan.h) and run nothing */
    const char *host_label;     /* --host-label: the host's name in the results; NULL: hostname */
    unsigned shard_index;       /* --shard I/N: this run is shard I of N (plan.h); */
    unsigned shard_count;       /* shard_count 0: the whole sweep */
    enum alloc_kind alloc;
    struct cli_setting tunes[CLI_MAX_SETTINGS];   /* --tune */
    unsigned ntunes;
    struct cli_setting opts[CLI_MAX_SETTINGS];    /* --opt */
    unsigned nopts;
    char command_line[1024];    /* as typed, for run.json */
};

/* Exit statuses of `smrbench run` (also in its --help and docs/results.md). */
#define EXIT_CELL_FAILED 1      /* a cell failed (crash, timeout, teardown); the rest is kept */
#define EXIT_USAGE 2            /* bad input: nothing written */
#define EXIT_WRITE 3            /* the results could not be written (disk full) */
#define EXIT_PLOT 4             /* --plot could not draw the figures */
#define EXIT_SIGNAL_BASE 128    /* + the signal that interrupted the sweep */

/* Parse `smrbench run` arguments (argv[0] is "run"). On bad input prints one
   line to stderr naming the flag and what is allowed, and returns false. */
bool cli_parse_run(int argc, char **argv, struct run_options *o);
void cli_free_run(struct run_options *o);
/* The domain tunables and structure options of one pair, from --tune/--opt (0 = default). */
void cli_apply_settings(const struct run_options *o, const char *structure, const char *scheme,
                        long tune[], long opt[]);
void cli_print_run_usage(void);

#endif /* CLI_H */
