/*
 * merge_set.h - what the files of `smrbench merge` share: the inputs, read
 * and checked (merge_input.c), what the checks found (merge_check.c), and
 * the writers of the merged set (merge_csv.c, merge_json.c, merge_write.c).
 * Every function that can refuse prints one line on stderr and returns
 * false: bad input, exit 2, nothing written.
 */
#ifndef MERGE_SET_H
#define MERGE_SET_H

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

#include "runset/runset.h"

#define MERGE_WHO "smrbench merge"

struct merge_input {
    const char *dir;
    struct runset rs;          /* all three files, checked */
    char machine[256];         /* its rows' machine column; for files written before the
                                  column, run.json's machine.label (or hostname) and CPU */
    json_t *plan_id;           /* run.json's plan.id; NULL when it has no plan */
    int shard_index;           /* -1: the whole plan */
    int shard_count;
};

struct merge {
    const char *out;
    bool force, allow_mixed;
    const char *command_line;
    struct merge_input *in;
    size_t nin;
    /* found by the checks */
    json_t *differences;       /* [{"member", "values": [{"dir", "machine", "value"}]}] */
    bool cells_counted;        /* one plan with a cell count: missing cells are known */
    size_t cells, expected;    /* results held; results the plan's copies should hold */
    json_t *missing;           /* what is missing, one line each (shards, cells, inputs) */
    size_t nmachines;          /* distinct machine columns */
};

/* merge_input.c: each DIR opened and checked; its machine column found. */
bool merge_open_inputs(struct merge *m, char **dirs, size_t n);
void merge_close_inputs(struct merge *m);

/* merge_check.c */
/* Same plan and build, or --allow-mixed (the differences recorded). */
bool merge_check_build(struct merge *m);
/* No cell twice (always refused); then what is missing, for the report. */
bool merge_check_cells(struct merge *m);
/* The machine facts (CPU, kernel, topology, allocator, manifest) that differ. */
void merge_check_machines(struct merge *m);

/* merge_csv.c: summary.csv or series.csv as the union of the inputs' rows
   under the newest header. check: every header maps onto it. */
bool merge_csv_check(const struct merge *m);
void merge_csv_write(FILE *f, const struct merge *m, bool series);

/* merge_json.c: the merged run.json. */
void merge_json_write(FILE *f, const struct merge *m);

/* merge_write.c: -o checked before anything is read; then the three files
   into OUT.tmp-PID, fsynced, renamed to OUT. 0, or EXIT_WRITE after one line. */
bool merge_out_check(const struct merge *m);
int merge_write(const struct merge *m);

#endif /* MERGE_SET_H */
