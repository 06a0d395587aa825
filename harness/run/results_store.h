/*
 * results_store.h - the results folder, written as the sweep goes, so that
 * it is a consistent set after every cell: a kill -9 loses at most the
 * cell in progress, a full disk the cell it could not write.
 *
 *   begin:  summary.csv and series.csv with their header lines, run.json
 *           with no result and "complete": false, each written atomically;
 *   cell:   the sweep's last cell appended to series.csv and summary.csv
 *           (one write each, fsynced) and run.json rewritten atomically
 *           (temporary file, fsync, rename), in an order that leaves the
 *           files out of step for two system calls only; if any of it
 *           fails, the CSVs are cut back to their old length, so every
 *           file still holds the same cells;
 *   end:    run.json once more, "complete" as the sweep ended.
 *
 * Each returns false after one line on stderr naming the file, the error
 * and what the folder still holds.
 */
#ifndef RESULTS_STORE_H
#define RESULTS_STORE_H

#include <stdbool.h>

#include "cli.h"
#include "sweep.h"

bool results_store_begin(const char *dir, const struct run_options *o, const struct sweep *sw);
bool results_store_cell(const char *dir, const struct run_options *o, const struct sweep *sw);
bool results_store_end(const char *dir, const struct run_options *o, const struct sweep *sw);

#endif /* RESULTS_STORE_H */
