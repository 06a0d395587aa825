/* runset.h - one results folder of `smrbench run`, read and checked before
 * anyone uses it: summary.csv and series.csv by column name (runset_csv.c),
 * run.json with libjansson (runset_json.c). It also says, in one place,
 * which results count: a result is ok, interrupted (no whole measured
 * window) or failed. `smrbench plot` reads folders through it; it is meant
 * for every reader of results (compare can switch to it).
 *
 * Checked: every field of a known column (count, type, range; unknown
 * extra columns are ignored, so writers may add columns), no two results
 * with the same (machine, structure, scheme, threads, mix, rep), files not cut
 * short, and the shape of run.json. A problem is one line naming the
 * file, the line or result, and the field.
 */
#ifndef RUNSET_H
#define RUNSET_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "csv_read.h"

enum runset_status { RUNSET_OK, RUNSET_INTERRUPTED, RUNSET_FAILED };
/* "ok", "interrupted", "failed": the words of summary.csv's status column. */
extern const char *const runset_status_names[3];

/* One result: a row of summary.csv or an entry of run.json's "results".
   The strings point into the file's text or the JSON tree. */
struct runset_result {
    const char *structure, *scheme, *mix;
    unsigned threads, rep;
    const char *machine;        /* "HOST (CPU MODEL)"; "" in files written before the column */
    enum runset_status status;
    const char *failure;        /* why it is not ok, "" when ok */
    double ops_per_sec;         /* NaN when not measured */
    json_t *entry;              /* run.json: the whole result; NULL for a summary row */
};

/* The files a reader cannot do without (runset_open's `need`); the others
   are read and checked when present. */
enum { RUNSET_SUMMARY = 1, RUNSET_SERIES = 2, RUNSET_RUN_JSON = 4 };

struct runset {
    struct csv summary;             /* nrows 0 when absent */
    struct runset_result *rows;     /* one per summary row */
    struct csv series;              /* nrows 0 when absent */
    json_t *run;                    /* run.json; NULL when absent */
    struct runset_result *results;  /* one per run.json result */
    size_t nresults;
    unsigned present;               /* RUNSET_* of the files found */
    bool complete;                  /* run.json's "complete"; true without run.json */
};

/* Read and check the results folder dir. False with one line in err (the
   file and what is wrong with it; nothing to free). */
bool runset_open(struct runset *rs, const char *dir, unsigned need, char *err, size_t errlen);
/* Only a run.json file, wherever it is. */
bool runset_open_run_json(struct runset *rs, const char *path, char *err, size_t errlen);
void runset_close(struct runset *rs);

/* ---- run.json: members by a dotted path ("flags.stall.start_s") ---- */
json_t *runset_json_at(json_t *v, const char *path);
/* The member when it has that type, else the default. */
const char *runset_json_str(json_t *v, const char *path, const char *dflt);
double runset_json_num(json_t *v, const char *path, double dflt);

/* ---- for runset_csv.c and runset_json.c ---- */
/* The status a word of runset_status_names stands for; -1 for another word. */
int runset_status_of(const char *word);
/* A structure or scheme name: letters, digits, _ . + -; 1 to 64 of them. */
bool runset_is_name(const char *s);
/* A mix: r<read percent 0..100>, or w<dedicated writer threads, 1 or more>. */
bool runset_is_mix(const char *s);
/* The result's verdict from the files written before the status column:
   ok when it completed and its teardown reclaimed everything. */
void runset_legacy_status(struct runset_result *r, bool complete, bool teardown_ok);
/* Two results with the same (machine, structure, scheme, threads, mix, rep):
   true with the first such pair (*first < *again). */
bool runset_find_repeat(const struct runset_result *r, size_t n, size_t *first, size_t *again);
bool runset_read_summary(struct runset *rs, const char *path, char *err, size_t errlen);
bool runset_read_series(struct runset *rs, const char *path, char *err, size_t errlen);
bool runset_read_run(struct runset *rs, const char *path, char *err, size_t errlen);

#endif /* RUNSET_H */
