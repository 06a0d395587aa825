/*
 * compare.h - `smrbench compare`: result sets as entries with one value per
 * repetition, loaded from a run folder (run.json) or a Google Benchmark
 * JSON file (smrbench micro), and turned into ratios to a reference scheme
 * measured in the same run.
 *
 * Entry keys put the scheme second, so an entry's reference is the same
 * key with the reference scheme there:
 *   micro:  FAMILY/SCHEME[/iterations:N]/threads:T   (Google Benchmark's run_name)
 *   run:    STRUCTURE/SCHEME/threads:T/MIX
 * A run's entry is also of a machine (the results' machine column): an
 * entry is (machine, key), its reference of the same machine. When no set
 * holds more than one machine, the machines are forgotten, so that two
 * sets of different machines still match (cmp_forget_machines).
 */
#ifndef COMPARE_H
#define COMPARE_H

#include <stdbool.h>
#include <stddef.h>

enum cmp_kind { CMP_MICRO, CMP_RUN };

struct cmp_entry {
    char *key;
    char *machine;              /* "HOST (CPU MODEL)"; "" for micro and once forgotten */
    double *v;                  /* one value per repetition */
    unsigned *rep;              /* its repetition number */
    size_t n, cap;
    bool no_reference;          /* after cmp_normalise: the set has no reference for it */
};

struct cmp_set {
    const char *arg;            /* as typed: BASE or NEW */
    enum cmp_kind kind;
    char machine[128];          /* CPU model if the file says, else "" */
    size_t failed;              /* micro: runs that reported an error (left out) */
    size_t interrupted, cut;    /* run: rows left out, status interrupted or failed */
    bool unfinished;            /* run: "complete": false, the sweep did not finish */
    struct cmp_entry *e;
    size_t n, cap;
};

/* Micro times: cpu_time (default) or real_time. */
enum cmp_metric { CMP_CPU_TIME, CMP_REAL_TIME };

struct cmp_load_opts {
    enum cmp_metric metric;
    const char *reference;      /* the scheme values are divided by; NULL: raw values */
};

/*
 * Load a result set: a run folder or its run.json (one value per
 * repetition), a Google Benchmark JSON file (one per repetition), or a
 * folder of Google Benchmark JSON files, each one run of the same
 * benchmarks (one value per file: the median of its repetitions). Values
 * are ratios to `reference` measured in the same file (cmp_normalise). On
 * bad input prints one line naming `role` (BASE/NEW) and returns false.
 */
bool cmp_load(const char *role, const char *path, const struct cmp_load_opts *o,
              struct cmp_set *out);
void cmp_free(struct cmp_set *s);

/* Micro: larger is worse (time); run: smaller is worse (throughput). */
static inline bool cmp_lower_is_better(const struct cmp_set *s)
{
    return s->kind == CMP_MICRO;
}

/* The scheme of a key (its second component), copied into buf. */
void cmp_key_scheme(const char *key, char *buf, size_t len);
/* The same key with `scheme` second; false if the key has no second component. */
bool cmp_key_with_scheme(const char *key, const char *scheme, char *buf, size_t len);
struct cmp_entry *cmp_find(struct cmp_set *s, const char *key, const char *machine);
/* The distinct machines of the set's entries. */
size_t cmp_machines(const struct cmp_set *s);
/* Every entry's machine becomes "" (after cmp_normalise, which matched each
   entry's reference on its own machine). */
void cmp_forget_machines(struct cmp_set *s);
/* An entry's name in a report: "MACHINE: KEY", or KEY when it has no machine. */
void cmp_entry_name(const struct cmp_entry *e, char *buf, size_t len);
/* The set measured `scheme` (an entry has it second); else the schemes it
   measured, comma-separated, in buf. */
bool cmp_has_scheme(const struct cmp_set *s, const char *scheme, char *buf, size_t len);

/* The reference that is no one scheme: every other scheme of the benchmark. */
#define CMP_REFERENCE_PEERS "peers"

/*
 * Every value becomes its ratio to the reference in the same set: micro:
 * the entry's time / the median time of the reference entry (the
 * repetitions of one file are interleaved, not paired); run: ops/s /
 * the reference's ops/s at the same repetition (schemes run innermost, so
 * a repetition's runs are neighbours in time). The reference is a scheme,
 * or CMP_REFERENCE_PEERS: the geometric mean of the other schemes' values
 * of the same benchmark (then a change shared by every scheme cancels,
 * as a slower machine does). Entries without a reference get no_reference.
 */
void cmp_normalise(struct cmp_set *s, const char *reference);

double cmp_median(const double *v, size_t n);

/* ---- one comparison, judged (compare.c) and reported (compare_report.c) ---- */

enum cmp_format { CMP_TABLE, CMP_JSON, CMP_CSV };

struct cmp_opts {
    const char *base, *next;
    const char *confirm;        /* --confirm FIRST: NEW confirms what FIRST flagged; else NULL */
    double threshold;           /* percent */
    double alpha;
    bool raw;
    bool holm;                  /* correct the p-values for the entries compared */
    const char *reference;
    enum cmp_metric metric;
    enum cmp_format format;
};

/* One entry of both sets and its verdict. */
struct cmp_row {
    const struct cmp_entry *base, *next;
    double base_median, next_median, change;
    double p;                   /* corrected if asked; NAN: too few values to test */
    const char *verdict;        /* "REGRESSED", "improved", "noise", "same" */
};

struct cmp_tally {
    size_t compared, regressed, improved, noise, same;
    size_t missing, added, no_reference, untested;
};

/* What a report shows: the rows of BASE against NEW, and with --confirm
   how many entries FIRST flagged (k) and the alpha each was tested at. */
struct cmp_report {
    const struct cmp_opts *o;
    const struct cmp_set *base, *next;
    bool per_machine;           /* entries matched per machine (a set held several) */
    const struct cmp_row *rows;
    size_t nrows;
    struct cmp_tally tally;
    size_t flagged;             /* --confirm: the k entries FIRST flagged */
    double alpha;               /* the level the rows were judged at (alpha / k with --confirm) */
};

/* The report in o->format on stdout. */
void cmp_report_print(const struct cmp_report *r);

/* `smrbench compare` (argv[0] is "compare"): 0, 1 (a regression), 2 (bad input). */
int cmd_compare(int argc, char **argv);

#endif /* COMPARE_H */
