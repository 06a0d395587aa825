/* results_dir.h - choosing and creating the results folder of a run. */
#ifndef RESULTS_DIR_H
#define RESULTS_DIR_H

#include <stdbool.h>
#include <stddef.h>

#include "cli.h"

/*
 * Resolve and create the results folder before anything runs, so a bad -o
 * fails at once. The default, results/<UTC time to the microsecond>, is
 * created exclusively: a name another run took is never reused. An -o
 * folder that already holds results (summary.csv, series.csv, run.json or
 * plots/) is refused unless --force, which removes them, figures included.
 * Returns false after printing one line (exit 2).
 */
bool results_prepare_dir(const struct run_options *o, char *dir, size_t len);

#endif /* RESULTS_DIR_H */
